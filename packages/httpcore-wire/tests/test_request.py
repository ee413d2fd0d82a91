# Request line, field lines and Host: tables of input -> exact bytes or
# exact exception, one table per rule.  The comparison with the running
# interpreter's http.client is in test_request_cpython.py.
#
# The functions are imported from the private module until
# httpcore_wire/__init__.py exports them.
from __future__ import annotations

import http.client
import re
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import TypeVar

import pytest

from httpcore_headers import HTTPException
from httpcore_wire import (
    InvalidURL,
    encode_field_line,
    encode_field_name,
    encode_field_value,
    encode_request_line,
    host_field_value,
    host_from_url,
    parse_host_port,
    validate_host,
    validate_method,
    validate_target,
)

E = TypeVar("E", bound=Exception)


def _raises_exactly(
    error: type[E], message: str
) -> AbstractContextManager[pytest.ExceptionInfo[E]]:
    """pytest.raises() for ``error`` with exactly ``message``."""
    return pytest.raises(error, match=f"^{re.escape(message)}$")


def test_invalid_url_is_an_http_exception() -> None:
    assert issubclass(InvalidURL, HTTPException)


# --- methods ---------------------------------------------------------------

TOKENS = ["GET", "POST", "M-SEARCH", "get", "X1", "!#$%&'*+-.^_`|~", "A" * 100]


@pytest.mark.parametrize("method", TOKENS)
def test_validate_method_accepts_tokens(method: str) -> None:
    validate_method(method)
    assert encode_request_line(method, "/x") == f"{method} /x HTTP/1.1".encode()


# CPython's test_invalid_method_names, plus the ends of the C0 range: the
# message is CPython's, character for character.
CONTROL_METHODS = [
    ("GET\r", "\r"),
    ("POST\n", "\n"),
    ("PUT\n\r", "\n"),
    ("POST\nValue", "\n"),
    ("POST\nHOST:abc", "\n"),
    ("GET\nrHost:abc\n", "\n"),
    ("POST\rRemainder:\r", "\r"),
    ("GET\rHOST:\n", "\r"),
    ("\nPUT", "\n"),
    ("\x00GET", "\x00"),
    ("G\x1fET", "\x1f"),
    ("GET\t", "\t"),
    ("G E\x01T", "\x01"),
]


@pytest.mark.parametrize(("method", "found"), CONTROL_METHODS)
def test_validate_method_control_characters(method: str, found: str) -> None:
    message = (
        f"method can't contain control characters. {method!r} "
        f"(found at least {found!r})"
    )
    with _raises_exactly(ValueError, message) as info:
        validate_method(method)
    assert type(info.value) is ValueError


# Accepted by CPython, refused here: not an RFC 9110 token.
NON_TOKEN_METHODS = [
    ("G E T", "' ' at index 1"),
    ("GET ", "' ' at index 3"),
    ("GE\x7fT", "'\\x7f' at index 2"),
    ("GET/1", "'/' at index 3"),
    ("G(E)T", "'(' at index 1"),
    ('G"T', "'\"' at index 1"),
    ("GÉT", "'É' at index 1"),
    ("GET\u0661", "'\u0661' at index 3"),
    ("GET\x85", "'\\x85' at index 3"),
]


def test_validate_method_lets_the_empty_method_through() -> None:
    # CPython sends it (a request line starting with a space, which servers
    # answer with 400); it cannot make a server see another target.
    validate_method("")
    assert encode_request_line("", "") == b" / HTTP/1.1"


@pytest.mark.parametrize(("method", "found"), NON_TOKEN_METHODS)
def test_validate_method_requires_a_token(method: str, found: str) -> None:
    message = (
        f"method is not an HTTP token (RFC 9110 section 9.1): {method!r} ({found})"
    )
    with _raises_exactly(ValueError, message) as info:
        validate_method(method)
    assert type(info.value) is ValueError


# --- targets and hosts -----------------------------------------------------

