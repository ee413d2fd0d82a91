# The module-level constants of http.client: ports, the connection states
# and the status codes, with the standard library's values.
from __future__ import annotations

from http import HTTPStatus

HTTP_PORT = 80
"""The default port of :class:`HTTPConnection`."""
HTTPS_PORT = 443
"""The default port of :class:`HTTPSConnection`."""

# The marker http.client uses for response attributes not known yet.
_UNKNOWN = "UNKNOWN"

# Connection states (HTTPConnection._HTTPConnection__state).
_CS_IDLE = "Idle"
_CS_REQ_STARTED = "Request-started"
_CS_REQ_SENT = "Request-sent"

# Methods that always get a Content-Length, even without a body.
_METHODS_EXPECTING_BODY = {"PATCH", "POST", "PUT"}

responses: dict[int, str] = {status.value: status.phrase for status in HTTPStatus}
"""Status codes to their reason phrases (``responses[404] == "Not Found"``),
from the running interpreter's :class:`http.HTTPStatus`, as in
:mod:`http.client`."""
