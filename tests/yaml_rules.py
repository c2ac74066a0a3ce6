"""Requirement tests as data, in the style of OpenFisca's YAML tests.

Every `tests/rules/<RULE>.yaml` holds cases for one rule: a change applied to the base case
(tests/fixtures/base_case.yaml, a clean case), and what the screening must give. pytest collects
each case as a test named `<RULE>::<case name>`. A policy officer adds a case without Python.

    rule: O1-kvk-uittreksel
    cases:
      - name: een uittreksel van 7 maanden oud is herstel
        change:
          - set: {documents[type=kvk-uittreksel].issued_on: 2023-09-01}
        expect:
          findings: [{rule: O1-kvk-uittreksel, status: niet-voldaan, outcome: herstel}]
          problems: [{rule: O1-kvk-uittreksel}]
          lots: herstel-nodig

Changes (applied in order): `preset: NAME` or `preset: {name: NAME, VAR: VALUE, repeat: N}` (a
named list of changes in tests/rules/_presets*.yaml), `set: {PATH: VALUE}`,
`merge: {PATH: {KEY: VALUE}}`, `append: {PATH: VALUE}`, `remove: [PATH]`,
`move_to: {date: DATE, procedure: CODE}` (every date moved alike), `judge: {document: TYPE,
criteria: {CODE: OUTCOME or {uitkomst, toelichting}}, default: OUTCOME}` (a content judgement by
criteria, Q12, as kit assess --criteria records it; `default` answers every criterion not named).
A PATH starts inside `submission`: `provider.employees`, `staff[id=S03].vog.issued_on`,
`documents[type=jaarrekening]`, `lots[0]`. A case may set `as_of`.

Expectations: `findings` (each matcher matches exactly one finding), `absent` (matchers that
match none), `problems` (the non-satisfied findings, exactly: each matches one of these, each of
these at least one; `[]` is none), `lots` (a verdict for every lot, or a mapping with `default`;
a lot the mapping names must have a verdict), `lots_exactly` (the lots that get a verdict),
`risk`, `ruleset`, `not_applicable` (matchers on rule and reason), `error` (the case is refused
with a message matching this regular expression). A matcher names any of rule, requirement,
subject, lot, item, status, outcome, due, evidence; `message` or `message_has` match the text.

`vars`: a list of mappings; the case runs once per mapping, with `$name` (a whole value) and
`${name}` (inside text) replaced.

A file, a case or an `expect` with a key not named here, or a case without expectations, is
refused when the file is collected (shape_problems): a misspelt `expect` would otherwise pass
whatever the engine does.
"""

from __future__ import annotations

import copy
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

HERE = Path(__file__).resolve().parent / "rules"
BASE = HERE.parent / "fixtures" / "base_case.yaml"
PRESETS = "_presets*.yaml"  # every presets file in tests/rules/, merged
MATCH_KEYS = (
    "rule",
    "requirement",
    "subject",
    "lot",
    "item",
    "status",
    "outcome",
    "due",
    "evidence",
)


FILE_KEYS = {"rule", "cases"}
CASE_KEYS = {"name", "change", "expect", "as_of", "vars"}
EXPECT_KEYS = {
    "findings",
    "absent",
    "problems",
    "lots",
    "lots_exactly",
    "risk",
    "ruleset",
    "not_applicable",
    "error",
}
NOT_APPLICABLE_KEYS = {"rule", "reason_has"}


def _unknown(keys: Any, allowed: set[str], where: str) -> list[str]:
    return [f"{where}: onbekende sleutel {key!r}" for key in keys if key not in allowed]


def shape_problems(data: Any) -> list[str]:
    """What is wrong with the shape of a rule file: unknown keys (of the file, a case, an
    `expect`, a `not_applicable` matcher) and cases without expectations."""
    if not isinstance(data, dict):
        return ["het bestand is geen mapping met rule en cases"]
    problems = _unknown(data, FILE_KEYS, "bestand")
    cases = data.get("cases")
    if not isinstance(cases, list) or not cases:
        return [*problems, "bestand: geen cases"]
    for index, case in enumerate(cases):
        where = f"case {case.get('name', index)!r}" if isinstance(case, dict) else f"case {index}"
        if not isinstance(case, dict):
            problems.append(f"{where}: geen mapping")
            continue
        problems += _unknown(case, CASE_KEYS, where)
        expect = case.get("expect")
        if not isinstance(expect, dict) or not expect:
            problems.append(f"{where}: geen verwachting (expect ontbreekt of is leeg)")
            continue
        problems += _unknown(expect, EXPECT_KEYS, f"{where}, expect")
        for matcher in expect.get("not_applicable") or []:
            problems += _unknown(matcher, NOT_APPLICABLE_KEYS, f"{where}, not_applicable")
    return problems