GOOD_URLS = ["/", "", "*", "/a?b=c&d=%20#frag", "http://[::1]:80/x", "/é", "/\x80"]
BAD_URL_CHARACTERS = ["\x00", "\x01", "\t", "\n", "\r", "\x1f", " ", "\x7f"]


@pytest.mark.parametrize("target", GOOD_URLS)
def test_validate_target_accepts(target: str) -> None:
    validate_target(target)


@pytest.mark.parametrize(
    "host",
    [
        "example.com",
        "::1",
        "fe80::1%eth0",
        "fe80::1%en-0.a_b~",
        "fe80::1%",
        "bücher.de",
    ],
)
def test_validate_host_accepts(host: str) -> None:
    validate_host(host)


@pytest.mark.parametrize("bad", BAD_URL_CHARACTERS)
@pytest.mark.parametrize("check", [validate_target, validate_host])
def test_url_control_characters(bad: str, check: Callable[[str], None]) -> None:
    text = f"/a{bad}b{bad}"
    message = f"URL can't contain control characters. {text!r} (found at least {bad!r})"
    with _raises_exactly(InvalidURL, message):
        check(text)


# --- the request line ------------------------------------------------------

REQUEST_LINES = [
    (("GET", "/"), b"GET / HTTP/1.1"),
    (("GET", ""), b"GET / HTTP/1.1"),
    (("OPTIONS", "*"), b"OPTIONS * HTTP/1.1"),
    (("CONNECT", "example.com:443"), b"CONNECT example.com:443 HTTP/1.1"),
    (("GET", "http://e.org/a?b#c"), b"GET http://e.org/a?b#c HTTP/1.1"),
    (("GET", "/", "HTTP/1.0"), b"GET / HTTP/1.0"),
    (("M-SEARCH", "/%E2%82%AC"), b"M-SEARCH /%E2%82%AC HTTP/1.1"),
]


@pytest.mark.parametrize(("args", "expected"), REQUEST_LINES)
def test_encode_request_line(args: tuple[str, ...], expected: bytes) -> None:
    assert encode_request_line(*args) == expected


# The checks run in CPython's order: method control characters, then the
# target, then ASCII; the token rule comes last.
REQUEST_LINE_ERRORS = [
    (
        ("GET", "/a b"),
        InvalidURL,
        "URL can't contain control characters. '/a b' (found at least ' ')",
    ),
    (
        ("GET", "/\r\nX: y"),
        InvalidURL,
        "URL can't contain control characters. '/\\r\\nX: y' (found at least '\\r')",
    ),
    (
        ("GET\r", "/ x"),
        ValueError,
        "method can't contain control characters. 'GET\\r' (found at least '\\r')",
    ),
    (
        ("G E T", "/a b"),
        InvalidURL,
        "URL can't contain control characters. '/a b' (found at least ' ')",
    ),
    (
        ("GET", "/é"),
        UnicodeEncodeError,
        "'ascii' codec can't encode character '\\xe9' in position 5: "
        "ordinal not in range(128)",
    ),
    (
        ("GÉT", "/"),
        UnicodeEncodeError,
        "'ascii' codec can't encode character '\\xc9' in position 1: "
        "ordinal not in range(128)",
    ),
    (
        ("G E T", "/é"),
        UnicodeEncodeError,
        "'ascii' codec can't encode character '\\xe9' in position 7: "
        "ordinal not in range(128)",
    ),
    (
        ("G E T", "/"),
        ValueError,
        "method is not an HTTP token (RFC 9110 section 9.1): 'G E T' (' ' at index 1)",
    ),
    (
        ("GET", "/", "HTTP/1.1\r\nX: y"),
        ValueError,
        "version must look like 'HTTP/1.1', not 'HTTP/1.1\\r\\nX: y'",
    ),
    (
        ("GET", "/", "HTTP/11"),
        ValueError,
        "version must look like 'HTTP/1.1', not 'HTTP/11'",
    ),
    (
        ("GET", "/", "http/1.1"),
        ValueError,
        "version must look like 'HTTP/1.1', not 'http/1.1'",
    ),
]


