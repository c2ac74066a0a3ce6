"""The layer order of kit's packages (tools/imports.py, docs/architecture.md): nothing imports a
layer above it, only services and views import the store, and no modules import each other in
a circle. The test proves it can fail: an import placed against the order, in a copy of the
source, is found."""

from __future__ import annotations

import ast
import io
import re
import shutil
import sys
import tokenize
from pathlib import Path

import pytest
from conftest import ROOT

sys.path.insert(0, str(ROOT / "tools"))
import imports

# Imports against the order that are still in the code (source module, imported module), each
# with the step of issue 24 that removes it. The list only shrinks: a new one fails the test, and
# one that is gone must be taken off the list. Issue 24 paid the last of them.
DEBTS: frozenset[tuple[str, str]] = frozenset()


def pairs(found: list[tuple[imports.Import, str]]) -> set[tuple[str, str]]:
    return {(imp.source, imp.target) for imp, _ in found}


def test_every_module_has_a_layer():
    for name in imports.modules(ROOT):
        imports.layer_of(name)  # raises for a module no layer names


def test_no_import_against_the_order():
    found = pairs(imports.violations(imports.all_imports(ROOT)))
    new = sorted(found - DEBTS)
    assert not new, "imports against the layer order (tools/imports.py --check):\n" + "\n".join(
        f"{a} -> {b}" for a, b in new
    )
    paid = sorted(DEBTS - found)
    assert not paid, "no longer against the order; take them off DEBTS:\n" + "\n".join(
        f"{a} -> {b}" for a, b in paid
    )


# Modules that still import each other in a circle: none. The engine, the kinds, the reference
# and the rule loader formed one of 26 until a rule's kind became its model's `kind_spec` and
# the registry was handed to the loader (issue 24, step 3).
IN_CIRCLES_TODAY = 0


def test_no_new_circle():
    members = {m for circle in imports.circles(imports.edges(ROOT)) for m in circle}
    assert len(members) <= IN_CIRCLES_TODAY, sorted(members)


def test_the_drawing_has_no_problem_at_all():
    """`python tools/imports.py --check`: no import against the order, no circle of modules and
    none of packages."""
    assert imports.problems(ROOT) == []


def copy_of_the_source(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "kit", tmp_path / "kit", ignore=shutil.ignore_patterns("__pycache__"))
    return tmp_path


def place(root: Path, module: str, line: str) -> None:
    path = root / (module.replace(".", "/") + ".py")
    path.write_text(path.read_text(encoding="utf-8") + f"\n{line}\n", encoding="utf-8")


@pytest.mark.parametrize(
    ("module", "line", "expected"),
    [
        # the vocabulary reading the case: a layer above
        ("kit.vocab.vocabulary", "from kit.case.models import Case", "a layer above it"),
        # inside a function counts as well
        ("kit.case.models", "def f():\n    from kit.views import show", "a layer above it"),
        # a pure screening module reading the store
        ("kit.screening.verdict", "import kit.store.tables", "only services and views may"),
        # the store reading the screening
        ("kit.store.tables", "from kit.screening import verdict", "the store reads only"),
    ],
)
def test_an_import_against_the_order_fails(tmp_path, module, line, expected):
    root = copy_of_the_source(tmp_path)
    before = {str(p) for p in imports.problems(root)}
    place(root, module, line)
    added = [str(p) for p in imports.problems(root) if str(p) not in before]
    assert added and expected in added[0] and added[0].startswith(module), added


def test_a_circle_is_found(tmp_path):
    root = copy_of_the_source(tmp_path)
    # kit.dates and kit.text are utilities; each importing the other is no layer problem, but a
    # circle.
    place(root, "kit.dates", "from kit.text import visible")
    place(root, "kit.text", "from kit.dates import add_months")
    circles = imports.circles(imports.edges(root))
    assert ["kit.dates", "kit.text"] in circles


def test_the_drawing_runs_and_names_every_layer(capsys):
    imports.main([])
    drawn = capsys.readouterr().out
    for name, _ in imports.LAYERS:
        assert f"\n{name}\n" in f"\n{drawn}"
    assert "kit.case" in drawn and "kit.views" in drawn


