# Regular files sent as a whole, with os.sendfile() or a large-buffer copy
# loop, instead of http.client's read-and-send of ``blocksize`` pieces.
#
# Strategy: only where nobody needs to see the blocks -- a plain socket, a
# regular binary file, no debug output, no send() override -- else the
# caller falls back to the loop.  Which transfer is cheaper depends on the
# path: to another host os.sendfile() hands the file's pages to the network
# stack without a copy through user space; to a loopback peer the kernel
# copies them anyway, and a readinto() of 1 MiB then sendall() measured 1.4
# to 1.6 times faster than os.sendfile() (``nox -s bench``, "raw readinto
# loop" and "raw sendfile loop" on a 256 MiB upload), so that is what a
# loopback connection gets.  Chunked framing (httpcore_wire.ChunkedEncoder) wraps
# runs of up to 16 MiB either way.  The audit event http.client.send still
# sees every byte: a read-only view of the file mapped into memory, read
# only if a hook looks at it.
from __future__ import annotations

import ipaddress
import mmap
import os
import socket
import stat
import sys
from typing import Any

from httpcore_wire import ChunkedEncoder

# A chunked file body goes in chunks of this size.
RUN = 16 << 20
# What the copy loop reads at a time.
PIECE = 1 << 20


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
    transfer = _sendfile if sendfile_pays(sock) else _copy
    if not chunked:
        _audit(conn, body, offset, size - offset)
        transfer(sock, body, offset, size - offset)
        return
    encoder = ChunkedEncoder()
    while (left := size - offset) > 0:
        run = min(left, RUN)
        before, after = encoder.frame(run)
        _audit(conn, body, offset, run)
        sock.sendall(before)
        sent = transfer(sock, body, offset, run)
        if sent != run:
            conn.close()
            raise OSError(f"file body ended {run - sent} bytes early")
        offset += run
        sock.sendall(after)
    sock.sendall(encoder.last_chunk())


def sendfile_pays(sock: socket.socket) -> bool:
    """Whether os.sendfile() is the cheaper way to send a file on ``sock``:
    not to a loopback or Unix-domain peer (see the strategy above)."""
    try:
        peer = sock.getpeername()
    except OSError:
        return True  # let sendfile() report what is wrong
    if not isinstance(peer, tuple):
        return False  # a Unix-domain socket: a copy in the kernel anyway
    try:
        address = ipaddress.ip_address(peer[0].partition("%")[0])
    except ValueError:
        return True
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return not address.is_loopback


def _sendfile(sock: socket.socket, body: Any, offset: int, count: int) -> int:
    """Send ``count`` bytes of ``body`` from ``offset`` with os.sendfile();
    returns how many were sent (fewer if the file is shorter)."""
    return sock.sendfile(body, offset, count)


def _copy(sock: socket.socket, body: Any, offset: int, count: int) -> int:
    """What :func:`_sendfile` does, through a buffer of :data:`PIECE`
    bytes; the file's position ends after what was sent, as there."""
    body.seek(offset)
    buffer = bytearray(min(PIECE, count))
    sent = 0
    with memoryview(buffer) as view:
        while sent < count:
            with view[: min(len(buffer), count - sent)] as free:
                got = body.readinto(free)
            if not got:
                break
            with view[:got] as data:
                sock.sendall(data)
            sent += got
    return sent


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
