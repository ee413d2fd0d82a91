# HTTPMessage as callers use it, and messages of a caller's own class: each
# result compared with what http.client gives for the same bytes.
from __future__ import annotations

import dataclasses
import email.message
import functools
import http.client
import io
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar, cast

import pytest

from httpcore_headers import (
    HTTPMessage,
    parse_header_block,
    parse_header_lines,
    parse_headers,
    read_header_lines,
)

if TYPE_CHECKING:
    from conftest import AssertSame, Message

RESPONSE = (
    b"Content-Type: text/html; charset=UTF-8\r\n"
    b"Set-Cookie: a=1; Path=/\r\n"
    b"Content-Length: 42\r\n"
    b"set-cookie: b=2\r\n"
    b"X-Empty:\r\n"
    b"\r\n"
)

# (what a caller does with the message, what it gets).
CALLS: list[Any] = [
    pytest.param(lambda m: m.get("content-length"), "42", id="get"),
    pytest.param(lambda m: m.get("X-Missing"), None, id="get-missing"),
    pytest.param(lambda m: m.get("X-Missing", "d"), "d", id="get-default"),
    pytest.param(lambda m: m["CONTENT-TYPE"], "text/html; charset=UTF-8", id="getitem"),
    pytest.param(lambda m: m["x-empty"], "", id="getitem-empty"),
    pytest.param(lambda m: m["X-Missing"], None, id="getitem-missing"),
    pytest.param(
        lambda m: m.get_all("Set-Cookie"), ["a=1; Path=/", "b=2"], id="get_all"
    ),
    pytest.param(lambda m: m.get_all("X-Missing"), None, id="get_all-missing"),
    pytest.param(lambda m: m.get_all("X-Missing", []), [], id="get_all-default"),
    pytest.param(
        lambda m: m.items(),
        [
            ("Content-Type", "text/html; charset=UTF-8"),
            ("Set-Cookie", "a=1; Path=/"),
            ("Content-Length", "42"),
            ("set-cookie", "b=2"),
            ("X-Empty", ""),
        ],
        id="items",
    ),
    pytest.param(
        lambda m: m.keys(),
        ["Content-Type", "Set-Cookie", "Content-Length", "set-cookie", "X-Empty"],
        id="keys",
    ),
    pytest.param(
        lambda m: m.values(),
        ["text/html; charset=UTF-8", "a=1; Path=/", "42", "b=2", ""],
        id="values",
    ),
    pytest.param(
        lambda m: list(m),
        ["Content-Type", "Set-Cookie", "Content-Length", "set-cookie", "X-Empty"],
        id="iter",
    ),
    pytest.param(lambda m: len(m), 5, id="len"),
    pytest.param(lambda m: "content-LENGTH" in m, True, id="in-any-case"),
    pytest.param(lambda m: "Content-Length:" in m, False, id="in-with-colon"),
    pytest.param(lambda m: "X-Missing" in m, False, id="not-in"),
    pytest.param(lambda m: m.get_content_type(), "text/html", id="get_content_type"),
    pytest.param(lambda m: m.get_content_maintype(), "text", id="get_content_maintype"),
    pytest.param(lambda m: m.get_content_subtype(), "html", id="get_content_subtype"),
    pytest.param(
        lambda m: m.get_params(),
        [("text/html", ""), ("charset", "UTF-8")],
        id="get_params",
    ),
    pytest.param(lambda m: m.get_param("charset"), "UTF-8", id="get_param"),
    pytest.param(lambda m: m.get_content_charset(), "utf-8", id="get_content_charset"),
    pytest.param(lambda m: m.get_charsets(), ["utf-8"], id="get_charsets"),
    pytest.param(lambda m: m.get_filename(), None, id="get_filename"),
    pytest.param(lambda m: m.get_boundary(), None, id="get_boundary"),
    pytest.param(lambda m: m.defects, [], id="defects"),
    pytest.param(lambda m: m.is_multipart(), False, id="is_multipart"),
    pytest.param(lambda m: m.get_payload(), "", id="get_payload"),
    pytest.param(lambda m: m.get_unixfrom(), None, id="get_unixfrom"),
    pytest.param(lambda m: m.getallmatchingheaders("Set-Cookie"), [], id="gamh"),
    pytest.param(lambda m: m.getallmatchingheaders("set-cookie"), [], id="gamh-lower"),
    pytest.param(lambda m: m.getallmatchingheaders("X-Missing"), [], id="gamh-missing"),
    pytest.param(
        lambda m: m.as_string(),
        "Content-Type: text/html; charset=UTF-8\n"
        "Set-Cookie: a=1; Path=/\n"
        "Content-Length: 42\n"
        "set-cookie: b=2\n"
        "X-Empty: \n"
        "\n",
        id="as_string",
    ),
]


