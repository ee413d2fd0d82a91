# The three limits at their boundaries, through every entry point, compared
# with http.client (whose _MAXLINE / _MAXHEADERS are patched to the same
# values where a test uses other limits than the defaults).
from __future__ import annotations

import copy
import functools
import http.client
import io
import pickle
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

import pytest

from httpcore_headers import (
    DEFAULT_LIMITS,
    HeaderBlockTooLarge,
    HeaderLimits,
    HTTPException,
    LineTooLong,
    TooManyHeaders,
    find_header_block_end,
    parse_header_block,
    parse_headers,
    read_header_lines,
)

if TYPE_CHECKING:
    from conftest import (
        AssertSame,
        CPythonLimits,
        CPythonParse,
        CPythonReadLines,
        OpenReader,
        Outcome,
    )

READER_KINDS = ("BytesIO", "BufferedReader", "BufferedReader-16", "readline-only")
BODY = b"BODY"


_T = TypeVar("_T")


def fields(count: int, size: int = 10, ending: bytes = b"\r\n") -> bytes:
    """``count`` field lines of ``size`` bytes each (line ending included)."""
    assert size >= 8 + len(ending)
    value = b"v" * (size - 8 - len(ending))
    return b"".join(b"X-%04d: %s%s" % (i, value, ending) for i in range(count))


def line(size: int, ending: bytes = b"\r\n") -> bytes:
    """One field line of exactly ``size`` bytes, ``ending`` included."""
    assert size >= 2 + len(ending)
    return b"X:" + b"a" * (size - 2 - len(ending)) + ending


def parse_from(
    kind: str, data: bytes, open_reader: OpenReader, **limits: int
) -> tuple[Outcome, bytes]:
    """Our parse_headers over a file of the given kind: the outcome and what
    the file still holds afterwards."""
    fp, rest = open_reader(kind, data)
    try:
        outcome: Outcome = parse_headers(fp, **limits)
    except HTTPException as exc:
        outcome = exc
    return outcome, rest()


def cpython_from(
    kind: str, data: bytes, open_reader: OpenReader
) -> tuple[Outcome, bytes]:
    fp, rest = open_reader(kind, data)
    try:
        outcome: Outcome = http.client.parse_headers(fp)
    except http.client.HTTPException as exc:
        outcome = exc
    return outcome, rest()


# -- max_headers: the default ------------------------------------------------


@pytest.mark.parametrize("kind", READER_KINDS)
@pytest.mark.parametrize("size", [10, 300], ids=["short-fields", "long-fields"])
def test_99_fields_pass_100_fail(
    kind: str, size: int, open_reader: OpenReader, assert_same: AssertSame
) -> None:
    ok = fields(99, size) + b"\r\n" + BODY
    ours, rest = parse_from(kind, ok, open_reader)
    theirs, theirs_rest = cpython_from(kind, ok, open_reader)
    assert_same(ours, theirs)
    assert not isinstance(ours, Exception)
    assert len(ours) == 99
    assert rest == theirs_rest == BODY

    too_many = fields(100, size) + b"\r\n" + BODY
    ours, rest = parse_from(kind, too_many, open_reader)
    theirs, theirs_rest = cpython_from(kind, too_many, open_reader)
    assert_same(ours, theirs)
    assert isinstance(ours, TooManyHeaders)
    assert isinstance(ours, HTTPException)
    assert str(ours) == "got more than 100 headers"
    assert rest == theirs_rest


# -- max_line: the default ---------------------------------------------------


LINE_PLACES: dict[str, Callable[[bytes, bytes], bytes]] = {
    "only": lambda long, end: long + end,
    "first": lambda long, end: long + fields(3, 12, end) + end,
    "middle": lambda long, end: fields(3, 12, end) + long + fields(3, 12, end) + end,
    "last": lambda long, end: fields(3, 12, end) + long + end,
}


