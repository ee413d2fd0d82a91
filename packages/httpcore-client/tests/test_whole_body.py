# read() of a whole body, and _safe_read(): the bytes go from the socket into
# one growing buffer that becomes the bytes returned, so memory follows what
# arrived (never the declared length, gh-119451) and peaks near the body's
# size, where reading pieces and joining them needs twice that.  Real
# loopback sockets; memory measured with tracemalloc.
from __future__ import annotations

import os
import tracemalloc
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pytest

from httpcore_client import HTTPConnection, IncompleteRead

if TYPE_CHECKING:
    from conftest import Loopback

MiB = 1 << 20
BODY = os.urandom(MiB) * 24 + b"tail"


def _response(loopback: Loopback, data: bytes) -> Any:
    server = loopback.serve(loopback.sends(data))
    conn = loopback.connect(server, HTTPConnection)
    conn.request("GET", "/")
    return loopback.track(conn.getresponse())


def _peak(action: Callable[[], bytes]) -> tuple[bytes, int]:
    tracemalloc.start()
    try:
        result = action()
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def _length_head(size: int) -> bytes:
    return b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % size


@pytest.mark.parametrize("size", [0, 1, MiB - 1, MiB, MiB + 1, 3 * MiB + 5])
def test_read_returns_exactly_the_body(loopback: Loopback, size: int) -> None:
    body = BODY[:size]
    world = b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nworld"
    server = loopback.serve(loopback.replies(_length_head(size) + body, world))
    conn = loopback.connect(server, HTTPConnection)
    conn.request("GET", "/")
    response = conn.getresponse()
    data = response.read()
    assert type(data) is bytes
    assert data == body
    assert response.isclosed()
    # Not a byte more was read: the next response on the connection is whole.
    conn.request("GET", "/next")
    assert conn.getresponse().read() == b"world"
    conn.close()
    server.wait()
    assert server.accepts == 1


def test_read_of_a_length_body_peaks_at_its_size(loopback: Loopback) -> None:
    response = _response(loopback, _length_head(len(BODY)) + BODY)
    data, peak = _peak(response.read)
    assert data == BODY
    # The body itself, plus the reader's buffer and small change; joining
    # pieces would need twice the body.
    assert peak < len(BODY) + MiB


def test_read_of_a_body_to_the_close_stays_near_its_size(
    loopback: Loopback,
) -> None:
    response = _response(loopback, b"HTTP/1.1 200 OK\r\n\r\n" + BODY)
    data, peak = _peak(response.read)
    assert data == BODY
    # At most one growth step (16 MiB) past the body, and far from twice it.
    assert peak < len(BODY) * 5 // 4 + 16 * MiB
    assert peak < 2 * len(BODY)


def test_short_body_partial_holds_what_arrived(loopback: Loopback) -> None:
    response = _response(loopback, _length_head(len(BODY) + 10) + BODY)
    with pytest.raises(IncompleteRead) as caught:
        response.read()
    assert caught.value.partial == BODY
    assert caught.value.expected == 10


def test_safe_read_in_the_middle_of_a_body(loopback: Loopback) -> None:
    # urllib3 reads chunk data with _safe_read(n) between its own reads of fp.
    response = _response(loopback, _length_head(len(BODY)) + BODY)
    first = response._safe_read(3 * MiB + 7)
    assert first == BODY[: 3 * MiB + 7]
    assert response.fp.read(5) == BODY[3 * MiB + 7 : 3 * MiB + 12]
    assert response._safe_read(len(BODY) - 3 * MiB - 12) == BODY[3 * MiB + 12 :]


def test_safe_read_short_raises_with_the_bytes(loopback: Loopback) -> None:
    response = _response(loopback, _length_head(len(BODY)) + BODY[: 2 * MiB])
    with pytest.raises(IncompleteRead) as caught:
        response._safe_read(2 * MiB + 100)
    assert caught.value.partial == BODY[: 2 * MiB]
    assert caught.value.expected == 100
