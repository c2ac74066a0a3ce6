"""The provider's self-check (voorcontrole): a case file or workbook screened with the rule set
in force, shown as the provider would read it, with nothing stored and no audit event.

Per lot the verdict the screening would give and, per open finding, what to send: the findings'
letter texts, as kit.output.letter prints them in the repair request (the same item, title and text;
the verdict explanations of the decision letter), so the preview says what the region's letter
will say, addressed to the provider and without kit's internal words. Risk signals are for
toezicht and are left out, as in the letters.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from kit.vocab.vocabulary import vocabulary

if TYPE_CHECKING:
    from kit.case.models import Case
    from kit.engine import Finding
    from kit.output.letter import Item
    from kit.views.checklist import Checklist


@dataclass(frozen=True)
class CheckedLot:
    code: str
    label: str
    verdict: str
    verdict_label: str
    explanation: str
    items: list[Item] = field(default_factory=list)


@dataclass(frozen=True)
class SelfCheck:
    provider: str
    submission: str
    as_of: date
    ruleset: str
    general: list[Item]  # open findings about the whole provider: they count for every lot
    lots: list[CheckedLot]
    # Q12: the criteria of each content-reviewed document that applies, as a checklist.
    checklists: list[Checklist] = field(default_factory=list)

    @property
    def day_text(self) -> str:
        # start-up: kept out of `kit --help`; only this path needs it
        from kit.dates import dutch_date

        return dutch_date(self.as_of.isoformat())

    @property
    def open_count(self) -> int:
        return len(self.general) + sum(len(lot.items) for lot in self.lots)


# What a provider must act on; a signal (risk analysis) is toezicht's, never the provider's.
SHOWN_OUTCOMES = ("uitsluiting", "herstel", "beoordeling", "voorwaardelijk")


@dataclass(frozen=True)
class _Rules:
    """What kit.output.letter's item reads of a submission's state: its rule set (titles)."""

    ruleset: Any


@dataclass(frozen=True)
class _AsStored:
    """An engine finding as kit.output.letter reads a stored one: its letter text under its stored
    name, the due date as a date."""

    finding: Finding

    def __getattr__(self, name: str) -> Any:
        return getattr(self.finding, name)

    @property
    def letter_message(self) -> str | None:
        return self.finding.letter

    @property
    def due(self) -> date | None:
        return date.fromisoformat(self.finding.due) if self.finding.due else None


def self_check(case: Case, as_of: date | None = None) -> SelfCheck:
    """Screen `case` as a preview (kit.screening.screen.screen_case: no store, no history, no round
    policy) and arrange its open findings as the provider reads them."""
    # start-up: the store and the engine (SQLAlchemy, durable_rules) load only for this command
    from kit.output.letter import PROVIDER, verdict_texts
    from kit.screening.screen import ruleset_for, screen_case
    from kit.screening.verdict import lots_of, subject_lots
    from kit.views.checklist import checklists
    from kit.views.letters import _item

    sub = case.submission
    day = as_of or sub.submitted_on
    ruleset = ruleset_for(day)
    ruleset.procedure(sub.procedure)  # an unknown procedure: the Dutch error naming the known
    outcome = screen_case(case, day, ruleset=ruleset)
    vocab = vocabulary()
    state = _Rules(ruleset)
    open_findings = [
        f for f in outcome.findings if f.status != "voldaan" and f.outcome in SHOWN_OUTCOMES
    ]
    general = [
        f
        for f in open_findings
        if f.lot is None and (f.subject == "provider" or f.subject.startswith("board:"))
    ]
    active = set(sub.active_lots())
    by_subject = subject_lots(sub)
    texts = verdict_texts()
    lots = []
    for reg in sub.lots:
        verdict = outcome.lots.get(reg.lot, "ingetrokken")
        lots.append(
            CheckedLot(
                code=reg.lot,
                label=vocab.lots[reg.lot].label,
                verdict=verdict,
                verdict_label=vocab.verdict_labels.get(verdict, verdict),
                explanation=texts.get(verdict, ""),
                items=[
                    _item(_AsStored(f), state, PROVIDER)  # type: ignore[arg-type]  # .ruleset
                    for f in open_findings
                    if f not in general and reg.lot in lots_of(f, active, by_subject)
                ],
            )
        )
    return SelfCheck(
        provider=sub.provider.name,
        submission=sub.id,
        as_of=day,
        ruleset=ruleset.id,
        general=[_item(_AsStored(f), state, PROVIDER) for f in general],  # type: ignore[arg-type]
        lots=lots,
        checklists=checklists(ruleset.rules, {f.rule for f in outcome.findings}),
    )


PREVIEW_NOTICE = (
    "Dit is een voorcontrole, geen besluit: de regio screent uw inschrijving pas na indiening, "
    "en beoordeelt dan ook wat een beoordelaar moet lezen. Er is niets opgeslagen."
)
CHECKLIST_INTRO = (
    "Zo beoordeelt de regio de inhoud van deze documenten: houd uw document tegen elke vraag "
    "voordat u indient. Een document voldoet pas als het aan elk vereist punt voldoet."
)
# Under a lot whose verdict rests only on findings about the whole provider.
SEE_GENERAL = "Wat hiervoor nodig is, staat onder 'Voor alle percelen'."
