# The command line's meaning: the parsed arguments checked against each
# other (curl's rules for the options that cannot be combined) and turned
# into one immutable Options value.
from __future__ import annotations

import dataclasses
import getpass
import os
import sys

from ._form import Field
from ._parser import build_parser
from ._progress import Mode


@dataclasses.dataclass(frozen=True)
class Options:
    """What the command line asks for."""

    urls: tuple[str, ...]
    method: str | None
    #: ``(name, value)``; a value of ``None`` removes the field (``-H 'X:'``).
    headers: tuple[tuple[str, str | None], ...]
    #: The request body: literal bytes, or ``@FILE`` / ``@-`` as given.
    data: bytes | None
    #: --json: the body is JSON (its Content-Type and Accept).
    json: bool
    #: -F: the fields of a multipart/form-data body.
    form: tuple[Field, ...]
    #: -T: the files to PUT (``-``: standard input), one per URL in order.
    uploads: tuple[str, ...]
    include: bool
    head: bool
    #: -o FILE and -O in the order given: a file name (``-``: stdout), or
    #: ``None`` for -O (the URL's last path segment).
    outputs: tuple[str | None, ...]
    #: --output-dir: where -o's relative names and -O's go.
    output_dir: str | None
    #: -D: where the heads go (``-`` for stdout).
    dump_header: str | None
    #: -w: the write-out format, as given.
    write_out: str | None
    verbose: bool
    follow: bool
    max_redirects: int
    #: -x's argument; ``None``: the environment's.
    proxy: str | None
    proxytunnel: bool
    proxy_user: str | None
    noproxy: str | None
    proxy_cacert: str | None
    proxy_insecure: bool
    cacert: str | None
    insecure: bool
    timeout: float | None
    connect_timeout: float | None
    #: -m: seconds for each transfer.
    max_time: float | None
    #: --retry N, --retry-delay (0: curl's backoff), --retry-max-time (0:
    #: none), --retry-connrefused.
    retry: int
    retry_delay: float
    retry_max_time: float
    retry_connrefused: bool
    fail: bool
    compressed: bool
    progress: Mode
    #: -s: no bar, no warnings, and no failures reported without -S.
    silent: bool
    #: Whether failures are reported on stderr (not with ``-s`` alone).
    show_errors: bool
    #: ``user:password`` of -u.
    user: str | None


def parse(argv: list[str] | None) -> Options:
    """The :class:`Options` of a command line (``None``: ``sys.argv``).

    :raises SystemExit: a usage error (status 2), ``--help`` or ``--version``.
    """
    parser = build_parser()
    # Options may come after and between the URLs, as in curl.
    args = parser.parse_intermixed_args(argv)
    pieces: list[str] = args.data
    data: bytes | None = None
    if pieces:
        if len(pieces) > 1 and any(piece.startswith("@") for piece in pieces):
            parser.error("only one --data may be given with @FILE")
        # As curl does: several pieces are joined as form fields.
        data = b"&".join(os.fsencode(piece) for piece in pieces)
    json_pieces: list[str] = args.json
    if json_pieces:
        if pieces:
            parser.error("--json and --data cannot be combined")
        if len(json_pieces) > 1 and any(p.startswith("@") for p in json_pieces):
            parser.error("only one --json may be given with @FILE")
        # curl joins several --json pieces as they are.
        data = b"".join(os.fsencode(piece) for piece in json_pieces)
    form: list[Field] = args.form
    # curl's words (status 2), and its order of the two methods named.
    methods = [
        what
        for what, given in (
            ("PUT (-T, --upload-file)", bool(args.uploads)),
            ("POST (-d, --data)", data is not None),
            ("HEAD (-I, --head)", args.head),
            ("multipart formpost (-F, --form)", bool(form)),
        )
        if given
    ]
    if len(methods) > 1:
        parser.error(
            "you can only select one HTTP request method! You asked for "
            f"both {methods[0]} and {methods[1]}"
        )
    if not args.silent:
        warnings = [f"skip unknown form field: {n}" for f in form for n in f.skipped]
        if len(args.outputs) > len(args.urls):
            warnings.append("Got more output options than URLs")
        for warning in warnings:
            print(f"httpcore: warning: {warning}", file=sys.stderr)
    progress = Mode.OFF if args.silent else args.progress
    user: str | None = args.user
    if user is not None and ":" not in user:
        # curl asks for the password of a user given without one.
        user += ":" + getpass.getpass(f"Enter host password for user '{user}':")
    return Options(
        urls=tuple(args.urls),
        method=args.request,
        headers=tuple(args.header),
        data=data,
        json=bool(json_pieces),
        form=tuple(form),
        uploads=tuple(args.uploads),
        include=args.include or args.head,
        head=args.head,
        outputs=tuple(args.outputs),
        output_dir=args.output_dir,
        dump_header=args.dump_header,
        write_out=args.write_out,
        verbose=args.verbose,
        follow=args.location,
        max_redirects=args.max_redirs,
        proxy=args.proxy,
        proxytunnel=args.proxytunnel,
        proxy_user=args.proxy_user,
        noproxy=args.noproxy,
        proxy_cacert=args.proxy_cacert,
        proxy_insecure=args.proxy_insecure,
        cacert=args.cacert,
        insecure=args.insecure,
        timeout=args.timeout,
        connect_timeout=args.connect_timeout,
        max_time=args.max_time,
        retry=args.retry,
        retry_delay=args.retry_delay,
        retry_max_time=args.retry_max_time,
        retry_connrefused=args.retry_connrefused,
        fail=args.fail,
        compressed=args.compressed,
        progress=progress,
        silent=args.silent,
        show_errors=args.show_error or not args.silent,
        user=user,
    )
