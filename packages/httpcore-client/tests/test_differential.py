# Differential tests: generated valid responses -- status, reason, version,
# fields, and a body framed by Content-Length, the chunked coding (sizes,
# extensions, trailers) or the end of the connection -- read by our
# HTTPResponse and by the running interpreter's http.client.HTTPResponse
# from the same bytes, delivered in the same generated pieces, with the same
# read method.  For everything a conforming server sends the two must agree
# on every attribute a caller reads and on the body.
from __future__ import annotations

import http.client
import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from hypothesis import given, settings, strategies as st

from httpcore_client import HTTPResponse

SETTINGS = settings(max_examples=300, deadline=None)

TCHAR = "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
FRAMING_NAMES = {"content-length", "transfer-encoding"}
COMMON_NAMES = [
    "Content-Type",
    "Set-Cookie",
    "Server",
    "Date",
    "ETag",
    "Cache-Control",
    "Connection",
    "Keep-Alive",
    "Proxy-Connection",
    "Location",
    "X-Request-Id",
]
NEXT_RESPONSE = b"HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nnext"


class SegmentedRaw(io.RawIOBase):
    """A raw stream that hands ``data`` out in the given piece sizes, in
    turn, as a socket delivers segments."""

    def __init__(self, data: bytes, pieces: list[int]) -> None:
        super().__init__()
        self._data = memoryview(data)
        self._pieces = pieces or [len(data) or 1]
        self._next = 0
        self._pos = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        piece = self._pieces[self._next % len(self._pieces)]
        self._next += 1
        count = min(len(buffer), piece, len(self._data) - self._pos)
        buffer[:count] = self._data[self._pos : self._pos + count]
        self._pos += count
        return count


@dataclass
class ScriptedSocket:
    """What HTTPResponse asks of a socket: ``makefile("rb")``."""

    data: bytes
    pieces: list[int]

    def makefile(self, mode: str) -> io.BufferedReader:
        assert mode == "rb"
        return io.BufferedReader(SegmentedRaw(self.data, self.pieces), buffer_size=64)


names = st.one_of(
    st.sampled_from(COMMON_NAMES),
    st.text(alphabet=TCHAR, min_size=1, max_size=12),
).filter(lambda name: name.lower() not in FRAMING_NAMES)
value_chars = st.characters(min_codepoint=0x21, max_codepoint=0xFF).filter(
    lambda char: char != "\x7f"
)
values = st.builds(
    lambda head, rest: head + rest,
    st.text(alphabet=value_chars, max_size=1),
    st.text(alphabet=st.one_of(value_chars, st.sampled_from(" \t")), max_size=30),
).map(str.rstrip)
fields = st.lists(st.tuples(names, values), max_size=8)
reasons = st.text(
    alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=20
)


@st.composite
def responses(draw: st.DrawFn) -> tuple[bytes, str, bool]:
    """A valid response and the method it answers; when the response's end
    is known without the connection ending, the next response follows it
    (the third item says so)."""
    method = draw(st.sampled_from(["GET", "GET", "HEAD"]))
    version = draw(st.sampled_from(["HTTP/1.1", "HTTP/1.0"]))
    status = draw(
        st.one_of(st.sampled_from([200, 204, 304, 404]), st.integers(200, 599))
    )
    reason = draw(reasons)
    status_line = (
        f"{version} {status} {reason}".rstrip()
        if not reason
        else f"{version} {status} {reason}"
    )
    head = [status_line.encode()]
    head += [f"{name}: {value}".encode("latin-1") for name, value in draw(fields)]
    body = draw(st.binary(max_size=300))
    no_body = method == "HEAD" or status in (204, 304)
    framing = draw(st.sampled_from(["length", "chunked", "close"]))
    if status == 204:
        framing = "close"  # a 204 has no framing fields (RFC 9110 section 8.6)
    elif status == 304 and framing == "chunked":
        framing = "length"
    payload = b"" if no_body else body
    if framing == "length":
        name = draw(
            st.sampled_from(["Content-Length", "content-length", "CONTENT-LENGTH"])
        )
        head.append(b"%s: %d" % (name.encode(), len(body)))
    elif framing == "chunked":
        head.append(b"Transfer-Encoding: chunked")
        if payload:
            payload = draw(_chunked(body))
        elif not no_body:
            payload = b"0\r\n\r\n"
    message = b"\r\n".join(head) + b"\r\n\r\n" + payload
    delimited = no_body or framing != "close"
    if delimited:
        message += NEXT_RESPONSE
    return message, method, delimited


