# The response-side differences from CPython that make httpcore_client safe
# on hostile input (gh-88188, gh-119451, gh-150743), each asserted on loopback
# sockets and, where it shows the point, next to what the running
# interpreter's http.client does with the same scripted bytes: interim
# responses, Content-Length and Transfer-Encoding ambiguities, strict chunk
# framing, bounded trailers, bodies that end early, and no allocation from a
# declared length.
from __future__ import annotations

import http.client
import tracemalloc
from collections.abc import Callable
from types import ModuleType
from typing import TYPE_CHECKING, Any

import pytest

import httpcore_client
from httpcore_client import (
    BadStatusLine,
    HTTPConnection,
    HTTPException,
    IncompleteRead,
    InvalidChunk,
    InvalidContentLength,
    LineTooLong,
    TooManyInterimResponses,
)
from httpcore_headers import DEFAULT_LIMITS, TooManyHeaders

if TYPE_CHECKING:
    from conftest import Loopback, Peer

OK_HELLO = b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"
OK_WORLD = b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nworld"
CONTINUE = b"HTTP/1.1 100 Continue\r\n\r\n"
CHUNKED_HEAD = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
ERRORS = (HTTPException, http.client.HTTPException)


def get_response(
    loopback: Loopback,
    module: ModuleType,
    script: bytes,
    *,
    method: str = "GET",
    **kwargs: Any,
) -> Any:
    """The response to one request on a connection whose server plays
    ``script`` and then closes its side."""
    server = loopback.serve(loopback.sends(script))
    conn = loopback.connect(server, module.HTTPConnection, **kwargs)
    conn.request(method, "/")
    return loopback.track(conn.getresponse())


def _readinto_step(response: Any) -> bytes:
    buffer = bytearray(3)
    count = response.readinto(buffer)
    return bytes(buffer[:count])


STEPS: dict[str, Callable[[Any], bytes]] = {
    "read()": lambda response: response.read(),
    "read(3)": lambda response: response.read(3),
    "readinto": _readinto_step,
    "read1()": lambda response: response.read1(),
    "readline()": lambda response: response.readline(),
}


def collect(response: Any, step: str) -> tuple[bytes, BaseException | None]:
    """Read the body with ``step`` until it returns b"" or raises; return
    what was read and the error, if any."""
    pieces: list[bytes] = []
    try:
        while piece := STEPS[step](response):
            pieces.append(piece)
    except ERRORS as exc:
        return b"".join(pieces), exc
    return b"".join(pieces), None


# -- interim responses --------------------------------------------------------

INTERIMS = {
    "103 Early Hints": (
        b"HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\n"
    ),
    "102 Processing": b"HTTP/1.1 102 Processing\r\n\r\n",
    "100, 102, 103, 199": (
        CONTINUE
        + b"HTTP/1.1 102 Processing\r\n\r\n"
        + b"HTTP/1.1 103 Early Hints\r\nLink: </b.js>\r\nLink: </c.css>\r\n\r\n"
        + b"HTTP/1.1 199 Misc\r\n\r\n"
    ),
}


@pytest.mark.parametrize("interim", sorted(INTERIMS))
def test_interim_responses_are_skipped(loopback: Loopback, interim: str) -> None:
    server = loopback.serve(loopback.replies(INTERIMS[interim] + OK_HELLO, OK_WORLD))
    conn = loopback.connect(server, HTTPConnection)
    conn.request("GET", "/")
    response = conn.getresponse()
    assert (response.status, response.reason) == (200, "OK")
    assert response.getheader("Link") is None
    assert response.read() == b"hello"
    # In step with the server: the next exchange gets its own answer.
    conn.request("GET", "/")
    assert conn.getresponse().read() == b"world"
    assert server.accepts == 1


@pytest.mark.parametrize("interim", ["103 Early Hints", "102 Processing"])
def test_stdlib_returns_the_interim_response(loopback: Loopback, interim: str) -> None:
    # What the skipping above fixes: http.client hands the 1xx over as the
    # response and leaves the real one on the socket.
    response = get_response(loopback, http.client, INTERIMS[interim] + OK_HELLO)
    assert response.status == int(interim[:3])
    assert response.read() == b""


