# The httpcore command (python -m httpcore_compat) against real peers: files
# and uploads on nginx, TLS verified with the trustme CA (and refused
# without it), squid as a forwarding proxy for http:// URLs (absolute form,
# as curl sends them: a default squid tunnels to port 443 only) and as a
# tunnel to TLS nginx, proxies taken from the environment, and a tunnel
# squid refuses.  The command runs as a subprocess; its exit status and
# one-line message are checked for every failure.
from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from conftest import Nginx, Squid, Tls, TlsSquid

TIMEOUT = 120


def httpcore(
    *args: str | Path, stdin: bytes | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[bytes]:
    """Run the command; without the proxies of the test's own environment,
    with ``env`` added."""
    environment = {
        name: value
        for name, value in os.environ.items()
        if not name.lower().endswith("_proxy")
    }
    return subprocess.run(
        [sys.executable, "-m", "httpcore_compat", "--timeout", "30", *map(str, args)],
        input=stdin if stdin is not None else b"",
        capture_output=True,
        timeout=TIMEOUT,
        check=False,
        env={**environment, **(env or {})},
    )


def failed(result: subprocess.CompletedProcess[bytes], status: int) -> str:
    assert result.returncode == status, result.stderr
    assert result.stdout == b""
    assert b"Traceback" not in result.stderr
    (line,) = result.stderr.decode().splitlines()
    return line


@pytest.fixture(scope="module")
def ca_file(tls: Tls, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli-ca") / "ca.pem"
    tls.ca.cert_pem.write_to_path(str(path))
    return path


def url(nginx: Nginx, path: str, tls: bool = False, host: str = "") -> str:
    port = nginx.tls_port if tls else nginx.port
    return f"{'https' if tls else 'http'}://{host or nginx.host}:{port}{path}"


def test_files_from_nginx(nginx: Nginx, tmp_path: Path) -> None:
    small, big = nginx.samples["small.txt"], nginx.samples["big.bin"]
    result = httpcore(url(nginx, small.path))
    assert (result.returncode, result.stdout, result.stderr) == (0, small.data, b"")
    result = httpcore("-o", tmp_path / "big.bin", url(nginx, big.path))
    assert result.returncode == 0
    assert hashlib.sha256((tmp_path / "big.bin").read_bytes()).hexdigest() == big.sha256
    mid = nginx.samples["mid.bin"]
    assert httpcore(url(nginx, mid.chunked_path)).stdout == mid.chunked_data
    head = httpcore("-I", url(nginx, small.path)).stdout
    assert head.startswith(b"HTTP/1.1 200 OK\r\n")
    assert f"Content-Length: {len(small.data)}\r\n".encode() in head


def test_uploads_to_nginx(nginx: Nginx, tmp_path: Path) -> None:
    mid = nginx.samples["mid.bin"]
    (tmp_path / "mid.bin").write_bytes(mid.data)
    sent = httpcore(
        "-X", "PUT", "--data-binary", f"@{tmp_path / 'mid.bin'}",
        url(nginx, "/dav/cli/file.bin"),
    )  # fmt: skip
    assert sent.returncode == 0, sent.stderr
    assert httpcore(url(nginx, "/dav/cli/file.bin")).stdout == mid.data
    # From a pipe: chunked, which nginx reassembles.
    piped = httpcore(
        "-X", "PUT", "-d", "@-", url(nginx, "/dav/cli/pipe.bin"), stdin=mid.data
    )
    assert piped.returncode == 0, piped.stderr
    assert httpcore(url(nginx, "/dav/cli/pipe.bin")).stdout == mid.data
    echoed = httpcore("-d", "name=httpcore", url(nginx, "/echo"))
    assert echoed.stdout == b"name=httpcore"


def test_https_verified_with_cacert(nginx: Nginx, ca_file: Path) -> None:
    small = nginx.samples["small.txt"]
    for host in ("127.0.0.1", "localhost"):
        result = httpcore("--cacert", ca_file, url(nginx, small.path, True, host))
        assert (result.returncode, result.stdout) == (0, small.data)


def test_https_refused_without_the_ca(nginx: Nginx) -> None:
    message = failed(httpcore(url(nginx, "/files/small.txt", tls=True)), 60)
    assert message == (
        f"httpcore: TLS certificate verification failed for 127.0.0.1:"
        f"{nginx.tls_port}: unable to get local issuer certificate"
    )


def test_https_wrong_name_refused(nginx: Nginx, ca_file: Path) -> None:
    target = f"https://localhost:{nginx.wrong_name_port}/files/small.txt"
    message = failed(httpcore("--cacert", ca_file, target), 60)
    assert "Hostname mismatch" in message


def test_https_insecure(nginx: Nginx) -> None:
    small = nginx.samples["small.txt"]
    result = httpcore("--insecure", url(nginx, small.path, tls=True))
    assert (result.returncode, result.stdout) == (0, small.data)


def test_http_through_squid_in_absolute_form(nginx: Nginx, squid: Squid) -> None:
    # squid forwards it (its Via field shows) to a port it would not
    # tunnel to: the request was not a CONNECT.
    small = nginx.samples["small.txt"]
    target = f"http://127.0.0.1:{squid.refused_port}{small.path}"
    result = httpcore("-v", "-i", "-x", f"{squid.host}:{squid.port}", target)
    assert result.returncode == 0, result.stderr
    head, _, body = result.stdout.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200 OK\r\n")
    assert b"\r\nVia: 1.1 httpcore-test-proxy" in head
    assert body == small.data
    stderr = result.stderr.decode()
    assert f"send: b'GET {target} HTTP/1.1" in stderr
    assert "CONNECT" not in stderr


@pytest.mark.parametrize("tls_inside", [False, True], ids=["http", "https"])
def test_tunnel_through_squid(
    nginx: Nginx, squid: Squid, ca_file: Path, tls_inside: bool
) -> None:
    # https:// always tunnels; -p makes http:// tunnel too.
    mid = nginx.samples["mid.bin"]
    result = httpcore(
        "-v", "-p", "--proxy", f"{squid.host}:{squid.port}", "--cacert", ca_file,
        url(nginx, mid.path, tls_inside, "localhost"),
    )  # fmt: skip
    assert (result.returncode, result.stdout) == (0, mid.data), result.stderr
    stderr = result.stderr.decode()
    assert f"via proxy {squid.host}:{squid.port}" in stderr
    assert "* tunnel open" in stderr
    assert ("* TLS: TLSv1." in stderr) is tls_inside


@pytest.mark.parametrize("tls_inside", [False, True], ids=["http", "https"])
def test_proxy_from_the_environment(
    nginx: Nginx, squid: Squid, ca_file: Path, tls_inside: bool
) -> None:
    small = nginx.samples["small.txt"]
    proxy = f"http://{squid.host}:{squid.port}"
    target = url(nginx, small.path, tls_inside, "localhost")
    env = {"https_proxy" if tls_inside else "http_proxy": proxy}
    result = httpcore("-v", "--cacert", ca_file, target, env=env)
    assert (result.returncode, result.stdout) == (0, small.data), result.stderr
    assert f"via proxy {squid.host}:{squid.port}" in result.stderr.decode()
    # no_proxy sends it direct.
    direct = httpcore(
        "-v", "--cacert", ca_file, target, env={**env, "no_proxy": "localhost"}
    )
    assert (direct.returncode, direct.stdout) == (0, small.data), direct.stderr
    assert "via proxy" not in direct.stderr.decode()


@pytest.mark.parametrize(
    ("tls_inside", "tunnel"),
    [(False, False), (False, True), (True, True)],
    ids=["http-absolute", "http-tunnel", "https"],
)
def test_https_proxy(
    nginx: Nginx,
    tls_squid: TlsSquid,
    ca_file: Path,
    tmp_path: Path,
    tls_inside: bool,
    tunnel: bool,
) -> None:
    # The proxy's CA is not the origin's: each is verified with its own.
    tls_squid.ca.cert_pem.write_to_path(str(tmp_path / "proxy-ca.pem"))
    small = nginx.samples["small.txt"]
    proxy = f"https://localhost:{tls_squid.port}"
    target = url(nginx, small.path, tls_inside, "localhost")
    args: list[str | Path] = ["-x", proxy, "--cacert", ca_file, target]
    if tunnel:
        args.insert(0, "-p")
    result = httpcore("-v", "--proxy-cacert", tmp_path / "proxy-ca.pem", *args)
    assert (result.returncode, result.stdout) == (0, small.data), result.stderr
    how = "a tunnel" if tunnel else "absolute form"
    assert f"via proxy localhost:{tls_squid.port} ({how})" in result.stderr.decode()
    # Without the proxy's CA: its certificate fails, and -k (the origin's)
    # does not change that; --proxy-insecure does.
    message = failed(httpcore("-k", *args), 60)
    assert message.startswith(
        f"httpcore: TLS certificate verification failed for proxy "
        f"localhost:{tls_squid.port}: "
    )
    insecure = httpcore("--proxy-insecure", *args)
    assert (insecure.returncode, insecure.stdout) == (0, small.data)


@pytest.mark.parametrize("tls_inside", [False, True], ids=["http", "https"])
def test_tunnel_refused_by_squid(squid: Squid, ca_file: Path, tls_inside: bool) -> None:
    scheme = "https" if tls_inside else "http"
    target = f"{scheme}://127.0.0.1:{squid.refused_port}/files/small.txt"
    proxy = f"{squid.host}:{squid.port}"
    result = httpcore("-p", "--proxy", proxy, "--cacert", ca_file, target)
    assert failed(result, 56) == (
        f"httpcore: proxy {proxy} refused the tunnel to "
        f"127.0.0.1:{squid.refused_port}: 403 Forbidden"
    )
