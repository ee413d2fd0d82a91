# The status line (RFC 9112 section 4): parse_status_line, version_number and
# is_interim.  Tables of line -> exact result or exact exception, and a
# differential test against the running interpreter's
# http.client.HTTPResponse._read_status and begin(), in which the one
# deliberate difference (the status code must be exactly three ASCII digits)
# is asserted explicitly.  match_final_status(), the fast path, against
# the exact parser, and its remembered lines against matching afresh.
from __future__ import annotations

import http.client
import io
import socket
from typing import Protocol, cast

import pytest
from hypothesis import given, settings, strategies as st

from httpcore_wire import (
    BadStatusLine,
    FinalStatus,
    HTTPException,
    UnknownProtocol,
    _status,
    is_interim,
    match_final_status,
    parse_status_line,
    version_number,
)

# --- helpers --------------------------------------------------------------------


class _FakeSocket:
    def __init__(self, raw: bytes) -> None:
        self.raw = raw

    def makefile(self, *args: object, **kwargs: object) -> io.BufferedReader:
        return io.BufferedReader(io.BytesIO(self.raw))


class _StatusReader(Protocol):
    def _read_status(self) -> tuple[str, int, str]: ...


def cpython_response(raw: bytes) -> http.client.HTTPResponse:
    sock = _FakeSocket(raw)
    return http.client.HTTPResponse(cast(socket.socket, sock), method="GET")


def cpython_read_status(line: str) -> tuple[str, int, str]:
    """What CPython's ``_read_status`` returns for ``line``, or raises."""
    response = cpython_response(line.encode("iso-8859-1"))
    return cast(_StatusReader, response)._read_status()


def cpython_read_status_or_error(
    line: str,
) -> tuple[str, int, str] | http.client.BadStatusLine:
    try:
        return cpython_read_status(line)
    except http.client.BadStatusLine as error:
        return error


def cpython_version(line: str) -> int:
    """``HTTPResponse.version`` after ``begin()`` on a response with ``line``."""
    response = cpython_response(line.encode("iso-8859-1") + b"\r\n")
    response.begin()
    return response.version


# --- parse_status_line ------------------------------------------------------------

STATUS_LINES: list[tuple[str, str, tuple[str, int, str]]] = [
    ("ok", "HTTP/1.1 200 OK\r\n", ("HTTP/1.1", 200, "OK\r\n")),
    ("http-1.0", "HTTP/1.0 404 Not Found\r\n", ("HTTP/1.0", 404, "Not Found\r\n")),
    ("lf-only", "HTTP/1.1 200 OK\n", ("HTTP/1.1", 200, "OK\n")),
    ("no-line-end", "HTTP/1.1 200 OK", ("HTTP/1.1", 200, "OK")),
    ("no-reason", "HTTP/1.1 200\r\n", ("HTTP/1.1", 200, "")),
    ("empty-reason", "HTTP/1.1 200 \r\n", ("HTTP/1.1", 200, "")),
    ("no-reason-no-line-end", "HTTP/1.1 204", ("HTTP/1.1", 204, "")),
    ("spaces", "HTTP/1.1   200   Very  OK  \r\n", ("HTTP/1.1", 200, "Very  OK  \r\n")),
    ("tabs", "HTTP/1.1\t200\tOK\r\n", ("HTTP/1.1", 200, "OK\r\n")),
    ("leading-space", " HTTP/1.1 200 OK\r\n", ("HTTP/1.1", 200, "OK\r\n")),
    (
        "latin-1-reason",
        "HTTP/1.1 200 \xe9t\xe9\r\n",
        ("HTTP/1.1", 200, "\xe9t\xe9\r\n"),
    ),
    ("continue", "HTTP/1.1 100 Continue\r\n", ("HTTP/1.1", 100, "Continue\r\n")),
    ("lowest", "HTTP/1.1 100\r\n", ("HTTP/1.1", 100, "")),
    ("highest", "HTTP/1.1 999 X\r\n", ("HTTP/1.1", 999, "X\r\n")),
    ("unregistered", "HTTP/1.1 599 Whatever\r\n", ("HTTP/1.1", 599, "Whatever\r\n")),
    ("http-0.9", "HTTP/0.9 200 OK\r\n", ("HTTP/0.9", 200, "OK\r\n")),
    ("http-2", "HTTP/2 200\r\n", ("HTTP/2", 200, "")),
    ("http-slash-only", "HTTP/ 200 OK\r\n", ("HTTP/", 200, "OK\r\n")),
    ("version-junk", "HTTP/x.y 200 OK\r\n", ("HTTP/x.y", 200, "OK\r\n")),
    ("reason-with-digits", "HTTP/1.1 200 200 OK\r\n", ("HTTP/1.1", 200, "200 OK\r\n")),
]


