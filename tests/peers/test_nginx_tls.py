# HTTPSConnection against nginx with a trustme certificate: the host names
# and addresses the certificate names, keep-alive and large bodies over TLS,
# and the failures (a certificate for another name, a CA the client does not
# trust), each raising what http.client raises against the same server.
from __future__ import annotations

import hashlib
import http.client as stdlib
import ssl
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import pytest

import httpcore_client

if TYPE_CHECKING:
    from conftest import Nginx, Tls

MiB = 1 << 20


def https(
    module: Any, host: str, port: int, context: ssl.SSLContext | None
) -> httpcore_client.HTTPSConnection:
    connection: httpcore_client.HTTPSConnection = module.HTTPSConnection(
        host, port, timeout=30, context=context
    )
    return connection


def peer_names(sock: ssl.SSLSocket) -> tuple[tuple[str, str], ...]:
    """The subjectAltName entries of the certificate the peer presented."""
    certificate = sock.getpeercert()
    assert certificate is not None
    return cast("tuple[tuple[str, str], ...]", certificate["subjectAltName"])


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1", "::1"])
def test_valid_certificate_and_keep_alive(nginx: Nginx, tls: Tls, host: str) -> None:
    if host == "::1" and not nginx.ipv6:
        pytest.skip("no ::1 on this machine")
    mid = nginx.samples["mid.bin"]
    connection = https(httpcore_client, host, nginx.tls_port, tls.context())
    try:
        for number in (1, 2, 3):
            connection.request("GET", mid.path)
            response = connection.getresponse()
            assert (response.status, response.read()) == (200, mid.data)
            assert response.getheader("X-Connection-Requests") == str(number)
        assert isinstance(connection.sock, ssl.SSLSocket)
        assert connection.sock.version() in {"TLSv1.2", "TLSv1.3"}
        assert ("DNS", "localhost") in peer_names(connection.sock)
    finally:
        connection.close()


def test_default_context_offers_http_1_1_like_the_standard_library(
    nginx: Nginx, tls: Tls
) -> None:
    negotiated = []
    for module in (httpcore_client, stdlib):
        # The context the class builds when given none, made to trust our CA.
        connection = https(module, "localhost", nginx.tls_port, None)
        tls.ca.configure_trust(connection._context)
        try:
            connection.request("HEAD", "/files/small.txt")
            response = connection.getresponse()
            assert (response.status, response.read()) == (200, b"")
            negotiated.append(connection.sock.selected_alpn_protocol())
        finally:
            connection.close()
    assert negotiated == ["http/1.1", "http/1.1"]


def pieces(response: Any) -> Iterator[bytes]:
    while piece := response.read(MiB):
        yield piece


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_32_mib_over_tls(nginx: Nginx, tls: Tls, chunked: bool) -> None:
    big = nginx.samples["big.bin"]
    expected = big.chunked_data if chunked else big.data
    connection = https(httpcore_client, "localhost", nginx.tls_port, tls.context())
    try:
        connection.request("GET", big.chunked_path if chunked else big.path)
        hasher = hashlib.sha256()
        for piece in pieces(connection.getresponse()):
            hasher.update(piece)
        assert hasher.hexdigest() == hashlib.sha256(expected).hexdigest()
        connection.request("GET", "/stream?chunks=20&size=5000")
        assert connection.getresponse().read() == nginx.stream_body(20, 5000)
    finally:
        connection.close()


def test_chunked_upload_over_tls(nginx: Nginx, tls: Tls) -> None:
    data = nginx.samples["mid.bin"].data[::-1]

    def body() -> Iterator[bytes]:
        for start in range(0, len(data), 10_007):
            yield data[start : start + 10_007]

    connection = https(httpcore_client, "localhost", nginx.tls_port, tls.context())
    try:
        connection.request("PUT", "/dav/tls/upload.bin", body(), encode_chunked=True)
        response = connection.getresponse()
        assert (response.status, response.read()) == (201, b"")
        connection.request("POST", "/echo", body(), encode_chunked=True)
        assert connection.getresponse().read() == data
        connection.request("GET", "/dav/tls/upload.bin")
        assert connection.getresponse().read() == data
    finally:
        connection.close()


@pytest.mark.parametrize("sized", [False, True], ids=["chunked", "content-length"])
def test_file_upload_over_tls(
    nginx: Nginx, tls: Tls, tmp_path: Path, sized: bool
) -> None:
    data = nginx.samples["mid.bin"].data[::3]
    (tmp_path / "body.bin").write_bytes(data)
    headers = {"Content-Length": str(len(data))} if sized else {}
    path = f"/dav/tls/file-{sized}.bin"
    connection = https(httpcore_client, "localhost", nginx.tls_port, tls.context())
    try:
        with (tmp_path / "body.bin").open("rb") as body:
            connection.request("PUT", path, body, headers)
        response = connection.getresponse()
        assert (response.status, response.read()) == (201, b"")
        connection.request("GET", path)
        assert connection.getresponse().read() == data
    finally:
        connection.close()


def failure(module: Any, host: str, port: int, context: ssl.SSLContext) -> Exception:
    connection = https(module, host, port, context)
    try:
        connection.request("GET", "/files/small.txt")
    except Exception as error:
        return error
    finally:
        connection.close()
    raise AssertionError(f"{module.__name__}: the request to {host}:{port} worked")


@pytest.mark.parametrize(
    ("case", "host"),
    [
        ("wrong name", "127.0.0.1"),
        ("wrong name", "localhost"),
        ("untrusted CA", "localhost"),
        ("untrusted CA", "127.0.0.1"),
    ],
)
def test_certificate_failures_match_the_standard_library(
    nginx: Nginx, tls: Tls, case: str, host: str
) -> None:
    if case == "wrong name":
        port, make_context = nginx.wrong_name_port, tls.context
    else:
        port, make_context = nginx.tls_port, tls.untrusting_context
    ours = failure(httpcore_client, host, port, make_context())
    theirs = failure(stdlib, host, port, make_context())
    assert type(theirs) is ssl.SSLCertVerificationError
    assert type(ours) is type(theirs)
    assert isinstance(ours, ssl.SSLCertVerificationError)
    assert (ours.verify_code, ours.verify_message) == (
        theirs.verify_code,
        theirs.verify_message,
    )
    assert str(ours) == str(theirs)
