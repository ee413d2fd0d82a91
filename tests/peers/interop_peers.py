# The peers test_interop.py adds to nginx and squid: apache2 (two origin
# servers and a forward proxy with mod_proxy_connect), haproxy (HTTP and TLS
# front ends before nginx, a TLS front end in TCP mode before the Python
# upstream, and one before squid: an HTTPS proxy) and tinyproxy, each run on
# free loopback ports from configuration generated into a temporary
# directory, and stopped at the end.
#
# Strategy: every origin serves the same paths as nginx's interop servers
# (``/files/<name>``, ``/stream``, ``/echo``, ``/no-content``) and names the
# client's port in ``X-Client-Port``, so one test runs against all of them.
# Each origin listens twice: with a long keep-alive timeout, and with
# :data:`IDLE_TIMEOUT`, after which it closes an idle connection (RFC 9112
# section 9.5) -- short, so a test can wait for it.  apache2 runs in the
# foreground with its modules loaded one by one (no Debian envvars); as
# root, apache2's workers and tinyproxy switch to an unprivileged user.
from __future__ import annotations

import contextlib
import dataclasses
import grp
import os
import pwd
from collections.abc import Iterator

from peer_programs import (
    find_program,
    reserve_ports,
    running,
    shared_directory,
    unprivileged_user,
)

#: Seconds an idle connection stays open on the ``idle_port`` of an origin.
IDLE_TIMEOUT = 1
#: Seconds on the other ports: longer than any test.
KEEP_ALIVE_TIMEOUT = 30
HOST = "127.0.0.1"


def _account() -> pwd.struct_passwd | None:
    """The account a peer started as root switches to; None if not root."""
    return unprivileged_user() if os.geteuid() == 0 else None


def _user_and_group(account: pwd.struct_passwd | None) -> str:
    """``User`` and ``Group`` lines (apache2's and tinyproxy's syntax)."""
    if account is None:
        return ""
    group = grp.getgrgid(account.pw_gid).gr_name
    return f"User {account.pw_name}\nGroup {group}"


# -- apache2 ------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Apache2:
    """The running apache2: an origin on :attr:`port` and :attr:`idle_port`
    (static files with ETag and Last-Modified, ``/no-content`` answered 204
    by mod_rewrite, ``/stream`` and ``/echo`` proxied to the Python
    upstream: the stream chunked, a chunked upload spooled to a
    Content-Length), and a forward proxy on :attr:`proxy_port` that tunnels
    (CONNECT) only to the ports it was given."""

    host: str
    port: int
    idle_port: int
    proxy_port: int


APACHE2_MODULES = (
    "mpm_event",
    "authz_core",
    "authz_host",
    "mime",
    "env",
    "headers",
    "rewrite",
    "proxy",
    "proxy_http",
    "proxy_connect",
)
MODULE_DIRECTORY = "/usr/lib/apache2/modules"

APACHE2_CONF = """
ServerRoot {root}
ServerName localhost
PidFile {root}/apache2.pid
DefaultRuntimeDir {root}
ErrorLog {root}/error.log
LogLevel warn
{modules}
TypesConfig /dev/null
{user}
StartServers 1
ServerLimit 1
ThreadsPerChild 32
MaxRequestWorkers 32
MinSpareThreads 1
MaxSpareThreads 32
Timeout 30
KeepAlive On
MaxKeepAliveRequests 1000
LogFormat "%{{remote}}p %k \\"%r\\" %>s" connections
CustomLog {root}/access.log connections
<Directory />
    Require all granted
</Directory>
Listen {host}:{port}
Listen {host}:{idle_port}
Listen {host}:{proxy_port}
<VirtualHost {host}:{port}>
    KeepAliveTimeout {keep_alive}
    {origin}
</VirtualHost>
<VirtualHost {host}:{idle_port}>
    KeepAliveTimeout {idle_timeout}
    {origin}
</VirtualHost>
<VirtualHost {host}:{proxy_port}>
    KeepAliveTimeout {keep_alive}
    ProxyRequests On
    AllowCONNECT {connect_ports}
    <Proxy "*">
        Require ip {host}
    </Proxy>
</VirtualHost>
"""

