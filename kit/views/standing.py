"""Where every stored submission stands now, for the lists over the whole region (`kit report`,
`kit monitor`, `kit werkvoorraad`): its latest screening's summary per lot and its current
review's rounds (kit.screening.rounds), read in a few queries, without parsing a single case.

A screening keeps its summary (kit.screening.verdict.summary) from when it was stored. One stored
by a kit before 0.3 has none, and one stored before 0.4 lacks the open herstel findings per lot; its
summary is made here from its case and findings, the slow way, with the same function.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from typing import Any

from kit.case.stored import stored_json
from kit.errors import KitError
from kit.kinds.process import ProcessRule
from kit.kinds.rulesets import shipped_rulesets
from kit.screening.review import Review, grant_of, request_of
from kit.screening.rounds import Ladder, LotRepairs, Rounds, judge
from kit.screening.screen import ruleset_for
from kit.screening.verdict import summary
from kit.store import Store, screening_code
from kit.vocab.vocabulary import vocabulary


@dataclass(frozen=True)
class Standing:
    """One stored submission and its latest screening, as the lists read them."""

    submission_pk: int
    submission_id: str
    procedure: str
    provider_kvk: str
    provider_name: str
    screening_pk: int
    round: int
    as_of: date
    risk: str | None
    final: bool
    ruleset_id: str
    stored_at: datetime
    lots: dict[str, dict[str, Any]]  # lot -> verdict, open (per outcome), next_due, repair
    evc: list[dict[str, Any]]  # staff in an EVC trajectory: staff, function, lots, until
    review: Review  # its current review (kit.screening.rounds)
    ladder: Ladder
    # The open herstel findings per lot of the screenings the rounds look at: the latest one,
    # and those a passed deadline's day stood at.
    repairs: dict[int, LotRepairs]
    _rounds: dict[date, Rounds] = field(default_factory=dict, compare=False, repr=False)

    @property
    def screening_id(self) -> str:
        return screening_code(self.screening_pk)

    def on(self, as_of: date) -> Rounds:
        """Its rounds on `as_of`: the verdicts per lot, the open deadline, what is to be sent."""
        found = self._rounds.get(as_of)
        if found is None:
            verdicts = {lot: kept["verdict"] for lot, kept in self.lots.items()}
            found = judge(self.review, as_of, self.ladder, verdicts, self.repairs.__getitem__)
            self._rounds[as_of] = found
        return found

    def verdict(self, lot: str, as_of: date) -> str:
        if not self.review.requests:  # nothing asked in this review: its own verdicts hold
            return str(self.lots[lot]["verdict"])
        return self.on(as_of).verdicts[lot]

    def deadline(self, as_of: date) -> date | None:
        """The open repair deadline: the earliest of the requests still running."""
        return self.on(as_of).deadline if self.review.requests else None

    def matches(self, text: str | None) -> bool:
        """The provider's name or KvK number contains `text` (case-insensitive)."""
        if not text:
            return True
        wanted = text.casefold()
        return wanted in self.provider_name.casefold() or wanted in self.provider_kvk


def is_overdue(due: date | None, as_of: date) -> bool:
    """Past its due date: due before the as-of date (a condition, a staff member's EVC term)."""
    return due is not None and due < as_of


@dataclass(frozen=True)
class Filter:
    """What a user narrows a list to (`--procedure`, `--perceel`, `--uitspraak`, `--risico`,
    `--aanbieder`, `--achterstallig`); None or False: no narrowing."""

    procedure: str | None = None
    lot: str | None = None
    verdict: str | None = None
    risk: str | None = None
    provider: str | None = None
    overdue: bool = False

    def checked(self) -> Filter:
        """The filter, its codes checked against the vocabulary (a Dutch error naming the option
        and the choices)."""
        words = vocabulary()
        procedures = sorted({code for rs in shipped_rulesets().values() for code in rs.procedures})
        for option, value, known in (
            ("--procedure", self.procedure, procedures),
            ("--perceel", self.lot, list(words.lots)),
            ("--uitspraak", self.verdict, words.lot_verdicts),
            ("--risico", self.risk, words.risk_lights),
        ):
            if value is not None and value not in known:
                raise KitError(f"{option}: onbekende waarde {value!r}; kies uit {', '.join(known)}")
        return self

    def admits(self, standing: Standing) -> bool:
        """The submission passes the filters that are about the submission as a whole."""
        return (
            (self.procedure is None or standing.procedure == self.procedure)
            and (self.risk is None or standing.risk == self.risk)
            and standing.matches(self.provider)
            and (self.lot is None or self.lot in standing.lots)
        )

    def admits_due(self, due: date | None, as_of: date) -> bool:
        """`--achterstallig`: only what is past its due date on `as_of`."""
        return not self.overdue or is_overdue(due, as_of)

    def admits_lot(self, standing: Standing, lot: str | None, as_of: date) -> bool:
        """A row about `lot` (None: about every lot) of the submission passes."""
        if self.lot is not None and lot is not None and lot != self.lot:
            return False
        if self.verdict is None:
            return True
        lots = [lot] if lot is not None else [self.lot] if self.lot else list(standing.lots)
        return any(standing.verdict(one, as_of) == self.verdict for one in lots)