@st.composite
def _chunked(draw: st.DrawFn, body: bytes) -> bytes:
    out = []
    pos = 0
    while pos < len(body):
        size = draw(st.integers(1, max(1, len(body) - pos)))
        digits = b"%x" % size if draw(st.booleans()) else b"%X" % size
        extension = draw(st.sampled_from([b"", b";a=b", b"; name", b';q="x y"']))
        out.append(digits + extension + b"\r\n" + body[pos : pos + size] + b"\r\n")
        pos += size
    out.append(draw(st.sampled_from([b"0", b"000"])) + b"\r\n")
    for name, value in draw(st.lists(st.tuples(names, values), max_size=3)):
        out.append(f"{name}: {value}\r\n".encode("latin-1"))
    out.append(b"\r\n")
    return b"".join(out)


def _read1(response: Any, size: int) -> bytes:
    return bytes(response.read1(size))


def _readinto(response: Any, size: int) -> bytes:
    buffer = bytearray(size)
    count = response.readinto(buffer)
    return bytes(buffer[:count])


STEPS: dict[str, Callable[[Any, int], bytes]] = {
    "read(n)": lambda response, size: bytes(response.read(size)),
    "readinto": _readinto,
    "read1": _read1,
    "readline": lambda response, size: bytes(response.readline()),
}


def _read(response: Any, how: str, size: int) -> bytes:
    if how == "read()":
        return bytes(response.read())
    pieces = []
    while piece := STEPS[how](response, size):
        pieces.append(piece)
    return b"".join(pieces)


def _observe(
    cls: type[Any], message: bytes, method: str, pieces: list[int], how: str, size: int
) -> dict[str, Any]:
    response = cls(ScriptedSocket(message, pieces), method=method)
    response.begin()
    seen = {
        "status": response.status,
        "reason": response.reason,
        "version": response.version,
        "fields": response.headers.items(),
        "getheaders": response.getheaders(),
        "will_close": response.will_close,
        "length": response.length,
        # http.client marks a HEAD response with Transfer-Encoding: chunked
        # as chunked although it has no body; httpcore does not.
        "chunked": response.chunked if method != "HEAD" else None,
    }
    seen["body"] = _read(response, how, size)
    response.close()
    return seen


@SETTINGS
@given(
    responses(),
    st.lists(st.integers(1, 80), max_size=6),
    st.sampled_from(["read()", *STEPS]),
    st.integers(1, 64),
)
def test_same_as_stdlib(
    response: tuple[bytes, str, bool], pieces: list[int], how: str, size: int
) -> None:
    message, method, _ = response
    ours = _observe(HTTPResponse, message, method, pieces, how, size)
    theirs = _observe(http.client.HTTPResponse, message, method, pieces, how, size)
    if theirs["version"] == 10 and theirs["chunked"]:
        # HTTP/1.0 has no chunked coding: httpcore closes such a connection
        # afterwards (RFC 9112 section 6.1), http.client may keep it.
        assert ours["will_close"]
        theirs["will_close"] = True
    assert ours == theirs


class KeepOpenReader(io.BufferedReader):
    """A reader that outlives the response closing it, so that the next
    response can be read from where the first one stopped."""

    def close(self) -> None:
        return


@dataclass
class PersistentSocket:
    """A socket whose makefile() is the same reader every time."""

    reader: io.BufferedReader

    def makefile(self, mode: str) -> io.BufferedReader:
        return self.reader


@SETTINGS
@given(
    responses(),
    st.lists(st.integers(1, 80), max_size=6),
    st.sampled_from(["read()", *STEPS]),
)
def test_body_ends_where_its_framing_says(
    response: tuple[bytes, str, bool], pieces: list[int], how: str
) -> None:
    message, method, delimited = response
    classes: tuple[type[Any], ...] = (HTTPResponse, http.client.HTTPResponse)
    for cls in classes:
        reader = KeepOpenReader(SegmentedRaw(message, pieces), buffer_size=64)
        sock = PersistentSocket(reader)
        first = cls(sock, method=method)
        first.begin()
        _read(first, how, 7)
        if not delimited:
            assert reader.read() == b""
            continue
        second = cls(sock, method="GET")
        second.begin()
        assert second.read() == b"next", cls