@pytest.mark.parametrize("count", [1, 99, 100])
def test_up_to_100_interim_responses_are_accepted(
    loopback: Loopback, count: int
) -> None:
    response = get_response(loopback, httpcore_client, CONTINUE * count + OK_HELLO)
    assert response.status == 200
    assert response.read() == b"hello"


@pytest.mark.parametrize("count", [101, 1000])
def test_more_than_100_interim_responses_are_refused(
    loopback: Loopback, count: int
) -> None:
    with pytest.raises(TooManyInterimResponses) as info:
        get_response(loopback, httpcore_client, CONTINUE * count + OK_HELLO)
    assert info.value.limit == 100
    assert "100" in str(info.value)
    assert isinstance(info.value, HTTPException)
    # http.client reads all of them (gh-150743): a server can keep it busy.
    response = get_response(loopback, http.client, CONTINUE * count + OK_HELLO)
    assert response.status == 200


def test_interim_limit_counts_every_kind_of_1xx(loopback: Loopback) -> None:
    script = (INTERIMS["100, 102, 103, 199"] * 26) + OK_HELLO  # 104 interims
    with pytest.raises(TooManyInterimResponses):
        get_response(loopback, httpcore_client, script)


class FewInterims(HTTPConnection):
    max_interim_responses = 2


@pytest.mark.parametrize(("count", "refused"), [(2, False), (3, True)])
def test_interim_limit_on_the_class(
    loopback: Loopback, count: int, refused: bool
) -> None:
    server = loopback.serve(loopback.sends(CONTINUE * count + OK_HELLO))
    conn = loopback.connect(server, FewInterims)
    conn.request("GET", "/")
    if refused:
        with pytest.raises(TooManyInterimResponses) as info:
            conn.getresponse()
        assert info.value.limit == 2
    else:
        assert conn.getresponse().read() == b"hello"


@pytest.mark.parametrize(
    ("limit", "count", "refused"), [(0, 1, True), (0, 0, False), (500, 400, False)]
)
def test_interim_limit_on_the_instance(
    loopback: Loopback, limit: int, count: int, refused: bool
) -> None:
    server = loopback.serve(loopback.sends(CONTINUE * count + OK_HELLO))
    conn = loopback.connect(server, HTTPConnection)
    conn.max_interim_responses = limit
    conn.request("GET", "/")
    if refused:
        with pytest.raises(TooManyInterimResponses):
            conn.getresponse()
    else:
        assert conn.getresponse().read() == b"hello"
    assert HTTPConnection.max_interim_responses == 100


@pytest.mark.parametrize(
    "module", [httpcore_client, http.client], ids=["ours", "stdlib"]
)
def test_101_is_a_final_response(loopback: Loopback, module: ModuleType) -> None:
    frame = b"\x81\x05hello"
    script = (
        b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
        b"Connection: Upgrade\r\n\r\n" + frame
    )
    response = get_response(loopback, module, script)
    assert (response.status, response.reason) == (101, "Switching Protocols")
    assert response.getheader("Upgrade") == "websocket"
    assert response.length == 0
    # The new protocol's bytes are the caller's, unread, on the reader.
    assert response.fp.read(len(frame)) == frame
    assert response.read() == b""


# -- Content-Length -----------------------------------------------------------

# Content-Length values that http.client trusts although RFC 9112 section
# 6.3 calls them invalid: field lines -> (a snippet of our error message,
# the body http.client returns).
TRUSTED_BAD_LENGTHS = {
    "plus sign": (b"Content-Length: +5\r\n", "+5", b"hello"),
    "underscore": (b"Content-Length: 1_0\r\n", "1_0", b"helloworld"),
    "two fields": (b"Content-Length: 5\r\nContent-Length: 10\r\n", "[5, 10]", b"hello"),
    "two fields, one bad": (
        b"Content-Length: 5\r\nContent-Length: x\r\n",
        "x",
        b"hello",
    ),
}
# ... and those it ignores, reading the body until the connection closes.
IGNORED_BAD_LENGTHS = {
    "list of two": b"Content-Length: 5, 10\r\n",
    "negative": b"Content-Length: -1\r\n",
    "hex": b"Content-Length: 0x5\r\n",
    "inner space": b"Content-Length: 1 0\r\n",
    "empty": b"Content-Length: \r\n",
}


