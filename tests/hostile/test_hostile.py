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
