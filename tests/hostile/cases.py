"""The hostile servers, grouped by the RFC 9110 / 9112 section they abuse,
each with the outcome that is safe against it (see client.py for the
vocabulary).  A safe outcome is a documented exception at the call that met
the bad bytes, or the exact body; a connection that carried bytes nobody
asked for is never reused (the second exchange says ``fresh``); limits keep
time and memory bounded.
"""

from __future__ import annotations

import itertools
import time
from typing import Any

from .client import Case
from .server import Peer, Script

OK = b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"
FORGED = b"HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nforged"
MiB = 1 << 20


def keep(peer: Peer) -> None:
    """The connection stays up: later requests on it are answered ``same``."""
    peer.answer_rest(b"HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nsame")


def close(peer: Peer) -> None:
    """FIN after the answer (over TLS, without close_notify)."""
    peer.shutdown_write()


def tls_close(peer: Peer) -> None:
    peer.tls_close()


def reset_later(peer: Peer) -> None:
    """RST once the client has had the time to read the answer (a reset
    discards what the client has not read yet)."""
    time.sleep(0.2)
    peer.reset()


def answers(data: bytes) -> Script:
    """Answer every further request on the connection with ``data``."""

    def script(peer: Peer) -> None:
        peer.answer_rest(data)

    return script


def answer(data: bytes, then: Script = keep) -> Script:
    """Read a request, send ``data``, then ``then``."""

    def script(peer: Peer) -> None:
        if peer.reply(data):
            then(peer)

    return script


def streams(head: bytes, piece: bytes, count: int, tail: bytes = b"") -> Script:
    """Read a request, send ``head``, ``count`` times ``piece`` as fast as
    the client takes them, ``tail``, then close."""

    def script(peer: Peer) -> None:
        if peer.request() is None:
            return
        peer.stream(itertools.chain([head], itertools.repeat(piece, count), [tail]))
        if not peer.closed:
            peer.shutdown_write()

    return script


def silent(peer: Peer) -> None:
    """Read the request and close without a word."""
    peer.request()
    peer.shutdown_write()


def _response(head: bytes, then: Script = close) -> Script:
    return answer(head, then)


CASES: list[Case] = []


def add(
    name: str,
    section: str,
    title: str,
    script: Script | bytes,
    expect: str,
    **options: object,
) -> None:
    scripts = (answer(script) if isinstance(script, bytes) else script,)
    CASES.append(Case(name, section, title, scripts, expect, **options))  # type: ignore[arg-type]


# -- status line: RFC 9112 section 4 ----------------------------------------------

S4 = "RFC 9112 §4"
add(
    "status-none",
    S4,
    "closes without answering",
    silent,
    "RemoteDisconnected at getresponse",
)
add(
    "status-garbage",
    S4,
    "answers with a line that is not a status line",
    _response(b"hello there\r\n\r\n"),
    "BadStatusLine at getresponse",
)
add(
    "status-http09",
    S4,
    "answers HTTP/0.9 style, a body without a head",
    _response(b"hello"),
    "BadStatusLine at getresponse",
)
add(
    "status-two-digits",
    S4,
    "status code 20",
    _response(b"HTTP/1.1 20 OK\r\nContent-Length: 0\r\n\r\n"),
    "BadStatusLine at getresponse",
)
add(
    "status-four-digits",
    S4,
    "status code 2000",
    _response(b"HTTP/1.1 2000 OK\r\nContent-Length: 0\r\n\r\n"),
    "BadStatusLine at getresponse",
)
add(
    "status-plus-sign",
    S4,
    "status code +200 (int() accepts it)",
    _response(b"HTTP/1.1 +200 OK\r\nContent-Length: 5\r\n\r\nhello"),
    "BadStatusLine at getresponse",
)
add(
    "status-underscore",
    S4,
    "status code 2_00 (int() accepts it)",
    _response(b"HTTP/1.1 2_00 OK\r\nContent-Length: 5\r\n\r\nhello"),
    "BadStatusLine at getresponse",
)
add(
    "status-http2",
    S4,
    "version HTTP/2.0",
    _response(b"HTTP/2.0 200 OK\r\nContent-Length: 5\r\n\r\nhello"),
    "UnknownProtocol at getresponse",
)
add(
    "status-no-reason",
    S4,
    "no reason phrase, no space",
    _response(b"HTTP/1.1 200\r\nContent-Length: 5\r\n\r\nhello"),
    "200 b'hello'",
)
add(
    "status-lf-only",
    S4,
    "status and field lines end with a bare LF",
    _response(b"HTTP/1.1 200 OK\nContent-Length: 5\n\nhello"),
    "200 b'hello'",
)
add(
    "status-empty-line-first",
    S4,
    "an empty line before the status line",
    _response(b"\r\nHTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"),
    "BadStatusLine at getresponse",
)
add(
    "status-endless-line",
    S4,
    "a status line that never ends (64 MiB)",
    streams(b"HTTP/1.1 200 OK", b"K" * 65536, 1024),
    "LineTooLong at getresponse",
    memory=8 * MiB,
)
add(
    "status-cut",
    S4,
    "closes in the middle of the status line",
    _response(b"HTTP/1.1 20"),
    "BadStatusLine at getresponse",
)