@pytest.mark.parametrize(
    ("line", "expected"), [pytest.param(*case[1:], id=case[0]) for case in STATUS_LINES]
)
def test_parse_status_line(line: str, expected: tuple[str, int, str]) -> None:
    assert parse_status_line(line) == expected
    assert cpython_read_status(line) == expected


BAD_STATUS_LINES: list[tuple[str, str]] = [
    ("empty", ""),
    ("crlf", "\r\n"),
    ("version-only", "HTTP/1.1\r\n"),
    ("lower-case", "http/1.1 200 OK\r\n"),
    ("icy", "ICY 200 OK\r\n"),
    ("no-version", "200 OK\r\n"),
    ("html", "<html>\r\n"),
    ("four-digits", "HTTP/1.1 2000 OK\r\n"),
    ("two-digits", "HTTP/1.1 20 OK\r\n"),
    ("below-100", "HTTP/1.1 099 OK\r\n"),
    ("zero", "HTTP/1.1 000 OK\r\n"),
    ("letters", "HTTP/1.1 abc OK\r\n"),
    ("digits-and-letters", "HTTP/1.1 20x OK\r\n"),
    ("negative", "HTTP/1.1 -200 OK\r\n"),
    ("superscript", "HTTP/1.1 2\xb20 OK\r\n"),
    ("fraction", "HTTP/1.1 2.0 OK\r\n"),
    ("vertical-tab-split", "HTTP/1.1\x0b20 OK\r\n"),
]


@pytest.mark.parametrize(
    "line", [pytest.param(line, id=i) for i, line in BAD_STATUS_LINES]
)
def test_bad_status_line(line: str) -> None:
    with pytest.raises(BadStatusLine) as info:
        parse_status_line(line)
    expected = line or "''"
    assert info.value.line == expected
    assert info.value.args == (expected,)
    assert str(info.value) == expected
    if line:
        with pytest.raises(http.client.BadStatusLine) as cpython:
            cpython_read_status(line)
        assert cpython.value.args == info.value.args
    else:
        assert str(http.client.BadStatusLine(line)) == expected


# CPython reads these status codes with int(); they are not three digits.
CPYTHON_LENIENT: list[tuple[str, str, int]] = [
    ("plus-sign", "HTTP/1.1 +200 OK\r\n", 200),
    ("leading-zero", "HTTP/1.1 0200 OK\r\n", 200),
    ("leading-zeros", "HTTP/1.1 000200 OK\r\n", 200),
    ("underscore", "HTTP/1.1 2_00 OK\r\n", 200),
    ("plus-999", "HTTP/1.1 +999 OK\r\n", 999),
    ("plus-underscore", "HTTP/1.1 +1_0_0 OK\r\n", 100),
]


@pytest.mark.parametrize(
    ("line", "cpython_status"),
    [pytest.param(*case[1:], id=case[0]) for case in CPYTHON_LENIENT],
)
def test_cpython_accepts_we_refuse(line: str, cpython_status: int) -> None:
    assert cpython_read_status(line) == ("HTTP/1.1", cpython_status, "OK\r\n")
    with pytest.raises(BadStatusLine) as info:
        parse_status_line(line)
    assert info.value.args == (line,)
    assert info.value.line == line


def test_bad_status_line_class() -> None:
    error = BadStatusLine("junk\r\n")
    assert isinstance(error, HTTPException)
    assert (error.line, error.args) == ("junk\r\n", ("junk\r\n",))
    cpython = http.client.BadStatusLine("junk\r\n")
    assert (repr(error), str(error)) == (
        repr(cpython).replace("http.client.", ""),
        str(cpython),
    )
    assert BadStatusLine("").line == "''"
    assert BadStatusLine("").args == http.client.BadStatusLine("").args == ("''",)


_TOKENS = st.sampled_from(
    ["HTTP/1.1", "HTTP/1.0", "HTTP/0.9", "HTTP/2", "HTTP/", "http/1.1", "ICY", ""]
)
_STATUSES = st.sampled_from(
    ["200", "100", "999", "099", "1000", "+200", "0200", "2_00", "-200", "20", "2x0"]
) | st.text(alphabet="0123456789+-_ x\xb2", max_size=5)
_SEPARATORS = st.sampled_from([" ", "  ", "\t", " \t", "\x0b", "\x0c", "\x1c", "\xa0"])
_REASONS = st.text(
    alphabet=st.sampled_from([chr(c) for c in range(0x100) if c != 0x0A]), max_size=12
)
_ENDINGS = st.sampled_from(["\r\n", "\n", ""])


