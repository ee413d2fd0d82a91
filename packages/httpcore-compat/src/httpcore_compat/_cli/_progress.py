# The transfer meter of the command-line client: tqdm's bar on stderr (bytes,
# rate, time left) for a transfer of more than a few megabytes, and only when
# stderr is a terminal, unless forced on or off.  tqdm is an optional
# dependency (the ``cli`` extra): the library never imports it, and without
# it the command says once how to get the bar and goes on without one.
from __future__ import annotations

import enum
from typing import Any, TextIO

#: A transfer of at least this many bytes gets a bar (when stderr is a
#: terminal): at that size it takes long enough on a slow link to want one.
THRESHOLD = 4 << 20

HINT = "httpcore: install tqdm for a progress bar: pip install 'httpcore-compat[cli]'"


class Mode(enum.Enum):
    """When to show a bar."""

    AUTO = "auto"  # big transfers, stderr a terminal
    ON = "on"  # every transfer with a body (--progress-bar)
    OFF = "off"  # never (--no-progress-meter, --silent)


class Progress:
    """Makes a :class:`Meter` per transfer, and remembers whether the hint
    about the missing dependency was given (it is given once per run).

    :param mode: when to show a bar.
    :param stream: where bars and the hint go (stderr).
    """

    def __init__(self, mode: Mode, stream: TextIO) -> None:
        self.mode = mode
        self.stream = stream
        self._hinted = False
        isatty = getattr(stream, "isatty", None)
        self._terminal = bool(isatty and isatty())

    @property
    def may_show(self) -> bool:
        """Whether a bar could appear at all: transfers that cannot show one
        skip the counting (and keep the kernel's zero-copy file sending)."""
        return self.mode is Mode.ON or (self.mode is Mode.AUTO and self._terminal)

    def meter(self, label: str, total: int | None) -> Meter:
        """A meter for one transfer of ``total`` bytes (``None``: unknown)."""
        return Meter(self, label, total)

    def _bar(self, label: str, total: int | None, initial: int) -> Any:
        """A tqdm bar, or ``None`` (after the hint) if tqdm is missing."""
        try:
            from tqdm import tqdm
        except ImportError:
            if not self._hinted:
                self._hinted = True
                print(HINT, file=self.stream, flush=True)
            return None
        return tqdm(
            desc=label,
            total=total,
            initial=initial,
            unit="B",
            unit_scale=True,
            unit_divisor=1024,
            file=self.stream,
            dynamic_ncols=self._terminal,
            # Not a terminal (forced on): fewer redraws for a log to hold.
            mininterval=0.1 if self._terminal else 0.5,
            leave=True,
        )


class Meter:
    """Counts one transfer's bytes and draws the bar once the transfer
    qualifies for one; :meth:`close` finishes the bar."""

    def __init__(self, progress: Progress, label: str, total: int | None) -> None:
        self._progress = progress
        self._label = label
        self._total = total
        self._bar: Any = None
        self.done = 0
        # A known length decides now; an unknown one once THRESHOLD is passed.
        self._undecided = progress.may_show
        if self._undecided and (progress.mode is Mode.ON or _big(total)):
            self._start()

    def _start(self) -> None:
        self._undecided = False
        self._bar = self._progress._bar(self._label, self._total, self.done)

    def update(self, count: int) -> None:
        """Record ``count`` more bytes transferred."""
        self.done += count
        if self._bar is not None:
            self._bar.update(count)
        elif self._undecided and self._total is None and self.done >= THRESHOLD:
            self._start()

    def close(self) -> None:
        """Finish the bar, if one is shown."""
        bar, self._bar = self._bar, None
        self._undecided = False
        if bar is not None:
            bar.close()


def _big(total: int | None) -> bool:
    return total is not None and total >= THRESHOLD
