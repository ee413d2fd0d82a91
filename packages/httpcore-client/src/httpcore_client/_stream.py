# A connection's stream: the buffered reader it keeps for all the responses
# on its socket, and the check that an idle connection is clean before it
# carries another request.
#
# Strategy: one io.BufferedReader per socket (what sock.makefile("rb")
# builds, on a leaner raw stream), held by a Stream object that the
# connection keeps and whose reader it hands to each response in turn.  Because
# it outlives a response, bytes that arrived behind a response -- a body on
# a HEAD or 204 answer, a peer that talks out of turn, the end of the
# stream -- would be served as the next response.  So before a request goes
# out on a connection that has already carried one, the connection must be
# idle and clean: nothing in the reader's buffer, nothing readable on the
# socket (neither data nor the peer's close), checked without blocking, as
# urllib3's is_connection_dropped() does (RFC 9112 section 9.3: a client
# must not send on a connection it cannot trust).  The check costs one
# poll() and no exception when the connection is clean.  Looking into the
# buffer costs about as much again, so it is skipped when the buffer is
# known to be empty: the last response found its head and its whole body,
# and nothing more, in the buffer, consumed them, and no read from the
# socket happened since (see settle()).
from __future__ import annotations

import errno
import io
import select
import socket
import ssl
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._timeouts import Clock

# Sockets whose connection keeps one buffered reader for all its responses
# (getresponse() gives it to each; see HTTPResponse._take_reader()); other
# objects put in ``sock`` by callers get a reader per response from
# makefile(), as in http.client.
SHARED_READER_SOCKETS = (socket.socket, ssl.SSLSocket)

# The shared reader's buffer: what one system call may fill.
_BUFFER = 64 << 10

# What socket.SocketIO.readinto() answers None for (a non-blocking socket
# with nothing to read).
_BLOCKING_ERRNOS = frozenset((errno.EAGAIN, errno.EWOULDBLOCK))


class SocketReader(socket.SocketIO):
    """The raw stream under a connection's shared reader: socket.SocketIO
    with a leaner readinto().

    Only the connection's BufferedReader calls it, and only while open, so
    the closed and readable checks SocketIO repeats on every read are left
    out; the rest -- refusing to read after a timeout, None on a
    non-blocking socket with nothing to read -- is SocketIO's.  On the
    standard library's TLS socket it reads from the socket's TLS object
    itself, as SSLSocket.recv_into() and read() would, without their two
    Python-level calls (about 3 % of a keep-alive GET over TLS; the
    connection's check that it is clean asks that object too).
    """

    # SocketIO's own attributes, which typeshed does not declare.
    _sock: socket.socket
    _timeout_occurred: bool
    # Set while _probe() looks at the buffer: the socket is known to have
    # nothing to read, so a read must not be tried (it would block).
    _probing = False
    # Reads from the socket so far, and the count at which the buffer was
    # known to be empty (see settle()).
    reads = 0
    settled_at = -1
    # Whether the stream ended without the TLS peer's close_notify: the
    # reader sees an end of stream, and whoever took that end for the end of
    # a message can ask (see ragged_eof()).
    ragged = False

    # Bytes read from the socket but given back (unread()): served before
    # the socket's.
    _pending: bytes = b""
    # Bytes received from the socket so far (for the exchange log).
    received = 0
    # The connection's timeouts by phase and deadline, if it has them
    # (_timeouts.py): armed before each receive.
    clock: Clock | None = None
    # The standard library's ssl.SSLSocket this reads from, if it is one
    # (see _direct_tls()); None for any other socket.
    _tls: ssl.SSLSocket | None = None

    def readinto(self, b: Any) -> int | None:
        if self._pending:
            return self._serve_pending(b)
        if self._probing:
            return None
        if self._timeout_occurred:
            raise OSError("cannot read from timed out object")
        self.reads += 1
        clock = self.clock
        try:
            if clock is not None:
                clock.arm(self._sock, "read")
            tls = self._tls
            # The TLS object is gone once the socket is closed or unwrapped:
            # the socket's own method then says what went wrong.
            tls_object = None if tls is None else tls._sslobj  # type: ignore[attr-defined]
            if tls_object is not None:
                count: int = tls_object.read(len(b), b)
            else:
                count = self._sock.recv_into(b)
            self.received += count
            return count
        except TimeoutError:
            self._timeout_occurred = True
            if clock is not None:
                raise clock.error("read") from None
            raise
        except ssl.SSLEOFError:
            # HTTPSConnection asks for this (suppress_ragged_eofs=False);
            # the end of the stream it is, as http.client sees it.  (A
            # socket that suppresses it would have answered 0 to recv_into().)
            if not getattr(self._sock, "suppress_ragged_eofs", False):
                self.ragged = True
            return 0
        except OSError as error:
            if error.errno in _BLOCKING_ERRNOS:
                return None
            raise

    def unread(self, data: bytes) -> None:
        """Give back ``data``, which came from this stream: the next reads
        (through the buffered reader as well) return it first."""
        if data:
            self._pending = data + self._pending
            self.reads += 1  # the buffer is no longer known to be empty

    def _serve_pending(self, buffer: Any) -> int:
        self.reads += 1
        pending = self._pending
        with memoryview(buffer) as view, view.cast("B") as target:
            size = min(len(target), len(pending))
            target[:size] = pending[:size]
        self._pending = pending[size:]
        return size


