# HTTPSConnection against a loopback TLS server with trustme certificates:
# verification (right CA, wrong CA, wrong host name), what the default
# context offers (ALPN http/1.1, post-handshake authentication), SNI, IPv6,
# keep-alive over TLS and TLS through a CONNECT tunnel, each compared with
# the running interpreter's http.client.HTTPSConnection.
from __future__ import annotations

import http.client
import socket
import ssl
import sys
from types import ModuleType
from typing import TYPE_CHECKING, Any

import pytest

import httpcore_client
from httpcore_client import HTTPSConnection

if TYPE_CHECKING:
    from conftest import TLS, Loopback, Peer

TIMEOUT = 5.0
OK_HELLO = b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"
MODULES = [
    pytest.param(httpcore_client, id="ours"),
    pytest.param(http.client, id="stdlib"),
]


def _https(
    loopback: Loopback, module: ModuleType, host: str, port: int, **kwargs: Any
) -> Any:
    kwargs.setdefault("timeout", TIMEOUT)
    return loopback.track(module.HTTPSConnection(host, port, **kwargs))


@pytest.mark.parametrize("module", MODULES)
def test_https_keep_alive(loopback: Loopback, tls: TLS, module: ModuleType) -> None:
    server = loopback.serve(
        loopback.replies(OK_HELLO, OK_HELLO), tls=tls.server_context()
    )
    conn = _https(
        loopback, module, "localhost", server.port, context=tls.client_context()
    )
    conn.request("GET", "/")
    first_sock = conn.sock
    assert isinstance(first_sock, ssl.SSLSocket)
    assert conn.getresponse().read() == b"hello"
    conn.request("GET", "/")
    assert conn.getresponse().read() == b"hello"
    assert conn.sock is first_sock
    assert server.accepts == 1
    assert server.requests[0] == (
        b"GET / HTTP/1.1\r\nHost: localhost:%d\r\nAccept-Encoding: identity\r\n\r\n"
        % server.port
    )


@pytest.mark.parametrize(
    ("host", "sni"), [("localhost", "localhost"), ("127.0.0.1", None)]
)
@pytest.mark.parametrize("module", MODULES)
def test_sni_is_the_host(
    loopback: Loopback, tls: TLS, module: ModuleType, host: str, sni: str | None
) -> None:
    names: list[str | None] = []
    server = loopback.serve(loopback.replies(OK_HELLO), tls=tls.server_context(names))
    conn = _https(loopback, module, host, server.port, context=tls.client_context())
    conn.request("GET", "/")
    assert conn.getresponse().read() == b"hello"
    assert names == [sni]


def test_ipv6_loopback(loopback: Loopback, tls: TLS, ipv6: None) -> None:
    server = loopback.serve(
        loopback.replies(OK_HELLO), tls=tls.server_context(), family=socket.AF_INET6
    )
    conn = _https(
        loopback, httpcore_client, "::1", server.port, context=tls.client_context()
    )
    conn.request("GET", "/")
    assert conn.getresponse().read() == b"hello"
    assert server.requests[0].startswith(
        b"GET / HTTP/1.1\r\nHost: [::1]:%d\r\n" % server.port
    )


@pytest.mark.parametrize("module", MODULES)
def test_wrong_ca(loopback: Loopback, tls: TLS, module: ModuleType) -> None:
    server = loopback.serve(loopback.replies(), tls=tls.server_context())
    conn = _https(
        loopback,
        module,
        "localhost",
        server.port,
        context=tls.client_context(tls.other_ca),
    )
    with pytest.raises(ssl.SSLCertVerificationError) as info:
        conn.request("GET", "/")
    assert info.value.verify_code == 20  # unable to get local issuer certificate
    server.wait()
    assert server.tls_errors
    assert server.requests == []


def test_wrong_host_name_like_stdlib(loopback: Loopback, tls: TLS) -> None:
    names: list[str | None] = []
    server = loopback.serve(
        loopback.replies(), loopback.replies(), tls=tls.server_context(names)
    )

    def to_the_server(*args: Any, **kwargs: Any) -> socket.socket:
        return socket.create_connection(server.address, TIMEOUT)

    errors = []
    for module in (httpcore_client, http.client):
        conn = _https(
            loopback, module, "wrong.example", 443, context=tls.client_context()
        )
        conn._create_connection = to_the_server
        with pytest.raises(ssl.SSLCertVerificationError) as info:
            conn.request("GET", "/")
        errors.append(info.value)
    ours, theirs = errors
    assert type(ours) is type(theirs)
    assert ours.verify_message == theirs.verify_message
    assert "wrong.example" in ours.verify_message
    server.wait()
    assert names == ["wrong.example", "wrong.example"]


def test_default_context_like_stdlib() -> None:
    ours = HTTPSConnection("example.com")._context
    theirs: ssl.SSLContext = http.client.HTTPSConnection("example.com")._context  # type: ignore[attr-defined]
    assert ours.verify_mode == theirs.verify_mode == ssl.CERT_REQUIRED
    assert ours.check_hostname is theirs.check_hostname is True
    assert ours.post_handshake_auth == theirs.post_handshake_auth
    if theirs.post_handshake_auth is not None:
        assert ours.post_handshake_auth is True
    assert ours.minimum_version == theirs.minimum_version
    assert ours.options == theirs.options
    assert HTTPSConnection("example.com").port == 443


def test_each_connection_gets_its_own_default_context() -> None:
    assert (
        HTTPSConnection("a.example")._context
        is not HTTPSConnection("b.example")._context
    )


