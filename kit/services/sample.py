"""The verification sample as service calls (C1-C2), toezicht's only (staff credentials are
sensitive): draw the sample of a procedure from a recorded seed, and record the check of one
sampled credential at its source. A check is applied to the case like a decision, so that a
credential its source did not confirm becomes a `beoordeling` naming E3 in a new screening; it
never excludes by itself."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

from kit.case.credentials import Credential, credential_of, credentials_of
from kit.case.stored import stored_case
from kit.errors import KitError
from kit.kinds.rulesets import shipped_rulesets
from kit.kinds.verification_sample import VerificationSampleRule
from kit.limits import plain_text
from kit.rules.loader import RuleSet
from kit.screening.policy import MAY
from kit.screening.sample import draw, new_seed
from kit.screening.screen import ScreeningOutcome
from kit.services.actor import Actor
from kit.services.decisions import _decide, judged_on
from kit.services.reads import audit_list_read
from kit.store import (
    CredentialCheckRow,
    DecisionRow,
    SampledCredentialRow,
    SampleDrawRow,
    Store,
)
from kit.timezone import local_time
from kit.views.submission import submission_state
from kit.vocab.vocabulary import vocabulary


class SourceLookup(Protocol):
    """The seam for a later automated check at one source (the BIG register's public service,
    DUO's diploma register): given a credential, the outcome the source gives (a vocabulary
    verification outcome), or None when it cannot say. Checks are recorded by hand today; no
    lookup calls a network in kit's tests."""

    source: str

    def check(self, credential: Credential) -> str | None: ...


def record_lookup(
    store: Store,
    actor: Actor,
    submission_id: str,
    staff: str,
    credential: str,
    lookup: SourceLookup,
) -> tuple[CredentialCheckRow, ScreeningOutcome]:
    """Record what an automated lookup says of a sampled credential, as toezicht would by hand
    (its source, the actor who ran it, today); a source that cannot say is niet-te-controleren."""
    actor.require(*MAY["sample"], what="een controle bij de bron vastleggen")
    found = credential_of(
        submission_state(store, submission_id).case().submission, staff, credential
    )
    if found is None:
        raise KitError(f"inschrijving {submission_id}: medewerker {staff} heeft geen {credential}")
    outcomes = vocabulary().verification_outcomes
    said = lookup.check(found)
    outcome = said if said in outcomes else outcomes[2]
    note = f"automatisch opgevraagd bij {lookup.source}"
    return record_check(
        store, actor, submission_id, staff, credential, outcome, lookup.source, note
    )


def sample_rule(ruleset: RuleSet) -> VerificationSampleRule | None:
    found = ruleset.of_kind(VerificationSampleRule)
    return found[0] if found else None


@dataclass
class DrawnSample:
    """A recorded draw: its seed and per submission the credentials drawn (and how many the
    submission has)."""

    draw: SampleDrawRow
    per_submission: dict[str, list[Credential]] = field(default_factory=dict)
    totals: dict[str, int] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)  # no sample rule in their rule set


def draw_sample(
    store: Store, actor: Actor, procedure: str | None = None, seed: str | None = None
) -> DrawnSample:
    """Draw each submission's sample (of `procedure`, else every submission) from `seed` (a new
    one when not given), and record the draw, its credentials and the audit event at once."""
    actor.require(*MAY["sample"], what="een steekproef trekken")
    seed = plain_text(seed, "--seed") if seed is not None else new_seed()
    if not seed:
        raise KitError("--seed: geef een niet-lege seed, of laat de optie weg")
    rulesets = shipped_rulesets()
    row = SampleDrawRow(
        procedure=procedure or "", seed=seed, ruleset_id="", drawn_by=actor.name, role=actor.role
    )
    drawn = DrawnSample(row)
    rows: list[SampledCredentialRow] = []
    used: set[str] = set()
    for source in store.draw_sources(procedure):
        ruleset = rulesets.get(source.ruleset_id)
        rule = sample_rule(ruleset) if ruleset is not None else None
        if rule is None:
            drawn.skipped.append(source.submission_id)
            continue
        used.add(source.ruleset_id)
        case = stored_case(source.case_json, f"SCR-{source.screening_pk}")
        credentials = credentials_of(case.submission)
        chosen = draw(rule, credentials, len(case.submission.staff), seed, source.submission_id)
        drawn.per_submission[source.submission_id] = chosen
        drawn.totals[source.submission_id] = len(credentials)
        rows += [
            SampledCredentialRow(
                draw=row,
                submission_pk=source.submission_pk,
                screening_pk=source.screening_pk,
                staff=c.staff,
                credential=c.key,
                kind=c.kind,
            )
            for c in chosen
        ]
    if not drawn.per_submission:
        where = f"procedure {procedure}" if procedure else "de database"
        raise KitError(f"{where}: geen gescreende inschrijving om een steekproef uit te trekken")
    row.ruleset_id = ", ".join(sorted(used))
    event = actor.event(
        "steekproef-getrokken",
        procedure or "alle procedures",
        seed=seed,
        submissions=len(drawn.per_submission),
        credentials=len(rows),
    )
    store.add(row, *rows, audit=event)
    return drawn


