"""The hostile server: a loopback thread that plays scripted bytes.

The i-th connection it accepts runs the i-th script; a connection beyond the
scripts answers every request with ``fresh`` (so that a test sees when the
client opened a new connection).  A script gets a :class:`Peer`: it reads
requests, sends exact bytes, and closes the way it wants (FIN, RST, or a TLS
close without ``close_notify``).  Errors a hostile server meets because the
client hung up on it are part of the game and are not reported; everything
else is, through :meth:`HostileServer.stop`.
"""

from __future__ import annotations

import contextlib
import socket
import ssl
import struct
import threading
from collections.abc import Callable, Iterable, Sequence

TIMEOUT = 3.0
FRESH = b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfresh"
SAME = b"HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nsame"


class Peer:
    """The server's side of one accepted connection."""

    def __init__(self, sock: socket.socket, received: list[bytes]) -> None:
        self.sock = sock
        self.buffer = b""
        self.received = received
        self.closed = False

    def _fill(self) -> bool:
        data = self.sock.recv(65536)
        self.received.append(data)
        self.buffer += data
        return bool(data)

    def request(self) -> bytes | None:
        """One request head and its Content-Length body; None at the end of
        the stream."""
        while b"\r\n\r\n" not in self.buffer:
            if not self._fill():
                return None
        head, _, self.buffer = self.buffer.partition(b"\r\n\r\n")
        length = 0
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        while len(self.buffer) < length:
            if not self._fill():
                return None
        body, self.buffer = self.buffer[:length], self.buffer[length:]
        return head + b"\r\n\r\n" + body

    def head(self) -> bool:
        """Wait until a request head has come, leaving it (and anything
        after it) to :meth:`request`; False at the end of the stream."""
        while b"\r\n\r\n" not in self.buffer:
            if not self._fill():
                return False
        return True

    def send(self, data: bytes) -> None:
        self.sock.sendall(data)

    def reply(self, data: bytes) -> bool:
        """Read a request and send ``data``; False when none came."""
        if self.request() is None:
            return False
        self.send(data)
        return True

    def stream(self, pieces: Iterable[bytes]) -> None:
        """Send pieces until they run out or the client stops reading."""
        try:
            for piece in pieces:
                self.sock.sendall(piece)
        except OSError:
            self.close()  # the client stopped reading and hung up

    def answer_rest(self, data: bytes) -> None:
        """Answer every further request on this connection with ``data``."""
        while self.reply(data):
            continue

    def shutdown_write(self) -> None:
        """FIN.  Over TLS without ``close_notify``: ``SSLSocket.shutdown()``
        drops the TLS session and shuts the TCP stream, a truncation
        attacker's close (RFC 9112 section 9.8)."""
        self.sock.shutdown(socket.SHUT_WR)

    def reset(self) -> None:
        """Close with RST."""
        self.sock.setsockopt(
            socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)
        )
        self.close()

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            self.sock.close()

    def tls_close(self) -> None:
        """A clean TLS close: ``close_notify``, then FIN."""
        assert isinstance(self.sock, ssl.SSLSocket)
        self.sock = self.sock.unwrap()
        self.sock.shutdown(socket.SHUT_WR)

    def finish(self) -> None:
        """The end of every script: FIN, read what the client still sends
        until it closes (closing first could reset the connection and lose
        what the client has not read yet), close."""
        if self.closed:
            return
        if not isinstance(self.sock, ssl.SSLSocket):
            self.sock.shutdown(socket.SHUT_WR)
        while self._fill():
            continue
        self.close()


Script = Callable[[Peer], None]


def fresh(peer: Peer) -> None:
    peer.answer_rest(FRESH)


class HostileServer:
    """Serves ``scripts`` on 127.0.0.1, one per connection, in a thread.

    :param tls: a server context; each connection is wrapped first.
    """

    def __init__(
        self, scripts: Sequence[Script], tls: ssl.SSLContext | None = None
    ) -> None:
        self.scripts = list(scripts)
        self.tls = tls
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(TIMEOUT)
        self.port: int = self.listener.getsockname()[1]
        self.accepts = 0
        #: What the client sent, per connection.
        self.received: list[list[bytes]] = []
        self.errors: list[BaseException] = []
        self.hangups = 0
        self._stop = threading.Event()
        self._served: list[threading.Thread] = []
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                sock, _ = self.listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return  # the listener was closed
            if self._stop.is_set():
                sock.close()
                return
            script = (
                self.scripts[self.accepts]
                if self.accepts < len(self.scripts)
                else fresh
            )
            self.accepts += 1
            received: list[bytes] = []
            self.received.append(received)
            thread = threading.Thread(
                target=self._serve, args=(sock, script, received), daemon=True
            )
            self._served.append(thread)
            thread.start()

    def _serve(
        self, sock: socket.socket, script: Script, received: list[bytes]
    ) -> None:
        sock.settimeout(TIMEOUT)
        if self.tls is not None:
            try:
                sock = self.tls.wrap_socket(sock, server_side=True)
            except OSError:
                sock.close()  # the client refused the handshake: its business
                return
        peer = Peer(sock, received)
        try:
            script(peer)
            peer.finish()
        except OSError:
            # The client hung up on a hostile script (a reset, a timeout):
            # part of the game, counted rather than reported.
            self.hangups += 1
        except BaseException as exc:
            self.errors.append(exc)
        finally:
            peer.close()

    def sent_by_client(self) -> bytes:
        return b"".join(b"".join(parts) for parts in self.received)

    def stop(self) -> None:
        self._stop.set()
        with socket.socket() as poke:
            poke.settimeout(TIMEOUT)
            # The accept thread may have left already.
            with contextlib.suppress(OSError):
                poke.connect(("127.0.0.1", self.port))
        self._thread.join(TIMEOUT)
        self.listener.close()
        for thread in self._served:
            # A script ends by the client's close, or its own timeouts.
            thread.join(TIMEOUT * 4)
        if self.errors:
            raise self.errors[0]
