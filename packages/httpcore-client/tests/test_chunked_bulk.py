# Chunked bodies read in bulk (read(amt) and readinto() of 16 KiB or more):
# decoded where they lie in the connection's reader, many chunks a call, by
# httpcore_wire.decode_chunks(), or, for runs of chunks of one size on a
# plain socket, received straight into the caller's buffer (the second part
# of this file).  Every body here is also read by the
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
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import given, settings, strategies as st

import httpcore_client
from httpcore_client import HTTPConnection, IncompleteRead, InvalidChunk, _stream
from httpcore_client._scatter import Run, receive_run

if TYPE_CHECKING:
    from conftest import Loopback, Peer

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


# -- Runs of equal chunks, received straight into the caller's buffer -------
#
# On a plain socket, read(amt) and readinto() of 16 KiB or more predict the
# framing between chunks of one size and let recvmsg_into() put each
# chunk's data in place (_scatter.py).  The prediction must only ever be a
# shortcut: every body reads as http.client reads it, however the bytes
# arrive and wherever the prediction fails; framing errors inside a run are
# refused as the line-by-line reader refuses them; bytes received past a run
# are neither lost nor taken for the next response.


RUNS = {
    "a run of 1 KiB chunks": [KiB] * 2000,
    "a run of 16 KiB chunks": [16 * KiB] * 100,
    "runs of changing sizes": [KiB] * 300
    + [2000] * 200
    + [16 * KiB] * 20
    + [KiB] * 100,
    # Every chunk a new size: each prediction fails at once.
    "no two chunks alike": [KiB + k for k in range(300)],
    # Chunks too small for runs between the runs.
    "runs and small chunks": ([KiB] * 50 + [5] * 100) * 4,
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


class Scattered:
    """How many bytes reads took through SocketReader.scatter() (the run
    path), with it on or off."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.bytes = 0


@pytest.fixture(params=["recvmsg_into()", "no recvmsg_into()"])
def scatter(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> Scattered:
    """Each test twice: with runs received by recvmsg_into(), and as on a
    platform without it (Windows), where every chunk goes through the
    reader's buffer.  Counts the bytes the run path received, so that a
    test can tell it ran (a fast path is otherwise invisible)."""
    scattered = Scattered(request.param == "recvmsg_into()")
    monkeypatch.setattr(
        _stream, "_HAS_RECVMSG", scattered.enabled and _stream._HAS_RECVMSG
    )
    receive = _stream.SocketReader.scatter

    def counting(self: _stream.SocketReader, buffers: list[memoryview]) -> int | None:
        got = receive(self, buffers)
        scattered.bytes += got or 0
        return got

    monkeypatch.setattr(_stream.SocketReader, "scatter", counting)
    return scattered


@pytest.mark.parametrize("how", sorted(READERS))
@pytest.mark.parametrize("case", sorted(RUNS))
def test_runs_read_as_http_client_reads_them(
    loopback: Loopback, scatter: Scattered, case: str, how: str
) -> None:
    body, wire = chunked(*RUNS[case])
    handler = loopback.replies(HEAD + wire, OK_WORLD)
    assert _fetch(loopback, httpcore_client, handler, READERS[how]) == body
    # The run path took most of a body of runs, and nothing without it.
    if not scatter.enabled:
        assert scatter.bytes == 0
    elif case.startswith("a run"):
        assert scatter.bytes > len(body) // 2
    assert _fetch(loopback, http.client, handler, READERS["read(1 MiB)"]) == body


@pytest.mark.parametrize("how", ["read()", "read(1 MiB)", "readinto(16 KiB)"])
@pytest.mark.parametrize("case", sorted(RUNS))
def test_runs_that_arrive_in_pieces(
    loopback: Loopback, scatter: Scattered, case: str, how: str
) -> None:
    body, wire = chunked(*RUNS[case])
    handler = _trickling(wire, 400)
    assert _fetch(loopback, httpcore_client, handler, READERS[how]) == body


def test_trailers_after_a_run(loopback: Loopback, scatter: Scattered) -> None:
    body, wire = chunked(*[KiB] * 500, trailer=b"X-Sum: 42\r\nX-More: yes\r\n")
    server = loopback.serve(loopback.replies(HEAD + wire))
    conn = loopback.connect(server, HTTPConnection)
    conn.request("GET", "/")
    response = conn.getresponse()
    assert READERS["read(1 MiB)"](response) == body
    assert response.trailers is not None
    assert response.trailers["X-Sum"] == "42"
    assert response.trailers["X-More"] == "yes"


RUN = [KiB] * 400


def _broken_run(damage: str) -> tuple[bytes, bytes]:
    """(the data before the damage, the wire): a run of 1 KiB chunks, broken
    after the 300th."""
    body, wire = chunked(*RUN)
    stride = len(b"400\r\n") + KiB + 2
    at = 300 * stride  # where the 301st chunk's size line starts
    good = body[: 300 * KiB]
    if damage == "no CRLF after a chunk's data":
        wire = wire[: at - 2] + b"XX" + wire[at:]
    elif damage == "a size line that is not hex":
        wire = wire[:at] + b"4g0\r\n" + wire[at + 5 :]
    elif damage == "a negative size":
        wire = wire[:at] + b"-400\r\n" + wire[at + 5 :]
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
def test_broken_framing_inside_a_run(
    loopback: Loopback, scatter: Scattered, damage: str, how: str
) -> None:
    good, wire = _broken_run(damage)
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


def test_bytes_after_a_run_are_not_the_next_response(
    loopback: Loopback, scatter: Scattered
) -> None:
    # A response sent behind the body before it was asked for arrives with
    # the run's last bytes: it is not taken for the answer to the next
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


def test_line_by_line_reads_after_a_run(loopback: Loopback, scatter: Scattered) -> None:
    # urllib3 reads chunked bodies through _get_chunk_left(), _safe_read()
    # and fp; after a bulk read that stopped in a run, they find the body
    # where it stopped, including bytes the run gave back.
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


def test_a_timeout_inside_a_run_ends_the_connection(
    loopback: Loopback, scatter: Scattered
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


# -- receive_run() alone, with every way the bytes can be cut ---------------


class _Cut:
    """A stream as receive_run() reads it (see _scatter.ScatterSource),
    giving the bytes of ``stream`` cut where ``cuts`` says: the cuts of a
    socket's reads cannot be chosen on a real one."""

    def __init__(self, stream: bytes, cuts: list[int]) -> None:
        self.stream = stream
        self.cuts = cuts
        self.given_back = b""

    def unread(self, data: bytes) -> None:
        self.given_back = data + self.given_back

    def scatter(self, buffers: list[memoryview]) -> int:
        if not self.given_back:
            size = self.cuts.pop(0) if self.cuts else len(self.stream)
            self.given_back, self.stream = self.stream[:size], self.stream[size:]
        source = self.given_back
        done = 0
        for buffer in buffers:
            size = min(len(buffer), len(source) - done)
            buffer[:size] = source[done : done + size]
            done += size
        self.given_back = source[done:]
        return done


@st.composite
def _runs(draw: st.DrawFn) -> tuple[list[int], bytes, list[int], list[int], int]:
    sizes: list[int] = []
    for _ in range(draw(st.integers(1, 4))):
        sizes += [draw(st.integers(1, 40))] * draw(st.integers(1, 30))
    _, wire = chunked(*sizes)
    cuts = draw(st.lists(st.integers(1, 90), max_size=40))
    views = draw(st.lists(st.integers(1, 300), min_size=1, max_size=10))
    damage = draw(st.integers(0, len(wire) - 1)) if draw(st.booleans()) else -1
    return sizes, wire, cuts, views, damage


@settings(max_examples=300, deadline=None)
@given(_runs())
def test_receive_run_keeps_every_byte_in_order(
    case: tuple[list[int], bytes, list[int], list[int], int],
) -> None:
    sizes, wire, cuts, views, damage = case
    if damage >= 0:
        wire = wire[:damage] + bytes([wire[damage] ^ 0x20]) + wire[damage + 1 :]
    # The client has read the first size line: it starts the run.
    line, _, stream = wire.partition(b"\n")
    line += b"\n"
    try:
        run = Run(line)
    except InvalidChunk:
        return
    raw = _Cut(stream, cuts)
    chunk_left = run.size
    out = bytearray()
    for size in views * 20:
        buffer = bytearray(size)
        written, chunk_left, stopped = receive_run(
            raw, memoryview(buffer), chunk_left, run
        )
        out += buffer[:written]
        assert 0 <= chunk_left <= run.size
        if stopped:
            break
    # The data written is the data of the run, in order; what the stream
    # still holds is exactly what follows it.
    body = b"".join(
        stream[at : at + size] for at, size in _data_positions(line + stream, len(out))
    )
    assert out == body[: len(out)]
    if damage < 0:
        # Undamaged, it reads the whole first run, or as much of it as the
        # buffers hold.
        first_run = sum(itertools.takewhile(lambda size: size == sizes[0], sizes))
        assert len(out) == min(first_run, sum(views) * 20)
    rest = raw.given_back + raw.stream
    assert (line + stream).endswith(rest)
    consumed = len(line) + len(stream) - len(rest)
    # What was consumed holds exactly the data given, and framing.
    assert _data_bytes(line + stream, consumed) == len(out)


def _data_positions(wire: bytes, limit: int) -> Iterator[tuple[int, int]]:
    """(offset in ``wire`` minus its first line, length) of each chunk's
    data, as far as ``wire`` is well formed, until ``limit`` data bytes."""
    first = wire.index(b"\n") + 1
    pos = 0
    total = 0
    while total < limit and pos < len(wire):
        end = wire.find(b"\r\n", pos)
        if end < 0:
            return
        try:
            size = int(wire[pos:end], 16)
        except ValueError:
            return
        if size <= 0:
            return
        start = end + 2
        take = min(size, limit - total, len(wire) - start)
        yield start - first, take
        total += take
        pos = start + size + 2


def _data_bytes(wire: bytes, consumed: int) -> int:
    """How many data bytes the first ``consumed`` bytes of ``wire`` hold,
    where the framing is as written."""
    total = 0
    for at, size in _data_positions(wire, 1 << 62):
        start = at + wire.index(b"\n") + 1
        if start >= consumed:
            break
        total += min(size, consumed - start)
    return total


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
