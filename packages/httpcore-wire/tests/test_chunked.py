# The chunked transfer coding (RFC 9112 section 7.1): ChunkedDecoder,
# ChunkedEncoder, and the pull side (decode_chunks(), compact_chunks()).
# Tables of wire bytes -> exact body, trailers, unused bytes or exact
# exception; every input also fed split at every offset; hypothesis
# round trips through the encoder and the decoder; and a differential test
# against the running interpreter's http.client.HTTPResponse, with each
# input that CPython accepts and we refuse listed and asserted explicitly.
from __future__ import annotations

import array
import functools
import http.client
import io
import itertools
import os
import random
import secrets
import socket
import tracemalloc
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, cast

import pytest
from hypothesis import given, settings, strategies as st

from httpcore_headers import (
    HeaderBlockTooLarge,
    HTTPException,
    HTTPMessage,
    LineTooLong,
    TooManyHeaders,
)
from httpcore_wire import (
    ChunkedDecoder,
    ChunkedEncoder,
    IncompleteRead,
    InvalidChunk,
    _chunked_pull,
    compact_chunks,
    decode_chunks,
)

Fields = list[tuple[str, str]]
Limits = dict[str, int]

# --- helpers --------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """Everything a decoder produced for one input, however it was split."""

    body: bytes
    done: bool
    trailers: Fields | None
    unused: bytes
    error: type[Exception] | None
    message: str | None


def is_done(decoder: ChunkedDecoder) -> bool:
    """``decoder.done``, read through a call so that a type checker does not
    carry what it learnt from an earlier assertion past a feed."""
    return decoder.done


def trailer_items(decoder: ChunkedDecoder) -> Fields | None:
    trailers = decoder.trailers
    return None if trailers is None else trailers.items()


def decode_pieces(
    pieces: Iterable[bytes], *, eof: bool = True, limits: Limits | None = None
) -> Outcome:
    """Feed ``pieces`` to a new decoder, then signal the end of the input.

    An error ends the run; the body then holds what was returned before it
    plus the error's ``partial``.
    """
    decoder = ChunkedDecoder(**(limits or {}))
    out: list[bytes] = []
    try:
        for piece in pieces:
            returned = decoder.feed(piece)
            assert all(isinstance(view, memoryview) for view in returned)
            out.extend(bytes(view) for view in returned)
        if eof:
            decoder.end_of_input()
    except HTTPException as error:
        if isinstance(error, IncompleteRead):
            out.append(error.partial)
        return Outcome(b"".join(out), False, None, b"", type(error), str(error))
    body = b"".join(out)
    assert decoder.received == len(body)
    trailers = trailer_items(decoder)
    assert (trailers is None) is not decoder.done
    return Outcome(body, decoder.done, trailers, decoder.unused, None, None)


def splits(data: bytes) -> Iterator[list[bytes]]:
    """``data`` whole, a byte at a time, in two pieces at every offset and,
    when it is short, in three pieces at every pair of offsets."""
    size = len(data)
    yield [data]
    yield [data[i : i + 1] for i in range(size)]
    for i in range(size + 1):
        yield [data[:i], data[i:]]
    if size <= 40:
        for i in range(size + 1):
            for j in range(i, size + 1):
                yield [data[:i], data[i:j], data[j:]]


def assert_split_invariant(
    data: bytes, *, eof: bool = True, limits: Limits | None = None
) -> Outcome:
    """Decode ``data`` split in every way ``splits`` knows and check that every
    split gives the result of the whole: the same body, trailers and unused
    bytes, or the same error.  Where the body is cut short by an error, a
    split may have returned data that the whole input refuses or drops in
    one go (a chunk's data before its bad CRLF arrived, or the body decoded
    in the feed that broke a trailer limit), never more than a byte at a
    time returns."""
    whole = decode_pieces([data], eof=eof, limits=limits)
    bytewise = decode_pieces(
        [data[i : i + 1] for i in range(len(data))], eof=eof, limits=limits
    )
    for pieces in splits(data):
        got = decode_pieces(pieces, eof=eof, limits=limits)
        if whole.error is None:
            assert got == whole, pieces
        else:
            assert got.error is whole.error, pieces
            assert got.body.startswith(whole.body), pieces
            assert bytewise.body.startswith(got.body), pieces
    return whole


class _Reader(io.BufferedReader):
    """A reader that keeps what was left unread when http.client closes it."""

    leftover: bytes | None = None

    def close(self) -> None:
        if not self.closed:
            self.leftover = self.read()
        super().close()


class _FakeSocket:
    def __init__(self, raw: bytes) -> None:
        self.reader = _Reader(io.BytesIO(raw))

    def makefile(self, *args: object, **kwargs: object) -> _Reader:
        return self.reader


def cpython_read_chunked(wire: bytes) -> tuple[bytes, bytes | None]:
    """The body CPython's HTTPResponse reads from a chunked response whose
    body is ``wire``, and the bytes it left unread."""
    sock = _FakeSocket(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + wire)
    response = http.client.HTTPResponse(cast(socket.socket, sock), method="GET")
    response.begin()
    assert response.chunked
    body = response.read()
    return body, sock.reader.leftover


def run_wire(
    count: int,
    size: int,
    *,
    seed: int = 0,
    lines: dict[int, bytes] | None = None,
    ends: dict[int, bytes] | None = None,
) -> tuple[list[bytes], bytes]:
    """``count`` chunks of ``size`` random bytes, chunked, with the size line
    or the CRLF after the data of chosen chunks replaced."""
    rng = random.Random(seed)
    chunks = [bytes(rng.getrandbits(8) for _ in range(size)) for _ in range(count)]
    lines = lines or {}
    ends = ends or {}
    line = b"%x\r\n" % size
    wire = b"".join(
        lines.get(k, line) + chunk + ends.get(k, b"\r\n")
        for k, chunk in enumerate(chunks)
    )
    return chunks, wire + b"0\r\n\r\n"


# --- decoding: valid bodies -------------------------------------------------------

VALID: list[tuple[str, bytes, bytes, Fields, bytes]] = [
    ("one-chunk", b"5\r\nhello\r\n0\r\n\r\n", b"hello", [], b""),
    (
        "two-chunks",
        b"5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n",
        b"hello world",
        [],
        b"",
    ),
    ("no-chunks", b"0\r\n\r\n", b"", [], b""),
    ("upper-hex", b"A\r\n0123456789\r\n0\r\n\r\n", b"0123456789", [], b""),
    ("lower-hex", b"a\r\n0123456789\r\n0\r\n\r\n", b"0123456789", [], b""),
    ("mixed-case-hex", b"1a\r\n" + b"x" * 26 + b"\r\n0\r\n\r\n", b"x" * 26, [], b""),
    ("leading-zeros", b"0005\r\nhello\r\n0000\r\n\r\n", b"hello", [], b""),
    ("16-digits", b"0000000000000005\r\nhello\r\n0\r\n\r\n", b"hello", [], b""),
    ("extension", b"5;name=value\r\nhello\r\n0\r\n\r\n", b"hello", [], b""),
    ("quoted-extension", b'5;a="b;c"\r\nhello\r\n0\r\n\r\n', b"hello", [], b""),
    ("bws-before-extension", b"5 \t;x\r\nhello\r\n0\r\n\r\n", b"hello", [], b""),
    ("empty-extension", b"5;\r\nhello\r\n0\r\n\r\n", b"hello", [], b""),
    ("last-chunk-extension", b"5\r\nhello\r\n0;end=1\r\n\r\n", b"hello", [], b""),
    ("trailing-ows", b"5 \t\r\nhello\r\n0 \r\n\r\n", b"hello", [], b""),
    ("lf-size-lines", b"5\nhello\r\n0\n\n", b"hello", [], b""),
    ("lf-extension", b"5;x\nhello\r\n0;y\n\n", b"hello", [], b""),
    (
        "trailers",
        b"5\r\nhello\r\n0\r\nChecksum: abc\r\nX-Other: 1\r\n\r\n",
        b"hello",
        [("Checksum", "abc"), ("X-Other", "1")],
        b"",
    ),
    (
        "repeated-trailer",
        b"0\r\nA: 1\r\nA: 2\r\n\r\n",
        b"",
        [("A", "1"), ("A", "2")],
        b"",
    ),
    ("lf-trailers", b"5\r\nhello\r\n0\nA: b\n\n", b"hello", [("A", "b")], b""),
    ("obs-fold-trailer", b"0\r\nA: b\r\n c\r\n\r\n", b"", [("A", "b\r\n c")], b""),
    (
        "unused",
        b"5\r\nhello\r\n0\r\n\r\nHTTP/1.1 200 OK\r\n",
        b"hello",
        [],
        b"HTTP/1.1 200 OK\r\n",
    ),
    (
        "unused-after-trailers",
        b"0\r\nA: b\r\n\r\nrest",
        b"",
        [("A", "b")],
        b"rest",
    ),
    ("crlf-in-data", b"4\r\n\r\n\r\n\r\n0\r\n\r\n", b"\r\n\r\n", [], b""),
    ("size-line-in-data", b"3\r\n0\r\n\r\n0\r\n\r\n", b"0\r\n", [], b""),
    ("binary-data", b"3\r\n\x00\xff\n\r\n0\r\n\r\n", b"\x00\xff\n", [], b""),
    (
        "one-byte-chunks",
        b"".join(b"1\r\n%c\r\n" % c for c in b"abcdefghij") + b"0\r\n\r\n",
        b"abcdefghij",
        [],
        b"",
    ),
    (
        "run-of-equal-chunks",
        b"3\r\nabc\r\n" * 12 + b"0\r\n\r\n",
        b"abc" * 12,
        [],
        b"",
    ),
    (
        "run-changing-size",
        b"2\r\nab\r\n" * 5 + b"3\r\nabc\r\n" * 5 + b"2\r\nab\r\n" * 5 + b"0\r\n\r\n",
        b"ab" * 5 + b"abc" * 5 + b"ab" * 5,
        [],
        b"",
    ),
    (
        "run-same-size-other-spelling",
        b"3\r\nabc\r\n" * 5 + b"03\r\nabc\r\n" + b"3;x\r\nabc\r\n" * 5 + b"0\r\n\r\n",
        b"abc" * 11,
        [],
        b"",
    ),
    (
        "large-chunk",
        b"10000\r\n" + b"z" * 0x10000 + b"\r\n0\r\n\r\n",
        b"z" * 0x10000,
        [],
        b"",
    ),
]


