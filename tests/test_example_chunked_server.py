"""The server author's example (docs/examples/chunked_server.py) against real,
independent clients on loopback: curl and the standard library's http.client.
Every byte of every body, the framing on the wire and the trailers are
checked."""

from __future__ import annotations

import hashlib
import http.client
import os
import shutil
import subprocess
from collections.abc import Iterator

import pytest

CURL = shutil.which("curl")

needs_curl = pytest.mark.skipif(
    CURL is None and not os.environ.get("CI"),
    reason="curl is not installed (apt-get install curl); CI installs it",
)


@pytest.fixture
def server(chunked_server: int) -> int:
    return chunked_server


def expected_stream(chunks: int, size: int) -> bytes:
    """What /stream must send, worked out here rather than by the example."""
    return (bytes(range(256)) * (size // 256 + 1))[:size] * chunks


def curl(*args: str, stdin: bytes = b"") -> bytes:
    assert CURL is not None, "curl must be installed on CI"
    done = subprocess.run(
        [CURL, "--silent", "--show-error", "--fail", "--max-time", "30", *args],
        input=stdin,
        capture_output=True,
        check=True,
        timeout=60,
    )
    return done.stdout


STREAMS = [(1, 1), (3, 5), (4, 1024), (100, 1000), (2, 70000), (64, 16384)]


@needs_curl
@pytest.mark.parametrize(("chunks", "size"), STREAMS)
def test_curl_downloads_the_streamed_body(server: int, chunks: int, size: int) -> None:
    body = curl(f"http://127.0.0.1:{server}/stream?chunks={chunks}&size={size}")
    assert body == expected_stream(chunks, size)


@needs_curl
def test_curl_sees_exact_chunked_framing_and_trailer(server: int) -> None:
    raw = curl("--raw", f"http://127.0.0.1:{server}/stream?chunks=3&size=5")
    data = expected_stream(3, 5)[:5]
    digest = hashlib.sha256(expected_stream(3, 5)).hexdigest()
    assert (
        raw
        == (b"5\r\n" + data + b"\r\n") * 3
        + b"0\r\nBody-SHA256: "
        + digest.encode()
        + b"\r\n\r\n"
    )


UPLOADS = [b"", b"x", bytes(range(256)) * 4, os.urandom(300_000)]


@needs_curl
@pytest.mark.parametrize("body", UPLOADS, ids=lambda body: f"{len(body)}-bytes")
@pytest.mark.parametrize("chunked", [True, False], ids=["chunked", "content-length"])
def test_curl_upload_is_echoed_byte_for_byte(
    server: int, body: bytes, chunked: bool
) -> None:
    headers = ["-H", "Transfer-Encoding: chunked"] if chunked else []
    echoed = curl(
        *headers,
        "--data-binary",
        "@-",
        "-H",
        "Content-Type: application/octet-stream",
        f"http://127.0.0.1:{server}/echo",
        stdin=body,
    )
    assert echoed == body


def test_http_client_streams_and_reuses_the_connection(server: int) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", server, timeout=30)
    sockets = []
    try:
        for chunks, size in STREAMS:
            connection.request("GET", f"/stream?chunks={chunks}&size={size}")
            sockets.append(connection.sock)
            response = connection.getresponse()
            assert response.status == 200
            assert response.getheader("Transfer-Encoding") == "chunked"
            assert response.read() == expected_stream(chunks, size)
        # One socket served every request: the framing ended each body exactly.
        assert sockets[0] is not None
        assert all(sock is sockets[0] for sock in sockets)
        assert connection.sock is sockets[0]
    finally:
        connection.close()


@pytest.mark.parametrize("body", UPLOADS, ids=lambda body: f"{len(body)}-bytes")
def test_http_client_chunked_upload_from_a_generator(server: int, body: bytes) -> None:
    def pieces() -> Iterator[bytes]:
        for start in range(0, len(body), 7001):
            yield body[start : start + 7001]

    connection = http.client.HTTPConnection("127.0.0.1", server, timeout=30)
    try:
        connection.request(
            "POST",
            "/echo",
            body=pieces(),
            encode_chunked=True,
            headers={"Transfer-Encoding": "chunked"},
        )
        response = connection.getresponse()
        assert response.read() == body
        # A second request on the same connection still works.
        connection.request("POST", "/echo", body=b"again")
        assert connection.getresponse().read() == b"again"
    finally:
        connection.close()
