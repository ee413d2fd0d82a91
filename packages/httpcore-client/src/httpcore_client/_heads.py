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
from __future__ import annotations

import operator
from typing import Any

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
