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
        #: Buffers per system call.
        self.width = max(4, min(_MAX_BUFFERS, 2 * (_CALL_BYTES // max(self.size, 1))))
        self._frames = bytearray()
        self._slots: list[memoryview] = []
        self._expected = b""

    def forget(self) -> None:
        """Drop the frame buffers (their slices were released)."""
        self._slots = []

    def framing(self, count: int) -> tuple[bytearray, list[memoryview], bytes]:
        """A buffer for ``count`` frames, its slices (one per frame), and
        what ``count`` frames should be."""
        if len(self._slots) < count:
            step = len(self.frame)
            # A new buffer, not a grown one: the old one's slices may still
            # be alive.
            self._frames = bytearray(step * count)
            with memoryview(self._frames) as view:
                self._slots = [
                    view[at : at + step] for at in range(0, step * count, step)
                ]
            self._expected = self.frame * count
        return self._frames, self._slots, self._expected


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
    data = [view[at : at + size] for at in range(first, total, size)]
    count = len(data)
    frames, frame_slots, expected = run.framing(count)
    slots: list[memoryview] = [view[:first]] if first else []
    base = len(slots)
    slots += [view] * (2 * count)  # placeholders, replaced below
    slots[base::2] = frame_slots[:count]
    slots[base + 1 :: 2] = data
    capacity = total + step * count
    # Stream bytes received (into the slots, in order), the slot the next
    # one goes to and where in it, and the frame bytes checked.
    received = index = offset = checked = 0
    width = run.width
    batch: list[memoryview] = []
    mismatch = False
    try:
        while received < capacity:
            batch = slots[index : index + width]
            if offset:
                batch[0] = batch[0][offset:]
            got = raw.scatter(batch)
            if not got:
                break
            received += got
            if received < first:
                offset = received
                continue
            whole, into = divmod(received - first, stride)
            if into < step:
                index, offset = base + 2 * whole, into
                seen = whole * step + into
            else:
                index, offset = base + 2 * whole + 1, into - step
                seen = (whole + 1) * step
            if seen > checked:
                if frames[checked:seen] != expected[checked:seen]:
                    # Which frame: the whole ones before it are right.
                    checked -= checked % step
                    while frames[checked : checked + step] == run.frame:
                        checked += step
                    mismatch = True
                    break
                checked = seen
    except BaseException:
        # No view of the caller's buffer may outlive this call (a traceback
        # would keep it exported, and a growing buffer could not grow).
        for slot in slots + batch:
            slot.release()
        run.forget()
        raise
    if received == capacity and not mismatch:
        return total, (size - len(data[-1]) if count else chunk_left - total), False
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