@st.composite
def status_lines(draw: st.DrawFn) -> str:
    parts = [draw(_TOKENS), draw(_SEPARATORS), draw(_STATUSES)]
    if draw(st.booleans()):
        parts += [draw(_SEPARATORS), draw(_REASONS)]
    return "".join(parts) + draw(_ENDINGS)


# After the status code, only whitespace that str.split() skips but int()
# does not (the information separators U+001C to U+001F): CPython's
# status token is then "200\x1c\r\n", which int() refuses.
_SEPARATOR_AFTER_STATUS = [
    "HTTP/1.1 200\x1c\r\n",
    "HTTP/1.1 200\x1f",
    "HTTP/1.1 404 \x1d\r\n",
    "HTTP/1.0 200\x1e\n",
]


def _separator_after_status(line: str) -> bool:
    parts = line.split(None, 1)
    return len(line.split(None, 2)) == 2 and any(
        char in parts[1] for char in "\x1c\x1d\x1e\x1f"
    )


@pytest.mark.parametrize("line", _SEPARATOR_AFTER_STATUS)
def test_refuses_what_cpython_refuses_after_status(line: str) -> None:
    assert _separator_after_status(line)
    with pytest.raises(http.client.BadStatusLine):
        cpython_read_status(line)
    with pytest.raises(BadStatusLine):
        parse_status_line(line)


@settings(max_examples=300, deadline=None)
@given(line=status_lines() | _REASONS.map(lambda text: text + "\r\n"))
def test_same_as_cpython(line: str) -> None:
    expected = cpython_read_status_or_error(line)
    if isinstance(expected, http.client.BadStatusLine):
        with pytest.raises(BadStatusLine) as info:
            parse_status_line(line)
        assert info.value.args == expected.args
        return
    token = line.split(None, 2)[1]
    if token == str(expected[1]):
        assert parse_status_line(line) == expected
    else:
        # The deliberate difference: CPython's int() took a status code
        # that is not three ASCII digits.
        with pytest.raises(BadStatusLine):
            parse_status_line(line)


# --- version_number --------------------------------------------------------


@pytest.mark.parametrize(
    ("version", "number"),
    [
        ("HTTP/1.0", 10),
        ("HTTP/0.9", 10),
        ("HTTP/1.1", 11),
        ("HTTP/1.2", 11),
        ("HTTP/1.10", 11),
        ("HTTP/1.", 11),
        ("HTTP/1.x", 11),
    ],
)
def test_version_number(version: str, number: int) -> None:
    assert version_number(version) == number
    assert cpython_version(f"{version} 200 OK") == number


@pytest.mark.parametrize(
    "version",
    ["HTTP/2.0", "HTTP/2", "HTTP/0.8", "HTTP/", "HTTP/1", "HTTP/10.0", "HTTP/3"],
)
def test_unknown_protocol(version: str) -> None:
    with pytest.raises(UnknownProtocol) as info:
        version_number(version)
    assert info.value.version == version
    assert info.value.args == (version,)
    with pytest.raises(http.client.UnknownProtocol) as cpython:
        cpython_version(f"{version} 200 OK")
    assert cpython.value.args == info.value.args


@settings(max_examples=200, deadline=None)
@given(
    version=st.sampled_from(
        ["HTTP/1.", "HTTP/0.", "HTTP/", "HTTP/2.", "HTTP/1.0"]
    ).flatmap(
        lambda head: st.text(alphabet="0123456789.x", max_size=3).map(head.__add__)
    )
)
def test_version_number_same_as_cpython(version: str) -> None:
    try:
        expected = cpython_version(f"{version} 200 OK")
    except http.client.UnknownProtocol:
        with pytest.raises(UnknownProtocol):
            version_number(version)
        return
    assert version_number(version) == expected


# --- is_interim ------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "interim"),
    [
        (100, True),
        (101, False),
        (102, True),
        (103, True),
        (150, True),
        (199, True),
        (200, False),
        (204, False),
        (304, False),
        (404, False),
        (999, False),
        (99, False),
    ],
)
def test_is_interim(status: int, interim: bool) -> None:
    assert is_interim(status) is interim


