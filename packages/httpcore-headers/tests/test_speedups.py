# The optional compiled parser (httpcore_headers._speedups, built by
# setup.py) against its reference, _parse._crlf_fields: on every input
# both give the same fields and offset, or both give None (leaving the block
# to the exact path).  The rest of the suite runs on whichever of the two is
# in use; the nox session runs it once with each.
from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from collections.abc import Callable

import pytest
from hypothesis import example, given, settings, strategies as st

import httpcore_headers
from httpcore_headers import _parse, try_parse_header_block

Fields = Callable[..., object]


# The compiled parser when it is in use, else None.
COMPILED: Fields | None = _parse.crlf_fields if httpcore_headers.accelerated() else None
needs_compiled = pytest.mark.skipif(
    COMPILED is None,
    reason="httpcore_headers._speedups is not in use (pure Python install, or"
    " HTTPCORE_NO_EXTENSIONS)",
)


# Both implementations, for a test that checks each gives the answer.
IMPLEMENTATIONS = ["python", pytest.param("compiled", marks=needs_compiled)]


@pytest.fixture(scope="module")
def compiled() -> Fields:
    assert COMPILED is not None
    return COMPILED


def test_the_compiled_parser_is_used_unless_switched_off() -> None:
    # Judged from the installation, not from accelerated()'s own test.
    built = importlib.util.find_spec("httpcore_headers._speedups") is not None
    switched_off = bool(os.environ.get("HTTPCORE_NO_EXTENSIONS"))
    assert httpcore_headers.accelerated() is (built and not switched_off)
    if built and not switched_off:
        from httpcore_headers import _speedups

        assert _parse.crlf_fields is _speedups.crlf_fields
    else:
        assert _parse.crlf_fields is _parse._crlf_fields
    if os.environ.get("HTTPCORE_REQUIRE_EXTENSIONS") and not switched_off:
        # CI builds the accelerator or fails: it must be what runs here.
        assert httpcore_headers.accelerated()


@needs_compiled
def test_no_extensions_switches_the_compiled_parser_off() -> None:
    probe = (
        "from httpcore_headers import _parse;"
        "print(_parse.crlf_fields is _parse._crlf_fields)"
    )
    env = {**os.environ, "HTTPCORE_NO_EXTENSIONS": "1"}
    out = subprocess.run(
        [sys.executable, "-c", probe], env=env, capture_output=True, text=True
    )
    assert out.stdout.strip() == "True", out.stderr


# Ordinary blocks, half of them with one hostile edit: a byte or a piece
# inserted or replacing one, anywhere.  Ordinary blocks take the fast path,
# where the fields must agree; the edits probe every reason to leave it
# (a bare CR or LF, a byte not allowed in a name, white space before the
# colon, obs-fold, an empty line too early, a Content-Type that makes
# email.parser read a body) and the places where it must not be left.
NAMES = ["Host", "Content-Type", "content-TYPE", "Content-Length", "X-A", "a"]
VALUES = [
    "",
    "x",
    "  spaced  ",
    "\ttabbed",
    "text/plain",
    "a:b:c",
    "caf\xe9 \xff",
    "multipart/mixed; boundary=b",
    " MESSAGE/rfc822",
    "\x0b\x0cmultipart/x",
    "\x1c\x85\xa0message/http",
    "multipar",
]
EDITS = [
    "\r",
    "\n",
    "\r\n",
    "\r\n\r\n",
    "\x00",
    " ",
    "\t",
    ":",
    "\x7f",
    "\xe9",
    "\x85",
    " folded\r\n",
    "no colon\r\n",
    "Content-Type: multipart/x\r\n",
    "Content-Type:\r\n",
    "message-id: 1\r\n",
]
LINE = st.builds(
    lambda name, separator, value: name + separator + value + "\r\n",
    st.sampled_from(NAMES),
    st.sampled_from([":", ": ", ":\t"]),
    st.sampled_from(VALUES),
)


