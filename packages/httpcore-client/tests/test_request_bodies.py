# Request bodies of every kind request() takes, checked on the wire: the
# loopback server records every byte until the client closes, and the same
# request sent by the running interpreter's http.client must give the same
# bytes (the one documented difference, array chunk sizes, has its own
# test).  The expected bytes are also written out, so that a difference in
# both cannot pass unnoticed.
from __future__ import annotations

import http.client
import io
import socket
from array import array
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from httpcore_client import HTTPConnection, _sendfile

if TYPE_CHECKING:
    from conftest import AuditLog, Loopback


def _generator(*pieces: bytes) -> Iterator[bytes]:
    yield from pieces


def _disk_file(tmp_path: Path, data: bytes) -> Any:
    path = tmp_path / "body.bin"
    path.write_bytes(data)
    return path.open("rb")


FIELDS = "{method} / HTTP/1.1\r\nHost: {host}\r\nAccept-Encoding: identity\r\n"
CHUNKED = "Transfer-Encoding: chunked\r\n"


# name -> (method, body factory, headers, request() keywords, connection
# keywords, what follows the Host and Accept-Encoding fields)
Case = tuple[
    str,
    Callable[[Path], Any],
    dict[str, str],
    dict[str, Any],
    dict[str, Any],
    bytes,
]
CASES: dict[str, Case] = {
    "bytes": (
        "POST",
        lambda _: b"hello",
        {},
        {},
        {},
        b"Content-Length: 5\r\n\r\nhello",
    ),
    "empty bytes": ("POST", lambda _: b"", {}, {}, {}, b"Content-Length: 0\r\n\r\n"),
    "no body, POST": ("POST", lambda _: None, {}, {}, {}, b"Content-Length: 0\r\n\r\n"),
    "no body, PUT": ("PUT", lambda _: None, {}, {}, {}, b"Content-Length: 0\r\n\r\n"),
    "no body, patch": (
        "patch",
        lambda _: None,
        {},
        {},
        {},
        b"Content-Length: 0\r\n\r\n",
    ),
    "no body, GET": ("GET", lambda _: None, {}, {}, {}, b"\r\n"),
    "empty body, GET": ("GET", lambda _: b"", {}, {}, {}, b"Content-Length: 0\r\n\r\n"),
    "str, Latin-1": (
        "POST",
        lambda _: "h\u00e9llo \u00ff",
        {"Content-Type": "text/plain"},
        {},
        {},
        b"Content-Length: 7\r\nContent-Type: text/plain\r\n\r\nh\xe9llo \xff",
    ),
    "bytearray": (
        "POST",
        lambda _: bytearray(b"hello"),
        {},
        {},
        {},
        b"Content-Length: 5\r\n\r\nhello",
    ),
    "memoryview slice": (
        "POST",
        lambda _: memoryview(b"hello world")[6:],
        {},
        {},
        {},
        b"Content-Length: 5\r\n\r\nworld",
    ),
    "array('H')": (
        "POST",
        lambda _: array("H", [0x4241, 0x4443]),
        {},
        {},
        {},
        b"Content-Length: 4\r\n\r\n" + array("H", [0x4241, 0x4443]).tobytes(),
    ),
    "memoryview of array('i')": (
        "POST",
        lambda _: memoryview(array("i", [1, 2])),
        {},
        {},
        {},
        b"Content-Length: 8\r\n\r\n" + array("i", [1, 2]).tobytes(),
    ),
    "bytes over 64 KiB": (
        "PUT",
        lambda _: b"x" * 70000,
        {},
        {},
        {},
        b"Content-Length: 70000\r\n\r\n" + b"x" * 70000,
    ),
    "binary file": (
        "POST",
        lambda _: io.BytesIO(b"file data"),
        {},
        {},
        {},
        CHUNKED.encode() + b"\r\n9\r\nfile data\r\n0\r\n\r\n",
    ),
    "binary file, blocksize 4": (
        "POST",
        lambda _: io.BytesIO(b"file data"),
        {},
        {},
        {"blocksize": 4},
        CHUNKED.encode() + b"\r\n4\r\nfile\r\n4\r\n dat\r\n1\r\na\r\n0\r\n\r\n",
    ),
    "binary file, Content-Length": (
        "PUT",
        lambda _: io.BytesIO(b"file data"),
        {"Content-Length": "9"},
        {},
        {"blocksize": 2},
        b"Content-Length: 9\r\n\r\nfile data",
    ),
    "disk file": (
        "POST",
        lambda tmp_path: _disk_file(tmp_path, b"0123456789"),
        {},
        {},
        {},
        CHUNKED.encode() + b"\r\nA\r\n0123456789\r\n0\r\n\r\n",
    ),
    "disk file, blocksize 4": (
        "POST",
        lambda tmp_path: _disk_file(tmp_path, b"0123456789"),
        {},
        {},
        {"blocksize": 4},
        CHUNKED.encode() + b"\r\n4\r\n0123\r\n4\r\n4567\r\n2\r\n89\r\n0\r\n\r\n",
    ),
    "disk file, Content-Length": (
        "PUT",
        lambda tmp_path: _disk_file(tmp_path, b"0123456789"),
        {"Content-Length": "10"},
        {},
        {"blocksize": 4},
        b"Content-Length: 10\r\n\r\n0123456789",
    ),
    "text file": (
        "POST",
        lambda _: io.StringIO("t\u00e9xt"),
        {},
        {},
        {},
        CHUNKED.encode() + b"\r\n4\r\nt\xe9xt\r\n0\r\n\r\n",
    ),
    "generator": (
        "POST",
        lambda _: _generator(b"ab", b"", b"cde"),
        {},
        {},
        {},
        CHUNKED.encode() + b"\r\n2\r\nab\r\n3\r\ncde\r\n0\r\n\r\n",
    ),
    "list of buffers": (
        "POST",
        lambda _: [bytearray(b"ab"), b"", memoryview(b"cd"), b"e"],
        {},
        {},
        {},
        CHUNKED.encode() + b"\r\n2\r\nab\r\n2\r\ncd\r\n1\r\ne\r\n0\r\n\r\n",
    ),
    "encode_chunked with Transfer-Encoding": (
        "PUT",
        lambda _: _generator(b"abc"),
        {"Transfer-Encoding": "chunked"},
        {"encode_chunked": True},
        {},
        CHUNKED.encode() + b"\r\n3\r\nabc\r\n0\r\n\r\n",
    ),
    "encode_chunked with bytes and a given Transfer-Encoding": (
        "PUT",
        lambda _: b"abc",
        {"Transfer-Encoding": "chunked"},
        {"encode_chunked": True},
        {},
        CHUNKED.encode() + b"\r\n3\r\nabc\r\n0\r\n\r\n",
    ),
    "Transfer-Encoding without encode_chunked": (
        "PUT",
        lambda _: _generator(b"3\r\nabc\r\n", b"0\r\n\r\n"),
        {"Transfer-Encoding": "chunked"},
        {},
        {},
        CHUNKED.encode() + b"\r\n3\r\nabc\r\n0\r\n\r\n",
    ),
    "encode_chunked ignored when the length is known": (
        "PUT",
        lambda _: b"abc",
        {},
        {"encode_chunked": True},
        {},
        b"Content-Length: 3\r\n\r\nabc",
    ),
    "Content-Length given for a generator": (
        "PUT",
        lambda _: _generator(b"he", b"llo"),
        {"Content-Length": "5"},
        {"encode_chunked": True},
        {},
        b"Content-Length: 5\r\n\r\nhello",
    ),
    "Host and Accept-Encoding given": (
        "GET",
        lambda _: None,
        {"Host": "example.com", "Accept-Encoding": "gzip"},
        {},
        {},
        b"",  # see EXACT below
    ),
}
EXACT = {
    "Host and Accept-Encoding given": (
        b"GET / HTTP/1.1\r\nHost: example.com\r\nAccept-Encoding: gzip\r\n\r\n"
    ),
}


