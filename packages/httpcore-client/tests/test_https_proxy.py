# HTTPS proxies: TLS with the proxy (verified with its own context, against
# the proxy's name), the CONNECT request inside that session, then HTTP --
# or a second TLS session with the origin, verified with the connection's
# context -- inside the tunnel.  The scripted proxy here terminates the
# outer session and plays the origin itself inside the tunnel; tests/peers
# runs the same through haproxy, squid and nginx.
from __future__ import annotations

import logging
import ssl
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pytest

from httpcore_client import HTTPConnection, HTTPSConnection

if TYPE_CHECKING:
    from conftest import TLS, Loopback, Peer

OK = b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"
CHUNKED = (
    b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
    + b"4000\r\n"
    + b"c" * 0x4000
    + b"\r\n0\r\nX-Sum: 1\r\n\r\n"
)
TUNNEL_OK = b"HTTP/1.1 200 Connection established\r\nVia: test-proxy\r\n\r\n"


class InnerServer:
    """The origin's side of a TLS session inside the proxy's: what a Peer
    needs of a socket (recv, sendall, close), over an ssl.SSLObject."""

    def __init__(self, outer: Any, context: ssl.SSLContext) -> None:
        self._outer = outer
        self._incoming, self._outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
        self._tls = context.wrap_bio(self._incoming, self._outgoing, server_side=True)
        self._run(self._tls.do_handshake)

    def _run(self, operation: Callable[..., Any], *args: Any) -> Any:
        while True:
            try:
                result = operation(*args)
            except ssl.SSLWantReadError:
                self._outer.sendall(self._outgoing.read())
                data = self._outer.recv(65536)
                if data:
                    self._incoming.write(data)
                else:
                    self._incoming.write_eof()
                continue
            self._outer.sendall(self._outgoing.read())
            return result

    def recv(self, size: int) -> bytes:
        try:
            data: bytes = self._run(self._tls.read, size)
        except (ssl.SSLZeroReturnError, ssl.SSLEOFError):
            return b""  # the client closed (with or without close_notify)
        return data

    def sendall(self, data: bytes) -> None:
        self._run(self._tls.write, data)

    def shutdown(self, how: int) -> None:
        """Nothing: the client ends the session by closing."""

    def close(self) -> None:
        self._outer.close()


def proxy(then: Callable[[Peer], None], origin: ssl.SSLContext | None = None) -> Any:
    """A handler for the proxy's TLS connection: answers the CONNECT with
    200, then runs ``then`` as the origin, inside a second TLS session if
    ``origin`` is given."""

    def handler(peer: Peer) -> None:
        head = peer.recv_head()
        assert head.startswith(b"CONNECT origin.test:443 HTTP/1.1\r\n"), head
        assert b"\r\nHost: origin.test:443\r\n" in head
        peer.send(TUNNEL_OK)
        if origin is not None:
            peer.sock = InnerServer(peer.sock, origin)  # type: ignore[assignment]
        then(peer)

    return handler


@pytest.fixture
def proxy_tls(tls: TLS) -> tuple[ssl.SSLContext, ssl.SSLContext]:
    """The proxy's server context (a certificate for 127.0.0.1 from
    ``tls.other_ca``) and a client context that trusts only that CA."""
    server = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    tls.other_ca.issue_cert("127.0.0.1", "localhost").configure_cert(server)
    server.num_tickets = 0
    client = ssl.create_default_context()
    tls.other_ca.configure_trust(client)
    return server, client