# -- interim responses: RFC 9110 section 15.2 --------------------------------------

S15 = "RFC 9110 §15.2"
add(
    "interim-100",
    S15,
    "100 Continue, then the answer",
    b"HTTP/1.1 100 Continue\r\n\r\n" + OK,
    "200 b'hello'",
)
add(
    "interim-103-fields",
    S15,
    "103 Early Hints with fields, then the answer",
    b"HTTP/1.1 103 Early Hints\r\nLink: </a>; rel=preload\r\n\r\n" + OK,
    "200 b'hello'",
)
add(
    "interim-endless",
    S15,
    "100 000 interim responses before the answer",
    streams(b"", b"HTTP/1.1 100 Continue\r\n\r\n", 100_000, tail=OK),
    "TooManyInterimResponses at getresponse",
)
add(
    "interim-length",
    S15,
    "a 100 with Content-Length, then a chunked answer",
    b"HTTP/1.1 100 Continue\r\nContent-Length: 99\r\n\r\n"
    b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
    "200 b'hello'",
)
add(
    "interim-many-fields",
    S15,
    "a 100 with 10 000 field lines",
    streams(b"HTTP/1.1 100 Continue\r\n", b"X: y\r\n", 10_000),
    "TooManyHeaders at getresponse",
)
add(
    "interim-cut",
    S15,
    "closes after a 100 Continue",
    _response(b"HTTP/1.1 100 Continue\r\n\r\n"),
    "RemoteDisconnected at getresponse",
)
add(
    "interim-101-unasked",
    S15,
    "101 Switching Protocols nobody asked for, then a forged response",
    answer(
        b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: x\r\n\r\n", then=answers(FORGED)
    ),
    "101 b''; then 200 b'fresh'",
    twice=True,
)

# -- field lines: RFC 9112 section 5, RFC 9110 section 5.5 --------------------------

