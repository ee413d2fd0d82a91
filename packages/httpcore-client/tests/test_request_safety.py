# Request-side injection (CVE-2019-9740, CVE-2020-26116, gh-146211): what
# httpcore_client refuses before a byte is sent, next to what the running
# interpreter's http.client puts on the wire for the same call.
from __future__ import annotations

import http.client
import socket
from typing import TYPE_CHECKING, Any

import pytest

import httpcore_client
from httpcore_client import HTTPConnection, InvalidURL

if TYPE_CHECKING:
    from conftest import Loopback, Peer

INJECTION = "x\r\nInjected: yes"
TUNNEL_OK = b"HTTP/1.1 200 Connection established\r\n\r\n"


@pytest.mark.parametrize(
    ("headers", "message"),
    [
        ({"Proxy-Authorization": INJECTION}, "Invalid header value"),
        ({"Proxy-Authorization": "x\nInjected: yes"}, "Invalid header value"),
        ({"Proxy-Authorization": "x\rInjected: yes"}, "Invalid header value"),
        ({"Proxy-Authorization": "x\x00y"}, "Invalid header value"),
        ({"Proxy-Authorization\r\nInjected": "yes"}, "Invalid header name"),
        ({"Bad:Name": "x"}, "Invalid header name"),
        ({"Host": "a.example", " Lead": "x"}, "Invalid header name"),
    ],
)
def test_connect_refuses_injected_tunnel_fields(
    loopback: Loopback, headers: dict[str, str], message: str
) -> None:
    # As CPython's fix for gh-146211: set_tunnel() takes them, connect()
    # raises ValueError before the CONNECT request goes out.
    server = loopback.serve(_records_nothing)
    conn = loopback.connect(server, HTTPConnection)
    conn.set_tunnel("example.com", 443, headers=headers)
    assert conn.sock is None
    with pytest.raises(ValueError, match=message):
        conn.connect()
    # The socket to the proxy is closed: nothing meant for the tunnel can
    # reach the proxy in its place.
    assert conn.sock is None
    conn.close()
    server.wait()  # _records_nothing() saw the connection end empty


def test_stdlib_sends_injected_tunnel_fields(loopback: Loopback) -> None:
    # CPython 3.13.0 and older (gh-146211) send the value as given.
    server = loopback.serve(loopback.replies(TUNNEL_OK))
    conn = loopback.connect(server, http.client.HTTPConnection)
    conn.set_tunnel("example.com", 443, headers={"Proxy-Authorization": INJECTION})
    conn.connect()
    assert b"\r\nInjected: yes\r\n" in server.requests[0]


def _records_nothing(peer: Peer) -> None:
    assert peer.recv_until_eof() == b""


@pytest.mark.parametrize(
    ("tunnel_host", "headers"),
    [
        ("evil\r\nInjected", {"Host": "example.com"}),
        ("evil\r\nInjected: yes", {"Host": "example.com"}),
        ("evil\r\nInjected", None),
        ("evil host", {"Host": "example.com"}),
    ],
)
def test_tunnel_host_cannot_inject(
    loopback: Loopback, tunnel_host: str, headers: dict[str, str] | None
) -> None:
    # The tunnel's host goes into the CONNECT request line: a CR or LF
    # there ends the line, whoever builds the Host field.  CPython's fix
    # (gh-146211) refuses it in connect(), with this message.
    server = loopback.serve(_records_nothing)
    conn = loopback.connect(server, HTTPConnection)
    conn.set_tunnel(tunnel_host, 443, headers=headers)
    with pytest.raises(ValueError, match=r"^Tunnel host can't contain control char"):
        conn.connect()
    assert conn.sock is None
    # A request does not go to the proxy in the tunnel's place either: its
    # Host field, from the tunnel's host, is refused before it connects, with
    # the exception http.client's putheader() raises for it.
    with pytest.raises(ValueError, match=r"^Invalid header value b'evil"):
        conn.request("GET", "/")
    conn.close()
    server.wait()  # the first connection ended empty