@pytest.mark.parametrize("kind", READER_KINDS)
@pytest.mark.parametrize("ending", [b"\r\n", b"\n"], ids=["crlf", "lf"])
@pytest.mark.parametrize("place", sorted(LINE_PLACES))
def test_line_of_65536_bytes_passes_65537_fails(
    place: str,
    ending: bytes,
    kind: str,
    open_reader: OpenReader,
    assert_same: AssertSame,
) -> None:
    build = LINE_PLACES[place]
    ok = build(line(65536, ending), ending) + BODY
    ours, rest = parse_from(kind, ok, open_reader)
    theirs, theirs_rest = cpython_from(kind, ok, open_reader)
    assert_same(ours, theirs)
    assert not isinstance(ours, Exception)
    assert ours["X"] == "a" * (65536 - 2 - len(ending))
    assert rest == theirs_rest == BODY

    too_long = build(line(65537, ending), ending) + BODY
    ours, rest = parse_from(kind, too_long, open_reader)
    theirs, theirs_rest = cpython_from(kind, too_long, open_reader)
    assert_same(ours, theirs)
    assert isinstance(ours, LineTooLong)
    assert str(ours) == "got more than 65536 bytes when reading header line"
    assert rest == theirs_rest


@pytest.mark.parametrize("kind", READER_KINDS)
def test_unterminated_last_line_at_eof(
    kind: str, open_reader: OpenReader, assert_same: AssertSame
) -> None:
    ok = b"A: b\r\n" + b"c" * 65536
    ours, rest = parse_from(kind, ok, open_reader)
    assert_same(ours, cpython_from(kind, ok, open_reader)[0])
    assert rest == b""
    too_long = ok + b"c"
    ours, rest = parse_from(kind, too_long, open_reader)
    theirs, theirs_rest = cpython_from(kind, too_long, open_reader)
    assert_same(ours, theirs)
    assert isinstance(ours, LineTooLong)
    assert rest == theirs_rest


# -- custom limits, as keywords ----------------------------------------------


@pytest.mark.parametrize("kind", READER_KINDS)
@pytest.mark.parametrize("limit", [10, 11, 64, 1000, 70000])
def test_max_line_keyword(
    limit: int,
    kind: str,
    open_reader: OpenReader,
    assert_same: AssertSame,
    cpython_limits: CPythonLimits,
) -> None:
    for size in (limit - 1, limit, limit + 1):
        data = fields(2) + line(size) + b"\r\n" + BODY
        ours, rest = parse_from(kind, data, open_reader, max_line=limit)
        with cpython_limits(limit, 100):
            theirs, theirs_rest = cpython_from(kind, data, open_reader)
        assert_same(ours, theirs)
        assert rest == theirs_rest
        if size > limit:
            assert isinstance(ours, LineTooLong)
            assert str(ours) == f"got more than {limit} bytes when reading header line"
        else:
            assert not isinstance(ours, Exception)
            assert rest == BODY


@pytest.mark.parametrize("kind", READER_KINDS)
@pytest.mark.parametrize(
    ("limit", "block", "fails"),
    [
        pytest.param(1, b"\n", False, id="lf-within-1"),
        pytest.param(1, b"\r\n", True, id="crlf-over-1"),
        pytest.param(2, b"\r\n", False, id="crlf-within-2"),
        pytest.param(2, b"A\n\n", False, id="short-line-within-2"),
        pytest.param(3, b"A:\r\n\r\n", True, id="field-over-3"),
    ],
)
def test_max_line_applies_to_every_line_even_the_empty_one(
    limit: int,
    block: bytes,
    fails: bool,
    kind: str,
    open_reader: OpenReader,
    assert_same: AssertSame,
    cpython_limits: CPythonLimits,
) -> None:
    data = block + BODY
    ours, rest = parse_from(kind, data, open_reader, max_line=limit)
    with cpython_limits(limit, 100):
        theirs, theirs_rest = cpython_from(kind, data, open_reader)
    assert_same(ours, theirs)
    assert isinstance(ours, LineTooLong) == fails
    assert rest == theirs_rest


