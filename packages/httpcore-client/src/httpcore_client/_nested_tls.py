# TLS inside TLS: the session with the origin server, carried inside the
# session with an HTTPS proxy, through the CONNECT tunnel the proxy opened
# (RFC 9110 section 9.3.6).
#
# Strategy: the kernel's socket already belongs to the outer session, so the
# inner one cannot be another ssl.SSLSocket; it is an ssl.SSLObject over two
# memory BIOs, pumped through the outer SSLSocket: what the SSLObject wants
# to send is flushed with sendall(), and when it wants to read, one recv()
# of the outer session feeds it (as urllib3's SSLTransport and asyncio's
# SSL protocol do).  The class offers what HTTPConnection and HTTPResponse
# use of a socket -- sendall(), recv_into(), makefile("rb"), timeouts, the
# peer's certificate -- and the TLS details callers inspect (version(),
# cipher(), selected_alpn_protocol(), getpeercert()), those of the inner
# session.  makefile() readers keep the connection open after close() until
# they are closed, as a socket's do, so that a response can finish its body
# after its connection let it go.
from __future__ import annotations

import io
import ssl
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._timeouts import Clock

# Bytes of the outer session read at a time: TLS records are at most 16 KiB
# of data, plus their overhead.
_RECEIVE = 32 << 10


