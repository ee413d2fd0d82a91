# The shortcuts of the keep-alive round trip, held to the long way they
# replace: request() sending a remembered head, begin() parsing a head that
# is already buffered in one pass, and the connection's shared reader.  Each
# test compares the shortcut with the exact path (forced by a subclass that
# replaces a hook) or with http.client itself, over real loopback sockets.
from __future__ import annotations

import http.client
import socket
from collections.abc import Callable
from types import ModuleType
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import given, settings, strategies as st

import httpcore_client
from httpcore_client import (
    HTTPConnection,
    HTTPResponse,
    HTTPSConnection,
    ResponseNotReady,
)

if TYPE_CHECKING:
    from conftest import TLS, AuditLog, Loopback, Peer

OK = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"


def _exchange(connection: Any, method: str, url: str) -> bytes:
    connection.request(method, url)
    body: bytes = connection.getresponse().read()
    return body


def _requests_sent(
    loopback: Loopback,
    module: ModuleType,
    script: Callable[[Any], None],
    count: int,
) -> list[bytes]:
    """The exact requests ``script`` makes on one connection of ``module``."""
    server = loopback.serve(loopback.replies(*[OK] * count))
    connection = loopback.connect(server, module.HTTPConnection)
    script(connection)
    connection.close()
    server.wait()
    return server.requests


# -- request() with a remembered head ------------------------------------------


def _mixed_requests(connection: Any) -> None:
    for method, url in [
        ("GET", "/a"),
        ("GET", "/a"),
        ("GET", "/b?q=1"),
        ("POST", "/a"),  # Content-Length: 0
        ("POST", "/a"),
        ("GET", "/a"),
        ("OPTIONS", "*"),
        ("GET", "http://example.test:8080/x"),  # Host from the URL
        ("GET", "http://example.test:8080/x"),
    ]:
        assert _exchange(connection, method, url) == b"ok"


def test_remembered_heads_are_the_stdlib_bytes(loopback: Loopback) -> None:
    ours = _requests_sent(loopback, httpcore_client, _mixed_requests, 9)
    theirs = _requests_sent(loopback, http.client, _mixed_requests, 9)
    port_ours = int(ours[0].split(b"Host: 127.0.0.1:")[1].split(b"\r\n")[0])
    port_theirs = int(theirs[0].split(b"Host: 127.0.0.1:")[1].split(b"\r\n")[0])
    normalised = [r.replace(b":%d" % port_theirs, b":%d" % port_ours) for r in theirs]
    assert ours == normalised
    assert ours[0] == ours[1]
    assert ours[3].startswith(b"POST /a HTTP/1.1\r\n")
    assert b"Content-Length: 0\r\n" in ours[3]


def test_each_request_raises_one_send_event(
    loopback: Loopback, audit: AuditLog
) -> None:
    server = loopback.serve(loopback.replies(OK, OK, OK))
    connection = loopback.connect(server, HTTPConnection)
    for _ in range(3):
        assert _exchange(connection, "GET", "/same") == b"ok"
    connection.close()
    server.wait()
    events = audit.of(connection)
    sends = [bytes(args[0]) for event, args in events if event == "http.client.send"]
    assert sends == server.requests


def test_remembered_heads_over_tls(
    loopback: Loopback, tls: TLS, audit: AuditLog
) -> None:
    # Over TLS the remembered head goes out with SSLSocket.write().
    server = loopback.serve(loopback.replies(OK, OK, OK), tls=tls.server_context())
    connection = loopback.track(
        HTTPSConnection(
            "localhost", server.port, timeout=5, context=tls.client_context()
        )
    )
    for _ in range(3):
        assert _exchange(connection, "GET", "/tls") == b"ok"
    connection.close()
    server.wait()
    assert server.requests[0].startswith(b"GET /tls HTTP/1.1\r\nHost: localhost:")
    assert server.requests == [server.requests[0]] * 3
    events = audit.of(connection)
    sends = [bytes(args[0]) for event, args in events if event == "http.client.send"]
    assert sends == server.requests


