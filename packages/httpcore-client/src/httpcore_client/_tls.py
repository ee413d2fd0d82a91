# HTTPSConnection and the default TLS context, as http.client has them:
# certificate and host-name checks on, ALPN "http/1.1", TLS 1.3
# post-handshake authentication enabled, SNI from the host (or the tunnel's
# host).
from __future__ import annotations

import socket
import ssl
import warnings
from typing import Any

from ._connect import DEFAULT_ATTEMPT_DELAY
from ._connection import HTTPConnection
from ._constants import HTTPS_PORT
from ._expect import DEFAULT_CONTINUE_TIMEOUT
from ._nested_tls import NestedTLSSocket
from ._timeouts import USE_TIMEOUT


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

    ``host``, ``port`` (443 by default), ``timeout``, ``source_address``,
    ``blocksize``, ``max_response_headers``, ``enforce_content_length``,
    ``continue_timeout``, ``happy_eyeballs_delay``, ``connect_timeout``,
    ``read_timeout``, ``write_timeout`` and ``deadline`` are those of
    :class:`HTTPConnection`; from ``timeout`` on, they are keyword-only, as
    in the standard library. The host name (or the tunnel's host, after
    :meth:`~HTTPConnection.set_tunnel`) is sent as SNI and checked against
    the certificate when the context checks host names.

    :param context: the :class:`ssl.SSLContext` to use; by default one that
        verifies the certificate and host name against the system's CAs and
        offers ALPN ``http/1.1``, as ``http.client`` makes it.
    :param suppress_ragged_eofs: take an end of the TLS stream without the
        server's close_notify for the end of the data, as
        :mod:`http.client` does (:attr:`suppress_ragged_eofs`).
    :param key_file: deprecated (removed in Python 3.12), keyword only:
        a client key, as in Python 3.11.
    :param cert_file: deprecated, keyword only: a client certificate.
    :param check_hostname: deprecated, keyword only: overrides the context's
        ``check_hostname``; :mod:`urllib.request` on Python 3.10 and 3.11
        passes it.
    """

    default_port = HTTPS_PORT
    #: Whether an end of the TLS stream without the server's close_notify is
    #: taken for the end of the data, as in :mod:`http.client`. By default
    #: it is not where it would end a head or a body that runs until the
    #: connection closes: an attacker on the path can forge such an end to
    #: cut the response short (RFC 9112 section 9.8), and that raises
    #: ``RemoteDisconnected`` or ``IncompleteRead``. Set it for servers that
    #: close that way (Python's own :mod:`http.server` over TLS does).
    suppress_ragged_eofs = False

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
        enforce_content_length: bool = False,
        continue_timeout: float | None = DEFAULT_CONTINUE_TIMEOUT,
        happy_eyeballs_delay: float | None = DEFAULT_ATTEMPT_DELAY,
        connect_timeout: float | None = USE_TIMEOUT,
        read_timeout: float | None = USE_TIMEOUT,
        write_timeout: float | None = USE_TIMEOUT,
        deadline: float | None = None,
        suppress_ragged_eofs: bool = False,
        key_file: str | None = None,
        cert_file: str | None = None,
        check_hostname: bool | None = None,
    ) -> None:
        super().__init__(
            host,
            port,
            timeout,
            source_address,
            blocksize=blocksize,
            max_response_headers=max_response_headers,
            enforce_content_length=enforce_content_length,
            continue_timeout=continue_timeout,
            happy_eyeballs_delay=happy_eyeballs_delay,
            connect_timeout=connect_timeout,
            read_timeout=read_timeout,
            write_timeout=write_timeout,
            deadline=deadline,
        )
        if context is None:
            context = _create_https_context(self._http_vsn)
        if key_file is not None or cert_file is not None or check_hostname is not None:
            # Python 3.12 removed these; urllib.request on 3.10 and 3.11 still
            # passes check_hostname, so they keep 3.11's meaning here.
            warnings.warn(
                "key_file, cert_file and check_hostname are deprecated, "
                "use a custom context instead.",
                DeprecationWarning,
                2,
            )
            self._legacy_tls(context, key_file, cert_file, check_hostname)
        self.key_file = key_file
        self.cert_file = cert_file
        self._context = context
        if suppress_ragged_eofs:
            self.suppress_ragged_eofs = True

    @staticmethod
    def _legacy_tls(
        context: ssl.SSLContext,
        key_file: str | None,
        cert_file: str | None,
        check_hostname: bool | None,
    ) -> None:
        will_verify = context.verify_mode != ssl.CERT_NONE
        if check_hostname and not will_verify:
            raise ValueError(
                "check_hostname needs a SSL context with "
                "either CERT_OPTIONAL or CERT_REQUIRED"
            )
        if key_file or cert_file:
            context.load_cert_chain(cert_file, key_file)  # type: ignore[arg-type]
            # A certificate means the user wants to authenticate: enable
            # TLS 1.3 post-handshake authentication, as 3.11 does.
            if context.post_handshake_auth is not None:
                context.post_handshake_auth = True
        if check_hostname is not None:
            context.check_hostname = check_hostname

    def connect(self) -> None:
        """Connect, set up the tunnel if any, then the TLS session.

        :raises ssl.SSLCertVerificationError: the certificate or the host
            name did not verify.
        :raises ssl.SSLError: the TLS handshake failed otherwise.
        :raises OSError: as :meth:`HTTPConnection.connect` does, including a
            proxy's refusal of the tunnel.
        """
        super().connect()
        server_hostname: Any = self._tunnel_host or self.host
        # An end of the connection without the peer's close_notify is
        # reported, not taken for the end of the data: it may be a
        # truncation (RFC 9112 section 9.8).  The shared reader turns it
        # into an end of stream and remembers it (_stream.SocketReader).
        if self._tunnel_host and self._proxy_context is not None:
            # The socket is the proxy's TLS session: the origin's runs
            # inside it.
            try:
                self.sock = NestedTLSSocket(
                    self.sock,
                    self._context,
                    server_hostname,
                    suppress_ragged_eofs=self.suppress_ragged_eofs,
                )
            except BaseException:
                self.close()
                raise
            return
        try:
            self.sock = self._context.wrap_socket(
                self.sock,
                server_hostname=server_hostname,
                suppress_ragged_eofs=self.suppress_ragged_eofs,
            )
        except TimeoutError as error:
            if self._clock is None:
                raise  # the ssl module's own error, as in http.client
            # The handshake had what was left of the connect timeout.
            self.close()
            raise self._clock.connect_error() from error
