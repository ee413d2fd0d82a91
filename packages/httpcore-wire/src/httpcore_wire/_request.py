# The request line and header field lines of an HTTP/1.1 request (RFC 9112
# sections 3 and 5; tokens from RFC 9110 section 5.6.2), built as
# http.client's putrequest() and putheader() build them: bytes without the
# CRLF, which the caller joins with CRLF.  The host and the Host field are
# _host.py's.
#
# Strategy: every check CPython makes comes first, with CPython's exception
# type and message, so whatever CPython refuses is refused the same way.  The
# checks CPython lacks come after and only refuse input that could inject or
# smuggle something: a method that is not a token; a field name that is not
# a token (RFC 9110 section 5.1: "Content-Length " or a name with a
# no-break space is how a framing field gets past one parser and into
# another); a field value with a control character other than HTAB, obs-fold
# included (RFC 9112 section 5.2: senders must not generate it).  Each check
# is one regular-expression scan; the scan that explains a refusal runs only
# after a check has failed.
from __future__ import annotations

import re

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
