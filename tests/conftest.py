# Servers on loopback shared by the cross-package tests: the server author's
# chunked example (docs/examples/chunked_server.py) and http.server with a
# handler of the test's choosing. tests/peers/conftest.py adds the real ones.
from __future__ import annotations

import http.server
import importlib.util
import socket
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

EXAMPLES = Path(__file__).resolve().parent.parent / "docs" / "examples"


@pytest.fixture(scope="session")
def chunked_example() -> ModuleType:
    """docs/examples/chunked_server.py, imported from its file."""
    spec = importlib.util.spec_from_file_location(
        "chunked_server", EXAMPLES / "chunked_server.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def chunked_server(chunked_example: ModuleType) -> Iterator[int]:
    """The chunked example serving on 127.0.0.1; its port."""
    listener = socket.create_server(("127.0.0.1", 0))
    thread = threading.Thread(
        target=chunked_example.serve_forever, args=(listener,), daemon=True
    )
    thread.start()
    yield listener.getsockname()[1]
    # shutdown() wakes the accept() blocked in the server thread; close() alone
    # does not on Linux.
    listener.shutdown(socket.SHUT_RDWR)
    listener.close()
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def serve_http() -> Iterator[Callable[[Callable[..., Any]], int]]:
    """Starts ``http.server.ThreadingHTTPServer`` on 127.0.0.1 with a handler
    (class or factory) and returns its port; every server started is stopped
    at the end of the module."""
    started: list[tuple[http.server.ThreadingHTTPServer, threading.Thread]] = []

    def start(handler: Callable[..., Any]) -> int:
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        server.daemon_threads = True
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        started.append((server, thread))
        return int(server.server_address[1])

    yield start
    for server, thread in started:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