@pytest.mark.parametrize(("args", "error", "message"), REQUEST_LINE_ERRORS)
def test_encode_request_line_errors(
    args: tuple[str, ...], error: type[Exception], message: str
) -> None:
    with _raises_exactly(error, message) as info:
        encode_request_line(*args)
    assert type(info.value) is error


def test_encode_request_line_unicode_error_is_cpythons() -> None:
    with pytest.raises(UnicodeEncodeError) as info:
        encode_request_line("GET", "/ü?x=1")
    err = info.value
    assert (err.encoding, err.object, err.start, err.end) == (
        "ascii",
        "GET /ü?x=1 HTTP/1.1",
        5,
        6,
    )


# --- field names -------------------------------------------------------------

# Tokens, and names of every accepted type.
GOOD_NAMES: list[tuple[str | bytes, bytes]] = [
    ("Content-Length", b"Content-Length"),
    ("X~!#$%&'*+-.^_`|", b"X~!#$%&'*+-.^_`|"),
    ("0", b"0"),
    (b"X-Bytes", b"X-Bytes"),
    # Spaces between tokens: CPython's test_putheader, urllib3's tests.
    ("Key Space", b"Key Space"),
    ("For The  Proxy", b"For The  Proxy"),
]


@pytest.mark.parametrize(("name", "expected"), GOOD_NAMES)
def test_encode_field_name(name: str | bytes, expected: bytes) -> None:
    assert encode_field_name(name) == expected


def test_encode_field_name_bytes_not_copied() -> None:
    name = b"X-Same"
    assert encode_field_name(name) is name


@pytest.mark.parametrize("name", [bytearray(b"X-Arr"), memoryview(b"X-Arr")])
def test_encode_field_name_bytes_like(name: bytearray | memoryview) -> None:
    assert encode_field_name(name) == b"X-Arr"  # type: ignore[arg-type]


_NOT_TOKEN = "is not a token character (RFC 9110 section 5.1)"
# CPython's test_invalid_headers names; then those of its test_putheader
# that CPython sends and one parser may take for another field than the
# next parser does; then the control characters.
BAD_NAMES = [
    (b"Invalid\r\nName", f"CR at index 7 {_NOT_TOKEN}"),
    (b"Invalid\rName", f"CR at index 7 {_NOT_TOKEN}"),
    (b"Invalid\nName", f"LF at index 7 {_NOT_TOKEN}"),
    (b"\r\nInvalidName", f"CR at index 0 {_NOT_TOKEN}"),
    (b"\rInvalidName", f"CR at index 0 {_NOT_TOKEN}"),
    (b"\nInvalidName", f"LF at index 0 {_NOT_TOKEN}"),
    (b" InvalidName", f"SP at index 0 {_NOT_TOKEN}"),
    (b"\tInvalidName", f"HTAB at index 0 {_NOT_TOKEN}"),
    (b"Invalid:Name", f"b':' at index 7 {_NOT_TOKEN}"),
    (b":InvalidName", f"b':' at index 0 {_NOT_TOKEN}"),
    (b"KeySpace ", f"SP at index 8 {_NOT_TOKEN}"),
    (b" Key Space", f"SP at index 0 {_NOT_TOKEN}"),
    (b"Content-Length ", f"SP at index 14 {_NOT_TOKEN}"),
    (b"Nonbreak\xa0Space", f"NBSP at index 8 {_NOT_TOKEN}"),
    (b"\xa0NonbreakSpace", f"NBSP at index 0 {_NOT_TOKEN}"),
    (b"Key\tTab", f"HTAB at index 3 {_NOT_TOKEN}"),
    (b"X(y)", f"b'(' at index 1 {_NOT_TOKEN}"),
    (b"X\x7f", f"DEL at index 1 {_NOT_TOKEN}"),
    (b"X\xff", f"b'\\xff' at index 1 {_NOT_TOKEN}"),
    (b"\x0bName", f"b'\\x0b' at index 0 {_NOT_TOKEN}"),
    (b"", "a field name cannot be empty"),
    (b"X\x00", f"NUL at index 1 {_NOT_TOKEN}"),
    (b"X\x01Y", f"b'\\x01' at index 1 {_NOT_TOKEN}"),
]


