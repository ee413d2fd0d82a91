# Debug output.  http.client prints with print() when debuglevel > 0, and
# programs scrape that output or replace ``http.client.print``, so the text
# and the destination are the standard library's; httpcore_compat points
# ``output`` elsewhere when a program assigns ``http.client.print``.  Each
# line also goes to the "httpcore_client" logger at DEBUG, when that logger
# would keep it.
from __future__ import annotations

import builtins
import logging
from collections.abc import Callable
from typing import Any

output: Callable[..., Any] = builtins.print
"""Where debug lines go: :func:`print` unless a program assigned
``http.client.print`` on ``httpcore_compat``."""


_LOGGER = logging.getLogger("httpcore_client")


def emit(*args: object) -> None:
    """Write one debug line, as ``print(*args)`` would, through
    :data:`output`, and log it on the ``httpcore_client`` logger at DEBUG.

    :param args: what :func:`print` would be given.
    """
    output(*args)
    if _LOGGER.isEnabledFor(logging.DEBUG):
        _LOGGER.debug("%s", " ".join(map(str, args)))
