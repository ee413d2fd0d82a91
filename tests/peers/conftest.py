# Real peers on loopback for the tests in this directory: nginx (files, a
# chunked location, WebDAV PUT, a proxied Python upstream, TLS with a trustme
# certificate, and two servers for test_interop.py), squid (a CONNECT
# proxy, also behind a TLS front end: an HTTPS proxy), and apache2, haproxy
# and tinyproxy (interop_peers.py), each
# started once per session on free ports from configuration files generated
# in a temporary directory, and stopped at the end.  Test modules reach them
# through the fixtures below; the classes are importable for annotations
# only (``--import-mode=importlib`` keeps this directory off ``sys.path``).
#
# Strategy: nginx runs with ``master_process off`` (one process that keeps the
# starting user, so it reads the root-owned temporary files and dies with one
# signal); squid refuses to run as root, so as root it gets
# ``cache_effective_user`` and a directory that user owns.  Starting and
# stopping is peer_programs.py's: readiness is a bounded poll of every
# listening address, and a missing program skips the tests with the apt
# package to install, except on CI (``CI`` set), where it fails.
from __future__ import annotations

import dataclasses
import hashlib
import http.server
import importlib
import os
import random
import ssl
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlsplit

import pytest
import trustme


def _import_sibling(name: str) -> ModuleType:
    """The module ``name`` of this directory, imported with the directory on
    ``sys.path`` only while it (and what it imports from here) loads."""
    directory = str(Path(__file__).resolve().parent)
    sys.path.insert(0, directory)
    try:
        return importlib.import_module(name)
    finally:
        sys.path.remove(directory)


if TYPE_CHECKING:
    import interop_peers
    import peer_programs
else:
    peer_programs = _import_sibling("peer_programs")
    interop_peers = _import_sibling("interop_peers")

IPV6 = peer_programs.IPV6
BIG = 32 << 20
MID = 256 << 10
FOOTER = b"\n-- appended by nginx --\n"


# -- content ------------------------------------------------------------------


def pseudo_random(size: int, seed: int) -> bytes:
    return random.Random(seed).randbytes(size)


def stream_pieces(count: int, size: int) -> list[bytes]:
    """What the upstream's ``/stream?chunks=count&size=size`` writes, one
    write per piece: ``count`` pieces of ``size`` to ``size + 6`` bytes."""
    generator = random.Random(count * 1_000_003 + size)
    return [generator.randbytes(size + index % 7) for index in range(count)]


@dataclasses.dataclass(frozen=True)
class Sample:
    """A file nginx serves as ``/files/<name>`` and ``/chunked/<name>``."""

    name: str
    data: bytes

    @property
    def path(self) -> str:
        return f"/files/{self.name}"

    @property
    def chunked_path(self) -> str:
        return f"/chunked/{self.name}"

    @property
    def chunked_data(self) -> bytes:
        """The body at :attr:`chunked_path`: the file, then nginx's footer."""
        return self.data + FOOTER

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def make_samples() -> dict[str, Sample]:
    return {
        sample.name: sample
        for sample in (
            Sample("small.txt", b"Hello from nginx.\n"),
            Sample("mid.bin", pseudo_random(MID, 1)),
            Sample("big.bin", pseudo_random(BIG, 2)),
        )
    }


# -- the Python upstream behind nginx, apache2 and haproxy --------------------


