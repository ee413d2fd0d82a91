# The heads of body-less requests a connection has already built.
#
# Strategy: a keep-alive client sends the same few requests again and again
# (a health check, a poll, a GET of the same resource).  Building a head --
# validating the method, target and fields, encoding the Host value --
# costs more than sending it, so request() without a body or fields of the
# caller's remembers the bytes it built, by everything they depend on, and
# sends them as they are the next time.  Only while nothing that takes part
# in building a head is replaced (a subclass's putheader(), botocore's
# _send_output(), instrumentation wrapping send()): such a class goes the
# long way every time.  Bounded: the cache empties when it is full.
# RememberedSending is request()'s way to send such a head.
from __future__ import annotations

import operator
import ssl
import sys
from typing import TYPE_CHECKING, Any

from ._constants import _CS_IDLE, _CS_REQ_SENT
from ._exchange_log import recording

if TYPE_CHECKING:
    from ._timeouts import Clock

# Distinct heads remembered per connection.
LIMIT = 32

# The methods request() does the work of when it sends a remembered head.
hooks_of = operator.attrgetter(
    "_send_request",
    "putrequest",
    "putheader",
    "endheaders",
    "_send_output",
    "send",
    "_output",
    "_validate_method",
    "_validate_path",
    "_encode_request",
)


class RememberedHeads(dict[tuple[Any, ...], bytes]):
    """The heads one connection remembers, by their key (what the head
    depends on: method, target, host, port, tunnel, HTTP version).

    A dict, so that looking a head up is dict.get() itself: it runs once
    per request."""

    __slots__ = ("pending",)

    def __init__(self) -> None:
        super().__init__()
        #: The key of the head being built the long way, to store when sent.
        self.pending: tuple[Any, ...] | None = None

    def store(self, head: bytes) -> None:
        """Remember ``head`` under the pending key, if there is one."""
        if self.pending is None:
            return
        if len(self) >= LIMIT:
            self.clear()
        self[self.pending] = head
        self.pending = None


class RememberedSending:
    """The part of :class:`~httpcore_client.HTTPConnection` that sends
    remembered heads."""

    if TYPE_CHECKING:
        sock: Any
        host: str
        port: int
        default_port: int
        debuglevel: int
        _heads: RememberedHeads
        _clock: Clock | None
        _method: str | None
        _upgrade_asked: bool
        _close_after_response: bool
        _tunnel_host: str | None
        _tunnel_port: int | None
        _http_vsn: int
        _http_vsn_str: str
        _HTTPConnection__state: str
        _HTTPConnection__response: Any
        #: hooks_of(HTTPConnection), set once the class exists.
        _plain_head_hooks: tuple[Any, ...]

        def _close_if_stale(self) -> bool: ...

    def _send_remembered(self, method: str, url: str) -> bool:
        """Send the head of a body-less request without fields of the
        caller's that an earlier identical request built and validated: what
        putrequest(), endheaders() and send() would do with it.

        Returns False, having done nothing, when the long way must run: the
        head is not known yet (it is then remembered on the way), the
        connection is not open or not idle, a hook is replaced, debug output,
        a limit of _timeouts.py or the exchange log is on.
        """
        if (
            self.debuglevel > 0
            or self._clock is not None
            or hooks_of(type(self)) != self._plain_head_hooks
            or recording()
        ):
            return False
        key = (
            method,
            url,
            self.host,
            self.port,
            self.default_port,
            self._tunnel_host,
            self._tunnel_port,
            self._http_vsn,
            self._http_vsn_str,
        )
        head = self._heads.get(key)
        sock = self.sock
        if head is None or sock is None or self._HTTPConnection__state != _CS_IDLE:
            self._heads.pending = key  # _send_output() stores what it builds
            return False
        response = self._HTTPConnection__response
        if response is not None:
            if not response.isclosed() or getattr(response, "_broken", False):
                return False  # putrequest() raises, or closes the connection
            self._HTTPConnection__response = None
        if self._close_if_stale():
            return False  # the long way opens a new connection
        self._HTTPConnection__state = _CS_REQ_SENT
        self._method = method
        self._upgrade_asked = self._close_after_response = False
        sys.audit("http.client.send", self, head)
        if type(sock) is ssl.SSLSocket:
            # One TLS record, without sendall()'s Python-level loop. SSL_write
            # writes all of it or raises (no partial writes are enabled); the
            # remainder is sent anyway should that ever change.
            sent = sock.write(head)
            if sent < len(head):
                sock.sendall(memoryview(head)[sent:])
        else:
            sock.sendall(head)
        return True
