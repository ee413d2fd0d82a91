# httpcore_client against a real nginx on loopback, over plain HTTP:
# keep-alive reuse and nginx's keepalive_requests limit, HEAD, 304, a 32 MiB
# body read three ways, chunked bodies (nginx's own and a proxied stream, with
# a trailer), and the response attributes next to the standard library's for
# the same requests.  Uploads are in test_nginx_uploads.py.
from __future__ import annotations

import hashlib
import http.client as stdlib
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import pytest

import httpcore_client

if TYPE_CHECKING:
    from conftest import Nginx, Sample

MiB = 1 << 20
# Fields whose values change from one request to the next.
VOLATILE = frozenset({"date", "x-connection", "x-connection-requests"})


def connect(nginx: Nginx, port: int | None = None) -> httpcore_client.HTTPConnection:
    return httpcore_client.HTTPConnection(nginx.host, port or nginx.port, timeout=30)


def fetch(
    connection: Any, method: str, path: str, headers: dict[str, str] | None = None
) -> tuple[Any, bytes]:
    """Send a request on ``connection`` (ours or the standard library's) and
    read the whole response."""
    connection.request(method, path, headers=headers or {})
    response = connection.getresponse()
    return response, response.read()


def stable_fields(response: Any) -> list[tuple[str, str]]:
    return [
        (name, value)
        for name, value in response.getheaders()
        if name.lower() not in VOLATILE
    ]


# -- keep-alive ---------------------------------------------------------------


def test_many_requests_share_one_socket(nginx: Nginx) -> None:
    small, mid = nginx.samples["small.txt"], nginx.samples["mid.bin"]
    connection = connect(nginx)
    try:
        nginx_connections, sockets = set(), []
        for number in range(1, 41):
            sample = small if number % 2 else mid
            response, body = fetch(connection, "GET", sample.path)
            assert (response.status, body) == (200, sample.data)
            assert response.getheader("X-Connection-Requests") == str(number)
            nginx_connections.add(response.getheader("X-Connection"))
            sockets.append(connection.sock)
        assert len(nginx_connections) == 1
        assert all(sock is sockets[0] for sock in sockets)
    finally:
        connection.close()


def test_keepalive_requests_limit_opens_a_new_connection(nginx: Nginx) -> None:
    small = nginx.samples["small.txt"]
    connection = connect(nginx, nginx.limited_port)
    try:
        numbers, connections = [], []
        for _ in range(12):
            response, body = fetch(connection, "GET", small.path)
            assert body == small.data
            numbers.append(int(response.getheader("X-Connection-Requests")))
            connections.append(response.getheader("X-Connection"))
            closing = numbers[-1] == 5
            assert response.will_close is closing
            assert (response.getheader("Connection") == "close") is closing
            assert (connection.sock is None) is closing
        assert numbers == [1, 2, 3, 4, 5, 1, 2, 3, 4, 5, 1, 2]
        assert len(set(connections)) == 3
    finally:
        connection.close()


# -- HEAD and 304 -------------------------------------------------------------


def test_head_has_no_body_and_keeps_the_connection(nginx: Nginx) -> None:
    big, small = nginx.samples["big.bin"], nginx.samples["small.txt"]
    connection = connect(nginx)
    try:
        response, body = fetch(connection, "HEAD", big.path)
        assert (response.status, body) == (200, b"")
        assert response.getheader("Content-Length") == str(len(big.data))
        assert response.isclosed()
        sock = connection.sock
        response, body = fetch(connection, "GET", small.path)
        assert body == small.data
        assert response.getheader("X-Connection-Requests") == "2"
        assert connection.sock is sock
    finally:
        connection.close()


def validators(nginx: Nginx, sample: Sample) -> dict[str, dict[str, str]]:
    """Conditional request fields that match ``sample`` as nginx serves it."""
    connection = stdlib.HTTPConnection(nginx.host, nginx.port, timeout=30)
    try:
        response, _ = fetch(connection, "HEAD", sample.path)
    finally:
        connection.close()
    return {
        "etag": {"If-None-Match": response.getheader("ETag")},
        "date": {"If-Modified-Since": response.getheader("Last-Modified")},
    }


@pytest.mark.parametrize("condition", ["etag", "date"])
def test_not_modified_then_the_next_request(nginx: Nginx, condition: str) -> None:
    mid = nginx.samples["mid.bin"]
    headers = validators(nginx, mid)[condition]
    connection = connect(nginx)
    try:
        for number in (1, 3):
            response, body = fetch(connection, "GET", mid.path, headers)
            assert (response.status, response.reason, body) == (
                304,
                "Not Modified",
                b"",
            )
            assert response.getheader("X-Connection-Requests") == str(number)
            response, body = fetch(connection, "GET", mid.path)
            assert (response.status, body) == (200, mid.data)
    finally:
        connection.close()


CLIENTS = {"httpcore_client": httpcore_client, "http.client": stdlib}


@pytest.mark.parametrize("client", list(CLIENTS))
@pytest.mark.parametrize("path", ["/files/mid.bin", "/chunked/mid.bin"])
def test_close_with_an_unread_response(nginx: Nginx, path: str, client: str) -> None:
    # Callers close a connection whose response they gave up on (an error,
    # a redirect they do not follow); http.client (the control) allows it.
    connection = CLIENTS[client].HTTPConnection(nginx.host, nginx.port, timeout=30)
    connection.request("GET", path)
    response = connection.getresponse()
    connection.close()
    assert connection.sock is None
    assert response.isclosed()
    assert response.read() == b""
    connection.close()