@pytest.mark.parametrize("kind", READER_KINDS)
@pytest.mark.parametrize("limit", [1, 2, 5, 150])
def test_max_headers_keyword(
    limit: int,
    kind: str,
    open_reader: OpenReader,
    assert_same: AssertSame,
    cpython_limits: CPythonLimits,
) -> None:
    for count in (limit - 1, limit):
        data = fields(count) + b"\r\n" + BODY
        ours, rest = parse_from(kind, data, open_reader, max_headers=limit)
        with cpython_limits(65536, limit):
            theirs, theirs_rest = cpython_from(kind, data, open_reader)
        assert_same(ours, theirs)
        assert rest == theirs_rest
        if count == limit:
            assert isinstance(ours, TooManyHeaders)
            assert str(ours) == f"got more than {limit} headers"
        else:
            assert not isinstance(ours, Exception)
            assert len(ours) == count
            assert rest == BODY


# -- max_block_size ------------------------------------------------------------


BLOCK_SHAPES = {
    "crlf": fields(5) + b"\r\n",
    "lf": b"A: b\nC: d\nE: f\n\n",
    "obs-fold": b"A: b\r\n c\r\nD: e\r\n\r\n",
    "no-colon": b"A: b\r\nno colon\r\n\r\n",
    "empty-crlf": b"\r\n",
    "empty-lf": b"\n",
}


def _outcome(call: Callable[[], _T]) -> _T | HTTPException:
    try:
        return call()
    except HTTPException as exc:
        return exc


@pytest.mark.parametrize("shape", sorted(BLOCK_SHAPES))
def test_max_block_size_boundary_every_entry_point(
    shape: str, open_reader: OpenReader
) -> None:
    block = BLOCK_SHAPES[shape]
    size = len(block)
    for limit in (size - 1, size, size + 1):
        if limit < 1:
            continue
        outcomes: dict[str, object] = {}
        for kind in READER_KINDS:
            fp, rest = open_reader(kind, block + BODY)
            outcomes[f"parse_headers/{kind}"] = _outcome(
                functools.partial(parse_headers, fp, max_block_size=limit)
            )
            if limit >= size:
                assert rest() == BODY, kind
        outcomes["read_header_lines"] = _outcome(
            functools.partial(
                read_header_lines, io.BytesIO(block + BODY), max_block_size=limit
            )
        )
        outcomes["parse_header_block"] = _outcome(
            functools.partial(parse_header_block, block, max_block_size=limit)
        )
        found = _outcome(
            functools.partial(find_header_block_end, block + BODY, max_block_size=limit)
        )
        outcomes["find_header_block_end"] = found
        for name, outcome in outcomes.items():
            where = f"{name} with max_block_size={limit}"
            if limit < size:
                assert isinstance(outcome, HeaderBlockTooLarge), where
                assert isinstance(outcome, HTTPException), where
                assert str(outcome) == (
                    f"header block larger than {limit} bytes (max_block_size)"
                ), where
            else:
                assert not isinstance(outcome, Exception), f"{where}: {outcome!r}"
        if limit >= size:
            assert found == size


def test_max_block_size_message() -> None:
    assert (
        str(HeaderBlockTooLarge(300))
        == "header block larger than 300 bytes (max_block_size)"
    )
    with pytest.raises(HeaderBlockTooLarge, match=r"300 bytes \(max_block_size\)"):
        parse_headers(io.BytesIO(fields(40) + b"\r\n"), max_block_size=300)


# -- DEFAULT_LIMITS at run time ----------------------------------------------


ENTRY_POINTS = [
    *(f"parse_headers/{kind}" for kind in READER_KINDS),
    "read_header_lines",
    "parse_header_block",
    "find_header_block_end",
]


