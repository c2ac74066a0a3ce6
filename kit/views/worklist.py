"""A reviewer's work queue (`kit werkvoorraad`): what waits for a person, oldest first.

Three kinds of work. Documents and explanations awaiting a content judgement (the open
`beoordeling` findings of each submission's latest screening: in 2024 the bulk of the reviewers'
hours), with how long each has been waiting across the case versions that carried it. Repair
requests still to be sent (herstelverzoek te versturen): open herstel findings no request has
named yet, while a round is left (kit.screening.rounds; until it is sent, no deadline runs, P2).
And the submissions whose repair deadline falls within the next days, so a round is not missed.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from typing import Any

from kit.screening.policy import JUDGING, judged_by, message_for
from kit.screening.rounds import waiting_since
from kit.store import Store
from kit.views.monitor import rule_title
from kit.views.settled import still_open
from kit.views.standing import Filter, Standing, kept_summary, lot_repairs, standings

JUDGEMENT = "beoordeling"  # the finding outcome that asks a reviewer's judgement


@dataclass
class Judgement:
    """An open finding that waits for a reviewer's judgement."""

    waiting_since: date
    days_waiting: int
    submission_id: str
    provider_name: str
    provider_kvk: str
    screening_id: str
    lot: str | None
    subject: str
    requirement: str
    rule: str
    title: str
    message: str
    judged_by: list[str]  # the roles that may record it (kit.screening.policy.judged_by)


@dataclass
class Deadline:
    """A submission whose repair deadline is near."""

    deadline: date
    days_left: int
    submission_id: str
    provider_name: str
    provider_kvk: str
    screening_id: str
    round: int
    lots: list[str]


@dataclass
class ToSend:
    """A submission with open herstel findings that no repair request names yet (P2)."""

    waiting_since: date
    days_waiting: int
    submission_id: str
    provider_name: str
    provider_kvk: str
    screening_id: str
    round: int  # the round the request would open
    lots: list[str]
    findings: int


@dataclass
class Worklist:
    as_of: date
    within: int
    judgements: list[Judgement] = field(default_factory=list)
    requests: list[ToSend] = field(default_factory=list)
    deadlines: list[Deadline] = field(default_factory=list)
    others: int = 0  # judgements left out: another role records them
    settled: int = 0  # judgements left out: their lot's verdict is settled (still_open)
    later: int = 0  # judgements left out: they arrived after the as-of date

    @property
    def rows(self) -> list[Judgement | ToSend | Deadline]:
        """Every row, of each table in turn (what a read of the whole worklist showed)."""
        return [*self.judgements, *self.requests, *self.deadlines]

    def to_json(self) -> list[dict[str, Any]]:
        """One list: each item with its kind (`beoordeling`, `verzoek` or `termijn`)."""

        def plain(kind: str, item: Any) -> dict[str, Any]:
            data = {k: v.isoformat() if isinstance(v, date) else v for k, v in asdict(item).items()}
            return {"soort": kind, **data}

        return (
            [plain("beoordeling", j) for j in self.judgements]
            + [plain("verzoek", r) for r in self.requests]
            + [plain("termijn", d) for d in self.deadlines]
        )


