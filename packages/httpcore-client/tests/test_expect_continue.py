# Expect: 100-continue (RFC 9110 section 10.1.1): the head goes first, the
# body after the server's 100 (Continue) or a bounded silence, and not at
# all when a final response comes instead, which then closes the
# connection.  Scripted servers on loopback sockets, over TCP and TLS, for
# request() and putrequest()/endheaders(message_body).
from __future__ import annotations

import io
import select
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pytest

from httpcore_client import (
    HTTPConnection,
    HTTPSConnection,
    LineTooLong,
    RemoteDisconnected,
)
from httpcore_headers import TooManyHeaders
from httpcore_wire import TooManyInterimResponses

if TYPE_CHECKING:
    from conftest import TLS, Loopback, Peer

TIMEOUT = 5.0
BODY = b"x" * 300_000
EXPECT = {"Expect": "100-continue"}
CONTINUE = b"HTTP/1.1 100 Continue\r\n\r\n"
OK = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
# How long the server makes sure no body comes before it answers: the
# clients here wait TIMEOUT seconds, so a body that came this soon was sent
# without waiting.
QUIET = 0.2


def _no_body_yet(peer: Peer) -> None:
    assert not peer.buffer, f"the body came with the head: {peer.buffer[:40]!r}"
    assert not select.select([peer.sock], [], [], QUIET)[0], "the body did not wait"


def _head_then(
    *answers: bytes, body: bytes = BODY, final: bytes = OK, then: bytes = b""
) -> Any:
    """A handler: reads a head, checks no body follows, sends ``answers``,
    reads the body, then sends ``final``; answers one more request with
    ``then`` if given."""

    def handler(peer: Peer) -> None:
        head = peer.recv_head()
        assert b"\r\nExpect: 100-continue\r\n" in head
        _no_body_yet(peer)
        for answer in answers:
            peer.send(answer)
        assert peer.recv_body(len(body)) == body
        peer.send(final)
        if then:
            peer.reply(then)

    return handler


def _refuses(response: bytes) -> Any:
    """A handler: reads a head, checks no body follows, answers
    ``response``, then records what else the client sends (nothing)."""

    def handler(peer: Peer) -> None:
        peer.recv_head()
        _no_body_yet(peer)
        peer.send(response)
        assert peer.recv_until_eof() == b"", "the withheld body was sent"

    return handler


def _bodies() -> dict[str, Callable[[], Any]]:
    return {
        "bytes": lambda: BODY,
        "file": lambda: io.BytesIO(BODY),
        "iterable": lambda: iter([BODY[:1000], BODY[1000:]]),
    }


@pytest.fixture(params=["request", "endheaders"])
def send(request: pytest.FixtureRequest) -> Callable[..., None]:
    """Sends a PUT with ``Expect: 100-continue`` through request(), or
    through putrequest(), putheader() and endheaders(message_body)."""

    def through_request(conn: HTTPConnection, body: Any) -> None:
        conn.request("PUT", "/", body, {**EXPECT, "Content-Length": str(len(BODY))})

    def through_endheaders(conn: HTTPConnection, body: Any) -> None:
        conn.putrequest("PUT", "/")
        conn.putheader("Content-Length", str(len(BODY)))
        conn.putheader("Expect", "100-continue")
        conn.endheaders(body)

    return through_request if request.param == "request" else through_endheaders


@pytest.mark.parametrize("body", sorted(_bodies()))
def test_body_follows_100_continue(
    loopback: Loopback, send: Callable[..., None], body: str
) -> None:
    server = loopback.serve(_head_then(CONTINUE, then=OK))
    conn = loopback.connect(server, HTTPConnection, continue_timeout=TIMEOUT)
    send(conn, _bodies()[body]())
    response = conn.getresponse()
    assert (response.status, response.read()) == (200, b"ok")
    # The body was sent: the connection carries the next request.
    assert not response.will_close
    conn.request("GET", "/")
    assert conn.getresponse().read() == b"ok"
    conn.close()
    server.wait()
    assert server.accepts == 1


