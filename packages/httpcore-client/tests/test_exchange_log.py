# Logging on the "httpcore_client" logger: one DEBUG record per exchange,
# with the connection's number, the request, the status, the bytes each way
# and the time of each phase, and every line set_debuglevel() prints; none
# of it when the logger would drop DEBUG records (the default).
from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest

from httpcore_client import HTTPConnection, HTTPSConnection

if TYPE_CHECKING:
    from conftest import TLS, Loopback, Peer

OK = b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"
CHUNKED = (
    b"HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n"
    b"3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n"
)


class Records(logging.Handler):
    """Keeps the records it is given."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def exchanges(self) -> list[dict[str, Any]]:
        return [
            record.__dict__["http_exchange"]
            for record in self.records
            if "http_exchange" in record.__dict__
        ]


@pytest.fixture
def log() -> Iterator[Records]:
    """The "httpcore_client" logger at DEBUG, into a Records handler."""
    logger = logging.getLogger("httpcore_client")
    handler = Records()
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


def test_one_record_per_exchange(loopback: Loopback, log: Records) -> None:
    server = loopback.serve(loopback.replies(OK, CHUNKED), loopback.replies(OK))
    conn = loopback.connect(server, HTTPConnection)
    conn.request("GET", "/first")
    assert conn.getresponse().read() == b"hello"
    conn.request("POST", "/second", b"x" * 1000)
    assert conn.getresponse().read() == b"abcde"
    conn.close()
    conn.request("GET", "/third")
    assert conn.getresponse().read() == b"hello"
    conn.close()
    server.wait()

    first, second, third = log.exchanges()
    request_1 = server.requests[0]
    assert first["method"] == "GET"
    assert first["target"] == "/first"
    assert (first["host"], first["port"]) == server.address
    assert (first["status"], first["reason"]) == (200, "OK")
    assert first["sent"] == len(request_1)
    assert first["received"] == len(OK)
    assert second["sent"] == len(server.requests[1])
    assert second["received"] == len(CHUNKED)
    assert (second["status"], second["target"]) == (201, "/second")
    # The first two shared a connection; the third had a new one.
    assert first["connection"] == second["connection"] != third["connection"]
    assert first["seconds"]["connect"] is not None
    assert second["seconds"]["connect"] is None
    for phase in ("send", "wait", "body"):
        assert first["seconds"][phase] >= 0
    message = log.records[0].getMessage()
    assert message.startswith(f"#{first['connection']} 127.0.0.1:{server.port} GET")
    assert "-> 200 OK; sent" in message


def test_the_record_comes_when_the_response_is_closed(
    loopback: Loopback, log: Records
) -> None:
    server = loopback.serve(loopback.sends(OK))
    conn = loopback.connect(server, HTTPConnection)
    conn.request("GET", "/")
    response = conn.getresponse()
    assert log.exchanges() == []
    assert response.read(2) == b"he"
    assert log.exchanges() == []
    response.close()
    assert [record["status"] for record in log.exchanges()] == [200]
    conn.close()
    server.wait()


def test_debug_lines_go_to_the_logger(
    loopback: Loopback, log: Records, capsys: pytest.CaptureFixture[str]
) -> None:
    server = loopback.serve(loopback.replies(OK))
    conn = loopback.connect(server, HTTPConnection)
    conn.set_debuglevel(1)
    conn.request("GET", "/")
    assert conn.getresponse().read() == b"hello"
    conn.close()
    server.wait()
    printed = capsys.readouterr().out.splitlines()
    logged = [
        record.getMessage()
        for record in log.records
        if not hasattr(record, "http_exchange")
    ]
    assert printed
    assert logged == printed


def test_tls_exchange(loopback: Loopback, tls: TLS, log: Records) -> None:
    server = loopback.serve(loopback.replies(OK), tls=tls.server_context())
    conn = loopback.connect(server, HTTPSConnection, context=tls.client_context())
    conn.request("GET", "/")
    assert conn.getresponse().read() == b"hello"
    conn.close()
    server.wait()
    (record,) = log.exchanges()
    # The bytes of HTTP, not of TLS records.
    assert record["received"] == len(OK)
    assert record["sent"] == len(server.requests[0])


def test_nothing_is_recorded_when_the_logger_drops_debug(
    loopback: Loopback,
) -> None:
    logger = logging.getLogger("httpcore_client")
    assert not logger.isEnabledFor(logging.DEBUG)
    server = loopback.serve(loopback.replies(OK))
    conn = loopback.connect(server, HTTPConnection)
    conn.request("GET", "/")
    response = conn.getresponse()
    assert conn._exchange is None
    assert response._exchange is None
    assert response.read() == b"hello"
    conn.close()
    server.wait()


def test_a_request_not_answered_leaves_no_record(
    loopback: Loopback, log: Records
) -> None:
    def closes(peer: Peer) -> None:
        peer.recv_request()
        peer.shutdown_write()

    server = loopback.serve(closes)
    conn = loopback.connect(server, HTTPConnection)
    conn.request("GET", "/")
    with pytest.raises(ConnectionError):
        conn.getresponse()
    conn.close()
    server.wait()
    assert log.exchanges() == []


def test_a_root_logger_at_debug_gets_nothing(
    loopback: Loopback, caplog: pytest.LogCaptureFixture
) -> None:
    # What urllib3's and the standard library's suites do before counting
    # the records they expect: http.client logs nothing, nor do we, unless
    # our logger's own level asks.
    caplog.set_level(logging.DEBUG)
    server = loopback.serve(loopback.replies(OK))
    conn = loopback.connect(server, HTTPConnection)
    conn.set_debuglevel(1)
    conn.request("GET", "/")
    assert conn.getresponse().read() == b"hello"
    conn.close()
    server.wait()
    assert [r for r in caplog.records if r.name.startswith("httpcore")] == []


def test_a_handler_that_sends_over_http_is_not_logged_without_end(
    loopback: Loopback, log: Records
) -> None:
    # As logging.handlers.HTTPHandler does: each record is sent with a
    # request of its own, which must not produce a record in turn.
    sink = loopback.serve(loopback.replies(OK))
    sending = loopback.connect(sink, HTTPConnection)

    class Forward(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            sending.request("POST", "/log", record.getMessage().encode())
            sending.getresponse().read()

    forward = Forward()
    logger = logging.getLogger("httpcore_client")
    logger.addHandler(forward)
    try:
        server = loopback.serve(loopback.replies(OK))
        conn = loopback.connect(server, HTTPConnection)
        conn.request("GET", "/")
        assert conn.getresponse().read() == b"hello"
        conn.close()
        server.wait()
    finally:
        logger.removeHandler(forward)
    sending.close()
    sink.wait()
    assert [record["target"] for record in log.exchanges()] == ["/"]
    assert sink.requests[0].startswith(b"POST /log ")
