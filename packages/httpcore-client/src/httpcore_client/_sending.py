# Sending a request: the bytes of its head and its body, as http.client's
# HTTPConnection sends them.
#
# Strategy: http.client's methods, which subclasses override or call
# (botocore replaces _send_output() and send(), urllib3 calls send()):
# putrequest() and putheader() add lines with _output(), _send_output()
# sends the head, then the body, and send() is the one place bytes leave
# (raising the audit event http.client.send); with Expect: 100-continue,
# the body waits for the server's word (_expect.py).  A small bytes body leaves in
# the head's send(); a regular file goes with os.sendfile() (_sendfile.py);
# files and iterables are read by httpcore_wire.body_chunks(), chunk-encoded
# by ChunkedEncoder when asked.
from __future__ import annotations

import io
import socket
import sys
import time
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from httpcore_wire import ChunkedEncoder, body_chunks

from . import _debug
from ._exceptions import NotConnected
from ._sendfile import regular_file, send_file

if TYPE_CHECKING:
    from ._exchange_log import Exchange
    from ._heads import RememberedHeads
    from ._timeouts import Clock

# A bytes body up to this size goes out in the same send() as the head:
# one system call, one TCP segment for a small request.
_JOIN_BODY = 65536


class BodySending:
    """The part of :class:`~httpcore_client.HTTPConnection` that sends."""

    if TYPE_CHECKING:
        sock: Any
        auto_open: int
        debuglevel: int
        blocksize: int
        _buffer: list[bytes]
        _heads: RememberedHeads
        _http_vsn: int
        _clock: Clock | None
        _exchange: Exchange | None
        _serial: int

        def connect(self) -> None: ...
        def close(self) -> None: ...
        def _waits_for_continue(self) -> bool: ...
        def _continue_granted(self) -> bool: ...

    @staticmethod
    def _is_textIO(stream: object) -> bool:
        """Whether a body is a text stream (encoded ISO-8859-1 when sent)."""
        return isinstance(stream, io.TextIOBase)

    def send(self, data: Any) -> None:
        """Send ``data`` to the server: bytes-like, a file (read in
        ``blocksize`` pieces) or an iterable of bytes-like objects. Raises the
        audit event ``http.client.send`` for each piece.

        :raises NotConnected: not connected and ``auto_open`` is false.
        """
        if self.sock is None:
            if not self.auto_open:
                raise NotConnected()
            exchange = self._exchange
            if exchange is None:
                self.connect()
            else:
                start = time.monotonic()
                self.connect()
                exchange.connect = time.monotonic() - start
                exchange.connection = self._serial
                exchange.sent = 0  # a tunnel's CONNECT is not the request's
        if self.debuglevel > 0:
            _debug.emit("send:", repr(data))
        if self._clock is None and self._exchange is None:
            sendall = self.sock.sendall
        else:
            sendall = self._sendall_watched
        if hasattr(data, "read"):
            if self.debuglevel > 0:
                _debug.emit("sending a readable")
            if self._is_textIO(data) and self.debuglevel > 0:
                _debug.emit("encoding file using iso-8859-1")
            for block in body_chunks(data, self.blocksize):
                sys.audit("http.client.send", self, block)
                sendall(block)
            return
        sys.audit("http.client.send", self, data)
        try:
            sendall(data)
        except TypeError:
            if not isinstance(data, Iterable):
                raise TypeError(
                    "data should be a bytes-like object or an iterable, "
                    f"got {type(data)!r}"
                ) from None
            for piece in data:
                sendall(piece)

    def _sendall_watched(self, data: Any) -> None:
        """``sock.sendall(data)`` within the write timeout and what is left
        of the deadline (_timeouts.py), counted for the exchange log
        (_exchange_log.py)."""
        clock = self._clock
        if clock is None:
            self.sock.sendall(data)
        else:
            try:
                clock.arm(self.sock, "write")
                self.sock.sendall(data)
            except TimeoutError as error:
                raise clock.error("write") from error
        exchange = self._exchange
        if exchange is not None:
            exchange.sent += memoryview(data).nbytes

    def _output(self, line: bytes) -> None:
        """Add a line (without its CRLF) to the request being built."""
        self._buffer.append(line)

    def _read_readable(self, readable: Any) -> Iterable[bytes | bytearray | memoryview]:
        if self.debuglevel > 0:
            _debug.emit("reading a readable")
        if self._is_textIO(readable) and self.debuglevel > 0:
            _debug.emit("encoding file using iso-8859-1")
        yield from body_chunks(readable, self.blocksize)

    def _send_output(
        self, message_body: Any = None, encode_chunked: bool = False
    ) -> None:
        """Send the request head built so far, then ``message_body``."""
        self._buffer.extend((b"", b""))
        head = b"\r\n".join(self._buffer)
        del self._buffer[:]
        if message_body is None:
            self._heads.store(head)
            self.send(head)
            return
        # An empty body has nothing to withhold.
        waits = self._waits_for_continue() and not (
            isinstance(message_body, bytes) and not message_body
        )
        if (
            not waits
            and not encode_chunked
            and isinstance(message_body, bytes)
            and len(message_body) <= _JOIN_BODY
        ):
            self.send(head + message_body)
            return
        chunked = encode_chunked and self._http_vsn == 11
        chunks: Iterable[Any] | None = None
        if not hasattr(message_body, "read"):
            # A body of the wrong type is refused before anything is sent
            # (http.client sends the head first, then raises TypeError).
            chunks = body_chunks(
                message_body,
                self.blocksize,
                on_empty=self._empty_chunk if self.debuglevel > 0 else None,
            )
        self.send(head)
        if waits and not self._continue_granted():
            return  # a response came instead of 100 Continue

        if chunks is None:
            if self._sendfile(message_body, chunked):
                return
            # A file takes precedence over a buffer, so that the current
            # position of an mmap is honoured.
            chunks = self._read_readable(message_body)
        # Neither source yields empty pieces (an empty chunk would end the
        # body); body_chunks() reports the skipped ones through on_empty.
        if not chunked:
            for chunk in chunks:
                self.send(chunk)
            return
        encoder = ChunkedEncoder()
        for chunk in chunks:
            self.send(encoder.chunk_bytes(chunk))
        self.send(encoder.last_chunk())

    def _empty_chunk(self) -> None:
        _debug.emit("Zero length chunk ignored")

    def _sendfile(self, body: Any, chunked: bool) -> bool:
        """Send a regular binary file with os.sendfile() (see
        :mod:`._sendfile`); returns False, having sent nothing, when that
        does not apply."""
        sock = self.sock
        if (
            type(sock) is not socket.socket
            or self.debuglevel > 0
            or self._clock is not None
            or self._exchange is not None
            or type(self).send is not BodySending.send
            or self._is_textIO(body)
        ):
            return False
        place = regular_file(body)
        if place is None:
            return False
        send_file(self, sock, body, place, chunked)
        return True
