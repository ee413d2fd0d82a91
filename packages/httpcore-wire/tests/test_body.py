# Request body framing and body pieces: tables of input -> exact result or
# exact exception.  The comparison with the running interpreter's
# http.client is in test_request_cpython.py.
#
# The functions are imported from the private module until
# httpcore_wire/__init__.py exports them.
from __future__ import annotations

import array
import io
import mmap
import re
from collections.abc import Callable, Collection, Iterator

import pytest
from hypothesis import given, strategies as st

from httpcore_wire._body import (
    body_chunks,
    content_length_of,
    encode_text_body,
    frame_request_body,
)


def _generator(*pieces: bytes) -> Iterator[bytes]:
    yield from pieces


# --- content_length_of -------------------------------------------------------

CONTENT_LENGTHS: list[tuple[Callable[[], object], str, int | None]] = [
    (lambda: None, "POST", 0),
    (lambda: None, "post", 0),
    (lambda: None, "PUT", 0),
    (lambda: None, "PATCH", 0),
    (lambda: None, "GET", None),
    (lambda: None, "DELETE", None),
    (lambda: None, "M-SEARCH", None),
    (lambda: b"", "GET", 0),
    (lambda: b"abc", "GET", 3),
    (lambda: bytearray(5), "POST", 5),
    (lambda: memoryview(b"abcd")[1:], "POST", 3),
    (lambda: array.array("H", [1, 2]), "POST", 4),
    (lambda: "héllo", "POST", 5),
    (lambda: "", "GET", 0),
    (lambda: io.BytesIO(b"abc"), "POST", None),
    (lambda: io.StringIO("abc"), "POST", None),
    (lambda: [b"a"], "POST", None),
    (lambda: _generator(b"a"), "POST", None),
    (lambda: 5, "POST", None),
    (lambda: {}, "POST", None),
]


@pytest.mark.parametrize(("make_body", "method", "expected"), CONTENT_LENGTHS)
def test_content_length_of(
    make_body: Callable[[], object], method: str, expected: int | None
) -> None:
    assert content_length_of(make_body(), method) == expected


def test_content_length_of_file_before_buffer() -> None:
    with mmap.mmap(-1, 8) as mapped:
        assert content_length_of(mapped, "POST") is None


def test_content_length_of_releases_the_buffer() -> None:
    body = bytearray(b"abc")
    assert content_length_of(body, "POST") == 3
    body.extend(b"def")  # BufferError if a view were still held
    assert body == b"abcdef"


# --- encode_text_body ----------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "expected"), [("héllo", b"h\xe9llo"), ("", b""), ("\xff", b"\xff")]
)
def test_encode_text_body(body: str, expected: bytes) -> None:
    assert encode_text_body(body) == expected


@pytest.mark.parametrize(
    ("body", "start", "end", "shown"),
    [
        ("€", 0, 1, "'€'"),
        ("price: 5€!", 8, 9, "'€'"),
        ("a€€€b", 1, 4, "'€€€'"),
        ("x" + "€" * 30, 1, 31, "'" + "€" * 19),
        ("\ud800", 0, 1, "'\\ud800'"),
    ],
)
def test_encode_text_body_error(body: str, start: int, end: int, shown: str) -> None:
    reason = (
        f"Body ({shown}) is not valid Latin-1. Use body.encode('utf-8') "
        "if you want to send it encoded in UTF-8."
    )
    with pytest.raises(UnicodeEncodeError) as info:
        encode_text_body(body)
    err = info.value
    assert (err.encoding, err.object, err.start, err.end) == (
        "latin-1",
        body,
        start,
        end,
    )
    assert err.reason == reason
    assert err.__suppress_context__


# --- frame_request_body --------------------------------------------------------

CL0 = [("Content-Length", "0")]
CL5 = [("Content-Length", "5")]
TE = [("Transfer-Encoding", "chunked")]