@pytest.mark.parametrize("entry", ENTRY_POINTS)
def test_default_limits_are_read_at_call_time(
    entry: str, default_limits: HeaderLimits, open_reader: OpenReader
) -> None:
    data = fields(3) + b"\r\n"

    def call() -> object:
        if entry.startswith("parse_headers/"):
            return parse_headers(open_reader(entry.partition("/")[2], data)[0])
        if entry == "read_header_lines":
            return read_header_lines(io.BytesIO(data))
        if entry == "parse_header_block":
            return parse_header_block(data)
        return find_header_block_end(data)

    size = len(fields(3)) + 2
    assert not isinstance(_outcome(call), Exception)

    default_limits.max_headers = 3
    with pytest.raises(TooManyHeaders, match=r"^got more than 3 headers$"):
        call()
    default_limits.max_headers = 4
    assert not isinstance(_outcome(call), Exception)

    default_limits.max_line = 9
    with pytest.raises(
        LineTooLong, match=r"^got more than 9 bytes when reading header line$"
    ):
        call()
    default_limits.max_line = 10
    assert not isinstance(_outcome(call), Exception)

    default_limits.max_block_size = size - 1
    with pytest.raises(HeaderBlockTooLarge):
        call()
    default_limits.max_block_size = size
    assert not isinstance(_outcome(call), Exception)


def test_keywords_override_default_limits(default_limits: HeaderLimits) -> None:
    default_limits.max_headers = 2
    default_limits.max_line = 9
    default_limits.max_block_size = 5
    block = fields(3, 20) + b"\r\n"
    message = parse_headers(
        io.BytesIO(block), max_headers=4, max_line=20, max_block_size=len(block)
    )
    assert len(message) == 3
    message = parse_header_block(
        block, max_headers=4, max_line=20, max_block_size=len(block)
    )
    assert len(message) == 3
    end = find_header_block_end(
        block + BODY, max_headers=4, max_line=20, max_block_size=len(block)
    )
    assert end == len(block)
    lines = read_header_lines(
        io.BytesIO(block), max_headers=4, max_line=20, max_block_size=len(block)
    )
    assert len(lines) == 4


def test_default_limits_defaults() -> None:
    assert DEFAULT_LIMITS.max_line == 65536
    assert DEFAULT_LIMITS.max_headers == 100
    assert DEFAULT_LIMITS.max_block_size is None
    limits = HeaderLimits()
    assert (limits.max_line, limits.max_headers, limits.max_block_size) == (
        65536,
        100,
        None,
    )
    assert (
        repr(limits)
        == "HeaderLimits(max_line=65536, max_headers=100, max_block_size=None)"
    )


def test_line_too_long_message_names_the_default_in_force(
    default_limits: HeaderLimits,
) -> None:
    assert (
        str(LineTooLong("header line"))
        == "got more than 65536 bytes when reading header line"
    )
    default_limits.max_line = 1000
    assert (
        str(LineTooLong("status line"))
        == "got more than 1000 bytes when reading status line"
    )
    assert (
        str(LineTooLong("header line", 7))
        == "got more than 7 bytes when reading header line"
    )
    assert str(TooManyHeaders(7)) == "got more than 7 headers"


def _pickled(exc: Exception) -> Exception:
    copied = pickle.loads(pickle.dumps(exc))
    assert isinstance(copied, Exception)
    return copied


DUPLICATES = [copy.copy, _pickled]


@pytest.mark.parametrize(
    ("ours", "theirs"),
    [
        pytest.param(
            TooManyHeaders(100),
            http.client.HTTPException("got more than 100 headers"),
            id="too-many-headers",
        ),
    ],
)
@pytest.mark.parametrize("duplicate", DUPLICATES, ids=["copy", "pickle"])
def test_exceptions_survive_copy_and_pickle_as_cpythons_do(
    ours: HTTPException,
    theirs: http.client.HTTPException,
    duplicate: Callable[[Exception], Exception],
) -> None:
    """Exceptions cross process boundaries pickled (multiprocessing,
    concurrent.futures): the copy must read as the standard library's does."""
    copied = duplicate(ours)
    assert type(copied) is type(ours)
    assert str(copied) == str(duplicate(theirs))


