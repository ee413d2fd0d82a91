"""Tests of CPython's test.test_httplib that httpcore_compat does not pass,
each with the reason. The list is part of the review: only tests of CPython
internals, of APIs the Python 3.12+ documentation removed, or of unsafe
behaviour that httpcore changes on purpose (see docs/differences.rst)."""

from __future__ import annotations

# Tests excluded on every Python.
ALWAYS: dict[str, str] = {}

# Tests excluded on some Pythons only: (major, minor) -> {test: reason}.
BY_VERSION: dict[tuple[int, int], dict[str, str]] = {}


def excluded(version: tuple[int, int]) -> dict[str, str]:
    """The exclusions in force on this Python version."""
    return {**ALWAYS, **BY_VERSION.get(version, {})}
