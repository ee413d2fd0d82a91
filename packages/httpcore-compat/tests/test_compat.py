"""httpcore_compat as a module: the same surface as the running interpreter's
http.client, live module settings, and install() / uninstall()."""

from __future__ import annotations

import http
import http.client as stdlib_client
import io
import socket
import ssl
import sys
import threading
import urllib.request
import xmlrpc.client
from collections.abc import Iterator

import pytest

import httpcore_client
import httpcore_compat
import httpcore_headers
import httpcore_wire


def public(module: object) -> set[str]:
    return {name for name in dir(module) if not name.startswith("_")}


def test_all_is_the_standard_librarys() -> None:
    assert httpcore_compat.__all__ == stdlib_client.__all__
    for name in httpcore_compat.__all__:
        assert hasattr(httpcore_compat, name), name


def test_public_names_are_the_standard_librarys_plus_install() -> None:
    assert public(httpcore_compat) - public(stdlib_client) == {
        "install",
        "installed",
        "uninstall",
    }
    assert public(stdlib_client) - public(httpcore_compat) == set()


def test_status_constants_and_responses() -> None:
    for status in http.HTTPStatus:
        assert getattr(httpcore_compat, status.name) is status
        assert httpcore_compat.responses[status.value] == status.phrase
    assert httpcore_compat.responses == stdlib_client.responses
    assert (httpcore_compat.HTTP_PORT, httpcore_compat.HTTPS_PORT) == (80, 443)


def test_one_exception_hierarchy_whichever_package() -> None:
    assert httpcore_compat.HTTPException is httpcore_headers.HTTPException
    assert httpcore_compat.error is httpcore_compat.HTTPException
    assert httpcore_compat.LineTooLong is httpcore_headers.LineTooLong
    assert httpcore_compat.IncompleteRead is httpcore_wire.IncompleteRead
    assert httpcore_compat.HTTPConnection is httpcore_client.HTTPConnection
    assert issubclass(httpcore_compat.RemoteDisconnected, ConnectionResetError)
    assert issubclass(httpcore_compat.RemoteDisconnected, httpcore_compat.BadStatusLine)
    for name in httpcore_compat.__all__:
        value = getattr(httpcore_compat, name)
        if isinstance(value, type) and issubclass(value, Exception):
            assert issubclass(value, httpcore_compat.HTTPException)
            stdlib = getattr(stdlib_client, name)
            assert value.__name__ == stdlib.__name__


def test_private_helpers_behave_as_the_standard_librarys() -> None:
    block = b"A: 1\r\nB: 2\r\n\r\nbody"
    theirs = stdlib_client._read_headers(io.BytesIO(block))  # type: ignore[attr-defined]
    assert httpcore_compat._read_headers(io.BytesIO(block)) == theirs
    lines = [b"A: 1\r\n", b"\r\n"]
    # http.client has _parse_header_lines from Python 3.12 on.
    assert (
        httpcore_compat._parse_header_lines(lines).items()
        == stdlib_client.parse_headers(io.BytesIO(b"".join(lines))).items()
    )
    for name in (b"Good", b"Key Space", b"Bad:Name", b" lead"):
        assert bool(httpcore_compat._is_legal_header_name(name)) == bool(
            stdlib_client._is_legal_header_name(name)  # type: ignore[attr-defined]
        )
    context = httpcore_compat._create_https_context(11)
    # What http.client builds (a function of its own only from 3.12 on): the
    # default HTTPS context with TLS 1.3 post-handshake authentication on.
    default = ssl._create_default_https_context()
    assert context.check_hostname is default.check_hostname is True
    assert context.verify_mode == default.verify_mode == ssl.CERT_REQUIRED
    if ssl.HAS_TLSv1_3:
        assert context.post_handshake_auth is True
    else:
        assert context.post_handshake_auth == default.post_handshake_auth
    assert httpcore_compat._strip_ipv6_iface(b"[fe80::1%eth0") == b"[fe80::1]"
    with pytest.raises(UnicodeEncodeError) as ours:
        httpcore_compat._encode("price: \u20ac", "body")
    with pytest.raises(UnicodeEncodeError) as theirs:
        stdlib_client._encode("price: \u20ac", "body")  # type: ignore[attr-defined]
    assert str(ours.value) == str(theirs.value)
    assert httpcore_compat._CS_IDLE == stdlib_client._CS_IDLE  # type: ignore[attr-defined]
    assert httpcore_compat._UNKNOWN == stdlib_client._UNKNOWN  # type: ignore[attr-defined]


