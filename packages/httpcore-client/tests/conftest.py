# Shared machinery for the httpcore_client tests, handed out as fixtures
# (with --import-mode=importlib a test module cannot import this file).
#
# Strategy: every test talks to a real loopback server.  A server thread
# accepts one connection per handler it was given, in order, and each
# handler plays exact bytes on its connection: it reads whole requests
# (framed by their Content-Length or chunked coding, parsed here without
# the package under test), sends scripted responses, and signals the test
# through threading.Event where the order of events matters.  Nothing
# sleeps; every socket has a timeout, so a test that goes wrong fails
# instead of hanging.  Server-side errors are raised in the test at teardown,
# and a handler that never got its connection is an error too.
from __future__ import annotations

import contextlib
import dataclasses
import errno
import socket
import ssl
import struct
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeAlias, TypeVar

import pytest
import trustme

TIMEOUT = 5.0
"""Seconds any socket operation may block, in the server and the clients."""

_C = TypeVar("_C")


class Peer:
    """The server's side of one accepted connection."""

    def __init__(self, sock: socket.socket, server: ScriptedServer) -> None:
        self.sock = sock
        self.server = server
        self.buffer = b""
        self.closed = False
        self.write_closed = False
        #: The client may close with bytes of ours unread (it stopped at an
        #: error), which resets the connection: treat that as its close.
        self.may_reset = False

    # -- reading -------------------------------------------------------------

    def _fill(self) -> bool:
        data = self.sock.recv(65536)
        self.buffer += data
        return bool(data)

    def _need(self, size: int) -> None:
        while len(self.buffer) < size:
            if not self._fill():
                raise EOFError(f"client closed after {self.buffer!r}")

    def _line_end(self, start: int) -> int:
        while (end := self.buffer.find(b"\r\n", start)) < 0:
            if not self._fill():
                raise EOFError(f"client closed inside a line: {self.buffer!r}")
        return end + 2

    def recv_head(self) -> bytes:
        """Read and return one request head (up to the empty line), leaving
        its body unread."""
        while (end := self.buffer.find(b"\r\n\r\n")) < 0:
            if not self._fill():
                raise EOFError(f"client closed before a request: {self.buffer!r}")
        head, self.buffer = self.buffer[: end + 4], self.buffer[end + 4 :]
        return head

    def recv_request(self) -> bytes:
        """Read one complete request and return its exact bytes: the head,
        then a body framed by Content-Length or the chunked coding."""
        head = self.recv_head()
        fields: dict[str, str] = {}
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.decode("latin-1").partition(":")
            if name:
                fields[name.strip().lower()] = value.strip()
        if fields.get("transfer-encoding", "").lower() == "chunked":
            pos = 0
            while True:
                end = self._line_end(pos)
                size = int(self.buffer[pos:end].split(b";")[0], 16)
                pos = end
                if size == 0:
                    break
                self._need(pos + size + 2)
                pos += size + 2
            while True:  # the trailer section, up to its empty line
                end = self._line_end(pos)
                line_is_empty = end - pos == 2
                pos = end
                if line_is_empty:
                    break
            size = pos
        else:
            size = int(fields.get("content-length", "0"))
            self._need(size)
        body, self.buffer = self.buffer[:size], self.buffer[size:]
        request = head + body
        with self.server.lock:
            self.server.requests.append(request)
        return request

    def recv_body(self, size: int) -> bytes:
        """Read exactly ``size`` bytes."""
        self._need(size)
        data, self.buffer = self.buffer[:size], self.buffer[size:]
        return data

    def recv_until_eof(self) -> bytes:
        """Everything the client sends until it closes the connection, also
        recorded in the server's :attr:`~ScriptedServer.requests`."""
        data = self._drain()
        with self.server.lock:
            self.server.requests.append(data)
        return data

    def _drain(self) -> bytes:
        try:
            while self._fill():
                continue
        except ConnectionResetError:
            if not self.may_reset:
                raise
        data, self.buffer = self.buffer, b""
        return data

    # -- writing -------------------------------------------------------------

    def send(self, data: bytes) -> None:
        self.sock.sendall(data)

    def reply(self, response: bytes) -> bytes:
        """Read one request, send ``response``; return the request."""
        request = self.recv_request()
        self.send(response)
        return request

    def start_tls(self, context: ssl.SSLContext) -> None:
        """Turn this connection into the server side of a TLS session."""
        assert not self.buffer, f"bytes before the TLS handshake: {self.buffer!r}"
        try:
            self.sock = context.wrap_socket(self.sock, server_side=True)
        except BaseException:
            # wrap_socket() took the socket over, and closed it on failure.
            self.closed = True
            raise

    # -- closing ---------------------------------------------------------------

    def shutdown_write(self) -> None:
        """Send FIN: the client reads end of file, the server can still read."""
        if not self.write_closed:
            self.write_closed = True
            try:
                self.sock.shutdown(socket.SHUT_WR)
            except OSError as error:
                # The client may already have reset the connection.
                if not (self.may_reset and error.errno == errno.ENOTCONN):
                    raise

    def reset(self) -> None:
        """Close with RST (SO_LINGER 0): the client's next receive fails with
        ConnectionResetError."""
        self.sock.setsockopt(
            socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)
        )
        self.close()

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            self.sock.close()

    def finish(self) -> None:
        """End the connection once the client is done: FIN (plain TCP), read
        until the client closes, then close.  Closing while the client still
        sends could reset the connection and discard what it has not read."""
        if self.closed:
            return
        if not isinstance(self.sock, ssl.SSLSocket):
            self.shutdown_write()
        leftover = self._drain()
        self.close()
        assert leftover == b"", f"the client sent more than scripted: {leftover!r}"