@st.composite
def blocks(draw: st.DrawFn) -> tuple[bytes, int]:
    """A header block with bytes before it (the status line) and after it
    (the body), and where it starts."""
    text = "".join(draw(st.lists(LINE, max_size=8))) + "\r\n"
    if draw(st.booleans()):
        at = draw(st.integers(0, len(text)))
        replace = draw(st.booleans()) and at < len(text)
        text = text[:at] + draw(st.sampled_from(EDITS)) + text[at + replace :]
    before = draw(st.sampled_from([b"", b"HTTP/1.1 200 OK\r\n", b"\r\n"]))
    after = draw(st.sampled_from([b"", b"body", b"\r\n\r\nmore: x\r\n\r\n"]))
    data = before + text.encode("latin-1") + after
    odd_start = st.sampled_from([0, len(data), len(data) + 3, -1])
    start = draw(odd_start) if draw(st.integers(0, 9)) == 0 else len(before)
    return data, start


# The default limits, or odd ones: at, just below and beyond what a block
# needs, zero and negative.
LIMITS = st.one_of(
    st.just((65536, 100, None)),
    st.tuples(
        st.sampled_from([65536, 0, 1, 2, 10, 40, 200]),
        st.sampled_from([100, 0, 1, 2, 3, 5]),
        st.sampled_from([None, 0, 2, 30, 1000, -1]),
    ),
)


@needs_compiled
@settings(max_examples=3000, deadline=None)
@given(blocks(), LIMITS)
@example((b"Content-Type:\r\nmessage-id: 1\r\n\r\n", 0), (65536, 100, None))
@example((b"A: 1\r\n\r\n", 0), (65536, 1, None))
@example((b"A: 1\r\n\r\n", 0), (65536, 2, None))
@example((b"A: 1\r\n\r\n", 0), (8, 100, 8))
@example((b"A: 1\r\n\r\n", 0), (7, 100, None))
@example((b"\r\n", 0), (65536, 0, None))
def test_compiled_agrees_with_python(
    compiled: Fields,
    case: tuple[bytes, int],
    limits: tuple[int, int, int | None],
) -> None:
    data, start = case
    expected = _parse._crlf_fields(data, start, *limits)
    assert compiled(data, start, *limits) == expected
    assert compiled(bytearray(data), start, *limits) == expected
    assert compiled(memoryview(data), start, *limits) == expected


@needs_compiled
def test_compiled_gives_the_fields_of_an_ordinary_block(compiled: Fields) -> None:
    data = (
        b"HTTP/1.1 200 OK\r\nServer: nginx\r\nContent-Length:  68\r\n"
        b"X-Empty:\r\nX-Latin: caf\xe9 \r\n\r\nbody"
    )
    assert compiled(data, 17, 65536, 100, None) == (
        [
            ("Server", "nginx"),
            ("Content-Length", "68"),
            ("X-Empty", ""),
            ("X-Latin", "caf\xe9 "),
        ],
        len(data) - 4,
    )


@needs_compiled
@pytest.mark.parametrize(
    "limits",
    [
        (2**80, 100, None),
        (65536, 2**80, None),
        (65536, 100, 2**80),
        (-(2**80), 100, None),
    ],
)
def test_compiled_leaves_limits_beyond_any_buffer_to_python(
    compiled: Fields, limits: tuple[int, int, int | None]
) -> None:
    assert compiled(b"A: 1\r\n\r\n", 0, *limits) is None


@needs_compiled
@pytest.mark.parametrize(
    "args",
    [
        ("A: 1\r\n\r\n", 0, 65536, 100, None),
        (b"A: 1\r\n\r\n", "0", 65536, 100, None),
        (b"A: 1\r\n\r\n", 0, 65536, 100),
    ],
)
def test_compiled_refuses_wrong_arguments(
    compiled: Fields, args: tuple[object]
) -> None:
    with pytest.raises(TypeError):
        compiled(*args)


@pytest.mark.parametrize("implementation", IMPLEMENTATIONS)
def test_try_parse_gives_the_message(
    monkeypatch: pytest.MonkeyPatch, implementation: str
) -> None:
    fields: Fields | None = (
        _parse._crlf_fields if implementation == "python" else COMPILED
    )
    assert fields is not None
    monkeypatch.setattr(_parse, "crlf_fields", fields)
    data = b"HTTP/1.1 200 OK\r\nA: 1\r\nB:  two \r\nA: 3\r\n\r\nbody"
    parsed = try_parse_header_block(data, 17)
    assert parsed is not None
    message, end = parsed
    assert message.items() == [("A", "1"), ("B", "two "), ("A", "3")]
    assert message.defects == []
    assert end == len(data) - 4
