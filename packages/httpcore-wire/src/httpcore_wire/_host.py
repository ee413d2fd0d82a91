# The host of a request: the connection's host and port as http.client's
# HTTPConnection takes them, and the Host field (RFC 9112 section 3.2)
# built from them or from an absolute target.
#
# Strategy: CPython's parsing and CPython's messages first, so whatever
# CPython accepts or refuses is accepted or refused the same way; then the
# checks CPython lacks, each against something that could reach another
# host than the one named: a port outside 0-65535 (getaddrinfo() takes it
# modulo 65536), a non-ASCII host whose IDNA form holds a space or a "/"
# (nameprep maps U+3000 and U+FF0F to them), an IPv6 zone id that is not
# RFC 6874's unreserved characters.
from __future__ import annotations

import re
from urllib.parse import urlsplit

from ._exceptions import InvalidURL
from ._request import _check_url, _url_control

# An IPv6 zone id (RFC 6874 section 2): unreserved characters only, so that
# nothing a proxy or server might percent-decode reaches a request line.
_zone = re.compile(r"%(.*)").search
_is_zone_id = re.compile(r"[A-Za-z0-9\-._~]*").fullmatch


def validate_host(host: str) -> None:
    """Check that ``host`` has no control character, space or DEL.

    CPython's ``_validate_host``, the fix for CVE-2019-18348; the message is
    CPython's, which says "URL" for a host too. Two checks CPython lacks: a
    host that is not ASCII is checked in its IDNA form too, which is what
    goes into the ``Host`` field and the CONNECT line (IDNA's nameprep maps
    U+00A0 and U+3000 to a space), and that form must be a host name's
    letters, digits, ``-``, ``_`` and ``.`` (nameprep maps U+FF0F, a fullwidth
    ``/``, to ``/``); the ``%zone`` of an IPv6 address must be
    letters, digits, ``-``, ``.``, ``_`` or ``~`` (RFC 6874).

    :param host: a host name or address, without brackets or port.
    :raises InvalidURL: naming the first character in ``\\x00-\\x20`` or
        ``\\x7f``, in the host or in its IDNA form; ``"host ... is ... in
        its IDNA form"`` for an IDNA form with other characters than a host
        name's; or ``"IPv6 zone id ... "`` for a zone with other
        characters.
    """
    _check_url(host)
    if not host.isascii():
        _check_idna(host)
    if ":" in host:
        zone = _zone(host.removeprefix("[").removesuffix("]"))
        if zone is not None and not _is_zone_id(zone[1]):
            raise InvalidURL(
                f"IPv6 zone id {zone[1]!r} holds characters other than"
                " letters, digits and -._~ (RFC 6874)"
            )


def _check_idna(host: str) -> None:
    try:
        encoded = host.encode("idna").decode("ascii")
    except UnicodeError:
        return  # refused where it is encoded, as in CPython
    match = _url_control(encoded)
    if match:
        raise InvalidURL(
            f"URL can't contain control characters. {host!r} "
            f"(found at least {match.group()!r} in its IDNA form {encoded!r})"
        )
    if not _is_idna_name(encoded):
        # Nameprep also maps fullwidth / : @ ? # to ASCII: "evil.com\uff0fx"
        # would name the host "evil.com/x" in Host and the CONNECT line.
        raise InvalidURL(
            f"host {host!r} is {encoded!r} in its IDNA form: a host name holds"
            " only letters, digits, '-', '_' and '.' there (RFC 5890 section"
            " 2.3.2.1)"
        )


_is_idna_name = re.compile(r"[A-Za-z0-9._-]*").fullmatch


