"""Benchmarks against the standard library, both measured in the same run.

Each benchmark module in this directory (``bench_*.py``) exposes ``CASES``: a
list of :class:`Case`, each naming a baseline (the standard library, or
another client where the case says so) and a contender (httpcore doing the
same job on the same input). The runner checks that both give the same
result, times them in interleaved repetitions (baseline, contender,
baseline, ... each repetition long enough to dwarf timer noise; wall time, or
CPU time where a case says so) and prints the median time per operation of
each and the ratio baseline / contender: above 1 means httpcore is faster.
The ratio is the median of the ratios of each repetition's pair, which ran
one after the other: on a machine whose speed drifts (a virtual machine
whose host is busy), a pair shares its conditions, where the two medians
may come from different spells.  Cases that say so also get the peak of
memory allocated while the job runs once (``tracemalloc``), for each side.

Usage: ``python tests/benchmarks/run.py [--quick] [NAME-SUBSTRING ...]``
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import importlib.util
import os
import pathlib
import platform
import statistics
import sys
import time
import timeit
import tracemalloc
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

HERE = pathlib.Path(__file__).resolve().parent
# The cores this process may run on, read before any benchmark module pins
# it: servers go on the last one, the client on the others.
CORES = sorted(os.sched_getaffinity(0))


def server_and_client_cores() -> tuple[set[int], set[int]]:
    """(the server's core, the client's cores): the same split for every
    module, whichever pinned the process first."""
    return set(CORES[-1:]), set(CORES[:-1] or CORES)


@dataclass(frozen=True)
class Case:
    """One measurement: the same job done by the standard library and by us."""

    Job = Callable[[], Any]

    name: str
    baseline: Job
    contender: Job
    # Turns a result into something comparable, to prove both did the job.
    result: Callable[[Any], Any] = repr
    # What is measured: wall time by default, time.process_time for CPU.
    timer: Callable[[], float] = time.perf_counter
    # Whether to report the peak of memory allocated by one run of each job.
    memory: bool = False


PIECE = 1 << 20


def downloader(module: Any, port: int, path: str, how: str) -> Callable[[], str]:
    """A job that GETs ``path`` on a keep-alive connection of ``module``
    (http.client or httpcore_client) and reads the body as users do:
    ``"read()"`` of the whole body, ``"readinto"`` of a 1 MiB buffer, or
    ``"read(1 MiB)"``.  Returns a digest of the first bytes of each piece
    and the total, so that both sides prove they read the same body."""
    connection = module.HTTPConnection("127.0.0.1", port)
    buffer = bytearray(PIECE)

    def download() -> str:
        connection.request("GET", path)
        response = connection.getresponse()
        assert response.status == 200, response.status
        digest = hashlib.sha256()
        total = 0
        if how == "read()":
            data = response.read()
            digest.update(data[:16])
            total = len(data)
        elif how == "readinto":
            while n := response.readinto(buffer):
                digest.update(memoryview(buffer)[:16])
                total += n
        else:
            while data := response.read(PIECE):
                digest.update(data[:16])
                total += len(data)
        return f"{digest.hexdigest()} {total}"

    return download


def _number(
    func: Callable[[], Any], clock: Callable[[], float], min_time: float
) -> int:
    """How many calls one repetition of ``func`` makes to last ``min_time``."""
    timer = timeit.Timer(func, timer=clock)
    number = 1
    while timer.timeit(number) < min_time:
        number *= 2
    return number


def paired_timings(
    jobs: tuple[Callable[[], Any], Callable[[], Any]],
    clock: Callable[[], float],
    repeat: int,
    min_time: float,
) -> tuple[float, float, float]:
    """The median time per call of each of two jobs, over ``repeat``
    repetitions taken in turn (job 1, job 2, job 1, ...), and the median of
    the ratios job 1 / job 2 of each repetition's pair."""
    numbers = [_number(job, clock, min_time) for job in jobs]
    timers = [timeit.Timer(job, timer=clock) for job in jobs]
    first: list[float] = []
    second: list[float] = []
    for _ in range(repeat):
        first.append(timers[0].timeit(numbers[0]) / numbers[0])
        second.append(timers[1].timeit(numbers[1]) / numbers[1])
    ratios = [a / b for a, b in zip(first, second, strict=True)]
    return (
        statistics.median(first),
        statistics.median(second),
        statistics.median(ratios),
    )


def peak_allocated(job: Callable[[], Any]) -> int:
    """The peak of memory allocated through Python while ``job`` runs once,
    above what was allocated before (bytes)."""
    gc.collect()
    tracemalloc.start()
    try:
        job()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def load_cases(selected: Sequence[str]) -> list[Case]:
    cases: list[Case] = []
    for path in sorted(HERE.glob("bench_*.py")):
        spec = importlib.util.spec_from_file_location(path.stem, path)
        assert spec is not None
        assert spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        cases.extend(module.CASES)
    if selected:
        cases = [case for case in cases if any(s in case.name for s in selected)]
    return cases


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="short measurement")
    parser.add_argument("names", nargs="*", help="run only cases containing these")
    args = parser.parse_args(argv)
    # Shorter repetitions, more of them: pairs closer in time.
    repeat, min_time = (5, 0.02) if args.quick else (21, 0.08)

    print(f"{platform.python_implementation()} {platform.python_version()}")
    print(f"{'case':52} {'baseline':>12} {'httpcore':>12} {'ratio':>7}")
    failures = 0
    for case in load_cases(args.names):
        expected, got = case.result(case.baseline()), case.result(case.contender())
        if expected != got:
            print(f"{case.name:52} RESULTS DIFFER:\n  {expected!r}\n  {got!r}")
            failures += 1
            continue
        baseline, contender, ratio = paired_timings(
            (case.baseline, case.contender), case.timer, repeat, min_time
        )
        line = (
            f"{case.name:52} {baseline * 1e6:10.2f}us {contender * 1e6:10.2f}us"
            f" {ratio:6.2f}x"
        )
        if case.memory:
            peaks = [
                peak_allocated(job) / (1 << 20)
                for job in (case.baseline, case.contender)
            ]
            line += f"   peak {peaks[0]:.0f} / {peaks[1]:.0f} MiB"
        print(line)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.path.insert(0, str(HERE))
    sys.exit(main())
