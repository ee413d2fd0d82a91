"""Tests of the consumers' own suites that pass on the standard library's
http.client and fail on httpcore_compat, each with the reason. The list is
part of the review: only behaviour that httpcore changes on purpose (each
such difference is on the docs' "Differences from http.client" page), never
a bug. run_consumers.py fails on a regression outside this list, and on an
entry that no longer fails (the list must stay true).

Keys are ``SUITE:TEST-ID``: the suite's name in run_consumers.py and the id
its runner takes on the command line (a pytest node id relative to the
library's source tree, a regrtest test id); ``*`` matches any characters.
"""

from __future__ import annotations

# Excluded on every Python.
ALWAYS: dict[str, str] = {
    "stdlib:test.test_httpservers.BaseHTTPServerTestCase.test_send_error": (
        "the server answers 102 Processing and closes; http.client returns the"
        " 102 as the final response, which on a live connection leaves the"
        " real response on the socket for the next request to read"
        " (desynchronisation). httpcore skips every 1xx but 101 as the interim"
        " response it is (RFC 9110 section 15.2) and reports the close as"
        " RemoteDisconnected"
    ),
    **{
        f"stdlib:test.test_urllib2_localnet.TestUrlopen.{test}": (
            "http.server over TLS ends an HTTP/1.0 body that runs until the"
            " connection closes without TLS close_notify; an attacker on the"
            " path can forge that end to cut the body short, so RFC 9112"
            " section 9.8 does not count the body complete, and httpcore"
            " raises IncompleteRead where http.client returns it"
            " (HTTPSConnection.suppress_ragged_eofs = True restores that)"
        )
        for test in ("test_https", "test_https_sni", "test_https_with_cafile")
    },
}

_CONNECT_CONTROL_CHARACTERS = (
    "CPython 3.13.0 sends control characters in the CONNECT request"
    " (gh-146211), so urllib3 marks the test xfail there; httpcore raises"
    " ValueError at connect() as CPython 3.13.14's fix does: a strict XPASS"
)

# Excluded where CPython lacks the fix for gh-146211: 3.13 before 3.13.14
# and 3.14 before 3.14.5 (urllib3's own _MISSING_TUNNEL_CONTROL_CHAR_FIX);
# urllib3 backports the check on older Pythons.
_BEFORE_GH_146211_FIX: dict[str, str] = {
    "urllib3:test/with_dummyserver/test_connection.py"
    "::test_invalid_tunnel_host[*]": _CONNECT_CONTROL_CHARACTERS,
    "urllib3:test/with_dummyserver/test_connection.py"
    "::test_invalid_tunnel_headers[*]": _CONNECT_CONTROL_CHARACTERS,
}


def excluded(version: tuple[int, int, int]) -> dict[str, str]:
    """The exclusions in force on this Python version (major, minor,
    micro)."""
    table = dict(ALWAYS)
    major_minor, micro = version[:2], version[2]
    if (major_minor == (3, 13) and micro < 14) or (
        major_minor == (3, 14) and micro < 5
    ):
        table.update(_BEFORE_GH_146211_FIX)
    return table
