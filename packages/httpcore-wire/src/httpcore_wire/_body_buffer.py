# A buffer for a body of unknown length that becomes one bytes object
# without a copy: what read() of a whole body, and read(amt) of a chunked
# one, fill from the socket as the bytes arrive.
#
# Strategy: the bytes go straight from the socket into the buffer (through
# a writable view), which grows as they arrive and is handed over as the
# bytes object returned -- so memory follows the bytes that arrived, not a
# length the peer declared (allocating that up front is gh-119451's denial
# of service), and each byte is written once by the kernel.  The compiled
# BodyBuffer (_speedups.c) grows a bytes object in place and leaves the new
# bytes as they are; this module's, for pure Python installs, is an
# io.BytesIO, whose getvalue() also hands its buffer over without a copy
# but which zero-fills the bytes it grows by: one more pass over memory.
# Both refuse to grow or hand over while a view of them is alive.
from __future__ import annotations

import io
from collections.abc import Callable
from typing import Protocol

from ._accelerator import compiled


class BodyBuffer(Protocol):
    """What both implementations offer."""

    def grow(self, size: int, /) -> None:
        """Make the buffer at least ``size`` bytes long; its first bytes
        stay."""

    def view(self) -> memoryview:
        """A writable memoryview of the whole buffer, to be released before
        the next grow() or take() (which raise BufferError otherwise)."""

    def take(self, size: int, /) -> bytes:
        """The first ``size`` bytes, as bytes, without a copy where the
        buffer holds just those; the buffer is empty afterwards."""


class PurePythonBodyBuffer:
    """:class:`BodyBuffer` on an io.BytesIO."""

    __slots__ = ("_bytes", "_size")

    def __init__(self) -> None:
        self._bytes = io.BytesIO()
        self._size = 0

    def grow(self, size: int, /) -> None:
        if size > self._size:
            # (BytesIO zero-fills the gap.)
            self._bytes.seek(size - 1)
            self._bytes.write(b"\0")
            self._size = size

    def view(self) -> memoryview:
        return self._bytes.getbuffer()

    def take(self, size: int, /) -> bytes:
        if not 0 <= size <= self._size:
            raise ValueError(f"take({size}) of a buffer of {self._size} bytes")
        self._bytes.truncate(size)
        data = self._bytes.getvalue()
        self._bytes = io.BytesIO()
        self._size = 0
        return data


# The compiled BodyBuffer where it is built, else the pure Python one.
_implementation: Callable[[], BodyBuffer] = (
    compiled("BodyBuffer") or PurePythonBodyBuffer
)


def body_buffer() -> BodyBuffer:
    """An empty :class:`BodyBuffer`: the compiled one where the accelerator
    is built, which grows without zero-filling, else one on
    :class:`io.BytesIO`.

    Filling one from a reader, as ``httpcore_client`` reads a whole body:

    >>> import io, httpcore_wire
    >>> reader = io.BytesIO(b"x" * 100_000)
    >>> buffer = httpcore_wire.body_buffer()
    >>> filled = 0
    >>> while True:
    ...     buffer.grow(filled + 65536)
    ...     with buffer.view() as whole, whole[filled:] as free:
    ...         count = reader.readinto(free)
    ...     if not count:
    ...         break
    ...     filled += count
    >>> body = buffer.take(filled)
    >>> len(body), body[:3]
    (100000, b'xxx')
    """
    return _implementation()
