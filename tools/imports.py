#!/usr/bin/env python3
"""The drawing of kit's imports, its layer order and its circles, from the source alone.

    python tools/imports.py            # packages, top to bottom, each with what it imports
    python tools/imports.py --check    # only the problems: upward imports, store, circles

The order of the layers is written down once, here (LAYERS), and tests/test_layers.py checks
it: a module may import its own layer and the layers below it, never one above; only the
services and the views (and the store itself) import the store, and the store imports only the
rules and the layers below them. docs/architecture.md says the same in words. A circle is a
set of modules that import each other, counting every import (also those inside functions and
those only for the type checker): there must be none.

Why our own ast reader and not import-linter: it is one small file of the standard library,
needs no new dependency, and gives in one run the drawing, the circles and the layer check that
the test uses, on the source as written (import-linter would need the package importable and
draws nothing). Exit status of --check: 0 when clean, 1 when something is wrong.
"""

from __future__ import annotations

import argparse
import ast
import sys
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# The layers, top to bottom. A module belongs to the layer whose prefix matches it longest.
# A layer may import itself and anything below it.
LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("entry points", ("kit", "kit.__main__", "kit.cli", "kit.web")),
    ("services", ("kit.services",)),
    ("views", ("kit.views",)),
    ("output", ("kit.output",)),
    ("screening", ("kit.screening",)),
    ("kinds / reference", ("kit.kinds", "kit.reference")),
    ("engine", ("kit.engine",)),
    ("rules", ("kit.rules",)),
    ("case", ("kit.case",)),
    ("vocab", ("kit.vocab",)),
    (
        "utilities",
        (
            *("kit.errors", "kit.dates", "kit.text", "kit.timezone", "kit.paths", "kit.version"),
            *("kit.validation", "kit.limits", "kit.structured", "kit.workers"),
        ),
    ),
)
# The store sits beside the layers: only these layers (and the store itself) import it.
STORE = "kit.store"
STORE_USERS = ("services", "views")
STORE_READS = "rules"  # the store itself imports this layer and the ones below it


@dataclass(frozen=True)
class Import:
    source: str  # the importing module
    target: str  # the imported module (a kit module or package)
    line: int
    local: bool  # made inside a function


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules(root: Path, package: str = "kit") -> dict[str, Path]:
    """Every module of `package` under `root`, by dotted name (migrations left out: Alembic
    loads them by path, nothing imports them)."""
    found: dict[str, Path] = {}
    for path in sorted((root / package).rglob("*.py")):
        if "migrations" in path.parts:
            continue
        found[module_name(path, root)] = path
    return found


def _resolve(name: str, known: Iterable[str]) -> str | None:
    """The longest known module that `name` is or lies in."""
    names = set(known)
    parts = name.split(".")
    while parts:
        candidate = ".".join(parts)
        if candidate in names:
            return candidate
        parts.pop()
    return None


def _walk(tree: ast.AST) -> Iterator[tuple[ast.AST, bool]]:
    """Every node with whether it lies inside a function."""
    stack: list[tuple[ast.AST, bool]] = [(tree, False)]
    while stack:
        node, local = stack.pop()
        yield node, local
        inner = local or isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)
        stack.extend((child, inner) for child in ast.iter_child_nodes(node))


def imports_of(name: str, path: Path, known: dict[str, Path]) -> list[Import]:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: list[Import] = []
    for node, local in _walk(tree):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                up = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*up, base] if base else up)
            targets = [f"{base}.{alias.name}" for alias in node.names]
        for target in targets:
            resolved = _resolve(target, known)
            if resolved and resolved != name:
                found.append(Import(name, resolved, node.lineno, local))
    return found


def all_imports(root: Path = ROOT) -> list[Import]:
    known = modules(root)
    return [imp for name, path in known.items() for imp in imports_of(name, path, known)]


