# The command line's grammar: curl's option names and meanings for the
# subset the client implements (docs/cli.rst lists them), as an argparse
# parser, with the types that check each argument.  Usage errors exit with
# status 2, as argparse and curl do.
from __future__ import annotations

import argparse
import platform
import ssl
import sys

import httpcore_headers
import httpcore_wire

from .._version import __version__
from ._form import field
from ._progress import Mode

#: Default bound on the redirects -L follows.
MAX_REDIRECTS = 10


def version_text() -> str:
    """What ``--version`` prints: the versions, and, as curl's
    ``Features:`` line, whether each compiled accelerator is in use."""
    accelerators = ", ".join(
        f"{name} {'compiled' if accelerated() else 'pure Python'}"
        for name, accelerated in (
            ("httpcore-headers", httpcore_headers.accelerated),
            ("httpcore-wire", httpcore_wire.accelerated),
        )
    )
    return (
        f"httpcore {__version__} (httpcore_compat; "
        f"{platform.python_implementation()} {platform.python_version()}; "
        f"{ssl.OPENSSL_VERSION})\n"
        f"Accelerators: {accelerators}\n"
    )


class _Version(argparse.Action):
    """``--version``: argparse's own action would fold the lines into one."""

    def __init__(self, option_strings: list[str], dest: str, help: str) -> None:
        super().__init__(option_strings, dest, nargs=0, help=help)

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: object,
        option_string: str | None = None,
    ) -> None:
        sys.stdout.write(version_text())
        parser.exit()


def _header(text: str) -> tuple[str, str | None]:
    """curl's -H: ``Name: value`` sends the field, ``Name:`` removes it
    (the command's own default of that name too), ``Name;`` sends it
    empty."""
    value: str | None
    if text.endswith(";") and ":" not in text:
        name, value = text[:-1], ""
    else:
        name, colon, rest = text.partition(":")
        if not colon:
            raise argparse.ArgumentTypeError(
                f"expected 'Name: value', 'Name:' or 'Name;', got {text!r}"
            )
        value = rest.strip() or None
    if not name.strip() or name != name.strip():
        raise argparse.ArgumentTypeError(f"expected 'Name: value', got {text!r}")
    return name, value


def _seconds(text: str, *, zero: bool) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not (value >= 0 if zero else value > 0) or value == float("inf"):
        least = "0 or more" if zero else "more than 0"
        raise argparse.ArgumentTypeError(f"must be {least}, got {text!r}")
    return value


def _timeout(text: str) -> float:
    return _seconds(text, zero=False)


def _delay(text: str) -> float:
    """--retry-delay and --retry-max-time: 0 is curl's default."""
    return _seconds(text, zero=True)


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, got {text!r}")
    return value


