# Chunked bodies read in bulk (read(amt) and readinto() of 16 KiB or more):
# received straight into the caller's buffer and decoded there on a
# connection's own reader (the second part of this file), or decoded where
# they lie in any other reader's buffer, many chunks a call, by
# httpcore_wire.decode_chunks().  Every body here is also read by the
# running interpreter's http.client, which must get the same bytes; framing
# errors, the end of the body, trailers, reuse of the connection and the
# line-by-line methods urllib3 mixes in are checked on real loopback sockets.
from __future__ import annotations

import http.client
import itertools
import os
import socket
import time
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, cast

import pytest
from hypothesis import given, settings, strategies as st

import httpcore_client
from httpcore_client import (
    HTTPConnection,
    HTTPSConnection,
    IncompleteRead,
    InvalidChunk,
    LineTooLong,
    _chunked_body,
)
from httpcore_client._chunked_body import receive_in_place
from httpcore_wire import ChunkCompaction, compact_chunks, decode_chunks

if TYPE_CHECKING:
    from conftest import TLS, Loopback, Peer

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


def _fetch(loopback: Loopback, module: Any, handler: Any, read_all: ReadAll) -> bytes:
    """The body ``handler`` sends, read by ``read_all``; then the connection
    carries the next request."""
    server = loopback.serve(handler)
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


def _next_on_a_new_connection(conn: Any, server: Any) -> None:
    """The connection is not used again: the next request goes out on a new
    one, and gets its own answer."""
    conn.request("GET", "/next")
    assert conn.getresponse().read() == b"world"
    conn.close()
    server.wait()
    assert server.accepts == 2


@pytest.mark.parametrize("reader", sorted(READERS))
@pytest.mark.parametrize("case", sorted(BODIES))
def test_bulk_reads_give_the_body(loopback: Loopback, case: str, reader: str) -> None:
    body, wire = BODIES[case]
    handler = loopback.replies(HEAD + wire, OK_WORLD)
    assert _fetch(loopback, httpcore_client, handler, READERS[reader]) == body


@pytest.mark.parametrize("case", sorted(BODIES))
def test_stdlib_reads_the_same_bodies(loopback: Loopback, case: str) -> None:
    body, wire = BODIES[case]
    handler = loopback.replies(HEAD + wire, OK_WORLD)
    assert _fetch(loopback, http.client, handler, READERS["read(1 MiB)"]) == body


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
    _next_on_a_new_connection(conn, server)


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


# -- Bodies received straight into the caller's buffer ----------------------
#
# On a connection's own reader, read(amt) and readinto() of 16 KiB or more
# receive the body, framing and all, into the caller's buffer and decode it
# there (receive_in_place(), with httpcore_wire.compact_chunks()).  Every
# body must read as http.client reads it, however the bytes arrive; framing
# errors are refused as the line-by-line reader refuses them; bytes received
# past the body are neither lost nor taken for the next response.


SHAPES = {
    "a run of 1 KiB chunks": [KiB] * 2000,
    "a run of 16 KiB chunks": [16 * KiB] * 100,
    "runs of changing sizes": [KiB] * 300
    + [2000] * 200
    + [16 * KiB] * 20
    + [KiB] * 100,
    "no two chunks alike": [KiB + k for k in range(300)],
    "large and small chunks": ([KiB] * 50 + [5] * 100 + [300 * KiB]) * 4,
}


def _trickle(wire: bytes, pieces: int) -> Iterator[bytes]:
    """``wire`` cut at ``pieces`` places, many of them inside the framing."""
    cuts = sorted({(k * 7919 + 13) % len(wire) for k in range(pieces)} | {0, len(wire)})
    for start, end in itertools.pairwise(cuts):
        yield wire[start:end]


