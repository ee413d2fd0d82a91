# Shared helpers for the httpcore_headers tests, handed out as fixtures
# (with --import-mode=importlib test modules cannot import this file).
#
# Strategy: every test that can compares with the running interpreter's
# http.client, field by field, rather than with hand-written expectations
# alone: the package promises the standard library's result for every input.
from __future__ import annotations

import contextlib
import email.message
import email.parser
import http.client
import io
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Protocol, TypeAlias
from unittest import mock

import pytest

import httpcore_headers
from httpcore_headers import DEFAULT_LIMITS, HeaderLimits

if TYPE_CHECKING:
    Message: TypeAlias = email.message.Message[str, str]

Outcome: TypeAlias = "Message | Exception"
"""What a parse gave: the message, or the exception it raised."""


class ReadlineOnly:
    """The least a file can offer http.client: ``readline(size)`` and nothing else."""

    def __init__(self, data: bytes) -> None:
        self._data = data
        self._pos = 0

    def readline(self, size: int = -1, /) -> bytes:
        end = self._data.find(b"\n", self._pos) + 1 or len(self._data)
        if size >= 0:
            end = min(end, self._pos + size)
        line = self._data[self._pos : end]
        self._pos = end
        return line


class Reader(Protocol):
    def readline(self, size: int = -1, /) -> bytes: ...


def open_reader(kind: str, data: bytes) -> tuple[Reader, Callable[[], bytes]]:
    """A file of the given kind holding ``data``, and a function that returns
    what is left in it afterwards.

    The kinds: ``"BytesIO"``, ``"BufferedReader"`` (default buffer size),
    ``"BufferedReader-N"`` (a buffer of N bytes, so that a block spans several
    fills) and ``"readline-only"`` (an object with ``readline(size)`` alone).
    """
    if kind == "BytesIO":
        memory = io.BytesIO(data)
        return memory, memory.read
    if kind.startswith("BufferedReader"):
        size = int(kind.partition("-")[2] or io.DEFAULT_BUFFER_SIZE)
        buffered = io.BufferedReader(io.BytesIO(data), buffer_size=size)
        return buffered, buffered.read
    if kind == "readline-only":
        plain = ReadlineOnly(data)

        def rest() -> bytes:
            return b"".join(iter(plain.readline, b""))

        return plain, rest
    raise AssertionError(f"unknown reader kind {kind!r}")


def cpython_parse(
    data: bytes, _class: type[Message] = http.client.HTTPMessage
) -> Outcome:
    """``http.client.parse_headers(io.BytesIO(data))``: the message or the error."""
    try:
        return http.client.parse_headers(io.BytesIO(data), _class)
    except http.client.HTTPException as exc:
        return exc


def cpython_read_lines(fp: Reader) -> list[bytes] | Exception:
    """CPython's ``http.client._read_headers(fp)``, or the error it raised."""
    try:
        lines: list[bytes] = http.client._read_headers(fp)  # type: ignore[attr-defined]
    except http.client.HTTPException as exc:
        return exc
    return lines


def cpython_parse_lines(
    lines: Iterable[bytes], _class: type[Message] = http.client.HTTPMessage
) -> Message:
    """CPython's ``http.client._parse_header_lines`` (3.12+); on 3.10 and 3.11,
    which inline it in ``parse_headers``, the same two statements."""
    function = getattr(http.client, "_parse_header_lines", None)
    if function is not None:
        message: Message = function(lines, _class)
        return message
    text = b"".join(lines).decode("iso-8859-1")
    return email.parser.Parser(_class=_class).parsestr(text)


@contextlib.contextmanager
def cpython_limits(max_line: int, max_headers: int) -> Iterator[None]:
    """Set ``http.client._MAXLINE`` and ``_MAXHEADERS`` for the duration."""
    with mock.patch.multiple(http.client, _MAXLINE=max_line, _MAXHEADERS=max_headers):
        yield


def _defects(message: Message) -> list[tuple[str, str, object]]:
    return [
        (type(defect).__name__, str(defect), getattr(defect, "line", None))
        for defect in message.defects
    ]