S5 = "RFC 9112 §5"
S5_1 = "RFC 9112 §5.1"
S5_2 = "RFC 9112 §5.2"
S2_2 = "RFC 9112 §2.2"
F55 = "RFC 9110 §5.5"
add(
    "fields-too-many",
    S5,
    "101 field lines",
    _response(
        b"HTTP/1.1 200 OK\r\n" + b"X: y\r\n" * 101 + b"Content-Length: 0\r\n\r\n"
    ),
    "TooManyHeaders at getresponse",
)
add(
    "fields-endless",
    S5,
    "field lines that never end",
    streams(b"HTTP/1.1 200 OK\r\n", b"X-Filler: y\r\n" * 64, 20_000),
    "TooManyHeaders at getresponse",
    memory=8 * MiB,
)
add(
    "fields-long-line",
    S5,
    "one field line of 1 MiB",
    _response(b"HTTP/1.1 200 OK\r\nX: " + b"y" * MiB + b"\r\n\r\n"),
    "LineTooLong at getresponse",
)
add(
    "fields-endless-line",
    S5,
    "a field line that never ends (64 MiB)",
    streams(b"HTTP/1.1 200 OK\r\nX: ", b"y" * 65536, 1024),
    "LineTooLong at getresponse",
    memory=8 * MiB,
)
add(
    "fields-cut",
    S5,
    "closes inside the head, after Content-Length: 5 (TCP: the "
    "head is taken as far as it goes, as test_httplib pins)",
    _response(b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n"),
    "IncompleteRead at read",
)
add(
    "fields-cut-after-status",
    S5,
    "closes right after the status line (TCP: as "
    "test_httplib pins; over TLS see tls-head-truncated)",
    _response(b"HTTP/1.1 200 OK\r\n"),
    "200 b''",
)
add(
    "fields-obs-fold",
    S5_2,
    "an obs-fold line in an ordinary field",
    b"HTTP/1.1 200 OK\r\nX-A: one\r\n two\r\nContent-Length: 5\r\n\r\nhello",
    "200 b'hello'",
)
add(
    "fields-obs-fold-length",
    S5_2,
    "Content-Length continued by an obs-fold",
    _response(b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n 0\r\n\r\n" + b"x" * 50),
    "AmbiguousFraming at getresponse",
)
add(
    "fields-space-before-colon",
    S5_1,
    "Content-Length : 6 (space before the colon)",
    _response(b"HTTP/1.1 200 OK\r\nContent-Length : 6\r\n\r\nforged"),
    "AmbiguousFraming at getresponse",
)
add(
    "fields-no-colon",
    S5,
    "a line without a colon before Content-Length",
    _response(b"HTTP/1.1 200 OK\r\nnonsense\r\nContent-Length: 5\r\n\r\nhello+"),
    "AmbiguousFraming at getresponse",
)
add(
    "fields-no-colon-harmless",
    S5,
    "a line without a colon, no framing field after",
    _response(b"HTTP/1.1 200 OK\r\nX: y\r\nnonsense\r\n\r\nhello"),
    "200 b'hello'",
)
add(
    "fields-bare-cr",
    S2_2,
    "a bare CR hiding a Content-Length",
    _response(b"HTTP/1.1 200 OK\r\nX: y\rContent-Length: 2\r\n\r\nhello"),
    "AmbiguousFraming at getresponse",
)
add(
    "fields-nul-value",
    F55,
    "NUL after the Content-Length value (not a length: "
    "the body ends with the connection)",
    _response(OK.replace(b": 5", b": 5\x00") + FORGED),
    "200 <49 bytes>; then 200 b'fresh'",
    twice=True,
)
add(
    "fields-nul-name",
    F55,
    "NUL in a field name before the framing field",
    _response(b"HTTP/1.1 200 OK\r\nX\x00Y: 1\r\nContent-Length: 5\r\n\r\nhello"),
    "AmbiguousFraming at getresponse",
)
add(
    "fields-ctl-harmless",
    F55,
    "a control character in an ordinary value",
    b"HTTP/1.1 200 OK\r\nX: a\x01b\r\nContent-Length: 5\r\n\r\nhello",
    "200 b'hello'",
)
add(
    "fields-leading-space",
    S5_2,
    "the first field line starts with a space",
    _response(b"HTTP/1.1 200 OK\r\n Content-Length: 6\r\n\r\nforged"),
    "AmbiguousFraming at getresponse",
)
add(
    "fields-latin1",
    F55,
    "ISO-8859-1 bytes in a value",
    b"HTTP/1.1 200 OK\r\nX: caf\xe9\r\nContent-Length: 5\r\n\r\nhello",
    "200 b'hello'",
)
add(
    "fields-lf-cr-mix",
    S2_2,
    "field lines ending in LF and CRLF mixed",
    b"HTTP/1.1 200 OK\nX: y\r\nContent-Length: 5\n\r\nhello",
    "200 b'hello'",
)

# -- message body length: RFC 9112 section 6.3, RFC 9110 section 8.6 -----------------

S6 = "RFC 9112 §6.3"
CL = "RFC 9110 §8.6"
add(
    "length-plus",
    CL,
    "Content-Length: +5",
    _response(b"HTTP/1.1 200 OK\r\nContent-Length: +5\r\n\r\nhello"),
    "InvalidContentLength at read",
)
add(
    "length-negative",
    CL,
    "Content-Length: -1, body to the close",
    _response(b"HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\nhello"),
    "200 b'hello'",
)
add(
    "length-hex",
    CL,
    "Content-Length: 0x5",
    _response(b"HTTP/1.1 200 OK\r\nContent-Length: 0x5\r\n\r\nhello"),
    "200 b'hello'",
)
add(
    "length-underscore",
    CL,
    "Content-Length: 1_0 (int() reads 10)",
    _response(b"HTTP/1.1 200 OK\r\nContent-Length: 1_0\r\n\r\nhelloworld"),
    "InvalidContentLength at read",
)
add(
    "length-list-differs",
    CL,
    "Content-Length: 5, 10",
    _response(b"HTTP/1.1 200 OK\r\nContent-Length: 5, 10\r\n\r\nhelloworld"),
    "200 b'helloworld'",
)
add(
    "length-two-differ",
    CL,
    "two Content-Length fields, 5 and 6",
    _response(
        b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nforged"
    ),
    "InvalidContentLength at read",
)
add(
    "length-two-same",
    CL,
    "two Content-Length fields, both 5",
    b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\nhello",
    "200 b'hello'; then 200 b'same'",
    twice=True,
)
add(
    "length-padded",
    CL,
    "Content-Length with white space around it",
    b"HTTP/1.1 200 OK\r\nContent-Length:   5  \r\n\r\nhello",
    "200 b'hello'",
)
add(
    "length-huge",
    CL,
    "Content-Length: 10**20, 5 bytes, then the close",
    _response(b"HTTP/1.1 200 OK\r\nContent-Length: 100000000000000000000\r\n\r\nhello"),
    "InvalidContentLength at read",
    memory=4 * MiB,
)
add(
    "length-gigabyte",
    CL,
    "Content-Length: 1 GiB, 5 bytes, then the close",
    _response(b"HTTP/1.1 200 OK\r\nContent-Length: 1073741824\r\n\r\nhello"),
    "IncompleteRead at read",
    memory=4 * MiB,
)
add(
    "length-short",
    CL,
    "a body shorter than its Content-Length, then the close",
    _response(b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhello"),
    "IncompleteRead at read",
)
add(
    "length-long",
    S6,
    "more bytes than Content-Length: a forged response behind",
    OK + FORGED,
    "200 b'hello'; then 200 b'fresh'",
    twice=True,
)
add(
    "length-and-chunked",
    S6,
    "Transfer-Encoding: chunked and Content-Length",
    b"HTTP/1.1 200 OK\r\nContent-Length: 50\r\nTransfer-Encoding: chunked\r\n\r\n"
    b"5\r\nhello\r\n0\r\n\r\n",
    "200 b'hello'; then 200 b'fresh'",
    twice=True,
)
add(
    "length-chunked-not-last",
    S6,
    "Transfer-Encoding: chunked, gzip",
    _response(
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip\r\n\r\n"
        b"5\r\nhello\r\n0\r\n\r\n"
    ),
    "200 b'5\\r\\nhello\\r\\n0\\r\\n\\r\\n'",
)
add(
    "length-xchunked",
    S6,
    "Transfer-Encoding: xchunked, body to the close",
    _response(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: xchunked\r\n\r\nhello"),
    "200 b'hello'",
)
add(
    "length-chunked-case",
    S6,
    "Transfer-Encoding: ChUnKeD",
    b"HTTP/1.1 200 OK\r\nTransfer-Encoding: ChUnKeD\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
    "200 b'hello'; then 200 b'same'",
    twice=True,
)
add(
    "length-chunked-twice",
    S6,
    "two Transfer-Encoding: chunked fields",
    _response(
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n"
        b"Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"
    ),
    "200 b'hello'",
)
add(
    "length-to-close",
    S6,
    "no length: the body ends with the connection",
    _response(b"HTTP/1.1 200 OK\r\n\r\nhello"),
    "200 b'hello'",
)
add(
    "length-http10-keep-alive",
    S6,
    "HTTP/1.0, keep-alive, Content-Length",
    b"HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 5\r\n\r\nhello",
    "200 b'hello'; then 200 b'same'",
    twice=True,
)
add(
    "length-http10-chunked",
    "RFC 9112 §6.1",
    "HTTP/1.0, keep-alive, chunked",
    b"HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nTransfer-Encoding: chunked\r\n\r\n"
    b"5\r\nhello\r\n0\r\n\r\n",
    "200 b'hello'; then 200 b'fresh'",
    twice=True,
)
add(
    "length-head-body",
    S6,
    "a HEAD answered with a body",
    OK,
    "200 b''; then 200 b'fresh'",
    twice=True,
    method="HEAD",
)
add(
    "length-head-clean",
    S6,
    "a HEAD answered with Content-Length and no body",
    b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n",
    "200 b''; then 200 b'same'",
    twice=True,
    method="HEAD",
)
add(
    "length-204-body",
    S6,
    "a 204 with a body",
    b"HTTP/1.1 204 No Content\r\nContent-Length: 6\r\n\r\nforged",
    "204 b''; then 200 b'fresh'",
    twice=True,
)
add(
    "length-304-body",
    S6,
    "a 304 with a body",
    b"HTTP/1.1 304 Not Modified\r\nContent-Length: 6\r\n\r\nforged",
    "304 b''; then 200 b'fresh'",
    twice=True,
)
add(
    "length-204-forged",
    S6,
    "a 204 with a whole forged response behind it",
    b"HTTP/1.1 204 No Content\r\n\r\n" + FORGED,
    "204 b''; then 200 b'fresh'",
    twice=True,
)
add(
    "length-204-chunked",
    S6,
    "a 204 with Transfer-Encoding: chunked",
    b"HTTP/1.1 204 No Content\r\nTransfer-Encoding: chunked\r\n\r\n",
    "204 b''; then 200 b'same'",
    twice=True,
)

# -- chunked transfer coding: RFC 9112 section 7.1 -----------------------------------

S7 = "RFC 9112 §7.1"
S7_2 = "RFC 9112 §7.1.2"
CHUNKED = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"


def chunked(
    name: str, section: str, title: str, body: bytes, expect: str, **options: object
) -> None:
    add(name, section, title, _response(CHUNKED + body), expect, **options)


chunked(
    "chunked-plain",
    S7,
    "a well-formed chunked body",
    b"5\r\nhello\r\n0\r\n\r\n",
    "200 b'hello'",
)
chunked(
    "chunked-0x",
    S7,
    "chunk size 0x5 (int(, 16) accepts it)",
    b"0x5\r\nhello\r\n0\r\n\r\n",
    "IncompleteRead at read",
)
chunked(
    "chunked-plus",
    S7,
    "chunk size +5",
    b"+5\r\nhello\r\n0\r\n\r\n",
    "IncompleteRead at read",
)
chunked(
    "chunked-minus",
    S7,
    "chunk size -5",
    b"-5\r\nhello\r\n0\r\n\r\n",
    "IncompleteRead at read",
)
chunked(
    "chunked-underscore",
    S7,
    "chunk size 1_0",
    b"1_0\r\nhellohello\r\n0\r\n\r\n",
    "IncompleteRead at read",
)
chunked(
    "chunked-leading-space",
    S7,
    "chunk size with a space before it",
    b" 5\r\nhello\r\n0\r\n\r\n",
    "IncompleteRead at read",
)
chunked(
    "chunked-ext",
    S7,
    "chunk extensions",
    b'5;a=b;c="d"\r\nhello\r\n0;e\r\n\r\n',
    "200 b'hello'",
)
chunked(
    "chunked-huge-size",
    S7,
    "chunk size of 2**80, then the close",
    b"100000000000000000000\r\nhello",
    "IncompleteRead at read",
    memory=4 * MiB,
)
chunked(
    "chunked-gigabyte",
    S7,
    "a chunk of 1 GiB announced, 5 bytes, then the close",
    b"40000000\r\nhello",
    "IncompleteRead at read",
    memory=4 * MiB,
)
add(
    "chunked-endless-size",
    S7,
    "a chunk-size line that never ends (64 MiB)",
    streams(CHUNKED, b"1" * 65536, 1024),
    "LineTooLong at read",
    memory=8 * MiB,
)
chunked(
    "chunked-no-crlf",
    S7,
    "chunk data not followed by CRLF",
    b"5\r\nhelloXX0\r\n\r\n",
    "IncompleteRead at read",
)
chunked(
    "chunked-smuggle-crlf",
    S7,
    "chunk data followed by a forged chunk",
    b"5\r\nhello6\r\nforged\r\n0\r\n\r\n",
    "IncompleteRead at read",
)
chunked(
    "chunked-no-last",
    S7,
    "closes without the last chunk",
    b"5\r\nhello\r\n",
    "IncompleteRead at read",
)
chunked(
    "chunked-cut-data",
    S7,
    "closes inside chunk data",
    b"a\r\nhello",
    "IncompleteRead at read",
)
chunked(
    "chunked-lf",
    S7,
    "chunk data ends with a bare LF",
    b"5\nhello\n0\n\n",
    "IncompleteRead at read",
)
chunked(
    "chunked-zeros",
    S7,
    "chunk size 0000000005",
    b"0000000005\r\nhello\r\n0\r\n\r\n",
    "200 b'hello'",
)
chunked(
    "chunked-empty-size",
    S7,
    "an empty chunk-size line",
    b"\r\nhello\r\n0\r\n\r\n",
    "IncompleteRead at read",
)
chunked(
    "chunked-trailer",
    S7_2,
    "a trailer section",
    b"5\r\nhello\r\n0\r\nX-Sum: 1\r\n\r\n",
    "200 b'hello'",
)
chunked(
    "chunked-trailer-length",
    S7_2,
    "a Content-Length trailer",
    b"5\r\nhello\r\n0\r\nContent-Length: 99\r\n\r\n",
    "200 b'hello'",
)
add(
    "chunked-endless-trailers",
    S7_2,
    "a trailer section that never ends",
    streams(CHUNKED + b"5\r\nhello\r\n0\r\n", b"X: y\r\n" * 64, 40_000),
    "TooManyHeaders at read",
    memory=8 * MiB,
)
add(
    "chunked-endless-ext",
    S7,
    "a chunk extension that never ends",
    streams(CHUNKED + b"5;", b"a" * 65536, 1024),
    "LineTooLong at read",
    memory=8 * MiB,
)
add(
    "chunked-forged-behind",
    S7,
    "a forged response behind the last chunk",
    CHUNKED + b"5\r\nhello\r\n0\r\n\r\n" + FORGED,
    "200 b'hello'; then 200 b'fresh'",
    twice=True,
)
add(
    "chunked-endless-chunks",
    S7,
    "131 072 one-byte chunks",
    streams(
        CHUNKED,
        b"1\r\nx\r\n" * 1024,
        128,
        tail=b"0\r\n\r\n",
    ),
    "200 <131072 bytes>",
)

# -- connection management: RFC 9112 section 9.3 -------------------------------------

S9 = "RFC 9112 §9.3"
add(
    "reuse-clean",
    S9,
    "keep-alive, a clean connection",
    OK,
    "200 b'hello'; then 200 b'same'",
    twice=True,
)
add(
    "reuse-idle-close",
    S9,
    "closes the idle connection after the answer",
    answer(OK, then=close),
    "200 b'hello'; then 200 b'fresh'",
    twice=True,
    await_close=True,
)
add(
    "reuse-idle-reset",
    S9,
    "resets the idle connection after the answer",
    answer(OK, then=reset_later),
    "200 b'hello'; then 200 b'fresh'",
    twice=True,
    await_close=True,
)
add(
    "reuse-connection-close",
    S9,
    "Connection: close, then keeps the socket open",
    b"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 5\r\n\r\nhello",
    "200 b'hello'; then 200 b'fresh'",
    twice=True,
)
add(
    "reuse-close-in-list",
    S9,
    "Connection: keep-alive, close",
    b"HTTP/1.1 200 OK\r\nConnection: keep-alive, close\r\nContent-Length: 5\r\n\r\n"
    b"hello",
    "200 b'hello'; then 200 b'fresh'",
    twice=True,
)
add(
    "reuse-http10-default",
    S9,
    "HTTP/1.0 without keep-alive",
    b"HTTP/1.0 200 OK\r\nContent-Length: 5\r\n\r\nhello",
    "200 b'hello'; then 200 b'fresh'",
    twice=True,
)
add(
    "reuse-answer-twice",
    S9,
    "answers each request twice",
    answer(OK + FORGED, then=answers(OK + FORGED)),
    "200 b'hello'; then 200 b'fresh'",
    twice=True,
)
add(
    "reuse-silent-second",
    S9,
    "answers once, then closes at the second request",
    answer(OK, then=silent),
    "200 b'hello'; then RemoteDisconnected at getresponse",
    twice=True,
)

# -- TLS: RFC 9112 section 9.8 -------------------------------------------------------

S98 = "RFC 9112 §9.8"
add(
    "tls-truncated-close-delimited",
    S98,
    "TLS, body to the close, FIN without close_notify",
    _response(b"HTTP/1.1 200 OK\r\n\r\nhello"),
    "IncompleteRead at read",
    tls=True,
)
add(
    "tls-clean-close-delimited",
    S98,
    "TLS, body to the close, close_notify",
    _response(b"HTTP/1.1 200 OK\r\n\r\nhello", then=tls_close),
    "200 b'hello'",
    tls=True,
)
add(
    "tls-length-no-notify",
    S98,
    "TLS, whole Content-Length body, no close_notify",
    _response(OK),
    "200 b'hello'",
    tls=True,
)
add(
    "tls-chunked-no-notify",
    S98,
    "TLS, whole chunked body, no close_notify",
    _response(CHUNKED + b"5\r\nhello\r\n0\r\n\r\n"),
    "200 b'hello'",
    tls=True,
)
add(
    "tls-head-truncated",
    S98,
    "TLS, closes inside the head without close_notify",
    _response(b"HTTP/1.1 200 OK\r\nX: y\r\n"),
    "RemoteDisconnected at getresponse",
    tls=True,
)
add(
    "tls-reuse-forged",
    S98,
    "TLS, a forged response behind a 204",
    b"HTTP/1.1 204 No Content\r\n\r\n" + FORGED,
    "204 b''; then 200 b'fresh'",
    twice=True,
    tls=True,
)

# -- CONNECT tunnels: RFC 9110 section 9.3.6 -----------------------------------------

S936 = "RFC 9110 §9.3.6"
TUNNEL = "origin.test:80"
add(
    "tunnel-refused",
    S936,
    "the proxy answers CONNECT with 407",
    _response(
        b"HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 0\r\n\r\n"
    ),
    "OSError at request",
    tunnel=TUNNEL,
)
add(
    "tunnel-ok",
    S936,
    "the proxy opens the tunnel",
    answer(b"HTTP/1.1 200 Connection established\r\n\r\n", then=answers(OK)),
    "200 b'hello'",
    tunnel=TUNNEL,
)
add(
    "tunnel-garbage",
    S936,
    "the proxy answers CONNECT with garbage",
    _response(b"SSH-2.0-OpenSSH\r\n\r\n"),
    "BadStatusLine at request",
    tunnel=TUNNEL,
)
add(
    "tunnel-endless-fields",
    S936,
    "the proxy's answer has endless field lines",
    streams(b"HTTP/1.1 200 OK\r\n", b"X: y\r\n" * 64, 40_000),
    "TooManyHeaders at request",
    tunnel=TUNNEL,
    memory=8 * MiB,
)
add(
    "tunnel-long-line",
    S936,
    "the proxy's answer has a 1 MiB line",
    _response(b"HTTP/1.1 200 OK\r\nX: " + b"y" * MiB + b"\r\n\r\n"),
    "LineTooLong at request",
    tunnel=TUNNEL,
)
add(
    "tunnel-closes",
    S936,
    "the proxy closes without answering",
    silent,
    "RemoteDisconnected at request",
    tunnel=TUNNEL,
)


# -- what the client sends: RFC 9110 sections 5.1, 5.5, 7.1; RFC 6874 ----------------

REQ = "RFC 9110 §5.5"


def sends(
    name: str, section: str, title: str, request: object, expect: str, **options: object
) -> None:
    add(name, section, title, answer(OK), expect, request=request, **options)


sends(
    "request-crlf-value",
    REQ,
    "a field value with CRLF and a second field",
    lambda c: c.request("GET", "/", headers={"X": "a\r\nInjected: 1"}),
    "ValueError at request, nothing sent",
)
sends(
    "request-lf-value",
    REQ,
    "a field value with a bare LF",
    lambda c: c.request("GET", "/", headers={"X": "a\nInjected: 1"}),
    "ValueError at request, nothing sent",
)
sends(
    "request-nul-value",
    REQ,
    "a field value with NUL",
    lambda c: c.request("GET", "/", headers={"X": "a\x00b"}),
    "ValueError at request, nothing sent",
)
sends(
    "request-obs-fold",
    "RFC 9112 §5.2",
    "a field value with an obs-fold",
    lambda c: c.request("GET", "/", headers={"X": "a\r\n b"}),
    "ValueError at request, nothing sent",
)
sends(
    "request-space-name",
    "RFC 9110 §5.1",
    "a field name with a space inside: "
    "X Foo (sent: no parser reads another field in it, and urllib3's tests send "
    "one)",
    lambda c: c.request("GET", "/", headers={"X Foo": "1"}),
    "200 b'hello'",
)
sends(
    "request-space-after-name",
    "RFC 9110 §5.1",
    "a field name ending in a space: 'Transfer-Encoding '",
    lambda c: c.request("GET", "/", headers={"Transfer-Encoding ": "chunked"}),
    "ValueError at request, nothing sent",
)
sends(
    "request-tab-name",
    "RFC 9110 §5.1",
    "a field name with a tab",
    lambda c: c.request("GET", "/", headers={"X\tY": "1"}),
    "ValueError at request, nothing sent",
)
sends(
    "request-length-space",
    "RFC 9110 §5.1",
    "a field name 'Content-Length '",
    lambda c: c.request("POST", "/", body=b"", headers={"Content-Length ": "5"}),
    "ValueError at request, nothing sent",
)
sends(
    "request-colon-name",
    "RFC 9110 §5.1",
    "a field name with a colon",
    lambda c: c.request("GET", "/", headers={"X:Y": "1"}),
    "ValueError at request, nothing sent",
)
sends(
    "request-method-space",
    "RFC 9110 §9.1",
    "a method with a space",
    lambda c: c.request("GET / HTTP/1.1\r\nX", "/"),
    "ValueError at request, nothing sent",
)
sends(
    "request-target-crlf",
    "RFC 9112 §3.2",
    "a target with CRLF",
    lambda c: c.request("GET", "/a\r\nX: y"),
    "InvalidURL at request, nothing sent",
)
sends(
    "request-target-space",
    "RFC 9112 §3.2",
    "a target with a space",
    lambda c: c.request("GET", "/a b"),
    "InvalidURL at request, nothing sent",
)
sends(
    "request-host-crlf",
    REQ,
    "a Host field with CRLF",
    lambda c: c.request("GET", "/", headers={"Host": "a\r\nX: y"}),
    "ValueError at request, nothing sent",
)
sends(
    "request-tunnel-crlf",
    S936,
    "a tunnel host with CRLF",
    lambda c: (c.set_tunnel("evil\r\nX-y"), c.request("GET", "/")),
    "ValueError at request, nothing sent",
)
sends(
    "request-tunnel-header",
    S936,
    "a tunnel field value with CRLF",
    lambda c: (
        c.set_tunnel("o.test", headers={"X": "a\r\nY: b"}),
        c.request("GET", "/"),
    ),
    "ValueError at request, nothing sent",
)
add(
    "request-zone-crlf",
    "RFC 6874",
    "an IPv6 zone id hiding %0D%0A in Host",
    answer(OK),
    "InvalidURL at connection",
    host="[fe80::1%0D%0AX]",
)
add(
    "request-port-wraps",
    "RFC 9110 §4.2.1",
    "port 65536 + the server's (getaddrinfo() wraps it; Host names another)",
    answer(OK),
    "InvalidURL at connection",
    port_offset=65536,
)
add(
    "request-port-negative",
    "RFC 9110 §4.2.1",
    "port -1",
    answer(OK),
    "InvalidURL at connection",
    host="127.0.0.1:-1",
)


# -- Expect: 100-continue: RFC 9110 section 10.1.1 ------------------------------
# The client sends the head and waits for the server's word before the body
# (http.client sends the body at once).  What the server answers in the
# meantime must not get the client stuck, nor move its errors to another
# call than http.client's.

EXPECT = "RFC 9110 §10.1.1"
CONTINUE = b"HTTP/1.1 100 Continue\r\n\r\n"


def expecting(first: bytes, then: Script) -> Script:
    """Once a request head has come (its body may not), send ``first``,
    then ``then``."""

    def script(peer: Peer) -> None:
        if peer.head():
            peer.send(first)
            then(peer)

    return script


def _put_expecting(conn: Any) -> None:
    conn.request("PUT", "/", b"x" * 100, {"Expect": "100-continue"})


def expects(name: str, title: str, first: bytes, then: Script, expect: str) -> None:
    add(name, EXPECT, title, expecting(first, then), expect, request=_put_expecting)


expects(
    "expect-100",
    "100 Continue, then the final response once the body is in",
    CONTINUE,
    answer(OK),
    "200 b'hello'",
)
expects(
    "expect-417",
    "417 at once, without reading the body",
    b"HTTP/1.1 417 Expectation Failed\r\nContent-Length: 0\r\n\r\n",
    close,
    "417 b''",
)
expects(
    "expect-endless-102",
    "300 times 102 Processing, never 100",
    b"HTTP/1.1 102 Processing\r\n\r\n" * 300,
    close,
    "TooManyInterimResponses at getresponse",
)
expects(
    "expect-100-long-field",
    "a 100 Continue with a 70,000-byte field",
    b"HTTP/1.1 100 Continue\r\nX: " + b"a" * 70_000 + b"\r\n\r\n",
    close,
    "LineTooLong at getresponse",
)
expects(
    "expect-garbage",
    "a line that is not a status line",
    b"hello there\r\n\r\n",
    close,
    "BadStatusLine at getresponse",
)
