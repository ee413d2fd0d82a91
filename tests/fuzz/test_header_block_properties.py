# Properties of the header-block parser on generated blocks: the compiled
# and pure paths agree through every public entry point, parse_headers
# gives http.client's result, HeaderBlockScanner decides at every split as
# find_header_block_end decides on the bytes so far, and a block without
# ambiguous lines is read as a strict parser reads it.  The package's own
# tests compare crlf_fields and parse_headers on structured blocks; these
# add the scanner, the ambiguity contract and the whole check of the
# atheris target.
from __future__ import annotations

import itertools

from hypothesis import given, settings, strategies as st

from .strategies import header_block as header_blocks
from .targets import header_block

SELECTORS = st.integers(0, 255)


@settings(deadline=None)
@given(selector=SELECTORS, block=header_blocks())
def test_every_check_of_the_target(selector: int, block: bytes) -> None:
    header_block.check_input(bytes([selector]) + block)


@settings(deadline=None)
@given(
    selector=SELECTORS,
    block=header_blocks(),
    cuts=st.lists(st.integers(0, 300), max_size=6),
)
def test_scanner_decides_alike_at_every_split(
    selector: int, block: bytes, cuts: list[int]
) -> None:
    limits, _ = header_block.limits_of(selector)
    for at in range(len(block) + 1):
        header_block.scanner_agrees(block, limits, [block[:at], block[at:]])
    bounds = [0, *sorted(min(cut, len(block)) for cut in cuts), len(block)]
    pieces = [block[a:b] for a, b in itertools.pairwise(bounds)]
    header_block.scanner_agrees(block, limits, pieces)


@settings(deadline=None)
@given(block=header_blocks())
def test_unambiguous_blocks_are_read_as_a_strict_parser_reads_them(
    block: bytes,
) -> None:
    header_block.ambiguity_is_consistent(block)
