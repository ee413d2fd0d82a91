"""Real libraries on top of httpcore_compat.install(): urllib3 and requests.

Each scenario runs in a fresh interpreter, because install() must come
before urllib3 is imported (urllib3 subclasses http.client's classes at
import time). The server is the example chunked server on loopback, so
bodies are both Content-Length and chunked; urllib3 reads chunked bodies by
driving ``response.fp`` and ``_safe_read`` itself, which this exercises.
"""

from __future__ import annotations

import importlib.util
import socket
import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

EXAMPLE = (
    Path(__file__).resolve().parent.parent / "docs" / "examples" / "chunked_server.py"
)

pytest.importorskip(
    "urllib3", reason="the 'libraries' dependency group is not installed"
)
pytest.importorskip(
    "requests", reason="the 'libraries' dependency group is not installed"
)


@pytest.fixture(scope="module")
def server() -> Iterator[int]:
    spec = importlib.util.spec_from_file_location("chunked_server_lib", EXAMPLE)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    listener = socket.create_server(("127.0.0.1", 0))
    thread = threading.Thread(
        target=module.serve_forever, args=(listener,), daemon=True
    )
    thread.start()
    yield listener.getsockname()[1]
    listener.shutdown(socket.SHUT_RDWR)
    listener.close()
    thread.join(timeout=10)


PRELUDE = """
import hashlib, sys
import httpcore_compat
httpcore_compat.install()
import http.client, urllib3, requests
assert http.client is httpcore_compat
assert issubclass(urllib3.connection.HTTPConnection, httpcore_compat.HTTPConnection)
PATTERN = bytes(range(256))
def pattern(chunks, size):
    return (PATTERN * (size // 256 + 1))[:size] * chunks
base = f"http://127.0.0.1:{PORT}"
"""

SCENARIOS = {
    "requests keep-alive chunked downloads": """
session = requests.Session()
for _ in range(3):
    response = session.get(base + "/stream?chunks=200&size=1000")
    assert response.status_code == 200
    assert response.content == pattern(200, 1000)
""",
    "requests streaming with iter_content": """
response = requests.get(base + "/stream?chunks=64&size=16384", stream=True)
assert b"".join(response.iter_content(777)) == pattern(64, 16384)
""",
    "requests chunked upload from a generator": """
response = requests.post(base + "/echo", data=iter([b"abc"] * 1000))
assert response.content == b"abc" * 1000
""",
    "urllib3 read_chunked reuses one connection": """
pool = urllib3.HTTPConnectionPool("127.0.0.1", PORT, maxsize=1)
for _ in range(3):
    response = pool.request("GET", "/stream?chunks=50&size=3000", preload_content=False)
    assert b"".join(response.read_chunked()) == pattern(50, 3000)
    response.release_conn()
assert pool.num_connections == 1, pool.num_connections
""",
    "urllib3 preload and stream": """
pool = urllib3.PoolManager()
response = pool.request("GET", base + "/stream?chunks=10&size=100")
assert response.data == pattern(10, 100)
response = pool.request("POST", base + "/echo", body=b"x" * 70000)
assert response.data == b"x" * 70000
""",
}


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_library_on_httpcore(server: int, name: str) -> None:
    script = f"PORT = {server}\n" + PRELUDE + textwrap.dedent(SCENARIOS[name])
    done = subprocess.run(
        [sys.executable, "-c", script + "\nprint('ok')"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().endswith("ok")
