"""The command-line client (``python -m httpcore_compat``), run as a
subprocess against loopback servers: requests, bodies, output, redirects,
TLS, the progress bar, and the exit status and message of every kind of
failure."""

from __future__ import annotations

import base64
import contextlib
import email.parser
import email.policy
import fcntl
import gzip
import hashlib
import importlib.metadata
import os
import pty
import random
import signal
import socket
import struct
import subprocess
import sys
import sysconfig
import termios
import threading
import time
import urllib.parse
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from httpcore_compat._cli._progress import HINT

if TYPE_CHECKING:
    from conftest import Script, Scripted, Server, TlsServer

TIMEOUT = 60
MiB = 1 << 20
# Runs the client with tqdm made unimportable.
WITHOUT_TQDM = (
    "import sys; sys.modules['tqdm'] = None; "
    "from httpcore_compat._cli import main; sys.exit(main(sys.argv[1:]))"
)
# Runs the client with stand-ins for brotli and zstandard whose decoders
# invert every bit (the conftest's "fake" coding): what the command does
# with the modules, not the codecs.
INVERT = bytes(range(255, -1, -1))
WITH_FAKE_CODECS = (
    "import sys, types\n"
    "class D:\n"
    "    def process(self, data): return data.translate(bytes(range(255, -1, -1)))\n"
    "    decompress = process\n"
    "    def decompressobj(self): return self\n"
    "sys.modules['brotli'] = types.SimpleNamespace(Decompressor=D)\n"
    "sys.modules['zstandard'] = types.SimpleNamespace(ZstdDecompressor=D)\n"
    "from httpcore_compat._cli import main\n"
    "sys.exit(main(sys.argv[1:]))\n"
)
WITHOUT_CODECS = (
    "import sys; sys.modules['brotli'] = sys.modules['zstandard'] = None; "
    "from httpcore_compat._cli import main; sys.exit(main(sys.argv[1:]))"
)
# Runs the client with the idna package made unimportable.
WITHOUT_IDNA = (
    "import sys; sys.modules['idna'] = None; "
    "from httpcore_compat._cli import main; sys.exit(main(sys.argv[1:]))"
)
# Runs the client with every host-name lookup failing, as with no DNS
# (addresses still work).
WITHOUT_DNS = (
    "import ipaddress, socket, sys\n"
    "real = socket.getaddrinfo\n"
    "def fail(host, *args, **kwargs):\n"
    "    try:\n"
    "        ipaddress.ip_address(host)\n"
    "    except ValueError:\n"
    "        raise socket.gaierror(socket.EAI_NONAME, 'Name or service not known')\n"
    "    return real(host, *args, **kwargs)\n"
    "socket.getaddrinfo = fail\n"
    "from httpcore_compat._cli import main\n"
    "sys.exit(main(sys.argv[1:]))\n"
)


#: The environment variables curl (and the command) take proxies from.
PROXY_VARIABLES = frozenset(
    name
    for base in ("http_proxy", "https_proxy", "all_proxy", "no_proxy")
    for name in (base, base.upper())
)


def httpcore(
    *args: str | Path,
    stdin: bytes | None = None,
    stdin_file: Path | None = None,
    wrapper: str | None = None,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
) -> subprocess.CompletedProcess[bytes]:
    """Run the command line; its status, stdout and stderr.  The proxies of
    the test's own environment are left out; ``env`` adds variables."""
    head = ["-c", wrapper] if wrapper else ["-m", "httpcore_compat"]
    environment = {
        name: value for name, value in os.environ.items() if name not in PROXY_VARIABLES
    }
    with (stdin_file or Path(os.devnull)).open("rb") as file:
        return subprocess.run(
            [sys.executable, *head, *map(str, args)],
            input=stdin,
            stdin=None if stdin is not None else file,
            capture_output=True,
            timeout=TIMEOUT,
            check=False,
            env={**environment, **(env or {})},
            cwd=cwd,
        )


def failed(result: subprocess.CompletedProcess[bytes], status: int) -> str:
    """The one-line message of a run that must have exited with ``status``."""
    assert result.returncode == status, result.stderr
    assert result.stdout == b""
    assert b"Traceback" not in result.stderr
    lines = result.stderr.decode().splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("httpcore: ")
    return lines[0]


def pattern(size: int) -> bytes:
    """What the server's ``/bytes?size=N`` sends."""
    return random.Random(size).randbytes(size)


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# -- requests and output ------------------------------------------------------


def test_get_writes_the_body_to_stdout(web: Server) -> None:
    result = httpcore(web.url("/hello"))
    assert (result.returncode, result.stdout, result.stderr) == (0, b"hello\n", b"")


def test_include_prints_the_head_first(web: Server) -> None:
    result = httpcore("-i", web.url("/hello"))
    head, _, body = result.stdout.partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    assert lines[0] == b"HTTP/1.1 200 OK"
    assert b"Content-Length: 6" in lines
    assert body == b"hello\n"


def test_head_prints_only_the_head(web: Server) -> None:
    result = httpcore("-I", web.url("/bytes?size=1000"))
    assert result.returncode == 0
    assert result.stdout.startswith(b"HTTP/1.1 200 OK\r\n")
    assert result.stdout.endswith(b"Content-Length: 1000\r\n\r\n")


@pytest.mark.parametrize(
    ("args", "method", "framing", "body"),
    [
        (["-X", "DELETE"], "DELETE", "none", b""),
        (["-X", "POST"], "POST", "length 0", b""),
        (["-d", "a=1"], "POST", "length 3", b"a=1"),
        (["-d", "a=1", "-d", "b=2"], "POST", "length 7", b"a=1&b=2"),
        (["-X", "PUT", "--data-binary", "x y"], "PUT", "length 3", b"x y"),
        (["-d", ""], "POST", "length 0", b""),
    ],
)
def test_methods_and_literal_bodies(
    web: Server, args: list[str], method: str, framing: str, body: bytes
) -> None:
    result = httpcore("-i", *args, web.url("/echo"))
    assert result.returncode == 0, result.stderr
    assert f"X-Method: {method}\r\n".encode() in result.stdout
    assert f"X-Framing: {framing}\r\n".encode() in result.stdout
    assert result.stdout.endswith(b"\r\n\r\n" + body)


def test_headers_are_sent_in_order_and_override_defaults(web: Server) -> None:
    result = httpcore(
        "-H", "X-One: 1", "-H", "X-One: 2", "-H", "User-Agent: tester/1",
        "-H", "Accept-Encoding: gzip", web.url("/headers"),
    )  # fmt: skip
    lines = result.stdout.decode().splitlines()
    assert [line for line in lines if line.startswith("X-One")] == [
        "X-One: 1",
        "X-One: 2",
    ]
    assert "User-Agent: tester/1" in lines
    assert "Accept-Encoding: gzip" in lines
    assert "Accept: */*" in lines
    assert not any(line.startswith("User-Agent: httpcore") for line in lines)


