"""``python -m httpcore_compat``: the ``httpcore`` command-line client."""

from __future__ import annotations

from ._cli import run

if __name__ == "__main__":
    run()
