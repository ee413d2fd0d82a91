"""A drop-in replacement for :mod:`http.client`.

``import httpcore_compat as client`` gives the documented ``http.client`` API
-- the same public names, the same ``__all__`` -- built on httpcore:
faster, bounded on hostile input, strict where the standard library's
leniency lets a peer desynchronise a connection. :func:`install` puts it in
place of ``http.client`` for the whole process, so that :mod:`urllib.request`,
urllib3 and requests imported afterwards run on it.

The private names that real callers use are here too (``_MAXLINE``,
``_MAXHEADERS``, ``_read_headers``, ``_create_https_context``, ``_CS_*``,
``print`` ...), and assigning ``_MAXLINE``, ``_MAXHEADERS`` or ``print`` on
this module changes the behaviour at run time, as it does on
``http.client``.
"""

# The standard library module's imports are public names of it, so they are
# of this module too (dir() of both agrees); the names only this module
# needs are imported under private aliases.
import builtins as _builtins
import collections  # noqa: F401 (a public name of http.client)
import email.message
import email.parser  # noqa: F401 (a public name of http.client)
import errno  # noqa: F401 (a public name of http.client)
import http
import importlib as _importlib
import io  # noqa: F401 (a public name of http.client)
import re
import socket  # noqa: F401 (a public name of http.client)
import ssl  # noqa: F401 (a public name of http.client)
import sys
import types as _types
from collections.abc import Callable as _Callable, Iterable as _Iterable
from typing import Any as _Any, BinaryIO as _BinaryIO
from urllib.parse import urlsplit  # noqa: F401 (a public name of http.client)

import httpcore_headers as _headers
from httpcore_client import (
    HTTP_PORT as HTTP_PORT,
    HTTPS_PORT as HTTPS_PORT,
    BadStatusLine as BadStatusLine,
    CannotSendHeader as CannotSendHeader,
    CannotSendRequest as CannotSendRequest,
    HTTPConnection as HTTPConnection,
    HTTPException as HTTPException,
    HTTPMessage as HTTPMessage,
    HTTPResponse as HTTPResponse,
    HTTPSConnection as HTTPSConnection,
    ImproperConnectionState as ImproperConnectionState,
    IncompleteRead as IncompleteRead,
    InvalidURL as InvalidURL,
    LineTooLong as LineTooLong,
    NotConnected as NotConnected,
    RemoteDisconnected as RemoteDisconnected,
    ResponseNotReady as ResponseNotReady,
    UnimplementedFileMode as UnimplementedFileMode,
    UnknownProtocol as UnknownProtocol,
    UnknownTransferEncoding as UnknownTransferEncoding,
    _debug as _debug,
    parse_headers as parse_headers,
    responses as responses,
)
from httpcore_client._constants import (
    _CS_IDLE as _CS_IDLE,
    _CS_REQ_SENT as _CS_REQ_SENT,
    _CS_REQ_STARTED as _CS_REQ_STARTED,
    _METHODS_EXPECTING_BODY as _METHODS_EXPECTING_BODY,
    _UNKNOWN as _UNKNOWN,
)
from httpcore_client._tls import _create_https_context as _create_https_context

from ._version import __version__ as __version__

# http.client's __all__, in its order.
__all__ = [  # noqa: RUF022
    "HTTPResponse",
    "HTTPConnection",
    "HTTPException",
    "NotConnected",
    "UnknownProtocol",
    "UnknownTransferEncoding",
    "UnimplementedFileMode",
    "IncompleteRead",
    "InvalidURL",
    "ImproperConnectionState",
    "CannotSendRequest",
    "CannotSendHeader",
    "ResponseNotReady",
    "BadStatusLine",
    "LineTooLong",
    "RemoteDisconnected",
    "error",
    "responses",
    "HTTPSConnection",
]

# The status codes as module constants (OK, NOT_FOUND ...), as the running
# interpreter's http.HTTPStatus has them.
globals().update(http.HTTPStatus.__members__)

error = HTTPException

# -- private names that callers of http.client use --------------------------

# The standard library's validation patterns, for code that calls them
# directly (this module's own validation is stricter; see the docs).
_is_legal_header_name = re.compile(rb"[^:\s][^:\r\n]*").fullmatch
_is_illegal_header_value = re.compile(rb"\n(?![ \t])|\r(?![ \t\n])").search
_contains_disallowed_url_pchar_re = re.compile("[\x00-\x20\x7f]")
_contains_disallowed_method_pchar_re = re.compile("[\x00-\x1f]")


def _read_headers(fp: _BinaryIO) -> list[bytes]:
    """``http.client._read_headers``: the raw lines of a header block."""
    return _headers.read_header_lines(fp)


def _parse_header_lines(
    header_lines: _Iterable[bytes], _class: _Any = HTTPMessage
) -> _Any:
    """``http.client._parse_header_lines``."""
    return _headers.parse_header_lines(header_lines, _class)


def _encode(data: str, name: str = "data") -> bytes:
    """``data.encode("latin-1")`` with http.client's error message."""
    try:
        return data.encode("latin-1")
    except UnicodeEncodeError as err:
        raise UnicodeEncodeError(
            err.encoding,
            err.object,
            err.start,
            err.end,
            f"{name.title()} ({data[err.start : err.end]!r:.20}) is not valid Latin-1. "
            f"Use {name}.encode('utf-8') if you want to send it encoded in UTF-8.",
        ) from None