@pytest.mark.parametrize(
    "exc",
    [
        HeaderBlockTooLarge(300),
        LineTooLong("header line"),
        LineTooLong("status line", 9),
    ],
    ids=repr,
)
@pytest.mark.parametrize("duplicate", DUPLICATES, ids=["copy", "pickle"])
def test_limit_errors_survive_copy_and_pickle(
    exc: HTTPException, duplicate: Callable[[Exception], Exception]
) -> None:
    """CPython's LineTooLong garbles its message when copied ("got more than
    65536 bytes when reading got more than ..."); ours reads the same."""
    copied = duplicate(exc)
    assert type(copied) is type(exc)
    assert str(copied) == str(exc)
    assert copied.args == exc.args


# -- invalid limits ------------------------------------------------------------


INVALID = [0, -1, True, False, "10", 1.5, 10.0]
KEYWORDS = ("max_line", "max_headers", "max_block_size")


CALLS: dict[str, Callable[..., object]] = {
    "parse_headers": lambda **kw: parse_headers(io.BytesIO(b"A: b\r\n\r\n"), **kw),
    "read_header_lines": lambda **kw: read_header_lines(
        io.BytesIO(b"A: b\r\n\r\n"), **kw
    ),
    "parse_header_block": lambda **kw: parse_header_block(b"A: b\r\n\r\n", **kw),
    "find_header_block_end": lambda **kw: find_header_block_end(b"A: b\r\n\r\n", **kw),
}


@pytest.mark.parametrize("value", INVALID, ids=repr)
@pytest.mark.parametrize("keyword", KEYWORDS)
@pytest.mark.parametrize("entry", sorted(CALLS))
def test_invalid_limit_keywords(entry: str, keyword: str, value: object) -> None:
    with pytest.raises(ValueError, match=keyword):
        CALLS[entry](**{keyword: value})


@pytest.mark.parametrize("entry", sorted(CALLS))
def test_none_keywords_mean_the_defaults(entry: str) -> None:
    outcome = CALLS[entry](max_line=None, max_headers=None, max_block_size=None)
    assert not isinstance(outcome, Exception)


@pytest.mark.parametrize("value", [*INVALID, None], ids=repr)
@pytest.mark.parametrize("keyword", KEYWORDS)
def test_invalid_limit_values_are_refused_by_header_limits(
    keyword: str, value: object, default_limits: HeaderLimits
) -> None:
    if keyword == "max_block_size" and value is None:
        assert HeaderLimits(max_block_size=None).max_block_size is None
        return
    with pytest.raises(ValueError, match=keyword):
        HeaderLimits(**{keyword: value})  # type: ignore[arg-type]
    before = getattr(default_limits, keyword)
    with pytest.raises(ValueError, match=keyword):
        setattr(default_limits, keyword, value)
    assert getattr(default_limits, keyword) == before


def test_a_misspelt_limit_is_refused(default_limits: HeaderLimits) -> None:
    with pytest.raises(AttributeError):
        default_limits.max_lines = 5
    assert default_limits.max_line == 65536


def test_changed_limits_apply_inside_the_block_and_are_restored() -> None:
    limits = HeaderLimits(max_line=100)
    block = b"A: " + b"x" * 200 + b"\r\n\r\n"
    with limits.changed(max_line=1000, max_block_size=4096) as inside:
        assert inside is limits
        assert parse_header_block(block, max_line=limits.max_line).get("A")
        limits.max_headers = 7  # assigned inside: restored as well
    assert (limits.max_line, limits.max_headers, limits.max_block_size) == (
        100,
        100,
        None,
    )


