"""A small HTTP/1.1 server built on httpcore-headers and httpcore-wire.

It shows a server author, on plain sockets and persistent connections,
:class:`httpcore_headers.HeaderBlockScanner` reading request heads and the
two halves of the chunked codec: reading a request body with
:class:`httpcore_wire.ChunkedDecoder` (or a Content-Length) and streaming a
response with :class:`httpcore_wire.ChunkedEncoder`.

Routes:

``GET /stream?chunks=N&size=S``
    N chunks of S bytes of a repeating pattern, sent with
    ``Transfer-Encoding: chunked`` as they are produced, followed by a
    ``Body-SHA256`` trailer field.
``POST /echo``
    The request body, chunked or not, streamed back chunked with a trailer
    carrying its length and SHA-256.

Run it with ``python docs/examples/chunked_server.py [PORT]``.
"""

from __future__ import annotations

import hashlib
import socket
import sys
import threading
from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import httpcore_headers
import httpcore_wire

PATTERN = bytes(range(256))


def pattern(chunks: int, size: int) -> Iterator[bytes]:
    """The body of /stream: ``chunks`` pieces of ``size`` bytes."""
    data = (PATTERN * (size // len(PATTERN) + 1))[:size]
    for _ in range(chunks):
        yield data


class Connection:
    """One client connection: reads requests, writes responses, repeats."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.buffer = b""  # received bytes not used yet

    def receive(self) -> bytes:
        data = self.sock.recv(65536)
        if not data:
            raise ConnectionError("client closed the connection")
        return data

    def read_head(self) -> tuple[str, str, httpcore_headers.HTTPMessage] | None:
        """The next request's method, target and header fields, or ``None``
        when the client closed the connection between requests."""
        while b"\n" not in self.buffer:
            if len(self.buffer) > 65536:
                raise httpcore_headers.LineTooLong("request line")
            data = self.sock.recv(65536)
            if not data:
                return None
            self.buffer += data
        line, _, rest = self.buffer.partition(b"\n")
        method, target, _version = line.decode("ascii").split()
        # The scanner applies the header limits as the bytes arrive and looks
        # at each byte once, however the block is split.
        scanner = httpcore_headers.HeaderBlockScanner()
        end = scanner.feed(rest)
        while end < 0:
            end = scanner.feed(self.receive())
        fields = httpcore_headers.parse_header_block(bytes(scanner.data[:end]))
        self.buffer = bytes(scanner.data[end:])
        return method, target, fields

    def read_body(self, fields: httpcore_headers.HTTPMessage) -> Iterator[bytes]:
        """The request body, piece by piece, as it arrives."""
        framing = httpcore_wire.request_framing(fields)
        if (fields.get("Expect") or "").lower() == "100-continue":
            # The client waits for this before it sends the body (RFC 9110
            # section 10.1.1); curl waits a second for it.
            self.sock.sendall(b"HTTP/1.1 100 Continue\r\n\r\n")
        if framing.chunked:
            decoder = httpcore_wire.ChunkedDecoder()
            data, self.buffer = self.buffer, b""
            while True:
                for piece in decoder.feed(data):
                    yield bytes(piece)
                if decoder.done:
                    self.buffer = decoder.unused
                    return
                data = self.receive()
        left = framing.length or 0
        while left:
            if not self.buffer:
                self.buffer = self.receive()
            data, self.buffer = self.buffer[:left], self.buffer[left:]
            left -= len(data)
            yield data

    def send_chunked(
        self, status: str, body: Iterator[bytes], trailer: dict[str, str]
    ) -> None:
        """Send a response whose body is produced as it goes, chunked."""
        self.sock.sendall(
            f"HTTP/1.1 {status}\r\nTransfer-Encoding: chunked\r\n"
            f"Trailer: {', '.join(trailer)}\r\n\r\n".encode("ascii")
        )
        encoder = httpcore_wire.ChunkedEncoder()
        for data in body:
            self.sock.sendmsg(encoder.chunk(data))
        self.sock.sendall(encoder.last_chunk(trailer))

    def serve(self) -> None:
        while (head := self.read_head()) is not None:
            method, target, fields = head
            url = urlsplit(target)
            if method == "GET" and url.path == "/stream":
                query = parse_qs(url.query)
                chunks = int(query.get("chunks", ["4"])[0])
                size = int(query.get("size", ["1024"])[0])
                digest = hashlib.sha256()
                for data in pattern(chunks, size):
                    digest.update(data)
                self.send_chunked(
                    "200 OK", pattern(chunks, size), {"Body-SHA256": digest.hexdigest()}
                )
            elif method == "POST" and url.path == "/echo":
                body = b"".join(self.read_body(fields))
                trailer = {
                    "Body-Length": str(len(body)),
                    "Body-SHA256": hashlib.sha256(body).hexdigest(),
                }
                self.send_chunked("200 OK", iter([body[:1000], body[1000:]]), trailer)
            else:
                self.sock.sendall(
                    b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"
                )


def serve_forever(listener: socket.socket) -> None:
    """Accept connections on ``listener`` until it is closed."""
    while True:
        try:
            sock, _ = listener.accept()
        except OSError:
            return
        threading.Thread(target=handle, args=(sock,), daemon=True).start()


def handle(sock: socket.socket) -> None:
    with sock:
        try:
            Connection(sock).serve()
        except (ConnectionError, httpcore_headers.HTTPException) as error:
            # A client that goes away or sends garbage loses its connection.
            print(f"connection closed: {error}", file=sys.stderr)


def main() -> int:
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 8080
    listener = socket.create_server(("127.0.0.1", port))
    print(f"serving on http://127.0.0.1:{listener.getsockname()[1]}/")
    serve_forever(listener)
    return 0


if __name__ == "__main__":
    sys.exit(main())
