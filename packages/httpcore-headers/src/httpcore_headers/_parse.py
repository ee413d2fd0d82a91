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
# CRLF.  In a block that ends with CRLF CRLF no match can take in the final
# empty line (its value would have to contain the CR before it), so each of
# the other lines' LFs lies in at most one match; "one match per line but
# the last" then means every line matched on its own, and there is no bare
# CR or LF anywhere.  (A block ending LF CRLF gives no such guarantee: a
# value may run over a bare LF into the final line.)
from __future__ import annotations

import email.parser
import os
import re
from collections.abc import Callable
from email.message import Message

from ._message import HTTPMessage

_CRLF_FIELD = re.compile(r"^([!-9;-~]+):[ \t]*([^\r]*)\r\n", re.MULTILINE)
_LF_FIELD = re.compile(r"^([!-9;-~]+):[ \t]*([^\r\n]*)\n", re.MULTILINE)

# A Content-Type whose type email.message.Message.get_content_maintype()
# could report as multipart or message (str.strip() strips \s).  The pattern
# has the literal prefix "\n", which the regex engine finds with memchr, so
# searching "\n" + text looks at line starts only, the first line included.
_BODY_TYPE = re.compile(r"\ncontent-type:\s*(?:multipart|message)", re.IGNORECASE)

# The methods of Message that email.parser calls while it parses a header
# block; a class that replaces none of them is built the same way directly.
_PARSER_HOOKS = (
    "__init__",
    "__setattr__",
    "set_raw",
    "set_payload",
    "set_unixfrom",
    "set_default_type",
    "get",
    "get_default_type",
    "get_content_type",
    "get_content_maintype",
    "is_multipart",
)
_MESSAGE_HOOKS = [getattr(Message, name) for name in _PARSER_HOOKS]


def is_plain(cls: object) -> bool:
    """Whether email.parser would build an instance of ``cls`` with Message's
    own methods only, so that building it directly gives the same object.

    Checked at every call, since a class can be changed after its first use;
    HTTPMessage itself is taken as it is defined here.
    """
    if cls is HTTPMessage:
        return True
    if not (isinstance(cls, type) and issubclass(cls, Message)):
        return False
    return all(
        getattr(cls, name) is method
        for name, method in zip(_PARSER_HOOKS, _MESSAGE_HOOKS, strict=True)
    )


def _build(cls: type[Message], fields: list[tuple[str, str]]) -> Message:
    message = cls()
    message._headers = fields  # type: ignore[attr-defined]
    message._payload = ""  # type: ignore[attr-defined]
    return message


def _crlf_fields(
    data: bytes,
    start: int,
    max_line: int,
    max_headers: int,
    max_block: int | None,
) -> tuple[list[tuple[str, str]], int] | None:
    """The fields of the CRLF header block at ``data[start:]`` (which may
    run on into the body) and the offset just past it, if the block is
    well-formed and inside every limit; ``None`` when it is incomplete,
    unusual or near a limit, for the exact slow path.

    The reference for ``_speedups.crlf_fields``, which must agree with it.
    """
    if start < 0:
        return None
    if data.startswith(b"\r\n", start):
        end = start + 2
    else:
        end = data.find(b"\r\n\r\n", start) + 4
        if end < 4:
            return None
    # A block no longer than max_line cannot hold a longer line.
    size = end - start
    if size > max_line or (max_block is not None and size > max_block):
        return None
    if size == 2:
        return ([], end) if max_headers >= 1 else None
    text = data[start:end].decode("iso-8859-1")
    lines = text.count("\n")
    if lines > max_headers:
        return None
    fields = _CRLF_FIELD.findall(text)
    if len(fields) != lines - 1 or _BODY_TYPE.search("\n" + text):
        return None
    return fields, end


def _compiled() -> Callable[
    [bytes, int, int, int, int | None], tuple[list[tuple[str, str]], int] | None
]:
    """The compiled twin of :func:`_crlf_fields` when the installation
    carries it and HTTPCORE_NO_EXTENSIONS is not set, else the Python one."""
    if os.environ.get("HTTPCORE_NO_EXTENSIONS"):
        return _crlf_fields
    try:
        from ._speedups import crlf_fields
    except ImportError:
        return _crlf_fields
    return crlf_fields


crlf_fields = _compiled()


def accelerated() -> bool:
    """Whether this installation runs httpcore-headers' compiled accelerator.

    It is a C extension, ``httpcore_headers._speedups``, that the platform
    wheels carry (and a source build compiles when a C compiler is at
    hand): it splits an ordinary CRLF header block into fields in one pass.
    Without it, the same Python code gives the same results, more slowly.
    ``HTTPCORE_NO_EXTENSIONS=1`` in the environment switches it off for a
    process.

    >>> import httpcore_headers
    >>> httpcore_headers.accelerated() in (True, False)
    True
    """
    return crlf_fields is not _crlf_fields


def fast_crlf(
    data: bytes,
    max_line: int,
    max_headers: int,
    max_block: int | None,
    cls: type[Message],
    start: int = 0,
) -> tuple[Message, int] | None:
    """Parse the CRLF header block at ``data[start:]`` (which may run on into
    the body) if it is well-formed and inside every limit.

    Returns the message and the offset in ``data`` just past the block, or
    ``None`` when the block is incomplete, unusual or near a limit, for the
    exact slow path.
    """
    parsed = crlf_fields(data, start, max_line, max_headers, max_block)
    if parsed is None:
        return None
    return _build(cls, parsed[0]), parsed[1]


def _fast_fields(text: str) -> list[tuple[str, str]] | None:
    """The fields of a complete block with uniform line endings, or ``None``."""
    if text.endswith("\r\n\r\n") or text == "\r\n":
        pattern = _CRLF_FIELD
    elif text.endswith("\n\n") or text == "\n":
        if "\r" in text:
            return None
        pattern = _LF_FIELD
    else:
        return None
    fields = pattern.findall(text)
    if len(fields) != text.count("\n") - 1 or _BODY_TYPE.search("\n" + text):
        return None
    return fields


def parse_block(block: bytes | bytearray, cls: Callable[[], Message]) -> Message:
    """Parse a header block as read (final empty line included), whatever it holds."""
    text = block.decode("iso-8859-1")
    if is_plain(cls):
        fields = _fast_fields(text)
        if fields is not None:
            return _build(cls, fields)  # type: ignore[arg-type]
    try:
        return email.parser.Parser(_class=cls).parsestr(text)
    except TypeError:
        # A multipart Content-Type whose RFC 2231 parameters mix numbered
        # and unnumbered parts: email.utils.decode_params() fails to sort
        # them while the parser looks for the boundary (CPython gh-134151;
        # fixed releases parse the block).  The fields are what they are:
        # parse them without looking into the (empty) body.
        return email.parser.Parser(_class=cls).parsestr(text, headersonly=True)
