"""Runs one hostile case with a client module and names what happened.

A case is a script per connection for :class:`~server.HostileServer` and a
client exchange: one request (or two on the same connection object, to see
whether stale bytes become the next response), ``read()`` of each body.  The
outcome is a short string, the same vocabulary for :mod:`http.client` and
httpcore_compat, so that a test can compare it with the safe outcome the case
names and ``run.py --compare`` can print both side by side:

* ``200 b'hello'``: the status and body (``<n bytes>`` when long);
* ``IncompleteRead at read``: the exception's class and the call that raised
  it (``request``, ``getresponse`` or ``read``), ``, nothing sent`` when the
  server received no byte;
* ``...; then 200 b'fresh'``: the second exchange; ``fresh`` is what a new
  connection answers, ``same`` what the first one answers when it is reused
  cleanly, anything else came from bytes a hostile server slipped in;
* ``; peak 12 MiB``: traced allocations went past the case's memory bound.
"""

from __future__ import annotations

import dataclasses
import functools
import select
import ssl
import tracemalloc
from collections.abc import Callable
from types import ModuleType
from typing import Any

import trustme

from .server import TIMEOUT, HostileServer, Script

Request = Callable[[Any], None]


@dataclasses.dataclass(frozen=True)
class Case:
    """One scripted server and the outcome that is safe against it."""

    #: Short identifier, unique: the test id.
    name: str
    #: The RFC section (or CPython issue) the case is about.
    section: str
    #: What the server does, for the table.
    title: str
    scripts: tuple[Script, ...]
    #: httpcore_compat's outcome: the safe one.
    expect: str
    method: str = "GET"
    #: A second request on the same connection object after the first body.
    twice: bool = False
    tls: bool = False
    #: ``set_tunnel()`` to this host through the server (a proxy).
    tunnel: str | None = None
    #: Sends the first request instead of ``request(method, "/first")``.
    request: Request | None = None
    #: Bytes of traced allocations the exchange may peak at.
    memory: int | None = None
    #: Before the second request, wait until the server's close (FIN or
    #: RST) has reached the client's socket.
    await_close: bool = False
    #: The connection's host argument instead of 127.0.0.1 and the port.
    host: str | None = None
    #: Added to the server's port in the connection's port argument.
    port_offset: int = 0
    #: Connection keywords.
    options: tuple[tuple[str, Any], ...] = ()


@functools.cache
def _tls() -> tuple[ssl.SSLContext, ssl.SSLContext]:
    """(server, client) contexts with a trustme CA for 127.0.0.1."""
    authority = trustme.CA()
    server = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    authority.issue_cert("127.0.0.1").configure_cert(server)
    client = ssl.create_default_context()
    authority.configure_trust(client)
    return server, client


def _show(body: bytes) -> str:
    return repr(body) if len(body) <= 24 else f"<{len(body)} bytes>"


def _connection(case: Case, module: ModuleType, port: int) -> Any:
    options = dict(case.options)
    address: tuple[str, int | None] = ("127.0.0.1", port + case.port_offset)
    if case.host is not None:
        address = (case.host, None)
    if case.tls:
        return module.HTTPSConnection(
            *address, timeout=TIMEOUT, context=_tls()[1], **options
        )
    return module.HTTPConnection(*address, timeout=TIMEOUT, **options)


def _exchange(case: Case, conn: Any) -> tuple[list[str], bool]:
    """The outcome's parts, and whether an exchange raised."""
    parts: list[str] = []
    for index in range(2 if case.twice else 1):
        step = "request"
        response = None
        try:
            if index == 0 and case.request is not None:
                case.request(conn)
            elif index == 0:
                conn.request(case.method, "/first")
            else:
                if case.await_close and conn.sock is not None:
                    select.select([conn.sock], [], [], TIMEOUT)
                conn.request("GET", "/second")
            step = "getresponse"
            response = conn.getresponse()
            step = "read"
            body = response.read()
        except Exception as exc:
            parts.append(f"{type(exc).__name__} at {step}")
            return parts, True
        finally:
            # A response that raised may own the socket: close it as a
            # careful caller would.
            if response is not None:
                response.close()
        parts.append(f"{response.status} {_show(body)}")
    return parts, False


def outcome(case: Case, module: ModuleType) -> str:
    """Plays ``case`` against ``module`` (http.client or httpcore_compat)."""
    server = HostileServer(case.scripts, tls=_tls()[0] if case.tls else None)
    conn = None
    try:
        try:
            conn = _connection(case, module, server.port)
        except Exception as exc:
            return f"{type(exc).__name__} at connection"
        if case.tunnel is not None:
            conn.set_tunnel(case.tunnel)
        if case.memory is not None:
            tracemalloc.start()
        try:
            parts, raised = _exchange(case, conn)
            peak = tracemalloc.get_traced_memory()[1] if case.memory else 0
        finally:
            if case.memory is not None:
                tracemalloc.stop()
    finally:
        if conn is not None:
            conn.close()
        server.stop()
    text = "; then ".join(parts)
    if raised and parts[-1].endswith(" at request") and not server.sent_by_client():
        text += ", nothing sent"
    if case.memory is not None and peak > case.memory:
        text += f"; peak {peak >> 20} MiB"
    return text
