"""Check that every public name of the httpcore packages is documented.

The public names are each package's ``__all__`` (plus ``install``,
``uninstall`` and ``installed`` of ``httpcore_compat``). A name counts as
documented when the docs describe it under its package, as
``package.name`` (an ``auto*`` or ``py:`` directive).

``python docs/check_coverage.py docs/_build/html/objects.inv`` checks the
inventory a Sphinx HTML build wrote (the ``docs`` nox session runs it);
``python docs/check_coverage.py docs`` checks the ``.rst`` sources, without
Sphinx. Exits 1 and lists the names missing.
"""

from __future__ import annotations

import importlib
import re
import sys
import zlib
from collections.abc import Iterable
from pathlib import Path

PACKAGES = ("httpcore_headers", "httpcore_wire", "httpcore_client", "httpcore_compat")
EXTRA = (
    "httpcore_compat.install",
    "httpcore_compat.uninstall",
    "httpcore_compat.installed",
)


def public_names(packages: Iterable[str] = PACKAGES) -> set[str]:
    """``package.name`` for every name in each package's ``__all__``."""
    names = set(EXTRA)
    for package in packages:
        module = importlib.import_module(package)
        names.update(f"{package}.{name}" for name in module.__all__)
    return names


def inventory_names(path: Path) -> set[str]:
    """The Python objects in a Sphinx ``objects.inv`` (format version 2)."""
    with path.open("rb") as stream:
        header = [stream.readline() for _ in range(4)]
        if not header[0].startswith(b"# Sphinx inventory version 2"):
            raise ValueError(f"{path} is not a version 2 Sphinx inventory")
        text = zlib.decompress(stream.read()).decode("utf-8")
    found = set()
    for line in text.splitlines():
        match = re.match(r"(\S+)\s+py:\w+\s", line)
        if match:
            found.add(match.group(1))
    return found


_MODULE = re.compile(r"^\.\. (?:py:)?(?:module|currentmodule)::\s*(\S+)")
_OBJECT = re.compile(
    r"^\s*\.\. (?:auto|py:)?(?:class|function|exception|data|attribute|method)"
    r"::\s*([\w.]+)"
)
# Further names of one directive, on the lines after it (".. data:: A\n   B").
_CONTINUATION = re.compile(r"^\s{8,}([\w.]+)\s*$")


def source_names(docs: Path) -> set[str]:
    """The Python objects described in the ``.rst`` files under ``docs``,
    by their full names."""
    found = set()
    for path in sorted(docs.rglob("*.rst")):
        if "_build" in path.parts:
            continue
        module = ""
        continuing = False
        for line in path.read_text(encoding="utf-8").splitlines():
            if match := _MODULE.match(line):
                module = match.group(1)
                continuing = False
            elif match := _OBJECT.match(line):
                found.add(_qualify(module, match.group(1)))
                continuing = True
            elif continuing and (match := _CONTINUATION.match(line)):
                found.add(_qualify(module, match.group(1)))
            else:
                continuing = False
    return found


def _qualify(module: str, name: str) -> str:
    if name.split(".")[0] in PACKAGES or not module:
        return name
    return f"{module}.{name}"


def missing(documented: set[str], names: set[str] | None = None) -> list[str]:
    """The public names that ``documented`` lacks, sorted."""
    return sorted((public_names() if names is None else names) - documented)


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    target = Path(argv[0])
    documented = inventory_names(target) if target.is_file() else source_names(target)
    absent = missing(documented)
    if absent:
        print(f"{len(absent)} public names are not documented in {target}:")
        for name in absent:
            print(f"  {name}")
        return 1
    print(f"every public name ({len(public_names())}) is documented in {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
