# Reading a chunked body in bulk: read(amt) and readinto() of a response
# whose body is sent in chunks (RFC 9112 section 7.1).
#
# Strategy: on a connection's own reader (the usual case), the bytes are
# received straight into the caller's buffer, framing and all, and decoded
# there: httpcore_wire.compact_chunks() moves each chunk's data down over
# the framing before it.  So each byte is copied once by the kernel and
# moved once in memory, many chunks per system call and per call into the
# decoder (one C loop when the accelerator is built).  Framing cut at the
# end of what was received is kept in the buffer for the next receive, and
# whatever was received and not used -- the trailer section and anything
# after the body, or a frame that no longer fits -- is given back to the
# connection's stream (SocketReader.unread()), where the line-by-line
# methods and the next response find it.  So the response's chunk_left and
# the stream stay the whole state, and the methods callers reach into
# (_get_chunk_left(), _safe_read(), fp.readline(), as urllib3 does) see the
# body where this left it.
#
# On any other buffered reader (makefile() of a socket a caller put in
# ``sock``), the bytes are decoded where they already are, in the reader's
# buffer: peek() shows them, httpcore_wire.decode_chunks() cuts the chunk
# data out of them and says how many bytes the framing and data took, and
# exactly those are consumed.  Framing that is not all in the buffer,
# chunks larger than a few KiB (whose data is read straight from the
# reader, as http.client reads it) and the end of the body go the
# line-by-line way.
from __future__ import annotations

import functools
import io
from email.message import Message
from typing import TYPE_CHECKING, Any

from httpcore_headers import (
    DEFAULT_LIMITS,
    LineTooLong,
    ambiguous_lines,
    parse_header_lines,
    read_header_lines,
)
from httpcore_wire import (
    IncompleteRead,
    InvalidChunk,
    compact_chunks,
    decode_chunks,
    parse_chunk_size,
)

from ._collect import READ_PIECE, grow
from ._stream import SocketReader, drain

# Reads smaller than this go chunk by chunk: peek() copies the whole buffer.
BULK = 16 << 10
# The most one receive into the caller's buffer asks for, so that its bytes
# are still in the CPU's cache when compact_chunks() moves them: on a 2-core
# x86-64 machine with 2 MiB of L2 a core, 128 KiB pieces cost about 10 %
# less client CPU than receives as large as the buffer (`nox -s bench`,
# "chunked 32 MiB"); 32 KiB pieces cost more system calls than they save.
_RECEIVE = 128 << 10
# Chunks larger than this are read one by one, their data straight from the
# reader: decoding them from a copy of its buffer would copy them once more.
_SMALL = 4 << 10


def bulk_reader(response: Any) -> bool:
    """Whether ``response`` reads through a reader whose buffer can be
    shown (io.BufferedReader: the connection's, or makefile()'s)."""
    return type(response.fp) is io.BufferedReader


def read_bulk(response: Any, amt: int | None) -> bytes:
    """``read(amt)`` of a chunked body: into one buffer that becomes the
    bytes returned (grown as the body arrives when ``amt`` is None).

    :raises IncompleteRead: as :func:`fill_bulk` does.
    """
    return grow(functools.partial(fill_bulk, response), amt or BULK, amt)


