"""One submission at one as-of date, as the reference checks of the rule kinds read it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from kit.case.history import Prior
from kit.case.models import StaffMember, Submission
from kit.rules.model import Applies, LotFilter


def declarable(member: StaffMember) -> bool:
    """S2: staff in an unfinished EVC trajectory do not count toward any requirement."""
    return member.declarable


@dataclass
class Ctx:
    """One submission at one as-of date, with the few things every rule kind asks for."""

    sub: Submission
    as_of: date
    contract_start: str
    care_functions: list[str]
    prior: Prior = field(default_factory=Prior)

    def __post_init__(self) -> None:
        self.roles = {reg.lot: reg.role for reg in self.sub.lots if not reg.withdrawn}

    def day(self, member: StaffMember) -> date:
        """The day a staff member's data is measured on: its arrival, or the screening date."""
        return member.received_on or self.as_of

    def lots(self, *filters: LotFilter) -> list[str]:
        """The active lots every filter matches (lot attributes and the provider's role in it)."""
        return [
            lot
            for lot, role in self.roles.items()
            if all(
                lot in flt.lot_codes() and (flt.roles is None or role in flt.roles)
                for flt in filters
            )
        ]

    def serves(self, lots: Iterable[str]) -> list[str]:
        """Those of `lots` that are active."""
        return [lot for lot in lots if lot in self.roles]

    def workers(self, flt: LotFilter) -> int:
        """Declarable care workers serving a lot of the filter (Q7, Q9); S2, S3 excluded."""
        lots = set(self.lots(flt))
        return sum(
            1
            for m in self.sub.staff
            if m.function in self.care_functions and declarable(m) and lots & set(m.lots)
        )

    def holds(self, applies: Applies, on_subject: bool = False) -> bool:
        """The rule's scope. With `on_subject` the rule is about a lot (or a location or staff
        member serving one), and the caller tests its own lot filter on that lot instead."""
        prov = self.sub.provider
        checks = [
            applies.legal_forms is None or prov.legal_form in applies.legal_forms,
            applies.employees_min is None or prov.employees >= applies.employees_min,
            applies.employees_max is None or prov.employees <= applies.employees_max,
            applies.fte_min is None or prov.fte >= applies.fte_min,
            applies.fte_max is None or prov.fte <= applies.fte_max,
            applies.from_ is None or self.as_of >= applies.from_,
            applies.until is None or self.as_of <= applies.until,
            applies.workers is None or self.workers(applies.workers) >= applies.workers.min,
        ]
        flt = applies.lot_filter()
        if not on_subject:
            checks.append(flt.is_empty() or bool(self.lots(flt)))
        if not all(checks):
            return False
        return applies.any is None or any(self.holds(branch) for branch in applies.any)
