"""Check built distributions as the package index and a user would see them.

``python check_dists.py DIST --version V --packages NAME... --accelerated
NAME... [--repaired]``, run by ``nox -s build`` after ``twine check``:

- each package has one sdist and one pure Python wheel of version V; each
  accelerated package also one platform wheel, which carries its compiled
  module (tagged manylinux or musllinux with ``--repaired``) with no RPATH
  or RUNPATH (a path of the build machine) and no C source;
- an accelerated package's sdist carries what a build from it needs
  (setup.py, the C source) and the package's tests;
- the metadata names the project's URLs (source, documentation, changelog,
  issues), and the description shown on the index links only to absolute
  URLs (a relative link is dead there).

Exits 1 with one line per problem.
"""

from __future__ import annotations

import argparse
import email.parser
import re
import sys
import tarfile
import zipfile
from collections.abc import Iterator
from io import BytesIO
from pathlib import Path

from elftools.elf.dynamic import DynamicSection
from elftools.elf.elffile import ELFFile

URL_LABELS = ("Source", "Documentation", "Changelog", "Issues")
# A Markdown link or image: [text](target) or ![alt](target).
LINK = re.compile(r"\]\(([^)\s]+)")


def _metadata_problems(name: str, metadata: bytes) -> Iterator[str]:
    message = email.parser.BytesParser().parsebytes(metadata)
    labels = {
        url.split(",", 1)[0].strip() for url in message.get_all("Project-URL") or []
    }
    for label in URL_LABELS:
        if label not in labels:
            yield f"{name}: no Project-URL {label!r} (has {sorted(labels)})"
    description = message.get_payload()
    assert isinstance(description, str)
    for target in LINK.findall(description):
        if not target.startswith(("https://", "http://", "#")):
            yield f"{name}: the description links to {target!r}, dead on the index"


def _elf_paths(data: bytes) -> list[str]:
    """The RPATH and RUNPATH entries of a shared object."""
    found = []
    for section in ELFFile(BytesIO(data)).iter_sections():
        if isinstance(section, DynamicSection):
            for tag in section.iter_tags():
                kind = str(tag.entry.d_tag)
                if kind in ("DT_RPATH", "DT_RUNPATH"):
                    # pyelftools names the decoded value after the tag.
                    found.append(f"{kind[3:]} {getattr(tag, kind[3:].lower())}")
    return found


def _wheel_problems(path: Path, compiled: bool, repaired: bool) -> Iterator[str]:
    with zipfile.ZipFile(path) as wheel:
        names = wheel.namelist()
        (metadata,) = (n for n in names if n.endswith(".dist-info/METADATA"))
        yield from _metadata_problems(path.name, wheel.read(metadata))
        modules = [n for n in names if n.endswith((".so", ".pyd"))]
        if [n for n in names if n.endswith(".c")]:
            yield f"{path.name}: carries C source"
        if not compiled:
            if modules:
                yield f"{path.name}: a pure wheel with compiled modules {modules}"
            return
        if not modules:
            yield f"{path.name}: a platform wheel without its compiled module"
        if repaired and not re.search(r"-(many|musl)linux", path.name):
            yield f"{path.name}: not repaired to a manylinux or musllinux tag"
        for module in modules:
            if module.endswith(".so"):
                for entry in _elf_paths(wheel.read(module)):
                    yield f"{path.name}: {module} has {entry}"


def _sdist_problems(path: Path, module: str, accelerated: bool) -> Iterator[str]:
    with tarfile.open(path) as sdist:
        names = {name.split("/", 1)[-1] for name in sdist.getnames()}
        (info,) = (
            member
            for member in sdist.getmembers()
            if member.name.count("/") == 1 and member.name.endswith("/PKG-INFO")
        )
        extracted = sdist.extractfile(info)
        assert extracted is not None
        yield from _metadata_problems(path.name, extracted.read())
    needed = ["pyproject.toml", "README.md", "LICENSE"]
    if accelerated:
        needed += ["setup.py", f"src/{module}/_speedups.c"]
    for name in needed:
        if name not in names:
            yield f"{path.name}: {name} is missing"
    if not any(name.startswith("tests/test_") for name in names):
        yield f"{path.name}: the package's tests are missing"


def problems(
    dist: Path,
    version: str,
    packages: list[str],
    accelerated: list[str],
    repaired: bool,
) -> Iterator[str]:
    files = {path.name: path for path in dist.iterdir()}
    claimed: set[str] = set()
    for name in packages:
        module = name.replace("-", "_")
        sdist = f"{module}-{version}.tar.gz"
        pure = f"{module}-{version}-py3-none-any.whl"
        platform = sorted(
            n
            for n in files
            if n.startswith(f"{module}-{version}-") and n.endswith(".whl") and n != pure
        )
        for wanted in (sdist, pure):
            if wanted not in files:
                yield f"{name}: {wanted} was not built"
        claimed |= {sdist, pure, *platform}
        if sdist in files:
            yield from _sdist_problems(files[sdist], module, name in accelerated)
        if pure in files:
            yield from _wheel_problems(files[pure], compiled=False, repaired=False)
        if name in accelerated:
            if not platform:
                yield f"{name}: no platform wheel"
            for wheel in platform:
                yield from _wheel_problems(
                    files[wheel], compiled=True, repaired=repaired
                )
        elif platform:
            yield f"{name}: platform wheels of a pure package: {platform}"
    for stray in sorted(set(files) - claimed):
        yield f"{stray}: not one of the expected distributions"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dist", type=Path)
    parser.add_argument("--version", required=True)
    parser.add_argument("--packages", nargs="+", required=True)
    parser.add_argument("--accelerated", nargs="*", default=[])
    parser.add_argument("--repaired", action="store_true")
    args = parser.parse_args(argv)
    found = list(
        problems(
            args.dist, args.version, args.packages, args.accelerated, args.repaired
        )
    )
    for problem in found:
        print(problem, file=sys.stderr)
    if not found:
        print(f"check_dists: {len(list(args.dist.iterdir()))} distributions fine")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
