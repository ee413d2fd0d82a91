"""Fuzz target: request validation and serialization (RFC 9112 sections 3
and 5, RFC 9110 sections 5.1, 5.5 and 9.1), httpcore_wire.

Input: a sequence of fields, each one length byte (its low 6 bits) and that
many bytes: a method, a request target, a host, a field name and a field
value, in that order (missing ones are empty).  Bit 6 of a name's or
value's length byte passes it as ``bytes`` instead of ``str``.

Checks, each a finding when it fails:

- whatever CPython's ``putrequest()`` and ``putheader()`` checks refuse
  (``_validate_method``, ``_validate_path``, ``_validate_host``, the field
  name and value patterns) is refused too, with CPython's exception type
  (and text, where the rule is CPython's);
- whatever is accepted holds no CR, LF, NUL or other control character
  (HTAB in a field value aside), and round-trips: a request line splits into
  its three parts, a field line parses back, through ``parse_headers``, into
  the name and value sent;
- :func:`parse_host_port` splits ``host`` as ``HTTPConnection._get_hostport``
  does, refusing in addition only a port outside 0 to 65535.

These functions have no compiled twin.  Only ``ValueError`` (which
``UnicodeError`` and ``InvalidURL``'s own ``HTTPException`` cover) and
``TypeError`` for a wrong type may be raised.
"""

from __future__ import annotations

import functools
import http.client
import io
import re
from collections.abc import Callable, Iterator

from httpcore_headers import parse_headers
from httpcore_wire import (
    InvalidURL,
    encode_field_line,
    encode_field_name,
    encode_field_value,
    encode_request_line,
    host_field_value,
    parse_host_port,
    validate_host,
    validate_method,
    validate_target,
)

from ._common import Outcome, check, outcome, same

