# Decoding the chunked transfer coding (RFC 9112 section 7.1) straight from
# a reader's buffer, or in place in the buffer it was received into: the
# pull side of ChunkedDecoder.
#
# Strategy: a reader that keeps its own buffer (io.BufferedReader: peek()
# shows what is buffered, read() consumes) must stay the one place the
# unread bytes live, so that whoever reads next -- the same response, a
# caller reaching into ``fp`` as urllib3 does, the connection's check that it
# is clean -- finds them there.  decode_chunks() therefore holds nothing
# back: it decodes the complete framing at the start of the bytes it is
# shown, stops before a size line or CRLF that is not all there yet, and
# says how many bytes it used; the caller consumes exactly those.  Its state
# is http.client's ``chunk_left`` and nothing else.  The framing rules, the
# messages and the batched decoding of runs of equal chunks are
# ChunkedDecoder's (see _chunked_decoder.py).
#
# compact_chunks() is for a reader that receives the body straight into the
# caller's buffer (one copy, by the kernel): it decodes there, moving each
# chunk's data down over the framing before it, so the data ends up at the
# start of the buffer in one pass of memmove().  Its common case (size lines
# of hex digits and CRLF) is one C loop when the accelerator is built
# (_speedups.c); every other size line is parsed by parse_chunk_size(), so
# the rules stay in one place.
from __future__ import annotations

import re
from collections.abc import Callable
from typing import NamedTuple

from httpcore_headers import DEFAULT_LIMITS, LineTooLong

from ._accelerator import compiled
from ._chunked_decoder import _RUN_LINE_MAX, _SIZE_LINE, _Run, _runs, parse_chunk_size
from ._exceptions import InvalidChunk


class ChunkStep(NamedTuple):
    """What :func:`decode_chunks` decoded."""

    #: The body data, as memoryview slices of the bytes given.
    data: list[memoryview]
    #: How many of the bytes given it used.
    used: int
    #: The state after them, as ``http.client.HTTPResponse.chunk_left``:
    #: ``None`` before a size line, 0 before the CRLF that ends a chunk's
    #: data, else the data bytes still due in the current chunk.
    chunk_left: int | None
    #: Whether the last chunk's size line was used: the trailer section
    #: comes next.
    last: bool


