# Timeouts by phase (connect, read, write) and a deadline for a whole
# exchange, on loopback sockets: each limit fires on its own phase with a
# TimeoutError that names it, the others keep the connection's timeout, a
# server that trickles a body inside every per-receive limit is stopped by
# the deadline, and a connection without any of them behaves as
# http.client's does.
from __future__ import annotations

import select
import socket
import threading
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest

from httpcore_client import HTTPConnection, HTTPSConnection

if TYPE_CHECKING:
    from conftest import TLS, Loopback, Peer

TIMEOUT = 5.0
LIMIT = 0.3
HEAD = b"HTTP/1.1 200 OK\r\nContent-Length: 40\r\n\r\n"


@pytest.fixture
def release() -> Iterator[threading.Event]:
    """Set at the end of a test: a handler that holds its connection open
    waits on it."""
    event = threading.Event()
    yield event
    event.set()


def _silent(release: threading.Event) -> Any:
    """Reads a request and answers nothing until released."""

    def handler(peer: Peer) -> None:
        peer.may_reset = True
        peer.recv_request()
        release.wait(TIMEOUT)

    return handler


def _trickles(stop: threading.Event, pause: float) -> Any:
    """Answers with a 40-byte body, one byte every ``pause`` seconds, until
    the body ends or the client gives up."""

    def handler(peer: Peer) -> None:
        peer.may_reset = True
        peer.recv_request()
        peer.send(HEAD)
        for _ in range(40):
            if stop.wait(pause):
                return
            try:
                peer.send(b"x")
            except OSError:
                return  # the client gave up and closed

    return handler


def _timed(function: Any) -> tuple[BaseException, float]:
    start = time.monotonic()
    with pytest.raises(TimeoutError) as caught:
        function()
    return caught.value, time.monotonic() - start


def test_read_timeout(loopback: Loopback, release: threading.Event) -> None:
    server = loopback.serve(_silent(release))
    conn = loopback.connect(server, HTTPConnection, read_timeout=LIMIT)
    conn.request("GET", "/")
    error, elapsed = _timed(conn.getresponse)
    assert str(error) == f"read timed out ({LIMIT} s)"
    assert LIMIT * 0.9 <= elapsed < TIMEOUT / 2
    conn.close()
    release.set()


def test_read_timeout_inside_the_body(
    loopback: Loopback, release: threading.Event
) -> None:
    def handler(peer: Peer) -> None:
        peer.may_reset = True
        peer.recv_request()
        peer.send(HEAD + b"x" * 10)
        release.wait(TIMEOUT)

    server = loopback.serve(handler)
    conn = loopback.connect(server, HTTPConnection, read_timeout=LIMIT)
    conn.request("GET", "/")
    response = conn.getresponse()
    assert response.read(10) == b"x" * 10
    error, _ = _timed(lambda: response.read(10))
    assert str(error) == f"read timed out ({LIMIT} s)"
    response.close()
    release.set()


def test_write_timeout(loopback: Loopback, release: threading.Event) -> None:
    def never_reads(peer: Peer) -> None:
        peer.may_reset = True
        release.wait(TIMEOUT)
        peer.recv_until_eof()  # what the client managed to send

    server = loopback.serve(never_reads)
    conn = loopback.connect(server, HTTPConnection, write_timeout=LIMIT)
    # More than the socket buffers on both sides hold.
    body = iter([b"x" * (1 << 20)] * 256)
    error, elapsed = _timed(lambda: conn.request("PUT", "/", body))
    assert str(error) == f"write timed out ({LIMIT} s)"
    assert elapsed < TIMEOUT
    conn.close()
    release.set()


def test_deadline_stops_a_trickling_body(loopback: Loopback) -> None:
    stop = threading.Event()
    server = loopback.serve(_trickles(stop, 0.05))
    # Each byte comes well inside the read timeout; the whole body would take
    # 2 s.
    conn = loopback.connect(server, HTTPConnection, read_timeout=1.0, deadline=0.5)
    conn.request("GET", "/")
    response = conn.getresponse()
    error, elapsed = _timed(response.read)
    stop.set()
    assert str(error) == "exchange deadline of 0.5 s exceeded"
    assert elapsed < 1.5
    response.close()
    conn.close()


def test_without_a_deadline_the_trickle_is_read(loopback: Loopback) -> None:
    stop = threading.Event()
    server = loopback.serve(_trickles(stop, 0.01))
    conn = loopback.connect(server, HTTPConnection, read_timeout=1.0)
    conn.request("GET", "/")
    assert conn.getresponse().read() == b"x" * 40
    conn.close()
    server.wait()


def test_the_deadline_counts_from_the_request(
    loopback: Loopback, release: threading.Event
) -> None:
    server = loopback.serve(_silent(release))
    conn = loopback.connect(server, HTTPConnection, deadline=LIMIT)
    conn.request("GET", "/")
    error, elapsed = _timed(conn.getresponse)
    assert str(error) == f"exchange deadline of {LIMIT} s exceeded"
    assert elapsed < LIMIT + 0.5
    conn.close()
    release.set()


