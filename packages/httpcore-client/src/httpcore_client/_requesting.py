# request(): a whole request in one call, as http.client's HTTPConnection
# makes it from putrequest(), putheader() and endheaders().
#
# Strategy: the framing of the body (Content-Length, or chunked when its
# size cannot be known) is httpcore_wire.frame_request_body()'s, the fields
# the caller gives replace those the connection would add, and a request
# without a body or fields of the caller's may go out as a head remembered
# from an earlier identical one (_heads.py).  Subclasses override
# _send_request() or the put*() methods it calls, as they do http.client's.
from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from httpcore_wire import content_length_of, encode_text_body, frame_request_body

from . import _debug

if TYPE_CHECKING:
    from ._heads import RememberedHeads


class Requesting:
    """The part of :class:`~httpcore_client.HTTPConnection` that makes a
    whole request."""

    if TYPE_CHECKING:
        debuglevel: int
        _heads: RememberedHeads

        def putrequest(
            self,
            method: str,
            url: str,
            skip_host: bool = False,
            skip_accept_encoding: bool = False,
        ) -> None: ...
        def putheader(self, header: str | bytes, *values: Any) -> None: ...
        def endheaders(
            self, message_body: Any = None, *, encode_chunked: bool = False
        ) -> None: ...
        def _send_remembered(self, method: str, url: str) -> bool: ...

    @staticmethod
    def _get_content_length(body: object, method: str) -> int | None:
        """The Content-Length ``request()`` gives ``body``, if it can know it."""
        return content_length_of(body, method)

    def request(
        self,
        method: str,
        url: str,
        body: Any = None,
        headers: Mapping[str, Any] = {},  # http.client's signature; never mutated
        *,
        encode_chunked: bool = False,
    ) -> None:
        """Send a complete request: ``Content-Length`` or chunked framing is
        chosen as :mod:`http.client` documents it.

        :param method: the request method, an RFC 9110 token.
        :param url: the request target (``/path?query``, an absolute URL for
            a proxy, or ``*``).
        :param body: ``None``, bytes, a ``str`` (sent ISO-8859-1), a file
            object (a regular binary file goes out with ``os.sendfile()``)
            or an iterable of bytes-like objects.
        :param headers: header fields to send; a ``Host``, ``Accept-Encoding``,
            ``Content-Length`` or ``Transfer-Encoding`` given here replaces
            the one the connection would add.
        :param encode_chunked: chunk-encode ``body`` (when ``headers`` set
            ``Transfer-Encoding`` themselves).
        :raises CannotSendRequest: a request is under way, or the previous
            response has not been read.
        :raises ValueError: the method, a field name or a value is invalid
            (a name must be a token, a value must hold no control character
            but HTAB).
        :raises InvalidURL: the URL holds control characters or spaces.
        """
        if body is None and not headers and self._send_remembered(method, url):
            return
        try:
            self._send_request(method, url, body, headers, encode_chunked)
        finally:
            self._heads.pending = None

    def _send_request(
        self,
        method: str,
        url: str,
        body: Any,
        headers: Mapping[str, Any],
        encode_chunked: bool,
    ) -> None:
        names = frozenset(name.lower() for name in headers)
        skips = {}
        if "host" in names:
            skips["skip_host"] = True
        if "accept-encoding" in names:
            skips["skip_accept_encoding"] = True
        self.putrequest(method, url, **skips)

        framing, encode_chunked = frame_request_body(
            method, body, names, encode_chunked
        )
        if self.debuglevel > 0 and framing and framing[0][0] == "Transfer-Encoding":
            _debug.emit(f"Unable to determine size of {body!r}")
        for name, value in framing:
            self.putheader(name, value)
        for name, value in headers.items():
            self.putheader(name, value)
        if isinstance(body, str):
            # RFC 2616 section 3.7.1: text defaults to ISO-8859-1.
            body = encode_text_body(body)
        self.endheaders(body, encode_chunked=encode_chunked)