def decode_chunks(
    buf: bytes,
    chunk_left: int | None,
    limit: int,
    *,
    max_line: int | None = None,
    max_chunk: int | None = None,
) -> ChunkStep:
    """Decode the complete chunked framing at the start of ``buf``.

    Stops after ``limit`` body bytes, after the last chunk's size line,
    before a size line or CRLF that ``buf`` does not hold whole, before the
    size line of a chunk larger than ``max_chunk``, or at the end of
    ``buf``.

    :param buf: the next bytes of the body (what a reader's ``peek()``
        returns).
    :param chunk_left: where they start, as :attr:`ChunkStep.chunk_left`.
    :param limit: the most body bytes to decode (positive).
    :param max_line: the longest accepted size line, extensions included;
        ``None`` means ``httpcore_headers.DEFAULT_LIMITS.max_line``.
    :param max_chunk: larger chunks are left to the caller, who may read
        their data without going through ``buf`` (``None``: no limit).
    :raises InvalidChunk: the framing does not follow RFC 9112 (the same
        refusals and messages as :class:`ChunkedDecoder`); ``partial`` holds
        the data decoded before it, with the data of a chunk not followed
        by CRLF (as a reader that reads a chunk's data, then its CRLF,
        has it).
    :raises LineTooLong: a size line longer than ``max_line``.
    """
    if max_line is None:
        max_line = DEFAULT_LIMITS.max_line
    out: list[memoryview] = []
    view = memoryview(buf)
    size = len(buf)
    pos = 0
    left = limit
    may_build = True
    try:
        while pos < size and left > 0:
            if chunk_left is None:
                newline = buf.find(b"\n", pos, pos + max_line + 1)
                if newline < 0:
                    if size - pos > max_line:
                        raise LineTooLong("chunk size", max_line)
                    break
                start = newline + 1
                if start - pos > max_line:
                    raise LineTooLong("chunk size", max_line)
                match = _SIZE_LINE.fullmatch(buf, pos, start)
                chunk = (
                    int(match.group(1), 16)
                    if match
                    else parse_chunk_size(buf[pos:start])
                )
                if chunk == 0:
                    return ChunkStep(out, start, None, True)
                if max_chunk is not None and chunk > max_chunk:
                    break
                end = start + chunk
                if chunk < left and end + 2 <= size:
                    # A whole chunk; and the chunks of the same size line
                    # that follow it, a batch at a time.  (A chunk not
                    # followed by CRLF is refused with its data in
                    # ``partial``, as the line-by-line reader has it.)
                    out.append(view[start:end])
                    if not buf.startswith(b"\r\n", end):
                        raise _bad_end(buf[end : end + 2])
                    left -= chunk
                    line = buf[pos:start]
                    pos = end + 2
                    if left > chunk and buf.startswith(line, pos):
                        run = _runs.get(line)
                        if run is None and may_build and len(line) <= _RUN_LINE_MAX:
                            # At most one helper built per call: a peer that
                            # keeps changing its sizes gets the plain path.
                            may_build = False
                            if len(_runs) >= 64:
                                _runs.clear()
                            run = _runs[line] = _Run(line, chunk)
                        if run is not None:
                            # (The chunk that reaches the limit is left to
                            # the plain path, which leaves its CRLF.)
                            stop = min(size, pos + (left - 1) // chunk * run.stride)
                            after = run.decode(buf, view, pos, stop, out)
                            left -= (after - pos) // run.stride * chunk
                            pos = after
                    continue
                pos = start
                chunk_left = chunk
            if chunk_left:
                take = min(chunk_left, size - pos, left)
                out.append(view[pos : pos + take])
                pos += take
                left -= take
                chunk_left -= take
                if chunk_left or not left:
                    # (At the limit, the CRLF is left for the next call, as
                    # http.client leaves it.)
                    break
            if size - pos < 2:
                if buf[pos:size] not in (b"", b"\r"):
                    raise _bad_end(buf[pos:size])
                chunk_left = 0
                break
            if not buf.startswith(b"\r\n", pos):
                raise _bad_end(buf[pos : pos + 2])
            pos += 2
            chunk_left = None
    except InvalidChunk as error:
        error.partial = b"".join(out)
        error.args = (error.partial,)
        raise
    return ChunkStep(out, pos, chunk_left, False)


def _bad_end(found: bytes) -> InvalidChunk:
    return InvalidChunk(f"chunk data is followed by {found!r} instead of CRLF")


class ChunkCompaction(NamedTuple):
    """What :func:`compact_chunks` decoded."""

    #: How many bytes of body data now start the buffer.
    data: int
    #: How many bytes of the buffer, from its start, it used; the bytes
    #: after them (framing not all there yet, or what follows the last
    #: chunk's size line) are as they were.
    used: int
    #: The state after them, as :attr:`ChunkStep.chunk_left`.
    chunk_left: int | None
    #: Whether the last chunk's size line was used: the trailer section
    #: comes next.
    last: bool


# What a pass of _compact() stopped at.
_MORE, _LAST, _SLOW_LINE, _BAD_END = range(4)
_HEX = re.compile(rb"[0-9A-Fa-f]{1,16}")
_NEWLINE = re.compile(rb"\n")


def _compact_python(
    buffer: memoryview, data: int, pos: int, left: int
) -> tuple[int, int, int, int]:
    """One pass of compact_chunks(): what _speedups.compact_chunks() does
    (see there), in Python.  ``left`` is -1 before a size line."""
    end = len(buffer)
    if not 0 <= data <= pos <= end or left < -1:
        raise ValueError("compact_chunks: positions out of order")
    while True:
        if left > 0:
            take = min(left, end - pos)
            if data != pos:
                buffer[data : data + take] = buffer[pos : pos + take]
            data += take
            pos += take
            left -= take
            if left:
                return data, pos, left, _MORE
        if left == 0:
            if end - pos < 2:
                if pos < end and buffer[pos] != 0x0D:
                    return data, pos, left, _BAD_END
                return data, pos, left, _MORE
            if buffer[pos] != 0x0D or buffer[pos + 1] != 0x0A:
                return data, pos, left, _BAD_END
            pos += 2
            left = -1
        match = _HEX.match(buffer, pos, min(end, pos + 16))
        at = pos if match is None else match.end()
        if at == end:
            return data, pos, left, _MORE
        if at == pos or at - pos == 16 or buffer[at] != 0x0D:
            return data, pos, left, _SLOW_LINE
        if at + 1 == end:
            return data, pos, left, _MORE
        if buffer[at + 1] != 0x0A:
            return data, pos, left, _SLOW_LINE
        size = int(bytes(buffer[pos:at]), 16)
        frame = b"\r\n" + bytes(buffer[pos : at + 2])
        pos = at + 2
        if size == 0:
            return data, pos, left, _LAST
        # Servers send runs of chunks of one size: while the next chunk is
        # whole in the buffer behind the same frame (CRLF, then this very
        # line), this chunk's data moves without the steps above, to the
        # same end.  (A loop of its own: folded into the steps above as a
        # check for the same frame, 1 KiB chunks cost 40 % more.)
        step = len(frame)
        while pos + size + step + size <= end and (
            buffer[pos + size : pos + size + step] == frame
        ):
            if data != pos:
                buffer[data : data + size] = buffer[pos : pos + size]
            data += size
            pos += size + step
        left = size


# The compiled pass where it is built, else the Python one.
_compact: Callable[[memoryview, int, int, int], tuple[int, int, int, int]] = (
    compiled("compact_chunks") or _compact_python
)


def compact_chunks(
    buffer: bytearray | memoryview,
    chunk_left: int | None,
    *,
    max_line: int | None = None,
) -> ChunkCompaction:
    """Decode the complete chunked framing at the start of ``buffer`` in
    place: the body data is moved to the start of ``buffer``, over the
    framing.

    For a reader that receives the body straight into the buffer it
    returns (``readinto()``): the data is then copied once by the kernel
    and moved once in memory, with no other buffer between.  Stops after
    the last chunk's size line, before a size line or CRLF that ``buffer``
    does not hold whole, or at its end; the bytes it did not use are left
    where they were, for the caller to keep (a frame to complete with the
    next bytes received) or give back (what follows the body).

    >>> import httpcore_wire
    >>> buffer = bytearray(b"5\\r\\nhello\\r\\n6\\r\\n world\\r\\n0\\r\\n\\r\\n")
    >>> step = httpcore_wire.compact_chunks(buffer, None)
    >>> bytes(buffer[: step.data]), step.last, bytes(buffer[step.used :])
    (b'hello world', True, b'\\r\\n')

    :param buffer: the next bytes of the body, writable.
    :param chunk_left: where they start, as :attr:`ChunkStep.chunk_left`.
    :param max_line: the longest accepted size line, extensions included;
        ``None`` means ``httpcore_headers.DEFAULT_LIMITS.max_line``.
    :raises InvalidChunk: the framing does not follow RFC 9112 (the
        refusals and messages of :func:`decode_chunks`); ``partial`` holds
        the data decoded before it, with the data of a chunk not followed
        by CRLF.
    :raises LineTooLong: a size line longer than ``max_line``.
    :raises TypeError: ``buffer`` is read-only.
    """
    if max_line is None:
        max_line = DEFAULT_LIMITS.max_line
    with memoryview(buffer) as whole, whole.cast("B") as view:
        if view.readonly:
            raise TypeError("compact_chunks() needs a writable buffer")
        end = len(view)
        data = pos = 0
        try:
            while True:
                if chunk_left is not None and chunk_left >= end - pos:
                    # The rest is data (and the compiled pass takes no
                    # chunk_left beyond the buffer's length).
                    if data != pos:
                        view[data : data + end - pos] = view[pos:end]
                    data += end - pos
                    return ChunkCompaction(data, end, chunk_left - (end - pos), False)
                data, pos, left, status = _compact(
                    view, data, pos, -1 if chunk_left is None else chunk_left
                )
                chunk_left = None if left < 0 else left
                if status == _LAST:
                    return ChunkCompaction(data, pos, None, True)
                if status == _BAD_END:
                    raise _bad_end(bytes(view[pos : pos + 2]))
                if status == _SLOW_LINE:
                    # A size line that is not plain hex and CRLF: the
                    # line-by-line rules decide.
                    newline = _NEWLINE.search(view, pos, min(end, pos + max_line + 1))
                    if newline is not None:
                        start = newline.end()
                        if start - pos > max_line:
                            raise LineTooLong("chunk size", max_line)
                        size = parse_chunk_size(bytes(view[pos:start]))
                        pos = start
                        if size == 0:
                            return ChunkCompaction(data, pos, None, True)
                        chunk_left = size
                        continue
                if chunk_left is None and end - pos > max_line:
                    raise LineTooLong("chunk size", max_line)
                return ChunkCompaction(data, pos, chunk_left, False)
        except InvalidChunk as error:
            error.partial = bytes(view[:data])
            error.args = (error.partial,)
            raise