def _send(
    loopback: Loopback, server: Any, cls: type[Any], case: Case, tmp_path: Path
) -> None:
    method, body, headers, request_kwargs, connection_kwargs, _ = case
    conn = loopback.connect(server, cls, **connection_kwargs)
    data = body(tmp_path)
    if isinstance(data, io.IOBase):
        loopback.track(data)
    conn.request(method, "/", data, headers, **request_kwargs)
    conn.close()


@pytest.mark.parametrize("name", sorted(CASES))
def test_request_bytes_like_stdlib(
    loopback: Loopback, tmp_path: Path, name: str
) -> None:
    case = CASES[name]
    server = loopback.serve(loopback.records(), loopback.records())
    _send(loopback, server, HTTPConnection, case, tmp_path)
    _send(loopback, server, http.client.HTTPConnection, case, tmp_path)
    server.wait()
    ours, theirs = server.requests
    method, *_, rest = case
    host = f"{server.host}:{server.port}"
    expected = (
        EXACT.get(name) or FIELDS.format(method=method, host=host).encode() + rest
    )
    assert theirs == expected
    if name in SENDFILE_FRAMING:
        # A chunked file on disk goes out with os.sendfile(), in chunks of up
        # to 16 MiB instead of blocksize (a documented difference): the same
        # head and body, other chunk sizes.
        assert ours == expected.split(b"\r\n\r\n", 1)[0] + SENDFILE_FRAMING[name]
    else:
        assert ours == expected


