# Persistent connections over real loopback sockets: several exchanges on
# one socket whatever the body framing and however the body is read, the
# cases where the connection must end, and the recovery from a server that
# closed an idle connection (the next request() opens a new one).
from __future__ import annotations

import http.client
import threading
from collections.abc import Callable
from types import ModuleType
from typing import TYPE_CHECKING, Any

import pytest

import httpcore_client
from httpcore_client import (
    BadStatusLine,
    HTTPConnection,
    HTTPResponse,
    NotConnected,
    RemoteDisconnected,
    ResponseNotReady,
)

if TYPE_CHECKING:
    from conftest import Loopback, Peer

TIMEOUT = 5.0

OK_HELLO = b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"
CHUNKED = (
    b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
    b"5\r\nhello\r\n6;ext=1\r\n world\r\n3\r\n!\n!\r\n0\r\nX-Sum: 3\r\n\r\n"
)
HEAD = b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\nContent-Type: text/plain\r\n\r\n"
NO_CONTENT = b"HTTP/1.1 204 No Content\r\nX-Id: 1\r\n\r\n"
NOT_MODIFIED = b'HTTP/1.1 304 Not Modified\r\nContent-Length: 50\r\nETag: "x"\r\n\r\n'

# (method, response, body the client must return)
EXCHANGES = [
    ("GET", OK_HELLO, b"hello"),
    ("GET", CHUNKED, b"hello world!\n!"),
    ("HEAD", HEAD, b""),
    ("DELETE", NO_CONTENT, b""),
    ("GET", NOT_MODIFIED, b""),
    ("POST", OK_HELLO, b"hello"),
]


def _read_all(response: HTTPResponse) -> bytes:
    return response.read()


def _read_amt(response: HTTPResponse) -> bytes:
    pieces = []
    while piece := response.read(3):
        pieces.append(piece)
    return b"".join(pieces)


def _readinto(response: HTTPResponse) -> bytes:
    buffer = bytearray(4)
    pieces = []
    while count := response.readinto(buffer):
        pieces.append(bytes(buffer[:count]))
    return b"".join(pieces)


def _read1(response: HTTPResponse) -> bytes:
    pieces = []
    while piece := response.read1():
        pieces.append(piece)
    return b"".join(pieces)


def _lines(response: HTTPResponse) -> bytes:
    return b"".join(response)


def _peek_then_read(response: HTTPResponse) -> bytes:
    if response.length == 0:
        # http.client's peek() blocks here; see test_peek_at_an_empty_body.
        return response.read()
    peeked = response.peek()
    body = response.read()
    assert body.startswith(peeked)
    return body


READERS: dict[str, Callable[[HTTPResponse], bytes]] = {
    "read()": _read_all,
    "read(3)": _read_amt,
    "readinto": _readinto,
    "read1": _read1,
    "iteration": _lines,
    "peek+read": _peek_then_read,
}


@pytest.mark.parametrize("reader", sorted(READERS))
def test_many_exchanges_share_one_socket(loopback: Loopback, reader: str) -> None:
    server = loopback.serve(
        loopback.replies(*(response for _, response, _ in EXCHANGES))
    )
    conn = loopback.connect(server, HTTPConnection)
    first_sock = None
    for method, _, expected in EXCHANGES:
        conn.request(method, "/", body=b"abc" if method == "POST" else None)
        first_sock = first_sock or conn.sock
        assert conn.sock is first_sock
        response = conn.getresponse()
        assert not response.will_close
        assert READERS[reader](response) == expected
        if method == "HEAD" and reader in ("iteration", "read1"):
            # readline() and read1() on a HEAD response return b"" without
            # ending it, as in http.client: the caller closes it.
            assert not response.isclosed()
            response.close()
        assert response.isclosed()
        assert response.fp is None
    assert conn.sock is first_sock
    assert server.accepts == 1
    assert [request.split(b" ", 1)[0].decode() for request in server.requests] == [
        method for method, _, _ in EXCHANGES
    ]
    assert server.requests[-1].endswith(b"Content-Length: 3\r\n\r\nabc")


