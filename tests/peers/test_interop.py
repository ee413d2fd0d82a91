# The interoperability matrix: httpcore_compat against real servers and
# proxies on loopback.  Origins: nginx, apache2, haproxy before nginx (plain
# and TLS front ends); for each, keep-alive reuse, chunked bodies both ways,
# HEAD / 204 / 304 followed by another request on the same connection, the
# standard library's reading of the same responses, and a server that closes
# an idle connection (RFC 9112 section 9.5), after which the next request
# must go out on a new connection without the caller seeing an error.
# Proxies: squid, apache2 (mod_proxy_connect) and tinyproxy; for each,
# CONNECT tunnels to nginx (RFC 9110 section 9.3.6), a tunnel refused by
# the proxy's port list, and absolute-form requests (RFC 9112 section
# 3.2.2).  Plus a body that haproxy's TLS front end ends by closing.
from __future__ import annotations

import dataclasses
import http.client as stdlib
import select
import socket
import ssl
import time
from typing import TYPE_CHECKING, Any, cast

import pytest

import httpcore_compat

if TYPE_CHECKING:
    from conftest import Nginx, Tls
    from interop_peers import Haproxy

ORIGINS = ["nginx", "apache2", "haproxy", "haproxy-tls"]
PROXIES = ["squid", "apache2", "tinyproxy"]
STREAM = "/stream?chunks=40&size=3000"
TIMEOUT = 30
# How long a server may take to close an idle connection: its idle timeout
# (interop_peers.IDLE_TIMEOUT, 1 s) and a margin for a loaded machine.
CLOSE_LIMIT = 10.0
# Fields whose values change from one connection to the next.
VOLATILE = frozenset({"date", "x-client-port", "x-connection", "x-connection-requests"})
# What callers read of a response before its body (urllib3 reads the
# framing attributes), compared with http.client's.
ATTRIBUTES = ("status", "reason", "version", "chunked", "length", "will_close")


@dataclasses.dataclass(frozen=True)
class Origin:
    """An origin server of the matrix: it serves ``/files/<name>`` (nginx's
    samples), ``STREAM`` (chunked), ``/echo`` and ``/no-content`` (204), and
    names the client's port in ``X-Client-Port``."""

    host: str
    #: Keeps an idle connection open longer than any test.
    port: int
    #: Closes a connection idle for interop_peers.IDLE_TIMEOUT.
    idle_port: int
    #: TLS if set.
    context: ssl.SSLContext | None

    def connect(self, module: Any = httpcore_compat, *, idle: bool = False) -> Any:
        """A connection of ``module`` (httpcore_compat or http.client)."""
        port = self.idle_port if idle else self.port
        if self.context is None:
            return module.HTTPConnection(self.host, port, timeout=TIMEOUT)
        return module.HTTPSConnection(
            self.host, port, timeout=TIMEOUT, context=self.context
        )


@dataclasses.dataclass(frozen=True)
class Proxy:
    """A forward proxy of the matrix: it tunnels to nginx's plain and TLS
    ports and refuses nginx's ``limited_port``."""

    host: str
    port: int
    #: Whether it keeps the client's connection after a forwarded response.
    keeps_alive: bool


@pytest.fixture(params=ORIGINS)
def origin(request: pytest.FixtureRequest, nginx: Nginx, tls: Tls) -> Origin:
    name = request.param
    if name == "nginx":
        return Origin(nginx.host, nginx.interop_port, nginx.idle_port, None)
    if name == "apache2":
        apache2 = request.getfixturevalue("apache2")
        return Origin(apache2.host, apache2.port, apache2.idle_port, None)
    haproxy = request.getfixturevalue("haproxy")
    if name == "haproxy":
        return Origin(haproxy.host, haproxy.port, haproxy.idle_port, None)
    return Origin(haproxy.host, haproxy.tls_port, haproxy.tls_idle_port, tls.context())


@pytest.fixture(params=PROXIES)
def proxy(request: pytest.FixtureRequest) -> Proxy:
    name = request.param
    server = request.getfixturevalue(name)
    port = server.proxy_port if name == "apache2" else server.port
    return Proxy(server.host, port, keeps_alive=name != "tinyproxy")


