# HTTPResponse: the standard library's class, attribute for attribute.
#
# Strategy: keep http.client's structure -- ``fp`` is the socket's buffered
# reader, the body is read through it with the same private methods
# (_read_status, _safe_read, _get_chunk_left, ...) that urllib3 and botocore
# call or override -- and put the project's parsing and framing underneath:
# httpcore_headers for the fields, httpcore_wire for the status line, the
# body framing (RFC 9112 section 6.3) and chunk sizes.  Safer than CPython:
# every 1xx but 101 is skipped and their number bounded, chunk sizes and the
# CRLF after chunk data are checked, trailers are bounded and kept, nothing
# is allocated from a declared length, a body whose Content-Length the RFC
# calls invalid is not read as CPython would read it, and a connection whose
# response ended early is not used again.  A body that ends early comes back
# short from read(amt) and friends, as in CPython, unless
# enforce_content_length asks for IncompleteRead.
#
# The class is put together from one module per concern: _head.py reads the
# status line and fields, _body.py the body, _chunked_body.py a chunked
# body; this module holds the constructor, closing and the header API.
from __future__ import annotations

import io
import socket
from collections.abc import Iterator
from email.message import Message
from typing import TYPE_CHECKING, Any

from httpcore_headers import (
    HTTPMessage,
)
from httpcore_wire import (
    DEFAULT_MAX_INTERIM_RESPONSES,
    InvalidContentLength,
)

from ._body import BodyReading
from ._chunked_body import ChunkedReading
from ._constants import _UNKNOWN
from ._exceptions import ResponseNotReady
from ._head import ResponseHead
from ._stream import unsettle

if TYPE_CHECKING:
    from ._exchange_log import Exchange


