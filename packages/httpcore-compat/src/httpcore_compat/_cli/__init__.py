"""``httpcore``, the command-line client: a small curl on httpcore_compat.

Private: run it as ``httpcore`` or ``python -m httpcore_compat``; the
options and exit statuses are documented in docs/cli.rst.
"""

from __future__ import annotations

import contextlib
import os
import sys

from . import _writeout as writeout
from ._command import Command, report
from ._errors import CliError, Exit
from ._options import parse

__all__ = ["main", "run"]


def main(argv: list[str] | None = None) -> int:
    """Run one command line; the exit status.

    :param argv: the arguments (without the program name); ``None`` reads
        ``sys.argv``.
    :raises SystemExit: for a usage error (status 2), ``--help`` and
        ``--version``, from argparse.
    """
    options = parse(argv)
    command: Command | None = None
    try:
        template = None
        if options.write_out is not None:
            template = writeout.load(options.write_out)
        command = Command(options, sys.stdout.buffer, sys.stderr, template)
        # http.client prints -v's wire lines with print(), to stdout, where
        # the body goes: send them to stderr instead.
        redirect = (
            contextlib.redirect_stdout(sys.stderr)
            if options.verbose
            else contextlib.nullcontext()
        )
        with redirect:
            status = command.run()
    except CliError as error:
        report(error, options, sys.stderr)
        status = error.status
    except KeyboardInterrupt:
        print("httpcore: interrupted", file=sys.stderr, flush=True)
        return Exit.INTERRUPTED
    if command is not None and command.stdout_gone:
        _silence_stdout()
    return status


def _silence_stdout() -> None:
    """After the reader of stdout went away: point stdout at the null
    device, so that the interpreter's final flush does not fail again."""
    with contextlib.suppress(OSError, ValueError):
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)


def run() -> None:
    """The ``httpcore`` console script."""
    sys.exit(main())