def drain(reader: io.BufferedReader[SocketReader]) -> None:
    """Give what ``reader`` has buffered back to its raw stream, so that a
    read from the raw stream (which serves it first) comes next."""
    raw = reader.raw
    raw._probing = True
    try:
        # Only what is buffered: with _probing, nothing is read from the
        # socket.
        held = reader.read1(_BUFFER)
    finally:
        raw._probing = False
    raw.unread(held)


def ragged_eof(reader: Any) -> bool:
    """Whether ``reader`` (a response's ``fp``) is a connection's shared
    reader whose TLS stream ended without the peer's close_notify: an end
    an attacker on the path can forge (RFC 9112 section 9.8)."""
    return getattr(getattr(reader, "raw", None), "ragged", False) is True


def settle(reader: io.BufferedReader[SocketReader]) -> None:
    """Record that ``reader``'s buffer ends where the response now beginning
    ends: it found its head and whole body, and nothing more, there.

    Once that response has been read to its end, the buffer is then empty
    unless the socket was read since (a caller reading ``fp`` past the
    body), and :meth:`Stream.is_stale` and :func:`buffered` need not look
    into it.  A response closed before its end calls :func:`unsettle`."""
    raw = reader.raw
    raw.settled_at = raw.reads


def unsettle(reader: io.BufferedReader[SocketReader]) -> None:
    """Forget :func:`settle`: the response ends without having read its
    bytes to the end."""
    reader.raw.settled_at = -1


def buffered(reader: io.BufferedReader[SocketReader]) -> bool:
    """Whether ``reader`` holds bytes not read yet, without reading from its
    socket (the response that settled it, if one did, has read its bytes)."""
    raw = reader.raw
    return raw.settled_at != raw.reads and _probe(reader)


def _probe(reader: io.BufferedReader[SocketReader]) -> bool:
    """Whether ``reader``'s buffer holds a byte: peek() with the socket's
    read turned off, since there is nothing to read there."""
    raw = reader.raw
    raw._probing = True
    try:
        return bool(reader.peek(1))
    finally:
        raw._probing = False


class _SelectPoller:
    """What Stream uses of a poll object, from select.select(), where
    select has no poll() (Windows, where select() has no descriptor limit
    either)."""

    def __init__(self, sock: socket.socket) -> None:
        self._sock = sock

    def poll(self, timeout: int) -> list[Any]:
        return select.select([self._sock], [], [], timeout / 1000)[0]


