# Logging: one record per exchange on the "httpcore_client" logger.
#
# Strategy: whether to record is asked once per request, and the answer is
# an Exchange or None.  It is the logger's own level that turns recording
# on -- logging.getLogger("httpcore_client").setLevel(logging.DEBUG) -- not
# a level inherited from the root: a program or a test suite that sets the
# root logger to DEBUG (urllib3's and the standard library's do, and count
# the records) gets none of ours unasked, as with http.client.  Nor while a
# record is being emitted on the same thread, so that a handler that sends
# records over HTTP (logging.handlers.HTTPHandler) does not log its own
# requests without end.  With None -- logging off, the default -- the
# connection does nothing more than test for it: no clock read, no
# counting.  With an Exchange it notes the time at each phase
# (connecting, sending, waiting for the head, reading the body), counts
# the bytes it sends and the bytes its socket's reader receives, and emits
# one DEBUG record when the response is closed (its body read to the end,
# or closed early).  The record's message is for people; its
# ``http_exchange`` attribute holds the same values for handlers and
# formatters.  The lines set_debuglevel() prints go to the same logger
# (_debug.py).
from __future__ import annotations

import itertools
import logging
import threading
import time
from typing import Any

LOGGER = logging.getLogger("httpcore_client")

_DEBUG = logging.DEBUG


class _Emitting(threading.local):
    """Whether this thread is emitting a record of ours."""

    active = False


_emitting = _Emitting()


def recording() -> bool:
    """Whether exchanges (and debug lines) go to :data:`LOGGER`: its own
    level is DEBUG or finer, and this thread is not emitting one of its
    records."""
    level = LOGGER.level
    return 0 < level <= _DEBUG and not LOGGER.disabled and not _emitting.active


def log(message: str, *args: Any, **kwargs: Any) -> None:
    """``LOGGER.debug(...)``, marking this thread as emitting meanwhile."""
    _emitting.active = True
    try:
        LOGGER.debug(message, *args, **kwargs)
    finally:
        _emitting.active = False


# Connections are numbered as they connect, so that records show reuse.
_serials = itertools.count(1)


def next_serial() -> int:
    """The number of a new connection's socket."""
    return next(_serials)


class Exchange:
    """What is known of one request and its response so far."""

    __slots__ = (
        "body_done",
        "connect",
        "connection",
        "head_done",
        "host",
        "method",
        "port",
        "reader",
        "received_before",
        "sent",
        "sent_done",
        "started",
        "target",
    )

    def __init__(
        self, connection: int, host: str, port: int, method: str, target: str
    ) -> None:
        self.connection = connection
        self.host = host
        self.port = port
        self.method = method
        self.target = target
        self.started = time.monotonic()
        self.connect: float | None = None
        self.sent = 0
        self.sent_done: float | None = None
        self.head_done: float | None = None
        self.body_done: float | None = None
        self.reader: Any = None
        self.received_before = 0

    def note_reader(self, raw: Any) -> None:
        """Count receives from ``raw`` (a connection's SocketReader) from
        now on."""
        self.reader = raw
        self.received_before = raw.received

    def received(self, raw: Any) -> int | None:
        """Bytes received for this exchange through ``raw``, if counted."""
        count = getattr(raw, "received", None)
        if count is None:
            return None
        if raw is self.reader:
            return int(count) - self.received_before
        return int(count)  # a reader made during the exchange

    def emit(self, status: Any, reason: Any, received: int | None) -> None:
        """Log the record."""
        self.body_done = now = time.monotonic()
        sent_done = self.sent_done or now
        head_done = self.head_done or now
        phases = {
            "connect": self.connect,
            "send": sent_done - self.started - (self.connect or 0.0),
            "wait": head_done - sent_done,
            "body": now - head_done,
        }
        values = {
            "connection": self.connection,
            "host": self.host,
            "port": self.port,
            "method": self.method,
            "target": self.target,
            "status": status,
            "reason": reason,
            "sent": self.sent,
            "received": received,
            "seconds": phases,
        }
        timing = ", ".join(
            f"{name} {seconds * 1000:.1f} ms"
            for name, seconds in phases.items()
            if seconds is not None
        )
        log(
            "#%d %s:%d %s %s -> %s %s; sent %d B, received %s B; %s",
            self.connection,
            self.host,
            self.port,
            self.method,
            self.target,
            status,
            reason,
            self.sent,
            "?" if received is None else received,
            timing,
            extra={"http_exchange": values},
        )


def start_exchange(
    connection: int, host: str, port: int, method: str, target: str
) -> Exchange | None:
    """An Exchange to record, or None when exchanges are not recorded."""
    if not recording():
        return None
    return Exchange(connection, host, port, method, target)