@pytest.mark.parametrize("step", sorted(STEPS))
@pytest.mark.parametrize("case", sorted(TRUSTED_BAD_LENGTHS))
def test_body_with_a_length_cpython_would_trust_is_refused(
    loopback: Loopback, case: str, step: str
) -> None:
    fields, snippet, stdlib_body = TRUSTED_BAD_LENGTHS[case]
    script = b"HTTP/1.1 200 OK\r\n" + fields + b"\r\nhelloworld"
    # The response comes back, so that a caller's own check of its fields
    # runs first (urllib3 raises InvalidHeader for two fields) ...
    response = get_response(loopback, httpcore_client, script)
    assert response.status == 200
    assert response.will_close
    assert response.length is None
    # ... but its body is not read either way.
    body, error = collect(response, step)
    assert body == b""
    assert isinstance(error, InvalidContentLength)
    assert isinstance(error, HTTPException)
    assert snippet in str(error)
    assert response.isclosed()
    # http.client picks one reading of the same bytes.
    response = get_response(loopback, http.client, script)
    assert response.read() == stdlib_body


@pytest.mark.parametrize("case", sorted(IGNORED_BAD_LENGTHS))
def test_body_with_a_length_cpython_ignores_runs_to_the_close(
    loopback: Loopback, case: str
) -> None:
    script = b"HTTP/1.1 200 OK\r\n" + IGNORED_BAD_LENGTHS[case] + b"\r\nhelloworld"
    response = get_response(loopback, httpcore_client, script)
    assert (response.length, response.will_close) == (None, True)
    assert response.read() == b"helloworld"
    stdlib = get_response(loopback, http.client, script)
    assert (stdlib.length, stdlib.will_close) == (None, True)
    assert stdlib.read() == b"helloworld"


def _nothing_more(peer: Peer) -> None:
    assert peer.recv_until_eof() == b"", "a second request on a spoilt connection"


def test_connection_is_not_reused_after_a_refused_length(loopback: Loopback) -> None:
    bad = b"HTTP/1.1 200 OK\r\nContent-Length: +5\r\n\r\nhello"
    server = loopback.serve(
        loopback.replies(bad, then=_nothing_more), loopback.replies(OK_HELLO)
    )
    conn = loopback.connect(server, HTTPConnection)
    conn.request("GET", "/")
    response = conn.getresponse()
    # The connection gave its socket to the response, which closes it.
    assert conn.sock is None
    with pytest.raises(InvalidContentLength):
        response.read()
    conn.request("GET", "/")
    assert conn.getresponse().read() == b"hello"
    conn.close()
    server.wait()


@pytest.mark.parametrize(
    "fields",
    [
        b"Content-Length: 5\r\nContent-Length: 5\r\n",
        b"Content-Length: 5, 5\r\n",
        b"Content-Length: 5,5\r\nContent-Length: 5\r\n",
        b"content-length: 5\r\nCONTENT-LENGTH:   5  \r\n",
        b"Content-Length: 005\r\n",
    ],
)
def test_repeated_identical_content_length_is_accepted(
    loopback: Loopback, fields: bytes
) -> None:
    server = loopback.serve(
        loopback.replies(b"HTTP/1.1 200 OK\r\n" + fields + b"\r\nhello", OK_WORLD)
    )
    conn = loopback.connect(server, HTTPConnection)
    conn.request("GET", "/")
    response = conn.getresponse()
    assert response.length == 5
    assert not response.will_close
    assert response.read() == b"hello"
    conn.request("GET", "/")
    assert conn.getresponse().read() == b"world"
    assert server.accepts == 1


# -- Transfer-Encoding --------------------------------------------------------

CHUNKED_BODY = b"5\r\nhello\r\n0\r\n\r\n"


