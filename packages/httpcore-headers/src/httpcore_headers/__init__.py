"""Parse HTTP/1.x header blocks exactly as ``http.client`` does, only faster.

The bottom of the httpcore packages: :func:`parse_headers` and
:class:`HTTPMessage` with the standard library's behaviour, bounded by
configurable limits, plus a sans-I/O entry point for servers and proxies
that hold bytes rather than a file. No dependencies outside the standard
library.
"""

from ._ambiguity import ambiguous_lines
from ._exceptions import HeaderBlockTooLarge, HTTPException, LineTooLong, TooManyHeaders
from ._limits import DEFAULT_LIMITS, HeaderLimits
from ._message import HTTPMessage
from ._parse import accelerated
from ._reader import parse_header_lines, parse_headers, read_header_lines
from ._scan import (
    HeaderBlockScanner,
    find_header_block_end,
    parse_header_block,
    try_parse_header_block,
)
from ._version import __version__

__all__ = [
    "DEFAULT_LIMITS",
    "HTTPException",
    "HTTPMessage",
    "HeaderBlockScanner",
    "HeaderBlockTooLarge",
    "HeaderLimits",
    "LineTooLong",
    "TooManyHeaders",
    "__version__",
    "accelerated",
    "ambiguous_lines",
    "find_header_block_end",
    "parse_header_block",
    "parse_header_lines",
    "parse_headers",
    "read_header_lines",
    "try_parse_header_block",
]
