# Where the command's output goes: the head (-i) and the body to stdout,
# -o FILE or -O (the URL's file name, as curl takes it), the heads of every
# response to -D FILE (``-D -``: stdout), each opened when the first byte
# for it arrives.  A reader that goes away from stdout (``| head``) ends
# the command quietly with curl's status 23.
from __future__ import annotations

import os
import urllib.parse
from typing import Any, BinaryIO

from ._errors import CliError, Exit


def output_path(spec: str | None, url: str, directory: str | None = None) -> str | None:
    """Where a URL's body goes: ``None`` for stdout (no -o, or ``-o -``),
    else the file of ``-o FILE`` or of -O (``spec`` None), in ``directory``
    (--output-dir) if given.

    :raises CliError: -O and the URL's path ends in ``/`` (or ``.``,
        ``..``): status 23, as curl, before connecting.
    """
    if spec == "-":
        return None
    if spec is None:
        # curl's name: the last segment as it is in the URL (still
        # percent-encoded), without the query.
        path = urllib.parse.urlsplit(url if "://" in url else "http://" + url).path
        spec = path.rpartition("/")[2]
        if spec in ("", ".", ".."):
            raise CliError(
                Exit.WRITE_ERROR, f"remote file name has no length! ({url}, -O)"
            )
    return spec if directory is None else os.path.join(directory, spec)


def head_bytes(response: Any) -> bytes:
    """The status line and fields of ``response`` as received, CRLF-ended,
    with the blank line after them."""
    version = "HTTP/1.0" if response.version == 10 else "HTTP/1.1"
    lines = [f"{version} {response.status} {response.reason}"]
    lines += [f"{name}: {value}" for name, value in response.getheaders()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1", "replace")


class Output:
    """Where the head (with -i) and the body go: stdout or ``-o FILE``,
    opened when the final response arrives."""

    def __init__(self, path: str | None, stdout: BinaryIO) -> None:
        self._path = path
        self._stdout = stdout
        self._file: BinaryIO | None = None

    def write(self, data: bytes) -> None:
        """Write ``data``.

        :raises CliError: status 23; with no message if stdout was closed
            by its reader (``| head``).
        """
        try:
            if self._file is None:
                self._file = self._stdout if self._path is None else self._open()
            self._file.write(data)
        except BrokenPipeError as error:
            if self._path is None:
                raise CliError(Exit.WRITE_ERROR, "") from error
            raise self._failed(error) from error
        except OSError as error:
            raise self._failed(error) from error

    def _open(self) -> BinaryIO:
        assert self._path is not None
        return open(self._path, "wb")

    def _failed(self, error: OSError) -> CliError:
        name = self._path or "standard output"
        return CliError(
            Exit.WRITE_ERROR, f"cannot write to {name}: {error.strerror or error}"
        )

    def close(self) -> None:
        """Flush stdout, or close the file.

        :raises CliError: as :meth:`write`.
        """
        file, self._file = self._file, None
        try:
            if file is self._stdout:
                file.flush()
            elif file is not None:
                file.close()
        except BrokenPipeError as error:
            raise CliError(Exit.WRITE_ERROR, "") from error
        except OSError as error:
            raise self._failed(error) from error
