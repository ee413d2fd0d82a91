# Reading a whole body into one bytes object: what read() with no argument
# and _safe_read() return.
#
# Strategy: the bytes go straight from the socket into an
# httpcore_wire.body_buffer() (through a writable view), which grows as they
# arrive -- doubling, but by at most _MAX_STEP at a time -- and is handed
# over as the bytes returned, without a copy.  So memory follows the bytes
# that arrived, not the length the peer declared (allocating that up front
# is gh-119451's denial of service), peak memory stays close to the body's
# size (reading in pieces and joining them needs twice that), and each byte
# is copied once, by the kernel, as http.client's fp.read(length) copies
# it (and, with the compiled buffer, written only then).
from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from httpcore_wire import IncompleteRead, body_buffer

# Bodies are read in pieces of at most this size where a piece is
# allocated before its bytes arrive (read1(), a chunk's data), so that a
# declared length (Content-Length: 10**18, a chunk of 2**60 bytes) costs
# memory only as the bytes arrive.
READ_PIECE = 1 << 20

# The first read: what most bodies fit in.
_FIRST = 1 << 20
# Growth is geometric up to this step, then linear: an end of the stream
# right after a growth leaves at most this much allocated and unused.
_MAX_STEP = 16 << 20


def collect(fp: Any, limit: int | None) -> bytes:
    """Read from ``fp`` (a buffered reader) until ``limit`` bytes (all of
    them if ``None``) or the end of the stream, whichever comes first.

    Fewer than ``limit`` bytes means the stream ended: the caller decides
    whether that is an error.
    """
    if limit is not None and limit <= _FIRST:
        # Bounded: one read, which allocates what it asks for at once.
        result: bytes = fp.read(limit)
        return result
    return grow(functools.partial(_read_into, fp), _FIRST, limit)


def grow(fill: Callable[[memoryview], int], first: int, limit: int | None) -> bytes:
    """The bytes ``fill`` writes into a buffer of ``first`` bytes, grown
    (at most doubling, by at most _MAX_STEP) while ``fill`` fills it, up to
    ``limit`` bytes if given.  ``fill(view)`` fills ``view`` and returns how
    many bytes it wrote: fewer than asked means the end.

    :raises IncompleteRead: what ``fill`` raises, with the bytes of the
        earlier calls added to ``partial``.
    """
    buffer = body_buffer()
    filled = 0
    size = first
    try:
        while True:
            target = size if limit is None else min(size, limit)
            buffer.grow(target)
            with buffer.view() as whole, whole[filled:target] as free:
                filled += fill(free)
            if filled < target or target == limit:
                break
            size = target + min(target, _MAX_STEP)
    except IncompleteRead as error:
        with buffer.view() as whole:
            partial = bytes(whole[:filled]) + error.partial
        raise IncompleteRead(partial) from error.__cause__ or error
    return buffer.take(filled)


def _read_into(fp: Any, view: memoryview) -> int:
    """Fill ``view`` from ``fp``; fewer bytes only at the end of the stream."""
    filled = 0
    while filled < len(view):
        with view[filled:] as free:
            got = fp.readinto(free)
        if not got:
            break
        filled += got
    return filled
