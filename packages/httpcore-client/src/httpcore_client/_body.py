# Reading a body: the read methods of HTTPResponse, and the accounting of
# a body delimited by Content-Length or by the end of the connection.
#
# Strategy: every read method first settles what the response allows (a
# body refused for its Content-Length, a HEAD answer, a body already read),
# hands a chunked body to ChunkedReading (_chunked_body.py), and reads any
# other straight from ``fp``, clipped to what is left of the declared
# length -- never allocating from that length (gh-119451): read() of the
# whole body grows its buffer as the bytes arrive (_collect.py).  _count()
# keeps ``length`` and ends the response at the end of the body; a
# connection that ends early is not used again, and a TLS stream that ends
# without close_notify is not taken for the end of a body that runs until
# the close (RFC 9112 section 9.8).
from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any, NoReturn

from httpcore_wire import IncompleteRead, InvalidContentLength

from ._collect import READ_PIECE, collect
from ._stream import ragged_eof


class BodyReading:
    """The part of :class:`~httpcore_client.HTTPResponse` that reads the
    body."""

    if TYPE_CHECKING:
        fp: Any
        length: Any
        chunked: Any
        enforce_content_length: bool
        _method: str | None
        _broken: bool
        _reading: bool
        _refusal: InvalidContentLength | None

        def _close_conn(self) -> None: ...
        def _refuse(self, error: InvalidContentLength) -> NoReturn: ...
        def _read_chunked(self, amt: int | None = None) -> bytes: ...
        def _readinto_chunked(self, b: Any) -> int: ...
        def _read1_chunked(self, n: int) -> bytes: ...
        def _peek_chunked(self, n: int) -> bytes: ...

    def _body_left(self, *, close_head: bool) -> bool:
        """Before a read: whether the body has bytes left to give.

        Notes that the body is read through this object's methods (see
        close()); raises the refusal of a body whose Content-Length is
        invalid; an answer to HEAD has no body, and is closed here when
        ``close_head`` (read() and readinto() close it, as in http.client).
        """
        self._reading = True
        if self.fp is None:
            return False
        if self._method == "HEAD":
            if close_head:
                self._close_conn()
            return False
        if self._refusal is not None:
            self._refuse(self._refusal)
        return True

    def _count(self, got: int, wanted: int) -> None:
        """Account for ``got`` body bytes read where ``wanted`` were asked
        for: the end of a body closes the response; a connection that closed
        before the declared length leaves the response short (an error with
        :attr:`enforce_content_length`) and is not used again; a forgeable
        TLS end of a body that runs until the close is an error."""
        if not got and wanted:
            if self.length:
                # The connection closed early; what the server sends next on
                # it (nothing) cannot be the next response.
                if self.enforce_content_length:
                    raise self._short()
                self._broken = True
            elif self.length is None and ragged_eof(self.fp):
                raise self._truncated(b"")
            self._close_conn()
        elif self.length is not None:
            self.length -= got
            if not self.length:
                self._close_conn()

    def _truncated(self, partial: bytes) -> IncompleteRead:
        """The error for a body delimited by the connection's end, when a
        TLS stream ended without the peer's close_notify: RFC 9112 section
        9.8's truncation attack cannot be told apart from the end."""
        self._broken = True
        self._close_conn()
        return IncompleteRead(partial)

    def _short(self, partial: bytes = b"") -> IncompleteRead:
        """The error for a body that ended ``self.length`` bytes early."""
        expected = self.length
        self._broken = True
        self._close_conn()
        return IncompleteRead(partial, expected)

    def read(self, amt: int | None = None) -> bytes:
        """Read and return the body, or up to the next ``amt`` bytes of it.

        :raises IncompleteRead: the connection closed before the end of the
            body that Content-Length or the chunked framing announced; from
            ``read(amt)`` only inside a chunked body, or with
            :attr:`enforce_content_length` (else it returns the bytes that
            arrived, then ``b""``, as :mod:`http.client` does).
        :raises InvalidContentLength: the Content-Length is one that another
            parser may read differently (:ref:`the response is returned, its
            body refused <invalid-content-length>`).
        """
        if not self._body_left(close_head=True):
            return b""
        if self.chunked:
            return self._read_chunked(amt)
        if amt is not None and amt >= 0:
            if self.length is not None and amt > self.length:
                amt = self.length  # clip the read to the end of the body
            data = self.fp.read(amt)
            self._count(len(data), amt)
            return bytes(data)
        if self.length is None:
            data = collect(self.fp, None)
            if ragged_eof(self.fp):
                raise self._truncated(data)
        else:
            try:
                data = self._safe_read(self.length)
            except IncompleteRead:
                self._close_conn()
                raise
            self.length = 0
        self._close_conn()
        return bytes(data)

    def readinto(self, b: Any) -> int:
        """Read up to ``len(b)`` bytes of the body into ``b``; return how many.

        :raises IncompleteRead: as ``read(amt)`` does.
        :raises InvalidContentLength: as :meth:`read` does.
        """
        if not self._body_left(close_head=True):
            return 0
        if self.chunked:
            return self._readinto_chunked(b)
        view = memoryview(b).cast("B")
        if self.length is not None and len(view) > self.length:
            view = view[: self.length]  # clip the read to the end of the body
        n = self.fp.readinto(view)
        self._count(n, len(view))
        return int(n)

    def read1(self, n: int = -1) -> bytes:
        """Read with at most one system call; what is buffered comes first.

        :raises IncompleteRead: as ``read(amt)`` does.
        :raises InvalidContentLength: as :meth:`read` does.
        """
        if not self._body_left(close_head=False):
            return b""
        if self.chunked:
            return self._read1_chunked(n)
        if self.length is not None and (n < 0 or n > self.length):
            n = self.length
        # read1() sizes its buffer from n: never from a declared length.
        result = self.fp.read1(min(n, READ_PIECE) if n >= 0 else READ_PIECE)
        self._count(len(result), n)
        return bytes(result)

    def peek(self, n: int = -1) -> bytes:
        """Bytes of the body available without a system call (at least one
        unless the body is over).

        :raises IncompleteRead: the connection closed inside a chunked body,
            or its framing is broken.
        :raises InvalidContentLength: as :meth:`read` does.
        """
        if not self._body_left(close_head=False):
            return b""
        if self.chunked:
            return self._peek_chunked(n)
        if self.length == 0:
            return b""  # nothing to wait for on an open connection
        data = self.fp.peek(n)
        if self.length is not None:
            data = data[: self.length]
        return bytes(data)

    def readline(self, limit: int | None = -1) -> bytes:
        """Read one line of the body, up to ``limit`` bytes.

        :raises IncompleteRead: as ``read(amt)`` does.
        :raises InvalidContentLength: as :meth:`read` does.
        """
        if limit is None:
            limit = -1
        if not self._body_left(close_head=False):
            return b""
        if self.chunked:
            # IOBase.readline() works through peek() and read().
            return io.BufferedIOBase.readline(self, limit)  # type: ignore[arg-type]
        if self.length is not None and (limit < 0 or limit > self.length):
            limit = self.length
        result = self.fp.readline(limit)
        self._count(len(result), limit)
        return bytes(result)

    def _safe_read(self, amt: int) -> bytes:
        """Read exactly ``amt`` bytes; memory follows the bytes that arrive
        rather than ``amt`` (gh-119451).

        :raises IncompleteRead: fewer bytes arrived; ``partial`` holds them.
        """
        data = collect(self.fp, amt)
        if len(data) < amt:
            raise IncompleteRead(data, amt - len(data))
        return data

    def _safe_readinto(self, b: Any) -> int:
        """Fill ``b`` completely, or raise :exc:`IncompleteRead`."""
        view = memoryview(b).cast("B")
        amt = len(view)
        filled = 0
        while filled < amt:
            n = self.fp.readinto(view[filled:])
            if not n:
                raise IncompleteRead(bytes(view[:filled]), amt - filled)
            filled += n
        return amt