class _UpstreamHandler(http.server.BaseHTTPRequestHandler):
    """HTTP/1.0: ``/stream`` writes pieces without a Content-Length (a proxy
    before it then chunks its response), ``/echo`` returns the request
    body."""

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the proxies' access logs record the requests."""

    def do_GET(self) -> None:
        query = parse_qs(urlsplit(self.path).query)
        pieces = stream_pieces(int(query["chunks"][0]), int(query["size"][0]))
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.end_headers()
        for piece in pieces:
            self.wfile.write(piece)

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="session")
def upstream_port() -> Iterator[int]:
    """The port of the upstream, on 127.0.0.1."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _UpstreamHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=peer_programs.STOP_TIMEOUT)


# -- TLS ----------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Tls:
    """A CA the clients trust, and one they do not."""

    ca: trustme.CA
    other_ca: trustme.CA

    def context(self) -> ssl.SSLContext:
        """A client context that trusts :attr:`ca` (the server's)."""
        context = ssl.create_default_context()
        self.ca.configure_trust(context)
        return context

    def untrusting_context(self) -> ssl.SSLContext:
        """A client context that trusts only :attr:`other_ca`."""
        context = ssl.create_default_context()
        self.other_ca.configure_trust(context)
        return context


def _write_certificate(cert: trustme.LeafCert, directory: Path, name: str) -> str:
    cert.private_key_pem.write_to_path(str(directory / f"{name}.key"))
    chain = b"".join(blob.bytes() for blob in cert.cert_chain_pems)
    (directory / f"{name}.pem").write_bytes(chain)
    return (
        f"ssl_certificate {directory / name}.pem; "
        f"ssl_certificate_key {directory / name}.key;"
    )


# -- nginx --------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Nginx:
    """The running nginx.  Every server block serves the same locations:
    ``/files/<name>`` (static, with ETag and Last-Modified), ``/chunked/<name>``
    (the file plus :data:`FOOTER`, chunked), ``/dav/...`` (PUT and DELETE, up
    to 64 MiB), ``/echo`` (POST, echoed by the upstream) and
    ``/stream?chunks=N&size=M`` (the upstream's pieces, chunked, with an
    ``X-Trailer-Check: body-complete`` trailer); every response carries
    ``X-Connection`` (nginx's connection number) and
    ``X-Connection-Requests``.  The interop servers answer
    ``/no-content`` with 204 too, and name the client's port in
    ``X-Client-Port``, as the other origins of test_interop.py do."""

    host: str
    #: Plain HTTP.  Every port listens on 127.0.0.1 and, if :attr:`ipv6`,
    #: on ::1.
    port: int
    #: Plain HTTP with ``keepalive_requests 5``.
    limited_port: int
    #: TLS with a certificate for localhost, 127.0.0.1 and ::1.
    tls_port: int
    #: TLS with a certificate for www.example.org only (same CA).
    wrong_name_port: int
    #: Plain HTTP, an interop server.
    interop_port: int
    #: Plain HTTP, an interop server that closes a connection idle for
    #: ``interop_peers.IDLE_TIMEOUT`` seconds.
    idle_port: int
    ipv6: bool
    samples: dict[str, Sample]

    @staticmethod
    def stream_body(chunks: int, size: int) -> bytes:
        return b"".join(stream_pieces(chunks, size))


LOCATIONS = """
    root {root}/html;
    add_header X-Connection $connection always;
    add_header X-Connection-Requests $connection_requests always;
    location /files/ {{ }}
    location /chunked/ {{
        alias {root}/html/files/;
        addition_types *;
        add_after_body /footer.bin;
    }}
    location /dav/ {{
        root {root};
        dav_methods PUT DELETE;
        create_full_put_path on;
        client_max_body_size 64m;
    }}
    location /echo {{
        proxy_pass http://127.0.0.1:{upstream};
        client_max_body_size 64m;
    }}
    location /stream {{
        proxy_pass http://127.0.0.1:{upstream};
        proxy_buffering off;
        add_trailer X-Trailer-Check "body-complete";
    }}
"""

NGINX_CONF = """
daemon off;
master_process off;
pid {root}/nginx.pid;
error_log {root}/error.log notice;
events {{ worker_connections 256; }}
http {{
    default_type application/octet-stream;
    log_format connections '$connection $connection_requests "$request" $status';
    access_log {root}/access.log connections;
    client_body_temp_path {root}/tmp/body;
    proxy_temp_path {root}/tmp/proxy;
    fastcgi_temp_path {root}/tmp/fastcgi;
    uwsgi_temp_path {root}/tmp/uwsgi;
    scgi_temp_path {root}/tmp/scgi;
    keepalive_requests 1000;
    server {{ {listen_port} {locations} }}
    server {{ {listen_limited} keepalive_requests 5; {locations} }}
    server {{ {listen_tls} {certificate} {locations} }}
    server {{ {listen_wrong_name} {wrong_name} {locations} }}
    server {{ {listen_interop} {interop} {locations} }}
    server {{ {listen_idle} {idle} {locations} }}
}}
"""

INTEROP = """
    keepalive_timeout {timeout}s;
    add_header X-Client-Port $remote_port always;
    location = /no-content {{ return 204; }}
"""


def _listen(port: int, ipv6: bool, extra: str = "") -> str:
    hosts = ["127.0.0.1", f"[{IPV6}]"] if ipv6 else ["127.0.0.1"]
    return " ".join(f"listen {host}:{port}{extra};" for host in hosts)


@pytest.fixture(scope="session")
def samples() -> dict[str, Sample]:
    return make_samples()


@pytest.fixture(scope="session")
def tls() -> Tls:
    return Tls(trustme.CA(), trustme.CA())


@pytest.fixture(scope="session")
def nginx(
    tmp_path_factory: pytest.TempPathFactory,
    samples: dict[str, Sample],
    tls: Tls,
    upstream_port: int,
) -> Iterator[Nginx]:
    program = peer_programs.find_program("nginx")
    root = tmp_path_factory.mktemp("nginx")
    for directory in ("html/files", "dav", "tmp"):
        (root / directory).mkdir(parents=True)
    for sample in samples.values():
        (root / "html" / "files" / sample.name).write_bytes(sample.data)
    (root / "html" / "footer.bin").write_bytes(FOOTER)
    ipv6 = peer_programs.ipv6_loopback()
    ports = peer_programs.reserve_ports(6, ipv6)
    port, limited_port, tls_port, wrong_name_port, interop_port, idle_port = ports
    config = NGINX_CONF.format(
        root=root,
        locations=LOCATIONS.format(root=root, upstream=upstream_port),
        listen_port=_listen(port, ipv6),
        listen_limited=_listen(limited_port, ipv6),
        listen_tls=_listen(tls_port, ipv6, " ssl"),
        certificate=_write_certificate(
            tls.ca.issue_cert("localhost", "127.0.0.1", IPV6), root, "server"
        ),
        listen_wrong_name=_listen(wrong_name_port, ipv6, " ssl"),
        wrong_name=_write_certificate(
            tls.ca.issue_cert("www.example.org"), root, "wrong-name"
        ),
        listen_interop=_listen(interop_port, ipv6),
        interop=INTEROP.format(timeout=interop_peers.KEEP_ALIVE_TIMEOUT),
        listen_idle=_listen(idle_port, ipv6),
        idle=INTEROP.format(timeout=interop_peers.IDLE_TIMEOUT),
    )
    (root / "nginx.conf").write_text(config)
    hosts = ("127.0.0.1", IPV6) if ipv6 else ("127.0.0.1",)
    addresses = [(host, p) for host in hosts for p in ports]
    argv = [program, "-e", "stderr", "-p", str(root), "-c", str(root / "nginx.conf")]
    with peer_programs.running(
        argv, root / "output.log", addresses, (root / "error.log",)
    ):
        yield Nginx(
            host="127.0.0.1",
            port=port,
            limited_port=limited_port,
            tls_port=tls_port,
            wrong_name_port=wrong_name_port,
            interop_port=interop_port,
            idle_port=idle_port,
            ipv6=ipv6,
            samples=samples,
        )


# -- squid --------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Squid:
    """The running squid: CONNECT allowed to nginx's plain and TLS ports, and
    refused (403, by ACL) to :attr:`refused_port`, where nginx listens too
    (its ``limited_port``)."""

    host: str
    port: int
    refused_port: int


SQUID_CONF = """
http_port 127.0.0.1:{port}
visible_hostname httpcore-test-proxy
pid_filename {root}/squid.pid
cache_log {root}/cache.log
access_log stdio:{root}/access.log
cache_store_log none
netdb_filename none
coredump_dir {root}
pinger_enable off
cache deny all
cache_mem 8 MB
max_filedescriptors 1024
shutdown_lifetime 0 seconds
acl CONNECT method CONNECT
acl tunnel_ports port {tunnel_ports}
http_access deny CONNECT !tunnel_ports
http_access allow localhost
http_access deny all
{user}
"""


@pytest.fixture(scope="session")
def squid(nginx: Nginx) -> Iterator[Squid]:
    program = peer_programs.find_program("squid")
    (port,) = peer_programs.reserve_ports(1, ipv6=False)
    # As root, squid writes its logs as an unprivileged user.
    account = peer_programs.unprivileged_user() if os.geteuid() == 0 else None
    with peer_programs.shared_directory("httpcore-squid-", account) as root:
        config = SQUID_CONF.format(
            port=port,
            root=root,
            tunnel_ports=f"{nginx.port} {nginx.tls_port} {nginx.wrong_name_port}",
            user=f"cache_effective_user {account.pw_name}" if account else "",
        )
        (root / "squid.conf").write_text(config)
        # -n: shared-memory segments are named after the service; a name of
        # our own keeps them apart from a system squid and from other runs.
        argv = [program, "-N", "-n", f"httpcore{os.getpid()}"]
        argv += ["-f", str(root / "squid.conf")]
        address = [("127.0.0.1", port)]
        with peer_programs.running(
            argv, root / "output.log", address, (root / "cache.log",)
        ):
            yield Squid(host="127.0.0.1", port=port, refused_port=nginx.limited_port)


# -- squid behind TLS: an HTTPS proxy ------------------------------------------


@dataclasses.dataclass(frozen=True)
class TlsSquid:
    """squid behind haproxy, which terminates TLS with a certificate for
    127.0.0.1 and localhost issued by :attr:`ca` -- not the CA of nginx's
    certificates, so that the proxy's and the origin's verification are
    told apart."""

    host: str
    port: int
    ca: trustme.CA
    refused_port: int

    def context(self) -> ssl.SSLContext:
        """A client context that trusts the proxy's CA only."""
        context = ssl.create_default_context()
        self.ca.configure_trust(context)
        return context


@pytest.fixture(scope="session")
def tls_squid(squid: Squid) -> Iterator[TlsSquid]:
    ca = trustme.CA()
    certificate = ca.issue_cert("127.0.0.1", "localhost")
    pem = certificate.private_key_and_cert_chain_pem.bytes()
    with interop_peers.run_tls_front(pem, squid.port) as port:
        yield TlsSquid(squid.host, port, ca, squid.refused_port)


# -- apache2, haproxy and tinyproxy (interop_peers.py) ------------------------
# The proxies tunnel to nginx's plain and TLS ports and refuse its
# limited_port, as squid does.


@pytest.fixture(scope="session")
def apache2(
    nginx: Nginx, samples: dict[str, Sample], upstream_port: int
) -> Iterator[interop_peers.Apache2]:
    files = {name: samples[name].data for name in ("small.txt", "mid.bin")}
    tunnel_ports = (nginx.port, nginx.tls_port)
    with interop_peers.run_apache2(files, upstream_port, tunnel_ports) as server:
        yield server


@pytest.fixture(scope="session")
def haproxy(
    nginx: Nginx, tls: Tls, upstream_port: int
) -> Iterator[interop_peers.Haproxy]:
    certificate = tls.ca.issue_cert("localhost", "127.0.0.1", IPV6)
    pem = certificate.private_key_and_cert_chain_pem.bytes()
    with interop_peers.run_haproxy(pem, nginx.interop_port, upstream_port) as server:
        yield server


@pytest.fixture(scope="session")
def tinyproxy(nginx: Nginx) -> Iterator[interop_peers.Tinyproxy]:
    with interop_peers.run_tinyproxy((nginx.port, nginx.tls_port)) as server:
        yield server
