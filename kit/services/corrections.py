"""A submission's date corrected through a recorded decision (`kit corrigeer-datum`): the date
a provider's case gave is wrong (one in the future, before strict input refused it, holds every
deadline and document age until that day). Nothing stored is changed: the decision (kind
`datum`, from and to), a new screening of the latest case with the corrected date, and the
audit event naming both are stored in one transaction; the earlier screenings stay as they
were, and a replay of each gives what it gave."""

from __future__ import annotations

import json
from datetime import date

from kit.case.checks import parse_case
from kit.case.stored import stored_json
from kit.errors import KitError
from kit.limits import plain_text
from kit.screening.decisions import apply_decisions
from kit.screening.prior import build_prior
from kit.screening.screen import ScreeningOutcome, screen_case
from kit.services.actor import Actor
from kit.services.outcomes import store_outcomes
from kit.store import DecisionRow, Store
from kit.timezone import today
from kit.views.submission import submission_state

KIND = "datum"
REASON = "datumcorrectie"


def correct_submitted_on(
    store: Store, actor: Actor, submission_id: str, corrected: date, note: str
) -> tuple[DecisionRow, ScreeningOutcome]:
    """Record that the submission was submitted on `corrected`, and screen its latest case again
    with that date: on `corrected` when the latest screening was dated by its submission, else
    on the latest screening's own date."""
    actor.may("correct_date")
    note = plain_text(note, "--toelichting").strip()
    if not note:
        raise KitError("--toelichting: een correctie heeft een toelichting; er is niets opgeslagen")
    if corrected > today():
        raise KitError(
            f"--datum {corrected.isoformat()} ligt na vandaag; een inschrijving kan niet later "
            "ingediend zijn dan vandaag. Er is niets opgeslagen."
        )
    state = submission_state(store, submission_id)
    latest = state.latest
    # Read as stored: a stored date after today is what this corrects, so it is not refused here.
    data = stored_json(latest.case_json, f"screening {latest.code}, veld case_json", {})
    was = str(data["submission"]["submitted_on"])
    if was == corrected.isoformat():
        raise KitError(
            f"inschrijving {submission_id} is al ingediend op {was} ({latest.code}); er is niets "
            "opgeslagen"
        )
    data["submission"]["submitted_on"] = corrected.isoformat()
    case = parse_case(data, latest.code)
    as_of = corrected if latest.as_of.isoformat() == was else latest.as_of
    decision = DecisionRow(
        submission_pk=state.submission.pk,
        kind=KIND,
        requirement="submitted_on",
        judgement="gecorrigeerd",
        note=note,
        subject=json.dumps({"van": was, "naar": corrected.isoformat()}),
        decided_by=actor.name,
        role=actor.role,
        decided_on=today(),
    )
    decisions = state.history.decisions
    compare = latest.reason != "bestuurswisseling"  # as kit.services.decisions does
    prior = build_prior(state.history.earlier, decisions, latest.round, compare)
    outcome = screen_case(apply_decisions(case, decisions), as_of, latest.source, prior=prior)
    outcome.reason, outcome.actor = REASON, actor.name
    outcome.review = latest.review
    outcome.known_on = max(today(), as_of)
    store_outcomes(
        store,
        [outcome],
        also=[decision],
        audit=lambda codes: actor.event(
            REASON, submission_id, screening=codes[0], van=was, naar=corrected.isoformat()
        ),
        expected={(state.submission.procedure, submission_id): latest.pk},
        force=True,
    )
    return decision, outcome
