"""The build of the packages with a compiled accelerator (setuptools, from
each package's setup.py): a wheel with the accelerator where a compiler
works, and one without it (the package's Python code in its place) where
none does; a pure Python wheel when HTTPCORE_NO_EXTENSIONS asks for one;
a failed build when HTTPCORE_REQUIRE_EXTENSIONS demands the accelerator;
the compiler flags of the environment reach the compiler.

Each case builds the wheel with pip (setuptools from this environment, no
network) from a copy of the package's tree, since setuptools keeps what it
compiled in build/ and would reuse it, and looks inside it.
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

PACKAGES = Path(__file__).resolve().parent.parent / "packages"
SUFFIX = sysconfig.get_config_var("EXT_SUFFIX")
NO_COMPILER = "/nonexistent/cc"
# Each package with an accelerator, and a call that shows its module at
# work, with what the call prints.
ACCELERATED = {
    "httpcore-headers": (
        "import httpcore_headers; from httpcore_headers import _parse;"
        "assert httpcore_headers.accelerated();"
        "print(_parse.crlf_fields(b'A: 1\\r\\n\\r\\n', 0, 99, 9, None))",
        "([('A', '1')], 8)",
    ),
    "httpcore-wire": (
        "import httpcore_wire;"
        "assert httpcore_wire.accelerated();"
        "print(httpcore_wire.compact_chunks(bytearray(b'2\\r\\nab\\r\\n'), None))",
        "ChunkCompaction(data=2, used=7, chunk_left=None, last=False)",
    ),
}
package_names = pytest.mark.parametrize("package", sorted(ACCELERATED))


def _build(
    tmp_path: Path, package: str, **env: str
) -> subprocess.CompletedProcess[str]:
    """``pip wheel`` of a fresh copy of the package into tmp_path, with
    ``env`` on top of an environment cleared of the build's own variables."""
    environ = {
        key: value
        for key, value in os.environ.items()
        if key not in {"HTTPCORE_NO_EXTENSIONS", "HTTPCORE_REQUIRE_EXTENSIONS"}
    }
    environ.update(env)
    source = tmp_path / "source"
    shutil.copytree(
        PACKAGES / package,
        source,
        ignore=shutil.ignore_patterns("build", "*.egg-info", "*.so", "__pycache__"),
    )
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--no-cache-dir",
            # The backend's own output too.
            "--verbose",
            "--wheel-dir",
            str(tmp_path),
            str(source),
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


def _module(package: str) -> str:
    return package.replace("-", "_") + "/_speedups"


def _compiler_works() -> bool:
    cc = os.environ.get("CC") or sysconfig.get_config_var("CC") or ""
    return bool(cc) and shutil.which(cc.split()[0]) is not None


@package_names
@pytest.mark.skipif(
    not _compiler_works() and not os.environ.get("HTTPCORE_REQUIRE_EXTENSIONS"),
    reason="no C compiler here",
)
def test_a_compiler_gives_the_accelerator(tmp_path: Path, package: str) -> None:
    result = _build(tmp_path, package)
    assert result.returncode == 0, result.stderr
    name, files = _wheel(tmp_path)
    tag = f"cp{sys.version_info.major}{sys.version_info.minor}"
    assert f"-{tag}-{tag}-" in name, name
    assert _module(package) + SUFFIX in files
    assert _module(package) + ".c" not in files
    # The module it carries is the one the package uses.
    unpacked = tmp_path / "site"
    with zipfile.ZipFile(tmp_path / name) as archive:
        archive.extractall(unpacked)
    probe, expected = ACCELERATED[package]
    path = f"import sys; sys.path.insert(0, {str(unpacked)!r});"
    used = subprocess.run(
        [sys.executable, "-I", "-c", path + probe],
        capture_output=True,
        text=True,
        check=False,
    )
    assert used.stdout.strip() == expected, used.stderr


@package_names
def test_a_pure_python_wheel_on_request(tmp_path: Path, package: str) -> None:
    result = _build(tmp_path, package, HTTPCORE_NO_EXTENSIONS="1")
    assert result.returncode == 0, result.stderr
    name, files = _wheel(tmp_path)
    assert name.endswith("-py3-none-any.whl"), name
    assert not [file for file in files if file.endswith(SUFFIX)]
    assert package.replace("-", "_") + "/__init__.py" in files


@package_names
def test_without_a_compiler_the_wheel_has_no_accelerator(
    tmp_path: Path, package: str
) -> None:
    # setuptools' optional extension: the build says why and goes on.
    result = _build(tmp_path, package, CC=NO_COMPILER, LDSHARED=NO_COMPILER)
    assert result.returncode == 0, result.stderr
    module = package.replace("-", "_") + "._speedups"
    assert f'building extension "{module}" failed' in result.stdout + result.stderr
    name, files = _wheel(tmp_path)
    assert not [file for file in files if file.endswith(SUFFIX)], name
    assert package.replace("-", "_") + "/__init__.py" in files


@package_names
@pytest.mark.parametrize(
    "env",
    [
        {"CC": NO_COMPILER, "LDSHARED": NO_COMPILER},
        # The environment's flags reach the compiler: this one cannot work.
        {"CFLAGS": "-include /nonexistent/httpcore-flag-check.h"},
    ],
    ids=["without a compiler", "CFLAGS"],
)
def test_require_extensions_fails_when_the_compiler_does(
    tmp_path: Path, package: str, env: dict[str, str]
) -> None:
    result = _build(tmp_path, package, HTTPCORE_REQUIRE_EXTENSIONS="1", **env)
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert env.get("CC", "httpcore-flag-check.h") in output
    assert not list(tmp_path.glob("*.whl"))
