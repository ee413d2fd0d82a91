# ambiguous_lines: the lines of a header block that http.client's parser
# (email.parser, which parse_headers follows) reads differently from an RFC
# 9112 parser.  Each table row says which lines; the properties check that
# well-formed blocks have none, and that every block where parse_headers
# loses or invents a field relative to a strict split has some.
from __future__ import annotations

import io

import pytest
from hypothesis import given, settings, strategies as st

from httpcore_headers import ambiguous_lines, parse_headers, read_header_lines


def lines_of(block: bytes) -> list[bytes]:
    return read_header_lines(io.BytesIO(block))


TABLE = [
    pytest.param(b"\r\n", [], id="empty block"),
    pytest.param(b"A: 1\r\nB: 2\r\n\r\n", [], id="ordinary"),
    pytest.param(b"A: 1\nB: 2\n\n", [], id="bare LF line endings"),
    pytest.param(b"A:1\r\nB:\t2 \r\n\r\n", [], id="odd white space in values"),
    pytest.param(b"X-(odd)!: 1\r\n\r\n", [], id="printable non-token name"),
    pytest.param(b"A: \x00\x01\r\n\r\n", [], id="controls in a value"),
    pytest.param(b"A: 1\r\n b\r\nC: 3\r\n\r\n", [0, 1], id="obs-fold"),
    pytest.param(b"A: 1\r\n b\r\n\tc\r\nD: 4\r\n\r\n", [0, 1, 2], id="two folds"),
    pytest.param(b"A: 1\r\nB: 2\r\n c\r\n\r\n", [1, 2], id="fold of the second"),
    pytest.param(b" A: 1\r\n\r\n", [0], id="fold of nothing"),
    pytest.param(b"A: 1\r\nBroken\r\nC: 3\r\n\r\n", [1, 2], id="no colon"),
    # A parser that skips "Broken" may take " b" for a continuation of A.
    pytest.param(b"A: 1\r\nBroken\r\n b\r\n\r\n", [0, 1, 2], id="no colon, fold"),
    pytest.param(b"A: 1\r\n,\r b\r\n\r\n", [0, 1], id="no colon, CR, fold"),
    # parse_headers stops at the empty line the second bare CR ends.
    pytest.param(b"A: 1\r\n \r\rb\r\nC: 3\r\n\r\n", [0, 1, 2], id="fold, CR, CR"),
    pytest.param(b"A : 1\r\nB: 2\r\n\r\n", [0, 1], id="space before colon"),
    pytest.param(b"A\t: 1\r\n\r\n", [0], id="tab before colon"),
    pytest.param(b": 1\r\nB: 2\r\n\r\n", [0, 1], id="no name"),
    pytest.param(b"Key Space: 1\r\n\r\n", [0], id="space in name"),
    pytest.param(b"A\x00B: 1\r\n\r\n", [0], id="NUL in name"),
    pytest.param(b"\xe4: 1\r\n\r\n", [0], id="non-ASCII name"),
    pytest.param(b"A: 1\rB: 2\r\nC: 3\r\n\r\n", [0], id="bare CR"),
    pytest.param(b"A: 1\r\r\n\r\n", [0], id="CR before CRLF"),
    # parse_headers stops at what follows the bare CR; C is not read.
    pytest.param(b"A: 1\r\r\nC: 3\r\n\r\n", [0, 1], id="CR before CRLF, then"),
    pytest.param(b"A: 1\rjunk\r\nC: 3\r\n\r\n", [0, 1], id="bare CR, then no colon"),
    pytest.param(b"A: 1\r x\r\nC: 3\r\n\r\n", [0], id="bare CR, then fold"),
    # Read as " , gzip" (obs-fold) by a parser that takes a bare CR for a
    # space: the field before gets another value.
    pytest.param(b"A: 1\r\n\r, gzip\r\nC: 3\r\n\r\n", [0, 1, 2], id="CR first"),
    pytest.param(b"\rA: 1\r\n\r\n", [0], id="CR first, first line"),
    pytest.param(b"A: 1\r\n b\r\n\rc\r\n\r\n", [0, 1, 2], id="CR first after fold"),
    pytest.param(b"A: 1\r\nB: 2", [], id="cut short, no defect"),
    pytest.param(b"A: 1\r\nBroken", [1], id="cut short in a defect"),
]


@pytest.mark.parametrize(("block", "expected"), TABLE)
def test_ambiguous_lines(block: bytes, expected: list[int]) -> None:
    assert ambiguous_lines(lines_of(block)) == expected


_TOKEN = st.text(
    st.sampled_from("!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJ"),
    min_size=1,
    max_size=12,
)
_VALUE = st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=20)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(_TOKEN, _VALUE), max_size=12), st.sampled_from(["\r\n", "\n"])
)
def test_well_formed_blocks_have_none(fields: list[tuple[str, str]], eol: str) -> None:
    block = "".join(f"{name}:{value}{eol}" for name, value in fields) + eol
    assert ambiguous_lines(lines_of(block.encode("latin-1"))) == []


def _strict_names(block: bytes) -> list[str]:
    """The field names an RFC 9112 parser that replaces a bare CR with a
    space and joins folds sees in a block (lines it cannot read skipped)."""
    names = []
    for line in block.replace(b"\r\n", b"\n").split(b"\n"):
        line = line.replace(b"\r", b" ")
        if not line or line[:1] in b" \t":
            continue
        name, colon, _ = line.partition(b":")
        if colon and name and name == name.strip():
            names.append(name.decode("latin-1").lower())
    return names


@settings(max_examples=500, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [b"A: 1", b"Content-Length: 5", b" fold", b"Broken", b"B : 2", b"C: x\ry"]
        ),
        max_size=6,
    )
)
def test_where_parse_headers_sees_other_fields_some_lines_are_listed(
    lines: list[bytes],
) -> None:
    block = b"".join(line + b"\r\n" for line in lines) + b"\r\n"
    seen = [name.lower() for name in parse_headers(io.BytesIO(block))]
    if seen != _strict_names(block):
        assert ambiguous_lines(lines_of(block))
