"""Every public name of the four packages is documented, and the docs'
example scripts run.

``docs/check_coverage.py`` does the checking; the ``docs`` nox session runs
it on the inventory of the built HTML too. Here it reads the ``.rst``
sources, so the check needs no Sphinx. The example scripts are run as the
guides tell readers to run them, in a fresh interpreter, against servers
they start on 127.0.0.1.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import zlib
from pathlib import Path
from types import ModuleType

import pytest

DOCS = Path(__file__).resolve().parent.parent / "docs"


def _load_checker() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "check_coverage", DOCS / "check_coverage.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


checker = _load_checker()


def test_every_public_name_is_documented() -> None:
    assert checker.missing(checker.source_names(DOCS)) == []


def test_public_names_cover_each_package() -> None:
    names = checker.public_names()
    for expected in (
        "httpcore_headers.parse_headers",
        "httpcore_wire.ChunkedDecoder",
        "httpcore_client.HTTPConnection",
        "httpcore_compat.error",
        "httpcore_compat.install",
    ):
        assert expected in names


def test_an_undocumented_name_is_reported(tmp_path: Path) -> None:
    (tmp_path / "page.rst").write_text(
        ".. module:: httpcore_wire\n\n"
        ".. autoclass:: ChunkedDecoder\n\n"
        ".. exception:: HTTPException\n"
        "               LineTooLong\n\n"
        "   Re-exported.\n",
        encoding="utf-8",
    )
    documented = checker.source_names(tmp_path)
    assert documented == {
        "httpcore_wire.ChunkedDecoder",
        "httpcore_wire.HTTPException",
        "httpcore_wire.LineTooLong",
    }
    names = {"httpcore_wire.ChunkedDecoder", "httpcore_wire.ChunkedEncoder"}
    assert checker.missing(documented, names) == ["httpcore_wire.ChunkedEncoder"]
    assert checker.main([str(tmp_path)]) == 1


def test_inventory_is_read(tmp_path: Path) -> None:
    entries = (
        "httpcore_wire.ChunkedDecoder py:class 1 packages/wire.html#$ -\n"
        "httpcore_wire.ChunkedDecoder.feed py:method 1 packages/wire.html#$ -\n"
        "limits std:label -1 guides/limits.html#limits Limits\n"
    )
    inventory = tmp_path / "objects.inv"
    inventory.write_bytes(
        b"# Sphinx inventory version 2\n# Project: httpcore\n# Version: 0\n"
        b"# The remainder of this file is compressed using zlib.\n"
        + zlib.compress(entries.encode())
    )
    assert checker.inventory_names(inventory) == {
        "httpcore_wire.ChunkedDecoder",
        "httpcore_wire.ChunkedDecoder.feed",
    }
    assert checker.main([str(inventory)]) == 1


def _run_example(name: str) -> str:
    done = subprocess.run(
        [sys.executable, "-W", "error", str(DOCS / "examples" / name)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stderr == ""
    return done.stdout


def test_libraries_example() -> None:
    pytest.importorskip("urllib3", reason="the 'libraries' group is not installed")
    pytest.importorskip("requests", reason="the 'libraries' group is not installed")
    assert "ran on httpcore" in _run_example("libraries.py")


def test_tls_and_proxies_example() -> None:
    pytest.importorskip("trustme", reason="the 'tls' group is not installed")
    assert "every check passed" in _run_example("tls_and_proxies.py")


@pytest.mark.skipif(sys.platform != "linux", reason="the dead address is Linux's")
def test_happy_eyeballs_example() -> None:
    # The example asserts the times itself.
    assert "one address at a time: " in _run_example("happy_eyeballs.py")
