# A connection carries another request only when it is idle and clean (RFC
# 9112 section 9.3): bytes nobody asked for -- a body behind a HEAD, 204 or
# 304 answer, a server talking out of turn, the server's close -- are never
# read as the next response.  Each case on real loopback sockets, over TCP
# and TLS, with what the running interpreter's http.client makes of the same
# bytes where that shows the point.
from __future__ import annotations

import http.client
import select
import ssl
import threading
from typing import TYPE_CHECKING, Any

import pytest

from httpcore_client import HTTPConnection, HTTPResponse, HTTPSConnection, NotConnected

if TYPE_CHECKING:
    from conftest import TLS, Loopback, Peer

TIMEOUT = 5.0
OK_HELLO = b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"
OK_WORLD = b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nworld"
# What a hostile peer slips behind a response, hoping it is read as the
# answer to the next request.
FORGED = b"HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nforged"
# After a 101 the connection speaks another protocol (RFC 9110 section 15.2.2).
SWITCHING = (
    b"HTTP/1.1 101 Switching Protocols\r\nConnection: upgrade\r\nUpgrade: x\r\n\r\n"
)


def _nothing_more(peer: Peer) -> None:
    assert peer.recv_until_eof() == b"", "a request on a connection not clean"


# Responses without a body after which the connection must end: sent with
# bytes behind them, or switching protocols when the request did not ask to.
ENDS_THE_CONNECTION = {
    "HEAD answered with a body": ("HEAD", OK_HELLO),
    "204 with a body": (
        "GET",
        b"HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\nhello",
    ),
    "304 with a body": (
        "GET",
        b"HTTP/1.1 304 Not Modified\r\nContent-Length: 5\r\n\r\nhello",
    ),
    "204 with a forged response": ("GET", b"HTTP/1.1 204 No Content\r\n\r\n" + FORGED),
    "101 nobody asked for": ("GET", SWITCHING),
}


@pytest.mark.parametrize("case", sorted(ENDS_THE_CONNECTION))
def test_no_body_response_that_ends_the_connection(
    loopback: Loopback, case: str
) -> None:
    method, reply = ENDS_THE_CONNECTION[case]
    server = loopback.serve(
        loopback.replies(reply, then=_nothing_more), loopback.replies(OK_WORLD)
    )
    conn = loopback.connect(server, HTTPConnection)
    conn.request(method, "/")
    response = conn.getresponse()
    # The bytes arrived with the response: the connection ends with it.
    assert response.will_close
    assert response.read() == b""
    conn.request("GET", "/next")
    assert conn.getresponse().read() == b"world"
    conn.close()
    server.wait()
    assert server.accepts == 2


def _arrived(sock: Any) -> None:
    """Wait until bytes the server sent have reached the client's socket
    (the server's send() returning does not mean they have)."""
    assert select.select([sock], [], [], TIMEOUT)[0], "nothing arrived"


def _out_of_turn(sent: threading.Event, read: threading.Event) -> Any:
    """A handler that answers with a 204, waits until the client has read
    it, then sends a forged response nobody asked for."""

    def handler(peer: Peer) -> None:
        peer.reply(b"HTTP/1.1 204 No Content\r\n\r\n")
        assert read.wait(TIMEOUT)
        peer.send(FORGED)
        sent.set()
        # The client closes with the forged bytes unread: a reset.
        peer.may_reset = True
        _nothing_more(peer)
        peer.close()

    return handler


# How the check looks at the socket: poll(), or select() where the select
# module has no poll() (Windows).
POLLERS = ["poll", "select"]


def _use(poller: str, monkeypatch: pytest.MonkeyPatch) -> None:
    if poller == "select":
        monkeypatch.delattr(select, "poll")


@pytest.mark.parametrize("poller", POLLERS)
@pytest.mark.parametrize("remembered", [False, True], ids=["built", "remembered"])
def test_bytes_sent_out_of_turn_are_not_the_next_response(
    loopback: Loopback,
    monkeypatch: pytest.MonkeyPatch,
    remembered: bool,
    poller: str,
) -> None:
    _use(poller, monkeypatch)
    sent, read = threading.Event(), threading.Event()
    server = loopback.serve(_out_of_turn(sent, read), loopback.replies(OK_WORLD))
    conn = loopback.connect(server, HTTPConnection)
    conn.request("GET", "/")
    assert conn.getresponse().read() == b""
    read.set()
    assert sent.wait(TIMEOUT)
    _arrived(conn.sock)
    # The same request again takes the remembered head's shortcut; one with
    # a field of the caller's is built the long way.  Both check.
    conn.request("GET", "/", headers={} if remembered else {"X-A": "b"})
    assert conn.getresponse().read() == b"world"
    conn.close()
    server.wait()
    assert server.accepts == 2


