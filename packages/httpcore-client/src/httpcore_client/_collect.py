# Reading a whole body into one bytes object: what read() with no argument
# and _safe_read() return.
#
# Strategy: the bytes go straight from the socket into the buffer of an
# io.BytesIO (through getbuffer()), which grows as they arrive -- doubling,
# but by at most _MAX_STEP at a time -- and whose getvalue() hands that
# buffer over without a copy.  So memory follows the bytes that arrived, not
# the length the peer declared (allocating that up front is gh-119451's
# denial of service), peak memory stays close to the body's size (reading
# in pieces and joining them needs twice that), and each byte is copied
# once, by the kernel, as http.client's fp.read(length) copies it.
from __future__ import annotations

import io
from typing import Any

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
        return bytes(fp.read(limit))
    buffer = io.BytesIO()
    filled = 0
    size = _FIRST
    while True:
        target = size if limit is None else min(size, limit)
        # Grow the buffer to ``target`` bytes (BytesIO zero-fills the gap),
        # then read into it in place.
        buffer.seek(target - 1)
        buffer.write(b"\0")
        with buffer.getbuffer() as view:
            while filled < target:
                with view[filled:target] as free:
                    got = fp.readinto(free)
                if not got:
                    break
                filled += got
        if filled < target or target == limit:
            break
        size = target + min(target, _MAX_STEP)
    buffer.truncate(filled)
    return buffer.getvalue()
