# An HTTPS proxy on loopback -- haproxy terminating TLS before squid -- with
# nginx as the origin: TLS with the proxy verified against the proxy's CA
# and name, the CONNECT inside it, then nginx's TLS session inside the
# tunnel verified against nginx's CA (or plain HTTP to nginx), and the
# failures: the wrong CA for either, and a tunnel squid refuses.
from __future__ import annotations

import hashlib
import ssl
from typing import TYPE_CHECKING

import pytest

import httpcore_client

if TYPE_CHECKING:
    from conftest import Nginx, Tls, TlsSquid


def https_through(
    proxy: TlsSquid, port: int, context: ssl.SSLContext, proxy_context: ssl.SSLContext
) -> httpcore_client.HTTPSConnection:
    connection = httpcore_client.HTTPSConnection(
        proxy.host, proxy.port, timeout=30, context=context
    )
    connection.set_tunnel("localhost", port, proxy_context=proxy_context)
    return connection


def test_https_origin_through_https_proxy(
    tls_squid: TlsSquid, nginx: Nginx, tls: Tls
) -> None:
    conn = https_through(tls_squid, nginx.tls_port, tls.context(), tls_squid.context())
    try:
        mid = nginx.samples["mid.bin"]
        conn.request("GET", mid.path)
        response = conn.getresponse()
        body = response.read()
        assert hashlib.sha256(body).hexdigest() == mid.sha256
        number = response.getheader("X-Connection")
        # Inside: nginx's certificate; under it, the proxy's.
        assert ("DNS", "localhost") in conn.sock.getpeercert()["subjectAltName"]
        proxy_cert = conn.sock.proxy_socket.getpeercert(binary_form=True)
        assert proxy_cert != conn.sock.getpeercert(binary_form=True)
        headers = conn.get_proxy_response_headers()
        assert headers is not None
        # A chunked body, then an upload, on the same tunnel.
        conn.request("GET", "/stream?chunks=50&size=3000")
        response = conn.getresponse()
        assert response.read() == nginx.stream_body(50, 3000)
        assert response.trailers is not None
        assert response.trailers["X-Trailer-Check"] == "body-complete"
        data = bytes(range(256)) * 1024
        conn.request("POST", "/echo", data)
        response = conn.getresponse()
        assert response.read() == data
        assert response.getheader("X-Connection") == number
    finally:
        conn.close()


def test_http_origin_through_https_proxy(tls_squid: TlsSquid, nginx: Nginx) -> None:
    conn = httpcore_client.HTTPConnection(tls_squid.host, tls_squid.port, timeout=30)
    conn.set_tunnel(nginx.host, nginx.port, proxy_context=tls_squid.context())
    try:
        small = nginx.samples["small.txt"]
        for _ in range(2):
            conn.request("GET", small.path)
            assert conn.getresponse().read() == small.data
        assert isinstance(conn.sock, ssl.SSLSocket)
    finally:
        conn.close()


def test_proxy_certificate_not_trusted(
    tls_squid: TlsSquid, nginx: Nginx, tls: Tls
) -> None:
    # nginx's CA did not sign the proxy's certificate.
    conn = https_through(tls_squid, nginx.tls_port, tls.context(), tls.context())
    with pytest.raises(ssl.SSLCertVerificationError):
        conn.request("GET", "/files/small.txt")
    assert conn.sock is None


def test_origin_certificate_not_trusted(
    tls_squid: TlsSquid, nginx: Nginx, tls: Tls
) -> None:
    # The proxy's CA did not sign nginx's certificate.
    conn = https_through(
        tls_squid, nginx.tls_port, tls_squid.context(), tls_squid.context()
    )
    with pytest.raises(ssl.SSLCertVerificationError):
        conn.request("GET", "/files/small.txt")
    assert conn.sock is None


def test_proxy_refuses_the_tunnel(tls_squid: TlsSquid, tls: Tls) -> None:
    conn = https_through(
        tls_squid, tls_squid.refused_port, tls.context(), tls_squid.context()
    )
    with pytest.raises(OSError, match="Tunnel connection failed: 403 Forbidden"):
        conn.request("GET", "/files/small.txt")
    assert conn.sock is None