def test_stdlib_reads_bytes_sent_out_of_turn_as_the_next_response(
    loopback: Loopback,
) -> None:
    sent, read = threading.Event(), threading.Event()

    def handler(peer: Peer) -> None:
        # _out_of_turn()'s script, then the request http.client sends.
        peer.reply(b"HTTP/1.1 204 No Content\r\n\r\n")
        assert read.wait(TIMEOUT)
        peer.send(FORGED)
        sent.set()
        peer.recv_request()

    server = loopback.serve(handler)
    conn = loopback.connect(server, http.client.HTTPConnection)
    conn.request("GET", "/")
    assert conn.getresponse().read() == b""
    read.set()
    assert sent.wait(TIMEOUT)
    _arrived(conn.sock)
    conn.request("GET", "/next")
    assert conn.getresponse().read() == b"forged"
    conn.close()
    server.wait()


def test_without_auto_open_a_stale_connection_sends_nothing(
    loopback: Loopback,
) -> None:
    sent, read = threading.Event(), threading.Event()
    server = loopback.serve(_out_of_turn(sent, read))
    conn = loopback.connect(server, HTTPConnection)
    conn.auto_open = 0
    conn.connect()
    conn.request("GET", "/")
    assert conn.getresponse().read() == b""
    read.set()
    assert sent.wait(TIMEOUT)
    _arrived(conn.sock)
    with pytest.raises(NotConnected):
        conn.request("GET", "/next")
    assert conn.sock is None
    server.wait()


@pytest.mark.parametrize("poller", POLLERS)
def test_a_clean_connection_is_reused(
    loopback: Loopback, monkeypatch: pytest.MonkeyPatch, poller: str
) -> None:
    _use(poller, monkeypatch)
    server = loopback.serve(loopback.replies(OK_HELLO, OK_WORLD, OK_HELLO))
    conn = loopback.connect(server, HTTPConnection)
    sock = None
    for body in (b"hello", b"world", b"hello"):
        conn.request("GET", "/")
        assert conn.getresponse().read() == body
        assert sock in (None, conn.sock)
        sock = conn.sock
    conn.close()
    server.wait()
    assert server.accepts == 1


@pytest.mark.parametrize(
    ("read_through_fp", "connections"),
    [(2, 2), (5, 1)],
    ids=["part of the body", "all of it"],
)
def test_body_read_through_fp(
    loopback: Loopback, read_through_fp: int, connections: int
) -> None:
    # The body read through fp, as a caller may, then the response closed.
    # What is left of it is still in the connection's reader: then the
    # connection is not clean and the next request opens a new one.
    if connections == 2:
        handlers = [
            loopback.replies(OK_HELLO, then=_nothing_more),
            loopback.replies(OK_WORLD),
        ]
    else:
        handlers = [loopback.replies(OK_HELLO, OK_WORLD)]
    server = loopback.serve(*handlers)
    conn = loopback.connect(server, HTTPConnection)
    conn.request("GET", "/1")
    first = conn.getresponse()
    assert first.fp.read(read_through_fp) == b"hello"[:read_through_fp]
    first.close()
    conn.request("GET", "/2")
    assert conn.getresponse().read() == b"world"
    conn.close()
    server.wait()
    assert server.accepts == connections


def test_a_request_sent_before_the_previous_body_is_read(loopback: Loopback) -> None:
    # http.client lets the next request go out while a response is unread;
    # its body, still in the reader, is not taken for stale bytes.
    server = loopback.serve(loopback.replies(OK_HELLO, OK_WORLD))
    conn = loopback.connect(server, HTTPConnection)
    conn.request("GET", "/1")
    first = conn.getresponse()
    conn.request("GET", "/2")
    assert first.read() == b"hello"
    assert conn.getresponse().read() == b"world"
    conn.close()
    server.wait()
    assert server.accepts == 1


class _Subclass(HTTPResponse):
    """A response class of a caller's, constructed the long way."""