def test_trailers_do_not_desync_the_next_exchange(loopback: Loopback) -> None:
    server = loopback.serve(loopback.replies(CHUNKED, OK_HELLO))
    conn = loopback.connect(server, HTTPConnection)
    conn.request("GET", "/")
    response = conn.getresponse()
    before_the_body = response.trailers
    assert before_the_body is None
    assert response.read() == b"hello world!\n!"
    trailers = response.trailers
    assert trailers is not None
    assert trailers.items() == [("X-Sum", "3")]
    conn.request("GET", "/")
    assert conn.getresponse().read() == b"hello"
    assert server.accepts == 1


# (response, body, whether the connection ends with it)
ENDINGS = {
    "1.1 Connection: close": (
        b"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 5\r\n\r\nhello",
        True,
    ),
    "1.1 Connection: Keep-Alive, Close": (
        b"HTTP/1.1 200 OK\r\nConnection: Keep-Alive, Close\r\n"
        b"Content-Length: 5\r\n\r\nhello",
        True,
    ),
    "1.1 until close": (b"HTTP/1.1 200 OK\r\n\r\nhello", True),
    "1.1 TE gzip": (b"HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nhello", True),
    "1.0": (b"HTTP/1.0 200 OK\r\nContent-Length: 5\r\n\r\nhello", True),
    "1.0 until close": (b"HTTP/1.0 200 OK\r\n\r\nhello", True),
    "1.0 Connection: keep-alive": (
        b"HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 5\r\n\r\nhello",
        False,
    ),
    "1.0 Keep-Alive field": (
        b"HTTP/1.0 200 OK\r\nKeep-Alive: timeout=5\r\nContent-Length: 5\r\n\r\nhello",
        False,
    ),
    "1.0 Proxy-Connection: keep-alive": (
        b"HTTP/1.0 200 OK\r\nProxy-Connection: keep-alive\r\n"
        b"Content-Length: 5\r\n\r\nhello",
        False,
    ),
    "1.1 keep-alive": (OK_HELLO, False),
}


@pytest.mark.parametrize("case", sorted(ENDINGS))
@pytest.mark.parametrize(
    "module", [httpcore_client, http.client], ids=["ours", "stdlib"]
)
def test_which_responses_end_the_connection(
    loopback: Loopback, case: str, module: ModuleType
) -> None:
    response_bytes, ends = ENDINGS[case]
    if ends:
        server = loopback.serve(
            loopback.replies(response_bytes), loopback.replies(OK_HELLO)
        )
    else:
        server = loopback.serve(loopback.replies(response_bytes, OK_HELLO))
    conn = loopback.connect(server, module.HTTPConnection)
    conn.request("GET", "/")
    first_sock = conn.sock
    response = conn.getresponse()
    assert response.will_close is ends
    assert (conn.sock is None) is ends
    assert response.read() == b"hello"
    assert response.isclosed()
    assert (first_sock.fileno() == -1) is ends
    conn.request("GET", "/")
    assert (conn.sock is not first_sock) is ends
    assert conn.getresponse().read() == b"hello"
    assert server.accepts == (2 if ends else 1)


def test_server_closed_idle_connection(loopback: Loopback) -> None:
    # The server closed the connection while it was idle: the next request
    # notices before sending (RFC 9112 section 9.3) and goes out on a new
    # connection, where http.client sends it into the closed one.
    closed = threading.Event()

    def close_when_idle(peer: Peer) -> None:
        peer.reply(OK_HELLO)
        peer.shutdown_write()
        closed.set()
        assert peer.recv_until_eof() == b"", "a request on the closed connection"

    server = loopback.serve(close_when_idle, loopback.replies(OK_HELLO))
    conn = loopback.connect(server, HTTPConnection)
    conn.request("GET", "/first")
    assert conn.getresponse().read() == b"hello"
    assert closed.wait(TIMEOUT)
    stale_sock = conn.sock
    conn.request("GET", "/second")
    assert conn.sock is not stale_sock
    assert conn.getresponse().read() == b"hello"
    conn.close()
    server.wait()
    assert server.accepts == 2
    assert server.requests[-1].startswith(b"GET /second ")


