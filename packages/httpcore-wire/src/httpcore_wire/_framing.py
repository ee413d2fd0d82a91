# How long a message body is (RFC 9112 section 6.3), and whether the
# connection stays open after it.
#
# Strategy: the rules of RFC 9112 section 6.3 in order, with http.client's
# keep-alive decisions (its _check_close) kept as they are.  Safer than
# CPython where CPython lets a hostile peer choose between two readings of
# the same bytes: "chunked" is recognised as the final transfer coding of a
# list ("gzip, chunked", "chunked, chunked"), a Content-Length must be plain
# decimal digits and agree with any repetition of itself, and a message with
# both Transfer-Encoding and Content-Length, or an HTTP/1.0 message with
# Transfer-Encoding, is read as chunked and its connection closed afterwards.
from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from email.message import Message
from email.policy import Policy, compat32
from functools import partial
from typing import NamedTuple, cast

from httpcore_headers import ambiguous_lines

from ._exceptions import AmbiguousFraming, InvalidContentLength

_DIGITS = re.compile(r"[0-9]{1,19}")
_NO_BODY_STATUSES = frozenset((204, 304))


class BodyFraming(NamedTuple):
    """How a message body is delimited (a named tuple: it is built for every
    response, and a tuple is the cheapest immutable record).

    :param chunked: the body uses the chunked transfer coding.
    :param length: the body's length in bytes when it is known in advance
        (0 for a message without a body), ``None`` when the body is chunked
        or runs until the connection closes.
    :param will_close: the connection must be closed after this message.
    """

    chunked: bool
    length: int | None
    will_close: bool


# BodyFraming(*fields) without the Python-level __new__ that NamedTuple
# generates: a C call, for every response.
_framing = cast(
    "Callable[[tuple[bool, int | None, bool]], BodyFraming]",
    partial(tuple.__new__, BodyFraming),
)


def transfer_codings(headers: Message) -> list[str]:
    """The transfer codings of every Transfer-Encoding field, lower-cased,
    in order (``["gzip", "chunked"]``)."""
    return _codings(_framing_fields(headers).get("transfer-encoding"))


def _codings(values: list[str] | None) -> list[str]:
    if not values:
        return []
    # OWS is spaces and tabs only (RFC 9110 section 5.6.3), not whatever
    # str.strip() removes (vertical tab, form feed, NBSP ...).
    return [
        coding.strip(" \t").lower()
        for value in values
        for coding in value.split(",")
        if coding.strip(" \t")
    ]


def content_length(headers: Message) -> int | None:
    """The Content-Length of a message, or ``None`` without one.

    Several fields, or a comma-separated list, are accepted when every value
    is the same (RFC 9110 section 8.6).

    :raises InvalidContentLength: a value is not 1 to 19 decimal digits, or
        two values differ.
    """
    return _length(_framing_fields(headers).get("content-length"))


def _length(values: list[str] | None) -> int | None:
    if not values:
        return None
    value = values[0]
    if len(values) == 1 and value.isdigit() and value.isascii() and len(value) < 20:
        return int(value)  # the common case, without the pattern
    found = {part.strip(" \t") for value in values for part in value.split(",")}
    for value in found:
        if not _DIGITS.fullmatch(value):
            raise InvalidContentLength(
                f"Content-Length {value!r} is not a decimal number of 1 to 19 digits"
            )
    lengths = {int(value) for value in found}
    if len(lengths) != 1:
        raise InvalidContentLength(f"Content-Length fields disagree: {sorted(lengths)}")
    return lengths.pop()


def keep_alive_refused(version: int, headers: Message) -> bool:
    """Whether the peer will close the connection after this response, from
    its version and its Connection, Keep-Alive and Proxy-Connection fields:
    ``http.client.HTTPResponse._check_close``."""
    return _refused(version, _framing_fields(headers))


def _first(fields: dict[str, list[str]], name: str) -> str | None:
    values = fields.get(name)
    return values[0] if values else None