def expected_bodies(nginx: Nginx) -> dict[str, bytes]:
    small, mid = nginx.samples["small.txt"], nginx.samples["mid.bin"]
    return {
        small.path: small.data,
        mid.path: mid.data,
        mid.chunked_path: mid.chunked_data,
        STREAM: nginx.stream_body(40, 3000),
    }


def fetch(
    connection: Any,
    method: str,
    target: str,
    headers: dict[str, str] | None = None,
    **options: Any,
) -> tuple[Any, bytes]:
    """Send a request on ``connection`` and read the whole response."""
    connection.request(method, target, headers=headers or {}, **options)
    response = connection.getresponse()
    return response, response.read()


def client_port(connection: Any) -> str:
    return str(connection.sock.getsockname()[1])


def wait_for_close(sock: socket.socket) -> float:
    """Seconds until the peer closes ``sock`` (it turns readable: the end of
    the stream, or a TLS close_notify before it); reads nothing."""
    start = time.monotonic()
    readable, _, _ = select.select([sock], [], [], CLOSE_LIMIT)
    assert readable, f"the peer kept an idle connection for {CLOSE_LIMIT} s"
    return time.monotonic() - start


def stable_fields(response: Any) -> list[tuple[str, str]]:
    return [(n, v) for n, v in response.getheaders() if n.lower() not in VOLATILE]


def reading(
    connection: Any, method: str, target: str, fields: dict[str, str]
) -> tuple[Any, ...]:
    """What a client made of the response to one request on a new
    ``connection`` (closed afterwards): :data:`ATTRIBUTES`, the stable
    fields, the body, and whether the response is closed."""
    try:
        connection.request(method, target, headers=fields)
        response = connection.getresponse()
        state = [getattr(response, name) for name in ATTRIBUTES]
        body = response.read()
        return state, stable_fields(response), body, response.isclosed()
    finally:
        connection.close()


def peer_names(sock: ssl.SSLSocket) -> tuple[tuple[str, str], ...]:
    """The subjectAltName entries of the certificate the peer presented."""
    certificate = sock.getpeercert()
    assert certificate is not None
    return cast("tuple[tuple[str, str], ...]", certificate["subjectAltName"])


# -- origins ------------------------------------------------------------------


def test_keep_alive_reuses_one_connection(origin: Origin, nginx: Nginx) -> None:
    bodies = expected_bodies(nginx)
    paths = ["/files/small.txt", "/files/mid.bin", STREAM] * 3
    connection = origin.connect()
    try:
        sockets, ports = [], []
        for path in paths:
            response, body = fetch(connection, "GET", path)
            assert (response.status, body) == (200, bodies[path])
            assert not response.will_close
            sockets.append(connection.sock)
            ports.append(response.getheader("X-Client-Port"))
        assert all(sock is sockets[0] for sock in sockets)
        # The server saw one connection: the client's.
        assert ports == [client_port(connection)] * len(paths)
    finally:
        connection.close()


def test_chunked_response_then_the_next_request(origin: Origin, nginx: Nginx) -> None:
    bodies = expected_bodies(nginx)
    connection = origin.connect()
    try:
        for size in (None, 7919):
            connection.request("GET", STREAM)
            response = connection.getresponse()
            assert response.chunked
            assert response.getheader("Transfer-Encoding").lower() == "chunked"
            pieces = []
            while piece := response.read(size):
                pieces.append(piece)
            assert b"".join(pieces) == bodies[STREAM]
            sock = connection.sock
            _, body = fetch(connection, "GET", "/files/small.txt")
            assert body == bodies["/files/small.txt"]
            assert connection.sock is sock
    finally:
        connection.close()


def test_chunked_upload(origin: Origin, nginx: Nginx) -> None:
    # Apache spools the body to give the upstream a Content-Length; nginx
    # reads it itself (before the upstream, or behind haproxy).
    pieces = [nginx.samples["mid.bin"].data[: size * 997] for size in (1, 13, 100)]
    connection = origin.connect()
    try:
        sockets = []
        for _ in range(2):
            response, body = fetch(
                connection,
                "POST",
                "/echo",
                {"Transfer-Encoding": "chunked"},
                body=iter(pieces),
                encode_chunked=True,
            )
            assert (response.status, body) == (200, b"".join(pieces))
            sockets.append(connection.sock)
        assert sockets[0] is sockets[1]
    finally:
        connection.close()