@pytest.mark.parametrize(("call", "expected"), CALLS)
def test_message_api(call: Callable[[Message], object], expected: object) -> None:
    ours = parse_headers(io.BytesIO(RESPONSE))
    theirs = http.client.parse_headers(io.BytesIO(RESPONSE))
    assert call(ours) == expected
    assert call(theirs) == expected
    assert str(ours) == str(theirs)


def test_message_class() -> None:
    message = parse_headers(io.BytesIO(RESPONSE))
    assert type(message) is HTTPMessage
    assert isinstance(message, email.message.Message)
    assert type(parse_header_block(RESPONSE)) is HTTPMessage
    assert (
        type(parse_header_lines(read_header_lines(io.BytesIO(RESPONSE)))) is HTTPMessage
    )


@pytest.mark.parametrize(
    "keys",
    [
        pytest.param(["Set-Cookie", "Host"], id="plain-names"),
        pytest.param(
            ["set-cookie:x", " continued", "\tmore", "Host"], id="colon-names"
        ),
        pytest.param(["SET-COOKIE:", "Other", " continued"], id="hit-then-miss"),
        pytest.param([" lead", "set-cookie:1"], id="continuation-first"),
    ],
)
@pytest.mark.parametrize("name", ["Set-Cookie", "set-cookie", "Host", ""])
def test_getallmatchingheaders_is_cpythons(keys: list[str], name: str) -> None:
    """Kept as the standard library has it: it compares names with ``name + ":"``,
    so it finds only names that were stored with a colon in them."""
    ours = HTTPMessage()
    theirs = http.client.HTTPMessage()
    for key in keys:
        ours[key] = "v"
        theirs[key] = "v"
    assert ours.getallmatchingheaders(name) == theirs.getallmatchingheaders(name)


def test_getallmatchingheaders_finds_nothing_in_parsed_blocks() -> None:
    message = parse_headers(io.BytesIO(RESPONSE))
    for name in message:
        assert message.getallmatchingheaders(name) == []


# -- messages of the caller's own class ----------------------------------------


class Plain(HTTPMessage):
    """A subclass that changes nothing."""


class Counting(HTTPMessage):
    """Counts how email.parser builds it."""

    inits: ClassVar[int] = 0
    raw: ClassVar[list[tuple[str, str]]] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        type(self).inits += 1
        super().__init__(*args, **kwargs)

    def set_raw(self, name: str, value: str) -> None:
        type(self).raw.append((name, value))
        super().set_raw(name, value)

    @classmethod
    def take(cls) -> tuple[int, list[tuple[str, str]]]:
        counts = (cls.inits, cls.raw)
        cls.inits = 0
        cls.raw = []
        return counts


class CountingPayload(HTTPMessage):
    """Overrides set_payload only."""

    payloads: ClassVar[list[object]] = []

    def set_payload(self, payload: Any, charset: Any = None) -> None:
        type(self).payloads.append(payload)
        super().set_payload(payload, charset)


class AliasingTypes(HTTPMessage):
    """Reads the registered alias application/http as message/http: a class
    whose content type decides, as in email.parser, how the block is parsed."""

    def get_content_type(self) -> str:
        content_type = super().get_content_type()
        return "message/http" if content_type == "application/http" else content_type


CLASS_BLOCKS = [
    pytest.param(RESPONSE, id="crlf"),
    pytest.param(b"A: b\nC: d\n\n", id="lf"),
    pytest.param(b"\r\n", id="empty"),
    pytest.param(b"A: b\r\n c\r\nno colon\r\n\r\n", id="malformed"),
    pytest.param(b"Content-Type: message/rfc822\r\nA: b\r\n\r\n", id="rfc822"),
    pytest.param(
        b"Content-Type: application/http\r\nA: b\r\n\r\n", id="application-http"
    ),
    pytest.param(b"A: b\r\nC: d", id="eof"),
]
CLASSES = [Plain, Counting, CountingPayload, AliasingTypes]


def _ours_with_every_entry_point(data: bytes, cls: type[Message]) -> list[Message]:
    fp = io.BytesIO(data)
    buffered = io.BufferedReader(io.BytesIO(data))
    lines = read_header_lines(io.BytesIO(data))
    return [
        parse_headers(fp, cls),
        parse_headers(buffered, cls),
        parse_header_lines(lines, cls),
        parse_header_block(b"".join(lines), cls),
    ]