Handler: TypeAlias = Callable[[Peer], None]


class ScriptedServer:
    """A loopback server thread: the i-th accepted connection is given to
    the i-th handler, then finished (see :meth:`Peer.finish`).

    :param handlers: one per connection the test expects.
    :param family: ``AF_INET`` (127.0.0.1) or ``AF_INET6`` (::1).
    :param tls: a server context: every connection is wrapped before its
        handler runs; a failed handshake is recorded in :attr:`tls_errors`
        and ends that connection.
    :param required: whether every handler must get its connection (for
        tests where the client may refuse before it connects, False).
    :param timeout: how long any server-side socket operation may block.
    """

    def __init__(
        self,
        handlers: Sequence[Handler],
        *,
        family: socket.AddressFamily = socket.AF_INET,
        tls: ssl.SSLContext | None = None,
        required: bool = True,
        timeout: float = TIMEOUT,
    ) -> None:
        self.handlers = list(handlers)
        self.timeout = timeout
        self.tls = tls
        self.required = required
        self.host = "127.0.0.1" if family == socket.AF_INET else "::1"
        self.listener = socket.socket(family, socket.SOCK_STREAM)
        self.listener.settimeout(timeout)
        self.listener.bind((self.host, 0))
        self.listener.listen(8)
        self.port: int = self.listener.getsockname()[1]
        self.lock = threading.Lock()
        self.accepts = 0
        self.handled = 0
        #: Every request the handlers read, in order.
        self.requests: list[bytes] = []
        self.errors: list[BaseException] = []
        self.tls_errors: list[OSError] = []
        #: Set once every handler has run.
        self.finished = threading.Event()
        self._stopping = threading.Event()
        self._poke_address: tuple[Any, ...] = ()
        self._stopped = False
        self._thread = threading.Thread(target=self._run, name="scripted-server")
        self._thread.daemon = True

    @property
    def address(self) -> tuple[str, int]:
        return self.host, self.port

    def start(self) -> None:
        self._thread.start()

    def _accept(self) -> socket.socket | None:
        sock, address = self.listener.accept()
        if self._stopping.is_set() and address[:2] == self._poke_address[:2]:
            sock.close()
            return None
        sock.settimeout(self.timeout)
        with self.lock:
            self.accepts += 1
        return sock

    def _run(self) -> None:
        try:
            for handler in self.handlers:
                sock = self._accept()
                if sock is None:
                    return
                self._serve(sock, handler)
            self.finished.set()
            # Any further connection is one the test did not expect.
            while (sock := self._accept()) is not None:
                self.errors.append(AssertionError("an unexpected connection"))
                sock.close()
        except BaseException as exc:
            if not self._stopping.is_set():
                self.errors.append(exc)

    def _serve(self, sock: socket.socket, handler: Handler) -> None:
        self.handled += 1
        if self.tls is not None:
            try:
                sock = self.tls.wrap_socket(sock, server_side=True)
            except OSError as exc:  # ssl.SSLError, or a reset by the client
                self.tls_errors.append(exc)
                sock.close()
                return
        peer = Peer(sock, self)
        try:
            handler(peer)
            peer.finish()
        except BaseException as exc:
            self.errors.append(exc)
        finally:
            peer.close()

    def wait(self) -> None:
        """Wait until every handler has run; raise what went wrong there."""
        finished = self.finished.wait(TIMEOUT)
        if self.errors:
            raise self.errors[0]
        assert finished, "the scripted connections did not all end"

    def stop(self) -> None:
        """Stop accepting, wait for the thread, raise what went wrong there
        (once: a second call does nothing)."""
        if self._stopped:
            return
        self._stopped = True
        # Wake a blocking accept() up with a connection of our own: the
        # thread recognises it by its address and leaves.
        with socket.socket(self.listener.family, socket.SOCK_STREAM) as poke:
            poke.settimeout(TIMEOUT)
            poke.bind((self.host, 0))
            self._poke_address = poke.getsockname()
            self._stopping.set()
            with contextlib.suppress(OSError):  # the listener may be gone
                poke.connect(self.address)
        self._thread.join(TIMEOUT * 2)
        self.listener.close()
        assert not self._thread.is_alive(), "the server thread did not finish"
        if self.errors:
            raise self.errors[0]
        assert self.handled == len(self.handlers) or not self.required, (
            f"{len(self.handlers) - self.handled} scripted connection(s) never came"
        )


