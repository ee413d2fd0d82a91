"""The client doing real work: ``nox -s demo``.

Starts its own servers on 127.0.0.1 -- an HTTP/1.1 keep-alive server, the
same over TLS with a certificate from a throwaway trustme CA, and a small
CONNECT proxy -- and runs httpcore_compat against them: keep-alive reuse, a
POST, a chunked upload from a generator, a 32 MiB streamed download with the
``httpcore`` command's progress bar, TLS verification (and a refused
certificate), tunnels through the proxy, and ``install()`` putting httpcore
under :mod:`urllib.request`.  Each step says what it did; the demo exits 0
only if every step gave the expected bytes.  Every socket has a timeout.
"""

from __future__ import annotations

import contextlib
import hashlib
import http.client
import http.server
import random
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import trustme

import httpcore_compat as client

TIMEOUT = 10.0
DOWNLOAD = 32 << 20


@contextlib.contextmanager
def ignored(*errors: type[BaseException]) -> Iterator[None]:
    """A peer that went away is not the demo's failure."""
    with contextlib.suppress(*errors):
        yield


def payload(size: int) -> bytes:
    """What ``/bytes?size=N`` serves: the same pseudo-random bytes each time."""
    return random.Random(size).randbytes(size)


class Handler(http.server.BaseHTTPRequestHandler):
    """``GET /hello``, ``GET /bytes?size=N``, and ``POST /digest``: the
    SHA-256 of the body that arrived and how it was framed."""

    protocol_version = "HTTP/1.1"
    timeout = TIMEOUT

    def setup(self) -> None:
        super().setup()
        self.served = 0

    def log_message(self, format: str, *args: object) -> None:
        """Keep the demo's output to what the demo says."""

    def reply(self, body: bytes, fields: dict[str, str]) -> None:
        self.served += 1
        self.send_response(200)
        for name, value in fields.items():
            self.send_header(name, value)
        self.send_header("X-Requests-On-Connection", str(self.served))
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        if url.path == "/bytes":
            self.reply(payload(int(parse_qs(url.query)["size"][0])), {})
        else:
            self.reply(b"hello from 127.0.0.1\n", {"Content-Type": "text/plain"})

    def do_POST(self) -> None:
        digest = hashlib.sha256()
        if self.headers.get("Transfer-Encoding") == "chunked":
            chunks = 0
            while size := int(self.rfile.readline(), 16):
                digest.update(self.rfile.read(size))
                self.rfile.readline()
                chunks += 1
            self.rfile.readline()
            framing = f"chunked, {chunks} chunks"
        else:
            length = int(self.headers["Content-Length"])
            digest.update(self.rfile.read(length))
            framing = f"Content-Length {length}"
        self.reply(digest.hexdigest().encode(), {"X-Framing": framing})


class Proxy(http.server.BaseHTTPRequestHandler):
    """A CONNECT proxy stand-in: opens the tunnel, then copies bytes both
    ways until either side closes."""

    protocol_version = "HTTP/1.1"
    timeout = TIMEOUT
    tunnels: list[str] = []  # noqa: RUF012 (one list for the demo's one proxy)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet, like the servers."""

    def do_CONNECT(self) -> None:
        host, _, port = self.path.rpartition(":")
        upstream = socket.create_connection((host, int(port)), timeout=TIMEOUT)
        self.tunnels.append(self.path)
        self.send_response_only(200, "Connection established")
        self.send_header("Proxy-Agent", "httpcore-demo-proxy")
        self.end_headers()
        self.wfile.flush()
        with upstream:
            back = threading.Thread(target=copy, args=(upstream, self.connection))
            back.start()
            copy(self.connection, upstream)
            back.join(TIMEOUT)
        self.close_connection = True


def copy(source: socket.socket, target: socket.socket) -> None:
    with ignored(OSError):
        while data := source.recv(65536):
            target.sendall(data)
        target.shutdown(socket.SHUT_WR)


@contextlib.contextmanager
def serve(
    handler: type[http.server.BaseHTTPRequestHandler],
    context: ssl.SSLContext | None = None,
) -> Iterator[int]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    if context is not None:
        server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()
        thread.join(TIMEOUT)


