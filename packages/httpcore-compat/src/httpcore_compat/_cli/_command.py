# One command line: its URLs in order, each with its retries (_retry.py),
# its failure reported on stderr and its -w written, over one set of
# connections, so that URLs on the same origin share a kept-alive
# connection.  As in curl 7.88, a failed URL does not stop the next one,
# and the exit status is that of the last URL.
from __future__ import annotations

import contextlib
import time
from typing import Any, BinaryIO

from . import _writeout as writeout
from ._connections import Connections
from ._errors import CliError, Exit
from ._options import Options
from ._output import Output
from ._request import Request, make_request
from ._retry import Retries
from ._transfer import Transfer


def report(error: CliError, options: Options, stderr: Any) -> None:
    """Print ``error``'s message, unless -s silences it."""
    if error.message and options.show_errors:
        print(f"httpcore: {error.message}", file=stderr, flush=True)


class Command:
    """Runs the URLs of one command line.

    :param options: the parsed command line.
    :param stdout: the binary stream bodies go to without ``-o``.
    :param stderr: where messages, warnings, -v's notes and the bar go.
    :param template: the loaded -w format, if any.
    """

    def __init__(
        self,
        options: Options,
        stdout: BinaryIO,
        stderr: Any,
        template: str | None = None,
    ) -> None:
        self.options = options
        self.stdout = stdout
        self.stderr = stderr
        self.template = template
        self.connections = Connections(options, self._note, lambda: None)
        dump = options.dump_header
        self.dump = (
            None if dump is None else Output(None if dump == "-" else dump, stdout)
        )
        #: Set when the reader of stdout went away (``| head``): the
        #: command stops quietly.
        self.stdout_gone = False

    def run(self) -> Exit:
        """Fetch every URL; the exit status of the last.

        :raises CliError: -D's file could not be written at the end.
        """
        status = Exit.OK
        try:
            for index, url in enumerate(self.options.urls):
                status = self._url(index, url)
                if self.stdout_gone:
                    break
        finally:
            self.connections.close()
            if self.dump is not None:
                self.dump.close()
        return status

    def _url(self, index: int, url: str) -> Exit:
        try:
            request = make_request(self.options, index, url)
        except CliError as error:
            report(error, self.options, self.stderr)
            return error.status
        retries = Retries(self.options, self._warn)
        try:
            while True:
                transfer, failure = self._attempt(request)
                if self.stdout_gone:
                    break
                wait = retries.wait(
                    failure,
                    transfer.stats.http_code,
                    transfer.retry_after,
                    request.body is None or request.body.replayable,
                )
                if wait is None:
                    break
                if failure is not None:
                    report(failure, self.options, self.stderr)
                retries.sleep(wait)
        finally:
            request.close()
        status, message = Exit.OK, ""
        if failure is not None:
            status, message = failure.status, failure.message
            report(failure, self.options, self.stderr)
        if self.template is not None and not self.stdout_gone:
            stats = transfer.stats
            stats.time_total = time.monotonic() - stats.started
            stats.exitcode, stats.errormsg = int(status), message
            with contextlib.suppress(OSError):
                writeout.write(self.template, stats, self.stdout, self.stderr)
        return status

    def _attempt(self, request: Request) -> tuple[Transfer, CliError | None]:
        transfer = Transfer(
            self.options,
            request,
            self.stdout,
            self.stderr,
            self.connections,
            self.dump,
        )
        try:
            transfer.run()
        except CliError as error:
            if error.status is Exit.WRITE_ERROR and not error.message:
                self.stdout_gone = True
            return transfer, error
        return transfer, None

    def _warn(self, text: str) -> None:
        # curl's warnings, in curl's words; -s silences them (-S too).
        if not self.options.silent:
            print(f"Warning: {text}", file=self.stderr, flush=True)

    def _note(self, text: str) -> None:
        if self.options.verbose:
            print(f"* {text}", file=self.stderr, flush=True)