BODILESS = ["HEAD", "204", "304 If-None-Match", "304 If-Modified-Since"]


def bodiless_request(kind: str, head: Any) -> tuple[str, str, dict[str, str], int]:
    """Method, target, fields and expected status of a ``kind`` request;
    ``head`` is a HEAD response for /files/mid.bin (its validators)."""
    if kind == "HEAD":
        return "HEAD", "/files/mid.bin", {}, 200
    if kind == "204":
        return "GET", "/no-content", {}, 204
    field = kind.split(" ", 1)[1]
    source = "ETag" if field == "If-None-Match" else "Last-Modified"
    return "GET", "/files/mid.bin", {field: head.getheader(source)}, 304


@pytest.mark.parametrize("kind", BODILESS)
def test_bodiless_response_then_the_next_request(
    origin: Origin, nginx: Nginx, kind: str
) -> None:
    mid = nginx.samples["mid.bin"]
    connection = origin.connect()
    try:
        head, body = fetch(connection, "HEAD", mid.path)
        assert (head.status, body) == (200, b"")
        assert head.getheader("Content-Length") == str(len(mid.data))
        sock = connection.sock
        method, target, fields, status = bodiless_request(kind, head)
        for _ in range(2):
            response, body = fetch(connection, method, target, fields)
            assert (response.status, body) == (status, b"")
            assert response.isclosed()
            # Nothing was left behind: the next response is read whole.
            response, body = fetch(connection, "GET", mid.path)
            assert (response.status, body) == (200, mid.data)
            assert connection.sock is sock
    finally:
        connection.close()


COMPARED = [
    ("GET", "/files/small.txt", "plain"),
    ("HEAD", "/files/mid.bin", "plain"),
    ("GET", "/files/mid.bin", "304 If-None-Match"),
    ("HEAD", "/files/mid.bin", "304 If-Modified-Since"),
    ("GET", "/no-content", "plain"),
    ("GET", STREAM, "plain"),
    ("GET", "/files/missing", "plain"),
]


@pytest.mark.parametrize(("method", "target", "condition"), COMPARED)
def test_responses_match_the_standard_library(
    origin: Origin, method: str, target: str, condition: str
) -> None:
    fields: dict[str, str] = {}
    if condition != "plain":
        head_connection = origin.connect(stdlib)
        head, _ = fetch(head_connection, "HEAD", "/files/mid.bin")
        head_connection.close()
        _, _, fields, _ = bodiless_request(condition, head)
    ours, theirs = (
        reading(origin.connect(module), method, target, fields)
        for module in (httpcore_compat, stdlib)
    )
    assert ours == theirs


def test_server_closes_an_idle_connection(origin: Origin, nginx: Nginx) -> None:
    small, mid = nginx.samples["small.txt"], nginx.samples["mid.bin"]
    connection = origin.connect(idle=True)
    try:
        response, body = fetch(connection, "GET", small.path)
        assert (response.status, body) == (200, small.data)
        assert not response.will_close
        first = connection.sock
        # The server's idle timer, not a close announced or immediate.
        assert wait_for_close(first) > 0.5
        assert connection.sock is first
        response, body = fetch(connection, "GET", mid.path)
        assert (response.status, body) == (200, mid.data)
        assert connection.sock is not first
        assert response.getheader("X-Client-Port") == client_port(connection)
    finally:
        connection.close()


def test_close_delimited_body_over_tls(
    haproxy: Haproxy, tls: Tls, nginx: Nginx
) -> None:
    # haproxy ends the TLS stream (with close_notify) when the HTTP/1.0
    # upstream closes: the end of the body (RFC 9112 section 6.3, rule 8).
    expected = nginx.stream_body(40, 3000)
    results = []
    for module in (httpcore_compat, stdlib):
        connection = module.HTTPSConnection(
            haproxy.host, haproxy.raw_tls_port, timeout=TIMEOUT, context=tls.context()
        )
        try:
            for _ in range(2):
                response, body = fetch(connection, "GET", STREAM)
                assert body == expected
                assert connection.sock is None
                framing = (response.chunked, response.length, response.will_close)
                results.append((response.status, response.version, *framing))
        finally:
            connection.close()
    assert results == [(200, 10, False, None, True)] * 4