def layer_of(module: str) -> int:
    """The index of `module`'s layer in LAYERS (0 is the top); -1 for the store."""
    best, best_len = None, -1
    for index, (_, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > best_len:
                best, best_len = index, len(prefix)
    if module == STORE or module.startswith(STORE + "."):
        return -1
    if best is None:
        raise ValueError(f"{module} belongs to no layer: add it to LAYERS in tools/imports.py")
    return best


def layer_name(module: str) -> str:
    index = layer_of(module)
    return "store" if index == -1 else LAYERS[index][0]


def violations(imports: Iterable[Import]) -> list[tuple[Import, str]]:
    """Every import of a layer above, every import of the store from outside its users, and
    every import the store makes above the rules: each with why."""
    found: list[tuple[Import, str]] = []
    for imp in imports:
        source, target = layer_of(imp.source), layer_of(imp.target)
        where = f"{imp.source}:{imp.line}"
        if target == -1:
            if source != -1 and LAYERS[source][0] not in STORE_USERS:
                users = " and ".join(STORE_USERS)
                why = f"{where} imports the store ({imp.target}); only {users} may"
                found.append((imp, why))
        elif source == -1:
            if target < LAYERS_INDEX[STORE_READS]:
                why = (
                    f"{where} (store) imports {imp.target} ({LAYERS[target][0]}); "
                    f"the store reads only {STORE_READS} and below"
                )
                found.append((imp, why))
        elif target < source:
            why = (
                f"{where} ({LAYERS[source][0]}) imports {imp.target} "
                f"({LAYERS[target][0]}), a layer above it"
            )
            found.append((imp, why))
    return found


def edges(root: Path = ROOT) -> set[tuple[str, str]]:
    """Who imports whom, module by module."""
    return {(imp.source, imp.target) for imp in all_imports(root)}


LAYERS_INDEX = {name: index for index, (name, _) in enumerate(LAYERS)}


def circles(edges: Iterable[tuple[str, str]]) -> list[list[str]]:
    """The strongly connected sets of more than one node (Tarjan), each sorted."""
    graph: dict[str, set[str]] = defaultdict(set)
    for a, b in edges:
        graph[a].add(b)
        graph.setdefault(b, set())
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0

    def visit(start: str) -> None:  # iterative, so a deep graph cannot exhaust the stack
        nonlocal counter
        work: list[tuple[str, Iterator[str]]] = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                members: list[str] = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    members.append(member)
                    if member == node:
                        break
                if len(members) > 1:
                    found.append(sorted(members))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def package_of(module: str) -> str:
    """The package a module lies in, as drawn: kit.case.models -> kit.case; kit.errors stays."""
    parts = module.split(".")
    return ".".join(parts[:2])


def problems(root: Path = ROOT) -> list[str]:
    imports = all_imports(root)
    found = [why for _, why in violations(imports)]
    for members in circles((imp.source, imp.target) for imp in imports):
        found.append("circle of modules: " + " -> ".join(members))
    packages = {(package_of(i.source), package_of(i.target)) for i in imports}
    for members in circles((a, b) for a, b in packages if a != b):
        found.append("circle of packages: " + " -> ".join(members))
    return found


def drawing(root: Path = ROOT) -> str:
    """The packages, layer by layer from the top, each with the packages it imports."""
    imports = all_imports(root)
    uses: dict[str, set[str]] = defaultdict(set)
    local: dict[str, int] = defaultdict(int)
    for imp in imports:
        a, b = package_of(imp.source), package_of(imp.target)
        if a != b:
            uses[a].add(b)
        local[a] += imp.local
    by_layer: dict[str, list[str]] = defaultdict(list)
    for package in sorted({package_of(m) for m in modules(root)}):
        by_layer[layer_name(package)].append(package)
    lines: list[str] = []
    for name in [n for n, _ in LAYERS] + ["store"]:
        lines.append(f"{name}")
        for package in by_layer.get(name, []):
            targets = ", ".join(sorted(uses[package])) or "-"
            note = f"  ({local[package]} inside functions)" if local[package] else ""
            lines.append(f"    {package:<22} -> {targets}{note}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="only the problems")
    args = parser.parse_args(argv)
    if not args.check:
        print(drawing())
        print()
    found = problems()
    for problem in found:
        print(problem)
    print(f"{len(found)} problem(s)")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
