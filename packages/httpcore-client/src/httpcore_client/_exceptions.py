# The exceptions only the client raises.  Like every exception of the
# project they derive from httpcore_headers.HTTPException; their
# constructors are those of http.client.
from __future__ import annotations

from httpcore_wire import BadStatusLine, HTTPException


class NotConnected(HTTPException):
    """``send()`` was called on a closed connection whose ``auto_open`` is
    false. (With the default ``auto_open``, ``send()`` connects.)"""


class UnimplementedFileMode(HTTPException):
    """Kept for compatibility with :mod:`http.client`, which never raises it."""


class ImproperConnectionState(HTTPException):
    """Base class of the errors for methods called in the wrong state."""


class CannotSendRequest(ImproperConnectionState):
    """``putrequest()`` or ``request()`` while a request is being sent or its
    response has not been read."""


class CannotSendHeader(ImproperConnectionState):
    """``putheader()`` or ``endheaders()`` outside a request."""


class ResponseNotReady(ImproperConnectionState):
    """``getresponse()`` before the request was sent, or
    ``getheader()`` before the response was read."""


class RemoteDisconnected(ConnectionResetError, BadStatusLine):
    """The server closed the connection before it sent a status line.

    Both a :exc:`ConnectionResetError` (so code that retries on connection
    errors retries) and a :exc:`~httpcore_wire.BadStatusLine` (for code
    written before it existed). Typical on a kept-alive connection that the
    server closed while it was idle: the request can be sent again on a new
    connection, as urllib3 does.

    :param args: as for :exc:`ConnectionResetError`, usually the message
        ``"Remote end closed connection without response"``.
    """

    def __init__(self, *args: object, **kwargs: object) -> None:
        BadStatusLine.__init__(self, "")
        ConnectionResetError.__init__(self, *args, **kwargs)