@pytest.mark.parametrize(("name", "why"), BAD_NAMES)
def test_encode_field_name_refused(name: bytes, why: str) -> None:
    with _raises_exactly(ValueError, f"Invalid header name {name!r}: {why}"):
        encode_field_name(name)
    if name.isascii():  # (a str name must be ASCII, see below)
        with _raises_exactly(ValueError, f"Invalid header name {name!r}: {why}"):
            encode_field_name(name.decode("ascii"))


def test_encode_field_name_str_must_be_ascii() -> None:
    with pytest.raises(UnicodeEncodeError, match="'ascii' codec can't encode"):
        encode_field_name("Naïve")


def test_encode_field_name_type() -> None:
    message = "header name must be str or a bytes-like object, not int"
    with _raises_exactly(TypeError, message):
        encode_field_name(5)  # type: ignore[arg-type]


# --- field values --------------------------------------------------------------

# CPython's test_putheader values but obs-fold, and one of each accepted
# type.
GOOD_VALUES: list[tuple[str | bytes | bytearray | memoryview | int, bytes]] = [
    (42, b"42"),
    (-1, b"-1"),
    (True, b"True"),
    (" bar ", b" bar "),
    ("\tbaz\t", b"\tbaz\t"),
    ("Bearer mytoken", b"Bearer mytoken"),
    (b"\xff", b"\xff"),
    (b"\xc3\x80", b"\xc3\x80"),
    (b"next\x85line", b"next\x85line"),
    ("café", b"caf\xe9"),
    ("", b""),
    (bytearray(b"ab"), b"ab"),
    (memoryview(b"xabx")[1:3], b"ab"),
]


@pytest.mark.parametrize(("value", "expected"), GOOD_VALUES)
def test_encode_field_value(
    value: str | bytes | bytearray | memoryview | int, expected: bytes
) -> None:
    encoded = encode_field_value(value)
    assert encoded == expected
    assert type(encoded) is bytes


def test_encode_field_value_bytes_not_copied() -> None:
    value = b"same"
    assert encode_field_value(value) is value


_CONTROL = "is a control character, not allowed in a field value (RFC 9110 section 5.5)"
# CPython's test_invalid_headers values; its test_putheader's obs-fold,
# which CPython sends (RFC 9112 section 5.2 forbids senders to); then the
# other control characters.
BAD_VALUES = [
    (b"Invalid\r\nValue", f"CR at index 7 {_CONTROL}"),
    (b"Invalid\rValue", f"CR at index 7 {_CONTROL}"),
    (b"Invalid\nValue", f"LF at index 7 {_CONTROL}"),
    (b"InvalidValue\r\n", f"CR at index 12 {_CONTROL}"),
    (b"InvalidValue\r", f"CR at index 12 {_CONTROL}"),
    (b"InvalidValue\n", f"LF at index 12 {_CONTROL}"),
    (b"is\r\n allowed", f"CR at index 2 {_CONTROL}"),
    (b"is\r\n\tallowed", f"CR at index 2 {_CONTROL}"),
    (b"\r\n ", f"CR at index 0 {_CONTROL}"),
    (b"a\x00b", f"NUL at index 1 {_CONTROL}"),
    (b"\x00", f"NUL at index 0 {_CONTROL}"),
    (b"a\n b", f"LF at index 1 {_CONTROL}"),
    (b"\x01\x1f", f"b'\\x01' at index 0 {_CONTROL}"),
    (b"a\x1fb", f"b'\\x1f' at index 1 {_CONTROL}"),
    (b"a\x7f", f"DEL at index 1 {_CONTROL}"),
]


