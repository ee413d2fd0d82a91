"""Every hostile case against httpcore_compat: the outcome must be the safe
one the case names (see cases.py).  ``run.py --compare`` shows what
:mod:`http.client` makes of the same servers."""

from __future__ import annotations

import pathlib
import sys

import pytest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))

import httpcore_compat
from hostile.cases import CASES
from hostile.client import Case, outcome

BY_NAME = {case.name: case for case in CASES}


def test_names_are_unique() -> None:
    assert len(BY_NAME) == len(CASES)


@pytest.mark.parametrize("name", list(BY_NAME))
def test_safe_outcome(name: str) -> None:
    case: Case = BY_NAME[name]
    assert outcome(case, httpcore_compat) == case.expect


def test_the_table_in_the_docs_lists_these_cases() -> None:
    # docs/security-table.inc is run.py --compare's output: every case with
    # its safe outcome, as here (regenerate it when a case changes).
    table = pathlib.Path(__file__).resolve().parents[2] / "docs/security-table.inc"
    rows = table.read_text().split("\n   * - ")[2:]
    documented = []
    for row in rows:
        cells = [cell.strip().replace("\\|", "|") for cell in row.split("\n     - ")]
        name, section, title, _, safe = cells
        documented.append((name, section, title, safe))
    assert documented == [(c.name, c.section, c.title, c.expect) for c in CASES]
