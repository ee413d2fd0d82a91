# -F: a multipart/form-data body (RFC 7578) with curl's syntax for each
# field (https://curl.se/docs/manpage.html#-F): ``name=value``,
# ``name=@FILE`` (a file upload, with its name and a Content-Type),
# ``name=<FILE`` (the file's contents as the value), then ``;type=`` and
# ``;filename=``; a value may be double-quoted to hold a ``;``.  The
# parts are laid out once, before connecting (a missing file is status 26
# with nothing sent, as in curl), and streamed: a regular file is read in
# blocks as the connection sends it, so the length is known (Content-Length)
# without reading it; anything else (standard input, a pipe) is read into
# memory, as curl reads it.
from __future__ import annotations

import argparse
import dataclasses
import mimetypes
import os
import re
import secrets
import stat
import sys
from typing import BinaryIO

from ._errors import CliError, Exit

#: Characters that cannot stand in a quoted name or file name: percent-
#: encoded, as curl and the HTML form encoding do (RFC 7578 section 4.2).
_ESCAPES = {'"': "%22", "\r": "%0D", "\n": "%0A"}
_ESCAPE = re.compile(r'["\r\n]')
_PARAMETERS = frozenset({"type", "filename"})


@dataclasses.dataclass(frozen=True)
class Field:
    """One -F argument."""

    name: str
    #: The literal value, or the file's path for ``@`` and ``<``.
    value: str
    #: ``""`` (literal), ``"@"`` (upload the file) or ``"<"`` (its contents).
    source: str
    type: str | None = None
    filename: str | None = None
    #: Parameters curl does not know, skipped after a warning.
    skipped: tuple[str, ...] = ()


def field(text: str) -> Field:
    """The :class:`Field` of one -F argument (an argparse type).

    :raises argparse.ArgumentTypeError: there is no ``=``, a quote is not
        closed, or ``type=`` is empty.
    """
    name, equals, rest = text.partition("=")
    if not equals or not name:
        raise argparse.ArgumentTypeError(f"expected 'NAME=CONTENT', got {text!r}")
    source = rest[:1] if rest[:1] in ("@", "<") else ""
    value, at = _token(rest, len(source), text)
    parameters: dict[str, str] = {}
    skipped: list[str] = []
    while at < len(rest):
        key, equals, _ = rest[at + 1 :].partition("=")
        if equals and key in _PARAMETERS:
            parameters[key], at = _token(rest, at + 2 + len(key), text)
        else:
            unknown, at = _token(rest, at + 1, text)
            skipped.append(unknown)
    if parameters.get("type") == "":
        raise argparse.ArgumentTypeError(f"an empty ';type=' in {text!r}")
    return Field(
        name=name,
        value=value,
        source=source,
        type=parameters.get("type"),
        filename=parameters.get("filename"),
        skipped=tuple(skipped),
    )


def _token(rest: str, at: int, text: str) -> tuple[str, int]:
    """The token of ``rest`` at ``at`` (quoted, or up to the next ``;``) and
    where it ends."""
    if rest[at : at + 1] != '"':
        end = rest.find(";", at)
        end = len(rest) if end < 0 else end
        return rest[at:end], end
    found: list[str] = []
    at += 1
    while at < len(rest):
        char = rest[at]
        if char == '"':
            end = rest.find(";", at)
            return "".join(found), len(rest) if end < 0 else end
        if char == "\\" and at + 1 < len(rest):
            at += 1
            char = rest[at]
        found.append(char)
        at += 1
    raise argparse.ArgumentTypeError(f"an unclosed quote in {text!r}")


def _quoted(text: str) -> str:
    return '"' + _ESCAPE.sub(lambda match: _ESCAPES[match[0]], text) + '"'


