# Header-block limits as values rather than constants buried in code.  The
# process-wide defaults live in one mutable object that every entry point
# reads at call time, so a caller (or httpcore_compat on behalf of code that
# assigns ``http.client._MAXLINE``) can change them while the program runs.
from __future__ import annotations

import contextlib
from collections.abc import Iterator

_NAMES = ("max_line", "max_headers", "max_block_size")


class HeaderLimits:
    """Limits that bound the memory and time spent on one header block.

    :param max_line: the longest accepted line, in bytes, counting its line
        ending. CPython's ``http.client._MAXLINE``: 65536.
    :param max_headers: the most lines accepted in one header block,
        counting the empty line that ends it, as CPython's
        ``http.client._MAXHEADERS`` does: with the default of 100, a block
        of 99 fields is accepted and one of 100 fields is refused.
    :param max_block_size: the most bytes accepted for the whole header
        block, line endings and the final empty line included, or ``None``
        for no limit beyond what the other two imply (the default, so that
        nothing CPython accepts is refused).
    :raises ValueError: if a limit is not a positive integer.
    """

    __slots__ = _NAMES

    max_line: int
    max_headers: int
    max_block_size: int | None

    def __init__(
        self,
        max_line: int = 65536,
        max_headers: int = 100,
        max_block_size: int | None = None,
    ) -> None:
        self.max_line = max_line
        self.max_headers = max_headers
        self.max_block_size = max_block_size

    def __setattr__(self, name: str, value: object) -> None:
        if not (value is None and name == "max_block_size"):
            _check_limit(name, value)
        object.__setattr__(self, name, value)

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in _NAMES)
        return f"HeaderLimits({fields})"

    @contextlib.contextmanager
    def changed(self, **limits: int | None) -> Iterator[HeaderLimits]:
        """Change limits for the length of a ``with`` block: on the way out
        every limit gets back the value it had on the way in, whatever the
        block assigned.  For tests, and for code that needs other limits
        for a while; on :data:`DEFAULT_LIMITS` the change is seen by every
        thread while it lasts::

            with httpcore_headers.DEFAULT_LIMITS.changed(max_headers=500):
                ...

        :param limits: new values, by attribute name.
        :raises TypeError: a name that is not a limit.
        :raises ValueError: a value that is not a positive integer.
        """
        unknown = sorted(set(limits) - set(_NAMES))
        if unknown:
            raise TypeError(f"not a limit: {', '.join(unknown)}")
        saved = [getattr(self, name) for name in _NAMES]
        try:
            for name, value in limits.items():
                setattr(self, name, value)
            yield self
        finally:
            for name, value in zip(_NAMES, saved, strict=True):
                object.__setattr__(self, name, value)


def _check_limit(name: str, value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{name} must be a positive integer, not {value!r}")


DEFAULT_LIMITS = HeaderLimits()
"""The process-wide defaults, read at every call that is not given a limit.

Assigning to its attributes changes the defaults for the whole process::

    httpcore_headers.DEFAULT_LIMITS.max_headers = 500
"""


def resolve(
    max_line: int | None, max_headers: int | None, max_block_size: int | None
) -> tuple[int, int, int | None]:
    """Fill in the limits a caller did not give from :data:`DEFAULT_LIMITS`."""
    defaults = DEFAULT_LIMITS
    if max_line is None and max_headers is None and max_block_size is None:
        # The common case (every response a client reads): nothing to check.
        return defaults.max_line, defaults.max_headers, defaults.max_block_size
    if max_line is None:
        max_line = defaults.max_line
    else:
        _check_limit("max_line", max_line)
    if max_headers is None:
        max_headers = defaults.max_headers
    else:
        _check_limit("max_headers", max_headers)
    if max_block_size is None:
        max_block_size = defaults.max_block_size
    else:
        _check_limit("max_block_size", max_block_size)
    return max_line, max_headers, max_block_size
