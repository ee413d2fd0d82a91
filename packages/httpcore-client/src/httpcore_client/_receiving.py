# Receiving: the connection's side of a response -- getresponse(), the
# buffered reader the connection keeps for its socket, and the check that
# an idle connection is clean before it carries another request.
#
# Strategy: http.client's getresponse() constructs ``response_class`` and
# calls its begin(); the common case (this package's own class, no debug
# output) skips the constructor and reads the head in one pass instead
# (HTTPResponse._from_connection).  Either way the response reads with the
# connection's one shared reader (_stream.py), handed over by assignment,
# so bytes that arrived with one response are not lost to the next.  The
# state lives under the names http.client's name mangling gives it
# (``_HTTPConnection__state``, ``_HTTPConnection__response``), which
# callers such as urllib3 read.
from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from httpcore_wire import DEFAULT_MAX_INTERIM_RESPONSES

from ._constants import _CS_IDLE, _CS_REQ_SENT, _UNKNOWN
from ._exceptions import ResponseNotReady
from ._nested_tls import NestedTLSSocket
from ._response import HTTPResponse
from ._stream import SHARED_READER_SOCKETS, Stream

if TYPE_CHECKING:
    from ._exchange_log import Exchange
    from ._timeouts import Clock


class Receiving:
    """The part of :class:`~httpcore_client.HTTPConnection` that receives."""

    if TYPE_CHECKING:
        sock: Any
        debuglevel: int
        response_class: Any
        max_response_headers: int | None
        max_interim_responses: int
        enforce_content_length: bool
        _method: str | None
        _upgrade_asked: bool
        _close_after_response: bool
        _continue_error: Exception | None
        _stream: Stream | None
        _clock: Clock | None
        _exchange: Exchange | None
        _HTTPConnection__state: str
        _HTTPConnection__response: Any

        def close(self) -> None: ...

    def _drop_stream(self) -> None:
        """Close the connection's stream; the next response on the socket
        makes a new one."""
        stream, self._stream = self._stream, None
        if stream is not None:
            stream.close()

    def _close_if_stale(self) -> bool:
        """Close an idle connection that has carried a response and cannot
        carry another: bytes nobody asked for are waiting (a body sent with
        a HEAD or 204 answer, a server talking out of turn), or the server
        has closed it (RFC 9112 section 9.3).  Checked without blocking; the
        request then goes out on a new connection (``auto_open``) or not at
        all.  Returns whether it closed the connection."""
        stream = self._stream
        if stream is None or stream.sock is not self.sock or not stream.is_stale():
            return False
        self.close()
        return True

    def getresponse(self) -> Any:
        """Read the response to the request sent.

        :raises ResponseNotReady: no request was sent, or the previous
            response has not been read to its end.
        :raises ConnectionError: the connection failed; it is closed, and the
            next request opens a new one.
        :raises BadStatusLine: the status line is not HTTP's (also
            :exc:`RemoteDisconnected` when the server closed before
            answering, a :exc:`ConnectionError` too).
        :raises LineTooLong: a line of the head is longer than the limit.
        :raises TooManyHeaders: the head has more header lines than the
            limit.
        :raises TooManyInterimResponses: more than
            :attr:`max_interim_responses` 1xx responses came first.

        After an error other than :exc:`ConnectionError` the connection
        stays in the Request-sent state, as in :mod:`http.client`: call
        :meth:`close` before the next request.
        """
        response = self._HTTPConnection__response
        if response and response.isclosed():
            response = self._HTTPConnection__response = None
        if self._HTTPConnection__state != _CS_REQ_SENT or response:
            raise ResponseNotReady(self._HTTPConnection__state)
        error = self._continue_error
        if error is not None:
            # Found while waiting for 100 Continue (_expect.py).
            self._continue_error = None
            raise error

        sock = self.sock
        stream = self._stream
        if type(sock) in SHARED_READER_SOCKETS and (
            stream is None or stream.sock is not sock or stream.reader.closed
        ):
            stream = self._stream = Stream(sock)
        elif stream is not None and stream.sock is not sock:
            stream = None  # a socket of the caller's: its own reader per response
        exchange = self._exchange
        if exchange is not None:
            exchange.sent_done = time.monotonic()
        clock = self._clock
        if clock is not None:
            clock.arm(sock, "read")
            if stream is not None:
                stream.reader.raw.clock = clock
            elif type(sock) is NestedTLSSocket:
                sock.clock = clock
        if (
            self.response_class is HTTPResponse
            and self.debuglevel <= 0
            and stream is not None
            and HTTPResponse.__init__ is _RESPONSE_INIT
        ):
            # The common case: the response made without its constructor,
            # with the connection's reader (unless a test patched the
            # constructor).
            try:
                response = HTTPResponse._from_connection(
                    sock,
                    stream.reader,
                    self._method,
                    self.max_response_headers,
                    self.max_interim_responses,
                    self.enforce_content_length,
                )
            except ConnectionError:
                self.close()
                raise
            return self._took(response)
        if self.debuglevel > 0:
            response = self.response_class(sock, self.debuglevel, method=self._method)
        else:
            response = self.response_class(sock, method=self._method)
        if isinstance(response, HTTPResponse):
            if stream is not None and not response._take_reader(stream.reader):
                # It reads with a reader of its own, as in http.client: the
                # connection's would not know where this response ends.
                self._drop_stream()
            # Instance attributes only where they differ from the class's.
            if self.max_response_headers is not None:
                response.max_headers = self.max_response_headers
            if self.max_interim_responses != DEFAULT_MAX_INTERIM_RESPONSES:
                response.max_interim_responses = self.max_interim_responses
            if self.enforce_content_length:
                response.enforce_content_length = True
        try:
            try:
                response.begin()
            except ConnectionError:
                self.close()
                raise
            return self._took(response)
        except BaseException:
            response.close()
            raise

    def _took(self, response: Any) -> Any:
        """The connection's side of a response whose head has been read."""
        assert response.will_close != _UNKNOWN
        self._HTTPConnection__state = _CS_IDLE
        if getattr(response, "status", None) == 101 and not self._upgrade_asked:
            # Switching Protocols that no Upgrade field asked for (RFC 9110
            # section 15.2.2): whatever follows on the connection is not
            # HTTP/1.1 this client speaks, so it carries no other request.
            response.will_close = True
        elif self._close_after_response:
            # Its request's body was withheld (_expect.py).
            response.will_close = True
        exchange = self._exchange
        if exchange is not None:
            self._exchange = None
            exchange.head_done = time.monotonic()
            response._exchange = exchange
        if response.will_close:
            # The response now owns the socket, and the reader it reads
            # with: it closes both at the end of the body.
            if getattr(response, "_shared_fp", False):
                response._shared_fp = False
                self._stream = None
            self.close()
        else:
            self._HTTPConnection__response = response
        return response


_RESPONSE_INIT = HTTPResponse.__init__