class ScriptedServer:
    """Answers every request on loopback with the same 200 response."""

    def __init__(self, body: bytes) -> None:
        self.body = body
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.requests: list[bytes] = []
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self) -> None:
        while True:
            try:
                sock, _ = self.listener.accept()
            except OSError:
                return
            with sock:
                sock.settimeout(10)
                reader = sock.makefile("rb")
                head = b""
                while (line := reader.readline()) not in (b"\r\n", b""):
                    head += line
                length = 0
                for line in head.split(b"\r\n"):
                    if line.lower().startswith(b"content-length:"):
                        length = int(line.split(b":")[1])
                self.requests.append(head + b"\r\n" + reader.read(length))
                sock.sendall(
                    b"HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\n"
                    b"Content-Length: %d\r\nConnection: close\r\n\r\n%s"
                    % (len(self.body), self.body)
                )

    def close(self) -> None:
        self.listener.shutdown(socket.SHUT_RDWR)
        self.listener.close()
        self.thread.join(timeout=10)


@pytest.fixture
def installed() -> Iterator[None]:
    httpcore_compat.install()
    try:
        yield
    finally:
        httpcore_compat.uninstall()


def test_install_replaces_http_client_and_uninstall_restores_it() -> None:
    before = sys.modules["http.client"]
    assert before is stdlib_client
    httpcore_compat.install()
    try:
        assert sys.modules["http.client"] is httpcore_compat
        assert http.client is httpcore_compat
        assert httpcore_compat.installed()
        httpcore_compat.install()  # a second call changes nothing
        assert sys.modules["http.client"] is httpcore_compat
    finally:
        httpcore_compat.uninstall()
    assert sys.modules["http.client"] is before
    assert http.client is before
    assert not httpcore_compat.installed()
    httpcore_compat.uninstall()  # a second call changes nothing
    assert sys.modules["http.client"] is before


@pytest.mark.usefixtures("installed")
def test_urllib_request_runs_on_httpcore_once_installed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    used: list[object] = []
    original = httpcore_client.HTTPConnection.getresponse

    def spy(self: httpcore_client.HTTPConnection) -> object:
        used.append(self)
        return original(self)

    monkeypatch.setattr(httpcore_client.HTTPConnection, "getresponse", spy)
    server = ScriptedServer(b"<ok/>")
    try:
        with urllib.request.urlopen(
            f"http://127.0.0.1:{server.port}/x", timeout=10
        ) as r:
            assert r.read() == b"<ok/>"
            assert isinstance(r, httpcore_client.HTTPResponse)
    finally:
        server.close()
    assert len(used) == 1
    assert server.requests[0].startswith(b"GET /x HTTP/1.1\r\n")


@pytest.mark.usefixtures("installed")
def test_xmlrpc_client_runs_on_httpcore_once_installed() -> None:
    reply = (
        b"<?xml version='1.0'?><methodResponse><params><param>"
        b"<value><int>42</int></value></param></params></methodResponse>"
    )
    server = ScriptedServer(reply)
    try:
        proxy = xmlrpc.client.ServerProxy(f"http://127.0.0.1:{server.port}/RPC2")
        assert proxy.answer() == 42
    finally:
        server.close()
    assert b"<methodName>answer</methodName>" in server.requests[0]