@pytest.mark.parametrize(
    "method",
    [
        "G E T",
        "GET ",
        " GET",
        "GE\x7fT",
        "GET/",
        "GE(T",
        "G\u00e9T",
        "GET\x00",
        "GET\r\nX: y",
    ],
)
def test_method_must_be_a_token(method: str) -> None:
    conn = HTTPConnection("example.com")
    with pytest.raises(ValueError, match="method"):
        conn.putrequest(method, "/")
    assert conn.sock is None
    assert conn._buffer == []


@pytest.mark.parametrize("module", [http.client, httpcore_client])
def test_the_empty_method_is_sent_as_cpython_sends_it(
    loopback: Loopback, module: Any
) -> None:
    # http.server's tests provoke a 400 this way; a request line that starts
    # with a space cannot be taken for another request.
    server = loopback.serve(loopback.records())
    conn = loopback.connect(server, module.HTTPConnection)
    conn._http_vsn_str = ""
    conn.putrequest("", "")
    conn.endheaders()
    conn.close()
    server.wait()
    assert server.requests[0].startswith(b" / \r\nHost: ")


def test_stdlib_sends_a_method_with_spaces(loopback: Loopback) -> None:
    server = loopback.serve(loopback.records())
    conn = loopback.connect(server, http.client.HTTPConnection)
    conn.request("G E T", "/")
    conn.close()
    server.wait()
    assert server.requests[0].startswith(b"G E T / HTTP/1.1\r\n")


def test_refused_method_sends_nothing(loopback: Loopback) -> None:
    server = loopback.serve(_records_nothing)
    conn = loopback.connect(server, HTTPConnection)
    conn.connect()
    with pytest.raises(ValueError, match="method"):
        conn.request("G E T", "/")
    conn.close()


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("X-Nul", "a\x00b"),
        ("X-Nul", b"a\x00b"),
        ("X-Nul\x00", "a"),
        ("X-Bell\x07", "a"),
        ("X-CR", "a\rb"),
        ("X-LF", "a\nb"),
        ("X-CRLF", INJECTION),
        ("X-Trailing-CRLF", "a\r\n"),
        ("X\r\nInjected", "yes"),
        ("", "a"),
        (" X", "a"),
        ("X:Y", "a"),
    ],
)
def test_putheader_refuses(name: str, value: str | bytes) -> None:
    conn = HTTPConnection("example.com")
    conn.putrequest("GET", "/")
    before = list(conn._buffer)
    with pytest.raises(ValueError, match="Invalid header"):
        conn.putheader(name, value)
    assert conn._buffer == before


@pytest.mark.parametrize(("name", "value"), [("X-Nul", "a\x00b"), ("X-Nul\x00", "a")])
def test_stdlib_putheader_accepts_nul(name: str, value: str) -> None:
    conn: Any = http.client.HTTPConnection("example.com")
    conn.putrequest("GET", "/")
    conn.putheader(name, value)
    assert conn._buffer[-1] == f"{name}: {value}".encode()


def test_request_headers_are_checked_before_sending(loopback: Loopback) -> None:
    server = loopback.serve(_records_nothing)
    conn = loopback.connect(server, HTTPConnection)
    conn.connect()
    with pytest.raises(ValueError, match="Invalid header"):
        conn.request("GET", "/", headers={"X-A": "ok", "X-B": INJECTION})
    conn.close()


@pytest.mark.parametrize(
    "url",
    ["/a b", "/a\r\nX: y", "/\x00", "/\x7f", "http://example.com/ HTTP/1.1\r\nX: y"],
)
def test_url_with_controls_is_refused(url: str) -> None:
    conn = HTTPConnection("example.com")
    with pytest.raises(InvalidURL):
        conn.putrequest("GET", url)
    with pytest.raises(http.client.InvalidURL):
        http.client.HTTPConnection("example.com").putrequest("GET", url)


@pytest.mark.parametrize("host", ["example.com\r\nX: y", "exa mple.com", "a\x00b"])
def test_host_with_controls_is_refused(host: str) -> None:
    with pytest.raises(InvalidURL):
        HTTPConnection(host, 80)