# Over 60 lines: the check's inputs validated one by one against the drawn sample and the
# vocabulary (each a Dutch error naming the field), then one re-screen stored in one transaction.
def record_check(
    store: Store,
    actor: Actor,
    submission_id: str,
    staff: str,
    credential: str,
    outcome: str,
    source: str,
    note: str = "",
    checked_on: date | None = None,
) -> tuple[CredentialCheckRow, ScreeningOutcome]:
    """Record toezicht's check of a sampled credential at its source, and re-screen the latest
    case with it: niet-bevestigd gives a `beoordeling` for toezicht naming E3."""
    actor.require(*MAY["sample"], what="een controle bij de bron vastleggen")
    vocab = vocabulary()
    if outcome not in vocab.verification_outcomes:
        raise KitError(
            f"--uitkomst: onbekende uitkomst {outcome!r}; kies uit "
            f"{', '.join(vocab.verification_outcomes)}"
        )
    note = plain_text(note, "--toelichting")
    if outcome == vocab.verification_outcomes[1] and not note:
        raise KitError(f"--toelichting: bij {outcome} hoort een toelichting (wat de bron zei)")
    state = submission_state(store, submission_id)
    sampled = [
        s.sampled
        for s in store.sample_state(state.submission.pk)
        if (s.sampled.staff, s.sampled.credential) == (staff, credential)
    ]
    if not sampled:
        raise KitError(
            f"inschrijving {submission_id}: medewerker {staff}, {credential}: zit niet in de "
            "laatste steekproef van deze inschrijving (kit steekproef toon); er is niets opgeslagen"
        )
    found = credential_of(state.case().submission, staff, credential)
    if found is None:
        raise KitError(
            f"inschrijving {submission_id}: medewerker {staff} heeft geen {credential} meer in "
            "de laatste screening; er is niets opgeslagen"
        )
    rule = sample_rule(state.ruleset)
    allowed = rule.sources.get(found.kind, []) if rule is not None else []  # type: ignore[call-overload]
    if source not in allowed:
        raise KitError(
            f"--bron: {source!r} is geen bron voor een {found.kind}; kies uit "
            f"{', '.join(allowed) or '(geen: de regelset noemt er geen)'}"
        )
    day = judged_on(state, checked_on)
    subject = {
        "staff": staff,
        "credential": credential,
        "kind": found.kind,
        "source": source,
        "checked_on": day.isoformat(),
    }
    decision = DecisionRow(
        submission_pk=state.submission.pk,
        kind="steekproef",
        requirement=found.kind,
        judgement=outcome,
        note=note,
        subject=json.dumps(subject, sort_keys=True),
        decided_by=actor.name,
        role=actor.role,
        decided_on=day,
    )
    check = CredentialCheckRow(
        sampled_pk=sampled[0].id or 0,
        decision=decision,
        outcome=outcome,
        source=source,
        note=note,
        checked_by=actor.name,
        checked_on=day,
    )
    screened = _decide(
        store,
        actor,
        state,
        decision,
        "steekproef-controle",
        [check],
        staff=staff,
        credential=credential,
        outcome=outcome,
        source=source,
    )
    return check, screened


def read_sample(store: Store, reader: Actor, procedure: str | None = None) -> list[dict[str, Any]]:
    """Each sampled credential of the latest draws with its latest check, as toezicht reads
    it (credentials are sensitive: toezicht only)."""
    reader.require(*MAY["sample"], what="de steekproef inzien")
    cases: dict[int, Any] = {}
    rows = []
    for state in store.sample_state(procedure=procedure):
        sampled, check = state.sampled, state.check
        if sampled.screening_pk not in cases:
            row = store.screening(f"SCR-{sampled.screening_pk}")
            ruleset = shipped_rulesets().get(row.ruleset_id)
            rule = sample_rule(ruleset) if ruleset is not None else None
            cases[sampled.screening_pk] = (
                stored_case(row.case_json, row.code).submission,
                dict(rule.sources) if rule is not None else {},
            )
        sub, sources = cases[sampled.screening_pk]
        found = credential_of(sub, sampled.staff, sampled.credential)
        rows.append(
            {
                "submission_id": state.submission_id,
                "provider_name": state.provider_name,
                "procedure": state.procedure,
                "staff": sampled.staff,
                "credential": sampled.credential,
                "kind": sampled.kind,
                "label": found.label if found else sampled.credential,
                "sources": list(sources.get(sampled.kind, [])),
                "seed": state.draw.seed,
                "drawn_on": local_time(state.draw.drawn_at).date().isoformat(),
                "outcome": check.outcome if check else None,
                "source": check.source if check else None,
                "checked_by": check.checked_by if check else None,
                "checked_on": check.checked_on.isoformat() if check else None,
            }
        )
    audit_list_read(store, reader, "steekproef", rows)
    return rows
