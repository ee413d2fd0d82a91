# The sans-I/O pair: find_header_block_end fed a buffer that grows one byte
# at a time, and parse_header_block on what it delimits, against
# parse_headers and http.client on the same bytes.
from __future__ import annotations

import array
import functools
import io
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import pytest

from httpcore_headers import (
    HeaderBlockTooLarge,
    HTTPException,
    HTTPMessage,
    LineTooLong,
    TooManyHeaders,
    find_header_block_end,
    parse_header_block,
    parse_headers,
    try_parse_header_block,
)

if TYPE_CHECKING:
    from conftest import AssertSame, CPythonParse

_T = TypeVar("_T")

BODY = b"GET-BODY\r\n\r\nmore body: not a header\r\n"

# Complete blocks, each followed by BODY in the tests.
BLOCKS = [
    pytest.param(
        b"Host: example.com\r\nAccept: */*\r\nUser-Agent: test/1.0\r\n\r\n",
        id="crlf",
    ),
    pytest.param(b"Host: example.com\nAccept: */*\n\n", id="lf-only"),
    pytest.param(b"\r\n", id="empty-crlf"),
    pytest.param(b"\n", id="empty-lf"),
    pytest.param(b"A: b\r\n c\r\n\tdd\r\nE: f\r\n\r\n", id="obs-fold"),
    pytest.param(b"A: b\r\nno colon\r\nC: d\r\n\r\n", id="no-colon"),
    pytest.param(b"A: b\rc\r\nD: e\r\n\r\n", id="bare-cr"),
    pytest.param(b"A: b\r\r\n\r\r\nD: e\r\n\r\n", id="cr-lines"),
    pytest.param(b"A: b\nC: d\r\n\r\n", id="lf-then-crlf"),
    pytest.param(b"A: b\r\nC: d\r\n\n", id="crlf-then-lf-end"),
    pytest.param(b"A: b\n\r\n", id="lf-line-crlf-end"),
    pytest.param(b"From x\r\nA: b\r\nFrom y\r\n\r\n", id="from-lines"),
    pytest.param(b" lead: x\r\n: y\r\nA : b\r\n\r\n", id="continuation-first"),
    pytest.param(
        b"Content-Type: multipart/mixed; boundary=b\r\nX: \xff\x00\r\n\r\n",
        id="multipart-latin-1-nul",
    ),
    pytest.param(b"Content-Type: message/rfc822\r\nA: b\r\n\r\n", id="rfc822"),
]

# Data that never completes a block: parse_header_block takes it as a block
# cut short by the end of the stream.
UNTERMINATED = [
    pytest.param(b"", id="nothing"),
    pytest.param(b"A: b\r\nC: d\r\n", id="no-empty-line"),
    pytest.param(b"A: b\r\nC: d", id="mid-line"),
    pytest.param(b"A: b\r\nC: d\r", id="after-cr"),
    pytest.param(b"A: b\r\n\r\r\n continued", id="odd-lines"),
]


def _outcome(call: Callable[[], _T]) -> _T | HTTPException:
    try:
        return call()
    except HTTPException as exc:
        return exc


@pytest.mark.parametrize("block", BLOCKS)
def test_every_prefix(
    block: bytes, cpython_parse: CPythonParse, assert_same: AssertSame
) -> None:
    data = block + BODY
    end = len(block)
    for size in range(len(data) + 1):
        expected = end if size >= end else -1
        assert find_header_block_end(data[:size]) == expected, size
        if size < end:
            # The stream ending here: parse_header_block takes the prefix as
            # http.client takes a file that ends there.
            prefix = data[:size]
            assert_same(parse_header_block(prefix), cpython_parse(prefix))
    assert_same(parse_header_block(data[:end]), cpython_parse(data))
    fp = io.BytesIO(data)
    assert_same(parse_header_block(data[:end]), parse_headers(fp))
    assert fp.read() == data[end:] == BODY


@pytest.mark.parametrize("data", UNTERMINATED)
def test_unterminated_data(
    data: bytes, cpython_parse: CPythonParse, assert_same: AssertSame
) -> None:
    for size in range(len(data) + 1):
        assert find_header_block_end(data[:size]) == -1, size
    assert_same(parse_header_block(data), cpython_parse(data))
    assert_same(parse_header_block(data), parse_headers(io.BytesIO(data)))


