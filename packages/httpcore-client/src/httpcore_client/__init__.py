"""``http.client``'s connection and response classes, compatible and safer.

:class:`HTTPConnection`, :class:`HTTPSConnection` and :class:`HTTPResponse`
with the standard library's API and the private attributes that urllib3,
requests, botocore and :mod:`urllib.request` rely on, built on
``httpcore-headers`` and ``httpcore-wire``.
"""

from httpcore_headers import HTTPException, HTTPMessage, LineTooLong, parse_headers
from httpcore_wire import (
    AmbiguousFraming,
    BadStatusLine,
    IncompleteRead,
    InvalidChunk,
    InvalidContentLength,
    InvalidURL,
    TooManyInterimResponses,
    UnknownProtocol,
    UnknownTransferEncoding,
)

from ._connection import HTTPConnection
from ._constants import HTTP_PORT, HTTPS_PORT, responses
from ._exceptions import (
    CannotSendHeader,
    CannotSendRequest,
    ImproperConnectionState,
    NotConnected,
    RemoteDisconnected,
    ResponseNotReady,
    UnimplementedFileMode,
)
from ._response import HTTPResponse
from ._tls import HTTPSConnection
from ._version import __version__

__all__ = [
    "HTTPS_PORT",
    "HTTP_PORT",
    "AmbiguousFraming",
    "BadStatusLine",
    "CannotSendHeader",
    "CannotSendRequest",
    "HTTPConnection",
    "HTTPException",
    "HTTPMessage",
    "HTTPResponse",
    "HTTPSConnection",
    "ImproperConnectionState",
    "IncompleteRead",
    "InvalidChunk",
    "InvalidContentLength",
    "InvalidURL",
    "LineTooLong",
    "NotConnected",
    "RemoteDisconnected",
    "ResponseNotReady",
    "TooManyInterimResponses",
    "UnimplementedFileMode",
    "UnknownProtocol",
    "UnknownTransferEncoding",
    "__version__",
    "parse_headers",
    "responses",
]
