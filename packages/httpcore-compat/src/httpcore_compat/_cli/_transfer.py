# One attempt at one URL: send the request (directly or through a proxy,
# _connections.py), follow redirects with -L, and stream the final
# response's body in blocks to stdout or a file.  Only httpcore_compat's
# public API is used.  Each call into the connection is made in a known
# phase (connecting, sending, receiving) so that a failure is reported as
# the step that failed.
from __future__ import annotations

import contextlib
import time
from typing import Any, BinaryIO

import httpcore_compat as client

from .._version import __version__
from ._body import Body
from ._connections import BLOCK, Connections, request_target
from ._encoding import Decoder, accepted
from ._errors import CliError, Exit, Phase, max_time_message
from ._options import Options
from ._output import Output, head_bytes
from ._progress import Progress
from ._proxy import Proxy
from ._request import Request
from ._target import (
    REDIRECTS,
    Target,
    basic,
    parse_url,
    redirect_method,
    redirect_target,
)
from ._writeout import Stats

#: A redirect's body up to this size is read so its connection can be
#: reused; a longer one closes the connection.
_DRAIN = 64 * 1024
#: Dropped when a redirect goes to another host: credentials are for the
#: host they were given for.
_PER_HOST = frozenset({"authorization", "cookie", "host"})
_BODY_FIELDS = frozenset({"content-length", "transfer-encoding"})
#: RFC 9110 section 9.2.2.
_IDEMPOTENT = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS", "TRACE"})
#: How a connection the server closed fails a request sent on it
#: (RemoteDisconnected is a ConnectionResetError).
_CLOSED = (ConnectionResetError, BrokenPipeError, ConnectionAbortedError)


