"""Real libraries on top of httpcore_compat.install(): urllib3 and requests.

Each scenario runs in a fresh interpreter, because install() must come
before urllib3 is imported (urllib3 subclasses http.client's classes at
import time). The server is the example chunked server on loopback, so
bodies are both Content-Length and chunked; urllib3 reads chunked bodies by
driving ``response.fp`` and ``_safe_read`` itself, which this exercises.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

pytest.importorskip(
    "urllib3", reason="the 'libraries' dependency group is not installed"
)
pytest.importorskip(
    "requests", reason="the 'libraries' dependency group is not installed"
)


PRELUDE = """
import hashlib, sys
import httpcore_compat
httpcore_compat.install()
import http.client, urllib3, requests
assert http.client is httpcore_compat
assert issubclass(urllib3.connection.HTTPConnection, httpcore_compat.HTTPConnection)
PATTERN = bytes(range(256))
def pattern(chunks, size):
    return (PATTERN * (size // 256 + 1))[:size] * chunks
base = f"http://127.0.0.1:{PORT}"
"""

SCENARIOS = {
    "requests keep-alive chunked downloads": """
session = requests.Session()
for _ in range(3):
    response = session.get(base + "/stream?chunks=200&size=1000")
    assert response.status_code == 200
    assert response.content == pattern(200, 1000)
""",
    "requests streaming with iter_content": """
response = requests.get(base + "/stream?chunks=64&size=16384", stream=True)
assert b"".join(response.iter_content(777)) == pattern(64, 16384)
""",
    "requests chunked upload from a generator": """
response = requests.post(base + "/echo", data=iter([b"abc"] * 1000))
assert response.content == b"abc" * 1000
""",
    "urllib3 read_chunked reuses one connection": """
pool = urllib3.HTTPConnectionPool("127.0.0.1", PORT, maxsize=1)
for _ in range(3):
    response = pool.request("GET", "/stream?chunks=50&size=3000", preload_content=False)
    assert b"".join(response.read_chunked()) == pattern(50, 3000)
    response.release_conn()
assert pool.num_connections == 1, pool.num_connections
""",
    "urllib3 preload and stream": """
pool = urllib3.PoolManager()
response = pool.request("GET", base + "/stream?chunks=10&size=100")
assert response.data == pattern(10, 100)
response = pool.request("POST", base + "/echo", body=b"x" * 70000)
assert response.data == b"x" * 70000
""",
}


def _runs(script: str) -> None:
    """Run ``script`` in a fresh interpreter; it must get to its end."""
    done = subprocess.run(
        [sys.executable, "-c", script + "\nprint('ok')"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().endswith("ok")


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_library_on_httpcore(chunked_server: int, name: str) -> None:
    _runs(f"PORT = {chunked_server}\n" + PRELUDE + textwrap.dedent(SCENARIOS[name]))


# botocore on httpcore: its AWSHTTPConnection (a urllib3 connection, so an
# httpcore_compat.HTTPConnection) overrides _send_request, _send_output and
# send, and reads the 100 Continue of a PutObject through response_class and
# _read_status itself. The server is http.server playing a minimal S3.
BOTOCORE = """
import hashlib, threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
import httpcore_compat
httpcore_compat.install()
import botocore.awsrequest, botocore.session
from botocore.config import Config
assert issubclass(botocore.awsrequest.AWSHTTPConnection, httpcore_compat.HTTPConnection)

LISTING = (
    b'<?xml version="1.0" encoding="UTF-8"?><ListAllMyBucketsResult '
    b'xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Owner><ID>x</ID></Owner>'
    b'<Buckets><Bucket><Name>demo</Name><CreationDate>2026-01-01T00:00:00.000Z'
    b'</CreationDate></Bucket></Buckets></ListAllMyBucketsResult>'
)
objects, seen, ports = {}, [], set()

class S3(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def log_message(self, *args):
        pass
    def reply(self, body=b"", etag=None):
        self.send_response(200)
        if etag is not None:
            self.send_header("ETag", '"%s"' % hashlib.md5(body).hexdigest())
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def do_GET(self):
        seen.append(("GET", self.path, self.headers.get("Expect")))
        ports.add(self.client_address[1])
        self.reply(LISTING if self.path == "/" else objects[self.path], etag=True)
    def do_PUT(self):
        seen.append(("PUT", self.path, self.headers.get("Expect")))
        ports.add(self.client_address[1])
        objects[self.path] = self.rfile.read(int(self.headers["Content-Length"]))
        self.send_response(200)
        self.send_header("ETag", '"%s"' % hashlib.md5(objects[self.path]).hexdigest())
        self.send_header("Content-Length", "0")
        self.end_headers()

server = ThreadingHTTPServer(("127.0.0.1", 0), S3)
threading.Thread(target=server.serve_forever, daemon=True).start()
client = botocore.session.get_session().create_client(
    "s3",
    region_name="us-east-1",
    endpoint_url=f"http://127.0.0.1:{server.server_address[1]}",
    aws_access_key_id="key",
    aws_secret_access_key="secret",
    config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1}),
)
assert [b["Name"] for b in client.list_buckets()["Buckets"]] == ["demo"]
data = bytes(range(256)) * 8192  # 2 MiB: botocore asks for 100 Continue
put = client.put_object(Bucket="demo", Key="k", Body=data)
assert put["ETag"] == '"%s"' % hashlib.md5(data).hexdigest()
assert client.get_object(Bucket="demo", Key="k")["Body"].read() == data
assert seen == [
    ("GET", "/", None),
    ("PUT", "/demo/k", "100-continue"),
    ("GET", "/demo/k", None),
], seen
assert len(ports) == 1, ports  # one pooled connection for all three
server.shutdown()
"""


def test_botocore_on_httpcore() -> None:
    pytest.importorskip(
        "botocore", reason="the 'libraries' dependency group is not installed"
    )
    _runs(BOTOCORE)