# -- responses next to the standard library's ---------------------------------

REQUESTS = [
    ("GET", "/files/small.txt", None),
    ("GET", "/files/mid.bin", None),
    ("HEAD", "/files/big.bin", None),
    ("GET", "/files/mid.bin", "etag"),
    ("HEAD", "/files/mid.bin", "date"),
    ("GET", "/chunked/mid.bin", None),
    ("HEAD", "/chunked/small.txt", None),
    ("GET", "/stream?chunks=50&size=999", None),
    ("GET", "/files/missing", None),
    ("DELETE", "/files/small.txt", None),
]


@pytest.mark.parametrize(("method", "path", "condition"), REQUESTS)
def test_response_matches_the_standard_library(
    nginx: Nginx, method: str, path: str, condition: str | None
) -> None:
    headers = (
        validators(nginx, nginx.samples["mid.bin"])[condition] if condition else {}
    )
    results = []
    for connection in (
        connect(nginx),
        stdlib.HTTPConnection(nginx.host, nginx.port, timeout=30),
    ):
        try:
            connection.request(method, path, headers=headers)
            response = connection.getresponse()
            state = (
                response.status,
                response.reason,
                response.version,
                response.chunked,
                response.length,
                response.will_close,
            )
            body = response.read()
            results.append((state, stable_fields(response), body, response.isclosed()))
        finally:
            connection.close()
    ours, theirs = results
    assert ours == theirs


# -- large and chunked bodies -------------------------------------------------


def read_whole(response: Any) -> Iterator[bytes]:
    yield response.read()


def read_pieces(response: Any, size: int = MiB) -> Iterator[bytes]:
    while piece := response.read(size):
        assert len(piece) <= size
        yield piece


def read_into(response: Any, size: int = MiB) -> Iterator[bytes]:
    buffer = bytearray(size)
    while count := response.readinto(buffer):
        yield bytes(buffer[:count])


def read_odd(response: Any) -> Iterator[bytes]:
    return read_pieces(response, 7919)


READERS: dict[str, Callable[[Any], Iterator[bytes]]] = {
    "read()": read_whole,
    "read(1 MiB)": read_pieces,
    "readinto(1 MiB)": read_into,
    "read(7919)": read_odd,
}


def digest(pieces: Iterator[bytes]) -> tuple[int, str]:
    hasher = hashlib.sha256()
    size = 0
    for piece in pieces:
        hasher.update(piece)
        size += len(piece)
    return size, hasher.hexdigest()


@pytest.mark.parametrize("reader", ["read()", "read(1 MiB)", "readinto(1 MiB)"])
@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_32_mib_body_is_byte_exact(nginx: Nginx, reader: str, chunked: bool) -> None:
    big, small = nginx.samples["big.bin"], nginx.samples["small.txt"]
    expected = big.chunked_data if chunked else big.data
    connection = connect(nginx)
    try:
        connection.request("GET", big.chunked_path if chunked else big.path)
        response = connection.getresponse()
        assert response.chunked is chunked
        sock = connection.sock
        size, sha256 = digest(READERS[reader](response))
        assert (size, sha256) == (len(expected), hashlib.sha256(expected).hexdigest())
        assert response.isclosed()
        # The body ended exactly where the framing said: the socket is reused.
        _, body = fetch(connection, "GET", small.path)
        assert body == small.data
        assert connection.sock is sock
    finally:
        connection.close()


@pytest.mark.parametrize("reader", list(READERS))
@pytest.mark.parametrize(
    ("chunks", "size"), [(1, 1), (50, 999), (300, 4096), (8, 70000)]
)
def test_proxied_stream_is_chunked_and_exact(
    nginx: Nginx, reader: str, chunks: int, size: int
) -> None:
    expected = nginx.stream_body(chunks, size)
    connection = connect(nginx)
    try:
        for _ in range(2):
            connection.request("GET", f"/stream?chunks={chunks}&size={size}")
            response = connection.getresponse()
            assert response.getheader("Transfer-Encoding") == "chunked"
            assert b"".join(READERS[reader](response)) == expected
            assert response.trailers is not None
            assert response.trailers.items() == [("X-Trailer-Check", "body-complete")]
        assert response.getheader("X-Connection-Requests") == "2"
    finally:
        connection.close()


def test_chunked_body_read_line_by_line(nginx: Nginx) -> None:
    mid = nginx.samples["mid.bin"]
    connection = connect(nginx)
    try:
        connection.request("GET", mid.chunked_path)
        response = connection.getresponse()
        lines = list(response)
        assert b"".join(lines) == mid.chunked_data
        assert lines[-1] == b"-- appended by nginx --\n"
    finally:
        connection.close()


def test_ipv6_loopback(nginx: Nginx) -> None:
    if not nginx.ipv6:
        pytest.skip("no ::1 on this machine")
    small = nginx.samples["small.txt"]
    connection = httpcore_client.HTTPConnection(f"[::1]:{nginx.port}", timeout=30)
    try:
        assert fetch(connection, "GET", small.path)[1] == small.data
        assert connection.sock.getpeername()[0] == "::1"
    finally:
        connection.close()