class Multipart:
    """The body of a list of fields, read in order as one stream: each
    part's head, its content (bytes, or a regular file read as it goes),
    and the closing delimiter.

    :param fields: the -F arguments, in order.
    :raises CliError: a file cannot be opened or read (status 26).
    """

    def __init__(self, fields: tuple[Field, ...]) -> None:
        #: curl's shape of boundary: 24 dashes and 16 random hex digits.
        self.boundary = "-" * 24 + secrets.token_hex(8)
        self.content_type = f"multipart/form-data; boundary={self.boundary}"
        self._pieces: list[bytes | tuple[BinaryIO, int]] = []
        self._files: list[BinaryIO] = []
        # Where read() is: the piece, the bytes of its file already read,
        # and what was read past the last block.
        self._at, self._read, self._left = 0, 0, b""
        try:
            for one in fields:
                self._add(one)
        except OSError as error:
            self.close()
            name = error.filename or "standard input"
            raise CliError(
                Exit.READ_ERROR,
                "failed to open/read local data from file/application: "
                f"{name}: {error.strerror or error}",
            ) from error
        self._bytes(f"--{self.boundary}--\r\n".encode())
        self.length = sum(
            len(piece) if isinstance(piece, bytes) else piece[1]
            for piece in self._pieces
        )

    def _add(self, one: Field) -> None:
        content: bytes | tuple[BinaryIO, int]
        filename, kind = one.filename, one.type
        if one.source == "<":
            content = self._open(one.value)[0].read()
        elif one.source == "@":
            file, size = self._open(one.value)
            content = (file, size) if size >= 0 else file.read()
            if filename is None:
                filename = os.path.basename(one.value)
            if kind is None and one.value != "-":
                # curl sends none for standard input.
                guessed, _ = mimetypes.guess_type(one.value)
                kind = guessed or "application/octet-stream"
        else:
            content = os.fsencode(one.value)
        disposition = f"Content-Disposition: form-data; name={_quoted(one.name)}"
        if filename is not None:
            disposition += f"; filename={_quoted(filename)}"
        lines = [f"--{self.boundary}", disposition]
        if kind is not None:
            lines.append(f"Content-Type: {kind}")
        head = "\r\n".join(lines) + "\r\n\r\n"
        self._bytes(head.encode("utf-8", "surrogateescape"))
        if isinstance(content, bytes):
            self._bytes(content)
        else:
            self._pieces.append(content)
        self._bytes(b"\r\n")

    def _open(self, path: str) -> tuple[BinaryIO, int]:
        """The file at ``path`` (``-``: standard input), and its size, or
        -1 when it is not a regular file."""
        if path == "-":
            return sys.stdin.buffer, -1
        file = open(path, "rb")  # noqa: SIM115 (closed by close())
        self._files.append(file)
        info = os.fstat(file.fileno())
        return file, info.st_size if stat.S_ISREG(info.st_mode) else -1

    def _bytes(self, data: bytes) -> None:
        if self._pieces and isinstance(self._pieces[-1], bytes):
            self._pieces[-1] += data
        else:
            self._pieces.append(data)

    def read(self, size: int = -1) -> bytes:
        """Up to ``size`` bytes of the body (all that is left for -1).

        :raises OSError: a file could not be read, or was cut short.
        """
        out = bytearray(self._left)
        want = self.length if size < 0 else size
        while len(out) < want and self._at < len(self._pieces):
            piece = self._pieces[self._at]
            if isinstance(piece, bytes):
                self._at += 1
                out += piece
                continue
            file, length = piece
            block = file.read(min(length - self._read, want - len(out)))
            if not block:
                raise CliError(
                    Exit.READ_ERROR, f"{file.name} was cut short while it was sent"
                )
            self._read += len(block)
            out += block
            if self._read == length:
                self._at, self._read = self._at + 1, 0
        self._left = bytes(out[want:])
        return bytes(out[:want])

    def seek(self, offset: int) -> None:
        """Go back to the start (``offset`` 0), to send the body again."""
        if offset:
            raise ValueError("a form body can only be rewound to its start")
        self._at, self._read, self._left = 0, 0, b""
        for file in self._files:
            file.seek(0)

    def close(self) -> None:
        """Close the files."""
        for file in self._files:
            file.close()
        self._files.clear()