def build_parser() -> argparse.ArgumentParser:
    """The argument parser, also used to check docs/cli.rst."""
    parser = argparse.ArgumentParser(
        prog="httpcore",
        description="Transfer a URL over HTTP/1.1 with httpcore (a small curl).",
        epilog="Exit statuses follow curl's; see the documentation (cli).",
    )
    add = parser.add_argument
    add(
        "urls",
        metavar="URL",
        nargs="+",
        help="http:// or https:// URL; several are fetched in order",
    )
    add("-X", "--request", metavar="METHOD", help="the request method")
    add(
        "-H",
        "--header",
        metavar="'NAME: VALUE'",
        type=_header,
        action="append",
        default=[],
        help="send this header field (repeatable)",
    )
    for flags, what in (
        (("-d", "--data"), "send DATA as the body (POST)"),
        (("--data-binary",), "the same as --data"),
    ):
        add(
            *flags,
            metavar="DATA",
            dest="data",
            action="append",
            default=[],
            help=f"{what}; @FILE streams a file, @- standard input",
        )
    add(
        "--json",
        metavar="DATA",
        action="append",
        default=[],
        help="send DATA as a JSON body (POST); @FILE, @- as with --data",
    )
    add(
        "-F",
        "--form",
        metavar="NAME=CONTENT",
        type=field,
        action="append",
        default=[],
        help="add a multipart/form-data field (POST): NAME=VALUE, NAME=@FILE "
        "uploads FILE, NAME=<FILE sends its contents; ;type= and ;filename=",
    )
    add(
        "-T",
        "--upload-file",
        metavar="FILE",
        dest="uploads",
        action="append",
        default=[],
        help="PUT FILE (- for standard input, chunked) to the URL of the same "
        "rank; a URL ending in / gets the file's name",
    )
    add("-i", "--include", action="store_true", help="print the response head")
    add("-I", "--head", action="store_true", help="send HEAD, print the head")
    add(
        "-o",
        "--output",
        metavar="FILE",
        dest="outputs",
        action="append",
        default=[],
        help="write the body to FILE (- for stdout)",
    )
    add(
        "-O",
        "--remote-name",
        dest="outputs",
        action="append_const",
        const=None,
        help="write the body to a file named as the URL's last path segment",
    )
    add(
        "--output-dir",
        metavar="DIR",
        help="write the files of -o and -O in DIR",
    )
    add(
        "-D",
        "--dump-header",
        metavar="FILE",
        help="write the heads of the responses to FILE (- for stdout)",
    )
    add(
        "-w",
        "--write-out",
        metavar="FORMAT",
        help="write FORMAT with %%{variables} at the end (@FILE reads it)",
    )
    add("-v", "--verbose", action="store_true", help="wire-level output on stderr")
    add(
        "-s",
        "--silent",
        action="store_true",
        help="no progress bar, no hint and no error messages",
    )
    add(
        "-S",
        "--show-error",
        action="store_true",
        help="with -s: report failures on stderr all the same",
    )
    add("-L", "--location", action="store_true", help="follow redirects")
    add(
        "--max-redirs",
        metavar="N",
        type=_count,
        default=MAX_REDIRECTS,
        help=f"follow at most N redirects (default {MAX_REDIRECTS})",
    )
    add(
        "-u",
        "--user",
        metavar="USER:PASSWORD",
        help="send Authorization: Basic (to the URL's host only)",
    )
    add(
        "-x",
        "--proxy",
        metavar="[SCHEME://][USER:PASSWORD@]HOST[:PORT]",
        help="go through this HTTP or HTTPS proxy ('' for none)",
    )
    add(
        "-p",
        "--proxytunnel",
        action="store_true",
        help="tunnel http:// URLs through the proxy with CONNECT too",
    )
    add(
        "-U",
        "--proxy-user",
        metavar="USER:PASSWORD",
        help="send Proxy-Authorization: Basic to the proxy",
    )
    add(
        "--noproxy",
        metavar="HOSTS",
        help="comma-separated hosts (or *) to reach without a proxy",
    )
    add("--proxy-cacert", metavar="FILE", help="trust FILE's CAs for an HTTPS proxy")
    add(
        "--proxy-insecure",
        action="store_true",
        help="skip TLS verification of an HTTPS proxy",
    )
    add("--cacert", metavar="FILE", help="trust the CA certificates in FILE")
    add("-k", "--insecure", action="store_true", help="skip TLS verification")
    add(
        "--timeout",
        metavar="SECONDS",
        type=_timeout,
        help="socket timeout for connecting and each read or write",
    )
    add(
        "--connect-timeout",
        metavar="SECONDS",
        type=_timeout,
        help="at most SECONDS to connect (TCP, a proxy's tunnel, TLS)",
    )
    add(
        "-m",
        "--max-time",
        metavar="SECONDS",
        type=_timeout,
        help="at most SECONDS for each transfer",
    )
    add(
        "--retry",
        metavar="N",
        type=_count,
        default=0,
        help="retry a transfer that failed in a transient way up to N times",
    )
    add(
        "--retry-delay",
        metavar="SECONDS",
        type=_delay,
        default=0.0,
        help="wait SECONDS between retries (default: 1 s, doubling each time)",
    )
    add(
        "--retry-max-time",
        metavar="SECONDS",
        type=_delay,
        default=0.0,
        help="no retry once SECONDS have gone by since the first attempt",
    )
    add(
        "--retry-connrefused",
        action="store_true",
        help="with --retry: retry a refused connection too",
    )
    add(
        "--compressed",
        action="store_true",
        help="ask for a compressed body (gzip, deflate, br, zstd) and decode it",
    )
    add("-f", "--fail", action="store_true", help="exit 22 on a 4xx or 5xx status")
    bars = parser.add_mutually_exclusive_group()
    bars.add_argument(
        "-#",
        "--progress-bar",
        dest="progress",
        action="store_const",
        const=Mode.ON,
        default=Mode.AUTO,
        help="always show a progress bar",
    )
    bars.add_argument(
        "--no-progress-meter",
        dest="progress",
        action="store_const",
        const=Mode.OFF,
        help="never show a progress bar",
    )
    add(
        "-V",
        "--version",
        action=_Version,
        help="print the versions and the accelerators in use, and exit",
    )
    return parser