def test_each_exchange_gets_its_own_deadline(loopback: Loopback) -> None:
    ok = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
    gate = threading.Event()

    def handler(peer: Peer) -> None:
        peer.reply(ok)
        # Idle longer than the deadline between the two exchanges.
        assert not gate.wait(LIMIT * 2)
        peer.reply(ok)

    server = loopback.serve(handler)
    conn = loopback.connect(server, HTTPConnection, deadline=LIMIT * 3)
    conn.request("GET", "/")
    assert conn.getresponse().read() == b"ok"
    time.sleep(LIMIT * 2)  # an idle caller, not synchronisation
    conn.request("GET", "/")
    assert conn.getresponse().read() == b"ok"
    conn.close()
    server.wait()


def test_tls_read_timeout(
    loopback: Loopback, tls: TLS, release: threading.Event
) -> None:
    server = loopback.serve(_silent(release), tls=tls.server_context())
    conn = loopback.connect(
        server, HTTPSConnection, context=tls.client_context(), read_timeout=LIMIT
    )
    conn.request("GET", "/")
    error, _ = _timed(conn.getresponse)
    assert str(error) == f"read timed out ({LIMIT} s)"
    conn.close()
    release.set()


def _black_hole(stack: list[socket.socket]) -> tuple[str, int]:
    listener = socket.socket()
    stack.append(listener)
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    address = listener.getsockname()
    for _ in range(8):
        filler = socket.socket()
        stack.append(filler)
        filler.setblocking(False)
        filler.connect_ex(address)
        _, done, failed = select.select([], [filler], [filler], 0.05)
        if not done and not failed:
            return address  # type: ignore[no-any-return]
    pytest.skip("a loopback listener with a full queue still answers here")


def test_connect_timeout() -> None:
    held: list[socket.socket] = []
    try:
        host, port = _black_hole(held)
        conn = HTTPConnection(host, port, timeout=TIMEOUT, connect_timeout=LIMIT)
        error, elapsed = _timed(conn.connect)
        assert str(error) == f"connect timed out ({LIMIT} s)"
        assert elapsed < TIMEOUT / 2
        assert conn.sock is None
    finally:
        for sock in held:
            sock.close()


def test_connect_timeout_bounds_the_tunnel(
    loopback: Loopback, release: threading.Event
) -> None:
    # A proxy that reads the CONNECT request and never answers: the wait
    # for its answer is part of opening the connection.
    proxy = loopback.serve(_silent(release))
    conn = loopback.connect(proxy, HTTPConnection, connect_timeout=LIMIT)
    conn.set_tunnel("origin.example", 80)
    error, elapsed = _timed(lambda: conn.request("GET", "/"))
    assert str(error) == f"connect timed out ({LIMIT} s)"
    assert LIMIT * 0.9 <= elapsed < TIMEOUT / 2
    # Half open, the connection must carry no request: it is closed.
    assert conn.sock is None
    release.set()


def test_connect_timeout_bounds_the_tls_handshake(
    loopback: Loopback, tls: TLS, release: threading.Event
) -> None:
    def handler(peer: Peer) -> None:  # takes the ClientHello, never answers
        peer.may_reset = True
        assert peer.sock.recv(65536).startswith(b"\x16\x03")
        release.wait(TIMEOUT)

    server = loopback.serve(handler)
    conn = loopback.connect(
        server, HTTPSConnection, context=tls.client_context(), connect_timeout=LIMIT
    )
    error, elapsed = _timed(conn.connect)
    assert str(error) == f"connect timed out ({LIMIT} s)"
    assert LIMIT * 0.9 <= elapsed < TIMEOUT / 2
    assert conn.sock is None
    release.set()


def test_the_connect_timeout_is_one_budget_for_tcp_and_tunnel(
    loopback: Loopback, release: threading.Event
) -> None:
    # The proxy answers the CONNECT after most of the budget: what is left
    # is too little for the origin's answer, which then gets read_timeout.
    def handler(peer: Peer) -> None:
        peer.may_reset = True
        peer.recv_request()
        time.sleep(LIMIT / 2)
        peer.send(b"HTTP/1.1 200 Connection established\r\n\r\n")
        peer.recv_request()
        release.wait(TIMEOUT)

    proxy = loopback.serve(handler)
    conn = loopback.connect(
        proxy, HTTPConnection, connect_timeout=LIMIT, read_timeout=LIMIT * 2
    )
    conn.set_tunnel("origin.example", 80)
    conn.request("GET", "/")
    # Once open, the connection's own phases apply again.
    error, elapsed = _timed(conn.getresponse)
    assert str(error) == f"read timed out ({LIMIT * 2} s)"
    assert LIMIT * 2 * 0.9 <= elapsed < TIMEOUT / 2
    release.set()


def test_limits_default_to_the_timeout(
    loopback: Loopback, release: threading.Event
) -> None:
    server = loopback.serve(_silent(release))
    conn = loopback.connect(server, HTTPConnection, timeout=LIMIT, deadline=60)
    conn.request("GET", "/")
    assert conn.sock.gettimeout() == LIMIT
    error, _ = _timed(conn.getresponse)
    assert str(error) == f"read timed out ({LIMIT} s)"
    conn.close()
    release.set()


def test_without_limits_the_error_is_the_sockets(
    loopback: Loopback, release: threading.Event
) -> None:
    server = loopback.serve(_silent(release))
    conn = loopback.connect(server, HTTPConnection, timeout=LIMIT)
    conn.request("GET", "/")
    error, _ = _timed(conn.getresponse)
    # http.client's: the socket module's own message.
    assert str(error) == "timed out"
    assert conn._clock is None
    conn.close()
    release.set()
