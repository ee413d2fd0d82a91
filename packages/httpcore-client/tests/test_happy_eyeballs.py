# Happy Eyeballs (RFC 8305) on real loopback sockets: create_connection()
# races the addresses socket.getaddrinfo() gives (monkeypatched to name
# loopback listeners), and must agree with socket.create_connection() on
# everything but the waiting.
#
# A "black hole" is a loopback listener with listen(0) whose accept queue is
# already full: Linux drops further SYNs, so a connect to it stays pending
# the way one to an unreachable address does.  Each test checks that the
# platform behaves so and skips otherwise.  Nothing sleeps; the times
# measured are generous bounds that only a broken delay logic misses.
from __future__ import annotations

import contextlib
import os
import select
import socket
import time
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, Protocol, TypeAlias

import pytest

from httpcore_client import HTTPConnection, HTTPSConnection
from httpcore_client._connect import (
    DEFAULT_ATTEMPT_DELAY,
    AddrInfo,
    create_connection,
    interleave_families,
)

if TYPE_CHECKING:
    from conftest import AuditLog, Loopback

TIMEOUT = 5.0
#: What the code under test asks socket.getaddrinfo() about.
NAME = ("happy-eyeballs.test", 80)

Address: TypeAlias = tuple[str, int]


class Resolve(Protocol):
    def __call__(self, *addresses: Address) -> None: ...


def _info(address: Address) -> AddrInfo:
    host, port = address
    if ":" in host:
        return (socket.AF_INET6, socket.SOCK_STREAM, 6, "", (host, port, 0, 0))
    return (socket.AF_INET, socket.SOCK_STREAM, 6, "", (host, port))


@pytest.fixture
def sockets() -> Iterator[contextlib.ExitStack]:
    """Closes every socket entered into it when the test ends."""
    with contextlib.ExitStack() as stack:
        yield stack


@pytest.fixture
def resolve(monkeypatch: pytest.MonkeyPatch) -> Resolve:
    """``resolve(*addresses)`` makes socket.getaddrinfo() answer :data:`NAME`
    with ``addresses``, in that order."""

    def answer(*addresses: Address) -> None:
        infos = [_info(address) for address in addresses]

        def getaddrinfo(host: Any, port: Any, *args: Any) -> list[AddrInfo]:
            assert (host, port, *args) == (*NAME, 0, socket.SOCK_STREAM)
            return list(infos)

        monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)

    return answer


def _listener(
    sockets: contextlib.ExitStack, host: str = "127.0.0.1"
) -> tuple[socket.socket, Address]:
    """A listening socket and its address."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    listener = sockets.enter_context(socket.socket(family, socket.SOCK_STREAM))
    listener.settimeout(TIMEOUT)
    listener.bind((host, 0))
    listener.listen(8)
    return listener, _address(listener.getsockname())


def _address(sockname: Any) -> Address:
    return sockname[0], sockname[1]


def _peer_seen_by(listener: socket.socket) -> Address:
    """Accept one connection; return the address it came from."""
    conn, peer = listener.accept()
    conn.close()
    return _address(peer)


def _refusing(sockets: contextlib.ExitStack) -> Address:
    """An address that refuses connections: a port bound, not listening
    (kept bound so that nothing else takes it)."""
    sock = sockets.enter_context(socket.socket())
    sock.bind(("127.0.0.1", 0))
    return _address(sock.getsockname())


def _black_hole(sockets: contextlib.ExitStack, host: str = "127.0.0.1") -> Address:
    """A listener that answers no SYN: its accept queue is full."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    listener = sockets.enter_context(socket.socket(family, socket.SOCK_STREAM))
    listener.bind((host, 0))
    listener.listen(0)
    address = _address(listener.getsockname())
    # Connect until a connect stays pending: the queue is full from then on.
    for _ in range(8):
        filler = sockets.enter_context(socket.socket(family, socket.SOCK_STREAM))
        filler.setblocking(False)
        filler.connect_ex(address)
        _, writable, failed = select.select([], [filler], [filler], 0.05)
        if not writable and not failed:
            return address
    pytest.skip(
        "no black hole to test with: a loopback listener whose accept queue is"
        " full still answers connects on this platform"
    )


def _open_fds() -> int:
    for path in ("/proc/self/fd", "/dev/fd"):
        if os.path.isdir(path):
            return len(os.listdir(path))
    pytest.skip("no /proc/self/fd or /dev/fd to count open files with")


# -- the order of the attempts (RFC 8305 section 4) ---------------------------


