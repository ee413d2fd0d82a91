"""Per-test outcomes from the JUnit XML of pytest and of regrtest.

An outcome is one of :data:`OUTCOMES`. Test ids are the ones each runner
takes back on its command line: pytest node ids relative to the suite's
root (``test/test_connection.py::TestX::test_y[param]``), regrtest ids
(``test.test_urllib2.HandlerTests.test_http``).
"""

from __future__ import annotations

import dataclasses
import pathlib
import xml.etree.ElementTree as ET

#: ``xfailed``: an expected failure (pytest's xfail, unittest's
#: expectedFailure); ``failed`` includes errors and strict XPASS.
OUTCOMES = ("passed", "failed", "skipped", "xfailed")


@dataclasses.dataclass(frozen=True)
class Result:
    outcome: str
    #: The first line of the failure's message, for the report.
    message: str = ""


def _first_line(text: str | None) -> str:
    for line in (text or "").splitlines():
        if line.strip():
            return line.strip()[:200]
    return ""


def _outcome(case: ET.Element) -> Result:
    for tag in ("failure", "error"):
        child = case.find(tag)
        if child is not None:
            return Result("failed", _first_line(child.get("message") or child.text))
    skipped = case.find("skipped")
    if skipped is not None:
        xfail = skipped.get("type") == "pytest.xfail"
        return Result("xfailed" if xfail else "skipped", _first_line(skipped.text))
    outcome = case.find("outcome")
    if outcome is not None and outcome.text == "UNEXPECTED_SUCCESS":
        return Result("failed", "unexpected success")
    if case.find("output") is not None:
        # regrtest records an expected failure as <output>.
        return Result("xfailed")
    return Result("passed")


def _nodeid(root: pathlib.Path, classname: str, name: str) -> str:
    """Undo pytest's mangling of a node id into ``classname`` (path dots,
    without ``.py``) and ``name``: the longest prefix that is a file under
    ``root`` is the module."""
    parts = classname.split(".") if classname else []
    for cut in range(len(parts), 0, -1):
        path = "/".join(parts[:cut]) + ".py"
        if (root / path).is_file():
            return "::".join([path, *parts[cut:], name])
    # A collection error: classname is empty and name is the path.
    return "::".join([*parts, name])


def read_pytest(path: pathlib.Path, root: pathlib.Path) -> dict[str, Result]:
    """The outcome of each test in pytest's ``--junitxml`` file; ``root`` is
    the directory pytest ran in (node ids are relative to it)."""
    results: dict[str, Result] = {}
    for case in ET.parse(path).getroot().iter("testcase"):
        nodeid = _nodeid(root, case.get("classname", ""), case.get("name", ""))
        result = _outcome(case)
        # A test that passed and then failed in teardown has two entries.
        earlier = results.get(nodeid)
        if earlier is None or earlier.outcome != "failed":
            results[nodeid] = result
    return results


def read_regrtest(path: pathlib.Path) -> list[tuple[str | None, Result]]:
    """The outcome of each test in regrtest's ``--junit-xml`` file, in run
    order. regrtest writes no name for a test whose subtests failed (only a
    bare ``<testcase />``): those come back as ``(None, failed)`` for the
    caller to name from the other pass (:func:`name_bare`)."""
    cases: list[tuple[str | None, Result]] = []
    for case in ET.parse(path).getroot().iter("testcase"):
        name = case.get("name")
        if name is None:
            cases.append((None, Result("failed", "failed in subtests")))
        else:
            cases.append((name, _outcome(case)))
    return cases


def name_bare(
    cases: list[tuple[str | None, Result]], other: list[tuple[str | None, Result]]
) -> dict[str, Result]:
    """Name regrtest's bare test cases: a test between the same two named
    neighbours in the other pass's run order (the order is the same in both:
    the loader's). One that cannot be placed keeps a descriptive id."""
    order = [name for name, _ in other if name is not None]
    results: dict[str, Result] = {}
    for index, (name, result) in enumerate(cases):
        if name is not None:
            results[name] = result
            continue
        before = next((n for n, _ in reversed(cases[:index]) if n), None)
        after = next((n for n, _ in cases[index + 1 :] if n), None)
        start = order.index(before) + 1 if before in order else 0
        end = order.index(after) if after in order else len(order)
        between = [n for n in order[start:end] if n not in results]
        if before is not None and before not in order:
            between = []
        if between:
            results[between[0]] = result
        else:
            results[f"<a test after {before}, failed in subtests>"] = result
    return results
