# What one URL of the command line asks for, settled before connecting:
# the method, the body (opened once, and rewound for each redirect and
# retry), and where the body of the response goes.  -d, --json and -F go
# with every URL; -T and -o/-O pair with the URLs in order, as curl pairs
# them (the first -T with the first URL, ...).
from __future__ import annotations

import dataclasses
import os

from ._body import Body
from ._form import Multipart
from ._options import Options
from ._output import output_path
from ._target import upload_url


@dataclasses.dataclass
class Request:
    """One URL's request."""

    url: str
    method: str
    body: Body | None
    #: The file the body goes to; ``None``: stdout.
    output: str | None

    def close(self) -> None:
        """Close the body's files."""
        if self.body is not None:
            self.body.close()


def make_request(options: Options, index: int, url: str) -> Request:
    """The :class:`Request` of the URL at ``index``.

    :raises CliError: -O finds no file name (status 23), or a file for the
        body cannot be opened (status 26).
    """
    outputs = options.outputs
    output = output_path(
        outputs[index] if index < len(outputs) else "-", url, options.output_dir
    )
    upload = options.uploads[index] if index < len(options.uploads) else None
    body = None
    method = "HEAD" if options.head else "GET"
    if options.data is not None:
        # curl's types for --json and --data.
        kind = "json" if options.json else "x-www-form-urlencoded"
        body, method = Body(options.data, f"application/{kind}"), "POST"
    elif options.form:
        body, method = Body.form(Multipart(options.form)), "POST"
    elif upload is not None:
        url = upload_url(url, upload)
        body, method = Body(b"@" + os.fsencode(upload), upload=True), "PUT"
    return Request(url, options.method or method, body, output)
