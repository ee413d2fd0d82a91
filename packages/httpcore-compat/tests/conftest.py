# Loopback servers for the command-line client's tests: an HTTP/1.1
# keep-alive server (threaded http.server) whose routes echo what arrived,
# the same over TLS with a trustme certificate, and a socket server that
# plays a scripted, misbehaving peer.  Each records nothing the tests must
# poll: what the server saw comes back in the response.
from __future__ import annotations

import contextlib
import dataclasses
import functools
import gzip
import http.server
import random
import socket
import ssl
import threading
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import trustme

STOP_TIMEOUT = 10.0


@functools.cache
def pattern(size: int) -> bytes:
    """The body of ``/bytes?size=N``: ``size`` pseudo-random bytes."""
    return random.Random(size).randbytes(size)


#: The "fake" content coding: every bit inverted, byte by byte.
INVERT = bytes(range(255, -1, -1))


def raw_deflate(data: bytes) -> bytes:
    """``data`` in deflate without the zlib wrapper (RFC 1951)."""
    compressor = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    return compressor.compress(data) + compressor.flush()


class Handler(http.server.BaseHTTPRequestHandler):
    """``/hello``; ``/bytes?size=N[&chunked=1]``; ``/echo[/...]`` (the body
    back, with ``X-Method``, ``X-Framing``, ``X-Content-Type``,
    ``X-Target``); ``/headers`` (the request head); ``/request...`` (the
    request line and head); ``/redirect/STATUS?to=URL``; ``/loop``;
    ``/status/N``; ``/compressed?coding=C``."""

    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the tests look at what the client got."""

    def _read_body(self) -> tuple[bytes, str]:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            pieces = []
            while size := int(self.rfile.readline().split(b";")[0], 16):
                pieces.append(self.rfile.read(size))
                assert self.rfile.readline() == b"\r\n"
            while self.rfile.readline() not in (b"\r\n", b""):
                pass
            return b"".join(pieces), f"chunked {len(pieces)}"
        if "Content-Length" in self.headers:
            length = int(self.headers["Content-Length"])
            return self.rfile.read(length), f"length {length}"
        return b"", "none"

    def _reply(
        self, status: int, body: bytes = b"", fields: dict[str, str] | None = None
    ) -> None:
        self.send_response(status)
        for name, value in (fields or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _route(self) -> None:
        url = urlsplit(self.path)
        query = {name: values[0] for name, values in parse_qs(url.query).items()}
        body, framing = self._read_body()
        if url.path == "/hello":
            self._reply(200, b"hello\n", {"Content-Type": "text/plain"})
        elif url.path == "/bytes":
            self._bytes(int(query["size"]), "chunked" in query)
        elif url.path == "/echo" or url.path.startswith("/echo/"):
            fields = {"X-Method": self.command, "X-Framing": framing}
            fields["X-Content-Type"] = self.headers.get("Content-Type", "")
            fields["X-Target"] = self.path
            self._reply(200, body, fields)
        elif url.path == "/headers":
            self._reply(200, bytes(self.headers))
        elif url.path.startswith("/request"):
            # The request line too: a proxy's absolute form shows there.
            self._reply(200, self.requestline.encode() + b"\r\n" + bytes(self.headers))
        elif url.path == "/compressed":
            self._compressed(query["coding"])
        elif url.path.startswith("/redirect/"):
            status = int(url.path.rpartition("/")[2])
            self._reply(status, b"moved\n", {"Location": query["to"]})
        elif url.path == "/loop":
            self._reply(302, b"", {"Location": "/loop"})
        elif url.path.startswith("/status/"):
            self._reply(int(url.path.rpartition("/")[2]), b"status body\n")
        else:
            self._reply(404, b"not found\n")

    def _compressed(self, coding: str) -> None:
        """``pattern(100000)`` in ``coding``: gzip, deflate (zlib-wrapped),
        raw-deflate (sent as deflate), fake (every bit inverted, as the
        tests' stand-in for br and zstd), or garbage (gzip that is not)."""
        data = pattern(100_000)
        encoders: dict[str, Callable[[bytes], bytes]] = {
            "gzip": gzip.compress,
            "deflate": zlib.compress,
            "raw-deflate": raw_deflate,
            "fake": lambda data: data.translate(INVERT),
            "garbage": lambda data: b"not gzip at all",
        }
        encoded = encoders[coding](data)
        name = {"raw-deflate": "deflate", "fake": "br", "garbage": "gzip"}
        fields = {"Content-Encoding": name.get(coding, coding)}
        fields["X-Accept-Encoding"] = self.headers.get("Accept-Encoding", "")
        self._reply(200, encoded, fields)

    def _bytes(self, size: int, chunked: bool) -> None:
        data = pattern(size)
        self.send_response(200)
        if chunked:
            self.send_header("Transfer-Encoding", "chunked")
        else:
            self.send_header("Content-Length", str(size))
        self.end_headers()
        if self.command == "HEAD":
            return
        view = memoryview(data)
        for start in range(0, size, 1 << 16):
            piece = view[start : start + (1 << 16)]
            if chunked:
                self.wfile.write(b"%X\r\n%s\r\n" % (len(piece), piece))
            else:
                self.wfile.write(piece)
        if chunked:
            self.wfile.write(b"0\r\n\r\n")

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = _route


@dataclasses.dataclass(frozen=True)
class Server:
    """A running server: ``url("/path")`` is an address on it."""

    scheme: str
    port: int

    def url(self, path: str) -> str:
        return f"{self.scheme}://127.0.0.1:{self.port}{path}"


@contextlib.contextmanager
def serving(context: ssl.SSLContext | None = None) -> Iterator[Server]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    if context is not None:
        # The handshake happens in accept(): a client that refuses the
        # certificate costs the server only that connection.
        server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Server("https" if context else "http", server.server_address[1])
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=STOP_TIMEOUT)