def test_chunked_body_follows_100_continue(loopback: Loopback) -> None:
    chunked = b"3E8\r\n" + BODY[:1000] + b"\r\n0\r\n\r\n"
    server = loopback.serve(_head_then(CONTINUE, body=chunked))
    conn = loopback.connect(server, HTTPConnection, continue_timeout=TIMEOUT)
    conn.request("POST", "/", iter([BODY[:1000]]), EXPECT)
    assert conn.getresponse().read() == b"ok"
    conn.close()
    server.wait()


INTERIM = {
    "102 then 100": b"HTTP/1.1 102 Processing\r\n\r\n" + CONTINUE,
    "103 with fields, then 100": (
        b"HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\n" + CONTINUE
    ),
    "100 with fields": b"HTTP/1.1 100 Continue\r\nConnection: keep-alive\r\n\r\n",
    "HTTP/1.0 100": b"HTTP/1.0 100 Continue\r\n\r\n",
}


@pytest.mark.parametrize("case", sorted(INTERIM))
def test_other_interim_responses_are_skipped(loopback: Loopback, case: str) -> None:
    server = loopback.serve(_head_then(INTERIM[case]))
    conn = loopback.connect(server, HTTPConnection, continue_timeout=TIMEOUT)
    conn.request("PUT", "/", BODY, EXPECT)
    response = conn.getresponse()
    assert (response.status, response.read()) == (200, b"ok")
    conn.close()
    server.wait()


def test_a_status_line_in_pieces(loopback: Loopback) -> None:
    def handler(peer: Peer) -> None:
        peer.recv_head()
        _no_body_yet(peer)
        peer.send(CONTINUE[:10])
        # Nothing but the rest of the line lets the client go on.
        assert not select.select([peer.sock], [], [], QUIET)[0]
        peer.send(CONTINUE[10:])
        assert peer.recv_body(len(BODY)) == BODY
        peer.send(OK)

    server = loopback.serve(handler)
    conn = loopback.connect(server, HTTPConnection, continue_timeout=TIMEOUT)
    conn.request("PUT", "/", BODY, EXPECT)
    assert conn.getresponse().read() == b"ok"
    conn.close()
    server.wait()


REFUSALS = {
    "401 with a body": (
        401,
        b"HTTP/1.1 401 Unauthorized\r\nContent-Length: 6\r\n\r\nsorry!",
        b"sorry!",
    ),
    "413, connection close": (
        413,
        b"HTTP/1.1 413 Content Too Large\r\nConnection: close\r\n"
        b"Content-Length: 0\r\n\r\n",
        b"",
    ),
    "417": (417, b"HTTP/1.1 417 Expectation Failed\r\nContent-Length: 0\r\n\r\n", b""),
    "chunked 403": (
        403,
        b"HTTP/1.1 403 Forbidden\r\nTransfer-Encoding: chunked\r\n\r\n"
        b"2\r\nno\r\n0\r\n\r\n",
        b"no",
    ),
}


@pytest.mark.parametrize("case", sorted(REFUSALS))
def test_final_response_instead_of_100_withholds_the_body(
    loopback: Loopback, send: Callable[..., None], case: str
) -> None:
    status, reply, content = REFUSALS[case]
    server = loopback.serve(_refuses(reply), loopback.replies(OK))
    conn = loopback.connect(server, HTTPConnection, continue_timeout=TIMEOUT)
    send(conn, BODY)
    response = conn.getresponse()
    assert (response.status, response.read()) == (status, content)
    # The head announced a body that never came: the connection ends.
    assert response.will_close
    assert conn.sock is None
    conn.request("PUT", "/", BODY)
    assert conn.getresponse().read() == b"ok"
    conn.close()
    server.wait()
    assert server.accepts == 2


def _silent_then_reads(heard: list[float]) -> Any:
    def handler(peer: Peer) -> None:
        peer.recv_head()
        start = time.monotonic()
        assert peer.recv_body(len(BODY)) == BODY
        heard.append(time.monotonic() - start)
        peer.send(OK)

    return handler


