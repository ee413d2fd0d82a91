# Response heads that two parsers read two ways (RFC 9112 sections 2.2, 5.1
# and 5.2), on real loopback sockets: refused when the framing depends on
# the ambiguous lines, else read as http.client reads them with the
# connection ended afterwards -- next to what the running interpreter's
# http.client makes of the same bytes.
from __future__ import annotations

import http.client
from types import ModuleType
from typing import TYPE_CHECKING, Any

import pytest

import httpcore_client
from httpcore_client import AmbiguousFraming, HTTPConnection

if TYPE_CHECKING:
    from conftest import Loopback, Peer

OK_WORLD = b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nworld"


def get_response(loopback: Loopback, module: ModuleType, script: bytes) -> Any:
    """The response to one request whose server plays ``script``, then
    closes its side."""
    server = loopback.serve(loopback.sends(script))
    conn = loopback.connect(server, module.HTTPConnection)
    conn.request("GET", "/")
    return loopback.track(conn.getresponse())


# -- heads that parsers read two ways -------------------------------------------

# The framing fields are among the lines read two ways: refused.
FRAMING_AMBIGUOUS = {
    "space before the colon": b"Content-Length : 5\r\n",
    "a line without colon before it": b"Broken\r\nContent-Length: 5\r\n",
    "a name with a space before it": b"Bad Name: x\r\nContent-Length: 5\r\n",
    "folded into another field": b"X-A: a\r\n Content-Length: 5\r\n",
    "folded Transfer-Encoding": b"Transfer-Encoding: gzip,\r\n\tchunked\r\n",
    "bare CR before it": b"X-A: a\rContent-Length: 5\r\n",
    "bare CR inside it": b"Content-Length: 5\r0\r\n",
}


@pytest.mark.parametrize("case", sorted(FRAMING_AMBIGUOUS))
def test_framing_read_two_ways_is_refused(loopback: Loopback, case: str) -> None:
    script = b"HTTP/1.1 200 OK\r\n" + FRAMING_AMBIGUOUS[case] + b"\r\nhelloworld"
    with pytest.raises(AmbiguousFraming) as info:
        get_response(loopback, httpcore_client, script)
    assert isinstance(info.value, httpcore_client.HTTPException)
    assert "read differently by different parsers" in str(info.value)


# Read two ways, but away from the framing fields: the body as http.client
# reads it, then the connection ends.
OTHERWISE_AMBIGUOUS = {
    "obs-fold": b"Content-Length: 5\r\nX-Fold: a\r\n b\r\n",
    # urllib3's test_header_without_colon_or_value
    "a line without colon": b"Content-Length: 5\r\nBroken Header\r\nAnother: x\r\n",
    "no name": b"Content-Length: 5\r\n: Value\r\n",
    "bare CR": b"Content-Length: 5\r\nX-A: a\rb\r\n",
}


@pytest.mark.parametrize("case", sorted(OTHERWISE_AMBIGUOUS))
def test_other_lines_read_two_ways_end_the_connection(
    loopback: Loopback, case: str
) -> None:
    head = b"HTTP/1.1 200 OK\r\n" + OTHERWISE_AMBIGUOUS[case] + b"\r\n"

    def nothing_more(peer: Peer) -> None:
        assert peer.recv_until_eof() == b"", "a second request on the connection"

    server = loopback.serve(
        loopback.replies(head + b"hello", then=nothing_more),
        loopback.replies(OK_WORLD),
    )
    conn = loopback.connect(server, HTTPConnection)
    conn.request("GET", "/")
    response = conn.getresponse()
    assert response.will_close
    assert response.read() == b"hello"
    # The same fields as http.client's parser sees.
    assert response.getheaders() == _stdlib_fields(loopback, head + b"hello")
    conn.request("GET", "/")
    assert conn.getresponse().read() == b"world"
    conn.close()
    server.wait()


def _stdlib_fields(loopback: Loopback, script: bytes) -> list[tuple[str, str]]:
    response = get_response(loopback, http.client, script)
    assert response.read() == b"hello"
    return list(response.getheaders())


def test_an_ordinary_head_keeps_the_connection(loopback: Loopback) -> None:
    head = b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-A: b\r\n\r\n"
    server = loopback.serve(loopback.replies(head + b"hello", OK_WORLD))
    conn = loopback.connect(server, HTTPConnection)
    conn.request("GET", "/")
    response = conn.getresponse()
    assert not response.will_close
    assert response.read() == b"hello"
    conn.request("GET", "/")
    assert conn.getresponse().read() == b"world"
    assert server.accepts == 1


# -- trailers -------------------------------------------------------------------


@pytest.mark.parametrize(
    "trailer",
    [b"X-A: a\r\n b\r\n", b"Broken\r\n", b"X-A: a\rb\r\n"],
    ids=["obs-fold", "no colon", "bare CR"],
)
def test_trailer_read_two_ways_ends_the_connection(
    loopback: Loopback, trailer: bytes
) -> None:
    chunked = (
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
        b"5\r\nhello\r\n0\r\n" + trailer + b"\r\n"
    )

    def nothing_more(peer: Peer) -> None:
        assert peer.recv_until_eof() == b"", "a second request on the connection"

    server = loopback.serve(
        loopback.replies(chunked, then=nothing_more), loopback.replies(OK_WORLD)
    )
    conn = loopback.connect(server, HTTPConnection)
    conn.request("GET", "/")
    assert conn.getresponse().read() == b"hello"
    conn.request("GET", "/")
    assert conn.getresponse().read() == b"world"
    conn.close()
    server.wait()
