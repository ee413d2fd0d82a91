# URLs and redirects for the command-line client.  A URL becomes a Target
# (scheme, host, port, request target); a redirect becomes the next request
# by the rules curl and browsers follow (RFC 9110 section 15.4): 303 turns
# any method but HEAD into GET without a body, 301 and 302 turn POST into
# GET, 307 and 308 keep the method and the body.
from __future__ import annotations

import base64
import dataclasses
import os
import re
import urllib.parse

import httpcore_compat as client

from ._errors import CliError, Exit

_NON_ASCII = re.compile(r"[^\x00-\x7f]+")
_UNSAFE = re.compile(r"[\x00-\x20\x7f]")
#: The statuses -L follows (with a Location field).
REDIRECTS = frozenset({301, 302, 303, 307, 308})
PORTS = {"http": client.HTTP_PORT, "https": client.HTTPS_PORT}


@dataclasses.dataclass(frozen=True)
class Target:
    """Where one request goes."""

    url: str
    scheme: str
    host: str
    port: int
    #: The request target: path and query (origin-form).
    path: str
    #: ``Authorization`` from user:password in the URL, if any.
    authorization: str | None = None

    @property
    def origin(self) -> tuple[str, str, int]:
        """What a connection can be reused for."""
        return (self.scheme, self.host, self.port)

    @property
    def absolute(self) -> str:
        """The URL in absolute form, without credentials: the request
        target for a proxy (RFC 9112 section 3.2.2)."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        if self.port != PORTS[self.scheme]:
            host += f":{self.port}"
        return f"{self.scheme}://{host}{self.path}"

    @property
    def where(self) -> str:
        """``host:port`` for messages, IPv6 addresses in brackets."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}"


def parse_url(url: str) -> Target:
    """The :class:`Target` of ``url``; a URL without a scheme is http, as
    in curl.

    :raises CliError: the scheme is not http or https (status 1), or the URL
        has no host or a bad port (status 3).
    """
    if "://" not in url:
        url = "http://" + url
    if _UNSAFE.search(url):
        # As curl (status 3): nothing is sent, not even a connection made.
        raise CliError(
            Exit.BAD_URL, f"invalid URL {url!r}: a space or control character"
        )
    parts, port = split(url, "URL", "protocol")
    if not parts.hostname:
        raise CliError(Exit.BAD_URL, f"no host in URL {url!r}")
    path = _percent_encode(parts.path or "/")
    if parts.query:
        path += "?" + _percent_encode(parts.query)
    found = credentials(parts)
    authorization = None if found is None else basic(found)
    return Target(
        url=url,
        scheme=parts.scheme,
        host=ascii_host(parts.hostname),
        port=port,
        path=path,
        authorization=authorization,
    )


def upload_url(url: str, path: str) -> str:
    """-T's URL: one whose path is empty or ends in ``/`` gets the base name
    of the file, percent-encoded, as curl appends it (not for ``-``)."""
    if path == "-":
        return url
    if "://" not in url:
        url = "http://" + url
    parts = urllib.parse.urlsplit(url)
    if parts.path and not parts.path.endswith("/"):
        return url
    name = urllib.parse.quote(os.path.basename(path))
    return parts._replace(path=(parts.path or "/") + name).geturl()


def ascii_host(host: str) -> str:
    """``host`` as it goes on the wire: an internationalized name in its
    ASCII form (RFC 5891), with the ``idna`` package (IDNA 2008 and UTS
    46, as curl's libidn2) if it is installed, else the standard library's
    ``idna`` codec (IDNA 2003).

    :raises CliError: the name cannot be encoded (status 3).
    """
    if host.isascii():
        return host
    try:
        try:
            import idna
        except ImportError:
            return host.encode("idna").decode("ascii")
        return idna.encode(host, uts46=True).decode("ascii")
    except (UnicodeError, ValueError) as error:
        raise CliError(Exit.BAD_URL, f"invalid host name {host!r}: {error}") from None


def _percent_encode(text: str) -> str:
    """``text`` with its non-ASCII characters percent-encoded as UTF-8
    (RFC 3986 section 2.1); what is ASCII stays as given."""
    return _NON_ASCII.sub(lambda match: urllib.parse.quote(match[0]), text)


def split(
    url: str, what: str, part: str, ports: dict[str, int] = PORTS
) -> tuple[urllib.parse.SplitResult, int]:
    """``url`` split, with its scheme in lower case (one of ``ports``), and
    its port (the scheme's default if none is given).

    :param what: what the URL is, for messages (``"URL"``, ``"proxy"``).
    :param part: what its scheme is called, for messages.
    :raises CliError: the URL is malformed (status 3) or its scheme is not
        one of ``ports`` (status 1).
    """
    try:
        parts = urllib.parse.urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise CliError(Exit.BAD_URL, f"invalid {what} {url!r}: {error}") from None
    scheme = parts.scheme.lower()
    if scheme not in ports:
        raise CliError(
            Exit.UNSUPPORTED_PROTOCOL,
            f"unsupported {part} {parts.scheme!r} in {url!r} (http and https only)",
        )
    return parts._replace(scheme=scheme), port or ports[scheme]


def credentials(parts: urllib.parse.SplitResult) -> bytes | None:
    """``user:password`` of a URL, percent-decoded, if it has a user."""
    if parts.username is None:
        return None
    found = urllib.parse.unquote_to_bytes(parts.username)
    return found + b":" + urllib.parse.unquote_to_bytes(parts.password or "")


def basic(credentials: str | bytes) -> str:
    """The ``Basic`` credentials (RFC 7617) of ``user:password``; text is
    sent as UTF-8, as curl sends the bytes of its argument."""
    if isinstance(credentials, str):
        credentials = credentials.encode("utf-8", "surrogateescape")
    return "Basic " + base64.b64encode(credentials).decode("ascii")


def redirect_method(status: int, method: str) -> tuple[str, bool]:
    """The method of the request that follows a redirect, and whether it
    carries the original body.

    :param status: the redirect's status (one of :data:`REDIRECTS`).
    :param method: the method of the request that got it.
    """
    if status == 303 and method != "HEAD":
        return "GET", False
    if status in (301, 302) and method == "POST":
        return "GET", False
    return method, True


def redirect_target(current: Target, location: str) -> Target:
    """Where a ``Location`` field (relative or absolute) points, resolved
    against the URL of the request that got it."""
    return parse_url(urllib.parse.urljoin(current.url, location.strip()))
