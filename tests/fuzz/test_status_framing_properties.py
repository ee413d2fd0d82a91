# Properties of status-line parsing and response framing on generated
# input: parse_status_line against HTTPResponse._read_status (a superset of
# its refusals by one documented rule), every way to decide the framing
# (message or field pairs, compiled or pure) alike, request and response
# framing consistent, and ambiguous_framing raising whenever a lenient
# parser would find another body length.  The package's own tests compare
# structured status lines and framing fields with CPython; these add
# hostile header blocks, where the readings of parsers part.
from __future__ import annotations

from hypothesis import given, settings, strategies as st

from .strategies import header_block, status_line
from .targets import status_framing


@settings(deadline=None)
@given(line=status_line | st.binary(max_size=30))
def test_status_line_refuses_what_cpython_refuses(line: bytes) -> None:
    status_framing.status_matches_cpython(line.partition(b"\n")[0])


@settings(deadline=None)
@given(
    method=st.sampled_from([None, "GET", "HEAD", "CONNECT", "head"]),
    status=st.sampled_from([100, 101, 200, 204, 299, 304, 404, 999]),
    version=st.sampled_from([10, 11]),
    block=header_block(),
)
def test_framing_is_decided_alike_every_way(
    method: str | None, status: int, version: int, block: bytes
) -> None:
    parsed = status_framing.parse_block(block)
    if parsed is not None:
        status_framing.framings_agree(method, status, version, parsed[1])
        status_framing.request_agrees(parsed[1])


@settings(deadline=None)
@given(block=header_block())
def test_ambiguous_framing_raises_where_length_depends_on_the_parser(
    block: bytes,
) -> None:
    parsed = status_framing.parse_block(block)
    if parsed is not None:
        status_framing.ambiguity_is_safe(*parsed)


@settings(deadline=None)
@given(selector=st.integers(0, 255), line=status_line, block=header_block())
def test_every_check_of_the_target(selector: int, line: bytes, block: bytes) -> None:
    status_framing.check_input(bytes([selector]) + line + block)
