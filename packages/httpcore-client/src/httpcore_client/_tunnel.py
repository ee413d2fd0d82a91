# CONNECT tunnels (RFC 9110 section 9.3.6): the request that opens one
# through a proxy, and the reading of the proxy's answer.
#
# Strategy: HTTPConnection keeps http.client's methods (set_tunnel(),
# _tunnel(), get_proxy_response_headers()) and attributes (_tunnel_host,
# _tunnel_port, _tunnel_headers, _raw_proxy_headers), which urllib3 reads,
# writes and replaces; they call these functions.  The host and the fields
# are checked when the CONNECT is built, not by set_tunnel(), with the
# messages of CPython's fix for gh-146211 (urllib3's tests pin both).
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from httpcore_headers import read_header_lines
from httpcore_wire import (
    InvalidURL,
    encode_field_line,
    encode_request_line,
    validate_host,
)

from . import _debug


def wrap_ipv6(host: bytes) -> bytes:
    """``host`` in brackets if it is an IPv6 address (RFC 3986)."""
    if b":" in host and host[:1] != b"[":
        return b"[" + host + b"]"
    return host


def authority(host: str, port: int) -> bytes:
    """The authority form of a CONNECT target: ``host:port``, the host IDNA
    encoded and an IPv6 address in brackets."""
    return b"%s:%d" % (wrap_ipv6(host.encode("idna")), port)


def connect_request(
    host: str, port: int, fields: Mapping[str, Any], version: str
) -> bytes:
    """The whole CONNECT request, checked before anything is sent.

    :raises ValueError: ``"Tunnel host can't contain control characters
        ..."`` for a control character, space or DEL in the host (``"Tunnel
        host ...: ..."`` for another refusal of :func:`validate_host`);
        ``"Invalid header name ..."`` or ``"Invalid header value ..."`` for a
        field that would end its line early or hold a NUL (the messages of
        CPython's fix for gh-146211).
    """
    try:
        validate_host(host)
    except InvalidURL as error:
        if "control characters" in str(error):
            raise ValueError(
                f"Tunnel host can't contain control characters {host!r}"
            ) from None
        raise ValueError(f"Tunnel host {host!r}: {error}") from None
    target = authority(host, port).decode("ascii")
    lines = [encode_request_line("CONNECT", target, version) + b"\r\n"]
    lines.extend(
        encode_field_line(name, value) + b"\r\n" for name, value in fields.items()
    )
    lines.append(b"\r\n")
    return b"".join(lines)


def read_answer(
    response: Any, max_headers: int | None, debuglevel: int
) -> tuple[int, str, list[bytes]]:
    """Read the proxy's answer to the CONNECT request through ``response``
    (a response object of the connection's ``response_class``): its status
    code, reason and raw field lines.  Its body, if any, is not read: a
    proxy that refuses the tunnel is not talked to again."""
    _version, code, reason = response._read_status()
    lines = read_header_lines(response.fp, max_headers=max_headers)
    if debuglevel > 0:
        for line in lines:
            _debug.emit("header:", line.decode())
    return code, reason, lines
