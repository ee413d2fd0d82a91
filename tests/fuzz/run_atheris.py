"""Run every atheris fuzz target (tests/fuzz/targets) for a bounded time.

::

    python tests/fuzz/run_atheris.py [--seconds 60] [--target NAME ...]
                                     [--findings DIR] [--allow-pure]

Each target runs in its own process for ``--seconds`` (libFuzzer's
``-max_total_time``; the environment variable HTTPCORE_FUZZ_SECONDS gives
the default, else 60), starting from the committed seeds in
``tests/fuzz/corpus/<target>/`` and the committed crash inputs in
``tests/fuzz/regressions/<target>/``.  A crash (an exception escaping the
target, which includes every difference it finds), an input that runs
longer than 10 seconds or a run that exceeds its memory is a finding: its
input is written to ``DIR/<target>/`` with the log beside it.  To keep it,
copy the input into ``tests/fuzz/regressions/<target>/`` under a name that
says what it found: ``tests/fuzz/test_replay.py`` replays it on every
pytest run, and each later fuzzing run starts from it.

The compiled accelerators must be importable, since most targets compare
them with the pure Python code; ``--allow-pure`` runs without them.

Exit status: 0 when no target found anything, 1 on a finding, 2 when the
targets cannot run (atheris or a compiled module missing).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from fuzz.targets import TARGETS  # noqa: E402 -- after the path is set

SPEEDUPS = ("httpcore_headers._speedups", "httpcore_wire._speedups")
#: Beyond --seconds: interpreter start, instrumentation, the seed corpus.
GRACE = 120


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--seconds",
        type=int,
        default=int(os.environ.get("HTTPCORE_FUZZ_SECONDS", "60")),
        help="how long each target runs (default: $HTTPCORE_FUZZ_SECONDS or 60)",
    )
    parser.add_argument(
        "--target",
        action="append",
        choices=TARGETS,
        help="a target to run (repeatable; default: all)",
    )
    parser.add_argument(
        "--findings", type=Path, help="where crash inputs go (default: a new temp dir)"
    )
    parser.add_argument(
        "--allow-pure",
        action="store_true",
        help="run even without the compiled modules (no pure/compiled differential)",
    )
    arguments = parser.parse_args(argv)
    if arguments.seconds < 1:
        parser.error("--seconds must be at least 1")
    return arguments


def _missing(modules: tuple[str, ...]) -> list[str]:
    return [module for module in modules if importlib.util.find_spec(module) is None]


def _runs(log: str) -> str:
    match = re.search(r"Done (\d+) runs in (\d+) second", log)
    return f"{match[1]} inputs in {match[2]} s" if match else "no run count"


def run_target(name: str, seconds: int, findings: Path, env: dict[str, str]) -> bool:
    """Fuzz one target; returns whether it found nothing."""
    found = findings / name
    found.mkdir(parents=True, exist_ok=True)
    corpus = [HERE / "corpus" / name, HERE / "regressions" / name]
    with tempfile.TemporaryDirectory(prefix=f"httpcore-fuzz-{name}-") as work:
        command = [
            sys.executable,
            "-m",
            "fuzz.targets",
            name,
            f"-max_total_time={seconds}",
            "-timeout=10",
            "-rss_limit_mb=2048",
            "-max_len=4096",
            "-print_final_stats=1",
            f"-artifact_prefix={found}{os.sep}",
            work,
            *(str(path) for path in corpus if path.is_dir()),
        ]
        print(f"--- {name}: {seconds} s", flush=True)
        started = time.monotonic()
        try:
            done = subprocess.run(
                command,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
                errors="replace",
                timeout=seconds + GRACE,
            )
            log, status = done.stdout, done.returncode
        except subprocess.TimeoutExpired as expired:
            raw = expired.stdout or ""
            log = raw if isinstance(raw, str) else raw.decode(errors="replace")
            log += f"\nthe run did not stop within {seconds + GRACE} s\n"
            status = -1
    (findings / f"{name}.log").write_text(log)
    inputs = sorted(path for path in found.iterdir() if path.is_file())
    elapsed = time.monotonic() - started
    if status == 0 and not inputs:
        print(f"{name}: no finding ({_runs(log)}, {elapsed:.0f} s wall)", flush=True)
        return True
    print("\n".join(log.splitlines()[-60:]))
    print(f"{name}: FINDING (exit status {status}); inputs: {[str(p) for p in inputs]}")
    return False


def main(argv: list[str] | None = None) -> int:
    arguments = _arguments(argv)
    if importlib.util.find_spec("atheris") is None:
        print(f"atheris is not installed for Python {sys.version.split()[0]}")
        return 2
    env = {**os.environ}
    env["PYTHONPATH"] = os.pathsep.join(
        filter(None, [str(HERE.parent), env.get("PYTHONPATH")])
    )
    if arguments.allow_pure:
        env.pop("HTTPCORE_REQUIRE_EXTENSIONS", None)
    else:
        missing = _missing(SPEEDUPS)
        if missing:
            print(f"the compiled modules {missing} are missing (--allow-pure to go on)")
            return 2
        env["HTTPCORE_REQUIRE_EXTENSIONS"] = "1"
    findings = arguments.findings or Path(tempfile.mkdtemp(prefix="httpcore-fuzz-"))
    findings = findings.resolve()
    print(f"fuzzing for {arguments.seconds} s per target; findings go to {findings}")
    results = {
        name: run_target(name, arguments.seconds, findings, env)
        for name in arguments.target or TARGETS
    }
    failed = [name for name, clean in results.items() if not clean]
    if failed:
        print(f"findings in {failed}: see {findings}")
        return 1
    print(f"no finding in {list(results)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