@pytest.mark.parametrize(("value", "why"), BAD_VALUES)
def test_encode_field_value_refused(value: bytes, why: str) -> None:
    message = f"Invalid header value {value!r}: {why}"
    for form in (value, value.decode("latin-1"), bytearray(value), memoryview(value)):
        with _raises_exactly(ValueError, message):
            encode_field_value(form)


def test_encode_field_value_str_must_be_latin_1() -> None:
    message = (
        "'latin-1' codec can't encode character '\\u20ac' in position 1: "
        "ordinal not in range(256)"
    )
    with _raises_exactly(UnicodeEncodeError, message):
        encode_field_value("5€")


@pytest.mark.parametrize(("value", "kind"), [(1.5, "float"), (None, "NoneType")])
def test_encode_field_value_type(value: object, kind: str) -> None:
    message = f"header value must be str, int or a bytes-like object, not {kind}"
    with _raises_exactly(TypeError, message):
        encode_field_value(value)  # type: ignore[arg-type]


FIELD_LINES: list[tuple[str | bytes, tuple[str | bytes | int, ...], bytes]] = [
    ("Content-length", (42,), b"Content-length: 42"),
    ("Foo", (" bar ",), b"Foo:  bar "),
    ("IterHeader", ("IterA", "IterB"), b"IterHeader: IterA\r\n\tIterB"),
    (b"X", (1, b"b", "c"), b"X: 1\r\n\tb\r\n\tc"),
    ("Empty", (), b"Empty: "),
    ("Empty", ("",), b"Empty: "),
    ("LatinHeader", (b"\xff",), b"LatinHeader: \xff"),
]


@pytest.mark.parametrize(("name", "values", "expected"), FIELD_LINES)
def test_encode_field_line(
    name: str | bytes, values: tuple[str | bytes | int, ...], expected: bytes
) -> None:
    assert encode_field_line(name, *values) == expected


def test_encode_field_line_checks_every_value() -> None:
    message = f"Invalid header value b'b\\nc': LF at index 1 {_CONTROL}"
    with _raises_exactly(ValueError, message):
        encode_field_line("X", "a", "b\nc")


def test_encode_field_line_checks_the_name() -> None:
    with pytest.raises(ValueError, match=r"^Invalid header name b'X:'"):
        encode_field_line("X:", "a")


# --- host and port -------------------------------------------------------------

HOST_PORTS = [
    (("example.com", None, 80), ("example.com", 80)),
    (("example.com:8080", None, 80), ("example.com", 8080)),
    (("example.com:", None, 80), ("example.com", 80)),
    (("example.com:", None, 443), ("example.com", 443)),
    (("example.com", 8080, 80), ("example.com", 8080)),
    (("example.com:8080", 9090, 80), ("example.com:8080", 9090)),
    (("[2001::]:81", None, 80), ("2001::", 81)),
    (("[2001:102A::]", None, 80), ("2001:102A::", 80)),
    (("[fe80::%2]:81", None, 80), ("fe80::%2", 81)),
    (("[::1]", 8080, 80), ("::1", 8080)),
    (("::1", None, 80), (":", 1)),
    (("a:1:2", None, 80), ("a:1", 2)),
    (("example.com: 80", None, 80), ("example.com", 80)),
    (("", None, 80), ("", 80)),
    (("[]", None, 80), ("", 80)),
    (("[", None, 80), ("[", 80)),
]


@pytest.mark.parametrize(("args", "expected"), HOST_PORTS)
def test_parse_host_port(
    args: tuple[str, int | None, int], expected: tuple[str, int]
) -> None:
    assert parse_host_port(*args) == expected