class Transfer:
    """One attempt at one URL: its request, the redirects -L follows, and
    the final response written out.

    :param options: the parsed command line.
    :param request: what the URL asks for.
    :param stdout: the binary stream the body goes to without ``-o``.
    :param stderr: where -v's notes, the bar and the hint go.
    :param connections: the command's open connections.
    :param dump: where -D writes the heads, if anywhere.
    """

    def __init__(
        self,
        options: Options,
        request: Request,
        stdout: BinaryIO,
        stderr: Any,
        connections: Connections,
        dump: Output | None,
    ) -> None:
        self.options = options
        self.request = request
        self.stderr = stderr
        self.progress = Progress(options.progress, stderr)
        self.output = Output(request.output, stdout)
        self.dump = dump
        self.connections = connections
        connections.left = self._left
        self._started = time.monotonic()
        self.stats = Stats(started=self._started)
        #: The Retry-After field of the last response.
        self.retry_after: str | None = None
        #: The proxy of the last request sent.
        self._proxy: Proxy | None = None
        self._user = options.user
        self._user_origin = parse_url(request.url).origin

    # -- the run -------------------------------------------------------------

    def run(self) -> int:
        """Make the request and its redirects; the exit status.

        :raises CliError: for every failure.
        """
        options = self.options
        target = parse_url(self.request.url)
        method, body = self.request.method, self.request.body
        headers = list(options.headers)
        for _ in range(options.max_redirects + 1):
            response = self._exchange(target, method, headers, body)
            location = response.getheader("Location")
            if not (options.follow and response.status in REDIRECTS and location):
                return self._deliver(target, method, response)
            if options.include:
                self.output.write(head_bytes(response))
            self.stats.num_redirects += 1
            self._discard(target, response)
            following = redirect_target(target, location)
            method, keep_body = redirect_method(response.status, method)
            self._note(f"{response.status}: following {method} {following.url}")
            if not keep_body:
                headers = [h for h in headers if h[0].lower() not in _BODY_FIELDS]
                body = None
            elif body is not None and not body.replayable:
                raise CliError(
                    Exit.REWIND_FAILED,
                    f"cannot send the body from {body.name} again to follow "
                    f"the {response.status} redirect to {following.url}",
                )
            if following.host != target.host:
                headers = [h for h in headers if h[0].lower() not in _PER_HOST]
            target = following
        raise CliError(
            Exit.TOO_MANY_REDIRECTS,
            f"too many redirects: more than {options.max_redirects} (--max-redirs)",
        )

    def _exchange(
        self,
        target: Target,
        method: str,
        headers: list[tuple[str, str | None]],
        body: Body | None,
    ) -> Any:
        """Send one request and read its response's head.

        A kept-alive connection the server closed just as the request went
        out (it had not seen the close before sending: httpcore_client
        checks for one that is already closed) gets the request again on a
        new connection, once, if the method is idempotent and the body can
        be sent again (RFC 9112 section 9.3.1).
        """
        self._left()
        proxy = self.connections.proxy(target)
        reused = self.connections.is_open(target, proxy)
        try:
            return self._send(target, proxy, method, headers, body)
        except CliError as error:
            if not (
                reused
                and isinstance(error.__cause__, _CLOSED)
                and method in _IDEMPOTENT
                and (body is None or body.replayable)
            ):
                raise
        self.connections.drop(target, proxy)
        self._note("the server closed the kept-alive connection: sending again")
        return self._send(target, proxy, method, headers, body)

    def _send(
        self,
        target: Target,
        proxy: Proxy | None,
        method: str,
        headers: list[tuple[str, str | None]],
        body: Body | None,
    ) -> Any:
        connection = self.connections.get(target, proxy)
        stats = self.stats
        if not stats.time_connect:
            stats.time_connect = time.monotonic() - self._started
        with contextlib.suppress(OSError, AttributeError, ValueError):
            stats.remote_ip, stats.remote_port = connection.sock.getpeername()[:2]
        stats.url_effective, stats.scheme, stats.method = (
            target.url,
            target.scheme,
            method,
        )
        names = {name.lower() for name, _ in headers}
        fields = [
            (name, value)
            for name, value in (
                ("User-Agent", f"httpcore/{__version__}"),
                ("Accept", "application/json" if self.options.json else "*/*"),
                ("Authorization", self._authorization(target)),
                *(() if proxy is None or proxy.tunnel else proxy.fields.items()),
                ("Accept-Encoding", accepted() if self.options.compressed else None),
            )
            if value is not None and name.lower() not in names
        ]
        payload: object = None
        meter = None
        chunked = "transfer-encoding" in names
        if body is not None:
            body.rewind()
            payload, meter = body.payload(self.progress)
            if not names & _BODY_FIELDS:
                fields.append(body.framing())
                chunked = body.length is None
            if "content-type" not in names and body.content_type is not None:
                fields.append(("Content-Type", body.content_type))
        elif method in ("POST", "PUT", "PATCH") and not names & _BODY_FIELDS:
            fields.append(("Content-Length", "0"))

        def send() -> None:
            connection.putrequest(
                method,
                request_target(target, proxy),
                skip_host="host" in names,
                skip_accept_encoding=self.options.compressed
                or "accept-encoding" in names,
            )
            for name, value in [*fields, *headers]:
                if value is not None:
                    connection.putheader(name, value)
            connection.endheaders(payload, encode_chunked=chunked)

        try:
            self.connections.call(Phase.SEND, target, proxy, send)
        finally:
            if meter is not None:
                meter.close()
        self._proxy = proxy
        response = self.connections.call(
            Phase.RECEIVE, target, proxy, connection.getresponse
        )
        if body is not None and body.length is not None:
            stats.size_upload += body.length
        head = head_bytes(response)
        if not stats.time_starttransfer:
            stats.time_starttransfer = time.monotonic() - self._started
        stats.http_code = response.status
        stats.size_header += len(head)
        stats.content_type = response.getheader("Content-Type") or ""
        self.retry_after = response.getheader("Retry-After")
        if self.dump is not None:
            self.dump.write(head)
        return response

    def _deliver(self, target: Target, method: str, response: Any) -> int:
        """Write the final response (head with -i, body) to the output."""
        if self.options.fail and response.status >= 400:
            response.close()
            raise CliError(
                Exit.HTTP_ERROR,
                f"{target.url} answered {response.status} {response.reason}",
            )
        if self.options.include:
            self.output.write(head_bytes(response))
        meter = None
        if method != "HEAD" and response.length != 0:
            meter = self.progress.meter("download", response.length)

        decode = None
        if self.options.compressed:
            decode = Decoder(response.getheader("Content-Encoding") or "")

        def read() -> bytes:
            try:
                # read1: what has arrived, as it arrives (a slow body is
                # written as it trickles in, and kept if it breaks off).
                return bytes(response.read1(BLOCK))
            except client.IncompleteRead as error:
                # What arrived before the body broke off is written, as
                # curl writes it.
                self.output.write(error.partial)
                self.stats.size_download += len(error.partial)
                raise

        try:
            while block := self.connections.call(
                Phase.RECEIVE, target, self._proxy, read
            ):
                self.stats.size_download += len(block)
                self.output.write(block if decode is None else decode(block))
                # A reused connection's deadline is what was left of -m
                # when it connected: the blocks are checked against -m.
                self._left()
                if meter is not None:
                    meter.update(len(block))
        finally:
            if meter is not None:
                meter.close()
        self.output.close()
        return Exit.OK

    def _authorization(self, target: Target) -> str | None:
        """``Authorization`` for ``target``: -u's credentials go to the
        origin of the URL given only, as curl sends them (without
        ``--location-trusted``); the URL's own ``user:password@`` to its
        host."""
        if self._user is not None and target.origin == self._user_origin:
            return basic(self._user)
        return target.authorization

    # -- output --------------------------------------------------------------

    def _discard(self, target: Target, response: Any) -> None:
        """Finish a redirect's response: read a short body so the connection
        can carry the next request, close a long one."""
        length = response.length
        if length is not None and length <= _DRAIN:
            self.connections.call(Phase.RECEIVE, target, self._proxy, response.read)
        else:
            response.close()
            self.connections.drop(target, self._proxy)

    def _left(self) -> float | None:
        """Seconds left of -m, if it was given.

        :raises CliError: none is left (status 28).
        """
        max_time = self.options.max_time
        if max_time is None:
            return None
        left = max_time - (time.monotonic() - self._started)
        if left <= 0:
            raise CliError(Exit.TIMEOUT, max_time_message(max_time))
        return left

    def _note(self, text: str) -> None:
        if self.options.verbose:
            print(f"* {text}", file=self.stderr, flush=True)
