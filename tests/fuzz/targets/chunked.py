"""Fuzz target: the chunked transfer coding (RFC 9112 section 7.1),
httpcore_wire.ChunkedDecoder.

Input: one byte that chooses the limits (bits 0-1 ``max_line``, 2-3
``max_trailer_lines``, 4-5 ``max_trailer_size``), then the body as it
arrives after the header block.

Checks, each a finding when it fails:

- the same bytes fed whole, one byte at a time, and in two pieces split at
  every offset (at 64 spread offsets for longer inputs) give the same body,
  trailers, unused bytes and end-of-input verdict; when the framing is
  refused, the same error (or, for the limits, another limit error: see
  HeaderBlockScanner), and a body that only grows as the pieces get
  smaller (data reaches the caller before the CRLF after it is checked);
- ``received`` counts the bytes returned, and ``chunk_left`` is ``None``
  once the body is done;
- a body the decoder accepts (default limits) is the one the running
  interpreter's ``http.client.HTTPResponse`` reads, which leaves the same
  bytes unread.

- ``compact_chunks()``, which decodes in place in the buffer the bytes were
  received into, with its Python pass and its compiled one (where built),
  the bytes arriving whole and in pieces: the same body as the decoder up
  to the last chunk's size line, and the same refusal of the framing.

The decoder has no compiled twin: the differential is between ways of
feeding it, and against CPython.  Only the documented exceptions
(``InvalidChunk``, ``IncompleteRead``, ``LineTooLong``, ``TooManyHeaders``,
``HeaderBlockTooLarge``: all :class:`HTTPException`) may be raised.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import NamedTuple

from httpcore_headers import HTTPException, LineTooLong
from httpcore_wire import (
    ChunkedDecoder,
    IncompleteRead,
    InvalidChunk,
    _chunked_pull,
    decode_chunks,
)

from ._common import Finding, check, cpython_read_chunked, same, speedups, split_limits

_COMPILED = speedups("httpcore_wire._speedups")
#: compact_chunks()'s passes: Python, and compiled where it is built.
_PASSES = [_chunked_pull._compact_python] + (
    [_COMPILED.compact_chunks] if _COMPILED is not None else []
)

_MAX_LINE = (None, 8, 24, 200)
_MAX_TRAILER_LINES = (None, 1, 3, 8)
_MAX_TRAILER_SIZE = (None, 16, 64, None)

Limits = dict[str, "int | None"]

#: The errors of the size-line and trailer limits.
LIMIT_ERRORS = {"LineTooLong", "TooManyHeaders", "HeaderBlockTooLarge"}

#: Inputs up to this long are split at every offset.
EVERY_SPLIT = 128


def limits_of(selector: int) -> Limits:
    return {
        "max_line": _MAX_LINE[selector & 3],
        "max_trailer_lines": _MAX_TRAILER_LINES[selector >> 2 & 3],
        "max_trailer_size": _MAX_TRAILER_SIZE[selector >> 4 & 3],
    }


class Decoded(NamedTuple):
    """All a decoder produced from some pieces, then the end of the input."""

    body: bytes
    done: bool
    trailers: list[tuple[str, str]] | None
    unused: bytes
    #: The error's type name, or "" for none.
    error: str
    #: IncompleteRead.expected at the end of the input.
    expected: int | None


def decode(pieces: Sequence[bytes], limits: Limits) -> Decoded:
    """Feed ``pieces``, then end the input (unless the decoder refused)."""
    decoder = ChunkedDecoder(**limits)
    body = bytearray()
    error = ""
    expected = None
    try:
        for piece in pieces:
            body += b"".join(decoder.feed(piece))
            check(
                decoder.received == len(body),
                f"received {decoder.received} after returning {len(body)} bytes",
            )
        decoder.end_of_input()
    except IncompleteRead as exc:
        # InvalidChunk too: the data of the feed it interrupted is its partial.
        body += exc.partial
        error, expected = type(exc).__name__, exc.expected
    except HTTPException as exc:
        error = type(exc).__name__
    trailers = decoder.trailers
    if decoder.done:
        check(decoder.chunk_left is None, "chunk_left is set after the body ended")
    return Decoded(
        bytes(body),
        decoder.done,
        None if trailers is None else trailers.items(),
        decoder.unused,
        error,
        expected,
    )


def _offsets(size: int) -> range:
    if size <= EVERY_SPLIT:
        return range(1, size)
    return range(1, size, max(1, size // 64))


def split_invariant(
    wire: bytes, limits: Limits, more: Sequence[Sequence[bytes]] = ()
) -> Decoded:
    """Decoding does not depend on how the bytes are split (at every offset,
    byte by byte, and as ``more`` splits them); returns the outcome of the
    whole."""
    whole = decode([wire], limits)
    bytewise = decode([wire[i : i + 1] for i in range(len(wire))], limits)
    splits = [decode([wire[:at], wire[at:]], limits) for at in _offsets(len(wire))]
    splits += [decode(pieces, limits) for pieces in more]
    for got in itertools.chain([bytewise], splits):
        if whole.error in ("", "IncompleteRead"):
            same(f"split decode of {wire!r} {limits}", got, whole)
        else:
            # Refused while feeding: how much data was returned first depends
            # on where the pieces end, and so may which limit a trailer
            # section breaks first (a line not ended yet may still turn out
            # too long, or one too many: the scanner refuses as soon as
            # every continuation would, as find_header_block_end does).
            if {got.error, whole.error} - LIMIT_ERRORS:
                same(f"split decode error of {wire!r} {limits}", got.error, whole.error)
            if not (
                got.body.startswith(whole.body) and bytewise.body.startswith(got.body)
            ):
                raise Finding(
                    f"bodies before the error of {wire!r}: whole {whole.body!r},"
                    f" split {got.body!r}, bytewise {bytewise.body!r}"
                )
    return whole


def matches_cpython(wire: bytes, ours: Decoded) -> None:
    """A body we accept (default limits) is the one CPython reads."""
    if ours.error:
        return
    try:
        theirs = cpython_read_chunked(wire)
    except Exception as exc:
        raise Finding(f"we accept {wire!r}, http.client raises {exc!r}") from exc
    same(
        f"body and unread bytes of {wire!r} vs http.client",
        (ours.body, ours.unused),
        theirs,
    )


def compact(wire: bytes, piece: int, max_line: int | None) -> tuple[bytes, str]:
    """The body compact_chunks() decodes from ``wire`` received ``piece``
    bytes at a time after what it left unused, and how it ended: "last"
    (the last chunk's size line), "eof" (the bytes ran out) or the name of
    the exception."""
    body = bytearray()
    buffer = bytearray()
    pos = 0
    chunk_left: int | None = None
    try:
        while True:
            buffer += wire[pos : pos + piece]
            pos += piece
            step = _chunked_pull.compact_chunks(buffer, chunk_left, max_line=max_line)
            body += buffer[: step.data]
            del buffer[: step.used]
            chunk_left = step.chunk_left
            if step.last:
                return bytes(body), "last"
            if pos >= len(wire):
                return bytes(body), "eof"
    except InvalidChunk as error:
        return bytes(body) + error.partial, "InvalidChunk"
    except LineTooLong:
        return bytes(body), "LineTooLong"


def compacted_alike(wire: bytes, limits: Limits, whole: Decoded) -> None:
    """compact_chunks() decodes as the decoder does, with every pass."""
    if limits["max_line"] is not None or whole.error not in ("", "InvalidChunk"):
        # (A size line's limit may be met at another byte in a push parser;
        # the decoder's own limits and ends are split_invariant()'s.)
        return
    refused = b""
    if whole.error:
        try:
            decode_chunks(wire, None, len(wire) + 1)
        except InvalidChunk as error:
            refused = error.partial
        else:
            raise Finding(f"decode_chunks() takes {wire!r}, the decoder refuses it")
    saved = _chunked_pull._compact
    try:
        for compact_pass in _PASSES:
            _chunked_pull._compact = compact_pass
            for piece in (len(wire) or 1, 7, 1):
                body, end = compact(wire, piece, None)
                if whole.error:
                    same(f"compact_chunks() of {wire!r}", end, whole.error)
                    # The pull side's refusal carries the data of a chunk
                    # not followed by CRLF too (the line-by-line reader
                    # has it), the decoder's does not: decode_chunks()
                    # gives the body to expect.
                    same(f"compact_chunks() body of {wire!r}", body, refused)
                else:
                    same(f"compact_chunks() of {wire!r}", end, "last")
                    same(f"compact_chunks() body of {wire!r}", body, whole.body)
    finally:
        _chunked_pull._compact = saved


def check_input(data: bytes) -> None:
    """Every check above on one input."""
    selector, wire = split_limits(data)
    limits = limits_of(selector)
    whole = split_invariant(wire, limits)
    compacted_alike(wire, limits, whole)
    if all(value is None for value in limits.values()):
        matches_cpython(wire, whole)
