"""The consumers session's hook in every interpreter of its environment.

run_consumers.py copies this file into the environment's site-packages as
``httpcore_consumers_hook.py``, beside ``httpcore_consumers_hook.pth`` (the
line ``import httpcore_consumers_hook``), so that it runs while ``site``
starts each interpreter of that environment: before the test runner or
anything else imports ``http.client``, and in every child process a test
starts (a CGI script, a server in a subprocess). It reads three environment
variables and does nothing without them:

- ``HTTPCORE_CONSUMERS_SWAP=1``: ``httpcore_compat.install()``.
- ``HTTPCORE_CONSUMERS_MARKER=FILE``: one JSON line appended to FILE when the
  process starts and one when it exits, with its pid, its command line and
  the module that ``sys.modules["http.client"]`` then is (and, where urllib3
  was imported, whether its connection class is built on that module). The
  runner reads them back to prove which http.client each pass ran on.
- ``HTTPCORE_CONSUMERS_DESELECT=FILE``, with the module given to pytest as
  a plugin (``-p httpcore_consumers_hook``): FILE is a JSON list of node-id
  patterns (``*`` matches anything) whose tests are deselected; how many
  tests each pattern matched is written to FILE + ``.matched``.

It imports nothing heavy unless asked: it runs in every interpreter of the
environment, pip's included. PYTEST_DONT_REWRITE: imported before pytest
starts, it cannot be rewritten (and has no asserts).
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pytest

SWAP = "HTTPCORE_CONSUMERS_SWAP"
MARKER = "HTTPCORE_CONSUMERS_MARKER"
DESELECT = "HTTPCORE_CONSUMERS_DESELECT"


def _urllib3_on_http_client() -> bool | None:
    """Whether urllib3's HTTPConnection derives from the http.client in
    sys.modules now; None where urllib3 was not imported."""
    connection = sys.modules.get("urllib3.connection")
    client = sys.modules.get("http.client")
    if connection is None or client is None:
        return None
    return issubclass(connection.HTTPConnection, client.HTTPConnection)


def _record(event: str) -> None:
    path = os.environ.get(MARKER)
    if not path:
        return
    import json

    client = sys.modules.get("http.client")
    line = {
        "event": event,
        "pid": os.getpid(),
        "ppid": os.getppid(),
        "argv": list(sys.orig_argv),
        "http_client": None if client is None else client.__name__,
        "urllib3_on_http_client": _urllib3_on_http_client(),
    }
    with open(path, "a", encoding="utf-8") as marker:
        marker.write(json.dumps(line) + "\n")


def _start() -> None:
    if os.environ.get(SWAP) == "1":
        import httpcore_compat

        httpcore_compat.install()
    if os.environ.get(MARKER):
        import atexit

        _record("start")
        atexit.register(_record, "exit")


def _matches(pattern: str, nodeid: str) -> bool:
    # Only "*" is special: node ids hold "[" and "]" (parameters), which
    # fnmatch would read as character classes.
    import re

    regex = ".*".join(re.escape(part) for part in pattern.split("*"))
    return re.fullmatch(regex, nodeid) is not None


def pytest_collection_modifyitems(
    config: pytest.Config, items: list[pytest.Item]
) -> None:
    """Deselect the tests that the file named by HTTPCORE_CONSUMERS_DESELECT
    lists, and write down how many tests each of its patterns matched."""
    path = os.environ.get(DESELECT)
    if not path:
        return
    import json

    with open(path, encoding="utf-8") as listing:
        patterns: list[str] = json.load(listing)
    matched = dict.fromkeys(patterns, 0)
    kept: list[pytest.Item] = []
    dropped: list[pytest.Item] = []
    for item in items:
        hits = [pattern for pattern in patterns if _matches(pattern, item.nodeid)]
        for pattern in hits:
            matched[pattern] += 1
        (dropped if hits else kept).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept
    with open(path + ".matched", "w", encoding="utf-8") as out:
        json.dump(matched, out)


_start()
