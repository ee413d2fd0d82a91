# Real peers on loopback for the tests in this directory: nginx (files, a
# chunked location, WebDAV PUT, a proxied Python upstream, TLS with a trustme
# certificate) and squid (a CONNECT proxy), each started once per session on
# free ports from configuration files generated in a temporary directory, and
# stopped at the end.  Test modules reach them through the fixtures below;
# the classes are importable for annotations only (``--import-mode=importlib``
# keeps this directory off ``sys.path``).
#
# Strategy: nginx runs with ``master_process off`` (one process that keeps the
# starting user, so it reads the root-owned temporary files and dies with one
# signal); squid refuses to run as root, so as root it gets
# ``cache_effective_user`` and a directory that user owns.  Readiness is a
# bounded poll of every listening address.  A missing program skips the tests
# with the apt package to install, except on CI (``CI`` set), where it fails.
from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import http.server
import os
import pwd
import random
import shutil
import socket
import ssl
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import trustme

STARTUP_TIMEOUT = 30.0
STOP_TIMEOUT = 10.0
BIG = 32 << 20
MID = 256 << 10
FOOTER = b"\n-- appended by nginx --\n"
IPV6 = "::1"


def find_program(name: str) -> str:
    """The path of ``name`` (also searched in the sbin directories, which a
    non-root PATH may lack); skips the test, or fails it on CI, if missing."""
    found = shutil.which(name) or shutil.which(name, path="/usr/sbin:/sbin")
    if found is None:
        message = f"{name} is not installed (apt-get install {name})"
        if os.environ.get("CI"):
            pytest.fail(f"{message}; .ci/run installs it", pytrace=False)
        pytest.skip(message)
    return found


def ipv6_loopback() -> bool:
    try:
        with socket.socket(socket.AF_INET6) as probe:
            probe.bind((IPV6, 0))
    except OSError:
        return False
    return True


def reserve_ports(count: int, ipv6: bool) -> list[int]:
    """``count`` distinct ports free on 127.0.0.1 (and on ::1 if ``ipv6``),
    all held until every one is chosen."""
    held: list[socket.socket] = []
    ports: list[int] = []
    try:
        while len(ports) < count:
            v4 = socket.socket()
            held.append(v4)
            v4.bind(("127.0.0.1", 0))
            port = v4.getsockname()[1]
            if ipv6:
                v6 = socket.socket(socket.AF_INET6)
                held.append(v6)
                try:
                    v6.bind((IPV6, port))
                except OSError:
                    continue
            ports.append(port)
    finally:
        for sock in held:
            sock.close()
    return ports


def _accepts(address: tuple[str, int]) -> bool:
    try:
        with socket.create_connection(address, timeout=2):
            return True
    except ConnectionRefusedError:
        return False


@contextlib.contextmanager
def running(
    argv: list[str],
    output: Path,
    addresses: list[tuple[str, int]],
    logs: tuple[Path, ...] = (),
) -> Iterator[subprocess.Popen[bytes]]:
    """Run ``argv`` (its output to ``output``) until the block ends; enter the
    block once every address accepts connections.  If it does not start, the
    error holds its output and ``logs``."""
    with output.open("wb") as sink:
        process = subprocess.Popen(
            argv, stdin=subprocess.DEVNULL, stdout=sink, stderr=subprocess.STDOUT
        )
        try:
            deadline = time.monotonic() + STARTUP_TIMEOUT
            pending = list(addresses)
            while pending:
                if process.poll() is not None:
                    problem = f"exited with {process.returncode}"
                elif time.monotonic() > deadline:
                    problem = f"not listening on {pending} after {STARTUP_TIMEOUT} s"
                else:
                    problem = ""
                if problem:
                    texts = [
                        f"{path}:\n{path.read_text(errors='replace')}"
                        for path in (output, *logs)
                        if path.exists()
                    ]
                    raise RuntimeError("\n".join([f"{argv[0]} {problem}", *texts]))
                if _accepts(pending[0]):
                    del pending[0]
                    continue
                # The poll interval; returns at once if the program exits.
                with contextlib.suppress(subprocess.TimeoutExpired):
                    process.wait(timeout=0.05)
            yield process
        finally:
            process.terminate()
            try:
                process.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


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