def pytest_collect_file(parent: pytest.Collector, file_path: Path) -> pytest.Collector | None:
    if (
        file_path.suffix == ".yaml"
        and file_path.parent == HERE
        and not file_path.name.startswith("_")
    ):
        return RuleFile.from_parent(parent, path=file_path)
    return None


class RuleFile(pytest.File):
    def collect(self):  # type: ignore[no-untyped-def]
        data = yaml.safe_load(self.path.read_text(encoding="utf-8")) or {}
        problems = shape_problems(data)
        if problems:
            raise ValueError(f"{self.path}: " + "; ".join(problems))
        rule = data.get("rule") or self.path.stem
        names: set[str] = set()
        for case in data.get("cases", []):
            for variant in case.get("vars") or [{}]:
                spec = substitute({k: v for k, v in case.items() if k != "vars"}, variant)
                name = str(spec.get("name") or "case")
                if name in names:
                    raise ValueError(f"{self.path}: case {name!r} twice (use ${{var}} in the name)")
                names.add(name)
                yield RuleCase.from_parent(self, name=name, rule=rule, spec=spec)


class RuleCase(pytest.Item):
    def __init__(self, *, rule: str, spec: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.rule = rule
        self.spec = spec

    def runtest(self) -> None:
        run_case(self.spec)

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, 0, f"{self.rule}::{self.name}"

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if isinstance(excinfo.value, CaseFailed):
            return f"{self.rule}::{self.name}\n{excinfo.value}"
        return str(super().repr_failure(excinfo))


class CaseFailed(AssertionError):
    pass


# --- variables ----------------------------------------------------------------------------------


def substitute(node: Any, variables: dict[str, Any]) -> Any:
    if isinstance(node, dict):
        return {substitute(k, variables): substitute(v, variables) for k, v in node.items()}
    if isinstance(node, list):
        return [substitute(v, variables) for v in node]
    if isinstance(node, str):
        if node.startswith("$") and node[1:] in variables:
            return copy.deepcopy(variables[node[1:]])
        # ${name} of a variable this case does not define stays as written (a preset's ${i})
        return re.sub(r"\$\{(\w+)\}", lambda m: str(variables.get(m.group(1), m.group(0))), node)
    return node


# --- changes ------------------------------------------------------------------------------------

_STEP = re.compile(r"([^.\[\]]+)|\[(\d+)\]|\[(\w+)=([^\]]+)\]")


def steps(path: str) -> list[str | int | tuple[str, str]]:
    """'staff[id=S03].vog.issued_on' -> ['staff', ('id', 'S03'), 'vog', 'issued_on']."""
    out: list[str | int | tuple[str, str]] = []
    for key, index, field, value in _STEP.findall(path):
        out.append(key if key else int(index) if index else (field, value))
    return out


def _child(node: Any, step: str | int | tuple[str, str], path: str, create: bool = False) -> Any:
    if isinstance(step, tuple):
        field, value = step
        found = [item for item in node if str(item.get(field)) == value]
        if len(found) != 1:
            raise CaseFailed(f"{path}: [{field}={value}] vindt {len(found)} elementen, verwacht 1")
        return found[0]
    if isinstance(step, int):
        return node[step]
    if create and step not in node:
        node[step] = {}
    if step not in node:
        raise CaseFailed(f"{path}: {step!r} bestaat niet in de casus")
    return node[step]


def _parent(
    sub: dict[str, Any], path: str, create: bool = False
) -> tuple[Any, str | int | tuple[str, str]]:
    parts = steps(path)
    node: Any = sub
    for step in parts[:-1]:
        node = _child(node, step, path, create)
    return node, parts[-1]


def _shift(node: Any, days: int, years: int) -> Any:
    if isinstance(node, dict):
        return {
            k: (v + years if k == "covers_year" else _shift(v, days, years))
            for k, v in node.items()
        }
    if isinstance(node, list):
        return [_shift(v, days, years) for v in node]
    if isinstance(node, date):
        return date.fromordinal(node.toordinal() + days)
    return node


def run_preset(sub: dict[str, Any], arg: str | dict[str, Any], presets: dict[str, Any]) -> None:
    """A named list of changes; with a mapping, `name` picks it, the other keys fill its `$vars`
    over its `defaults`, and `repeat: N` applies it N times with `${i}` counting from 0."""
    call = {"name": arg} if isinstance(arg, str) else dict(arg)
    preset = presets[call.pop("name")]
    body = preset if isinstance(preset, list) else preset["changes"]
    defaults = {} if isinstance(preset, list) else preset.get("defaults", {})
    for i in range(call.pop("repeat", 1)):
        variables = {**defaults, **call, "i": f"{i:02d}"}
        for step in substitute(body, variables):
            apply(sub, step, presets)


def apply(sub: dict[str, Any], change: dict[str, Any], presets: dict[str, Any]) -> None:
    [(op, arg)] = change.items()
    if op == "preset":
        run_preset(sub, arg, presets)
    elif op == "move_to":  # every date alike, and the financial years with them
        days = (arg["date"] - sub["submitted_on"]).days
        moved = _shift(sub, days, arg["date"].year - sub["submitted_on"].year)
        sub.clear()
        sub.update(moved, procedure=arg.get("procedure", moved["procedure"]))
    elif op == "set":
        for path, value in arg.items():
            parent, last = _parent(sub, path, create=True)
            if isinstance(last, tuple):
                item = _child(parent, last, path)
                parent[parent.index(item)] = value
            else:
                parent[last] = value
    elif op == "merge":
        for path, values in arg.items():
            parent, last = _parent(sub, path)
            _child(parent, last, path).update(values)
    elif op == "append":
        for path, value in arg.items():
            parent, last = _parent(sub, path, create=True)
            if not isinstance(last, (str, int)) or (isinstance(last, str) and last not in parent):
                parent[last] = []
            _child(parent, last, path).append(value)
    elif op == "remove":
        for path in arg if isinstance(arg, list) else [arg]:
            parent, last = _parent(sub, path)
            if isinstance(last, tuple):
                parent.remove(_child(parent, last, path))
            elif isinstance(last, int):
                del parent[last]
            else:
                parent.pop(last)
    elif op == "judge":
        _judge(sub, arg)
    else:
        raise ValueError(f"onbekende wijziging {op!r}")


def _judge(sub: dict[str, Any], arg: dict[str, Any]) -> None:
    """Write a judgement by criteria into the case, as kit.screening.decisions applies a
    recorded one."""
    from kit.kinds.rulesets import shipped_rulesets
    from kit.rules.criteria import criteria_of
    from kit.rules.loader import select_ruleset
    from kit.screening.criteria import judge

    ruleset = select_ruleset(shipped_rulesets(), sub["submitted_on"])
    criteria = criteria_of(ruleset.rules, arg["document"])
    answers = {c.code: arg["default"] for c in criteria if "default" in arg}
    answers.update(arg.get("criteria", {}))
    result = judge(arg["document"], criteria, answers, "test")
    for doc in sub.get("documents", []):
        if doc["type"] == arg["document"]:
            doc.update(assessment=result.judgement, assessment_note=result.note)
            doc["assessment_shared"] = True


# --- expectations -------------------------------------------------------------------------------


def _value(finding: Any, key: str) -> Any:
    value = getattr(finding, key)
    return list(value) if key == "evidence" else value


def matches(finding: Any, matcher: dict[str, Any]) -> bool:
    for key, expected in matcher.items():
        if key in MATCH_KEYS:
            wanted = expected.isoformat() if isinstance(expected, date) else expected
            if _value(finding, key) != wanted:
                return False
        elif key == "message":
            if finding.message != expected:
                return False
        elif key == "message_has":
            texts = expected if isinstance(expected, list) else [expected]
            if not all(text in finding.message for text in texts):
                return False
        else:
            raise ValueError(f"onbekende sleutel {key!r} in een verwachte bevinding")
    return True


def dump(outcome: Any) -> str:
    rows = [
        f"  {f.rule} {f.subject} {f.lot} {f.item or f.requirement} {f.status} {f.outcome} "
        f"{list(f.evidence)} {f.due}"
        for f in outcome.findings
    ]
    return "\n".join(rows) + f"\n  lots {outcome.lots}, risk {outcome.risk}"


def load_presets() -> dict[str, Any]:
    presets: dict[str, Any] = {}
    for path in sorted(HERE.glob(PRESETS)):
        for name, preset in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).items():
            if name in presets:
                raise ValueError(f"{path}: preset {name!r} bestaat al in een ander bestand")
            presets[name] = preset
    return presets