def test_silence_sends_the_body_after_the_wait(loopback: Loopback) -> None:
    heard: list[float] = []
    server = loopback.serve(_silent_then_reads(heard))
    conn = loopback.connect(server, HTTPConnection, continue_timeout=0.3)
    conn.request("PUT", "/", BODY, EXPECT)
    assert conn.getresponse().read() == b"ok"
    conn.close()
    server.wait()
    # The body waited for the silence, and not for the socket's timeout.
    assert 0.25 <= heard[0] < TIMEOUT


@pytest.mark.parametrize("wait", [0, None])
def test_no_wait_sends_the_body_at_once(loopback: Loopback, wait: float | None) -> None:
    def handler(peer: Peer) -> None:
        peer.recv_head()
        # The default wait (1 s) would fail this.
        assert select.select([peer.sock], [], [], 0.5)[0] or peer.buffer
        assert peer.recv_body(len(BODY)) == BODY
        peer.send(OK)

    server = loopback.serve(handler)
    conn = loopback.connect(server, HTTPConnection, continue_timeout=wait)
    conn.request("PUT", "/", BODY, EXPECT)
    assert conn.getresponse().read() == b"ok"
    conn.close()
    server.wait()


def test_the_wait_is_the_default_one(loopback: Loopback) -> None:
    assert HTTPConnection("127.0.0.1").continue_timeout == 1.0
    heard: list[float] = []
    server = loopback.serve(_silent_then_reads(heard))
    conn = loopback.connect(server, HTTPConnection)
    conn.request("PUT", "/", BODY, EXPECT)
    assert conn.getresponse().read() == b"ok"
    conn.close()
    server.wait()
    assert 0.9 <= heard[0] < TIMEOUT


def test_the_wait_ends_with_the_socket_timeout(loopback: Loopback) -> None:
    heard: list[float] = []
    server = loopback.serve(_silent_then_reads(heard))
    conn = loopback.connect(
        server, HTTPConnection, timeout=0.3, continue_timeout=TIMEOUT
    )
    conn.request("PUT", "/", BODY, EXPECT)
    assert conn.getresponse().read() == b"ok"
    conn.close()
    server.wait()
    assert 0.25 <= heard[0] < TIMEOUT / 2


def test_the_wait_is_not_the_read_timeout(loopback: Loopback) -> None:
    # A connection with a read timeout (a Clock) that has read a response:
    # the wait for 100 Continue is still continue_timeout.
    heard: list[float] = []

    def handler(peer: Peer) -> None:
        peer.reply(OK)
        _silent_then_reads(heard)(peer)

    server = loopback.serve(handler)
    conn = loopback.connect(
        server, HTTPConnection, read_timeout=TIMEOUT, continue_timeout=0.3
    )
    conn.request("GET", "/")
    assert conn.getresponse().read() == b"ok"
    conn.request("PUT", "/", BODY, EXPECT)
    assert conn.getresponse().read() == b"ok"
    conn.close()
    server.wait()
    assert 0.25 <= heard[0] < TIMEOUT / 2


def test_without_expect_the_body_goes_with_the_head(loopback: Loopback) -> None:
    def handler(peer: Peer) -> None:
        request = peer.recv_request()
        assert request.endswith(b"\r\n\r\nsmall")
        peer.send(OK)

    server = loopback.serve(handler)
    conn = loopback.connect(server, HTTPConnection, continue_timeout=TIMEOUT)
    conn.request("PUT", "/", b"small", {"Expect": "something-else"})
    assert conn.getresponse().read() == b"ok"
    conn.close()
    server.wait()


def test_empty_body_does_not_wait(loopback: Loopback) -> None:
    server = loopback.serve(loopback.replies(OK))
    conn = loopback.connect(server, HTTPConnection, continue_timeout=TIMEOUT)
    start = time.monotonic()
    conn.request("PUT", "/", b"", EXPECT)
    assert time.monotonic() - start < TIMEOUT / 2
    assert conn.getresponse().read() == b"ok"
    conn.close()
    server.wait()