def _strip_ipv6_iface(enc_name: bytes) -> bytes:
    """Remove the ``%zone`` of a bracketed IPv6 address."""
    enc_name, percent, _ = enc_name.partition(b"%")
    if percent:
        enc_name += b"]"
    return enc_name


# -- module attributes that change behaviour when assigned -------------------
#
# In http.client, _MAXLINE, _MAXHEADERS and print are plain module globals
# read at call time, and programs (and test suites: mock.patch, pytest's
# monkeypatch) assign, patch, restore and delete them.  Here they are plain
# module attributes too -- in the module's __dict__, so that patching and
# restoring work exactly as on any module -- and assigning or deleting one
# also carries the value to where httpcore reads it.


def _limit(name: str, value: object) -> int:
    """The header limit a module setting stands for: a positive number (a
    float such as ``float("inf")`` is taken as the largest whole number it
    allows)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"http.client.{name} must be a number, not {value!r}")
    if value != value or value < 1:  # NaN, zero or negative
        raise ValueError(f"http.client.{name} must be at least 1, not {value!r}")
    return int(min(value, sys.maxsize))


def _set_max_line(value: object) -> None:
    _headers.DEFAULT_LIMITS.max_line = _limit("_MAXLINE", value)


def _set_max_headers(value: object) -> None:
    _headers.DEFAULT_LIMITS.max_headers = _limit("_MAXHEADERS", value)


def _set_print(value: _Any) -> None:
    _debug.output = value


# What deleting a setting restores: http.client's values.
_DEFAULT_MAX_LINE = _headers.HeaderLimits().max_line
_DEFAULT_MAX_HEADERS = _headers.HeaderLimits().max_headers

# name -> (apply an assigned value, undo it when the name is deleted)
_SETTINGS: dict[str, tuple[_Callable[[object], None], _Callable[[], None]]] = {
    "_MAXLINE": (_set_max_line, lambda: _set_max_line(_DEFAULT_MAX_LINE)),
    "_MAXHEADERS": (_set_max_headers, lambda: _set_max_headers(_DEFAULT_MAX_HEADERS)),
    "print": (_set_print, lambda: _set_print(_builtins.print)),
}

# What httpcore_headers.DEFAULT_LIMITS holds when this module is imported.
_MAXLINE = _headers.DEFAULT_LIMITS.max_line
_MAXHEADERS = _headers.DEFAULT_LIMITS.max_headers


class _CompatModule(_types.ModuleType):
    """This module's type: assigning ``_MAXLINE``, ``_MAXHEADERS`` or
    ``print`` (which is absent until assigned, as in ``http.client``) also
    changes what httpcore reads; deleting one restores the default."""

    def __setattr__(self, name: str, value: object) -> None:
        setting = _SETTINGS.get(name)
        if setting is not None:
            # Applied first: a value that is refused changes nothing.
            setting[0](value)
        super().__setattr__(name, value)

    def __delattr__(self, name: str) -> None:
        super().__delattr__(name)
        setting = _SETTINGS.get(name)
        if setting is not None:
            setting[1]()


sys.modules[__name__].__class__ = _CompatModule

# -- installing in place of http.client --------------------------------------

_replaced: "_types.ModuleType | None" = None
_installed = False


def install() -> None:
    """Put this module in place of ``http.client`` for the whole process.

    ``sys.modules["http.client"]`` and the ``client`` attribute of the
    :mod:`http` package become this module, so code that imports
    ``http.client`` afterwards, or looks ``http.client.X`` up at run time (as
    :mod:`urllib.request` does), runs on httpcore. Names bound earlier with
    ``from http.client import X`` keep the standard library's objects: call
    it before importing urllib3 or requests. Calling it twice does nothing.

    :func:`uninstall` undoes it; :func:`installed` says whether it is in
    effect.
    """
    global _replaced, _installed
    if _installed:
        return
    _replaced = sys.modules.get("http.client")
    module = sys.modules[__name__]
    sys.modules["http.client"] = module
    http.client = module  # type: ignore[attr-defined]
    _installed = True


def uninstall() -> None:
    """Undo :func:`install`: ``http.client`` is the standard library's again.

    If ``http.client`` had not been imported before :func:`install`, the
    standard library's module is imported now. Classes created while
    httpcore was installed (urllib3's connection classes, for one) keep
    httpcore's classes as their bases. Does nothing when :func:`install` is
    not in effect.
    """
    global _replaced, _installed
    if not _installed:
        return
    if _replaced is None:
        # http.client had not been imported: import the standard library's.
        del sys.modules["http.client"]
        del http.client  # type: ignore[attr-defined]
        _importlib.import_module("http.client")
    else:
        sys.modules["http.client"] = _replaced
        http.client = _replaced  # type: ignore[attr-defined]
    _replaced = None
    _installed = False


def installed() -> bool:
    """Whether :func:`install` is in effect.

    :returns: true between :func:`install` and :func:`uninstall`.
    """
    return _installed
