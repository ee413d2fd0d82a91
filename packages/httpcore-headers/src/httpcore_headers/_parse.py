# Turning a header block into an HTTPMessage that is indistinguishable from
# the one http.client builds with email.parser.
#
# Strategy: email.parser (compat32 policy) stores each field as
# (name, value.lstrip(" \t").rstrip("\r\n")), the name being everything
# before the first colon.  In the common case -- every line is
# ``name:value`` ending in CRLF (or every line in a bare LF), names made of
# the printable ASCII that email's headerRE accepts, and no Content-Type that
# makes email parse a body -- one findall() yields exactly those pairs.  When
# anything else turns up (obs-fold continuation lines, a line without a
# colon, a space before the colon, a bare CR, mixed line endings, a "From "
# line, multipart/* or message/* content), the block goes through the running
# interpreter's email.parser, so the result, defects and payload included,
# is the standard library's by construction.
#
# Why the checks suffice: a match starts at a line start (MULTILINE ^), its
# name cannot contain CR or LF, its value cannot contain CR, and it ends in
# CRLF; in a block that ends with CRLF CRLF no match can take in the final
# empty line, so "one match per line but the last" means every line matched
# on its own and there is no bare CR or LF anywhere.
from __future__ import annotations

import email.parser
import re
from email.message import Message

from ._message import HTTPMessage

_CRLF_FIELD = re.compile(r"^([!-9;-~]+):[ \t]*([^\r]*)\r\n", re.MULTILINE)
_LF_FIELD = re.compile(r"^([!-9;-~]+):[ \t]*([^\r\n]*)\n", re.MULTILINE)

# A Content-Type whose type email.message.Message.get_content_maintype()
# could report as multipart or message (str.strip() strips \s).  The pattern
# has the literal prefix "\n", which the regex engine finds with memchr, so
# searching "\n" + text looks at line starts only, the first line included.
_BODY_TYPE = re.compile(r"\ncontent-type:\s*(?:multipart|message)", re.IGNORECASE)

_plain_classes: dict[type, bool] = {HTTPMessage: True}


def is_plain(cls: type) -> bool:
    """Whether email.parser would build an instance of ``cls`` through
    Message's own __init__, set_raw() and set_payload() only, so that building
    it directly gives the same object."""
    plain = _plain_classes.get(cls)
    if plain is None:
        plain = (
            issubclass(cls, Message)
            and cls.__init__ is Message.__init__
            and cls.set_raw is Message.set_raw
            and cls.set_payload is Message.set_payload
        )
        _plain_classes[cls] = plain
    return plain


def _needs_body_parse(text: str) -> bool:
    return _BODY_TYPE.search("\n" + text) is not None


def _build(cls: type[Message], fields: list[tuple[str, str]]) -> Message:
    message = cls()
    message._headers = fields  # type: ignore[attr-defined]
    message._payload = ""  # type: ignore[attr-defined]
    return message


def fast_crlf(
    data: bytes,
    max_line: int,
    max_headers: int,
    max_block: int | None,
    cls: type[Message],
) -> tuple[Message, int] | None:
    """Parse the CRLF header block at the start of ``data`` (which may run on
    into the body) if it is well-formed and inside every limit.

    Returns the message and the length of the block, or ``None`` when the
    block is incomplete, unusual or near a limit, for the exact slow path.
    """
    if data[:2] == b"\r\n":
        return _build(cls, []), 2
    end = data.find(b"\r\n\r\n") + 4
    if end < 4 or end > max_line or (max_block is not None and end > max_block):
        return None
    text = data[:end].decode("iso-8859-1")
    lines = text.count("\n")
    if lines > max_headers:
        return None
    fields = _CRLF_FIELD.findall(text)
    if len(fields) != lines - 1 or _needs_body_parse(text):
        return None
    return _build(cls, fields), end


def _fast_fields(text: str) -> list[tuple[str, str]] | None:
    """The fields of a complete block with uniform line endings, or ``None``."""
    if text.endswith("\n\r\n") or text == "\r\n":
        pattern = _CRLF_FIELD
    elif text.endswith("\n\n") or text == "\n":
        if "\r" in text:
            return None
        pattern = _LF_FIELD
    else:
        return None
    fields = pattern.findall(text)
    if len(fields) != text.count("\n") - 1 or _needs_body_parse(text):
        return None
    return fields


def parse_block(block: bytes | bytearray, cls: type[Message]) -> Message:
    """Parse a header block as read (final empty line included), whatever it holds."""
    text = block.decode("iso-8859-1")
    if is_plain(cls):
        fields = _fast_fields(text)
        if fields is not None:
            return _build(cls, fields)
    return email.parser.Parser(_class=cls).parsestr(text)
