"""The build hook of the packages with a compiled accelerator
(packages/*/hatch_build.py): a wheel with the accelerator where a compiler
works, a pure Python wheel where none does or when HTTPCORE_NO_EXTENSIONS
asks for one, and a failed build when HTTPCORE_REQUIRE_EXTENSIONS demands
the accelerator.

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

PACKAGES = Path(__file__).resolve().parent.parent / "packages"
SUFFIX = sysconfig.get_config_var("EXT_SUFFIX")
NO_COMPILER = "/nonexistent/cc"
# Each package with an accelerator, and a call that shows its module at
# work, with what the call prints.
ACCELERATED = {
    "httpcore-headers": (
        "from httpcore_headers import _parse, _speedups;"
        "assert _parse.crlf_fields is _speedups.crlf_fields;"
        "print(_parse.crlf_fields(b'A: 1\\r\\n\\r\\n', 0, 99, 9, None))",
        "([('A', '1')], 8)",
    ),
    "httpcore-wire": (
        "from httpcore_wire import _framing, _speedups;"
        "assert _framing._compiled is _speedups.response_framing;"
        "print(_framing._compiled('GET', 200, 11, [('Content-Length', '7')]))",
        "(False, 7, False)",
    ),
}
package_names = pytest.mark.parametrize("package", sorted(ACCELERATED))


def _build(
    tmp_path: Path, package: str, **env: str
) -> subprocess.CompletedProcess[str]:
    """``pip wheel`` of the package into tmp_path, with ``env`` on top of an
    environment cleared of the hook's own variables."""
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
            str(PACKAGES / package),
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


def test_every_accelerated_package_has_the_same_hook() -> None:
    # Each sdist must build alone, so each package carries its own copy.
    hooks = {(PACKAGES / name / "hatch_build.py").read_text() for name in ACCELERATED}
    assert len(hooks) == 1
    with_hook = {path.parent.name for path in PACKAGES.glob("*/hatch_build.py")}
    assert with_hook == set(ACCELERATED)


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
@pytest.mark.parametrize(
    "env",
    [{"CC": NO_COMPILER}, {"HTTPCORE_NO_EXTENSIONS": "1"}],
    ids=["without a compiler", "HTTPCORE_NO_EXTENSIONS"],
)
def test_a_pure_python_wheel_otherwise(
    tmp_path: Path, package: str, env: dict[str, str]
) -> None:
    result = _build(tmp_path, package, **env)
    assert result.returncode == 0, result.stderr
    name, files = _wheel(tmp_path)
    assert name.endswith("-py3-none-any.whl"), name
    assert not [file for file in files if file.endswith(SUFFIX)]
    assert package.replace("-", "_") + "/__init__.py" in files


@package_names
def test_require_extensions_fails_without_a_compiler(
    tmp_path: Path, package: str
) -> None:
    result = _build(tmp_path, package, CC=NO_COMPILER, HTTPCORE_REQUIRE_EXTENSIONS="1")
    assert result.returncode != 0
    assert f"cannot build {_module(package)}" in result.stdout + result.stderr
    assert not list(tmp_path.glob("*.whl"))
