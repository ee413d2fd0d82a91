"""httpcore-headers' build hook (packages/httpcore-headers/hatch_build.py):
a wheel with the compiled accelerator where a compiler works, a pure Python
wheel where none does or when HTTPCORE_NO_EXTENSIONS asks for one, and a
failed build when HTTPCORE_REQUIRE_EXTENSIONS demands the accelerator.

Each case builds the wheel from the checkout with pip (hatchling from this
environment, no network) and looks inside it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

HEADERS = Path(__file__).resolve().parent.parent / "packages" / "httpcore-headers"
SUFFIX = sysconfig.get_config_var("EXT_SUFFIX")
NO_COMPILER = "/nonexistent/cc"


def _build(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """``pip wheel`` of httpcore-headers into tmp_path, with ``env`` on top
    of an environment cleared of the hook's own variables."""
    environ = {
        key: value
        for key, value in os.environ.items()
        if key not in {"HTTPCORE_NO_EXTENSIONS", "HTTPCORE_REQUIRE_EXTENSIONS"}
    }
    environ.update(env)
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--wheel-dir",
            str(tmp_path),
            str(HEADERS),
        ],
        env=environ,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def _wheel(tmp_path: Path) -> tuple[str, list[str]]:
    (wheel,) = tmp_path.glob("*.whl")
    with zipfile.ZipFile(wheel) as archive:
        return wheel.name, archive.namelist()


def _compiler_works() -> bool:
    cc = os.environ.get("CC") or sysconfig.get_config_var("CC") or ""
    return bool(cc) and shutil.which(cc.split()[0]) is not None


@pytest.mark.skipif(
    not _compiler_works() and not os.environ.get("HTTPCORE_REQUIRE_EXTENSIONS"),
    reason="no C compiler here",
)
def test_a_compiler_gives_the_accelerator(tmp_path: Path) -> None:
    result = _build(tmp_path)
    assert result.returncode == 0, result.stderr
    name, files = _wheel(tmp_path)
    tag = f"cp{sys.version_info.major}{sys.version_info.minor}"
    assert f"-{tag}-{tag}-" in name, name
    assert f"httpcore_headers/_speedups{SUFFIX}" in files
    assert "httpcore_headers/_speedups.c" not in files
    # The module it carries is the one the package uses.
    unpacked = tmp_path / "site"
    with zipfile.ZipFile(tmp_path / name) as archive:
        archive.extractall(unpacked)
    probe = (
        "from httpcore_headers import _parse, _speedups;"
        "assert _parse.crlf_fields is _speedups.crlf_fields;"
        "print(_parse.crlf_fields(b'A: 1\\r\\n\\r\\n', 0, 99, 9, None))"
    )
    path = f"import sys; sys.path.insert(0, {str(unpacked)!r});"
    used = subprocess.run(
        [sys.executable, "-I", "-c", path + probe],
        capture_output=True,
        text=True,
        check=False,
    )
    assert used.stdout.strip() == "([('A', '1')], 8)", used.stderr


@pytest.mark.parametrize(
    "env",
    [{"CC": NO_COMPILER}, {"HTTPCORE_NO_EXTENSIONS": "1"}],
    ids=["without a compiler", "HTTPCORE_NO_EXTENSIONS"],
)
def test_a_pure_python_wheel_otherwise(tmp_path: Path, env: dict[str, str]) -> None:
    result = _build(tmp_path, **env)
    assert result.returncode == 0, result.stderr
    name, files = _wheel(tmp_path)
    assert name.endswith("-py3-none-any.whl"), name
    assert not [file for file in files if "_speedups" in file and file.endswith(SUFFIX)]
    assert "httpcore_headers/_parse.py" in files


def test_require_extensions_fails_without_a_compiler(tmp_path: Path) -> None:
    result = _build(tmp_path, CC=NO_COMPILER, HTTPCORE_REQUIRE_EXTENSIONS="1")
    assert result.returncode != 0
    assert "cannot build httpcore_headers/_speedups" in result.stdout + result.stderr
    assert not list(tmp_path.glob("*.whl"))
