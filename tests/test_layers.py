"""The layer order of kit's packages (tools/imports.py, docs/architecture.md): nothing imports a
layer above it, only services and views import the store, and no modules import each other in
a circle. The test proves it can fail: an import placed against the order, in a copy of the
source, is found."""

from __future__ import annotations

import shutil
import sys
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