@pytest.mark.parametrize(
    ("fields", "stdlib_dechunks"),
    [
        (b"Transfer-Encoding: chunked\r\n", True),
        (b"Transfer-Encoding: Chunked\r\n", True),
        (b"Transfer-Encoding: gzip, chunked\r\n", False),
        (b"Transfer-Encoding: chunked, chunked\r\n", False),
        (b"Transfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n", False),
        (b"Transfer-Encoding: identity ,CHUNKED \r\n", False),
    ],
)
def test_chunked_as_the_final_coding_is_dechunked(
    loopback: Loopback, fields: bytes, stdlib_dechunks: bool
) -> None:
    script = b"HTTP/1.1 200 OK\r\n" + fields + b"\r\n" + CHUNKED_BODY
    server = loopback.serve(loopback.replies(script, OK_WORLD))
    conn = loopback.connect(server, HTTPConnection)
    conn.request("GET", "/")
    response = conn.getresponse()
    assert response.chunked
    assert not response.will_close
    # The chunk framing is removed; other codings are the caller's to undo.
    assert response.read() == b"hello"
    conn.request("GET", "/")
    assert conn.getresponse().read() == b"world"
    theirs = get_response(loopback, http.client, script)
    assert theirs.read() == (b"hello" if stdlib_dechunks else CHUNKED_BODY)


def test_transfer_encoding_and_content_length(loopback: Loopback) -> None:
    script = (
        b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\nTransfer-Encoding: chunked\r\n\r\n"
        + CHUNKED_BODY
    )
    server = loopback.serve(loopback.sends(script))
    conn = loopback.connect(server, HTTPConnection)
    conn.request("GET", "/")
    response = loopback.track(conn.getresponse())
    assert response.chunked
    assert response.will_close
    assert conn.sock is None  # not reused: the framing was ambiguous
    assert response.read() == b"hello"
    theirs = get_response(loopback, http.client, script)
    assert theirs.chunked
    assert not theirs.will_close
    assert theirs.read() == b"hello"


# -- chunk framing ------------------------------------------------------------

BAD_CHUNKS = {
    "size 0x5": b"0x5\r\nhello\r\n0\r\n\r\n",
    "size +5": b"+5\r\nhello\r\n0\r\n\r\n",
    "size 0_5": b"0_5\r\nhello\r\n0\r\n\r\n",
    "size -0": b"5\r\nhello\r\n-0\r\n\r\n",
    "XX after data": b"5\r\nhelloXX0\r\n\r\n",
    "LF only after data": b"5\r\nhello\n0\r\n\r\n",
}


@pytest.mark.parametrize("step", sorted(STEPS))
@pytest.mark.parametrize("case", sorted(BAD_CHUNKS))
def test_bad_chunk_framing_raises(
    loopback: Loopback,
    case: str,
    step: str,
    exception_chain: Callable[[BaseException | None], list[BaseException]],
) -> None:
    response = get_response(loopback, httpcore_client, CHUNKED_HEAD + BAD_CHUNKS[case])
    body, error = collect(response, step)
    assert isinstance(error, IncompleteRead), error
    assert any(isinstance(link, InvalidChunk) for link in exception_chain(error))
    assert b"hello".startswith(body)
    assert response.isclosed()  # framing is lost: the connection is not reused


@pytest.mark.parametrize("case", sorted(BAD_CHUNKS))
def test_bad_chunk_framing_from_read_is_chained(loopback: Loopback, case: str) -> None:
    response = get_response(loopback, httpcore_client, CHUNKED_HEAD + BAD_CHUNKS[case])
    with pytest.raises(IncompleteRead) as info:
        response.read()
    assert type(info.value) is IncompleteRead
    assert isinstance(info.value.__cause__, InvalidChunk)
    assert info.value.__cause__.reason


@pytest.mark.parametrize("case", sorted(BAD_CHUNKS))
def test_connection_is_not_reused_after_bad_framing(
    loopback: Loopback, case: str
) -> None:
    # Where the broken body ends is unknown: what follows it on the
    # connection must not be read as the next response.
    def broken(peer: Peer) -> None:
        peer.may_reset = True
        peer.reply(CHUNKED_HEAD + BAD_CHUNKS[case])

    server = loopback.serve(broken, loopback.replies(OK_WORLD))
    conn = loopback.connect(server, HTTPConnection)
    conn.request("GET", "/1")
    response = conn.getresponse()
    with pytest.raises(IncompleteRead):
        response.read()
    conn.request("GET", "/2")
    assert conn.getresponse().read() == b"world"
    assert server.accepts == 2