def test_changed_default_limits_are_what_calls_read() -> None:
    block = b"A: 1\r\nB: 2\r\n\r\n"
    with DEFAULT_LIMITS.changed(max_headers=2), pytest.raises(TooManyHeaders):
        parse_header_block(block)
    assert parse_header_block(block).get("B") == "2"


def test_changed_restores_after_an_exception() -> None:
    limits = HeaderLimits()
    with pytest.raises(KeyError), limits.changed(max_line=10):
        raise KeyError("inside")
    assert limits.max_line == 65536


@pytest.mark.parametrize(
    ("change", "error"),
    [({"max_lines": 5}, TypeError), ({"max_line": 0}, ValueError)],
    ids=["misspelt", "not positive"],
)
def test_changed_refuses_what_assignment_refuses(
    change: dict[str, int], error: type[Exception]
) -> None:
    limits = HeaderLimits(max_line=100)
    with pytest.raises(error), limits.changed(**change):
        pass
    assert limits.max_line == 100


# -- find_header_block_end: early refusal ------------------------------------


@pytest.mark.parametrize("kind", [bytes, bytearray, memoryview])
@pytest.mark.parametrize(
    ("data", "expected"),
    [
        pytest.param(b"X" * 70000, LineTooLong, id="70000-bytes-no-newline"),
        pytest.param(b"X" * 65537, LineTooLong, id="65537-bytes-no-newline"),
        pytest.param(b"X" * 65536, -1, id="65536-bytes-no-newline"),
        pytest.param(b"A: b\r\n" + b"X" * 65537, LineTooLong, id="long-second-line"),
        pytest.param(fields(99), -1, id="99-complete-lines"),
        pytest.param(fields(99) + b"X-Partial", -1, id="99-lines-and-a-partial-one"),
        pytest.param(fields(100), TooManyHeaders, id="100-complete-lines"),
        pytest.param(
            fields(100) + b"X-Partial", TooManyHeaders, id="100-lines-and-a-partial-one"
        ),
        pytest.param(fields(101), TooManyHeaders, id="101-complete-lines"),
        pytest.param(fields(150), TooManyHeaders, id="150-complete-lines"),
        pytest.param(fields(99) + b"\r", -1, id="99-lines-and-cr"),
        pytest.param(fields(99) + b"\r\n", len(fields(99)) + 2, id="99-lines-complete"),
        pytest.param(b"", -1, id="nothing-yet"),
        pytest.param(b"\r", -1, id="only-cr"),
    ],
)
def test_find_end_refuses_as_soon_as_data_proves_a_violation(
    data: bytes, expected: int | type[Exception], kind: Callable[[bytes], bytes]
) -> None:
    if isinstance(expected, int):
        assert find_header_block_end(kind(data)) == expected
    else:
        with pytest.raises(expected):
            find_header_block_end(kind(data))


def test_find_end_refuses_a_block_larger_than_max_block_size_early() -> None:
    with pytest.raises(HeaderBlockTooLarge):
        find_header_block_end(fields(10), max_block_size=50)
    with pytest.raises(HeaderBlockTooLarge):
        find_header_block_end(b"X" * 51, max_block_size=50)
    assert find_header_block_end(b"X" * 50, max_block_size=50) == -1


# -- which limit a block breaks first ----------------------------------------


ORDER_CASES = [
    pytest.param(
        fields(3) + line(60) + fields(10) + b"\r\n", id="long-line-before-count"
    ),
    pytest.param(fields(5) + line(60) + b"\r\n", id="long-line-is-the-line-over-count"),
    pytest.param(fields(6) + line(60) + b"\r\n", id="count-before-long-line"),
    pytest.param(fields(4) + line(60), id="long-last-line-at-eof"),
    pytest.param(fields(5) + b"X", id="line-over-count-at-eof"),
    pytest.param(fields(5), id="empty-read-over-count-at-eof"),
    pytest.param(fields(4) + b"\r\n", id="within-both"),
]