BUFFER_TYPES: dict[str, Callable[[bytes], bytes | bytearray | memoryview]] = {
    "bytes": bytes,
    "bytearray": bytearray,
    "memoryview": memoryview,
    "memoryview-of-bytearray": lambda data: memoryview(bytearray(data)),
    "memoryview-slice": lambda data: memoryview(b"xx" + data + b"yy")[2:-2],
}


@pytest.mark.parametrize("buffer", sorted(BUFFER_TYPES))
@pytest.mark.parametrize("block", BLOCKS + UNTERMINATED)
def test_buffer_types(
    block: bytes, buffer: str, cpython_parse: CPythonParse, assert_same: AssertSame
) -> None:
    wrap = BUFFER_TYPES[buffer]
    data = block + BODY
    end = find_header_block_end(wrap(data))
    assert end == find_header_block_end(data)
    if end < 0:
        message = parse_header_block(wrap(block))
        theirs = cpython_parse(block)
    else:
        message = parse_header_block(wrap(data[:end]))
        theirs = cpython_parse(data)
    assert_same(message, theirs)


@pytest.mark.parametrize("buffer", sorted(BUFFER_TYPES))
@pytest.mark.parametrize(
    ("data", "extra"),
    [
        pytest.param(b"A: b\r\n\r\nX", 1, id="crlf-one-byte"),
        pytest.param(b"A: b\r\n\r\n\r\n", 2, id="crlf-second-empty-line"),
        pytest.param(b"\r\n\r\n", 2, id="empty-block-then-crlf"),
        pytest.param(b"\n\n", 1, id="empty-block-then-lf"),
        pytest.param(b"A: b\n\nBODY", 4, id="lf-body"),
        pytest.param(b"A: b\r\n c\r\n\r\nbody", 4, id="malformed-body"),
    ],
)
def test_data_after_the_block_is_refused(data: bytes, extra: int, buffer: str) -> None:
    with pytest.raises(ValueError, match=rf"^{extra} bytes follow"):
        parse_header_block(BUFFER_TYPES[buffer](data))


@pytest.mark.parametrize("buffer", sorted(BUFFER_TYPES))
@pytest.mark.parametrize(
    ("data", "limits"),
    [
        pytest.param(b"A" * 100, {"max_line": 10, "max_block_size": 5}, id="line"),
        pytest.param(
            b"A:\r\n" + b"B" * 20, {"max_line": 10, "max_headers": 1}, id="line-count"
        ),
        pytest.param(
            b"A:\r\nB:\r\n" + b"C" * 30,
            {"max_line": 10, "max_headers": 2},
            id="line-after-count",
        ),
        pytest.param(
            b"A: 1\r\n" * 3 + b"B" * 200,
            {"max_line": 50, "max_headers": 3, "max_block_size": 30},
            id="line-block-count",
        ),
    ],
)
def test_every_buffer_type_breaks_the_same_limit(
    data: bytes, limits: dict[str, int], buffer: str
) -> None:
    """The limits are the same whatever holds the bytes: a memoryview is not
    judged on a shorter prefix of the data than bytes are."""
    wrap = BUFFER_TYPES[buffer]
    for call in (find_header_block_end, parse_header_block):
        expected = _outcome(functools.partial(call, data, **limits))
        got = _outcome(functools.partial(call, wrap(data), **limits))
        assert type(got) is type(expected), (call.__name__, got, expected)
        assert str(got) == str(expected)
    with pytest.raises(LineTooLong):
        parse_headers(io.BytesIO(data), **limits)


WIDE_DATA = b"Abc: d\r\n\r\n"


def _strided(data: bytes, typecode: str) -> memoryview[Any]:
    """A non-contiguous view whose items are those of ``data``."""
    width = array.array(typecode).itemsize
    padded = b"".join(
        data[i : i + width] + b"-" * width for i in range(0, len(data), width)
    )
    return memoryview(array.array(typecode, padded))[::2]