class Loopback:
    """Starts servers and opens client connections for one test; closes the
    connections, then stops the servers, when the test ends."""

    def __init__(self) -> None:
        self.servers: list[ScriptedServer] = []
        self.closables: list[Any] = []

    def serve(
        self,
        *handlers: Handler,
        family: socket.AddressFamily = socket.AF_INET,
        tls: ssl.SSLContext | None = None,
        required: bool = True,
        timeout: float = TIMEOUT,
    ) -> ScriptedServer:
        server = ScriptedServer(
            handlers, family=family, tls=tls, required=required, timeout=timeout
        )
        self.servers.append(server)
        server.start()
        return server

    def track(self, closable: _C) -> _C:
        """Close ``closable`` (a connection or a response) at the end."""
        self.closables.append(closable)
        return closable

    def connect(
        self, server: ScriptedServer, cls: Callable[..., _C], **kwargs: Any
    ) -> _C:
        """``cls(server.host, server.port, timeout=TIMEOUT, **kwargs)``."""
        kwargs.setdefault("timeout", TIMEOUT)
        return self.track(cls(server.host, server.port, **kwargs))

    @staticmethod
    def replies(*responses: bytes, then: Handler | None = None) -> Handler:
        """A handler that answers one request with each response in turn,
        then runs ``then`` if given."""

        def handler(peer: Peer) -> None:
            for response in responses:
                peer.reply(response)
            if then is not None:
                then(peer)

        return handler

    @staticmethod
    def sends(data: bytes) -> Handler:
        """A handler that reads a request, sends ``data`` and closes its side
        (FIN): for responses that end with the connection, and for scripts
        the client may stop reading at an error."""

        def handler(peer: Peer) -> None:
            peer.may_reset = True
            peer.recv_request()
            peer.send(data)
            peer.shutdown_write()

        return handler

    @staticmethod
    def records() -> Handler:
        """A handler that reads everything the client sends until it closes."""

        def handler(peer: Peer) -> None:
            peer.recv_until_eof()

        return handler

    def close(self) -> None:
        # Everything is closed and stopped even when something fails, so
        # that no socket or thread outlives the test; the first error wins.
        errors: list[BaseException] = []
        for closable in reversed(self.closables):
            try:
                closable.close()
            except Exception as exc:
                errors.append(exc)
        for server in self.servers:
            try:
                server.stop()
            except BaseException as exc:
                errors.append(exc)
        if errors:
            raise errors[0]


