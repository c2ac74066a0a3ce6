"""The werkvoorraad and toezicht's open conditions at region scale: read once over the whole
store and kept until it changes (as the central list is, kit.web.cache), then narrowed by the
central list's filters, sorted and paged per request, and exported as CSV with exactly the
rows the filters leave."""

from __future__ import annotations

import csv
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from io import StringIO
from typing import Any, TypeVar

from fastapi.responses import Response

from kit.services import Store
from kit.views.monitor import MonitorReport, monitor
from kit.views.report import neutral
from kit.views.standing import Filter, Standing, standings
from kit.views.worklist import Worklist, worklist
from kit.web.deps import NEAR, ListQuery

T = TypeVar("T")
KEPT = 12  # results kept: the standings, and the work of a few roles and days


class WholeStore:
    """Results read over the whole store, kept until it changes (Store.version), whichever
    process changed it."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._kept: OrderedDict[tuple[object, ...], object] = OrderedDict()

    def get(self, store: Store, key: tuple[object, ...], build: Callable[[], T]) -> T:
        full = (store.url, store.version(), *key)
        with self._lock:
            if full not in self._kept:
                self._kept[full] = build()
                while len(self._kept) > KEPT:
                    self._kept.popitem(last=False)
            self._kept.move_to_end(full)
            found: T = self._kept[full]  # type: ignore[assignment]
            return found


KEPT_WORK = WholeStore()


@dataclass
class Region:
    """Every submission's standing, by id, read once per store version."""

    read: list[Standing]
    by_id: dict[str, Standing]
    by_pk: dict[int, Standing]


def region(store: Store) -> Region:
    def build() -> Region:
        read = standings(store)
        return Region(read, {s.submission_id: s for s in read}, {s.submission_pk: s for s in read})

    return KEPT_WORK.get(store, ("standings",), build)


def kept_worklist(store: Store, day: date, role: str) -> Worklist:
    """The whole werkvoorraad of `role` on `day` (its judgements, messages as it may read)."""
    read = region(store).read
    return KEPT_WORK.get(
        store, ("werk", day, role), lambda: worklist(store, day, role, NEAR, Filter(), read=read)
    )


def kept_monitor(store: Store, day: date, role: str) -> MonitorReport:
    read = region(store).read
    return KEPT_WORK.get(
        store, ("toezicht", day, role), lambda: monitor(store, day, role, Filter(), read=read)
    )


class Narrowing:
    """The central list's filters applied to work rows about one submission and a lot."""

    def __init__(self, store: Store, query: ListQuery):
        self.region = region(store)
        self.query = query
        self.chosen = query.chosen
        self.ids = query.assigned_ids(store)

    def admits(self, submission_id: str, lots: Iterable[str | None], due: date | None) -> bool:
        """The row about `lots` of the submission (None: every lot) passes the filters;
        `achterstallig` asks its `due` date to have passed."""
        standing = self.region.by_id.get(submission_id)
        if standing is None or not self.chosen.admits(standing):
            return False
        if self.ids is not None and submission_id not in self.ids:
            return False
        day = self.query.day
        if not any(self.chosen.admits_lot(standing, lot, day) for lot in lots):
            return False
        return self.chosen.admits_due(due, day)


# --- the rows of each kind, as a table and a CSV show them ---------------------------------


@dataclass(frozen=True)
class Kind:
    """One table of a worklist page: its title, how a row passes the filters, its sort keys,
    and its CSV columns."""

    title: str
    rows: Callable[[Any], list[Any]]
    admits: Callable[[Narrowing, Any], bool]
    sorts: dict[str, Callable[[Any], Any]]
    columns: list[tuple[str, Callable[[Any], Any]]]


def _provider(row: Any) -> tuple[str, str]:
    return (row.provider_name.casefold(), row.submission_id)


