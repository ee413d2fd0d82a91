# Properties of ChunkedDecoder on generated chunked bodies (well-formed ones
# with hostile edits): the outcome does not depend on how the bytes arrive,
# and a body it accepts is the one http.client reads.  The package's own
# tests cover tables, round trips through the encoder and damaged runs of
# equal chunks; these add arbitrary framing split at every offset.
from __future__ import annotations

import itertools

from hypothesis import given, settings, strategies as st

from .strategies import chunked_body
from .targets import chunked

SELECTORS = st.integers(0, 255)


@settings(deadline=None)
@given(selector=SELECTORS, wire=chunked_body())
def test_every_split_decodes_alike(selector: int, wire: bytes) -> None:
    chunked.split_invariant(wire, chunked.limits_of(selector))


@settings(deadline=None)
@given(
    selector=SELECTORS,
    wire=chunked_body(),
    cuts=st.lists(st.lists(st.integers(0, 400), max_size=8), min_size=1, max_size=4),
)
def test_random_splits_decode_alike(
    selector: int, wire: bytes, cuts: list[list[int]]
) -> None:
    splits = []
    for offsets in cuts:
        bounds = [0, *sorted(min(cut, len(wire)) for cut in offsets), len(wire)]
        splits.append([wire[a:b] for a, b in itertools.pairwise(bounds)])
    chunked.split_invariant(wire, chunked.limits_of(selector), splits)


@settings(deadline=None)
@given(wire=chunked_body())
def test_accepted_bodies_are_what_cpython_reads(wire: bytes) -> None:
    chunked.matches_cpython(wire, chunked.decode([wire], chunked.limits_of(0)))


@settings(deadline=None)
@given(selector=SELECTORS, wire=chunked_body())
def test_compact_chunks_decodes_as_the_decoder(selector: int, wire: bytes) -> None:
    limits = chunked.limits_of(selector)
    chunked.compacted_alike(wire, limits, chunked.decode([wire], limits))