@pytest.mark.parametrize(
    ("wire", "body", "trailers", "unused"),
    [pytest.param(*case[1:], id=case[0]) for case in VALID],
)
def test_decode(wire: bytes, body: bytes, trailers: Fields, unused: bytes) -> None:
    decoder = ChunkedDecoder()
    assert decoder.decode(wire) == body
    assert decoder.done
    assert isinstance(decoder.trailers, HTTPMessage)
    assert decoder.trailers.items() == trailers
    assert decoder.unused == unused
    assert decoder.received == len(body)
    assert decoder.chunk_left is None
    decoder.end_of_input()


@pytest.mark.parametrize(
    "wire",
    [pytest.param(case[1], id=case[0]) for case in VALID if len(case[1]) < 400],
)
def test_decode_split_anywhere(wire: bytes) -> None:
    whole = assert_split_invariant(wire)
    assert whole.done


# --- decoding: the end of the input --------------------------------------------

ACCEPTED_EOF: list[tuple[str, bytes, bytes, Fields]] = [
    ("after-last-chunk", b"5\r\nhello\r\n0\r\n", b"hello", []),
    ("after-last-chunk-lf", b"5\r\nhello\r\n0\n", b"hello", []),
    ("after-last-chunk-extension", b"0;x=y\r\n", b"", []),
    ("inside-trailer-line", b"5\r\nhello\r\n0\r\nA: b", b"hello", [("A", "b")]),
    ("after-trailer-line", b"5\r\nhello\r\n0\r\nA: b\r\n", b"hello", [("A", "b")]),
    ("after-trailer-cr", b"5\r\nhello\r\n0\r\nA: b\r\n\r", b"hello", [("A", "b")]),
    ("after-cr-of-empty-line", b"0\r\n\r", b"", []),
]


@pytest.mark.parametrize(
    ("wire", "body", "trailers"),
    [pytest.param(*case[1:], id=case[0]) for case in ACCEPTED_EOF],
)
def test_end_of_input_after_last_chunk(
    wire: bytes, body: bytes, trailers: Fields
) -> None:
    decoder = ChunkedDecoder()
    assert decoder.decode(wire) == body
    assert not is_done(decoder)
    assert trailer_items(decoder) is None
    decoder.end_of_input()
    assert decoder.done
    assert trailer_items(decoder) == trailers
    assert decoder.unused == b""
    assert_split_invariant(wire)


TRUNCATED: list[tuple[str, bytes, bytes, int | None]] = [
    ("empty", b"", b"", None),
    ("inside-size-line", b"5", b"", None),
    ("inside-size-line-cr", b"5\r", b"", None),
    ("inside-extension", b"5;ext", b"", None),
    ("before-data", b"5\r\n", b"", 5),
    ("inside-data", b"5\r\nhel", b"hel", 2),
    ("before-crlf", b"5\r\nhello", b"hello", None),
    ("inside-crlf", b"5\r\nhello\r", b"hello", None),
    ("before-next-size-line", b"5\r\nhello\r\n", b"hello", None),
    # CPython takes b"0" and b"0\r" at the end of the input as the last chunk
    # (int() strips whitespace); a size line is only complete with its LF.
    ("inside-last-chunk-line", b"5\r\nhello\r\n0", b"hello", None),
    ("inside-last-chunk-line-cr", b"5\r\nhello\r\n0\r", b"hello", None),
    ("inside-huge-chunk", b"FFFFFFFFFFFFFFFF\r\nab", b"ab", 2**64 - 3),
]


@pytest.mark.parametrize(
    ("wire", "body", "expected"),
    [pytest.param(*case[1:], id=case[0]) for case in TRUNCATED],
)
def test_end_of_input_too_early(wire: bytes, body: bytes, expected: int | None) -> None:
    decoder = ChunkedDecoder()
    assert decoder.decode(wire) == body
    with pytest.raises(IncompleteRead) as info:
        decoder.end_of_input()
    assert type(info.value) is IncompleteRead
    assert info.value.expected == expected
    assert info.value.partial == b""
    assert not decoder.done
    assert decoder.trailers is None
    assert_split_invariant(wire)


def test_end_of_input_when_done_is_a_no_op() -> None:
    decoder = ChunkedDecoder()
    decoder.feed(b"0\r\n\r\n")
    decoder.end_of_input()
    decoder.end_of_input()
    assert decoder.done


# --- decoding: invalid framing ---------------------------------------------------

_SIZE_PROBLEM = " is not 1 to 16 hex digits followed by an optional extension"


def _bad_line(line: bytes) -> str:
    return f"chunk-size line {line!r}{_SIZE_PROBLEM}"


def _bad_end(found: bytes) -> str:
    return f"chunk data is followed by {found!r} instead of CRLF"


INVALID: list[tuple[str, bytes, str, bytes]] = [
    ("plus-sign", b"+5\r\nhello\r\n0\r\n\r\n", _bad_line(b"+5\r\n"), b""),
    ("minus-sign", b"-5\r\nhello\r\n0\r\n\r\n", _bad_line(b"-5\r\n"), b""),
    ("minus-zero", b"-0\r\n\r\n", _bad_line(b"-0\r\n"), b""),
    ("0x-prefix", b"0x5\r\nhello\r\n0\r\n\r\n", _bad_line(b"0x5\r\n"), b""),
    ("0X-prefix", b"0X5\r\nhello\r\n0\r\n\r\n", _bad_line(b"0X5\r\n"), b""),
    (
        "underscore",
        b"1_0\r\n" + b"x" * 16 + b"\r\n0\r\n\r\n",
        _bad_line(b"1_0\r\n"),
        b"",
    ),
    ("leading-space", b" 5\r\nhello\r\n0\r\n\r\n", _bad_line(b" 5\r\n"), b""),
    ("leading-tab", b"\t5\r\nhello\r\n0\r\n\r\n", _bad_line(b"\t5\r\n"), b""),
    ("empty-size", b"\r\nhello\r\n0\r\n\r\n", _bad_line(b"\r\n"), b""),
    ("empty-size-lf", b"\n", _bad_line(b"\n"), b""),
    ("extension-without-size", b";x\r\nhello\r\n0\r\n\r\n", _bad_line(b";x\r\n"), b""),
    (
        "17-digits",
        b"00000000000000005\r\nhello\r\n0\r\n\r\n",
        _bad_line(b"00000000000000005\r\n"),
        b"",
    ),
    ("non-hex-digit", b"g\r\nhello\r\n0\r\n\r\n", _bad_line(b"g\r\n"), b""),
    ("hex-then-junk", b"5g\r\nhello\r\n0\r\n\r\n", _bad_line(b"5g\r\n"), b""),
    ("space-inside", b"5 5\r\nhello\r\n0\r\n\r\n", _bad_line(b"5 5\r\n"), b""),
    ("cr-cr-lf", b"5\r\r\nhello\r\n0\r\n\r\n", _bad_line(b"5\r\r\n"), b""),
    ("vertical-tab", b"5\x0b\r\nhello\r\n0\r\n\r\n", _bad_line(b"5\x0b\r\n"), b""),
    ("form-feed", b"5\x0c\r\nhello\r\n0\r\n\r\n", _bad_line(b"5\x0c\r\n"), b""),
    ("nul", b"5\x00\r\nhello\r\n0\r\n\r\n", _bad_line(b"5\x00\r\n"), b""),
    ("cr-in-extension", b"5;a\rb\r\nhello\r\n0\r\n\r\n", _bad_line(b"5;a\rb\r\n"), b""),
    (
        "bad-last-chunk-line",
        b"5\r\nhello\r\n0x0\r\n\r\n",
        _bad_line(b"0x0\r\n"),
        b"hello",
    ),
    ("crlf-is-XX", b"5\r\nhelloXX0\r\n\r\n", _bad_end(b"XX"), b""),
    ("crlf-is-lf", b"5\r\nhello\n0\r\n\r\n", _bad_end(b"\n0"), b""),
    ("crlf-is-cr", b"5\r\nhello\r0\r\n\r\n", _bad_end(b"\r0"), b""),
    ("crlf-is-lf-cr", b"5\r\nhello\n\r0\r\n\r\n", _bad_end(b"\n\r"), b""),
    ("crlf-missing", b"5\r\nhello0\r\n\r\n", _bad_end(b"0\r"), b""),
    ("data-too-long", b"5\r\nhello!\r\n0\r\n\r\n", _bad_end(b"!\r"), b""),
    ("data-too-short", b"5\r\nhell\r\n0\r\n\r\n", _bad_end(b"\n0"), b""),
    ("lf-after-size-as-data", b"5\n\nhello\r\n0\r\n\r\n", _bad_end(b"o\r"), b""),
    (
        "second-chunk-bad",
        b"5\r\nhello\r\n3\r\nabcXY0\r\n\r\n",
        _bad_end(b"XY"),
        b"hello",
    ),
    (
        "empty-line-between-chunks",
        b"5\r\nhello\r\n\r\n0\r\n\r\n",
        _bad_line(b"\r\n"),
        b"hello",
    ),
    (
        "bad-crlf-at-end-of-input",
        b"1\r\naX",
        _bad_end(b"X"),
        b"a",
    ),
]


