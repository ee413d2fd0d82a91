"""``nox -s demo``'s script (docs/examples/client_demo.py), run as the
session runs it: every step must report its result and the script must
exit 0."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

DEMO = Path(__file__).resolve().parent.parent / "docs" / "examples" / "client_demo.py"
STEPS = [
    "1. Keep-alive: three GETs on one HTTPConnection",
    "2. POST of 100000 bytes",
    "3. Chunked upload: 40 pieces from a generator",
    "4. Streamed download of 32 MiB with the httpcore command",
    "5. HTTPS to 127.0.0.1:",
    "6. Tunnels through the CONNECT proxy",
    "7. httpcore_compat.install(): urllib.request on httpcore",
]


def test_demo_runs_every_step() -> None:
    result = subprocess.run(
        [sys.executable, str(DEMO)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    numbered = [line for line in lines if re.match(r"\d\. ", line)]
    assert len(numbered) == len(STEPS)
    for line, step in zip(numbered, STEPS, strict=True):
        assert line.startswith(step)
    assert sum("[ok]" in line for line in lines) == 8
    assert "[FAILED]" not in result.stdout
    assert lines[-1] == "demo: every step gave the expected bytes"
    # Step 1 shows one local port for all three requests.
    ports = set(re.findall(r"local port (\d+)", result.stdout))
    assert len(ports) == 1
    # Step 4's progress bar, forced on although stderr is not a terminal.
    assert "download: 100%" in result.stderr
    assert "32.0M/32.0M" in result.stderr