def test_identical_requests_build_the_head_once(
    loopback: Loopback, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = loopback.serve(loopback.replies(*[OK] * 5))
    connection = loopback.connect(server, HTTPConnection)
    built: list[tuple[str, str]] = []
    long_way = connection._send_request

    def counting(method: str, url: str, *args: Any) -> None:
        built.append((method, url))
        long_way(method, url, *args)

    # On the instance: the hooks that turn the shortcut off are the class's.
    monkeypatch.setattr(connection, "_send_request", counting)
    for url in ("/a", "/a", "/a", "/b", "/a"):
        assert _exchange(connection, "GET", url) == b"ok"
    connection.close()
    server.wait()
    assert built == [("GET", "/a"), ("GET", "/b")]
    assert len(set(server.requests)) == 2


def test_host_and_version_changes_are_seen(loopback: Loopback) -> None:
    def script(connection: Any) -> None:
        _exchange(connection, "GET", "/")
        connection.host = "localhost"
        _exchange(connection, "GET", "/")
        connection._http_vsn = 10
        connection._http_vsn_str = "HTTP/1.0"
        _exchange(connection, "GET", "/")

    requests = _requests_sent(loopback, httpcore_client, script, 3)
    assert requests[0].startswith(b"GET / HTTP/1.1\r\nHost: 127.0.0.1:")
    assert requests[1].startswith(b"GET / HTTP/1.1\r\nHost: localhost:")
    assert requests[2] == b"GET / HTTP/1.0\r\n\r\n"


class _CountingSend(HTTPConnection):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sent: list[bytes] = []

    def send(self, data: Any) -> None:
        self.sent.append(bytes(data))
        super().send(data)


class _ExtraField(HTTPConnection):
    calls = 0

    def putrequest(self, method: str, url: str, *args: Any, **kwargs: Any) -> None:
        super().putrequest(method, url, *args, **kwargs)
        self.calls += 1
        self.putheader("X-Call", str(self.calls))


def test_a_replaced_send_sees_every_request(loopback: Loopback) -> None:
    server = loopback.serve(loopback.replies(OK, OK, OK))
    connection = loopback.connect(server, _CountingSend)
    for _ in range(3):
        _exchange(connection, "GET", "/x")
    connection.close()
    server.wait()
    assert connection.sent == server.requests
    assert len(connection.sent) == 3


def test_a_replaced_putrequest_runs_every_time(loopback: Loopback) -> None:
    server = loopback.serve(loopback.replies(OK, OK))
    connection = loopback.connect(server, _ExtraField)
    _exchange(connection, "GET", "/x")
    _exchange(connection, "GET", "/x")
    connection.close()
    server.wait()
    assert b"X-Call: 1\r\n" in server.requests[0]
    assert b"X-Call: 2\r\n" in server.requests[1]


def test_a_method_patched_on_the_class_later_is_used(
    loopback: Loopback, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = loopback.serve(loopback.replies(OK, OK))
    connection = loopback.connect(server, HTTPConnection)
    _exchange(connection, "GET", "/x")
    seen: list[bytes] = []
    original = HTTPConnection.send

    def spy(self: HTTPConnection, data: Any) -> None:
        seen.append(bytes(data))
        original(self, data)

    monkeypatch.setattr(HTTPConnection, "send", spy)
    _exchange(connection, "GET", "/x")
    connection.close()
    server.wait()
    assert seen == server.requests[1:]


def test_remembered_heads_are_bounded(loopback: Loopback) -> None:
    count = 100
    server = loopback.serve(loopback.replies(*[OK] * count))
    connection = loopback.connect(server, HTTPConnection)
    for number in range(count):
        _exchange(connection, "GET", f"/{number}")
        assert len(connection._heads) <= 32
    connection.close()
    server.wait()
    assert server.requests[-1].startswith(b"GET /99 HTTP/1.1\r\n")


@pytest.mark.parametrize("module", [httpcore_client, http.client])
def test_unread_response_then_request(loopback: Loopback, module: ModuleType) -> None:
    # http.client sends the second request and refuses its response until
    # the first is read; the remembered head must not change that.
    server = loopback.serve(loopback.replies(OK, OK, OK))
    connection = loopback.connect(server, module.HTTPConnection)
    _exchange(connection, "GET", "/x")
    connection.request("GET", "/x")
    first = connection.getresponse()
    connection.request("GET", "/x")
    with pytest.raises(module.ResponseNotReady):
        connection.getresponse()
    assert first.read() == b"ok"
    assert connection.getresponse().read() == b"ok"
    connection.close()
    server.wait()
    assert len(server.requests) == 3


def test_a_broken_response_means_a_new_connection(loopback: Loopback) -> None:
    long = b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123456789"

    def stops_early(peer: Peer) -> None:
        peer.reply(OK)
        peer.reply(long)

    server = loopback.serve(stops_early, loopback.replies(OK))
    connection = loopback.connect(server, HTTPConnection)
    _exchange(connection, "GET", "/x")
    connection.request("GET", "/x")
    response = connection.getresponse()
    assert response.read(3) == b"012"
    response.close()  # seven bytes of its body are still on the socket
    assert _exchange(connection, "GET", "/x") == b"ok"
    connection.close()
    server.wait()
    assert server.accepts == 2


def test_debug_output_for_every_request(
    loopback: Loopback, capsys: pytest.CaptureFixture[str]
) -> None:
    server = loopback.serve(loopback.replies(OK, OK))
    connection = loopback.connect(server, HTTPConnection)
    _exchange(connection, "GET", "/x")
    connection.set_debuglevel(1)
    _exchange(connection, "GET", "/x")
    connection.close()
    server.wait()
    assert "send: b'GET /x HTTP/1.1" in capsys.readouterr().out


# -- begin() in one pass ---------------------------------------------------------


class _ExactBegin(HTTPResponse):
    """Takes the exact path: begin()'s shortcut applies only to responses
    whose _read_status() is HTTPResponse's own."""

    def _read_status(self) -> tuple[str, int, str]:
        return super()._read_status()


HEADS = [
    b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
    b"HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok",
    b"HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 2\r\n\r\nok",
    b"HTTP/1.1 200  Two  Spaces \r\nContent-Length: 2\r\n\r\nok",
    b"HTTP/1.1 200 \xa0Odd\xa0white\x85\r\nContent-Length: 2\r\n\r\nok",
    b"HTTP/1.1 200 \r\nContent-Length: 2\r\n\r\nok",
    b"HTTP/1.1 200\r\nContent-Length: 2\r\n\r\nok",
    b"HTTP/1.1 299 Whatever\r\ncontent-length: 2\r\n\r\nok",
    b"HTTP/1.1 600 Beyond\r\nCONTENT-LENGTH: 2\r\n\r\nok",
    b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nok",
    b"HTTP/1.1 200 OK\r\nContent-Length: 2, 2\r\n\r\nok",
    b"HTTP/1.1 200 OK\r\nContent-Length:2\r\nX-A:\t tab \r\n\r\nok",
    b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n",
    b"HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n",
    b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok",
    b"HTTP/1.1 200 OK\r\nConnection: Keep-Alive, Close\r\nContent-Length: 2\r\n\r\nok",
    b"HTTP/1.1 204 No Content\r\nContent-Length: 2\r\n\r\n",
    b"HTTP/1.1 304 Not Modified\r\nETag: x\r\n\r\n",
    b"HTTP/1.1 404 Not Found\r\nServer: x\r\nContent-Length: 2\r\n\r\nok",
    b"HTTP/1.1 200 OK\r\nContent-Type: multipart/mixed; boundary=x\r\n"
    b"Content-Length: 2\r\n\r\nok",
    b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
    b"HTTP/1.1 200 OK\r\nX-Fold: a\r\n b\r\nContent-Length: 2\r\n\r\nok",
    b"HTTP/1.1 200 OK\nContent-Length: 2\n\nok",
    b"HTTP/1.1 200 OK\r\n\r\nok",
]


def _seen(response: Any) -> tuple[Any, ...]:
    """What begin() made of a head, and the body read after it."""
    head = (
        response.status,
        response.reason,
        response.version,
        response.headers.items(),
        [type(defect) for defect in response.headers.defects],
        response.chunked,
        response.length,
        response.will_close,
    )
    return (*head, response.read())


def _outcome(
    loopback: Loopback, module: ModuleType, response_class: Any, data: bytes
) -> tuple[Any, ...]:
    server = loopback.serve(loopback.sends(data))
    connection = loopback.connect(server, module.HTTPConnection)
    connection.response_class = response_class
    connection.request("GET", "/")
    seen = _seen(connection.getresponse())
    connection.close()
    server.wait()
    return seen


@pytest.mark.parametrize("data", HEADS, ids=range(len(HEADS)))
def test_one_pass_begin_is_the_exact_path(loopback: Loopback, data: bytes) -> None:
    fast = _outcome(loopback, httpcore_client, HTTPResponse, data)
    exact = _outcome(loopback, httpcore_client, _ExactBegin, data)
    assert fast == exact


@pytest.mark.parametrize(
    ("index", "one_pass"),
    [(index, True) for index in (0, 1, 3, 5, 12, 16, 23)]
    + [(index, False) for index in (4, 6, 19, 20, 21, 22)],
)
def test_which_heads_take_one_pass(
    loopback: Loopback, monkeypatch: pytest.MonkeyPatch, index: int, one_pass: bool
) -> None:
    taken: list[bool] = []
    original = HTTPResponse._begin_at_once

    def spy(self: HTTPResponse) -> bool:
        taken.append(original(self))
        return taken[-1]

    monkeypatch.setattr(HTTPResponse, "_begin_at_once", spy)
    _outcome(loopback, httpcore_client, HTTPResponse, HEADS[index])
    assert taken == [one_pass]


@pytest.mark.parametrize("data", HEADS[:9] + HEADS[17:20], ids=range(12))
def test_one_pass_begin_is_the_stdlib(loopback: Loopback, data: bytes) -> None:
    ours = _outcome(loopback, httpcore_client, HTTPResponse, data)
    theirs = _outcome(loopback, http.client, http.client.HTTPResponse, data)
    # (status, reason, version, fields, defects) and the body; the framing
    # attributes are compared in httpcore_wire's tests.
    assert ours[:5] == theirs[:5]
    assert ours[-1] == theirs[-1]


@pytest.mark.parametrize("method", ["__init__", "begin"])
def test_response_methods_patched_on_the_class_are_used(
    loopback: Loopback, monkeypatch: pytest.MonkeyPatch, method: str
) -> None:
    # getresponse() makes its own responses without calling __init__, unless
    # a test has patched it; begin() is always called.
    server = loopback.serve(loopback.replies(OK, OK))
    connection = loopback.connect(server, HTTPConnection)
    _exchange(connection, "GET", "/x")
    calls: list[HTTPResponse] = []
    original = getattr(HTTPResponse, method)

    def spy(self: HTTPResponse, *args: Any, **kwargs: Any) -> None:
        calls.append(self)
        original(self, *args, **kwargs)

    monkeypatch.setattr(HTTPResponse, method, spy)
    connection.request("GET", "/x")
    response = connection.getresponse()
    assert calls == [response]
    assert response.read() == b"ok"
    connection.close()
    server.wait()


def test_max_response_headers_on_every_response(loopback: Loopback) -> None:
    three = b"HTTP/1.1 200 OK\r\nA: 1\r\nB: 2\r\nContent-Length: 2\r\n\r\nok"
    server = loopback.serve(loopback.replies(OK, three, then=None))
    connection = loopback.connect(server, HTTPConnection, max_response_headers=2)
    assert _exchange(connection, "GET", "/x") == b"ok"
    connection.request("GET", "/x")
    with pytest.raises(httpcore_client.HTTPException, match="got more than 2 headers"):
        connection.getresponse()
    connection.close()
    server.wait()


# -- the shared reader ------------------------------------------------------------


@pytest.mark.parametrize("module", [httpcore_client, http.client])
@pytest.mark.parametrize("over_tls", [False, True], ids=["tcp", "tls"])
def test_no_read_after_a_timeout(
    loopback: Loopback, tls: TLS, module: ModuleType, over_tls: bool
) -> None:
    # After a timeout part way through a body, the reader refuses to go on
    # (bytes may have been lost in the buffer), as socket.SocketIO does.
    stalled = b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n01234"

    def stalls(peer: Peer) -> None:
        peer.may_reset = True
        peer.recv_request()
        peer.send(stalled)
        peer.recv_until_eof()

    if over_tls:
        server = loopback.serve(stalls, tls=tls.server_context())
        connection = loopback.track(
            module.HTTPSConnection(
                "localhost", server.port, timeout=0.3, context=tls.client_context()
            )
        )
    else:
        server = loopback.serve(stalls)
        connection = loopback.connect(server, module.HTTPConnection, timeout=0.3)
    connection.request("GET", "/")
    response = connection.getresponse()
    assert response.read(5) == b"01234"
    with pytest.raises(TimeoutError):
        response.read()
    with pytest.raises(OSError, match="cannot read from timed out object"):
        response.fp.read(1)
    connection.close()
    response.close()
    server.wait()


def test_the_socket_outlives_its_close_while_the_reader_is_open(
    loopback: Loopback,
) -> None:
    # urllib.request closes h.sock right after getresponse(): the body must
    # still be readable, as with makefile().
    server = loopback.serve(loopback.replies(OK))
    connection = loopback.connect(server, HTTPConnection)
    connection.request("GET", "/")
    response = connection.getresponse()
    sock = connection.sock
    assert isinstance(sock, socket.socket)
    sock.close()
    assert sock.fileno() != -1  # held open by the reader
    assert response.read() == b"ok"
    assert response.isclosed()
    assert sock.fileno() == -1  # the end of the body let it go
    connection.close()
    server.wait()


def test_the_finalizer_closes_what_is_still_open(loopback: Loopback) -> None:
    # The finalizer skips close() only for a response with nothing left to
    # release: one dropped part way through its body still closes its
    # reader, as io.IOBase's finalizer would.
    server = loopback.serve(loopback.replies(OK))
    sock = socket.create_connection(server.address)
    sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
    response = HTTPResponse(sock, method="GET")
    response.begin()
    reader = response.fp
    assert response.read(1) == b"o"
    del response
    assert reader.closed
    sock.close()
    server.wait()


def test_the_finalizer_calls_a_replaced_close(loopback: Loopback) -> None:
    # A subclass's close() (or flush()) runs when the response goes away,
    # even after the body was read to its end, as with io.IOBase.
    calls = []

    class Closing(HTTPResponse):
        def close(self) -> None:
            calls.append("close")
            super().close()

    class Flushing(HTTPResponse):
        def flush(self) -> None:
            calls.append("flush")

    for response_class in (Closing, Flushing, HTTPResponse):
        server = loopback.serve(loopback.replies(OK))
        connection = loopback.connect(server, HTTPConnection)
        connection.response_class = response_class
        connection.request("GET", "/")
        response = connection.getresponse()
        assert response.read() == b"ok"
        assert response.isclosed()
        assert not response.closed  # as in http.client, until close()
        connection.close()
        del response
        server.wait()
    assert calls == ["close", "flush"]


def test_response_not_ready_without_a_request(loopback: Loopback) -> None:
    server = loopback.serve(loopback.replies(OK))
    connection = loopback.connect(server, HTTPConnection)
    _exchange(connection, "GET", "/")
    with pytest.raises(ResponseNotReady):
        connection.getresponse()
    connection.close()
    server.wait()


# -- begin() in one pass, on generated heads ----------------------------------------

_STATUS_LINES = st.sampled_from(
    [
        b"HTTP/1.1 200 OK",
        b"HTTP/1.0 200 OK",
        b"HTTP/1.1 204 No Content",
        b"HTTP/1.1 304 Not Modified",
        b"HTTP/1.1 999 Z",
        b"HTTP/1.1 200",
        b"HTTP/1.1 200 ",
        b"HTTP/1.1  200 OK",
        b"HTTP/1.1 200\tOK",
        b"HTTP/1.1 20 OK",
        b"HTTP/1.1 +20 OK",
        b"HTTP/2 200 OK",
        b"HTTP/1.1 200 \x85\xa0\x1c",
        b"HTTP/1.1 200 \x1c",
        b"HTTP/1.1 200 OK\x1c",
        b"HTTP/1.1 200 \t",
        b"HTTP/1.1 200 \xa0",
        b"HTTP/1.1 200 Caf\xe9",
        b"HTTP/1.1 200 OK \x0b",
        b"HTTP/1.1 200 O\rK",
        b"ICY 200 OK",
        b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK",
    ]
)
_FIELD_LINES = st.lists(
    st.sampled_from(
        [
            b"Content-Length: 3",
            b"content-length:3",
            b"Content-Length: 3, 3",
            b"Content-Length: 4",
            b"Content-Length: x",
            b"Transfer-Encoding: chunked",
            b"Transfer-Encoding: gzip",
            b"Connection: close",
            b"Connection: keep-alive",
            b"Keep-Alive: timeout=5",
            b"Proxy-Connection: keep-alive",
            b"Content-Type: multipart/mixed; boundary=b",
            b"X-Folded: a",
            b" continued",
            b"No colon here",
            b"Space : before",
            b"X-Empty:",
            b"X-Latin: caf\xe9",
            b"X-Bare: a\rb",
        ]
    ),
    max_size=6,
)


def _response_of(data: bytes, response_class: Any) -> tuple[Any, ...]:
    """What getresponse() and read() make of ``data`` on a socket pair."""
    client, server = socket.socketpair()
    with client, server:
        server.sendall(data)
        server.shutdown(socket.SHUT_WR)
        connection = HTTPConnection("example.test")
        connection.response_class = response_class
        connection.sock = client
        connection._HTTPConnection__state = "Request-sent"
        connection._method = "GET"
        try:
            return _seen(connection.getresponse())
        except Exception as error:  # the outcome compared, whatever it is
            return (type(error), str(error))
        finally:
            connection.close()


@settings(max_examples=300, deadline=None)
@given(
    status=_STATUS_LINES, fields=_FIELD_LINES, newline=st.sampled_from([b"\r\n", b"\n"])
)
def test_one_pass_begin_on_generated_heads(
    status: bytes, fields: list[bytes], newline: bytes
) -> None:
    data = newline.join([status, *fields]) + newline + newline + b"abc0\r\n\r\n"
    assert _response_of(data, HTTPResponse) == _response_of(data, _ExactBegin)
