"""The consumers session's verdict logic (compare.py, junit.py) on made-up
outcomes and JUnit XML, so that a regression cannot slip through a bug in
the harness itself. The session itself is ``nox -s consumers``."""

from __future__ import annotations

import pathlib
import sys

import pytest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))

from consumers.compare import compare, matches
from consumers.deselected import deselected
from consumers.exclusions import excluded
from consumers.junit import Result, name_bare, read_pytest, read_regrtest


@pytest.mark.parametrize(
    ("pattern", "test_id", "expected"),
    [
        ("t.py::test_a", "t.py::test_a", True),
        ("t.py::test_a", "t.py::test_ab", False),
        ("t.py::test_a[x-1]", "t.py::test_a[x-1]", True),
        ("t.py::test_a[x-1]", "t.py::test_a[x]", False),
        ("t.py::test_a[*]", "t.py::test_a[x-1]", True),
        ("t.py::test_a[*]", "t.py::test_a", False),
        ("test/*::TestHTTPS_*::test_x", "test/a/b.py::TestHTTPS_TLSv1_3::test_x", True),
        ("test/*::TestHTTPS_*::test_x", "test/b.py::TestHTTP::test_x", False),
    ],
)
def test_matches(pattern: str, test_id: str, expected: bool) -> None:
    assert matches(pattern, test_id) is expected


def _verdict_of(before: str | None, after: str | None, exclude: bool) -> str:
    cpython = {} if before is None else {"t.py::test": Result(before)}
    httpcore = {} if after is None else {"t.py::test": Result(after, "boom")}
    exclusions = {"suite:t.py::test": "why"} if exclude else {}
    verdict = compare("suite", cpython, httpcore, exclusions)
    found = [
        name
        for name, present in (
            ("regression", verdict.regressions),
            ("excluded", verdict.excluded),
            ("stale", verdict.stale),
            ("cpython failure", verdict.cpython_failures),
            ("skipped on httpcore", verdict.skipped_on_httpcore),
        )
        if present
    ]
    assert verdict.failed is bool(set(found) - {"excluded", "skipped on httpcore"})
    return ", ".join(found) or "same"


@pytest.mark.parametrize(
    ("before", "after", "exclude", "expected"),
    [
        ("passed", "passed", False, "same"),
        ("passed", "failed", False, "regression"),
        ("passed", "failed", True, "excluded"),
        ("passed", "passed", True, "stale"),
        # An xfail on CPython that passes strictly on httpcore (strict XPASS).
        ("xfailed", "failed", False, "regression"),
        ("xfailed", "failed", True, "excluded"),
        ("xfailed", "xfailed", True, "stale"),
        ("skipped", "failed", False, "regression"),
        ("passed", None, False, "regression"),
        ("failed", "failed", False, "cpython failure"),
        ("failed", "passed", False, "cpython failure"),
        ("failed", "failed", True, "cpython failure"),
        ("passed", "skipped", False, "skipped on httpcore"),
        (None, "failed", False, "regression"),
    ],
)
def test_compare(
    before: str | None, after: str | None, exclude: bool, expected: str
) -> None:
    assert _verdict_of(before, after, exclude) == expected


def test_exclusions_of_other_suites_are_ignored() -> None:
    verdict = compare(
        "a", {"x": Result("passed")}, {"x": Result("failed")}, {"b:x": "other"}
    )
    assert list(verdict.regressions) == ["x"]
    assert not verdict.unused


PYTEST_XML = """<?xml version="1.0" encoding="utf-8"?>
<testsuites><testsuite name="pytest">
<testcase classname="test.sub.test_mod.TestA" name="test_ok[a.b-1]" time="0"/>
<testcase classname="test.sub.test_mod.TestA" name="test_bad" time="0">
  <failure message="assert 1 == 2">tb</failure></testcase>
<testcase classname="test.sub.test_mod" name="test_error" time="0">
  <error message="fixture failed">tb</error></testcase>
<testcase classname="test.sub.test_mod" name="test_skip" time="0">
  <skipped type="pytest.skip" message="no">no</skipped></testcase>
<testcase classname="test.sub.test_mod" name="test_xfail" time="0">
  <skipped type="pytest.xfail" message="known"/></testcase>
<testcase classname="test.sub.test_mod" name="test_xpass" time="0">
  <failure message="[XPASS(strict)] fixed"/></testcase>
<testcase classname="test.sub.test_mod" name="test_teardown" time="0"/>
<testcase classname="test.sub.test_mod" name="test_teardown" time="0">
  <error message="teardown failed"/></testcase>
<testcase classname="" name="test.sub.test_broken" time="0">
  <error message="collection failure"/></testcase>
</testsuite></testsuites>
"""


