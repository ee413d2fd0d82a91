# The exceptions raised on the wire layer.  Their constructors, attributes,
# repr() and str() are those of http.client's classes of the same name,
# because callers construct and subclass them (urllib3 subclasses
# IncompleteRead without calling its __init__).  HTTPException and
# LineTooLong come from httpcore_headers, the root of the one hierarchy.
from __future__ import annotations

from httpcore_headers import HTTPException


class InvalidURL(HTTPException):
    """A URL, request target or host name that cannot be sent: control
    characters or spaces in it, or a port that is not a number.

    Constructed as :mod:`http.client` does, with the message as the only
    argument.
    """


class UnknownProtocol(HTTPException):
    """The status line names an HTTP version other than 0.9, 1.0 or 1.x.

    :param version: the version string, also kept as :attr:`version`.
    """

    def __init__(self, version: str) -> None:
        self.args = (version,)
        self.version = version


class UnknownTransferEncoding(HTTPException):
    """Kept for compatibility with :mod:`http.client`, which defines it but
    never raises it; httpcore does not raise it either."""


class BadStatusLine(HTTPException):
    """The status line could not be parsed.

    :param line: the line received, also kept as :attr:`line`; an empty line
        is stored as its ``repr()``, as CPython does.
    """

    def __init__(self, line: str) -> None:
        if not line:
            line = repr(line)
        self.args = (line,)
        self.line = line


class IncompleteRead(HTTPException):
    """The body ended before its declared end.

    :param partial: the bytes read before the body ended, kept as
        :attr:`partial`.
    :param expected: how many more bytes were expected, if known, kept as
        :attr:`expected`.
    """

    def __init__(self, partial: bytes, expected: int | None = None) -> None:
        self.args = (partial,)
        self.partial = partial
        self.expected = expected

    def __repr__(self) -> str:
        more = "" if self.expected is None else f", {self.expected} more expected"
        return f"{self.__class__.__name__}({len(self.partial)} bytes read{more})"

    __str__ = object.__str__


class InvalidChunk(IncompleteRead):
    """Chunked framing that does not follow RFC 9112 section 7.1.

    An :class:`IncompleteRead`, which is what :mod:`http.client` raises for a
    chunk-size line it cannot parse, with :attr:`reason` saying what was wrong.

    :param reason: what was wrong, for example
        ``"chunk size b'0x5' is not 1 to 16 hex digits"``.
    :param partial: body bytes decoded before the error, if any.
    """

    def __init__(self, reason: str, partial: bytes = b"") -> None:
        super().__init__(partial)
        self.reason = reason

    def __reduce__(self) -> tuple[type[InvalidChunk], tuple[str, bytes]]:
        return type(self), (self.reason, self.partial)

    def __repr__(self) -> str:
        return f"{self.__class__.__name__}({self.reason!r})"

    def __str__(self) -> str:
        return self.reason


class InvalidContentLength(HTTPException):
    """A response's Content-Length is not a plain decimal number, or several
    Content-Length values disagree (RFC 9112 section 6.3, rule 5): the
    response's framing cannot be trusted, so the connection must be closed.

    :mod:`http.client` has no such error: it reads such a body until the
    connection closes, or uses the first value. The message names the
    offending value.
    """


class AmbiguousFraming(HTTPException):
    """A message's header block holds a line that parsers read in different
    ways (see :func:`httpcore_headers.ambiguous_lines`), and a framing field --
    Content-Length or Transfer-Encoding -- is among those lines: two
    parsers on the path may disagree about where the message ends, which is
    how responses are smuggled (RFC 9112 sections 2.2, 5.1 and 5.2).

    :mod:`http.client` has no such error: it frames the body by the fields
    its parser happened to see. The message quotes the line.
    """


class TooManyInterimResponses(HTTPException):
    """More 1xx interim responses arrived before the final response than the
    limit allows (``max_interim_responses``, 100 by default).

    :param limit: the limit that was exceeded, also kept as :attr:`limit`.
    """

    def __init__(self, limit: int) -> None:
        self.limit = limit
        HTTPException.__init__(
            self, f"got more than {limit} interim responses (max_interim_responses)"
        )

    def __reduce__(self) -> tuple[type[TooManyInterimResponses], tuple[int]]:
        return type(self), (self.limit,)
