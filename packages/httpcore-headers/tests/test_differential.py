# Differential tests: generated header blocks, well-formed and malformed,
# parsed by httpcore_headers and by the running interpreter's http.client,
# which must agree on the message (fields, defects, payload), on the error,
# and on where the file is left.
from __future__ import annotations

import functools
import http.client
import io
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from hypothesis import given, settings, strategies as st

from httpcore_headers import (
    HTTPException,
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

_T = TypeVar("_T")

SETTINGS = settings(max_examples=400, deadline=None)
SMALL_SETTINGS = settings(max_examples=300, deadline=None)

BODY = b"\x00BODY-MARKER\r\n"
KINDS = st.sampled_from(
    [
        "BytesIO",
        "BufferedReader",
        "BufferedReader-16",
        "BufferedReader-1",
        "readline-only",
    ]
)

TCHAR = "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
COMMON_NAMES = [
    "Content-Type",
    "Content-Length",
    "Set-Cookie",
    "Transfer-Encoding",
    "Host",
    "From",
    "Date",
]
CONTENT_TYPES = [
    "text/html",
    "text/html; charset=utf-8",
    "application/json",
    "multipart/mixed",
    "multipart/mixed; boundary=xyz",
    'multipart/alternative; boundary="b"',
    "multipart/digest; boundary=d",
    "message/rfc822",
    "message/delivery-status",
    "message/http",
    "message",
    "multipart",
]


@st.composite
def random_case(draw: st.DrawFn, text: str) -> str:
    flips = draw(st.lists(st.booleans(), min_size=len(text), max_size=len(text)))
    return "".join(
        c.upper() if f else c.lower() for c, f in zip(text, flips, strict=True)
    )


def latin1(strategy: st.SearchStrategy[str]) -> st.SearchStrategy[bytes]:
    return strategy.map(lambda text: text.encode("iso-8859-1"))


TOKENS = st.text(alphabet=TCHAR, min_size=1, max_size=12)
NAMES = st.one_of(
    TOKENS,
    st.sampled_from(COMMON_NAMES),
    st.sampled_from(COMMON_NAMES).flatmap(random_case),
)
PRINTABLE = st.text(
    alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=24
)
# Bytes email and http.client treat specially somewhere: NUL, VT, FF, the
# \x1c-\x1f separators, NEL, NBSP, latin-1 letters, DEL, bare CR and LF.
ODD_CHARS = "\x00\x0b\x0c\x1c\x1d\x1e\x1f\x7f\x85\xa0\xe9\xff\r\n\t :"
ODD_VALUES = st.text(
    alphabet=st.one_of(
        st.characters(min_codepoint=0x20, max_codepoint=0x7E),
        st.sampled_from(ODD_CHARS),
    ),
    max_size=24,
)
CONTENT_TYPE_VALUES = st.tuples(
    st.sampled_from(["", " ", "\t", "  ", "\x0b", "\x85", "\xa0"]),
    st.sampled_from(CONTENT_TYPES).flatmap(random_case),
).map("".join)
ENDINGS = st.sampled_from([b"\r\n", b"\r\n", b"\r\n", b"\n", b"\r\r\n", b"\r"])
SEPARATORS = st.sampled_from(
    [b": ", b": ", b":", b":\t", b": \t ", b" :", b"\t:", b"::"]
)


@st.composite
def field_line(draw: st.DrawFn, ending: st.SearchStrategy[bytes] = ENDINGS) -> bytes:
    name = draw(latin1(NAMES))
    if name.lower() == b"content-type" and draw(st.booleans()):
        value = draw(latin1(CONTENT_TYPE_VALUES))
    else:
        value = draw(latin1(st.one_of(PRINTABLE, ODD_VALUES)))
    return name + draw(SEPARATORS) + value + draw(ending)


@st.composite
def odd_line(draw: st.DrawFn) -> bytes:
    value = draw(latin1(st.one_of(PRINTABLE, ODD_VALUES)))
    ending = draw(ENDINGS)
    return draw(
        st.sampled_from(
            [
                b" " + value + ending,  # obs-fold continuation
                b"\t" + value + ending,
                b"no colon " + value + ending,
                b":" + value + ending,  # empty name
                b"From " + value + ending,  # unix-from envelope line
                b"From: " + value + ending,
                b"\r\n",  # an empty line in an odd place
                b"\n",
                b"\r",
                b" \r\n",
                b"\t\n",
                value,
            ]
        )
    )


ENDS = st.sampled_from([b"\r\n", b"\n", b"\r\n", b"", b"\r", b"\r\r\n"])


@st.composite
def header_data(draw: st.DrawFn) -> bytes:
    """Bytes that start with a header block of any shape, often with a body
    after the block. Each block has a style: the same line ending for every
    line (the usual case, and the one the fast paths take), or any ending
    per line, with or without odd lines and random bytes mixed in."""
    style = draw(st.sampled_from(["uniform", "mixed-endings", "malformed"]))
    if style == "uniform":
        ending = draw(st.sampled_from([b"\r\n", b"\n"]))
        lines = draw(st.lists(field_line(st.just(ending)), max_size=12))
        end = draw(st.sampled_from([ending, b"\r\n", b"\n", b""]))
    elif style == "mixed-endings":
        lines = draw(
            st.lists(field_line(st.sampled_from([b"\r\n", b"\n"])), max_size=12)
        )
        end = draw(ENDS)
    else:
        line = st.one_of(field_line(), field_line(), odd_line(), st.binary(max_size=16))
        lines = draw(st.lists(line, max_size=12))
        end = draw(ENDS)
    data = b"".join(lines) + end
    if draw(st.booleans()):
        data += BODY
    return data


@st.composite
def well_formed(draw: st.DrawFn) -> tuple[list[tuple[str, str]], bytes]:
    """Fields with token names and printable values, and their block."""
    names = draw(
        st.lists(st.one_of(TOKENS, st.sampled_from(COMMON_NAMES)), max_size=20)
    )
    items = []
    for name in names:
        value = draw(PRINTABLE).lstrip(" ")
        if name.lower() == "content-type" and draw(st.booleans()):
            value = draw(st.sampled_from(CONTENT_TYPES))
        items.append((name, value))
    ending = draw(st.sampled_from([b"\r\n", b"\n"]))
    separator = draw(st.sampled_from([b": ", b":", b":\t"]))
    block = b"".join(
        name.encode() + separator + value.encode() + ending for name, value in items
    )
    return items, block + ending


def _outcome(call: Callable[[], _T]) -> _T | HTTPException:
    try:
        return call()
    except HTTPException as exc:
        return exc


def _both(
    kind: str, data: bytes, open_reader: OpenReader, **limits: int
) -> tuple[tuple[Outcome, bytes], tuple[Outcome, bytes]]:
    """Our parse_headers and http.client's over two files of the same kind:
    each outcome with what its file still holds."""
    ours_fp, ours_rest = open_reader(kind, data)
    theirs_fp, theirs_rest = open_reader(kind, data)
    ours = _outcome(functools.partial(parse_headers, ours_fp, **limits))
    try:
        theirs: Outcome = http.client.parse_headers(theirs_fp)
    except http.client.HTTPException as exc:
        theirs = exc
    return (ours, ours_rest()), (theirs, theirs_rest())


@SETTINGS
@given(case=well_formed(), kind=KINDS)
def test_well_formed_blocks_round_trip(
    case: tuple[list[tuple[str, str]], bytes],
    kind: str,
    open_reader: OpenReader,
    assert_same: AssertSame,
) -> None:
    items, block = case
    (ours, rest), (theirs, theirs_rest) = _both(kind, block + BODY, open_reader)
    assert_same(ours, theirs)
    assert not isinstance(ours, Exception)
    assert ours.items() == items
    assert rest == theirs_rest == BODY


@SETTINGS
@given(data=header_data(), kind=KINDS)
def test_any_block_matches_cpython(
    data: bytes, kind: str, open_reader: OpenReader, assert_same: AssertSame
) -> None:
    (ours, rest), (theirs, theirs_rest) = _both(kind, data, open_reader)
    assert_same(ours, theirs)
    assert rest == theirs_rest


@SETTINGS
@given(data=header_data())
def test_sansio_matches_cpython(
    data: bytes, cpython_parse: CPythonParse, assert_same: AssertSame
) -> None:
    theirs = cpython_parse(data)
    end = _outcome(functools.partial(find_header_block_end, data))
    if isinstance(end, Exception):
        assert_same(end, theirs)
        return
    block = data[:end] if end >= 0 else data
    assert_same(_outcome(functools.partial(parse_header_block, block)), theirs)
    fp = io.BytesIO(data)
    http.client.parse_headers(fp)
    assert fp.read() == data[len(block) :]


@SMALL_SETTINGS
@given(
    data=header_data(),
    kind=KINDS,
    max_line=st.integers(1, 40),
    max_headers=st.integers(1, 12),
)
def test_small_limits_match_cpython(
    data: bytes,
    kind: str,
    max_line: int,
    max_headers: int,
    open_reader: OpenReader,
    assert_same: AssertSame,
    cpython_limits: CPythonLimits,
    cpython_read_lines: CPythonReadLines,
    cpython_parse: CPythonParse,
) -> None:
    limits = {"max_line": max_line, "max_headers": max_headers}
    lines_fp, lines_rest = open_reader(kind, data)
    ours_lines = _outcome(functools.partial(read_header_lines, lines_fp, **limits))
    end = _outcome(functools.partial(find_header_block_end, data, **limits))
    with cpython_limits(max_line, max_headers):
        (ours, rest), (theirs, theirs_rest) = _both(kind, data, open_reader, **limits)
        theirs_lines_fp, theirs_lines_rest = open_reader(kind, data)
        theirs_lines = cpython_read_lines(theirs_lines_fp)
        theirs_bytesio = cpython_parse(data)
    assert_same(ours, theirs)
    assert rest == theirs_rest
    if isinstance(theirs_lines, Exception):
        assert isinstance(ours_lines, Exception)
        assert_same(ours_lines, theirs_lines)
    else:
        assert ours_lines == theirs_lines
    assert lines_rest() == theirs_lines_rest()
    if isinstance(end, Exception):
        assert_same(end, theirs_bytesio)
        return
    block = data[:end] if end >= 0 else data
    parsed = _outcome(functools.partial(parse_header_block, block, **limits))
    assert_same(parsed, theirs_bytesio)


@SMALL_SETTINGS
@given(data=header_data(), max_block_size=st.integers(1, 80), kind=KINDS)
def test_max_block_size_is_applied_alike_everywhere(
    data: bytes, max_block_size: int, kind: str, open_reader: OpenReader
) -> None:
    """http.client has no such limit: the entry points must agree with each
    other, line by line, the first line that breaks a limit deciding."""
    fp, rest = open_reader(kind, data)
    reference = _outcome(
        functools.partial(
            read_header_lines, io.BytesIO(data), max_block_size=max_block_size
        )
    )
    ours = _outcome(functools.partial(parse_headers, fp, max_block_size=max_block_size))
    end = _outcome(
        functools.partial(find_header_block_end, data, max_block_size=max_block_size)
    )
    if isinstance(reference, Exception):
        assert type(ours) is type(reference)
        assert str(ours) == str(reference)
        if isinstance(end, Exception):
            assert type(end) is type(reference)
            return
    else:
        assert not isinstance(ours, Exception)
        assert rest() == data[len(b"".join(reference)) :]
        assert not isinstance(end, Exception)
    block = data[:end] if end >= 0 else data
    parsed = _outcome(
        functools.partial(parse_header_block, block, max_block_size=max_block_size)
    )
    if isinstance(ours, Exception):
        assert type(parsed) is type(ours)
        assert str(parsed) == str(ours)
    else:
        assert not isinstance(parsed, Exception)
        assert parsed.items() == ours.items()


@SMALL_SETTINGS
@given(
    data=header_data(),
    cut=st.integers(0, 200),
    max_line=st.integers(1, 40),
    max_headers=st.integers(1, 12),
    max_block_size=st.one_of(st.none(), st.integers(1, 120)),
)
def test_find_end_refuses_only_what_every_completion_refuses(
    data: bytes,
    cut: int,
    max_line: int,
    max_headers: int,
    max_block_size: int | None,
) -> None:
    """find_header_block_end may refuse incomplete data early, but only data
    that no continuation can save: the stream ending there, or the block
    ending at once, must be refused too, and for the same reason when those
    two agree on it."""
    prefix = data[:cut]
    limits = {
        "max_line": max_line,
        "max_headers": max_headers,
        "max_block_size": max_block_size,
    }
    found = _outcome(functools.partial(find_header_block_end, prefix, **limits))
    if not isinstance(found, Exception):
        return
    at_eof = _outcome(functools.partial(parse_headers, io.BytesIO(prefix), **limits))
    ended = _outcome(
        functools.partial(parse_headers, io.BytesIO(prefix + b"\r\n\r\n"), **limits)
    )
    assert isinstance(at_eof, Exception), f"{found!r} but the data is fine at EOF"
    assert isinstance(ended, Exception), f"{found!r} but the data can end there"
    if type(at_eof) is type(ended):
        assert type(found) is type(at_eof)