def _direct_tls(sock: socket.socket) -> bool:
    """Whether SocketReader may read from ``sock``'s TLS object itself: only
    on the standard library's own SSLSocket, whose recv_into() does nothing
    more.  A class put in its place (gevent and eventlet patch ssl.SSLSocket
    with one that waits cooperatively) keeps its own method."""
    return type(sock) is ssl.SSLSocket and ssl.SSLSocket.__module__ == "ssl"


def _tls_data_waiting(sock: ssl.SSLSocket) -> bool:
    """Whether a readable TLS socket has application data or its end to
    give, rather than only a record OpenSSL consumes itself (a TLS 1.3
    session ticket): one read that does not block."""
    if sock.pending():
        return True
    timeout = sock.gettimeout()
    sock.settimeout(0)
    try:
        sock.recv(1)
    except (ssl.SSLWantReadError, ssl.SSLWantWriteError):
        return False  # nothing but handshake records
    except OSError:
        return True  # the connection is broken
    finally:
        sock.settimeout(timeout)
    # A byte of data, or b"": the peer closed.  Either way the connection
    # cannot carry another request.
    return True


class Stream:
    """A connection's socket as its responses read it: one buffered reader
    for all of them, and the check that the connection is idle and clean.

    :param sock: a connected socket (one of :data:`SHARED_READER_SOCKETS`).
    """

    __slots__ = ("_poll", "_raw", "reader", "sock")

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        #: ``sock.makefile("rb")``, on a :class:`SocketReader`.
        self.reader = io.BufferedReader(SocketReader(sock, "rb"), _BUFFER)
        # As makefile() does: the socket's descriptor stays open until the
        # reader is closed, even if the socket is closed first.
        sock._io_refs += 1  # type: ignore[attr-defined]
        self._raw: SocketReader = self.reader.raw
        if _direct_tls(sock):
            self._raw._tls = sock  # type: ignore[assignment]
        # poll(0) on the socket alone, made on first use.
        self._poll: Any = None

    def close(self) -> None:
        """Close the reader (and with it the socket, if that was closed)."""
        self.reader.close()

    def is_stale(self) -> bool:
        """Whether the idle connection cannot carry another request: bytes
        are waiting in the reader or on the socket, the peer has closed it,
        or it is broken.  Never blocks.  Asked after the last response was
        read to its end; a reader closed under the connection (a caller
        closed the socket) is not for this check to judge.
        """
        # No helpers on the clean path: it runs before every request on a
        # kept-alive connection.
        reader = self.reader
        if reader.closed:
            return False
        raw = self._raw
        if raw._timeout_occurred:
            return True  # a read timed out part way: nothing left is sure
        try:
            readable = (self._poll or self._make_poll())(0)
        except (OSError, ValueError):
            return True  # closed under us
        sock = self.sock
        if type(sock) is ssl.SSLSocket:
            if readable:
                return _tls_data_waiting(sock)
            # Decrypted bytes held by OpenSSL: SSLSocket.pending(), asked of
            # its TLS object where the reader reads from that (see
            # _direct_tls()).
            tls = raw._tls
            tls_object = None if tls is None else tls._sslobj  # type: ignore[attr-defined]
            if tls_object.pending() if tls_object is not None else sock.pending():
                return True
        elif readable:
            return True
        # buffered(), spelt out: the last response may have read all that
        # the buffer held.  (Bytes given back by unread() count as
        # buffered: unread() moves the settled mark, and _probe() sees
        # them.)
        return raw.settled_at != raw.reads and _probe(reader)

    def _make_poll(self) -> Any:
        if hasattr(select, "poll"):
            poller: Any = select.poll()
            poller.register(self.sock, select.POLLIN)
        else:
            poller = _SelectPoller(self.sock)
        self._poll = poller.poll
        return self._poll
