# --compressed: ask for a compressed body (Accept-Encoding, RFC 9110
# section 12.5.3) and decode it as it streams in (Content-Encoding, RFC
# 9110 section 8.4).  gzip and deflate are the standard library's zlib;
# br and zstd are offered only when the brotli or zstandard module is
# installed, so that the server is never invited to send what cannot be
# decoded.  deflate is taken with or without its zlib wrapper, as curl
# takes it (servers send both).  A body in any other coding, or in more
# than one, is written as it came, as curl does.
from __future__ import annotations

import importlib
import zlib
from collections.abc import Callable
from typing import Any

from ._errors import CliError, Exit

Decode = Callable[[bytes], bytes]


def _optional(name: str) -> Any:
    """The module ``name``, or ``None`` if it is not installed."""
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


def accepted() -> str:
    """The Accept-Encoding value: the codings this process can decode."""
    codings = ["gzip", "deflate"]
    if _optional("brotli") is not None:
        codings.append("br")
    if _optional("zstandard") is not None:
        codings.append("zstd")
    return ", ".join(codings)


class Decoder:
    """Decodes one response body in the coding its Content-Encoding names.

    :param coding: the field's value.
    """

    def __init__(self, coding: str) -> None:
        self.coding = coding.strip().lower()
        self._inflate: Any = None
        self._decode = self._make()

    @property
    def active(self) -> bool:
        """Whether the body is decoded (else written as it is)."""
        return self._decode is not None

    def _make(self) -> Decode | None:
        if self.coding in ("gzip", "x-gzip"):
            return zlib.decompressobj(16 + zlib.MAX_WBITS).decompress
        if self.coding == "deflate":
            return self._deflate
        if self.coding == "br" and (brotli := _optional("brotli")) is not None:
            return brotli.Decompressor().process  # type: ignore[no-any-return]
        if self.coding == "zstd" and (zstd := _optional("zstandard")) is not None:
            return zstd.ZstdDecompressor().decompressobj().decompress  # type: ignore[no-any-return]
        return None

    def _deflate(self, data: bytes) -> bytes:
        if self._inflate is None:
            self._inflate = zlib.decompressobj()
            try:
                return bytes(self._inflate.decompress(data))
            except zlib.error:
                # No zlib wrapper: raw deflate (RFC 1951).
                self._inflate = zlib.decompressobj(-zlib.MAX_WBITS)
        return bytes(self._inflate.decompress(data))

    def __call__(self, data: bytes) -> bytes:
        """The decoded bytes of the next piece of the body.

        :raises CliError: the body is not valid in its coding (curl's
            status 61).
        """
        if self._decode is None:
            return data
        try:
            return self._decode(data)
        except Exception as error:
            # zlib.error, brotli.error, zstandard.ZstdError: no common base.
            raise CliError(
                Exit.BAD_CONTENT_ENCODING,
                f"cannot decode the {self.coding} body: {error}",
            ) from error