def _entries(spec: str) -> list[AddrInfo]:
    """``"6a 4a"`` -> an IPv6 and an IPv4 entry, told apart by their letter."""
    hosts = {"4": "127.0.0.{}", "6": "::{}"}
    return [
        _info((hosts[item[0]].format(ord(item[1]) - ord("a") + 1), 80))
        for item in spec.split()
    ]


@pytest.mark.parametrize(
    ("given", "ordered"),
    [
        ("", ""),
        ("4a", "4a"),
        ("6a 6b 4a 4b", "6a 4a 6b 4b"),
        ("4a 6a 6b", "4a 6a 6b"),
        ("4a 4b 4c", "4a 4b 4c"),
        ("6a 6b 6c", "6a 6b 6c"),
        ("4a 4b 4c 6a", "4a 6a 4b 4c"),
        ("6a 4a 4b 4c 6b", "6a 4a 6b 4b 4c"),
    ],
)
def test_families_are_interleaved(given: str, ordered: str) -> None:
    assert interleave_families(_entries(given)) == _entries(ordered)


def test_interleaving_of_every_short_mix() -> None:
    # Every sequence of up to 6 entries: the same entries, each family in
    # the resolver's order, the first entry first, and two of a family side
    # by side only once the other family has run out.
    for length in range(1, 7):
        for mask in range(2**length):
            given = _entries(
                " ".join(
                    f"{'6' if mask >> i & 1 else '4'}{'abcdef'[i]}"
                    for i in range(length)
                )
            )
            ordered = interleave_families(given)
            assert sorted(ordered) == sorted(given)
            assert ordered[0] == given[0]
            for family in (socket.AF_INET, socket.AF_INET6):
                assert [i for i in ordered if i[0] == family] == [
                    i for i in given if i[0] == family
                ]
            for i in range(len(ordered) - 1):
                if ordered[i][0] == ordered[i + 1][0]:
                    assert {info[0] for info in ordered[i:]} == {ordered[i][0]}


# -- racing -------------------------------------------------------------------


@pytest.mark.parametrize("waiting", ["poll", "select"])
def test_a_black_hole_loses_to_the_next_address(
    sockets: contextlib.ExitStack,
    resolve: Resolve,
    monkeypatch: pytest.MonkeyPatch,
    waiting: str,
) -> None:
    hole = _black_hole(sockets)
    server, good = _listener(sockets)
    resolve(hole, good)
    if waiting == "select":  # as on Windows
        monkeypatch.delattr(select, "poll", raising=False)
    before = _open_fds()
    start = time.monotonic()
    sock = sockets.enter_context(create_connection(NAME, TIMEOUT))
    elapsed = time.monotonic() - start
    # The second attempt waited for the Connection Attempt Delay, and no more.
    assert DEFAULT_ATTEMPT_DELAY * 0.9 <= elapsed < 2.0
    assert sock.getpeername() == good
    assert _open_fds() == before + 1, "the black hole's attempt is still open"
    assert _peer_seen_by(server) == sock.getsockname()


def test_without_a_delay_the_black_hole_takes_the_whole_timeout(
    sockets: contextlib.ExitStack, resolve: Resolve
) -> None:
    hole = _black_hole(sockets)
    _, good = _listener(sockets)
    resolve(hole, good)
    before = _open_fds()
    start = time.monotonic()
    sock = sockets.enter_context(create_connection(NAME, 0.5, attempt_delay=None))
    # socket.create_connection(): the first address times out, then the
    # second connects.
    assert time.monotonic() - start >= 0.5
    assert sock.getpeername() == good
    assert _open_fds() == before + 1


@pytest.mark.parametrize("attempt_delay", [DEFAULT_ATTEMPT_DELAY, None])
def test_a_lone_black_hole_times_out(
    sockets: contextlib.ExitStack, resolve: Resolve, attempt_delay: float | None
) -> None:
    resolve(_black_hole(sockets))
    before = _open_fds()
    with pytest.raises(TimeoutError, match="timed out"):
        create_connection(NAME, 0.3, attempt_delay=attempt_delay)
    assert _open_fds() == before


def test_the_timeout_bounds_the_whole_race(
    sockets: contextlib.ExitStack, resolve: Resolve
) -> None:
    hole = _black_hole(sockets)
    resolve(hole, hole, hole, hole)
    before = _open_fds()
    start = time.monotonic()
    with pytest.raises(TimeoutError, match="timed out"):
        create_connection(NAME, 0.3, attempt_delay=0.1)
    assert 0.3 <= time.monotonic() - start < 1.5
    assert _open_fds() == before


