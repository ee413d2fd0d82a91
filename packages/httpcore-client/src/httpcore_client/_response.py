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
from __future__ import annotations

import io
from collections.abc import Iterator
from email.message import Message
from typing import Any, NoReturn

from httpcore_headers import (
    DEFAULT_LIMITS,
    HTTPMessage,
    LineTooLong,
    ambiguous_lines,
    parse_header_lines,
    read_header_lines,
    try_parse_header_block,
)
from httpcore_wire import (
    DEFAULT_MAX_INTERIM_RESPONSES,
    BadStatusLine,
    IncompleteRead,
    InvalidChunk,
    InvalidContentLength,
    TooManyInterimResponses,
    ambiguous_framing,
    is_interim,
    keep_alive_refused,
    match_final_status,
    parse_chunk_size,
    parse_status_line,
    response_framing,
    response_framing_of_fields,
    version_number,
)

from . import _chunked_body, _debug
from ._collect import collect
from ._constants import _UNKNOWN
from ._exceptions import RemoteDisconnected, ResponseNotReady
from ._reader import buffered, ragged_eof

# A connection keeps one buffered reader for its socket, so that a response
# does not build (and tear down) a makefile() reader of its own: the
# connection's state machine lets only one response read at a time.
# getresponse() hands the reader to the response it constructs through this
# slot, set only around the constructor call.  A response takes it only if
# it is for its own socket, so threads racing on the slot can only cost each
# other the shortcut (they fall back to makefile()), never a wrong reader;
# HTTPResponse made any other way uses makefile() as http.client does.
_handoff: list[tuple[Any, Any] | None] = [None]

# Bodies are read in pieces of at most this size, so that a declared length
# (Content-Length: 10**18, a chunk of 2**60 bytes) costs memory only as the
# bytes arrive.
_READ_PIECE = 1 << 20


