# Request bodies of the command-line client.  Literal data is sent as bytes;
# ``@FILE`` and ``@-`` (--data, -T) and -F's form (_form.py) are streamed,
# never read into memory: a regular file
# with Content-Length (the connection then sends it with sendfile() when no
# meter needs to see the blocks), anything else (a pipe, a terminal,
# standard input from a pipe) chunked, RFC 9112 section 7.1.  A body can be
# sent again for a 307/308 redirect only if it is bytes or a regular file.
from __future__ import annotations

import os
import stat
import sys
from typing import Protocol

from ._errors import CliError, Exit
from ._form import Multipart
from ._progress import Meter, Progress


class Source(Protocol):
    """What a streamed body is read from: a file, or a form."""

    def read(self, size: int = -1, /) -> bytes: ...
    def seek(self, offset: int, /) -> object: ...
    def close(self) -> None: ...


class Body:
    """One request body, from ``--data``, ``--json`` or ``-T``.

    :param data: the bytes to send, or ``@FILE`` / ``@-`` as given.
    :param content_type: the Content-Type it is sent with, if any.
    :param upload: for -T: standard input is always sent chunked, and a
        file that cannot be opened is reported in curl's words.
    :raises CliError: the file cannot be opened (status 26).
    """

    def __init__(
        self, data: bytes, content_type: str | None = None, *, upload: bool = False
    ) -> None:
        self.content_type = content_type
        self.bytes: bytes | None = None
        self.file: Source | None = None
        #: None when it is not known before reading (chunked framing).
        self.length: int | None = None
        #: The file position to rewind to; None if it cannot be rewound.
        self._start: int | None = None
        self._owned = False
        self.name = ""
        if not data.startswith(b"@"):
            self.bytes = data
            self.length = len(data)
            return
        name = os.fsdecode(data[1:])
        self.name = "standard input" if name == "-" else name
        try:
            if name == "-":
                file = sys.stdin.buffer
            else:
                file = open(name, "rb")  # noqa: SIM115 (closed by close())
                self._owned = True
            self.file = file
            info = os.fstat(file.fileno())
            if stat.S_ISREG(info.st_mode):
                self._start = file.tell()
                if not (upload and name == "-"):
                    self.length = max(info.st_size - self._start, 0)
        except OSError as error:
            self.close()
            what = f"can't open {name!r}" if upload else f"cannot read {self.name}"
            raise CliError(
                Exit.READ_ERROR, f"{what}: {error.strerror or error}"
            ) from error

    @classmethod
    def form(cls, form: Multipart) -> Body:
        """The body of -F's fields (its files already open)."""
        body = cls(b"", form.content_type)
        body.bytes, body.file, body.name = None, form, "the form"
        body.length, body._start, body._owned = form.length, 0, True
        return body

    @property
    def replayable(self) -> bool:
        """Whether the body can be sent again (for a 307 or 308 redirect)."""
        return self.bytes is not None or self._start is not None

    def rewind(self) -> None:
        """Go back to the start of the body before sending it again."""
        if self.file is not None and self._start is not None:
            self.file.seek(self._start)

    def framing(self) -> tuple[str, str]:
        """The field that frames the body: Content-Length or chunked."""
        if self.length is None:
            return ("Transfer-Encoding", "chunked")
        return ("Content-Length", str(self.length))

    def payload(self, progress: Progress) -> tuple[object, Meter | None]:
        """What to hand to ``endheaders()``, and the meter that counts it
        (``None`` when no bar could be shown)."""
        if self.bytes is not None:
            return self.bytes, None
        assert self.file is not None
        regular = self._start is not None
        if regular and not progress.may_show:
            return self.file, None
        meter = progress.meter("upload", self.length)
        return _Counted(self.file, self.name, meter, regular), meter

    def close(self) -> None:
        """Close the file, if this body opened it."""
        if self._owned and self.file is not None:
            self.file.close()
        self.file = None


class _Counted:
    """A file as the connection reads it (in ``blocksize`` pieces), counted
    for the meter; read errors become status 26.  No ``fileno()``: the
    connection reads the blocks instead of sending the file with
    sendfile(), so the meter sees them."""

    def __init__(self, file: Source, name: str, meter: Meter, regular: bool) -> None:
        self._file = file
        self._name = name
        self._meter = meter
        # From a pipe, send what has arrived instead of waiting for a full
        # block: the other end may be interactive.
        self._read = file.read if regular else getattr(file, "read1", file.read)

    def read(self, size: int = -1) -> bytes:
        try:
            block = self._read(size)
        except OSError as error:
            raise CliError(
                Exit.READ_ERROR,
                f"cannot read {self._name}: {error.strerror or error}",
            ) from error
        self._meter.update(len(block))
        return block