def worklist(
    store: Store,
    as_of: date,
    role: str,
    within: int = 5,
    chosen: Filter | None = None,
    everything: bool = False,
    read: list[Standing] | None = None,
) -> Worklist:
    """Open judgements, the longest waiting first; deadlines within `within` days of `as_of`,
    the nearest first. On a past `as_of` only what had arrived by then (a judgement or a
    request whose findings arrived later was not yet there to act on), waiting counted to it.
    The judgements are those `role` may record, unless `everything` or the role records none
    (inkoop, beheer: they see all, each with who records it). `read`: the standings already
    read (the web application keeps them), else read here."""
    chosen = chosen or Filter()
    found = Worklist(as_of, within)
    read = standings(store, chosen) if read is None else [s for s in read if chosen.admits(s)]
    latest = {s.screening_pk: s for s in read}
    since = store.open_since(JUDGEMENT)
    for f in store.open_findings_of_latest(JUDGEMENT):
        standing = latest.get(f.screening_pk)
        if standing is None or not chosen.admits_lot(standing, f.lot, as_of):
            continue
        if not still_open(standing, f.lot, as_of):
            found.settled += 1
            continue
        who = judged_by(f)
        if not (everything or role in who or role not in JUDGING):
            found.others += 1
            continue
        waiting = since.get((standing.submission_pk, f.rule, f.subject, f.item), standing.as_of)
        if waiting > as_of:  # arrived after the peildatum: nothing to act on yet on that day
            found.later += 1
            continue
        found.judgements.append(
            Judgement(
                waiting,
                max((as_of - waiting).days, 0),
                standing.submission_id,
                standing.provider_name,
                standing.provider_kvk,
                standing.screening_id,
                f.lot,
                f.subject,
                f.requirement,
                f.rule,
                rule_title(standing.ruleset_id, f.rule, f.requirement),
                message_for(role, f),
                list(who),
            )
        )
    found.requests = _to_send(store, list(latest.values()), as_of, chosen)
    found.deadlines = _near_deadlines(list(latest.values()), as_of, within, chosen)
    found.judgements.sort(
        key=lambda j: (j.waiting_since, j.provider_name, j.submission_id, j.subject, j.rule)
    )
    found.deadlines.sort(key=lambda d: (d.deadline, d.provider_name, d.submission_id))
    return found


def _near_deadlines(
    read: list[Standing], as_of: date, within: int, chosen: Filter
) -> list[Deadline]:
    """Running repair deadlines within `within` days of `as_of` (unsorted)."""
    horizon = as_of + timedelta(days=within)
    found = []
    for standing in read:
        deadline = standing.deadline(as_of)
        if deadline is None or not as_of <= deadline <= horizon:
            continue
        lots = [lot for lot in standing.lots if standing.verdict(lot, as_of) == "herstel-nodig"]
        if chosen.lot is not None and chosen.lot not in lots:
            continue
        found.append(
            Deadline(
                deadline,
                (deadline - as_of).days,
                standing.submission_id,
                standing.provider_name,
                standing.provider_kvk,
                standing.screening_id,
                standing.round,
                lots,
            )
        )
    return found


def _to_send(store: Store, read: list[Standing], as_of: date, chosen: Filter) -> list[ToSend]:
    """The submissions a repair request can be sent for now (kit.screening.rounds.Rounds.refusal is
    None), the longest waiting first: since the first screening of the current round that had
    one of the findings to ask open."""
    ready = []
    for standing in read:
        rounds = standing.on(as_of)
        lots = [lot for lot in rounds.to_send if chosen.lot is None or lot == chosen.lot]
        if lots and rounds.refusal() is None:
            ready.append((standing, rounds, lots))
    wanted = {
        mark.pk
        for standing, rounds, _ in ready
        for mark in standing.review.marks
        if mark.round == rounds.used and mark.pk not in standing.repairs
    }
    earlier = {
        pk: lot_repairs(kept_summary(store, pk, summary_json, final))
        for pk, (summary_json, final) in store.summaries(wanted).items()
    }
    found = []
    for standing, rounds, lots in ready:
        own = standing.repairs

        def repairs(pk: int, own: dict[int, Any] = own) -> Any:
            return own[pk] if pk in own else earlier[pk]

        since = waiting_since(standing.review, rounds, repairs) or standing.as_of
        if since > as_of:  # the findings to ask arrived after the peildatum
            continue
        found.append(
            ToSend(
                since,
                max((as_of - since).days, 0),
                standing.submission_id,
                standing.provider_name,
                standing.provider_kvk,
                standing.screening_id,
                rounds.next_round,
                lots,
                len(rounds.keys_to_send()),
            )
        )
    found.sort(key=lambda r: (r.waiting_since, r.provider_name, r.submission_id))
    return found