@pytest.mark.parametrize(
    ("wire", "message", "partial"),
    [pytest.param(*case[1:], id=case[0]) for case in INVALID],
)
def test_decode_invalid(wire: bytes, message: str, partial: bytes) -> None:
    decoder = ChunkedDecoder()
    with pytest.raises(InvalidChunk) as info:
        decoder.feed(wire)
    error = info.value
    assert isinstance(error, IncompleteRead)
    assert str(error) == message
    assert error.reason == message
    assert error.partial == partial
    assert error.args == (partial,)
    assert not decoder.done


@pytest.mark.parametrize(
    "wire",
    [pytest.param(case[1], id=case[0]) for case in INVALID if len(case[1]) < 100],
)
def test_decode_invalid_split_anywhere(wire: bytes) -> None:
    whole = assert_split_invariant(wire)
    assert whole.error is InvalidChunk


def test_partial_is_the_body_of_the_failing_feed() -> None:
    decoder = ChunkedDecoder()
    assert decoder.decode(b"5\r\nhello\r\n") == b"hello"
    with pytest.raises(InvalidChunk) as info:
        decoder.feed(b"3\r\nabc\r\n2\r\nde\r\n+1\r\n")
    assert info.value.partial == b"abcde"
    assert info.value.args == (b"abcde",)
    message = _bad_line(b"+1\r\n")
    assert str(info.value) == message
    assert repr(info.value) == f"InvalidChunk({message!r})"


def test_invalid_chunk_is_caught_as_incomplete_read() -> None:
    decoder = ChunkedDecoder()
    with pytest.raises(IncompleteRead, match=r"instead of CRLF"):
        decoder.feed(b"5\r\nhelloXX0\r\n\r\n")


def test_crlf_checked_when_split_between_its_bytes() -> None:
    decoder = ChunkedDecoder()
    assert decoder.decode(b"5\r\nhello\r") == b"hello"
    with pytest.raises(InvalidChunk) as info:
        decoder.feed(b"X0\r\n\r\n")
    assert str(info.value) == _bad_end(b"\rX")
    assert info.value.partial == b""


# --- decoding: limits ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("wire", "max_line", "ok"),
    [
        pytest.param(b"5;1234\r\nhello\r\n0\r\n\r\n", 8, True, id="crlf-at-limit"),
        pytest.param(b"5;12345\r\nhello\r\n0\r\n\r\n", 8, False, id="crlf-over-limit"),
        pytest.param(b"5;12345\nhello\r\n0\r\n\r\n", 8, True, id="lf-at-limit"),
        pytest.param(b"5;123456\nhello\r\n0\r\n\r\n", 8, False, id="lf-over-limit"),
        pytest.param(b"5\r\nhello\r\n0;12345\r\n\r\n", 8, False, id="last-chunk-line"),
        pytest.param(
            b"5;" + b"x" * 65532 + b"\r\nhello\r\n0\r\n\r\n", None, True, id="default"
        ),
        pytest.param(
            b"5;" + b"x" * 65533 + b"\r\nhello\r\n0\r\n\r\n",
            None,
            False,
            id="default-over",
        ),
    ],
)
def test_size_line_limit(wire: bytes, max_line: int | None, ok: bool) -> None:
    limit = 65536 if max_line is None else max_line
    decoder = ChunkedDecoder(max_line=max_line)
    if ok:
        assert decoder.decode(wire) == b"hello"
        assert decoder.done
        return
    with pytest.raises(LineTooLong) as info:
        decoder.feed(wire)
    assert str(info.value) == f"got more than {limit} bytes when reading chunk size"
    assert str(info.value) == str(LineTooLong("chunk size", limit))


def test_size_line_limit_split_anywhere() -> None:
    for max_line in (8, 9):
        whole = assert_split_invariant(
            b"5;12345\r\nhello\r\n0\r\n\r\n", limits={"max_line": max_line}
        )
        assert (whole.error is None) is (max_line == 9)
        if whole.error is not None:
            assert whole.error is LineTooLong


def test_endless_size_line_is_refused_before_its_end() -> None:
    decoder = ChunkedDecoder(max_line=50)
    decoder.feed(b"5;" + b"x" * 40)
    with pytest.raises(
        LineTooLong, match=r"^got more than 50 bytes when reading chunk size$"
    ):
        decoder.feed(b"x" * 20)


@pytest.mark.parametrize(
    ("trailer", "limits", "error"),
    [
        pytest.param(
            b"A: 1\r\nB: 2\r\n\r\n", {"max_trailer_lines": 3}, None, id="lines-at-limit"
        ),
        pytest.param(
            b"A: 1\r\nB: 2\r\nC: 3\r\n\r\n",
            {"max_trailer_lines": 3},
            TooManyHeaders,
            id="lines-over-limit",
        ),
        pytest.param(
            b"A: 1\n\n", {"max_trailer_lines": 2}, None, id="lf-lines-at-limit"
        ),
        pytest.param(
            b"".join(b"X-%d: v\r\n" % i for i in range(99)) + b"\r\n",
            {},
            None,
            id="default-99-fields",
        ),
        pytest.param(
            b"".join(b"X-%d: v\r\n" % i for i in range(100)) + b"\r\n",
            {},
            TooManyHeaders,
            id="default-100-fields",
        ),
        pytest.param(
            b"".join(b"X: v\r\n" for i in range(5000)) + b"\r\n",
            {},
            TooManyHeaders,
            id="5000-fields",
        ),
        pytest.param(
            b"X: " + b"v" * 15 + b"\r\n\r\n", {"max_line": 20}, None, id="line-at-limit"
        ),
        pytest.param(
            b"X: " + b"v" * 16 + b"\r\n\r\n",
            {"max_line": 20},
            LineTooLong,
            id="line-over-limit",
        ),
        pytest.param(
            b"X: " + b"v" * 70000 + b"\r\n\r\n",
            {},
            LineTooLong,
            id="default-line-limit",
        ),
        pytest.param(
            b"A: 12345678901\r\n\r\n",
            {"max_trailer_size": 18},
            None,
            id="size-at-limit",
        ),
        pytest.param(
            b"A: 123456789012\r\n\r\n",
            {"max_trailer_size": 18},
            HeaderBlockTooLarge,
            id="size-over-limit",
        ),
    ],
)
def test_trailer_limits(
    trailer: bytes, limits: dict[str, int], error: type[Exception] | None
) -> None:
    wire = b"5\r\nhello\r\n0\r\n" + trailer
    decoder = ChunkedDecoder(**limits)
    if error is None:
        assert decoder.decode(wire) == b"hello"
        assert decoder.done
    else:
        with pytest.raises(error):
            decoder.feed(wire)
    if len(wire) < 200:
        whole = assert_split_invariant(wire, limits=limits)
        assert whole.error is error


def test_trailer_limits_at_end_of_input() -> None:
    decoder = ChunkedDecoder(max_trailer_lines=2)
    decoder.feed(b"0\r\nA: 1\r\n")
    decoder.end_of_input()
    assert decoder.trailers is not None
    assert decoder.trailers.items() == [("A", "1")]
    decoder = ChunkedDecoder(max_trailer_lines=2)
    with pytest.raises(TooManyHeaders):
        decoder.feed(b"0\r\nA: 1\r\nB: 2\r\n")


# --- decoding: attributes, buffers, memory ----------------------------------------


def progress(decoder: ChunkedDecoder) -> tuple[bool, int | None, int, Fields | None]:
    return decoder.done, decoder.chunk_left, decoder.received, trailer_items(decoder)


def test_progress_attributes() -> None:
    decoder = ChunkedDecoder()
    assert progress(decoder) == (False, None, 0, None)
    assert decoder.unused == b""
    assert decoder.decode(b"a\r\n0123") == b"0123"
    assert progress(decoder) == (False, 6, 4, None)
    assert decoder.decode(b"45") == b"45"
    assert progress(decoder) == (False, 4, 6, None)
    assert decoder.decode(b"6789\r\n") == b"6789"
    assert progress(decoder) == (False, None, 10, None)
    assert decoder.decode(b"0\r\nA: b\r\n") == b""
    assert progress(decoder) == (False, None, 10, None)
    assert decoder.unused == b""
    assert decoder.decode(b"\r\nnext") == b""
    assert progress(decoder) == (True, None, 10, [("A", "b")])
    assert decoder.unused == b"next"
    assert decoder.feed(b" more") == []
    assert decoder.feed(bytearray(b"!")) == []
    assert decoder.unused == b"next more!"
    assert progress(decoder) == (True, None, 10, [("A", "b")])


def test_huge_declared_size_allocates_nothing() -> None:
    decoder = ChunkedDecoder()
    pieces = decoder.feed(b"1000000000000000\r\nhello")
    assert [bytes(piece) for piece in pieces] == [b"hello"]
    assert decoder.chunk_left == 2**60 - 5
    assert decoder.received == 5
    assert decoder.decode(b"world") == b"world"
    assert decoder.chunk_left == 2**60 - 10


def test_largest_chunk_size() -> None:
    decoder = ChunkedDecoder()
    assert decoder.decode(b"ffffffffffffffff\r\nab") == b"ab"
    assert decoder.chunk_left == 2**64 - 3


@pytest.mark.parametrize("piece", [1 << 20, 1 << 16, 1000])
def test_memory_stays_bounded(piece: int) -> None:
    data = bytes(1 << 20)
    pieces = [data[i : i + piece] for i in range(0, len(data), piece)]
    decoder = ChunkedDecoder()
    tracemalloc.start()
    try:
        decoder.feed(b"FFFFFFFFFFFFFFF\r\n")
        for chunk in pieces:
            decoder.feed(chunk)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 3 << 20
    assert decoder.received == 1 << 20
    assert decoder.chunk_left == 0xFFFFFFFFFFFFFFF - (1 << 20)


def test_memory_stays_bounded_with_size_line_in_same_feed() -> None:
    data = b"FFFFFFFFFFFFFFF\r\n" + bytes(1 << 20)
    decoder = ChunkedDecoder()
    tracemalloc.start()
    try:
        out = decoder.feed(data)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 3 << 20
    assert sum(map(len, out)) == 1 << 20


