# --retry: which failed transfers are tried again, and after how long, as
# curl 7.88 decides (https://curl.se/docs/manpage.html#--retry): a
# "transient" failure is a timeout (curl counts a failed name lookup as
# one), an HTTP 408, 429, 500, 502, 503 or 504, and with
# --retry-connrefused a refused connection.  The wait is --retry-delay, or
# without it 1 s doubling up to 10 minutes; a Retry-After field (RFC 9110
# section 10.2.3) on a retried HTTP status makes it longer, and stops the
# retries when it would take them past --retry-max-time.  A body that
# cannot be sent again (from a pipe) is never retried.
from __future__ import annotations

import email.utils
import time
from collections.abc import Callable
from datetime import datetime, timezone

from ._errors import CliError, Exit
from ._options import Options

#: The HTTP statuses curl retries.
STATUSES = frozenset({408, 429, 500, 502, 503, 504})
#: curl's first wait without --retry-delay, and the bound of its doubling.
FIRST_WAIT = 1.0
MAX_WAIT = 600.0
_TIMEOUTS = frozenset({Exit.TIMEOUT, Exit.HOST_NOT_RESOLVED, Exit.PROXY_NOT_RESOLVED})


def problem(error: CliError | None, http_code: int, connrefused: bool) -> str | None:
    """curl's name for a transient failure (the words after ``Problem``),
    or ``None`` for one that is not retried.

    :param error: how the attempt failed, if it did.
    :param http_code: the status of its last response (0 for none).
    :param connrefused: --retry-connrefused.
    """
    if error is not None and error.status in _TIMEOUTS:
        return ": timeout"
    if (
        error is not None
        and connrefused
        and error.status is Exit.CONNECT_FAILED
        and isinstance(error.__cause__, ConnectionRefusedError)
    ):
        return ": connection refused"
    if (error is None or error.status is Exit.HTTP_ERROR) and http_code in STATUSES:
        return ": HTTP error"
    return None


def retry_after(value: str | None) -> float:
    """Seconds to wait from a Retry-After field: delay-seconds or an
    HTTP-date; 0 for none or one that does not parse."""
    if value is None:
        return 0.0
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return 0.0
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max((when - datetime.now(timezone.utc)).total_seconds(), 0.0)


class Retries:
    """The retries left for one URL.

    :param options: the command line (--retry and its companions).
    :param warn: prints a warning line (not with -s).
    :param sleep: waits (``time.sleep``).
    """

    def __init__(
        self,
        options: Options,
        warn: Callable[[str], None],
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.left = options.retry
        self._delay = options.retry_delay
        self._max_time = options.retry_max_time
        self._connrefused = options.retry_connrefused
        self._warn = warn
        self._sleep = sleep
        self._wait = FIRST_WAIT
        self._started = time.monotonic()
        #: curl's name for the failure :meth:`wait` last accepted.
        self._kind = ""

    def wait(
        self,
        error: CliError | None,
        http_code: int,
        after: str | None,
        replayable: bool,
    ) -> float | None:
        """The seconds to wait before trying once more, or ``None`` for no
        retry.

        :param error: how the attempt failed, if it did.
        :param http_code: the status of its last response (0 for none).
        :param after: its Retry-After field, if any.
        :param replayable: whether the request body can be sent again.
        """
        if not self.left:
            return None
        kind = problem(error, http_code, self._connrefused)
        if kind is None:
            return None
        elapsed = time.monotonic() - self._started
        if self._max_time and elapsed >= self._max_time:
            return None
        if not replayable:
            self._warn("Problem: the request body cannot be sent again: no retry.")
            return None
        wait = self._delay or self._wait
        if kind == ": HTTP error" and (seconds := retry_after(after)):
            if self._max_time and elapsed + seconds > self._max_time:
                self._warn(
                    "The Retry-After: time would make this command line exceed "
                    "the maximum allowed time for retries."
                )
                return None
            wait = max(wait, seconds)
        self._kind = kind
        return wait

    def sleep(self, wait: float) -> None:
        """Say so, in curl's words, and wait ``wait`` seconds."""
        self._warn(
            f"Problem {self._kind}. Will retry in {wait:g} seconds. "
            f"{self.left} retries left."
        )
        self.left -= 1
        if not self._delay:
            self._wait = min(self._wait * 2, MAX_WAIT)
        self._sleep(wait)
