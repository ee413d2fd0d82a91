# The optional compiled accelerator (_speedups.c, built by hatch_build.py
# where a C compiler is at hand): each module that has a compiled fast path
# asks here for it, and keeps its Python code for when there is none.
from __future__ import annotations

import os
from typing import Any


def compiled(name: str) -> Any:
    """The accelerator's ``name`` when the wheel carries the accelerator
    and ``HTTPCORE_NO_EXTENSIONS`` is not set, else None."""
    if os.environ.get("HTTPCORE_NO_EXTENSIONS"):
        return None
    try:
        from . import _speedups
    except ImportError:
        return None
    return getattr(_speedups, name)