SENDFILE_FRAMING = {"disk file, blocksize 4": b"\r\n\r\nA\r\n0123456789\r\n0\r\n\r\n"}


def test_http_10_request(loopback: Loopback) -> None:
    # The ecosystem's _http_vsn = 10 monkeypatch: no Host, no chunk framing.
    class OldConnection(HTTPConnection):
        _http_vsn = 10
        _http_vsn_str = "HTTP/1.0"

    class OldStdlib(http.client.HTTPConnection):
        _http_vsn = 10
        _http_vsn_str = "HTTP/1.0"

    server = loopback.serve(loopback.records(), loopback.records())
    classes: tuple[type[Any], ...] = (OldConnection, OldStdlib)
    for cls in classes:
        conn = loopback.connect(server, cls)
        conn.request("POST", "/", _generator(b"ab", b"cd"))
        conn.close()
    server.wait()
    assert (
        server.requests
        == [b"POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\nabcd"] * 2
    )


def test_array_chunk_sizes_count_bytes(loopback: Loopback) -> None:
    # Documented difference: http.client frames an array('H') of two items
    # as a 2-byte chunk and then sends 4 bytes.
    data = array("H", [0x4241, 0x4443])
    server = loopback.serve(loopback.records(), loopback.records())
    classes: tuple[type[Any], ...] = (HTTPConnection, http.client.HTTPConnection)
    for cls in classes:
        conn = loopback.connect(server, cls)
        conn.request("POST", "/", [data])
        conn.close()
    server.wait()
    ours, theirs = server.requests
    assert ours.endswith(b"\r\n\r\n4\r\n" + data.tobytes() + b"\r\n0\r\n\r\n")
    assert theirs.endswith(b"\r\n\r\n2\r\n" + data.tobytes() + b"\r\n0\r\n\r\n")


@pytest.mark.parametrize(
    ("body", "sends"),
    [
        (b"hello", 1),
        (b"x" * 70000, 2),
        (bytearray(b"hello"), 2),
        ([b"he", b"llo"], 4),
    ],
    ids=["small bytes", "large bytes", "bytearray", "iterable"],
)
def test_head_and_small_body_in_one_send(
    loopback: Loopback, audit: AuditLog, body: Any, sends: int
) -> None:
    server = loopback.serve(loopback.records())
    conn = loopback.connect(server, HTTPConnection)
    conn.request("POST", "/", body)
    events = [args[0] for event, args in audit.of(conn) if event == "http.client.send"]
    conn.close()
    server.wait()
    assert len(events) == sends
    assert b"".join(bytes(piece) for piece in events) == server.requests[0]


def test_blocksize_is_the_read_size(loopback: Loopback) -> None:
    class CountingFile(io.BytesIO):
        def __init__(self, data: bytes) -> None:
            super().__init__(data)
            self.sizes: list[int | None] = []

        def read(self, size: int | None = -1, /) -> bytes:
            self.sizes.append(size)
            return super().read(size)

    server = loopback.serve(loopback.records())
    conn = loopback.connect(server, HTTPConnection, blocksize=3)
    body = CountingFile(b"abcdefgh")
    conn.request("PUT", "/", body, {"Content-Length": "8"})
    conn.close()
    server.wait()
    assert body.sizes == [3, 3, 3, 3]
    assert server.requests[0].endswith(b"\r\n\r\nabcdefgh")


def test_file_body_from_its_position(loopback: Loopback, tmp_path: Path) -> None:
    server = loopback.serve(loopback.records(), loopback.records())
    for body in (
        io.BytesIO(b"skip:data"),
        loopback.track(_disk_file(tmp_path, b"skip:data")),
    ):
        body.seek(5)
        conn = loopback.connect(server, HTTPConnection)
        conn.request("PUT", "/", body, {"Content-Length": "4"})
        conn.close()
    server.wait()
    assert [request[-6:] for request in server.requests] == [b"\r\ndata"] * 2


@pytest.mark.parametrize(
    "body", ["\u20ac", 12, object()], ids=["not Latin-1", "int", "object"]
)
def test_bodies_refused_before_sending(loopback: Loopback, body: object) -> None:
    server = loopback.serve(loopback.records())
    conn = loopback.connect(server, HTTPConnection)
    conn.connect()
    with pytest.raises((UnicodeEncodeError, TypeError)):
        conn.request("POST", "/", body)
    conn.close()
    server.wait()
    assert server.requests == [b""]


