"""The optional accelerator, ``httpcore_headers._speedups`` (the C splitter
of ordinary CRLF header blocks); everything else about the package is in
pyproject.toml.

- With a working C compiler, the wheel carries the compiled module.
- Without one, setuptools says so and builds the wheel without it: the
  package's Python code takes its place (an optional extension, as
  markupsafe's is).
- ``HTTPCORE_NO_EXTENSIONS=1`` builds a pure Python wheel (``py3-none-any``).
- ``HTTPCORE_REQUIRE_EXTENSIONS=1`` (CI, cibuildwheel) makes a failed
  compilation fail the build.
"""

import os

from setuptools import Extension, setup

extensions = [
    Extension(
        "httpcore_headers._speedups",
        ["src/httpcore_headers/_speedups.c"],
        optional=not os.environ.get("HTTPCORE_REQUIRE_EXTENSIONS"),
    )
]
setup(ext_modules=[] if os.environ.get("HTTPCORE_NO_EXTENSIONS") else extensions)
