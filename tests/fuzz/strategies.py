# Hypothesis strategies for the fuzz properties: bytes built from the
# fragments the parsers care about (delimiters, controls, the names that
# decide framing, Latin-1 letters) mixed with arbitrary bytes, so that
# examples are mostly near-valid messages with hostile edits rather than
# noise that every parser refuses at the first byte.
from __future__ import annotations

from hypothesis import strategies as st

#: Bytes that some parser treats specially: line ends, white space that
#: str.split(), int() or email treat differently, separators, obs-text.
ODD = [
    b"\r\n",
    b"\n",
    b"\r",
    b" ",
    b"\t",
    b":",
    b";",
    b",",
    b"\x00",
    b"\x0b",
    b"\x0c",
    b"\x1c",
    b"\x1f",
    b"\x7f",
    b"\x85",
    b"\xa0",
    b"\xe9",
    b"\xff",
]
NAMES = [
    b"Content-Length",
    b"content-length",
    b"Transfer-Encoding",
    b"TRANSFER-ENCODING",
    b"Connection",
    b"Keep-Alive",
    b"Proxy-Connection",
    b"Content-Type",
    b"Host",
    b"From",
    b"X-A",
]
VALUES = [
    b"5",
    b"12",
    b"5, 5",
    b"5, 6",
    b"007",
    b"+5",
    b"chunked",
    b"gzip, chunked",
    b"chunked, gzip",
    b"close",
    b"keep-alive",
    b"timeout=5",
    b"multipart/mixed; boundary=b",
    b"message/rfc822",
    b"text/plain",
    b"",
]

odd_bytes = st.sampled_from(ODD)
words = st.binary(max_size=6) | st.text("abc019-=/.", max_size=6).map(str.encode)


@st.composite
def field_line(draw: st.DrawFn) -> bytes:
    """A field line, often with an edit that makes some parser read it
    otherwise (obs-fold, white space before the colon, a bare CR ...)."""
    name = draw(
        st.sampled_from(NAMES)
        | st.text("abzAZ-_!", min_size=1, max_size=8).map(str.encode)
    )
    value = draw(st.sampled_from(VALUES) | words)
    line = [name, draw(st.sampled_from([b": ", b":", b":\t", b" :", b"::"])), value]
    for _ in range(draw(st.integers(0, 2))):
        at = draw(st.integers(0, len(line)))
        line.insert(at, draw(odd_bytes | words))
    prefix = draw(st.sampled_from([b"", b"", b"", b" ", b"\t", b"\r"]))
    return (
        prefix
        + b"".join(line)
        + draw(st.sampled_from([b"\r\n", b"\r\n", b"\n", b"\r\r\n"]))
    )


@st.composite
def header_block(draw: st.DrawFn) -> bytes:
    """A header block (mostly terminated), sometimes with a body after it."""
    lines = draw(st.lists(field_line() | odd_bytes | words, max_size=8))
    end = draw(st.sampled_from([b"\r\n", b"\r\n", b"\n", b"", b"\r"]))
    body = draw(st.sampled_from([b"", b"", b"body", b"\r\nmore: x\r\n\r\n"]))
    return b"".join(lines) + end + body


@st.composite
def chunked_body(draw: st.DrawFn) -> bytes:
    """A chunked body: size lines (hex in any case and width, extensions,
    white space, bare LF), data, the CRLF after it, trailers, and edits."""
    parts = []
    for data in draw(st.lists(st.binary(min_size=1, max_size=40), max_size=5)):
        digits = draw(st.sampled_from([b"%x", b"%X", b"%04x", b"+%x", b"0x%x"]))
        extension = draw(st.sampled_from([b"", b";a=b", b' ;q="x;y"', b";\r", b" \t"]))
        eol = draw(st.sampled_from([b"\r\n", b"\r\n", b"\n", b"\r"]))
        end = draw(st.sampled_from([b"\r\n", b"\r\n", b"\r\n", b"\n", b"XX", b""]))
        parts.append(digits % len(data) + extension + eol + data + end)
    if draw(st.booleans()):
        parts.append(draw(st.sampled_from([b"0\r\n", b"000\n", b"0;end\r\n", b"0"])))
        parts.extend(draw(st.lists(field_line(), max_size=3)))
        parts.append(draw(st.sampled_from([b"\r\n", b"\n", b"", b"\r"])))
    parts.append(draw(st.sampled_from([b"", b"", b"HTTP/1.1 200 OK\r\n"])))
    for _ in range(draw(st.integers(0, 2))):
        at = draw(st.integers(0, len(parts)))
        parts.insert(at, draw(odd_bytes | words))
    return b"".join(parts)


status_line = st.builds(
    lambda parts: b"".join(parts),
    st.lists(
        st.sampled_from(
            [
                *(b"HTTP/1.1", b"HTTP/1.0", b"HTTP/2", b"ICY", b"OK", b"Not Found"),
                *(b"200", b"099", b"0200", b"+200", b"2_00", b"\xb2\xb2\xb2"),
            ]
        )
        | odd_bytes
        | words,
        max_size=6,
    ),
).map(lambda line: line.replace(b"\n", b"") + b"\r\n")


@st.composite
def request_fields(draw: st.DrawFn) -> bytes:
    """The request target's input: length-prefixed method, target, host,
    field name and field value."""
    fields = [
        draw(st.sampled_from([b"GET", b"POST", b"G ET", b"", b"M\xe9"]) | words),
        draw(st.sampled_from([b"/", b"/a?b#c", b"*", b"/a b", b""]) | words),
        draw(
            st.sampled_from([b"h", b"[::1]:8080", b"fe80::1%eth0", b"h:", b"\xe9.x"])
            | words
        ),
        draw(st.sampled_from([*NAMES, b"A B", b"A  B", b" A"]) | words),
        draw(st.sampled_from([*VALUES, b"\ta\t", b"a\r\n b"]) | words),
    ]
    out = b""
    for field in fields:
        for _ in range(draw(st.integers(0, 1))):
            at = draw(st.integers(0, len(field)))
            field = field[:at] + draw(odd_bytes) + field[at:]
        field = field[:63]
        out += bytes([len(field) | draw(st.sampled_from([0, 0x40]))]) + field
    return out
