"""The module settings ``_MAXLINE``, ``_MAXHEADERS`` and ``print``: plain
module attributes, as in http.client, under every way programs and test
suites change them (assignment, del, mock.patch, mock.patch.object,
pytest's monkeypatch), and what httpcore reads follows them both ways."""

from __future__ import annotations

import http.client as stdlib_client
import io
import socket
from collections.abc import Callable, Iterator
from unittest import mock

import pytest

import httpcore_compat
import httpcore_headers

LIMITS = httpcore_headers.DEFAULT_LIMITS
# A head whose longest line (the Server field) is 30 bytes with its CRLF.
HEAD = (
    b"HTTP/1.1 200 OK\r\nServer: a-server-of-some-name\r\nContent-Length: 2\r\n\r\nhi"
)


@pytest.fixture(autouse=True)
def defaults() -> Iterator[None]:
    """Every test starts and ends with http.client's values, and with no
    ``print`` on the module."""
    assert (LIMITS.max_line, LIMITS.max_headers) == (65536, 100)
    assert "print" not in vars(httpcore_compat)
    yield
    httpcore_compat._MAXLINE = 65536
    httpcore_compat._MAXHEADERS = 100
    if "print" in vars(httpcore_compat):
        del httpcore_compat.print  # type: ignore[attr-defined]


def assign(name: str, value: object) -> None:
    """``httpcore_compat.<name> = value``, for values of other types than
    the setting's."""
    setattr(httpcore_compat, name, value)


def status_over_socket(head: bytes = HEAD) -> int:
    """A real request and response over a socket pair: the status, or the
    name of the exception getresponse() raised."""
    ours, theirs = socket.socketpair()
    with ours, theirs:
        connection = httpcore_compat.HTTPConnection("example.test")
        connection.sock = ours
        connection.request("GET", "/")
        theirs.sendall(head)
        response = connection.getresponse()
        assert response.read() == b"hi"
        return int(response.status)


def line_limit_applies() -> bool:
    """Whether a limit below 30 bytes is in force for responses."""
    try:
        status_over_socket()
    except httpcore_compat.LineTooLong:
        return True
    return False


def test_the_settings_are_plain_module_attributes() -> None:
    assert vars(httpcore_compat)["_MAXLINE"] == stdlib_client._MAXLINE  # type: ignore[attr-defined]
    assert vars(httpcore_compat)["_MAXHEADERS"] == stdlib_client._MAXHEADERS  # type: ignore[attr-defined]
    # http.client has no print of its own until a program assigns one.
    assert hasattr(httpcore_compat, "print") is hasattr(stdlib_client, "print")
    assert not hasattr(httpcore_compat, "print")


def test_assignment_and_deletion() -> None:
    httpcore_compat._MAXLINE = 17
    assert LIMITS.max_line == 17
    assert line_limit_applies()
    del httpcore_compat._MAXLINE
    # Gone, as from any module, and the limit is http.client's again.
    assert not hasattr(httpcore_compat, "_MAXLINE")
    assert LIMITS.max_line == 65536
    assert not line_limit_applies()
    with pytest.raises(AttributeError):
        del httpcore_compat._MAXLINE


# Ways to set _MAXLINE to 17 for the duration of a with block.
def patch_by_name(value: int) -> mock._patch[object]:
    return mock.patch("httpcore_compat._MAXLINE", value)


def patch_object(value: int) -> mock._patch[object]:
    return mock.patch.object(httpcore_compat, "_MAXLINE", value)


def patch_multiple(value: int) -> mock._patch[object]:
    return mock.patch.multiple(httpcore_compat, _MAXLINE=value)


PATCHERS: list[Callable[[int], mock._patch[object]]] = [
    patch_by_name,
    patch_object,
    patch_multiple,
]


@pytest.mark.parametrize("patcher", PATCHERS)
def test_mock_patch_applies_and_restores(
    patcher: Callable[[int], mock._patch[object]],
) -> None:
    with patcher(17):
        assert httpcore_compat._MAXLINE == 17
        assert line_limit_applies()
    assert httpcore_compat._MAXLINE == 65536
    assert LIMITS.max_line == 65536
    assert not line_limit_applies()


@pytest.mark.parametrize("patcher", PATCHERS)
def test_nested_patches_restore_each_level(
    patcher: Callable[[int], mock._patch[object]],
) -> None:
    httpcore_compat._MAXLINE = 1000
    with patcher(17):
        with patcher(29):
            assert LIMITS.max_line == 29
        assert LIMITS.max_line == 17
        assert line_limit_applies()
    # The value before the patches, not http.client's default.
    assert httpcore_compat._MAXLINE == 1000
    assert LIMITS.max_line == 1000
    assert not line_limit_applies()


