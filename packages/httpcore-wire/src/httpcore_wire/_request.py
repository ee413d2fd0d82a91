# The request line and header field lines of an HTTP/1.1 request (RFC 9112
# sections 3 and 5; tokens from RFC 9110 section 5.6.2; Host from RFC 9112
# section 3.2), built as http.client's putrequest() and putheader() build
# them: bytes without the CRLF, which the caller joins with CRLF.
#
# Strategy: every check CPython makes comes first, with CPython's exception
# type and message, so whatever CPython refuses is refused the same way.  The
# checks CPython lacks come after and only refuse input that could inject or
# smuggle something: a method that is not a token; a field name that is not
# a token (RFC 9110 section 5.1: "Content-Length " or a name with a
# no-break space is how a framing field gets past one parser and into
# another); a field value with a control character other than HTAB, obs-fold
# included (RFC 9112 section 5.2: senders must not generate it); a port
# outside 0-65535 (getaddrinfo() takes it modulo 65536, so the socket would
# go to another port than Host names); an IPv6 zone id that is not RFC
# 6874's unreserved characters.  Each check is one regular-expression scan;
# the scan that explains a refusal runs only after a check has failed.
from __future__ import annotations

import re
from urllib.parse import urlsplit

from ._exceptions import InvalidURL

# CPython's patterns: C0 controls in a method; controls, SP and DEL in a URL.
_method_control = re.compile("[\x00-\x1f]").search
_url_control = re.compile("[\x00-\x20\x7f]").search

# token = 1*tchar (RFC 9110 section 5.6.2), spelled out in ASCII ranges
# because \w and \d would also take non-ASCII letters and digits.
_TCHAR = r"!#$%&'*+\-.^_`|~0-9A-Za-z"
_not_tchar = re.compile(f"[^{_TCHAR}]").search

_is_version = re.compile(r"HTTP/[0-9]\.[0-9]").fullmatch

# A field name is a token (RFC 9110 section 5.1); CPython's rule,
# [^:\s][^:\r\n]*, also lets through white space, controls and non-ASCII
# bytes.  Spaces between tokens stay legal ("For The Proxy" is in urllib3's
# own tests): no parser takes "Content Length" for Content-Length, while
# "Content-Length " and "Content-Length\xa0" are how smuggled fields pass.
_is_legal_name = re.compile(f"[{_TCHAR}]+(?: +[{_TCHAR}]+)*".encode()).fullmatch
_bad_name_byte = re.compile(f"^ | $|[^ {_TCHAR}]".encode()).search

# A field value is visible characters, spaces and tabs (RFC 9110 section
# 5.5), obs-text included: no control character but HTAB, so no CR or LF,
# and so no obs-fold (RFC 9112 section 5.2).  This refuses everything
# CPython's \n(?![ \t])|\r(?![ \t\n]) refuses.
_bad_value = re.compile(rb"[\x00-\x08\x0a-\x1f\x7f]").search

_BYTE_NAMES = {
    b"\x00": "NUL",
    b"\t": "HTAB",
    b"\n": "LF",
    b"\r": "CR",
    b" ": "SP",
    b"\x7f": "DEL",
    b"\xa0": "NBSP",
}

# What a multi-value putheader() puts between values: CPython's documented
# continuation lines, which this package keeps (the values themselves hold
# no CR or LF).
_CONTINUATION = b"\r\n\t"

# An IPv6 zone id (RFC 6874 section 2): unreserved characters only, so that
# nothing a proxy or server might percent-decode reaches a request line.
_zone = re.compile(r"%(.*)").search
_is_zone_id = re.compile(r"[A-Za-z0-9\-._~]*").fullmatch


# Field names that are tokens and values of printable Latin-1 text and tabs
# pass every check below; the fast path of encode_field_line() tests these.
_plain_name = re.compile(f"[{_TCHAR}]+").fullmatch
_plain_value = re.compile("[\t\x20-\x7e\xa0-\xff]*").fullmatch