def test_a_refused_address_gives_way_at_once(
    sockets: contextlib.ExitStack, resolve: Resolve
) -> None:
    _, good = _listener(sockets)
    resolve(_refusing(sockets), good)
    before = _open_fds()
    start = time.monotonic()
    sock = sockets.enter_context(create_connection(NAME, TIMEOUT, attempt_delay=10))
    assert time.monotonic() - start < 2.0
    assert sock.getpeername() == good
    assert _open_fds() == before + 1


def test_a_refusal_while_others_wait_starts_the_next_attempt(
    sockets: contextlib.ExitStack, resolve: Resolve
) -> None:
    hole = _black_hole(sockets)
    _, good = _listener(sockets)
    resolve(hole, _refusing(sockets), good)
    start = time.monotonic()
    sock = sockets.enter_context(create_connection(NAME, TIMEOUT, attempt_delay=0.5))
    # One delay (0.5 s) for the black hole, none for the refused address.
    assert 0.45 <= time.monotonic() - start < 0.9
    assert sock.getpeername() == good


def test_an_attempt_that_fails_at_once_does_not_use_up_a_delay(
    sockets: contextlib.ExitStack, resolve: Resolve
) -> None:
    # Interleaved: the black hole, then the IPv6 address, which an IPv4
    # source address makes fail before it is sent, then the good one.
    hole = _black_hole(sockets)
    _, good = _listener(sockets)
    resolve(hole, good, ("::1", 9))
    start = time.monotonic()
    sock = sockets.enter_context(
        create_connection(NAME, TIMEOUT, ("127.0.0.1", 0), attempt_delay=0.5)
    )
    # One delay (0.5 s) for the black hole, none for the failed attempt.
    assert 0.45 <= time.monotonic() - start < 0.9
    assert sock.getpeername() == good


@pytest.mark.parametrize("attempt_delay", [DEFAULT_ATTEMPT_DELAY, None])
def test_when_every_address_fails_the_last_error_is_raised(
    sockets: contextlib.ExitStack, resolve: Resolve, attempt_delay: float | None
) -> None:
    resolve(_refusing(sockets), _refusing(sockets), _refusing(sockets))
    before = _open_fds()
    with pytest.raises(ConnectionRefusedError):
        create_connection(NAME, TIMEOUT, attempt_delay=attempt_delay)
    assert _open_fds() == before


def test_resolution_errors_propagate(monkeypatch: pytest.MonkeyPatch) -> None:
    error = socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    def getaddrinfo(*args: Any) -> list[AddrInfo]:
        raise error

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    with pytest.raises(socket.gaierror) as caught:
        create_connection(NAME, TIMEOUT)
    assert caught.value is error


def test_no_addresses(resolve: Resolve) -> None:
    resolve()
    with pytest.raises(OSError, match="getaddrinfo returns an empty list"):
        create_connection(NAME, TIMEOUT)


