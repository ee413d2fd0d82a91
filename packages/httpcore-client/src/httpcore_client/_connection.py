# HTTPConnection: the standard library's class, state machine and hooks.
#
# Strategy: http.client's structure kept as it is, because subclasses
# (urllib3, botocore, urllib.request) override or call its pieces:
# putrequest/putheader/endheaders fill ``_buffer`` with lines, _send_output
# sends them, send() is the one place bytes leave, ``_create_connection``,
# ``_tunnel()``, ``response_class`` and the name-mangled state are where
# callers expect them.  Validation and framing come from httpcore_wire
# (stricter methods and field values, CR/LF refused in tunnel fields); the
# request head and a small body leave in one send().
#
# The class is put together from one module per concern: this one builds
# request heads and holds the state machine; _requesting.py makes a whole
# request (request()) from them; _connecting.py opens the
# socket, _tunnel.py opens tunnels, _sending.py sends heads and bodies
# (_expect.py waits for 100 Continue), _receiving.py reads responses with
# the connection's stream (_stream.py), _heads.py remembers heads already
# built, _timeouts.py and _exchange_log.py time and log exchanges.
from __future__ import annotations

import socket
import ssl
from typing import Any

from httpcore_wire import (
    DEFAULT_MAX_INTERIM_RESPONSES,
    InvalidURL,
    encode_field_line,
    host_field_value,
    host_from_url,
    parse_host_port,
    validate_host,
    validate_method,
    validate_target,
)

from ._connect import DEFAULT_ATTEMPT_DELAY
from ._connecting import Connecting
from ._constants import _CS_IDLE, _CS_REQ_SENT, _CS_REQ_STARTED, HTTP_PORT
from ._exceptions import (
    CannotSendHeader,
    CannotSendRequest,
)
from ._exchange_log import Exchange, start_exchange
from ._expect import DEFAULT_CONTINUE_TIMEOUT, ContinueWaiting
from ._heads import RememberedHeads, RememberedSending, hooks_of
from ._receiving import Receiving
from ._requesting import Requesting
from ._response import HTTPResponse
from ._sending import BodySending
from ._stream import Stream
from ._timeouts import USE_TIMEOUT, Clock
from ._tunnel import Tunnels

# A request field that asks the server to switch protocols (RFC 9110
# section 7.8), as putheader() may be given its name.
_UPGRADE = ("upgrade", b"upgrade")
# A request field that may ask the server to approve the content before it
# is sent (RFC 9110 section 10.1.1).
_EXPECT = ("expect", b"expect")


