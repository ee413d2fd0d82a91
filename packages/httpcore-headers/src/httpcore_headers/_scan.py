# Finding where a header block ends, with the limits applied exactly as
# http.client's line-by-line reader applies them (RFC 9112 section 2.2:
# fields end at the first empty line; a bare LF ends a line too).
#
# Strategy: the block ends at the first line that is b"\r\n" or b"\n", i.e. at
# the first b"\n\r\n" or b"\n\n" (or at the very start).  Two C-level find()
# calls locate it; when the block is obviously inside every limit we are done.
# Otherwise a line-by-line walk replays CPython's loop, which reads
# ``readline(max_line + 1)``, refuses a longer line, then counts the line
# (the final empty line included) against max_headers, so the first limit a
# line breaks is the one reported.
from __future__ import annotations

from email.message import Message
from typing import TypeVar, overload

from ._exceptions import HeaderBlockTooLarge, LineTooLong, TooManyHeaders
from ._limits import resolve
from ._message import HTTPMessage
from ._parse import fast_crlf, is_plain, parse_block

_M = TypeVar("_M", bound=Message)

Buffer = bytes | bytearray | memoryview


def terminator_end(buf: bytes | bytearray) -> int:
    """Offset just past the empty line that ends the header block in ``buf``,
    or -1 if ``buf`` holds no complete empty line yet."""
    if buf[:1] == b"\n":
        return 1
    if buf[:2] == b"\r\n":
        return 2
    crlf = buf.find(b"\n\r\n")
    if crlf < 0:
        lf = buf.find(b"\n\n")
        return lf + 2 if lf >= 0 else -1
    lf = buf.find(b"\n\n", 0, crlf + 1)
    return lf + 2 if lf >= 0 else crlf + 3


def quick_end(
    buf: bytes | bytearray, max_line: int, max_headers: int, max_block: int | None
) -> int:
    """The end of a complete header block in ``buf`` that is obviously within
    every limit, or -1 when the block is incomplete or needs the exact walk."""
    end = terminator_end(buf)
    if end < 0 or end > max_line or (max_block is not None and end > max_block):
        return -1
    if end > max_headers and buf.count(b"\n", 0, end) > max_headers:
        return -1
    return end


class _Walker:
    """http.client's line loop, resumable: the lines of ``buf`` already
    walked are not walked again when more bytes arrive."""

    __slots__ = ("lines", "max_block", "max_headers", "max_line", "pos")

    def __init__(self, max_line: int, max_headers: int, max_block: int | None) -> None:
        self.max_line = max_line
        self.max_headers = max_headers
        self.max_block = max_block
        self.pos = 0  # where the first line not walked yet starts
        self.lines = 0

    def advance(self, buf: bytes | bytearray) -> int:
        """Walk the complete lines of ``buf`` not walked yet; return the end of
        the block if its empty line is among them, else -1.

        :raises LineTooLong, TooManyHeaders, HeaderBlockTooLarge: at the
            first line that breaks a limit.
        """
        pos = self.pos
        while True:
            newline = buf.find(b"\n", pos)
            if newline < 0:
                self.pos = pos
                return -1
            end = newline + 1
            if end - pos > self.max_line:
                raise LineTooLong("header line", self.max_line)
            self.lines += 1
            if self.lines > self.max_headers:
                raise TooManyHeaders(self.max_headers)
            if self.max_block is not None and end > self.max_block:
                raise HeaderBlockTooLarge(self.max_block)
            if end - pos == 1 or (end - pos == 2 and buf[pos] == 0x0D):
                self.pos = end
                return end
            pos = end

    def at_eof(self, size: int) -> int:
        """End of the stream after ``size`` bytes: as a reader at end of file
        would, take the unterminated tail (if any) as a line, then an empty
        read; returns ``size``."""
        tail = size - self.pos
        if tail:
            if tail > self.max_line:
                raise LineTooLong("header line", self.max_line)
            self.lines += 1
            if self.lines > self.max_headers:
                raise TooManyHeaders(self.max_headers)
            if self.max_block is not None and size > self.max_block:
                raise HeaderBlockTooLarge(self.max_block)
        if self.lines + 1 > self.max_headers:
            raise TooManyHeaders(self.max_headers)
        return size

    def check_pending(self, size: int) -> None:
        """More data may come, or none: refuse now what every continuation
        would refuse, the end of the stream included.  A tail longer than
        max_line stays too long, one more line (the tail, the empty line, or
        the empty read at end of file) is one too many, and the block only
        grows."""
        if size - self.pos > self.max_line:
            raise LineTooLong("header line", self.max_line)
        if self.lines >= self.max_headers:
            raise TooManyHeaders(self.max_headers)
        if self.max_block is not None and size > self.max_block:
            raise HeaderBlockTooLarge(self.max_block)


