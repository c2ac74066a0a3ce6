"""The latest stored screening of every submission, read a page at a time: what a re-screen of
the region (kit.services.batch) and the impact of a rule change (kit.views.impact) evaluate
again."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from kit.case.history import Prior
from kit.case.stored import stored_case
from kit.store import Store, screening_code
from kit.workers import batches


@dataclass(frozen=True)
class Latest:
    """A submission's latest stored screening, as a re-evaluation needs it."""

    pk: int
    source: str
    case_json: str
    final: bool
    prior: Prior  # what it saw, and the exclusions it found (kit.screening.rescreen.prior_after)
    as_of: date
    review: int = 0


def latest_cases(store: Store, page_size: int = 500) -> Iterator[Latest]:
    """The latest screening of every stored submission, read a page at a time (never the whole
    region at once)."""
    for page in batches(store.latest_screening_pks(), page_size):
        exclusions = store.exclusions(page)
        for pk, source, case_json, final, prior_json, as_of, review in store.stored_cases(page):
            code, found = screening_code(pk), exclusions.get(pk, [])
            # What the letter names of an exclusion comes from its case: read only then.
            case = stored_case(case_json, code) if found else None
            prior = Prior.from_json(prior_json).after(code, found, case)
            yield Latest(pk, source or code, case_json, final, prior, as_of, review)
