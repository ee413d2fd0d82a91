"""Sphinx configuration for the httpcore documentation."""

from __future__ import annotations

import pathlib
import sys

import httpcore_headers

# The doctests start the examples' local server (docs/examples/local_server.py).
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent / "examples"))

project = "httpcore"
author = "The httpcore authors"
copyright = "2026, The httpcore authors"
release = httpcore_headers.__version__
version = release

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.doctest",
    "sphinx.ext.viewcode",
]
exclude_patterns = ["_build"]
html_theme = "furo"
html_title = f"httpcore {release}"
autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_preserve_defaults = True
# The TypeVar and Buffer alias in signatures refer to private names.
autodoc_type_aliases = {"Buffer": "bytes | bytearray | memoryview"}
doctest_global_setup = "import io"