@pytest.mark.parametrize("kind", READER_KINDS)
@pytest.mark.parametrize("data", ORDER_CASES)
def test_first_offending_line_decides(
    data: bytes,
    kind: str,
    open_reader: OpenReader,
    assert_same: AssertSame,
    cpython_limits: CPythonLimits,
    cpython_read_lines: CPythonReadLines,
) -> None:
    terminated = data.endswith(b"\n\r\n")
    body = BODY if terminated else b""
    ours, rest = parse_from(kind, data + body, open_reader, max_line=50, max_headers=5)
    lines_fp, lines_rest = open_reader(kind, data + body)
    ours_lines = _outcome(
        functools.partial(read_header_lines, lines_fp, max_line=50, max_headers=5)
    )
    with cpython_limits(50, 5):
        theirs, theirs_rest = cpython_from(kind, data + body, open_reader)
        theirs_lines_fp, theirs_lines_rest = open_reader(kind, data + body)
        theirs_lines = cpython_read_lines(theirs_lines_fp)
    assert_same(ours, theirs)
    assert rest == theirs_rest
    if isinstance(theirs_lines, Exception):
        assert isinstance(ours_lines, Exception)
        assert_same(ours_lines, theirs_lines)
    else:
        assert ours_lines == theirs_lines
    assert lines_rest() == theirs_lines_rest()

    block = _outcome(
        functools.partial(parse_header_block, data, max_line=50, max_headers=5)
    )
    assert_same(block, theirs)
    found = _outcome(
        functools.partial(
            find_header_block_end, data + body, max_line=50, max_headers=5
        )
    )
    if isinstance(found, Exception):
        assert_same(found, theirs)
    elif terminated:
        assert not isinstance(theirs, Exception)
        assert found == len(data)
    else:
        assert found == -1


def test_first_offending_line_decides_with_default_limits(
    assert_same: AssertSame, cpython_parse: CPythonParse
) -> None:
    long_101st = fields(100) + line(70000) + b"\r\n"
    ours = _outcome(functools.partial(parse_headers, io.BytesIO(long_101st)))
    theirs = cpython_parse(long_101st)
    assert_same(ours, theirs)
    assert isinstance(theirs, http.client.LineTooLong)
    assert isinstance(ours, LineTooLong)
    long_102nd = fields(101) + line(70000) + b"\r\n"
    ours = _outcome(functools.partial(parse_headers, io.BytesIO(long_102nd)))
    assert_same(ours, cpython_parse(long_102nd))
    assert isinstance(ours, TooManyHeaders)


# -- read_header_lines is _read_headers ---------------------------------------


@pytest.mark.parametrize("kind", READER_KINDS)
@pytest.mark.parametrize(
    "data",
    [
        pytest.param(fields(3) + b"\r\n" + BODY, id="crlf"),
        pytest.param(b"A: b\nC: d\n\nBODY", id="lf"),
        pytest.param(b"A: b\r\n c\r\nno colon\r\n\r\nBODY", id="malformed"),
        pytest.param(b"A: b\r\nC", id="eof-mid-line"),
        pytest.param(b"", id="empty-file"),
        pytest.param(fields(100) + b"\r\n", id="too-many"),
        pytest.param(line(65537), id="too-long"),
    ],
)
def test_read_header_lines_is_read_headers(
    data: bytes,
    kind: str,
    open_reader: OpenReader,
    assert_same: AssertSame,
    cpython_read_lines: CPythonReadLines,
) -> None:
    fp, rest = open_reader(kind, data)
    theirs_fp, theirs_rest = open_reader(kind, data)
    theirs = cpython_read_lines(theirs_fp)
    ours = _outcome(functools.partial(read_header_lines, fp))
    if isinstance(theirs, Exception):
        assert isinstance(ours, Exception)
        assert_same(ours, theirs)
    else:
        assert ours == theirs
    assert rest() == theirs_rest()
