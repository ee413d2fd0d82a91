"""Build hook: compile the package's optional accelerator, a C extension
module of one source file named by the hook's ``module`` option
(``[tool.hatch.build.targets.wheel.hooks.custom]`` in pyproject.toml).

The package is complete without it (its Python code takes the same
decisions), so a wheel is built either way:

- with a C compiler (``CC`` and ``LDSHARED`` from the environment, else the
  ones ``sysconfig`` names, as setuptools does), the module is compiled and
  the wheel is tagged for this interpreter and platform;
- without one, or with ``HTTPCORE_NO_EXTENSIONS`` set, the wheel is pure
  Python (``py3-none-any``) and says why on the build output;
- with ``HTTPCORE_REQUIRE_EXTENSIONS`` set (CI does), a failed compilation
  fails the build instead.

Editable installs stay pure Python: they run the sources in place.

httpcore-headers and httpcore-wire carry the same copy of this file: each
sdist must build on its own.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class SpeedupsBuildHook(BuildHookInterface):  # type: ignore[type-arg]
    PLUGIN_NAME = "custom"

    _scratch: Path | None = None

    @property
    def module(self) -> str:
        """The module's path without suffix, such as ``pkg/_speedups``."""
        return str(self.config["module"])

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel" or version != "standard":
            return
        if os.environ.get("HTTPCORE_NO_EXTENSIONS"):
            self._say("HTTPCORE_NO_EXTENSIONS is set: pure Python wheel")
            return
        try:
            built = self._compile()
        except (OSError, subprocess.CalledProcessError, RuntimeError) as error:
            if os.environ.get("HTTPCORE_REQUIRE_EXTENSIONS"):
                raise RuntimeError(f"cannot build {self.module}: {error}") from error
            self._say(f"cannot build {self.module} ({error}): pure Python wheel")
            return
        suffix = sysconfig.get_config_var("EXT_SUFFIX")
        build_data["force_include"][str(built)] = self.module + suffix
        build_data["pure_python"] = False
        build_data["infer_tag"] = True

    def _compile(self) -> Path:
        source = Path(self.root) / "src" / f"{self.module}.c"
        config = sysconfig.get_config_vars()
        cc, ccshared, ldshared = (
            os.environ.get(name) or config.get(name)
            for name in ("CC", "CCSHARED", "LDSHARED")
        )
        # As setuptools does: a CC of one's own also links, unless LDSHARED
        # is given too.
        default_cc = config.get("CC") or ""
        if (
            "CC" in os.environ
            and "LDSHARED" not in os.environ
            and ldshared
            and default_cc
            and ldshared.startswith(default_cc)
        ):
            ldshared = os.environ["CC"] + ldshared[len(default_cc) :]
        suffix = config.get("EXT_SUFFIX")
        if not (cc and ldshared and suffix):
            raise RuntimeError("this interpreter names no C compiler (sysconfig)")
        include = sysconfig.get_paths()["include"]
        out = self._scratch = Path(tempfile.mkdtemp(prefix="httpcore-build-"))
        name = Path(self.module).name
        obj = out / f"{name}.o"
        target = out / f"{name}{suffix}"
        compile_ = [
            *shlex.split(cc),
            *shlex.split(ccshared or ""),
            "-O2",
            "-Wall",
            "-Werror=implicit-function-declaration",
            "-I",
            include,
            "-c",
            str(source),
            "-o",
            str(obj),
        ]
        link = [*shlex.split(ldshared), str(obj), "-o", str(target)]
        for command in (compile_, link):
            subprocess.run(command, check=True, stdout=sys.stderr)
        self._say(f"compiled {target.name}")
        return target

    def finalize(
        self, version: str, build_data: dict[str, Any], artifact_path: str
    ) -> None:
        if self._scratch is not None:
            shutil.rmtree(self._scratch, ignore_errors=True)
            self._scratch = None

    def _say(self, message: str) -> None:
        self.app.display_info(f"{self.metadata.name}: {message}")
