# urllib.request on httpcore: httpcore_compat.install() puts it in place of
# http.client, and urlopen() then talks to nginx (plain, chunked, TLS, POST,
# an HTTP error) and through squid (CONNECT, as urllib does for https with a
# proxy) with our classes, giving what the standard library gives.
from __future__ import annotations

import http.client as stdlib
import ssl
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest

import httpcore_client
import httpcore_compat

if TYPE_CHECKING:
    from conftest import Nginx, Squid, Tls

VOLATILE = frozenset({"date", "x-connection", "x-connection-requests"})


@pytest.fixture
def installed() -> Iterator[None]:
    """httpcore_compat in place of http.client for one test, undone even if
    the test fails."""
    assert not httpcore_compat.installed()
    httpcore_compat.install()
    try:
        yield
    finally:
        httpcore_compat.uninstall()
        assert sys.modules["http.client"] is stdlib


def opener(
    context: ssl.SSLContext | None = None, proxy: str | None = None
) -> urllib.request.OpenerDirector:
    # An explicit ProxyHandler: the environment's *_proxy settings must not
    # send these requests anywhere but loopback.
    proxies = {"https": proxy} if proxy else {}
    return urllib.request.build_opener(
        urllib.request.ProxyHandler(proxies),
        urllib.request.HTTPSHandler(context=context),
    )


def fetch(
    director: urllib.request.OpenerDirector, url: str, data: bytes | None = None
) -> tuple[Any, int, list[tuple[str, str]], bytes]:
    with director.open(url, data=data, timeout=30) as response:
        fields = [
            (name, value)
            for name, value in response.getheaders()
            if name.lower() not in VOLATILE
        ]
        return type(response), response.status, fields, response.read()


def both(
    director: urllib.request.OpenerDirector, url: str, data: bytes | None = None
) -> Any:
    """The result of ``url`` with the standard library, then with httpcore
    installed; asserts that httpcore's response class served the second."""
    theirs = fetch(director, url, data)
    assert theirs[0] is stdlib.HTTPResponse
    httpcore_compat.install()
    try:
        ours = fetch(director, url, data)
    finally:
        httpcore_compat.uninstall()
    assert ours[0] is httpcore_client.HTTPResponse
    return ours[1:], theirs[1:]


@pytest.mark.parametrize(
    "path",
    [
        "/files/small.txt",
        "/files/mid.bin",
        "/chunked/mid.bin",
        "/stream?chunks=30&size=777",
    ],
)
def test_urlopen_http_like_the_standard_library(nginx: Nginx, path: str) -> None:
    assert not httpcore_compat.installed()
    ours, theirs = both(opener(), f"http://{nginx.host}:{nginx.port}{path}")
    assert ours == theirs
    assert ours[0] == 200


def test_urlopen_32_mib(nginx: Nginx, installed: None) -> None:
    big = nginx.samples["big.bin"]
    url = f"http://{nginx.host}:{nginx.port}{big.path}"
    with opener().open(url, timeout=30) as response:
        assert isinstance(response, httpcore_client.HTTPResponse)
        assert response.read() == big.data


def test_urlopen_post(nginx: Nginx, installed: None) -> None:
    data = bytes(range(256)) * 300
    url = f"http://{nginx.host}:{nginx.port}/echo"
    assert fetch(opener(), url, data)[3] == data


def test_urlopen_https(nginx: Nginx, tls: Tls, installed: None) -> None:
    mid = nginx.samples["mid.bin"]
    _, status, _, body = fetch(
        opener(tls.context()), f"https://localhost:{nginx.tls_port}{mid.path}"
    )
    assert (status, body) == (200, mid.data)


def test_urlopen_https_through_squid(nginx: Nginx, squid: Squid, tls: Tls) -> None:
    mid = nginx.samples["mid.bin"]
    director = opener(tls.context(), proxy=f"http://{squid.host}:{squid.port}")
    ours, theirs = both(
        director, f"https://localhost:{nginx.tls_port}{mid.chunked_path}"
    )
    assert ours == theirs
    assert ours[2] == mid.chunked_data


def test_urlopen_http_error(nginx: Nginx, installed: None) -> None:
    url = f"http://{nginx.host}:{nginx.port}/files/missing"
    with pytest.raises(urllib.error.HTTPError) as caught:
        opener().open(url, timeout=30)
    with caught.value as error:
        assert error.code == 404
        assert b"404 Not Found" in error.read()


def test_urlopen_certificate_failure(nginx: Nginx, tls: Tls, installed: None) -> None:
    url = f"https://localhost:{nginx.tls_port}/files/small.txt"
    with pytest.raises(urllib.error.URLError) as caught:
        opener(tls.untrusting_context()).open(url, timeout=30)
    assert isinstance(caught.value.reason, ssl.SSLCertVerificationError)
