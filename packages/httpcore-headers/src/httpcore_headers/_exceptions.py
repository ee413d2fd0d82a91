# The root of the project's one exception hierarchy, and the header-block
# limit errors.  Every other package defines its exceptions as subclasses of
# HTTPException and re-exports these, so ``except HTTPException`` catches
# everything whichever package a caller imported it from.
from __future__ import annotations

from . import _limits


class HTTPException(Exception):
    """Base class of every exception raised by the httpcore packages.

    The same class as ``httpcore_compat.HTTPException`` (and
    ``httpcore_compat.error``), re-exported by every package: catching it
    catches everything the project raises on purpose. Errors of the socket
    and of TLS stay :exc:`OSError` and :exc:`ssl.SSLError`, as in
    :mod:`http.client`.
    """


class LineTooLong(HTTPException):
    """A line of the message (header, status or chunk-size line) exceeded the
    line-length limit.

    The message reads ``"got more than 65536 bytes when reading header line"``,
    exactly as the standard library's does.

    :param line_type: what was being read, for example ``"header line"``.
    :param limit: the limit that was exceeded; defaults to the process-wide
        :attr:`HeaderLimits.max_line` in :data:`DEFAULT_LIMITS`, as CPython
        uses ``http.client._MAXLINE``.
    """

    def __init__(self, line_type: str, limit: int | None = None) -> None:
        if limit is None:
            limit = _limits.DEFAULT_LIMITS.max_line
        self.line_type = line_type
        self.limit = limit
        HTTPException.__init__(
            self, f"got more than {limit} bytes when reading {line_type}"
        )

    def __reduce__(self) -> tuple[type[LineTooLong], tuple[str, int]]:
        # args holds the message, not the constructor's arguments: rebuild
        # from those, so that a copy or a pickled copy reads the same
        # (CPython's LineTooLong garbles its message there).
        return type(self), (self.line_type, self.limit)


class TooManyHeaders(HTTPException):
    """The header block had more lines than the header-count limit.

    The message reads ``"got more than 100 headers"``, as CPython's does (CPython
    raises a plain :class:`HTTPException` with that message, which this class is).

    :param limit: the limit that was exceeded.
    """

    def __init__(self, limit: int) -> None:
        self.limit = limit
        HTTPException.__init__(self, f"got more than {limit} headers")

    def __reduce__(self) -> tuple[type[TooManyHeaders], tuple[int]]:
        return type(self), (self.limit,)


class HeaderBlockTooLarge(HTTPException):
    """The header block was larger than the optional ``max_block_size`` limit.

    The standard library has no such limit; it is off unless a caller sets it.

    :param limit: the limit that was exceeded, in bytes.
    """

    def __init__(self, limit: int) -> None:
        self.limit = limit
        HTTPException.__init__(
            self, f"header block larger than {limit} bytes (max_block_size)"
        )

    def __reduce__(self) -> tuple[type[HeaderBlockTooLarge], tuple[int]]:
        return type(self), (self.limit,)
