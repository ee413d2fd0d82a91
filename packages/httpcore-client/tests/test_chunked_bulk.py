# Chunked bodies read in bulk (read(amt) and readinto() of 16 KiB or more):
# decoded where they lie in the connection's reader, many chunks a call, by
# httpcore_wire.decode_chunks().  Every body here is also read by the
# running interpreter's http.client, which must get the same bytes; framing
# errors, the end of the body, trailers, reuse of the connection and the
# line-by-line methods urllib3 mixes in are checked on real loopback sockets.
from __future__ import annotations

import http.client
import os
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pytest

import httpcore_client
from httpcore_client import HTTPConnection, IncompleteRead, InvalidChunk

if TYPE_CHECKING:
    from conftest import Loopback

HEAD = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
OK_WORLD = b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nworld"
KiB = 1 << 10


def chunked(*sizes: int, trailer: bytes = b"") -> tuple[bytes, bytes]:
    """(body, wire) for chunks of these sizes."""
    data = os.urandom(sum(sizes))
    wire, pos = [], 0
    for size in sizes:
        wire.append(b"%x\r\n%s\r\n" % (size, data[pos : pos + size]))
        pos += size
    return data, b"".join(wire) + b"0\r\n" + trailer + b"\r\n"


BODIES = {
    "1 KiB chunks": chunked(*[KiB] * 300),
    "7-byte chunks": chunked(*[7] * 20000),
    "mixed sizes": chunked(*[1, 4 * KiB, 5 * KiB, 3, 100 * KiB, 2, 2, 2, 70 * KiB, 9]),
    # Size lines that straddle the reader's 64 KiB buffer, at many offsets.
    "odd sizes": chunked(*[KiB + k for k in range(150)]),
    "with an extension and trailers": (
        b"hello" * 4000,
        b"".join([b"5;ext=1\r\nhello\r\n"] * 4000) + b"0\r\nX-Sum: 42\r\n\r\n",
    ),
}

ReadAll = Callable[[Any], bytes]


def _by_read(amt: int) -> ReadAll:
    def read_all(response: Any) -> bytes:
        pieces = []
        while data := response.read(amt):
            assert len(data) <= amt
            pieces.append(data)
        return b"".join(pieces)

    return read_all


def _by_readinto(size: int) -> ReadAll:
    def read_all(response: Any) -> bytes:
        buffer = bytearray(size)
        pieces = []
        while n := response.readinto(buffer):
            pieces.append(bytes(buffer[:n]))
        return b"".join(pieces)

    return read_all


READERS: dict[str, ReadAll] = {
    "read()": lambda response: bytes(response.read()),
    "read(16 KiB)": _by_read(16 * KiB),
    "read(1 MiB)": _by_read(1 << 20),
    "read(100001)": _by_read(100001),
    "readinto(16 KiB)": _by_readinto(16 * KiB),
    "readinto(1 MiB)": _by_readinto(1 << 20),
}


def _fetch(loopback: Loopback, module: Any, wire: bytes, read_all: ReadAll) -> bytes:
    server = loopback.serve(loopback.replies(HEAD + wire, OK_WORLD))
    conn = loopback.connect(server, module.HTTPConnection)
    conn.request("GET", "/")
    response = conn.getresponse()
    body = read_all(response)
    assert response.isclosed()
    # The connection is clean after the body: the next answer is its own.
    conn.request("GET", "/next")
    assert conn.getresponse().read() == b"world"
    conn.close()
    server.wait()
    assert server.accepts == 1
    return body


@pytest.mark.parametrize("reader", sorted(READERS))
@pytest.mark.parametrize("case", sorted(BODIES))
def test_bulk_reads_give_the_body(loopback: Loopback, case: str, reader: str) -> None:
    body, wire = BODIES[case]
    assert _fetch(loopback, httpcore_client, wire, READERS[reader]) == body


@pytest.mark.parametrize("case", sorted(BODIES))
def test_stdlib_reads_the_same_bodies(loopback: Loopback, case: str) -> None:
    body, wire = BODIES[case]
    assert _fetch(loopback, http.client, wire, READERS["read(1 MiB)"]) == body


def test_trailers_are_kept(loopback: Loopback) -> None:
    body, wire = BODIES["with an extension and trailers"]
    server = loopback.serve(loopback.replies(HEAD + wire))
    conn = loopback.connect(server, HTTPConnection)
    conn.request("GET", "/")
    response = conn.getresponse()
    assert response.read(1 << 20) == body
    assert response.read(1 << 20) == b""
    assert response.trailers is not None
    assert response.trailers["X-Sum"] == "42"


BROKEN = {
    "bad CRLF after a small chunk": (b"3\r\nabc\r\n" * 5000 + b"3\r\nabcXX", b"abc"),
    "chunk size 0x5": (b"3\r\nabc\r\n" * 5000 + b"0x5\r\nhello\r\n0\r\n\r\n", b"abc"),
    "the end of the stream inside the body": (b"3\r\nabc\r\n" * 5000, b"abc"),
}


@pytest.mark.parametrize("reader", ["read()", "read(1 MiB)", "readinto(1 MiB)"])
@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_framing_raises_and_ends_the_connection(
    loopback: Loopback, case: str, reader: str
) -> None:
    wire, unit = BROKEN[case]
    server = loopback.serve(loopback.sends(HEAD + wire), loopback.replies(OK_WORLD))
    conn = loopback.connect(server, HTTPConnection)
    conn.request("GET", "/")
    response = conn.getresponse()
    with pytest.raises(IncompleteRead) as caught:
        READERS[reader](response)
    partial = caught.value.partial
    assert partial == unit * (len(partial) // len(unit))
    if "0x5" in case or "CRLF" in case:
        assert isinstance(caught.value.__cause__, InvalidChunk)
    # What follows the broken framing is never read as the next response.
    conn.request("GET", "/next")
    assert conn.getresponse().read() == b"world"
    conn.close()
    server.wait()
    assert server.accepts == 2


def test_bulk_and_line_by_line_reads_mix(loopback: Loopback) -> None:
    # urllib3 reads chunked bodies through _get_chunk_left(), _safe_read()
    # and fp.readline(); a bulk read before or after sees the same body.
    body, wire = chunked(*[3 * KiB + 1] * 40)
    server = loopback.serve(loopback.replies(HEAD + wire))
    conn = loopback.connect(server, HTTPConnection)
    conn.request("GET", "/")
    response = conn.getresponse()
    got = [response.read(20000)]
    chunk_left = response._get_chunk_left()
    assert chunk_left is not None
    got.append(response._safe_read(chunk_left))
    response.chunk_left = 0
    got.append(response.read(5))
    got.append(response.read())
    assert b"".join(got) == body
    assert response.isclosed()
