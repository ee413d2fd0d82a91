# Incremental decoding of the chunked transfer coding (RFC 9112 section 7.1).
#
# Strategy: a push parser.  feed() walks the bytes it is given chunk by
# chunk and returns the chunk data as memoryview slices of those bytes, so no
# body byte is copied and memory never depends on a declared chunk size.
# Only the small pieces of framing that straddle two feeds (a size line, the
# CRLF after the data, the trailer section) are buffered, each bounded by a
# limit.  Strict where CPython is lenient: a chunk size is 1 to 16 hex
# digits and nothing else (CPython's int() takes "+5", "0x5", "1_0"), the
# CRLF after each chunk's data is checked (CPython discards two bytes
# unread, the bug class of h11 CVE-2025-43859), and the trailer section
# obeys the header limits (CPython reads an unbounded number of lines).
#
# Speed: servers send runs of equal-sized chunks, so a size line identical
# to the previous one is recognised with one startswith() and not parsed
# again.  A run of such chunks is decoded a batch at a time without a Python
# step per chunk: the framing bytes sit at a fixed stride, so a strided slice
# per framing byte (buf[offset::stride]) checks the whole batch against the
# expected bytes, and one itemgetter over precomputed slices cuts out every
# chunk's data as a memoryview.  The batch helpers are cached per size line
# and their construction is bounded per decoder, so a peer that keeps
# changing its chunk sizes only gets the per-chunk path.
from __future__ import annotations

import re
from operator import itemgetter

from httpcore_headers import (
    DEFAULT_LIMITS,
    HeaderBlockScanner,
    HTTPMessage,
    LineTooLong,
    parse_header_block,
)

from ._exceptions import IncompleteRead, InvalidChunk

Buffer = bytes | bytearray | memoryview

# chunk = chunk-size [ chunk-ext ] CRLF; chunk-size = 1*HEXDIG (at most 16:
# 2**64 - 1); BWS before ";" and OWS before the line end are tolerated, as a
# bare LF line end is (RFC 9112 section 2.2); the extension is skipped.
_SIZE_LINE = re.compile(rb"([0-9A-Fa-f]{1,16})[ \t]*(?:;[^\r\n]*)?\r?\n")

_SIZE, _DATA, _DATA_END, _TRAILER, _DONE = range(5)


def parse_chunk_size(line: bytes) -> int:
    """The size of a chunk from its chunk-size line (RFC 9112 section 7.1).

    For readers that take the framing line by line, as
    ``http.client.HTTPResponse`` does: 1 to 16 hex digits, an optional
    extension (skipped), optional trailing spaces or tabs, and CRLF or LF.

    :param line: the line as read, line ending included.
    :raises InvalidChunk: anything else, such as ``b"+5\\r\\n"``,
        ``b"0x5\\r\\n"`` or ``b"1_0\\r\\n"``, which ``int(line, 16)`` takes.
    """
    match = _SIZE_LINE.fullmatch(line)
    if match is None:
        raise InvalidChunk(
            f"chunk-size line {line!r} is not 1 to 16 hex digits"
            " followed by an optional extension"
        )
    return int(match.group(1), 16)


_BATCHES = (32, 16, 8, 4)  # chunks per batch, largest first
# Size lines longer than this (an extension) get no batch helper: its size
# grows with the line, and such lines are not what servers repeat.
_RUN_LINE_MAX = 24
_RUN_BUILDS = 8  # batch helpers one decoder may build
_runs: dict[bytes, _Run] = {}


class _Run:
    """Decodes consecutive chunks that all have the same size line."""

    __slots__ = ("batches", "stride")

    def __init__(self, line: bytes, size: int) -> None:
        start = len(line)
        self.stride = stride = start + size + 2
        framing = line + b"\r\n"
        offsets = [*range(start), start + size, start + size + 1]
        self.batches = [
            (
                count * stride,
                [
                    (offset, framing[i : i + 1] * count)
                    for i, offset in enumerate(offsets)
                ],
                itemgetter(
                    *[
                        slice(k * stride + start, k * stride + start + size)
                        for k in range(count)
                    ]
                ),
            )
            for count in _BATCHES
        ]

    def decode(
        self, buf: bytes, view: memoryview, pos: int, end: int, out: list[memoryview]
    ) -> int:
        """Append the data of the run's chunks in ``buf[pos:end]`` to ``out``,
        batch by batch while the framing checks out; returns where it stopped."""
        stride = self.stride
        for span, checks, getter in self.batches:
            while pos + span <= end:
                stop = pos + span
                for offset, expected in checks:
                    if buf[pos + offset : stop : stride] != expected:
                        break
                else:
                    out += getter(view[pos:stop])
                    pos = stop
                    continue
                break
        return pos


