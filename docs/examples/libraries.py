"""httpcore_compat.install() under the libraries that use http.client.

Starts the documentation's local server (``local_server.py``) and an XML-RPC
server on 127.0.0.1, puts httpcore_compat in place of http.client, then
fetches with urllib.request, xmlrpc.client, urllib3 and requests, checking
that each ran on httpcore. Needs urllib3 and requests
(``pip install urllib3 requests``). Exits 0 when every check passed.

Run it with ``python docs/examples/libraries.py``.
"""

from __future__ import annotations

import sys
import threading
import urllib.request
import xmlrpc.client
import xmlrpc.server

import local_server

import httpcore_compat


def with_urllib_request(base: str) -> None:
    # urllib.request looks http.client.HTTPConnection up at each request, so
    # it may be imported before install().
    with urllib.request.urlopen(f"{base}/hello", timeout=10) as response:
        assert isinstance(response, httpcore_compat.HTTPResponse)
        assert response.read() == b"hello, world\n"


def with_xmlrpc(url: str) -> None:
    with xmlrpc.client.ServerProxy(url) as proxy:
        assert proxy.pow(2, 10) == 1024


def with_urllib3(base: str) -> None:
    # urllib3 subclasses http.client's classes when it is imported: after
    # install() only.
    import urllib3

    assert issubclass(urllib3.connection.HTTPConnection, httpcore_compat.HTTPConnection)
    with urllib3.PoolManager() as pool:
        response = pool.request("GET", f"{base}/chunked")
        assert response.data == b"hello, world\n"


def with_requests(base: str) -> None:
    import requests

    with requests.Session() as session:
        response = session.post(f"{base}/echo", json={"a": 1}, timeout=10)
        assert response.json() == {"a": 1}
        assert session.get(f"{base}/hello", timeout=10).text == "hello, world\n"


def start_xmlrpc() -> tuple[xmlrpc.server.SimpleXMLRPCServer, str]:
    server = xmlrpc.server.SimpleXMLRPCServer(("127.0.0.1", 0), logRequests=False)
    server.register_function(lambda base, exponent: base**exponent, "pow")
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def main() -> int:
    httpcore_compat.install()
    import http.client

    assert http.client is httpcore_compat
    assert httpcore_compat.installed()

    server, port = local_server.start()
    rpc, rpc_url = start_xmlrpc()
    base = f"http://127.0.0.1:{port}"
    try:
        with_urllib_request(base)
        with_xmlrpc(rpc_url)
        with_urllib3(base)
        with_requests(base)
    finally:
        for running in (server, rpc):
            running.shutdown()
            running.server_close()

    httpcore_compat.uninstall()
    import http.client

    assert http.client is not httpcore_compat
    print("urllib.request, xmlrpc.client, urllib3 and requests ran on httpcore")
    return 0


if __name__ == "__main__":
    sys.exit(main())
