# CONNECT tunnels through a real squid to nginx: plain HTTP and TLS inside
# the tunnel, the proxy's response fields, and a tunnel squid refuses by
# ACL, which must fail with the standard library's OSError and message.
from __future__ import annotations

import gc
import hashlib
import http.client as stdlib
import socket
import ssl
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import pytest

import httpcore_client
from httpcore_headers import parse_header_lines

if TYPE_CHECKING:
    from conftest import Nginx, Squid, Tls

# Fields whose values change from one response to the next.
VOLATILE = frozenset({"date"})


def through(
    module: Any,
    squid: Squid,
    host: str,
    port: int,
    context: ssl.SSLContext | None = None,
) -> Any:
    """An (HTTPS if ``context``) connection of ``module`` through squid to
    ``host:port``."""
    if context is None:
        connection = module.HTTPConnection(squid.host, squid.port, timeout=30)
    else:
        connection = module.HTTPSConnection(
            squid.host, squid.port, timeout=30, context=context
        )
    connection.set_tunnel(host, port)
    return connection


def raw_connect(squid: Squid, host: str, port: int) -> tuple[bytes, list[bytes]]:
    """Squid's answer to a CONNECT, read off a plain socket: the status line
    and the header lines."""
    with socket.create_connection((squid.host, squid.port), timeout=30) as sock:
        sock.sendall(
            b"CONNECT %s:%d HTTP/1.1\r\nHost: %s:%d\r\n\r\n"
            % (host.encode(), port, host.encode(), port)
        )
        with sock.makefile("rb") as reader:
            status = reader.readline()
            lines = []
            while (line := reader.readline()) not in (b"\r\n", b""):
                lines.append(line)
    return status, lines


def peer_names(sock: ssl.SSLSocket) -> tuple[tuple[str, str], ...]:
    """The subjectAltName entries of the certificate the peer presented."""
    certificate = sock.getpeercert()
    assert certificate is not None
    return cast("tuple[tuple[str, str], ...]", certificate["subjectAltName"])


def stable(fields: Any) -> list[tuple[str, str]]:
    return [(n, v) for n, v in fields.items() if n.lower() not in VOLATILE]


def test_http_through_the_tunnel_keeps_one_connection(
    nginx: Nginx, squid: Squid
) -> None:
    small, mid = nginx.samples["small.txt"], nginx.samples["mid.bin"]
    connection = through(httpcore_client, squid, nginx.host, nginx.port)
    try:
        seen = set()
        for number in range(1, 7):
            sample = mid if number % 2 else small
            connection.request("GET", sample.path)
            response = connection.getresponse()
            assert (response.status, response.read()) == (200, sample.data)
            assert response.getheader("X-Connection-Requests") == str(number)
            seen.add(response.getheader("X-Connection"))
        assert len(seen) == 1
        connection.request("GET", "/stream?chunks=40&size=3000")
        assert connection.getresponse().read() == nginx.stream_body(40, 3000)
    finally:
        connection.close()


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1"])
def test_tls_through_the_tunnel(
    nginx: Nginx, squid: Squid, tls: Tls, host: str
) -> None:
    mid = nginx.samples["mid.bin"]
    connection = through(httpcore_client, squid, host, nginx.tls_port, tls.context())
    try:
        for number in (1, 2):
            connection.request("GET", mid.chunked_path)
            response = connection.getresponse()
            assert (response.status, response.read()) == (200, mid.chunked_data)
            assert response.getheader("X-Connection-Requests") == str(number)
        assert isinstance(connection.sock, ssl.SSLSocket)
        # The certificate checked is nginx's, for the tunnel's host.
        assert ("DNS", "localhost") in peer_names(connection.sock)
    finally:
        connection.close()


@pytest.mark.parametrize("tls_inside", [False, True], ids=["http", "https"])
def test_file_upload_through_the_tunnel(
    nginx: Nginx, squid: Squid, tls: Tls, tmp_path: Path, tls_inside: bool
) -> None:
    # 32 MiB sent chunked: more than one run of the client's file sender.
    big = nginx.samples["big.bin"]
    (tmp_path / "body.bin").write_bytes(big.data)
    port, context = (
        (nginx.tls_port, tls.context()) if tls_inside else (nginx.port, None)
    )
    path = f"/dav/tunnel/{tls_inside}.bin"
    connection = through(httpcore_client, squid, "localhost", port, context)
    try:
        with (tmp_path / "body.bin").open("rb") as body:
            connection.request("PUT", path, body)
        response = connection.getresponse()
        assert (response.status, response.read()) == (201, b"")
        connection.request("GET", path)
        stored = connection.getresponse().read()
        assert hashlib.sha256(stored).hexdigest() == big.sha256
    finally:
        connection.close()


