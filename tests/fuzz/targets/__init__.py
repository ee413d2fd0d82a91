"""The fuzz targets: one module per sans-I/O parser, each with a ``check(data)``
that takes any bytes and raises :class:`~fuzz.targets._common.Finding` (or
any exception a parser should not raise) when the implementations disagree.

The same functions serve atheris (``python -m fuzz.targets NAME``, through
``tests/fuzz/run_atheris.py``), the hypothesis properties and the replay of
committed inputs, so a crash atheris finds is replayed by plain pytest.
"""

from __future__ import annotations

#: Every target, by the name its corpus and regression folders use.
TARGETS = ("header_block", "chunked", "status_framing", "request")