class _WrappedFp(HTTPResponse):
    """A response class that wraps the reader it is given, as a caller's
    instrumentation may."""

    class Wrapper:
        def __init__(self, fp: Any) -> None:
            self.fp = fp
            self.reads = 0

        def __getattr__(self, name: str) -> Any:
            self.reads += 1
            return getattr(self.fp, name)

    def __init__(self, sock: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(sock, *args, **kwargs)
        self.fp = self.Wrapper(self.fp)


def test_a_response_class_of_the_callers_reads_what_the_connection_buffered(
    loopback: Loopback,
) -> None:
    # The second response arrives together with the end of the first body,
    # so the connection's reader holds it when the caller's class, made by
    # its own constructor, begins.
    def handler(peer: Peer) -> None:
        peer.recv_request()
        peer.send(b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n")
        peer.recv_request()
        peer.send(b"hello" + OK_WORLD)

    server = loopback.serve(handler)
    conn = loopback.connect(server, HTTPConnection)
    conn.response_class = _Subclass
    conn.request("GET", "/1")
    first = conn.getresponse()
    conn.request("GET", "/2")
    assert first.read() == b"hello"
    second = conn.getresponse()
    assert type(second) is _Subclass
    assert second.read() == b"world"
    conn.close()
    server.wait()


def test_a_response_class_that_wraps_its_reader_keeps_it(loopback: Loopback) -> None:
    server = loopback.serve(loopback.replies(OK_HELLO, OK_WORLD, OK_HELLO))
    conn = loopback.connect(server, HTTPConnection)
    conn.request("GET", "/1")
    assert conn.getresponse().read() == b"hello"
    conn.response_class = _WrappedFp
    conn.request("GET", "/2")
    wrapped = conn.getresponse()
    wrapper = wrapped.fp
    assert isinstance(wrapper, _WrappedFp.Wrapper)
    assert wrapped.read() == b"world"
    assert wrapper.reads > 0
    conn.response_class = HTTPResponse
    conn.request("GET", "/3")
    assert conn.getresponse().read() == b"hello"
    conn.close()
    server.wait()
    assert server.accepts == 1


def test_http10_chunked_keep_alive_is_not_reused(loopback: Loopback) -> None:
    chunked_10 = (
        b"HTTP/1.0 200 OK\r\nConnection: keep-alive\r\n"
        b"Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"
    )
    server = loopback.serve(
        loopback.replies(chunked_10, then=_nothing_more), loopback.replies(OK_WORLD)
    )
    conn = loopback.connect(server, HTTPConnection)
    conn.request("GET", "/")
    response = conn.getresponse()
    assert response.will_close
    assert response.read() == b"hello"
    conn.request("GET", "/")
    assert conn.getresponse().read() == b"world"
    conn.close()
    server.wait()


def _switches_then_forges(peer: Peer) -> None:
    """Answers with a 101, then whatever request comes next on the
    connection with a forged response (in the new protocol, any bytes)."""
    peer.reply(SWITCHING)
    peer.reply(FORGED)


def test_stdlib_reuses_a_connection_after_a_101_nobody_asked_for(
    loopback: Loopback,
) -> None:
    server = loopback.serve(_switches_then_forges)
    conn = loopback.connect(server, http.client.HTTPConnection)
    conn.request("GET", "/")
    response = conn.getresponse()
    assert response.status == 101
    assert response.read() == b""
    conn.request("GET", "/next")
    assert conn.getresponse().read() == b"forged"
    conn.close()
    server.wait()


@pytest.mark.parametrize(
    "fields", [{"Upgrade": "x", "Connection": "upgrade"}, {"UPGRADE": b"x"}]
)
def test_101_asked_for_leaves_the_socket_to_the_caller(
    loopback: Loopback, fields: dict[str, Any]
) -> None:
    # As in http.client: the caller that asked for the switch speaks the new
    # protocol on conn.sock itself.
    def handler(peer: Peer) -> None:
        peer.reply(SWITCHING)
        assert peer.recv_body(4) == b"ping"
        peer.send(b"pong")

    server = loopback.serve(handler)
    conn = loopback.connect(server, HTTPConnection)
    conn.request("GET", "/", headers=fields)
    response = conn.getresponse()
    assert response.status == 101
    assert not response.will_close
    assert conn.sock is not None
    assert response.read() == b""
    conn.sock.sendall(b"ping")
    assert conn.sock.recv(4) == b"pong"
    conn.close()
    server.wait()


# -- TLS ------------------------------------------------------------------------


def test_tls_connection_with_session_tickets_is_reused(
    loopback: Loopback, tls: TLS
) -> None:
    # TLS 1.3 session tickets are records the client reads without them
    # being data: a connection that received them is still clean.
    context = tls.server_context()
    context.num_tickets = 2
    server = loopback.serve(loopback.replies(OK_HELLO, OK_WORLD), tls=context)
    conn = loopback.connect(server, HTTPSConnection, context=tls.client_context())
    conn.request("GET", "/")
    assert conn.getresponse().read() == b"hello"
    assert conn.sock.version() == "TLSv1.3"
    conn.request("GET", "/")
    assert conn.getresponse().read() == b"world"
    conn.close()
    server.wait()
    assert server.accepts == 1


def test_tls_bytes_sent_out_of_turn(loopback: Loopback, tls: TLS) -> None:
    sent, read = threading.Event(), threading.Event()
    server = loopback.serve(
        _out_of_turn(sent, read), loopback.replies(OK_WORLD), tls=tls.server_context()
    )
    conn = loopback.connect(server, HTTPSConnection, context=tls.client_context())
    conn.request("GET", "/")
    assert conn.getresponse().read() == b""
    read.set()
    assert sent.wait(TIMEOUT)
    _arrived(conn.sock)
    conn.request("GET", "/")
    assert conn.getresponse().read() == b"world"
    conn.close()
    server.wait()
    assert server.accepts == 2


def test_tls_server_closed_idle_connection(loopback: Loopback, tls: TLS) -> None:
    closed = threading.Event()

    def close_when_idle(peer: Peer) -> None:
        peer.reply(OK_HELLO)
        assert isinstance(peer.sock, ssl.SSLSocket)
        peer.close()
        closed.set()

    server = loopback.serve(
        close_when_idle, loopback.replies(OK_WORLD), tls=tls.server_context()
    )
    conn = loopback.connect(server, HTTPSConnection, context=tls.client_context())
    conn.request("GET", "/")
    assert conn.getresponse().read() == b"hello"
    assert closed.wait(TIMEOUT)
    conn.request("GET", "/")
    assert conn.getresponse().read() == b"world"
    conn.close()
    server.wait()
    assert server.accepts == 2