def walk(
    buf: bytes | bytearray,
    max_line: int,
    max_headers: int,
    max_block: int | None,
    at_eof: bool,
) -> int:
    """Replay http.client's line loop over ``buf``.

    Returns the end of the header block, or -1 when more data is needed.  With
    ``at_eof`` the data is all there is: as a reader at end of file would,
    the unterminated last line (if any) and then an empty read end the block.

    :raises LineTooLong, TooManyHeaders, HeaderBlockTooLarge: at the first
        line that breaks a limit.
    """
    walker = _Walker(max_line, max_headers, max_block)
    end = walker.advance(buf)
    if end >= 0:
        return end
    if at_eof:
        return walker.at_eof(len(buf))
    walker.check_pending(len(buf))
    return -1


class HeaderBlockScanner:
    """Find the end of a header block in data that arrives piece by piece.

    The incremental form of :func:`find_header_block_end`, for servers and
    proxies: each byte is looked at once, however many pieces the block
    arrives in (calling :func:`find_header_block_end` on a growing buffer
    looks at the start again each time). Limits apply as in
    :func:`parse_headers`::

        scanner = HeaderBlockScanner()
        while (end := scanner.feed(sock.recv(4096))) < 0:
            pass
        fields = parse_header_block(scanner.data[:end])
        body_start = scanner.data[end:]

    :param max_line: see :class:`HeaderLimits`; ``None`` means the default in
        :data:`DEFAULT_LIMITS` when the scanner is made.
    :param max_headers: see :class:`HeaderLimits`.
    :param max_block_size: see :class:`HeaderLimits`.
    """

    def __init__(
        self,
        *,
        max_line: int | None = None,
        max_headers: int | None = None,
        max_block_size: int | None = None,
    ) -> None:
        self._walker = _Walker(*resolve(max_line, max_headers, max_block_size))
        self._data = bytearray()
        self._end = -1

    @property
    def data(self) -> bytearray:
        """Every byte fed so far (the block, and what came after it)."""
        return self._data

    def feed(self, data: Buffer) -> int:
        """Add the next bytes.

        :returns: the offset, in all the bytes fed, just past the empty line
            that ends the block; -1 while it has not arrived.
        :raises LineTooLong, TooManyHeaders, HeaderBlockTooLarge: as
            :func:`find_header_block_end` does, as soon as the data shows it.
        """
        self._data += data
        if self._end < 0:
            self._end = self._walker.advance(self._data)
            if self._end < 0:
                self._walker.check_pending(len(self._data))
        return self._end

    def end_of_input(self) -> int:
        """No more bytes will come: the block ends with the data, as at end
        of file in :func:`parse_headers`; returns its end."""
        if self._end < 0:
            self._end = self._walker.at_eof(len(self._data))
        return self._end


def window(
    data: Buffer, max_line: int, max_headers: int, max_block: int | None
) -> bytes | bytearray:
    """``data`` as something with ``find()``: a memoryview (of any item
    format) is copied, but only as far as can matter.  Within
    (max_headers + 1) * (max_line + 1) bytes the block has ended or a line
    has broken a limit, so the decision is the one the whole data gives."""
    if isinstance(data, memoryview):
        if not data.c_contiguous:
            data = memoryview(data.tobytes())
        view = data if data.format == "B" and data.ndim == 1 else data.cast("B")
        return view[: (max_headers + 1) * (max_line + 1)].tobytes()
    return data


def find_header_block_end(
    data: Buffer,
    *,
    max_line: int | None = None,
    max_headers: int | None = None,
    max_block_size: int | None = None,
) -> int:
    """Find where the header block at the start of ``data`` ends.

    For servers and proxies that hold received bytes in a buffer: call it each
    time more data arrives, and once it returns an offset, hand
    ``data[:offset]`` to :func:`parse_header_block`; the message body starts
    at ``offset``. The limits are applied as :func:`parse_headers` applies
    them, so a peer that sends an endless line or endless fields is refused as
    soon as the data shows it, and the buffer never needs to grow beyond the
    limits.

    :param data: the bytes received so far, starting at the first field line
        (after the request or status line); a memoryview of any item format
        is read as its bytes, and the offset counts bytes.
    :param max_line: see :class:`HeaderLimits`; ``None`` means the default
        in :data:`DEFAULT_LIMITS` at the time of the call.
    :param max_headers: see :class:`HeaderLimits`.
    :param max_block_size: see :class:`HeaderLimits`.
    :returns: the offset just past the empty line that ends the block, or -1
        if ``data`` does not hold a complete block yet.
    :raises LineTooLong: a line is longer than ``max_line``.
    :raises TooManyHeaders: the block has more than ``max_headers`` lines.
    :raises HeaderBlockTooLarge: the block is larger than ``max_block_size``.
    """
    max_line, max_headers, max_block = resolve(max_line, max_headers, max_block_size)
    buf = window(data, max_line, max_headers, max_block)
    end = quick_end(buf, max_line, max_headers, max_block)
    if end >= 0:
        return end
    return walk(buf, max_line, max_headers, max_block, at_eof=False)


