# Decoding the chunked transfer coding (RFC 9112 section 7.1) straight from
# a reader's buffer: the pull side of ChunkedDecoder.
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
from __future__ import annotations

from typing import NamedTuple

from httpcore_headers import DEFAULT_LIMITS, LineTooLong

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
