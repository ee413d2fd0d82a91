# -w/--write-out: curl's format of the common variables
# (https://curl.se/docs/manpage.html#-w), written once the transfer is over,
# whether it succeeded or not.  ``%{name}`` is a variable, ``%{stdout}`` and
# ``%{stderr}`` switch the stream the rest goes to, ``%%`` is a percent
# sign, ``\n``, ``\r`` and ``\t`` are escapes, and ``@FILE`` (``@-``: standard
# input) reads the format from a file.  An unknown variable is written as
# curl 7.88 writes it: nothing, after a warning.
from __future__ import annotations

import dataclasses
import re
import sys
from typing import Any, BinaryIO, TextIO

from ._errors import CliError, Exit

_TOKEN = re.compile(r"%\{([a-z_]+)\}|%%|\\[nrt\\]")
_ESCAPES = {"\\n": "\n", "\\r": "\r", "\\t": "\t", "\\\\": "\\"}


@dataclasses.dataclass
class Stats:
    """What the write-out variables report, filled in as the transfer goes."""

    started: float = 0.0
    http_code: int = 0
    size_download: int = 0
    size_upload: int = 0
    size_header: int = 0
    time_connect: float = 0.0
    time_starttransfer: float = 0.0
    time_total: float = 0.0
    url_effective: str = ""
    content_type: str = ""
    num_redirects: int = 0
    remote_ip: str = ""
    remote_port: int = 0
    scheme: str = ""
    method: str = ""
    exitcode: int = 0
    errormsg: str = ""

    def values(self) -> dict[str, str]:
        """The variables as text, as curl formats them."""
        seconds = {
            name: f"{getattr(self, name):.6f}"
            for name in ("time_connect", "time_starttransfer", "time_total")
        }
        code = f"{self.http_code:03d}"
        return {
            "http_code": code,
            "response_code": code,
            "size_download": str(self.size_download),
            "size_upload": str(self.size_upload),
            "size_header": str(self.size_header),
            "url_effective": self.url_effective,
            "content_type": self.content_type,
            "num_redirects": str(self.num_redirects),
            "remote_ip": self.remote_ip,
            "remote_port": str(self.remote_port or ""),
            # curl writes the scheme in upper case.
            "scheme": self.scheme.upper(),
            "method": self.method,
            "exitcode": str(self.exitcode),
            "errormsg": self.errormsg,
            **seconds,
        }


def load(text: str) -> str:
    """The format of ``-w TEXT``: ``@FILE`` and ``@-`` read it.

    :raises CliError: the file cannot be read (status 26).
    """
    if not text.startswith("@"):
        return text
    name = text[1:]
    try:
        if name == "-":
            return sys.stdin.read()
        with open(name, encoding="utf-8", errors="surrogateescape") as file:
            return file.read()
    except OSError as error:
        raise CliError(
            Exit.READ_ERROR, f"cannot read {name}: {error.strerror or error}"
        ) from error


def write(template: str, stats: Stats, stdout: BinaryIO, stderr: TextIO) -> None:
    """Write ``template`` with ``stats``' values to stdout (or stderr after
    ``%{stderr}``)."""
    values = stats.values()
    streams: dict[str, Any] = {"stdout": stdout, "stderr": stderr}
    current: Any = stdout
    position = 0
    for match in _TOKEN.finditer(template):
        _put(current, template[position : match.start()])
        position = match.end()
        token, name = match[0], match[1]
        if name in streams:
            current = streams[name]
        elif name is not None:
            if name not in values:
                print(f"httpcore: unknown --write-out variable: {name!r}", file=stderr)
            _put(current, values.get(name, ""))
        else:
            _put(current, "%" if token == "%%" else _ESCAPES[token])
    _put(current, template[position:])
    stdout.flush()
    stderr.flush()


def _put(stream: Any, text: str) -> None:
    if not text:
        return
    if hasattr(stream, "encoding"):
        stream.write(text)
    else:
        stream.write(text.encode("utf-8", "surrogateescape"))