# --- match_final_status: the fast path, against the exact parser -----------------


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (b"HTTP/1.1 200 OK\r\n", (11, 200, "OK")),
        (b"HTTP/1.0 404 Not Found\r\n", (10, 404, "Not Found")),
        (b"HTTP/1.1 204 \r\n", (11, 204, "")),
        (b"HTTP/1.1 999 \tTabbed \r\n", (11, 999, "Tabbed")),
    ],
)
def test_match_final_status(line: bytes, expected: tuple[int, int, str]) -> None:
    found = match_final_status(line + b"Server: x\r\n\r\n")
    assert found is not None
    assert (found.version, found.status, found.reason, found.end) == (
        *expected,
        len(line),
    )


@pytest.mark.parametrize(
    "line",
    [
        b"HTTP/1.1 100 Continue\r\n",  # interim: the exact path skips it
        b"HTTP/1.1 200 OK\n",  # bare LF
        b"HTTP/1.1 200 OK",  # not all there yet
        b"HTTP/2.0 200 OK\r\n",
        b"HTTP/1.1 +200 OK\r\n",
        b"HTTP/1.1 200 O\x1cK\r\n",  # str.split() separators
        b"HTTP/1.1 200 caf\xe9\r\n",
        b" HTTP/1.1 200 OK\r\n",
        b"HTTP/1.1  200 OK\r\n",
        b"HTTP/1.1 200\r\n",
    ],
)
def test_match_final_status_leaves_the_rest_to_the_parser(line: bytes) -> None:
    assert match_final_status(line) is None


@settings(max_examples=500, deadline=None)
@given(
    st.binary(max_size=30)
    | st.builds(
        lambda version, status, reason, end: (
            b"HTTP/1.%s %s%s%s" % (version, status, reason, end)
        ),
        st.sampled_from([b"0", b"1", b"9"]),
        st.sampled_from([b"099", b"100", b"200", b"404", b"600", b"999"]),
        st.binary(max_size=10),
        st.sampled_from([b"\r\n", b"\n", b"", b"\r\nX: y\r\n"]),
    )
)
def test_match_final_status_agrees_with_parse_status_line(data: bytes) -> None:
    found = match_final_status(data)
    if found is None:
        return
    line = data[: found.end].decode("iso-8859-1")
    version, status, reason = parse_status_line(line)
    assert not is_interim(status)
    assert (version_number(version), status, reason.strip()) == (
        found.version,
        found.status,
        found.reason,
    )


_LINES = st.builds(
    lambda version, status, reason, end: (
        b"HTTP/1.%s %s%s%s" % (version, status, reason, end)
    ),
    st.sampled_from([b"0", b"1"]),
    st.sampled_from([b"200 ", b"404 ", b"100 ", b"200"]),
    st.binary(max_size=70) | st.sampled_from([b"OK", b" OK \t", b"", b"O\rK"]),
    st.sampled_from([b"\r\n", b"\r\nX: y\r\n\r\n", b"\r\r\n", b"\n", b""]),
)


@settings(max_examples=500, deadline=None)
@given(st.lists(_LINES, min_size=1, max_size=5))
def test_a_remembered_status_line_matches_as_afresh(lines: list[bytes]) -> None:
    # Each line twice: the second call comes from the lines remembered by
    # the first.  A bytearray (which the type does not promise to take, but
    # the pattern does) is matched afresh: a slice of it is no dict key.
    for data in lines + lines:
        expected = _status._match(data)
        assert match_final_status(data) == expected
        assert match_final_status(cast(bytes, bytearray(data))) == expected
        if expected is not None:
            assert type(match_final_status(data)) is FinalStatus
            if expected.end <= _status._REMEMBERED_LINE:
                # Remembered by its bytes before the CRLF.
                assert _status._remembered[data[: expected.end - 2]] == expected


def test_the_remembered_status_lines_are_bounded() -> None:
    for number in range(3 * _status._REMEMBERED):
        data = b"HTTP/1.1 200 reason %d\r\n\r\n" % number
        found = match_final_status(data)
        assert found is not None
        assert found.reason == f"reason {number}"
        assert len(_status._remembered) <= _status._REMEMBERED
        assert _status._remembered[data[:-4]] is found
    long_reason = b"HTTP/1.1 200 " + b"x" * _status._REMEMBERED_LINE + b"\r\n"
    found = match_final_status(long_reason)
    assert found is not None
    assert found.end == len(long_reason)
    assert long_reason[:-2] not in _status._remembered