@pytest.mark.parametrize("module", MODULES)
def test_default_context_offers_alpn(
    loopback: Loopback, tls: TLS, monkeypatch: pytest.MonkeyPatch, module: ModuleType
) -> None:
    # The default context trusts the system's CAs: point OpenSSL at ours.
    monkeypatch.setenv("SSL_CERT_FILE", tls.ca_file)
    selected = []

    def record_alpn(peer: Peer) -> None:
        assert isinstance(peer.sock, ssl.SSLSocket)
        selected.append(peer.sock.selected_alpn_protocol())
        peer.reply(OK_HELLO)

    server = loopback.serve(record_alpn, tls=tls.server_context())
    conn = _https(loopback, module, "localhost", server.port)
    conn.request("GET", "/")
    assert conn.getresponse().read() == b"hello"
    assert selected == ["http/1.1"]
    assert conn.sock.selected_alpn_protocol() == "http/1.1"


def test_a_given_context_is_used_as_is(loopback: Loopback, tls: TLS) -> None:
    selected = []

    def record_alpn(peer: Peer) -> None:
        assert isinstance(peer.sock, ssl.SSLSocket)
        selected.append(peer.sock.selected_alpn_protocol())
        peer.reply(OK_HELLO)

    server = loopback.serve(record_alpn, tls=tls.server_context())
    context = tls.client_context()
    conn = _https(loopback, httpcore_client, "localhost", server.port, context=context)
    assert conn._context is context
    conn.request("GET", "/")
    assert conn.getresponse().read() == b"hello"
    assert selected == [None]  # no ALPN was added to the caller's context


MODULES_312 = [
    pytest.param(httpcore_client, id="ours"),
    pytest.param(
        http.client,
        id="stdlib",
        marks=pytest.mark.skipif(
            sys.version_info < (3, 12), reason="CONNECT is HTTP/1.1 since 3.12"
        ),
    ),
]


@pytest.mark.parametrize("module", MODULES_312)
def test_https_through_a_tunnel(
    loopback: Loopback, tls: TLS, module: ModuleType
) -> None:
    names: list[str | None] = []
    context = tls.server_context(names)

    def proxy(peer: Peer) -> None:
        assert peer.recv_request() == (
            b"CONNECT localhost:8443 HTTP/1.1\r\nHost: localhost:8443\r\n\r\n"
        )
        peer.send(b"HTTP/1.1 200 Connection established\r\nVia: scripted\r\n\r\n")
        peer.start_tls(context)
        request = peer.reply(OK_HELLO)
        assert request.startswith(b"GET /secret HTTP/1.1\r\nHost: localhost:8443\r\n")

    server = loopback.serve(proxy)
    conn = _https(
        loopback, module, "127.0.0.1", server.port, context=tls.client_context()
    )
    conn.set_tunnel("localhost", 8443)
    conn.request("GET", "/secret")
    assert conn.getresponse().read() == b"hello"
    assert isinstance(conn.sock, ssl.SSLSocket)
    assert names == ["localhost"]  # the tunnel's host, not the proxy's
    assert conn.get_proxy_response_headers()["Via"] == "scripted"
    assert conn.host == "127.0.0.1"


def test_https_tunnel_default_port(loopback: Loopback, tls: TLS) -> None:
    def proxy(peer: Peer) -> None:
        assert peer.recv_request().startswith(b"CONNECT localhost:443 HTTP/1.1\r\n")
        peer.send(b"HTTP/1.1 200 OK\r\n\r\n")
        peer.start_tls(tls.server_context())
        assert peer.reply(OK_HELLO).startswith(b"GET / HTTP/1.1\r\nHost: localhost\r\n")

    server = loopback.serve(proxy)
    conn = _https(
        loopback,
        httpcore_client,
        "127.0.0.1",
        server.port,
        context=tls.client_context(),
    )
    conn.set_tunnel("localhost")
    conn.request("GET", "/")
    assert conn.getresponse().read() == b"hello"


def test_tunnel_to_the_wrong_host(loopback: Loopback, tls: TLS) -> None:
    def proxy(peer: Peer) -> None:
        peer.recv_request()
        peer.send(b"HTTP/1.1 200 OK\r\n\r\n")
        with pytest.raises(ssl.SSLError):
            peer.start_tls(tls.server_context())

    server = loopback.serve(proxy)
    conn = _https(
        loopback,
        httpcore_client,
        "127.0.0.1",
        server.port,
        context=tls.client_context(),
    )
    conn.set_tunnel("wrong.example", 443)
    with pytest.raises(ssl.SSLCertVerificationError, match=r"wrong\.example"):
        conn.request("GET", "/")
    conn.close()


def test_only_the_standard_librarys_tls_socket_is_read_past_its_methods(
    tls: TLS, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A connection's reader reads from ssl.SSLSocket's TLS object itself.  A
    # class put in its place keeps its own recv_into(): gevent's and
    # eventlet's wait for the socket cooperatively there.
    from httpcore_client._stream import Stream

    class Cooperative(ssl.SSLSocket):
        pass

    Cooperative.__module__ = "gevent.ssl"
    context = tls.client_context()

    def tls_object_read(sock: socket.socket) -> object:
        """The TLS socket the connection's reader reads past, if any."""
        stream = Stream(sock)
        try:
            return stream.reader.raw._tls
        finally:
            stream.close()

    def wrapped() -> ssl.SSLSocket:
        plain, peer = socket.socketpair()
        peer.close()
        return context.wrap_socket(
            plain, server_hostname="localhost", do_handshake_on_connect=False
        )

    with wrapped() as standard, socket.socket() as plain:
        assert tls_object_read(standard) is standard
        assert tls_object_read(plain) is None
    context.sslsocket_class = Cooperative
    with wrapped() as patched:
        monkeypatch.setattr(ssl, "SSLSocket", Cooperative)
        assert type(patched) is ssl.SSLSocket
        assert tls_object_read(patched) is None