@pytest.mark.parametrize("case", ["wrong name", "untrusted CA"])
def test_tls_through_the_tunnel_fails_like_the_standard_library(
    nginx: Nginx, squid: Squid, tls: Tls, case: str
) -> None:
    # The certificate is checked against the tunnel's host, not the proxy's.
    if case == "wrong name":
        port, make_context = nginx.wrong_name_port, tls.context
    else:
        port, make_context = nginx.tls_port, tls.untrusting_context
    errors = []
    for module in (httpcore_client, stdlib):
        connection = through(module, squid, "localhost", port, make_context())
        with pytest.raises(ssl.SSLCertVerificationError) as caught:
            connection.request("GET", "/files/small.txt")
        connection.close()
        error = caught.value
        errors.append((type(error), error.verify_code, error.verify_message))
    assert errors[0] == errors[1]


@pytest.mark.parametrize("tls_inside", [False, True], ids=["http", "https"])
def test_proxy_response_headers(
    nginx: Nginx, squid: Squid, tls: Tls, tls_inside: bool
) -> None:
    port = nginx.tls_port if tls_inside else nginx.port
    status, lines = raw_connect(squid, "127.0.0.1", port)
    assert status.startswith(b"HTTP/1.1 200 ")
    context = tls.context() if tls_inside else None
    connection = through(httpcore_client, squid, "127.0.0.1", port, context)
    try:
        assert connection.get_proxy_response_headers() is None
        connection.request("GET", "/files/small.txt")
        assert connection.getresponse().read() == nginx.samples["small.txt"].data
        headers = connection.get_proxy_response_headers()
        assert headers is not None
        # What squid sent (squid 5 sends no fields with its 200).
        assert stable(headers) == stable(parse_header_lines(lines))
        if hasattr(stdlib.HTTPConnection, "get_proxy_response_headers"):  # 3.12+
            theirs = through(stdlib, squid, "127.0.0.1", port, context)
            theirs.request("GET", "/files/small.txt")
            theirs.getresponse().read()
            assert stable(headers) == stable(theirs.get_proxy_response_headers())
            theirs.close()
    finally:
        connection.close()


def refusal(
    module: Any, squid: Squid, context: ssl.SSLContext | None
) -> tuple[OSError, Any]:
    """The error of a request through a tunnel squid refuses, and the
    connection (closed) it came from."""
    connection = through(module, squid, "127.0.0.1", squid.refused_port, context)
    with pytest.raises(OSError, match=r"^Tunnel connection failed: ") as caught:
        connection.request("GET", "/files/small.txt")
    assert connection.sock is None
    connection.close()
    return caught.value, connection


@pytest.mark.parametrize("tls_inside", [False, True], ids=["http", "https"])
def test_refused_tunnel_fails_like_the_standard_library(
    squid: Squid, tls: Tls, tls_inside: bool
) -> None:
    ours, connection = refusal(
        httpcore_client, squid, tls.context() if tls_inside else None
    )
    with warnings.catch_warnings():
        # http.client 3.10 leaves the CONNECT response's reader, and so the
        # socket, open on a refused tunnel: collect them here, where their
        # ResourceWarning is the standard library's and expected.
        warnings.simplefilter("ignore", ResourceWarning)
        theirs, stdlib_connection = refusal(
            stdlib, squid, tls.context() if tls_inside else None
        )
        theirs = theirs.with_traceback(None)
        gc.collect()
    assert type(ours) is type(theirs) is OSError
    assert str(ours) == str(theirs) == "Tunnel connection failed: 403 Forbidden"
    # The refusal's fields are squid's, as a raw CONNECT sees them.
    status, lines = raw_connect(squid, "127.0.0.1", squid.refused_port)
    assert status == b"HTTP/1.1 403 Forbidden\r\n"
    headers = connection.get_proxy_response_headers()
    assert headers is not None
    assert headers["X-Squid-Error"] == "ERR_ACCESS_DENIED 0"
    assert stable(headers) == stable(parse_header_lines(lines))
    if hasattr(stdlib_connection, "get_proxy_response_headers"):  # 3.12+
        assert stable(headers) == stable(stdlib_connection.get_proxy_response_headers())