class ChunkedDecoder:
    """Decode a body sent with ``Transfer-Encoding: chunked``, incrementally.

    Feed it the bytes as they arrive, split anywhere; it returns the body data
    they complete, and once the last chunk and the trailer section have
    arrived, :attr:`done` is true, :attr:`trailers` holds the trailer fields
    and :attr:`unused` the bytes that followed the body (the start of the
    next message on a persistent connection)::

        decoder = ChunkedDecoder()
        while not decoder.done:
            data = sock.recv(65536)
            if not data:
                decoder.end_of_input()  # raises IncompleteRead
            for piece in decoder.feed(data):
                out.write(piece)

    :param max_line: the longest accepted chunk-size line (extensions
        included) or trailer line, in bytes; ``None`` means
        ``httpcore_headers.DEFAULT_LIMITS.max_line`` (65536, CPython's
        ``_MAXLINE``).
    :param max_trailer_lines: the most trailer lines accepted, final empty
        line included; ``None`` means ``DEFAULT_LIMITS.max_headers`` (100).
    :param max_trailer_size: the most bytes accepted for the trailer
        section; ``None`` means ``DEFAULT_LIMITS.max_block_size`` (no limit
        beyond the other two).
    """

    def __init__(
        self,
        *,
        max_line: int | None = None,
        max_trailer_lines: int | None = None,
        max_trailer_size: int | None = None,
    ) -> None:
        defaults = DEFAULT_LIMITS
        self._max_line = defaults.max_line if max_line is None else max_line
        self._max_trailer_lines = (
            defaults.max_headers if max_trailer_lines is None else max_trailer_lines
        )
        self._max_trailer_size = (
            defaults.max_block_size if max_trailer_size is None else max_trailer_size
        )
        self._state = _SIZE
        self._left = 0  # body bytes still due in the current chunk
        self._pending = b""  # framing bytes carried over from the last feed
        self._last_line = b""  # the last size line, for the fast path
        self._last_size = 0
        self._run: _Run | None = None  # decodes runs of last_line chunks
        self._run_builds = 0
        self._trailers: HTTPMessage | None = None
        self._trailer_scanner: HeaderBlockScanner | None = None
        self._unused = b""
        self._received = 0  # body bytes decoded so far

    @property
    def done(self) -> bool:
        """Whether the last chunk and the trailer section have been decoded."""
        return self._state == _DONE

    @property
    def trailers(self) -> HTTPMessage | None:
        """The trailer fields (an empty message if there were none), once
        :attr:`done`; ``None`` before."""
        return self._trailers

    @property
    def unused(self) -> bytes:
        """Bytes fed after the end of the chunked body."""
        return self._unused

    @property
    def chunk_left(self) -> int | None:
        """Bytes still due in the current chunk, or ``None`` between chunks
        (the meaning of ``http.client.HTTPResponse.chunk_left``)."""
        return self._left if self._state == _DATA else None

    @property
    def received(self) -> int:
        """How many body bytes have been decoded so far."""
        return self._received

    def feed(self, data: Buffer) -> list[memoryview]:
        """Decode the next bytes of the chunked body.

        :param data: the next bytes, as received; may be empty.
        :returns: the body data they complete, in order, as memoryview
            slices of the bytes fed (a ``bytearray`` or ``memoryview`` is
            copied first, so the slices stay valid whatever the caller does
            with its buffer).
        :raises InvalidChunk: the framing does not follow RFC 9112.
        :raises LineTooLong: a chunk-size or trailer line exceeds
            ``max_line``.
        :raises httpcore_headers.TooManyHeaders: the trailer section has too
            many lines.
        :raises httpcore_headers.HeaderBlockTooLarge: the trailer section
            exceeds ``max_trailer_size``.
        """
        if self._state == _DONE:
            self._unused += data
            return []
        if self._pending:
            buf = self._pending + data
            self._pending = b""
        elif isinstance(data, bytes):
            buf = data
        else:
            buf = bytes(data)
        out: list[memoryview] = []
        view = memoryview(buf)
        size = len(buf)
        pos = 0
        state = self._state
        last_line = self._last_line
        last_size = self._last_size
        try:
            while pos < size:
                if state == _SIZE:
                    if last_line and buf.startswith(last_line, pos):
                        run = self._run or self._new_run(last_line, last_size)
                        if run is not None and size - pos >= run.batches[-1][0]:
                            after = run.decode(buf, view, pos, size, out)
                            if after != pos:
                                pos = after
                                continue
                        start = pos + len(last_line)
                        chunk = last_size
                    else:
                        newline = buf.find(b"\n", pos)
                        if newline < 0:
                            if size - pos > self._max_line:
                                raise LineTooLong("chunk size", self._max_line)
                            self._pending = buf[pos:]
                            break
                        start = newline + 1
                        chunk = self._parse_size_line(buf, pos, start)
                        if chunk and buf[pos:start] != last_line:
                            last_line, last_size = buf[pos:start], chunk
                            self._run = None
                    if chunk == 0:
                        pos = start
                        state = _TRAILER
                        continue
                    end = start + chunk
                    if end + 2 <= size:
                        if not buf.startswith(b"\r\n", end):
                            raise self._bad_chunk_end(buf[end : end + 2])
                        out.append(view[start:end])
                        pos = end + 2
                        continue
                    if end <= size:
                        out.append(view[start:end])
                        pos = end
                        state = _DATA_END
                    else:
                        if start < size:
                            out.append(view[start:])
                        self._left = end - size
                        pos = size
                        state = _DATA
                elif state == _DATA:
                    end = pos + self._left
                    if end <= size:
                        out.append(view[pos:end])
                        pos = end
                        state = _DATA_END
                    else:
                        out.append(view[pos:])
                        self._left = end - size
                        pos = size
                elif state == _DATA_END:
                    if size - pos < 2:
                        if buf[pos : pos + 1] != b"\r":
                            raise self._bad_chunk_end(buf[pos:])
                        self._pending = buf[pos:]
                        break
                    if not buf.startswith(b"\r\n", pos):
                        raise self._bad_chunk_end(buf[pos : pos + 2])
                    pos += 2
                    state = _SIZE
                else:  # _TRAILER
                    pos = self._feed_trailer(buf, pos)
                    if self._trailers is not None:
                        state = _DONE
                        self._unused = buf[pos:]
                    break
        except InvalidChunk as error:
            error.partial = b"".join(out)
            error.args = (error.partial,)
            raise
        finally:
            self._state = state
            self._last_line = last_line
            self._last_size = last_size
        self._received += sum(map(len, out))
        return out

    def _new_run(self, line: bytes, size: int) -> _Run | None:
        """The batch helper for chunks with this size line, from the cache or
        built within this decoder's budget; ``None`` once that is spent."""
        run = _runs.get(line)
        if run is None:
            if self._run_builds >= _RUN_BUILDS or len(line) > _RUN_LINE_MAX:
                return None
            self._run_builds += 1
            if len(_runs) >= 64:
                _runs.clear()
            run = _runs[line] = _Run(line, size)
        self._run = run
        return run

    def decode(self, data: Buffer) -> bytes:
        """:meth:`feed`, with the pieces joined into one ``bytes``."""
        return b"".join(self.feed(data))

    def end_of_input(self) -> None:
        """Tell the decoder that no more bytes will come.

        A body that stops after the last chunk, inside or before the trailer
        section, is accepted as :mod:`http.client` accepts it (some servers
        close without the final empty line); anything shorter is not.

        :raises IncompleteRead: the body ended before its last chunk; its
            ``expected`` is the rest of the current chunk when known.
        """
        if self._state == _DONE:
            return
        if self._state == _TRAILER:
            scanner = self._trailer_scanner
            if scanner is None:
                self._finish_trailer(b"")
            else:
                end = scanner.end_of_input()
                self._finish_trailer(bytes(scanner.data[:end]))
            return
        expected = self._left if self._state == _DATA else None
        raise IncompleteRead(b"", expected)

    def _parse_size_line(self, buf: bytes, start: int, end: int) -> int:
        if end - start > self._max_line:
            raise LineTooLong("chunk size", self._max_line)
        match = _SIZE_LINE.fullmatch(buf, start, end)
        if match is None:
            return parse_chunk_size(buf[start:end])  # raises InvalidChunk
        return int(match.group(1), 16)

    def _bad_chunk_end(self, found: bytes) -> InvalidChunk:
        return InvalidChunk(f"chunk data is followed by {found!r} instead of CRLF")

    def _feed_trailer(self, buf: bytes, pos: int) -> int:
        """Scan trailer bytes (each byte once, however they are split);
        returns the position after the trailer section, or the end of
        ``buf`` if it is not complete yet."""
        scanner = self._trailer_scanner
        if scanner is None:
            scanner = self._trailer_scanner = HeaderBlockScanner(
                max_line=self._max_line,
                max_headers=self._max_trailer_lines,
                max_block_size=self._max_trailer_size,
            )
        before = len(scanner.data)
        end = scanner.feed(memoryview(buf)[pos:])
        if end < 0:
            return len(buf)
        self._finish_trailer(bytes(scanner.data[:end]))
        return pos + end - before

    def _finish_trailer(self, section: bytes) -> None:
        self._trailers = parse_header_block(
            section,
            max_line=self._max_line,
            max_headers=self._max_trailer_lines,
            max_block_size=self._max_trailer_size,
        )
        self._trailer_scanner = None
        self._state = _DONE
