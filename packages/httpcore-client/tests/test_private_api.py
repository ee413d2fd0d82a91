# The de facto API (docs/guides/libraries.rst): what urllib3, requests,
# botocore, urllib.request and test harnesses reach into, exercised the way
# they do it, on real loopback sockets, and compared with the running
# interpreter's http.client where its behaviour is the reference: chunked
# bodies driven by hand through fp.readline() and _safe_read(), the response
# attributes, response_class swaps, _send_output and _read_status
# overrides, CONNECT tunnels through _tunnel(), the name-mangled state, the
# debuglevel output and the audit events.
from __future__ import annotations

import ast
import functools
import http.client
import io
import select
import sys
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

import pytest

import httpcore_client
from httpcore_client import HTTPConnection, HTTPResponse, IncompleteRead
from httpcore_headers import TooManyHeaders

if TYPE_CHECKING:
    from conftest import AuditLog, Loopback, Peer

TIMEOUT = 5.0
OK_HELLO = b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"
CHUNKED_HEAD = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
MODULES = [
    pytest.param(httpcore_client, id="ours"),
    pytest.param(http.client, id="stdlib"),
]
MODULES_312 = [
    pytest.param(httpcore_client, id="ours"),
    pytest.param(
        http.client,
        id="stdlib",
        marks=pytest.mark.skipif(
            sys.version_info < (3, 12), reason="CONNECT is HTTP/1.1 since 3.12"
        ),
    ),
]


# -- urllib3: chunked bodies by hand, response attributes ---------------------


@pytest.mark.parametrize("module", MODULES)
def test_urllib3_reads_chunks_by_hand(loopback: Loopback, module: ModuleType) -> None:
    body = b"5;name=value\r\nhello\r\n6\r\n world\r\n0\r\nX-T: 1\r\n\r\n"
    server = loopback.serve(loopback.replies(CHUNKED_HEAD + body, OK_HELLO))
    conn = loopback.connect(server, module.HTTPConnection)
    conn.request("GET", "/")
    response = conn.getresponse()
    assert hasattr(response, "fp")
    assert response.chunked
    assert response.chunk_left is None
    assert response.length is None
    assert response._method == "GET"
    # urllib3's HTTPResponse._update_chunk_length and _handle_chunk.
    chunks = []
    while True:
        line = response.fp.readline()
        size = int(line.split(b";", 1)[0], 16)
        if size == 0:
            break
        chunks.append(response._safe_read(size))
        assert response._safe_read(2) == b"\r\n"
    trailer = []
    while (line := response.fp.readline()) not in (b"", b"\r\n"):
        trailer.append(line)
    response.close()
    assert response.fp is None
    assert response.isclosed()
    assert chunks == [b"hello", b" world"]
    assert trailer == [b"X-T: 1\r\n"]
    # The connection is in step for the next exchange.
    conn.request("GET", "/")
    assert conn.getresponse().read() == b"hello"
    assert server.accepts == 1


