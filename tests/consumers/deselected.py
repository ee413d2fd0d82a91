"""Tests of the consumers' own suites that cannot run on this machine at
all, whatever http.client is: both passes leave them out, each with the
reason. Nothing here is about httpcore (that is exclusions.py); the test
fails on the standard library's http.client too.

Keys are ``SUITE:TEST-ID`` patterns, as in exclusions.py (``*`` matches any
characters); regrtest ids follow regrtest's ``-i`` rules. A pytest pattern
that matches no test fails the session (the list must stay true); regrtest
does not say what its ``-i`` patterns matched, so a stale regrtest entry is
not caught (there are none today).
"""

from __future__ import annotations

_U3 = "urllib3:test/with_dummyserver/"
# test/contrib/test_pyopenssl.py imports test_https.py's classes, so each
# of their tests runs under both modules: "test/*::TestHTTPS_*::" covers both
# (and every TLS version's class).
_U3_HTTPS = "urllib3:test/*::TestHTTPS_*::"

# urllib3's TARPIT_HOST is 240.0.0.0 (reserved, not routed: a connect()
# there neither completes nor fails, which is how its connect-timeout tests
# get a timeout). This machine talks only to loopback; the suites run with
# pytest-socket's --allow-hosts, which refuses the connection before a
# packet leaves.
_TARPIT = (
    "connects to urllib3's TARPIT_HOST 240.0.0.0 (not loopback) to provoke a"
    " connect timeout; refused by the loopback-only guard"
)
# @requires_network() first probes for a route by connecting to TARPIT_HOST
# port 80 (test/__init__.py: _has_route), whatever the test then does.
_ROUTE_PROBE = (
    "@requires_network(): probes for a route with a connection to urllib3's"
    " TARPIT_HOST 240.0.0.0:80 (not loopback); refused by the loopback-only"
    " guard"
)
# urllib3 tests against its own fork of hypercorn (a git source in its
# pyproject's [tool.uv.sources], which no package registry serves); PyPI's
# hypercorn lacks the fork's two ASGI scope extensions.
_HYPERCORN_TLS = (
    "the dummy server's /alpn_protocol and /certificate read"
    " request.scope['extensions']['tls'], which only urllib3's fork of"
    " hypercorn provides: PyPI's hypercorn answers 500 (KeyError: 'tls')"
)
_HYPERCORN_CONNECT = (
    "goes through a CONNECT tunnel of dummyserver's ProxyApp, which takes the"
    " client's socket from scope['extensions']['_transport'], only in"
    " urllib3's fork of hypercorn: with PyPI's the proxy drops the tunnel"
    " (SSLEOFError) after its 200"
)
# requests' TARPIT is http://10.255.255.1, a private address.
_REQUESTS_TARPIT = (
    "connects to requests' TARPIT 10.255.255.1 (not loopback) to provoke a"
    " connect timeout; refused by the loopback-only guard"
)
_TEST_NET = (
    "urllib3 takes 192.0.2.255 (TEST-NET-1) for a source address no host"
    " has; this machine's eth0 is on 192.0.2.0/24, so bind() to it succeeds"
    " and no NewConnectionError comes"
)

# Deselected on every Python.
ALWAYS: dict[str, str] = {
    # test_connectionpool.py
    _U3 + "test_connectionpool.py::TestConnectionPoolTimeouts"
    "::test_connect_timeout": _TARPIT,
    _U3 + "test_connectionpool.py::TestConnectionPoolTimeouts"
    "::test_total_applies_connect": _TARPIT,
    _U3 + "test_connectionpool.py::TestConnectionPoolTimeouts"
    "::test_create_connection_timeout": _TARPIT,
    _U3 + "test_connectionpool.py::TestConnectionPool"
    "::test_source_address_error[invalid_source_address0-False]": _TEST_NET,
    # test_https.py
    _U3_HTTPS + "test_https_timeout": _ROUTE_PROBE,
    _U3_HTTPS + "test_enhanced_timeout": _ROUTE_PROBE,
    _U3_HTTPS + "test_http2_probe_no_result_in_connect_error": _TARPIT,
    _U3_HTTPS + "test_http2_probe_blocked_per_thread": _TARPIT,
    _U3_HTTPS + "test_alpn_default[*]": _HYPERCORN_TLS,
    _U3_HTTPS + "test_http2_probe_result_is_cached[*]": _HYPERCORN_TLS,
    _U3_HTTPS + "test_client_intermediate": _HYPERCORN_TLS,
    _U3_HTTPS + "test_client_key_password": _HYPERCORN_TLS,
    # test_proxy_poolmanager.py
    **{
        _U3 + f"test_proxy_poolmanager.py::TestHTTPProxyManager::{test}": _ROUTE_PROBE
        for test in (
            "test_https_proxy_forwarding_for_https_with_custom_context[*]",
            "test_forwarding_proxy_request_timeout[*]",
            "test_tunneling_proxy_request_timeout[*]",
            "test_forwarding_proxy_connect_timeout[*]",
            "test_tunneling_proxy_connect_timeout[*]",
            "test_https_proxy_tls_error[*]",
            "test_proxy_https_target_tls_error[*]",
            "test_forwarding_proxy_tls_error_with_fallback",
            "test_forwarding_proxy_ssl_context_precedence",
            "test_forwarding_proxy_ssl_context_fallback",
            "test_https_proxy_to_http_target_ssl_context_fallback",
            "test_forwarding_non_https_proxy_ssl_context_fallback",
        )
    },
    **{
        _U3 + f"test_proxy_poolmanager.py::{test}": _HYPERCORN_CONNECT
        for test in (
            "TestHTTPProxyManager::test_basic_proxy",
            "TestHTTPProxyManager::test_https_proxy",
            "TestHTTPProxyManager::test_is_verified_http_proxy_to_https_target",
            "TestHTTPProxyManager::test_is_verified_https_proxy_to_https_target",
            "TestHTTPProxyManager::test_http_and_https_kwarg_ca_cert_data_proxy",
            "TestHTTPProxyManager::test_https_proxy_with_proxy_ssl_context",
            "TestHTTPProxyManager::test_oldapi",
            "TestHTTPProxyManager::test_proxy_verified",
            "TestHTTPProxyManager::test_cross_protocol_redirect",
            "TestHTTPProxyManager::test_headers",
            "TestHTTPProxyManager::test_https_headers",
            "TestHTTPProxyManager::test_proxy_pooling",
            "TestHTTPProxyManager::test_scheme_host_case_insensitive",
            "TestHTTPSProxyVerification::test_https_proxy_assert_fingerprint_md5",
            "TestHTTPSProxyVerification::test_https_proxy_assert_hostname[*]",
            "TestHTTPSProxyVerification::test_https_proxy_ipv4_san",
            "TestHTTPSProxyVerification::test_https_proxy_ipv6_san",
            "TestHTTPSProxyVerification"
            "::test_https_proxy_no_san_hostname_checks_common_name",
        )
    },
    # requests
    "requests:tests/test_requests.py::TestTimeout::test_connect_timeout[*]": (
        _REQUESTS_TARPIT
    ),
    "requests:tests/test_requests.py::TestTimeout::test_total_timeout_connect[*]": (
        _REQUESTS_TARPIT
    ),
}

# Deselected on some Pythons only: (major, minor) -> {pattern: reason}.
BY_VERSION: dict[tuple[int, int], dict[str, str]] = {}


def deselected(version: tuple[int, int]) -> dict[str, str]:
    """The deselections in force on this Python version."""
    return {**ALWAYS, **BY_VERSION.get(version, {})}