def test_read_pytest(tmp_path: pathlib.Path) -> None:
    (tmp_path / "test" / "sub").mkdir(parents=True)
    (tmp_path / "test" / "sub" / "test_mod.py").touch()
    xml = tmp_path / "out.xml"
    xml.write_text(PYTEST_XML)
    found = {
        test_id: (result.outcome, result.message)
        for test_id, result in read_pytest(xml, tmp_path).items()
    }
    module = "test/sub/test_mod.py"
    assert found == {
        f"{module}::TestA::test_ok[a.b-1]": ("passed", ""),
        f"{module}::TestA::test_bad": ("failed", "assert 1 == 2"),
        f"{module}::test_error": ("failed", "fixture failed"),
        f"{module}::test_skip": ("skipped", "no"),
        f"{module}::test_xfail": ("xfailed", ""),
        f"{module}::test_xpass": ("failed", "[XPASS(strict)] fixed"),
        f"{module}::test_teardown": ("failed", "teardown failed"),
        "test.sub.test_broken": ("failed", "collection failure"),
    }


def _regrtest_xml(path: pathlib.Path, cases: str) -> pathlib.Path:
    path.write_text(f"<testsuites><testsuite>{cases}</testsuite></testsuites>")
    return path


def test_read_regrtest_names_the_bare_cases(tmp_path: pathlib.Path) -> None:
    # regrtest leaves a test whose subtests failed without a name.
    cpython = _regrtest_xml(
        tmp_path / "c.xml",
        '<testcase name="m.T.test_a"/><testcase name="m.T.test_b"/>'
        '<testcase name="m.T.test_c"><skipped>why</skipped></testcase>'
        '<testcase name="m.T.test_d"><output>expected</output></testcase>'
        '<testcase name="m.T.test_e"><outcome>UNEXPECTED_SUCCESS</outcome>'
        "</testcase>",
    )
    httpcore = _regrtest_xml(
        tmp_path / "h.xml",
        '<testcase name="m.T.test_a"/><testcase/>'
        '<testcase name="m.T.test_c"><skipped>why</skipped></testcase>'
        '<testcase name="m.T.test_d"><output>expected</output></testcase>'
        '<testcase name="m.T.test_e"><error message="E">tb</error></testcase>',
    )
    before = read_regrtest(cpython)
    after = read_regrtest(httpcore)
    outcomes = {
        name: result.outcome for name, result in name_bare(after, before).items()
    }
    assert outcomes == {
        "m.T.test_a": "passed",
        "m.T.test_b": "failed",
        "m.T.test_c": "skipped",
        "m.T.test_d": "xfailed",
        "m.T.test_e": "failed",
    }
    assert name_bare(before, after)["m.T.test_e"].outcome == "failed"


def test_bare_case_without_a_match_keeps_a_descriptive_id() -> None:
    cases: list[tuple[str | None, Result]] = [
        ("m.T.test_a", Result("passed")),
        (None, Result("failed")),
    ]
    assert list(name_bare(cases, cases)) == [
        "m.T.test_a",
        "<a test after m.T.test_a, failed in subtests>",
    ]


@pytest.mark.parametrize("version", [(3, 10, 13), (3, 13, 0), (3, 13, 14)])
def test_tables_are_well_formed(version: tuple[int, int, int]) -> None:
    for table in (excluded(version), deselected(version[:2])):
        for key, reason in table.items():
            suite, _, test_id = key.partition(":")
            assert suite in {"urllib3", "requests", "botocore", "stdlib", "logging"}
            assert test_id
            assert reason.strip()
    tunnel = (
        "urllib3:test/with_dummyserver/test_connection.py::test_invalid_tunnel_host[*]"
    )
    assert (tunnel in excluded(version)) is (version == (3, 13, 0))
