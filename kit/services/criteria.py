"""A content judgement by criteria (Q12), as one service call: the reviewer's outcome per
criterion is checked against the rule set's criteria for the document, the decision it gives
(voldoende or onvoldoende, with the provider's text for each criterion not met) is recorded
with one row per criterion, its audit event and the screening it causes, in one transaction.
A judgement is corrected only by recording a new one; the earlier stays on record."""

from __future__ import annotations

from datetime import date
from typing import Any

from kit.errors import KitError
from kit.kinds.rulesets import shipped_rulesets
from kit.rules.criteria import Criterion, content_reviewed, criteria_of
from kit.screening.criteria import CriteriaJudgement, judge
from kit.screening.decisions import check_role
from kit.screening.policy import MAY
from kit.screening.screen import ScreeningOutcome
from kit.services.actor import Actor
from kit.services.decisions import record_decision
from kit.store import CriterionOutcomeRow, DecisionRow, Store
from kit.views.consistency import Consistency, consistency
from kit.views.submission import submission_state


def criteria_for(store: Store, submission_id: str, document: str) -> list[Any]:
    """The criteria the rule set of the submission's latest screening lists for `document`;
    a Dutch error when it lists none."""
    state = submission_state(store, submission_id)
    criteria = criteria_of(state.ruleset.rules, document)
    if not criteria:
        raise KitError(
            f"{document}: de regelset {state.ruleset.id} noemt geen criteria voor dit document"
        )
    return criteria


def record_criteria_judgement(
    store: Store,
    actor: Actor,
    submission_id: str,
    document: str,
    answers: Any,
    source: str,
    for_provider: bool = False,
    decided_on: date | None = None,
) -> tuple[CriteriaJudgement, DecisionRow, ScreeningOutcome]:
    """Judge `document` of the submission by its criteria (`answers`: code -> outcome, or
    {uitkomst, toelichting}; `source` names where they came from in errors). The provider's
    texts of the criteria not met are the decision's note, for the letters; the reviewer's
    remarks join them only with `for_provider`."""
    state = submission_state(store, submission_id)
    check_role("inhoud", document, actor.role, state.ruleset)
    criteria = criteria_for(store, submission_id, document)
    result = judge(document, criteria, answers, source, for_provider)
    required = {c.code: c.required for c in criteria}

    def rows(decision: DecisionRow) -> list[Any]:
        return [
            CriterionOutcomeRow(
                decision=decision,
                criterion=o.code,
                outcome=o.outcome,
                note=o.note,
                required=required[o.code],
            )
            for o in result.outcomes
        ]

    decision, outcome = record_decision(
        store,
        actor,
        submission_id,
        "inhoud",
        document,
        result.judgement,
        result.note,
        shared=True,  # the criteria's texts are written for the provider
        decided_on=decided_on,
        attached=rows,
        criteria_not_met=result.not_met(),
    )
    return result, decision, outcome


def read_consistency(store: Store, reader: Actor) -> Consistency:
    """How often each criterion is judged not met, in total and per reviewer."""
    reader.require(*MAY["consistency"], what="het consistentierapport")
    questions: dict[str, Criterion] = {}
    for ruleset in sorted(shipped_rulesets().values(), key=lambda r: r.in_force_from):
        for rule in content_reviewed(ruleset.rules):
            questions.update({c.code: c for c in rule.criteria})
    return consistency(store.judged_criteria(), questions)
