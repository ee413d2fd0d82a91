"""Fuzz target: the status line (RFC 9112 section 4) and the framing of the
response that follows (RFC 9112 section 6.3), httpcore_wire.

Input: one byte that chooses the request method (bits 0-2) and the
version used when the status line is refused (bit 3), then a status line
(up to the first LF) and the header block after it.

Checks, each a finding when it fails:

- :func:`parse_status_line` refuses what ``HTTPResponse._read_status``
  refuses, with the same text, and accepts only what it accepts, with the
  same (version, status, reason); the one documented difference is a status
  code that is not three ASCII digits (``+200``, ``0200``), which it refuses;
- :func:`response_framing` of the message and
  :func:`response_framing_of_fields` of its ``items()`` decide alike (the
  framing, or the error and its text);
- :func:`request_framing` of the same fields agrees with the response rules
  (RFC 9112 section 6.3: rules 3 to 6 are shared);
- :func:`ambiguous_framing` returns whether :func:`ambiguous_lines` lists a
  line, and whenever it does not raise, a lenient parser (one that joins
  obs-fold, takes a bare CR for a line break or a space, skips lines it
  cannot read, and strips white space and controls around a name) derives
  the same body length from the block.

Only the documented exceptions may be raised: ``BadStatusLine``,
``UnknownProtocol``, ``InvalidContentLength``, ``AmbiguousFraming`` and the
header-block limits (all :class:`HTTPException`).
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Sequence
from email.message import Message
from functools import partial

from httpcore_headers import (
    HTTPException,
    ambiguous_lines,
    find_header_block_end,
    parse_header_block,
    read_header_lines,
)
from httpcore_wire import (
    AmbiguousFraming,
    BadStatusLine,
    InvalidContentLength,
    UnknownProtocol,
    _framing,
    ambiguous_framing,
    parse_status_line,
    request_framing,
    response_framing,
    response_framing_of_fields,
    version_number,
)

from ._common import (
    Outcome,
    check,
    cpython_read_status,
    outcome,
    same,
    split_limits,
)

_METHODS = (None, "GET", "HEAD", "CONNECT", "POST", "head", "OPTIONS", "")

Fields = list[tuple[str, str]]


def _three_digits(token: str) -> bool:
    return len(token) == 3 and token.isascii() and token.isdigit()


def status_matches_cpython(line: bytes) -> tuple[str, int, str] | None:
    """parse_status_line against ``HTTPResponse._read_status``; returns what
    we read, or ``None`` for a line we refuse."""
    text = line.decode("iso-8859-1")
    try:
        parsed = parse_status_line(text)
    except BadStatusLine as error:
        ours: Outcome = ("raised", type(error).__name__, str(error))
        parsed = None
    else:
        ours = ("ok", parsed, "")
    if not line:
        return parsed  # http.client raises RemoteDisconnected before parsing
    theirs = cpython_read_status(line)
    if theirs[0] == "raised":
        same(f"status line {line!r} refused", ours, theirs)
    elif ours[0] == "raised":
        token = text.split(None, 2)[1]
        check(
            not _three_digits(token),
            f"status line {line!r} refused, http.client reads {theirs[1]!r}",
        )
    else:
        same(f"status line {line!r}", ours, theirs)
    return parsed


def _decisions(
    method: str | None, status: int, version: int, message: Message
) -> dict[str, Outcome]:
    """Both ways to decide the framing of one response, by name: from the
    message (its raw fields through its policy) and from the ``(name,
    value)`` pairs ``items()`` gives."""
    errors = (InvalidContentLength,)
    return {
        "response_framing": outcome(
            lambda: response_framing(method, status, version, message), errors
        ),
        "of_fields": outcome(
            partial(
                response_framing_of_fields, method, status, version, message.items()
            ),
            errors,
        ),
    }


def framings_agree(
    method: str | None, status: int, version: int, message: Message
) -> None:
    decided = _decisions(method, status, version, message)
    where = f"({method}, {status}, {version}, {message.items()})"
    same(f"of_fields vs response_framing {where}", *decided.values())


def request_agrees(message: Message) -> None:
    """request_framing and response_framing share rules 3 to 6 of RFC 9112
    section 6.3; a response may also run until the connection closes."""
    where = f"request vs response framing of {message.items()}"
    try:
        request = request_framing(message)
    except InvalidContentLength as error:
        # A bad Content-Length, refused alike, or a Transfer-Encoding without
        # chunked last, where a response runs until the connection closes.
        response = outcome(
            lambda: response_framing(None, 200, 11, message), (InvalidContentLength,)
        )
        refused = ("raised", type(error).__name__, str(error))
        check(response in (refused, ("ok", (False, None, True), "")), where)
        return
    answer = response_framing(None, 200, 11, message)
    check(answer.chunked == request.chunked, where)
    if not request.chunked:
        check(answer.length in (request.length, None), where)
        check(answer.length is not None or request.length == 0, where)
    check(answer.will_close or not request.will_close, where)


_NAME_END = bytes(range(0x21)) + b"\x7f\xa0"


def lenient_fields(lines: Sequence[bytes], bare_cr: bytes) -> Fields:
    """The fields a lenient parser sees: a bare CR read as ``bare_cr`` (a
    line break or a space), the first empty line the end, lines without a
    colon skipped, obs-fold joined
    with a space to the last field kept, white space before a name and
    white space or controls before its colon stripped."""
    text = b"".join(lines).replace(b"\r\n", b"\n").replace(b"\r", bare_cr)
    fields: list[tuple[bytes, bytes]] = []
    for line in text.split(b"\n"):
        if not line:
            break  # the end of the header section
        if line[:1] in (b" ", b"\t") and fields:
            name, value = fields[-1]
            fields[-1] = (name, value + b" " + line.strip(b" \t"))
            continue
        name, colon, value = line.partition(b":")
        name = name.lstrip(b" \t").rstrip(_NAME_END)
        if colon and name:
            fields.append((name, value.strip(b" \t")))
    return [(name.decode("latin-1"), value.decode("latin-1")) for name, value in fields]


def _length_of(fields: Fields) -> object:
    """What a body's end depends on: (chunked, length), or the error."""
    try:
        framing = _framing._decide(None, 200, 11, _framing._collect(fields))
    except InvalidContentLength:
        return "invalid"
    return framing.chunked, framing.length