# Methods already validated: a client sends the same few again and again.
_valid_methods: set[str] = set()


def validate_method(method: str) -> None:
    """Check that ``method`` can be sent as the method of a request line.

    CPython's check comes first, with its message; then the method must be a
    token (RFC 9110 section 9.1), which CPython does not require: it sends
    ``"G E T"`` as it is, and a space in the method can make a server see
    another request target.  The empty method passes, as in CPython: the
    request line then starts with a space, which a server answers with 400
    (``http.server``'s tests send it on purpose).

    :param method: the request method, for example ``"GET"``.
    :raises ValueError: ``"method can't contain control characters. ..."``
        for C0 control characters, as CPython raises it; otherwise
        ``"method is not an HTTP token ..."`` naming the first character
        that is not a tchar.
    """
    if method in _valid_methods:
        return
    _check_method_controls(method)
    _check_method_token(method)
    if len(_valid_methods) < 64:
        _valid_methods.add(method)


def _check_method_controls(method: str) -> None:
    match = _method_control(method)
    if match:
        raise ValueError(
            f"method can't contain control characters. {method!r} "
            f"(found at least {match.group()!r})"
        )


def _check_method_token(method: str) -> None:
    bad = _not_tchar(method)
    if bad is None:
        return
    raise ValueError(
        f"method is not an HTTP token (RFC 9110 section 9.1): {method!r} "
        f"({bad.group()!r} at index {bad.start()})"
    )


def validate_target(target: str) -> None:
    """Check that ``target`` has no control character, space or DEL.

    CPython's ``_validate_path``, the fix for CVE-2019-9740.

    :param target: the request target, for example ``"/index.html?q=1"``.
    :raises InvalidURL: ``"URL can't contain control characters. ..."``
        naming the first character in ``\\x00-\\x20`` or ``\\x7f``.
    """
    _check_url(target)


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


def _check_url(text: str) -> None:
    match = _url_control(text)
    if match:
        raise InvalidURL(
            f"URL can't contain control characters. {text!r} "
            f"(found at least {match.group()!r})"
        )


def encode_request_line(method: str, target: str, version: str = "HTTP/1.1") -> bytes:
    """Build the request line (RFC 9112 section 3), without its CRLF.

    The checks run in CPython's order, so any input CPython refuses raises
    what CPython raises; the token check on the method runs last.

    :param method: the request method, checked by :func:`validate_method`.
    :param target: the request target, checked by :func:`validate_target`;
        an empty target becomes ``"/"``, as in ``putrequest()``.
    :param version: ``"HTTP/"`` followed by digit, ``"."``, digit.
    :returns: for example ``b"GET / HTTP/1.1"``.
    :raises ValueError: for a method refused by :func:`validate_method`, or
        a malformed version.
    :raises InvalidURL: for a target refused by :func:`validate_target`.
    :raises UnicodeEncodeError: if the line is not ASCII, as CPython's
        ``_encode_request`` raises it (a subclass of :class:`ValueError`).
    """
    _check_method_controls(method)
    target = target or "/"
    _check_url(target)
    if not _is_version(version):
        raise ValueError(f"version must look like 'HTTP/1.1', not {version!r}")
    line = f"{method} {target} {version}".encode("ascii")
    _check_method_token(method)
    return line


def encode_field_name(name: str | bytes) -> bytes:
    """Encode and check a field name as ``putheader()`` does, and more.

    The name must be a token (RFC 9110 section 5.1), or tokens separated by
    spaces (``"Key Space"``, as CPython and urllib3 send it). CPython also
    sends ``"Content-Length "``, ``" Name"``, ``b"Name\\xa0"`` and names with
    controls: names that one parser takes for another field than the next
    parser does.

    :param name: the field name; a ``str`` must be ASCII.
    :returns: the name as bytes.
    :raises UnicodeEncodeError: for a ``str`` that is not ASCII.
    :raises ValueError: ``"Invalid header name b'...'"`` followed by the
        reason: empty, starting or ending with a space, or holding a byte
        that is neither a token character nor a space (``:``, a tab, a
        control, a non-ASCII byte ...).
    :raises TypeError: if ``name`` is neither ``str`` nor bytes-like.
    """
    if isinstance(name, str):
        data = name.encode("ascii")
    else:
        data = _bytes_of(name, "header name must be str or a bytes-like object")
    if not _is_legal_name(data):
        raise ValueError(f"Invalid header name {data!r}: {_name_problem(data)}")
    return data