VIEWS: dict[str, Callable[[bytes], memoryview[Any]]] = {
    "unsigned-short": lambda data: memoryview(array.array("H", data)),
    "unsigned-short-strided": lambda data: _strided(data, "H"),
    "bytes-strided": lambda data: _strided(data, "B"),
    "two-dimensional": lambda data: memoryview(data).cast(
        "B", shape=[2, len(data) // 2]
    ),
    "char": lambda data: memoryview(data).cast("c"),
}


@pytest.mark.parametrize("view", sorted(VIEWS))
def test_memoryview_of_any_format_is_read_as_its_bytes(view: str) -> None:
    data = VIEWS[view](WIDE_DATA)
    assert data.tobytes() == WIDE_DATA
    assert find_header_block_end(data) == len(WIDE_DATA)
    assert parse_header_block(data).items() == [("Abc", "d")]


def test_parse_header_block_breaks_the_limit_parse_headers_breaks() -> None:
    # A block cut short by EOF whose unterminated last line crosses
    # max_block_size: parse_headers reads that line, counts it (2 of 2), then
    # adds its size (6 > 5) and refuses the block as too large before the
    # empty read that would be line 3.
    data = b"A:\r\nBC"
    limits = {"max_headers": 2, "max_block_size": 5}
    with pytest.raises(HeaderBlockTooLarge):
        parse_headers(io.BytesIO(data), **limits)
    with pytest.raises(HeaderBlockTooLarge):
        parse_header_block(data, **limits)


def test_find_end_breaks_the_limit_every_completion_breaks() -> None:
    # The partial second line will be line 2 of at most 1 whatever follows,
    # so every completion is refused for its count (or for its length), never
    # for the block size that the partial data already exceeds.
    data = b"A:\r\nBCDE"
    limits = {"max_headers": 1, "max_block_size": 5}
    for completion in (b"\r\n\r\n", b"\n\n", b""):
        with pytest.raises(TooManyHeaders):
            parse_headers(io.BytesIO(data + completion), **limits)
    with pytest.raises(TooManyHeaders):
        parse_header_block(data, **limits)
    with pytest.raises(TooManyHeaders):
        find_header_block_end(data, **limits)


def test_growing_buffer_like_a_server() -> None:
    pieces = [b"Host: exa", b"mple\r\nAccept: */*\r", b"\n\r\nGET-BODY"]
    buffer = bytearray()
    ends = []
    for piece in pieces:
        buffer += piece
        ends.append(find_header_block_end(buffer))
    assert ends == [-1, -1, 30]
    message = parse_header_block(buffer[:30])
    assert message.items() == [("Host", "example"), ("Accept", "*/*")]
    assert bytes(buffer[30:]) == b"GET-BODY"


@pytest.mark.parametrize(
    ("data", "start", "expected"),
    [
        pytest.param(
            b"A: 1\r\nB: 2\r\n\r\nbody", 0, ([("A", "1"), ("B", "2")], 14), id="block"
        ),
        pytest.param(
            b"HTTP/1.1 200 OK\r\nA: 1\r\n\r\n", 17, ([("A", "1")], 25), id="at-offset"
        ),
        pytest.param(b"\r\nbody", 0, ([], 2), id="empty-block"),
        pytest.param(b"A: 1\r\nB: 2\r\n", 0, None, id="incomplete"),
        pytest.param(
            b"A: 1\r\n  folded\r\n\r\n", 0, None, id="obs-fold-needs-general-path"
        ),
        pytest.param(b"A: 1\n\n", 0, None, id="bare-lf-needs-general-path"),
    ],
)
def test_try_parse_header_block(
    data: bytes, start: int, expected: tuple[list[tuple[str, str]], int] | None
) -> None:
    result = try_parse_header_block(data, start)
    if expected is None:
        assert result is None
        return
    assert result is not None
    message, end = result
    assert (message.items(), end) == expected
    assert isinstance(message, HTTPMessage)
    # The general path agrees wherever the fast one answers.
    assert parse_header_block(data[start:end]).items() == message.items()


def test_try_parse_header_block_leaves_limits_to_the_general_path() -> None:
    block = b"".join(b"X-%d: y\r\n" % i for i in range(100)) + b"\r\n"
    assert try_parse_header_block(block) is None
    assert try_parse_header_block(block, max_headers=200) is not None
