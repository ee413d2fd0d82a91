"""The consumers of http.client, run on the standard library and on httpcore.

Runs each suite of :data:`SUITES` twice in the running environment: first
on the standard library's http.client (the "cpython" pass), then with
``httpcore_compat.install()`` in effect in the test process and in every
process it starts (the "httpcore" pass), through a ``.pth`` hook that this
script writes into the environment's site-packages (see hook.py). Proves
from the hook's records that each pass ran on the http.client it names,
compares the per-test outcomes of the two passes (compare.py), prints the
counts and every regression, and exits non-zero on a regression outside
exclusions.py, a stale exclusion, a failure on cpython or a pass that did
not run on the intended http.client.

``nox -s consumers`` installs the libraries from their pinned sdists and
runs this script with ``--source NAME=DIR`` for each library's extracted
tests. Usage: ``python tests/consumers/run_consumers.py --work DIR --source
urllib3=DIR ... [--suite NAME ...]``
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import pathlib
import shutil
import subprocess
import sys
import sysconfig
import time

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from consumers import hook  # noqa: E402 (after the path)
from consumers.compare import Verdict, compare, counts, report  # noqa: E402
from consumers.deselected import deselected  # noqa: E402
from consumers.exclusions import excluded  # noqa: E402
from consumers.junit import (  # noqa: E402
    Result,
    name_bare,
    read_pytest,
    read_regrtest,
)

HOOK_MODULE = "httpcore_consumers_hook"
PASSES = {"cpython": "http.client", "httpcore": "httpcore_compat"}
# Each pytest suite: a bound on every test (no hang), no cache written into
# the sources, and connections only to loopback and Unix sockets
# (pytest-socket raises before anything leaves for another address).
PYTEST_OPTIONS = (
    "-p",
    "no:cacheprovider",
    "-p",
    HOOK_MODULE,
    "--timeout=120",
    "--allow-hosts=127.0.0.1,::1,localhost",
    "--allow-unix-socket",
    "-q",
    "-rfE",
)
# regrtest runs every test file in this process (no -j); a test file that
# hangs is ended with a traceback.
REGRTEST_OPTIONS = ("--timeout=600",)


@dataclasses.dataclass(frozen=True)
class Suite:
    name: str
    #: "pytest" or "regrtest".
    runner: str
    #: The library whose extracted source tree the suite runs in (--source).
    library: str | None
    args: tuple[str, ...]


SUITES = (
    Suite("urllib3", "pytest", "urllib3", ("test",)),
    Suite("requests", "pytest", "requests", ("tests",)),
    # botocore's own subclass of http.client.HTTPConnection, with its own
    # Expect: 100-continue handling.
    Suite("botocore", "pytest", "botocore", ("tests/unit/test_awsrequest.py",)),
    # The standard library's own consumers of http.client, from the
    # interpreter's test package.
    Suite(
        "stdlib",
        "regrtest",
        None,
        (
            "test_httpservers",
            "test_urllib2_localnet",
            "test_urllib2",
            "test_urllib",
            "test_xmlrpc",
            "test_docxmlrpc",
            "test_wsgiref",
        ),
    ),
    Suite("logging", "regrtest", None, ("-m", "HTTPHandlerTest", "test_logging")),
)


def install_hook() -> None:
    """Copy hook.py into this environment's site-packages with the .pth
    line that imports it at every interpreter's start."""
    if sys.prefix == sys.base_prefix:
        raise SystemExit("consumers: run this in a virtual environment (nox)")
    site = pathlib.Path(sysconfig.get_paths()["purelib"])
    shutil.copyfile(HERE / "hook.py", site / f"{HOOK_MODULE}.py")
    (site / f"{HOOK_MODULE}.pth").write_text(f"import {HOOK_MODULE}\n")


@dataclasses.dataclass
class Run:
    """One suite run in one pass."""

    results: dict[str, Result]
    seconds: float
    #: Tests deselected, where the runner says (pytest).
    deselected: int | None
    #: What the hook's records say went wrong; empty when the pass ran on
    #: the http.client it names.
    problems: list[str]
    #: Processes recorded besides the test process.
    children: int
    #: Deselection patterns that matched no test (pytest).
    unmatched: list[str]


