# How the peer tests run a real server or proxy: find the program (skip
# without it, fail on CI), reserve free loopback ports, give it a directory
# its unprivileged user can use, start it and wait until every address
# accepts connections, and stop it at the end.  conftest.py imports this
# module by path (``--import-mode=importlib`` keeps this directory off
# ``sys.path``).
from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

STARTUP_TIMEOUT = 30.0
STOP_TIMEOUT = 10.0
IPV6 = "::1"


def find_program(name: str) -> str:
    """The path of ``name`` (also searched in the sbin directories, which a
    non-root PATH may lack); skips the test, or fails it on CI, if missing.
    Every program the peer tests run is in the apt package of its name."""
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


def unprivileged_user() -> pwd.struct_passwd:
    """The account a program started as root runs as (squid refuses root;
    apache2's and tinyproxy's workers should not keep it)."""
    for name in ("proxy", "squid", "nobody"):
        with contextlib.suppress(KeyError):
            return pwd.getpwnam(name)
    raise RuntimeError("no proxy, squid or nobody user for the peers to run as")


@contextlib.contextmanager
def shared_directory(prefix: str, owner: pwd.struct_passwd | None) -> Iterator[Path]:
    """A temporary directory, removed at the end, that everyone can read
    (and ``owner``, if given, write).  Not under pytest's temporary
    directory, which only its creator can enter: as root, the peers read
    their files and write their logs as an unprivileged user."""
    root = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        if owner is not None:
            os.chown(root, owner.pw_uid, owner.pw_gid)
        root.chmod(0o755)
        yield root
    finally:
        shutil.rmtree(root)


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
