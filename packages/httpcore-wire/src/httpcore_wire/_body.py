# Request body framing (RFC 9112 section 6.1 to 6.3: Content-Length or the
# chunked transfer coding) decided as http.client's request() decides it,
# and the pieces of the body its _send_output() writes.
#
# Strategy: the decisions are pure functions of the method, the body and the
# names of the caller's fields, returned as data for the caller to write.
# body_chunks() checks the body's kind at once, so a wrong type fails before
# anything is written, and returns a lazy iterator over the pieces: nothing
# is read from a file until the caller asks for the next piece.  Every piece
# it yields is a flat byte sequence (len() counts bytes), which the chunk
# size of the chunked coding relies on.
from __future__ import annotations

import io
from collections.abc import Callable, Collection, Iterable, Iterator
from typing import Protocol, cast

Chunk = bytes | bytearray | memoryview
"""A piece of a request body, as :func:`body_chunks` yields it."""

# CPython sends Content-Length: 0 for these even without a body, because
# some servers answer 411 Length Required otherwise.
_METHODS_EXPECTING_BODY = frozenset({"PATCH", "POST", "PUT"})


class _Readable(Protocol):
    def read(self, size: int, /) -> object: ...


def content_length_of(body: object, method: str) -> int | None:
    """The Content-Length ``request()`` sends for ``body``, if it sends one.

    CPython's ``HTTPConnection._get_content_length``.

    :param body: the body given to ``request()``, before a ``str`` is encoded.
    :param method: the request method.
    :returns: ``0`` for no body with PATCH, POST or PUT; ``None`` for no
        body with another method, and for a file (anything with ``read``) or
        an iterable, whose size is not known; the size in bytes of a
        bytes-like object; the length of a ``str`` (which is sent as
        Latin-1, one byte a character).
    """
    if body is None:
        return 0 if method.upper() in _METHODS_EXPECTING_BODY else None
    if hasattr(body, "read"):
        return None
    view = _view_of(body)
    if view is not None:
        with view:
            return view.nbytes
    if isinstance(body, str):
        return len(body)
    return None


def encode_text_body(body: str) -> bytes:
    """Encode a ``str`` body as Latin-1, the default of RFC 2616 section 3.7.1.

    :param body: the body.
    :returns: the encoded body.
    :raises UnicodeEncodeError: with CPython's reason, for example
        ``"Body ('\\u20ac') is not valid Latin-1. Use body.encode('utf-8')
        if you want to send it encoded in UTF-8."``
    """
    try:
        return body.encode("latin-1")
    except UnicodeEncodeError as err:
        bad = body[err.start : err.end]
        reason = (
            f"Body ({bad!r:.20}) is not valid Latin-1. Use body.encode('utf-8') "
            "if you want to send it encoded in UTF-8."
        )
        raise UnicodeEncodeError(
            err.encoding, err.object, err.start, err.end, reason
        ) from None


def frame_request_body(
    method: str, body: object, header_names: Collection[str], encode_chunked: bool
) -> tuple[list[tuple[str, str]], bool]:
    """Decide the framing field of a request, as ``request()`` does.

    A Content-Length set by the caller wins and turns chunking off; a
    Transfer-Encoding set by the caller is left to the caller, and so is
    ``encode_chunked``.  Otherwise the body's size is sent as Content-Length
    if :func:`content_length_of` knows it, and a body of unknown size is
    sent chunked, whatever ``encode_chunked`` says.

    :param method: the request method.
    :param body: the body given to ``request()``.
    :param header_names: the names of the caller's fields, in lower case
        (they are lower-cased again here, so any case works).
    :param encode_chunked: what the caller asked for.
    :returns: the fields to add after ``Host`` and ``Accept-Encoding``, such
        as ``[("Content-Length", "5")]``, ``[("Transfer-Encoding",
        "chunked")]`` or ``[]``, and whether to encode the body as chunks.
    """
    names = {name.lower() for name in header_names}
    if "content-length" in names:
        return [], False
    if "transfer-encoding" in names:
        return [], encode_chunked
    length = content_length_of(body, method)
    if length is not None:
        return [("Content-Length", str(length))], False
    if body is None:
        return [], False
    return [("Transfer-Encoding", "chunked")], True


