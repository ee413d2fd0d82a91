# Reading a run of equal chunks straight from the socket into the caller's
# buffer: the bulk path of a chunked body (RFC 9112 section 7.1) on a plain
# socket.
#
# Strategy: a server that sends a long body in chunks mostly sends them of
# one size (a buffer's worth at a time), so once a chunk's size line is
# known, what follows is predictable: the rest of that chunk's data, then
# CRLF and the same size line (the "frame"), then that many bytes of data,
# and so on.  One recvmsg_into() scatters the bytes as they come: each
# chunk's data lands in its place in the caller's buffer and each frame in
# a small buffer of its own, which is then compared with the prediction.
# So each byte is copied once, by the kernel, and the Python work is per
# system call and per chunk, not per byte.  The framing is still checked
# exactly, every frame against a size line that was parsed and accepted:
# at the first frame that differs (another size, the last chunk, anything
# malformed) or the end of the stream, the bytes from that frame on are
# given back to the stream (SocketReader.unread()), where the line-by-line
# reader finds them and judges them as it judges any other.
from __future__ import annotations

from typing import Protocol

from httpcore_wire import parse_chunk_size


class ScatterSource(Protocol):
    """What receive_run() reads from (a connection's SocketReader)."""

    def scatter(self, buffers: list[memoryview], /) -> int | None:
        """Fill ``buffers`` in turn with the next bytes; how many (0 at the
        end of the stream)."""

    def unread(self, data: bytes, /) -> None:
        """Give ``data`` back: the next reads return it first."""


# Chunks smaller than this are decoded from the reader's buffer instead:
# two buffers a chunk would cost more than the copy they save.
MIN_CHUNK = 1 << 10
# About what one system call asks for.
_CALL_BYTES = 128 << 10
# At most this many buffers in one call (IOV_MAX is 1024 on Linux and
# macOS; POSIX guarantees 16).
_MAX_BUFFERS = 256