def check_marker(path: pathlib.Path, pid: int, expected: str) -> tuple[list[str], int]:
    """Problems in the hook's records of one run, and how many child
    processes it recorded: the test process (``pid``) must have run to its
    end on ``expected``, and no process on another http.client."""
    problems: list[str] = []
    records = []
    if path.exists():
        records = [json.loads(line) for line in path.read_text().splitlines()]
    mine = {record["event"]: record for record in records if record["pid"] == pid}
    if "start" not in mine:
        problems.append("the hook did not run in the test process")
    elif "exit" not in mine:
        problems.append("the test process did not exit normally (no exit record)")
    elif mine["exit"]["http_client"] != expected:
        found = mine["exit"]["http_client"]
        problems.append(f"the test process ended on {found}, not {expected}")
    for record in records:
        module = record["http_client"]
        if module not in (None, expected):
            problems.append(f"pid {record['pid']} {record['argv']} ran on {module}")
        if record["urllib3_on_http_client"] is False:
            problems.append(
                f"pid {record['pid']}: urllib3's HTTPConnection is not built on"
                " the http.client in sys.modules"
            )
    children = {record["pid"] for record in records} - {pid}
    return problems, len(children)


def _command(suite: Suite, out: pathlib.Path, patterns: list[str]) -> list[str]:
    """The command line of ``suite``, writing into ``out``; ``patterns``
    are its deselections."""
    xml = out / f"{suite.name}.xml"
    if suite.runner == "pytest":
        listing = out / f"{suite.name}.deselect"
        listing.write_text(json.dumps(patterns))
        options = [*PYTEST_OPTIONS, f"--junitxml={xml}"]
        return [sys.executable, "-m", "pytest", *options, *suite.args]
    ignore = out / f"{suite.name}.ignore"
    ignore.write_text("".join(pattern + "\n" for pattern in patterns))
    options = [*REGRTEST_OPTIONS, f"--junit-xml={xml}", f"--ignorefile={ignore}"]
    return [sys.executable, "-m", "test", *options, *suite.args]


def run_suite(
    suite: Suite,
    name: str,
    sources: dict[str, pathlib.Path],
    out: pathlib.Path,
    skip: dict[str, str],
) -> Run:
    """Run one suite in the pass ``name``, writing into ``out``."""
    prefix = suite.name + ":"
    patterns = [key.removeprefix(prefix) for key in skip if key.startswith(prefix)]
    command = _command(suite, out, patterns)
    marker = out / f"{suite.name}.marker"
    env = {key: value for key, value in os.environ.items() if key != hook.SWAP}
    env[hook.MARKER] = str(marker)
    if suite.runner == "pytest":
        env[hook.DESELECT] = str(out / f"{suite.name}.deselect")
    if name == "httpcore":
        env[hook.SWAP] = "1"
    if suite.library is None:
        cwd = out / f"{suite.name}.cwd"
        cwd.mkdir()
    else:
        cwd = sources[suite.library]
    log = out / f"{suite.name}.log"
    started = time.monotonic()
    with log.open("w") as output:
        process = subprocess.Popen(
            command, cwd=cwd, env=env, stdout=output, stderr=subprocess.STDOUT
        )
        process.wait()
    seconds = time.monotonic() - started
    problems, children = check_marker(marker, process.pid, PASSES[name])
    xml = out / f"{suite.name}.xml"
    results: dict[str, Result] = {}
    if not xml.exists():
        problems.append(f"exit status {process.returncode}, no JUnit XML; see {log}")
    elif suite.runner == "pytest":
        results = read_pytest(xml, cwd)
    run = Run(results, seconds, None, problems, children, [])
    matched = out / f"{suite.name}.deselect.matched"
    if matched.exists():
        counted: dict[str, int] = json.loads(matched.read_text())
        run.deselected = sum(counted.values())
        run.unmatched = [pattern for pattern, count in counted.items() if not count]
    return run


