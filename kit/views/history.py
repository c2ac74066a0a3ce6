"""A submission's history as the screening needs it, read from the store: its screenings in
the current review, requests, extra rounds, decisions and what earlier screenings found; and the
earlier screenings a case reuses documents from (M2). kit.screening is pure: the services read
these and hand them in."""

from __future__ import annotations

from kit.case.models import Case
from kit.case.stored import stored_case
from kit.errors import CaseError, KitError
from kit.screening.prior import Earlier
from kit.screening.review import Mark, grant_of, request_of
from kit.screening.screen import History
from kit.store import Store


def stored_history(store: Store, submission_pk: int) -> History:
    """The history of a stored submission."""
    screenings = store.screenings_of(submission_pk)
    pks = [s.id for s in screenings if s.id is not None]
    exclusions = store.exclusions(pks)
    review = max((s.review for s in screenings), default=0)
    found = History(
        review=review,
        marks=[
            Mark(s.pk, s.round, s.known_on or s.as_of) for s in screenings if s.review == review
        ],
        requests=[request_of(r) for r in store.requests_of(submission_pk) if r.review == review],
        grants=[grant_of(g) for g in store.extra_rounds(submission_pk) if g.review == review],
        decisions=store.decisions(submission_pk),
        latest=max(pks, default=None),
        identities={(s.case_sha256, s.as_of, s.ruleset_sha256): s.code for s in screenings},
    )
    found.earlier = [
        Earlier(
            s.code,
            s.round,
            s.created_at,
            stored_case(s.case_json, s.code),
            exclusions.get(s.id or 0, []),
        )
        for s in screenings
    ]
    return found


def history(
    store: Store | None, case: Case, seen: dict[tuple[str, str], History], source: str = ""
) -> History:
    """The submission's history from the store; `seen` holds histories already known (a batch
    of new submissions passes an empty one for each). A case of another provider (KvK) than the
    one the submission is stored for is refused: it cannot take over that submission."""
    sub = case.submission
    key = (sub.procedure, sub.id)
    if key in seen:
        return seen[key]
    row = store.find_submission(sub.procedure, sub.id) if store is not None else None
    if row is not None and row.provider_kvk != sub.provider.kvk:
        where = f"{source}: " if source else ""
        raise CaseError(
            f"{where}submission.provider.kvk: inschrijving {sub.id} is opgeslagen voor KvK "
            f"{row.provider_kvk}; deze casus noemt {sub.provider.kvk}. Een inschrijving hoort bij "
            "één aanbieder: geef deze casus een eigen inschrijvingsnummer"
        )
    found = (
        stored_history(store, row.pk)
        if store is not None and row is not None and row.id
        else History()
    )
    seen[key] = found
    return found


def reused_cases(store: Store | None, case: Case) -> dict[str, tuple[str, str]] | None:
    """Per earlier screening a case reuses a document from (`reuse_of`), its code and stored
    case (kit.screening.reuse.resolve_reuse); one the store does not have is left out. None
    without a store."""
    if store is None:
        return None
    found: dict[str, tuple[str, str]] = {}
    for doc in case.submission.all_documents():
        if doc.reuse_of and doc.reuse_of not in found:
            try:
                screening = store.screening(doc.reuse_of)
            except KitError:
                continue
            found[doc.reuse_of] = (screening.code, screening.case_json)
    return found
