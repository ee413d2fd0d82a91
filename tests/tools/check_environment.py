"""Prove what a test environment holds: run by nox inside the session's venv.

``--installed`` names the distributions that must be installed, and nothing
else besides the installer's own (pip, setuptools, wheel); each must be
imported from site-packages, not from the checkout. ``--absent`` names
workspace distributions whose modules must not be importable at all.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.metadata
import importlib.util
import pathlib
import sys
import sysconfig

INSTALLER = {"pip", "setuptools", "wheel"}


def module_of(distribution: str) -> str:
    return distribution.replace("-", "_")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--installed", nargs="*", default=[])
    parser.add_argument("--absent", nargs="*", default=[])
    args = parser.parse_args()
    problems = []

    present = {
        dist.metadata["Name"].lower().replace("_", "-")
        for dist in importlib.metadata.distributions()
    }
    wanted = {name.lower() for name in args.installed}
    extra = present - wanted - INSTALLER
    missing = wanted - present
    if extra:
        problems.append(f"installed but not declared: {sorted(extra)}")
    if missing:
        problems.append(f"not installed: {sorted(missing)}")

    site = pathlib.Path(sysconfig.get_paths()["purelib"]).resolve()
    for name in args.installed:
        module = importlib.import_module(module_of(name))
        origin = pathlib.Path(module.__file__ or "").resolve()
        if site not in origin.parents:
            problems.append(f"{name} imported from {origin}, not from {site}")

    for name in args.absent:
        if importlib.util.find_spec(module_of(name)) is not None:
            problems.append(f"{module_of(name)} is importable but must not be")

    for problem in problems:
        print(f"check_environment: {problem}", file=sys.stderr)
    if not problems:
        print(
            f"check_environment: {sorted(wanted)} installed alone; "
            f"not importable: {sorted(args.absent)}"
        )
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
