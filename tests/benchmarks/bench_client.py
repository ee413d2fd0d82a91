"""The client on a local nginx, against http.client, urllib3 and pycurl.

nginx runs on its own core (the last one), this process on another, and
client CPU time (``time.process_time``) is what is compared, except for the
upload, where throughput is:

- keep-alive GETs of a small file over one connection, plain and TLS, and
  what the check that a kept-alive connection is clean costs of that; also
  against urllib3 (plain) and pycurl (plain and TLS), and against the same
  GETs by hand on a socket (the floor for a client in Python);
- a 256 MiB download read with ``readinto``, with ``read(1 MiB)`` and with
  ``read()`` of the whole body;
- a 256 MiB upload from a regular file with default arguments, also
  against the same PUT by hand on a socket (readinto() and sendall(), or
  socket.sendfile()).

Without nginx on PATH (Debian package ``nginx``) these cases are left out
with a message.
"""

from __future__ import annotations

import atexit
import http.client
import io
import os
import shutil
import socket
import ssl
import subprocess
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from accelerators import BODY_BUFFER, HEADERS, pure_and_compiled
from run import PIECE, Case, downloader, server_and_client_cores

import httpcore_client

SMALL = b"hello from nginx\n" * 4
LARGE_SIZE = 256 << 20

CONFIG = """
worker_processes 1;
daemon off;
pid {root}/nginx.pid;
error_log {root}/error.log;
events {{ worker_connections 64; }}
http {{
  access_log off;
  keepalive_requests 10000000;
  # Each case's connection is opened when the cases are made, and waits
  # idle while the cases before it run: before its first request (which
  # nginx bounds by client_header_timeout, 60 s by default) as well as
  # between requests.
  keepalive_timeout 3600s;
  client_header_timeout 3600s;
  client_max_body_size 0;
  client_body_temp_path {root}/body;
  server {{
    listen 127.0.0.1:{port};
    root {root}/html;
    location /sink {{ return 204; }}
  }}
  server {{
    listen 127.0.0.1:{tls_port} ssl;
    ssl_certificate {root}/cert.pem;
    ssl_certificate_key {root}/key.pem;
    root {root}/html;
  }}
}}
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Nginx:
    """nginx on loopback, on the last core, serving files made here."""

    def __init__(self, program: str) -> None:
        import trustme

        self.root = Path(tempfile.mkdtemp(prefix="httpcore-bench-"))
        # nginx's workers run as an unprivileged user: let them read.
        self.root.chmod(0o755)
        (self.root / "html").mkdir()
        (self.root / "html" / "small.txt").write_bytes(SMALL)
        with open(self.root / "html" / "large.bin", "wb") as large:
            block = os.urandom(PIECE)
            for _ in range(LARGE_SIZE // PIECE):
                large.write(block)
        self.upload = self.root / "html" / "large.bin"
        ca = trustme.CA()
        cert = ca.issue_cert("localhost", "127.0.0.1")
        cert.private_key_pem.write_to_path(str(self.root / "key.pem"))
        cert.cert_chain_pems[0].write_to_path(str(self.root / "cert.pem"))
        #: The CA's certificate, for clients that read it from a file.
        self.ca_file = self.root / "ca.pem"
        ca.cert_pem.write_to_path(str(self.ca_file))
        self.context = ssl.create_default_context()
        ca.configure_trust(self.context)
        self.port, self.tls_port = _free_port(), _free_port()
        (self.root / "nginx.conf").write_text(
            CONFIG.format(root=self.root, port=self.port, tls_port=self.tls_port)
        )
        server_core, client_cores = server_and_client_cores()
        self.process = subprocess.Popen(
            [program, "-p", str(self.root), "-c", str(self.root / "nginx.conf")],
            preexec_fn=lambda: os.sched_setaffinity(0, server_core),
            stderr=subprocess.DEVNULL,
        )
        atexit.register(self.stop)
        os.sched_setaffinity(0, client_cores)
        deadline = time.monotonic() + 10
        for port in (self.port, self.tls_port):
            while True:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.02)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)
        shutil.rmtree(self.root, ignore_errors=True)


def _get(module: Any, port: int, **kwargs: Any) -> Callable[[], bytes]:
    kind = module.HTTPSConnection if kwargs else module.HTTPConnection
    connection = kind("127.0.0.1" if not kwargs else "localhost", port, **kwargs)

    def get() -> bytes:
        connection.request("GET", "/small.txt")
        response = connection.getresponse()
        body = bytes(response.read())
        assert response.status == 200, response.status
        return body

    return get


class _Unchecked:
    """httpcore_client without the check that an idle connection is clean
    before it is reused (RFC 9112 section 9.3): the baseline that prices
    the check.  Not for use outside this benchmark."""

    class HTTPConnection(httpcore_client.HTTPConnection):
        def _close_if_stale(self) -> bool:
            return False


def _upload(module: Any, port: int, path: Path) -> Callable[[], int]:
    def upload() -> int:
        connection = module.HTTPConnection("127.0.0.1", port)
        with open(path, "rb") as body:
            connection.request("PUT", "/sink", body=body)
            response = connection.getresponse()
            response.read()
        connection.close()
        assert response.status == 204, response.status
        return int(response.status)

    return upload


def _raw_upload(port: int, path: Path, how: str) -> Callable[[], int]:
    """The same PUT as _upload() by hand on a socket, the body sent with
    ``"sendfile"`` (socket.sendfile()) or ``"readinto"`` (readinto() of
    1 MiB, then sendall()): what the machine can do without a client
    library, for the upload to be measured against."""
    piece = bytearray(PIECE)

    def upload() -> int:
        with socket.create_connection(("127.0.0.1", port)) as sock:
            with open(path, "rb") as body:
                size = os.fstat(body.fileno()).st_size
                sock.sendall(
                    b"PUT /sink HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    b"Content-Length: %d\r\n\r\n" % size
                )
                if how == "sendfile":
                    sock.sendfile(body)
                else:
                    with memoryview(piece) as view:
                        while count := body.readinto(piece):
                            sock.sendall(view[:count])
            reply = sock.makefile("rb")
            status = int(reply.readline().split()[1])
            reply.close()
        assert status == 204, status
        return status

    return upload


def _raw_get(port: int, context: ssl.SSLContext | None = None) -> Callable[[], bytes]:
    """The same keep-alive GET by hand on a socket: the request built once,
    and the least parsing of the answer that finds its body (Content-Length
    only).  What a client in Python cannot do with less, for the keep-alive
    GETs to be measured against; not a client (no checks, no framing rules).
    """
    sock: socket.socket = socket.create_connection(("127.0.0.1", port))
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    if context is not None:
        sock = context.wrap_socket(sock, server_hostname="localhost")
    host = "localhost" if context is not None else "127.0.0.1"
    request = (
        b"GET /small.txt HTTP/1.1\r\nHost: %s:%d\r\n"
        b"Accept-Encoding: identity\r\n\r\n" % (host.encode(), port)
    )
    pending = b""

    def receive(data: bytes) -> bytes:
        more = sock.recv(65536)
        if not more:
            raise ConnectionError("nginx closed the connection")
        return data + more

    def get() -> bytes:
        nonlocal pending
        sock.sendall(request)
        data = pending
        while (end := data.find(b"\r\n\r\n")) < 0:
            data = receive(data)
        head = data[:end].lower()
        assert head.startswith(b"http/1.1 200 "), head
        at = head.index(b"\ncontent-length:") + len(b"\ncontent-length:")
        start = end + 4
        stop = start + int(head[at : head.index(b"\r", at)])
        while len(data) < stop:
            data = receive(data)
        pending = data[stop:]
        return data[start:stop]

    return get


def _urllib3_get(port: int) -> Callable[[], bytes] | None:
    try:
        import urllib3
    except ImportError:
        return None
    pool = urllib3.HTTPConnectionPool("127.0.0.1", port, maxsize=1)

    def get() -> bytes:
        response = pool.request("GET", "/small.txt")
        assert response.status == 200, response.status
        return bytes(response.data)

    return get


def _pycurl_get(port: int, ca_file: Path | None = None) -> Callable[[], bytes] | None:
    """The same keep-alive GET with pycurl (libcurl keeps the connection
    open between perform() calls); over TLS, verified against ``ca_file``,
    to ``localhost`` as httpcore's TLS case asks for it."""
    try:
        import pycurl
    except ImportError:
        return None
    curl = pycurl.Curl()
    if ca_file is None:
        curl.setopt(pycurl.URL, f"http://127.0.0.1:{port}/small.txt")
    else:
        curl.setopt(pycurl.URL, f"https://localhost:{port}/small.txt")
        curl.setopt(pycurl.RESOLVE, [f"localhost:{port}:127.0.0.1"])
        curl.setopt(pycurl.CAINFO, str(ca_file))

    def get() -> bytes:
        out = io.BytesIO()
        curl.setopt(pycurl.WRITEDATA, out)
        curl.perform()
        assert curl.getinfo(pycurl.RESPONSE_CODE) == 200
        return out.getvalue()

    return get


