"""Why a rule did not apply to a provider: the `not_applicable` list of the screening result.

A rule that produces no finding was still considered; the provider and the reviewer see why it
asked nothing ("Geen RI&E nodig: geen personeel in loondienst."). The reason is the condition of
the rule's scope (`applies`) the provider does not meet, or, where the scope holds, what the rule
kind had nothing to check on (no locations, no earlier round, ...). The texts are data
(not_applicable.yaml); this module only picks and fills them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from kit.case.models import Submission
from kit.dates import dutch_date
from kit.rules.model import Applies, LotFilter
from kit.text import render
from kit.vocab.vocabulary import Vocabulary

TEXTS = Path(__file__).resolve().parent / "not_applicable.yaml"


@dataclass(frozen=True)
class NotApplicable:
    rule: str
    requirement: str
    reason: str

    def to_result(self) -> dict[str, str]:
        return {"rule": self.rule, "requirement": self.requirement, "reason": self.reason}


@lru_cache(maxsize=1)
def texts() -> dict[str, Any]:
    return dict(yaml.safe_load(TEXTS.read_text(encoding="utf-8")))


def _values(values: list[str]) -> str:
    return ", ".join(values)


def filter_text(flt: LotFilter, vocab: Vocabulary) -> str:
    """A lot filter as words: 'in het domein jeugd met verblijf'."""
    words = texts()["lot_filter"]
    parts = []
    for name in ("lots", "domains", "subtenders", "roles"):
        value = getattr(flt, name)
        if value is not None:
            shown = [vocab.lots[code].label for code in value] if name == "lots" else list(value)
            parts.append(render(words[name], {"values": _values(shown)}))
    for name in ("residential", "needs_location"):
        value = getattr(flt, name)
        if value is not None:
            parts.append(words[f"{name}_{'true' if value else 'false'}"])
    return " ".join(parts) or words["any"]


def _active_lots(sub: Submission, flt: LotFilter) -> list[str]:
    roles = {reg.lot: reg.role for reg in sub.lots if not reg.withdrawn}
    codes = set(flt.lot_codes())
    return [
        lot
        for lot, role in roles.items()
        if lot in codes and (flt.roles is None or role in flt.roles)
    ]


def _workers(sub: Submission, flt: LotFilter, care_functions: list[str]) -> int:
    lots = set(_active_lots(sub, flt))
    return sum(
        1 for m in sub.staff if m.function in care_functions and lots & set(m.lots) and m.declarable
    )


# Over 60 lines: one reason per field of `applies`, in the field order of kit.rules.model.Applies,
# mirroring Compiler.scopes.
def scope_failures(
    applies: Applies, sub: Submission, as_of: date, care_functions: list[str], vocab: Vocabulary
) -> list[str]:
    """The conditions of `applies` this submission does not meet, as Dutch phrases; empty when
    the scope holds. Of an `any`, every branch failed: all their reasons."""
    scope = texts()["scope"]
    prov = sub.provider
    failures: list[str] = []
    if applies.legal_forms is not None and prov.legal_form not in applies.legal_forms:
        failures.append(render(scope["legal_forms"], {"legal_form": prov.legal_form}))
    if applies.employees_min is not None and prov.employees < applies.employees_min:
        failures.append(
            scope["no_employees"]
            if prov.employees == 0
            else render(
                scope["employees_min"], {"employees": prov.employees, "min": applies.employees_min}
            )
        )
    if applies.employees_max is not None and prov.employees > applies.employees_max:
        key = "employees_max_zero" if applies.employees_max == 0 else "employees_max"
        failures.append(
            render(scope[key], {"employees": prov.employees, "max": applies.employees_max})
        )
    if applies.fte_min is not None and prov.fte < applies.fte_min:
        failures.append(
            render(scope["fte_min"], {"fte": f"{prov.fte:g}", "min": f"{applies.fte_min:g}"})
        )
    if applies.fte_max is not None and prov.fte > applies.fte_max:
        failures.append(
            render(scope["fte_max"], {"fte": f"{prov.fte:g}", "max": f"{applies.fte_max:g}"})
        )
    if applies.from_ is not None and as_of < applies.from_:
        failures.append(render(scope["from"], {"date": dutch_date(applies.from_.isoformat())}))
    if applies.until is not None and as_of > applies.until:
        failures.append(render(scope["until"], {"date": dutch_date(applies.until.isoformat())}))
    if applies.workers is not None:
        count = _workers(sub, applies.workers, care_functions)
        if count < applies.workers.min:
            failures.append(
                render(
                    scope["workers"],
                    {
                        "count": count,
                        "lots": filter_text(applies.workers, vocab),
                        "min": applies.workers.min,
                    },
                )
            )
    flt = applies.lot_filter()
    if not sub.active_lots():
        failures.append(scope["no_active_lot"])
    elif not flt.is_empty() and not _active_lots(sub, flt):
        failures.append(render(scope["lots"], {"lots": filter_text(flt, vocab)}))
    if applies.any:
        branches = [
            scope_failures(branch, sub, as_of, care_functions, vocab) for branch in applies.any
        ]
        if all(branches):
            failures.append(
                scope["any_separator"].join(reason for branch in branches for reason in branch)
            )
    return failures


def kind_reason(rule: Any) -> str:
    """What a rule kind had nothing to check on, once its scope holds (the kind's own text)."""
    text = rule.kind_spec.not_applicable(getattr(rule, "per", None))
    employment = getattr(rule, "employment", None)
    owner = getattr(rule, "owner", None)
    words = texts()["employment"]
    values = {
        "functions": " of ".join(getattr(rule, "functions", []) or []),
        "employment": f" {' of '.join(words[e] for e in employment)}" if employment else "",
        "owner": texts()["owner"][str(owner).lower()] if owner is not None else "",
    }
    return render(text, values)


def not_applicable(
    ruleset: Any, sub: Submission, as_of: date, findings: list[Any], vocab: Vocabulary
) -> list[NotApplicable]:
    """Every rule of the rule set with no finding for this submission, with the reason."""
    found = {f.rule for f in findings}
    lead = texts()["lead"]
    out = []
    for rule in ruleset.rules:
        if rule.id in found or not rule.kind_spec.gives_findings:
            continue
        failures = scope_failures(rule.applies, sub, as_of, ruleset.care_functions, vocab)
        why = texts()["scope"]["any_separator"].join(failures) if failures else kind_reason(rule)
        if rule.messages.get("not_applicable"):
            reason = render(rule.messages["not_applicable"], {"why": why})
        elif rule.kind_spec.not_applicable_lead is not None:
            reason = rule.kind_spec.not_applicable_lead(rule, vocab, why)
        else:
            reason = render(lead["other"], {"title": rule.title, "why": why})
        out.append(NotApplicable(rule.id, rule.finding_requirement(), reason))
    return out
