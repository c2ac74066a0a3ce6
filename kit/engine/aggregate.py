"""Rule kinds that read the findings of other rules rather than facts of the case.

S7 (each lot has at least one qualified, declarable care worker) is only knowable once the
per-staff findings exist; the risk light (R3) counts the indicator signals (R2). Both run
after the Rete evaluation, on its resolved findings, with their parameters from the rules.
"""

from __future__ import annotations

from typing import Any

from kit.case import Submission
from kit.engine.findings import Finding, propose
from kit.rules.model import IndicatorRule, QualifiedStaffRule, RiskLightRule
from kit.vocabulary import Vocabulary


def complete(ruleset: Any, sub: Submission, findings: list[Finding], vocab: Vocabulary,
             order: dict[str, int]) -> tuple[list[Finding], str | None]:
    """Add the findings of the kinds that read other findings (S7, then the risk light) to the
    resolved findings of a submission; return them in result order, with the risk light."""
    findings = list(findings)
    for rule in ruleset.of_kind(QualifiedStaffRule):
        findings += qualified_staff(rule, sub, findings, vocab, order[rule.id])
    risk = None
    for light_rule in ruleset.of_kind(RiskLightRule):
        risk, finding = risk_light(light_rule, findings, indicator_titles(ruleset.rules), order[light_rule.id],
                                   vocab)
        findings.append(finding)
    findings.sort(key=lambda f: (f.order, f.subject, f.lot or "", f.item or "", f.requirement))
    return findings, risk


def qualified_staff(rule: QualifiedStaffRule, sub: Submission, findings: list[Finding],
                    vocab: Vocabulary, order: int) -> list[Finding]:
    by_staff: dict[tuple[str, str | None], list[Finding]] = {}
    qualifying_rules = set(rule.qualified_by)
    for finding in findings:
        if finding.rule in qualifying_rules and finding.subject.startswith("staff:"):
            by_staff.setdefault((finding.subject[6:], finding.lot), []).append(finding)
    lots = set(rule.applies.lot_filter().lot_codes())
    out = []
    for code in sub.active_lots():
        if code not in lots:
            continue
        qualified, pending, judging = [], [], []
        for member in sub.staff:
            if code not in member.lots or member.function not in rule.functions:
                continue
            own = by_staff.get((member.id, code), []) + by_staff.get((member.id, None), [])
            if not own:
                continue
            declarable = not (member.evc is not None and member.evc.status == "lopend")
            if declarable and all(f.status == "voldaan" for f in own):
                qualified.append(member.id)
            elif all(f.status == "voldaan" or f.outcome == "voorwaardelijk" for f in own):
                dues = [f.due for f in own if f.due]
                if member.evc is not None and member.evc.expected_completion:
                    dues.append(member.evc.expected_completion.isoformat())
                pending.append((max(dues) if dues else None, member.id))
            elif all(f.status == "voldaan" or f.outcome in ("voorwaardelijk", "beoordeling") for f in own):
                judging.append(member.id)
        if qualified:
            status, outcome, situation, evidence, due = "voldaan", None, "ok", sorted(qualified), None
        elif judging:
            status, outcome, situation, evidence, due = "onbepaald", "beoordeling", "judging", [], None
        elif pending:
            due = min((d for d, _ in pending if d), default=None)
            status, outcome, situation, evidence = "niet-voldaan", "voorwaardelijk", "pending", []
        else:
            status, outcome, situation, evidence, due = "niet-voldaan", rule.outcome, "missing", [], None
        out.append(propose(rule, situation, status, outcome, rule.finding_requirement(), vocab=vocab,
                           lot=code, evidence=evidence, due=due, params={"count": len(qualified)},
                           order=order))
    return out


def risk_light(rule: RiskLightRule, findings: list[Finding], indicators: dict[str, str],
               order: int, vocab: Vocabulary) -> tuple[str, Finding]:
    """R3: the light from the number of signals among the indicators that apply. An indicator
    that could not be judged (no data) leaves the light open: no signals then give the rule's
    `incomplete` light, never the lowest, and a higher light says it is a lower bound."""
    judged = [f for f in findings if f.rule in indicators and f.status != "onbepaald"]
    unknown = sorted({indicators[f.rule] for f in findings if f.rule in indicators and f.status == "onbepaald"})
    count = sum(1 for f in judged if f.status == "niet-voldaan" and f.outcome == "signaal")
    levels = sorted(rule.levels, key=lambda lv: lv.min_signals, reverse=True)
    light = next(lv.light for lv in levels if count >= lv.min_signals)
    lowest = levels[-1].light
    if unknown and light == lowest:
        light, situation, status = rule.incomplete, "incomplete", "onbepaald"
    else:
        situation = "light_incomplete" if unknown else "light"
        status = "voldaan" if light == lowest else "niet-voldaan"
    judged_titles = sorted({indicators[f.rule] for f in judged})
    finding = propose(rule, situation, status, rule.outcome, rule.finding_requirement(), vocab=vocab,
                      params={"light": light, "count": count},
                      data={"unknown": "; ".join(unknown), "judged": "; ".join(judged_titles) or "geen"},
                      order=order)
    return light, finding


def indicator_titles(rules: list[Any]) -> dict[str, str]:
    """Indicator rule id -> its title, as the risk light names the ones it could not judge."""
    return {r.id: r.title for r in rules if isinstance(r, IndicatorRule)}
