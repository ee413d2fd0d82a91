# The command's connections: one per route, kept open and reused by the
# requests that follow (a redirect chain, the next URL on the command
# line).  A route is the origin for a direct connection or a tunnel, and
# the proxy alone for absolute-form requests, which any origin can share
# (RFC 9112 section 9.3).  TLS contexts are made once: one for origins
# (--cacert, -k), one for an HTTPS proxy (--proxy-cacert,
# --proxy-insecure), which httpcore_client nests under the origin's TLS.
from __future__ import annotations

import ssl
from collections.abc import Callable
from typing import Any, TypeVar

import httpcore_compat as client

from ._errors import CliError, Exit, Phase, network_error
from ._options import Options
from ._proxy import Proxy, choose
from ._target import Target

#: Bytes read from the response, and from a file body, at a time.
BLOCK = 64 * 1024

T = TypeVar("T")
Route = tuple[str, ...]


class Connections:
    """Open connections by route, and the TLS contexts they use.

    :param options: the parsed command line.
    :param note: prints a ``-v`` note.
    :param left: the seconds left of -m, if given (:attr:`left`).
    """

    def __init__(
        self,
        options: Options,
        note: Callable[[str], None],
        left: Callable[[], float | None],
    ) -> None:
        self.options = options
        self._note = note
        #: The seconds left of -m for the transfer at hand, if given.
        self.left = left
        self._open: dict[Route, Any] = {}
        self._contexts: dict[bool, ssl.SSLContext] = {}

    def proxy(self, target: Target) -> Proxy | None:
        """The proxy ``target`` goes through, if any."""
        options = self.options
        return choose(
            target,
            options.proxy,
            options.noproxy,
            proxy_user=options.proxy_user,
            tunnel=options.proxytunnel,
        )

    def is_open(self, target: Target, proxy: Proxy | None) -> bool:
        """Whether a connection for ``target`` is open, to be reused."""
        connection = self._open.get(_route(target, proxy))
        return connection is not None and connection.sock is not None

    def get(self, target: Target, proxy: Proxy | None) -> Any:
        """An open connection for ``target`` (through ``proxy``), reused if
        there is one still open.

        :raises CliError: the connection failed.
        """
        route = _route(target, proxy)
        if self.is_open(target, proxy):
            self._note(f"reusing the connection to {_peer(target, proxy)}")
            return self._open[route]
        connection = self._new(target, proxy)
        self._open[route] = connection
        self._note(f"connecting to {_peer(target, proxy)}")
        try:
            connection.connect()
        except ssl.SSLError as error:
            if _proxy_tls_failed(connection, proxy):
                assert proxy is not None
                where = f"proxy {proxy.where}"
                raise network_error(error, Phase.CONNECT, where, None) from error
            raise network_error(error, Phase.CONNECT, target.where, None) from error
        except (OSError, client.HTTPException, ValueError) as error:
            raise self._error(error, Phase.CONNECT, target, proxy) from error
        sock = connection.sock
        # An ssl.SSLSocket, or the origin's session nested in an HTTPS
        # proxy's.
        if callable(getattr(sock, "cipher", None)):
            self._note(f"TLS: {sock.version()}, {(sock.cipher() or ('?',))[0]}")
        if proxy is not None and proxy.tunnel:
            fields = connection.get_proxy_response_headers()
            self._note(f"tunnel open: {len(fields or ())} fields from the proxy")
        return connection

    def _new(self, target: Target, proxy: Proxy | None) -> Any:
        timeout = self.options.timeout
        # A body that ends before its Content-Length is an error (curl's
        # exit status 18), whichever read method meets the end.
        common: dict[str, Any] = {"blocksize": BLOCK, "enforce_content_length": True}
        if proxy is None:
            host, port = target.host, target.port
        else:
            host, port = proxy.host, proxy.port
        tls_inside = target.scheme == "https"
        if proxy is not None and not proxy.tunnel:
            # Absolute form: TLS, if any, is the proxy's only.
            tls_inside = False
            if proxy.scheme == "https":
                common["context"] = self.context(proxy=True)
                tls_inside = True
        elif tls_inside:
            common["context"] = self.context(proxy=False)
        kind = client.HTTPSConnection if tls_inside else client.HTTPConnection
        connection = kind(host, port, timeout=timeout, **common)
        # --connect-timeout and -m map onto the connection's limits
        # (connect_timeout, deadline); -m is what is left of it now.
        left = self.left()
        connect = self.options.connect_timeout
        if left is not None:
            connection.deadline = left
            connect = left if connect is None else min(connect, left)
        if connect is not None:
            connection.connect_timeout = connect
        if proxy is not None and proxy.tunnel:
            proxy_context = (
                self.context(proxy=True) if proxy.scheme == "https" else None
            )
            connection.set_tunnel(
                target.host, target.port, proxy.fields, proxy_context=proxy_context
            )
        if self.options.verbose:
            connection.set_debuglevel(1)
        return connection

    def context(self, *, proxy: bool) -> ssl.SSLContext:
        """The TLS context for origins, or for HTTPS proxies."""
        context = self._contexts.get(proxy)
        if context is None:
            options = self.options
            cafile = options.proxy_cacert if proxy else options.cacert
            insecure = options.proxy_insecure if proxy else options.insecure
            try:
                context = ssl.create_default_context(cafile=cafile)
            except (OSError, ValueError) as error:
                reason = getattr(error, "strerror", None) or error
                raise CliError(
                    Exit.CA_FILE, f"cannot load CA certificates {cafile}: {reason}"
                ) from error
            context.set_alpn_protocols(["http/1.1"])
            if insecure:
                context.check_hostname = False
                context.verify_mode = ssl.CERT_NONE
            self._contexts[proxy] = context
        return context

    def call(
        self, phase: Phase, target: Target, proxy: Proxy | None, call: Callable[[], T]
    ) -> T:
        """``call()``, its failures turned into :class:`CliError`; a
        connection that failed is closed (after a timeout it is still
        waiting for a response, as http.client's would be), so that a
        retry or the next URL opens a new one."""
        try:
            return call()
        except CliError:
            self.drop(target, proxy)
            raise
        except (OSError, client.HTTPException, ValueError) as error:
            self.drop(target, proxy)
            raise self._error(error, phase, target, proxy) from error

    def _error(
        self, error: BaseException, phase: Phase, target: Target, proxy: Proxy | None
    ) -> CliError:
        return network_error(
            error,
            phase,
            target.where,
            proxy.where if proxy else None,
            self.options.max_time,
        )

    def drop(self, target: Target, proxy: Proxy | None) -> None:
        """Close the connection ``target`` used: it cannot carry another
        request."""
        connection = self._open.pop(_route(target, proxy), None)
        if connection is not None:
            connection.close()

    def close(self) -> None:
        """Close every connection."""
        for connection in self._open.values():
            connection.close()
        self._open.clear()


def _proxy_tls_failed(connection: Any, proxy: Proxy | None) -> bool:
    """Whether a TLS error while connecting was the HTTPS proxy's: before
    the proxy answered the CONNECT, or with no tunnel at all."""
    if proxy is None or proxy.scheme != "https":
        return False
    return not proxy.tunnel or connection.get_proxy_response_headers() is None


def _route(target: Target, proxy: Proxy | None) -> Route:
    if proxy is None:
        return (target.scheme, target.host, str(target.port))
    where = (proxy.scheme, proxy.host, str(proxy.port), proxy.authorization or "")
    if proxy.tunnel:
        return (*target.origin[:2], str(target.port), *where)
    return where


def _peer(target: Target, proxy: Proxy | None) -> str:
    if proxy is None:
        return target.where
    how = "a tunnel" if proxy.tunnel else "absolute form"
    return f"{target.where} via proxy {proxy.where} ({how})"


def request_target(target: Target, proxy: Proxy | None) -> str:
    """The request line's target: origin-form, or absolute-form through a
    proxy without a tunnel (RFC 9112 section 3.2)."""
    if proxy is None or proxy.tunnel:
        return target.path
    return target.absolute