def _trickling(wire: bytes, pieces: int) -> Any:
    def handler(peer: Peer) -> None:
        peer.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        peer.recv_request()
        peer.send(HEAD)
        for number, piece in enumerate(_trickle(wire, pieces)):
            peer.send(piece)
            if number % 8 == 0:
                time.sleep(0.0005)  # let the client see the pieces apart
        peer.reply(OK_WORLD)

    return handler


class InPlace:
    """How many body bytes were decoded in place, with the path on or
    off."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.bytes = 0


@pytest.fixture(params=["in place", "through the reader"])
def in_place(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> InPlace:
    """Each test twice: with bodies received in place, and with every chunk
    going through the reader's buffer (as on a reader that is not a
    connection's).  Counts the bytes decoded in place, so that a test can
    tell the path ran (a fast path is otherwise invisible)."""
    counted = InPlace(request.param == "in place")
    if not counted.enabled:
        monkeypatch.setattr(_chunked_body, "_own_stream", lambda reader: None)

    def counting(buffer: memoryview, chunk_left: int | None) -> ChunkCompaction:
        step = compact_chunks(buffer, chunk_left)
        counted.bytes += step.data
        return step

    monkeypatch.setattr(_chunked_body, "compact_chunks", counting)
    return counted


@pytest.mark.parametrize("how", sorted(READERS))
@pytest.mark.parametrize("case", sorted(SHAPES))
def test_bodies_read_as_http_client_reads_them(
    loopback: Loopback, in_place: InPlace, case: str, how: str
) -> None:
    body, wire = chunked(*SHAPES[case])
    handler = loopback.replies(HEAD + wire, OK_WORLD)
    assert _fetch(loopback, httpcore_client, handler, READERS[how]) == body
    # The path took most of the body, and nothing without it.
    if in_place.enabled:
        assert in_place.bytes > len(body) // 2
    else:
        assert in_place.bytes == 0
    assert _fetch(loopback, http.client, handler, READERS["read(1 MiB)"]) == body


@pytest.mark.parametrize("how", ["read()", "read(1 MiB)", "readinto(16 KiB)"])
@pytest.mark.parametrize("case", sorted(SHAPES))
def test_bodies_that_arrive_in_pieces(
    loopback: Loopback, in_place: InPlace, case: str, how: str
) -> None:
    body, wire = chunked(*SHAPES[case])
    handler = _trickling(wire, 400)
    assert _fetch(loopback, httpcore_client, handler, READERS[how]) == body


@pytest.mark.parametrize("how", ["read()", "read(1 MiB)", "readinto(1 MiB)"])
def test_bodies_over_tls(
    loopback: Loopback, tls: TLS, in_place: InPlace, how: str
) -> None:
    # A TLS socket gives a record at a time: each is decoded where it lands.
    body, wire = chunked(*[KiB] * 500 + [KiB + 1] * 100, trailer=b"X-Sum: 42\r\n")
    server = loopback.serve(
        loopback.replies(HEAD + wire, OK_WORLD), tls=tls.server_context()
    )
    conn = loopback.track(
        HTTPSConnection(
            "localhost", server.port, context=tls.client_context(), timeout=5.0
        )
    )
    conn.request("GET", "/")
    response = conn.getresponse()
    assert READERS[how](response) == body
    assert response.trailers is not None
    assert response.trailers["X-Sum"] == "42"
    assert (in_place.bytes > len(body) // 2) is in_place.enabled
    conn.request("GET", "/next")
    assert conn.getresponse().read() == b"world"
    assert server.accepts == 1


def test_trailers_after_a_body_read_in_place(
    loopback: Loopback, in_place: InPlace
) -> None:
    body, wire = chunked(*[KiB] * 500, trailer=b"X-Sum: 42\r\nX-More: yes\r\n")
    server = loopback.serve(loopback.replies(HEAD + wire))
    conn = loopback.connect(server, HTTPConnection)
    conn.request("GET", "/")
    response = conn.getresponse()
    assert READERS["read(1 MiB)"](response) == body
    assert response.trailers is not None
    assert response.trailers["X-Sum"] == "42"
    assert response.trailers["X-More"] == "yes"


BROKEN_AFTER = [KiB] * 400


def _broken_body(damage: str) -> tuple[bytes, bytes]:
    """(the data before the damage, the wire): 1 KiB chunks, broken after
    the 300th."""
    body, wire = chunked(*BROKEN_AFTER)
    stride = len(b"400\r\n") + KiB + 2
    at = 300 * stride  # where the 301st chunk's size line starts
    good = body[: 300 * KiB]
    if damage == "no CRLF after a chunk's data":
        wire = wire[: at - 2] + b"XX" + wire[at:]
        # (Its data is the caller's, as the line-by-line reader has it.)
    elif damage == "a size line that is not hex":
        wire = wire[:at] + b"4g0\r\n" + wire[at + 5 :]
    elif damage == "a negative size":
        wire = wire[:at] + b"-400\r\n" + wire[at + 5 :]
    elif damage == "a size line over the limit":
        wire = wire[:at] + b"400;" + b"x" * 70000 + wire[at + 3 :]
    elif damage == "the stream ends inside a frame":
        wire = wire[: at + 2]
    elif damage == "the stream ends inside a chunk's data":
        wire = wire[: at + 5 + 100]
        good = body[: 300 * KiB + 100]
    return good, wire


def _read_into_list(response: Any, how: str, pieces: list[bytes]) -> None:
    """Read the body as ``how`` says, each piece into ``pieces`` as it comes
    (which keeps them when a read raises)."""
    if how == "readinto(16 KiB)":
        buffer = bytearray(16 * KiB)
        while n := response.readinto(buffer):
            pieces.append(bytes(buffer[:n]))
    elif how == "read()":
        pieces.append(response.read())
    else:
        amt = 100 if how == "read(100)" else 1 << 20
        while data := response.read(amt):
            pieces.append(data)


DAMAGE = [
    "no CRLF after a chunk's data",
    "a size line that is not hex",
    "a negative size",
    "the stream ends inside a frame",
    "the stream ends inside a chunk's data",
]


@pytest.mark.parametrize("how", ["read()", "read(1 MiB)", "readinto(16 KiB)"])
@pytest.mark.parametrize("damage", DAMAGE)
def test_broken_framing_inside_a_body(
    loopback: Loopback, in_place: InPlace, damage: str, how: str
) -> None:
    good, wire = _broken_body(damage)
    server = loopback.serve(loopback.sends(HEAD + wire), loopback.replies(OK_WORLD))
    conn = loopback.connect(server, HTTPConnection)
    conn.request("GET", "/")
    response = conn.getresponse()
    pieces: list[bytes] = []
    with pytest.raises(IncompleteRead) as caught:
        _read_into_list(response, how, pieces)
    # Every byte before the damage is the caller's, in order, and nothing
    # after it.
    assert b"".join(pieces) + caught.value.partial == good
    if "stream ends" not in damage:
        assert isinstance(caught.value.__cause__, InvalidChunk)
    # The connection is not used again.
    _next_on_a_new_connection(conn, server)


@pytest.mark.parametrize("how", ["read()", "read(1 MiB)", "readinto(16 KiB)"])
def test_a_size_line_over_the_limit_inside_a_body(
    loopback: Loopback, in_place: InPlace, how: str
) -> None:
    good, wire = _broken_body("a size line over the limit")
    server = loopback.serve(loopback.sends(HEAD + wire), loopback.replies(OK_WORLD))
    conn = loopback.connect(server, HTTPConnection)
    conn.request("GET", "/")
    response = conn.getresponse()
    pieces: list[bytes] = []
    with pytest.raises(LineTooLong):
        _read_into_list(response, how, pieces)
    assert good.startswith(b"".join(pieces))
    assert response.isclosed()
    _next_on_a_new_connection(conn, server)


def test_bytes_after_the_body_are_not_the_next_response(
    loopback: Loopback, in_place: InPlace
) -> None:
    # A response sent behind the body before it was asked for arrives with
    # the body's last bytes: it is not taken for the answer to the next
    # request.
    body, wire = chunked(*[KiB] * 300)
    # Larger than the reader's buffer: some of it may stay given back
    # (SocketReader.unread()) under the reader when the body ends.
    stray = b"HTTP/1.1 200 OK\r\nContent-Length: 200000\r\n\r\n" + b"s" * 200000

    def handler(peer: Peer) -> None:
        peer.recv_request()
        peer.send(HEAD + wire + stray)
        peer.may_reset = True

    server = loopback.serve(handler, loopback.replies(OK_WORLD))
    conn = loopback.connect(server, HTTPConnection)
    conn.request("GET", "/")
    response = conn.getresponse()
    assert READERS["read(1 MiB)"](response) == body
    _next_on_a_new_connection(conn, server)


def test_line_by_line_reads_after_a_bulk_read(
    loopback: Loopback, in_place: InPlace
) -> None:
    # urllib3 reads chunked bodies through _get_chunk_left(), _safe_read()
    # and fp; after a bulk read that stopped inside a chunk, they find the
    # body where it stopped, including bytes given back to the stream.
    body, wire = chunked(*[KiB] * 100 + [3000] * 10 + [KiB] * 100)
    server = loopback.serve(loopback.replies(HEAD + wire))
    conn = loopback.connect(server, HTTPConnection)
    conn.request("GET", "/")
    response = conn.getresponse()
    got = [response.read(100 * KiB + 500)]
    while len(b"".join(got)) < 110 * KiB:
        chunk_left = response._get_chunk_left()
        assert chunk_left is not None
        got.append(response._safe_read(min(chunk_left, 700)))
        response.chunk_left = chunk_left - len(got[-1])
    got.append(response.read(1 << 20))
    assert response.read(1 << 20) == b""
    assert b"".join(got) == body
    assert response.isclosed()


def test_a_timeout_inside_a_body_ends_the_connection(
    loopback: Loopback, in_place: InPlace
) -> None:
    _, wire = chunked(*[KiB] * 100)

    def stalls(peer: Peer) -> None:
        # Half the body, then nothing until the client gives up.
        peer.may_reset = True
        peer.recv_request()
        peer.send(HEAD + wire[: len(wire) // 2])
        peer.recv_until_eof()

    server = loopback.serve(stalls, loopback.replies(OK_WORLD))
    conn = loopback.connect(server, HTTPConnection, timeout=0.3)
    conn.request("GET", "/")
    response = conn.getresponse()
    with pytest.raises(TimeoutError):
        response.read(1 << 20)
    # As with http.client, the response stays open until closed; after
    # that, the next request goes out on a new connection.
    response.close()
    _next_on_a_new_connection(conn, server)


# -- receive_in_place() alone, with every way the bytes can be cut ----------


class _Cut:
    """A stream as receive_in_place() reads it (a connection's
    SocketReader), giving the bytes of ``stream`` cut where ``cuts`` says:
    the cuts of a socket's reads cannot be chosen on a real one."""

    def __init__(self, stream: bytes, cuts: list[int]) -> None:
        self.stream = stream
        self.cuts = cuts
        self.given_back = b""

    def unread(self, data: bytes) -> None:
        self.given_back = data + self.given_back

    def readinto(self, buffer: memoryview) -> int:
        if not self.given_back:
            size = self.cuts.pop(0) if self.cuts else len(self.stream)
            self.given_back, self.stream = self.stream[:size], self.stream[size:]
        size = min(len(buffer), len(self.given_back))
        buffer[:size] = self.given_back[:size]
        self.given_back = self.given_back[size:]
        return size