def run_case(spec: dict[str, Any]) -> None:
    from kit.case.checks import parse_case
    from kit.errors import KitError
    from kit.screening.screen import screen_case

    presets = load_presets()
    data = yaml.safe_load(BASE.read_text(encoding="utf-8"))
    for change in spec.get("change", []):
        apply(data["submission"], change, presets)
    expect = spec.get("expect", {})
    as_of = spec.get("as_of")
    try:
        outcome = screen_case(parse_case(data, "test"), as_of)
    except KitError as exc:
        if "error" in expect and re.search(expect["error"], exc.message):
            return
        raise CaseFailed(f"geweigerd: {exc.message}") from None
    if "error" in expect:
        raise CaseFailed(
            f"verwacht een weigering ({expect['error']}), maar gescreend:\n{dump(outcome)}"
        )
    problems: list[str] = []
    for matcher in expect.get("findings", []):
        found = [f for f in outcome.findings if matches(f, matcher)]
        if len(found) != 1:
            problems.append(f"{matcher}: {len(found)} bevindingen, verwacht 1")
    for matcher in expect.get("absent", []):
        if any(matches(f, matcher) for f in outcome.findings):
            problems.append(f"{matcher}: verwacht geen bevinding")
    if "problems" in expect:
        open_findings = [f for f in outcome.findings if f.status != "voldaan"]
        for f in open_findings:
            if not any(matches(f, m) for m in expect["problems"]):
                problems.append(
                    f"onverwacht probleem: {f.rule} {f.subject} {f.lot} {f.status} {f.outcome}"
                )
        for matcher in expect["problems"]:
            if not any(matches(f, matcher) for f in open_findings):
                problems.append(f"{matcher}: verwacht probleem ontbreekt")
    if "lots" in expect:
        wanted = expect["lots"]
        lots = (
            dict.fromkeys(outcome.lots, wanted)
            if isinstance(wanted, str)
            else {lot: wanted.get(lot, wanted.get("default", "toegelaten")) for lot in outcome.lots}
        )
        if outcome.lots != lots:
            problems.append(f"uitspraken {outcome.lots}, verwacht {lots}")
        missing = (
            []
            if isinstance(wanted, str)
            else [lot for lot in wanted if lot != "default" and lot not in outcome.lots]
        )
        if missing:
            problems.append(f"geen uitspraak voor {missing} (uitspraken: {outcome.lots})")
    if "lots_exactly" in expect and set(outcome.lots) != set(expect["lots_exactly"]):
        problems.append(
            f"percelen {sorted(outcome.lots)}, verwacht precies {sorted(expect['lots_exactly'])}"
        )
    for key, actual in (("risk", outcome.risk), ("ruleset", outcome.ruleset_id)):
        if key in expect and expect[key] != actual:
            problems.append(f"{key} {actual!r}, verwacht {expect[key]!r}")
    for matcher in expect.get("not_applicable", []):
        found = [
            n
            for n in outcome.not_applicable
            if n.rule == matcher["rule"] and matcher.get("reason_has", "") in n.reason
        ]
        if len(found) != 1:
            problems.append(
                f"niet van toepassing {matcher}: {[n.reason for n in outcome.not_applicable]}"
            )
    if problems:
        raise CaseFailed("\n".join(problems) + "\ngescreend:\n" + dump(outcome))