@pytest.mark.parametrize("case", ["size 0x5", "size +5", "XX after data"])
def test_stdlib_accepts_bad_chunk_framing(loopback: Loopback, case: str) -> None:
    response = get_response(loopback, http.client, CHUNKED_HEAD + BAD_CHUNKS[case])
    assert response.read() == b"hello"


# -- trailers -----------------------------------------------------------------


def test_trailers_are_kept(loopback: Loopback) -> None:
    script = (
        CHUNKED_HEAD
        + b"5\r\nhello\r\n0\r\nExpires: never\r\nX-Sum: a\r\nx-sum: b\r\n\r\n"
    )
    response = get_response(loopback, httpcore_client, script)
    before_the_body = response.trailers
    assert before_the_body is None
    assert response.read() == b"hello"
    trailers = response.trailers
    assert trailers is not None
    assert trailers["Expires"] == "never"
    assert trailers.get_all("X-Sum") == ["a", "b"]
    # Trailers are not mixed into the header fields.
    assert response.getheader("Expires") is None


def test_no_trailers_on_other_bodies(loopback: Loopback) -> None:
    response = get_response(loopback, httpcore_client, OK_HELLO)
    assert response.read() == b"hello"
    assert response.trailers is None
    chunked = get_response(loopback, httpcore_client, CHUNKED_HEAD + CHUNKED_BODY)
    assert chunked.read() == b"hello"
    assert chunked.trailers is not None
    assert chunked.trailers.items() == []


def _trailer(lines: int) -> bytes:
    fields = b"".join(b"X-T%d: v\r\n" % index for index in range(lines))
    return CHUNKED_HEAD + b"5\r\nhello\r\n0\r\n" + fields + b"\r\n"


def test_endless_trailer_is_refused(loopback: Loopback) -> None:
    response = get_response(loopback, httpcore_client, _trailer(5000))
    with pytest.raises(TooManyHeaders) as info:
        response.read()
    assert info.value.limit == 100
    # http.client reads every line (gh-150743).
    assert get_response(loopback, http.client, _trailer(5000)).read() == b"hello"


@pytest.mark.parametrize(
    ("keyword", "lines", "refused"),
    [(6000, 5000, False), (20, 20, True), (20, 18, False)],
)
def test_trailer_bound_follows_max_response_headers(
    loopback: Loopback, keyword: int, lines: int, refused: bool
) -> None:
    response = get_response(
        loopback, httpcore_client, _trailer(lines), max_response_headers=keyword
    )
    if refused:
        with pytest.raises(TooManyHeaders):
            response.read()
    else:
        assert response.read() == b"hello"
        assert response.trailers is not None
        assert len(response.trailers) == lines


def test_trailer_bound_follows_the_process_default(loopback: Loopback) -> None:
    with DEFAULT_LIMITS.changed(max_headers=10):
        response = get_response(loopback, httpcore_client, _trailer(20))
        with pytest.raises(TooManyHeaders) as info:
            response.read()
    assert info.value.limit == 10


def test_long_trailer_line_is_refused(loopback: Loopback) -> None:
    script = CHUNKED_HEAD + b"5\r\nhello\r\n0\r\nX: " + b"a" * 70000 + b"\r\n\r\n"
    response = get_response(loopback, httpcore_client, script)
    with pytest.raises(LineTooLong):
        response.read()


# -- bodies that end early ----------------------------------------------------


SHORT = b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhello"


def test_short_body_read_whole_raises(loopback: Loopback) -> None:
    response = get_response(loopback, httpcore_client, SHORT)
    with pytest.raises(IncompleteRead) as info:
        response.read()
    assert (info.value.partial, info.value.expected) == (b"hello", 5)
    assert response.isclosed()


