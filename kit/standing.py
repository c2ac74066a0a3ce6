"""Where every stored submission stands now, for the lists over the whole region (`kit report`,
`kit monitor`, `kit werkvoorraad`): its latest screening's summary per lot and its round state,
read in a few queries, without parsing a single case.

A screening keeps its summary (kit.verdict.summary) from when it was stored. One stored by a kit
before 0.3 has none; its summary is made here from its case and findings, the slow way, with the
same function.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import Any

from kit.errors import KitError
from kit.kinds.process import ProcessRule
from kit.rounds import RoundState, round_marks
from kit.rules.loader import RuleSet, shipped_rulesets
from kit.screening import ruleset_for
from kit.store import Store, screening_code
from kit.stored import stored_json
from kit.verdict import summary
from kit.vocabulary import vocabulary


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
    lots: dict[str, dict[str, Any]]  # lot -> verdict, final, open (per outcome), next_due
    evc: list[dict[str, Any]]  # staff in an EVC trajectory: staff, function, lots, until
    rounds: RoundState

    @property
    def screening_id(self) -> str:
        return screening_code(self.screening_pk)

    def closed(self, as_of: date) -> bool:
        """No further round: the verdicts are final (P3)."""
        return self.final or self.rounds.closed(as_of)

    def verdict(self, lot: str, as_of: date) -> str:
        standing = self.lots[lot]
        return str(standing["final"] if self.closed(as_of) else standing["verdict"])

    def deadline(self, as_of: date) -> date | None:
        """The open repair deadline (None once the rounds are closed or nothing was asked)."""
        return None if self.closed(as_of) else self.rounds.deadline()

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
    extra = store.extra_round_counts()
    unknown = [pk for rows in marks.values() for pk, _, _, asks in rows if asks is None]
    asked = store.repair_requests(unknown) if unknown else set()
    rulesets: dict[date, tuple[RuleSet, ProcessRule]] = {}  # by as-of date: a few
    found = []
    for row in store.latest_overview():
        # (submission pk, id, procedure, KvK, name, screening pk, round, as-of, risk, final,
        # rule-set id, stored at): the Standing's own fields, in its order; then the summary.
        sub_pk, submission_id, as_of, scr_pk, final = row[0], row[1], row[7], row[5], row[9]
        summary_json = row[12]
        if as_of not in rulesets:
            chosen_ruleset = ruleset_for(as_of)
            rulesets[as_of] = (chosen_ruleset, chosen_ruleset.process())
        process = rulesets[as_of][1]
        own = [_Mark(*mark) for mark in marks.get(sub_pk, [])]
        asks_repair = {m.id for m in own if m.asks or (m.asks is None and m.id in asked)}
        last, request = round_marks(own, asks_repair)
        rounds = RoundState(submission_id, last, request, extra.get(sub_pk, 0), process)
        kept = stored_json(
            summary_json, f"screening {screening_code(scr_pk)}, veld summary_json"
        ) or summary_of(store, scr_pk, final)
        given = dict(zip(_OVERVIEW_FIELDS, row, strict=False))
        standing = Standing(**given, lots=kept["lots"], evc=kept["evc"], rounds=rounds)
        if chosen is None or chosen.admits(standing):
            found.append(standing)
    return found


@dataclass(frozen=True)
class _Mark:
    """A screening as round_marks reads it."""

    id: int
    round: int
    as_of: date
    asks: bool | None


def summary_of(store: Store, screening_pk: int, final: bool) -> dict[str, Any]:
    """The summary of a screening stored without one (by a kit before 0.3): from its case."""
    from kit.stored import stored_case

    row = store.screening(screening_code(screening_pk))
    sub = stored_case(row.case_json, row.code).submission
    verdict_rule = ruleset_for(row.as_of).verdict()
    return summary(store.findings(screening_pk), sub, verdict_rule, final)
