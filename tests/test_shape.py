"""Issue 24: no function over about 60 lines without a reason. A longer function says why on
the line(s) just above it (above its decorators), in a comment that starts `# Over 60 lines:`;
the test proves it can fail."""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import ROOT

LONGEST = 60  # lines of a function's body, its docstring not counted
REASON = "# Over 60 lines:"


def body_lines(function: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    """The lines of a function's body from its first statement after the docstring; its
    signature (typer's options can take many lines) is not counted."""
    body = function.body
    first = body[0]
    if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and len(body) > 1:
        if isinstance(first.value.value, str):
            body = body[1:]
    return (function.end_lineno or function.lineno) - body[0].lineno + 1


def said_why(lines: list[str], function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """A comment block right above the function (or its decorators) that starts with REASON."""
    top = min([function.lineno, *(d.lineno for d in function.decorator_list)]) - 1
    above = top - 1
    while above >= 0 and lines[above].lstrip().startswith("#"):
        if lines[above].lstrip().startswith(REASON):
            return True
        above -= 1
    return False


def long_without_reason(root: Path) -> list[str]:
    found = []
    for path in sorted((root / "kit").rglob("*.py")):
        if "migrations" in path.parts:
            continue
        source = path.read_text(encoding="utf-8")
        lines = source.splitlines()
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                if body_lines(node) > LONGEST and not said_why(lines, node):
                    found.append(f"{path.relative_to(root)}:{node.lineno} {node.name}")
    return found


def test_every_long_function_says_why():
    found = long_without_reason(ROOT)
    assert not found, (
        f"functions over {LONGEST} lines without a reason (split them, or say why on the line "
        f"above, starting '{REASON}'):\n" + "\n".join(found)
    )


def test_a_long_function_without_a_reason_is_found(tmp_path):
    module = tmp_path / "kit" / "long.py"
    module.parent.mkdir()
    statements = "".join(f"    x{i} = {i}\n" for i in range(LONGEST + 1))
    module.write_text(
        f"def unexplained():\n{statements}\n\n"
        f"{REASON} one step per line, in the order the rule lists them.\n"
        f"@staticmethod\ndef explained():\n{statements}\n\n"
        f"def short():\n    return 1\n",
        encoding="utf-8",
    )
    assert long_without_reason(tmp_path) == ["kit/long.py:1 unexplained"]
