"""Re-screening a provider already in the store (M1-M3): on a later date, after a board change,
or the whole region at once. Each adds a screening; nothing stored is changed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from kit.case.checks import SENSITIVE_PARTS, parse_case, refuse_kit_only
from kit.case.history import Prior
from kit.case.models import Bibob, BoardMember, Case, Declaration, Document
from kit.case.stored import stored_case
from kit.engine import Finding
from kit.errors import CaseError, KitError
from kit.kinds.self_declaration import SelfDeclarationRule
from kit.rules.applicability import not_applicable
from kit.rules.loader import RuleSet
from kit.screening.screen import ScreeningOutcome, ruleset_for, screen_case
from kit.screening.stored import StoredFinding, StoredScreening
from kit.screening.verdict import lot_verdicts, summary
from kit.structured import read_structured
from kit.timezone import today
from kit.validation import dutch_error
from kit.vocab.vocabulary import vocabulary


class BoardChange(BaseModel):
    """The file for `kit rescreen --reason bestuurswisseling --board FILE`: the new board, its
    self-declaration (without one, where the rule set asks for it, every ground is unanswered:
    M3), and new integrity documents (GVA, Bibob questionnaire), if any."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    board: list[BoardMember]
    declarations: list[Declaration] | None = None
    documents: list[Document] = []
    bibob: Bibob | None = None


def as_finding(row: StoredFinding, order: int) -> Finding:
    return Finding(
        rule=row.rule,
        requirement=row.requirement,
        subject=row.subject,
        lot=row.lot,
        status=row.status,
        outcome=row.outcome,
        message=row.message,
        basis=row.basis,
        evidence=tuple(row.evidence_list()),
        due=row.due.isoformat() if row.due else None,
        item=row.item,
        sensitive=row.sensitive,
        neutral=row.neutral_message,
        letter=row.letter_message,
        order=order,
    )


def prior_after(base: StoredScreening, exclusions: list[Any]) -> Prior:
    """What a re-screen of `base` must honour: what `base` saw and the exclusions it found
    (`exclusions`, as the store reads them for `base`)."""
    return Prior.from_json(base.prior_json).after(
        base.code, exclusions, stored_case(base.case_json, base.code)
    )


def not_ahead(as_of: date, what: str = "een herscreening") -> None:
    """A (re-)screening is stored as a screening on its date: never on a day still to come
    (what a change would do then is `kit rules impact --peildatum`, which stores nothing)."""
    if as_of > today():
        raise KitError(
            f"--peildatum {as_of.isoformat()} ligt in de toekomst; {what} wordt "
            "opgeslagen en kan niet vooruit (kit rules impact --peildatum rekent vooruit zonder "
            "op te slaan)"
        )


def looks_forward(base: StoredScreening, as_of: date) -> None:
    """A re-screen of `base` is on its day or later, and not in the future (not_ahead)."""
    not_ahead(as_of)
    if as_of < base.as_of:
        raise KitError(
            f"--peildatum {as_of.isoformat()} ligt voor de laatste screening {base.code} "
            f"({base.as_of.isoformat()}); een herscreening kijkt naar een latere datum"
        )


def new_review(case: Case, source: str) -> Case:
    """The case as the first screening of a new review (M5): round 0. A re-screen opens a new
    review of the provider, with rounds, requests and deadlines of its own."""
    if case.submission.round == 0:
        return case
    data = case.to_json_data()
    data["submission"]["round"] = 0
    return parse_case(data, source)


def review_after(base: StoredScreening, outcome: ScreeningOutcome) -> ScreeningOutcome:
    """`outcome`, a re-screen of `base`, as the start of the next review (M5)."""
    outcome.review = base.review + 1
    return outcome


def rescreen_date(
    base: StoredScreening, prior: Prior, as_of: date, actor: str = ""
) -> ScreeningOutcome:
    """The provider's last case again on a later date, as the start of a new review (M5):
    documents age, registrations expire; what earlier screenings found stands (E7). A date
    before `base`'s is refused: a re-screen looks forward, and the earlier date would become
    the submission's latest screening. `prior`: prior_after(base, its exclusions)."""
    looks_forward(base, as_of)
    outcome = screen_case(
        new_review(stored_case(base.case_json, base.code), base.source),
        as_of,
        base.source,
        prior=prior,
    )
    outcome.reason, outcome.actor = "herscreening", actor
    return review_after(base, outcome)