def test_the_architecture_page_gives_the_same_order():
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    table = [line.split("|")[1].strip() for line in text.splitlines() if line.startswith("| ")]
    assert table[1 : len(imports.LAYERS) + 1] == [name for name, _ in imports.LAYERS]
    for package in {imports.package_of(m) for m in imports.modules(ROOT)}:
        if package.count(".") == 1 and (ROOT / package.replace(".", "/")).is_dir():
            assert f"`{package.replace('.', '/')}/`" in text, package


# An import inside a function hides a dependency from the top of the module; it is kept only
# where start-up time needs it (`kit --help` must not load the store, the engine or openpyxl),
# and then it says why: a comment on its line, or directly above it (one comment above a block
# of such imports covers the block).
IGNORED_COMMENTS = re.compile(r"#\s*(type:\s*ignore(\[[^\]]*\])?|noqa(:[\sA-Z0-9,]*)?)")


def _explains(comment: str) -> bool:
    return bool(IGNORED_COMMENTS.sub("", comment).strip("# \t"))


def _explained(comments: dict[int, str], lines: list[str], first: int, last: int) -> bool:
    """A reason on the lines first..last, or on a comment line directly above them."""
    on_it = any(_explains(comments.get(n, "")) for n in range(first, last + 1))
    above = first - 1
    return on_it or (
        above in comments
        and lines[above - 1].lstrip().startswith("#")
        and _explains(comments[above])
    )


def unexplained_lazy_imports(root: Path) -> list[str]:
    """`path:line` of each import inside a function in `root/kit` without a reason comment."""
    found: list[tuple[str, int]] = []
    for path in sorted((root / "kit").rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        tokens = tokenize.generate_tokens(io.StringIO(source).readline)
        comments = {t.start[0]: t.string for t in tokens if t.type == tokenize.COMMENT}
        lines = source.splitlines()

        for function in ast.walk(ast.parse(source)):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for body in _bodies(function):
                block_start = None
                for statement in body:
                    if not isinstance(statement, ast.Import | ast.ImportFrom):
                        block_start = None
                        continue
                    if block_start is None:
                        block_start = statement.lineno
                    last = statement.end_lineno or statement.lineno
                    if not (
                        _explained(comments, lines, statement.lineno, last)
                        or _explained(comments, lines, block_start, block_start)
                    ):
                        found.append((str(path.relative_to(root)), statement.lineno))
    return [f"{name}:{line}" for name, line in sorted(set(found))]


def _bodies(function: ast.AST) -> list[list[ast.stmt]]:
    """Every statement list inside `function` that is not inside a nested function of its own
    (those are walked on their own)."""
    bodies = []
    stack = [function]
    while stack:
        node = stack.pop()
        for name in ("body", "orelse", "finalbody", "handlers", "cases"):
            value = getattr(node, name, None)
            if isinstance(value, list) and value and isinstance(value[0], ast.stmt):
                bodies.append(value)
            if isinstance(value, list):
                for child in value:
                    if not isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                        stack.append(child)
    return bodies


def test_every_import_inside_a_function_says_why():
    found = unexplained_lazy_imports(ROOT)
    assert not found, (
        "imports inside a function without a reason (move them to the top of the module, or "
        "say on the line or the line above why start-up time needs them):\n" + "\n".join(found)
    )


def test_an_unexplained_import_inside_a_function_is_found(tmp_path):
    module = tmp_path / "kit" / "lazy.py"
    module.parent.mkdir()
    module.write_text(
        "def plain():\n"
        "    import json\n"
        "    return json\n"
        "\n"
        "\n"
        "def said():\n"
        "    import csv  # start-up: only this command writes CSV\n"
        "    # start-up: the store loads SQLAlchemy\n"
        "    import sqlite3\n"
        "\n"
        "    from email import message  # type: ignore[attr-defined]\n"
        "    return csv, sqlite3, message\n"
        "\n"
        "\n"
        "def in_a_branch(flag):\n"
        "    if flag:\n"
        "        from os import path  # noqa: F401\n"
        "    return flag\n",
        encoding="utf-8",
    )
    assert unexplained_lazy_imports(tmp_path) == ["kit/lazy.py:2", "kit/lazy.py:17"]
