# HTTPSConnection and the default TLS context, as http.client has them:
# certificate and host-name checks on, ALPN "http/1.1", TLS 1.3
# post-handshake authentication enabled, SNI from the host (or the tunnel's
# host).
from __future__ import annotations

import socket
import ssl
from typing import Any

from ._connection import HTTPConnection
from ._constants import HTTPS_PORT


def _create_https_context(http_version: int) -> ssl.SSLContext:
    """The context :class:`HTTPSConnection` uses when none is given; also
    used by :mod:`urllib.request`, which adjusts ``check_hostname``."""
    context = ssl._create_default_https_context()
    if http_version == 11:
        context.set_alpn_protocols(["http/1.1"])
    if context.post_handshake_auth is not None:
        context.post_handshake_auth = True
    return context


class HTTPSConnection(HTTPConnection):
    """An :class:`HTTPConnection` over TLS: the same class as
    ``http.client.HTTPSConnection``.

    :param context: the :class:`ssl.SSLContext` to use; by default one that
        verifies the certificate and host name against the system's CAs and
        offers ALPN ``http/1.1``.
    """

    default_port = HTTPS_PORT

    def __init__(
        self,
        host: str,
        port: int | None = None,
        *,
        timeout: float | None = socket._GLOBAL_DEFAULT_TIMEOUT,  # type: ignore[attr-defined]
        source_address: tuple[str, int] | None = None,
        context: ssl.SSLContext | None = None,
        blocksize: int = 8192,
        max_response_headers: int | None = None,
    ) -> None:
        super().__init__(
            host,
            port,
            timeout,
            source_address,
            blocksize=blocksize,
            max_response_headers=max_response_headers,
        )
        if context is None:
            context = _create_https_context(self._http_vsn)
        self._context = context

    def connect(self) -> None:
        """Connect, set up the tunnel if any, then the TLS session."""
        super().connect()
        server_hostname: Any = self._tunnel_host or self.host
        self.sock = self._context.wrap_socket(
            self.sock, server_hostname=server_hostname
        )