@pytest.mark.parametrize("module", MODULES)
def test_safe_read_short(loopback: Loopback, module: ModuleType) -> None:
    server = loopback.serve(
        loopback.sends(b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhello")
    )
    conn = loopback.connect(server, module.HTTPConnection)
    conn.request("GET", "/")
    response = loopback.track(conn.getresponse())
    with pytest.raises(module.IncompleteRead) as info:
        response._safe_read(10)
    assert info.value.partial == b"hello"
    assert info.value.expected == 5
    assert repr(info.value) == "IncompleteRead(5 bytes read, 5 more expected)"


def test_safe_read_large(loopback: Loopback) -> None:
    body = bytes(range(256)) * (12 << 10)  # 3 MiB, more than one read piece
    script = (
        b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % (len(body) + 4)
        + body
        + b"tail"
    )
    server = loopback.serve(loopback.replies(script))
    conn = loopback.connect(server, HTTPConnection)
    conn.request("GET", "/")
    response = conn.getresponse()
    assert response._safe_read(len(body)) == body
    assert response.fp.read(4) == b"tail"
    response.close()


@pytest.mark.parametrize("module", MODULES)
def test_length_and_chunk_left_follow_the_reads(
    loopback: Loopback, module: ModuleType
) -> None:
    server = loopback.serve(
        loopback.replies(
            b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhelloworld",
            CHUNKED_HEAD + b"5\r\nhello\r\n5\r\nworld\r\n0\r\n\r\n",
        )
    )
    conn = loopback.connect(server, module.HTTPConnection)
    conn.request("GET", "/")
    response = conn.getresponse()
    assert (response.length, response.chunked, response.will_close) == (
        10,
        False,
        False,
    )
    assert response.read(3) == b"hel"
    assert response.length == 7
    assert response.read() == b"loworld"
    assert response.length == 0
    assert response.fp is None
    conn.request("GET", "/")
    response = conn.getresponse()
    assert (response.length, response.chunk_left, response.chunked) == (
        None,
        None,
        True,
    )
    assert response.read(3) == b"hel"
    assert response.chunk_left == 2
    assert response.read(2) == b"lo"
    assert response.chunk_left == 0
    assert response.read(7) == b"world"
    assert response.read() == b""
    assert response.chunk_left is None
    assert response.fp is None


@pytest.mark.parametrize("module", MODULES)
def test_head_response_attributes(loopback: Loopback, module: ModuleType) -> None:
    server = loopback.serve(
        loopback.replies(b"HTTP/1.1 200 OK\r\nContent-Length: 99\r\n\r\n")
    )
    conn = loopback.connect(server, module.HTTPConnection)
    conn.request("HEAD", "/")
    response = conn.getresponse()
    assert response._method == "HEAD"
    assert response.length == 0
    assert response.getheader("Content-Length") == "99"
    assert response.read() == b""
    assert response.fp is None


@pytest.mark.parametrize("module", MODULES)
def test_urllib_request_overwrites_msg(loopback: Loopback, module: ModuleType) -> None:
    # urllib.request sets r.msg = r.reason; the body and fields still work.
    server = loopback.serve(
        loopback.replies(OK_HELLO, CHUNKED_HEAD + b"5\r\nhello\r\n0\r\n\r\n")
    )
    conn = loopback.connect(server, module.HTTPConnection)
    for _ in range(2):
        conn.request("GET", "/")
        response = conn.getresponse()
        response.msg = response.reason
        assert response.getheader("Content-Length", "none") in ("5", "none")
        assert response.read() == b"hello"


# -- botocore: response_class swaps, _send_output and _read_status overrides --


class AWSLikeResponse(HTTPResponse):
    """botocore.awsrequest.AWSHTTPResponse: the status line may have been
    read already, by the connection, while it waited for 100 Continue."""

    def __init__(
        self,
        *args: Any,
        status_tuple: tuple[str, int, str] | None = None,
        **kwargs: Any,
    ) -> None:
        self._status_tuple = status_tuple
        super().__init__(*args, **kwargs)

    def _read_status(self) -> tuple[str, int, str]:
        if self._status_tuple is not None:
            status, self._status_tuple = self._status_tuple, None
            return status
        return super()._read_status()


class AWSLikeConnection(HTTPConnection):
    """botocore.awsrequest.AWSConnection's Expect: 100-continue handling,
    built on http.client's internals as botocore builds it."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._original_response_cls = self.response_class
        self._response_received = False
        self._expect_header_set = False
        self.buffers_seen: list[list[bytes]] = []

    def close(self) -> None:
        super().close()
        self._response_received = False
        self._expect_header_set = False
        self.response_class = self._original_response_cls

    def request(  # type: ignore[override]
        self, method: str, url: str, body: Any = None, headers: Any = None
    ) -> None:
        headers = headers or {}
        self._response_received = False
        if headers.get("Expect", b"") in (b"100-continue", "100-continue"):
            self._expect_header_set = True
        else:
            self._expect_header_set = False
            self.response_class = self._original_response_cls
        super().request(method, url, body, headers)
        self._expect_header_set = False

    def _send_output(self, message_body: Any = None, *args: Any, **kwargs: Any) -> None:
        self.buffers_seen.append(list(self._buffer))
        self._buffer.extend((b"", b""))
        msg = b"\r\n".join(self._buffer)
        del self._buffer[:]
        if isinstance(message_body, bytes):
            msg += message_body
            message_body = None
        self.send(msg)
        if self._expect_header_set:
            readable, _, _ = select.select([self.sock], [], [], TIMEOUT)
            if readable:
                self._handle_expect_response(message_body)
                return
        if message_body is not None:
            self.send(message_body)

    def _handle_expect_response(self, message_body: Any) -> None:
        fp = self.sock.makefile("rb", 0)
        try:
            maybe_status_line = fp.readline()
            parts = maybe_status_line.split(None, 2)
            if parts[:2] == [b"HTTP/1.1", b"100"]:
                while fp.readline() not in (b"\r\n", b"\n", b""):
                    continue
                if message_body is not None:
                    self.send(message_body)
            elif len(parts) == 3 and parts[0].startswith(b"HTTP/"):
                status_tuple = (
                    parts[0].decode("ascii"),
                    int(parts[1]),
                    parts[2].decode("ascii"),
                )
                self.response_class = functools.partial(
                    AWSLikeResponse, status_tuple=status_tuple
                )
                self._response_received = True
        finally:
            fp.close()

    def send(self, data: Any) -> None:
        if self._response_received:
            return
        super().send(data)


PUT_HEADERS = {"Expect": "100-continue", "Content-Length": "7"}


def test_botocore_continue(loopback: Loopback) -> None:
    def serve(peer: Peer) -> None:
        head = peer.recv_head()
        assert head.startswith(b"PUT /bucket/key HTTP/1.1\r\n")
        assert b"\r\nExpect: 100-continue\r\n" in head
        peer.send(b"HTTP/1.1 100 Continue\r\n\r\n")
        assert peer.recv_body(7) == b"payload"
        peer.send(b"HTTP/1.1 200 OK\r\nETag: x\r\nContent-Length: 0\r\n\r\n")
        peer.reply(OK_HELLO)

    server = loopback.serve(serve)
    conn = loopback.connect(server, AWSLikeConnection)
    conn.request("PUT", "/bucket/key", io.BytesIO(b"payload"), PUT_HEADERS)
    response = conn.getresponse()
    assert type(response) is HTTPResponse
    assert (response.status, response.getheader("ETag")) == (200, "x")
    assert response.read() == b""
    assert conn.buffers_seen[0][0] == b"PUT /bucket/key HTTP/1.1"
    assert b"Expect: 100-continue" in conn.buffers_seen[0]
    assert b"Content-Length: 7" in conn.buffers_seen[0]
    conn.request("GET", "/")
    assert conn.getresponse().read() == b"hello"
    assert server.accepts == 1


def test_botocore_refused_before_the_body(loopback: Loopback) -> None:
    def serve(peer: Peer) -> None:
        peer.recv_head()
        peer.send(
            b"HTTP/1.1 403 Forbidden\r\nConnection: close\r\nX-Amz-Id: 7\r\n"
            b"Content-Length: 6\r\n\r\ndenied"
        )
        # finish() checks that the body never comes.

    server = loopback.serve(serve)
    conn = loopback.connect(server, AWSLikeConnection)
    conn.request("PUT", "/bucket/key", io.BytesIO(b"payload"), PUT_HEADERS)
    response = loopback.track(conn.getresponse())
    assert type(response) is AWSLikeResponse
    assert (response.status, response.reason) == (403, "Forbidden")
    assert response.getheader("X-Amz-Id") == "7"
    assert response.will_close
    assert response.read() == b"denied"
    conn.close()
    assert conn.response_class is HTTPResponse


@pytest.mark.parametrize("module", MODULES)
def test_response_class_per_request(loopback: Loopback, module: ModuleType) -> None:
    class Recording(module.HTTPResponse):  # type: ignore[name-defined,misc]
        pass

    server = loopback.serve(loopback.replies(OK_HELLO, OK_HELLO, OK_HELLO))
    conn = loopback.connect(server, module.HTTPConnection)
    kinds = []
    for response_class in (module.HTTPResponse, Recording, module.HTTPResponse):
        conn.response_class = response_class
        conn.request("GET", "/")
        response = conn.getresponse()
        kinds.append(type(response))
        assert response.read() == b"hello"
    assert kinds == [module.HTTPResponse, Recording, module.HTTPResponse]
    assert server.accepts == 1


class IcyResponse(HTTPResponse):
    """A _read_status override for SHOUTcast's "ICY 200 OK" status line."""

    def _read_status(self) -> tuple[str, int, str]:
        line = self.fp.readline(65537)
        if line.startswith(b"ICY "):
            line = b"HTTP/1.0 " + line[4:]
        version, status, reason = line.decode("latin-1").split(None, 2)
        return version, int(status), reason


def test_read_status_override(loopback: Loopback) -> None:
    server = loopback.serve(
        loopback.sends(b"ICY 200 OK\r\nicy-name: radio\r\n\r\nstream")
    )
    conn = loopback.connect(server, HTTPConnection)
    conn.response_class = IcyResponse
    conn.request("GET", "/")
    response = loopback.track(conn.getresponse())
    assert (response.status, response.reason, response.version) == (200, "OK", 10)
    assert response.getheader("icy-name") == "radio"
    assert response.read() == b"stream"


# -- CONNECT tunnels ----------------------------------------------------------

PROXY_OK = (
    b"HTTP/1.1 200 Connection established\r\nProxy-Agent: scripted\r\n"
    b"X-Count: 1\r\nX-Count: 2\r\n\r\n"
)


class Urllib3Like(HTTPConnection):
    """urllib3 2.x replaces connect() and drives _tunnel() itself."""

    def connect(self) -> None:
        self.sock = self._create_connection(
            (self.host, self.port), self.timeout, self.source_address
        )
        if self._tunnel_host:
            self._tunnel()


@pytest.mark.parametrize("module", MODULES_312)
def test_tunnel_through_the_private_attributes(
    loopback: Loopback, module: ModuleType
) -> None:
    class Connection(module.HTTPConnection):  # type: ignore[name-defined,misc]
        connect = Urllib3Like.connect

    def proxy(peer: Peer) -> None:
        assert peer.recv_request() == (
            b"CONNECT example.com:8443 HTTP/1.1\r\n"
            b"Proxy-Authorization: Basic dXNlcjpwYXNz\r\n\r\n"
        )
        peer.send(PROXY_OK)
        assert peer.reply(OK_HELLO) == (
            b"GET /path HTTP/1.1\r\nHost: example.com:8443\r\n"
            b"Accept-Encoding: identity\r\n\r\n"
        )

    server = loopback.serve(proxy)
    conn = loopback.connect(server, Connection)
    conn._tunnel_host = "example.com"
    conn._tunnel_port = 8443
    conn._tunnel_headers = {"Proxy-Authorization": "Basic dXNlcjpwYXNz"}
    conn.request("GET", "/path")
    assert conn.getresponse().read() == b"hello"
    proxy_headers = conn.get_proxy_response_headers()
    assert proxy_headers["Proxy-Agent"] == "scripted"
    assert proxy_headers.get_all("X-Count") == ["1", "2"]


TUNNELS = {
    "name": (
        ("example.com", 443),
        b"CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n",
    ),
    "port in host": (
        ("example.com:8443", None),
        b"CONNECT example.com:8443 HTTP/1.1\r\nHost: example.com:8443\r\n",
    ),
    "IPv6": (
        ("[2001:db8::1]:8443", None),
        b"CONNECT [2001:db8::1]:8443 HTTP/1.1\r\nHost: [2001:db8::1]:8443\r\n",
    ),
    "IDNA": (
        ("b\u00fccher.example", 443),
        b"CONNECT xn--bcher-kva.example:443 HTTP/1.1\r\n"
        b"Host: xn--bcher-kva.example:443\r\n",
    ),
}


# http.client writes the CONNECT request's Host without the brackets of an
# IPv6 address (3.12.1 leaves them out of the CONNECT line too): the IPv6
# case is ours alone.
TUNNEL_CASES = [
    pytest.param(module.values[0], case, id=f"{case}-{module.id}", marks=module.marks)
    for module in MODULES_312
    for case in sorted(TUNNELS)
    if case != "IPv6" or module.values[0] is httpcore_client
]


@pytest.mark.parametrize(("module", "case"), TUNNEL_CASES)
def test_set_tunnel_connect_request(
    loopback: Loopback, module: ModuleType, case: str
) -> None:
    (host, port), connect_line = TUNNELS[case]

    def proxy(peer: Peer) -> None:
        assert peer.recv_request() == connect_line + b"\r\n"
        peer.send(PROXY_OK)
        peer.reply(OK_HELLO)

    server = loopback.serve(proxy)
    conn = loopback.connect(server, module.HTTPConnection)
    conn.set_tunnel(host, port)
    conn.request("GET", "/")
    assert conn.getresponse().read() == b"hello"
    assert conn.get_proxy_response_headers()["Proxy-Agent"] == "scripted"


@pytest.mark.parametrize("module", MODULES_312)
def test_set_tunnel_with_headers(loopback: Loopback, module: ModuleType) -> None:
    def proxy(peer: Peer) -> None:
        assert peer.recv_request() == (
            b"CONNECT example.com:443 HTTP/1.1\r\nProxy-Authorization: Basic eA==\r\n"
            b"X-Number: 7\r\nHost: example.com:443\r\n\r\n"
        )
        peer.send(PROXY_OK)
        assert peer.reply(OK_HELLO).startswith(
            b"GET / HTTP/1.1\r\nHost: example.com:443\r\n"
        )

    server = loopback.serve(proxy)
    conn = loopback.connect(server, module.HTTPConnection)
    conn.set_tunnel(
        "example.com", 443, {"Proxy-Authorization": "Basic eA==", "X-Number": 7}
    )
    conn.request("GET", "/")
    assert conn.getresponse().read() == b"hello"


def test_no_proxy_headers_without_a_tunnel(loopback: Loopback) -> None:
    server = loopback.serve(loopback.replies(OK_HELLO))
    conn = loopback.connect(server, HTTPConnection)
    conn.request("GET", "/")
    assert conn.getresponse().read() == b"hello"
    assert conn.get_proxy_response_headers() is None


@pytest.mark.parametrize("module", MODULES)
def test_tunnel_refused_by_the_proxy(loopback: Loopback, module: ModuleType) -> None:
    def proxy(peer: Peer) -> None:
        assert peer.recv_request().startswith(b"CONNECT example.com:443 HTTP/1.")
        peer.send(
            b"HTTP/1.1 407 Proxy Authentication Required\r\n"
            b'Proxy-Authenticate: Basic realm="p"\r\nContent-Length: 0\r\n\r\n'
        )

    server = loopback.serve(proxy)
    conn = loopback.connect(server, module.HTTPConnection)
    conn.set_tunnel("example.com", 443)
    with pytest.raises(
        OSError, match=r"^Tunnel connection failed: 407 Proxy Authentication Required$"
    ):
        conn.request("GET", "/")
    assert conn.sock is None
    if hasattr(conn, "get_proxy_response_headers"):
        assert (
            conn.get_proxy_response_headers()["Proxy-Authenticate"] == 'Basic realm="p"'
        )


def test_proxy_response_fields_are_bounded(loopback: Loopback) -> None:
    fields = b"".join(b"X-%d: v\r\n" % index for index in range(150))

    def proxy(peer: Peer) -> None:
        peer.may_reset = True
        peer.recv_request()
        peer.send(b"HTTP/1.1 200 Connection established\r\n" + fields + b"\r\n")

    server = loopback.serve(proxy)
    conn = loopback.connect(server, HTTPConnection)
    conn.set_tunnel("example.com", 443)
    with pytest.raises(TooManyHeaders):
        conn.connect()
    conn.close()


def test_set_tunnel_after_connecting(loopback: Loopback) -> None:
    server = loopback.serve(loopback.replies())
    conn = loopback.connect(server, HTTPConnection)
    conn.connect()
    with pytest.raises(RuntimeError, match="established connection"):
        conn.set_tunnel("example.com", 443)


# -- the state machine, by hand -----------------------------------------------


def test_state_by_hand(loopback: Loopback) -> None:
    server = loopback.serve(loopback.replies(OK_HELLO, OK_HELLO, OK_HELLO))
    conn: Any = loopback.connect(server, HTTPConnection)
    assert conn._HTTPConnection__state == http.client._CS_IDLE  # type: ignore[attr-defined]
    # A harness that writes the request itself, then lets getresponse() read.
    conn.connect()
    conn.send(b"GET /raw HTTP/1.1\r\nHost: x\r\n\r\n")
    conn._HTTPConnection__state = http.client._CS_REQ_SENT  # type: ignore[attr-defined]
    response = conn.getresponse()
    assert conn._HTTPConnection__response is response
    assert response.read() == b"hello"
    assert conn._HTTPConnection__state == http.client._CS_IDLE  # type: ignore[attr-defined]
    conn.putrequest("GET", "/")
    assert conn._HTTPConnection__state == http.client._CS_REQ_STARTED  # type: ignore[attr-defined]
    with pytest.raises(httpcore_client.CannotSendRequest):
        conn.putrequest("GET", "/")
    # A pool that abandons a half-built request resets the state by hand.
    conn._HTTPConnection__state = http.client._CS_IDLE  # type: ignore[attr-defined]
    conn._buffer.clear()
    conn.putrequest("GET", "/again")
    conn.endheaders()
    assert conn._HTTPConnection__state == http.client._CS_REQ_SENT  # type: ignore[attr-defined]
    assert conn.getresponse().read() == b"hello"
    conn.request("GET", "/")
    assert conn.getresponse().read() == b"hello"
    assert server.requests[0] == b"GET /raw HTTP/1.1\r\nHost: x\r\n\r\n"
    assert server.requests[1].startswith(b"GET /again HTTP/1.1\r\n")


def test_exceptions_are_stdlib_compatible_classes() -> None:
    assert issubclass(
        httpcore_client.CannotSendRequest, httpcore_client.ImproperConnectionState
    )
    assert issubclass(
        httpcore_client.ResponseNotReady, httpcore_client.ImproperConnectionState
    )
    error = IncompleteRead(b"abc", 7)
    assert (error.partial, error.expected) == (b"abc", 7)
    assert repr(error) == repr(http.client.IncompleteRead(b"abc", 7))
    assert str(error) == str(http.client.IncompleteRead(b"abc", 7))


# -- debuglevel ---------------------------------------------------------------


def _merged_sends(output: str) -> list[str]:
    """The debug lines with consecutive ``send:`` lines merged into one, so
    that outputs which split the same bytes differently compare equal."""
    lines: list[str] = []
    pending: bytes | None = None
    for line in output.splitlines():
        if line.startswith("send: b"):
            data = ast.literal_eval(line[len("send: ") :])
            pending = data if pending is None else pending + data
            continue
        if pending is not None:
            lines.append(f"send: {pending!r}")
            pending = None
        lines.append(line)
    if pending is not None:
        lines.append(f"send: {pending!r}")
    return lines


DEBUG_REQUESTS: dict[str, tuple[str, Any, dict[str, str]]] = {
    "GET": ("GET", None, {}),
    "POST bytes": ("POST", b"hello", {}),
    "POST str": ("POST", "h\u00e9llo", {"Content-Type": "text/plain"}),
    "POST list": ("POST", [b"ab", b"", b"cd"], {}),
    "POST binary file": ("POST", io.BytesIO(b"x" * 10), {}),
    "POST text file": ("POST", io.StringIO("t\u00e9xt"), {}),
}
DEBUG_SCRIPT = (
    b"HTTP/1.1 100 Continue\r\nX-Interim: 1\r\n\r\n"
    b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-A: b\r\nX-A: c\r\n\r\nhello"
)


@pytest.mark.parametrize("case", sorted(DEBUG_REQUESTS))
def test_debuglevel_output_like_stdlib(
    loopback: Loopback,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    case: str,
) -> None:
    server = loopback.serve(
        loopback.replies(DEBUG_SCRIPT), loopback.replies(DEBUG_SCRIPT)
    )
    outputs = []
    for cls in (HTTPConnection, http.client.HTTPConnection):
        method, body, headers = DEBUG_REQUESTS[case]
        if hasattr(body, "seek"):
            body.seek(0)
        monkeypatch.setattr(cls, "debuglevel", 1)  # the widely copied recipe
        conn: Any = loopback.connect(server, cls)
        capsys.readouterr()
        conn.request(method, "/", body, headers)
        response = conn.getresponse()
        assert response.read() == b"hello"
        conn.close()
        outputs.append(capsys.readouterr().out)
    ours, theirs = outputs
    # Python 3.10 printed this line as "sendIng a read()able".
    theirs = theirs.replace("sendIng a read()able", "reading a readable")
    assert _merged_sends(ours) == _merged_sends(theirs)
    assert ours.splitlines()[-6:] == [
        "reply: 'HTTP/1.1 100 Continue\\r\\n'",
        "headers: [b'X-Interim: 1\\r\\n', b'\\r\\n']",
        "reply: 'HTTP/1.1 200 OK\\r\\n'",
        "header: Content-Length: 5",
        "header: X-A: b",
        "header: X-A: c",
    ]


def test_debuglevel_send_lines(
    loopback: Loopback,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The documented difference: a small bytes body leaves with the head, in
    # one send() and so on one "send:" line; http.client prints two.
    server = loopback.serve(loopback.replies(OK_HELLO))
    monkeypatch.setattr(HTTPConnection, "debuglevel", 1)
    conn = loopback.connect(server, HTTPConnection)
    capsys.readouterr()
    conn.request("POST", "/", b"hello")
    assert conn.getresponse().read() == b"hello"
    head = (
        b"POST / HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nAccept-Encoding: identity\r\n"
        b"Content-Length: 5\r\n\r\n" % server.port
    )
    assert capsys.readouterr().out.splitlines() == [
        f"send: {head + b'hello'!r}",
        "reply: 'HTTP/1.1 200 OK\\r\\n'",
        "header: Content-Length: 5",
    ]


def test_set_debuglevel_on_the_instance(
    loopback: Loopback, capsys: pytest.CaptureFixture[str]
) -> None:
    server = loopback.serve(loopback.replies(OK_HELLO, OK_HELLO))
    conn = loopback.connect(server, HTTPConnection)
    conn.request("GET", "/")
    assert conn.getresponse().read() == b"hello"
    assert capsys.readouterr().out == ""
    conn.set_debuglevel(1)
    conn.request("GET", "/")
    assert conn.getresponse().read() == b"hello"
    assert capsys.readouterr().out.splitlines()[1:] == [
        "reply: 'HTTP/1.1 200 OK\\r\\n'",
        "header: Content-Length: 5",
    ]
    assert HTTPConnection.debuglevel == 0


@pytest.mark.skipif(sys.version_info < (3, 12), reason="CONNECT is HTTP/1.1 since 3.12")
def test_debuglevel_tunnel_output_like_stdlib(
    loopback: Loopback, capsys: pytest.CaptureFixture[str]
) -> None:
    def proxy(peer: Peer) -> None:
        peer.recv_request()
        peer.send(PROXY_OK)
        peer.reply(OK_HELLO)

    server = loopback.serve(proxy, proxy)
    outputs = []
    for cls in (HTTPConnection, http.client.HTTPConnection):
        conn: Any = loopback.connect(server, cls)
        conn.set_debuglevel(1)
        conn.set_tunnel("example.com", 443)
        capsys.readouterr()
        conn.request("GET", "/")
        assert conn.getresponse().read() == b"hello"
        conn.close()
        outputs.append(capsys.readouterr().out)
    assert outputs[0] == outputs[1]
    assert "header: Proxy-Agent: scripted\r\n\n" in outputs[0]


# -- audit events -------------------------------------------------------------


@pytest.mark.parametrize("module", MODULES)
def test_audit_events(loopback: Loopback, audit: AuditLog, module: ModuleType) -> None:
    server = loopback.serve(loopback.replies(OK_HELLO, OK_HELLO))
    conn = loopback.connect(server, module.HTTPConnection)
    conn.request("GET", "/")
    assert conn.getresponse().read() == b"hello"
    conn.request("POST", "/", b"abc")
    assert conn.getresponse().read() == b"hello"
    events = audit.of(conn)
    assert events[0] == ("http.client.connect", (server.host, server.port))
    assert [event for event, _ in events] == ["http.client.connect"] + [
        "http.client.send"
    ] * (len(events) - 1)
    assert b"".join(args[0] for _, args in events[1:]) == b"".join(server.requests)
    if module is httpcore_client:
        assert [args[0] for _, args in events[1:]] == server.requests


@pytest.mark.parametrize("kind", ["BytesIO", "file on disk"])
@pytest.mark.parametrize("module", MODULES)
def test_audit_events_for_a_file_body(
    loopback: Loopback, audit: AuditLog, tmp_path: Path, module: ModuleType, kind: str
) -> None:
    # http.client raises http.client.send for each block it sends, with the
    # bytes: hooks see what goes on the wire.  A file on disk goes out with
    # os.sendfile() in one piece, and the event carries a view of it.
    data = b"0123456789"
    if kind == "BytesIO":
        body: Any = io.BytesIO(data)
    else:
        (tmp_path / "body").write_bytes(data)
        body = loopback.track((tmp_path / "body").open("rb"))
    server = loopback.serve(loopback.replies(OK_HELLO))
    conn = loopback.connect(server, module.HTTPConnection, blocksize=4)
    conn.request("PUT", "/", body, {"Content-Length": "10"})
    assert conn.getresponse().read() == b"hello"
    sent = [args[0] for event, args in audit.of(conn) if event == "http.client.send"]
    assert all(isinstance(piece, bytes | bytearray | memoryview) for piece in sent), (
        sent
    )
    if module is httpcore_client and kind == "file on disk":
        assert [bytes(piece) for piece in sent[1:]] == [data]
    else:
        assert sent[1:] == [b"0123", b"4567", b"89"]
    assert server.requests[0].endswith(b"\r\n\r\n" + data)


def test_audit_event_for_https_connect(
    loopback: Loopback, audit: AuditLog, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The event comes before the TLS handshake, from HTTPConnection.connect.
    server = loopback.serve(loopback.records())
    conn = loopback.connect(server, httpcore_client.HTTPSConnection)
    monkeypatch.setattr(conn._context, "wrap_socket", _stop_before_tls)
    with pytest.raises(ConnectionAbortedError):
        conn.connect()
    assert audit.of(conn) == [("http.client.connect", (server.host, server.port))]
    conn.close()


def _stop_before_tls(sock: Any, **kwargs: Any) -> Any:
    sock.close()
    raise ConnectionAbortedError("stopped before the handshake")


# -- urllib.request: class-level helpers ----------------------------------------


@pytest.mark.parametrize(
    ("body", "method"),
    [
        (None, "GET"),
        (None, "POST"),
        (None, "put"),
        (b"abc", "GET"),
        ("h\u00e9", "POST"),
        (bytearray(4), "POST"),
        (memoryview(b"abcdef")[1:3], "POST"),
        (io.BytesIO(b"abc"), "POST"),
        ([b"a", b"b"], "POST"),
        (iter([b"a"]), "POST"),
    ],
)
def test_get_content_length_like_stdlib(body: object, method: str) -> None:
    # urllib.request calls it on the class: HTTPConnection._get_content_length
    theirs = http.client.HTTPConnection._get_content_length(body, method)  # type: ignore[attr-defined]
    assert HTTPConnection._get_content_length(body, method) == theirs


@pytest.mark.parametrize(
    "stream", [io.StringIO(), io.BytesIO(), io.TextIOWrapper(io.BytesIO())]
)
def test_is_text_io_like_stdlib(stream: object) -> None:
    theirs = http.client.HTTPConnection._is_textIO(stream)  # type: ignore[attr-defined]
    assert HTTPConnection._is_textIO(stream) is theirs