def _origin_context(tls: TLS) -> ssl.SSLContext:
    """The origin's server context, with a certificate for origin.test."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    tls.ca.issue_cert("origin.test").configure_cert(context)
    context.num_tickets = 0
    return context


def _https_through(
    loopback: Loopback, server: Any, tls: TLS, proxy_client: ssl.SSLContext
) -> HTTPSConnection:
    conn = loopback.connect(server, HTTPSConnection, context=tls.client_context())
    conn.set_tunnel("origin.test", 443, proxy_context=proxy_client)
    return conn


def test_https_origin_inside_https_proxy(
    loopback: Loopback, tls: TLS, proxy_tls: tuple[ssl.SSLContext, ssl.SSLContext]
) -> None:
    proxy_server, proxy_client = proxy_tls
    handler = proxy(loopback.replies(OK, CHUNKED), origin=_origin_context(tls))
    server = loopback.serve(handler, tls=proxy_server)
    conn = _https_through(loopback, server, tls, proxy_client)
    conn.request("GET", "/")
    response = conn.getresponse()
    assert response.read() == b"hello"
    # The certificate the connection shows is the origin's; the proxy's is
    # on the socket under it.
    assert conn.sock.getpeercert()["subjectAltName"] == (("DNS", "origin.test"),)
    assert conn.sock.version() in ("TLSv1.2", "TLSv1.3")
    proxy_names = conn.sock.proxy_socket.getpeercert()["subjectAltName"]
    assert ("IP Address", "127.0.0.1") in proxy_names
    headers = conn.get_proxy_response_headers()
    assert headers is not None
    assert headers["Via"] == "test-proxy"
    # Kept alive: the next request goes through the same tunnel.
    conn.request("GET", "/chunked")
    response = conn.getresponse()
    assert response.read() == b"c" * 0x4000
    assert response.trailers is not None
    assert response.trailers["X-Sum"] == "1"
    conn.close()
    server.wait()
    assert server.accepts == 1


def test_http_origin_inside_https_proxy(
    loopback: Loopback, proxy_tls: tuple[ssl.SSLContext, ssl.SSLContext]
) -> None:
    proxy_server, proxy_client = proxy_tls
    server = loopback.serve(proxy(loopback.replies(OK, OK)), tls=proxy_server)
    conn = loopback.connect(server, HTTPConnection)
    conn.set_tunnel("origin.test", 443, proxy_context=proxy_client)
    for _ in range(2):
        conn.request("GET", "/")
        assert conn.getresponse().read() == b"hello"
    assert isinstance(conn.sock, ssl.SSLSocket)
    conn.close()
    server.wait()
    assert server.accepts == 1


def test_upload_and_close_delimited_body_through_nested_tls(
    loopback: Loopback, tls: TLS, proxy_tls: tuple[ssl.SSLContext, ssl.SSLContext]
) -> None:
    body = bytes(range(256)) * 4000

    def origin(peer: Peer) -> None:
        request = peer.recv_request()
        assert request.endswith(b"\r\n\r\n" + body)
        peer.send(b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n" + body[::-1])
        peer.close()

    proxy_server, proxy_client = proxy_tls
    server = loopback.serve(
        proxy(origin, origin=_origin_context(tls)), tls=proxy_server
    )
    conn = _https_through(loopback, server, tls, proxy_client)
    conn.suppress_ragged_eofs = True  # the scripted origin ends without close_notify
    conn.request("PUT", "/", body)
    response = conn.getresponse()
    # The connection let the response go; the response still reads its body.
    assert conn.sock is None
    assert response.read() == body[::-1]
    response.close()
    server.wait()


def test_proxy_certificate_from_the_wrong_ca(
    loopback: Loopback, tls: TLS, proxy_tls: tuple[ssl.SSLContext, ssl.SSLContext]
) -> None:
    proxy_server, _ = proxy_tls
    server = loopback.serve(proxy(loopback.records()), tls=proxy_server, required=False)
    # The origin's CA, which did not sign the proxy's certificate.
    conn = _https_through(loopback, server, tls, tls.client_context())
    with pytest.raises(ssl.SSLCertVerificationError):
        conn.connect()
    assert conn.sock is None


def test_proxy_certificate_for_another_name(
    loopback: Loopback, tls: TLS, proxy_tls: tuple[ssl.SSLContext, ssl.SSLContext]
) -> None:
    _, proxy_client = proxy_tls
    wrong_name = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    tls.other_ca.issue_cert("proxy.example").configure_cert(wrong_name)
    server = loopback.serve(proxy(loopback.records()), tls=wrong_name, required=False)
    conn = _https_through(loopback, server, tls, proxy_client)
    with pytest.raises(ssl.SSLCertVerificationError, match=r"127\.0\.0\.1"):
        conn.connect()


def test_origin_certificate_from_the_wrong_ca(
    loopback: Loopback, tls: TLS, proxy_tls: tuple[ssl.SSLContext, ssl.SSLContext]
) -> None:
    proxy_server, proxy_client = proxy_tls

    def origin_handshake_fails(peer: Peer) -> None:
        peer.may_reset = True
        with pytest.raises(ssl.SSLError):
            InnerServer(peer.sock, _origin_context(tls))
        peer.closed = True
        peer.sock.close()

    server = loopback.serve(
        _connect_then(origin_handshake_fails), tls=proxy_server, required=False
    )
    conn = loopback.connect(
        server, HTTPSConnection, context=tls.client_context(tls.other_ca)
    )
    conn.set_tunnel("origin.test", 443, proxy_context=proxy_client)
    with pytest.raises(ssl.SSLCertVerificationError):
        conn.connect()
    assert conn.sock is None
    server.wait()


def _connect_then(then: Callable[[Peer], None]) -> Any:
    def handler(peer: Peer) -> None:
        peer.recv_head()
        peer.send(TUNNEL_OK)
        then(peer)

    return handler


def test_proxy_refuses_the_tunnel(
    loopback: Loopback, tls: TLS, proxy_tls: tuple[ssl.SSLContext, ssl.SSLContext]
) -> None:
    proxy_server, proxy_client = proxy_tls

    def refuses(peer: Peer) -> None:
        peer.may_reset = True
        peer.recv_head()
        peer.send(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n")
        peer.recv_until_eof()

    server = loopback.serve(refuses, tls=proxy_server)
    conn = _https_through(loopback, server, tls, proxy_client)
    with pytest.raises(OSError, match="Tunnel connection failed: 403 Forbidden"):
        conn.request("GET", "/")
    assert conn.sock is None
    server.wait()


def test_without_proxy_context_the_proxy_is_spoken_to_in_the_clear(
    loopback: Loopback,
) -> None:
    def handler(peer: Peer) -> None:
        head = peer.recv_head()
        assert head.startswith(b"CONNECT origin.test:443 ")
        peer.send(TUNNEL_OK)
        peer.reply(OK)

    server = loopback.serve(handler)
    conn = loopback.connect(server, HTTPConnection)
    conn.set_tunnel("origin.test", 443, proxy_context=ssl.create_default_context())
    # Setting the tunnel again without it goes back to the clear.
    conn.set_tunnel("origin.test", 443)
    conn.request("GET", "/")
    assert conn.getresponse().read() == b"hello"
    assert not isinstance(conn.sock, ssl.SSLSocket)
    conn.close()
    server.wait()


def test_deadline_through_the_tunnel(
    loopback: Loopback, tls: TLS, proxy_tls: tuple[ssl.SSLContext, ssl.SSLContext]
) -> None:
    stop = threading.Event()

    def trickles(peer: Peer) -> None:
        peer.may_reset = True
        peer.recv_request()
        peer.send(b"HTTP/1.1 200 OK\r\nContent-Length: 40\r\n\r\n")
        for _ in range(40):
            if stop.wait(0.05):
                return
            try:
                peer.send(b"x")
            except OSError:
                return  # the client gave up

    proxy_server, proxy_client = proxy_tls
    server = loopback.serve(
        proxy(trickles, origin=_origin_context(tls)), tls=proxy_server
    )
    conn = loopback.connect(
        server, HTTPSConnection, context=tls.client_context(), deadline=0.5
    )
    conn.set_tunnel("origin.test", 443, proxy_context=proxy_client)
    conn.request("GET", "/")
    response = conn.getresponse()
    start = time.monotonic()
    with pytest.raises(TimeoutError, match=r"exchange deadline of 0\.5 s exceeded"):
        response.read()
    stop.set()
    assert time.monotonic() - start < 1.5
    response.close()
    conn.close()


def test_exchange_log_through_the_tunnel(
    loopback: Loopback,
    tls: TLS,
    proxy_tls: tuple[ssl.SSLContext, ssl.SSLContext],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG, logger="httpcore_client")
    proxy_server, proxy_client = proxy_tls
    handler = proxy(loopback.replies(OK), origin=_origin_context(tls))
    server = loopback.serve(handler, tls=proxy_server)
    conn = _https_through(loopback, server, tls, proxy_client)
    conn.request("GET", "/")
    assert conn.getresponse().read() == b"hello"
    conn.close()
    server.wait()
    (record,) = (r for r in caplog.records if "http_exchange" in r.__dict__)
    exchange = record.__dict__["http_exchange"]
    # The origin's bytes, inside both TLS sessions.
    assert exchange["received"] == len(OK)
    assert exchange["sent"] == len(server.requests[0])
