"""The package's layers import downwards only, with no cycle, and only the adapters know the engine.

core ← stages ← outputs ← authoring ← build ← adapters: read from the code's own import statements
(those inside functions too), so a new upward import or cycle fails here, not in a review.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "plugins" / "commun"
LAYERS = ("core", "stages", "outputs", "authoring", "build", "adapters", "__main__")
ENGINES = ("mkdocs", "properdocs", "material", "zensical")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> list[str]:
    """The modules a file imports: the package's as dotted names (`commun.core.models`), others as written."""
    here = module_name(path).split(".")
    package = here if path.name == "__init__.py" else here[:-1]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            target = ".".join([*base, *([node.module] if node.module else [])])
            # `from .outputs import cms` imports a module, `from .core.models import KINDS` a name of one:
            # the graph keeps the longest prefix that is a module.
            found += [f"{target}.{alias.name}" for alias in node.names]
    return found


def graph() -> dict[str, set[str]]:
    modules = {module_name(path): path for path in PACKAGE.rglob("*.py")}
    edges: dict[str, set[str]] = {}
    for name, path in modules.items():
        targets = set()
        for target in imports(path):
            while target and target not in modules:
                target = target.rpartition(".")[0]
            if target and target != name and target != "commun":
                targets.add(target)
        edges[name] = targets
    return edges


def layer(module: str) -> int:
    parts = module.split(".")
    return LAYERS.index(parts[1]) if len(parts) > 1 and parts[1] in LAYERS else -1


def upward(edges: dict[str, set[str]]) -> list[tuple[str, str]]:
    return sorted((a, b) for a, targets in edges.items() for b in targets if layer(b) > layer(a))


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in edges.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
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


def test_every_module_is_in_a_layer() -> None:
    unplaced = [m for m in graph() if layer(m) < 0 and m != "commun"]
    assert not unplaced


def test_layers_import_downwards_only() -> None:
    assert upward(graph()) == []


def test_no_import_cycle() -> None:
    assert cycles(graph()) == []


def test_only_the_adapters_know_the_engine() -> None:
    knowing = sorted(
        module_name(path)
        for path in PACKAGE.rglob("*.py")
        if module_name(path).split(".")[1:2] != ["adapters"]
        and any(name.split(".")[0] in ENGINES for name in imports(path))
    )
    assert knowing == []


@pytest.mark.parametrize(
    ("edges", "bad"),
    [
        ({"commun.core.models": {"commun.outputs.cms"}, "commun.outputs.cms": set()}, "upward"),
        ({"commun.outputs.a": {"commun.outputs.b"}, "commun.outputs.b": {"commun.outputs.a"}}, "cycle"),
    ],
)
def test_the_checks_see_an_upward_import_and_a_cycle(edges: dict[str, set[str]], bad: str) -> None:
    assert (upward(edges) if bad == "upward" else cycles(edges))