def test_memory_bounded_with_long_repeated_extensions() -> None:
    # Extensions unique to this call, so that no cached helper is reused.
    wire = b"".join(
        (b"1;" + secrets.token_hex(8000).encode() + b"\r\nx\r\n") * 5 for _ in range(2)
    )
    tracemalloc.start()
    try:
        decoder = ChunkedDecoder()
        assert decoder.decode(wire + b"0\r\n\r\n") == b"x" * 10
        del decoder
        retained = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    assert retained < 1 << 20


def test_pieces_are_views_of_the_bytes_fed() -> None:
    data = b"5\r\nhello\r\n3\r\nabc\r\n0\r\n\r\n"
    pieces = ChunkedDecoder().feed(data)
    assert [bytes(piece) for piece in pieces] == [b"hello", b"abc"]
    assert all(piece.obj is data for piece in pieces)


@pytest.mark.parametrize(
    "make", [bytearray, memoryview, lambda data: memoryview(bytearray(data))]
)
def test_mutable_buffers_are_copied(make: Callable[[bytes], Any]) -> None:
    buffer = make(b"5\r\nhello\r\n0\r\n\r\nrest")
    decoder = ChunkedDecoder()
    pieces = decoder.feed(buffer)
    if isinstance(buffer, memoryview) and not buffer.readonly:
        buffer[3:8] = b"HELLO"
    elif isinstance(buffer, bytearray):
        buffer[3:8] = b"HELLO"
        buffer.extend(b"grow")  # no view of the caller's buffer is held
    assert b"".join(pieces) == b"hello"
    assert decoder.unused == b"rest"
    assert type(decoder.unused) is bytes


def test_memoryview_of_other_format() -> None:
    wire = b"4\r\nabcd\r\n0\r\n\r\n"
    assert len(wire) % 2 == 0
    decoder = ChunkedDecoder()
    assert decoder.decode(memoryview(wire).cast("H")) == b"abcd"
    assert decoder.done


def test_empty_feeds() -> None:
    decoder = ChunkedDecoder()
    for piece in (b"", b"5\r\n", b"", b"hello", b"", b"\r\n0\r\n", b"", b"\r\n", b""):
        decoder.feed(piece)
    assert decoder.done
    assert decoder.received == 5


# --- decoding: runs of equal-sized chunks (the batched fast path) ----------------

# Chunk 57 of 100 chunks of 300 bytes ("12c\r\n" + data + "\r\n", 307 bytes
# each) replaced; "bad" when the framing is invalid, "eof" when the input
# ends inside a chunk, "ok" when the framing is valid.
RUN_DAMAGE: list[tuple[str, dict[int, bytes], dict[int, bytes], str]] = [
    ("intact", {}, {}, "ok"),
    ("crlf-XX", {}, {57: b"XX"}, "bad"),
    ("crlf-cr-X", {}, {57: b"\rX"}, "bad"),
    ("crlf-X-lf", {}, {57: b"X\n"}, "bad"),
    ("crlf-lf-lf", {}, {57: b"\n\n"}, "bad"),
    ("crlf-missing", {}, {57: b""}, "bad"),
    ("crlf-doubled", {}, {57: b"\r\n\r\n"}, "bad"),
    ("crlf-of-first-chunk", {}, {0: b"XX"}, "bad"),
    ("crlf-at-batch-end", {}, {31: b"XX"}, "bad"),
    ("crlf-after-batch", {}, {32: b"XX"}, "bad"),
    ("crlf-of-last-chunk", {}, {99: b"\r\r"}, "bad"),
    ("size-plus-one", {57: b"12d\r\n"}, {}, "bad"),
    ("size-minus-one", {57: b"12b\r\n"}, {}, "bad"),
    ("size-middle-digit", {57: b"13c\r\n"}, {}, "bad"),
    ("size-not-hex", {57: b"12x\r\n"}, {}, "bad"),
    ("size-first-digit", {57: b"92c\r\n"}, {}, "bad"),
    ("size-extra-digit", {57: b"912c\r\n"}, {}, "eof"),
    ("size-upper-case", {57: b"12C\r\n"}, {}, "ok"),
    ("size-leading-zero", {57: b"012c\r\n"}, {}, "ok"),
    ("size-extension", {57: b"12c;x\r\n"}, {}, "ok"),
    ("size-lf-only", {57: b"12c\n"}, {}, "ok"),
    ("size-of-first-chunk", {0: b"12d\r\n"}, {}, "bad"),
]


def _feed_sizes(length: int) -> list[int]:
    rng = random.Random(length)
    fixed = [2, 3, 7, 64, 299, 300, 301, 306, 307, 308, 613, 614, 1228, 1229]
    fixed += [4911, 4912, 9824, 9825, 10000, 17573, 65536, length]
    return fixed + [rng.randrange(1, length + 1) for _ in range(10)]


def _irregular_splits(data: bytes, seed: int) -> list[bytes]:
    rng = random.Random(seed)
    pieces = []
    pos = 0
    while pos < len(data):
        step = rng.choice((1, 2, rng.randrange(1, 700), rng.randrange(1, 20000)))
        pieces.append(data[pos : pos + step])
        pos += step
    return pieces


@pytest.mark.parametrize(
    ("lines", "ends", "verdict"),
    [pytest.param(*case[1:], id=case[0]) for case in RUN_DAMAGE],
)
def test_run_of_equal_chunks_with_damage(
    lines: dict[int, bytes], ends: dict[int, bytes], verdict: str
) -> None:
    chunks, wire = run_wire(100, 300, lines=lines, ends=ends)
    # A byte at a time, no batch of chunks is ever in one buffer.
    reference = decode_pieces([wire[i : i + 1] for i in range(len(wire))])
    damaged = min([*lines, *ends], default=len(chunks))
    before = b"".join(chunks[:damaged])
    # What follows the damaged chunk's size line, the most it can yield.
    rest = wire[damaged * 307 + len(lines.get(damaged, b"12c\r\n")) :]
    if verdict == "ok":
        assert reference == Outcome(b"".join(chunks), True, [], b"", None, None)
    elif verdict == "bad":
        assert reference.error is InvalidChunk
        assert reference.body.startswith(before)
        assert rest.startswith(reference.body[len(before) :])
    else:
        assert reference.error is IncompleteRead
        assert reference.body == before + rest
    splittings = [
        [wire[i : i + size] for i in range(0, len(wire), size)]
        for size in _feed_sizes(len(wire))
    ]
    splittings += [_irregular_splits(wire, seed) for seed in range(10)]
    whole = decode_pieces([wire])
    for pieces in splittings:
        got = decode_pieces(pieces)
        if verdict == "bad":
            assert got.error is InvalidChunk, len(pieces[0])
            assert got.body.startswith(whole.body)
            assert reference.body.startswith(got.body)
            assert len(got.body) >= len(before)
        else:
            assert got == reference, len(pieces[0])


def test_run_damage_whole_feed_is_exact() -> None:
    chunks, wire = run_wire(100, 300, ends={57: b"XX"})
    decoder = ChunkedDecoder()
    with pytest.raises(InvalidChunk) as info:
        decoder.feed(wire)
    assert str(info.value) == _bad_end(b"XX")
    assert info.value.partial == b"".join(chunks[:57])
    chunks, wire = run_wire(100, 300, lines={57: b"12d\r\n"})
    with pytest.raises(InvalidChunk) as info:
        ChunkedDecoder().feed(wire)
    assert str(info.value) == _bad_end(b"\n1")
    assert info.value.partial == b"".join(chunks[:57])


def test_many_different_runs() -> None:
    # More distinct run sizes than one decoder builds batch helpers for, in
    # an order that leaves and re-enters runs.
    rng = random.Random(7)
    sizes = [rng.randrange(1, 200) for _ in range(30)]
    sizes += sizes[:5]
    body = []
    wire = []
    for size in sizes:
        for _ in range(rng.randrange(1, 40)):
            data = bytes(rng.getrandbits(8) for _ in range(size))
            body.append(data)
            wire.append(b"%x\r\n" % size + data + b"\r\n")
    data = b"".join(wire) + b"0\r\n\r\n"
    expected = Outcome(b"".join(body), True, [], b"", None, None)
    assert decode_pieces([data]) == expected
    for seed in range(5):
        assert decode_pieces(_irregular_splits(data, seed)) == expected


@st.composite
def damaged_runs(draw: st.DrawFn) -> tuple[bytes, list[bytes]]:
    size = draw(st.integers(1, 30))
    count = draw(st.integers(4, 60))
    seed = draw(st.integers(0, 2**16))
    _, wire = run_wire(count, size, seed=seed)
    data = bytearray(wire)
    for _ in range(draw(st.integers(0, 2))):
        at = draw(st.integers(0, len(data) - 1))
        action = draw(st.sampled_from(["replace", "insert", "delete"]))
        value = draw(st.sampled_from([0x0D, 0x0A, 0x30, 0x31, 0x41, 0x3B, 0x20]))
        if action == "replace":
            data[at] = value
        elif action == "insert":
            data.insert(at, value)
        else:
            del data[at]
    cuts = sorted(draw(st.lists(st.integers(0, len(data)), max_size=8)))
    bounds = [0, *cuts, len(data)]
    return bytes(data), [bytes(data[a:b]) for a, b in itertools.pairwise(bounds)]


@settings(max_examples=250, deadline=None)
@given(damaged_runs())
def test_damaged_runs_decode_as_byte_at_a_time(case: tuple[bytes, list[bytes]]) -> None:
    data, pieces = case
    reference = decode_pieces([data[i : i + 1] for i in range(len(data))])
    whole = decode_pieces([data])
    for got in (whole, decode_pieces(pieces)):
        if reference.error in (None, IncompleteRead):
            # Complete, or cut short at the end of the input.
            assert got == reference
        else:
            # Refused while feeding (bad framing, or a trailer limit when a
            # damaged size line turned data into a trailer section): what
            # was returned before the error depends on the split.
            assert got.error is reference.error
            assert reference.body.startswith(got.body)
            assert got.body.startswith(whole.body)


