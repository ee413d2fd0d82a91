"""Fuzz target: header blocks (RFC 9112 section 5), httpcore_headers.

Input: one byte that chooses the limits (bits 0-1 ``max_line``, 2-3
``max_headers``, 4-5 ``max_block_size``, 6-7 where the block starts for
``try_parse_header_block``), then the bytes after a status line.

Checks, each a finding when it fails:

- the compiled ``crlf_fields`` and its pure Python reference give the same
  fields and offset, or both ``None`` (bytes, bytearray and memoryview);
- :func:`parse_header_block` and :func:`try_parse_header_block` give the
  same message on the compiled path and on the pure one;
- :func:`parse_headers` gives what the running interpreter's
  ``http.client.parse_headers`` gives (message, or error and text), with
  ``_MAXLINE`` and ``_MAXHEADERS`` set to the same limits;
- :class:`HeaderBlockScanner` fed the bytes one at a time finds the end (or
  the error) that :func:`find_header_block_end` finds in the whole;
- :func:`ambiguous_lines` lists sorted, distinct indexes of non-empty lines,
  and a block without any is read as a strict RFC 9112 parser reads it.

Only :class:`httpcore_headers.HTTPException` and its subclasses may be
raised; anything else escapes and is a finding.
"""

from __future__ import annotations

import http.client
import io
from collections.abc import Sequence

from httpcore_headers import (
    HeaderBlockScanner,
    HTTPException,
    _parse,
    ambiguous_lines,
    find_header_block_end,
    parse_header_block,
    parse_headers,
    read_header_lines,
    try_parse_header_block,
)

from ._common import (
    Outcome,
    check,
    cpython_limits,
    message_summary,
    outcome,
    replaced,
    same,
    speedups,
    split_limits,
)

_SPEEDUPS = speedups("httpcore_headers._speedups")
#: The implementations of crlf_fields to compare, by name.
IMPLEMENTATIONS = {"pure": _parse._crlf_fields}
if _SPEEDUPS is not None:
    IMPLEMENTATIONS["compiled"] = _SPEEDUPS.crlf_fields

_MAX_LINE = (65536, 8, 24, 64)
_MAX_HEADERS = (100, 1, 4, 16)
_MAX_BLOCK = (None, 16, 64, None)

Limits = tuple[int, int, "int | None"]


def limits_of(selector: int) -> tuple[Limits, int]:
    """The limits and the start offset a selector byte chooses."""
    limits = (
        _MAX_LINE[selector & 3],
        _MAX_HEADERS[selector >> 2 & 3],
        _MAX_BLOCK[selector >> 4 & 3],
    )
    return limits, selector >> 6


def _keywords(limits: Limits) -> dict[str, int | None]:
    return dict(zip(("max_line", "max_headers", "max_block_size"), limits, strict=True))


def compiled_agrees(data: bytes, start: int, limits: Limits) -> None:
    """crlf_fields: the compiled function (which also takes a bytearray or a
    memoryview) gives what its reference gives."""
    if _SPEEDUPS is None:
        return
    expected = _parse._crlf_fields(data, start, *limits)
    for buffer in (data, bytearray(data), memoryview(data)):
        got = _SPEEDUPS.crlf_fields(buffer, start, *limits)
        same(f"compiled crlf_fields ({type(buffer).__name__})", got, expected)


def _block(data: bytes, keywords: dict[str, int | None]) -> bytes:
    """The header block at the start of ``data`` (all of it when incomplete
    or over a limit)."""
    try:
        end = find_header_block_end(data, **keywords)
    except HTTPException:
        return data
    return data if end < 0 else data[:end]


def _fast(data: bytes, start: int, keywords: dict[str, int | None]) -> object:
    parsed = try_parse_header_block(data, start, **keywords)
    return None if parsed is None else (message_summary(parsed[0]), parsed[1])


def _parsed(data: bytes, limits: Limits, start: int) -> tuple[Outcome, object]:
    """parse_header_block of the block at the start of ``data``, and
    try_parse_header_block at ``start``."""
    keywords = _keywords(limits)
    block = _block(data, keywords)
    whole = outcome(
        lambda: parse_header_block(block, **keywords), (HTTPException,), message_summary
    )
    return whole, _fast(data, start, keywords)


def paths_agree(data: bytes, limits: Limits, start: int) -> None:
    """The public entry points give the same on the compiled and pure paths."""
    results = {}
    for name, function in IMPLEMENTATIONS.items():
        with replaced(_parse, "crlf_fields", function):
            results[name] = _parsed(data, limits, start)
    for name, result in results.items():
        same(f"parse_header_block ({name} vs pure)", result, results["pure"])


