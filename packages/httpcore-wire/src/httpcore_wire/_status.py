# The status line of a response (RFC 9112 section 4) and the interim
# responses that may precede the final one (RFC 9110 section 15.2).
#
# Strategy: http.client's results for every status line a conforming server
# sends -- the same (version, status, reason) triple from the same split,
# the same BadStatusLine and UnknownProtocol -- but the status code must be
# exactly three ASCII digits (CPython's int() also takes "+200", "2_00" and
# "0200").  A client's fast path, match_final_status(), remembers the final
# status lines it has matched, which servers repeat.
from __future__ import annotations

import re
from typing import NamedTuple

from ._exceptions import BadStatusLine, UnknownProtocol

DEFAULT_MAX_INTERIM_RESPONSES = 100
"""How many 1xx responses a client skips before the final response, at most.

CPython 3.13 has no bound (a server can keep a client busy forever with
``100 Continue``); the fix proposed upstream uses the same value."""


# The characters int() strips around digits (not the separators \x1c-\x1f,
# which str.split() also takes for white space).
_INT_SPACE = " \t\n\r\x0b\x0c\x85\xa0"


def parse_status_line(line: str) -> tuple[str, int, str]:
    """Split a status line as ``http.client.HTTPResponse._read_status`` does.

    :param line: the line as read and decoded ISO-8859-1, line ending
        included (``"HTTP/1.1 200 OK\\r\\n"``).
    :returns: ``(version, status, reason)``: the version string, the status
        code, and the reason phrase exactly as received (line ending
        included, as CPython returns it; strip it for display).
    :raises BadStatusLine: the line does not start with ``HTTP/``, or the
        status is not three digits from 100 to 999.
    """
    # CPython's sequence of splits, so that the same text lands in the same
    # place (a line ending in "200\x1c" leaves the separator in the status).
    parts = line.split(None, 2)
    if len(parts) == 3:
        version, status, reason = parts
    else:
        parts = line.split(None, 1)
        if len(parts) == 2:
            (version, status), reason = parts, ""
            # What int() strips around the digits, and only that.
            status = status.strip(_INT_SPACE)
        else:
            version, status, reason = "", "", ""
    if not version.startswith("HTTP/"):
        raise BadStatusLine(line)
    if not (len(status) == 3 and status.isascii() and status.isdigit()):
        raise BadStatusLine(line)
    code = int(status)
    if code < 100:
        raise BadStatusLine(line)
    return version, code, reason


# A final status line of HTTP/1.0 or 1.1 as conforming servers send it: it
# splits into the same version, status and (once stripped) reason as
# parse_status_line().  The reason is printable ASCII, spaces and tabs:
# other characters that str.split() takes for white space (\x1c-\x1f, \x85,
# \xa0) change how the line splits when nothing else follows them.
_FINAL_STATUS_LINE = re.compile(
    rb"HTTP/1\.([01]) ([2-9][0-9][0-9]) ([\t\x20-\x7e]*)\r\n"
)


_new_tuple = tuple.__new__


class FinalStatus(NamedTuple):
    """A final status line recognised by :func:`match_final_status`."""

    #: 10 or 11, as ``HTTPResponse.version``.
    version: int
    status: int
    #: The reason phrase, stripped.
    reason: str
    #: Where the line ends in the bytes given (after its CRLF).
    end: int


# The final status lines matched so far, by their bytes before the CRLF
# (which decide the whole match: the reason holds no CR).  A server sends
# the same few again and again ("HTTP/1.1 200 OK"), and looking one up
# costs a third of matching it, once per response.  Bounded: lines of up to
# _REMEMBERED_LINE bytes, _REMEMBERED of them, and emptied when full.
_REMEMBERED = 64
_REMEMBERED_LINE = 64
_remembered: dict[bytes, FinalStatus] = {}


def match_final_status(data: bytes) -> FinalStatus | None:
    """The status line at the start of ``data``, when it is the common case:
    a final (2xx to 9xx) response of HTTP/1.0 or 1.1 with a printable
    reason and a CRLF; ``None`` for anything else, which
    :func:`parse_status_line` decides (an interim response, an unusual or
    invalid line, one not all in ``data`` yet).

    The fast path of a client that has the head in a buffer: what it
    returns is what :func:`parse_status_line` and :func:`version_number`
    give for the same line, with the reason stripped.
    """
    if type(data) is bytes:
        end = data.find(b"\r\n", 0, _REMEMBERED_LINE)
        if end > 0:
            line = data[:end]
            found = _remembered.get(line)
            if found is None:
                found = _match(data)
                if found is not None:
                    if len(_remembered) >= _REMEMBERED:
                        _remembered.clear()
                    _remembered[line] = found
            return found
    return _match(data)


def _match(data: bytes) -> FinalStatus | None:
    """match_final_status() without the remembered lines: the reference."""
    match = _FINAL_STATUS_LINE.match(data)
    if match is None:
        return None
    # tuple.__new__ builds the same FinalStatus as FinalStatus(...) does,
    # without the Python-level __new__ NamedTuple generates.
    minor, status, reason = match.groups()
    return _new_tuple(
        FinalStatus,
        (
            11 if minor == b"1" else 10,
            int(status),
            reason.decode().strip(),
            match.end(),
        ),
    )


def version_number(version: str) -> int:
    """The ``HTTPResponse.version`` number for a status line's version.

    :param version: the version string, as :func:`parse_status_line`
        returns it (``"HTTP/1.1"``).
    :returns: 10 for ``HTTP/1.0`` and ``HTTP/0.9``, 11 for any other
        ``HTTP/1.x``, as in :mod:`http.client`.
    :raises UnknownProtocol: any other version, such as ``HTTP/2.0``.
    """
    if version in ("HTTP/1.0", "HTTP/0.9"):
        return 10
    if version.startswith("HTTP/1."):
        return 11
    raise UnknownProtocol(version)


def is_interim(status: int) -> bool:
    """Whether a response with this status is an interim one that precedes
    the final response.

    :param status: a status code.
    :returns: true for every 1xx (100, 102, 103 ...) except
        101 Switching Protocols, after which the connection changes
        protocol. :mod:`http.client` skips only 100.
    """
    return 100 <= status < 200 and status != 101