@pytest.fixture(scope="session")
def web() -> Iterator[Server]:
    with serving() as server:
        yield server


@dataclasses.dataclass(frozen=True)
class TlsServer:
    server: Server
    #: PEM files: the CA that signed the server's certificate, and another.
    ca_file: Path
    other_ca_file: Path


@pytest.fixture(scope="session")
def tls_web(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TlsServer]:
    ca, other = trustme.CA(), trustme.CA()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1", "localhost").configure_cert(context)
    directory = tmp_path_factory.mktemp("tls")
    ca.cert_pem.write_to_path(str(directory / "ca.pem"))
    other.cert_pem.write_to_path(str(directory / "other.pem"))
    with serving(context) as server:
        yield TlsServer(server, directory / "ca.pem", directory / "other.pem")


#: What a scripted server does with one connection; the event is set when
#: the test ends (a script that stalls waits on it).
Script = Callable[[socket.socket, threading.Event], None]


@dataclasses.dataclass
class Scripted:
    """A server that runs a script on each connection, one at a time;
    ``accepted`` is set when a connection arrives."""

    port: int
    accepted: threading.Event

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.port}{path}"


@pytest.fixture
def scripted() -> Iterator[Callable[[Script], Scripted]]:
    stops: list[Callable[[], None]] = []

    def start(script: Script) -> Scripted:
        listener = socket.create_server(("127.0.0.1", 0))
        listener.settimeout(STOP_TIMEOUT)
        port = listener.getsockname()[1]
        state = Scripted(port, threading.Event())
        release = threading.Event()

        def serve() -> None:
            with listener, contextlib.suppress(OSError):
                while True:
                    connection, _ = listener.accept()
                    with connection:
                        if release.is_set():
                            return
                        connection.settimeout(STOP_TIMEOUT)
                        state.accepted.set()
                        script(connection, release)

        thread = threading.Thread(target=serve, daemon=True)
        thread.start()

        def stop() -> None:
            release.set()
            # Wakes accept(); the server sees the release and ends.
            with contextlib.suppress(OSError):
                socket.create_connection(("127.0.0.1", port), timeout=5).close()
            thread.join(timeout=STOP_TIMEOUT)

        stops.append(stop)
        return state

    yield start
    for stop in stops:
        stop()