def test_several_values_become_continuation_lines_as_documented() -> None:
    # putheader(name, *values): "continuation lines are sent, each consisting
    # of a tab and an argument" (http.client's documentation).
    ours = HTTPConnection("example.com")
    theirs: Any = http.client.HTTPConnection("example.com")
    for conn in (ours, theirs):
        conn.putrequest("GET", "/")
        conn.putheader("X-Many", "a", b"b", 3)
    assert ours._buffer == theirs._buffer
    assert ours._buffer[-1] == b"X-Many: a\r\n\tb\r\n\t3"


# What CPython sends that one parser on the way may read as another field
# than the next parser does (RFC 9110 section 5.1, RFC 9112 section 5.2).
SMUGGLING_FIELDS = [
    ("Content-Length ", "5"),
    ("Transfer-Encoding\t", "chunked"),
    (b"Content-Length\xa0", "5"),
    ("X-Folded", "a\r\n Transfer-Encoding: chunked"),
    ("X-Folded", "a\r\n\tb"),
    ("X-Control", "a\x01b"),
    ("X-Del", "a\x7f"),
]


@pytest.mark.parametrize(("name", "value"), SMUGGLING_FIELDS)
def test_fields_read_two_ways_are_refused(name: str | bytes, value: str) -> None:
    conn = HTTPConnection("example.com")
    conn.putrequest("GET", "/")
    before = list(conn._buffer)
    with pytest.raises(ValueError, match=r"^Invalid header (name|value)"):
        conn.putheader(name, value)
    assert conn._buffer == before


@pytest.mark.parametrize(("name", "value"), SMUGGLING_FIELDS)
def test_stdlib_sends_fields_read_two_ways(name: str | bytes, value: str) -> None:
    conn: Any = http.client.HTTPConnection("example.com")
    conn.putrequest("GET", "/")
    conn.putheader(name, value)
    sent = name if isinstance(name, bytes) else name.encode("latin-1")
    assert conn._buffer[-1] == sent + b": " + value.encode("latin-1")


def test_the_fragment_is_sent_as_cpython_sends_it(loopback: Loopback) -> None:
    # RFC 9110 section 7.1 has clients leave it out, but xmlrpc.client's
    # callers rely on it reaching the server (test_xmlrpc's
    # MultiPathServerTestCase), so it is http.client's behaviour that holds.
    for module in (http.client, httpcore_client):
        server = loopback.serve(loopback.records())
        conn = loopback.connect(server, module.HTTPConnection)
        conn.request("GET", "/page#section")
        conn.close()
        server.wait()
        assert server.requests[-1].startswith(b"GET /page#section HTTP/1.1\r\n")


@pytest.mark.parametrize(
    ("host", "port"), [("example.com", 70000), ("example.com:65536", None)]
)
def test_port_out_of_range_is_refused(host: str, port: int | None) -> None:
    # getaddrinfo() takes 70000 for 4464: the request would go to another
    # port than its Host field names.
    with pytest.raises(InvalidURL, match="port out of range 0-65535"):
        HTTPConnection(host, port)
    stdlib = http.client.HTTPConnection(host, port)
    assert stdlib.port in (70000, 65536)


def test_zone_id_that_a_proxy_may_decode_is_refused() -> None:
    with pytest.raises(InvalidURL, match="zone id"):
        HTTPConnection("fe80::1%0D%0AX-Injected:yes", 80)
    conn = HTTPConnection("proxy.example", 3128)
    conn.set_tunnel("fe80::1%0D%0AX-Injected:yes", 443)
    with pytest.raises(ValueError, match=r"^Tunnel host .*zone id"):
        conn._connect_request()


def test_nothing_is_sent_on_an_unconnected_socket() -> None:
    # A refused request leaves no half-built head behind for the next one.
    conn = HTTPConnection("example.com")
    conn._create_connection = _refuse_to_connect
    with pytest.raises(ValueError, match="Invalid header"):
        conn.request("GET", "/", headers={"X": INJECTION})
    assert conn.sock is None


def _refuse_to_connect(*args: object, **kwargs: object) -> socket.socket:
    raise AssertionError("no connection may be opened")
