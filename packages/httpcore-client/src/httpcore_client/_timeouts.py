# Timeouts by phase, and a deadline for a whole exchange.
#
# Strategy: http.client has one timeout, the socket's, for connecting, each
# send and each receive alike; a server that trickles a byte just inside it
# holds the caller for as long as it likes.  A connection given
# connect_timeout, read_timeout, write_timeout or deadline gets a Clock:
# connect() opens its socket, and its tunnel if any, within the connect
# timeout (one budget for the TCP connection, TLS with a proxy and the
# CONNECT exchange; each step of the origin's TLS handshake gets what is
# left of it, as curl's --connect-timeout bounds the whole), send() sets the
# write timeout, getresponse() the read timeout, and with a deadline every
# send and every receive from the connection's socket gets no more than the
# time left of it (the receives through the shared reader's raw stream,
# _stream.SocketReader, or an HTTPS proxy's tunnel, _nested_tls.py, which
# arm the clock before each).  The deadline runs from the first byte of a
# request sent to the last byte of its response's body.  Without any of
# them there is no Clock, and nothing changes: the socket's timeout is the
# connection's ``timeout``, and its error the socket's.  A timeout raises
# TimeoutError (socket.timeout), which callers catch today, saying which
# limit fired.
from __future__ import annotations

import socket
import time
from typing import Any


class _UseTimeout:
    """The default of the phase timeouts: the connection's ``timeout``."""

    def __repr__(self) -> str:
        return "USE_TIMEOUT"


USE_TIMEOUT: Any = _UseTimeout()
"""The default of ``connect_timeout``, ``read_timeout`` and
``write_timeout``: the connection's ``timeout``."""


def _seconds(value: Any) -> float | None:
    """A socket timeout: ``socket.getdefaulttimeout()`` for the default."""
    if value is socket._GLOBAL_DEFAULT_TIMEOUT:  # type: ignore[attr-defined]
        return socket.getdefaulttimeout()
    return value  # type: ignore[no-any-return]


class Clock:
    """A connection's timeouts by phase, and its exchange's deadline.

    :param timeout: the connection's ``timeout``.
    :param connect: seconds to connect, or :data:`USE_TIMEOUT`.
    :param read: seconds each receive may wait, or :data:`USE_TIMEOUT`.
    :param write: seconds each send may wait, or :data:`USE_TIMEOUT`.
    :param deadline: seconds for one exchange, or None for no deadline.
    """

    __slots__ = (
        "_by_deadline",
        "_connect_ends",
        "_started",
        "connect",
        "deadline",
        "read",
        "write",
    )

    def __init__(
        self, timeout: Any, connect: Any, read: Any, write: Any, deadline: float | None
    ) -> None:
        default = _seconds(timeout)
        self.connect = default if connect is USE_TIMEOUT else connect
        self.read = default if read is USE_TIMEOUT else read
        self.write = default if write is USE_TIMEOUT else write
        self.deadline = deadline
        self._started: float | None = None
        # Whether the timeout arm() last set is what was left of the
        # deadline (rather than the phase's own).
        self._by_deadline = False
        # While the connection is being opened: when its budget runs out.
        self._connect_ends: float | None = None

    def begin_connect(self) -> None:
        """The connection is being opened: every send and receive until
        :meth:`end_connect` shares the connect timeout."""
        if self.connect is not None:
            self._connect_ends = time.monotonic() + self.connect

    def connect_left(self) -> float | None:
        """Seconds left of the connect timeout (None: no limit).

        :raises TimeoutError: none is left.
        """
        if self._connect_ends is None:
            return None
        left = self._connect_ends - time.monotonic()
        if left <= 0:
            raise self.connect_error()
        return left

    def end_connect(self) -> None:
        """The connection is open, or abandoned: the connect timeout stops
        applying."""
        self._connect_ends = None

    def connect_error(self) -> TimeoutError:
        return TimeoutError(f"connect timed out ({self.connect} s)")

    def new_exchange(self) -> None:
        """A request begins: the deadline starts with its first send."""
        self._started = None

    def _left(self) -> float | None:
        if self.deadline is None:
            return None
        now = time.monotonic()
        if self._started is None:
            self._started = now
        return self.deadline - (now - self._started)

    def arm(self, sock: Any, phase: str) -> None:
        """Set ``sock``'s timeout for a send (``"write"``) or a receive
        (``"read"``): the phase's, or what is left of the deadline if that
        is less.

        :raises TimeoutError: the deadline has passed.
        """
        if self._connect_ends is not None:
            # A tunnel's CONNECT exchange: part of opening the connection.
            self._by_deadline = False
            sock.settimeout(self.connect_left())
            return
        limit: float | None = self.write if phase == "write" else self.read
        left = self._left()
        self._by_deadline = left is not None and (limit is None or left < limit)
        if self._by_deadline:
            assert left is not None
            if left <= 0:
                raise self._deadline_error()
            limit = left
        sock.settimeout(limit)

    def error(self, phase: str) -> TimeoutError:
        """The error for a send or receive that timed out with the timeout
        :meth:`arm` set: the deadline's if that is what it was, else the
        phase's."""
        if self._by_deadline:
            return self._deadline_error()
        limit = self.write if phase == "write" else self.read
        return TimeoutError(f"{phase} timed out ({limit} s)")

    def _deadline_error(self) -> TimeoutError:
        return TimeoutError(f"exchange deadline of {self.deadline} s exceeded")