@pytest.mark.parametrize("module", [httpcore_client, http.client])
@pytest.mark.parametrize("step", ["read(3)", "readinto", "read1()", "readline()"])
def test_short_body_comes_back_short_by_default(
    loopback: Loopback, step: str, module: ModuleType
) -> None:
    # gh-115997: only read() notices; callers compare lengths themselves
    # (urllib.request.urlretrieve, urllib3's enforce_content_length).  (3.10
    # and 3.11 read1 and readline do not close at the end, gh-113199, so the
    # loop ends on b"" either way.)
    response = get_response(loopback, module, SHORT)
    assert collect(response, step) == (b"hello", None)
    assert response.length == 5
    if module is httpcore_client:
        assert response.isclosed()


@pytest.mark.parametrize("step", sorted(STEPS))
def test_short_body_raises_with_enforce_content_length(
    loopback: Loopback, step: str
) -> None:
    response = get_response(
        loopback, httpcore_client, SHORT, enforce_content_length=True
    )
    body, error = collect(response, step)
    assert isinstance(error, IncompleteRead), f"{step} returned {body!r} silently"
    assert body + error.partial == b"hello"
    assert error.expected == 5
    assert response.isclosed()


def test_enforce_content_length_on_the_response_class(loopback: Loopback) -> None:
    class Strict(httpcore_client.HTTPResponse):
        enforce_content_length = True

    class Connection(HTTPConnection):
        response_class = Strict

    response = get_response(loopback, httpcore_client, SHORT)
    assert response.read(10) == b"hello"
    server = loopback.serve(loopback.sends(SHORT))
    conn = loopback.connect(server, Connection)
    conn.request("GET", "/")
    response = loopback.track(conn.getresponse())
    assert response.read(10) == b"hello"
    with pytest.raises(IncompleteRead):
        response.read(10)


def test_connection_is_not_reused_after_a_short_body(loopback: Loopback) -> None:
    # The server closes after the short body.
    server = loopback.serve(loopback.sends(SHORT), loopback.replies(OK_HELLO))
    conn = loopback.connect(server, HTTPConnection)
    conn.request("GET", "/")
    response = conn.getresponse()
    assert collect(response, "read(3)") == (b"hello", None)
    # The next request goes out on a new connection, not the closed one.
    conn.request("GET", "/")
    assert conn.getresponse().read() == b"hello"
    conn.close()
    server.wait()


@pytest.mark.parametrize("step", sorted(STEPS))
@pytest.mark.parametrize(
    "body",
    [
        b"5\r\nhello\r\na\r\nworld",
        b"5\r\nhello\r\n",
        b"5\r\nhello",
        b"5\r\nhel",
        b"5\r",
    ],
    ids=[
        "inside a chunk",
        "before a size",
        "before the CRLF",
        "inside data",
        "inside a size",
    ],
)
def test_short_chunked_body_raises(loopback: Loopback, step: str, body: bytes) -> None:
    response = get_response(loopback, httpcore_client, CHUNKED_HEAD + body)
    data, error = collect(response, step)
    assert isinstance(error, IncompleteRead), f"{step} returned {data!r} silently"
    assert b"helloworld".startswith(data + error.partial)


# -- memory is not allocated from a declared length ---------------------------

HUGE = {
    "Content-Length 16 GiB": (
        b"HTTP/1.1 200 OK\r\nContent-Length: 17179869184\r\n\r\nhello"
    ),
    "Content-Length 10**18": (
        b"HTTP/1.1 200 OK\r\nContent-Length: 1000000000000000000\r\n\r\nhello"
    ),
    "chunk 16 GiB": CHUNKED_HEAD + b"400000000\r\nhello",
}
MEMORY_BOUND = 4 << 20


@pytest.mark.parametrize("step", sorted(STEPS))
@pytest.mark.parametrize("case", sorted(HUGE))
def test_declared_length_is_not_allocated(
    loopback: Loopback, case: str, step: str
) -> None:
    response = get_response(
        loopback, httpcore_client, HUGE[case], enforce_content_length=True
    )
    tracemalloc.start()
    try:
        body, error = collect(response, step)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert isinstance(error, IncompleteRead)
    assert b"hello".startswith(body)
    assert peak < MEMORY_BOUND, f"{step} allocated {peak / (1 << 20):.0f} MiB"