class HTTPResponse(io.BufferedIOBase):
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
        handed = _handoff[0]
        self._sock = sock
        # Whether fp belongs to the connection (which closes it) or to us.
        if handed is not None and handed[0] is sock:
            self._shared_fp = True
            self.fp = handed[1]
        else:
            self._shared_fp = False
            self.fp = sock.makefile("rb")
        self.debuglevel = debuglevel
        self._method = method
        self.url = url

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

    # -- the status line and header fields ---------------------------------

    def _read_status(self) -> tuple[str, int, str]:
        max_line = DEFAULT_LIMITS.max_line
        line = str(self.fp.readline(max_line + 1), "iso-8859-1")
        if len(line) > max_line:
            raise LineTooLong("status line", max_line)
        if self.debuglevel > 0:
            _debug.emit("reply:", repr(line))
        if not line:
            # The server closed the connection before sending a response.
            raise RemoteDisconnected("Remote end closed connection without response")
        try:
            return parse_status_line(line)
        except BadStatusLine:
            if not line.startswith("HTTP/", len(line) - len(line.lstrip())):
                self._close_conn()
            raise

    def _begin_at_once(self) -> bool:
        """The common case of begin(), in one pass: a final HTTP/1.x
        response whose status line and well-formed fields are already in the
        buffer.

        Parses them from one peek() and consumes them with one read();
        returns False, having consumed nothing, whenever the exact path must
        run (an interim or unusual status line, unusual fields, a limit
        close at hand, data still to come).
        """
        data = self.fp.peek()
        status_line = match_final_status(data)
        if status_line is None or status_line.end > DEFAULT_LIMITS.max_line:
            return False
        parsed = try_parse_header_block(
            data, status_line.end, max_headers=self.max_headers
        )
        if parsed is None:
            return False
        self.headers = self.msg = message = parsed[0]
        self.fp.read(parsed[1])
        self.code = self.status = status = status_line.status
        self.reason = status_line.reason
        self.version = version = status_line.version
        # The parser's own (name, value) pairs: values exactly as get_all()
        # would return them (strings decoded from bytes hold no surrogates).
        try:
            self.chunked, self.length, self.will_close = response_framing_of_fields(
                self._method,
                status,
                version,
                message._headers,  # type: ignore[attr-defined]
            )
        except InvalidContentLength as error:
            self.chunked, self.length, self.will_close = self._unframed(error)
        self.chunk_left = None if self.chunked else _UNKNOWN
        return True

    def _read_final_status(self) -> tuple[str, int, str]:
        """The first status line that is not an interim (1xx) one, skipping
        the fields of those before it, at most max_interim_responses."""
        interim = 0
        while True:
            version, status, reason = self._read_status()
            if not is_interim(status):
                break
            interim += 1
            if interim > self.max_interim_responses:
                raise TooManyInterimResponses(self.max_interim_responses)
            skipped = read_header_lines(self.fp, max_headers=self.max_headers)
            if self.debuglevel > 0:
                _debug.emit("headers:", skipped)
            self._check_complete(skipped)
            if ambiguous_lines(skipped):
                # Another parser may see the next status line elsewhere.
                self._ambiguous = True
            del skipped
        return version, status, reason

    def begin(self) -> None:
        """Read the status line and header fields (``getresponse()`` does)."""
        if self.headers is not None:
            return
        if not (
            self._shared_fp
            and self.debuglevel <= 0
            and type(self)._read_status is HTTPResponse._read_status
            and self._begin_at_once()
        ):
            self._begin()
        if (
            self.length == 0
            and not self.will_close
            and self._shared_fp
            and self.status != 101
            and buffered(self.fp)
        ):
            # Bytes behind a response without a body (a HEAD or 204 answered
            # with one): nobody asked for them, so the connection ends here
            # rather than serve them as the next response.  (After a 101
            # they are the new protocol's, for the caller to read.)
            self.will_close = True

    def _begin(self) -> None:
        """begin() the long way: interim responses skipped, every status
        line and header block the exact parser's."""
        version, status, reason = self._read_final_status()
        self.code = self.status = status
        self.reason = reason.strip()
        self.version = version_number(version)
        self.headers = self.msg = self._read_fields()
        if self.debuglevel > 0:
            for name, value in self.headers.items():
                _debug.emit("header:", name + ":", value)

        try:
            self.chunked, self.length, self.will_close = response_framing(
                self._method, status, self.version, self.headers
            )
        except InvalidContentLength as error:
            self.chunked, self.length, self.will_close = self._unframed(error)
        self.chunk_left = None if self.chunked else _UNKNOWN
        if self._ambiguous:
            self.will_close = True

    def _read_fields(self) -> HTTPMessage:
        """The header fields, read as :func:`parse_headers` reads them, and
        checked: a block cut short by a forgeable end of the stream is
        refused (:meth:`_check_complete`), and one that parsers read in
        different ways must not frame the body or carry another response
        (:func:`httpcore_wire.ambiguous_framing`)."""
        fp = self.fp
        if type(fp) is io.BufferedReader:
            # The common case: a well-formed block, whole in the buffer.
            parsed = try_parse_header_block(fp.peek(), max_headers=self.max_headers)
            if parsed is not None:
                fp.read(parsed[1])
                return parsed[0]
        lines = read_header_lines(fp, max_headers=self.max_headers)
        self._check_complete(lines)
        if ambiguous_framing(lines):
            self._ambiguous = True
        return parse_header_lines(lines)

    def _check_complete(self, lines: list[bytes]) -> None:
        """Refuse a header block that a TLS stream's end without
        close_notify cut short (before its empty line): an attacker on the
        path can end the stream there to drop the fields that follow (RFC
        9112 sections 8 and 9.8).  A head cut short otherwise is taken as
        far as it goes, as :mod:`http.client` takes it."""
        if not lines[-1] and ragged_eof(self.fp):
            raise RemoteDisconnected(
                "Remote end closed connection inside the response head,"
                " without TLS close_notify"
            )

    def _unframed(self, error: InvalidContentLength) -> tuple[bool, None, bool]:
        """The framing of a response whose Content-Length is invalid (RFC
        9112 section 6.3, rule 5): ``(chunked, length, will_close)``.

        Where CPython ignores the value (not a number, negative, a list) the
        body runs until the connection closes, as in CPython. Where CPython
        would trust a length that another parser may read differently
        (``+5``, ``1_0``, fields that disagree), the response still comes
        back, so that the caller's own check of its fields runs first
        (urllib3 raises ``InvalidHeader``), but reading its body raises
        ``error``. The connection is not used again either way.
        """
        assert self.headers is not None
        try:
            trusted = int(self.headers.get("content-length", "")) >= 0
        except ValueError:
            trusted = False
        if trusted:
            self._refusal = error
        return False, None, True

    def _refuse(self, error: InvalidContentLength) -> NoReturn:
        """Raise the refusal of the body, closing the response."""
        self._broken = True
        self._close_conn()
        raise error

    def _check_close(self) -> bool:
        assert self.headers is not None
        return keep_alive_refused(self.version, self.headers)

    # -- closing -------------------------------------------------------------

    def _close_conn(self) -> None:
        fp = self.fp
        self.fp = None
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

    # -- bodies with a length or running until the connection closes --------

    def _count(self, got: int, wanted: int) -> None:
        """Account for ``got`` body bytes read where ``wanted`` were asked
        for: the end of a body closes the response; a connection that closed
        before the declared length leaves the response short (an error with
        :attr:`enforce_content_length`) and is not used again; a forgeable
        TLS end of a body that runs until the close is an error."""
        if not got and wanted:
            if self.length:
                # The connection closed early; what the server sends next on
                # it (nothing) cannot be the next response.
                if self.enforce_content_length:
                    raise self._short()
                self._broken = True
            elif self.length is None and ragged_eof(self.fp):
                raise self._truncated(b"")
            self._close_conn()
        elif self.length is not None:
            self.length -= got
            if not self.length:
                self._close_conn()

    def _truncated(self, partial: bytes) -> IncompleteRead:
        """The error for a body delimited by the connection's end, when a
        TLS stream ended without the peer's close_notify: RFC 9112 section
        9.8's truncation attack cannot be told apart from the end."""
        self._broken = True
        self._close_conn()
        return IncompleteRead(partial)

    def _short(self, partial: bytes = b"") -> IncompleteRead:
        """The error for a body that ended ``self.length`` bytes early."""
        expected = self.length
        self._broken = True
        self._close_conn()
        return IncompleteRead(partial, expected)

    def read(self, amt: int | None = None) -> bytes:
        """Read and return the body, or up to the next ``amt`` bytes of it.

        :raises IncompleteRead: the connection closed before the end of the
            body that Content-Length or the chunked framing announced; from
            ``read(amt)`` only inside a chunked body, or with
            :attr:`enforce_content_length` (else it returns the bytes that
            arrived, then ``b""``, as :mod:`http.client` does).
        :raises InvalidContentLength: the Content-Length is one that another
            parser may read differently (:ref:`the response is returned, its
            body refused <invalid-content-length>`).
        """
        self._reading = True
        if self.fp is None:
            return b""
        if self._refusal is not None:
            self._refuse(self._refusal)
        if self._method == "HEAD":
            self._close_conn()
            return b""
        if self.chunked:
            return self._read_chunked(amt)
        if amt is not None and amt >= 0:
            if self.length is not None and amt > self.length:
                amt = self.length  # clip the read to the end of the body
            data = self.fp.read(amt)
            self._count(len(data), amt)
            return bytes(data)
        if self.length is None:
            data = collect(self.fp, None)
            if ragged_eof(self.fp):
                raise self._truncated(data)
        else:
            try:
                data = self._safe_read(self.length)
            except IncompleteRead:
                self._close_conn()
                raise
            self.length = 0
        self._close_conn()
        return bytes(data)

    def readinto(self, b: Any) -> int:
        """Read up to ``len(b)`` bytes of the body into ``b``; return how many.

        :raises IncompleteRead: as ``read(amt)`` does.
        :raises InvalidContentLength: as :meth:`read` does.
        """
        self._reading = True
        if self.fp is None:
            return 0
        if self._refusal is not None:
            self._refuse(self._refusal)
        if self._method == "HEAD":
            self._close_conn()
            return 0
        if self.chunked:
            return self._readinto_chunked(b)
        view = memoryview(b).cast("B")
        if self.length is not None and len(view) > self.length:
            view = view[: self.length]  # clip the read to the end of the body
        n = self.fp.readinto(view)
        self._count(n, len(view))
        return int(n)

    def read1(self, n: int = -1) -> bytes:
        """Read with at most one system call; what is buffered comes first.

        :raises IncompleteRead: as ``read(amt)`` does.
        :raises InvalidContentLength: as :meth:`read` does.
        """
        self._reading = True
        if self.fp is None or self._method == "HEAD":
            return b""
        if self._refusal is not None:
            self._refuse(self._refusal)
        if self.chunked:
            return self._read1_chunked(n)
        if self.length is not None and (n < 0 or n > self.length):
            n = self.length
        # read1() sizes its buffer from n: never from a declared length.
        result = self.fp.read1(min(n, _READ_PIECE) if n >= 0 else _READ_PIECE)
        self._count(len(result), n)
        return bytes(result)

    def peek(self, n: int = -1) -> bytes:
        """Bytes of the body available without a system call (at least one
        unless the body is over).

        :raises IncompleteRead: the connection closed inside a chunked body,
            or its framing is broken.
        :raises InvalidContentLength: as :meth:`read` does.
        """
        self._reading = True
        if self.fp is None or self._method == "HEAD":
            return b""
        if self._refusal is not None:
            self._refuse(self._refusal)
        if self.chunked:
            return self._peek_chunked(n)
        if self.length == 0:
            return b""  # nothing to wait for on an open connection
        data = self.fp.peek(n)
        if self.length is not None:
            data = data[: self.length]
        return bytes(data)

    def readline(self, limit: int | None = -1) -> bytes:
        """Read one line of the body, up to ``limit`` bytes.

        :raises IncompleteRead: as ``read(amt)`` does.
        :raises InvalidContentLength: as :meth:`read` does.
        """
        self._reading = True
        if limit is None:
            limit = -1
        if self.fp is None or self._method == "HEAD":
            return b""
        if self._refusal is not None:
            self._refuse(self._refusal)
        if self.chunked:
            # IOBase.readline() works through peek() and read().
            return super().readline(limit)
        if self.length is not None and (limit < 0 or limit > self.length):
            limit = self.length
        result = self.fp.readline(limit)
        self._count(len(result), limit)
        return bytes(result)

    def _safe_read(self, amt: int) -> bytes:
        """Read exactly ``amt`` bytes; memory follows the bytes that arrive
        rather than ``amt`` (gh-119451).

        :raises IncompleteRead: fewer bytes arrived; ``partial`` holds them.
        """
        data = collect(self.fp, amt)
        if len(data) < amt:
            raise IncompleteRead(data, amt - len(data))
        return data

    def _safe_readinto(self, b: Any) -> int:
        """Fill ``b`` completely, or raise :exc:`IncompleteRead`."""
        view = memoryview(b).cast("B")
        amt = len(view)
        filled = 0
        while filled < amt:
            n = self.fp.readinto(view[filled:])
            if not n:
                raise IncompleteRead(bytes(view[:filled]), amt - filled)
            filled += n
        return amt

    # -- chunked bodies -------------------------------------------------------

    def _read_next_chunk_size(self) -> int:
        max_line = DEFAULT_LIMITS.max_line
        line = self.fp.readline(max_line + 1)
        if len(line) > max_line:
            raise LineTooLong("chunk size", max_line)
        if not line:
            # The connection closed where a chunk should start.
            self._broken = True
            self._close_conn()
            raise IncompleteRead(b"")
        try:
            return parse_chunk_size(line)
        except InvalidChunk:
            # Framing is lost: the connection cannot be used again.
            self._broken = True
            self._close_conn()
            raise

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

    def _finish_chunked(self) -> None:
        """After the last chunk's size line: the trailer section, then the
        end of the response."""
        self._read_and_discard_trailer()
        self._close_conn()
        self.chunk_left = None

    def _read_chunked(self, amt: int | None = None) -> bytes:
        if (amt is None or amt >= _chunked_body.BULK) and _chunked_body.bulk_reader(
            self
        ):
            return _chunked_body.read(self, amt)
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
            # bad framing) as its cause.
            raise IncompleteRead(b"".join(value)) from error

    def _readinto_chunked(self, b: Any) -> int:
        total = 0
        view = memoryview(b).cast("B")
        if len(view) >= _chunked_body.BULK and _chunked_body.bulk_reader(self):
            return _chunked_body.fill(self, view)
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
            raise IncompleteRead(bytes(memoryview(b).cast("B")[:total])) from error

    def _read1_chunked(self, n: int) -> bytes:
        chunk_left = self._get_chunk_left()
        if chunk_left is None or n == 0:
            return b""
        if not 0 <= n <= chunk_left:
            n = chunk_left
        data = self.fp.read1(min(n, _READ_PIECE))
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
