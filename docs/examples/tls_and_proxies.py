"""HTTPS, client certificates and CONNECT tunnels, all on loopback.

Makes certificate authorities with trustme (``pip install trustme``), starts
the documentation's local server behind TLS and a small CONNECT proxy that
wants a ``Proxy-Authorization`` field (in the clear, and as an HTTPS proxy
with its own CA), then connects to them the ways the
"TLS and proxies" guide describes. Exits 0 when every check passed.

Run it with ``python docs/examples/tls_and_proxies.py``.
"""

from __future__ import annotations

import base64
import http.server
import socket
import ssl
import sys
import threading

import local_server
import trustme

import httpcore_compat as client
import httpcore_headers

CREDENTIALS = "Basic " + base64.b64encode(b"user:secret").decode("ascii")


# -- the servers --------------------------------------------------------------


def start_https(
    ca: trustme.CA, *, client_ca: trustme.CA | None = None
) -> tuple[http.server.ThreadingHTTPServer, int]:
    """The local server behind TLS, with a certificate for ``localhost`` and
    ``127.0.0.1``; with ``client_ca``, clients need a certificate from it."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ca.issue_cert("localhost", "127.0.0.1").configure_cert(context)
    context.set_alpn_protocols(["http/1.1"])
    if client_ca is not None:
        context.verify_mode = ssl.CERT_REQUIRED
        client_ca.configure_trust(context)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), local_server.Handler)
    server.daemon_threads = True
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, server.server_address[1]


def start_proxy(tls: ssl.SSLContext | None = None) -> socket.socket:
    """A CONNECT-only proxy on 127.0.0.1 that wants ``CREDENTIALS``; with
    ``tls``, an HTTPS proxy: clients speak TLS to it first."""
    listener = socket.create_server(("127.0.0.1", 0))

    def accept() -> None:
        while True:
            try:
                sock, _ = listener.accept()
            except OSError:
                return
            threading.Thread(target=serve, args=(sock,), daemon=True).start()

    def serve(sock: socket.socket) -> None:
        if tls is not None:
            sock.settimeout(10)
            try:
                sock = tls.wrap_socket(sock, server_side=True)
            except OSError:
                sock.close()  # a client that does not trust us
                return
        tunnel(sock)

    threading.Thread(target=accept, daemon=True).start()
    return listener


def tunnel(sock: socket.socket) -> None:
    """Answer one CONNECT request, then relay bytes both ways."""
    with sock:
        scanner = httpcore_headers.HeaderBlockScanner()
        end = -1
        while end < 0:
            data = sock.recv(65536)
            if not data:
                return
            end = scanner.feed(data)
        request_line, _, block = bytes(scanner.data[:end]).partition(b"\r\n")
        method, target, _version = request_line.decode("ascii").split()
        fields = httpcore_headers.parse_header_block(block)
        if method != "CONNECT" or fields.get("Proxy-Authorization") != CREDENTIALS:
            sock.sendall(
                b"HTTP/1.1 407 Proxy Authentication Required\r\n"
                b'Proxy-Authenticate: Basic realm="example"\r\n'
                b"Content-Length: 0\r\n\r\n"
            )
            return
        host, _, port = target.rpartition(":")
        with socket.create_connection((host.strip("[]"), int(port)), 10) as upstream:
            sock.sendall(
                b"HTTP/1.1 200 Connection established\r\nVia: 1.1 example\r\n\r\n"
            )
            back = threading.Thread(target=relay, args=(upstream, sock), daemon=True)
            back.start()
            relay(sock, upstream)
            back.join(timeout=10)


def relay(source: socket.socket, target: socket.socket) -> None:
    """Copy bytes from ``source`` to ``target`` until ``source`` ends."""
    try:
        while data := source.recv(65536):
            target.sendall(data)
        target.shutdown(socket.SHUT_WR)
    except OSError:
        pass  # the other side went away: the tunnel is over


# -- the client side: what the guide shows -----------------------------------


def default_context_refuses(port: int) -> None:
    # The default context trusts the system's CAs only: this server's
    # certificate comes from a CA made a moment ago.
    connection = client.HTTPSConnection("localhost", port, timeout=10)
    try:
        connection.request("GET", "/hello")
    except ssl.SSLCertVerificationError as error:
        reason = error.verify_message
    else:
        raise AssertionError("an unknown CA was accepted")
    finally:
        connection.close()
    assert reason == "unable to get local issuer certificate"


def own_ca(port: int, ca: trustme.CA) -> None:
    context = ssl.create_default_context()
    ca.configure_trust(context)  # or cafile="ca.pem" above
    connection = client.HTTPSConnection("localhost", port, context=context, timeout=10)
    connection.request("GET", "/hello")
    assert connection.getresponse().read() == b"hello, world\n"
    assert connection.sock.server_hostname == "localhost"  # SNI
    connection.close()


def client_certificate(port: int, ca: trustme.CA, client_ca: trustme.CA) -> None:
    context = ssl.create_default_context()
    ca.configure_trust(context)
    # load_cert_chain("client.pem", "client.key") with files on disk.
    client_ca.issue_cert("client@example.org").configure_cert(context)
    connection = client.HTTPSConnection("localhost", port, context=context, timeout=10)
    connection.request("GET", "/hello")
    assert connection.getresponse().read() == b"hello, world\n"
    connection.close()


def http_through_tunnel(proxy_port: int, origin_port: int) -> None:
    connection = client.HTTPConnection("127.0.0.1", proxy_port, timeout=10)
    connection.set_tunnel(
        "127.0.0.1", origin_port, headers={"Proxy-Authorization": CREDENTIALS}
    )
    connection.request("GET", "/hello")
    assert connection.getresponse().read() == b"hello, world\n"
    proxy_fields = connection.get_proxy_response_headers()
    assert proxy_fields is not None
    assert proxy_fields["Via"] == "1.1 example"
    connection.close()


def https_through_tunnel(proxy_port: int, tls_port: int, ca: trustme.CA) -> None:
    context = ssl.create_default_context()
    ca.configure_trust(context)
    # Connect to the proxy in plain TCP, CONNECT, then TLS with the origin
    # (the certificate is checked against "localhost", the tunnel's host).
    connection = client.HTTPSConnection(
        "127.0.0.1", proxy_port, context=context, timeout=10
    )
    connection.set_tunnel(
        "localhost", tls_port, headers={"Proxy-Authorization": CREDENTIALS}
    )
    connection.request("GET", "/hello")
    assert connection.getresponse().read() == b"hello, world\n"
    assert connection.sock.server_hostname == "localhost"
    connection.close()


def https_through_https_proxy(
    proxy_port: int, tls_port: int, ca: trustme.CA, proxy_ca: trustme.CA
) -> None:
    origin_context = ssl.create_default_context()
    ca.configure_trust(origin_context)
    proxy_context = ssl.create_default_context()
    proxy_ca.configure_trust(proxy_context)  # the proxy's CA, not the origin's
    # TLS with the proxy (its certificate checked against "127.0.0.1", the
    # proxy's name), CONNECT inside it, then TLS with the origin inside the
    # tunnel (checked against "localhost", with origin_context).
    connection = client.HTTPSConnection(
        "127.0.0.1", proxy_port, context=origin_context, timeout=10
    )
    connection.set_tunnel(
        "localhost",
        tls_port,
        headers={"Proxy-Authorization": CREDENTIALS},
        proxy_context=proxy_context,
    )
    connection.request("GET", "/hello")
    assert connection.getresponse().read() == b"hello, world\n"
    assert connection.sock.server_hostname == "localhost"
    assert connection.sock.proxy_socket.server_hostname == "127.0.0.1"
    connection.close()


def https_proxy_not_trusted(proxy_port: int, tls_port: int, ca: trustme.CA) -> None:
    context = ssl.create_default_context()
    ca.configure_trust(context)
    connection = client.HTTPSConnection(
        "127.0.0.1", proxy_port, context=context, timeout=10
    )
    # The origin's CA did not sign the proxy's certificate.
    connection.set_tunnel("localhost", tls_port, proxy_context=context)
    try:
        connection.request("GET", "/hello")
    except ssl.SSLCertVerificationError as error:
        reason = error.verify_message
    else:
        raise AssertionError("the proxy's certificate was not checked")
    assert reason == "unable to get local issuer certificate"
    assert connection.sock is None


def proxy_refuses(proxy_port: int, origin_port: int) -> None:
    connection = client.HTTPConnection("127.0.0.1", proxy_port, timeout=10)
    connection.set_tunnel("127.0.0.1", origin_port)  # no credentials
    try:
        connection.request("GET", "/hello")
    except OSError as error:
        message = str(error)
    else:
        raise AssertionError("the proxy's refusal was not reported")
    assert message == "Tunnel connection failed: 407 Proxy Authentication Required"
    assert connection.sock is None  # closed


def header_injection_refused(proxy_port: int, origin_port: int) -> None:
    connection = client.HTTPConnection("127.0.0.1", proxy_port, timeout=10)
    connection.set_tunnel(
        "127.0.0.1", origin_port, headers={"Proxy-Authorization": "x\r\nEvil: 1"}
    )
    try:
        connection.request("GET", "/hello")  # connects, then refuses the CONNECT
    except ValueError as error:
        message = str(error)
    else:
        raise AssertionError("CRLF in a tunnel field was sent")
    assert message.startswith("Invalid header value b'x\\r\\nEvil: 1'")
    assert connection.sock is None  # closed, nothing sent


def main() -> int:
    ca, client_ca, proxy_ca = trustme.CA(), trustme.CA(), trustme.CA()
    origin, origin_port = local_server.start()
    tls, tls_port = start_https(ca)
    mutual, mutual_port = start_https(ca, client_ca=client_ca)
    proxy = start_proxy()
    proxy_port = proxy.getsockname()[1]
    proxy_tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    proxy_ca.issue_cert("127.0.0.1").configure_cert(proxy_tls)
    https_proxy = start_proxy(tls=proxy_tls)
    https_proxy_port = https_proxy.getsockname()[1]
    try:
        default_context_refuses(tls_port)
        own_ca(tls_port, ca)
        client_certificate(mutual_port, ca, client_ca)
        http_through_tunnel(proxy_port, origin_port)
        https_through_tunnel(proxy_port, tls_port, ca)
        https_through_https_proxy(https_proxy_port, tls_port, ca, proxy_ca)
        https_proxy_not_trusted(https_proxy_port, tls_port, ca)
        proxy_refuses(proxy_port, origin_port)
        header_injection_refused(proxy_port, origin_port)
    finally:
        for listener in (proxy, https_proxy):
            listener.shutdown(socket.SHUT_RDWR)
            listener.close()
        for server in (origin, tls, mutual):
            server.shutdown()
            server.server_close()
    print("TLS, client certificates and tunnels: every check passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