# -- status lines -------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        b"\r\n",
        b"   \r\n",
        b"\n",
        b"HTTP/1.1 +200 OK\r\n",
        b"HTTP/1.1 2_00 OK\r\n",
        b"HTTP/1.1 0200 OK\r\n",
        b"HTTP/1.1 99 X\r\n",
    ],
)
def test_malformed_status_line(loopback: Loopback, line: bytes) -> None:
    with pytest.raises(BadStatusLine) as info:
        get_response(loopback, httpcore_client, line + b"Content-Length: 0\r\n\r\n")
    assert info.value.line == line.decode("latin-1")


@pytest.mark.parametrize("line", [b"\r\n", b"   \r\n"])
def test_stdlib_blank_status_line(loopback: Loopback, line: bytes) -> None:
    with pytest.raises(http.client.BadStatusLine):
        get_response(loopback, http.client, line + b"Content-Length: 0\r\n\r\n")


# -- header limits ------------------------------------------------------------


def _many_fields(count: int) -> bytes:
    return b"".join(b"X-F%d: v\r\n" % index for index in range(count))


def test_too_many_header_fields_like_stdlib(loopback: Loopback) -> None:
    script = b"HTTP/1.1 200 OK\r\n" + _many_fields(150) + b"Content-Length: 0\r\n\r\n"
    with pytest.raises(TooManyHeaders) as ours:
        get_response(loopback, httpcore_client, script)
    with pytest.raises(http.client.HTTPException) as theirs:
        get_response(loopback, http.client, script)
    assert str(ours.value) == str(theirs.value) == "got more than 100 headers"


@pytest.mark.parametrize(
    "cls", [httpcore_client.HTTPConnection, httpcore_client.HTTPSConnection]
)
def test_max_response_headers_keyword(cls: type[HTTPConnection]) -> None:
    assert cls("example.com", max_response_headers=200).max_response_headers == 200
    assert cls("example.com").max_response_headers is None


@pytest.mark.parametrize(
    ("keyword", "count", "refused"),
    [(200, 199, False), (200, 200, True), (10, 9, False), (10, 10, True)],
)
def test_max_response_headers_bounds_the_fields(
    loopback: Loopback, keyword: int, count: int, refused: bool
) -> None:
    # The limit counts the final empty line, as _MAXHEADERS does.
    script = b"HTTP/1.1 200 OK\r\n" + _many_fields(count) + b"\r\n"
    if refused:
        with pytest.raises(TooManyHeaders):
            get_response(
                loopback, httpcore_client, script, max_response_headers=keyword
            )
        return
    response = get_response(
        loopback, httpcore_client, script, max_response_headers=keyword
    )
    assert len(response.getheaders()) == count


@pytest.mark.parametrize(
    ("default", "count", "refused"), [(200, 150, False), (10, 20, True)]
)
def test_process_default_bounds_the_fields(
    loopback: Loopback, default: int, count: int, refused: bool
) -> None:
    script = b"HTTP/1.1 200 OK\r\n" + _many_fields(count) + b"Content-Length: 0\r\n\r\n"
    with DEFAULT_LIMITS.changed(max_headers=default):
        if refused:
            with pytest.raises(TooManyHeaders) as info:
                get_response(loopback, httpcore_client, script)
            assert info.value.limit == default
            return
        response = get_response(loopback, httpcore_client, script)
    assert len(response.getheaders()) == count + 1


@pytest.mark.parametrize("keyword", [None, 300])
def test_interim_header_blocks_are_bounded(
    loopback: Loopback, keyword: int | None
) -> None:
    # CVE-2021-3737: the fields of a skipped 100 Continue count too.
    script = b"HTTP/1.1 100 Continue\r\n" + _many_fields(150) + b"\r\n" + OK_HELLO
    if keyword is None:
        with pytest.raises(TooManyHeaders):
            get_response(loopback, httpcore_client, script)
    else:
        response = get_response(
            loopback, httpcore_client, script, max_response_headers=keyword
        )
        assert response.read() == b"hello"
