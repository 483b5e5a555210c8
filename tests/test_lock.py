"""The lock (requirements/dev.txt), from which `make` installs every Python package with pip --require-hashes.

pyproject.toml keeps the ranges; the lock, written by `make lock`, pins each package of the whole tree to one
version with its hashes. These tests catch a lock that drifted from pyproject.toml (a dependency added or
narrowed without `make lock`), a package or hash missing, a pre-release let in (MkDocs 2 pre-releases exist
and drop plugins: mkdocs stays 1.6.1), and an environment installed from another lock than this one. Each
check is also fed broken copies of the lock, to show it fails.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tomllib
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "requirements" / "dev.txt"
HASH = re.compile(r"sha256:[0-9a-f]{64}")


@dataclass(frozen=True)
class Pin:
    name: str
    version: str
    hashes: tuple[str, ...]


def declared() -> list[Requirement]:
    """What pyproject.toml asks for: runtime dependencies, the dev extra and the build backend."""
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    project = data["project"]
    texts = [*project["dependencies"], *project["optional-dependencies"]["dev"], *data["build-system"]["requires"]]
    return [Requirement(text) for text in texts]


def read_lock(text: str) -> tuple[dict[str, Pin], list[str]]:
    """The pins of a requirements file written with hashes, and what in it is not such a pin."""
    pins: dict[str, Pin] = {}
    problems: list[str] = []
    logical = re.sub(r"\\\n", " ", text)
    for line in logical.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        requirement, *hashes = (part.strip() for part in line.split("--hash="))
        try:
            req = Requirement(requirement)
        except InvalidRequirement:
            problems.append(f"ligne illisible dans le verrou : {requirement}")
            continue
        specs = list(req.specifier)
        name = canonicalize_name(req.name)
        if len(specs) != 1 or specs[0].operator != "==" or "*" in specs[0].version or req.url:
            problems.append(f"{name} n'est pas épinglé à une version exacte : {requirement}")
            continue
        if not hashes or not all(HASH.fullmatch(h) for h in hashes):
            problems.append(f"{name} n'a pas d'empreinte sha256 : {requirement}")
        if name in pins:
            problems.append(f"{name} est épinglé deux fois")
        pins[name] = Pin(name, specs[0].version, tuple(hashes))
    return pins, problems


def tree(pins: dict[str, Pin]) -> list[str]:
    """Every package that pyproject's requirements pull in, through the metadata of the installed packages,
    that has no pin in the lock (pip --require-hashes would refuse to install it)."""
    missing: list[str] = []
    seen: set[tuple[str, str]] = set()
    todo = [(req, "") for req in declared()]
    while todo:
        req, extra = todo.pop()
        if req.marker and not req.marker.evaluate({"extra": extra}):
            continue
        name = canonicalize_name(req.name)
        if name == "commun":
            continue
        if name not in pins:
            missing.append(f"{name} (demandé par {req}) n'est pas dans le verrou")
            continue
        for wanted in {"", *req.extras}:
            if (name, wanted) in seen:
                continue
            seen.add((name, wanted))
            todo.extend((Requirement(text), wanted) for text in metadata.requires(name) or [])
    return missing


def lock_problems(path: Path) -> list[str]:
    """All that is wrong with the lock at path, as one sentence each (empty: the lock is sound)."""
    pins, problems = read_lock(path.read_text(encoding="utf-8"))
    for pin in pins.values():
        version = Version(pin.version)
        if version.is_prerelease or version.is_devrelease:
            problems.append(f"{pin.name} {pin.version} est une pré-version")
    for req in declared():
        name = canonicalize_name(req.name)
        if name in pins and not req.specifier.contains(pins[name].version, prereleases=True):
            problems.append(f"{name} {pins[name].version} sort de l'intervalle de pyproject.toml : {req}")
    mkdocs = pins.get("mkdocs")
    if mkdocs is None or mkdocs.version != "1.6.1":
        problems.append("mkdocs doit rester épinglé à 1.6.1 (MkDocs 2 abandonne les greffons)")
    problems.extend(tree(pins))
    return problems


def test_the_lock_pins_every_dependency_of_pyproject_with_hashes() -> None:
    assert lock_problems(LOCK) == []
    pins, _ = read_lock(LOCK.read_text(encoding="utf-8"))
    for name in ("mkdocs", "mkdocs-material", "properdocs", "zensical", "pagefind-bin", "setuptools"):
        assert name in pins, name


def test_the_installed_packages_are_those_of_the_lock() -> None:
    """`make` reinstalls when the lock changes: what runs the tests is exactly what the lock says."""
    pins, _ = read_lock(LOCK.read_text(encoding="utf-8"))
    installed = {name: metadata.version(name) for name in pins}
    assert installed == {name: pin.version for name, pin in pins.items()}


def block(text: str, name: str) -> str:
    """The lines of one pin (requirement, hashes, `# via` comments) in the lock's text."""
    found = re.search(rf"^{re.escape(name)}==.*?(?=^[a-z]|\Z)", text, re.M | re.S)
    assert found, name
    return found[0]


