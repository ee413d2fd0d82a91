"""Runs the hostile cases outside pytest.

``python tests/hostile/run.py`` plays every case against httpcore_compat and
reports those whose outcome is not the safe one (exit status 1 if any);
``--compare`` plays them against the running interpreter's http.client too
and prints the reStructuredText table that docs/security.rst includes
(``--compare --output docs/security-table.inc`` writes it there);
``-k TEXT`` selects the cases whose name contains TEXT.
"""

from __future__ import annotations

import argparse
import http.client
import pathlib
import platform
import sys
from collections.abc import Sequence

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))

import httpcore_compat
from hostile.cases import CASES
from hostile.client import Case, outcome

HEADER = ("case", "RFC", "the server", "http.client {version}", "httpcore")


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def table(rows: Sequence[tuple[Case, str]], version: str) -> str:
    """A list-table: one row per case, http.client's outcome against the
    safe one httpcore_compat gives."""
    lines = [
        ".. list-table::",
        "   :header-rows: 1",
        "   :widths: 14 10 28 24 24",
        "",
    ]
    header = [cell.format(version=version) for cell in HEADER]
    for cells in [
        header,
        *([c.name, c.section, c.title, got, c.expect] for c, got in rows),
    ]:
        lines.append(f"   * - {_cell(cells[0])}")
        lines.extend(f"     - {_cell(cell)}" for cell in cells[1:])
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--compare", action="store_true")
    parser.add_argument("--output", type=pathlib.Path)
    parser.add_argument("-k", default="")
    args = parser.parse_args(argv)
    cases = [case for case in CASES if args.k in case.name]
    failed = 0
    rows = []
    for case in cases:
        got = outcome(case, httpcore_compat)
        if got != case.expect:
            failed += 1
            print(f"UNSAFE {case.name}: {got!r}, expected {case.expect!r}")
        if args.compare:
            rows.append((case, outcome(case, http.client)))
    if args.compare:
        text = table(rows, platform.python_version())
        if args.output:
            args.output.write_text(text)
        else:
            print(text)
    print(f"{len(cases) - failed} of {len(cases)} cases safe on httpcore_compat")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