def parse_host_port(host: str, port: int | None, default_port: int) -> tuple[str, int]:
    """Split ``"host:port"`` as ``HTTPConnection`` does with its arguments.

    CPython 3.13's ``_get_hostport``: without ``port``, a ``:`` after the
    last ``]`` starts the port (``int()`` parses it, so CPython's leniency,
    such as ``" 80"``, is kept); an empty port means ``default_port``.
    Brackets around the host are removed whether or not ``port`` was given
    (before 3.13 only when it was not).

    A port outside 0 to 65535 is refused: :func:`socket.getaddrinfo` would
    take it modulo 65536, so the connection would go to another port than
    the one the ``Host`` field names.

    :param host: a host, optionally with ``:port``; IPv6 in brackets.
    :param port: the port, or ``None`` to take it from ``host``.
    :param default_port: the port used when none is given.
    :returns: the host without brackets, and the port.
    :raises InvalidURL: ``"nonnumeric port: '...'"``, or ``"port out of
        range 0-65535: ..."``.
    """
    if port is None:
        colon = host.rfind(":")
        if colon > host.rfind("]"):
            text = host[colon + 1 :]
            host = host[:colon]
            if not text:
                port = default_port
            else:
                try:
                    port = int(text)
                except ValueError:
                    raise InvalidURL(f"nonnumeric port: '{text}'") from None
        else:
            port = default_port
    # (A port given as a str, which CPython passes on as it is, is left to
    # getaddrinfo(); it cannot be taken modulo 65536.)
    number: object = port
    if isinstance(number, int) and not 0 <= number < 65536:
        raise InvalidURL(f"port out of range 0-65535: {number}")
    if host[:1] == "[" and host[-1:] == "]":
        host = host[1:-1]
    return host, port


def host_field_value(host: str, port: int, default_port: int) -> bytes:
    """The ``Host`` value ``putrequest()`` sends for a connection's host.

    The host is encoded as ASCII, or IDNA if it is not ASCII; an IPv6
    address is wrapped in brackets and its ``%zone`` removed; the port
    follows a colon unless it is ``default_port``.  Unlike CPython, the host
    is checked first: CPython checks the connection's host but not the one
    given to ``set_tunnel()``.

    :param host: the host, as :func:`parse_host_port` returns it.
    :param port: the port to connect to.
    :param default_port: the scheme's default port (80 or 443).
    :returns: for example ``b"[::1]:8080"``.
    :raises InvalidURL: for a host refused by :func:`validate_host`.
    :raises UnicodeError: if a non-ASCII host has no IDNA encoding.
    """
    validate_host(host)
    try:
        encoded = host.encode("ascii")
    except UnicodeEncodeError:
        encoded = host.encode("idna")
    if b":" in encoded and not encoded.startswith(b"["):
        encoded = b"[" + encoded + b"]"
    if ":" in host and encoded.startswith(b"["):
        address, percent, _ = encoded.partition(b"%")
        if percent:
            encoded = address + b"]"
    if port == default_port:
        return encoded
    return encoded + b":" + str(port).encode("ascii")


def host_from_url(url: str) -> bytes | None:
    """The ``Host`` value ``putrequest()`` takes from an absolute URL.

    For a target that starts with ``"http"`` and has a network location
    (a request to a proxy), that location encoded as ASCII or IDNA, with
    the ``%zone`` of a bracketed IPv6 address removed; otherwise ``None``,
    and the connection's host is used (:func:`host_field_value`).  Unlike
    CPython 3.11+, the port after a zone is kept, and a ``%`` outside
    brackets (``http://user%40x@host/``) is left alone where CPython fails
    an ``assert``.

    The target itself is not validated here (``putrequest()`` leaves that
    to ``_validate_path()``, which subclasses may relax); the value returned
    goes into a header field, whose own validation refuses control
    characters.

    :param url: the request target.
    :returns: for example ``b"example.com:8080"``, or ``None``.
    :raises ValueError: if :func:`urllib.parse.urlsplit` refuses the URL.
    :raises UnicodeError: if a non-ASCII location has no IDNA encoding.
    """
    if not url.startswith("http"):
        return None
    netloc = urlsplit(url).netloc
    if not netloc:
        return None
    try:
        encoded = netloc.encode("ascii")
    except UnicodeEncodeError:
        encoded = netloc.encode("idna")
    return _strip_zone(encoded)


def _strip_zone(netloc: bytes) -> bytes:
    # The zone names an interface of the client, which means nothing to the
    # server (RFC 6874 section 4).  Only a "%" inside the brackets starts it.
    at = netloc.rfind(b"@") + 1
    host_port = netloc[at:]
    percent = host_port.find(b"%")
    close = host_port.find(b"]")
    if not host_port.startswith(b"[") or not 0 <= percent < close:
        return netloc
    return netloc[:at] + host_port[:percent] + host_port[close:]
