"""parse_headers against http.client.parse_headers on the same bytes.

Two header blocks: a typical 12-field response from a web server, and an
80-field block of about 6 KB, read from io.BytesIO and from an
io.BufferedReader (what socket.makefile() returns), plus the sans-I/O
parse_header_block on bytes.
"""

from __future__ import annotations

import http.client
import io
from collections.abc import Callable
from email.message import Message
from functools import partial

from run import Case

import httpcore_headers

TYPICAL = (
    b"Date: Fri, 27 Nov 2026 23:16:28 GMT\r\n"
    b"Server: nginx/1.22.1\r\n"
    b"Content-Type: text/html; charset=utf-8\r\n"
    b"Content-Length: 12345\r\n"
    b"Connection: keep-alive\r\n"
    b"Last-Modified: Thu, 26 Nov 2026 10:00:00 GMT\r\n"
    b'ETag: "5f3e-5a7b9c"\r\n'
    b"Accept-Ranges: bytes\r\n"
    b"Cache-Control: max-age=3600, public\r\n"
    b"Vary: Accept-Encoding\r\n"
    b"X-Frame-Options: SAMEORIGIN\r\n"
    b"Strict-Transport-Security: max-age=31536000; includeSubDomains\r\n"
    b"\r\n"
)

LARGE = (
    b"".join(
        b"X-Field-%02d: value %02d of a long header block, as CDNs and proxies send\r\n"
        % (i, i)
        for i in range(78)
    )
    + b"Set-Cookie: a=1; Path=/; HttpOnly\r\nSet-Cookie: b=2; Path=/; Secure\r\n\r\n"
)
assert LARGE.count(b"\n") == 81
assert 5500 < len(LARGE) < 6500

BODY = b"<html>" + b"x" * 1000


def _fields(message: Message) -> object:
    return (message.items(), [type(d) for d in message.defects], message.get_payload())


def _from_bytesio(parse: Callable[[io.BytesIO], Message], data: bytes) -> Case.Job:
    return lambda: parse(io.BytesIO(data))


def _from_reader(
    parse: Callable[[io.BufferedReader], Message], data: bytes
) -> Case.Job:
    return lambda: parse(io.BufferedReader(io.BytesIO(data)))


def _cases() -> list[Case]:
    stdlib, ours = http.client.parse_headers, httpcore_headers.parse_headers
    cases = []
    for label, block in (("12 fields", TYPICAL), ("80 fields, 6 KB", LARGE)):
        data = block + BODY
        cases += [
            Case(
                f"parse_headers {label}, BytesIO",
                _from_bytesio(stdlib, data),
                _from_bytesio(ours, data),
                _fields,
            ),
            Case(
                f"parse_headers {label}, BufferedReader",
                _from_reader(stdlib, data),
                _from_reader(ours, data),
                _fields,
            ),
            Case(
                f"parse_header_block {label}, bytes",
                _from_bytesio(stdlib, block),
                partial(httpcore_headers.parse_header_block, block),
                _fields,
            ),
        ]
    return cases


CASES = _cases()
