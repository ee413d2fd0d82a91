# Expect: 100-continue against a real nginx, over TCP and TLS: nginx sends
# 100 (Continue) before it reads a body it accepts (a WebDAV PUT, a POST it
# proxies), and a final 413 without one when the Content-Length is over
# client_max_body_size (1 MiB where no location raises it), in which case
# the client must not send the body.
from __future__ import annotations

import io
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest

import httpcore_client

if TYPE_CHECKING:
    from conftest import Nginx, Tls

# Longer than any test here may take: a client that waited for it instead
# of reading nginx's 100 would time the test out.
WAIT = 60.0
DATA = bytes(range(256)) * 4096  # 1 MiB


class CountingBody(io.BytesIO):
    """A file body that counts the reads made of it."""

    reads = 0

    def read(self, size: int | None = -1, /) -> bytes:
        self.reads += 1
        return super().read(size)


@pytest.fixture(params=["http", "https"])
def connect(request: pytest.FixtureRequest, nginx: Nginx, tls: Tls) -> Iterator[Any]:
    made: list[httpcore_client.HTTPConnection] = []

    def connection() -> httpcore_client.HTTPConnection:
        conn: httpcore_client.HTTPConnection
        if request.param == "https":
            conn = httpcore_client.HTTPSConnection(
                nginx.host,
                nginx.tls_port,
                timeout=30,
                context=tls.context(),
                continue_timeout=WAIT,
            )
        else:
            conn = httpcore_client.HTTPConnection(
                nginx.host, nginx.port, timeout=30, continue_timeout=WAIT
            )
        made.append(conn)
        return conn

    yield connection
    for conn in made:
        conn.close()


def test_put_waits_for_nginx_100_continue(
    connect: Any, capsys: pytest.CaptureFixture[str], request: pytest.FixtureRequest
) -> None:
    conn = connect()
    path = f"/dav/expect/{request.node.callspec.id}.bin"
    conn.set_debuglevel(1)
    conn.request("PUT", path, DATA, {"Expect": "100-continue"})
    response = conn.getresponse()
    assert response.status == 201, response.read()
    response.read()
    conn.set_debuglevel(0)
    lines = capsys.readouterr().out.splitlines()
    assert "reply: 'HTTP/1.1 100 Continue\\r\\n'" in lines
    # The body went: the connection carries the next request.
    assert not response.will_close
    connection_number = response.getheader("X-Connection")
    conn.request("GET", path)
    again = conn.getresponse()
    assert again.read() == DATA
    assert again.getheader("X-Connection") == connection_number


def test_post_through_nginx_proxy_waits_for_100(
    connect: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    conn = connect()
    conn.set_debuglevel(1)
    conn.request(
        "POST",
        "/echo",
        iter([DATA[:1000], DATA[1000:]]),
        {
            "Expect": "100-continue",
            "Content-Length": str(len(DATA)),
        },
    )
    response = conn.getresponse()
    assert response.read() == DATA
    lines = capsys.readouterr().out.splitlines()
    assert "reply: 'HTTP/1.1 100 Continue\\r\\n'" in lines


def test_413_withholds_the_body(connect: Any) -> None:
    conn = connect()
    body = CountingBody(DATA + DATA)
    conn.request(
        "PUT",
        "/files/too-large.bin",
        body,
        {"Expect": "100-continue", "Content-Length": str(2 * len(DATA))},
    )
    response = conn.getresponse()
    assert response.status == 413
    response.read()
    assert body.reads == 0
    assert response.will_close
    # The next request goes out on a new connection and is served.
    conn.request("GET", "/files/small.txt")
    assert conn.getresponse().read() == b"Hello from nginx.\n"