@overload
def parse_header_block(
    data: Buffer,
    *,
    max_line: int | None = None,
    max_headers: int | None = None,
    max_block_size: int | None = None,
) -> HTTPMessage: ...
@overload
def parse_header_block(
    data: Buffer,
    _class: type[_M],
    *,
    max_line: int | None = None,
    max_headers: int | None = None,
    max_block_size: int | None = None,
) -> _M: ...
def parse_header_block(
    data: Buffer,
    _class: type[Message] = HTTPMessage,
    *,
    max_line: int | None = None,
    max_headers: int | None = None,
    max_block_size: int | None = None,
) -> Message:
    """Parse a header block held in memory: the sans-I/O twin of :func:`parse_headers`.

    ``data`` is the whole block, from the first field line to the empty line
    that ends it, as :func:`find_header_block_end` delimits it; data without
    that empty line is taken as a block cut short by the end of the stream,
    the way :func:`parse_headers` takes a file that ends early. The result is
    the one :func:`parse_headers` gives for the same bytes.

    :param data: ``bytes``, ``bytearray`` or ``memoryview``.
    :param _class: the class of the returned message, as for
        :func:`parse_headers`.
    :param max_line: see :class:`HeaderLimits`.
    :param max_headers: see :class:`HeaderLimits`.
    :param max_block_size: see :class:`HeaderLimits`.
    :raises ValueError: ``data`` goes on after the empty line that ends the
        block.
    :raises LineTooLong: a line is longer than ``max_line``.
    :raises TooManyHeaders: the block has more than ``max_headers`` lines.
    :raises HeaderBlockTooLarge: the block is larger than ``max_block_size``.
    """
    max_line, max_headers, max_block = resolve(max_line, max_headers, max_block_size)
    buf = window(data, max_line, max_headers, max_block)
    size = data.nbytes if isinstance(data, memoryview) else len(data)
    if isinstance(buf, bytes) and is_plain(_class):
        parsed = fast_crlf(buf, max_line, max_headers, max_block, _class)
        if parsed is not None and parsed[1] == size:
            return parsed[0]
    end = walk(buf, max_line, max_headers, max_block, at_eof=True)
    if end != size:
        raise ValueError(
            f"{size - end} bytes follow the empty line that ends the header block"
        )
    return parse_block(buf, _class)


def try_parse_header_block(
    data: bytes,
    start: int = 0,
    *,
    max_line: int | None = None,
    max_headers: int | None = None,
    max_block_size: int | None = None,
) -> tuple[HTTPMessage, int] | None:
    """Parse an ordinary, complete header block at ``data[start:]`` in one step.

    The fast path of :func:`parse_headers` for callers that hold received
    bytes (a client's peek at its buffer, a server's receive buffer): when
    the block is complete, every line is ``name: value`` ending in CRLF and
    it is well inside the limits, returns the message and the offset just
    past the block (``data`` may run on into the body). Otherwise returns
    ``None`` and the caller uses the general path
    (:func:`parse_header_block` or :func:`parse_headers`), which handles
    everything else exactly as :mod:`http.client` does.

    :param data: received bytes.
    :param start: where the header block starts in ``data``.
    :param max_line: see :class:`HeaderLimits`.
    :param max_headers: see :class:`HeaderLimits`.
    :param max_block_size: see :class:`HeaderLimits`.
    :returns: ``(message, end)``, or ``None`` when the general path must
        decide (a block that exceeds a limit gives ``None`` too: the
        general path raises the error).
    """
    max_line, max_headers, max_block = resolve(max_line, max_headers, max_block_size)
    parsed = fast_crlf(data, max_line, max_headers, max_block, HTTPMessage, start)
    return parsed  # type: ignore[return-value]  # an HTTPMessage, as asked
