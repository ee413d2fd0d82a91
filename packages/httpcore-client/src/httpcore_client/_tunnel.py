# CONNECT tunnels (RFC 9110 section 9.3.6): the request that opens one
# through a proxy, and the reading of the proxy's answer.
#
# Strategy: HTTPConnection keeps http.client's methods (set_tunnel(),
# _tunnel(), get_proxy_response_headers()) and attributes (_tunnel_host,
# _tunnel_port, _tunnel_headers, _raw_proxy_headers), which urllib3 reads,
# writes and replaces; they call these functions.  The host and the fields
# are checked when the CONNECT is built, not by set_tunnel(), with the
# messages of CPython's fix for gh-146211 (urllib3's tests pin both).  An
# HTTPS proxy (set_tunnel(proxy_context=...)) gets TLS first; the origin's
# TLS session then runs inside the tunnel (_nested_tls.py).
from __future__ import annotations

import http
import ssl
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from httpcore_headers import HTTPMessage, parse_header_lines, read_header_lines
from httpcore_wire import (
    InvalidURL,
    encode_field_line,
    encode_request_line,
    validate_host,
)

from . import _debug


def wrap_ipv6(host: bytes) -> bytes:
    """``host`` in brackets if it is an IPv6 address (RFC 3986)."""
    if b":" in host and host[:1] != b"[":
        return b"[" + host + b"]"
    return host


def authority(host: str, port: int) -> bytes:
    """The authority form of a CONNECT target: ``host:port``, the host IDNA
    encoded and an IPv6 address in brackets."""
    return b"%s:%d" % (wrap_ipv6(host.encode("idna")), port)


def connect_request(
    host: str, port: int, fields: Mapping[str, Any], version: str
) -> bytes:
    """The whole CONNECT request, checked before anything is sent.

    :raises ValueError: ``"Tunnel host can't contain control characters
        ..."`` for a control character, space or DEL in the host (``"Tunnel
        host ...: ..."`` for another refusal of :func:`validate_host`);
        ``"Invalid header name ..."`` or ``"Invalid header value ..."`` for a
        field that would end its line early or hold a NUL (the messages of
        CPython's fix for gh-146211).
    """
    try:
        validate_host(host)
    except InvalidURL as error:
        if "control characters" in str(error):
            raise ValueError(
                f"Tunnel host can't contain control characters {host!r}"
            ) from None
        raise ValueError(f"Tunnel host {host!r}: {error}") from None
    target = authority(host, port).decode("ascii")
    lines = [encode_request_line("CONNECT", target, version) + b"\r\n"]
    lines.extend(
        encode_field_line(name, value) + b"\r\n" for name, value in fields.items()
    )
    lines.append(b"\r\n")
    return b"".join(lines)


def read_answer(
    response: Any, max_headers: int | None, debuglevel: int
) -> tuple[int, str, list[bytes]]:
    """Read the proxy's answer to the CONNECT request through ``response``
    (a response object of the connection's ``response_class``): its status
    code, reason and raw field lines.  Its body, if any, is not read: a
    proxy that refuses the tunnel is not talked to again."""
    _version, code, reason = response._read_status()
    lines = read_header_lines(response.fp, max_headers=max_headers)
    if debuglevel > 0:
        for line in lines:
            _debug.emit("header:", line.decode())
    return code, reason, lines


