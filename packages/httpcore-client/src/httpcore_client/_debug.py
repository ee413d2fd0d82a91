# Debug output.  http.client prints with print() when debuglevel > 0, and
# programs scrape that output or replace ``http.client.print``, so the text
# and the destination are the standard library's; httpcore_compat points
# ``output`` elsewhere when a program assigns ``http.client.print``.  Each
# line also goes to the "httpcore_client" logger at DEBUG when its own level
# asks for it (_exchange_log.recording()).
from __future__ import annotations

import builtins
from collections.abc import Callable
from typing import Any

from ._exchange_log import log, recording

output: Callable[..., Any] = builtins.print
"""Where debug lines go: :func:`print` unless a program assigned
``http.client.print`` on ``httpcore_compat``."""


def emit(*args: object) -> None:
    """Write one debug line, as ``print(*args)`` would, through
    :data:`output`, and log it on the ``httpcore_client`` logger at DEBUG.

    :param args: what :func:`print` would be given.
    """
    output(*args)
    if recording():
        log("%s", " ".join(map(str, args)))