_TOKEN = re.compile(rb"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
_CONTROLS = re.compile(rb"[\x00-\x1f\x7f]")
_VALUE_CONTROLS = re.compile(rb"[\x00-\x08\x0a-\x1f\x7f]")


def fields_of(data: bytes) -> Iterator[tuple[bytes, bool]]:
    """The input's fields, each with whether to pass it as bytes."""
    at = 0
    while at < len(data):
        size = data[at] & 0x3F
        yield data[at + 1 : at + 1 + size], bool(data[at] & 0x40)
        at += 1 + size
    while True:
        yield b"", False


def _cpython(check_name: str, text: str) -> Outcome:
    """One of HTTPConnection's validation methods, on a connection that is
    never opened."""
    connection = http.client.HTTPConnection("localhost")
    validate: Callable[[str], None] = getattr(connection, check_name)
    return outcome(lambda: validate(text), (ValueError, http.client.InvalidURL))


def validators_match_cpython(method: str, target: str, host: str) -> None:
    """The three validators refuse what CPython refuses, with its text; what
    they accept has no control character (nor SP, DEL in a URL)."""
    for ours_check, cpython_check, text in (
        (validate_method, "_validate_method", method),
        (validate_target, "_validate_path", target),
        (validate_host, "_validate_host", host),
    ):
        ours = outcome(functools.partial(ours_check, text), (ValueError, InvalidURL))
        theirs = _cpython(cpython_check, text)
        if theirs[0] == "raised":
            same(f"{cpython_check}({text!r})", ours, theirs)
        if ours[0] == "ok":
            encoded = text.encode("latin-1")
            check(
                not _CONTROLS.search(encoded), f"{ours_check.__name__} accepts {text!r}"
            )
    if outcome(lambda: validate_method(method), (ValueError,))[0] == "ok":
        check(
            not method or _TOKEN.fullmatch(method.encode("latin-1")) is not None,
            f"validate_method accepts {method!r}, not a token",
        )


def request_line_round_trips(method: str, target: str) -> None:
    try:
        line = encode_request_line(method, target)
    except (ValueError, InvalidURL):
        return
    check(b"\r" not in line and b"\n" not in line, f"request line {line!r}")
    parts = [part.encode("ascii") for part in (method, target or "/", "HTTP/1.1")]
    same("request line parts", line.split(b" "), parts)


def _cpython_field_refusal(name: bytes, value: bytes) -> bool:
    """Whether ``putheader()`` refuses the encoded name or value."""
    legal = http.client._is_legal_header_name  # type: ignore[attr-defined]
    illegal = http.client._is_illegal_header_value  # type: ignore[attr-defined]
    return not legal(name) or bool(illegal(value))


def field_round_trips(name: str | bytes, value: str | bytes) -> None:
    """A field accepted is a token name and a value without controls (HTAB
    aside), at least as strict as CPython, and parses back as sent."""
    errors = (ValueError, TypeError)
    encoded_name = outcome(lambda: encode_field_name(name), errors)
    encoded_value = outcome(lambda: encode_field_value(value), errors)
    line = outcome(lambda: encode_field_line(name, value), errors)
    if encoded_name[0] == "raised" or encoded_value[0] == "raised":
        check(line[0] == "raised", f"field line of {name!r}, {value!r} accepted")
        return
    raw_name, raw_value = encoded_name[1], encoded_value[1]
    assert isinstance(raw_name, bytes)
    assert isinstance(raw_value, bytes)
    same("field line", line, ("ok", raw_name + b": " + raw_value, ""))
    check(not _cpython_field_refusal(raw_name, raw_value), f"CPython refuses {line!r}")
    check(not _VALUE_CONTROLS.search(raw_value), f"control in value {raw_value!r}")
    check(
        all(_TOKEN.fullmatch(part) for part in raw_name.split(b" ") if part)
        and raw_name.strip(b" ") == raw_name != b"",
        f"name {raw_name!r} is not tokens separated by spaces",
    )
    if _TOKEN.fullmatch(raw_name):
        message = parse_headers(io.BytesIO(raw_name + b": " + raw_value + b"\r\n\r\n"))
        same(
            f"field {raw_name!r}: {raw_value!r} parsed back",
            message.items(),
            [(raw_name.decode("latin-1"), raw_value.decode("latin-1").lstrip(" \t"))],
        )


def host_port_matches_cpython(host: str) -> None:
    """parse_host_port(host, None, 80) is ``_get_hostport(host, None)``, but
    for a port outside 0-65535, refused; the Host value built from an
    accepted host holds no control character or space."""
    connection = http.client.HTTPConnection("localhost")
    get = connection._get_hostport  # type: ignore[attr-defined]
    theirs = outcome(lambda: get(host, None), (http.client.InvalidURL,))
    ours = outcome(lambda: parse_host_port(host, None, 80), (InvalidURL,))
    if ours[0] == "raised" and ours[2].startswith("port out of range"):
        check(theirs[0] == "ok", f"{host!r}: {theirs}")
        return
    same(f"parse_host_port({host!r})", ours, theirs)
    if ours[0] == "raised":
        return
    parsed_host, port = parse_host_port(host, None, 80)
    check(0 <= port < 65536, f"port {port}")
    try:
        value = host_field_value(parsed_host, port, 80)
    except (ValueError, InvalidURL):
        return
    check(not re.search(rb"[\x00-\x20\x7f]", value), f"Host {value!r} of {host!r}")


def _text(field: tuple[bytes, bool]) -> str:
    return field[0].decode("latin-1")


def check_input(data: bytes) -> None:
    """Every check above on one input."""
    fields = fields_of(data)
    method, target, host = (_text(next(fields)) for _ in range(3))
    name_field, value_field = next(fields), next(fields)
    name: str | bytes = name_field[0] if name_field[1] else _text(name_field)
    value: str | bytes = value_field[0] if value_field[1] else _text(value_field)
    validators_match_cpython(method, target, host)
    request_line_round_trips(method, target)
    field_round_trips(name, value)
    host_port_matches_cpython(host)
