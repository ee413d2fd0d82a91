# Encoding a body with the chunked transfer coding (RFC 9112 section 7.1).
#
# Strategy: a chunk is three pieces -- the size line, the data, CRLF -- and
# chunk() hands them out separately so the data itself is never copied: a
# socket's sendmsg() or a transport's writelines() sends them in one system
# call.  For interfaces that take one bytes object per write, chunk_bytes()
# joins them, and write_to() joins small chunks (one copy is cheaper than
# three writes) but not large ones.  Sizes are counted in bytes, whatever
# the buffer's item format (CPython's len() counts an array('i') in items).
# Empty pieces are skipped, because an empty chunk would end the body.
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

from ._body import body_chunks
from ._request import encode_field_line

Buffer = bytes | bytearray | memoryview
Trailers = Mapping[str, Any] | Iterable[tuple[Any, Any]]

CRLF = b"\r\n"
LAST_CHUNK = b"0\r\n\r\n"


class ChunkedEncoder:
    """Encode a body with ``Transfer-Encoding: chunked``.

    Usable from anything that writes bytes: a socket, an asyncio transport, a
    WSGI or ASGI body. :meth:`chunk` never copies the data::

        encoder = ChunkedEncoder()
        sock.sendmsg(encoder.chunk(b"hello"))   # b"5\\r\\n", b"hello", b"\\r\\n"
        transport.writelines(encoder.chunk(big_memoryview))
        sock.sendall(encoder.last_chunk({"Checksum": "abc"}))

    or, for a whole body at once, :meth:`encode` (pieces, zero-copy),
    :meth:`encode_bytes` (one ``bytes`` per chunk, as WSGI wants) or
    :meth:`write_to` (calls a ``write`` function).

    :param blocksize: bytes read from a file body per chunk (8192, as
        ``http.client``).
    """

    def __init__(self, *, blocksize: int = 8192) -> None:
        if blocksize < 1:
            raise ValueError(f"blocksize must be positive, not {blocksize!r}")
        self.blocksize = blocksize
        self._size = -1
        self._line = b""

    def _size_line(self, size: int) -> bytes:
        if size != self._size:
            self._size = size
            self._line = b"%X\r\n" % size
        return self._line

    def frame(self, size: int) -> tuple[bytes, bytes]:
        """The framing around a chunk of ``size`` bytes whose data the caller
        sends itself (with :func:`os.sendfile`, say): the size line to send
        before the data and the CRLF to send after it.

        :raises ValueError: ``size`` is not positive (an empty chunk would
            end the body).
        """
        if size < 1:
            raise ValueError(f"a chunk carries at least one byte, not {size!r}")
        return self._size_line(size), CRLF

    def chunk(self, data: Buffer) -> list[Buffer]:
        """The pieces of one chunk carrying ``data``, without copying it.

        :param data: any bytes-like object; its size is counted in bytes.
        :returns: ``[size line, data, b"\\r\\n"]``, or ``[]`` for empty data
            (an empty chunk would end the body).
        """
        data, size = _sized(data)
        if size == 0:
            return []
        return [self._size_line(size), data, CRLF]

    def chunk_bytes(self, data: Buffer) -> bytes:
        """One chunk carrying ``data`` as a single ``bytes`` object (``b""``
        for empty data)."""
        data, size = _sized(data)
        if size == 0:
            return b""
        return b"".join((self._size_line(size), data, CRLF))

    def last_chunk(self, trailers: Trailers | None = None) -> bytes:
        """The last chunk, with optional trailer fields, ending the body.

        :param trailers: fields to send after the body, as a mapping or as
            ``(name, value)`` pairs; names and values are validated as request
            header fields are (``ValueError`` otherwise).
        :returns: ``b"0\\r\\n"``, the trailer field lines, and ``b"\\r\\n"``.
        """
        if not trailers:
            return LAST_CHUNK
        items = trailers.items() if isinstance(trailers, Mapping) else trailers
        lines = [encode_field_line(name, value) for name, value in items]
        return b"0\r\n" + b"".join(line + CRLF for line in lines) + CRLF

    def encode(
        self, body: object, trailers: Trailers | None = None
    ) -> Iterator[Buffer]:
        """Encode a whole body, last chunk included, as pieces to send in order.

        :param body: a bytes-like object (one chunk), a binary or text file
            (one chunk per ``read(blocksize)``; text is encoded ISO-8859-1, as
            ``http.client`` does), or an iterable of bytes-like objects (one
            chunk per item).
        :param trailers: as for :meth:`last_chunk`.
        :raises TypeError: ``body`` is none of these.
        """
        for data in body_chunks(body, self.blocksize):
            yield from self.chunk(data)
        yield self.last_chunk(trailers)

    def encode_bytes(
        self, body: object, trailers: Trailers | None = None
    ) -> Iterator[bytes]:
        """Like :meth:`encode`, but one ``bytes`` object per chunk, for
        interfaces that accept nothing else (a WSGI response iterable)."""
        for data in body_chunks(body, self.blocksize):
            yield self.chunk_bytes(data)
        yield self.last_chunk(trailers)

    def write_to(
        self,
        write: Callable[[Buffer], object],
        body: object,
        trailers: Trailers | None = None,
        *,
        coalesce: int = 65536,
    ) -> int:
        """Encode a whole body through a ``write`` function (``sock.sendall``,
        ``transport.write``, ``file.write``).

        :param coalesce: chunks of at most this many bytes are written with
            one call (their data copied once); larger ones with three calls
            and no copy.
        :returns: the number of body bytes written (framing not counted).
        """
        total = 0
        for piece in body_chunks(body, self.blocksize):
            data, size = _sized(piece)
            if size <= coalesce:
                write(b"".join((self._size_line(size), data, CRLF)))
            else:
                write(self._size_line(size))
                write(data)
                write(CRLF)
            total += size
        write(self.last_chunk(trailers))
        return total


def _sized(data: Buffer) -> tuple[Buffer, int]:
    """``data`` as a flat byte buffer (itself when it is one), and its size
    in bytes."""
    kind = type(data)
    if kind is bytes or kind is bytearray:
        return data, len(data)
    if kind is memoryview:
        assert isinstance(data, memoryview)
        if data.format in ("B", "b", "c") and data.ndim == 1 and data.c_contiguous:
            return data, data.nbytes
    view = memoryview(data)
    if view.format != "B" or view.ndim != 1:
        view = view.cast("B")
    return view, view.nbytes