class Run:
    """The predicted framing between the chunks of a run of equal chunks:
    CRLF and the size line of the chunk that started it."""

    __slots__ = ("_expected", "_frames", "_slots", "frame", "line", "size", "width")

    def __init__(self, line: bytes) -> None:
        #: The size line, as received (it was parsed and accepted).
        self.line = line
        #: The chunks' size.
        self.size = parse_chunk_size(line)
        #: What precedes the data of every chunk after the first.
        self.frame = b"\r\n" + line
        #: The most buffers in one system call.
        self.width = max(4, min(_MAX_BUFFERS, 2 * (_CALL_BYTES // max(self.size, 1))))
        self._frames = bytearray()
        self._slots: list[memoryview] = []
        self._expected = b""

    def forget(self) -> None:
        """Drop the frame buffers (their slices were released)."""
        self._frames = bytearray()
        self._slots = []

    def framing(self, count: int) -> tuple[bytearray, bytes]:
        """A buffer for ``count`` frames, and what they should be; see
        :meth:`slots` for its slices."""
        step = len(self.frame)
        if len(self._frames) < step * count:
            # A new buffer, not a grown one: the old one's slices may still
            # be alive.
            self._frames = bytearray(step * count)
            self._slots = []
            self._expected = self.frame * count
        return self._frames, self._expected

    def slots(self, first: int, count: int) -> list[memoryview]:
        """Slices of the :meth:`framing` buffer, one per frame, for frames
        ``first`` to ``first + count - 1``; made as they are first asked
        for, and kept for the next calls."""
        made = len(self._slots)
        if made < first + count:
            step = len(self.frame)
            with memoryview(self._frames) as view:
                self._slots += [
                    view[at : at + step]
                    for at in range(made * step, (first + count) * step, step)
                ]
        return self._slots[first : first + count]


# The buffers of the first call for a run: a run that stops at once (a body
# whose chunk sizes keep changing) costs little; each call that finds the
# prediction right doubles it, up to Run.width.
_FIRST_WIDTH = 8


def receive_run(
    raw: ScatterSource, view: memoryview, chunk_left: int, run: Run
) -> tuple[int, int, bool]:
    """Fill ``view`` with the rest of the current chunk (``chunk_left`` bytes
    of data) and then with the data of chunks framed exactly as ``run``
    predicts.

    Returns ``(written, chunk_left, stopped)``: the bytes of data written
    at the start of ``view``, the bytes left in the chunk being read after
    them, and whether reading stopped before ``view`` was full -- at a frame
    that differs from the prediction, or where the stream ended or had
    nothing to read (a non-blocking socket) -- after which the next bytes of
    the stream, given back to ``raw``, are a frame for the line-by-line
    reader.
    """
    total = len(view)
    size = run.size
    step = len(run.frame)
    stride = step + size
    first = min(chunk_left, total)
    # The stream, in order: the rest of the current chunk's data (``first``
    # bytes), then ``count`` pairs of a frame and a chunk's data (the last
    # one cut at the end of ``view``).
    count = -(-(total - first) // size)
    frames, expected = run.framing(count)
    capacity = total + step * count
    # Stream bytes received, and the frame bytes checked.
    received = checked = 0
    width = _FIRST_WIDTH
    batch: list[memoryview] = []
    mismatch = False
    try:
        while received < capacity:
            # The buffers from where the next byte goes: the rest of the
            # slot it falls in, then whole pairs.
            if received < first:
                batch = [view[received:first]]
                pair = 0
            else:
                whole, into = divmod(received - first, stride)
                start = first + whole * size
                if into < step:
                    batch = [
                        run.slots(whole, 1)[0][into:],
                        view[start : start + size],
                    ]
                else:
                    batch = [view[start + into - step : start + size]]
                pair = whole + 1
            pairs = min(width // 2, count - pair)
            if pairs > 0:
                begin = first + pair * size
                data = [
                    view[at : at + size]
                    for at in range(begin, begin + pairs * size, size)
                ]
                more: list[memoryview] = data + data
                more[0::2] = run.slots(pair, pairs)
                more[1::2] = data
                batch += more
            got = raw.scatter(batch)
            batch = []
            if not got:
                break
            received += got
            if received <= first:
                continue
            whole, into = divmod(received - first, stride)
            seen = whole * step + min(into, step)
            if seen > checked:
                if frames[checked:seen] != expected[checked:seen]:
                    # Which frame: the whole ones before it are right.
                    checked -= checked % step
                    while frames[checked : checked + step] == run.frame:
                        checked += step
                    mismatch = True
                    break
                checked = seen
            width = min(2 * width, run.width)
    except BaseException:
        # No view of the caller's buffer may outlive this call (a traceback
        # would keep it exported, and a growing buffer could not grow).
        for slot in batch:
            slot.release()
        run.forget()
        raise
    if received == capacity and not mismatch:
        if not count:
            return total, chunk_left - total, False
        # The last chunk's data was cut at the end of ``view``.
        return total, size - (total - first - (count - 1) * size), False
    if received <= first:
        return received, chunk_left - received, True
    whole, into = divmod(received - first, stride)
    good = checked // step
    if good == whole + 1:
        # Every frame so far was right; the stream stopped in a chunk's data.
        written = into - step
        return first + whole * size + written, size - written, True
    # The frame ``good`` was not (yet) what was predicted: the data before
    # it is the caller's, the rest goes back to the stream.
    start = first + good * stride
    back = []
    at = start
    frame = good
    while at < received:
        piece = min(step, received - at)
        back.append(bytes(frames[frame * step : frame * step + piece]))
        at += piece
        if at < received:
            piece = min(size, received - at)
            begin = first + frame * size
            back.append(bytes(view[begin : begin + piece]))
            at += piece
        frame += 1
    raw.unread(b"".join(back))
    return first + good * size, 0, True
