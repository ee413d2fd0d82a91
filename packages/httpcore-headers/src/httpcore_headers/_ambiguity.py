# Header lines that two parsers read two ways.
#
# Strategy: parse_headers() must keep returning what http.client returns,
# and http.client reads a block through email.parser, which reads some
# malformed lines differently from a parser that follows RFC 9112: it stops
# at a line without a colon or with white space before the colon (the later
# fields become a "payload" nobody looks at), it keeps obs-fold's CRLF inside
# the value, and it splits lines at a bare CR.  A server, proxy or cache on
# the path may do otherwise -- reject the message, skip the line, replace the
# CR with a space, join the fold -- and then the two disagree about which
# fields the message has.  This module finds those lines, so that a
# caller can decide what it can still trust; it changes no parse.
from __future__ import annotations

import re
from collections.abc import Sequence

# What email.parser takes for a field line: a name of printable ASCII other
# than the colon, then a colon (its headerRE, minus "From " lines and
# continuation lines, which are ambiguous here by definition).  A strict
# parser wants a token (RFC 9110 section 5.1), which this also accepts, and
# no white space before the colon (RFC 9112 section 5.1).
_FIELD_LINE = re.compile(rb"[!-9;-~]+:")


def _content(line: bytes) -> bytes:
    """A line without its line ending (CRLF, or a bare LF, which RFC 9112
    section 2.2 lets a recipient take for one)."""
    if line.endswith(b"\r\n"):
        return line[:-2]
    if line.endswith(b"\n"):
        return line[:-1]
    return line


def ambiguous_lines(lines: Sequence[bytes]) -> list[int]:
    """The indexes of the lines of a header block that parsers read in
    different ways, in order; empty when there are none.

    The lines are those :func:`read_header_lines` returns (line endings
    included, the final empty line last). Lines are read differently when
    the block holds

    - obs-fold (a line that starts with a space or a tab; RFC 9112 section
      5.2): :func:`parse_headers` keeps the CRLF inside the value, others
      join the lines with a space or refuse them. The field line and its
      continuation lines are listed.
    - a line that is not ``name:value``: no colon, an empty name, or a name
      with a space, tab, control or non-ASCII byte (``Content-Length : 5``;
      RFC 9112 section 5.1). :func:`parse_headers` stops reading fields
      there, while others skip the line or refuse the message: that line
      and every later one are listed, and so is the line before when one of
      them may be taken for its continuation, by a parser that skips lines
      it cannot read: obs-fold, also where a bare CR read as a space or a
      line break makes it (``Transfer-Encoding: chunked``, then
      ``\\r, gzip``).
    - a bare CR (RFC 9112 section 2.2), where :func:`parse_headers` starts a
      new line and others see a space or refuse the message: that line is
      listed, and every later one when what follows a bare CR is empty or
      neither ``name:value`` nor obs-fold, since :func:`parse_headers`
      stops reading fields there.

    Control characters in a *value* are left to the field's own rules: they
    do not change which fields a parser sees.

    :param lines: the lines of one header block.
    :returns: indexes into ``lines``.
    """
    found: list[int] = []
    for index, line in enumerate(lines):
        content = _content(line)
        if not content:
            break  # the empty line that ends the block
        rest = [_content(line) for line in lines[index:]]
        if content[:1] in (b" ", b"\t"):
            if index and (not found or found[-1] != index - 1):
                found.append(index - 1)
            if _ends_fields(content):
                found.extend(i for i, piece in enumerate(rest, index) if piece)
                break
            found.append(index)
        elif not _FIELD_LINE.match(content) or _ends_fields(content):
            if (
                index
                and (not found or found[-1] != index - 1)
                and any(map(_may_continue, rest))
            ):
                # The field before is read two ways too when a parser that
                # skips the lines it cannot read may take something from
                # here on for its continuation.
                found.append(index - 1)
            found.extend(i for i, piece in enumerate(rest, index) if piece)
            break
        elif b"\r" in content:
            found.append(index)
    return found


def _may_continue(content: bytes) -> bool:
    """Whether a line holds obs-fold to some parser: it starts with a space,
    a tab or a bare CR (read as a space), or a part of it after a bare CR
    starts with a space or a tab (a bare CR read as a line break)."""
    return content[:1] in (b" ", b"\t", b"\r") or any(
        piece[:1] in (b" ", b"\t") for piece in content.split(b"\r")[1:]
    )


def _ends_fields(content: bytes) -> bool:
    """Whether parse_headers, which starts a new line at each bare CR, stops
    reading fields inside this line: at a piece that is empty (an empty
    line) or neither a field line nor obs-fold."""
    return any(
        not piece or (piece[:1] not in (b" ", b"\t") and not _FIELD_LINE.match(piece))
        for piece in content.split(b"\r")[1:]
    )