def test_patch_under_install_as_http_client() -> None:
    httpcore_compat.install()
    try:
        # What urllib3's test suite does.
        with mock.patch("http.client._MAXLINE", 17):
            assert LIMITS.max_line == 17
            assert line_limit_applies()
        assert LIMITS.max_line == 65536
        assert not line_limit_applies()
    finally:
        httpcore_compat.uninstall()


def test_monkeypatch_set_undo_and_nested() -> None:
    with pytest.MonkeyPatch.context() as outer:
        outer.setattr(httpcore_compat, "_MAXHEADERS", 2)
        with pytest.MonkeyPatch.context() as inner:
            inner.setattr(httpcore_compat, "_MAXHEADERS", 5)
            assert LIMITS.max_headers == 5
        assert LIMITS.max_headers == 2
        with pytest.raises(httpcore_compat.HTTPException, match="more than 2"):
            status_over_socket()
    assert LIMITS.max_headers == 100
    assert status_over_socket() == 200


def test_monkeypatch_delattr_and_undo() -> None:
    with pytest.MonkeyPatch.context() as patch:
        httpcore_compat._MAXLINE = 17
        patch.delattr(httpcore_compat, "_MAXLINE")
        assert not hasattr(httpcore_compat, "_MAXLINE")
        assert not line_limit_applies()
    assert LIMITS.max_line == 17
    assert line_limit_applies()


def test_a_refused_value_changes_nothing() -> None:
    for value, error in ((0, ValueError), (-5, ValueError), ("10", TypeError)):
        with pytest.raises(error, match="_MAXLINE"):
            assign("_MAXLINE", value)
        assert httpcore_compat._MAXLINE == 65536
        assert LIMITS.max_line == 65536


def test_infinity_lifts_the_header_count_limit() -> None:
    # A spelling seen in programs that want no limit.
    block = b"".join(b"X-%d: y\r\n" % i for i in range(150)) + b"\r\n"
    assign("_MAXHEADERS", float("inf"))
    assert float("inf") == httpcore_compat._MAXHEADERS
    assert len(httpcore_compat.parse_headers(io.BytesIO(block))) == 150


def test_maxheaders_assignment_changes_parse_headers() -> None:
    block = b"".join(b"X-%d: y\r\n" % i for i in range(150)) + b"\r\n"
    with pytest.raises(httpcore_compat.HTTPException, match="more than 100 headers"):
        httpcore_compat.parse_headers(io.BytesIO(block))
    httpcore_compat._MAXHEADERS = 1000
    assert LIMITS.max_headers == 1000
    assert len(httpcore_compat.parse_headers(io.BytesIO(block))) == 150


def debug_lines(capsys: pytest.CaptureFixture[str]) -> str:
    connection = httpcore_compat.HTTPConnection("example.test")
    connection.set_debuglevel(1)
    ours, theirs = socket.socketpair()
    with ours, theirs:
        connection.sock = ours
        connection.request("GET", "/")
        theirs.sendall(HEAD)
        assert connection.getresponse().read() == b"hi"
    return capsys.readouterr().out


def test_print_patched_with_create_and_restored(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # The usual way to capture http.client's debug output.
    with mock.patch("httpcore_compat.print", create=True) as fake:
        assert debug_lines(capsys) == ""
    fake.assert_any_call("reply:", "'HTTP/1.1 200 OK\\r\\n'")
    fake.assert_any_call("header:", "Content-Length:", "2")
    assert not hasattr(httpcore_compat, "print")
    assert "reply: 'HTTP/1.1 200 OK\\r\\n'" in debug_lines(capsys)


def test_print_assigned_then_deleted(capsys: pytest.CaptureFixture[str]) -> None:
    lines: list[tuple[object, ...]] = []
    httpcore_compat.print = lambda *args: lines.append(args)  # type: ignore[attr-defined]
    assert debug_lines(capsys) == ""
    assert ("header:", "Server:", "a-server-of-some-name") in lines
    del httpcore_compat.print  # type: ignore[attr-defined]
    assert not hasattr(httpcore_compat, "print")
    assert "header: Server: a-server-of-some-name" in debug_lines(capsys)


def test_print_monkeypatched_without_raising(
    capsys: pytest.CaptureFixture[str],
) -> None:
    lines: list[tuple[object, ...]] = []
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(
            httpcore_compat, "print", lambda *a: lines.append(a), raising=False
        )
        assert debug_lines(capsys) == ""
    assert lines
    assert not hasattr(httpcore_compat, "print")
    assert "reply:" in debug_lines(capsys)