FRAMINGS: list[
    tuple[str, Callable[[], object], Collection[str], bool, list[tuple[str, str]], bool]
] = [
    ("GET", lambda: None, (), False, [], False),
    ("GET", lambda: None, (), True, [], False),
    ("POST", lambda: None, (), False, CL0, False),
    ("POST", lambda: None, (), True, CL0, False),
    ("put", lambda: None, (), False, CL0, False),
    ("GET", lambda: "", (), False, CL0, False),
    ("POST", lambda: b"hello", (), False, CL5, False),
    ("POST", lambda: b"hello", (), True, CL5, False),
    ("POST", lambda: "héllo", (), False, CL5, False),
    ("POST", lambda: memoryview(b"hello"), (), False, CL5, False),
    ("POST", lambda: [b"a"], (), False, TE, True),
    ("POST", lambda: (), (), False, TE, True),
    ("GET", lambda: _generator(), (), False, TE, True),
    ("POST", lambda: io.BytesIO(b"hello"), (), False, TE, True),
    ("POST", lambda: 5, (), False, TE, True),
    ("POST", lambda: None, {"host", "accept-encoding"}, False, CL0, False),
    ("POST", lambda: [b"a"], {"content-length"}, True, [], False),
    ("POST", lambda: [b"a"], {"content-length"}, False, [], False),
    ("POST", lambda: None, {"content-length"}, False, [], False),
    ("POST", lambda: [b"a"], {"transfer-encoding"}, False, [], False),
    ("POST", lambda: [b"a"], {"transfer-encoding"}, True, [], True),
    ("POST", lambda: b"x", {"transfer-encoding"}, True, [], True),
    ("PUT", lambda: None, {"transfer-encoding"}, False, [], False),
    ("POST", lambda: [b"a"], {"content-length", "transfer-encoding"}, True, [], False),
    ("POST", lambda: [b"a"], ["Content-Length"], True, [], False),
    ("POST", lambda: b"x", ("Transfer-ENCODING",), True, [], True),
]


@pytest.mark.parametrize(
    ("method", "make_body", "names", "encode_chunked", "fields", "chunked"), FRAMINGS
)
def test_frame_request_body(
    method: str,
    make_body: Callable[[], object],
    names: Collection[str],
    encode_chunked: bool,
    fields: list[tuple[str, str]],
    chunked: bool,
) -> None:
    assert frame_request_body(method, make_body(), names, encode_chunked) == (
        fields,
        chunked,
    )


# --- body_chunks ---------------------------------------------------------------


def _latin_1_reader(text: str) -> io.TextIOWrapper:
    return io.TextIOWrapper(io.BytesIO(text.encode("utf-8")), encoding="utf-8")


CHUNKS: list[tuple[Callable[[], object], int, list[bytes]]] = [
    (lambda: None, 8192, []),
    (lambda: b"", 8192, []),
    (lambda: b"abc", 8192, [b"abc"]),
    (lambda: b"abc", 1, [b"abc"]),
    (lambda: bytearray(b"abc"), 8192, [b"abc"]),
    (lambda: memoryview(b"abc"), 8192, [b"abc"]),
    (lambda: memoryview(b"abcdef")[::2], 8192, [b"ace"]),
    (lambda: array.array("B"), 8192, []),
    (lambda: array.array("B", b"xy"), 8192, [b"xy"]),
    (lambda: memoryview(bytes(range(6))).cast("B", (2, 3)), 8192, [bytes(range(6))]),
    (lambda: [], 8192, []),
    (lambda: (), 8192, []),
    (lambda: "", 8192, []),
    (
        lambda: [b"a", b"", bytearray(b"b"), memoryview(b"c"), b"d"],
        8192,
        [b"a", b"b", b"c", b"d"],
    ),
    (lambda: [None, 0, b"", "", [], bytearray(), b"x"], 8192, [b"x"]),
    (lambda: _generator(b"It's ", b"", b"just"), 8192, [b"It's ", b"just"]),
    (lambda: [array.array("H", [1])], 8192, [array.array("H", [1]).tobytes()]),
    (lambda: io.BytesIO(b"abcdefghij"), 4, [b"abcd", b"efgh", b"ij"]),
    (lambda: io.BytesIO(b"abcdefghij"), 8192, [b"abcdefghij"]),
    (lambda: io.BytesIO(b""), 8192, []),
    (lambda: io.StringIO("héllo wörld"), 4, [b"h\xe9ll", b"o w\xf6", b"rld"]),
    (lambda: _latin_1_reader("héllo"), 8192, [b"h\xe9llo"]),
]


@pytest.mark.parametrize(("make_body", "blocksize", "expected"), CHUNKS)
def test_body_chunks(
    make_body: Callable[[], object], blocksize: int, expected: list[bytes]
) -> None:
    pieces = list(body_chunks(make_body(), blocksize))
    assert [bytes(piece) for piece in pieces] == expected
    # Every piece is flat: len() counts bytes, as a chunk size must.
    assert [len(piece) for piece in pieces] == [len(piece) for piece in expected]
    for piece in pieces:
        assert isinstance(piece, bytes | bytearray | memoryview)


@pytest.mark.parametrize(
    "body", [b"same", bytearray(b"same"), memoryview(b"same"), memoryview(b"xsame")[1:]]
)
def test_body_chunks_passes_bytes_like_through(
    body: bytes | bytearray | memoryview,
) -> None:
    assert [piece is body for piece in body_chunks(body)] == [True]
    assert [piece is body for piece in body_chunks([body, body])] == [True, True]