def _cases() -> list[Case]:
    program = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin")
    if program is None:
        print("bench_client: nginx is not installed (apt-get install nginx): skipped")
        return []
    nginx = Nginx(program)
    cpu = time.process_time
    ours = httpcore_client
    cases = [
        Case(
            "GET keep-alive, client CPU",
            _get(http.client, nginx.port),
            _get(ours, nginx.port),
            timer=cpu,
        ),
        Case(
            "GET keep-alive over TLS, client CPU",
            _get(http.client, nginx.tls_port, context=nginx.context),
            _get(ours, nginx.tls_port, context=nginx.context),
            timer=cpu,
        ),
    ]
    cases.append(
        Case(
            "GET keep-alive, reuse check skipped = baseline",
            _get(_Unchecked, nginx.port),
            _get(ours, nginx.port),
            timer=cpu,
        )
    )
    for label, kwargs in (("", {}), (" over TLS", {"context": nginx.context})):
        port = nginx.tls_port if kwargs else nginx.port
        cases.append(
            Case(
                f"GET keep-alive{label}, client CPU, by hand on a socket = baseline",
                _raw_get(port, **kwargs),
                _get(ours, port, **kwargs),
                timer=cpu,
            )
        )
    for label, other in (("urllib3", _urllib3_get), ("pycurl", _pycurl_get)):
        contender = other(nginx.port)
        if contender is None:
            print(f"bench_client: {label} is not installed: left out")
            continue
        cases.append(
            Case(
                f"GET keep-alive, client CPU, {label} = baseline",
                contender,
                _get(ours, nginx.port),
                timer=cpu,
            )
        )
    curl_tls = _pycurl_get(nginx.tls_port, nginx.ca_file)
    if curl_tls is not None:
        cases.append(
            Case(
                "GET keep-alive over TLS, client CPU, pycurl = baseline",
                curl_tls,
                _get(ours, nginx.tls_port, context=nginx.context),
                timer=cpu,
            )
        )
    for how in ("readinto", "read(1 MiB)", "read()"):
        cases.append(
            Case(
                f"download 256 MiB, {how}, client CPU",
                downloader(http.client, nginx.port, "/large.bin", how),
                downloader(ours, nginx.port, "/large.bin", how),
                timer=cpu,
                memory=how == "read()",
            )
        )
    cases.append(
        Case(
            "upload 256 MiB file, wall time",
            _upload(http.client, nginx.port, nginx.upload),
            _upload(ours, nginx.port, nginx.upload),
        )
    )
    for how in ("readinto", "sendfile"):
        cases.append(
            Case(
                f"upload 256 MiB file, wall time, raw {how} loop = baseline",
                _raw_upload(nginx.port, nginx.upload, how),
                _upload(ours, nginx.port, nginx.upload),
            )
        )
    cases.extend(_accelerator_cases(nginx))
    return cases


def _accelerator_cases(nginx: Nginx) -> list[Case]:
    """What each compiled fast path the client uses saves, against its
    pure Python twin, on the workload it is for."""
    cpu = time.process_time
    cases = []
    jobs = pure_and_compiled(HEADERS, partial(_get, httpcore_client, nginx.port))
    if jobs is not None:
        cases.append(
            Case(
                f"GET keep-alive, client CPU, no {HEADERS.label} = baseline",
                *jobs,
                timer=cpu,
            )
        )
    jobs = pure_and_compiled(
        BODY_BUFFER,
        partial(downloader, httpcore_client, nginx.port, "/large.bin", "read()"),
    )
    if jobs is not None:
        cases.append(
            Case(
                f"download 256 MiB, read(), no {BODY_BUFFER.label} = baseline",
                *jobs,
                timer=cpu,
                memory=True,
            )
        )
    return cases


CASES = _cases()