def _name_problem(name: bytes) -> str:
    bad = _bad_name_byte(name)
    if bad is None:
        return "a field name cannot be empty"
    return (
        f"{_show(bad.group())} at index {bad.start()} is not a token character"
        " (RFC 9110 section 5.1)"
    )


def _show(byte: bytes) -> str:
    return _BYTE_NAMES.get(byte) or repr(byte)


def encode_field_value(value: str | bytes | bytearray | memoryview | int) -> bytes:
    """Encode and check one field value as ``putheader()`` does, and more.

    A ``str`` is encoded as Latin-1, an ``int`` as ``str(value)`` in ASCII
    (``True`` gives ``b"True"``, as in CPython), a bytes-like object is taken
    as it is.  CPython refuses a CR or LF that is not part of obs-fold
    (CRLF followed by SP or HTAB); this refuses every control character but
    HTAB (RFC 9110 section 5.5), so obs-fold too, which RFC 9112 section
    5.2 forbids senders to generate: a parser that does not unfold it may
    take the continuation for a field of its own.  Bytes 0x80 to 0xFF
    (obs-text) stay legal.

    :param value: the field value.
    :returns: the value as bytes.
    :raises UnicodeEncodeError: for a ``str`` that is not Latin-1.
    :raises ValueError: ``"Invalid header value b'...'"`` followed by the
        control character and where it is.
    :raises TypeError: for any other type.
    """
    if isinstance(value, str):
        data = value.encode("latin-1")
    elif isinstance(value, int):
        data = str(value).encode("ascii")
    elif isinstance(value, bytes):
        data = value
    else:
        data = _bytes_of(value, "header value must be str, int or a bytes-like object")
    bad = _bad_value(data)
    if bad:
        raise ValueError(
            f"Invalid header value {data!r}: {_show(bad.group())} at index"
            f" {bad.start()} is a control character, not allowed in a field"
            " value (RFC 9110 section 5.5)"
        )
    return data


def _bytes_of(obj: object, what: str) -> bytes:
    """``obj`` as bytes, or TypeError starting with ``what``."""
    if type(obj) is bytes:
        return obj
    try:
        view = memoryview(obj)  # type: ignore[arg-type]
    except TypeError:
        raise TypeError(f"{what}, not {type(obj).__name__}") from None
    with view:
        return view.tobytes()


def encode_field_line(
    name: str | bytes, *values: str | bytes | bytearray | memoryview | int
) -> bytes:
    """Build a field line as ``putheader(name, *values)`` does, without CRLF.

    Several values are joined with CRLF HTAB (obs-fold), as CPython joins
    them; no value gives an empty field value.

    :param name: checked by :func:`encode_field_name`.
    :param values: each checked by :func:`encode_field_value`.
    :returns: for example ``b"IterHeader: IterA\\r\\n\\tIterB"``.
    :raises ValueError, UnicodeEncodeError, TypeError: as those two do.
    """
    if (
        len(values) == 1
        and type(name) is str
        and type(values[0]) is str
        and _plain_name(name)
        and _plain_value(values[0])
    ):
        # The common case, decided with two C-level matches: a token name and
        # a value of printable characters and tabs is legal as it is.
        return f"{name}: {values[0]}".encode("latin-1")
    head = encode_field_name(name) + b": "
    if len(values) == 1:
        return head + encode_field_value(values[0])
    return head + _CONTINUATION.join([encode_field_value(value) for value in values])


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
