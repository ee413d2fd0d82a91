"""The header parser on a real server's response: ``nox -s demo``.

Starts the standard library's HTTP server on 127.0.0.1, sends it a request
over a plain socket, and parses the response's header block with
``httpcore_headers.parse_headers``, side by side with
``http.client.parse_headers`` on the same bytes. Then shows the limits
refusing a hostile block, and the sans-I/O parser assembling a block that
arrives a few bytes at a time. Exits 0 only if every step gave what it should.
"""

from __future__ import annotations

import http.client
import http.server
import io
import socket
import sys
import threading
import timeit
from typing import ClassVar

import httpcore_headers


class Handler(http.server.BaseHTTPRequestHandler):
    """Answers every GET with a small page, two cookies and a few fields."""

    protocol_version = "HTTP/1.1"
    body: ClassVar[bytes] = b"<!doctype html><title>httpcore</title>hello\n"

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(self.body)))
        self.send_header("Set-Cookie", "session=1f2e3d; Path=/; HttpOnly")
        self.send_header("Set-Cookie", "theme=dark; Path=/")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, format: str, *args: object) -> None:
        """Keep the demo's output to what the demo says."""


def fetch_raw(port: int) -> bytes:
    """Everything the server sends for one GET, read until it closes."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def check(condition: bool, what: str) -> None:
    print(f"  [{'ok' if condition else 'FAILED'}] {what}")
    if not condition:
        raise SystemExit(1)


def main() -> int:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]
    try:
        raw = fetch_raw(port)
    finally:
        server.shutdown()
        server.server_close()

    print(f"1. A real response from http.server on 127.0.0.1:{port}")
    status_line, _, rest = raw.partition(b"\r\n")
    print(f"   status line: {status_line.decode()}")
    fp = io.BytesIO(rest)
    message = httpcore_headers.parse_headers(fp)
    for name, value in message.items():
        print(f"   {name}: {value}")
    body = fp.read()
    theirs = http.client.parse_headers(io.BytesIO(rest))
    check(message.items() == theirs.items(), "same fields as http.client, in order")
    check(
        message.get_all("Set-Cookie") == theirs.get_all("Set-Cookie"),
        "both Set-Cookie fields kept",
    )
    check(body == Handler.body, f"file left at the body ({len(body)} bytes)")

    def per_parse(parse: object) -> float:
        timer = timeit.Timer(lambda: parse(io.BytesIO(rest)))  # type: ignore[operator]
        return min(timer.repeat(number=2000, repeat=5)) / 2000 * 1e6

    stdlib_us = per_parse(http.client.parse_headers)
    ours_us = per_parse(httpcore_headers.parse_headers)
    print(
        f"   time per parse: http.client {stdlib_us:.1f} us, httpcore_headers"
        f" {ours_us:.1f} us ({stdlib_us / ours_us:.1f}x)"
    )

    print("2. A hostile block of 5000 fields is refused at the limit")
    hostile = b"".join(b"X-%d: y\r\n" % i for i in range(5000)) + b"\r\n"
    try:
        httpcore_headers.parse_headers(io.BytesIO(hostile))
    except httpcore_headers.TooManyHeaders as error:
        print(f"   TooManyHeaders: {error}")
        check(isinstance(error, httpcore_headers.HTTPException), "an HTTPException")
    else:
        check(False, "TooManyHeaders raised")
    wide = httpcore_headers.parse_headers(io.BytesIO(hostile), max_headers=6000)
    check(len(wide) == 5000, "accepted with max_headers=6000")

    print("3. Sans-I/O: the same response arriving 7 bytes at a time")
    buffer = bytearray()
    end = -1
    for start in range(0, len(rest), 7):
        buffer += rest[start : start + 7]
        end = httpcore_headers.find_header_block_end(buffer)
        if end >= 0:
            break
    print(f"   block complete after {len(buffer)} bytes; it ends at offset {end}")
    parsed = httpcore_headers.parse_header_block(bytes(buffer[:end]))
    check(parsed.items() == message.items(), "same fields as parse_headers")
    print("demo: every step gave the expected result")
    return 0


if __name__ == "__main__":
    sys.exit(main())
