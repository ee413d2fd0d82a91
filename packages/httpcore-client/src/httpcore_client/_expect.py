# Expect: 100-continue (RFC 9110 section 10.1.1): a request that carries it
# sends its head, then waits for the server's word before sending its body.
#
# Strategy: _send_output() sends the head alone and asks _continue_granted()
# whether the body may follow.  The wait is bounded (``continue_timeout``,
# 1 second by default, as curl waits): a server silent for that long is
# taken not to know the expectation and gets the body, since a client
# "SHOULD NOT wait for an indefinite period".  A 100 (Continue) is read and
# dropped, and the body follows; another interim response (102, 103) is
# dropped and the wait goes on.  Anything else -- a final status, a line
# that is not a status line, the end of the stream -- is left in the
# connection's reader for getresponse() to read and judge, and the body is
# not sent.  The request on the wire then lacks the content its head
# announced, and the server may still be reading it (RFC 9110 section
# 15.5.14 and RFC 9112 section 9.6), so that response closes the connection.
#
# http.client sends the body at once; continue_timeout=0 does the same.  A
# body sent with send() after endheaders() (how urllib3 sends) is the
# caller's to time.
from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from httpcore_headers import (
    DEFAULT_LIMITS,
    HTTPException,
    ambiguous_lines,
    read_header_lines,
)
from httpcore_wire import BadStatusLine, is_interim, parse_status_line

from . import _debug
from ._stream import SHARED_READER_SOCKETS, Stream, buffered

# What one read takes while a status line is incomplete.
_READ = 65536

DEFAULT_CONTINUE_TIMEOUT = 1.0
"""Seconds a request with ``Expect: 100-continue`` waits before sending its
body anyway (curl's default)."""


class ContinueWaiting:
    """The part of :class:`~httpcore_client.HTTPConnection` that waits for
    ``100 Continue``."""

    if TYPE_CHECKING:
        sock: Any
        debuglevel: int
        continue_timeout: float | None
        max_response_headers: int | None
        max_interim_responses: int
        _stream: Stream | None
        _expect_continue: bool
        _close_after_response: bool
        _continue_error: Exception | None

    def _waits_for_continue(self) -> bool:
        """Whether the request being sent waits for ``100 Continue`` before
        its body."""
        return self._expect_continue and bool(self.continue_timeout)

    def _continue_granted(self) -> bool:
        """Wait, at most ``continue_timeout`` seconds, for the server's
        answer to the head just sent.  Returns whether to send the body:
        True after ``100 Continue`` or silence, False when another response
        has come (the connection then closes after it).

        :raises TimeoutError: a status line began and stopped for the
            socket's timeout.

        An interim response over the header limits ends the wait, and
        getresponse() raises its :exc:`LineTooLong` or
        :exc:`TooManyHeaders`.
        """
        sock = self.sock
        if type(sock) not in SHARED_READER_SOCKETS:
            return True  # a socket of the caller's: sent at once, as before
        stream = self._stream
        if stream is None or stream.sock is not sock or stream.reader.closed:
            stream = self._stream = Stream(sock)
        assert self.continue_timeout is not None
        deadline = time.monotonic() + self.continue_timeout
        for _ in range(self.max_interim_responses + 1):
            if not buffered(stream.reader) and not _arrives(
                stream, deadline - time.monotonic()
            ):
                return True  # silence: the server does not wait for us
            status = _status_ahead(stream.reader)
            if status is None or not is_interim(status):
                break
            try:
                self._skip_interim()
            except HTTPException as error:
                # A limit of the head: getresponse() raises it, where
                # http.client would (it reads interim responses there).
                self._continue_error = error
                break
            if status == 100:
                return True
        # A final response (or what getresponse() will refuse), or more
        # interim responses than it accepts: the body stays here.
        self._close_after_response = True
        return False

    def _skip_interim(self) -> None:
        """Read an interim response's status line and fields, and drop
        them, as getresponse() drops those before a final response."""
        assert self._stream is not None
        reader = self._stream.reader
        line = reader.readline(DEFAULT_LIMITS.max_line + 1)
        fields = read_header_lines(reader, max_headers=self.max_response_headers)
        if self.debuglevel > 0:
            _debug.emit("reply:", repr(str(line, "iso-8859-1")))
            _debug.emit("headers:", fields)
        if ambiguous_lines(fields):
            # Another parser may see the next status line elsewhere.
            self._close_after_response = True


def _arrives(stream: Stream, wait: float) -> bool:
    """Whether bytes (or the end of the stream) come from ``stream``'s socket
    within ``wait`` seconds (no longer than the socket's own timeout); they
    are then in its reader's buffer."""
    sock = stream.sock
    timeout = sock.gettimeout()
    if timeout is not None:
        wait = min(wait, timeout)
    if wait <= 0:
        return False
    raw = stream.reader.raw
    # This wait's limit, not the read timeout the connection's Clock (if
    # any) would set for the receive.
    clock, raw.clock = raw.clock, None
    sock.settimeout(wait)
    try:
        stream.reader.peek()
    except TimeoutError:
        # Nothing was read (a TLS record begun stays with OpenSSL), so the
        # reader may go on: this was a wait, not a read that failed.
        raw._timeout_occurred = False
        return False
    finally:
        sock.settimeout(timeout)
        raw.clock = clock
    return True


def _status_ahead(reader: Any) -> int | None:
    """The status code of the line at the front of ``reader``, read whole
    but left there; None if it is not a status line (or the stream ended)."""
    max_line = DEFAULT_LIMITS.max_line
    data = reader.peek()
    end = data.find(b"\n")
    if end < 0 and 0 < len(data) <= max_line:
        # A line split across reads: take what is buffered, read on (the
        # socket's timeout applies), and give it all back to the raw stream,
        # which serves it before anything it reads next.
        held = b""
        try:
            while len(held) <= max_line and (chunk := reader.read1(_READ)):
                held += chunk
                if b"\n" in chunk:
                    break
        finally:
            reader.raw.unread(held)
        data = reader.peek()
        end = data.find(b"\n")
    if end < 0 or end >= max_line:
        return None
    try:
        return parse_status_line(str(data[: end + 1], "iso-8859-1"))[1]
    except BadStatusLine:
        return None
