#!/usr/bin/env python3
"""Mutation check for the rule sets: does some test fail when one rule is removed?

For every rule id in rules/kit-2025 and every rule kit-2026 states itself, copy the whole
rules/ directory to a temporary directory, remove that one rule from its YAML file, and run

    python -m pytest -x -q tests/

with KIT_RULES_DIR pointing at the copy (kit reads rule sets and the vocabulary from there).
A failing run means the rule is covered ("caught"); a passing run means no test notices the
rule is gone ("UNCAUGHT", a gap). Removing the single `process` or `verdict` rule makes the
rule set fail to load, which fails the tests too: reported as "caught (load error)".

Usage:  python tools/drop_each_rule.py [--jobs N] [--only RULE_ID ...] [--pytest-args "..."]
Exit status: 0 when every rule is caught, 1 when some rule is uncaught, 2 when the tests fail
on the unmodified rules (then nothing can be concluded).

Standard library and pyyaml only.
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
RULES = ROOT / "rules"
RULESETS = ("kit-2025", "kit-2026")
HEADER = "ruleset.yaml"
LOAD_ERROR = re.compile(r"RuleError|precies een regel van soort")


@dataclass
class Target:
    ruleset: str
    file: str  # path relative to rules/
    rule_id: str
    kind: str


@dataclass
class Result:
    target: Target
    verdict: str  # caught | caught (load error) | UNCAUGHT | error
    seconds: float
    detail: str = ""


def targets() -> list[Target]:
    """Every rule a version states itself, in file order."""
    out: list[Target] = []
    for ruleset in RULESETS:
        directory = RULES / ruleset
        for path in sorted(directory.glob("*.yaml")):
            if path.name == HEADER:
                continue
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            for rule in data.get("rules") or []:
                out.append(
                    Target(ruleset, str(path.relative_to(RULES)), rule["id"], rule.get("kind", "?"))
                )
    return out


def remove_rule(text: str, rule_id: str) -> str:
    """The YAML text without the rule `rule_id`: cut its list item, keep everything else verbatim.
    Falls back to re-dumping the parsed file when the text layout is not the usual one."""
    original = yaml.safe_load(text)
    wanted = [r for r in original["rules"] if r.get("id") != rule_id]
    if len(wanted) != len(original["rules"]) - 1:
        raise ValueError(f"rule {rule_id} not found exactly once")

    lines = text.splitlines(keepends=True)
    start = next(
        (
            i
            for i, line in enumerate(lines)
            if re.match(rf"^(\s*)-\s+id:\s*['\"]?{re.escape(rule_id)}['\"]?\s*$", line)
        ),
        None,
    )
    if start is not None:
        indent = len(lines[start]) - len(lines[start].lstrip())
        end = start + 1
        while end < len(lines):
            line = lines[end]
            stripped = line.strip()
            if stripped and not stripped.startswith("#"):
                level = len(line) - len(line.lstrip())
                if level < indent or (level == indent and stripped.startswith("-")):
                    break
            end += 1
        candidate = "".join(lines[:start] + lines[end:])
        parsed = yaml.safe_load(candidate)
        if not wanted and isinstance(parsed, dict) and parsed.get("rules") is None:
            candidate = re.sub(r"^rules:\s*$", "rules: []", candidate, flags=re.MULTILINE)
            parsed = yaml.safe_load(candidate)
        if (
            isinstance(parsed, dict)
            and parsed.get("rules") == wanted
            and {k: v for k, v in parsed.items() if k != "rules"}
            == {k: v for k, v in original.items() if k != "rules"}
        ):
            return candidate
    data = dict(original)
    data["rules"] = wanted
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


def run_tests(rules_dir: Path, pytest_args: list[str], timeout: int) -> tuple[int, str]:
    env = dict(os.environ, KIT_RULES_DIR=str(rules_dir))
    cmd = [sys.executable, "-m", "pytest", *pytest_args]
    try:
        proc = subprocess.run(
            cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired as exc:
        return 124, f"timeout after {timeout}s\n{exc.stdout or ''}"
    return proc.returncode, proc.stdout + proc.stderr


def last_line(output: str) -> str:
    lines = [line for line in output.strip().splitlines() if line.strip()]
    return lines[-1] if lines else ""


def check(target: Target | None, pytest_args: list[str], timeout: int) -> Result | tuple[int, str]:
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="kit-drop-") as tmp:
        copy = Path(tmp) / "rules"
        shutil.copytree(RULES, copy)
        if target is None:
            return run_tests(copy, pytest_args, timeout)
        path = copy / target.file
        path.write_text(
            remove_rule(path.read_text(encoding="utf-8"), target.rule_id), encoding="utf-8"
        )
        code, output = run_tests(copy, pytest_args, timeout)
    seconds = time.monotonic() - started
    if code == 0:
        return Result(target, "UNCAUGHT", seconds, last_line(output))
    if code in (1, 2, 3):
        failed = re.findall(r"^(?:FAILED|ERROR) (\S+)", output, flags=re.MULTILINE)
        if LOAD_ERROR.search(output) and target.kind in ("process", "verdict"):
            return Result(target, "caught (load error)", seconds, "rule set does not load")
        return Result(target, "caught", seconds, failed[0] if failed else last_line(output))
    if code == 5:
        return Result(target, "error", seconds, "no tests collected")
    return Result(target, "error", seconds, f"pytest exit {code}: {last_line(output)}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--jobs",
        "-j",
        type=int,
        default=min(4, os.cpu_count() or 1),
        help="test runs in parallel (default: min(4, cpus))",
    )
    parser.add_argument("--only", nargs="*", default=None, help="only these rule ids")
    parser.add_argument(
        "--pytest-args",
        default="-x -q -p no:cacheprovider tests/",
        help="arguments for pytest (default: %(default)s)",
    )
    parser.add_argument("--timeout", type=int, default=900, help="seconds per test run")
    args = parser.parse_args(argv)
    pytest_args = shlex.split(args.pytest_args)

    todo = targets()
    if args.only:
        todo = [t for t in todo if t.rule_id in set(args.only)]
        if not todo:
            print("geen van de opgegeven regels gevonden", file=sys.stderr)
            return 2

    print(f"baseline: tests on the unmodified rules ({' '.join(pytest_args)}) ...", flush=True)
    code, output = check(None, pytest_args, args.timeout)  # type: ignore[misc]
    if code != 0:
        print(
            f"baseline FAILS (exit {code}): {last_line(output)}\n{output[-3000:]}", file=sys.stderr
        )
        return 2
    print(f"baseline passes: {last_line(output)}", flush=True)

    print(f"dropping each of {len(todo)} rules, {args.jobs} at a time", flush=True)
    results: list[Result] = []
    width = max(len(t.rule_id) for t in todo)
    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        for result in pool.map(lambda t: check(t, pytest_args, args.timeout), todo):
            assert isinstance(result, Result)
            results.append(result)
            t = result.target
            print(
                f"{t.ruleset:9} {t.rule_id:{width}}  {result.verdict:20} {result.seconds:6.1f}s  "
                f"{result.detail}",
                flush=True,
            )

    uncaught = [r for r in results if r.verdict == "UNCAUGHT"]
    errors = [r for r in results if r.verdict == "error"]
    caught = len(results) - len(uncaught) - len(errors)
    print(f"\n{caught}/{len(results)} rules caught, {len(uncaught)} uncaught, {len(errors)} errors")
    for r in uncaught:
        print(f"  UNCAUGHT: {r.target.ruleset}/{r.target.rule_id} ({r.target.file})")
    for r in errors:
        print(f"  ERROR: {r.target.ruleset}/{r.target.rule_id}: {r.detail}")
    return 1 if uncaught or errors else 0


if __name__ == "__main__":
    sys.exit(main())
