# Exit statuses and one-line messages for the command-line client.  The
# statuses are curl's (curl(1), "EXIT CODES"), so a script that branches on
# curl's status works unchanged; the message names the step that failed
# (resolving, connecting, the TLS handshake, sending, receiving), the peer,
# and the operating system's or the peer's reason.  Network and protocol
# failures never reach the user as a traceback.
from __future__ import annotations

import enum
import re
import socket
import ssl

import httpcore_compat as client
from httpcore_wire import InvalidChunk


class Exit(enum.IntEnum):
    """The exit statuses, with curl's numbers."""

    OK = 0
    UNSUPPORTED_PROTOCOL = 1
    USAGE = 2
    BAD_URL = 3
    PROXY_NOT_RESOLVED = 5
    HOST_NOT_RESOLVED = 6
    CONNECT_FAILED = 7
    WEIRD_REPLY = 8
    PARTIAL_BODY = 18
    HTTP_ERROR = 22
    WRITE_ERROR = 23
    READ_ERROR = 26
    TIMEOUT = 28
    TLS_FAILED = 35
    TOO_MANY_REDIRECTS = 47
    EMPTY_REPLY = 52
    SEND_FAILED = 55
    RECEIVE_FAILED = 56
    BAD_CONTENT_ENCODING = 61
    CERT_VERIFY_FAILED = 60
    REWIND_FAILED = 65
    CA_FILE = 77
    INTERRUPTED = 130


class Phase(enum.Enum):
    """The step of a transfer an error happened in."""

    CONNECT = "connecting to"
    SEND = "sending the request to"
    RECEIVE = "receiving the response from"


class CliError(Exception):
    """A failure the command reports with a message and an exit status.

    :param status: the exit status.
    :param message: one line for stderr; empty for a failure to stay quiet
        about (stdout closed by the reader, as ``| head`` does).
    """

    def __init__(self, status: Exit, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


# A peer's bytes can hold anything: one line of printable text, bounded.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")
_MAX_DETAIL = 200


def one_line(text: str) -> str:
    """``text`` with control characters folded to a space and cut to
    :data:`_MAX_DETAIL` characters."""
    text = _CONTROL.sub(" ", text).strip()
    if len(text) > _MAX_DETAIL:
        text = text[: _MAX_DETAIL - 3] + "..."
    return text


def _reason(error: BaseException) -> str:
    if isinstance(error, OSError) and error.strerror:
        return one_line(error.strerror)
    return one_line(str(error)) or type(error).__name__


def network_error(
    error: BaseException,
    phase: Phase,
    where: str,
    proxy: str | None,
    max_time: float | None = None,
) -> CliError:
    """The :class:`CliError` for an exception raised by the connection.

    :param error: what the connection, the socket or :mod:`ssl` raised.
    :param phase: the step that raised it.
    :param where: the server, as ``host:port``.
    :param proxy: the proxy's ``host:port``, if the connection goes through
        one (host-name and connection failures are then the proxy's).
    :param max_time: -m, which the connection's deadline stands for.
    """
    peer = f"{where} via proxy {proxy}" if proxy else where
    # Order matters: SSLCertVerificationError is an SSLError, RemoteDisconnected
    # a BadStatusLine and a ConnectionResetError, gaierror and SSLError are
    # OSErrors, and TimeoutError is socket.timeout.
    if isinstance(error, ssl.SSLCertVerificationError):
        message = one_line(error.verify_message or error.reason or str(error))
        return CliError(
            Exit.CERT_VERIFY_FAILED,
            f"TLS certificate verification failed for {where}: {message}",
        )
    if isinstance(error, TimeoutError):
        # The connection's message names the limit that ran out ("connect
        # timed out (3.0 s)", "exchange deadline of 0.5 s exceeded"); the
        # socket's own is just "timed out".
        limit = str(error)
        detail = f": {one_line(limit)}" if limit not in ("", "timed out") else ""
        if max_time is not None and limit.startswith("exchange deadline"):
            detail = f": {max_time_message(max_time)}"
        return CliError(Exit.TIMEOUT, f"timed out {phase.value} {peer}{detail}")
    if isinstance(error, socket.gaierror):
        if proxy:
            return CliError(
                Exit.PROXY_NOT_RESOLVED,
                f"could not resolve proxy host {_host(proxy)}: {_reason(error)}",
            )
        return CliError(
            Exit.HOST_NOT_RESOLVED,
            f"could not resolve host {_host(where)}: {_reason(error)}",
        )
    if isinstance(error, ssl.SSLError) and phase is Phase.CONNECT:
        return CliError(
            Exit.TLS_FAILED,
            f"TLS handshake with {peer} failed: {one_line(error.reason or str(error))}",
        )
    if isinstance(error, client.RemoteDisconnected):
        return CliError(
            Exit.EMPTY_REPLY, f"{peer} closed the connection without a response"
        )
    chunk = _invalid_chunk(error)
    if chunk is not None:
        # curl: "Illegal or missing hexadecimal sequence in
        # chunked-encoding", status 56.
        return CliError(
            Exit.RECEIVE_FAILED,
            f"invalid chunked encoding from {peer}: {_reason(chunk)}",
        )
    if isinstance(error, client.IncompleteRead):
        return CliError(
            Exit.PARTIAL_BODY,
            f"the response body from {peer} ended early: {_expected(error)}",
        )
    if isinstance(error, UnicodeError):
        # A host name the idna codec refuses (an empty label, one too long).
        return CliError(Exit.BAD_URL, f"invalid host name {_host(where)!r}: {error}")
    if isinstance(error, client.InvalidURL):
        return CliError(Exit.BAD_URL, f"invalid URL: {_reason(error)}")
    if isinstance(error, client.HTTPException):
        return CliError(
            Exit.WEIRD_REPLY,
            f"invalid response from {peer}: {type(error).__name__}: {_reason(error)}",
        )
    if isinstance(error, OSError):
        text = str(error)
        if text.startswith("Tunnel connection failed"):
            # http.client's message for a CONNECT the proxy refused.
            return CliError(
                Exit.RECEIVE_FAILED,
                f"proxy {proxy} refused the tunnel to {where}: "
                f"{one_line(text.partition(': ')[2])}",
            )
        status = {
            Phase.CONNECT: Exit.CONNECT_FAILED,
            Phase.SEND: Exit.SEND_FAILED,
            Phase.RECEIVE: Exit.RECEIVE_FAILED,
        }[phase]
        target = f"proxy {proxy}" if proxy and phase is Phase.CONNECT else peer
        return CliError(status, f"failed {phase.value} {target}: {_reason(error)}")
    return CliError(
        Exit.USAGE, f"the request was refused before sending: {_reason(error)}"
    )


def _invalid_chunk(error: BaseException) -> InvalidChunk | None:
    """The :exc:`~httpcore_wire.InvalidChunk` behind ``error``: the
    response raises it as the ``__cause__`` of its IncompleteRead."""
    for found in (error, error.__cause__):
        if isinstance(found, InvalidChunk):
            return found
    return None


def max_time_message(max_time: float) -> str:
    """What the command says when -m runs out."""
    return f"operation timed out after {max_time} s (--max-time)"


def _host(where: str) -> str:
    return where.rpartition(":")[0].strip("[]") or where


def _expected(error: BaseException) -> str:
    expected = getattr(error, "expected", None)
    if isinstance(expected, int):
        return f"{expected} more expected"
    return "the connection closed"