# --- decoding: round trips -----------------------------------------------------------

_TCHAR = "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
_VALUE_CHARS = st.sampled_from(
    [chr(c) for c in (*range(0x21, 0x7F), *range(0xA0, 0x100))]
)
field_names = st.text(alphabet=_TCHAR, min_size=1, max_size=12)
field_values = st.text(alphabet=_VALUE_CHARS | st.sampled_from(" \t"), max_size=16).map(
    lambda value: value.lstrip(" \t")
)
trailer_fields = st.lists(st.tuples(field_names, field_values), max_size=6)


def _as_kind(data: bytes, kind: str) -> bytes | bytearray | memoryview:
    if kind == "bytearray":
        return bytearray(data)
    if kind == "memoryview":
        return memoryview(data)
    return data


def _cut(data: bytes, cuts: Sequence[int]) -> list[bytes]:
    bounds = [0, *sorted(min(cut, len(data)) for cut in cuts), len(data)]
    return [data[a:b] for a, b in itertools.pairwise(bounds)]


@settings(max_examples=250, deadline=None)
@given(
    pieces=st.lists(st.binary(max_size=80) | st.binary(max_size=3000), max_size=12),
    trailers=trailer_fields,
    kind=st.sampled_from(["bytes", "bytearray", "memoryview"]),
    how=st.sampled_from(["encode", "encode_bytes", "write_to", "chunk"]),
    cuts=st.lists(st.integers(0, 40000), max_size=10),
)
def test_round_trip(
    pieces: list[bytes], trailers: Fields, kind: str, how: str, cuts: list[int]
) -> None:
    encoder = ChunkedEncoder()
    body = [_as_kind(piece, kind) for piece in pieces]
    if how == "encode":
        wire = b"".join(encoder.encode(body, trailers))
    elif how == "encode_bytes":
        wire = b"".join(encoder.encode_bytes(body, trailers))
    elif how == "write_to":
        out: list[bytes] = []
        written = encoder.write_to(lambda data: out.append(bytes(data)), body, trailers)
        assert written == sum(map(len, pieces))
        wire = b"".join(out)
    else:
        parts = [bytes(part) for piece in body for part in encoder.chunk(piece)]
        wire = b"".join(parts) + encoder.last_chunk(trailers)
    got = decode_pieces(_cut(wire, cuts), eof=False)
    assert got == Outcome(b"".join(pieces), True, trailers, b"", None, None)


@settings(max_examples=200, deadline=None)
@given(
    pieces=st.lists(st.binary(min_size=1, max_size=50), max_size=8),
    trailers=trailer_fields,
    suffix=st.binary(max_size=30),
    cuts=st.lists(st.integers(0, 600), max_size=6),
)
def test_round_trip_leaves_what_follows(
    pieces: list[bytes], trailers: Fields, suffix: bytes, cuts: list[int]
) -> None:
    wire = b"".join(ChunkedEncoder().encode(pieces, trailers)) + suffix
    got = decode_pieces(_cut(wire, cuts), eof=False)
    assert got == Outcome(b"".join(pieces), True, trailers, suffix, None, None)


# --- decoding: differential against http.client --------------------------------------

CPYTHON_SAME: list[tuple[str, bytes]] = [
    ("one-chunk", b"5\r\nhello\r\n0\r\n\r\n"),
    ("next-message", b"5\r\nhello\r\n0\r\n\r\nHTTP/1.1 200 OK\r\n\r\n"),
    (
        "sizes",
        b"1\r\na\r\n10\r\n" + b"b" * 16 + b"\r\nFF\r\n" + b"c" * 255 + b"\r\n0\r\n\r\n",
    ),
    ("extensions", b'5;a=b\r\nhello\r\n3 ;x="y"\r\nabc\r\n0;z\r\n\r\n'),
    ("lf-size-lines", b"5\nhello\r\n0\n\n"),
    ("trailers", b"5\r\nhello\r\n0\r\nA: 1\r\nB: 2\r\n\r\nrest"),
    ("lf-trailers", b"5\r\nhello\r\n0\nA: 1\nB: 2\n\nrest"),
    ("eof-after-last-chunk", b"5\r\nhello\r\n0\r\n"),
    ("eof-in-trailers", b"5\r\nhello\r\n0\r\nA: 1\r\n"),
    ("trailing-whitespace", b"5 \r\nhello\r\n0\t\r\n\r\n"),
    ("upper-and-lower", b"a\r\n0123456789\r\nA\r\n0123456789\r\n0\r\n\r\n"),
    ("leading-zeros", b"0005\r\nhello\r\n000\r\n\r\n"),
    ("run", b"3\r\nabc\r\n" * 50 + b"0\r\n\r\n"),
    ("empty", b"0\r\n\r\n"),
]


def _ours(wire: bytes) -> tuple[bytes, bytes]:
    decoder = ChunkedDecoder()
    body = decoder.decode(wire)
    decoder.end_of_input()
    return body, decoder.unused


@pytest.mark.parametrize("wire", [pytest.param(w, id=i) for i, w in CPYTHON_SAME])
def test_same_as_cpython(wire: bytes) -> None:
    assert _ours(wire) == cpython_read_chunked(wire)
    if len(wire) < 100:
        assert assert_split_invariant(wire).error is None


@st.composite
def cpython_chunked_bodies(draw: st.DrawFn) -> tuple[bytes, bytes, Fields, bytes]:
    """A chunked body CPython reads correctly, as wire bytes, with its
    data, trailers and the bytes after it."""
    eol = st.sampled_from([b"\r\n", b"\n"])
    chunks = draw(st.lists(st.binary(min_size=1, max_size=400), max_size=8))
    wire = []
    for chunk in chunks:
        digits = draw(st.sampled_from([b"%x", b"%X", b"%04x", b"%016X"])) % len(chunk)
        ows = draw(st.sampled_from([b"", b" ", b"\t", b" \t "]))
        ext = draw(st.sampled_from([b"", b";a=b", b';q="x;y"', b";", b"; n = v"]))
        wire.append(digits + ows + ext + draw(eol) + chunk + b"\r\n")
    last = draw(st.sampled_from([b"0", b"000", b"0;end"]))
    wire.append(last + draw(eol))
    trailers = draw(
        trailer_fields.map(lambda fields: [(n, v.strip()) for n, v in fields])
    )
    for name, value in trailers:
        wire.append(f"{name}: {value}".encode("latin-1") + draw(eol))
    ending = draw(st.sampled_from(["complete", "eof"]))
    suffix = b""
    if ending == "complete":
        suffix = draw(st.binary(max_size=20))
        wire.append(draw(eol) + suffix)
    return b"".join(wire), b"".join(chunks), trailers, suffix


@settings(max_examples=250, deadline=None)
@given(case=cpython_chunked_bodies(), cuts=st.lists(st.integers(0, 4000), max_size=6))
def test_same_as_cpython_generated(
    case: tuple[bytes, bytes, Fields, bytes], cuts: list[int]
) -> None:
    wire, body, trailers, suffix = case
    assert cpython_read_chunked(wire) == (body, suffix)
    assert decode_pieces(_cut(wire, cuts)) == Outcome(
        body, True, trailers, suffix, None, None
    )


# Inputs CPython reads without an error (the body it returns is asserted,
# so a change in CPython shows up here) and we refuse.
CPYTHON_LENIENT: list[tuple[str, bytes, bytes]] = [
    ("plus-sign", b"+5\r\nhello\r\n0\r\n\r\n", b"hello"),
    ("0x-prefix", b"0x5\r\nhello\r\n0\r\n\r\n", b"hello"),
    ("0X-prefix", b"0X5\r\nhello\r\n0\r\n\r\n", b"hello"),
    ("underscore", b"1_0\r\n" + b"x" * 16 + b"\r\n0\r\n\r\n", b"x" * 16),
    ("leading-space", b" 5\r\nhello\r\n0\r\n\r\n", b"hello"),
    ("leading-tab", b"\t5\r\nhello\r\n0\r\n\r\n", b"hello"),
    ("vertical-tab", b"5\x0b\r\nhello\r\n0\r\n\r\n", b"hello"),
    ("cr-cr-lf", b"5\r\r\nhello\r\n0\r\n\r\n", b"hello"),
    ("minus-zero", b"5\r\nhello\r\n-0\r\n\r\n", b"hello"),
    ("17-digits", b"00000000000000005\r\nhello\r\n0\r\n\r\n", b"hello"),
    ("crlf-is-XX", b"5\r\nhelloXX0\r\n\r\n", b"hello"),
    ("crlf-is-junk-then-size", b"3\r\nabc!!3\r\ndef\r\n0\r\n\r\n", b"abcdef"),
]


@pytest.mark.parametrize(
    ("wire", "cpython_body"),
    [pytest.param(*case[1:], id=case[0]) for case in CPYTHON_LENIENT],
)
def test_cpython_accepts_we_refuse(wire: bytes, cpython_body: bytes) -> None:
    assert cpython_read_chunked(wire) == (cpython_body, b"")
    with pytest.raises(InvalidChunk):
        ChunkedDecoder().feed(wire)
    assert assert_split_invariant(wire).error is InvalidChunk


def test_cpython_accepts_endless_trailers_we_refuse() -> None:
    wire = b"5\r\nhello\r\n0\r\n" + b"X: v\r\n" * 5000 + b"\r\n"
    assert cpython_read_chunked(wire) == (b"hello", b"")
    with pytest.raises(TooManyHeaders):
        ChunkedDecoder().feed(wire)


