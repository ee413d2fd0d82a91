# Every committed input of the fuzz targets, replayed through the target's
# check_input on every pytest run (atheris is not needed): the seeds in
# corpus/<target>/ and, in regressions/<target>/, each input a fuzzing run
# found a bug with, named after the bug.
from __future__ import annotations

import importlib
from pathlib import Path

import pytest

from .targets import TARGETS

HERE = Path(__file__).resolve().parent
INPUTS = sorted(
    path
    for kind in ("corpus", "regressions")
    for target in TARGETS
    if (HERE / kind / target).is_dir()
    for path in (HERE / kind / target).iterdir()
    if path.is_file()
)


def test_every_target_has_seeds() -> None:
    for target in TARGETS:
        assert any((HERE / "corpus" / target).iterdir()), target


@pytest.mark.parametrize(
    "path", INPUTS, ids=[str(path.relative_to(HERE)) for path in INPUTS]
)
def test_replay(path: Path) -> None:
    target = importlib.import_module(f"{__package__}.targets.{path.parent.name}")
    target.check_input(path.read_bytes())
