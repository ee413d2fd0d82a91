"""docs/cli.rst is true: its console examples run, against a local server
with the same paths, and print what the page says; every option of the
command and every exit status is on the page."""

from __future__ import annotations

import http.server
import re
import shlex
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from httpcore_compat._cli._errors import Exit
from httpcore_compat._cli._parser import build_parser

PAGE = Path(__file__).resolve().parent.parent / "docs" / "cli.rst"
DOCS_PORT = "8000"


class DocsHandler(http.server.BaseHTTPRequestHandler):
    """The paths of the examples; no Server or Date fields, so that the
    output is the same on every run."""

    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""

    def _send(self, status: int, body: bytes, fields: dict[str, str]) -> None:
        self.send_response_only(status)
        for name, value in fields.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        if self.path == "/hello.txt":
            self._send(200, b"hello\n", {"Content-Type": "text/plain"})
        elif self.path == "/old":
            self._send(301, b"", {"Location": "/hello.txt"})
        else:
            self._send(404, b"", {})

    def do_POST(self) -> None:
        if self.headers.get("Transfer-Encoding") == "chunked":
            body = b""
            while size := int(self.rfile.readline(), 16):
                body += self.rfile.read(size + 2)[:-2]
            self.rfile.readline()
        else:
            body = self.rfile.read(int(self.headers["Content-Length"]))
        self._send(200, body, {})


@pytest.fixture(scope="module")
def port(serve_http: Callable[[Callable[..., Any]], int]) -> int:
    return serve_http(DocsHandler)


def examples() -> list[tuple[str, list[str]]]:
    """``(command, expected output lines)`` of each ``$`` line in the
    page's ``code-block:: console`` blocks that talk to the local server."""
    found: list[tuple[str, list[str]]] = []
    blocks = re.findall(
        r"^\.\. code-block:: console\n\n((?:   .*\n|\n)+)", PAGE.read_text(), re.M
    )
    for block in blocks:
        for line in block.rstrip("\n").split("\n"):
            text = line[3:]
            if text.startswith("$ "):
                found.append((text[2:], []))
            elif found:
                found[-1][1].append(text)
    return [(command, lines) for command, lines in found if "127.0.0.1" in command]


def pattern(lines: list[str]) -> re.Pattern[str]:
    """The output ``lines`` describe: a line ``...`` stands for any lines, a
    line ending in ``...`` for any line that starts with the rest."""
    parts = []
    for line in lines:
        if line == "...":
            parts.append(r"(?:.*\n)*?")
        elif line.endswith("..."):
            parts.append(re.escape(line[:-3]) + r".*\n")
        else:
            parts.append(re.escape(line) + r"\n")
    return re.compile("".join(parts))


EXAMPLES = examples()


def test_the_page_has_examples() -> None:
    assert len(EXAMPLES) >= 8


@pytest.mark.parametrize(
    ("command", "expected"), EXAMPLES, ids=[c for c, _ in EXAMPLES]
)
def test_console_example(
    port: int, tmp_path: Path, command: str, expected: list[str]
) -> None:
    real = command.replace(f"127.0.0.1:{DOCS_PORT}", f"127.0.0.1:{port}")
    # "httpcore" is the console script; the same program as the interpreter
    # running the tests, where the script may not be installed.
    script = (
        f'httpcore() {{ {shlex.quote(sys.executable)} -m httpcore_compat "$@"; }}\n'
    )
    result = subprocess.run(
        ["bash", "-c", script + real],
        cwd=tmp_path,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        timeout=60,
        check=False,
    )
    output = result.stdout.decode().replace("\r\n", "\n").replace(f":{port}", ":8000")
    if not output.endswith("\n"):
        # A body without a final newline: the console shows the same lines.
        output += "\n"
    assert pattern(expected).fullmatch(output), output


def test_every_option_is_documented() -> None:
    page = PAGE.read_text()
    for action in build_parser()._actions:
        for flag in action.option_strings:
            if flag not in ("-h", "--help"):
                assert re.search(
                    rf"^\.\. option:: .*{re.escape(flag)}\b", page, re.M
                ) or (f"\n.. option:: {flag}" in page), flag


def test_every_exit_status_is_documented() -> None:
    page = PAGE.read_text()
    table = {int(code) for code in re.findall(r"^``(\d+)``\s", page, re.M)}
    assert table == {status.value for status in Exit}
