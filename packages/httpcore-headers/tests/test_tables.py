# Header blocks, well-formed and malformed, with the fields they must give,
# checked against the running interpreter's http.client and through every
# kind of file the parser meets.
from __future__ import annotations

import http.client
import io
from typing import TYPE_CHECKING

import pytest

from httpcore_headers import parse_header_lines, parse_headers, read_header_lines

if TYPE_CHECKING:
    from conftest import AssertSame, CPythonParseLines, CPythonReadLines, OpenReader

READER_KINDS = ("BytesIO", "BufferedReader", "BufferedReader-16", "readline-only")

BODY = b"<!doctype html>\r\n<p>the body</p>\r\n"

NGINX = (
    b"Server: nginx/1.25.3\r\n"
    b"Date: Mon, 27 Nov 2023 10:00:00 GMT\r\n"
    b"Content-Type: text/html; charset=utf-8\r\n"
    b"Content-Length: 612\r\n"
    b"Last-Modified: Tue, 24 Oct 2023 13:35:50 GMT\r\n"
    b"Connection: keep-alive\r\n"
    b'ETag: "6537cac6-264"\r\n'
    b"Accept-Ranges: bytes\r\n"
    b"\r\n"
)

# Blocks that end with an empty line, so BODY can follow them:
# (block, expected items(), expected defect class names).
BLOCKS = [
    pytest.param(
        NGINX,
        [
            ("Server", "nginx/1.25.3"),
            ("Date", "Mon, 27 Nov 2023 10:00:00 GMT"),
            ("Content-Type", "text/html; charset=utf-8"),
            ("Content-Length", "612"),
            ("Last-Modified", "Tue, 24 Oct 2023 13:35:50 GMT"),
            ("Connection", "keep-alive"),
            ("ETag", '"6537cac6-264"'),
            ("Accept-Ranges", "bytes"),
        ],
        [],
        id="nginx-response",
    ),
    pytest.param(
        b"Set-Cookie: a=1; Path=/\r\nContent-Length: 0\r\nSet-Cookie: b=2\r\n\r\n",
        [("Set-Cookie", "a=1; Path=/"), ("Content-Length", "0"), ("Set-Cookie", "b=2")],
        [],
        id="repeated-set-cookie",
    ),
    pytest.param(b"\r\n", [], [], id="empty-block-crlf"),
    pytest.param(b"\n", [], [], id="empty-block-lf"),
    pytest.param(
        b"A:\r\nB: \r\nC:\t\r\n\r\n",
        [("A", ""), ("B", ""), ("C", "")],
        [],
        id="empty-values",
    ),
    pytest.param(
        b"A: b  \r\nC: d\t\t\r\nE: f \t\r\n\r\n",
        [("A", "b  "), ("C", "d\t\t"), ("E", "f \t")],
        [],
        id="trailing-spaces-and-tabs",
    ),
    pytest.param(
        b"A:\t\tb\r\nC: \t d\r\nE:x\r\n\r\n",
        [("A", "b"), ("C", "d"), ("E", "x")],
        [],
        id="leading-tabs-and-no-space",
    ),
    pytest.param(
        b"Location: http://example.com:8080/a:b\r\nX::y\r\n\r\n",
        [("Location", "http://example.com:8080/a:b"), ("X", ":y")],
        [],
        id="colons-in-values",
    ),
    pytest.param(
        b"X-Latin: caf\xe9 \x80\xff\r\n\r\n",
        [("X-Latin", "caf\xe9 \x80\xff")],
        [],
        id="latin-1-bytes",
    ),
    pytest.param(
        b"X-Nul: a\x00b\r\n\r\n",
        [("X-Nul", "a\x00b")],
        [],
        id="nul-in-value",
    ),
    pytest.param(
        b"A: b\x0bc\r\nD: e\x0cf\r\nG: h\x1ci\r\nJ: k\x85l\r\nM: n\xa0\r\n\r\n",
        [
            ("A", "b\x0bc"),
            ("D", "e\x0cf"),
            ("G", "h\x1ci"),
            ("J", "k\x85l"),
            ("M", "n\xa0"),
        ],
        [],
        id="vt-ff-fs-nel-nbsp-in-values",
    ),
    pytest.param(
        b"X-Big: " + b"a" * 20000 + b"\r\nB: c\r\n\r\n",
        [("X-Big", "a" * 20000), ("B", "c")],
        [],
        id="block-larger-than-a-buffer",
    ),
    pytest.param(
        b"A: b\r\n c\r\nD: e\r\n\r\n",
        [("A", "b\r\n c"), ("D", "e")],
        [],
        id="obs-fold-space",
    ),
    pytest.param(
        b"A: b\r\n\tc\r\n\t d\r\nE: f\r\n\r\n",
        [("A", "b\r\n\tc\r\n\t d"), ("E", "f")],
        [],
        id="obs-fold-tab",
    ),
    pytest.param(
        b"A: b\r\n \r\n\r\n",
        [("A", "b\r\n ")],
        [],
        id="obs-fold-blank",
    ),
    pytest.param(
        b" x: y\r\nA: b\r\n\r\n",
        [("A", "b")],
        ["FirstHeaderLineIsContinuationDefect"],
        id="first-line-continuation",
    ),
    pytest.param(
        b"A: b\r\nno colon here\r\nC: d\r\n\r\n",
        [("A", "b")],
        ["MissingHeaderBodySeparatorDefect"],
        id="line-without-colon",
    ),
    pytest.param(
        b"A: b\r\n c\r\nbad\r\n\r\n",
        [("A", "b\r\n c")],
        ["MissingHeaderBodySeparatorDefect"],
        id="fold-then-line-without-colon",
    ),
    pytest.param(
        b"Content-Length : 5\r\nA: b\r\n\r\n",
        [],
        ["MissingHeaderBodySeparatorDefect"],
        id="space-before-colon",
    ),
    pytest.param(
        b": x\r\nA: b\r\n\r\n",
        [("A", "b")],
        ["InvalidHeaderDefect"],
        id="line-starts-with-colon",
    ),
    pytest.param(
        b"X\xe9: z\r\nA: b\r\n\r\n",
        [],
        ["MissingHeaderBodySeparatorDefect"],
        id="latin-1-in-name",
    ),
    pytest.param(
        b"X(y)@{z}: w\r\n\r\n",
        [("X(y)@{z}", "w")],
        [],
        id="separators-in-name",
    ),
    pytest.param(
        b"A: b\nC: d\n\n",
        [("A", "b"), ("C", "d")],
        [],
        id="bare-lf",
    ),
    pytest.param(
        b"A: b\nC: d\r\n\r\n",
        [("A", "b"), ("C", "d")],
        [],
        id="mixed-lf-then-crlf",
    ),
    pytest.param(
        b"A: b\r\nC: d\n\r\n",
        [("A", "b"), ("C", "d")],
        [],
        id="mixed-lf-line-before-crlf-end",
    ),
    pytest.param(
        b"A: b\n\r\n",
        [("A", "b")],
        [],
        id="mixed-lf-line-then-crlf-end",
    ),
    pytest.param(
        b"A: b\r\nC: d\r\n\n",
        [("A", "b"), ("C", "d")],
        [],
        id="mixed-crlf-then-lf-end",
    ),
    pytest.param(
        b"A: b\rc\r\nD: e\r\n\r\n",
        [("A", "b")],
        ["MissingHeaderBodySeparatorDefect"],
        id="bare-cr-in-value",
    ),
    pytest.param(
        b"A: b\r\r\nD: e\r\n\r\n",
        [("A", "b")],
        [],
        id="cr-before-crlf",
    ),
    pytest.param(
        b"From someone@example.com Mon Nov 27 10:00:00 2023\r\nA: b\r\n\r\n",
        [("A", "b")],
        [],
        id="from-line-first",
    ),
    pytest.param(
        b"A: b\r\nFrom someone\r\nC: d\r\n\r\n",
        [("A", "b"), ("C", "d")],
        ["MisplacedEnvelopeHeaderDefect"],
        id="from-line-middle",
    ),
    pytest.param(
        b"A: b\r\nFrom someone\r\n\r\n",
        [("A", "b")],
        [],
        id="from-line-last",
    ),
    pytest.param(
        b"From: someone@example.com\r\n\r\n",
        [("From", "someone@example.com")],
        [],
        id="from-field-is-a-field",
    ),
    pytest.param(
        b"Content-Type: multipart/mixed; boundary=xyz\r\n\r\n",
        [("Content-Type", "multipart/mixed; boundary=xyz")],
        ["StartBoundaryNotFoundDefect", "MultipartInvariantViolationDefect"],
        id="multipart-with-boundary",
    ),
    pytest.param(
        b"Content-Type: multipart/mixed\r\n\r\n",
        [("Content-Type", "multipart/mixed")],
        ["NoBoundaryInMultipartDefect", "MultipartInvariantViolationDefect"],
        id="multipart-without-boundary",
    ),
    pytest.param(
        b"Content-Type: message/rfc822\r\nA: b\r\n\r\n",
        [("Content-Type", "message/rfc822"), ("A", "b")],
        [],
        id="message-rfc822",
    ),
    pytest.param(
        b"Content-Type: message/delivery-status\r\n\r\n",
        [("Content-Type", "message/delivery-status")],
        [],
        id="message-delivery-status",
    ),
    pytest.param(
        b"CONTENT-TYPE: MeSsAgE/rfc822\r\n\r\n",
        [("CONTENT-TYPE", "MeSsAgE/rfc822")],
        [],
        id="message-type-casing",
    ),
    pytest.param(
        b"Content-Type:\x85multipart/mixed\r\n\r\n",
        [("Content-Type", "\x85multipart/mixed")],
        ["NoBoundaryInMultipartDefect", "MultipartInvariantViolationDefect"],
        id="multipart-after-nel",
    ),
    pytest.param(
        b"Content-Type: text/plain\r\ncontent-type: multipart/mixed\r\n\r\n",
        [("Content-Type", "text/plain"), ("content-type", "multipart/mixed")],
        [],
        id="first-content-type-wins",
    ),
]

