# Which proxy a request goes through, and how, as curl decides
# (https://curl.se/docs/manpage.html#-x, https://everything.curl.dev/usingcurl/proxies/env):
# -x/--proxy wins, otherwise the environment: http_proxy for http:// URLs
# (lower case only: HTTP_PROXY can be set by a CGI request's "Proxy:"
# field, CVE-2016-5385), https_proxy or HTTPS_PROXY for https://, and
# all_proxy or ALL_PROXY for both; --noproxy, or else no_proxy / NO_PROXY,
# lists the hosts that go direct.  The environment is read by the standard
# library's urllib.request (its *_environment functions: curl never reads
# the macOS or Windows system settings that getproxies() would).  An
# http:// URL is sent to the proxy in absolute form (RFC 9112 section
# 3.2.2); an https:// URL, or any with -p/--proxytunnel, goes through a
# CONNECT tunnel (RFC 9110 section 9.3.6).  Proxy credentials go in
# Proxy-Authorization: Basic, on the CONNECT or on each absolute-form
# request.
from __future__ import annotations

import dataclasses
import os
import urllib.request

from ._errors import CliError, Exit
from ._target import Target, basic, credentials, split

#: The port of an http:// proxy given without one (curl's), and of an
#: https:// one.
_PORTS = {"http": 1080, "https": 443}


@dataclasses.dataclass(frozen=True)
class Proxy:
    """A proxy to go through."""

    #: ``http`` or ``https`` (TLS to the proxy itself).
    scheme: str
    host: str
    port: int
    #: The ``Proxy-Authorization`` value, if there are credentials.
    authorization: str | None
    #: Whether requests go through a CONNECT tunnel (else absolute form).
    tunnel: bool

    @property
    def where(self) -> str:
        """``host:port`` for messages, IPv6 addresses in brackets."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}"

    @property
    def fields(self) -> dict[str, str]:
        """The fields the proxy wants on a CONNECT or an absolute-form
        request."""
        if self.authorization is None:
            return {}
        return {"Proxy-Authorization": self.authorization}


def environment() -> dict[str, str]:
    """The proxies of the environment as curl reads them: ``http``,
    ``https``, ``all`` and ``no`` (upper-case ``HTTP_PROXY`` ignored)."""
    proxies = urllib.request.getproxies_environment()
    if not os.environ.get("http_proxy"):
        proxies.pop("http", None)
    return proxies


def choose(
    target: Target,
    proxy: str | None,
    noproxy: str | None,
    *,
    proxy_user: str | None = None,
    tunnel: bool = False,
) -> Proxy | None:
    """The proxy for ``target``, or ``None`` to go direct.

    :param proxy: -x's argument; ``None`` to read the environment, ``""``
        for no proxy (as in curl).
    :param noproxy: --noproxy's list; ``None`` to read ``no_proxy``.
    :param proxy_user: --proxy-user's ``user:password``, which replaces
        credentials in the proxy's URL.
    :param tunnel: -p: tunnel http:// URLs too.
    :raises CliError: a malformed proxy (status 3) or one that is neither
        http nor https (status 1).
    """
    found = environment()
    if proxy is None:
        proxy = found.get(target.scheme) or found.get("all")
    if not proxy:
        return None
    no = found.get("no", "") if noproxy is None else noproxy
    if no and _bypass(target.host, {"no": no}):
        return None
    return parse_proxy(proxy, proxy_user, tunnel or target.scheme == "https")


def _bypass(host: str, proxies: dict[str, str]) -> bool:
    """Whether ``proxies["no"]`` lists ``host``: urllib.request's matching
    (``*``, names and their subdomains, a leading dot, IP addresses)."""
    # Documented in urllib.request's source only, and missing from typeshed.
    return bool(urllib.request.proxy_bypass_environment(host, proxies))  # type: ignore[attr-defined]


def parse_proxy(proxy: str, proxy_user: str | None, tunnel: bool) -> Proxy:
    """The :class:`Proxy` of ``[scheme://][user:password@]host[:port]``."""
    url = proxy if "://" in proxy else f"http://{proxy}"
    parts, port = split(url, "proxy", "proxy scheme", _PORTS)
    if not parts.hostname or parts.path not in ("", "/"):
        raise CliError(
            Exit.BAD_URL,
            f"--proxy takes [SCHEME://][USER:PASSWORD@]HOST[:PORT], got {proxy!r}",
        )
    found: str | bytes | None = proxy_user
    if found is None:
        found = credentials(parts)
    return Proxy(
        scheme=parts.scheme,
        host=parts.hostname,
        port=port,
        authorization=None if found is None else basic(found),
        tunnel=tunnel,
    )
