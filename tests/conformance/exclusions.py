"""Tests of CPython's test.test_httplib that httpcore_compat does not pass,
each with the reason. The list is part of the review: only tests of CPython
internals, of behaviour the Python 3.12+ documentation changed, or of unsafe
behaviour that httpcore changes on purpose (each such difference is on the
docs' "Differences from http.client" page, which states the rule)."""

from __future__ import annotations

# Tests excluded on every Python.
ALWAYS: dict[str, str] = {
    "OfflineTest.test_all": (
        "counts the names whose __module__ is 'http.client' (CPython internals);"
        " __all__ itself is the same list"
    ),
    "HeaderTests.test_putheader": (
        "asserts that field names with a space before the colon ('KeySpace ')"
        " or a no-break space, and values with obs-fold ('is\\r\\n allowed'),"
        " are sent: such a name is how a framing field such as"
        " 'Content-Length ' gets past one parser and into another (request"
        " smuggling; RFC 9110 section 5.1), and RFC 9112 section 5.2 forbids"
        " senders to generate obs-fold. httpcore raises ValueError('Invalid"
        " header name/value ...') at the same call; 'Key Space' and the"
        " documented continuation lines of putheader(name, v1, v2) are kept"
    ),
}

_BEFORE_312 = {
    "TunnelTests.test_set_tunnel_host_port_headers": (
        "expects set_tunnel() to add no Host field; 3.12 added it (gh-66897)"
    ),
}

# Tests excluded on some Pythons only: (major, minor) -> {test: reason}.
BY_VERSION: dict[tuple[int, int], dict[str, str]] = {
    (3, 10): _BEFORE_312,
    (3, 11): _BEFORE_312,
}


def excluded(version: tuple[int, int]) -> dict[str, str]:
    """The exclusions in force on this Python version."""
    return {**ALWAYS, **BY_VERSION.get(version, {})}