@pytest.mark.parametrize("cls", CLASSES, ids=lambda cls: cls.__name__)
@pytest.mark.parametrize("data", CLASS_BLOCKS)
def test_own_class_gives_cpythons_message(
    data: bytes, cls: type[Message], assert_same: AssertSame
) -> None:
    theirs = http.client.parse_headers(io.BytesIO(data), cls)
    assert type(theirs) is cls
    for ours in _ours_with_every_entry_point(data, cls):
        assert type(ours) is cls
        assert_same(ours, theirs)


@pytest.mark.parametrize("data", CLASS_BLOCKS)
def test_own_class_is_built_as_email_parser_builds_it(data: bytes) -> None:
    Counting.take()
    http.client.parse_headers(io.BytesIO(data), Counting)
    theirs = Counting.take()
    assert theirs[0] >= 2  # FeedParser also calls the factory once to probe it.
    parse_headers(io.BytesIO(data), Counting)
    assert Counting.take() == theirs
    parse_headers(io.BufferedReader(io.BytesIO(data)), Counting)
    assert Counting.take() == theirs
    parse_header_block(b"".join(read_header_lines(io.BytesIO(data))), Counting)
    assert Counting.take() == theirs


def test_set_payload_override_is_called_as_by_email_parser() -> None:
    CountingPayload.payloads = []
    http.client.parse_headers(io.BytesIO(RESPONSE), CountingPayload)
    theirs = CountingPayload.payloads
    CountingPayload.payloads = []
    parse_headers(io.BytesIO(RESPONSE), CountingPayload)
    assert CountingPayload.payloads == theirs


def test_class_changed_after_its_first_use(monkeypatch: pytest.MonkeyPatch) -> None:
    class Late(HTTPMessage):
        pass

    parse_headers(io.BytesIO(RESPONSE), Late)
    seen: list[str] = []

    def set_raw(self: Late, name: str, value: str) -> None:
        seen.append(name)
        HTTPMessage.set_raw(self, name, value)

    monkeypatch.setattr(Late, "set_raw", set_raw)
    http.client.parse_headers(io.BytesIO(RESPONSE), Late)
    theirs = list(seen)
    assert len(theirs) == 5
    seen.clear()
    parse_headers(io.BytesIO(RESPONSE), Late)
    assert seen == theirs


def _factory_function(**kwargs: Any) -> Plain:
    return Plain(**kwargs)


@dataclasses.dataclass
class _FactoryObject:
    """A callable object; like every dataclass with eq=True, unhashable."""

    made: int = 0

    def __call__(self, **kwargs: Any) -> Plain:
        self.made += 1
        return Plain(**kwargs)


FACTORIES = [
    pytest.param(lambda: _factory_function, id="function"),
    pytest.param(lambda: functools.partial(Plain), id="partial"),
    pytest.param(_FactoryObject, id="unhashable-callable"),
]


@pytest.mark.parametrize("make_factory", FACTORIES)
@pytest.mark.parametrize(
    "data",
    [
        pytest.param(RESPONSE, id="crlf"),
        pytest.param(b"A: b\r\n c\r\nno colon\r\n\r\n", id="malformed"),
    ],
)
def test_factory_that_is_not_a_class(
    data: bytes,
    make_factory: Callable[[], Callable[..., Plain]],
    assert_same: AssertSame,
) -> None:
    """http.client takes any callable that returns a message, as email.parser does."""
    theirs = http.client.parse_headers(io.BytesIO(data), make_factory())
    ours = parse_headers(io.BytesIO(data), cast("type[Plain]", make_factory()))
    assert type(ours) is Plain
    assert_same(ours, theirs)


def test_rfc_2231_continuations_that_email_cannot_sort() -> None:
    # A multipart Content-Type whose parameters mix numbered and unnumbered
    # RFC 2231 parts makes email.utils.decode_params() raise TypeError while
    # email's parser looks for the boundary (CPython gh-134151, found by
    # tests/fuzz): http.client.parse_headers() raises it on the versions
    # that have the bug; the fields are returned here, as fixed releases
    # return them.
    block = b"Content-Type: multipart/mixed; b*0=x; b*=y\r\nX-Next: 1\r\n\r\n"
    message = parse_headers(io.BytesIO(block))
    assert message.items() == [
        ("Content-Type", "multipart/mixed; b*0=x; b*=y"),
        ("X-Next", "1"),
    ]
    assert message.get_content_type() == "multipart/mixed"
    theirs = _cpython_items_or_error(block)
    assert theirs == message.items() or "not supported between" in str(theirs)


def _cpython_items_or_error(block: bytes) -> object:
    """http.client.parse_headers(block).items(), or the TypeError's text."""
    try:
        return http.client.parse_headers(io.BytesIO(block)).items()
    except TypeError as error:
        return str(error)
