# Properties of request validation and serialization on arbitrary text:
# whatever http.client's checks refuse is refused alike, whatever is
# accepted holds no control character and round-trips, and parse_host_port
# splits as HTTPConnection._get_hostport does.  The package's own tests
# compare whole requests with CPython's putrequest() and putheader(); these
# add the validators one by one, bytes names and values, and the Host value
# built from what parse_host_port returns.
from __future__ import annotations

from hypothesis import given, settings, strategies as st

from .strategies import request_fields
from .targets import request

# Latin-1 text, mostly the characters the rules are about.
TEXT = st.text(
    st.sampled_from("GET/ ?#%:@[]\t\r\n\x00\x1f\x7f\x85\xa0\u00e9\u00ff-_.~")
    | st.characters(max_codepoint=0xFF),
    max_size=16,
)


@settings(deadline=None)
@given(method=TEXT, target=TEXT, host=TEXT)
def test_validators_refuse_what_cpython_refuses(
    method: str, target: str, host: str
) -> None:
    request.validators_match_cpython(method, target, host)
    request.request_line_round_trips(method, target)


@settings(deadline=None)
@given(
    name=TEXT | TEXT.map(lambda text: text.encode("latin-1")),
    value=TEXT | TEXT.map(lambda text: text.encode("latin-1")),
)
def test_fields_accepted_round_trip(name: str | bytes, value: str | bytes) -> None:
    request.field_round_trips(name, value)


@settings(deadline=None)
@given(
    host=st.text(st.sampled_from("ab.:[]%1\xa0\u00fc\u3000 +-٣"), max_size=12) | TEXT
)
def test_host_port_is_cpythons_within_range(host: str) -> None:
    request.host_port_matches_cpython(host)


@settings(deadline=None)
@given(data=request_fields())
def test_every_check_of_the_target(data: bytes) -> None:
    request.check_input(data)
