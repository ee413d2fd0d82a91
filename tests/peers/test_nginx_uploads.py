# Request bodies of every kind http.client accepts, sent by httpcore_client to
# a real nginx: WebDAV PUT stored and read back, POST echoed by nginx's
# upstream; with Content-Length and chunked, and 32 MiB files (which the
# client may send with os.sendfile()).
from __future__ import annotations

import hashlib
import io
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

import httpcore_client

if TYPE_CHECKING:
    from conftest import Nginx


def connect(nginx: Nginx) -> httpcore_client.HTTPConnection:
    return httpcore_client.HTTPConnection(nginx.host, nginx.port, timeout=30)


def fetch(connection: Any, method: str, path: str) -> tuple[Any, bytes]:
    connection.request(method, path)
    response = connection.getresponse()
    return response, response.read()


def pieces_of(data: bytes, size: int) -> Iterator[bytes]:
    for start in range(0, len(data), size):
        yield data[start : start + size]


def upload(kind: str, data: bytes, tmp_path: Path) -> tuple[Any, dict[str, str], bytes]:
    """A request body of the given kind holding ``data``, the fields to send
    with it, and the bytes the server must receive."""
    path = tmp_path / f"upload-{kind}.bin"
    path.write_bytes(data)
    chunked = {"Transfer-Encoding": "chunked"}
    length = {"Content-Length": str(len(data))}
    if kind == "bytes":
        return data, {}, data
    if kind == "bytearray":
        return bytearray(data), {}, data
    if kind == "memoryview":
        return memoryview(data), {}, data
    if kind == "str":
        return data.decode("iso-8859-1"), {}, data
    if kind == "file":  # chunked: http.client does not size files
        return path.open("rb"), {}, data
    if kind == "file+length":
        return path.open("rb"), length, data
    if kind == "file@1000":  # sent from where the file stands
        opened = path.open("rb")
        opened.seek(1000)
        return opened, {}, data[1000:]
    if kind == "BytesIO":
        return io.BytesIO(data), {}, data
    if kind == "text-stream":  # encoded as ISO-8859-1
        return io.StringIO(data.decode("iso-8859-1")), {}, data
    if kind == "generator":
        return pieces_of(data, 65_521), chunked, data
    if kind == "list+length":
        return list(pieces_of(data, 10_000)), length, data
    raise AssertionError(kind)


KINDS = [
    "bytes",
    "bytearray",
    "memoryview",
    "str",
    "file",
    "file+length",
    "file@1000",
    "BytesIO",
    "text-stream",
    "generator",
    "list+length",
]


def send_upload(
    connection: Any, method: str, path: str, body: Any, headers: dict[str, str]
) -> Any:
    try:
        connection.request(
            method,
            path,
            body,
            headers,
            encode_chunked=headers.get("Transfer-Encoding") == "chunked",
        )
        return connection.getresponse()
    finally:
        if hasattr(body, "close"):
            body.close()


@pytest.mark.parametrize("kind", KINDS)
def test_put_then_get_it_back(nginx: Nginx, tmp_path: Path, kind: str) -> None:
    data = nginx.samples["mid.bin"].data + kind.encode()
    body, headers, expected = upload(kind, data, tmp_path)
    path = f"/dav/put/{kind}.bin"
    connection = connect(nginx)
    try:
        response = send_upload(connection, "PUT", path, body, headers)
        assert (response.status, response.read()) == (201, b"")
        response, stored = fetch(connection, "GET", path)
        assert (response.status, stored) == (200, expected)
        assert response.getheader("X-Connection-Requests") == "2"
    finally:
        connection.close()


@pytest.mark.parametrize("kind", ["file", "file+length"])
def test_32_mib_file_upload(nginx: Nginx, tmp_path: Path, kind: str) -> None:
    big = nginx.samples["big.bin"]
    body, headers, _ = upload(kind, big.data, tmp_path)
    path = f"/dav/big/{kind}.bin"
    connection = connect(nginx)
    try:
        response = send_upload(connection, "PUT", path, body, headers)
        assert (response.status, response.read()) == (201, b"")
        _, stored = fetch(connection, "GET", path)
        assert hashlib.sha256(stored).hexdigest() == big.sha256
    finally:
        connection.close()


def test_32_mib_upload_overwrite_and_delete(nginx: Nginx) -> None:
    big, mid = nginx.samples["big.bin"], nginx.samples["mid.bin"]
    connection = connect(nginx)
    try:
        connection.request("PUT", "/dav/big/upload.bin", big.data)
        response = connection.getresponse()
        assert (response.status, response.read()) == (201, b"")
        _, body = fetch(connection, "GET", "/dav/big/upload.bin")
        assert hashlib.sha256(body).hexdigest() == big.sha256
        connection.request(
            "PUT", "/dav/big/upload.bin", pieces_of(mid.data, 4096), encode_chunked=True
        )
        response = connection.getresponse()
        assert (response.status, response.read()) == (204, b"")
        assert fetch(connection, "GET", "/dav/big/upload.bin")[1] == mid.data
        assert fetch(connection, "DELETE", "/dav/big/upload.bin")[0].status == 204
        assert fetch(connection, "GET", "/dav/big/upload.bin")[0].status == 404
        assert connection.sock is not None
    finally:
        connection.close()


@pytest.mark.parametrize("kind", KINDS)
def test_post_is_echoed_through_nginx(nginx: Nginx, tmp_path: Path, kind: str) -> None:
    data = bytes(range(256)) * 1000 + kind.encode()
    connection = connect(nginx)
    try:
        for number in (1, 2):
            body, headers, expected = upload(kind, data, tmp_path)
            response = send_upload(connection, "POST", "/echo", body, headers)
            assert (response.status, response.read()) == (200, expected)
            assert response.getheader("X-Connection-Requests") == str(number)
    finally:
        connection.close()