# -- proxies ------------------------------------------------------------------


@pytest.mark.parametrize("tls_inside", [False, True], ids=["http", "https"])
def test_tunnel(proxy: Proxy, nginx: Nginx, tls: Tls, tls_inside: bool) -> None:
    bodies = expected_bodies(nginx)
    mid = nginx.samples["mid.bin"]
    connection: httpcore_compat.HTTPConnection
    if tls_inside:
        connection = httpcore_compat.HTTPSConnection(
            proxy.host, proxy.port, timeout=TIMEOUT, context=tls.context()
        )
        connection.set_tunnel("localhost", nginx.tls_port)
    else:
        connection = httpcore_compat.HTTPConnection(
            proxy.host, proxy.port, timeout=TIMEOUT
        )
        connection.set_tunnel("localhost", nginx.port)
    try:
        sockets, nginx_connections = [], set()
        for path in ("/files/small.txt", mid.chunked_path, STREAM, mid.path):
            response, body = fetch(connection, "GET", path)
            assert (response.status, body) == (200, bodies[path])
            sockets.append(connection.sock)
            nginx_connections.add(response.getheader("X-Connection"))
        assert all(sock is sockets[0] for sock in sockets)
        assert len(nginx_connections) == 1
        assert connection.get_proxy_response_headers() is not None
        if tls_inside:
            assert isinstance(connection.sock, ssl.SSLSocket)
            # The certificate checked is nginx's, for the tunnel's host.
            assert ("DNS", "localhost") in peer_names(connection.sock)
    finally:
        connection.close()


def test_refused_tunnel(proxy: Proxy, nginx: Nginx) -> None:
    connection = httpcore_compat.HTTPConnection(proxy.host, proxy.port, timeout=TIMEOUT)
    connection.set_tunnel("127.0.0.1", nginx.limited_port)
    try:
        with pytest.raises(OSError, match=r"^Tunnel connection failed: 403 \S"):
            connection.request("GET", "/files/small.txt")
        assert connection.sock is None
        assert connection.get_proxy_response_headers() is not None
    finally:
        connection.close()


def test_absolute_form_through_the_proxy(proxy: Proxy, nginx: Nginx) -> None:
    bodies = expected_bodies(nginx)
    mid = nginx.samples["mid.bin"]
    base = f"http://{nginx.host}:{nginx.port}"
    requests = [
        ("GET", "/files/small.txt", bodies["/files/small.txt"]),
        ("HEAD", mid.path, b""),
        ("GET", mid.chunked_path, bodies[mid.chunked_path]),
        ("GET", STREAM, bodies[STREAM]),
    ]
    connection = httpcore_compat.HTTPConnection(proxy.host, proxy.port, timeout=TIMEOUT)
    try:
        previous = None
        for method, path, expected in requests:
            if previous is not None and not proxy.keeps_alive:
                # tinyproxy closes without a Connection: close; once it has,
                # the request goes out on a new connection.
                wait_for_close(previous)
            response, body = fetch(connection, method, base + path)
            assert (response.status, body) == (200, expected)
            if previous is not None:
                assert (connection.sock is previous) is proxy.keeps_alive
            previous = connection.sock
    finally:
        connection.close()


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/files/small.txt"),
        ("HEAD", "/files/mid.bin"),
        ("GET", "/chunked/mid.bin"),
    ],
)
def test_absolute_form_matches_the_standard_library(
    proxy: Proxy, nginx: Nginx, method: str, path: str
) -> None:
    target = f"http://{nginx.host}:{nginx.port}{path}"
    ours, theirs = (
        reading(
            module.HTTPConnection(proxy.host, proxy.port, timeout=TIMEOUT),
            method,
            target,
            {},
        )
        for module in (httpcore_compat, stdlib)
    )
    assert ours == theirs
