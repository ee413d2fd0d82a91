# The optional compiled accelerator (_speedups.c, built by setup.py where a
# C compiler is at hand): each module that has a compiled fast path asks
# here for it, and keeps its Python code for when there is none.
from __future__ import annotations

import os
from types import ModuleType
from typing import Any


def module() -> ModuleType | None:
    """The compiled module when the installation carries it and
    ``HTTPCORE_NO_EXTENSIONS`` is not set, else None."""
    if os.environ.get("HTTPCORE_NO_EXTENSIONS"):
        return None
    try:
        from . import _speedups
    except ImportError:
        return None
    return _speedups


def compiled(name: str) -> Any:
    """The accelerator's ``name``, or None without the accelerator."""
    speedups = module()
    return None if speedups is None else getattr(speedups, name)


def accelerated() -> bool:
    """Whether this installation runs httpcore-wire's compiled accelerator.

    It is a C extension, ``httpcore_wire._speedups``, that the platform
    wheels carry (and a source build compiles when a C compiler is at hand).
    It decodes chunked bodies in place and reads whole bodies without
    zero-filling the buffer; without it, the same Python code gives the
    same results, more slowly. ``HTTPCORE_NO_EXTENSIONS=1`` in the
    environment switches it off for a process.

    >>> import httpcore_wire
    >>> httpcore_wire.accelerated() in (True, False)
    True
    """
    return module() is not None