@pytest.mark.parametrize(
    ("host", "port"),
    [("example.com:http", "http"), ("[::1]:x", "x"), ("h:-", "-"), ("h:8 0", "8 0")],
)
def test_parse_host_port_nonnumeric(host: str, port: str) -> None:
    with _raises_exactly(InvalidURL, f"nonnumeric port: '{port}'"):
        parse_host_port(host, None, 80)


@pytest.mark.parametrize(
    ("host", "port", "shown"),
    [
        ("h:65536", None, 65536),
        ("[::1]:99999", None, 99999),
        ("h", 70000, 70000),
        ("h", -1, -1),
    ],
)
def test_parse_host_port_out_of_range(host: str, port: int | None, shown: int) -> None:
    # getaddrinfo() would take 70000 for 4464, and Host would say 70000.
    with _raises_exactly(InvalidURL, f"port out of range 0-65535: {shown}"):
        parse_host_port(host, port, 80)


@pytest.mark.parametrize("port", [0, 65535])
def test_parse_host_port_range_ends(port: int) -> None:
    assert parse_host_port(f"h:{port}", None, 80) == ("h", port)


@pytest.mark.parametrize(
    ("host", "encoded"),
    [
        ("evil.com\uff0fx", "evil.com/x"),
        ("user\uff20evil.com", "user@evil.com"),
        ("evil.com\uff1a81", "evil.com:81"),
        ("evil.com\uff1fq", "evil.com?q"),
        ("evil.com\uff03f", "evil.com#f"),
    ],
)
def test_validate_host_refuses_an_idna_form_that_is_not_a_name(
    host: str, encoded: str
) -> None:
    # Nameprep maps fullwidth delimiters to ASCII ones, which would change
    # what the Host field and a CONNECT line name; http.client sends them
    # (found by nox -s fuzz).
    connection = http.client.HTTPConnection("localhost")
    connection._validate_host(host)  # type: ignore[attr-defined]
    assert host.encode("idna") == encoded.encode("ascii")
    message = (
        f"host {host!r} is {encoded!r} in its IDNA form: a host name holds only"
        " letters, digits, '-', '_' and '.' there (RFC 5890 section 2.3.2.1)"
    )
    with _raises_exactly(InvalidURL, message):
        validate_host(host)
    with _raises_exactly(InvalidURL, message):
        host_field_value(host, 80, 80)


@pytest.mark.parametrize(
    "host", ["b\u00fccher.example", "\u4f8b\u3048.jp", "a_b.\u00e9"]
)
def test_validate_host_accepts_international_names(host: str) -> None:
    validate_host(host)
    assert host_field_value(host, 80, 80) == host.encode("idna")


@pytest.mark.parametrize(
    ("host", "encoded"),
    [
        ("a\xa0b", "a b"),
        ("\u3000evil.com", " evil.com"),
        ("x.\u2000.y", "x. .y"),
    ],
)
def test_validate_host_checks_the_idna_form(host: str, encoded: str) -> None:
    # NFKC maps these spaces to SP, which would reach the Host field and a
    # CONNECT request line; http.client checks the host before encoding it
    # (found by nox -s fuzz).
    connection = http.client.HTTPConnection("localhost")
    connection._validate_host(host)  # type: ignore[attr-defined]
    assert host.encode("idna") == encoded.encode("ascii")
    message = (
        f"URL can't contain control characters. {host!r} (found at least ' '"
        f" in its IDNA form {encoded!r})"
    )
    with _raises_exactly(InvalidURL, message):
        validate_host(host)
    with _raises_exactly(InvalidURL, message):
        host_field_value(host, 80, 80)


@pytest.mark.parametrize(
    "host", ["fe80::1%0D%0AX", "fe80::1%%0a", "fe80::1%e/th", "[::1%x:y]"]
)
def test_validate_host_refuses_odd_zone_ids(host: str) -> None:
    zone = host.removesuffix("]").partition("%")[2]
    message = (
        f"IPv6 zone id {zone!r} holds characters other than letters, digits"
        " and -._~ (RFC 6874)"
    )
    with _raises_exactly(InvalidURL, message):
        validate_host(host)


