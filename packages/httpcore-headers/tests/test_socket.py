# parse_headers over real loopback sockets: a server thread plays exact
# bytes, in one send or in many that it releases one at a time, so that the
# client's buffered reader sees the block arrive piece by piece.  Every
# connection is compared with http.client reading the same script.
from __future__ import annotations

import contextlib
import http.client
import socket
import threading
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, BinaryIO

import pytest

from httpcore_headers import HTTPException, parse_headers

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer
    from conftest import AssertSame, Outcome

TIMEOUT = 10.0

BLOCKS = {
    "crlf": (
        b"Server: nginx/1.25.3\r\n"
        b"Content-Type: text/html; charset=utf-8\r\n"
        b"Set-Cookie: a=1\r\n"
        b"Set-Cookie: b=2\r\n"
        b"Content-Length: 1048576\r\n"
        b"\r\n"
    ),
    "lf": b"Server: test\nContent-Length: 10\n\n",
    "malformed": b"A: b\r\n c\r\nFrom x\r\nno colon\r\n\r\n",
    "99-fields": b"".join(b"X-%02d: value\r\n" % i for i in range(99)) + b"\r\n",
    "larger-than-a-buffer": b"X-Big: " + b"b" * 20000 + b"\r\nY: z\r\n\r\n",
    "too-many": b"".join(b"X-%03d: value\r\n" % i for i in range(100)) + b"\r\n",
    "empty": b"\r\n",
}
BODY = b"<p>" + bytes(range(256)) * 16 + b"</p>"
LARGE_BODY = bytes(range(256)) * 4096  # 1 MiB


class RecordingSocket(socket.socket):
    """A client socket that records what each receive returned and signals
    the server after each one."""

    def __init__(self, received: threading.Event) -> None:
        super().__init__(socket.AF_INET, socket.SOCK_STREAM)
        self.received = received
        self.sizes: list[int] = []

    def recv_into(
        self, buffer: WriteableBuffer, nbytes: int = 0, flags: int = 0
    ) -> int:
        count = super().recv_into(buffer, nbytes, flags)
        self.sizes.append(count)
        self.received.set()
        return count


@contextlib.contextmanager
def scripted(
    chunks: list[bytes], *, gated: bool
) -> Iterator[tuple[BinaryIO, RecordingSocket]]:
    """Connect to a server thread that sends ``chunks`` and then closes.

    With ``gated`` the server sends a chunk only after the client's previous
    receive returned, so no receive can see past the chunk sent before it.
    """
    received = threading.Event()
    finished = threading.Event()
    errors: list[BaseException] = []
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.settimeout(TIMEOUT)
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)

    def serve() -> None:
        try:
            connection, _ = listener.accept()
            with connection:
                connection.settimeout(TIMEOUT)
                for index, chunk in enumerate(chunks):
                    if gated and index:
                        if not received.wait(TIMEOUT):
                            raise TimeoutError(f"no receive before chunk {index}")
                        received.clear()
                    if finished.is_set():
                        # The client stopped reading (an error ended its
                        # parse): the rest of the script is not needed.
                        return
                    connection.sendall(chunk)
                connection.shutdown(socket.SHUT_WR)
        except OSError as exc:
            # A client that stopped reading and closed may reset the
            # connection under a send: that is the end of the script, not a
            # failure.  Any other error is handed to the test thread below.
            if not finished.is_set():
                errors.append(exc)
        except BaseException as exc:
            errors.append(exc)

    thread = threading.Thread(target=serve, name="scripted-server", daemon=True)
    thread.start()
    client = RecordingSocket(received)
    try:
        client.settimeout(TIMEOUT)
        client.connect(listener.getsockname())
        with client.makefile("rb") as fp:
            yield fp, client
    finally:
        finished.set()
        received.set()
        client.close()
        thread.join(TIMEOUT)
        listener.close()
    assert not thread.is_alive(), "server thread did not finish"
    if errors:
        raise errors[0]


def _split(data: bytes, size: int) -> list[bytes]:
    return [data[i : i + size] for i in range(0, len(data), size)]


SCRIPTS: dict[str, Callable[[bytes], tuple[list[bytes], bool]]] = {
    "one-send": lambda data: ([data], False),
    "every-7th-byte": lambda data: (_split(data, 7), True),
    "first-byte-alone": lambda data: ([data[:1], data[1:]], True),
}


def _read(
    chunks: list[bytes], gated: bool, body_size: int, ours: bool
) -> tuple[Outcome, bytes, list[int]]:
    """Parse the block from a scripted connection, then read the body to EOF."""
    with scripted(chunks, gated=gated) as (fp, client):
        outcome: Outcome
        if ours:
            try:
                outcome = parse_headers(fp)
            except HTTPException as exc:
                outcome = exc
        else:
            try:
                outcome = http.client.parse_headers(fp)
            except http.client.HTTPException as exc:
                outcome = exc
        body = fp.read() if not isinstance(outcome, Exception) else b""
        return outcome, body, client.sizes


@pytest.mark.parametrize("script", sorted(SCRIPTS))
@pytest.mark.parametrize("block", sorted(BLOCKS))
def test_block_over_a_socket(block: str, script: str, assert_same: AssertSame) -> None:
    data = BLOCKS[block] + BODY
    chunks, gated = SCRIPTS[script](data)
    ours, body, sizes = _read(chunks, gated, len(BODY), ours=True)
    theirs, theirs_body, _ = _read(chunks, gated, len(BODY), ours=False)
    assert_same(ours, theirs)
    if gated:
        # The first receive saw at most the first chunk: the block arrived
        # in pieces, as the script intends.
        assert sizes[0] <= len(chunks[0])
    if block == "too-many":
        assert isinstance(ours, HTTPException)
        return
    assert not isinstance(ours, Exception)
    assert body == theirs_body == BODY


def test_fields_over_a_socket() -> None:
    data = BLOCKS["crlf"] + BODY
    with scripted(_split(data, 7), gated=True) as (fp, _):
        message = parse_headers(fp)
        assert message.items() == [
            ("Server", "nginx/1.25.3"),
            ("Content-Type", "text/html; charset=utf-8"),
            ("Set-Cookie", "a=1"),
            ("Set-Cookie", "b=2"),
            ("Content-Length", "1048576"),
        ]
        assert message.get_all("set-cookie") == ["a=1", "b=2"]
        assert fp.read(len(BODY)) == BODY
        assert fp.read() == b""


@pytest.mark.parametrize(
    "script", ["together", "block-then-body", "every-7th-byte-of-block"]
)
def test_block_followed_by_a_large_body(script: str) -> None:
    block = BLOCKS["crlf"]
    chunks = {
        "together": [block + LARGE_BODY],
        "block-then-body": [block, LARGE_BODY],
        "every-7th-byte-of-block": [*_split(block, 7), LARGE_BODY],
    }[script]
    with scripted(chunks, gated=script != "together") as (fp, _):
        message = parse_headers(fp)
        assert int(message["Content-Length"]) == len(LARGE_BODY)
        body = fp.read(len(LARGE_BODY))
        assert len(body) == len(LARGE_BODY)
        assert body == LARGE_BODY
        assert fp.read() == b""


def test_connection_closed_mid_block(assert_same: AssertSame) -> None:
    chunks = _split(b"A: b\r\nC: d\r\nE: f", 5)
    ours, _, _ = _read(chunks, True, 0, ours=True)
    theirs, _, _ = _read(chunks, True, 0, ours=False)
    assert_same(ours, theirs)
    assert not isinstance(ours, Exception)
    assert ours.items() == [("A", "b"), ("C", "d"), ("E", "f")]