class HTTPResponse(ResponseHead, BodyReading, ChunkedReading, io.BufferedIOBase):
    """A response to a request on an :class:`HTTPConnection`.

    The same class as ``http.client.HTTPResponse``: a readable binary stream
    with ``status``, ``reason``, ``version``, ``headers`` (``msg``),
    ``read()``, ``readinto()``, ``read1()``, ``peek()``, ``readline()``,
    ``getheader()``, ``getheaders()``, iteration and ``with``. New:
    :attr:`trailers` holds the trailer fields of a chunked body once it has
    been read.

    :param sock: the connected socket; the response reads from
        ``sock.makefile("rb")``.
    :param debuglevel: above 0, print the status line and fields as they are
        read, in :mod:`http.client`'s format.
    :param method: the request method (a ``HEAD`` response has no body).
    :param url: kept as :attr:`url` for :meth:`geturl`.
    """

    #: The most 1xx responses skipped before the final response.
    max_interim_responses: int = DEFAULT_MAX_INTERIM_RESPONSES
    #: The most header lines accepted; ``None`` follows
    #: ``httpcore_headers.DEFAULT_LIMITS.max_headers`` (``_MAXHEADERS``).
    max_headers: int | None = None
    #: The trailer fields of a chunked body, once it has been read to its end
    #: (``None`` before, and for other bodies).
    trailers: Message | None = None
    # The exchange the "httpcore_client" logger records, if it does
    # (_exchange_log.py): emitted when the response is closed.
    _exchange: Exchange | None = None
    #: Raise :exc:`IncompleteRead` from ``read(amt)``, :meth:`readinto`,
    #: :meth:`read1` and :meth:`readline` when the connection closes before
    #: the end of the body that Content-Length announced. Off by default, as
    #: in :mod:`http.client`: those return the bytes that arrived, then
    #: ``b""``, and callers compare lengths themselves (urllib3's
    #: ``enforce_content_length``, :func:`urllib.request.urlretrieve`).
    #: ``read()`` of the whole body always raises.
    enforce_content_length: bool = False

    # Set when the body was not read to its end or its framing was bad: the
    # connection must not be used for another request.  (Class attributes
    # until they change: every response would otherwise set them.)
    _broken = False
    # Whether fp is the connection's shared reader, which the connection
    # closes (see _take_reader()), rather than this response's own.
    _shared_fp = False
    # Whether the body was read through this object's read methods (as
    # opposed to fp directly, as urllib3 reads chunked bodies).
    _reading = False
    # Why the body must not be read: its Content-Length is one that CPython
    # would trust but RFC 9112 section 6.3 calls invalid (see _unframed).
    _refusal: InvalidContentLength | None = None
    # The head holds a line that parsers read in different ways, away from
    # the framing fields: the connection ends with this response.
    _ambiguous = False

    # The values before begin() reads the head, as class attributes: a
    # response gets its own once begin() has run (or __init__ was given them).
    #: The header fields (an :class:`~httpcore_headers.HTTPMessage`), once
    #: :meth:`begin` has read them.
    headers: HTTPMessage | None = None
    #: The same object as :attr:`headers` (the older name).
    msg: HTTPMessage | None = None
    #: 10 for HTTP/1.0, 11 for HTTP/1.1.
    version: Any = _UNKNOWN
    #: The status code, an ``int``.
    status: Any = _UNKNOWN
    #: The reason phrase, white space stripped.
    reason: Any = _UNKNOWN
    #: Whether the body is chunked.
    chunked: Any = _UNKNOWN
    #: Bytes left in the current chunk (``None`` between chunks).
    chunk_left: Any = _UNKNOWN
    #: Body bytes still to come when the length is known, else ``None``.
    length: Any = _UNKNOWN
    #: Whether the connection ends with this response.
    will_close: Any = _UNKNOWN
    #: The URL given to the constructor, for :meth:`geturl`.
    url: str | None = None
    debuglevel: int = 0
    fp: Any = None

    def __init__(
        self,
        sock: Any,
        debuglevel: int = 0,
        method: str | None = None,
        url: str | None = None,
    ) -> None:
        self._sock = sock
        self.fp = sock.makefile("rb")
        self.debuglevel = debuglevel
        self._method = method
        self.url = url

    def _take_reader(self, reader: Any) -> bool:
        """Read with ``reader``, the connection's shared reader (see
        _stream.py), in place of the makefile() reader __init__ made: bytes
        the connection's reader holds are this response's.  getresponse()
        calls it on a response it constructed, before begin().

        Returns False, changing nothing, when ``fp`` is not that reader,
        untouched: a subclass wrapped or replaced it.
        """
        fp = self.fp
        if (
            self.headers is not None
            or type(fp) is not io.BufferedReader
            or type(fp.raw) is not socket.SocketIO
            or fp.raw._sock is not self._sock  # type: ignore[attr-defined]
        ):
            return False
        self.fp = reader
        self._shared_fp = True
        fp.close()
        return True

    @classmethod
    def _from_connection(
        cls,
        sock: Any,
        reader: Any,
        method: str | None,
        max_headers: int | None,
        max_interim_responses: int,
        enforce_content_length: bool = False,
    ) -> HTTPResponse:
        """getresponse()'s way to make its own class of response: what
        ``__init__`` makes of the connection's reader, with its head already
        read as begin() reads it (in one pass when that applies)."""
        self = cls.__new__(cls)
        self._shared_fp = True
        self._sock = sock
        self.fp = reader
        self._method = method
        if max_headers is not None:
            self.max_headers = max_headers
        if max_interim_responses != DEFAULT_MAX_INTERIM_RESPONSES:
            self.max_interim_responses = max_interim_responses
        if enforce_content_length:
            self.enforce_content_length = True
        try:
            self.begin()
        except BaseException:
            self.close()
            raise
        return self

    # -- closing -------------------------------------------------------------

    def _close_conn(self) -> None:
        fp = self.fp
        self.fp = None
        exchange = self._exchange
        if exchange is not None:
            self._exchange = None
            received = exchange.received(getattr(fp, "raw", None))
            exchange.emit(self.status, self.reason, received)
        # A reader shared with the connection stays open for the next
        # response, unless the socket was closed meanwhile (urllib.request
        # closes h.sock right after getresponse()): then, as in http.client,
        # the socket ends with the response.
        if not self._shared_fp or getattr(self._sock, "_closed", False):
            fp.close()

    def close(self) -> None:
        try:
            super().close()  # sets the "closed" flag
        finally:
            if self.fp:
                # Closed part way through a body read with our methods (an
                # empty body is over; a body read through fp is the
                # reader's business, as in http.client).
                if self._reading and (self.chunked or self.length):
                    self._broken = True
                if self._shared_fp:
                    unsettle(self.fp)  # its bytes may not all have been read
                self._close_conn()

    def readable(self) -> bool:
        """Always returns True."""
        return True

    def __del__(self) -> None:
        # io.IOBase's finalizer calls close() on a response not closed yet,
        # which for one whose body was read to its end (fp is None) only sets
        # the closed flag of an object about to vanish: skip that call, which
        # costs more than the rest of the clean-up, unless a subclass
        # replaced close() or flush() (IOBase.close() calls flush()).
        cls = type(self)
        if self.fp is None and cls.close is _CLOSE and cls.flush is _FLUSH:
            return
        super().__del__()

    def isclosed(self) -> bool:
        """True once the body has been read to its end or the response closed."""
        return self.fp is None

    # -- the rest of the API ---------------------------------------------------

    def fileno(self) -> int:
        return int(self.fp.fileno())

    def getheader(self, name: str, default: Any = None) -> Any:
        """The value of field ``name``; several fields are joined with
        ``", "``; ``default`` if there is none.

        :raises ResponseNotReady: the fields have not been read yet.
        """
        if self.headers is None:
            raise ResponseNotReady()
        headers = self.headers.get_all(name) or default
        if isinstance(headers, str) or not hasattr(headers, "__iter__"):
            return headers
        return ", ".join(headers)

    def getheaders(self) -> list[tuple[str, str]]:
        """The fields as a list of ``(name, value)`` pairs.

        :raises ResponseNotReady: the fields have not been read yet.
        """
        if self.headers is None:
            raise ResponseNotReady()
        return list(self.headers.items())

    def __iter__(self) -> Iterator[bytes]:
        # IOBase.__iter__ checks closed-ness first; http.client's does not.
        return self

    def info(self) -> HTTPMessage | None:
        """The header fields (for old-style urllib responses)."""
        return self.headers

    def geturl(self) -> str | None:
        """The URL the response is for, as given to the constructor."""
        return self.url

    def getcode(self) -> Any:
        """The status code."""
        return self.status


_CLOSE = HTTPResponse.close
_FLUSH = HTTPResponse.flush