class Tunnels:
    """The part of :class:`~httpcore_client.HTTPConnection` that sets up
    and opens a tunnel."""

    if TYPE_CHECKING:
        sock: Any
        debuglevel: int
        response_class: Any
        max_response_headers: int | None
        _method: str | None
        _http_vsn_str: str
        _tunnel_host: str | None
        _tunnel_port: int | None
        _tunnel_headers: dict[str, Any]
        _raw_proxy_headers: list[bytes] | None
        _proxy_context: ssl.SSLContext | None
        host: str

        def _get_hostport(self, host: str, port: int | None) -> tuple[str, int]: ...
        def send(self, data: Any) -> None: ...
        def close(self) -> None: ...

    def _wrap_ipv6(self, ip: bytes) -> bytes:
        return wrap_ipv6(ip)

    def set_tunnel(
        self,
        host: str,
        port: int | None = None,
        headers: Mapping[str, Any] | None = None,
        *,
        proxy_context: ssl.SSLContext | None = None,
    ) -> None:
        """Send requests through an HTTP CONNECT tunnel to ``host:port``.

        The host given to the constructor is then the proxy. Call it before
        the connection is established. The host and the fields are checked
        when :meth:`connect` sends the CONNECT request, as in CPython's
        security releases (gh-146211).

        :param headers: extra fields for the CONNECT request (for example
            ``Proxy-Authorization``); a ``Host`` field is added if missing.
        :param proxy_context: talk TLS to the proxy (an HTTPS proxy), with
            this context: the proxy's certificate is verified as the context
            says, against the proxy's name (the host given to the
            constructor). The CONNECT request and the proxy's answer go
            through that session, then the tunnel; an
            :class:`HTTPSConnection` runs its own TLS session with the
            origin inside it, verified with its own context. By default the
            proxy is spoken to in the clear, as in :mod:`http.client`.
        :raises RuntimeError: the connection is already established.
        :raises InvalidURL: the port is not a number.
        """
        if self.sock:
            raise RuntimeError("Can't set up tunnel for established connection")
        self._proxy_context = proxy_context
        self._tunnel_host, self._tunnel_port = self._get_hostport(host, port)
        if headers:
            self._tunnel_headers = dict(headers)
        else:
            # Emptied in place, as http.client does: callers may hold it.
            self._tunnel_headers.clear()
        if not any(name.lower() == "host" for name in self._tunnel_headers):
            # The tunnel's end; an IPv6 address in brackets, as in the
            # CONNECT line (http.client leaves them out here).
            self._tunnel_headers["Host"] = authority(
                self._tunnel_host, self._tunnel_port
            ).decode("ascii")

    def _connect_request(self) -> bytes:
        """The CONNECT request for the tunnel set by :meth:`set_tunnel`.

        :raises ValueError: for a tunnel host or field that would change
            the request's meaning (:func:`._tunnel.connect_request`).
        """
        assert self._tunnel_host is not None
        assert self._tunnel_port is not None
        return connect_request(
            self._tunnel_host,
            self._tunnel_port,
            self._tunnel_headers,
            self._http_vsn_str,
        )

    def _open_tunnel(self) -> None:
        """Open the tunnel set by :meth:`set_tunnel` on the new socket to
        the proxy: TLS with the proxy first if it was asked for, then the
        CONNECT request."""
        if self._proxy_context is not None:
            try:
                self.sock = self._proxy_context.wrap_socket(
                    self.sock, server_hostname=self.host
                )
            except BaseException:
                self.close()
                raise
        self._tunnel()

    def _tunnel(self) -> None:
        try:
            request = self._connect_request()
        except ValueError:
            # Nothing was sent; the socket to the proxy must not carry the
            # requests meant for the tunnel either.
            self.close()
            raise
        # One send() for the whole request: fewer, fuller packets.
        self.send(request)
        response = self.response_class(self.sock, method=self._method)
        try:
            code, reason, self._raw_proxy_headers = read_answer(
                response, self.max_response_headers, self.debuglevel
            )
            if code != http.HTTPStatus.OK:
                self.close()
                raise OSError(f"Tunnel connection failed: {code} {reason.strip()}")
        finally:
            response.close()

    def get_proxy_response_headers(self) -> HTTPMessage | None:
        """The fields of the proxy's answer to the CONNECT request, or
        ``None`` if no tunnel was set up."""
        if self._raw_proxy_headers is None:
            return None
        return parse_header_lines(self._raw_proxy_headers)