APACHE2_ORIGIN = """
    DocumentRoot {root}/html
    RewriteEngine On
    RewriteRule ^ - [E=CLIENT_PORT:%{{REMOTE_PORT}}]
    Header always set X-Client-Port "%{{CLIENT_PORT}}e"
    RewriteRule ^/no-content$ - [R=204]
    ProxyPass /stream http://{host}:{upstream}/stream
    ProxyPass /echo http://{host}:{upstream}/echo
    <Location /echo>
        SetEnv proxy-sendcl 1
    </Location>
"""


@contextlib.contextmanager
def run_apache2(
    files: dict[str, bytes], upstream: int, connect_ports: tuple[int, ...]
) -> Iterator[Apache2]:
    """apache2 serving ``files`` as ``/files/<name>``, proxying to the
    Python upstream on port ``upstream``, and tunnelling to
    ``connect_ports``."""
    program = find_program("apache2")
    account = _account()
    with shared_directory("httpcore-apache2-", account) as root:
        (root / "html" / "files").mkdir(parents=True)
        # An hour old: apache2 makes the ETag of a file modified within the
        # last second weak, and it would change while the tests run.
        an_hour_ago = os.stat(root).st_mtime - 3600
        for name, data in files.items():
            path = root / "html" / "files" / name
            path.write_bytes(data)
            os.utime(path, (an_hour_ago, an_hour_ago))
        port, idle_port, proxy_port = reserve_ports(3, ipv6=False)
        config = APACHE2_CONF.format(
            root=root,
            host=HOST,
            port=port,
            idle_port=idle_port,
            proxy_port=proxy_port,
            modules="\n".join(
                f"LoadModule {name}_module {MODULE_DIRECTORY}/mod_{name}.so"
                for name in APACHE2_MODULES
            ),
            user=_user_and_group(account),
            keep_alive=KEEP_ALIVE_TIMEOUT,
            idle_timeout=IDLE_TIMEOUT,
            connect_ports=" ".join(map(str, connect_ports)),
            origin=APACHE2_ORIGIN.format(root=root, host=HOST, upstream=upstream),
        )
        (root / "apache2.conf").write_text(config)
        argv = [program, "-f", str(root / "apache2.conf"), "-DFOREGROUND"]
        addresses = [(HOST, p) for p in (port, idle_port, proxy_port)]
        with running(argv, root / "output.log", addresses, (root / "error.log",)):
            yield Apache2(HOST, port, idle_port, proxy_port)


# -- haproxy ------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Haproxy:
    """The running haproxy: HTTP front ends before an origin (plain on
    :attr:`port` and :attr:`idle_port`, TLS on :attr:`tls_port` and
    :attr:`tls_idle_port`), which name the client's port in
    ``X-Client-Port``; and :attr:`raw_tls_port`, TLS in TCP mode before the
    Python upstream, which answers HTTP/1.0 and ends a body by closing."""

    host: str
    port: int
    idle_port: int
    tls_port: int
    tls_idle_port: int
    raw_tls_port: int


HAPROXY_CONF = """
global
    maxconn 256
defaults
    mode http
    timeout connect 5s
    timeout client 30s
    timeout server 30s
{frontends}
backend origin
    server origin {host}:{origin}
listen raw_tls
    mode tcp
    bind {host}:{raw_tls_port} ssl crt {certificate}
    server upstream {host}:{upstream}
"""

HAPROXY_FRONTEND = """
frontend {name}
    bind {host}:{port}{ssl}
    timeout http-keep-alive {keep_alive}s
    http-response set-header X-Client-Port %[src_port]
    default_backend origin
"""