# The Standing's fields that Store.latest_overview gives, in its order (the rest are derived).
_OVERVIEW_FIELDS = [f.name for f in fields(Standing)][:12]


def standings(store: Store, chosen: Filter | None = None) -> list[Standing]:
    """Every stored submission, by provider name."""
    marks = store.screening_marks()
    requests = store.all_requests()
    grants = store.all_grants()
    by_day: dict[date, tuple[ProcessRule, Ladder]] = {}  # by as-of date: a few
    made = []
    looked_back: set[int] = set()  # screenings a passed deadline's day stood at
    for row in store.latest_overview():
        # (submission pk, id, procedure, KvK, name, screening pk, round, as-of, risk, final,
        # rule-set id, stored at): the Standing's own fields, in its order; then the summary.
        sub_pk, submission_id, as_of, scr_pk, final = row[0], row[1], row[7], row[5], row[9]
        if as_of not in by_day:
            chosen_ruleset = ruleset_for(as_of)
            by_day[as_of] = (chosen_ruleset.process(), Ladder.of(chosen_ruleset.verdict()))
        process, ladder = by_day[as_of]
        own = marks.get(sub_pk, [])
        number = own[-1].review if own else 0
        review = Review(
            submission_id,
            number,
            # The store's marks read as kit.screening.review.Mark (pk, round, known_on): one tuple
            # each.
            tuple(own)
            if not own or own[0].review == number
            else tuple(m for m in own if m.review == number),
            tuple(request_of(r) for r in requests.get(sub_pk, ()) if r.review == number),
            tuple(grant_of(g) for g in grants.get(sub_pk, ()) if g.review == number),
            process,
        )
        kept = kept_summary(store, scr_pk, row[12], final)
        for request in review.requests:
            if not review.answered(request):
                looked_back.add(review.state_at(request.deadline).pk)
        given = dict(zip(_OVERVIEW_FIELDS, row, strict=False))
        lots = kept["lots"]
        if final:  # stored with the old model's final verdicts: the ladder's own, per lot
            verdicts = ladder_verdicts(kept, final, ladder)
            lots = {lot: {**entry, "verdict": verdicts[lot]} for lot, entry in lots.items()}
        standing = Standing(
            **given,
            lots=lots,
            evc=kept["evc"],
            review=review,
            ladder=ladder,
            repairs={scr_pk: lot_repairs(kept)},
        )
        if chosen is None or chosen.admits(standing):
            made.append(standing)
    earlier = {
        pk: lot_repairs(kept_summary(store, pk, summary_json, final))
        for pk, (summary_json, final) in store.summaries(looked_back).items()
    }
    for standing in made:
        for mark in standing.review.marks:
            if mark.pk in earlier:
                standing.repairs.setdefault(mark.pk, earlier[mark.pk])
    return made


def kept_summary(
    store: Store, screening_pk: int, summary_json: str | None, final: bool
) -> dict[str, Any]:
    """A screening's stored summary, or (stored by an older kit, without the open herstel
    findings per lot) the same made from its case and findings."""
    kept = stored_json(summary_json, f"screening {screening_code(screening_pk)}, veld summary_json")
    if kept is None or any("repair" not in lot for lot in kept["lots"].values()):
        return summary_of(store, screening_pk, final)
    found: dict[str, Any] = kept
    return found


def ladder_verdicts(kept: dict[str, Any], final: bool, ladder: Ladder) -> dict[str, str]:
    """The verdict per lot its own findings give (the ladder, before kit.screening.rounds rejects):
    a screening stored with the old model's final verdicts said afgewezen where it had herstel."""
    return {
        lot: ladder.repair if final and entry["verdict"] == ladder.rejected else entry["verdict"]
        for lot, entry in kept["lots"].items()
    }


def lot_repairs(kept: dict[str, Any]) -> dict[str, Iterable[str]]:
    """The open herstel findings (repair keys) per lot of a screening's summary."""
    return {lot: entry["repair"] for lot, entry in kept["lots"].items()}


def summary_of(store: Store, screening_pk: int, final: bool) -> dict[str, Any]:
    """The summary of a screening stored without one (by a kit before 0.3): from its case."""
    # start-up: kept out of `kit --help`; only this path needs it
    from kit.case.stored import stored_case

    row = store.screening(screening_code(screening_pk))
    sub = stored_case(row.case_json, row.code).submission
    verdict_rule = ruleset_for(row.as_of).verdict()
    return summary(store.findings(screening_pk), sub, verdict_rule, final)