def test_stdlib_sends_into_a_closed_idle_connection(loopback: Loopback) -> None:
    closed = threading.Event()

    def close_when_idle(peer: Peer) -> None:
        peer.reply(OK_HELLO)
        peer.shutdown_write()
        closed.set()
        # The client does not know yet: its next request arrives here.
        assert peer.recv_request().startswith(b"GET /second ")

    server = loopback.serve(close_when_idle, loopback.replies(OK_HELLO))
    conn = loopback.connect(server, http.client.HTTPConnection)
    conn.request("GET", "/first")
    assert conn.getresponse().read() == b"hello"
    assert closed.wait(TIMEOUT)
    stale_sock = conn.sock
    conn.request("GET", "/second")
    assert conn.sock is stale_sock
    with pytest.raises(http.client.RemoteDisconnected) as info:
        conn.getresponse()
    assert isinstance(info.value, ConnectionResetError)
    assert isinstance(info.value, http.client.BadStatusLine)
    assert conn.sock is None
    # auto_open: the next request opens a new connection.
    conn.request("GET", "/third")
    assert conn.sock is not stale_sock
    assert conn.getresponse().read() == b"hello"
    assert server.accepts == 2
    assert server.requests[-1].startswith(b"GET /third ")


def test_remote_disconnected_when_the_server_closes_after_the_request(
    loopback: Loopback,
) -> None:
    # The race the idle check cannot close: the server closes after the
    # request went out.  RemoteDisconnected, as in http.client; the next
    # request opens a new connection.
    def close_after_second_request(peer: Peer) -> None:
        peer.reply(OK_HELLO)
        peer.recv_request()
        peer.shutdown_write()

    server = loopback.serve(close_after_second_request, loopback.replies(OK_HELLO))
    conn = loopback.connect(server, HTTPConnection)
    conn.request("GET", "/first")
    assert conn.getresponse().read() == b"hello"
    conn.request("GET", "/second")
    with pytest.raises(RemoteDisconnected) as info:
        conn.getresponse()
    assert isinstance(info.value, ConnectionResetError)
    assert conn.sock is None
    conn.request("GET", "/third")
    assert conn.getresponse().read() == b"hello"
    conn.close()
    server.wait()


def test_remote_disconnected_is_both_kinds_of_error() -> None:
    error = RemoteDisconnected("Remote end closed connection without response")
    assert isinstance(error, ConnectionResetError)
    assert isinstance(error, BadStatusLine)
    assert isinstance(error, httpcore_client.HTTPException)
    assert str(error) == "Remote end closed connection without response"
    assert error.line == "''"


def test_reset_while_waiting_for_the_response(loopback: Loopback) -> None:
    def reset_after_request(peer: Peer) -> None:
        peer.recv_request()
        peer.reset()

    server = loopback.serve(reset_after_request, loopback.replies(OK_HELLO))
    conn = loopback.connect(server, HTTPConnection)
    conn.request("GET", "/")
    with pytest.raises(ConnectionResetError) as info:
        conn.getresponse()
    assert not isinstance(info.value, RemoteDisconnected)
    assert conn.sock is None
    conn.request("GET", "/")
    assert conn.getresponse().read() == b"hello"
    assert server.accepts == 2


@pytest.mark.parametrize(
    "module", [httpcore_client, http.client], ids=["ours", "stdlib"]
)
def test_no_auto_open(loopback: Loopback, module: ModuleType) -> None:
    server = loopback.serve(loopback.replies(OK_HELLO))
    conn: Any = loopback.connect(server, module.HTTPConnection)
    conn.request("GET", "/")
    assert conn.getresponse().read() == b"hello"
    conn.close()
    conn.auto_open = 0
    with pytest.raises(module.NotConnected):
        conn.request("GET", "/")
    assert conn.sock is None
    assert issubclass(NotConnected, httpcore_client.HTTPException)