WRONG_ANSWERS: dict[str, tuple[bytes, type[Exception]]] = {
    "the server closes": (b"", RemoteDisconnected),
    "a line over the limit": (b"X" * 70_000, LineTooLong),
    "a 100 with a field over the limit": (
        b"HTTP/1.1 100 Continue\r\nX: " + b"a" * 70_000 + b"\r\n\r\n",
        LineTooLong,
    ),
    "a 100 with too many fields": (
        b"HTTP/1.1 100 Continue\r\n" + b"X: 1\r\n" * 150 + b"\r\n",
        TooManyHeaders,
    ),
    "endless 102": (b"HTTP/1.1 102 Processing\r\n\r\n" * 300, TooManyInterimResponses),
}


@pytest.mark.parametrize("case", sorted(WRONG_ANSWERS))
def test_a_wrong_answer_is_getresponses_to_refuse(
    loopback: Loopback, case: str
) -> None:
    sent, error = WRONG_ANSWERS[case]

    def handler(peer: Peer) -> None:
        peer.may_reset = True
        peer.recv_head()
        peer.send(sent)
        peer.shutdown_write()
        assert peer.recv_until_eof() == b"", "the withheld body was sent"

    server = loopback.serve(handler)
    conn = loopback.connect(server, HTTPConnection, continue_timeout=TIMEOUT)
    # request() returns: what is wrong is getresponse()'s to raise, as with
    # http.client.
    conn.request("PUT", "/", BODY, EXPECT)
    with pytest.raises(error):
        conn.getresponse()
    conn.close()
    server.wait()


def test_debug_output_shows_the_100(
    loopback: Loopback, capsys: pytest.CaptureFixture[str]
) -> None:
    server = loopback.serve(_head_then(CONTINUE))
    conn = loopback.connect(server, HTTPConnection, continue_timeout=TIMEOUT)
    conn.set_debuglevel(1)
    conn.request("PUT", "/", BODY, EXPECT)
    assert conn.getresponse().read() == b"ok"
    conn.close()
    server.wait()
    lines = capsys.readouterr().out.splitlines()
    assert "reply: 'HTTP/1.1 100 Continue\\r\\n'" in lines
    assert "reply: 'HTTP/1.1 200 OK\\r\\n'" in lines


# -- TLS ------------------------------------------------------------------------


@pytest.mark.parametrize("tickets", [0, 2])
def test_tls_body_follows_100_continue(
    loopback: Loopback, tls: TLS, tickets: int
) -> None:
    context = tls.server_context()
    context.num_tickets = tickets
    server = loopback.serve(_head_then(CONTINUE), tls=context)
    conn = loopback.connect(
        server, HTTPSConnection, context=tls.client_context(), continue_timeout=TIMEOUT
    )
    conn.request("PUT", "/", BODY, EXPECT)
    assert conn.getresponse().read() == b"ok"
    conn.close()
    server.wait()


@pytest.mark.parametrize("tickets", [0, 2])
def test_tls_silence_sends_the_body_after_the_wait(
    loopback: Loopback, tls: TLS, tickets: int
) -> None:
    # Session tickets make the socket readable with no data for us: the wait
    # must still end with its own limit, not the socket's timeout.
    context = tls.server_context()
    context.num_tickets = tickets
    heard: list[float] = []
    server = loopback.serve(_silent_then_reads(heard), tls=context)
    conn = loopback.connect(
        server, HTTPSConnection, context=tls.client_context(), continue_timeout=0.3
    )
    conn.request("PUT", "/", BODY, EXPECT)
    assert conn.getresponse().read() == b"ok"
    conn.close()
    server.wait()
    assert 0.25 <= heard[0] < TIMEOUT / 2


def test_tls_final_response_withholds_the_body(loopback: Loopback, tls: TLS) -> None:
    status, reply, content = REFUSALS["401 with a body"]
    server = loopback.serve(_refuses(reply), tls=tls.server_context())
    conn = loopback.connect(
        server, HTTPSConnection, context=tls.client_context(), continue_timeout=TIMEOUT
    )
    conn.request("PUT", "/", BODY, EXPECT)
    response = conn.getresponse()
    assert (response.status, response.read()) == (status, content)
    assert response.will_close
    conn.close()
    server.wait()