WORK_KINDS: dict[str, Kind] = {
    "oordeel": Kind(
        "Wacht op een inhoudelijk oordeel",
        lambda w: w.judgements,
        lambda n, j: n.admits(j.submission_id, [j.lot], None),
        {"wacht": lambda j: (j.waiting_since, *_provider(j)), "aanbieder": _provider},
        [
            ("Wacht sinds", lambda j: j.waiting_since),
            ("Dagen", lambda j: j.days_waiting),
            ("Aanbieder", lambda j: j.provider_name),
            ("Inschrijving", lambda j: j.submission_id),
            ("Perceel", lambda j: j.lot or "alle"),
            ("Wat", lambda j: j.title),
            ("Door", lambda j: " of ".join(j.judged_by)),
            ("Bericht", lambda j: j.message),
        ],
    ),
    "verzoek": Kind(
        "Herstelverzoek te versturen",
        lambda w: w.requests,
        lambda n, r: n.admits(r.submission_id, r.lots, None),
        {"wacht": lambda r: (r.waiting_since, *_provider(r)), "aanbieder": _provider},
        [
            ("Wacht sinds", lambda r: r.waiting_since),
            ("Dagen", lambda r: r.days_waiting),
            ("Aanbieder", lambda r: r.provider_name),
            ("Inschrijving", lambda r: r.submission_id),
            ("Ronde", lambda r: r.round),
            ("Percelen", lambda r: ", ".join(r.lots)),
            ("Bevindingen", lambda r: r.findings),
        ],
    ),
    "termijn": Kind(
        f"Hersteltermijn binnen {NEAR} dagen",
        lambda w: w.deadlines,
        lambda n, d: n.admits(d.submission_id, d.lots, d.deadline),
        {"wacht": lambda d: (d.deadline, *_provider(d)), "aanbieder": _provider},
        [
            ("Uiterste datum", lambda d: d.deadline),
            ("Dagen over", lambda d: d.days_left),
            ("Aanbieder", lambda d: d.provider_name),
            ("Inschrijving", lambda d: d.submission_id),
            ("Ronde", lambda d: d.round),
            ("Percelen", lambda d: ", ".join(d.lots)),
        ],
    ),
}

SUPERVISION_KINDS: dict[str, Kind] = {
    "voorwaarden": Kind(
        "Openstaande voorwaarden",
        lambda m: m.conditions,
        lambda n, c: n.admits(c.submission_id, [c.lot], c.due),
        {
            "wacht": lambda c: (c.due is None, c.due or date.max, *_provider(c)),
            "aanbieder": _provider,
        },
        [
            ("Vervalt", lambda c: c.due),
            ("Verlopen", lambda c: "ja" if c.overdue else "nee"),
            ("Aanbieder", lambda c: c.provider_name),
            ("Inschrijving", lambda c: c.submission_id),
            ("Perceel", lambda c: c.lot or "alle"),
            ("Wat", lambda c: c.title),
            ("Bericht", lambda c: c.message),
        ],
    ),
    "medewerkers": Kind(
        "Niet-declarabele medewerkers",
        lambda m: m.not_declarable,
        lambda n, s: n.admits(s.submission_id, s.lots, s.until),
        {
            "wacht": lambda s: (s.until is None, s.until or date.max, *_provider(s)),
            "aanbieder": _provider,
        },
        [
            ("Tot", lambda s: s.until),
            ("Aanbieder", lambda s: s.provider_name),
            ("Inschrijving", lambda s: s.submission_id),
            ("Medewerker", lambda s: s.staff),
            ("Functie", lambda s: s.function),
            ("Percelen", lambda s: ", ".join(s.lots)),
            ("Reden", lambda s: s.reason),
        ],
    ),
}
ORDERS = (("wacht", "langst wachtend eerst"), ("aanbieder", "aanbieder"))
DUE_ORDERS = (("wacht", "vervaldatum eerst"), ("aanbieder", "aanbieder"))  # toezicht's


def chosen_rows(source: Any, kind: Kind, narrowing: Narrowing, order: str) -> list[Any]:
    """The rows of `kind` that pass the filters, in the chosen order (stable)."""
    rows = [row for row in kind.rows(source) if kind.admits(narrowing, row)]
    return sorted(rows, key=kind.sorts.get(order, kind.sorts["wacht"]))


def csv_response(kind: Kind, rows: list[Any], filename: str) -> Response:
    """The rows as CSV the way Dutch Excel reads it (semicolons, UTF-8 with a BOM), no cell
    that a spreadsheet could take for a formula."""
    out = StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([name for name, _ in kind.columns])
    for row in rows:
        cells = [value(row) for _, value in kind.columns]
        writer.writerow(["" if c is None else str(neutral(c)) for c in cells])
    return Response(
        ("\ufeff" + out.getvalue()).encode("utf-8"),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
