# A response that the connection's end cuts short (RFC 9112 section 8).
# Over plain TCP, as http.client: a head is taken as far as it goes and a
# body delimited by the end is whole.  Over TLS an end without the peer's
# close_notify may be an attacker's (RFC 9112 section 9.8), so a head cut
# short and a body delimited by the end are refused then; with close_notify,
# or for a body whose length or chunked framing arrived whole, nothing
# changes.  Real loopback sockets, real TLS (trustme).
from __future__ import annotations

import contextlib
import http.client
import ssl
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pytest

import httpcore_client
from httpcore_client import HTTPSConnection, IncompleteRead, RemoteDisconnected

if TYPE_CHECKING:
    from conftest import TLS, Loopback, Peer

CUT_SHORT = {
    "after the status line": b"HTTP/1.1 200 OK\r\n",
    "after a field": b"HTTP/1.1 200 OK\r\nServer: x\r\n",
    "inside a field": b"HTTP/1.1 200 OK\r\nContent-Len",
}
# (http.client returns a 103 as the final response; httpcore skips it and
# then meets the end: RemoteDisconnected either way.)
INTERIM_CUT_SHORT = b"HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n"
UNTIL_CLOSE = b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n" + b"x" * 100_000


def _tls_sends(data: bytes, *, close_notify: bool) -> Callable[[Peer], None]:
    """A handler that reads a request, sends ``data``, then ends the TLS
    stream with close_notify or, like an attacker's forged FIN, without."""

    def handler(peer: Peer) -> None:
        peer.recv_request()
        peer.send(data)
        sock = peer.sock
        assert isinstance(sock, ssl.SSLSocket)
        if close_notify:
            # unwrap() sends close_notify, then waits for the client's, which
            # a client that closes without one never sends.
            with contextlib.suppress(OSError):
                sock.unwrap()
        peer.close()

    return handler


def _https_response(
    loopback: Loopback, tls: TLS, data: bytes, *, close_notify: bool
) -> Any:
    server = loopback.serve(
        _tls_sends(data, close_notify=close_notify), tls=tls.server_context()
    )
    conn = loopback.connect(server, HTTPSConnection, context=tls.client_context())
    conn.request("GET", "/")
    return loopback.track(conn.getresponse())


# -- plain TCP: as http.client --------------------------------------------------


@pytest.mark.parametrize("case", sorted(CUT_SHORT))
def test_head_cut_short_over_tcp_is_taken_as_far_as_it_goes(
    loopback: Loopback, case: str
) -> None:
    seen = []
    for module in (httpcore_client, http.client):
        server = loopback.serve(loopback.sends(CUT_SHORT[case]))
        conn = loopback.connect(server, module.HTTPConnection)
        conn.request("GET", "/")
        response = loopback.track(conn.getresponse())
        seen.append((response.status, response.getheaders(), response.read()))
    assert seen[0] == seen[1]


# -- TLS without close_notify: refused -------------------------------------------


@pytest.mark.parametrize("data", [*CUT_SHORT.values(), INTERIM_CUT_SHORT])
def test_head_cut_short_by_a_ragged_tls_end_is_refused(
    loopback: Loopback, tls: TLS, data: bytes
) -> None:
    with pytest.raises(RemoteDisconnected, match="without TLS close_notify"):
        _https_response(loopback, tls, data, close_notify=False)


def test_body_delimited_by_a_ragged_tls_end_is_incomplete(
    loopback: Loopback, tls: TLS
) -> None:
    response = _https_response(loopback, tls, UNTIL_CLOSE, close_notify=False)
    with pytest.raises(IncompleteRead) as info:
        response.read()
    assert info.value.partial == b"x" * 100_000
    assert response.isclosed()


def _read_piece(response: Any, how: str) -> bytes:
    if how == "read(amt)":
        return bytes(response.read(4096))
    if how == "readinto":
        buffer = bytearray(4096)
        return bytes(buffer[: response.readinto(buffer)])
    if how == "read1":
        return bytes(response.read1(4096))
    return bytes(response.readline(4096))


@pytest.mark.parametrize("how", ["read(amt)", "readinto", "read1", "readline"])
def test_body_read_in_pieces_then_a_ragged_tls_end(
    loopback: Loopback, tls: TLS, how: str
) -> None:
    response = _https_response(loopback, tls, UNTIL_CLOSE, close_notify=False)
    pieces = []
    error: IncompleteRead | None = None
    while error is None:
        try:
            piece = _read_piece(response, how)
        except IncompleteRead as exc:
            error = exc
        else:
            assert piece, f"{how} returned the end of the body"
            pieces.append(piece)
    # Every byte that did arrive came out before the error.
    assert b"".join(pieces) == b"x" * 100_000


# -- TLS with close_notify, or framing that arrived whole: unchanged ----------------


@pytest.mark.parametrize("case", sorted(CUT_SHORT))
def test_head_cut_short_with_close_notify_is_taken_as_far_as_it_goes(
    loopback: Loopback, tls: TLS, case: str
) -> None:
    response = _https_response(loopback, tls, CUT_SHORT[case], close_notify=True)
    assert response.read() == b""


def test_body_delimited_by_close_notify_is_whole(loopback: Loopback, tls: TLS) -> None:
    response = _https_response(loopback, tls, UNTIL_CLOSE, close_notify=True)
    assert response.read() == b"x" * 100_000


@pytest.mark.parametrize(
    "data",
    [
        b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello",
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
    ],
    ids=["content-length", "chunked"],
)
def test_framed_body_that_arrived_whole_needs_no_close_notify(
    loopback: Loopback, tls: TLS, data: bytes
) -> None:
    response = _https_response(loopback, tls, data, close_notify=False)
    assert response.read() == b"hello"


@pytest.mark.parametrize("where", ["keyword", "class attribute"])
def test_suppress_ragged_eofs_restores_the_standard_librarys_reading(
    loopback: Loopback, tls: TLS, where: str
) -> None:
    class Lenient(HTTPSConnection):
        suppress_ragged_eofs = True

    server = loopback.serve(
        _tls_sends(UNTIL_CLOSE, close_notify=False), tls=tls.server_context()
    )
    if where == "keyword":
        conn = loopback.connect(
            server,
            HTTPSConnection,
            context=tls.client_context(),
            suppress_ragged_eofs=True,
        )
    else:
        conn = loopback.connect(server, Lenient, context=tls.client_context())
    conn.request("GET", "/")
    response = loopback.track(conn.getresponse())
    assert response.read() == b"x" * 100_000