HOST_VALUES = [
    (("example.com", 80, 80), b"example.com"),
    (("example.com", 8080, 80), b"example.com:8080"),
    (("example.com", 443, 443), b"example.com"),
    (("example.com", 80, 443), b"example.com:80"),
    (("2001::", 81, 80), b"[2001::]:81"),
    (("2001:102A::", 80, 80), b"[2001:102A::]"),
    (("fe80::%2", 80, 80), b"[fe80::]"),
    (("fe80::%2", 81, 80), b"[fe80::]:81"),
    (("[::1]", 8080, 80), b"[::1]:8080"),
    (("[fe80::1%eth0]", 80, 80), b"[fe80::1]"),
    (("bücher.de", 80, 80), b"xn--bcher-kva.de"),
    (("bücher.de", 81, 80), b"xn--bcher-kva.de:81"),
    (("host%25x", 80, 80), b"host%25x"),
    (("", 80, 80), b""),
]


@pytest.mark.parametrize(("args", "expected"), HOST_VALUES)
def test_host_field_value(args: tuple[str, int, int], expected: bytes) -> None:
    assert host_field_value(*args) == expected


def test_host_field_value_checks_the_host() -> None:
    message = "URL can't contain control characters. 'a b' (found at least ' ')"
    with _raises_exactly(InvalidURL, message):
        host_field_value("a b", 80, 80)


def test_host_field_value_without_idna_form() -> None:
    with pytest.raises(UnicodeError, match="label empty"):
        host_field_value("ü..de", 80, 80)


URL_HOSTS = [
    ("/", None),
    ("", None),
    ("*", None),
    ("example.com:443", None),
    ("http:/path", None),
    ("httpfoo", None),
    ("HTTP://e.org/", None),
    ("ftp://e.org/", None),
    ("http://example.org/", b"example.org"),
    ("http://example.org:8080/x", b"example.org:8080"),
    ("https://e.org", b"e.org"),
    ("httpx://e.org/", b"e.org"),
    ("http://u:p@h:9/", b"u:p@h:9"),
    ("http://[::1]:8080/", b"[::1]:8080"),
    ("http://[fe80::1%eth0]/", b"[fe80::1]"),
    ("http://[fe80::1%25eth0]:8080/", b"[fe80::1]:8080"),
    ("http://u@[fe80::1%eth0]:80/", b"u@[fe80::1]:80"),
    ("http://user%40x@host/", b"user%40x@host"),
    ("http://a%2eb/", b"a%2eb"),
    ("http://[::1]:8%0/", b"[::1]:8%0"),
    ("http://bücher.de/", b"xn--bcher-kva.de"),
]


@pytest.mark.parametrize(("url", "expected"), URL_HOSTS)
def test_host_from_url(url: str, expected: bytes | None) -> None:
    assert host_from_url(url) == expected


def test_host_from_url_leaves_the_target_to_validate_target() -> None:
    # putrequest() validates the target through _validate_path(), a hook that
    # subclasses may relax (bpo-38216); the Host value is then checked as a
    # field value, which refuses CR, LF and NUL whatever the hook allowed.
    message = "URL can't contain control characters. 'http://a b/' (found at least ' ')"
    with _raises_exactly(InvalidURL, message):
        validate_target("http://a b/")
    assert host_from_url("http://a b/") == b"a b"
    assert host_from_url("/\x00") is None
    with pytest.raises(ValueError, match="Invalid header value"):
        encode_field_value(host_from_url("http://a\x00b/") or b"")


def test_host_from_url_urlsplit_errors_pass_through() -> None:
    with _raises_exactly(ValueError, "Invalid IPv6 URL"):
        host_from_url("http://[::1/")
