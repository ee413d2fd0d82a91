"""A server of chunked bodies for bench_chunked.py, run in its own process.

``python chunked_origin.py PORT_FILE``: listens on a free port of 127.0.0.1,
writes it to PORT_FILE, and answers every ``GET /<chunk size>`` on a
keep-alive connection with a 32 MiB body in chunks of that size (built once,
sent with one sendall()), until it is terminated.
"""

from __future__ import annotations

import os
import socket
import sys
import threading

TOTAL = 32 << 20
SIZES = (1024, 16384)


def _bodies() -> dict[bytes, bytes]:
    bodies = {}
    for size in SIZES:
        chunk = b"%x\r\n" % size + os.urandom(size) + b"\r\n"
        bodies[b"/%d" % size] = chunk * (TOTAL // size) + b"0\r\n\r\n"
    return bodies


def _serve(sock: socket.socket, bodies: dict[bytes, bytes]) -> None:
    with sock, sock.makefile("rb") as requests:
        while line := requests.readline():
            while requests.readline() not in (b"\r\n", b""):
                continue
            body = bodies[line.split()[1]]
            sock.sendall(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
            sock.sendall(body)


def main() -> None:
    bodies = _bodies()
    listener = socket.create_server(("127.0.0.1", 0))
    with open(sys.argv[1], "w") as port_file:
        port_file.write(str(listener.getsockname()[1]))
    while True:
        sock, _ = listener.accept()
        threading.Thread(target=_serve, args=(sock, bodies), daemon=True).start()


if __name__ == "__main__":
    main()
