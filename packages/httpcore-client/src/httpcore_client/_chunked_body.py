# Reading a chunked body in bulk: read(amt) and readinto() of a response
# whose body is sent in chunks (RFC 9112 section 7.1).
#
# Strategy: the bytes are decoded where they already are, in the buffer of
# the response's reader: peek() shows them, httpcore_wire.decode_chunks()
# cuts the chunk data out of them (many chunks per call, runs of equal
# chunks a batch at a time) and says how many bytes the framing and data
# took, and exactly those are consumed.  Nothing is held back outside the
# reader, so the response's chunk_left and the reader stay the whole state,
# and the line-by-line methods callers reach into (_get_chunk_left(),
# _safe_read(), fp.readline(), as urllib3 does) see the body where this
# left it.  Framing that is not all in the buffer (a size line that
# straddles its end), chunks larger than a few KiB (whose data is read
# straight from the reader, as http.client reads it) and the end of the
# body go the line-by-line way.
from __future__ import annotations

import io
import sys
from collections.abc import Callable
from typing import Any

from httpcore_headers import LineTooLong
from httpcore_wire import InvalidChunk, decode_chunks

# Reads smaller than this go chunk by chunk: peek() copies the whole buffer.
BULK = 16 << 10
# Chunks larger than this are read one by one, their data straight from the
# reader: decoding them from a copy of its buffer would copy them once more.
_SMALL = 4 << 10

Sink = Callable[[Any], None]


def bulk_reader(response: Any) -> bool:
    """Whether ``response`` reads through a reader whose buffer can be
    shown (io.BufferedReader: the connection's, or makefile()'s)."""
    return type(response.fp) is io.BufferedReader


def pull(response: Any, limit: int | None, sink: Sink) -> int:
    """Decode up to ``limit`` bytes of the chunked body of ``response``
    (all of it if ``None``), passing the data to ``sink`` in order; returns
    how many bytes.  At the end of the body, the trailer section is read
    and the response closed, as the line-by-line methods do.

    :raises IncompleteRead: the body ended early (from the line-by-line
        methods; the caller adds what it got to ``partial``).
    :raises InvalidChunk: the framing does not follow RFC 9112; the
        connection is not used again.
    :raises LineTooLong: a size line over the limit; the same.
    """
    want = sys.maxsize if limit is None else limit
    got = 0
    # Whether the chunks are small enough to decode from the buffer: until
    # a large one shows up, and again after a small one.
    small = True
    while got < want and response.fp is not None:
        chunk_left = response.chunk_left
        if small and (chunk_left is None or chunk_left <= _SMALL):
            buf = response.fp.peek()
            try:
                step = decode_chunks(buf, chunk_left, want - got, max_chunk=_SMALL)
            except (InvalidChunk, LineTooLong) as error:
                # The framing is lost: nothing after it can be trusted.
                partial = getattr(error, "partial", b"")
                if partial:
                    sink(partial)
                response._broken = True
                response._close_conn()
                raise
            if step.used or step.last:
                for piece in step.data:
                    sink(piece)
                    got += len(piece)
                response.fp.read(step.used)
                response.chunk_left = step.chunk_left
                if step.last:
                    response._finish_chunked()
                continue
            small = False
        # The framing at the start is not all buffered, the chunk is large,
        # or the stream ended: one chunk the line-by-line way.
        fresh = not chunk_left
        chunk_left = response._get_chunk_left()
        if chunk_left is None:
            break
        if fresh:
            small = chunk_left <= _SMALL
        size = min(chunk_left, want - got)
        sink(response._safe_read(size))
        got += size
        response.chunk_left = chunk_left - size
    return got