def test_cpython_reads_what_the_encoder_writes() -> None:
    encoder = ChunkedEncoder(blocksize=7)
    body = [b"a", b"", bytearray(b"bc" * 100), memoryview(b"d" * 5000)]
    for wire in (
        b"".join(encoder.encode(body, {"Checksum": "x"})),
        b"".join(encoder.encode_bytes(io.BytesIO(b"0123456789" * 30))),
    ):
        expected = ChunkedDecoder().decode(wire)
        assert cpython_read_chunked(wire) == (expected, b"")
    assert cpython_read_chunked(b"".join(encoder.encode(body)))[0] == (
        b"a" + b"bc" * 100 + b"d" * 5000
    )


# --- encoding ---------------------------------------------------------------------


CHUNKS: list[tuple[str, Callable[[], Any], bytes]] = [
    ("bytes", lambda: b"hello", b"5\r\nhello\r\n"),
    ("bytearray", lambda: bytearray(b"hello"), b"5\r\nhello\r\n"),
    ("memoryview", lambda: memoryview(b"xhellox")[1:-1], b"5\r\nhello\r\n"),
    ("one-byte", lambda: b"x", b"1\r\nx\r\n"),
    ("upper-case-hex", lambda: b"y" * 255, b"FF\r\n" + b"y" * 255 + b"\r\n"),
    ("size-10", lambda: b"z" * 16, b"10\r\n" + b"z" * 16 + b"\r\n"),
    (
        "array-of-int32",
        lambda: array.array("i", [1, 2, 3]),
        b"C\r\n" + array.array("i", [1, 2, 3]).tobytes() + b"\r\n",
    ),
    (
        "memoryview-of-uint16",
        lambda: memoryview(b"abcdef").cast("H"),
        b"6\r\nabcdef\r\n",
    ),
    (
        "two-dimensional",
        lambda: memoryview(b"abcdef").cast("B", (2, 3)),
        b"6\r\nabcdef\r\n",
    ),
]


@pytest.mark.parametrize(
    ("make", "expected"), [pytest.param(*case[1:], id=case[0]) for case in CHUNKS]
)
def test_chunk(make: Callable[[], Any], expected: bytes) -> None:
    encoder = ChunkedEncoder()
    pieces = encoder.chunk(make())
    assert len(pieces) == 3
    assert pieces[2] == b"\r\n"
    assert b"".join(pieces) == expected
    assert memoryview(pieces[1]).nbytes == len(expected) - len(pieces[0]) - 2
    assert encoder.chunk_bytes(make()) == expected
    assert type(encoder.chunk_bytes(make())) is bytes


@pytest.mark.parametrize(
    "empty",
    [b"", bytearray(), memoryview(b""), memoryview(b"abc")[3:], array.array("i")],
    ids=["bytes", "bytearray", "memoryview", "empty-slice", "array"],
)
def test_empty_chunk(empty: Any) -> None:
    encoder = ChunkedEncoder()
    assert encoder.chunk(empty) == []
    assert encoder.chunk_bytes(empty) == b""


def test_chunk_does_not_copy_bytes() -> None:
    data = b"hello"
    pieces = ChunkedEncoder().chunk(data)
    assert pieces[1] is data


@pytest.mark.parametrize(
    "make", [bytearray, memoryview], ids=["bytearray", "memoryview"]
)
def test_chunk_puts_the_object_itself_in_the_list(
    make: Callable[[bytes], Any],
) -> None:
    data = make(b"hello")
    assert ChunkedEncoder().chunk(data)[1] is data


def test_chunk_shares_the_memory_of_a_bytearray() -> None:
    data = bytearray(b"hello")
    pieces = ChunkedEncoder().chunk(data)
    data[0:1] = b"J"
    assert bytes(pieces[1]) == b"Jello"


LAST_CHUNKS: list[tuple[str, Callable[[], Any], bytes]] = [
    ("none", lambda: None, b"0\r\n\r\n"),
    ("empty-mapping", lambda: {}, b"0\r\n\r\n"),
    ("empty-list", lambda: [], b"0\r\n\r\n"),
    ("mapping", lambda: {"Checksum": "abc"}, b"0\r\nChecksum: abc\r\n\r\n"),
    (
        "pairs",
        lambda: [("A", "1"), ("A", "2"), ("B", "3")],
        b"0\r\nA: 1\r\nA: 2\r\nB: 3\r\n\r\n",
    ),
    ("generator", lambda: (pair for pair in [("A", "1")]), b"0\r\nA: 1\r\n\r\n"),
    ("int-value", lambda: {"X-Count": 5}, b"0\r\nX-Count: 5\r\n\r\n"),
    ("bytes-name-and-value", lambda: [(b"X-B", b"v\xff")], b"0\r\nX-B: v\xff\r\n\r\n"),
    ("latin-1-value", lambda: {"X": "\xe9t\xe9"}, b"0\r\nX: \xe9t\xe9\r\n\r\n"),
    ("empty-value", lambda: {"X": ""}, b"0\r\nX: \r\n\r\n"),
]


@pytest.mark.parametrize(
    ("trailers", "expected"),
    [pytest.param(*case[1:], id=case[0]) for case in LAST_CHUNKS],
)
def test_last_chunk(trailers: Callable[[], Any], expected: bytes) -> None:
    assert ChunkedEncoder().last_chunk(trailers()) == expected


def test_last_chunk_default() -> None:
    assert ChunkedEncoder().last_chunk() == b"0\r\n\r\n"


_BAD_NAME = r"^Invalid header name "
_BAD_VALUE = r"^Invalid header value "
_NOT_ASCII = r"'ascii' codec can't encode"
_NOT_LATIN_1 = r"'latin-1' codec can't encode"


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        pytest.param("", "v", _BAD_NAME, id="empty-name"),
        pytest.param("Bad:Name", "v", _BAD_NAME, id="colon-in-name"),
        pytest.param(" Lead", "v", _BAD_NAME, id="leading-space-name"),
        pytest.param("A\r\nB", "v", _BAD_NAME, id="crlf-in-name"),
        pytest.param("A\x00", "v", _BAD_NAME, id="nul-in-name"),
        pytest.param("A\x01", "v", _BAD_NAME, id="control-in-name"),
        pytest.param("N\xe4me", "v", _NOT_ASCII, id="non-ascii-name"),
        pytest.param("X", "a\r\nb", _BAD_VALUE, id="crlf-in-value"),
        pytest.param("X", "a\nb", _BAD_VALUE, id="lf-in-value"),
        pytest.param("X", "a\rb", _BAD_VALUE, id="cr-in-value"),
        pytest.param("X", "a\x00b", _BAD_VALUE, id="nul-in-value"),
        pytest.param("X", "a\r\n", _BAD_VALUE, id="crlf-at-end-of-value"),
        pytest.param("X", "a\r\n b", _BAD_VALUE, id="obs-fold-value"),
        pytest.param("Key ", "v", _BAD_NAME, id="trailing-space-name"),
        pytest.param("X", "\u20ac", _NOT_LATIN_1, id="non-latin-1-value"),
    ],
)
def test_last_chunk_refuses_bad_fields(name: str, value: str, message: str) -> None:
    encoder = ChunkedEncoder()
    with pytest.raises(ValueError, match=message):
        encoder.last_chunk({name: value})
    with pytest.raises(ValueError, match=message):
        list(encoder.encode(b"body", [(name, value)]))


def _generator(*pieces: bytes) -> Iterator[bytes]:
    yield from pieces


BODIES: list[tuple[str, Callable[[], object], int, list[bytes]]] = [
    ("bytes", lambda: b"hello", 8192, [b"hello"]),
    ("empty-bytes", lambda: b"", 8192, []),
    ("bytearray", lambda: bytearray(b"hello"), 8192, [b"hello"]),
    ("memoryview", lambda: memoryview(b"hello"), 8192, [b"hello"]),
    ("bytes-larger-than-blocksize", lambda: b"x" * 20, 8, [b"x" * 20]),
    (
        "array",
        lambda: array.array("H", [1, 2]),
        8192,
        [array.array("H", [1, 2]).tobytes()],
    ),
    (
        "list",
        lambda: [b"a", b"", bytearray(b"bc"), memoryview(b"d")],
        8192,
        [b"a", b"bc", b"d"],
    ),
    ("tuple", lambda: (b"ab", b"cd"), 8192, [b"ab", b"cd"]),
    ("generator", lambda: _generator(b"a", b"", b"b"), 8192, [b"a", b"b"]),
    ("empty-list", lambda: [], 8192, []),
    ("binary-file", lambda: io.BytesIO(b"abcdefg"), 3, [b"abc", b"def", b"g"]),
    ("binary-file-exact", lambda: io.BytesIO(b"abcdef"), 3, [b"abc", b"def"]),
    ("empty-binary-file", lambda: io.BytesIO(b""), 3, []),
    (
        "buffered-file",
        lambda: io.BufferedReader(io.BytesIO(b"x" * 10)),
        4,
        [b"xxxx", b"xxxx", b"xx"],
    ),
    ("text-file", lambda: io.StringIO("h\xe9llo"), 8192, [b"h\xe9llo"]),
    ("text-file-blocks", lambda: io.StringIO("h\xe9llo"), 2, [b"h\xe9", b"ll", b"o"]),
]


@pytest.mark.parametrize(
    ("make", "blocksize", "chunks"),
    [pytest.param(*case[1:], id=case[0]) for case in BODIES],
)
def test_encode_bodies(
    make: Callable[[], object], blocksize: int, chunks: list[bytes]
) -> None:
    expected = b"".join(b"%X\r\n%s\r\n" % (len(c), c) for c in chunks) + b"0\r\n\r\n"
    trailer = b"0\r\nT: 1\r\n\r\n"
    encoder = ChunkedEncoder(blocksize=blocksize)
    pieces = list(encoder.encode(make()))
    assert b"".join(bytes(piece) for piece in pieces) == expected
    assert len(pieces) == 3 * len(chunks) + 1
    per_chunk = list(encoder.encode_bytes(make(), {"T": "1"}))
    assert all(type(item) is bytes for item in per_chunk)
    assert per_chunk == [b"%X\r\n%s\r\n" % (len(c), c) for c in chunks] + [trailer]
    written: list[bytes] = []
    total = encoder.write_to(lambda data: written.append(bytes(data)), make())
    assert total == sum(map(len, chunks))
    assert b"".join(written) == expected
    assert len(written) == len(chunks) + 1