class NestedTLSSocket:
    """A TLS session inside ``sock``, an established TLS session with a
    proxy; the handshake runs in the constructor.

    :param sock: the proxy's socket, after the proxy has opened the tunnel.
    :param context: the context for the origin server.
    :param server_hostname: the origin's name: sent as SNI, and checked
        against its certificate when the context checks host names.
    :param suppress_ragged_eofs: take an end of the stream without the
        origin's close_notify for the end of the data (as
        :class:`ssl.SSLSocket`'s option of that name does).
    :raises ssl.SSLError: the handshake failed
        (:exc:`ssl.SSLCertVerificationError` for a certificate or name that
        did not verify).
    """

    def __init__(
        self,
        sock: ssl.SSLSocket,
        context: ssl.SSLContext,
        server_hostname: str | None,
        *,
        suppress_ragged_eofs: bool = False,
    ) -> None:
        self._sock = sock
        self._incoming = ssl.MemoryBIO()
        self._outgoing = ssl.MemoryBIO()
        self._tls = context.wrap_bio(
            self._incoming, self._outgoing, server_hostname=server_hostname
        )
        self.context = context
        self.server_hostname = server_hostname
        self.suppress_ragged_eofs = suppress_ragged_eofs
        self._io_refs = 0
        self._closed = False
        #: The connection's timeouts by phase and deadline, if it has them:
        #: armed before each receive from the proxy's session.
        self.clock: Clock | None = None
        self._pump(self._tls.do_handshake)

    def _pump(self, operation: Callable[..., Any], *args: Any) -> Any:
        """Run an operation of the inner session, feeding it from the outer
        one until it completes, and flush what it wrote."""
        while True:
            try:
                result = operation(*args)
            except ssl.SSLWantReadError:
                self._flush()
                data = self._receive()
                if data:
                    self._incoming.write(data)
                else:
                    self._incoming.write_eof()
                continue
            self._flush()
            return result

    def _receive(self) -> bytes:
        """One receive from the proxy's session, within the connection's
        read timeout and deadline if it has them (_timeouts.py)."""
        clock = self.clock
        if clock is None:
            return self._sock.recv(_RECEIVE)
        try:
            clock.arm(self._sock, "read")
            return self._sock.recv(_RECEIVE)
        except TimeoutError as error:
            raise clock.error("read") from error

    def _flush(self) -> None:
        data = self._outgoing.read()
        if data:
            self._sock.sendall(data)

    # -- what HTTPConnection and HTTPResponse use ------------------------------

    def sendall(self, data: Any) -> None:
        """Send all of ``data`` (a bytes-like object) to the origin."""
        with memoryview(data) as view, view.cast("B") as octets:
            # SSLObject.write() takes all of a buffer or raises.
            self._pump(self._tls.write, octets)

    def send(self, data: Any) -> int:
        """Send ``data``; returns its length (all of it is sent)."""
        self.sendall(data)
        return memoryview(data).nbytes

    def recv_into(self, buffer: Any, nbytes: int = 0) -> int:
        """Read up to ``nbytes`` (or the buffer's size) of the origin's data
        into ``buffer``; 0 at the end of the stream."""
        with memoryview(buffer) as view, view.cast("B") as octets:
            size = nbytes or len(octets)
            if not size:
                return 0
            try:
                count: int = self._pump(self._tls.read, size, octets)
            except ssl.SSLZeroReturnError:
                return 0  # the origin's close_notify
            except ssl.SSLEOFError:
                if self.suppress_ragged_eofs:
                    return 0
                raise
            return count

    def recv(self, size: int) -> bytes:
        """Read up to ``size`` bytes of the origin's data."""
        buffer = bytearray(size)
        return bytes(buffer[: self.recv_into(buffer)])

    def makefile(self, mode: str = "r", buffering: int | None = None) -> Any:
        """A buffered binary reader of the origin's data (only ``"rb"``)."""
        if mode != "rb":
            raise ValueError(f"unsupported mode {mode!r}: only 'rb' is")
        self._io_refs += 1
        reader = _Reader(self)
        if buffering == 0:
            return reader
        return io.BufferedReader(reader, buffering or io.DEFAULT_BUFFER_SIZE)

    def _decref_socketios(self) -> None:
        self._io_refs -= 1
        if self._closed and self._io_refs <= 0:
            self._sock.close()

    def close(self) -> None:
        """Close the connection, once the readers of :meth:`makefile` are
        closed too."""
        if not self._closed:
            self._closed = True
            if self._io_refs <= 0:
                self._sock.close()

    def fileno(self) -> int:
        return self._sock.fileno()

    def settimeout(self, timeout: float | None) -> None:
        self._sock.settimeout(timeout)

    def gettimeout(self) -> float | None:
        return self._sock.gettimeout()

    def setsockopt(self, *args: Any) -> None:
        self._sock.setsockopt(*args)

    def getsockname(self) -> Any:
        return self._sock.getsockname()

    def getpeername(self) -> Any:
        """The proxy's address: the origin's is the proxy's to know."""
        return self._sock.getpeername()

    # -- the inner session's TLS details ---------------------------------------

    def getpeercert(self, binary_form: bool = False) -> Any:
        """The origin server's certificate."""
        return self._tls.getpeercert(binary_form)

    def version(self) -> str | None:
        return self._tls.version()

    def cipher(self) -> tuple[str, str, int] | None:
        return self._tls.cipher()

    def selected_alpn_protocol(self) -> str | None:
        return self._tls.selected_alpn_protocol()

    def pending(self) -> int:
        return self._tls.pending()

    @property
    def proxy_socket(self) -> ssl.SSLSocket:
        """The TLS socket of the proxy, which carries this session."""
        return self._sock


class _Reader(io.RawIOBase):
    """The raw stream under :meth:`NestedTLSSocket.makefile`."""

    def __init__(self, sock: NestedTLSSocket) -> None:
        self._sock: NestedTLSSocket | None = sock
        #: Bytes read through this reader (for the exchange log).
        self.received = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self._sock is None:
            raise ValueError("I/O operation on closed file.")
        count = self._sock.recv_into(buffer)
        self.received += count
        return count

    def fileno(self) -> int:
        if self._sock is None:
            raise ValueError("I/O operation on closed file.")
        return self._sock.fileno()

    def close(self) -> None:
        if self._sock is not None:
            sock, self._sock = self._sock, None
            sock._decref_socketios()
        super().close()
