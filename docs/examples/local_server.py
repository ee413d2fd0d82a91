"""The local server the documentation's examples talk to.

The standard library's :mod:`http.server` on 127.0.0.1 and a port the system
chooses, answering a few fixed routes with known bytes. The doctests start it
in a hidden ``testsetup`` block and stop it in ``testcleanup``; the example
scripts start it themselves. Nothing in the documentation needs a network
beyond loopback.

Routes:

``GET /hello``
    ``hello, world`` and a newline, with a Content-Length.
``POST /echo``
    The request body back, with the request's Content-Type.
``GET /chunked``
    ``hello, world`` and a newline in two chunks, then a ``Checksum``
    trailer field.
``GET /many-headers?n=N``
    An empty body after N ``X-Field-i`` fields.
``GET /early-hints?n=N``
    N ``103 Early Hints`` interim responses, then ``/hello``'s response.
``GET /short``
    A Content-Length of 10 and 5 bytes of body, then the connection closes.
``GET /trickle``
    A body of 40 bytes sent one byte every 50 ms (2 s in all).

A request with ``Expect: 100-continue`` gets ``100 Continue`` before its
body is read (what :mod:`http.server` does for HTTP/1.1), except one whose
Content-Length is over :data:`UPLOAD_LIMIT`: it gets ``413 Content Too
Large`` at once, and the connection closes without the body being read.
"""

from __future__ import annotations

import http.server
import threading
import time
from urllib.parse import parse_qs, urlsplit

HELLO = b"hello, world\n"
UPLOAD_LIMIT = 1 << 20


class Handler(http.server.BaseHTTPRequestHandler):
    """Answers the routes in the module's docstring."""

    protocol_version = "HTTP/1.1"

    def version_string(self) -> str:
        return "local-server/1.0"

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        count = int(parse_qs(url.query).get("n", ["0"])[0])
        if url.path == "/hello":
            self.send_body(HELLO, "text/plain")
        elif url.path == "/chunked":
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Transfer-Encoding", "chunked")
            self.send_header("Trailer", "Checksum")
            self.end_headers()
            self.wfile.write(
                b"7\r\nhello, \r\n6\r\nworld\n\r\n0\r\nChecksum: 42\r\n\r\n"
            )
        elif url.path == "/many-headers":
            self.send_response(200)
            for index in range(count):
                self.send_header(f"X-Field-{index}", "x")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif url.path == "/early-hints":
            for _ in range(count):
                self.send_response_only(103)
                self.send_header("Link", "</style.css>; rel=preload")
                self.end_headers()
            self.send_body(HELLO, "text/plain")
        elif url.path == "/short":
            self.send_response(200)
            self.send_header("Content-Length", "10")
            self.end_headers()
            self.wfile.write(b"hello")
            self.close_connection = True
        elif url.path == "/trickle":
            self.send_response(200)
            self.send_header("Content-Length", "40")
            self.end_headers()
            self.trickle(b"x" * 40, 0.05)
        else:
            self.send_error(404)

    def trickle(self, body: bytes, pause: float) -> None:
        """Send ``body`` a byte at a time, ``pause`` seconds apart, until
        it ends or the client goes away."""
        try:
            for index in range(len(body)):
                time.sleep(pause)
                self.wfile.write(body[index : index + 1])
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the client gave up

    def handle_expect_100(self) -> bool:
        if int(self.headers.get("Content-Length", "0")) > UPLOAD_LIMIT:
            self.send_response(413)
            self.send_header("Content-Length", "0")
            self.send_header("Connection", "close")
            self.end_headers()
            return False
        return super().handle_expect_100()

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length)
        content_type = self.headers.get("Content-Type", "application/octet-stream")
        self.send_body(body, content_type)

    def send_body(self, body: bytes, content_type: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Keep the examples' output to what they print themselves."""


def start() -> tuple[http.server.ThreadingHTTPServer, int]:
    """Start the server in a daemon thread; returns it and its port.

    Stop it with ``server.shutdown()`` and ``server.server_close()``.
    """
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, server.server_address[1]
