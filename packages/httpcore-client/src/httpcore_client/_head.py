# The head of a response: its status line, the interim responses before it,
# its header fields, and the framing of its body they decide.
#
# Strategy: http.client's methods (_read_status() and begin(), which
# urllib3 and botocore call or replace) on httpcore_wire's status-line
# parser and framing rules (RFC 9112 sections 4 and 6.3) and
# httpcore_headers' parser.  Every 1xx but 101 is skipped, at most
# max_interim_responses of them; a head cut short by a forgeable end of a
# TLS stream is refused; a head whose lines parsers read two ways frames
# nothing (AmbiguousFraming) or ends the connection; a Content-Length the
# RFC calls invalid leaves the response to the caller's own checks and its
# body unreadable.  The common case -- a final status line and well-formed
# fields already in the reader's buffer -- is parsed in one pass.
from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any, NoReturn

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
    BadStatusLine,
    InvalidContentLength,
    TooManyInterimResponses,
    ambiguous_framing,
    is_interim,
    keep_alive_refused,
    match_final_status,
    parse_status_line,
    response_framing,
    response_framing_of_fields,
    version_number,
)

from . import _debug
from ._constants import _UNKNOWN
from ._exceptions import RemoteDisconnected
from ._stream import buffered, ragged_eof, settle


class ResponseHead:
    """The part of :class:`~httpcore_client.HTTPResponse` that reads the
    head."""

    if TYPE_CHECKING:
        fp: Any
        headers: HTTPMessage | None
        msg: HTTPMessage | None
        code: Any
        status: Any
        reason: Any
        version: Any
        chunked: Any
        chunk_left: Any
        length: Any
        will_close: Any
        debuglevel: int
        max_headers: int | None
        max_interim_responses: int
        enforce_content_length: bool
        _method: str | None
        _shared_fp: bool
        _ambiguous: bool
        _broken: bool
        _refusal: InvalidContentLength | None

        def _close_conn(self) -> None: ...

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
        length = self.length
        if length is not None and len(data) == parsed[1] + length:
            # The buffer holds this response and nothing more: once it is
            # read, the connection need not look into the buffer.
            settle(self.fp)
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
            and type(self)._read_status is ResponseHead._read_status
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
