"""The example in each package's README (shown on its package index page)
runs and does what it says.

The first ```python block of every ``packages/*/README.md`` runs in a fresh
interpreter with warnings as errors, as a reader would paste it.

Convention for examples that need a server: they talk to an HTTP server on
127.0.0.1 whose port is set on a line of its own, ``PORT = 8000``, the port
``python3 -m http.server`` listens on (the README says to run it in another
terminal). This test serves a directory the same way on a free loopback
port and puts that port on that line; nothing else in the example is
changed. Examples without such a line (headers, wire) are bytes in, bytes
out and run as they are.
"""

from __future__ import annotations

import functools
import http.server
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

PACKAGES = Path(__file__).resolve().parent.parent / "packages"
READMES = sorted(PACKAGES.glob("*/README.md"))
PORT_LINE = re.compile(r"^PORT = 8000\b", re.MULTILINE)


def first_python_block(readme: Path) -> str:
    match = re.search(r"^```python\n(.*?)^```$", readme.read_text(), re.S | re.M)
    assert match is not None, f"{readme} has no ```python block"
    return match.group(1)


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        """No access log on the test's output."""


@pytest.fixture(scope="module")
def port(
    tmp_path_factory: pytest.TempPathFactory,
    serve_http: Callable[[Callable[..., Any]], int],
) -> int:
    root = tmp_path_factory.mktemp("served")
    (root / "index.html").write_text("<!doctype html><title>README</title>hello\n")
    return serve_http(functools.partial(QuietHandler, directory=str(root)))


def test_every_package_has_a_readme() -> None:
    assert [readme.parent.name for readme in READMES] == [
        "httpcore-client",
        "httpcore-compat",
        "httpcore-headers",
        "httpcore-wire",
    ]


@pytest.mark.parametrize("readme", READMES, ids=lambda path: path.parent.name)
def test_readme_example_runs(readme: Path, port: int, tmp_path: Path) -> None:
    code = first_python_block(readme)
    assert len(code.splitlines()) <= 15, "the README example should stay short"
    code, replaced = PORT_LINE.subn(f"PORT = {port}", code)
    assert replaced <= 1
    done = subprocess.run(
        [sys.executable, "-W", "error", "-c", code],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stderr == ""
    if replaced:
        assert "200" in done.stdout