def broken(text: str, how: str) -> str:
    match how:
        case "a runtime dependency dropped":
            return text.replace(block(text, "pydantic"), "")
        case "a dependency of a dependency dropped":
            return text.replace(block(text, "pydantic-core"), "")
        case "hashes dropped":
            pin = block(text, "mkdocs-material")
            return text.replace(pin, pin.split(" \\")[0] + "\n")
        case "a pre-release of MkDocs 2":
            return re.sub(r"^mkdocs==1\.6\.1", "mkdocs==2.0.0a3", text, flags=re.M)
        case "an older mkdocs":
            return re.sub(r"^mkdocs==1\.6\.1", "mkdocs==1.6.0", text, flags=re.M)
        case "a pin out of the pyproject range":
            return re.sub(r"^pydantic==\S+", "pydantic==1.10.13", text, flags=re.M)
        case "a pre-release elsewhere":
            return re.sub(r"^pytest==\S+", "pytest==9.9.0rc1", text, flags=re.M)
        case "an unpinned line":
            return text + "requests>=2\n"
        case "the dev extra forgotten":
            return text.replace(block(text, "pytest-playwright"), "").replace(block(text, "pypdf"), "")
    raise AssertionError(how)


@pytest.mark.parametrize(
    ("how", "expected"),
    [
        ("a runtime dependency dropped", "pydantic (demandé par"),
        ("a dependency of a dependency dropped", "pydantic-core (demandé par"),
        ("hashes dropped", "mkdocs-material n'a pas d'empreinte"),
        ("a pre-release of MkDocs 2", "mkdocs 2.0.0a3 est une pré-version"),
        ("an older mkdocs", "mkdocs doit rester épinglé à 1.6.1"),
        ("a pin out of the pyproject range", "pydantic 1.10.13 sort de l'intervalle"),
        ("a pre-release elsewhere", "pytest 9.9.0rc1 est une pré-version"),
        ("an unpinned line", "requests n'est pas épinglé"),
        ("the dev extra forgotten", "pytest-playwright (demandé par"),
    ],
)
def test_a_broken_lock_is_caught(tmp_path: Path, how: str, expected: str) -> None:
    text = LOCK.read_text(encoding="utf-8")
    copy = tmp_path / "dev.txt"
    copy.write_text(broken(text, how), encoding="utf-8")
    assert copy.read_text(encoding="utf-8") != text
    problems = lock_problems(copy)
    assert any(expected in problem for problem in problems), problems


@pytest.mark.skipif(shutil.which("make") is None, reason="make absent")
def test_make_reinstalls_from_the_lock_when_it_changes() -> None:
    """Dry run (-n) of the stamp as if the lock had just changed (-W): pip installs from it, hashes required."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("MAKE", "MFLAGS"))}
    result = subprocess.run(
        ["make", "-n", "-W", "requirements/dev.txt", ".venv/.installed"],
        cwd=ROOT, env=env, capture_output=True, text=True, check=True,
    )
    assert "install --quiet --require-hashes -r requirements/dev.txt" in result.stdout, result.stdout
    assert "--no-deps --no-build-isolation -e ." in result.stdout, result.stdout


def test_the_lock_is_made_for_the_python_that_installs_it() -> None:
    """The lock is resolved for CPython 3.11 on Linux x86_64: `make lock` says so, and the forge's workflows
    install that Python (markers and wheels differ from one version to the next)."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "--python-version 3.11 --python-platform x86_64-unknown-linux-gnu" in makefile
    assert "--prerelease disallow" in makefile
    for path in sorted((ROOT / ".github" / "workflows").glob("*.yml")):
        versions = re.findall(r"python-version: \"?([\d.]+)", path.read_text(encoding="utf-8"))
        assert versions == ["3.11"], path.name
