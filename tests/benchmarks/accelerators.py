"""The compiled accelerators priced on the workloads they are for.

Each accelerator is a module global that its package reads on every call
and sets once at import: the compiled function where the extension is
built, else its pure Python twin.  :func:`pure_and_compiled` gives two
jobs that run the same workload with the global set either way, so that a
benchmark case measures both in one run, interleaved, in one process.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpcore_headers._parse
import httpcore_wire._body_buffer
import httpcore_wire._chunked_pull


@dataclass(frozen=True)
class Accelerator:
    """One compiled fast path: where it is bound and its Python twin."""

    label: str
    module: Any
    attribute: str
    python: Any

    def loaded(self) -> Any:
        """The compiled object, or None when this run has none."""
        value = getattr(self.module, self.attribute)
        return None if value is self.python else value


HEADERS = Accelerator(
    "compiled header parser",
    httpcore_headers._parse,
    "crlf_fields",
    httpcore_headers._parse._crlf_fields,
)
CHUNKS = Accelerator(
    "compiled chunk compaction",
    httpcore_wire._chunked_pull,
    "_compact",
    httpcore_wire._chunked_pull._compact_python,
)
BODY_BUFFER = Accelerator(
    "compiled body buffer",
    httpcore_wire._body_buffer,
    "_implementation",
    httpcore_wire._body_buffer.PurePythonBodyBuffer,
)


def pure_and_compiled(
    accelerator: Accelerator, make_job: Callable[[], Callable[[], Any]]
) -> tuple[Callable[[], Any], Callable[[], Any]] | None:
    """(the job with the Python twin, the job with the compiled one), each
    made by ``make_job`` (its own connection), or None when the compiled one
    is not loaded in this run."""
    compiled = accelerator.loaded()
    if compiled is None:
        print(f"accelerators: no {accelerator.label} in this run: left out")
        return None

    def with_value(value: Any) -> Callable[[], Any]:
        job = make_job()

        def run() -> Any:
            setattr(accelerator.module, accelerator.attribute, value)
            try:
                return job()
            finally:
                setattr(accelerator.module, accelerator.attribute, compiled)

        return run

    return with_value(accelerator.python), with_value(compiled)
