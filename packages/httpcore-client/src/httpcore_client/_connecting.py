# Connecting: the socket to the server (or the proxy), opened as
# http.client opens it, with what httpcore adds on the way.
#
# Strategy: connect() raises the audit event http.client.connect, opens the
# socket with _create_connection() -- an attribute callers and tests replace,
# as in http.client -- sets TCP_NODELAY and opens the tunnel if one is set.
# By default _create_connection() is Happy Eyeballs (_connect.py, RFC 8305);
# a connection with timeouts by phase or a deadline gets its Clock here
# (_timeouts.py), and each socket a number for the exchange log
# (_exchange_log.py).
from __future__ import annotations

import errno
import socket
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ._connect import create_connection
from ._exchange_log import next_serial
from ._timeouts import USE_TIMEOUT, Clock

_SOCKET_CREATE_CONNECTION = socket.create_connection


def open_socket(
    connection: Any,
    address: tuple[str, int],
    timeout: float | None = socket._GLOBAL_DEFAULT_TIMEOUT,  # type: ignore[attr-defined]
    source_address: tuple[str, int] | None = None,
) -> socket.socket:
    """What :func:`socket.create_connection` does, racing the host's
    addresses by ``connection.happy_eyeballs_delay`` (_connect.py).  A
    program that replaced ``socket.create_connection`` gets its own
    function called."""
    if socket.create_connection is not _SOCKET_CREATE_CONNECTION:
        return socket.create_connection(address, timeout, source_address)
    return create_connection(
        address,
        timeout,
        source_address,
        attempt_delay=connection.happy_eyeballs_delay,
    )


class Connecting:
    """The part of :class:`~httpcore_client.HTTPConnection` that connects."""

    if TYPE_CHECKING:
        sock: Any
        host: str
        port: int
        timeout: Any
        source_address: tuple[str, int] | None
        happy_eyeballs_delay: float | None
        connect_timeout: Any
        read_timeout: Any
        write_timeout: Any
        deadline: float | None
        _clock: Clock | None
        _serial: int
        _tunnel_host: str | None

        def _open_tunnel(self) -> None: ...
        def close(self) -> None: ...

    #: Opens the socket :meth:`connect` uses: :func:`open_socket`.  An
    #: attribute, as in :mod:`http.client`: tests and callers replace it on
    #: the instance.
    _create_connection: Callable[..., socket.socket] = open_socket

    def connect(self) -> None:
        """Connect to the host and port given to the constructor (raises the
        audit event ``http.client.connect``)."""
        sys.audit("http.client.connect", self, self.host, self.port)
        clock = self._clock = self._make_clock()
        if clock is not None:
            clock.begin_connect()
        try:
            self.sock = self._create_connection(
                (self.host, self.port),
                self.timeout if clock is None else clock.connect,
                self.source_address,
            )
            self._serial = next_serial()
            self._no_delay()
            if self._tunnel_host:
                self._open_tunnel()
            if clock is not None:
                # What follows on the socket, a TLS handshake, gets what is
                # left of the connect timeout.
                left = clock.connect_left()
                clock.end_connect()
                if left is not None:
                    self.sock.settimeout(left)
        except TimeoutError as error:
            if clock is None:
                raise  # the socket's own error, as in http.client
            # A connection half open (a tunnel not yet answered) must carry
            # no request.
            clock.end_connect()
            self.close()
            raise clock.connect_error() from error

    def _no_delay(self) -> None:
        try:
            self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except OSError as error:  # a socket without TCP_NODELAY
            if error.errno != errno.ENOPROTOOPT:
                raise

    def _make_clock(self) -> Clock | None:
        """The connection's Clock, if it has a limit beyond ``timeout``."""
        limits = (self.connect_timeout, self.read_timeout, self.write_timeout)
        if self.deadline is None and all(limit is USE_TIMEOUT for limit in limits):
            return None
        return Clock(self.timeout, *limits, self.deadline)
