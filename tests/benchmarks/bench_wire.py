"""The chunked codec against http.client on the same bytes, from memory.

A microbenchmark (its cases are named "in memory"): no socket, no client
around the codec. What a user's read loop costs on a socket is
bench_chunked.py's.

Decoding: a 64 MiB chunked body in 1 KiB and in 16 KiB chunks, read by
``http.client.HTTPResponse`` (its ``fp`` a buffered reader over the bytes)
and by ``ChunkedDecoder`` fed the same bytes 64 KiB at a time; once reading
the whole body into one ``bytes`` (``read()``), once streaming it in 64 KiB
pieces (``read(65536)`` in a loop).

Encoding: the same 64 MiB cut into 1 KiB and 16 KiB pieces, framed the way
``http.client`` frames a chunked request body (``_send_output``) and by
``ChunkedEncoder.chunk``.
"""

from __future__ import annotations

import hashlib
import http.client
import io
from collections.abc import Callable, Iterable
from typing import Any

from run import Case

import httpcore_wire

BODY_SIZE = 64 << 20
READ_SIZE = 65536


def chunked(size: int) -> bytes:
    piece = b"%X\r\n" % size + bytes(range(256)) * (size // 256) + b"\r\n"
    return piece * (BODY_SIZE // size) + b"0\r\n\r\n"


class _Socket:
    """What HTTPResponse needs of a socket: makefile() over bytes in memory."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def makefile(self, mode: str, *args: object, **kwargs: object) -> io.BufferedReader:
        return io.BufferedReader(io.BytesIO(self.data), READ_SIZE)


HEAD = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"


def _stdlib_response(body: bytes) -> http.client.HTTPResponse:
    response = http.client.HTTPResponse(_Socket(HEAD + body))  # type: ignore[arg-type]
    response.begin()
    return response


def _blocks(body: bytes) -> Iterable[bytes]:
    source = io.BytesIO(body)
    while block := source.read(READ_SIZE):
        yield block


def _digest(result: Any) -> str:
    if isinstance(result, bytes):
        return hashlib.sha256(result).hexdigest()
    digest = hashlib.sha256()
    for piece in result:
        digest.update(piece)
    return digest.hexdigest()


def _decode_all(body: bytes) -> tuple[Callable[[], Any], Callable[[], Any]]:
    def stdlib() -> bytes:
        return _stdlib_response(body).read()

    def ours() -> bytes:
        # Each block's data is copied once into the result as it is decoded,
        # so the blocks can be freed and their memory reused.
        decoder = httpcore_wire.ChunkedDecoder()
        out = io.BytesIO()
        for block in _blocks(body):
            out.writelines(decoder.feed(block))
        decoder.end_of_input()
        return out.getvalue()

    return stdlib, ours


def _decode_stream(body: bytes) -> tuple[Callable[[], Any], Callable[[], Any]]:
    def stdlib() -> list[bytes]:
        response = _stdlib_response(body)
        digest = hashlib.sha256()
        while data := response.read(READ_SIZE):
            digest.update(data[:16])
        return [digest.digest()]

    def ours() -> list[bytes]:
        decoder = httpcore_wire.ChunkedDecoder()
        digest = hashlib.sha256()
        pending = b""
        for block in _blocks(body):
            # Hand out 64 KiB pieces, as a read(65536) loop would.
            data = pending + b"".join(decoder.feed(block))
            while len(data) >= READ_SIZE:
                digest.update(data[:16])
                data = data[READ_SIZE:]
            pending = data
        if pending:
            digest.update(pending[:16])
        return [digest.digest()]

    return stdlib, ours


def _encode(size: int) -> tuple[Callable[[], Any], Callable[[], Any]]:
    data = bytes(range(256)) * (size // 256)
    pieces = [data] * (BODY_SIZE // size)

    def stdlib() -> list[bytes]:
        # http.client.HTTPConnection._send_output, per chunk.
        out = [
            f"{len(chunk):X}\r\n".encode("ascii") + chunk + b"\r\n" for chunk in pieces
        ]
        out.append(b"0\r\n\r\n")
        return out

    def ours() -> list[Any]:
        encoder = httpcore_wire.ChunkedEncoder()
        out: list[Any] = []
        for chunk in pieces:
            out += encoder.chunk(chunk)
        out.append(encoder.last_chunk())
        return out

    return stdlib, ours


def _cases() -> list[Case]:
    cases = []
    for size, label in ((1024, "1 KiB"), (16384, "16 KiB")):
        body = chunked(size)
        cases.append(
            Case(
                f"in memory: chunked decode 64 MiB, {label} chunks, read()",
                *_decode_all(body),
                _digest,
            )
        )
        cases.append(
            Case(
                f"in memory: chunked decode 64 MiB, {label} chunks, stream",
                *_decode_stream(body),
                _digest,
            )
        )
        cases.append(
            Case(
                f"in memory: chunked encode 64 MiB, {label} chunks",
                *_encode(size),
                _digest,
            )
        )
    return cases


CASES = _cases()