def test_next_response_waits_for_the_previous_body(loopback: Loopback) -> None:
    server = loopback.serve(loopback.replies(OK_HELLO, CHUNKED))
    conn = loopback.connect(server, HTTPConnection)
    conn.request("GET", "/1")
    first = conn.getresponse()
    # The second request may go out before the first body is read ...
    conn.request("GET", "/2")
    # ... but its response cannot be read until then.
    with pytest.raises(ResponseNotReady):
        conn.getresponse()
    assert first.read(2) == b"he"
    with pytest.raises(ResponseNotReady):
        conn.getresponse()
    assert first.read() == b"llo"
    assert conn.getresponse().read() == b"hello world!\n!"
    assert server.accepts == 1


@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_close_with_a_response_not_read(loopback: Loopback, method: str) -> None:
    # A HEAD answer has the GET answer's fields and no body.
    reply = OK_HELLO.removesuffix(b"hello") if method == "HEAD" else OK_HELLO
    server = loopback.serve(loopback.replies(reply))
    conn = loopback.connect(server, HTTPConnection)
    conn.request(method, "/")
    response = conn.getresponse()
    assert not response.isclosed()
    conn.close()  # the server's handler sees the end of the connection
    assert response.isclosed()
    assert response.read() == b""
    assert server.accepts == 1


def test_urllib_request_closes_and_drops_sock(loopback: Loopback) -> None:
    # urllib.request (3.13 L1331) closes h.sock and sets it to None right
    # after getresponse(), so that the socket ends with the response.
    ended = threading.Event()

    def serve(peer: Peer) -> None:
        peer.reply(OK_HELLO)
        assert peer.recv_until_eof() == b""
        ended.set()

    server = loopback.serve(serve, timeout=2.0)
    conn = loopback.connect(server, HTTPConnection)
    conn.request("GET", "/")
    response = conn.getresponse()
    conn.sock.close()
    conn.sock = None
    assert response.read() == b"hello"
    response.close()
    assert ended.wait(2.0), "the socket was not closed with the response"


@pytest.mark.parametrize(
    "response_bytes",
    [NO_CONTENT, b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"],
    ids=["204", "Content-Length: 0"],
)
def test_peek_at_an_empty_body(loopback: Loopback, response_bytes: bytes) -> None:
    # The body is over: peek() has nothing to wait for on the open
    # connection (http.client's blocks until the socket times out).
    peeked = threading.Event()

    def keep_open(peer: Peer) -> None:
        peer.reply(response_bytes)
        assert peeked.wait(TIMEOUT)

    server = loopback.serve(keep_open)
    conn = loopback.connect(server, HTTPConnection, timeout=0.5)
    conn.request("GET", "/")
    response = conn.getresponse()
    try:
        assert response.peek() == b""
    finally:
        peeked.set()
    assert response.read() == b""
    assert response.isclosed()


def _answer_if_reused(peer: Peer) -> None:
    peer.reply(OK_HELLO)
    try:
        peer.reply(OK_HELLO)
    except EOFError:
        return  # the client opened a new connection instead: fine too


@pytest.mark.parametrize("how", ["close()", "with"])
@pytest.mark.parametrize(
    "module", [httpcore_client, http.client], ids=["ours", "stdlib"]
)
def test_response_closed_before_its_end(
    loopback: Loopback, module: ModuleType, how: str
) -> None:
    # The rest of the body must not be read as the next response, whether
    # the connection drops it or starts afresh.
    server = loopback.serve(
        _answer_if_reused, loopback.replies(OK_HELLO), required=False
    )
    conn = loopback.connect(server, module.HTTPConnection)
    conn.request("GET", "/")
    if how == "close()":
        response = conn.getresponse()
        assert response.read(2) == b"he"
        response.close()
    else:
        with conn.getresponse() as response:
            assert response.read(2) == b"he"
    conn.request("GET", "/")
    assert conn.getresponse().read() == b"hello"