@contextlib.contextmanager
def run_haproxy(certificate: bytes, origin: int, upstream: int) -> Iterator[Haproxy]:
    """haproxy before the origin on port ``origin`` and the Python upstream
    on port ``upstream``; ``certificate`` is the TLS front ends' PEM (the
    key and the certificate chain)."""
    program = find_program("haproxy")
    with shared_directory("httpcore-haproxy-", None) as root:
        pem = root / "server.pem"
        pem.write_bytes(certificate)
        pem.chmod(0o600)
        ports = reserve_ports(5, ipv6=False)
        port, idle_port, tls_port, tls_idle_port, raw_tls_port = ports
        frontends = [
            ("plain", port, KEEP_ALIVE_TIMEOUT, ""),
            ("plain_idle", idle_port, IDLE_TIMEOUT, ""),
            ("tls", tls_port, KEEP_ALIVE_TIMEOUT, f" ssl crt {pem}"),
            ("tls_idle", tls_idle_port, IDLE_TIMEOUT, f" ssl crt {pem}"),
        ]
        config = HAPROXY_CONF.format(
            host=HOST,
            frontends="".join(
                HAPROXY_FRONTEND.format(
                    name=name, host=HOST, port=p, keep_alive=keep_alive, ssl=ssl
                )
                for name, p, keep_alive, ssl in frontends
            ),
            origin=origin,
            upstream=upstream,
            raw_tls_port=raw_tls_port,
            certificate=pem,
        )
        (root / "haproxy.cfg").write_text(config)
        # -db: in the foreground, no daemon.
        argv = [program, "-db", "-f", str(root / "haproxy.cfg")]
        addresses = [(HOST, p) for p in ports]
        with running(argv, root / "output.log", addresses):
            yield Haproxy(HOST, *ports)


# -- haproxy as a TLS front end for a proxy ------------------------------------
# An HTTPS proxy, as clients meet one: TLS terminated by haproxy in TCP mode,
# the proxy behind it speaking plain HTTP (squid's own https_port needs a
# build with OpenSSL, which Debian's squid package is not).

TLS_FRONT_CONF = """
global
    maxconn 256
defaults
    mode tcp
    timeout connect 5s
    timeout client 30s
    timeout server 30s
listen tls_front
    bind {host}:{port} ssl crt {certificate}
    server proxy {host}:{backend}
"""


@contextlib.contextmanager
def run_tls_front(certificate: bytes, backend: int) -> Iterator[int]:
    """haproxy terminating TLS (``certificate``: the key and the chain, PEM)
    before the plain TCP service on port ``backend``; yields its port."""
    program = find_program("haproxy")
    with shared_directory("httpcore-tls-front-", None) as root:
        pem = root / "front.pem"
        pem.write_bytes(certificate)
        pem.chmod(0o600)
        (port,) = reserve_ports(1, ipv6=False)
        config = TLS_FRONT_CONF.format(
            host=HOST, port=port, certificate=pem, backend=backend
        )
        (root / "haproxy.cfg").write_text(config)
        argv = [program, "-db", "-f", str(root / "haproxy.cfg")]
        with running(argv, root / "output.log", [(HOST, port)]):
            yield port


# -- tinyproxy ----------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Tinyproxy:
    """The running tinyproxy: forwards absolute-form requests to any port,
    tunnels (CONNECT) only to the ports it was given.  It closes the
    client's connection after every forwarded response, without saying so
    (https://github.com/tinyproxy/tinyproxy/issues/563)."""

    host: str
    port: int


TINYPROXY_CONF = """
Port {port}
Listen {host}
Timeout 30
LogLevel Info
PidFile "{root}/tinyproxy.pid"
MaxClients 64
Allow {host}
{connect_ports}
{user}
"""


@contextlib.contextmanager
def run_tinyproxy(connect_ports: tuple[int, ...]) -> Iterator[Tinyproxy]:
    """tinyproxy, tunnelling to ``connect_ports``."""
    program = find_program("tinyproxy")
    account = _account()
    with shared_directory("httpcore-tinyproxy-", account) as root:
        (port,) = reserve_ports(1, ipv6=False)
        config = TINYPROXY_CONF.format(
            host=HOST,
            port=port,
            root=root,
            connect_ports="\n".join(f"ConnectPort {p}" for p in connect_ports),
            user=_user_and_group(account),
        )
        (root / "tinyproxy.conf").write_text(config)
        # -d: in the foreground, logging to its output.
        argv = [program, "-d", "-c", str(root / "tinyproxy.conf")]
        with running(argv, root / "output.log", [(HOST, port)]):
            yield Tinyproxy(HOST, port)