def fill_bulk(response: Any, view: memoryview) -> int:
    """Fill ``view`` with the next bytes of the chunked body of
    ``response``; fewer only at the end of the body, after which the
    trailer section has been read and the response closed (as the
    line-by-line methods leave it).  Returns how many bytes.

    :raises IncompleteRead: the body ended early; ``partial`` holds the
        bytes of this call, and the reason is its cause (an
        :exc:`~httpcore_wire.InvalidChunk` when the framing broke, after
        which the connection is not used again).
    :raises LineTooLong: a size line over the limit; the same.
    """
    want = len(view)
    got = 0
    # Whether the chunks are small enough to decode from the buffer: until
    # a large one shows up, and again after a small one.
    small = True
    decoding = False
    raw = _own_stream(response.fp)
    # The stream to receive from in place: the connection's, but not right
    # after that stopped short (the stream ended or had nothing to read, or
    # the next frame did not fit), which is for the line-by-line way.
    receive = raw
    try:
        while got < want and response.fp is not None:
            if receive is not None:
                drain(response.fp)
                decoding = True
                with view[got:] as free:
                    got += receive_in_place(response, receive, free)
                decoding = False
                receive = None
                continue
            receive = raw
            chunk_left = response.chunk_left
            if small and raw is None and (chunk_left is None or chunk_left <= _SMALL):
                decoding = True
                step = decode_chunks(
                    response.fp.peek(), chunk_left, want - got, max_chunk=_SMALL
                )
                decoding = False
                if step.used or step.last:
                    for piece in step.data:
                        size = len(piece)
                        view[got : got + size] = piece
                        got += size
                    response.fp.read(step.used)
                    response.chunk_left = step.chunk_left
                    if step.last:
                        response._finish_chunked()
                    continue
                small = False
            # The framing at the start is not all buffered, the chunk is
            # large, or the stream ended: one chunk the line-by-line way, its
            # data straight from the reader into ``view``.
            fresh = not chunk_left
            chunk_left = response._get_chunk_left()
            if chunk_left is None:
                break
            if fresh:
                small = chunk_left <= _SMALL
            size = min(chunk_left, want - got)
            end = got + size
            while got < end:
                # (Straight from the reader, in C: no frame of a callee can
                # keep a view of the caller's buffer alive in a traceback.)
                with view[got:end] as part:
                    count = response.fp.readinto(part)
                if not count:
                    raise IncompleteRead(b"", end - got)
                got += count
            response.chunk_left = chunk_left - size
    except (IncompleteRead, LineTooLong) as error:
        partial = getattr(error, "partial", b"")
        if decoding:
            # The decoder refused the framing: nothing after it can be
            # trusted.  The data before it is the caller's (already in
            # place when it was decoded in place: then this copies it onto
            # itself).
            view[got : got + len(partial)] = partial
            got += len(partial)
            response._broken = True
            response._close_conn()
        if isinstance(error, LineTooLong):
            raise
        # The body ended early: as for a body of a declared length, the
        # connection is not used again (http.client leaves it half read,
        # and the next getresponse() raises ResponseNotReady).
        response._end_early()
        with view[:got] as data:
            raise IncompleteRead(bytes(data)) from error
    return got


def _own_stream(reader: Any) -> SocketReader | None:
    """The connection's stream under ``reader`` (a response's ``fp``), if
    it is a connection's shared reader: one that bytes can be given back
    to."""
    if type(reader) is not io.BufferedReader:
        return None
    raw = reader.raw
    return raw if type(raw) is SocketReader else None


def receive_in_place(response: Any, raw: SocketReader, view: memoryview) -> int:
    """Fill ``view`` with the next bytes of the chunked body of ``response``
    received straight from ``raw`` (with nothing buffered above it) and
    decoded in place.  Returns how many bytes.

    Stops when ``view`` is full or cannot hold the next frame, where the
    stream ended or had nothing to read, and at the end of the body (the
    trailer section is then read and the response closed).  The bytes
    received and not used go back to ``raw``.

    :raises InvalidChunk: as compact_chunks() raises it, with the data of
        this call in ``partial``, which is also where it is in ``view``.
    :raises LineTooLong: a size line over the limit.
    """
    want = len(view)
    # Data bytes at the start of ``view``, then ``kept`` bytes received but
    # not used yet (framing cut at the end of a receive).
    got = kept = 0
    chunk_left = response.chunk_left
    last = False
    try:
        while got + kept < want:
            at = got + kept
            with view[at : at + _RECEIVE] as space:
                count = raw.readinto(space)
            if not count:
                break
            start = got
            with view[start : start + kept + count] as received:
                step = compact_chunks(received, chunk_left)
            got += step.data
            chunk_left = step.chunk_left
            kept += count - step.used
            if kept:
                used = start + step.used
                view[got : got + kept] = view[used : used + kept]
            if step.last:
                last = True
                break
    except InvalidChunk as error:
        error.partial = bytes(view[: got + len(error.partial)])
        error.args = (error.partial,)
        raise
    raw.unread(bytes(view[got : got + kept]))
    response.chunk_left = chunk_left
    if last:
        response._finish_chunked()
    return got


