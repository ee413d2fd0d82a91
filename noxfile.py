"""Every way to build, test, check and measure httpcore.

``nox`` with no arguments runs the default sessions: lint, typing, each
package's tests alone on every Python, all tests together, CPython's own
http.client tests against httpcore_compat (conformance), the C accelerators
under the sanitizers, the build and the docs. ``nox -s demo`` runs the main
job (the client against servers it starts on 127.0.0.1), ``nox -s bench``
the benchmarks, ``nox -s consumers`` the test suites of urllib3, requests,
botocore and the standard library's own http.client consumers on both
http.client and httpcore_compat (slow: not in the default list), ``nox -s
fuzz`` bounded fuzzing of the parsers, pure Python against compiled and
against http.client (``-- --seconds N`` per atheris target; not in the
default list either).

Interpreters: the sessions run on Python 3.10 to 3.13, found on ``PATH`` as
``python3.10`` ... ``python3.13``. With pyenv, make them visible with
``export PYENV_VERSION=3.11.7:3.10.13:3.12.1:3.13.0`` (your patch versions).
A missing interpreter is skipped with a message, except on CI (``CI`` set),
where it is an error.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tarfile

import nox

ROOT = pathlib.Path(__file__).resolve().parent
PYTHONS = ["3.10", "3.11", "3.12", "3.13"]
# Sessions that need one interpreter use the newest.
TOOL_PYTHON = PYTHONS[-1]
PYPROJECT = nox.project.load_toml(ROOT / "pyproject.toml")

nox.needs_version = ">=2024.10.9"
nox.options.default_venv_backend = "virtualenv"
nox.options.sessions = [
    "lint",
    "typing",
    "tests",
    "tests_all",
    "conformance",
    "sanitize",
    "build",
    "docs",
]
nox.options.error_on_missing_interpreters = bool(os.environ.get("CI"))

# Dependency groups a package's own suite needs beyond "test".
EXTRA_TEST_GROUPS: dict[str, tuple[str, ...]] = {
    "httpcore-client": ("tls",),
    "httpcore-compat": ("tls",),
}
# Packages with an optional compiled accelerator (built by setuptools from
# their setup.py), whose suite runs twice: on the compiled module and on the
# pure Python path.
ACCELERATED = ("httpcore-headers", "httpcore-wire")
# Extras (optional dependencies) installed with a package for its own tests
# and typing: httpcore-compat's command line draws its progress bar with tqdm.
TESTED_EXTRAS: dict[str, tuple[str, ...]] = {"httpcore-compat": ("cli",)}


@dataclasses.dataclass(frozen=True)
class Package:
    """One distribution of the workspace, read from its pyproject.toml."""

    name: str
    path: pathlib.Path
    module: str
    version: str
    internal_requires: tuple[str, ...]
    #: The distributions each extra adds, by extra.
    extras: dict[str, tuple[str, ...]]

    def requirement(self, *extras: str) -> str:
        """The pip requirement that installs it from this checkout."""
        return f"{self.path}[{','.join(extras)}]" if extras else str(self.path)


def _version_of(path: pathlib.Path, module: str) -> str:
    text = (path / "src" / module / "_version.py").read_text()
    match = re.search(r'^__version__ = "([^"]+)"$', text, re.MULTILINE)
    if match is None:
        raise RuntimeError(f"no __version__ in {path}")
    return match.group(1)


def _names(requirements: list[str]) -> tuple[str, ...]:
    """The distribution names of PEP 508 requirements."""
    return tuple(
        re.split(r"[\s<>=!~;\[]", requirement, maxsplit=1)[0]
        for requirement in requirements
    )


def _load_packages() -> dict[str, Package]:
    found = {}
    requirements_of: dict[str, list[str]] = {}
    for pyproject in sorted(ROOT.glob("packages/*/pyproject.toml")):
        project = nox.project.load_toml(pyproject)["project"]
        name = project["name"]
        module = name.replace("-", "_")
        requirements_of[name] = project.get("dependencies", [])
        requires = _names(requirements_of[name])
        extras = {
            extra: _names(requirements)
            for extra, requirements in project.get("optional-dependencies", {}).items()
        }
        found[name] = Package(
            name=name,
            path=pyproject.parent,
            module=module,
            version=_version_of(pyproject.parent, module),
            internal_requires=requires,
            extras=extras,
        )
    for package in found.values():
        unknown = [name for name in package.internal_requires if name not in found]
        if unknown:
            raise RuntimeError(f"{package.name} depends on {unknown}, not in packages/")
        _check_bounds(package, requirements_of[package.name])
    return found


def _check_bounds(package: Package, requirements: list[str]) -> None:
    """The one rule for the bounds between the packages, which are released
    together with one version: each requires its siblings at this version
    or a later one of the same minor series (``>=0.1.0,<0.2``), so that a
    bug-fix release of one package installs beside the others."""
    major, minor = package.version.split(".")[:2]
    bound = f">={package.version},<{major}.{int(minor) + 1}"
    for requirement, name in zip(requirements, _names(requirements), strict=True):
        if requirement != f"{name}{bound}":
            raise RuntimeError(
                f"{package.name} requires {requirement!r}: the packages of this"
                f" workspace require each other as {name}{bound}"
            )


PACKAGES = _load_packages()


def closure(name: str) -> list[Package]:
    """The package and everything it depends on, dependencies first."""
    ordered: list[Package] = []

    def visit(current: str) -> None:
        package = PACKAGES[current]
        for dependency in package.internal_requires:
            visit(dependency)
        if package not in ordered:
            ordered.append(package)

    visit(name)
    return ordered


def install_groups(session: nox.Session, *names: str) -> None:
    """Install the PEP 735 dependency groups of the root pyproject.toml."""
    requirements = nox.project.dependency_groups(PYPROJECT, *names)
    if requirements:
        session.install(*requirements)


def install_alone(session: nox.Session, name: str) -> list[Package]:
    """Install a package and its declared dependencies (with the extras of
    :data:`TESTED_EXTRAS`), non-editable, into the session's fresh
    environment, and prove that nothing else came with them."""
    members = closure(name)
    extras = TESTED_EXTRAS.get(name, ())
    session.install(
        *(
            package.requirement(*extras if package.name == name else ())
            for package in members
        )
    )
    session.run("python", "-m", "pip", "check")
    added = [dist for extra in extras for dist in PACKAGES[name].extras[extra]]
    expected = sorted({package.name for package in members} | set(added))
    session.run(
        "python",
        str(ROOT / "tests" / "tools" / "check_environment.py"),
        "--installed",
        *expected,
        "--absent",
        *sorted(set(PACKAGES) - set(expected)),
    )
    return members


def install_workspace(session: nox.Session) -> None:
    """Install every package from this checkout, with the extras of
    :data:`TESTED_EXTRAS`."""
    session.install(
        *(
            package.requirement(*TESTED_EXTRAS.get(package.name, ()))
            for package in PACKAGES.values()
        )
    )


@nox.session(python=TOOL_PYTHON)
def lint(session: nox.Session) -> None:
    """ruff: lint and formatting, over the whole tree."""
    install_groups(session, "lint")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")


@nox.session(python=TOOL_PYTHON)
@nox.parametrize("package", [*PACKAGES, "workspace"])
def typing(session: nox.Session, package: str) -> None:
    """mypy --strict on one package and its tests, with only its dependency
    closure installed; "workspace" checks the noxfile and cross-package code."""
    if package == "workspace":
        install_workspace(session)
        install_groups(session, "typing")
        # tests/ and tests/peers/ each have a conftest.py, which mypy would
        # take for one module named "conftest": two runs.
        session.run(
            "mypy",
            "--exclude",
            "^tests/peers/",
            "noxfile.py",
            "tests",
            "docs/conf.py",
            "docs/check_coverage.py",
            "docs/examples",
        )
        # Each accelerated package's setup.py (all modules named "setup").
        for name in ACCELERATED:
            session.run("mypy", str(PACKAGES[name].path / "setup.py"))
        session.run("mypy", "tests/peers")
        return
    install_alone(session, package)
    install_groups(session, "typing")
    path = PACKAGES[package].path
    session.run("mypy", str(path / "src"), str(path / "tests"))


@nox.session(python=PYTHONS)
@nox.parametrize("package", list(PACKAGES))
def tests(session: nox.Session, package: str) -> None:
    """One package's own tests, in a fresh environment holding only that
    package and its declared dependencies (installed from this checkout)."""
    install_alone(session, package)
    install_groups(session, "test", *EXTRA_TEST_GROUPS.get(package, ()))
    session.run("pytest", str(PACKAGES[package].path / "tests"), *session.posargs)
    if package in ACCELERATED:
        # Again on the pure Python path, which installs without a compiler
        # use and HTTPCORE_NO_EXTENSIONS selects.
        session.run(
            "pytest",
            str(PACKAGES[package].path / "tests"),
            *session.posargs,
            env={"HTTPCORE_NO_EXTENSIONS": "1"},
        )


@nox.session(python=PYTHONS)
def tests_all(session: nox.Session) -> None:
    """Every test of every package plus the cross-package tests in tests/."""
    install_workspace(session)
    install_groups(session, "test", "tls", "libraries", "backends")
    session.run("python", "-m", "pip", "check")
    session.run("pytest", *session.posargs)


@nox.session(python=PYTHONS)
def conformance(session: nox.Session) -> None:
    """The interpreter's own test.test_httplib with httpcore_compat installed
    in place of http.client; fails on any failure outside
    tests/conformance/exclusions.py."""
    session.install(*(str(package.path) for package in PACKAGES.values()))
    probe = session.run(
        "python", "-c", "import test.test_httplib", silent=True, success_codes=[0, 1]
    )
    if probe and "Error" in str(probe):
        message = f"Python {session.python} has no test.test_httplib (its test package)"
        if os.environ.get("CI"):
            session.error(message)
        session.skip(message)
    session.run("python", str(ROOT / "tests" / "conformance" / "run_httplib.py"))


@dataclasses.dataclass(frozen=True)
class Consumer:
    """A library whose own test suite ``nox -s consumers`` runs, pinned."""

    name: str
    version: str
    #: Of the sdist on PyPI, checked after each download.
    sha256: str
    #: What its tests need from the sdist, extracted for the run; the library
    #: itself is installed from the sdist, so the tests import that copy.
    extract: tuple[str, ...]
    #: Dependency groups of its own pyproject.toml that its tests need.
    groups: tuple[str, ...] = ()
    #: Distributions of those groups to leave out (coverage, xdist, itself).
    drop: tuple[str, ...] = ()
    #: Further requirements of its tests.
    requires: tuple[str, ...] = ()
    #: Extras of the library itself.
    extras: tuple[str, ...] = ()

    @property
    def sdist(self) -> str:
        return f"{self.name}-{self.version}.tar.gz"


# Every pin of ``nox -s consumers`` is here. The libraries are pinned exactly,
# with the sdist's SHA-256, so that a new release cannot change the verdict
# unseen: moving a pin is a reviewed edit of this table, with
# tests/consumers/deselected.py and exclusions.py checked again on every
# Python. Their test tools come from each library's own dependency groups
# (as that release declares them) and the lists below.
CONSUMERS = (
    Consumer(
        "urllib3",
        "2.8.0",
        "63bf2ead4c879426ebf22ef2a781eeb4aa3b4ae798a0435506f8687fd5bb9b63",
        extract=("pyproject.toml", "dummyserver/", "test/"),
        groups=("test",),
        # The rest of its "dev" group: its TLS tests need them.
        requires=(
            "trustme>=1.2.1",
            "cryptography>=44.0.2",
            "pyopenssl>=25.0.0",
            "idna>=3.10",
        ),
    ),
    Consumer(
        "requests",
        "2.34.2",
        "f288924cae4e29463698d6d60bc6a4da69c89185ad1e0bcc4104f584e960b9ed",
        # Three tests upload requirements-dev.txt from the current directory.
        extract=("pyproject.toml", "requirements-dev.txt", "tests/"),
        groups=("test",),
        drop=("requests", "pytest-cov", "pytest-xdist"),
        extras=("socks",),
    ),
    Consumer(
        "botocore",
        "1.44.18",
        "c78f0a2346b4700d77702530d04c1fed525ef0bb9723218eb8a7cfeae07b6b28",
        # Only its AWSHTTPConnection tests: the rest does not touch http.client.
        extract=(
            "pyproject.toml",
            "tests/__init__.py",
            "tests/unit/__init__.py",
            "tests/unit/conftest.py",
            "tests/unit/test_awsrequest.py",
        ),
        requires=("pytest>=8.3",),
    ),
)
# What every suite runs with: a bound on each test, loopback only.
CONSUMER_TOOLS = ("pytest-timeout>=2.3", "pytest-socket>=0.7")


def _sha256(path: pathlib.Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _extract(sdist: pathlib.Path, wanted: tuple[str, ...], into: pathlib.Path) -> None:
    """Extract the members of ``sdist`` under its top folder that start with
    one of ``wanted`` into ``into``."""
    top = sdist.name.removesuffix(".tar.gz") + "/"
    with tarfile.open(sdist) as archive:
        members = []
        for member in archive.getmembers():
            inside = member.name.removeprefix(top)
            if member.name.startswith(top) and inside.startswith(wanted):
                member.name = inside
                members.append(member)
        archive.extractall(into, members=members, filter="data")


@nox.session(python=PYTHONS)
def consumers(session: nox.Session) -> None:
    """The libraries built on http.client, on both http.client and httpcore:
    urllib3's and requests' own test suites, botocore's AWSHTTPConnection
    tests and the interpreter's own consumers (test_httpservers, urllib,
    xmlrpc, wsgiref, logging's HTTPHandler), each run first on the standard
    library and then with httpcore_compat installed as http.client in the
    test process and its children; fails on a test that passes on the first
    and fails on the second, outside tests/consumers/exclusions.py. Slow
    (about five minutes for each Python on two cores): not in the default
    list. ``nox -s consumers -- --suite urllib3`` runs one suite."""
    probe = session.run(
        "python",
        "-c",
        "import test.libregrtest, test.test_httpservers",
        silent=True,
        success_codes=[0, 1],
    )
    if probe and "Error" in str(probe):
        message = f"Python {session.python} has no test package (regrtest)"
        if os.environ.get("CI"):
            session.error(message)
        session.skip(message)
    # The sdists are kept between runs, outside the source tree (.nox/.cache).
    cache = session.cache_dir.resolve() / "consumers"
    cache.mkdir(exist_ok=True)
    sources = pathlib.Path(session.create_tmp()).resolve() / "consumers-src"
    shutil.rmtree(sources, ignore_errors=True)
    requirements: list[str] = []
    arguments: list[str] = []
    for consumer in CONSUMERS:
        sdist = cache / consumer.sdist
        if not sdist.exists() or _sha256(sdist) != consumer.sha256:
            sdist.unlink(missing_ok=True)
            session.run(
                "python", "-m", "pip", "download", "--no-deps",
                "--no-binary", ":all:", "--dest", str(cache),
                f"{consumer.name}=={consumer.version}",
            )  # fmt: skip
        if _sha256(sdist) != consumer.sha256:
            session.error(f"{sdist} is not the pinned sdist (SHA-256 differs)")
        tree = sources / consumer.name
        _extract(sdist, consumer.extract, tree)
        arguments.append(f"--source={consumer.name}={tree}")
        extras = f"[{','.join(consumer.extras)}]" if consumer.extras else ""
        requirements.append(f"{consumer.name}{extras} @ {sdist.as_uri()}")
        if consumer.groups:
            pyproject = nox.project.load_toml(tree / "pyproject.toml")
            for requirement in nox.project.dependency_groups(
                pyproject, *consumer.groups
            ):
                (name,) = _names([requirement])
                if name.lower() not in consumer.drop:
                    requirements.append(requirement)
        requirements.extend(consumer.requires)
    session.install(*requirements, *CONSUMER_TOOLS)
    install_workspace(session)
    session.run("python", "-m", "pip", "check")
    session.run(
        "python",
        str(ROOT / "tests" / "consumers" / "run_consumers.py"),
        f"--work={pathlib.Path(session.create_tmp()).resolve() / 'consumers-run'}",
        *arguments,
        *session.posargs,
    )


SANITIZERS = ("address", "undefined")


@nox.session(python=TOOL_PYTHON)
def sanitize(session: nox.Session) -> None:
    """The accelerators' C code under AddressSanitizer and UndefinedBehavior-
    Sanitizer: the accelerated packages' suites (3000 generated blocks and
    field lists each, compared with the Python code) on modules built with
    both, any report failing the session. Needs gcc."""
    gcc = shutil.which("gcc")
    if gcc is None:
        message = "gcc is not installed (apt-get install gcc)"
        if os.environ.get("CI"):
            session.error(message)
        session.skip(message)
    install_groups(session, "test")
    # Each accelerated package (and what it needs) built by its own backend,
    # setuptools, with the sanitizers in CFLAGS and LDFLAGS, from a copy of
    # its tree: setuptools keeps object files in build/, and a sanitized one
    # must never end up in another build.
    tree = pathlib.Path(session.create_tmp()).resolve() / "sanitized"
    shutil.rmtree(tree, ignore_errors=True)
    needed = {
        package.name: package for name in ACCELERATED for package in closure(name)
    }
    for package in needed.values():
        shutil.copytree(
            package.path,
            tree / package.name,
            ignore=shutil.ignore_patterns("build", "*.egg-info", "*.so"),
        )
    sanitizers = "-fsanitize=" + ",".join(SANITIZERS)
    flags = f"-O1 -g -fno-omit-frame-pointer -fno-sanitize-recover=all {sanitizers}"
    session.install(
        "--no-cache-dir",
        *(str(tree / name) for name in needed),
        env={
            "CC": gcc,
            "CFLAGS": flags,
            "LDFLAGS": sanitizers,
            "HTTPCORE_REQUIRE_EXTENSIONS": "1",
        },
    )
    runtimes = [
        subprocess.run(
            [gcc, f"-print-file-name=lib{lib}.so"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        for lib in ("asan", "ubsan")
    ]
    env = {
        "LD_PRELOAD": " ".join(runtimes),
        # CPython's own allocations are not ours to judge.
        "ASAN_OPTIONS": "detect_leaks=0:abort_on_error=1",
        "UBSAN_OPTIONS": "halt_on_error=1:print_stacktrace=1",
        # The tests import the sanitized modules or fail.
        "HTTPCORE_REQUIRE_EXTENSIONS": "1",
    }
    # The compiled modules in use are the sanitized ones.
    modules = [PACKAGES[name].module for name in ACCELERATED]
    probe = (
        f"import importlib; names = {modules!r};"
        "assert all(importlib.import_module(n).accelerated() for n in names);"
        "files = [importlib.import_module(n + '._speedups').__file__ for n in names];"
        "assert all(b'__asan_' in open(f, 'rb').read() for f in files), files"
    )
    session.run("python", "-c", probe, env=env)
    session.run(
        "pytest",
        # Python-level capture only: a sanitizer's report (written to file
        # descriptor 2 just before it aborts) reaches the log.
        "--capture=sys",
        *(str(PACKAGES[name].path / "tests") for name in ACCELERATED),
        *session.posargs,
        env=env,
    )


@nox.session(python=PYTHONS)
def fuzz(session: nox.Session) -> None:
    """Bounded fuzzing of every sans-I/O parser, pure Python and compiled
    (tests/fuzz): the hypothesis properties with a large budget
    (``--hypothesis-profile=fuzz``), then each atheris target for a bounded
    time; any difference between the implementations, or between one and
    http.client where the packages promise its behaviour, fails the session.

    ``nox -s fuzz-3.12 -- --seconds 15`` sets the time per atheris target
    (default 60, or HTTPCORE_FUZZ_SECONDS) and scales the hypothesis budget
    with it (20 examples per second and property); ``--target NAME`` runs
    one target; ``--allow-pure`` goes on without the compiled modules, which
    are otherwise required (HTTPCORE_REQUIRE_EXTENSIONS).  About 5 minutes
    per Python at the default, 1.5 at 15 s (two cores).  Where atheris has
    no wheel for the interpreter, the properties run and the session says
    that atheris was skipped; CI, whose interpreters all have one, fails
    instead.  Not in the default list."""
    options = _fuzz_options(session.posargs)
    if not options.allow_pure:
        # The build fails rather than fall back to pure Python wheels.
        session.env["HTTPCORE_REQUIRE_EXTENSIONS"] = "1"
    install_workspace(session)
    # pip exits with 1 when no atheris wheel fits; then only "test" goes in.
    requirements = nox.project.dependency_groups(PYPROJECT, "fuzz")
    session.install("--only-binary=atheris", *requirements, success_codes=[0, 1])
    probe = "import importlib.util; print(importlib.util.find_spec('atheris') is None)"
    no_atheris = "True" in str(session.run("python", "-c", probe, silent=True))
    if no_atheris:
        install_groups(session, "test")
    session.run("python", "-m", "pip", "check")
    session.run(
        "pytest",
        str(ROOT / "tests" / "fuzz"),
        "--hypothesis-profile=fuzz",
        env={"HTTPCORE_FUZZ_EXAMPLES": str(20 * options.seconds)},
    )
    if no_atheris:
        message = (
            f"atheris has no wheel for Python {session.python} here: the"
            " hypothesis properties ran, the atheris targets are skipped"
        )
        if os.environ.get("CI"):
            session.error(message)
        session.warn(message)
        return
    findings = pathlib.Path(session.create_tmp()).resolve() / "fuzz-findings"
    shutil.rmtree(findings, ignore_errors=True)
    session.run(
        "python",
        str(ROOT / "tests" / "fuzz" / "run_atheris.py"),
        f"--findings={findings}",
        *session.posargs,
    )


def _fuzz_options(posargs: list[str]) -> argparse.Namespace:
    """The options of ``nox -s fuzz -- ...`` that the session itself reads;
    all of them also go on to tests/fuzz/run_atheris.py."""
    parser = argparse.ArgumentParser(prog="nox -s fuzz --")
    parser.add_argument(
        "--seconds", type=int, default=int(os.environ.get("HTTPCORE_FUZZ_SECONDS", 60))
    )
    parser.add_argument("--allow-pure", action="store_true")
    return parser.parse_known_args(posargs)[0]


@nox.session(python=TOOL_PYTHON)
def build(session: nox.Session) -> None:
    """What would go to the index, built and checked as the index and a
    user would: every sdist; for each accelerated package a platform wheel
    (compiled with setuptools, repaired with auditwheel into a manylinux
    wheel; Linux only) and the pure Python fallback wheel; a pure wheel for
    the others (hatchling).  Then ``twine check --strict``,
    tests/tools/check_dists.py (tags, contents, no RUNPATH, metadata), each
    package installed alone from the built files in a fresh virtualenv,
    and the cibuildwheel configuration read by cibuildwheel itself."""
    versions = {package.version for package in PACKAGES.values()}
    if len(versions) != 1:
        session.error(f"versions are not in lockstep: {versions}")
    install_groups(session, "build")
    dist = ROOT / "dist"
    shutil.rmtree(dist, ignore_errors=True)
    scratch = pathlib.Path(session.create_tmp()).resolve() / "build"
    shutil.rmtree(scratch, ignore_errors=True)
    linux = sys.platform.startswith("linux")
    for package in PACKAGES.values():
        if package.name not in ACCELERATED:
            session.run(
                "python", "-m", "build", "--outdir", str(dist), str(package.path)
            )
            continue
        raw = scratch / package.name
        # The sdist, and the platform wheel built from it.
        session.run(
            "python", "-m", "build", "--outdir", str(raw), str(package.path),
            env={"HTTPCORE_REQUIRE_EXTENSIONS": "1", **_link_without_rpath(session)},
        )  # fmt: skip
        for sdist in raw.glob("*.tar.gz"):
            shutil.move(sdist, dist / sdist.name)
        wheels = [str(path) for path in raw.glob("*.whl")]
        if linux:
            session.run("auditwheel", "repair", "--wheel-dir", str(dist), *wheels)
        else:
            for wheel in wheels:
                shutil.move(wheel, dist)
        # The fallback for platforms without a wheel of their own.
        session.run(
            "python", "-m", "build", "--wheel", "--outdir", str(dist),
            str(package.path), env={"HTTPCORE_NO_EXTENSIONS": "1"},
        )  # fmt: skip
    built = sorted(dist.iterdir())
    session.run("twine", "check", "--strict", *(str(path) for path in built))
    (version,) = versions
    session.run(
        "python", str(ROOT / "tests" / "tools" / "check_dists.py"), str(dist),
        "--version", version, "--accelerated", *ACCELERATED,
        "--packages", *PACKAGES, *(["--repaired"] if linux else []),
    )  # fmt: skip
    for package in PACKAGES.values():
        _install_alone_from(session, dist, package, pure=False)
        if package.name in ACCELERATED:
            _install_alone_from(session, dist, package, pure=True)
    for package in (PACKAGES[name] for name in ACCELERATED):
        identifiers = str(
            session.run(
                "cibuildwheel",
                "--print-build-identifiers",
                "--platform",
                "linux",
                str(package.path),
                silent=True,
            )
        ).split()
        expected = {
            f"cp3{minor}-{libc}linux_{arch}"
            for minor in (10, 11, 12, 13)
            for libc in ("many", "musl")
            for arch in ("x86_64", "aarch64")
        }
        if set(identifiers) != expected:
            session.error(f"cibuildwheel would build {identifiers}, not {expected}")


def _link_without_rpath(session: nox.Session) -> dict[str, str]:
    """The session's interpreter's LDSHARED without the ``-Wl,-rpath`` of
    an interpreter built into its own prefix (pyenv's, for one): it would
    leave the builder's library directory in every extension's RUNPATH.
    Empty when the link line carries none."""
    probe = "import sysconfig; print(sysconfig.get_config_var('LDSHARED') or '')"
    ldshared = str(session.run("python", "-c", probe, silent=True)).strip()
    kept = [word for word in ldshared.split() if not word.startswith("-Wl,-rpath")]
    return {"LDSHARED": " ".join(kept)} if kept != ldshared.split() else {}


def _install_alone_from(
    session: nox.Session, dist: pathlib.Path, package: Package, *, pure: bool
) -> None:
    """Install ``package`` from the built files alone (no index: only what
    it declares, from ``dist``) in a fresh virtualenv and import it; the
    accelerated packages must say whether their accelerator is in use."""
    kind = "pure" if pure else "default"
    venv = pathlib.Path(session.create_tmp()).resolve() / f"alone-{package.name}-{kind}"
    shutil.rmtree(venv, ignore_errors=True)
    session.run("python", "-m", "venv", str(venv))
    python = str(venv / ("Scripts" if sys.platform == "win32" else "bin") / "python")
    wanted = package.name
    if pure:
        (wheel,) = dist.glob(f"{package.module}-{package.version}-py3-none-any.whl")
        wanted = str(wheel)
    session.run(
        python, "-m", "pip", "install", "--quiet", "--no-index",
        "--find-links", str(dist), wanted, external=True,
    )  # fmt: skip
    session.run(python, "-m", "pip", "check", external=True)
    probe = f"import {package.module} as m; print(m.__version__)"
    if package.name in ACCELERATED:
        probe += "; print(m.accelerated())"
        expected = f"{package.version} {not pure}"
    else:
        expected = package.version
    got = " ".join(
        str(session.run(python, "-c", probe, external=True, silent=True)).split()
    )
    if got != expected:
        session.error(f"{package.name} ({kind}) installed alone says {got!r}")


@nox.session(python=TOOL_PYTHON)
def docs(session: nox.Session) -> None:
    """The Sphinx documentation, warnings as errors, and its examples run."""
    session.install(*(str(package.path) for package in PACKAGES.values()))
    install_groups(session, "docs")
    out = ROOT / "docs" / "_build"
    sphinx = ("sphinx-build", "--fail-on-warning", "--keep-going")
    session.run(*sphinx, "-b", "html", "docs", str(out / "html"))
    # Every public name of every package is in the built reference.
    coverage = ROOT / "docs" / "check_coverage.py"
    session.run("python", str(coverage), str(out / "html" / "objects.inv"))
    session.run(*sphinx, "-b", "doctest", "docs", str(out / "doctest"))


# The interpreter nox runs on, whichever it is (3.10 or newer): the main job
# must run on a machine that has only one Python.
@nox.session(python=None)
def demo(session: nox.Session) -> None:
    """The main job: the client against servers the demo starts on
    127.0.0.1 (HTTP, HTTPS with a trustme certificate, a CONNECT proxy):
    keep-alive, POST, chunked upload, a 32 MiB download with the ``httpcore``
    command's progress bar, TLS verification, tunnels, and install() under
    urllib.request.  Exits non-zero if any step got the wrong bytes."""
    install_workspace(session)
    install_groups(session, "tls")
    session.run("python", str(ROOT / "docs" / "examples" / "client_demo.py"))


@nox.session(python=PYTHONS)
def bench(session: nox.Session) -> None:
    """Benchmarks against the standard library, measured in the same run.

    ``nox -s bench -- --quick`` runs a shorter measurement (used by CI to
    prove the benchmarks work; quote only full runs).
    """
    session.install(*(str(package.path) for package in PACKAGES.values()))
    install_groups(session, "bench")
    session.run(
        "python", str(ROOT / "tests" / "benchmarks" / "run.py"), *session.posargs
    )