def test_body_chunks_wide_items_become_byte_views() -> None:
    body = array.array("H", [1, 2, 3])
    (piece,) = body_chunks(body)
    assert isinstance(piece, memoryview)
    assert (piece.format, len(piece), piece.tobytes()) == ("B", 6, body.tobytes())


def test_body_chunks_file_before_buffer() -> None:
    with mmap.mmap(-1, 10) as mapped:
        mapped.write(b"0123456789")
        mapped.seek(6)
        assert list(body_chunks(mapped, 3)) == [b"678", b"9"]


class _CountingReader:
    def __init__(self, data: bytes) -> None:
        self.calls: list[int] = []
        self._file = io.BytesIO(data)

    def read(self, size: int) -> bytes:
        self.calls.append(size)
        return self._file.read(size)


def test_body_chunks_reads_lazily() -> None:
    reader = _CountingReader(b"abcde")
    pieces = body_chunks(reader, 2)
    assert reader.calls == []
    assert next(pieces) == b"ab"
    assert reader.calls == [2]
    assert list(pieces) == [b"cd", b"e"]
    assert reader.calls == [2, 2, 2, 2]


class _StopsAtNone:
    def __init__(self) -> None:
        self.blocks: list[bytes | None] = [b"ab", None, b"never"]

    def read(self, size: int) -> bytes | None:
        return self.blocks.pop(0)


def test_body_chunks_stops_at_the_first_falsy_block() -> None:
    assert list(body_chunks(_StopsAtNone())) == [b"ab"]


@pytest.mark.parametrize("body", [5, 1.5, object(), True])
def test_body_chunks_refuses_other_types_at_once(body: object) -> None:
    message = (
        f"message_body should be a bytes-like object or an iterable, got {type(body)!r}"
    )
    with pytest.raises(TypeError, match=f"^{re.escape(message)}$"):
        body_chunks(body)


ITEM_ERRORS: list[tuple[Callable[[], object], str]] = [
    (
        lambda: "abc",
        "an iterable body must give bytes-like objects, got str (encode text first)",
    ),
    (
        lambda: [b"a", "b"],
        "an iterable body must give bytes-like objects, got str (encode text first)",
    ),
    (lambda: [[b"a"]], "an iterable body must give bytes-like objects, got list"),
    (lambda: [5], "an iterable body must give bytes-like objects, got int"),
    (
        lambda: [io.BytesIO(b"a")],
        "an iterable body must give bytes-like objects, got BytesIO",
    ),
]


@pytest.mark.parametrize(("make_body", "message"), ITEM_ERRORS)
def test_body_chunks_refuses_items_that_are_not_bytes_like(
    make_body: Callable[[], object], message: str
) -> None:
    pieces = body_chunks(make_body())
    with pytest.raises(TypeError, match=f"^{re.escape(message)}$"):
        list(pieces)


class _TextWithoutTextIOBase:
    def read(self, size: int) -> str:
        return "text"


def test_body_chunks_refuses_text_from_a_binary_reader() -> None:
    message = "body.read() must give bytes-like objects, got str (encode text first)"
    with pytest.raises(TypeError, match=f"^{re.escape(message)}$"):
        next(body_chunks(_TextWithoutTextIOBase()))


def test_body_chunks_text_file_must_be_latin_1() -> None:
    pieces = body_chunks(io.StringIO("a€"))
    with pytest.raises(UnicodeEncodeError, match="'latin-1' codec can't encode"):
        next(pieces)


@pytest.mark.parametrize("blocksize", [0, -1])
def test_body_chunks_blocksize_must_be_positive_for_files(blocksize: int) -> None:
    message = f"blocksize must be a positive integer, not {blocksize}"
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        body_chunks(io.BytesIO(b"a"), blocksize)
    assert list(body_chunks(b"a", blocksize)) == [b"a"]


@given(data=st.binary(max_size=300), blocksize=st.integers(1, 64))
def test_body_chunks_file_pieces_join_to_the_file(data: bytes, blocksize: int) -> None:
    pieces = list(body_chunks(io.BytesIO(data), blocksize))
    assert b"".join(pieces) == data
    assert all(0 < len(piece) <= blocksize for piece in pieces)


@given(items=st.lists(st.binary(max_size=8) | st.none()))
def test_body_chunks_iterable_skips_only_empty_items(items: list[bytes | None]) -> None:
    expected = [item for item in items if item]
    assert list(body_chunks(iter(items))) == expected