class _Response:
    """What receive_in_place() uses of a response."""

    def __init__(self) -> None:
        self.chunk_left: int | None = None
        self.finished = False

    def _finish_chunked(self) -> None:
        self.finished = True


AFTER = b"\r\nHTTP/1.1 200 OK\r\n"  # the end of the trailer section, and more


@st.composite
def _cut_bodies(
    draw: st.DrawFn,
) -> tuple[bytes, bytes, list[int], list[int], int]:
    sizes: list[int] = []
    for _ in range(draw(st.integers(1, 4))):
        sizes += [draw(st.integers(1, 40))] * draw(st.integers(1, 30))
    body, wire = chunked(*sizes)
    wire = wire[: -len(b"\r\n")] + AFTER  # (chunked() ends the trailer section)
    cuts = draw(st.lists(st.integers(1, 90), max_size=40))
    # Larger than any frame ("\r\n28\r\n"), so every call makes progress.
    views = draw(st.lists(st.integers(8, 300), min_size=1, max_size=10))
    damage = draw(st.integers(0, len(wire) - 1)) if draw(st.booleans()) else -1
    return body, wire, cuts, views, damage


@settings(max_examples=300, deadline=None)
@given(_cut_bodies())
def test_receive_in_place_keeps_every_byte_in_order(
    case: tuple[bytes, bytes, list[int], list[int], int],
) -> None:
    body, wire, cuts, views, damage = case
    if damage >= 0:
        wire = wire[:damage] + bytes([wire[damage] ^ 0x20]) + wire[damage + 1 :]
    raw = _Cut(wire, cuts)
    response = _Response()
    out = bytearray()
    refused: InvalidChunk | None = None
    for size in itertools.islice(itertools.cycle(views), 10000):
        buffer = bytearray(size)
        try:
            written = receive_in_place(response, cast(Any, raw), memoryview(buffer))
        except InvalidChunk as error:
            refused = error
        if refused is not None:
            # What it decoded before refusing is at the start of the buffer.
            assert buffer.startswith(refused.partial)
            out += refused.partial
            break
        out += buffer[:written]
        if response.finished or not (raw.stream or raw.given_back):
            break
        if not written:
            # Only a damaged size line can fill the buffer without ending
            # (fill_bulk() then gives it to the line-by-line way).
            assert damage >= 0
            break
    # The data is the body's, in order, as http.client's way of decoding
    # has it (for a damaged wire, up to where that refuses it).
    expected = _reference(wire)
    assert bytes(out) == expected[: len(out)]
    if damage < 0:
        assert bytes(out) == body
        assert refused is None
        assert response.finished
        # What follows the last chunk's size line is given back whole.
        assert raw.given_back + raw.stream == AFTER
    elif response.finished:
        assert bytes(out) == expected