def test_header_removal_and_empty_fields_as_in_curl(web: Server) -> None:
    # curl: "X:" removes the field (a default of the command's too), "X;"
    # sends it empty.
    result = httpcore(
        "-H", "Accept:", "-H", "User-Agent:", "-H", "X-Empty;", "-H", "X-Gone:",
        "-H", "Accept-Encoding:", web.url("/headers"),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    lines = result.stdout.decode().splitlines()
    names = [line.partition(":")[0].lower() for line in lines if line]
    assert "X-Empty: " in lines
    assert not {"accept", "user-agent", "x-gone", "accept-encoding"} & set(names)
    assert "host" in names


def test_user_sends_basic_credentials_to_the_first_origin_only(web: Server) -> None:
    result = httpcore("-u", "me:pässword", web.url("/headers"))
    credentials = base64.b64encode("me:pässword".encode()).decode()
    assert f"Authorization: Basic {credentials}" in result.stdout.decode()
    # Followed to another origin (localhost is not 127.0.0.1), as curl
    # without --location-trusted: dropped.
    other = web.url("/headers").replace("127.0.0.1", "localhost")
    followed = httpcore(
        "-u", "me:pw", "-L", web.url("/redirect/302?to=" + urllib.parse.quote(other))
    )
    assert followed.returncode == 0, followed.stderr
    assert b"Host: localhost:" in followed.stdout
    assert b"Authorization" not in followed.stdout


@pytest.mark.parametrize(
    ("flags", "reported"),
    [(["-s"], False), (["-sS"], True), (["-fsSL"], True), (["-S"], True)],
)
def test_silent_hides_errors_and_show_error_brings_them_back(
    flags: list[str], reported: bool
) -> None:
    port = refused_port()
    result = httpcore(*flags, f"http://127.0.0.1:{port}/")
    assert result.returncode == 7
    message = f"httpcore: failed connecting to 127.0.0.1:{port}: Connection refused\n"
    assert result.stderr == (message.encode() if reported else b"")


def test_combined_short_flags(web: Server) -> None:
    result = httpcore("-fsSL", web.url("/redirect/302?to=/hello"))
    assert (result.returncode, result.stdout, result.stderr) == (0, b"hello\n", b"")
    failed_run = httpcore("-fsS", web.url("/status/500"))
    assert failed_run.returncode == 22
    assert failed_run.stderr.startswith(b"httpcore: ")
    assert httpcore("-fs", web.url("/status/500")).stderr == b""


@pytest.mark.parametrize("source", ["literal", "file", "stdin"])
def test_json_as_curl_sends_it(web: Server, tmp_path: Path, source: str) -> None:
    (tmp_path / "body.json").write_bytes(b'{"a": 1}')
    argument = {"literal": '{"a": 1}', "file": f"@{tmp_path / 'body.json'}"}
    result = httpcore(
        "-i", "--json", argument.get(source, "@-"), web.url("/echo"),
        stdin=b'{"a": 1}' if source == "stdin" else None,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    head, _, body = result.stdout.partition(b"\r\n\r\n")
    assert b"X-Method: POST\r\n" in head
    assert body == b'{"a": 1}'
    seen = httpcore("--json", "[1,", "--json", "2]", web.url("/headers"))
    lines = seen.stdout.decode().splitlines()
    assert "Content-Type: application/json" in lines
    assert "Accept: application/json" in lines
    assert "Content-Length: 5" in lines


def test_file_body_is_sent_with_content_length(web: Server, tmp_path: Path) -> None:
    data = os.urandom(3 * MiB + 5)
    (tmp_path / "body.bin").write_bytes(data)
    for option in ("--data-binary", "-d"):
        result = httpcore("-i", option, f"@{tmp_path / 'body.bin'}", web.url("/echo"))
        assert f"X-Framing: length {len(data)}\r\n".encode() in result.stdout
        assert sha(result.stdout.partition(b"\r\n\r\n")[2]) == sha(data)


def test_stdin_from_a_pipe_is_sent_chunked(web: Server) -> None:
    data = os.urandom(300_000)
    result = httpcore("-i", "-d", "@-", web.url("/echo"), stdin=data)
    head, _, body = result.stdout.partition(b"\r\n\r\n")
    assert b"X-Framing: chunked " in head
    assert body == data


def test_stdin_from_a_file_is_sent_with_content_length(
    web: Server, tmp_path: Path
) -> None:
    (tmp_path / "in.txt").write_bytes(b"from a file")
    result = httpcore(
        "-i", "-d", "@-", web.url("/echo"), stdin_file=tmp_path / "in.txt"
    )
    assert b"X-Framing: length 11\r\n" in result.stdout
    assert result.stdout.endswith(b"\r\n\r\nfrom a file")


# -- -F: multipart/form-data ---------------------------------------------------


def echoed(result: subprocess.CompletedProcess[bytes]) -> tuple[dict[str, str], bytes]:
    """The ``X-`` fields and the body of ``-i`` on ``/echo``: what the
    server received."""
    assert result.returncode == 0, result.stderr
    head, _, body = result.stdout.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")[1:]
    fields = dict(line.split(": ", 1) for line in lines)
    return {k: v for k, v in fields.items() if k.startswith("X-")}, body


def form_boundary(fields: dict[str, str]) -> str:
    kind, _, boundary = fields["X-Content-Type"].partition("; boundary=")
    assert kind == "multipart/form-data"
    # curl's shape: 24 dashes and 16 hex digits.
    assert len(boundary) == 40
    assert boundary.startswith("-" * 24)
    int(boundary[24:], 16)
    return boundary


def test_form_fields_as_curl_sends_them(web: Server, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(b"hello file\n")
    (tmp_path / "data.csv").write_bytes(b"x,y\n")
    (tmp_path / "blob").write_bytes(b"\x00\xff")
    result = httpcore(
        "-i", web.url("/echo"),
        "-F", "name=value",
        "-F", "up=@a.txt",
        "-F", "v=<a.txt",
        "-F", "c=@data.csv;type=text/x-foo;filename=z.csv",
        "-F", "bin=@blob",
        "-F", 'semi="x;y";type=text/plain',
        "-F", 'q"n=@a.txt;filename=f"\\x.txt',
        "-F", "empty=",
        cwd=tmp_path,
    )  # fmt: skip
    fields, body = echoed(result)
    boundary = form_boundary(fields)
    assert fields["X-Method"] == "POST"
    assert fields["X-Framing"] == f"length {len(body)}"
    delimiter = f"--{boundary}\r\n"
    assert body.decode("latin-1") == (
        f'{delimiter}Content-Disposition: form-data; name="name"\r\n\r\n'
        "value\r\n"
        f'{delimiter}Content-Disposition: form-data; name="up"; filename="a.txt"\r\n'
        "Content-Type: text/plain\r\n\r\nhello file\n\r\n"
        f'{delimiter}Content-Disposition: form-data; name="v"\r\n\r\n'
        "hello file\n\r\n"
        f'{delimiter}Content-Disposition: form-data; name="c"; filename="z.csv"\r\n'
        "Content-Type: text/x-foo\r\n\r\nx,y\n\r\n"
        f'{delimiter}Content-Disposition: form-data; name="bin"; filename="blob"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n\x00\xff\r\n"
        f'{delimiter}Content-Disposition: form-data; name="semi"\r\n'
        "Content-Type: text/plain\r\n\r\nx;y\r\n"
        f'{delimiter}Content-Disposition: form-data; name="q%22n"; '
        'filename="f%22\\x.txt"\r\n'
        "Content-Type: text/plain\r\n\r\nhello file\n\r\n"
        f'{delimiter}Content-Disposition: form-data; name="empty"\r\n\r\n\r\n'
        f"--{boundary}--\r\n"
    )


def test_form_parses_as_multipart_and_streams_a_big_file(
    web: Server, tmp_path: Path
) -> None:
    data = os.urandom(3 * MiB + 7)
    (tmp_path / "big.bin").write_bytes(data)
    result = httpcore(
        "-i", "-X", "PUT", web.url("/echo"),
        "-F", f"file=@{tmp_path / 'big.bin'}", "-F", "note=big",
    )  # fmt: skip
    fields, body = echoed(result)
    assert (fields["X-Method"], fields["X-Framing"]) == ("PUT", f"length {len(body)}")
    head = f"Content-Type: {fields['X-Content-Type']}\r\n\r\n".encode()
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + body)
    parts = list(message.iter_parts())
    assert [part.get_param("name", header="content-disposition") for part in parts] == [
        "file",
        "note",
    ]
    assert parts[0].get_filename() == "big.bin"
    payloads = [part.get_payload(decode=True) for part in parts]
    assert isinstance(payloads[0], bytes)
    assert sha(payloads[0]) == sha(data)
    assert payloads[1] == b"big"
    # Another run, another boundary.
    assert form_boundary(echoed(httpcore("-i", "-F", "a=b", web.url("/echo")))[0]) != (
        form_boundary(fields)
    )


def test_form_from_standard_input(web: Server) -> None:
    fields, body = echoed(
        httpcore("-i", "-F", "p=@-", "-F", "l=<-", web.url("/echo"), stdin=b"piped")
    )
    boundary = form_boundary(fields)
    # curl: the name "-" and no Content-Type for an upload from stdin; the
    # second reads what the first left (nothing).
    assert (
        body
        == (
            f'--{boundary}\r\nContent-Disposition: form-data; name="p"; filename="-"'
            f'\r\n\r\npiped\r\n--{boundary}\r\nContent-Disposition: form-data; name="l"'
            f"\r\n\r\n\r\n--{boundary}--\r\n"
        ).encode()
    )
    assert fields["X-Framing"] == f"length {len(body)}"


def test_form_is_sent_again_for_a_307(web: Server, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(b"again")
    result = httpcore(
        "-L", "-i", "-F", f"f=@{tmp_path / 'a.txt'}",
        web.url("/redirect/307?to=/echo"),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    rest = result.stdout.partition(b"\r\n\r\n")[2]
    head, _, body = rest.partition(b"\r\n\r\n")
    assert b"X-Method: POST\r\n" in head
    assert body.count(b"again") == 1
    assert f"X-Framing: length {len(body)}".encode() in head


def test_form_warns_of_unknown_parameters(web: Server) -> None:
    result = httpcore("-F", "a=x;y", web.url("/echo"))
    assert result.returncode == 0
    assert result.stderr == b"httpcore: warning: skip unknown form field: y\n"
    assert httpcore("-s", "-F", "a=x;y", web.url("/echo")).stderr == b""


@pytest.mark.parametrize("source", ["@", "<"])
def test_form_missing_file_is_status_26_before_connecting(
    tmp_path: Path, source: str
) -> None:
    # A port nothing listens on: status 7 if the command tried to connect.
    url = f"http://127.0.0.1:{refused_port()}/"
    message = failed(httpcore("-F", f"up={source}missing.txt", url, cwd=tmp_path), 26)
    assert message == (
        "httpcore: failed to open/read local data from file/application: "
        "missing.txt: No such file or directory"
    )


PUT, POST, HEAD, FORM = (
    "PUT (-T, --upload-file)",
    "POST (-d, --data)",
    "HEAD (-I, --head)",
    "multipart formpost (-F, --form)",
)


@pytest.mark.parametrize(
    ("args", "first", "second"),
    [
        (["-F", "a=b", "-d", "x"], POST, FORM),
        (["--json", "{}", "-F", "a=b"], POST, FORM),
        (["-F", "a=b", "-I"], HEAD, FORM),
        (["-T", "f", "-d", "x"], PUT, POST),
        (["-I", "-T", "f"], PUT, HEAD),
        (["-I", "-d", "x"], POST, HEAD),
        (["-T", "f", "-F", "a=b"], PUT, FORM),
    ],
)
def test_one_request_method_as_in_curl(
    args: list[str], first: str, second: str
) -> None:
    result = httpcore(*args, "http://127.0.0.1:1/")
    assert (result.returncode, result.stdout) == (2, b"")
    assert result.stderr.decode().splitlines()[-1] == (
        "httpcore: error: you can only select one HTTP request method! "
        f"You asked for both {first} and {second}"
    )


@pytest.mark.parametrize(
    ("argument", "message"),
    [
        ("novalue", "expected 'NAME=CONTENT', got 'novalue'"),
        ('a="open', "an unclosed quote in 'a=\"open'"),
        ("a=@f;type=", "an empty ';type=' in 'a=@f;type='"),
    ],
)
def test_form_usage_errors(argument: str, message: str) -> None:
    result = httpcore("-F", argument, "http://127.0.0.1:1/")
    assert (result.returncode, result.stdout) == (2, b"")
    assert result.stderr.decode().splitlines()[-1] == (
        f"httpcore: error: argument -F/--form: {message}"
    )


# -- -T: uploads --------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "target"),
    [
        ("/echo/", "/echo/a%20b%25.txt"),
        ("/echo/?q=1", "/echo/a%20b%25.txt?q=1"),
        ("/echo/put", "/echo/put"),
    ],
)
def test_upload_file_puts_it(
    web: Server, tmp_path: Path, path: str, target: str
) -> None:
    data = os.urandom(2 * MiB + 1)
    (tmp_path / "a b%.txt").write_bytes(data)
    fields, body = echoed(httpcore("-i", "-T", tmp_path / "a b%.txt", web.url(path)))
    assert fields["X-Method"] == "PUT"
    # curl appends the file's name to a URL that ends in /.
    assert fields["X-Target"] == target
    assert fields["X-Framing"] == f"length {len(data)}"
    assert fields["X-Content-Type"] == ""
    assert sha(body) == sha(data)


def test_upload_with_another_method(web: Server, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(b"posted")
    fields, body = echoed(
        httpcore("-i", "-X", "POST", "-T", tmp_path / "a.txt", web.url("/echo"))
    )
    assert (fields["X-Method"], body) == ("POST", b"posted")


@pytest.mark.parametrize("source", ["pipe", "file"])
def test_upload_standard_input_is_chunked(
    web: Server, tmp_path: Path, source: str
) -> None:
    (tmp_path / "in.bin").write_bytes(data := os.urandom(200_000))
    result = httpcore(
        "-i", "--upload-file", "-", web.url("/echo/"),
        stdin=data if source == "pipe" else None,
        stdin_file=tmp_path / "in.bin" if source == "file" else None,
    )  # fmt: skip
    fields, body = echoed(result)
    # As curl: standard input is sent chunked, even from a file, and no
    # name is appended to the URL.
    assert fields["X-Framing"].startswith("chunked ")
    assert (fields["X-Method"], fields["X-Target"]) == ("PUT", "/echo/")
    assert body == data


def test_upload_missing_file_is_status_26_before_connecting(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{refused_port()}/"
    message = failed(httpcore("-T", "missing.txt", url, cwd=tmp_path), 26)
    assert message == "httpcore: can't open 'missing.txt': No such file or directory"


@pytest.mark.parametrize("chunked", [False, True], ids=["length", "chunked"])
def test_output_file(web: Server, tmp_path: Path, chunked: bool) -> None:
    size = 5 * MiB + 3
    query = f"/bytes?size={size}" + ("&chunked=1" if chunked else "")
    result = httpcore("-o", tmp_path / "out.bin", web.url(query))
    assert (result.returncode, result.stdout, result.stderr) == (0, b"", b"")
    assert sha((tmp_path / "out.bin").read_bytes()) == sha(pattern(size))
    assert sha(httpcore(web.url(query)).stdout) == sha(pattern(size))


def test_remote_name_writes_the_last_path_segment(web: Server, tmp_path: Path) -> None:
    result = httpcore("-O", web.url("/bytes?size=100000"), cwd=tmp_path)
    assert (result.returncode, result.stdout, result.stderr) == (0, b"", b"")
    assert (tmp_path / "bytes").read_bytes() == pattern(100_000)
    # As curl: the segment as it is in the URL, still percent-encoded.
    posted = httpcore(
        "--remote-name", "-d", "x=1", web.url("/echo/a%20b.txt?q"), cwd=tmp_path
    )
    assert (posted.returncode, posted.stdout) == (0, b"")
    assert (tmp_path / "a%20b.txt").read_bytes() == b"x=1"


@pytest.mark.parametrize("path", ["/", "", "/dir/", "/x/..", "/x/."])
def test_remote_name_without_a_name_is_status_23(tmp_path: Path, path: str) -> None:
    # Nothing listens: status 7 if the command tried to connect.
    url = f"http://127.0.0.1:{refused_port()}{path}"
    message = failed(httpcore("-O", url, cwd=tmp_path), 23)
    assert message == f"httpcore: remote file name has no length! ({url}, -O)"
    assert list(tmp_path.iterdir()) == []


def test_output_dir(web: Server, tmp_path: Path) -> None:
    (tmp_path / "d").mkdir()
    for option in (["-O"], ["-o", "named"]):
        result = httpcore(
            *option, "--output-dir", "d", web.url("/bytes?size=10"), cwd=tmp_path
        )
        assert (result.returncode, result.stdout, result.stderr) == (0, b"", b"")
    assert sorted(path.name for path in (tmp_path / "d").iterdir()) == [
        "bytes",
        "named",
    ]
    message = failed(
        httpcore(
            "-O", "--output-dir", "nosuch", web.url("/bytes?size=10"), cwd=tmp_path
        ),
        23,
    )
    assert message == (
        "httpcore: cannot write to nosuch/bytes: No such file or directory"
    )


def test_output_dash_is_stdout(web: Server, tmp_path: Path) -> None:
    result = httpcore("-o", "-", web.url("/hello"), cwd=tmp_path)
    assert (result.returncode, result.stdout) == (0, b"hello\n")
    assert list(tmp_path.iterdir()) == []


def test_verbose_goes_to_stderr_and_leaves_the_body_intact(web: Server) -> None:
    result = httpcore("-v", "-d", "ping", web.url("/echo"))
    assert (result.returncode, result.stdout) == (0, b"ping")
    stderr = result.stderr.decode()
    assert "* connecting to 127.0.0.1:" in stderr
    assert "send: b'POST /echo HTTP/1.1\\r\\n" in stderr
    assert "reply: 'HTTP/1.1 200 OK\\r\\n'" in stderr
    assert "header: X-Method: POST" in stderr


@pytest.mark.parametrize("to_stdout", [False, True], ids=["file", "stdout"])
def test_dump_header_writes_every_head(
    web: Server, tmp_path: Path, to_stdout: bool
) -> None:
    target = "-" if to_stdout else str(tmp_path / "heads.txt")
    result = httpcore("-L", "-D", target, web.url("/redirect/302?to=/hello"))
    assert result.returncode == 0, result.stderr
    heads = result.stdout if to_stdout else (tmp_path / "heads.txt").read_bytes()
    if to_stdout:
        heads, _, body = heads.rpartition(b"\r\n\r\n")
        heads += b"\r\n\r\n"
        assert body == b"hello\n"
    else:
        assert result.stdout == b"hello\n"
    first, second, rest = heads.split(b"\r\n\r\n")
    assert first.startswith(b"HTTP/1.1 302 Found\r\n")
    assert b"\r\nLocation: /hello" in first
    assert second.startswith(b"HTTP/1.1 200 OK\r\n")
    assert rest == b""


def test_write_out_variables(web: Server, tmp_path: Path) -> None:
    names = [
        "http_code", "response_code", "size_download", "size_upload",
        "size_header", "url_effective", "content_type", "num_redirects",
        "remote_ip", "remote_port", "scheme", "method", "exitcode", "errormsg",
    ]  # fmt: skip
    template = "|".join(f"%{{{name}}}" for name in names) + "\\n100%%"
    result = httpcore(
        "-L", "-d", "abc", "-o", tmp_path / "out", "-w", template,
        web.url("/redirect/307?to=/hello"),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    line = result.stdout.decode().split("\n")[0]
    values = dict(zip(names, line.split("|"), strict=True))
    assert result.stdout.decode().endswith("\n100%")
    assert values["http_code"] == values["response_code"] == "200"
    assert values["size_download"] == "6"
    assert values["size_upload"] == "6"  # the body, sent twice
    assert int(values["size_header"]) > 100
    assert values["url_effective"] == web.url("/hello")
    assert values["content_type"] == "text/plain"
    assert values["num_redirects"] == "1"
    assert (values["remote_ip"], values["remote_port"]) == ("127.0.0.1", str(web.port))
    assert (values["scheme"], values["method"]) == ("HTTP", "POST")
    assert (values["exitcode"], values["errormsg"]) == ("0", "")


def test_write_out_after_a_failure_and_to_stderr(tmp_path: Path) -> None:
    port = refused_port()
    (tmp_path / "format").write_text("%{http_code}:%{exitcode}%{stderr}:%{errormsg}")
    result = httpcore(
        "-s", "-w", f"@{tmp_path / 'format'}", f"http://127.0.0.1:{port}/"
    )
    assert (result.returncode, result.stdout) == (7, b"000:7")
    assert result.stderr == (
        f":failed connecting to 127.0.0.1:{port}: Connection refused".encode()
    )
    times = httpcore(
        "-w", "%{time_connect} %{time_starttransfer} %{time_total}",
        f"http://127.0.0.1:{port}/",
    )  # fmt: skip
    seconds = times.stdout.decode().split(" ")
    assert [len(value.partition(".")[2]) for value in seconds] == [6, 6, 6]


@pytest.mark.parametrize(
    ("coding", "wrapper", "accept"),
    [
        ("gzip", WITHOUT_CODECS, "gzip, deflate"),
        ("deflate", WITHOUT_CODECS, "gzip, deflate"),
        ("raw-deflate", WITHOUT_CODECS, "gzip, deflate"),
        ("fake", WITH_FAKE_CODECS, "gzip, deflate, br, zstd"),
    ],
)
def test_compressed_asks_for_what_it_decodes(
    web: Server, coding: str, wrapper: str, accept: str
) -> None:
    result = httpcore(
        "--compressed", "-D", "-", web.url(f"/compressed?coding={coding}"),
        wrapper=wrapper,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    head, _, body = result.stdout.partition(b"\r\n\r\n")
    assert f"X-Accept-Encoding: {accept}\r\n".encode() in head + b"\r\n"
    assert sha(body) == sha(pattern(100_000))


def test_without_compressed_the_body_is_written_as_it_came(web: Server) -> None:
    result = httpcore("-D", "-", web.url("/compressed?coding=gzip"))
    head, _, body = result.stdout.partition(b"\r\n\r\n")
    assert b"X-Accept-Encoding: identity" in head
    assert gzip.decompress(body) == pattern(100_000)
    # A coding the process cannot decode is written as it came.
    raw = httpcore(
        "--compressed", web.url("/compressed?coding=fake"), wrapper=WITHOUT_CODECS
    )
    assert (raw.returncode, raw.stdout) == (0, pattern(100_000).translate(INVERT))


def test_compressed_body_that_does_not_decode(web: Server) -> None:
    # curl's status 61, "Error while processing content unencoding".
    message = failed(
        httpcore("--compressed", web.url("/compressed?coding=garbage")), 61
    )
    assert message.startswith("httpcore: cannot decode the gzip body: ")


def test_fail_exits_22_without_the_body(web: Server) -> None:
    message = failed(httpcore("-f", web.url("/status/404")), 22)
    assert message == f"httpcore: {web.url('/status/404')} answered 404 Not Found"
    # Without --fail the error page is the output.
    result = httpcore(web.url("/status/404"))
    assert (result.returncode, result.stdout) == (0, b"status body\n")


def test_console_script(web: Server) -> None:
    try:
        distribution = importlib.metadata.distribution("httpcore-compat")
    except importlib.metadata.PackageNotFoundError:
        pytest.skip("httpcore-compat is not installed (run from a source tree)")
    (script,) = [
        entry for entry in distribution.entry_points if entry.name == "httpcore"
    ]
    assert (script.group, script.value) == (
        "console_scripts",
        "httpcore_compat._cli:run",
    )
    program = Path(sysconfig.get_path("scripts")) / "httpcore"
    result = subprocess.run(
        [program, web.url("/hello")], capture_output=True, timeout=TIMEOUT, check=False
    )
    assert (result.returncode, result.stdout) == (0, b"hello\n")


def accelerator_line(env: dict[str, str]) -> str:
    """The ``Accelerators:`` line ``--version`` should print in a process
    with ``env``, from the packages' own ``accelerated()`` there."""
    probe = subprocess.run(
        [
            sys.executable,
            "-c",
            "import httpcore_headers, httpcore_wire; "
            "print(httpcore_headers.accelerated(), httpcore_wire.accelerated())",
        ],
        capture_output=True,
        timeout=TIMEOUT,
        check=True,
        env={**os.environ, **env},
    )
    kinds = {"True": "compiled", "False": "pure Python"}
    headers, wire = (kinds[word] for word in probe.stdout.decode().split())
    return f"Accelerators: httpcore-headers {headers}, httpcore-wire {wire}"


@pytest.mark.parametrize("flag", ["--version", "-V"])
@pytest.mark.parametrize("no_extensions", [False, True])
def test_version(flag: str, no_extensions: bool) -> None:
    env = {"HTTPCORE_NO_EXTENSIONS": "1"} if no_extensions else {}
    result = httpcore(flag, env=env)
    assert (result.returncode, result.stderr) == (0, b"")
    first, second = result.stdout.decode().splitlines()
    assert first.startswith("httpcore 0.")
    assert second == accelerator_line(env)
    if no_extensions:
        assert second == (
            "Accelerators: httpcore-headers pure Python, httpcore-wire pure Python"
        )


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["-H", "no colon", "http://127.0.0.1/"],
        ["--timeout", "0", "http://127.0.0.1/"],
        ["--max-redirs", "x", "http://127.0.0.1/"],
        ["-I", "-d", "x", "http://127.0.0.1/"],
        ["-d", "@a", "-d", "b", "http://127.0.0.1/"],
        ["--json", "{}", "-d", "b", "http://127.0.0.1/"],
        ["--progress-bar", "--no-progress-meter", "http://127.0.0.1/"],
    ],
)
def test_usage_errors_exit_2(args: list[str]) -> None:
    result = httpcore(*args)
    assert result.returncode == 2
    assert b"usage: httpcore" in result.stderr
    assert b"Traceback" not in result.stderr


# -- redirects ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "args", "method", "body"),
    [
        (301, ["-d", "x=1"], "GET", b""),
        (302, ["-d", "x=1"], "GET", b""),
        (302, ["-X", "PUT", "-d", "x=1"], "PUT", b"x=1"),
        (303, ["-X", "PUT", "-d", "x=1"], "GET", b""),
        (303, ["-X", "DELETE"], "GET", b""),
        (307, ["-d", "x=1"], "POST", b"x=1"),
        (308, ["-X", "PUT", "-d", "x=1"], "PUT", b"x=1"),
    ],
)
def test_follow_redirect_method_and_body(
    web: Server, status: int, args: list[str], method: str, body: bytes
) -> None:
    result = httpcore("-L", "-i", *args, web.url(f"/redirect/{status}?to=/echo"))
    assert result.returncode == 0, result.stderr
    first, _, rest = result.stdout.partition(b"\r\n\r\n")
    assert first.startswith(f"HTTP/1.1 {status} ".encode())
    assert f"X-Method: {method}\r\n".encode() in rest
    assert rest.endswith(b"\r\n\r\n" + body)


def test_follow_redirect_absolute_and_reuses_the_connection(web: Server) -> None:
    hop = web.url("/redirect/302?to=" + web.url("/hello"))
    result = httpcore("-v", "-L", web.url(f"/redirect/301?to={hop}"))
    assert (result.returncode, result.stdout) == (0, b"hello\n")
    stderr = result.stderr.decode()
    assert stderr.count("* connecting to") == 1
    assert stderr.count("* reusing the connection") == 2


def test_redirect_not_followed_without_location_option(web: Server) -> None:
    result = httpcore("-i", web.url("/redirect/302?to=/hello"))
    assert result.returncode == 0
    assert result.stdout.startswith(b"HTTP/1.1 302 Found\r\n")
    assert result.stdout.endswith(b"moved\n")


def test_redirect_bound(web: Server) -> None:
    message = failed(httpcore("-L", web.url("/loop")), 47)
    assert message == "httpcore: too many redirects: more than 10 (--max-redirs)"
    chain = web.url("/redirect/302?to=/redirect/302%3Fto%3D/hello")
    assert httpcore("-L", "--max-redirs", "2", chain).stdout == b"hello\n"
    failed(httpcore("-L", "--max-redirs", "1", chain), 47)


def test_redirect_cannot_replay_a_pipe(web: Server) -> None:
    result = httpcore("-L", "-d", "@-", web.url("/redirect/307?to=/echo"), stdin=b"x")
    message = failed(result, 65)
    assert "cannot send the body from standard input again" in message


# -- failures -----------------------------------------------------------------


def refused_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_connection_refused() -> None:
    port = refused_port()
    message = failed(httpcore(f"http://127.0.0.1:{port}/"), 7)
    assert message == (
        f"httpcore: failed connecting to 127.0.0.1:{port}: Connection refused"
    )


@pytest.mark.parametrize(
    ("args", "status", "message"),
    [
        (["http://no.such.host.test/"], 6, "could not resolve host no.such.host.test"),
        (
            ["-x", "proxy.test:3128", "http://127.0.0.1/"],
            5,
            "could not resolve proxy host proxy.test",
        ),
    ],
)
def test_name_resolution_failure(args: list[str], status: int, message: str) -> None:
    text = failed(httpcore(*args, wrapper=WITHOUT_DNS), status)
    assert text == f"httpcore: {message}: Name or service not known"


def read_request(sock: socket.socket) -> None:
    data = b""
    while b"\r\n\r\n" not in data and (piece := sock.recv(65536)):
        data += piece


def stall(sock: socket.socket, release: threading.Event) -> None:
    read_request(sock)
    release.wait(TIMEOUT)


def answer(raw: bytes) -> Script:
    def script(sock: socket.socket, release: threading.Event) -> None:
        read_request(sock)
        sock.sendall(raw)

    return script


def test_timeout(scripted: Callable[[Script], Scripted]) -> None:
    server = scripted(stall)
    message = failed(httpcore("--timeout", "0.5", server.url()), 28)
    assert message == (
        f"httpcore: timed out receiving the response from 127.0.0.1:{server.port}"
    )


def trickle(sock: socket.socket, release: threading.Event) -> None:
    """A head, then a body a byte at a time, each well inside any read
    timeout, until the test ends."""
    read_request(sock)
    sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n")
    while not release.wait(0.05):
        sock.sendall(b"x")


@pytest.mark.parametrize("script", [stall, trickle], ids=["stall", "trickle"])
def test_max_time_bounds_the_whole_transfer(
    scripted: Callable[[Script], Scripted], script: Script
) -> None:
    server = scripted(script)
    started = time.monotonic()
    result = httpcore("--timeout", "30", "-m", "1", server.url())
    elapsed = time.monotonic() - started
    assert result.returncode == 28, result.stderr
    (line,) = result.stderr.decode().splitlines()
    assert line.startswith("httpcore: timed out receiving the response from ")
    assert line.endswith(": operation timed out after 1.0 s (--max-time)")
    # Not the 30 s of --timeout (the interpreter's start-up is in here).
    assert elapsed < 15
    if script is trickle:
        assert 5 < len(result.stdout) < 1000


def test_max_time_counts_the_redirects_too(web: Server) -> None:
    # Each hop is fast: only the loop's total can exceed -m.
    message = failed(
        httpcore("-L", "--max-redirs", "100000", "-m", "1", web.url("/loop")), 28
    )
    assert message == "httpcore: operation timed out after 1.0 s (--max-time)"


def test_connect_timeout_bounds_the_tls_handshake(
    scripted: Callable[[Script], Scripted],
) -> None:
    # A server that accepts and never answers the ClientHello: connecting
    # takes the handshake too.
    server = scripted(stall)
    url = server.url().replace("http:", "https:")
    started = time.monotonic()
    result = httpcore("--timeout", "30", "--connect-timeout", "0.5", url)
    assert time.monotonic() - started < 15
    message = failed(result, 28)
    assert message.startswith(
        f"httpcore: timed out connecting to 127.0.0.1:{server.port}: "
    )
    assert message.endswith("connect timed out (0.5 s)")


@pytest.mark.parametrize(
    ("raw", "status", "message"),
    [
        (b"", 52, "closed the connection without a response"),
        (b"SSH-2.0-OpenSSH_9.6\r\n\r\n", 8, "invalid response from 127.0.0.1:"),
        (
            b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nshort",
            18,
            "ended early: 95 more expected",
        ),
        # A chunk cut short is a partial body, as in curl ...
        (
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nshort",
            18,
            "ended early: the connection closed",
        ),
        # ... a malformed one a receive error (curl 7.88: "Illegal or missing
        # hexadecimal sequence in chunked-encoding", status 56).
        (
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
            56,
            "invalid chunked encoding from 127.0.0.1:PORT: chunk-size line b'zz",
        ),
        (
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
            + b"1" * 17
            + b"\r\n",
            56,
            "is not 1 to 16 hex digits",
        ),
        (
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nshortXX",
            56,
            "chunk data is followed by b'XX' instead of CRLF",
        ),
    ],
    ids=["empty", "garbage", "truncated", "cut-chunk", "bad-chunk", "long", "no-crlf"],
)
def test_protocol_errors(
    scripted: Callable[[Script], Scripted], raw: bytes, status: int, message: str
) -> None:
    server = scripted(answer(raw))
    result = httpcore("--timeout", "10", server.url())
    assert result.returncode == status, result.stderr
    assert b"Traceback" not in result.stderr
    # A truncated body was written as far as it went.
    assert result.stdout == (b"short" if b"short" in raw else b"")
    (line,) = result.stderr.decode().splitlines()
    assert message.replace("PORT", str(server.port)) in line


def test_interrupt_exits_130(scripted: Callable[[Script], Scripted]) -> None:
    server = scripted(stall)
    with subprocess.Popen(
        [sys.executable, "-m", "httpcore_compat", server.url()],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    ) as process:
        assert server.accepted.wait(TIMEOUT)
        process.send_signal(signal.SIGINT)
        stdout, stderr = process.communicate(timeout=TIMEOUT)
    assert process.returncode == 130
    assert (stdout, stderr) == (b"", b"httpcore: interrupted\n")


def test_closed_stdout_is_quiet(web: Server) -> None:
    with subprocess.Popen(
        [sys.executable, "-m", "httpcore_compat", web.url(f"/bytes?size={8 * MiB}")],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    ) as process:
        assert process.stdout is not None
        assert process.stderr is not None
        assert process.stdout.read(10) == pattern(8 * MiB)[:10]
        process.stdout.close()
        stderr = process.stderr.read()
        process.wait(timeout=TIMEOUT)
    assert (process.returncode, stderr) == (23, b"")


@pytest.mark.parametrize("with_idna", [True, False], ids=["idna", "codec"])
def test_non_ascii_urls_are_encoded(web: Server, with_idna: bool) -> None:
    # The host in ASCII (RFC 5891), the path and query percent-encoded as
    # UTF-8: seen by the loopback server standing in for a proxy.
    wrapper = None if with_idna else WITHOUT_IDNA
    result = httpcore(
        "-x", f"127.0.0.1:{web.port}", "http://Bücher.test/request/ü?q=ä",
        wrapper=wrapper,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    lines = result.stdout.decode().splitlines()
    assert lines[0] == (
        "GET http://xn--bcher-kva.test/request/%C3%BC?q=%C3%A4 HTTP/1.1"
    )
    assert "Host: xn--bcher-kva.test" in lines
    # IDNA 2008 (the idna package, as curl's libidn2) keeps ß; IDNA 2003
    # (the codec) maps it to ss.
    lookup = httpcore("http://straße.test/", wrapper=WITHOUT_DNS)
    expected = "xn--strae-oqa.test"
    assert f"could not resolve host {expected}:" in failed(lookup, 6)


@pytest.mark.parametrize(
    ("args", "status", "message"),
    [
        (["http://a..b/"], 3, "invalid host name 'a..b'"),
        (["http://xn--ü/"], 3, "invalid host name 'xn--ü'"),
        (["http://127.0.0.1/a b"], 3, "a space or control character"),
        (["--data-binary", "@/no/such/file"], 26, "cannot read /no/such/file: "),
        (["-o", "/no/such/dir/out"], 23, "cannot write to /no/such/dir/out: "),
        (["ftp://127.0.0.1/"], 1, "unsupported protocol 'ftp'"),
        (["http://127.0.0.1:99999/"], 3, "invalid URL"),
        (["http:///path"], 3, "no host in URL"),
    ],
)
def test_local_errors(web: Server, args: list[str], status: int, message: str) -> None:
    extra = [] if any("://" in arg for arg in args) else [web.url("/hello")]
    assert message in failed(httpcore(*args, *extra), status)


# -- --retry and kept-alive connections ----------------------------------------

# Runs the client with time.sleep recording what it is asked for, on stderr,
# instead of waiting: the waits of --retry without real seconds.
WITH_FAKE_SLEEP = (
    "import sys, time\n"
    "time.sleep = lambda seconds: print(f'slept {seconds}', file=sys.stderr)\n"
    "from httpcore_compat._cli import main\n"
    "sys.exit(main(sys.argv[1:]))\n"
)


def reply(status: str, body: bytes = b"", *fields: str) -> bytes:
    """A keep-alive response."""
    head = [f"HTTP/1.1 {status}", *fields, f"Content-Length: {len(body)}"]
    return ("\r\n".join(head) + "\r\n\r\n").encode() + body


def receive_request(sock: socket.socket) -> bytes:
    """One request, its Content-Length body included; b"" when the client
    closed the connection instead."""
    data = b""
    while b"\r\n\r\n" not in data:
        piece = sock.recv(65536)
        if not piece:
            return b""
        data += piece
    head, _, body = data.partition(b"\r\n\r\n")
    fields = dict(
        (name.strip().lower(), value.strip())
        for name, _, value in (line.partition(b":") for line in head.split(b"\r\n"))
    )
    if fields.get(b"transfer-encoding") == b"chunked":
        # The tests' chunked bodies have no trailer fields.
        while not body.endswith(b"0\r\n\r\n"):
            body += sock.recv(65536)
    else:
        while len(body) < int(fields.get(b"content-length", b"0")):
            body += sock.recv(65536)
    return head + b"\r\n\r\n" + body


def in_turn(
    answers: list[bytes | None],
    seen: list[tuple[int, bytes]],
    *,
    hang_up_after: int = 0,
) -> Script:
    """Answers the requests, on whatever connection they come, with
    ``answers`` in turn; ``None`` closes the connection without answering,
    and the connection is closed after answer number ``hang_up_after``.
    Each request is recorded in ``seen`` with the number of its connection."""
    connections = iter(range(1, 1000))

    def script(sock: socket.socket, release: threading.Event) -> None:
        number = next(connections)
        while answers and (request := receive_request(sock)):
            seen.append((number, request))
            answer = answers.pop(0)
            if answer is None:
                return
            sock.sendall(answer)
            if len(seen) == hang_up_after:
                return

    return script


@pytest.mark.parametrize("status", [408, 429, 500, 502, 503, 504])
def test_retry_transient_statuses(
    scripted: Callable[[Script], Scripted], status: int
) -> None:
    seen: list[tuple[int, bytes]] = []
    failing = reply(f"{status} Busy", b"busy\n")
    server = scripted(in_turn([failing, failing, reply("200 OK", b"done\n")], seen))
    result = httpcore("--retry", "2", "--retry-delay", "0.01", server.url())
    # As curl: the body of each answer is written.
    assert (result.returncode, result.stdout) == (0, b"busy\nbusy\ndone\n")
    assert result.stderr.decode().splitlines() == [
        "Warning: Problem : HTTP error. Will retry in 0.01 seconds. 2 retries left.",
        "Warning: Problem : HTTP error. Will retry in 0.01 seconds. 1 retries left.",
    ]
    # The same kept-alive connection, three times.
    assert [number for number, _ in seen] == [1, 1, 1]


def test_retry_with_fail_reports_each_failure(
    scripted: Callable[[Script], Scripted],
) -> None:
    seen: list[tuple[int, bytes]] = []
    failing = reply("503 Service Unavailable", b"busy\n")
    server = scripted(in_turn([failing, failing], seen))
    result = httpcore(
        "-f", "--retry", "1", "--retry-delay", "0.01", server.url(), wrapper=None
    )
    assert (result.returncode, result.stdout) == (22, b"")
    failure = f"httpcore: {server.url()} answered 503 Service Unavailable"
    assert result.stderr.decode().splitlines() == [
        failure,
        "Warning: Problem : HTTP error. Will retry in 0.01 seconds. 1 retries left.",
        failure,
    ]
    assert len(seen) == 2


@pytest.mark.parametrize(
    ("answer", "args"),
    [
        (reply("404 Not Found"), []),
        (reply("501 Not Implemented"), ["-f"]),
        (reply("200 OK"), []),
    ],
)
def test_retry_leaves_other_statuses_alone(
    scripted: Callable[[Script], Scripted], answer: bytes, args: list[str]
) -> None:
    seen: list[tuple[int, bytes]] = []
    server = scripted(in_turn([answer, answer], seen))
    result = httpcore(*args, "--retry", "3", "--retry-delay", "0.01", server.url())
    assert b"Warning" not in result.stderr
    assert len(seen) == 1


def test_retry_waits_as_curl(scripted: Callable[[Script], Scripted]) -> None:
    seen: list[tuple[int, bytes]] = []
    busy = reply("503 Service Unavailable")
    answers: list[bytes | None] = [
        busy,
        busy,
        reply("429 Too Many Requests", b"", "Retry-After: 7"),
        reply("503 Service Unavailable", b"", "Retry-After: 1"),
        reply("200 OK", b"done\n"),
    ]
    server = scripted(in_turn(answers, seen))
    result = httpcore("--retry", "5", server.url(), wrapper=WITH_FAKE_SLEEP)
    assert (result.returncode, result.stdout) == (0, b"done\n")
    # 1 s doubling; Retry-After when it is longer than the wait.
    assert result.stderr.decode().splitlines() == [
        "Warning: Problem : HTTP error. Will retry in 1 seconds. 5 retries left.",
        "slept 1.0",
        "Warning: Problem : HTTP error. Will retry in 2 seconds. 4 retries left.",
        "slept 2.0",
        "Warning: Problem : HTTP error. Will retry in 7 seconds. 3 retries left.",
        "slept 7.0",
        "Warning: Problem : HTTP error. Will retry in 8 seconds. 2 retries left.",
        "slept 8.0",
    ]


def test_retry_after_beyond_retry_max_time_stops(
    scripted: Callable[[Script], Scripted],
) -> None:
    seen: list[tuple[int, bytes]] = []
    busy = reply("503 Service Unavailable", b"busy\n", "Retry-After: 30")
    server = scripted(in_turn([busy, busy], seen))
    result = httpcore(
        "--retry", "3", "--retry-max-time", "10", server.url(), wrapper=WITH_FAKE_SLEEP
    )
    assert (result.returncode, result.stdout) == (0, b"busy\n")
    assert result.stderr.decode().splitlines() == [
        "Warning: The Retry-After: time would make this command line exceed the "
        "maximum allowed time for retries."
    ]
    assert len(seen) == 1


def test_retry_max_time_bounds_the_retries(
    scripted: Callable[[Script], Scripted],
) -> None:
    seen: list[tuple[int, bytes]] = []
    busy = reply("503 Service Unavailable")
    server = scripted(in_turn([busy] * 5, seen))
    # The second attempt starts 0.5 s in, past --retry-max-time: no third.
    result = httpcore(
        "--retry", "4", "--retry-delay", "0.5", "--retry-max-time", "0.2",
        server.url(),
    )  # fmt: skip
    assert result.returncode == 0
    assert len(seen) == 2
    assert result.stderr.count(b"Warning: Problem") == 1


def test_retry_timeouts_and_refused_connections(
    scripted: Callable[[Script], Scripted],
) -> None:
    seen: list[tuple[int, bytes]] = []
    # The first request is never answered: the client times out, and closes
    # the connection when it sends the retry on a new one.
    server = scripted(in_turn([b"", reply("200 OK", b"late\n")], seen))
    result = httpcore(
        "--timeout", "0.3", "--retry", "1", "--retry-delay", "0.01", server.url()
    )
    assert (result.returncode, result.stdout) == (0, b"late\n"), result.stderr
    assert result.stderr.decode().splitlines()[1:] == [
        "Warning: Problem : timeout. Will retry in 0.01 seconds. 1 retries left."
    ]
    assert [number for number, _ in seen] == [1, 2]
    url = f"http://127.0.0.1:{refused_port()}/"
    refused = (
        f"httpcore: failed connecting to 127.0.0.1:{url[17:-1]}: Connection refused"
    )
    # As curl 7.88: a refused connection is retried with --retry-connrefused only.
    plain = httpcore("--retry", "2", "--retry-delay", "0.01", url)
    assert (plain.returncode, plain.stderr.decode().splitlines()) == (7, [refused])
    again = httpcore("--retry", "1", "--retry-connrefused", "--retry-delay", "0", url,
                     wrapper=WITH_FAKE_SLEEP)  # fmt: skip
    assert (again.returncode, again.stderr.decode().splitlines()) == (
        7,
        [
            refused,
            "Warning: Problem : connection refused. Will retry in 1 seconds. "
            "1 retries left.",
            "slept 1.0",
            refused,
        ],
    )


def test_retry_never_resends_a_body_from_a_pipe(
    scripted: Callable[[Script], Scripted], tmp_path: Path
) -> None:
    seen: list[tuple[int, bytes]] = []
    busy = reply("503 Service Unavailable")
    server = scripted(in_turn([busy, busy, reply("200 OK", b"ok\n")], seen))
    piped = httpcore(
        "--retry", "2", "--retry-delay", "0.01", "-d", "@-", server.url(), stdin=b"x"
    )
    assert piped.returncode == 0
    assert piped.stderr.decode().splitlines() == [
        "Warning: Problem: the request body cannot be sent again: no retry."
    ]
    assert len(seen) == 1
    # A file is sent again, whole.
    (tmp_path / "body").write_bytes(b"from a file")
    filed = httpcore(
        "--retry", "2", "--retry-delay", "0.01", "-d", f"@{tmp_path / 'body'}",
        server.url(),
    )  # fmt: skip
    assert (filed.returncode, filed.stdout) == (0, b"ok\n")
    assert [request.endswith(b"\r\n\r\nfrom a file") for _, request in seen] == [
        False,
        True,
        True,
    ]


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
def test_a_request_lost_on_a_kept_alive_connection_is_sent_again(
    scripted: Callable[[Script], Scripted], method: str
) -> None:
    seen: list[tuple[int, bytes]] = []
    moved = reply("307 Temporary Redirect", b"", "Location: /next")
    # The server closes the kept-alive connection as the second request
    # arrives, unanswered: the client could not have seen it coming.
    server = scripted(in_turn([moved, None, reply("200 OK", b"fresh\n")], seen))
    result = httpcore("-L", "-v", "-X", method, server.url())
    assert (result.returncode, result.stdout) == (0, b"fresh\n"), result.stderr
    assert [number for number, _ in seen] == [1, 1, 2]
    assert seen[1][1] == seen[2][1]
    assert seen[2][1].startswith(f"{method} /next HTTP/1.1\r\n".encode())
    assert b"* the server closed the kept-alive connection: sending again" in (
        result.stderr
    )


def test_a_lost_post_is_not_sent_again(scripted: Callable[[Script], Scripted]) -> None:
    seen: list[tuple[int, bytes]] = []
    moved = reply("307 Temporary Redirect", b"", "Location: /next")
    server = scripted(in_turn([moved, None, reply("200 OK")], seen))
    message = failed(httpcore("-L", "-d", "x", server.url()), 52)
    assert message == (
        f"httpcore: 127.0.0.1:{server.port} closed the connection without a response"
    )
    assert [number for number, _ in seen] == [1, 1]


def test_a_connection_closed_while_idle_is_reopened(
    scripted: Callable[[Script], Scripted],
) -> None:
    seen: list[tuple[int, bytes]] = []
    moved = reply("307 Temporary Redirect", b"", "Location: /next")
    # The server closes the connection once it has answered: the next
    # request goes out on a new connection (httpcore_client sees the close
    # before sending, or the command sends it again when the close crosses
    # the request).
    answers: list[bytes | None] = [moved, reply("200 OK", b"fresh\n")]
    server = scripted(in_turn(answers, seen, hang_up_after=1))
    result = httpcore("-L", server.url())
    assert (result.returncode, result.stdout) == (0, b"fresh\n"), result.stderr
    assert [number for number, _ in seen] == [1, 2]
    assert seen[1][1].startswith(b"GET /next HTTP/1.1\r\n")


# -- several URLs ---------------------------------------------------------------


def test_several_urls_share_a_connection_and_stdout(
    scripted: Callable[[Script], Scripted],
) -> None:
    seen: list[tuple[int, bytes]] = []
    answers: list[bytes | None] = [reply("200 OK", b"one\n"), reply("200 OK", b"two\n")]
    server = scripted(in_turn(answers, seen))
    result = httpcore(server.url("/a"), "-w", "%{url_effective}\n", server.url("/b"))
    assert result.returncode == 0, result.stderr
    # In order, each followed by its -w.
    assert result.stdout == (
        f"one\n{server.url('/a')}\ntwo\n{server.url('/b')}\n".encode()
    )
    assert [(number, request.split(b" ")[1]) for number, request in seen] == [
        (1, b"/a"),
        (1, b"/b"),
    ]


def test_outputs_pair_with_the_urls_in_order(web: Server, tmp_path: Path) -> None:
    result = httpcore(
        "-o", "first", "-O", web.url("/hello"), web.url("/bytes?size=5"),
        web.url("/echo"), "-d", "third", cwd=tmp_path,
    )  # fmt: skip
    # The third URL has no output option: stdout.
    assert (result.returncode, result.stdout, result.stderr) == (0, b"third", b"")
    assert (tmp_path / "first").read_bytes() == b"hello\n"
    assert (tmp_path / "bytes").read_bytes() == pattern(5)
    extra = httpcore("-o", "a", "-o", "b", web.url("/hello"), cwd=tmp_path)
    assert extra.stderr == b"httpcore: warning: Got more output options than URLs\n"
    assert (tmp_path / "a").read_bytes() == b"hello\n"


def test_upload_goes_to_the_first_url_only(web: Server, tmp_path: Path) -> None:
    (tmp_path / "up.txt").write_bytes(b"up")
    result = httpcore(
        "-T", tmp_path / "up.txt", "-i", web.url("/echo/"), web.url("/echo/")
    )
    first, second = result.stdout.split(b"HTTP/1.1 200 OK\r\n")[1:]
    assert b"X-Method: PUT\r\n" in first
    assert b"X-Target: /echo/up.txt\r\n" in first
    assert first.endswith(b"\r\n\r\nup")
    assert b"X-Method: GET\r\n" in second


def test_the_exit_status_is_the_last_urls(web: Server) -> None:
    refused = f"http://127.0.0.1:{refused_port()}/"
    first_fails = httpcore(refused, web.url("/hello"))
    assert (first_fails.returncode, first_fails.stdout) == (0, b"hello\n")
    assert first_fails.stderr.startswith(b"httpcore: failed connecting to ")
    last_fails = httpcore(web.url("/hello"), refused)
    assert (last_fails.returncode, last_fails.stdout) == (7, b"hello\n")
    both = httpcore("-f", web.url("/status/404"), refused)
    assert both.returncode == 7
    assert len(both.stderr.splitlines()) == 2


# -- TLS ----------------------------------------------------------------------


def test_https_with_cacert(tls_web: TlsServer) -> None:
    result = httpcore("--cacert", tls_web.ca_file, "-v", tls_web.server.url("/hello"))
    assert (result.returncode, result.stdout) == (0, b"hello\n")
    assert b"* TLS: TLSv1." in result.stderr


@pytest.mark.parametrize("trust", ["system", "other CA"])
def test_https_untrusted_certificate(tls_web: TlsServer, trust: str) -> None:
    args: list[str | Path] = []
    if trust == "other CA":
        args = ["--cacert", tls_web.other_ca_file]
    message = failed(httpcore(*args, tls_web.server.url("/hello")), 60)
    assert message.startswith(
        f"httpcore: TLS certificate verification failed for 127.0.0.1:"
        f"{tls_web.server.port}: "
    )
    assert "unable to get local issuer certificate" in message


def test_https_insecure(tls_web: TlsServer) -> None:
    result = httpcore("-k", tls_web.server.url("/bytes?size=100000"))
    assert (result.returncode, result.stdout) == (0, pattern(100000))


def test_bad_cacert_file(tls_web: TlsServer, tmp_path: Path) -> None:
    (tmp_path / "bad.pem").write_text("not a certificate")
    for path in (tmp_path / "bad.pem", tmp_path / "missing.pem"):
        message = failed(httpcore("--cacert", path, tls_web.server.url("/")), 77)
        assert message.startswith(f"httpcore: cannot load CA certificates {path}: ")


def test_tls_to_a_plain_server(web: Server) -> None:
    url = web.url("/hello").replace("http:", "https:")
    message = failed(httpcore("-k", url), 35)
    assert message.startswith(
        f"httpcore: TLS handshake with 127.0.0.1:{web.port} failed"
    )


# -- the progress bar ---------------------------------------------------------


def test_progress_bar_forced_on_for_download_and_upload(
    web: Server, tmp_path: Path
) -> None:
    size = 5 * MiB
    result = httpcore("-#", web.url(f"/bytes?size={size}"))
    assert sha(result.stdout) == sha(pattern(size))
    stderr = result.stderr.decode()
    assert "download: 100%" in stderr
    assert "5.00M/5.00M" in stderr
    (tmp_path / "up.bin").write_bytes(pattern(size))
    result = httpcore(
        "--progress-bar", "-d", f"@{tmp_path / 'up.bin'}", web.url("/echo")
    )
    assert sha(result.stdout) == sha(pattern(size))
    assert "upload: 100%" in result.stderr.decode()


def test_no_progress_bar_when_stderr_is_not_a_terminal(web: Server) -> None:
    # Big enough for a bar on a terminal; none on a pipe, and no hint either.
    for query in (f"/bytes?size={5 * MiB}", f"/bytes?size={5 * MiB}&chunked=1"):
        for wrapper in (None, WITHOUT_TQDM):
            result = httpcore(web.url(query), wrapper=wrapper)
            assert (result.returncode, result.stderr) == (0, b"")
            assert len(result.stdout) == 5 * MiB


def test_hint_once_without_tqdm(web: Server, tmp_path: Path) -> None:
    (tmp_path / "up.bin").write_bytes(b"x" * 1000)
    result = httpcore(
        "-#", "-d", f"@{tmp_path / 'up.bin'}", web.url("/echo"), wrapper=WITHOUT_TQDM
    )
    assert (result.returncode, result.stdout) == (0, b"x" * 1000)
    # Both the upload and the download wanted a bar: one hint.
    assert result.stderr.decode() == HINT + "\n"
    assert "pip install 'httpcore-compat[cli]'" in HINT


def test_silent_turns_the_bar_off(web: Server) -> None:
    result = httpcore(
        "-s", "-#", web.url(f"/bytes?size={5 * MiB}"), wrapper=WITHOUT_TQDM
    )
    assert (result.returncode, result.stderr) == (0, b"")


@pytest.mark.parametrize(("size", "bar"), [(5 * MiB, True), (1000, False)])
def test_progress_bar_on_a_terminal(
    web: Server, tmp_path: Path, size: int, bar: bool
) -> None:
    # stderr a terminal: a bar for a big transfer, none for a small one.
    controller, terminal = pty.openpty()
    # A new pseudo-terminal is 0 columns wide: give it a real terminal's size.
    fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    received: list[bytes] = []

    def drain() -> None:
        # EIO once the terminal's last holder (the command) has closed it.
        with contextlib.suppress(OSError):
            while data := os.read(controller, 65536):
                received.append(data)

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    try:
        process = subprocess.run(
            [sys.executable, "-m", "httpcore_compat", "-o", str(tmp_path / "out"),
             web.url(f"/bytes?size={size}")],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=terminal,
            timeout=TIMEOUT,
            check=False,
        )  # fmt: skip
    finally:
        os.close(terminal)
        reader.join(TIMEOUT)
        os.close(controller)
    assert process.returncode == 0
    assert (tmp_path / "out").read_bytes() == pattern(size)
    assert ("download: 100%" in b"".join(received).decode()) is bar


# -- proxies ------------------------------------------------------------------
# The loopback server stands in for a forwarding proxy: it answers an
# absolute-form request as it answers the path, and /request shows the
# request line it got.  Host names under .test never resolve.


def test_proxy_gets_http_urls_in_absolute_form(web: Server) -> None:
    proxy = f"127.0.0.1:{web.port}"
    result = httpcore("-x", proxy, "http://origin.test:8080/request?q=1")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.decode().splitlines()
    assert lines[0] == "GET http://origin.test:8080/request?q=1 HTTP/1.1"
    assert "Host: origin.test:8080" in lines
    assert not any(line.startswith("Proxy-Authorization") for line in lines)


@pytest.mark.parametrize(
    ("args", "credentials"),
    [
        (["-x", "http://me:s%3Acret@127.0.0.1:PORT"], b"me:s:cret"),
        (["-x", "http://me:pw@127.0.0.1:PORT", "--proxy-user", "you:x"], b"you:x"),
        (["-x", "127.0.0.1:PORT", "-U", "you:x"], b"you:x"),
    ],
)
def test_proxy_credentials_on_absolute_form_requests(
    web: Server, args: list[str], credentials: bytes
) -> None:
    args = [arg.replace("PORT", str(web.port)) for arg in args]
    result = httpcore(*args, "-u", "origin:pw", "http://origin.test/request")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.decode().splitlines()
    expected = base64.b64encode(credentials).decode()
    assert f"Proxy-Authorization: Basic {expected}" in lines
    assert f"Authorization: Basic {base64.b64encode(b'origin:pw').decode()}" in lines


def connect_proxy(seen: list[bytes]) -> Script:
    """A CONNECT proxy and origin in one: records the CONNECT head and the
    request that follows it in the tunnel, answers that request with it."""

    def script(sock: socket.socket, release: threading.Event) -> None:
        head = b""
        while b"\r\n\r\n" not in head and (piece := sock.recv(65536)):
            head += piece
        seen.append(head)
        sock.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
        request = b""
        while b"\r\n\r\n" not in request and (piece := sock.recv(65536)):
            request += piece
        seen.append(request)
        sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")

    return script


def test_proxytunnel_sends_connect_with_the_credentials(
    scripted: Callable[[Script], Scripted],
) -> None:
    seen: list[bytes] = []
    server = scripted(connect_proxy(seen))
    result = httpcore(
        "-p", "-x", f"http://me:pw@127.0.0.1:{server.port}", "http://origin.test/x"
    )
    assert (result.returncode, result.stdout) == (0, b"ok"), result.stderr
    connect, request = seen
    assert connect.startswith(b"CONNECT origin.test:80 HTTP/1.1\r\n")
    assert b"Proxy-Authorization: Basic " + base64.b64encode(b"me:pw") in connect
    assert request.startswith(b"GET /x HTTP/1.1\r\n")
    assert b"Proxy-Authorization" not in request


@pytest.mark.parametrize(
    ("env", "args", "proxied"),
    [
        ({"http_proxy": "http://127.0.0.1:PORT"}, [], True),
        ({"all_proxy": "127.0.0.1:PORT"}, [], True),
        ({"ALL_PROXY": "127.0.0.1:PORT"}, [], True),
        # curl ignores HTTP_PROXY in upper case (CVE-2016-5385).
        ({"HTTP_PROXY": "http://127.0.0.1:PORT"}, [], False),
        # https_proxy is for https:// URLs only.
        ({"https_proxy": "http://127.0.0.1:PORT"}, [], False),
        ({"http_proxy": "127.0.0.1:PORT", "no_proxy": "example.org,.test"}, [], False),
        ({"http_proxy": "127.0.0.1:PORT", "NO_PROXY": "origin.test"}, [], False),
        ({"http_proxy": "127.0.0.1:PORT", "no_proxy": "*"}, [], False),
        ({"http_proxy": "127.0.0.1:PORT"}, ["--noproxy", "origin.test"], False),
        ({"http_proxy": "127.0.0.1:PORT", "no_proxy": "*"}, ["--noproxy", ""], True),
        ({}, ["-x", "127.0.0.1:PORT", "--noproxy", "*"], False),
        ({"http_proxy": "127.0.0.1:PORT"}, ["-x", ""], False),
    ],
)
def test_proxies_from_the_environment(
    web: Server, env: dict[str, str], args: list[str], proxied: bool
) -> None:
    port = str(web.port)
    env = {name: value.replace("PORT", port) for name, value in env.items()}
    args = [arg.replace("PORT", port) for arg in args]
    result = httpcore(*args, "http://origin.test/request", env=env, wrapper=WITHOUT_DNS)
    if proxied:
        assert result.returncode == 0, result.stderr
        assert result.stdout.startswith(b"GET http://origin.test/request HTTP/1.1")
    else:
        # Direct: the name does not resolve.
        assert failed(result, 6).startswith("httpcore: could not resolve host")


def test_proxy_errors() -> None:
    port = refused_port()
    message = failed(httpcore("-x", f"127.0.0.1:{port}", "http://origin.test/"), 7)
    assert message == (
        f"httpcore: failed connecting to proxy 127.0.0.1:{port}: Connection refused"
    )
    failed(httpcore("-x", "socks5://127.0.0.1:1", "http://origin.test/"), 1)
    failed(httpcore("-x", "http://127.0.0.1:1/path", "http://origin.test/"), 3)