# Blocks cut short by the end of the file: nothing may follow them.
EOF_BLOCKS = [
    pytest.param(b"", [], [], id="empty-file"),
    pytest.param(
        b"A: b\r\nC: d\r\n",
        [("A", "b"), ("C", "d")],
        [],
        id="eof-before-empty-line",
    ),
    pytest.param(
        b"A: b\r\nC: d",
        [("A", "b"), ("C", "d")],
        [],
        id="eof-mid-line",
    ),
    pytest.param(
        b"A: b\r\nC: d\r",
        [("A", "b"), ("C", "d")],
        [],
        id="eof-after-cr",
    ),
    pytest.param(
        b"A: b\r\nFrom x",
        [("A", "b")],
        [],
        id="eof-after-from-line",
    ),
    pytest.param(
        b"A: b\r\n continued",
        [("A", "b\r\n continued")],
        [],
        id="eof-mid-continuation",
    ),
]


# Every block with what follows it in the file: BODY after a complete block,
# nothing after one cut short.
WITH_BODY = [pytest.param(*case.values, BODY, id=case.id) for case in BLOCKS] + [
    pytest.param(*case.values, b"", id=case.id) for case in EOF_BLOCKS
]
CASE = ("block", "items", "defects", "body")


@pytest.mark.parametrize(CASE, WITH_BODY)
def test_fields(
    block: bytes, items: list[tuple[str, str]], defects: list[str], body: bytes
) -> None:
    fp = io.BytesIO(block + body)
    message = parse_headers(fp)
    assert message.items() == items
    assert [type(defect).__name__ for defect in message.defects] == defects
    assert fp.read() == body


