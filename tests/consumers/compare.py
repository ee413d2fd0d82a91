"""The verdict on one suite: its outcomes on the standard library's
http.client (the "cpython" pass) against those on httpcore_compat (the
"httpcore" pass), with the committed exclusions.

- A regression: a test that did not fail on cpython (passed, skipped or
  xfailed) and fails on httpcore, or that ran on cpython and not at all on
  httpcore. It fails the session unless excluded.
- An excluded test that does not fail on httpcore is stale and fails the
  session too: the exclusions must stay true.
- A test that fails on cpython fails the session as well: the cpython pass
  must be clean, anything that cannot run here is deselected with its
  reason (deselected.py), so that a regression cannot hide behind it.
- A test that passes on cpython and is skipped on httpcore is reported (its
  skip reason shown), without failing the session.
"""

from __future__ import annotations

import dataclasses
import re

from consumers.junit import Result


def matches(pattern: str, test_id: str) -> bool:
    """Whether ``pattern`` (where only ``*`` is special: node ids hold
    brackets) matches the whole of ``test_id``."""
    regex = ".*".join(re.escape(part) for part in pattern.split("*"))
    return re.fullmatch(regex, test_id) is not None


def counts(results: dict[str, Result]) -> dict[str, int]:
    """passed, failed and skipped (xfailed included) of one pass."""
    found = {"passed": 0, "failed": 0, "skipped": 0}
    for result in results.values():
        found["skipped" if result.outcome == "xfailed" else result.outcome] += 1
    return found


@dataclasses.dataclass
class Verdict:
    suite: str
    #: Test id -> (its outcome on cpython, its result on httpcore).
    regressions: dict[str, tuple[str, Result]]
    #: Regressions covered by an exclusion, with the exclusion's reason.
    excluded: dict[str, str]
    #: Exclusions (pattern -> the tests it covers) not failing on httpcore.
    stale: dict[str, list[str]]
    #: Exclusions that matched no test of this run.
    unused: list[str]
    cpython_failures: dict[str, Result]
    #: Passed on cpython, skipped or xfailed on httpcore.
    skipped_on_httpcore: dict[str, Result]

    @property
    def failed(self) -> bool:
        return bool(self.regressions or self.stale or self.cpython_failures)


def compare(
    suite: str,
    cpython: dict[str, Result],
    httpcore: dict[str, Result],
    exclusions: dict[str, str],
) -> Verdict:
    """Compare the two passes of ``suite``; ``exclusions`` are keyed
    ``SUITE:PATTERN`` (the other suites' entries are ignored)."""
    prefix = suite + ":"
    mine = {
        key.removeprefix(prefix): reason
        for key, reason in exclusions.items()
        if key.startswith(prefix)
    }
    missing = Result("failed", "ran on cpython, not on httpcore (crash?)")
    regressions: dict[str, tuple[str, Result]] = {}
    excluded: dict[str, str] = {}
    stale: dict[str, list[str]] = {}
    used: set[str] = set()
    skipped_on_httpcore: dict[str, Result] = {}
    for test_id in sorted(cpython.keys() | httpcore.keys()):
        before = cpython[test_id].outcome if test_id in cpython else "not run"
        after = httpcore.get(test_id, missing)
        covering = [pattern for pattern in mine if matches(pattern, test_id)]
        used.update(covering)
        regressed = before != "failed" and after.outcome == "failed"
        if regressed and covering:
            excluded[test_id] = mine[covering[0]]
        elif regressed:
            regressions[test_id] = (before, after)
        elif covering and after.outcome != "failed":
            for pattern in covering:
                stale.setdefault(pattern, []).append(test_id)
        if before == "passed" and after.outcome in ("skipped", "xfailed"):
            skipped_on_httpcore[test_id] = after
    return Verdict(
        suite=suite,
        regressions=regressions,
        excluded=excluded,
        stale=stale,
        unused=sorted(set(mine) - used),
        cpython_failures={
            test_id: result
            for test_id, result in sorted(cpython.items())
            if result.outcome == "failed"
        },
        skipped_on_httpcore=skipped_on_httpcore,
    )


EXCLUSIONS = "tests/consumers/exclusions.py"
DESELECTIONS = "tests/consumers/deselected.py"


def report(verdict: Verdict) -> None:
    """Print what fails the session, and why."""
    suite = verdict.suite
    if verdict.regressions:
        print(
            f"  {len(verdict.regressions)} regressions (not failing on cpython,"
            " failing on httpcore):"
        )
        for test_id, (before, after) in verdict.regressions.items():
            print(f"    {suite}:{test_id}")
            print(f"        cpython {before}; httpcore: {after.message}")
    for pattern, tests in verdict.stale.items():
        print(
            f"  EXCLUDED BUT NOT FAILING on httpcore (remove it from"
            f" {EXCLUSIONS}): {suite}:{pattern}"
        )
        for test_id in tests[:5]:
            print(f"    {test_id}")
        if len(tests) > 5:
            print(f"    ... and {len(tests) - 5} more")
    for pattern in verdict.unused:
        print(f"  excluded but not run on this Python: {suite}:{pattern}")
    if verdict.cpython_failures:
        print(
            f"  {len(verdict.cpython_failures)} FAIL ON CPYTHON (find out why;"
            f" deselect in {DESELECTIONS} what cannot run here):"
        )
        for test_id, result in verdict.cpython_failures.items():
            print(f"    {suite}:{test_id}")
            print(f"        {result.message}")
    if verdict.skipped_on_httpcore:
        print(
            f"  {len(verdict.skipped_on_httpcore)} passed on cpython and were"
            " skipped on httpcore (not a failure; check the reason):"
        )
        for test_id, result in verdict.skipped_on_httpcore.items():
            print(f"    {suite}:{test_id}: {result.message}")