def _cpython(data: bytes, limits: Limits) -> Outcome:
    max_line, max_headers, _ = limits
    with cpython_limits(max_line, max_headers):
        return outcome(
            lambda: http.client.parse_headers(io.BytesIO(data)),
            (http.client.HTTPException, TypeError),
            message_summary,
        )


def _as_cpython(ours: Outcome) -> Outcome:
    """Our outcome with our exception classes named as CPython names them:
    TooManyHeaders is CPython's plain HTTPException."""
    if ours[:2] == ("raised", "TooManyHeaders"):
        return "raised", "HTTPException", ours[2]
    return ours


def matches_cpython(data: bytes, limits: Limits) -> None:
    """parse_headers reads a file as http.client reads it (no
    max_block_size: CPython has no such limit)."""
    if limits[2] is not None:
        return
    fp = io.BytesIO(data)
    ours = outcome(
        lambda: parse_headers(fp, **_keywords(limits)),
        (HTTPException,),
        message_summary,
    )
    theirs = _cpython(data, limits)
    if theirs[:2] == ("raised", "TypeError"):
        # email.utils.decode_params() on RFC 2231 parameters that mix
        # numbered and unnumbered parts (CPython gh-134151, fixed in later
        # releases): CPython's parse fails where ours returns the fields.
        check("not supported between" in theirs[2], f"CPython raised {theirs!r}")
        check(ours[0] == "ok", f"gh-134151 block: parse_headers gave {ours!r}")
        return
    same("parse_headers vs http.client", _as_cpython(ours), theirs)


def scanner_agrees(data: bytes, limits: Limits, pieces: Sequence[bytes]) -> None:
    """HeaderBlockScanner fed ``pieces`` (which join to ``data``) decides as
    find_header_block_end decides on the bytes fed so far: the same end, or
    the same error as soon as the data fed shows one (which may be another
    limit than the one the whole data breaks first: until a line ends, it
    may still turn out too long, or not)."""
    keywords = _keywords(limits)
    scanner = HeaderBlockScanner(**keywords)
    fed = 0
    got: Outcome = ("ok", -1, "")
    for piece in pieces:
        fed += len(piece)
        got = outcome(lambda: scanner.feed(piece), (HTTPException,))  # noqa: B023
        if got[0] == "raised":
            break
    expected = outcome(
        lambda: find_header_block_end(data[:fed], **keywords), (HTTPException,)
    )
    same(f"HeaderBlockScanner vs find_header_block_end ({fed} bytes)", got, expected)


def _content(line: bytes) -> bytes:
    """A line without its line ending: CRLF, or a bare LF."""
    if line.endswith(b"\r\n"):
        return line[:-2]
    return line.removesuffix(b"\n")


def _strict_fields(lines: Sequence[bytes]) -> list[tuple[str, str]]:
    """The fields of well-formed lines as RFC 9112 section 5 reads them."""
    fields = []
    for line in lines:
        content = _content(line)
        if not content:
            break
        name, _, value = content.partition(b":")
        fields.append((name.decode("latin-1"), value.decode("latin-1")))
    return fields


def ambiguity_is_consistent(data: bytes) -> None:
    """ambiguous_lines lists distinct indexes of non-empty lines in order;
    where it lists none, parse_headers sees the fields, names and values
    (leading white space stripped, as email.parser strips it), that a strict
    parser sees."""
    try:
        lines = read_header_lines(io.BytesIO(data))
    except HTTPException:
        return
    found = ambiguous_lines(lines)
    same("ambiguous_lines order", found, sorted(set(found)))
    check(
        all(0 <= index < len(lines) and _content(lines[index]) for index in found),
        f"ambiguous_lines {found} lists an empty line of {lines!r}",
    )
    if found:
        return
    strict = [(n, v.lstrip(" \t")) for n, v in _strict_fields(lines)]
    message = parse_headers(io.BytesIO(b"".join(lines)))
    same(f"unambiguous block read otherwise: {lines!r}", message.items(), strict)


def check_input(data: bytes) -> None:
    """Every check above on one input."""
    selector, block = split_limits(data)
    limits, start = limits_of(selector)
    compiled_agrees(block, start, limits)
    paths_agree(block, limits, start)
    matches_cpython(block, limits)
    scanner_agrees(block, limits, [block[i : i + 1] for i in range(len(block))])
    ambiguity_is_consistent(block)
