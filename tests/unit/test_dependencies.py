"""pyproject.toml declares what the code imports, bounds every major, and requirements.lock pins it all.

A dependency added to pyproject.toml without `make lock` fails here, so a fresh machine never
installs versions the tests did not pass with.
"""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest
from packaging.requirements import Requirement

REPO = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
RUNTIME = [Requirement(line) for line in PYPROJECT["project"]["dependencies"]]
DEV = [Requirement(line) for line in PYPROJECT["project"]["optional-dependencies"]["dev"]]
FIRST_PARTY = {"briefgen", "tests", "__future__"}
# LibreOffice's own Python provides these to builders/uno_bridge.py, which runs there, never in briefgen's Python
# (bench/merged_uno.py runs there too and loads the bridge itself as a top-level module).
LIBREOFFICE = {"uno", "com", "uno_bridge"}
# bench/ compares against these when they are installed (bench/requirements.txt, which `make bench` installs);
# they are no dependency of briefgen.
BENCH_OPTIONAL = {"textstat"} | {
    Requirement(line).name.replace("-", "_")
    for line in (REPO / "bench" / "requirements.txt").read_text(encoding="utf-8").splitlines()
    if line.strip() and not line.startswith("#")
}


def normalized(name: str) -> str:
    """PEP 503 name, as the lock file writes it."""
    return re.sub(r"[-_.]+", "-", name).lower()


def locked() -> dict[str, str]:
    pins: dict[str, str] = {}
    for line in (REPO / "requirements.lock").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, _, version = line.partition("==")
            assert version, f"requirements.lock: {line!r} is not pinned with =="
            pins[normalized(Requirement(name).name)] = version.split(";", 1)[0].strip()
    return pins


@pytest.mark.parametrize("requirement", RUNTIME + DEV, ids=str)
def test_every_dependency_is_locked_within_its_bounds(requirement: Requirement) -> None:
    pins = locked()
    name = normalized(requirement.name)
    assert name in pins, f"{requirement.name} is missing from requirements.lock: run `make lock`"
    assert requirement.specifier.contains(pins[name], prereleases=True), (
        f"requirements.lock pins {name}=={pins[name]}, outside {requirement.specifier}: run `make lock`"
    )


@pytest.mark.parametrize("requirement", RUNTIME + DEV, ids=str)
def test_every_dependency_has_an_upper_bound(requirement: Requirement) -> None:
    assert any(spec.operator in ("<", "<=", "==", "~=") for spec in requirement.specifier), (
        f"{requirement} has no upper bound on its major version"
    )


def imported_modules(folder: Path) -> dict[str, Path]:
    """Top-level modules imported anywhere under ``folder`` (also inside functions), with one importer."""
    found: dict[str, Path] = {}
    for path in sorted(folder.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".", 1)[0]
                local = (path.parent / f"{top}.py").exists() or (path.parent / top).is_dir()
                if top not in sys.stdlib_module_names and top not in FIRST_PARTY | LIBREOFFICE | BENCH_OPTIONAL and not local:
                    found.setdefault(top, path)
    return found


@pytest.mark.parametrize(
    ("folder", "declared"),
    [("src", RUNTIME), ("tests", RUNTIME + DEV), ("tools", RUNTIME + DEV), ("bench", RUNTIME + DEV)],
)
def test_every_import_is_a_declared_dependency(folder: str, declared: list[Requirement]) -> None:
    """Not only reachable through another package: a direct import is a direct dependency."""
    names = {normalized(requirement.name) for requirement in declared}
    providers = packages_distributions()
    undeclared = {
        module: str(path.relative_to(REPO))
        for module, path in imported_modules(REPO / folder).items()
        if not any(normalized(dist) in names for dist in providers.get(module, [module]))
    }
    assert not undeclared, f"imported but not declared in pyproject.toml: {undeclared}"