def body_chunks(
    body: object,
    blocksize: int = 8192,
    *,
    on_empty: Callable[[], object] | None = None,
) -> Iterator[Chunk]:
    """The pieces of ``body`` that ``_send_output()`` writes, in order.

    A file (anything with ``read``, even if it is also bytes-like, such as
    an ``mmap``) gives ``read(blocksize)`` blocks until one is empty, text
    files (:class:`io.TextIOBase`) encoded as ISO-8859-1.  A bytes-like
    object gives itself: ``bytes``, ``bytearray`` and contiguous 1-D byte
    memoryviews are not copied, other contiguous buffers (such as
    ``array("H")``) give a byte view of themselves, and a strided buffer,
    which a socket cannot send, gives a copy.  Any other iterable gives its
    items, which must be bytes-like.  ``None`` gives nothing.  Empty pieces
    are skipped, as CPython skips them: an empty chunk would end a chunked
    body.

    :param body: the body, with a ``str`` already encoded
        (:func:`encode_text_body`).
    :param blocksize: how much to read from a file at a time.
    :param on_empty: called for each empty item of an iterable body as it
        is skipped (``http.client`` prints "Zero length chunk ignored").
    :returns: an iterator over non-empty pieces.
    :raises TypeError: at once, with CPython's message, if ``body`` is
        neither a file, bytes-like nor iterable; while iterating, for a
        non-empty item or block that is not bytes-like.
    :raises ValueError: at once, if ``blocksize`` is not positive for a file.
    """
    if body is None:
        return iter(())
    if hasattr(body, "read"):
        if blocksize < 1:
            raise ValueError(f"blocksize must be a positive integer, not {blocksize!r}")
        return _read_blocks(cast(_Readable, body), blocksize)
    view = _view_of(body)
    if view is not None:
        if not view.nbytes:
            view.release()
            return iter(())
        return iter((_flat(body, view),))
    try:
        items = iter(cast(Iterable[object], body))
    except TypeError:
        raise TypeError(
            "message_body should be a bytes-like object or an iterable, "
            f"got {type(body)!r}"
        ) from None
    return _each_item(items, on_empty)


def _read_blocks(file: _Readable, blocksize: int) -> Iterator[Chunk]:
    encode = isinstance(file, io.TextIOBase)
    while block := file.read(blocksize):
        if encode and isinstance(block, str):
            block = block.encode("iso-8859-1")
        chunk = _chunk_of(block, "body.read()")
        if chunk is not None:
            yield chunk


def _each_item(
    items: Iterator[object], on_empty: Callable[[], object] | None
) -> Iterator[Chunk]:
    for item in items:
        if type(item) is bytes:
            if item:
                yield item
            elif on_empty is not None:
                on_empty()
            continue
        chunk = _chunk_of(item, "an iterable body")
        if chunk is not None:
            yield chunk
        elif on_empty is not None:
            on_empty()


def _chunk_of(piece: object, source: str) -> Chunk | None:
    """``piece`` as a flat chunk, or None if it is empty."""
    view = _view_of(piece)
    if view is None:
        if not piece:
            return None
        hint = " (encode text first)" if isinstance(piece, str) else ""
        raise TypeError(
            f"{source} must give bytes-like objects, got {type(piece).__name__}{hint}"
        )
    if not view.nbytes:
        view.release()
        return None
    return _flat(piece, view)


def _flat(obj: object, view: memoryview) -> Chunk:
    if isinstance(obj, bytes | bytearray):
        view.release()
        return obj
    if not view.c_contiguous:
        # A socket cannot send a strided buffer: copy it into one piece.
        with view:
            return view.tobytes()
    if view.ndim == 1 and view.itemsize == 1:
        if isinstance(obj, memoryview):
            view.release()
            return obj
        return view
    return view.cast("B")


def _view_of(obj: object) -> memoryview | None:
    try:
        return memoryview(obj)  # type: ignore[arg-type]
    except TypeError:
        return None