def _reference(wire: bytes) -> bytes:
    """The data of ``wire`` as decode_chunks() (the reader path) decodes it,
    up to where it refuses the framing or the wire ends."""
    try:
        step = decode_chunks(wire, None, 1 << 30)
    except InvalidChunk as error:
        return error.partial
    return b"".join(step.data)


@pytest.mark.parametrize(
    "how", ["read()", "read(100)", "read(1 MiB)", "readinto(16 KiB)"]
)
def test_an_early_end_on_a_reader_of_its_own(loopback: Loopback, how: str) -> None:
    # A response built on a socket directly (as urllib3's tests and callers
    # of HTTPResponse(sock) do) reads through a reader of its own, which
    # closing the response closes: the reader that reports the early end
    # closes it, and the read method that raises must not close it again.
    body, wire = chunked(*[KiB] * 20)
    server = loopback.serve(loopback.sends(HEAD + wire[: len(wire) - 5]))
    sock = loopback.track(socket.create_connection(server.address))
    sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
    response = httpcore_client.HTTPResponse(sock, method="GET")
    response.begin()
    pieces: list[bytes] = []
    with pytest.raises(IncompleteRead) as caught:
        _read_into_list(response, how, pieces)
    assert b"".join(pieces) + caught.value.partial == body
    assert response.isclosed()