def test_encode_is_zero_copy() -> None:
    data = b"x" * 100
    pieces = list(ChunkedEncoder().encode(data, {"A": "b"}))
    assert pieces[1] is data
    assert pieces == [b"64\r\n", data, b"\r\n", b"0\r\nA: b\r\n\r\n"]


@pytest.mark.parametrize(("size", "line"), [(1, b"1\r\n"), (16 << 20, b"1000000\r\n")])
def test_frame_for_data_sent_elsewhere(size: int, line: bytes) -> None:
    # What os.sendfile() callers send around the file's bytes; the same
    # framing chunk() builds around data.
    encoder = ChunkedEncoder()
    assert encoder.frame(size) == (line, b"\r\n")
    data = b"x" * size
    assert encoder.chunk(data) == [line, data, b"\r\n"]


@pytest.mark.parametrize("size", [0, -1])
def test_frame_refuses_an_empty_chunk(size: int) -> None:
    with pytest.raises(ValueError, match="at least one byte"):
        ChunkedEncoder().frame(size)


def test_write_to_coalesces_small_chunks_only() -> None:
    big = b"b" * 100
    calls: list[object] = []
    total = ChunkedEncoder().write_to(calls.append, [b"small", big], coalesce=99)
    assert total == 105
    assert calls == [b"5\r\nsmall\r\n", b"64\r\n", big, b"\r\n", b"0\r\n\r\n"]
    assert calls[2] is big
    calls.clear()
    ChunkedEncoder().write_to(calls.append, [big], {"T": "x"}, coalesce=100)
    assert calls == [b"64\r\n" + big + b"\r\n", b"0\r\nT: x\r\n\r\n"]


def test_write_to_default_coalesce() -> None:
    calls: list[object] = []
    ChunkedEncoder().write_to(calls.append, [b"a" * 65536, b"b" * 65537])
    assert len(calls) == 1 + 3 + 1


def test_encode_text_file_outside_latin_1() -> None:
    with pytest.raises(UnicodeEncodeError):
        list(ChunkedEncoder().encode(io.StringIO("\u20ac")))


@pytest.mark.parametrize("body", [5, 1.5, object()], ids=["int", "float", "object"])
def test_encode_refuses_other_bodies(body: object) -> None:
    with pytest.raises(TypeError, match=r"bytes-like object or an iterable"):
        list(ChunkedEncoder().encode(body))


def test_encode_refuses_text_items() -> None:
    with pytest.raises(TypeError, match=r"encode text first"):
        list(ChunkedEncoder().encode(["text"]))


@pytest.mark.parametrize("blocksize", [0, -1])
def test_blocksize_must_be_positive(blocksize: int) -> None:
    with pytest.raises(ValueError, match=r"blocksize"):
        ChunkedEncoder(blocksize=blocksize)


def test_default_blocksize_is_cpythons() -> None:
    encoder = ChunkedEncoder()
    assert encoder.blocksize == 8192
    pieces = list(encoder.encode_bytes(io.BytesIO(b"x" * 10000)))
    assert pieces[0].startswith(b"2000\r\n")
    assert pieces[1].startswith(b"710\r\n")


# --- decode_chunks: the pull side, as a reader's buffer shows the bytes ------------


def pull(wire: bytes, visible: int, limit: int) -> tuple[bytes, str, int]:
    """Decode ``wire`` with decode_chunks() as a client reading through a
    buffered reader does: at most ``visible`` bytes shown at a time (more
    when the framing at the start is not all there), at most ``limit`` body
    bytes per call.  Returns the body, how it ended ("last": the last
    chunk's size line; "eof": the bytes ran out) and where it stopped."""
    body: list[bytes] = []
    pos = 0
    chunk_left: int | None = None
    while True:
        shown = visible
        while True:
            buf = wire[pos : pos + shown]
            step = decode_chunks(buf, chunk_left, limit)
            if step.used or step.last or pos + shown >= len(wire):
                break
            shown *= 2  # the reader falls back to reading a line
        body.extend(map(bytes, step.data))
        pos += step.used
        chunk_left = step.chunk_left
        if step.last:
            return b"".join(body), "last", pos
        if not step.used:
            return b"".join(body), "eof", pos


PULL_VIEWS = (1, 2, 3, 5, 8, 64, 1 << 20)
PULL_LIMITS = (1, 2, 7, 1 << 30)


@pytest.mark.parametrize("limit", PULL_LIMITS)
@pytest.mark.parametrize("visible", PULL_VIEWS)
@pytest.mark.parametrize(
    ("wire", "body", "fields", "unused"),
    [pytest.param(*c[1:], id=c[0]) for c in VALID],
)
def test_decode_chunks_valid(
    wire: bytes, body: bytes, fields: Fields, unused: bytes, visible: int, limit: int
) -> None:
    got, end, pos = pull(wire, visible, limit)
    assert (got, end) == (body, "last")
    # What is left for the reader is the trailer section and what follows.
    decoder = ChunkedDecoder()
    decoder.feed(b"0\r\n" + wire[pos:])
    assert decoder.done
    assert decoder.trailers is not None
    assert list(decoder.trailers.items()) == fields
    assert decoder.unused == unused


@pytest.mark.parametrize("limit", PULL_LIMITS)
@pytest.mark.parametrize("visible", PULL_VIEWS)
@pytest.mark.parametrize(
    ("wire", "message"), [pytest.param(c[1], c[2], id=c[0]) for c in INVALID]
)
def test_decode_chunks_invalid(
    wire: bytes, message: str, visible: int, limit: int
) -> None:
    # The same refusals however the bytes are shown; the same message when
    # they are shown whole (else the bytes found may be fewer, as when
    # ChunkedDecoder is fed the same split).
    with pytest.raises(InvalidChunk) as info:
        pull(wire, visible, limit)
    if visible >= len(wire):
        assert str(info.value) == message
    else:
        assert str(info.value).split(" b")[0] == message.split(" b")[0]


def test_decode_chunks_stops_before_incomplete_framing() -> None:
    assert decode_chunks(b"5\r\nhel", None, 100) == (
        [memoryview(b"hel")],
        6,
        2,
        False,
    )
    step = decode_chunks(b"lo\r", 2, 100)
    assert (list(map(bytes, step.data)), step.used, step.chunk_left) == ([b"lo"], 2, 0)
    assert decode_chunks(b"\r", 0, 100) == ([], 0, 0, False)
    assert decode_chunks(b"\r\n1", 0, 100) == ([], 2, None, False)
    assert decode_chunks(b"0\r\nX-Trailer: 1\r\n\r\n", None, 1) == ([], 3, None, True)


def test_decode_chunks_at_the_limit_leaves_the_crlf() -> None:
    # As http.client's read(amt) leaves it when amt ends a chunk.
    step = decode_chunks(b"5\r\nhello\r\n5\r\nworld\r\n", None, 5)
    assert (b"".join(step.data), step.used, step.chunk_left) == (b"hello", 8, 0)


def test_decode_chunks_runs_of_equal_chunks() -> None:
    chunks, wire = run_wire(100, 7)
    step = decode_chunks(wire, None, 1 << 30)
    assert b"".join(step.data) == b"".join(chunks)
    assert step.last
    step = decode_chunks(wire, None, 7 * 50 + 3)
    assert b"".join(step.data) == b"".join(chunks)[: 7 * 50 + 3]
    assert step.chunk_left == 4


@pytest.mark.parametrize(
    ("lines", "ends"), [pytest.param(c[1], c[2], id=c[0]) for c in RUN_DAMAGE]
)
@pytest.mark.parametrize("visible", [307 * 40, 1 << 20])
def test_decode_chunks_damaged_runs(
    lines: dict[int, bytes], ends: dict[int, bytes], visible: int
) -> None:
    # The batched path refuses what ChunkedDecoder refuses, with its message.
    _, wire = run_wire(100, 300, lines=lines, ends=ends)
    got = body_or_refusal(lambda: pull(wire, visible, 1 << 30)[:2])
    assert got == decoder_body_or_refusal(wire)


def body_or_refusal(decode: Callable[[], tuple[bytes, str]]) -> tuple[bytes, str]:
    """What ``decode()`` returns (the body, and how it ended), or ``b""`` and
    the message of the InvalidChunk it raises."""
    try:
        return decode()
    except InvalidChunk as error:
        return b"", str(error)


def decoder_body_or_refusal(wire: bytes) -> tuple[bytes, str]:
    """:func:`body_or_refusal` of ChunkedDecoder on the whole of ``wire``
    ("last" when it ended the body, else "eof")."""
    decoder = ChunkedDecoder()
    return body_or_refusal(
        lambda: (decoder.decode(wire), "last" if decoder.done else "eof")
    )


def test_decode_chunks_line_limit() -> None:
    with pytest.raises(LineTooLong):
        decode_chunks(b"5;" + b"x" * 10 + b"\r\nhello", None, 10, max_line=8)
    with pytest.raises(LineTooLong):
        decode_chunks(b"5;" + b"x" * 10, None, 10, max_line=8)
    assert decode_chunks(b"5;12\r\nhello\r\n", None, 10, max_line=6).used == 13


def test_decode_chunks_leaves_large_chunks_to_the_caller() -> None:
    wire = b"3\r\nabc\r\n10\r\n" + b"x" * 16 + b"\r\n0\r\n\r\n"
    step = decode_chunks(wire, None, 100, max_chunk=8)
    assert (b"".join(step.data), step.used, step.chunk_left) == (b"abc", 8, None)
    assert decode_chunks(wire[8:], None, 100, max_chunk=8).used == 0
    assert b"".join(decode_chunks(wire, None, 100, max_chunk=16).data) == (
        b"abc" + b"x" * 16
    )


