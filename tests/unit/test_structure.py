"""The shape of the code: no import cycles between the modules of briefgen.

Read with ast, nothing is imported or run. Every import counts, also one inside a function (it runs
when the function does); only imports under ``if TYPE_CHECKING:`` do not (they never run).
"""

from __future__ import annotations

import ast
from pathlib import Path

import briefgen

PACKAGE = Path(briefgen.__file__).parent


def modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = ["briefgen", *path.relative_to(PACKAGE).with_suffix("").parts]
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _type_checking_only(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def imports(path: Path, known: dict[str, Path]) -> set[str]:
    """The briefgen modules ``path`` imports when it runs."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    skipped = {id(n) for block in ast.walk(tree) if isinstance(block, ast.If) and _type_checking_only(block)
               for part in block.body for n in ast.walk(part)}
    names: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)  # from briefgen import formatting
    return {name for name in names if name in known}


def graph() -> dict[str, set[str]]:
    known = modules()
    return {name: imports(path, known) - {name} for name, path in known.items()}


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan), each as a sorted list."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in sorted(edges[node]):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def test_the_cycle_finder_finds_a_cycle():
    edges = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(edges) == [["a", "b", "c"]]


def test_the_walk_sees_the_modules_and_their_imports():
    edges = graph()
    assert "briefgen.pipeline" in edges and "briefgen.results" in edges["briefgen.pipeline"]
    assert "briefgen.builders.docx" in edges["briefgen.pipeline"]  # imported inside a function
    assert "briefgen.document" not in edges["briefgen.woo"]  # only under TYPE_CHECKING


def test_no_module_of_briefgen_imports_itself_through_others():
    assert cycles(graph()) == []


def test_builders_and_templatecheck_do_not_import_the_resolver():
    edges = graph()
    for name in ("briefgen.builders.docx", "briefgen.builders.html", "briefgen.templatecheck", "briefgen.woo"):
        assert "briefgen.resolve" not in edges[name], name


def test_the_readme_architecture_names_every_module():
    """README's architecture section matches the tree: every module is named (cli/ and model/ as folders)."""
    readme = (PACKAGE.parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Architectuur")[1].split("```")[1]
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE)
        if rel.name in ("__init__.py", "__main__.py") or rel.parts[0] in ("cli", "model", "skeleton"):
            continue
        assert rel.name in section, f"README.md, Architectuur: {rel.as_posix()} ontbreekt"
    for folder in ("cli/", "model/"):
        assert folder in section