@pytest.mark.parametrize("kind", READER_KINDS)
@pytest.mark.parametrize(CASE, WITH_BODY)
def test_same_as_cpython_in_every_kind_of_file(
    block: bytes,
    items: list[tuple[str, str]],
    defects: list[str],
    body: bytes,
    kind: str,
    open_reader: OpenReader,
    assert_same: AssertSame,
) -> None:
    ours_fp, ours_rest = open_reader(kind, block + body)
    theirs_fp, theirs_rest = open_reader(kind, block + body)
    ours = parse_headers(ours_fp)
    theirs = http.client.parse_headers(theirs_fp)
    assert_same(ours, theirs)
    assert ours.items() == items
    assert ours_rest() == theirs_rest() == body


@pytest.mark.parametrize(CASE, WITH_BODY)
def test_read_and_parse_header_lines(
    block: bytes,
    items: list[tuple[str, str]],
    defects: list[str],
    body: bytes,
    cpython_read_lines: CPythonReadLines,
    cpython_parse_lines: CPythonParseLines,
    assert_same: AssertSame,
) -> None:
    lines = read_header_lines(io.BytesIO(block + body))
    assert lines == cpython_read_lines(io.BytesIO(block + body))
    assert b"".join(lines) == block
    ours = parse_header_lines(lines)
    assert_same(ours, cpython_parse_lines(lines))
    assert ours.items() == items


# email.parser reads its text in chunks of 8192 characters: the fields must
# come out the same wherever a chunk ends, in the middle of a CRLF included.
@pytest.mark.parametrize("offset", range(8185, 8195))
@pytest.mark.parametrize(
    "shape",
    [
        pytest.param((b"\r\n", b""), id="crlf"),
        pytest.param((b"\n", b""), id="lf"),
        pytest.param((b"\r\n", b" folded\r\n"), id="obs-fold"),
    ],
)
def test_email_parser_chunk_boundaries(
    offset: int,
    shape: tuple[bytes, bytes],
    open_reader: OpenReader,
    assert_same: AssertSame,
) -> None:
    ending, extra = shape
    first = b"X-Pad: " + b"p" * (offset - 7 - len(ending)) + ending
    block = first + extra + b"Y: z" + ending + ending
    for kind in READER_KINDS:
        fp, rest = open_reader(kind, block + BODY)
        ours = parse_headers(fp)
        assert_same(ours, http.client.parse_headers(io.BytesIO(block + BODY)))
        assert ours["Y"] == "z"
        assert rest() == BODY