# --- compact_chunks: in place, as a reader receives into the caller's buffer --


@pytest.fixture(params=["python", "compiled"])
def compaction(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Each compact_chunks() test with the Python pass and with the compiled
    one (skipped where it is not built, unless HTTPCORE_REQUIRE_EXTENSIONS
    says it must be)."""
    if request.param == "python":
        monkeypatch.setattr(_chunked_pull, "_compact", _chunked_pull._compact_python)
    else:
        try:
            from httpcore_wire._speedups import compact_chunks as compiled
        except ImportError:
            if os.environ.get("HTTPCORE_REQUIRE_EXTENSIONS"):
                raise
            pytest.skip("httpcore_wire._speedups is not built")
        monkeypatch.setattr(_chunked_pull, "_compact", compiled)
    return str(request.param)


def receive(
    wire: bytes, pieces: int, room: int = 1 << 20, *, max_line: int | None = None
) -> tuple[bytes, str, int]:
    """Decode ``wire`` with compact_chunks() as a client receiving into a
    buffer of ``room`` bytes does: the bytes arrive ``pieces`` at a time,
    each after what the last call left unused; full buffers are handed
    over.  Returns the body, how it ended ("last" or "eof") and where in
    ``wire`` it stopped; an InvalidChunk carries the whole body before it."""
    body = bytearray()
    buffer = bytearray()
    pos = 0  # of wire, received
    chunk_left: int | None = None
    while True:
        take = max(1, min(pieces, room - len(buffer)))
        buffer += wire[pos : pos + take]
        pos += min(take, len(wire) - pos)
        try:
            step = compact_chunks(buffer, chunk_left, max_line=max_line)
        except InvalidChunk as error:
            error.partial = bytes(body) + error.partial
            raise
        body += buffer[: step.data]
        chunk_left = step.chunk_left
        buffer = buffer[step.used :]
        if step.last:
            return bytes(body), "last", pos - len(buffer)
        if pos == len(wire):
            return bytes(body), "eof", pos - len(buffer)


RECEIVE_PIECES = (1, 2, 3, 5, 8, 64, 1 << 20)


@pytest.mark.parametrize("pieces", RECEIVE_PIECES)
@pytest.mark.parametrize(
    ("wire", "body", "fields", "unused"),
    [pytest.param(*c[1:], id=c[0]) for c in VALID],
)
def test_compact_chunks_valid(
    compaction: str,
    wire: bytes,
    body: bytes,
    fields: Fields,
    unused: bytes,
    pieces: int,
) -> None:
    got, end, pos = receive(wire, pieces)
    assert (got, end) == (body, "last")
    # What is left is the trailer section and what follows.
    decoder = ChunkedDecoder()
    decoder.feed(b"0\r\n" + wire[pos:])
    assert decoder.trailers is not None
    assert list(decoder.trailers.items()) == fields
    assert decoder.unused == unused


@pytest.mark.parametrize("pieces", RECEIVE_PIECES)
@pytest.mark.parametrize(
    ("wire", "message", "partial"),
    [pytest.param(*c[1:], id=c[0]) for c in INVALID],
)
def test_compact_chunks_invalid(
    compaction: str, wire: bytes, message: str, partial: bytes, pieces: int
) -> None:
    # The refusals of ChunkedDecoder, with its message when the bytes are
    # there whole (else the bytes found may be fewer).
    with pytest.raises(InvalidChunk) as info:
        receive(wire, pieces)
    if pieces >= len(wire):
        assert str(info.value) == message
    else:
        assert str(info.value).split(" b")[0] == message.split(" b")[0]


def test_compact_chunks_partial_is_the_data_in_place(compaction: str) -> None:
    buffer = bytearray(b"5\r\nhello\r\n3\r\nabcXY0\r\n\r\n")
    with pytest.raises(InvalidChunk) as info:
        compact_chunks(buffer, None)
    # As the line-by-line reader has it: the data of the chunk not followed
    # by CRLF included.
    assert info.value.partial == b"helloabc"
    assert info.value.args == (b"helloabc",)
    assert buffer.startswith(b"helloabc")


@pytest.mark.parametrize(
    ("lines", "ends"), [pytest.param(c[1], c[2], id=c[0]) for c in RUN_DAMAGE]
)
@pytest.mark.parametrize("pieces", [307 * 40, 1 << 20])
def test_compact_chunks_damaged_runs(
    compaction: str, lines: dict[int, bytes], ends: dict[int, bytes], pieces: int
) -> None:
    _, wire = run_wire(100, 300, lines=lines, ends=ends)
    got = body_or_refusal(lambda: receive(wire, pieces)[:2])
    assert got == decoder_body_or_refusal(wire)


def test_compact_chunks_stops_before_incomplete_framing(compaction: str) -> None:
    def step(wire: bytes, chunk_left: int | None) -> tuple[Any, ...]:
        buffer = bytearray(wire)
        done = compact_chunks(buffer, chunk_left)
        return (bytes(buffer[: done.data]), *done[1:], bytes(buffer[done.used :]))

    assert step(b"5\r\nhel", None) == (b"hel", 6, 2, False, b"")
    assert step(b"lo\r", 2) == (b"lo", 2, 0, False, b"\r")
    assert step(b"\r", 0) == (b"", 0, 0, False, b"\r")
    assert step(b"\r\n1", 0) == (b"", 2, None, False, b"1")
    assert step(b"1\r", None) == (b"", 0, None, False, b"1\r")
    assert step(b"5;ext", None) == (b"", 0, None, False, b"5;ext")
    assert step(b"", None) == (b"", 0, None, False, b"")
    # The last chunk's size line is used; the trailer section is not.
    assert step(b"0\r\nX-Trailer: 1\r\n\r\n", None) == (
        b"",
        3,
        None,
        True,
        b"X-Trailer: 1\r\n\r\n",
    )


def test_compact_chunks_inside_a_large_chunk(compaction: str) -> None:
    # A declared size beyond anything buffered (2**64 - 1): all is data.
    buffer = bytearray(b"abc")
    assert compact_chunks(buffer, (1 << 64) - 1) == (3, 3, (1 << 64) - 4, False)
    buffer = bytearray(b"ffffffffffffffff\r\nabc")
    done = compact_chunks(buffer, None)
    assert (done.data, done.chunk_left) == (3, (1 << 64) - 4)
    assert buffer[:3] == b"abc"


def test_compact_chunks_line_limit(compaction: str) -> None:
    with pytest.raises(LineTooLong):
        compact_chunks(bytearray(b"5;" + b"x" * 10 + b"\r\nhello"), None, max_line=8)
    with pytest.raises(LineTooLong):
        compact_chunks(bytearray(b"5;" + b"x" * 10), None, max_line=8)
    assert compact_chunks(bytearray(b"5;12\r\nhello\r\n"), None, max_line=6).used == 13
    # The default limit, on an endless size line.
    with pytest.raises(LineTooLong):
        compact_chunks(bytearray(b"5" + b" " * 70000), None)


@pytest.mark.parametrize(
    "buffer",
    [b"5\r\nhello", memoryview(b"5\r\nhello")],
    ids=["bytes", "read-only view"],
)
def test_compact_chunks_needs_a_writable_buffer(compaction: str, buffer: Any) -> None:
    with pytest.raises(TypeError):
        compact_chunks(buffer, None)


def test_compact_chunks_takes_views_of_other_formats(compaction: str) -> None:
    wire = b"4\r\nabcd\r\n0\r\n\r\n"
    buffer = array.array("H", wire)
    done = compact_chunks(memoryview(buffer), None)
    assert (done.data, done.last) == (4, True)
    assert buffer.tobytes()[:4] == b"abcd"


@st.composite
def _chunked_wires(draw: st.DrawFn) -> tuple[bytes, list[int]]:
    """Chunked bytes of every kind of line (extensions, bare LF, upper-case
    and zero-padded sizes), some damaged, and where they arrive cut."""
    pieces = []
    for _ in range(draw(st.integers(0, 8))):
        size = draw(st.integers(1, 40))
        line = draw(st.sampled_from([b"%x", b"%X", b"%04x", b"%x;a=b", b"%x \t"]))
        end = draw(st.sampled_from([b"\r\n", b"\r\n", b"\n"]))
        pieces.append(line % size + end + draw(st.binary(min_size=size, max_size=size)))
        pieces.append(b"\r\n")
    wire = b"".join(pieces) + b"0\r\nA: b\r\n\r\n"
    if draw(st.booleans()):
        at = draw(st.integers(0, len(wire) - 1))
        wire = wire[:at] + bytes([draw(st.integers(0, 255))]) + wire[at + 1 :]
    return wire, draw(st.lists(st.integers(1, 50), max_size=20))


@settings(max_examples=400, deadline=None)
@given(_chunked_wires())
def test_compact_chunks_decodes_as_the_reader_path_does(
    case: tuple[bytes, list[int]],
) -> None:
    # Against decode_chunks() (the Python pass: hypothesis and function
    # fixtures do not mix; test_speedups.py compares the passes).
    wire, cuts = case

    def outcome(decode: Callable[[], tuple[bytes, str]]) -> tuple[bytes, str]:
        try:
            return decode()
        except (InvalidChunk, LineTooLong) as error:
            return getattr(error, "partial", b""), type(error).__name__

    expected = outcome(lambda: pull(wire, 1 << 20, 1 << 30)[:2])
    for pieces in [*cuts, 1 << 20]:
        got = outcome(functools.partial(_received, wire, pieces))
        assert got == expected


def _received(wire: bytes, pieces: int) -> tuple[bytes, str]:
    return receive(wire, pieces, max_line=64)[:2]
