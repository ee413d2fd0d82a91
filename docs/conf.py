"""Sphinx configuration for the httpcore documentation."""

from __future__ import annotations

import httpcore_headers

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