def regrtest_results(
    xmls: dict[str, pathlib.Path],
) -> dict[str, dict[str, Result]]:
    """Both passes' outcomes of a regrtest suite, each naming the other's
    nameless test cases (see junit.name_bare)."""
    cases = {
        name: read_regrtest(xml) if xml.exists() else [] for name, xml in xmls.items()
    }
    return {
        "cpython": name_bare(cases["cpython"], cases["httpcore"]),
        "httpcore": name_bare(cases["httpcore"], cases["cpython"]),
    }


def describe(name: str, run: Run, excluded_count: int) -> str:
    found = counts(run.results)
    failed = f"{found['failed']} failed"
    if name == "httpcore":
        failed += f" ({excluded_count} excluded)"
    deselected = "" if run.deselected is None else f", {run.deselected} deselected"
    return (
        f"  {name:<9} {found['passed']} passed, {failed}, {found['skipped']}"
        f" skipped{deselected}  [{run.seconds:.0f} s"
        f"; {run.children} child processes]"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=pathlib.Path, required=True)
    parser.add_argument(
        "--source", action="append", default=[], metavar="NAME=DIR",
        help="a library's extracted source tree (its tests)",
    )  # fmt: skip
    parser.add_argument(
        "--suite", action="append", choices=[suite.name for suite in SUITES],
        help="run only these suites (default: all)",
    )  # fmt: skip
    args = parser.parse_args()
    sources = {
        name: pathlib.Path(path).resolve()
        for name, path in (item.split("=", 1) for item in args.source)
    }
    chosen = [s for s in SUITES if args.suite is None or s.name in args.suite]
    for suite in chosen:
        if suite.library is not None and suite.library not in sources:
            parser.error(f"suite {suite.name} needs --source {suite.library}=DIR")

    install_hook()
    version = sys.version_info[:3]
    skip = deselected(version[:2])
    exclusions = excluded(version)
    work: pathlib.Path = args.work.resolve()
    shutil.rmtree(work, ignore_errors=True)

    runs: dict[str, dict[str, Run]] = {suite.name: {} for suite in chosen}
    for name in PASSES:
        out = work / name
        out.mkdir(parents=True)
        print(f"consumers: {name} pass (http.client is {PASSES[name]})", flush=True)
        started = time.monotonic()
        for suite in chosen:
            run = run_suite(suite, name, sources, out, skip)
            runs[suite.name][name] = run
            print(f"  {suite.name}: {run.seconds:.0f} s", flush=True)
        print(f"  {name} pass: {time.monotonic() - started:.0f} s", flush=True)

    python = ".".join(map(str, version))
    print(f"\nconsumers on Python {python}: cpython pass against httpcore pass")
    failed = False
    totals = {"passed": 0, "failed": 0, "skipped": 0}
    for suite in chosen:
        both = runs[suite.name]
        if suite.runner == "regrtest":
            named = regrtest_results(
                {name: work / name / f"{suite.name}.xml" for name in PASSES}
            )
            for name in PASSES:
                both[name].results = named[name]
        verdict: Verdict = compare(
            suite.name, both["cpython"].results, both["httpcore"].results, exclusions
        )
        print(f"\n{suite.name} ({suite.runner} {' '.join(suite.args)})")
        for name in PASSES:
            print(describe(name, both[name], len(verdict.excluded)))
        for name in PASSES:
            for problem in both[name].problems:
                failed = True
                print(f"  {name} pass (on {PASSES[name]}?): {problem}")
        for pattern in both["cpython"].unmatched:
            failed = True
            print(
                f"  deselected but matched no test (remove it from deselected.py):"
                f" {suite.name}:{pattern}"
            )
        report(verdict)
        failed = failed or verdict.failed
        for kind, number in counts(both["httpcore"].results).items():
            totals[kind] += number
    print(
        f"\nconsumers on httpcore: {totals['passed']} passed,"
        f" {totals['failed']} failed, {totals['skipped']} skipped"
    )
    if failed:
        print("consumers: FAILED (see above)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