def ambiguity_is_safe(block: bytes, message: Message) -> None:
    """ambiguous_framing tells whether lines are ambiguous, and raises
    whenever the body's length could depend on the reading."""
    try:
        lines = read_header_lines(io.BytesIO(block))
    except HTTPException:
        return
    try:
        ambiguous = ambiguous_framing(lines)
    except AmbiguousFraming:
        return
    same(f"ambiguous_framing of {lines!r}", ambiguous, bool(ambiguous_lines(lines)))
    ours = _length_of(message.items())
    for bare_cr in (b"\n", b" "):
        theirs = _length_of(lenient_fields(lines, bare_cr))
        same(f"body length of {lines!r}, bare CR as {bare_cr!r}", theirs, ours)


def parse_block(data: bytes) -> tuple[bytes, Message] | None:
    """The header block at the start of ``data`` and its message, or
    ``None`` when it breaks a limit."""
    try:
        end = find_header_block_end(data)
        block = data if end < 0 else data[:end]
        return block, parse_header_block(block)
    except HTTPException:
        return None


def check_input(data: bytes) -> None:
    """Every check above on one input."""
    selector, rest = split_limits(data)
    newline = rest.find(b"\n") + 1 or len(rest)
    line, block = rest[:newline], rest[newline:]
    status = status_matches_cpython(line)
    version = (10, 11)[selector >> 3 & 1]
    code = 200
    if status is not None:
        code = status[1]
        with contextlib.suppress(UnknownProtocol):
            version = version_number(status[0])
    parsed = parse_block(block)
    if parsed is None:
        return
    block, message = parsed
    method = _METHODS[selector & 7]
    framings_agree(method, code, version, message)
    request_agrees(message)
    ambiguity_is_safe(block, message)