# -- the Python upstream behind nginx -----------------------------------------


class _UpstreamHandler(http.server.BaseHTTPRequestHandler):
    """HTTP/1.0: ``/stream`` writes pieces without a Content-Length (nginx
    then chunks its response), ``/echo`` returns the request body."""

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: nginx's access log records the requests."""

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


@contextlib.contextmanager
def upstream() -> Iterator[int]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _UpstreamHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=STOP_TIMEOUT)


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
    ``X-Connection-Requests``."""

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
}}
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
    tmp_path_factory: pytest.TempPathFactory, samples: dict[str, Sample], tls: Tls
) -> Iterator[Nginx]:
    program = find_program("nginx")
    root = tmp_path_factory.mktemp("nginx")
    for directory in ("html/files", "dav", "tmp"):
        (root / directory).mkdir(parents=True)
    for sample in samples.values():
        (root / "html" / "files" / sample.name).write_bytes(sample.data)
    (root / "html" / "footer.bin").write_bytes(FOOTER)
    ipv6 = ipv6_loopback()
    port, limited_port, tls_port, wrong_name_port = reserve_ports(4, ipv6)
    with upstream() as upstream_port:
        locations = LOCATIONS.format(root=root, upstream=upstream_port)
        config = NGINX_CONF.format(
            root=root,
            locations=locations,
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
        )
        (root / "nginx.conf").write_text(config)
        ports = (port, limited_port, tls_port, wrong_name_port)
        hosts = ("127.0.0.1", IPV6) if ipv6 else ("127.0.0.1",)
        addresses = [(host, p) for host in hosts for p in ports]
        argv = [
            program,
            "-e",
            "stderr",
            "-p",
            str(root),
            "-c",
            str(root / "nginx.conf"),
        ]
        with running(argv, root / "output.log", addresses, (root / "error.log",)):
            yield Nginx(
                host="127.0.0.1",
                port=port,
                limited_port=limited_port,
                tls_port=tls_port,
                wrong_name_port=wrong_name_port,
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


def _unprivileged_user() -> pwd.struct_passwd:
    for name in ("proxy", "squid", "nobody"):
        with contextlib.suppress(KeyError):
            return pwd.getpwnam(name)
    raise RuntimeError("no proxy, squid or nobody user for squid to run as")


@pytest.fixture(scope="session")
def squid(nginx: Nginx) -> Iterator[Squid]:
    program = find_program("squid")
    (port,) = reserve_ports(1, ipv6=False)
    # Not under pytest's temporary directory: as root, squid writes its logs as
    # an unprivileged user, who cannot enter that directory.
    root = Path(tempfile.mkdtemp(prefix="httpcore-squid-"))
    try:
        user = ""
        if os.geteuid() == 0:
            account = _unprivileged_user()
            os.chown(root, account.pw_uid, account.pw_gid)
            root.chmod(0o755)
            user = f"cache_effective_user {account.pw_name}"
        config = SQUID_CONF.format(
            port=port,
            root=root,
            tunnel_ports=f"{nginx.port} {nginx.tls_port} {nginx.wrong_name_port}",
            user=user,
        )
        (root / "squid.conf").write_text(config)
        # -n: shared-memory segments are named after the service; a name of
        # our own keeps them apart from a system squid and from other runs.
        argv = [program, "-N", "-n", f"httpcore{os.getpid()}"]
        argv += ["-f", str(root / "squid.conf")]
        address = [("127.0.0.1", port)]
        with running(argv, root / "output.log", address, (root / "cache.log",)):
            yield Squid(host="127.0.0.1", port=port, refused_port=nginx.limited_port)
    finally:
        shutil.rmtree(root)
