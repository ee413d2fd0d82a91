# The file-based entry points: reading a header block from a binary file, as
# http.client does after the status line.
#
# Strategy: for the two readers http.client meets in practice -- the
# io.BufferedReader of socket.makefile() and io.BytesIO -- look at the bytes
# already in memory and, when the whole block is there, well-formed and
# inside the limits, parse it in place and consume exactly its bytes.
# Anything else (a block split across socket reads, an unusual file object, a
# limit close at hand, malformed lines) goes through the same
# readline(max_line + 1) loop as http.client, so the file is left where the
# standard library would leave it and errors are raised at the same line.
from __future__ import annotations

import io
from collections.abc import Iterable
from email.message import Message
from typing import Protocol, TypeVar, overload

from ._exceptions import HeaderBlockTooLarge, LineTooLong, TooManyHeaders
from ._limits import DEFAULT_LIMITS, resolve
from ._message import HTTPMessage
from ._parse import fast_crlf, is_plain, parse_block
from ._scan import quick_end

_M = TypeVar("_M", bound=Message)

# How far into an io.BytesIO to look for the end of the block before reading
# line by line: more than almost every real header block needs.
_BYTESIO_WINDOW = 16384


class Readable(Protocol):
    """What :func:`parse_headers` needs of a file: ``readline(limit)``."""

    def readline(self, size: int = -1, /) -> bytes: ...


def read_header_lines(
    fp: Readable,
    *,
    max_line: int | None = None,
    max_headers: int | None = None,
    max_block_size: int | None = None,
) -> list[bytes]:
    """Read the lines of a header block from ``fp``, final empty line included.

    The equivalent of ``http.client._read_headers``: the lines come back as
    read, line endings included, and the list ends with ``b"\\r\\n"``,
    ``b"\\n"`` or, at end of file, ``b""``.

    :param fp: a binary file positioned at the first field line.
    :param max_line: see :class:`HeaderLimits`; ``None`` means the default
        in :data:`DEFAULT_LIMITS` at the time of the call.
    :param max_headers: see :class:`HeaderLimits`.
    :param max_block_size: see :class:`HeaderLimits`.
    :raises LineTooLong: a line is longer than ``max_line``.
    :raises TooManyHeaders: the block has more than ``max_headers`` lines.
    :raises HeaderBlockTooLarge: the block is larger than ``max_block_size``.
    """
    limits = resolve(max_line, max_headers, max_block_size)
    return _read_lines(fp, *limits)


def _read_lines(
    fp: Readable, max_line: int, max_headers: int, max_block: int | None
) -> list[bytes]:
    lines: list[bytes] = []
    readline = fp.readline
    size = 0
    while True:
        line = readline(max_line + 1)
        if len(line) > max_line:
            raise LineTooLong("header line", max_line)
        lines.append(line)
        if len(lines) > max_headers:
            raise TooManyHeaders(max_headers)
        if max_block is not None:
            size += len(line)
            if size > max_block:
                raise HeaderBlockTooLarge(max_block)
        if line in (b"\r\n", b"\n", b""):
            return lines


def _read_block(
    fp: Readable, max_line: int, max_headers: int, max_block: int | None
) -> bytes:
    if type(fp) is io.BufferedReader:
        end = quick_end(fp.peek(), max_line, max_headers, max_block)
        if end >= 0:
            return fp.read(end)
    return b"".join(_read_lines(fp, max_line, max_headers, max_block))


@overload
def parse_headers(
    fp: Readable,
    *,
    max_line: int | None = None,
    max_headers: int | None = None,
    max_block_size: int | None = None,
) -> HTTPMessage: ...
@overload
def parse_headers(
    fp: Readable,
    _class: type[_M],
    *,
    max_line: int | None = None,
    max_headers: int | None = None,
    max_block_size: int | None = None,
) -> _M: ...
def parse_headers(
    fp: Readable,
    _class: type[Message] = HTTPMessage,
    *,
    max_line: int | None = None,
    max_headers: int | None = None,
    max_block_size: int | None = None,
) -> Message:
    """Read a header block from ``fp`` and return it as an :class:`HTTPMessage`.

    The same function as ``http.client.parse_headers``: it reads
    ``Name: value`` lines up to and including the empty line that ends them
    (or end of file), leaves ``fp`` at the first byte of the body, and returns
    the fields with their names as sent, repeated fields kept, in order. For
    any input the result is the one the standard library gives, malformed
    input included: the same fields, ``defects`` and payload. Well-formed
    blocks are parsed without :mod:`email.parser`, which is several times
    slower.

    :param fp: a binary file (``socket.makefile("rb")``, :class:`io.BytesIO`,
        anything with ``readline(limit)``) positioned after the status or
        request line.
    :param _class: the class of the returned message, a subclass of
        :class:`email.message.Message`.
    :param max_line: the longest accepted line in bytes; ``None`` means
        ``DEFAULT_LIMITS.max_line`` at the time of the call (65536).
    :param max_headers: the most lines accepted, final empty line included;
        ``None`` means ``DEFAULT_LIMITS.max_headers`` (100).
    :param max_block_size: the most bytes accepted for the whole block;
        ``None`` means ``DEFAULT_LIMITS.max_block_size`` (no limit).
    :raises LineTooLong: a line is longer than ``max_line``
        (``"got more than 65536 bytes when reading header line"``).
    :raises TooManyHeaders: the block has more than ``max_headers`` lines
        (``"got more than 100 headers"``).
    :raises HeaderBlockTooLarge: the block is larger than ``max_block_size``.
    """
    if max_line is None and max_headers is None and max_block_size is None:
        defaults = DEFAULT_LIMITS
        max_line = defaults.max_line
        max_headers = defaults.max_headers
        max_block = defaults.max_block_size
    else:
        max_line, max_headers, max_block = resolve(
            max_line, max_headers, max_block_size
        )
    kind = type(fp)
    if (kind is io.BytesIO or kind is io.BufferedReader) and (
        _class is HTTPMessage or is_plain(_class)
    ):
        # The block is usually in memory already: parse it there and consume
        # exactly its bytes.
        parsed: tuple[Message, int] | None
        if kind is io.BytesIO:
            memory: io.BytesIO = fp  # type: ignore[assignment]
            start = memory.tell()
            parsed = fast_crlf(
                memory.read(_BYTESIO_WINDOW), max_line, max_headers, max_block, _class
            )
            memory.seek(start if parsed is None else start + parsed[1])
        else:
            reader: io.BufferedReader = fp  # type: ignore[assignment]
            parsed = fast_crlf(reader.peek(), max_line, max_headers, max_block, _class)
            if parsed is not None:
                reader.read(parsed[1])
        if parsed is not None:
            return parsed[0]
    block = _read_block(fp, max_line, max_headers, max_block)
    return parse_block(block, _class)


@overload
def parse_header_lines(header_lines: Iterable[bytes]) -> HTTPMessage: ...
@overload
def parse_header_lines(header_lines: Iterable[bytes], _class: type[_M]) -> _M: ...
def parse_header_lines(
    header_lines: Iterable[bytes], _class: type[Message] = HTTPMessage
) -> Message:
    """Parse header lines already read, such as :func:`read_header_lines` returns.

    The equivalent of ``http.client._parse_header_lines``.

    :param header_lines: the lines, line endings included.
    :param _class: as for :func:`parse_headers`.
    :returns: a message of class ``_class``, the one :func:`parse_headers`
        returns for the same lines.
    """
    return parse_block(b"".join(header_lines), _class)
