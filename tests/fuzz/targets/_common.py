# What the fuzz targets share: the compiled accelerators loaded next to the
# pure Python code they stand in for, outcomes that can be compared (a value,
# or an exception of a documented type), and the running interpreter's
# http.client driven over in-memory bytes, as the reference where the
# packages promise its behaviour.
#
# Strategy: every target is differential.  An exception of a documented type
# is an outcome like any other and must be the same on both sides; any other
# exception escapes and is a finding by itself, as is a Finding raised when
# two outcomes differ.
from __future__ import annotations

import contextlib
import email.message
import http.client
import importlib
import io
import os
import socket
from collections.abc import Callable, Iterator
from types import ModuleType
from typing import Any, Protocol, TypeAlias, TypeVar, cast

_T = TypeVar("_T")

#: ``("ok", value, "")``, or ``("raised", type name, text)`` for the
#: documented exception raised instead.
Outcome: TypeAlias = "tuple[str, object, str]"


class Finding(AssertionError):
    """Two implementations, or an implementation and its reference, disagree."""


def speedups(module: str) -> ModuleType | None:
    """The compiled accelerator ``module``, or ``None`` on a pure Python
    install (an ImportError when HTTPCORE_REQUIRE_EXTENSIONS is set)."""
    try:
        return importlib.import_module(module)
    except ImportError:
        if os.environ.get("HTTPCORE_REQUIRE_EXTENSIONS"):
            raise
        return None


def outcome(
    call: Callable[[], _T],
    allowed: tuple[type[BaseException], ...],
    describe: Callable[[_T], object] = lambda value: value,
) -> Outcome:
    """``("ok", describe(value), "")`` or ``("raised", type name, text)`` for
    an exception of an ``allowed`` type; other exceptions propagate."""
    try:
        value = call()
    except allowed as error:
        return "raised", type(error).__name__, str(error)
    return "ok", describe(value), ""


def same(what: str, first: object, second: object) -> None:
    """Raise a :class:`Finding` naming ``what`` unless the two are equal."""
    if first != second:
        raise Finding(f"{what}:\n  {first!r}\n  {second!r}")


def check(condition: bool, what: str) -> None:
    """Raise a :class:`Finding` saying ``what`` unless ``condition`` holds."""
    if not condition:
        raise Finding(what)


@contextlib.contextmanager
def replaced(owner: object, name: str, value: object) -> Iterator[None]:
    """``owner.name`` set to ``value`` for the duration (module-level seams
    such as the compiled-or-pure function a module calls)."""
    saved = getattr(owner, name)
    setattr(owner, name, value)
    try:
        yield
    finally:
        setattr(owner, name, saved)


def message_summary(message: email.message.Message) -> object:
    """Everything a caller can see of a parsed header block, comparable with
    ``==``: fields, defects, envelope line and payload (parts recursively)."""
    payload: Any = message.get_payload()
    if message.is_multipart():
        payload = [message_summary(part) for part in payload]
    return (
        message.items(),
        [(type(defect).__name__, str(defect)) for defect in message.defects],
        message.get_unixfrom(),
        message.get_content_type(),
        payload,
    )


def split_limits(data: bytes) -> tuple[int, bytes]:
    """The first byte of an input, which chooses the limits of a run, and the
    rest (an empty input chooses the defaults)."""
    return (data[0], data[1:]) if data else (0, b"")


# --- the running interpreter's http.client, over bytes --------------------


class _StatusReader(Protocol):
    def _read_status(self) -> tuple[str, int, str]: ...


class _File(io.BytesIO):
    """Fixed bytes that keep what is left when HTTPResponse closes them."""

    leftover = b""

    def close(self) -> None:
        if not self.closed:
            self.leftover = self.read()
        super().close()


class _Socket:
    """What HTTPResponse needs of a socket: ``makefile()`` over fixed bytes."""

    def __init__(self, data: bytes) -> None:
        self.file = _File(data)

    def makefile(self, *args: object, **kwargs: object) -> _File:
        return self.file


def _response(data: bytes) -> tuple[http.client.HTTPResponse, _File]:
    sock = _Socket(data)
    return http.client.HTTPResponse(cast(socket.socket, sock), method="GET"), sock.file


@contextlib.contextmanager
def cpython_limits(max_line: int, max_headers: int) -> Iterator[None]:
    """``http.client._MAXLINE`` and ``_MAXHEADERS`` for the duration."""
    with (
        replaced(http.client, "_MAXLINE", max_line),
        replaced(http.client, "_MAXHEADERS", max_headers),
    ):
        yield


def cpython_read_status(line: bytes) -> Outcome:
    """``HTTPResponse._read_status()`` on a socket that sends ``line``."""
    response, _ = _response(line)
    return outcome(
        cast(_StatusReader, response)._read_status, (http.client.HTTPException,)
    )


def cpython_read_chunked(wire: bytes) -> tuple[bytes, bytes]:
    """The body CPython's HTTPResponse reads from a chunked response whose
    body is ``wire``, and the bytes it leaves unread; its exceptions
    propagate."""
    head = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
    response, file = _response(head + wire)
    response.begin()
    body = response.read()
    file.close()
    return body, file.leftover