def test_an_interrupted_race_closes_its_attempts(
    sockets: contextlib.ExitStack, resolve: Resolve, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not hasattr(select, "poll"):
        pytest.skip("no select.poll to interrupt")
    real_poll = select.poll

    class InterruptedPoll:
        """Raises KeyboardInterrupt, as ^C would, once two attempts wait."""

        def __init__(self) -> None:
            self.poller = real_poll()
            self.registered = 0

        def register(self, fd: Any, mask: int) -> None:
            self.registered += 1
            self.poller.register(fd, mask)

        def poll(self, timeout: int | None) -> list[tuple[int, int]]:
            if self.registered >= 2:
                raise KeyboardInterrupt
            return self.poller.poll(timeout)

    hole = _black_hole(sockets)
    resolve(hole, hole, hole)
    monkeypatch.setattr(select, "poll", InterruptedPoll)
    before = _open_fds()
    with pytest.raises(KeyboardInterrupt):
        create_connection(NAME, TIMEOUT, attempt_delay=0.01)
    assert _open_fds() == before


@pytest.mark.usefixtures("ipv6")
def test_a_race_across_address_families(
    sockets: contextlib.ExitStack, resolve: Resolve
) -> None:
    hole = _black_hole(sockets, "::1")
    _, good = _listener(sockets)
    # Interleaved, the IPv4 address comes second, not third: it starts
    # after one delay, not two.
    resolve(hole, hole, good)
    before = _open_fds()
    start = time.monotonic()
    sock = sockets.enter_context(create_connection(NAME, TIMEOUT, attempt_delay=0.5))
    assert 0.45 <= time.monotonic() - start < 0.9
    assert sock.family == socket.AF_INET
    assert sock.getpeername() == good
    assert _open_fds() == before + 1


# -- what the returned socket is ----------------------------------------------


@pytest.mark.parametrize("source_port", ["any", "fixed"])
def test_the_source_address_is_bound(
    sockets: contextlib.ExitStack, resolve: Resolve, source_port: str
) -> None:
    port = 0
    if source_port == "fixed":
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
    server, good = _listener(sockets)
    # Every attempt binds the source address, the refused one too.
    resolve(_refusing(sockets), good)
    sock = sockets.enter_context(create_connection(NAME, TIMEOUT, ("127.0.0.1", port)))
    host, seen_port = _peer_seen_by(server)
    assert host == "127.0.0.1"
    assert seen_port == sock.getsockname()[1]
    if port:
        assert seen_port == port


def test_a_fixed_source_port_takes_turns(
    sockets: contextlib.ExitStack, resolve: Resolve
) -> None:
    # Two attempts at once cannot both bind one port: the race gives way to
    # socket.create_connection()'s turns, and the black hole takes the
    # whole timeout.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    hole = _black_hole(sockets)
    server, good = _listener(sockets)
    resolve(hole, good)
    start = time.monotonic()
    sock = sockets.enter_context(create_connection(NAME, 0.5, ("127.0.0.1", port)))
    assert time.monotonic() - start >= 0.5
    assert _peer_seen_by(server) == ("127.0.0.1", port)
    assert sock.getpeername() == good


@pytest.fixture
def default_timeout() -> Iterator[None]:
    """A global default timeout of 7 s for the test, restored afterwards."""
    saved = socket.getdefaulttimeout()
    socket.setdefaulttimeout(7.0)
    try:
        yield
    finally:
        socket.setdefaulttimeout(saved)


@pytest.mark.usefixtures("default_timeout")
@pytest.mark.parametrize("timeout", [3.0, None, "default"])
@pytest.mark.parametrize("attempt_delay", [DEFAULT_ATTEMPT_DELAY, None])
def test_the_timeout_is_socket_create_connections(
    sockets: contextlib.ExitStack,
    resolve: Resolve,
    timeout: float | str | None,
    attempt_delay: float | None,
) -> None:
    _, good = _listener(sockets)
    resolve(_refusing(sockets), good)

    def connect(function: Callable[..., socket.socket], **kwargs: Any) -> float | None:
        args = () if timeout == "default" else (timeout,)
        sock = sockets.enter_context(function(NAME, *args, **kwargs))
        assert sock.getpeername() == good
        return sock.gettimeout()

    expected = connect(socket.create_connection)
    assert expected == (7.0 if timeout == "default" else timeout)
    assert connect(create_connection, attempt_delay=attempt_delay) == expected


# -- in HTTPConnection ----------------------------------------------------------

OK = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"


def test_a_connection_races_the_addresses(
    sockets: contextlib.ExitStack,
    resolve: Resolve,
    loopback: Loopback,
    audit: AuditLog,
) -> None:
    hole = _black_hole(sockets)
    server = loopback.serve(loopback.replies(OK))
    resolve(hole, server.address)
    conn = loopback.track(HTTPConnection(*NAME, timeout=TIMEOUT))
    assert conn.happy_eyeballs_delay == DEFAULT_ATTEMPT_DELAY
    start = time.monotonic()
    conn.request("GET", "/")
    assert time.monotonic() - start < 2.0
    assert conn.getresponse().read() == b"ok"
    assert conn.sock.getpeername() == server.address
    conn.close()
    server.wait()
    connects = [
        args for event, args in audit.of(conn) if event == "http.client.connect"
    ]
    assert connects == [NAME]


def test_a_connection_without_happy_eyeballs_waits_out_the_black_hole(
    sockets: contextlib.ExitStack, resolve: Resolve, loopback: Loopback
) -> None:
    hole = _black_hole(sockets)
    server = loopback.serve(loopback.replies(OK))
    resolve(hole, server.address)
    conn = loopback.track(HTTPConnection(*NAME, timeout=0.5, happy_eyeballs_delay=None))
    start = time.monotonic()
    conn.request("GET", "/")
    # The first address used up the whole timeout before the second.
    assert time.monotonic() - start >= 0.45
    assert conn.getresponse().read() == b"ok"
    conn.close()
    server.wait()
    assert HTTPSConnection("h", happy_eyeballs_delay=None).happy_eyeballs_delay is None


def test_a_replaced_socket_create_connection_is_used(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[tuple[Any, ...]] = []

    def replaced(*args: Any) -> socket.socket:
        calls.append(args)
        raise ConnectionRefusedError("replaced")

    monkeypatch.setattr(socket, "create_connection", replaced)
    conn = HTTPConnection("example.test", 8080, timeout=3, source_address=None)
    with pytest.raises(ConnectionRefusedError, match="replaced"):
        conn.connect()
    assert calls == [(("example.test", 8080), 3, None)]