def _refused(version: int, fields: dict[str, list[str]]) -> bool:
    connection = _first(fields, "connection")
    if version == 11:
        return bool(connection and "close" in connection.lower())
    if _first(fields, "keep-alive"):
        return False
    if connection and "keep-alive" in connection.lower():
        return False
    proxy_connection = _first(fields, "proxy-connection")
    return not (proxy_connection and "keep-alive" in proxy_connection.lower())


# The fields framing depends on, by the length of their names: one pass over
# the message's fields lowers only names that could be one of them.
_FRAMING_FIELDS = frozenset(
    (
        "content-length",
        "transfer-encoding",
        "connection",
        "keep-alive",
        "proxy-connection",
    )
)
_FRAMING_LENGTHS = frozenset(map(len, _FRAMING_FIELDS))


def _framing_fields(headers: Message) -> dict[str, list[str]]:
    """The values of the framing fields, by lower-cased name, in order.

    Equivalent to ``get_all()`` for each name, in one pass over the fields
    instead of one per name (this runs for every response)."""
    raw = getattr(headers, "_headers", None)
    if type(raw) is list and type(headers).get_all is Message.get_all:
        return _collect(raw, headers.policy)
    found: dict[str, list[str]] = {}
    for name in _FRAMING_FIELDS:
        values = headers.get_all(name)
        if values:
            found[name] = [str(value) for value in values]
    return found


def _collect(
    fields: Iterable[tuple[str, str]], policy: Policy | None = None
) -> dict[str, list[str]]:
    """The framing fields among ``(name, value)`` pairs, by lower-cased
    name, in order; values go through ``policy`` as ``get_all()`` would
    pass them (``None``: taken as they are)."""
    found: dict[str, list[str]] = {}
    for name, value in fields:
        if len(name) not in _FRAMING_LENGTHS:
            continue
        lowered = name.lower()
        if lowered in _FRAMING_FIELDS:
            # compat32 returns an ASCII str as it is (only surrogates from
            # undecodable bytes make it build a Header).
            if policy is not None and not (
                policy is compat32 and type(value) is str and value.isascii()
            ):
                value = policy.header_fetch_parse(name, value)
            found.setdefault(lowered, []).append(value)
    return found


def response_framing(
    method: str | None, status: int, version: int, headers: Message
) -> BodyFraming:
    """How the body of a response is delimited (RFC 9112 section 6.3).

    :param method: the request method (``"HEAD"`` responses have no body).
    :param status: the response's status code.
    :param version: 10 or 11, as :func:`version_number` gives.
    :param headers: the response's header fields.
    :raises InvalidContentLength: see :func:`content_length` (only when the
        Content-Length decides the length).
    """
    return _decide(method, status, version, _framing_fields(headers))


def response_framing_of_fields(
    method: str | None,
    status: int,
    version: int,
    fields: Iterable[tuple[str, str]],
) -> BodyFraming:
    """:func:`response_framing` for fields held as ``(name, value)`` pairs,
    the way :attr:`email.message.Message.raw_items` gives them or a server
    keeps them: names in any case, values as received (surrounding white
    space is ignored where the rules allow it). Only the framing fields need
    be among them: the others are ignored.

    :raises InvalidContentLength: see :func:`content_length`.
    """
    if type(fields) is not list:
        fields = list(fields)  # (an iterator is gone after one pass)
    if (
        version == 11
        and status >= 200
        and status not in _NO_BODY_STATUSES
        and method != "HEAD"
        and method != "CONNECT"
    ):
        # The common case in one pass (this runs for every response a
        # client reads): an HTTP/1.1 response with a body, one Content-Length
        # and at most one Connection field, no other framing field.  What
        # _decide() gives for it, without collecting the fields first (the
        # value is _length()'s to judge); anything else goes there.
        length = connection = None
        for name, value in fields:
            if len(name) not in _FRAMING_LENGTHS:
                continue
            lowered = name.lower()
            if lowered == "content-length" and length is None:
                length = value
            elif lowered == "connection" and connection is None:
                connection = value
            elif lowered in _FRAMING_FIELDS:
                break
        else:
            if length is not None:
                close = connection is not None and "close" in connection.lower()
                return _framing((False, _length([length]), close))
    return _decide(method, status, version, _collect(fields))