def fresh_declarations(ruleset: RuleSet, reason: str) -> bool:
    """The rule set asks a re-screen for `reason` to carry its own self-declaration (M3: the
    new board answers for itself)."""
    return any(reason in rule.fresh_for for rule in ruleset.of_kind(SelfDeclarationRule))


def apply_board_change(case: Case, change: BoardChange, fresh: bool = False) -> Case:
    """The case with the new board (and what the board file brings), as round 0 of a new
    review. `fresh`: without declarations of its own, every ground is unanswered (M3): the old
    board's answers are not the new board's."""
    data = case.to_json_data()
    sub = data["submission"]
    sub["round"] = 0
    sub["provider"]["board"] = [m.model_dump(mode="json", exclude_none=True) for m in change.board]
    if change.declarations is not None:
        sub["declarations"] = [
            d.model_dump(mode="json", exclude_none=True) for d in change.declarations
        ]
    elif fresh:
        sub["declarations"] = []
    if change.documents:
        replaced = {d.type for d in change.documents}
        sub["documents"] = [d for d in sub.get("documents", []) if d["type"] not in replaced]
        sub["documents"] += [d.model_dump(mode="json", exclude_none=True) for d in change.documents]
    if change.bibob is not None:
        sub["bibob"] = change.bibob.model_dump(mode="json", exclude_none=True)
    return parse_case(data, "bestuurswisseling")


def partial(
    ruleset: RuleSet,
    reason: str,
    new: ScreeningOutcome,
    base: StoredScreening,
    base_findings: Sequence[StoredFinding],
    case: Case,
    final: bool = False,
) -> ScreeningOutcome:
    """Findings of the rules for `reason`'s catalogue parts from `new`; every other finding, and
    the risk light, stand as they were in the base screening. Verdicts follow the combination
    (`final`: the old model's final verdicts, for the replay of a screening stored with them)."""
    parts = set(ruleset.rescreen.get(reason, []))
    if not parts:
        raise KitError(f"regelset {ruleset.id} noemt geen onderdelen voor herscreening '{reason}'")
    rerun = {rule.id for rule in ruleset.rules if parts & set(rule.refs)}
    order = {rule.id: i for i, rule in enumerate(ruleset.rules)}
    kept = [
        as_finding(row, order.get(row.rule, len(order)))
        for row in base_findings
        if row.rule not in rerun
    ]
    findings = sorted(
        [f for f in new.findings if f.rule in rerun] + kept,
        key=lambda f: (f.order, f.subject, f.lot or "", f.item or "", f.requirement),
    )
    return replace(
        new,
        findings=findings,
        rerun=sorted(parts),
        risk=base.risk,
        final=final,
        base_screening_pk=base.id,
        lots=lot_verdicts(findings, case.submission, ruleset.verdict(), final=final),
        summary=summary(findings, case.submission, ruleset.verdict(), final),
        not_applicable=not_applicable(ruleset, case.submission, new.as_of, findings, vocabulary()),
    )


def rescreen_board(
    base: StoredScreening,
    prior: Prior,
    base_findings: Sequence[StoredFinding],
    board_file: Path,
    as_of: date | None,
    actor: str = "",
) -> ScreeningOutcome:
    """M3: the integrity part again for the new board, on top of the provider's last screening
    (`base`, with `prior` = prior_after(base, its exclusions) and its findings), as the start of
    a new review (M5)."""
    data = read_structured(board_file)
    refuse_kit_only(data, str(board_file))
    try:
        change = BoardChange.model_validate(data)
    except ValidationError as exc:
        # The board, its self-declaration and Bibob are for toezicht: name the path, not the value.
        raise CaseError(f"{board_file}: {dutch_error(exc, hide_under=SENSITIVE_PARTS)}") from None
    day = as_of or base.as_of
    looks_forward(base, day)
    ruleset = ruleset_for(day)
    fresh = fresh_declarations(ruleset, "bestuurswisseling")
    try:
        case = apply_board_change(stored_case(base.case_json, base.code), change, fresh)
    except CaseError as exc:
        raise CaseError(exc.message.replace("bestuurswisseling", str(board_file), 1)) from None
    # A board change is not a repair round: the new board's answers are not compared with the
    # old board's; exclusions found earlier stand (E7).
    full = screen_case(case, day, str(board_file), ruleset=ruleset, prior=Prior(prior.exclusions))
    outcome = partial(ruleset, "bestuurswisseling", full, base, base_findings, case)
    outcome.reason, outcome.actor = "bestuurswisseling", actor
    return review_after(base, outcome)
