"""Run one fuzz target under atheris (libFuzzer in the interpreter)::

    PYTHONPATH=tests python -m fuzz.targets header_block -max_total_time=60 CORPUS...

The arguments after the target's name are libFuzzer's; ``run_atheris.py``
chooses them.  Every uncaught exception in the target's ``check_input`` is
a crash: libFuzzer writes the input to its ``-artifact_prefix`` and exits
non-zero.

What is coverage-guided: atheris instruments the bytecode of the modules
imported inside :func:`atheris.instrument_imports` below, so libFuzzer sees
the branches of httpcore_headers, httpcore_wire and the targets (the pure
Python paths), and of ``http.client`` and ``email``, the references they
are compared with.  It sees no branch of the compiled ``_speedups`` modules:
they are called with the same inputs, but are not instrumented (that would
need them built with clang's ``-fsanitize=fuzzer-no-link``), so inputs
reach their corner cases only through the Python code's and the
comparisons' coverage.  ``nox -s sanitize`` runs them under ASan and UBSan.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from typing import Protocol, cast

from . import TARGETS

#: What is instrumented: our packages, the targets, and the references.
INSTRUMENTED = ["httpcore_headers", "httpcore_wire", "fuzz.targets", "http", "email"]


class _Atheris(Protocol):
    """The part of atheris used here (it ships no type information)."""

    def instrument_imports(
        self, include: Sequence[str] | None = None
    ) -> AbstractContextManager[None]: ...

    def Setup(
        self, args: list[str], test_one_input: Callable[[bytes], None]
    ) -> list[str]: ...

    def Fuzz(self) -> None: ...


def main(argv: list[str]) -> None:
    if len(argv) < 2 or argv[1] not in TARGETS:
        sys.exit(
            f"usage: python -m fuzz.targets {{{','.join(TARGETS)}}} [libFuzzer options]"
        )
    atheris = cast(_Atheris, importlib.import_module("atheris"))
    with atheris.instrument_imports(include=INSTRUMENTED):
        target = importlib.import_module(f"fuzz.targets.{argv[1]}")
    atheris.Setup([argv[0], *argv[2:]], target.check_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main(sys.argv)