def _assert_same_message(ours: Message, theirs: Message, where: str) -> None:
    assert ours.items() == theirs.items(), where
    assert _defects(ours) == _defects(theirs), where
    assert ours.get_unixfrom() == theirs.get_unixfrom(), where
    assert ours.get_content_type() == theirs.get_content_type(), where
    assert ours.get_default_type() == theirs.get_default_type(), where
    assert ours.get_charset() == theirs.get_charset(), where
    assert ours.preamble == theirs.preamble, where
    assert ours.epilogue == theirs.epilogue, where
    assert ours.policy is theirs.policy, where
    assert sorted(vars(ours)) == sorted(vars(theirs)), where
    assert ours.is_multipart() == theirs.is_multipart(), where
    ours_payload = ours.get_payload()
    theirs_payload = theirs.get_payload()
    if not theirs.is_multipart():
        assert ours_payload == theirs_payload, where
        return
    assert len(ours_payload) == len(theirs_payload), where
    for index, (ours_part, theirs_part) in enumerate(
        zip(ours_payload, theirs_payload, strict=True)
    ):
        # Parts are built by the same factory as the root in both parsers.
        same_class = (type(ours_part) is type(ours), type(theirs_part) is type(theirs))
        assert same_class[0] == same_class[1], f"{where}[{index}]"
        _assert_same_message(ours_part, theirs_part, f"{where}[{index}]")


def assert_same(ours: Outcome, theirs: Outcome) -> None:
    """Assert that our outcome is the one the standard library gave: the same
    message field by field, or the corresponding exception with the same text."""
    if isinstance(theirs, Exception):
        assert isinstance(ours, Exception), f"CPython raised {theirs!r}, we did not"
        if isinstance(theirs, http.client.LineTooLong):
            assert isinstance(ours, httpcore_headers.LineTooLong), repr(ours)
        else:
            assert isinstance(theirs, http.client.HTTPException), repr(theirs)
            assert isinstance(ours, httpcore_headers.HTTPException), repr(ours)
            assert not isinstance(ours, httpcore_headers.LineTooLong), repr(ours)
            if str(theirs).endswith(" headers"):
                assert isinstance(ours, httpcore_headers.TooManyHeaders), repr(ours)
        assert str(ours) == str(theirs)
        return
    assert not isinstance(ours, Exception), f"we raised {ours!r}, CPython did not"
    assert isinstance(ours, email.message.Message), repr(ours)
    _assert_same_message(ours, theirs, "message")


CPythonParse: TypeAlias = Callable[..., Outcome]
AssertSame: TypeAlias = Callable[[Outcome, Outcome], None]
OpenReader: TypeAlias = Callable[[str, bytes], tuple[Reader, Callable[[], bytes]]]
CPythonReadLines: TypeAlias = Callable[[Reader], "list[bytes] | Exception"]
CPythonParseLines: TypeAlias = Callable[..., "Message"]
CPythonLimits: TypeAlias = Callable[[int, int], contextlib.AbstractContextManager[None]]


@pytest.fixture(scope="session", name="cpython_parse")
def cpython_parse_fixture() -> CPythonParse:
    return cpython_parse


@pytest.fixture(scope="session", name="assert_same")
def assert_same_fixture() -> AssertSame:
    return assert_same


@pytest.fixture(scope="session", name="open_reader")
def open_reader_fixture() -> OpenReader:
    return open_reader


@pytest.fixture(scope="session", name="cpython_read_lines")
def cpython_read_lines_fixture() -> CPythonReadLines:
    return cpython_read_lines


@pytest.fixture(scope="session", name="cpython_parse_lines")
def cpython_parse_lines_fixture() -> CPythonParseLines:
    return cpython_parse_lines


@pytest.fixture(scope="session", name="cpython_limits")
def cpython_limits_fixture() -> CPythonLimits:
    return cpython_limits


@pytest.fixture
def default_limits() -> Iterator[HeaderLimits]:
    """:data:`httpcore_headers.DEFAULT_LIMITS`, for a test to change;
    restored afterwards."""
    with DEFAULT_LIMITS.changed() as limits:
        yield limits