class HTTPConnection(
    Requesting,
    Connecting,
    Tunnels,
    RememberedSending,
    BodySending,
    ContinueWaiting,
    Receiving,
):
    """A connection to one HTTP server: the same class as
    ``http.client.HTTPConnection``.

    :param host: the server's host name or address, optionally with
        ``:port``; an IPv6 address may be given in brackets.
    :param port: the port; by default the one in ``host``, else 80.
    :param timeout: socket timeout for blocking operations, in seconds.
    :param source_address: ``(host, port)`` to connect from.
    :param blocksize: bytes read at a time from a file body.
    :param max_response_headers: the most header lines accepted in a
        response (the keyword Python 3.15 adds); ``None`` follows
        ``httpcore_headers.DEFAULT_LIMITS.max_headers``.
    :param enforce_content_length: responses raise
        :exc:`IncompleteRead` from every read method when the connection
        closes before the end of a body whose Content-Length was given
        (:attr:`HTTPResponse.enforce_content_length`); by default only
        ``read()`` of the whole body does, as in :mod:`http.client`.
    :param connect_timeout: seconds to open the connection (TCP, a
        tunnel, TLS); by default ``timeout``.
    :param read_timeout: seconds each receive may wait; by default
        ``timeout``.
    :param write_timeout: seconds each send may wait; by default
        ``timeout``.
    :param deadline: seconds one exchange may take, from the first byte of
        the request sent to the last byte of the response's body, however
        the server paces it; ``None`` (the default) sets no deadline.  A
        limit that runs out raises :exc:`TimeoutError` naming it.
    :param happy_eyeballs_delay: when the host has several addresses, the
        seconds one connection attempt is given before the next starts
        alongside it (RFC 8305; the first to connect wins), the families
        taken in turn; ``None`` tries them one after another, each with the
        whole ``timeout``, as :mod:`http.client` does.  The ``timeout``
        bounds the whole race.
    :param continue_timeout: how long, in seconds, a request whose fields
        include ``Expect: 100-continue`` waits after its head for ``100
        Continue`` before sending its body anyway; on a final response
        instead, the body is not sent (see :doc:`/guides/beyond`).  ``0``
        or ``None`` sends the body at once, as :mod:`http.client` does.
    :raises InvalidURL: the port is not a number, or the host holds control
        characters.

    ``timeout`` defaults to the socket module's global default
    (:func:`socket.getdefaulttimeout`). The class attributes ``auto_open``
    (connect on the first send; 1) and ``debuglevel`` (0) are
    :mod:`http.client`'s.
    """

    _http_vsn = 11
    _http_vsn_str = "HTTP/1.1"

    response_class: Any = HTTPResponse
    default_port = HTTP_PORT
    auto_open = 1
    debuglevel = 0
    #: The most 1xx responses skipped before a final response.
    max_interim_responses: int = DEFAULT_MAX_INTERIM_RESPONSES
    #: Seconds a request with ``Expect: 100-continue`` waits for ``100
    #: Continue`` before its body (the constructor's ``continue_timeout``).
    continue_timeout: float | None = DEFAULT_CONTINUE_TIMEOUT
    #: Seconds between connection attempts to a host's addresses (the
    #: constructor's ``happy_eyeballs_delay``); ``None``: one at a time.
    happy_eyeballs_delay: float | None = DEFAULT_ATTEMPT_DELAY

    def __init__(
        self,
        host: str,
        port: int | None = None,
        timeout: float | None = socket._GLOBAL_DEFAULT_TIMEOUT,  # type: ignore[attr-defined]
        source_address: tuple[str, int] | None = None,
        blocksize: int = 8192,
        *,
        max_response_headers: int | None = None,
        enforce_content_length: bool = False,
        continue_timeout: float | None = DEFAULT_CONTINUE_TIMEOUT,
        happy_eyeballs_delay: float | None = DEFAULT_ATTEMPT_DELAY,
        connect_timeout: float | None = USE_TIMEOUT,
        read_timeout: float | None = USE_TIMEOUT,
        write_timeout: float | None = USE_TIMEOUT,
        deadline: float | None = None,
    ) -> None:
        self.timeout = timeout
        self.source_address = source_address
        self.blocksize = blocksize
        self.max_response_headers = max_response_headers
        self.enforce_content_length = enforce_content_length
        self.continue_timeout = continue_timeout
        self.happy_eyeballs_delay = happy_eyeballs_delay
        self.connect_timeout = connect_timeout
        self.read_timeout = read_timeout
        self.write_timeout = write_timeout
        self.deadline = deadline
        # Made by connect() when a limit above is set (_timeouts.py).
        self._clock: Clock | None = None
        # The number of the socket, and the exchange under way if the
        # "httpcore_client" logger records them (_exchange_log.py).
        self._serial = 0
        self._exchange: Exchange | None = None
        self.sock: Any = None
        self._buffer: list[bytes] = []
        self.__response: Any = None
        self.__state = _CS_IDLE
        self._method: str | None = None
        # Whether the request under way carries an Upgrade field: only then
        # may a 101 answer keep the connection (see _took()).
        self._upgrade_asked = False
        # Whether the request under way carries Expect: 100-continue, and
        # whether its response must close the connection because its body
        # was withheld (_expect.py).
        self._expect_continue = False
        self._close_after_response = False
        # What reading an interim response found wrong while waiting, for
        # getresponse() to raise.
        self._continue_error: Exception | None = None
        self._tunnel_host: str | None = None
        self._tunnel_port: int | None = None
        self._tunnel_headers: dict[str, Any] = {}
        self._raw_proxy_headers: list[bytes] | None = None
        # TLS with the proxy itself (set_tunnel(proxy_context=...)).
        self._proxy_context: ssl.SSLContext | None = None
        self._host_field: tuple[object, bytes] = (None, b"")
        # Heads of body-less requests already sent, by what they depend on.
        self._heads = RememberedHeads()
        # The socket's reader, kept for all its responses (_stream.py).
        self._stream: Stream | None = None

        self.host, self.port = self._get_hostport(host, port)
        self._validate_host(self.host)

    # -- addresses and tunnels ---------------------------------------------

    def _get_hostport(self, host: str, port: int | None) -> tuple[str, int]:
        return parse_host_port(host, port, self.default_port)

    def set_debuglevel(self, level: int) -> None:
        """Print the request and response lines and fields from now on
        (level above 0), in :mod:`http.client`'s format."""
        self.debuglevel = level

    def close(self) -> None:
        """Close the connection to the server."""
        self.__state = _CS_IDLE
        try:
            sock = self.sock
            if sock:
                self.sock = None
                self._drop_stream()
                sock.close()
        finally:
            response = self.__response
            if response:
                self.__response = None
                response.close()

    def putrequest(
        self,
        method: str,
        url: str,
        skip_host: bool = False,
        skip_accept_encoding: bool = False,
    ) -> None:
        """Start a request: its request line, ``Host`` and
        ``Accept-Encoding: identity`` (unless skipped).

        :raises CannotSendRequest: a request is under way, or the previous
            response has not been read.
        :raises ValueError: the method is not an RFC 9110 token.
        :raises InvalidURL: the URL holds control characters or spaces.
        """
        response = self.__response
        if response and response.isclosed():
            self.__response = None
            if getattr(response, "_broken", False):
                # Its body was not read to the end, or its framing was bad:
                # what is left on the socket is not the next response.
                self.close()
        if self.__state == _CS_IDLE:
            if self.__response is None:
                self._close_if_stale()
            self.__state = _CS_REQ_STARTED
        else:
            raise CannotSendRequest(self.__state)

        self._validate_method(method)
        self._method = method
        self._upgrade_asked = False
        self._expect_continue = self._close_after_response = False
        self._continue_error = None
        if self._clock is not None:
            self._clock.new_exchange()
        url = url or "/"
        exchange = self._exchange = start_exchange(
            self._serial, self.host, self.port, method, url
        )
        if exchange is not None and self._stream is not None:
            exchange.note_reader(self._stream.reader.raw)
        self._validate_path(url)
        self._output(self._encode_request(f"{method} {url} {self._http_vsn_str}"))

        if self._http_vsn == 11:
            if not skip_host:
                value = host_from_url(url) if url[0] == "h" else None
                if value is None:
                    if self._tunnel_host:
                        host, port = self._tunnel_host, self._tunnel_port
                    else:
                        host, port = self.host, self.port
                    assert port is not None
                    # The value depends on these only; computing it costs
                    # more than the rest of the request line.
                    key = (host, port, self.default_port)
                    if self._host_field[0] != key:
                        self._host_field = (key, self._host_value(*key))
                    value = self._host_field[1]
                self.putheader("Host", value)
            if not skip_accept_encoding:
                self.putheader("Accept-Encoding", "identity")

    def _host_value(self, host: str, port: int, default_port: int) -> bytes:
        try:
            return host_field_value(host, port, default_port)
        except InvalidURL:
            if host != self._tunnel_host:
                raise
            # A tunnel host is checked when the tunnel is opened; before
            # that, a Host field built from a bad one is refused as
            # http.client's putheader() refuses it.
            value = host if port == default_port else f"{host}:{port}"
            raise ValueError(
                f"Invalid header value {value.encode('ascii', 'replace')!r}"
            ) from None

    def _encode_request(self, request: str) -> bytes:
        # ASCII only, which also keeps CVE-2019-9740 out.
        return request.encode("ascii")

    def _validate_method(self, method: str) -> None:
        validate_method(method)

    def _validate_path(self, url: str) -> None:
        validate_target(url)

    def _validate_host(self, host: str) -> None:
        validate_host(host)

    def putheader(self, header: str | bytes, *values: Any) -> None:
        """Add a header field to the request; several values become
        continuation lines (a tab, then the value), as :mod:`http.client`
        documents.

        :raises CannotSendHeader: no request has been started.
        :raises ValueError: the name is not a token (RFC 9110 section 5.1),
            or a value holds a control character other than HTAB (section
            5.5), obs-fold included: what one parser on the way may read as
            another field than the next parser does.
        """
        if self.__state != _CS_REQ_STARTED:
            raise CannotSendHeader()
        line = encode_field_line(header, *values)
        self._output(line)
        if len(header) == 7 and header.lower() in _UPGRADE:
            self._upgrade_asked = True
        elif (
            len(header) == 6
            and header.lower() in _EXPECT
            and b"100-continue" in line.lower()
        ):
            self._expect_continue = True

    def endheaders(
        self, message_body: Any = None, *, encode_chunked: bool = False
    ) -> None:
        """Send the request head, then ``message_body`` if given.

        :param message_body: what ``send()`` accepts: bytes, a file or an
            iterable of bytes-like objects.
        :param encode_chunked: chunk-encode ``message_body`` (the caller has
            sent ``Transfer-Encoding: chunked``).
        :raises CannotSendHeader: no request has been started.
        """
        if self.__state == _CS_REQ_STARTED:
            self.__state = _CS_REQ_SENT
        else:
            raise CannotSendHeader()
        self._send_output(message_body, encode_chunked=encode_chunked)


# What _send_remembered() compares a class's hooks with.
HTTPConnection._plain_head_hooks = hooks_of(HTTPConnection)