def _decide(
    method: str | None, status: int, version: int, fields: dict[str, list[str]]
) -> BodyFraming:
    will_close = _refused(version, fields)
    if (
        method == "HEAD"
        or 100 <= status < 200
        or status in _NO_BODY_STATUSES
        or (method == "CONNECT" and 200 <= status < 300)
    ):
        return _framing((False, 0, will_close))
    codings = _codings(fields.get("transfer-encoding"))
    if codings:
        if codings[-1] == "chunked":
            # With a Content-Length too, the message may be an attempt at
            # smuggling: read it as chunked, then close (section 6.3, rule
            # 3).  Transfer-Encoding in an HTTP/1.0 message means the same:
            # 1.0 has no chunked coding, so something on the way may have
            # framed it otherwise (section 6.1).
            suspect = "content-length" in fields or version != 11
            return _framing((True, None, will_close or suspect))
        # Section 6.3, rule 4: the body runs until the connection closes.
        return _framing((False, None, True))
    length = _length(fields.get("content-length"))
    if length is None:
        return _framing((False, None, True))
    return _framing((False, length, will_close))


def request_framing(headers: Message) -> BodyFraming:
    """How the body of a request is delimited, for servers (RFC 9112 section
    6.3, rules 3 to 6): chunked when it is the final transfer coding, else
    the Content-Length, else no body.

    :raises InvalidContentLength: see :func:`content_length`, and when a
        Transfer-Encoding does not end in ``chunked`` (a server must answer
        400 and close).
    """
    fields = _framing_fields(headers)
    codings = _codings(fields.get("transfer-encoding"))
    if codings:
        if codings[-1] != "chunked":
            raise InvalidContentLength(
                f"request Transfer-Encoding {', '.join(codings)!r} does not end"
                " in chunked, so its length cannot be known"
            )
        framed_twice = "content-length" in fields
        return BodyFraming(chunked=True, length=None, will_close=framed_twice)
    length = _length(fields.get("content-length"))
    return BodyFraming(chunked=False, length=length or 0, will_close=False)


# A line, or a part of one after a bare CR, that some parser may take for
# a framing field: its name after any white space (a bare CR too, which a
# parser may read as a space), then anything a lenient parser strips
# before the colon.
_FRAMING_FIELD = re.compile(
    rb"[ \t\r]*(?:content-length|transfer-encoding)[\x00-\x20\x7f\xa0]*:",
    re.IGNORECASE,
)


def _names_framing(line: bytes) -> bool:
    # The line as a whole (a bare CR before the colon is white space to a
    # parser that reads it as a space), and each part after a bare CR (a
    # new line to a parser that breaks the line there).
    parts = line.split(b"\r")
    parts[0] = line
    return any(_FRAMING_FIELD.match(part) for part in parts)


def ambiguous_framing(lines: Sequence[bytes]) -> bool:
    """Whether a header block holds lines that parsers read in different
    ways (:func:`httpcore_headers.ambiguous_lines`): obs-fold, a line that
    is not ``name:value``, a bare CR.

    The framing that :func:`response_framing` derives from such a block
    holds for this message only: the connection must not carry another one.
    When one of those lines is, or holds after a bare CR, a Content-Length
    or Transfer-Encoding field as some parser may read it (in any case,
    after white space, with white space or controls before the colon), not
    even that holds, and this raises.

    :param lines: the lines of the header block, as
        :func:`httpcore_headers.read_header_lines` returns them.
    :returns: False for an unambiguous block.
    :raises AmbiguousFraming: a framing field is among those lines.
    """
    found = ambiguous_lines(lines)
    for index in found:
        if _names_framing(lines[index]):
            raise AmbiguousFraming(
                f"the header line {lines[index]!r} is read differently by"
                " different parsers, and the message's framing depends on it"
            )
    return bool(found)