class Failed(Exception):
    """A step did not give what it should."""


def check(condition: bool, what: str) -> None:
    if not condition:
        raise Failed(what)
    print(f"   [ok] {what}")


class Demo:
    def __init__(self, port: int, tls_port: int, proxy_port: int, ca: Any) -> None:
        self.port, self.tls_port, self.proxy_port = port, tls_port, proxy_port
        self.ca = ca

    def context(self, ca: Any) -> ssl.SSLContext:
        context = ssl.create_default_context()
        ca.configure_trust(context)
        return context

    def keep_alive(self) -> None:
        print(
            f"1. Keep-alive: three GETs on one HTTPConnection to 127.0.0.1:{self.port}"
        )
        connection = client.HTTPConnection("127.0.0.1", self.port, timeout=TIMEOUT)
        ports, counts = set(), []
        try:
            for _ in range(3):
                connection.request("GET", "/hello")
                response = connection.getresponse()
                body = response.read()
                port = connection.sock.getsockname()[1]
                ports.add(port)
                counts.append(response.getheader("X-Requests-On-Connection"))
                print(
                    f"   GET /hello -> {response.status} {response.reason}, "
                    f"{len(body)} bytes, local port {port}, request "
                    f"{counts[-1]} on the server's connection"
                )
                if body != b"hello from 127.0.0.1\n":
                    raise Failed(f"unexpected body {body!r}")
        finally:
            connection.close()
        check(len(ports) == 1 and counts == ["1", "2", "3"], "one socket, 3 requests")

    def post(self) -> None:
        body = payload(100_000)
        print("2. POST of 100000 bytes; the server answers with their SHA-256")
        answer, framing = self.digest(body)
        print(f"   server got {framing}, sha256 {answer[:16]}...")
        check(
            answer == hashlib.sha256(body).hexdigest()
            and framing == "Content-Length 100000",
            "same digest, sent with Content-Length",
        )

    def chunked(self) -> None:
        pieces = [payload(1000 + 517 * n)[:-7] for n in range(40)]
        print(f"3. Chunked upload: {len(pieces)} pieces from a generator")
        answer, framing = self.digest((piece for piece in pieces), encode_chunked=True)
        print(f"   server got {framing}, sha256 {answer[:16]}...")
        expected = hashlib.sha256(b"".join(pieces)).hexdigest()
        check(
            answer == expected and framing == f"chunked, {len(pieces)} chunks",
            "one chunk per piece, same digest",
        )

    def digest(self, body: Any, encode_chunked: bool = False) -> tuple[str, str]:
        connection = client.HTTPConnection("127.0.0.1", self.port, timeout=TIMEOUT)
        try:
            headers = {"Transfer-Encoding": "chunked"} if encode_chunked else {}
            connection.request(
                "POST", "/digest", body, headers, encode_chunked=encode_chunked
            )
            response = connection.getresponse()
            return response.read().decode(), response.getheader("X-Framing", "")
        finally:
            connection.close()

    def download(self, directory: Path) -> None:
        url = f"http://127.0.0.1:{self.port}/bytes?size={DOWNLOAD}"
        target = directory / "download.bin"
        print(f"4. Streamed download of {DOWNLOAD >> 20} MiB with the httpcore command")
        print(f"   $ httpcore --progress-bar -o {target.name} {url}", flush=True)
        command = [sys.executable, "-m", "httpcore_compat", "--progress-bar"]
        result = subprocess.run(
            [*command, "--timeout", str(TIMEOUT), "-o", str(target), url],
            timeout=60,
            check=False,
        )
        digest = hashlib.sha256()
        with target.open("rb") as file:
            while block := file.read(1 << 20):
                digest.update(block)
        size, hexdigest = target.stat().st_size, digest.hexdigest()
        print(f"   exit {result.returncode}, {size} bytes, sha256 {hexdigest[:16]}...")
        expected = hashlib.sha256(payload(DOWNLOAD)).hexdigest()
        check(
            result.returncode == 0 and size == DOWNLOAD
            and hexdigest == expected,
            "length and SHA-256 as served",
        )  # fmt: skip

    def https(self) -> None:
        print(f"5. HTTPS to 127.0.0.1:{self.tls_port}, verified against the demo's CA")
        connection = client.HTTPSConnection(
            "127.0.0.1", self.tls_port, timeout=TIMEOUT, context=self.context(self.ca)
        )
        try:
            connection.request("GET", "/hello")
            body = connection.getresponse().read()
            sock = connection.sock
            names = dict(sock.getpeercert()["subjectAltName"])
            print(f"   {sock.version()}, certificate for {names}, body {body!r}")
        finally:
            connection.close()
        check(body == b"hello from 127.0.0.1\n", "verified and read")
        other = client.HTTPSConnection(
            "127.0.0.1",
            self.tls_port,
            timeout=TIMEOUT,
            context=self.context(trustme.CA()),
        )
        refused = ""
        try:
            other.request("GET", "/hello")
        except ssl.SSLCertVerificationError as error:
            refused = error.verify_message
        finally:
            other.close()
        print(f"   with another CA: SSLCertVerificationError: {refused}")
        check(bool(refused), "a certificate from the wrong CA is refused")

    def tunnels(self) -> None:
        print(f"6. Tunnels through the CONNECT proxy on 127.0.0.1:{self.proxy_port}")
        bodies = []
        for target_port, context in ((self.port, None), (self.tls_port, self.ca)):
            if context is None:
                connection: Any = client.HTTPConnection(
                    "127.0.0.1", self.proxy_port, timeout=TIMEOUT
                )
            else:
                connection = client.HTTPSConnection(
                    "127.0.0.1",
                    self.proxy_port,
                    timeout=TIMEOUT,
                    context=self.context(context),
                )
            connection.set_tunnel("127.0.0.1", target_port)
            try:
                connection.request("GET", "/hello")
                bodies.append(connection.getresponse().read())
                fields = dict(connection.get_proxy_response_headers().items())
            finally:
                connection.close()
            kind = "https" if context else "http"
            print(f"   {kind} to 127.0.0.1:{target_port}: proxy answered {fields}")
        print(f"   the proxy opened {Proxy.tunnels}")
        check(
            bodies == [b"hello from 127.0.0.1\n"] * 2
            and Proxy.tunnels
            == [f"127.0.0.1:{self.port}", f"127.0.0.1:{self.tls_port}"],
            "both bodies arrived through the tunnels",
        )

    def install(self) -> None:
        print("7. httpcore_compat.install(): urllib.request on httpcore")
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        url = f"http://127.0.0.1:{self.port}/hello"
        client.install()
        try:
            with opener.open(url, timeout=TIMEOUT) as response:
                ours = type(response).__module__, response.read()
        finally:
            client.uninstall()
        with opener.open(url, timeout=TIMEOUT) as response:
            theirs = type(response).__module__, response.read()
        print(f"   installed:   urlopen() returned a {ours[0]}.HTTPResponse")
        print(f"   uninstalled: urlopen() returned a {theirs[0]}.HTTPResponse")
        check(
            ours[0].startswith("httpcore_client")
            and theirs[0] == "http.client"
            and ours[1] == theirs[1] == b"hello from 127.0.0.1\n"
            and sys.modules["http.client"] is http.client,
            "same bytes, httpcore's response class, then the standard library's",
        )


def main() -> int:
    socket.setdefaulttimeout(TIMEOUT)
    ca = trustme.CA()
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1", "localhost").configure_cert(server_context)
    failures = []
    with (
        serve(Handler) as port,
        serve(Handler, server_context) as tls_port,
        serve(Proxy) as proxy_port,
        tempfile.TemporaryDirectory() as directory,
    ):
        demo = Demo(port, tls_port, proxy_port, ca)
        steps: list[Callable[[], None]] = [
            demo.keep_alive,
            demo.post,
            demo.chunked,
            lambda: demo.download(Path(directory)),
            demo.https,
            demo.tunnels,
            demo.install,
        ]
        for number, step in enumerate(steps, 1):
            try:
                step()
            except Exception as error:  # a failed step must not hide the others
                print(f"   [FAILED] {type(error).__name__}: {error}")
                failures.append(number)
    if failures:
        print(f"demo: FAILED at step {', '.join(map(str, failures))}", file=sys.stderr)
        return 1
    print("demo: every step gave the expected bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