@pytest.fixture
def loopback() -> Iterator[Loopback]:
    scene = Loopback()
    try:
        yield scene
    finally:
        scene.close()


# -- audit events -------------------------------------------------------------


class AuditLog:
    """Records the ``http.client.*`` audit events while a test asks for it.

    Audit hooks cannot be removed, so one is installed per session and only
    appends while :attr:`recording` is set.
    """

    def __init__(self) -> None:
        self.recording = False
        self.events: list[tuple[str, tuple[Any, ...]]] = []

    def hook(self, event: str, args: tuple[Any, ...]) -> None:
        if self.recording and event.startswith("http.client."):
            self.events.append((event, args))

    def of(self, connection: object) -> list[tuple[str, tuple[Any, ...]]]:
        """The events raised for ``connection``, its arguments after it."""
        return [
            (event, args[1:]) for event, args in self.events if args[0] is connection
        ]


@pytest.fixture(scope="session")
def _audit_log() -> AuditLog:
    log = AuditLog()
    sys.addaudithook(log.hook)
    return log


@pytest.fixture
def audit(_audit_log: AuditLog) -> Iterator[AuditLog]:
    _audit_log.events.clear()
    _audit_log.recording = True
    try:
        yield _audit_log
    finally:
        _audit_log.recording = False
        _audit_log.events.clear()


# -- TLS ----------------------------------------------------------------------


@dataclasses.dataclass
class TLS:
    """Session-wide certificates, and contexts made from them per test."""

    ca: trustme.CA
    other_ca: trustme.CA
    cert: trustme.LeafCert
    ca_file: str

    def server_context(
        self, sni_names: list[str | None] | None = None
    ) -> ssl.SSLContext:
        """A server context for ``localhost``, ``127.0.0.1`` and ``::1`` that
        selects ALPN ``http/1.1`` when offered and records the SNI of every
        handshake in ``sni_names``."""
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        self.cert.configure_cert(context)
        context.set_alpn_protocols(["http/1.1"])
        # No TLS 1.3 session tickets: a client that closes without reading
        # them would reset the connection under the server.
        context.num_tickets = 0
        if sni_names is not None:
            names = sni_names

            def record(
                sock: ssl.SSLObject,
                name: str | None,
                context: ssl.SSLContext,
            ) -> None:
                names.append(name)

            context.sni_callback = record
        return context

    def client_context(self, ca: trustme.CA | None = None) -> ssl.SSLContext:
        """A client context that trusts ``ca`` (by default the right one)."""
        context = ssl.create_default_context()
        (ca or self.ca).configure_trust(context)
        return context


@pytest.fixture(scope="session")
def tls(tmp_path_factory: pytest.TempPathFactory) -> TLS:
    ca = trustme.CA()
    ca_file = tmp_path_factory.mktemp("tls") / "ca.pem"
    ca_file.write_bytes(ca.cert_pem.bytes())
    return TLS(
        ca=ca,
        other_ca=trustme.CA(),
        cert=ca.issue_cert("localhost", "127.0.0.1", "::1"),
        ca_file=str(ca_file),
    )


def _ipv6_loopback() -> bool:
    if not socket.has_ipv6:
        return False
    try:
        with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as probe:
            probe.bind(("::1", 0))
    except OSError:
        return False
    return True


@pytest.fixture(scope="session")
def ipv6() -> None:
    """Skips the test when ::1 cannot be bound."""
    if not _ipv6_loopback():
        pytest.skip("no IPv6 loopback")


# -- helpers ------------------------------------------------------------------


def exception_chain(exc: BaseException | None) -> list[BaseException]:
    """``exc`` and its causes and contexts, outermost first."""
    chain: list[BaseException] = []
    while exc is not None and exc not in chain:
        chain.append(exc)
        exc = exc.__cause__ or exc.__context__
    return chain


@pytest.fixture(scope="session", name="exception_chain")
def exception_chain_fixture() -> Callable[[BaseException | None], list[BaseException]]:
    return exception_chain