# -- regular files: os.sendfile() or the copy loop ----------------------------

TRANSFERS = ["sendfile", "copy"]


def _transfer(monkeypatch: pytest.MonkeyPatch, transfer: str) -> list[str]:
    """Make every connection send file bodies the given way (the choice is
    made by the peer's address, and these tests only have loopback); the
    list returned names the transfer of each run sent."""
    monkeypatch.setattr(_sendfile, "sendfile_pays", lambda sock: transfer == "sendfile")
    used: list[str] = []
    for name in ("_sendfile", "_copy"):
        original = getattr(_sendfile, name)

        def recorded(*args: Any, _name: str = name, _original: Any = original) -> int:
            used.append(_name.lstrip("_"))
            result: int = _original(*args)
            return result

        monkeypatch.setattr(_sendfile, name, recorded)
    return used


@pytest.mark.parametrize("transfer", TRANSFERS)
@pytest.mark.parametrize("chunked", [False, True], ids=["Content-Length", "chunked"])
def test_a_large_file_body_at_an_offset(
    loopback: Loopback,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    transfer: str,
    chunked: bool,
) -> None:
    # More than one piece of the copy loop, sent from where the caller left
    # the file's position; the position ends at the end of the file.
    used = _transfer(monkeypatch, transfer)
    data = bytes(range(256)) * (13 << 10) + b"tail"
    body = loopback.track(_disk_file(tmp_path, data))
    body.seek(100)
    rest = data[100:]
    server = loopback.serve(loopback.records())
    conn = loopback.connect(server, HTTPConnection)
    if chunked:
        conn.request(
            "PUT",
            "/",
            body,
            encode_chunked=True,
            headers={"Transfer-Encoding": "chunked"},
        )
        framing = b"%X\r\n" % len(rest) + rest + b"\r\n0\r\n\r\n"
    else:
        conn.request("PUT", "/", body, {"Content-Length": str(len(rest))})
        framing = rest
    assert body.tell() == len(data)
    conn.close()
    server.wait()
    head, sent = server.requests[0].split(b"\r\n\r\n", 1)
    assert sent == framing
    assert (b"Transfer-Encoding: chunked" in head) is chunked
    assert used == [transfer]


@pytest.mark.parametrize("transfer", TRANSFERS)
@pytest.mark.parametrize(
    "name", [*sorted(SENDFILE_FRAMING), "disk file, Content-Length"]
)
def test_small_file_bodies_either_way(
    loopback: Loopback,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    transfer: str,
    name: str,
) -> None:
    used = _transfer(monkeypatch, transfer)
    case = CASES[name]
    server = loopback.serve(loopback.records())
    _send(loopback, server, HTTPConnection, case, tmp_path)
    server.wait()
    body = SENDFILE_FRAMING.get(name, b"\r\n\r\n0123456789")
    assert server.requests[0].endswith(body)
    assert used == [transfer]


def test_sendfile_pays_except_to_a_peer_on_this_machine(
    loopback: Loopback,
) -> None:
    server = loopback.serve(loopback.records())
    conn = loopback.connect(server, HTTPConnection)
    conn.connect()
    assert not _sendfile.sendfile_pays(conn.sock)  # 127.0.0.1
    conn.close()
    server.wait()
    left, right = socket.socketpair()
    with left, right:
        assert not _sendfile.sendfile_pays(left)  # a Unix-domain peer
    with socket.socket() as unconnected:
        assert _sendfile.sendfile_pays(unconnected)  # sendfile() will say why


class _Peer:
    """A socket whose peer is elsewhere: loopback is all these tests have."""

    def __init__(self, *address: object) -> None:
        self.address = address

    def getpeername(self) -> tuple[object, ...]:
        return self.address


@pytest.mark.parametrize(
    ("address", "pays"),
    [
        (("192.0.2.1", 80), True),
        (("2001:db8::1", 80, 0, 0), True),
        (("fe80::1%eth0", 80, 0, 2), True),
        (("::1", 80, 0, 0), False),
        (("127.8.9.10", 80), False),
        (("::ffff:127.0.0.1", 80, 0, 0), False),
    ],
)
def test_which_peers_get_sendfile(address: tuple[object, ...], pays: bool) -> None:
    assert _sendfile.sendfile_pays(_Peer(*address)) is pays  # type: ignore[arg-type]
