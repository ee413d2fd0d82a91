"""CPython's own http.client tests, run against httpcore_compat.

Runs the running interpreter's ``test.test_httplib`` (from its installed
``test`` package, not a copy) with ``httpcore_compat.install()`` in effect,
and compares the outcome with the committed exclusions in
``exclusions.py``: any failure outside that list fails the run, and so does
an excluded test that passes (the list must stay true). Prints the counts.

Usage: ``python tests/conformance/run_httplib.py [-v]``
"""

from __future__ import annotations

import argparse
import importlib
import pathlib
import sys
import unittest

HERE = pathlib.Path(__file__).resolve().parent


class Outcomes(unittest.TextTestResult):
    """Records the id of every test with its outcome."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.outcomes: dict[str, str] = {}

    def addSuccess(self, test: unittest.TestCase) -> None:
        super().addSuccess(test)
        self.outcomes[test.id()] = "passed"

    def addFailure(self, test: unittest.TestCase, err: object) -> None:
        super().addFailure(test, err)  # type: ignore[arg-type]
        self.outcomes[test.id()] = "failed"

    def addError(self, test: unittest.TestCase, err: object) -> None:
        super().addError(test, err)  # type: ignore[arg-type]
        self.outcomes[test.id()] = "failed"

    def addSkip(self, test: unittest.TestCase, reason: str) -> None:
        super().addSkip(test, reason)
        self.outcomes[test.id()] = "skipped"

    def addExpectedFailure(self, test: unittest.TestCase, err: object) -> None:
        super().addExpectedFailure(test, err)  # type: ignore[arg-type]
        self.outcomes[test.id()] = "passed"

    def addUnexpectedSuccess(self, test: unittest.TestCase) -> None:
        super().addUnexpectedSuccess(test)
        self.outcomes[test.id()] = "failed"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()

    import httpcore_compat

    httpcore_compat.install()
    support = importlib.import_module("test.support")

    # Outside regrtest every resource counts as enabled; the network tests
    # would reach for hosts on the internet.
    setattr(support, "use_resources", [])  # noqa: B010 (a module attribute)
    test_httplib = importlib.import_module("test.test_httplib")
    if test_httplib.client is not httpcore_compat:
        print("conformance: test_httplib did not import httpcore_compat")
        return 2

    sys.path.insert(0, str(HERE))
    from exclusions import excluded

    suite = unittest.defaultTestLoader.loadTestsFromModule(test_httplib)
    runner = unittest.TextTestRunner(
        verbosity=2 if args.verbose else 1, resultclass=Outcomes, stream=sys.stdout
    )
    result = runner.run(suite)
    assert isinstance(result, Outcomes)

    expected = excluded(sys.version_info[:2])
    short = {
        test_id.removeprefix("test.test_httplib."): outcome
        for test_id, outcome in result.outcomes.items()
    }
    unexpected = sorted(
        name
        for name, outcome in short.items()
        if outcome == "failed" and name not in expected
    )
    stale = sorted(name for name in expected if short.get(name) == "passed")
    missing = sorted(name for name in expected if name not in short)
    counts = {
        kind: sum(1 for o in short.values() if o == kind)
        for kind in ("passed", "failed", "skipped")
    }

    version = ".".join(map(str, sys.version_info[:3]))
    print(f"\nconformance on Python {version}: test.test_httplib with httpcore_compat")
    for name in unexpected:
        print(f"  FAILED, not excluded: {name}")
    for name in stale:
        print(f"  PASSED but excluded (remove it from exclusions.py): {name}")
    for name in missing:
        print(f"  excluded but not run on this Python: {name}")
    print(
        f"conformance: {counts['passed']} passed, {counts['failed']} failed"
        f" ({counts['failed'] - len(unexpected)} of them excluded), "
        f"{counts['skipped']} skipped"
    )
    return 1 if unexpected or stale else 0


if __name__ == "__main__":
    sys.exit(main())