class ChunkedReading:
    """The part of :class:`~httpcore_client.HTTPResponse` that reads a
    chunked body: http.client's private methods, which urllib3 calls
    directly, and the bulk paths above."""

    if TYPE_CHECKING:
        fp: Any
        chunk_left: Any
        max_headers: int | None
        trailers: Message | None
        _broken: bool

        def _close_conn(self) -> None: ...
        def _safe_read(self, amt: int) -> bytes: ...
        def _safe_readinto(self, b: Any) -> int: ...

    def _read_next_chunk_size(self) -> int:
        max_line = DEFAULT_LIMITS.max_line
        line = self.fp.readline(max_line + 1)
        if len(line) > max_line:
            # The framing is lost with it, as with an invalid line.
            self._broken = True
            self._close_conn()
            raise LineTooLong("chunk size", max_line)
        if not line:
            # The connection closed where a chunk should start.
            self._broken = True
            self._close_conn()
            raise IncompleteRead(b"")
        try:
            size = parse_chunk_size(line)
        except InvalidChunk:
            # Framing is lost: the connection cannot be used again.
            self._broken = True
            self._close_conn()
            raise
        return size

    def _read_and_discard_trailer(self) -> None:
        """Read the trailer section into :attr:`trailers` (http.client reads
        and discards it, without a bound on its lines)."""
        lines = read_header_lines(self.fp, max_headers=self.max_headers)
        self.trailers = parse_header_lines(lines)
        if not lines[-1] or ambiguous_lines(lines):
            # A trailer section that ends at the connection's end, or that
            # another parser may end elsewhere: nothing after it is trusted.
            self._broken = True

    def _get_chunk_left(self) -> int | None:
        # chunk_left == 0: at the end of a chunk, its CRLF not read yet;
        # chunk_left is None: between chunks.  Returns the bytes left in the
        # current chunk, reading the next size line if needed, or None once
        # the last chunk has been read.
        chunk_left = self.chunk_left
        if not chunk_left:
            if chunk_left is not None:
                crlf = self.fp.read(2)
                if crlf != b"\r\n":
                    self._broken = True
                    self._close_conn()
                    if len(crlf) < 2 and b"\r\n".startswith(crlf):
                        raise IncompleteRead(b"")
                    raise InvalidChunk(
                        f"chunk data is followed by {crlf!r} instead of CRLF"
                    )
            chunk_left = self._read_next_chunk_size()
            if chunk_left == 0:
                self._finish_chunked()
                return None
            self.chunk_left = chunk_left
        return chunk_left  # type: ignore[no-any-return]

    def _end_early(self) -> None:
        """The body ended before its last chunk: the response is closed (if
        the reason did not close it already) and the connection is not
        used again."""
        self._broken = True
        if self.fp is not None:
            self._close_conn()

    def _finish_chunked(self) -> None:
        """After the last chunk's size line: the trailer section, then the
        end of the response."""
        self._read_and_discard_trailer()
        self._close_conn()
        self.chunk_left = None

    def _read_chunked(self, amt: int | None = None) -> bytes:
        if (amt is None or amt >= BULK) and bulk_reader(self):
            return read_bulk(self, amt)
        value: list[bytes] = []
        try:
            while (chunk_left := self._get_chunk_left()) is not None:
                if amt is not None and amt <= chunk_left:
                    value.append(self._safe_read(amt))
                    self.chunk_left = chunk_left - amt
                    break
                value.append(self._safe_read(chunk_left))
                if amt is not None:
                    amt -= chunk_left
                self.chunk_left = 0
            return b"".join(value)
        except IncompleteRead as error:
            # What http.client raises, with the reason (an InvalidChunk for
            # bad framing) as its cause; the connection is not used again.
            self._end_early()
            raise IncompleteRead(b"".join(value)) from error

    def _readinto_chunked(self, b: Any) -> int:
        total = 0
        view = memoryview(b).cast("B")
        if len(view) >= BULK and bulk_reader(self):
            return fill_bulk(self, view)
        try:
            while True:
                chunk_left = self._get_chunk_left()
                if chunk_left is None:
                    return total
                if len(view) <= chunk_left:
                    n = self._safe_readinto(view)
                    self.chunk_left = chunk_left - n
                    return total + n
                n = self._safe_readinto(view[:chunk_left])
                view = view[n:]
                total += n
                self.chunk_left = 0
        except IncompleteRead as error:
            self._end_early()
            raise IncompleteRead(bytes(memoryview(b).cast("B")[:total])) from error

    def _read1_chunked(self, n: int) -> bytes:
        chunk_left = self._get_chunk_left()
        if chunk_left is None or n == 0:
            return b""
        if not 0 <= n <= chunk_left:
            n = chunk_left
        data = self.fp.read1(min(n, READ_PIECE))
        self.chunk_left -= len(data)
        if not data:
            raise IncompleteRead(b"")
        return bytes(data)

    def _peek_chunked(self, n: int) -> bytes:
        # http.client's returns b"" here on a framing error, after which
        # readline() (which peeks) ends the body silently: report it.
        chunk_left = self._get_chunk_left()
        if chunk_left is None:
            return b""
        return bytes(self.fp.peek(chunk_left)[:chunk_left])
