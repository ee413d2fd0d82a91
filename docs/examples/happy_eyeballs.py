"""Happy eyeballs: a host whose first address never answers.

Starts the documentation's local server, and a loopback listener that
answers no connection (its accept queue is full: Linux then drops further
SYNs, as a host that is down drops them). A stand-in resolver gives the
dead address first and the server's second, as a DNS answer with a broken
IPv6 address before a working IPv4 one does. Then connects with and
without happy eyeballs, and prints how long each took.

Run it with ``python docs/examples/happy_eyeballs.py`` (Linux).
"""

from __future__ import annotations

import select
import socket
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from typing import Any

import local_server

import httpcore_compat as client


def dead_address(stack: ExitStack) -> tuple[str, int]:
    """A loopback address where a connect stays pending."""
    listener = stack.enter_context(socket.socket())
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    host, port = listener.getsockname()
    address = (str(host), int(port))
    for _ in range(8):  # fill the accept queue
        filler = stack.enter_context(socket.socket())
        filler.setblocking(False)
        filler.connect_ex(address)
        _, connected, failed = select.select([], [filler], [filler], 0.05)
        if not connected and not failed:
            return address
    raise SystemExit("this system answers connects to a full queue: no demo")


@contextmanager
def resolving(name: str, *addresses: tuple[str, int]) -> Iterator[None]:
    """Make ``name`` resolve to ``addresses``, in that order."""
    real = socket.getaddrinfo

    def getaddrinfo(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        if host != name:
            return real(host, port, *args, **kwargs)
        return [
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", address)
            for address in addresses
        ]

    socket.getaddrinfo = getaddrinfo
    try:
        yield
    finally:
        socket.getaddrinfo = real


def fetch(**options: Any) -> float:
    """GET /hello from www.example.test; returns the seconds it took."""
    start = time.monotonic()
    connection = client.HTTPConnection("www.example.test", timeout=3, **options)
    connection.request("GET", "/hello")
    assert connection.getresponse().read() == b"hello, world\n"
    connection.close()
    return time.monotonic() - start


def main() -> int:
    server, port = local_server.start()
    with ExitStack() as stack:
        dead = dead_address(stack)
        with resolving("www.example.test", dead, ("127.0.0.1", port)):
            racing = fetch()  # 250 ms, then the second address alongside
            in_turn = fetch(happy_eyeballs_delay=None)  # the whole timeout first
    server.shutdown()
    server.server_close()
    print(f"happy eyeballs: {racing:.2f} s; one address at a time: {in_turn:.2f} s")
    assert racing < 1.0, racing
    assert in_turn >= 2.9, in_turn
    return 0


if __name__ == "__main__":
    sys.exit(main())
