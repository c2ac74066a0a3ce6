"""Example-based tests, one or more per requirement of spec/requirements.md.

Every test starts from tests/fixtures/base_case.yaml (a clean case: every finding `voldaan`,
every lot `toegelaten`), changes one thing, screens it, and asserts the finding (rule id,
status, outcome, subject, lot, due) and the lot verdicts. Parameters from the rule files are
tested on both sides of their boundary, so changing a period or threshold in the YAML fails a
test here. `problems()` lists every non-satisfied finding, so tests also catch findings that
should not be there.

Dates: the base case is submitted 2024-04-02 under procedure inkoop-2025 (contract start
2025-01-01); kit-2026 tests shift the whole case to 2026-03-01 (tussentijdse toetreding).
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml

from kit.case import parse_case
from kit.errors import CaseError
from kit.screening import ScreeningOutcome, screen_case
from kit.vocabulary import vocabulary

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "base_case.yaml"
BASE: dict[str, Any] = yaml.safe_load(FIXTURE.read_text(encoding="utf-8"))

SUBMITTED = date(2024, 4, 2)
CONTRACT_START = "2025-01-01"
JA = "jeugd-ambulant-behandeling"
JR = "jeugd-wonen-verblijf-residentieel"
WB = "wmo-begeleiding-individueel"
WD = "wmo-dagbesteding"
GH = "jeugd-wonen-verblijf-gezinshuis"
JB = "jeugd-ambulant-begeleiding"
ALL_BASE_LOTS = (JA, JR, WB)

MANDATORY = [
    "criminele-organisatie",
    "omkoping",
    "fraude",
    "terrorisme",
    "witwassen",
    "kinderarbeid-mensenhandel",
]
OPTIONAL_DECLARED = [
    "faillissement",
    "ernstige-beroepsfout",
    "valse-verklaringen",
    "aanzienlijke-tekortkomingen",
]
ALL_GROUNDS = [*MANDATORY, "belastingen-premies", *OPTIONAL_DECLARED]


# --- helpers -------------------------------------------------------------------------------


def base() -> dict[str, Any]:
    return copy.deepcopy(BASE)


def sub(data: dict[str, Any]) -> dict[str, Any]:
    return data["submission"]


def screen(data: dict[str, Any], **kwargs: Any) -> ScreeningOutcome:
    return screen_case(parse_case(data, "test"), **kwargs)


def variant(change: Callable[[dict[str, Any]], Any]) -> ScreeningOutcome:
    data = base()
    change(sub(data))
    return screen(data)


def matching(
    out: ScreeningOutcome,
    rule: str,
    subject: str | None = None,
    lot: Any = ...,
    item: str | None = None,
    requirement: str | None = None,
) -> list[Any]:
    return [
        f
        for f in out.findings
        if f.rule == rule
        and (subject is None or f.subject == subject)
        and (lot is ... or f.lot == lot)
        and (item is None or f.item == item)
        and (requirement is None or f.requirement == requirement)
    ]


def one(
    out: ScreeningOutcome,
    rule: str,
    subject: str = "provider",
    lot: Any = None,
    item: str | None = None,
    requirement: str | None = None,
) -> Any:
    found = matching(out, rule, subject, lot, item, requirement)
    assert len(found) == 1, f"expected one {rule} {subject} {lot} {item}, got {found}\n{dump(out)}"
    return found[0]


def check(
    out: ScreeningOutcome,
    rule: str,
    status: str,
    outcome: str | None = None,
    subject: str = "provider",
    lot: Any = None,
    item: str | None = None,
    requirement: str | None = None,
    due: str | None = None,
) -> Any:
    f = one(out, rule, subject, lot, item, requirement)
    assert (f.status, f.outcome, f.due) == (status, outcome, due), dump(out)
    return f


def absent(out: ScreeningOutcome, rule: str, **kwargs: Any) -> None:
    found = matching(out, rule, **kwargs)
    assert not found, f"unexpected {rule}: {found}"


def problems(out: ScreeningOutcome) -> set[tuple[Any, ...]]:
    """Every non-satisfied finding as (rule, subject, lot, status, outcome)."""
    return {
        (f.rule, f.subject, f.lot, f.status, f.outcome)
        for f in out.findings
        if f.status != "voldaan"
    }


def verdicts(out: ScreeningOutcome, default: str = "toegelaten", **per_lot: str) -> None:
    """Assert the lot verdicts: per_lot uses lot codes with '_' for '-'; the rest get `default`."""
    want = {lot: default for lot in out.lots}
    want.update({k.replace("_", "-"): v for k, v in per_lot.items()})
    assert out.lots == want, dump(out)


def dump(out: ScreeningOutcome) -> str:
    return (
        "\n".join(
            f"{f.rule} {f.subject} {f.lot} {f.item or f.requirement} {f.status} {f.outcome} "
            f"{f.evidence} {f.due}"
            for f in out.findings
        )
        + f"\n{out.lots} {out.risk}"
    )


def docs(s: dict[str, Any]) -> list[dict[str, Any]]:
    return s["documents"]


def doc(s: dict[str, Any], doc_type: str) -> dict[str, Any]:
    return next(d for d in s["documents"] if d["type"] == doc_type)


def drop_doc(s: dict[str, Any], doc_type: str) -> None:
    s["documents"] = [d for d in s["documents"] if d["type"] != doc_type]


def staff(s: dict[str, Any], sid: str) -> dict[str, Any]:
    return next(m for m in s["staff"] if m["id"] == sid)


def drop_staff(s: dict[str, Any], sid: str) -> None:
    s["staff"] = [m for m in s["staff"] if m["id"] != sid]


def decl(s: dict[str, Any], ground: str) -> dict[str, Any]:
    return next(d for d in s["declarations"] if d["ground"] == ground)


def worker(
    sid: str,
    lots: list[str],
    function: str = "jeugdhulpverlener",
    level: str = "hbo",
    registration: tuple[str, str] | None = ("skj", "jeugd-en-gezinsprofessional-hbo"),
    employment: str = "loondienst",
    evc: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A fully qualified care worker (diploma, registration, VOG 1 month before start)."""
    member: dict[str, Any] = {
        "id": sid,
        "function": function,
        "employment": employment,
        "lots": list(lots),
        "start_date": date(2023, 1, 1),
        "diplomas": [{"level": level, "field": "pedagogiek", "document": f"{sid}-dip"}],
        "vog": {"issued_on": date(2022, 12, 1), "document": f"{sid}-vog"},
        "documents": [
            {"id": f"{sid}-dip", "type": "diploma", "issued_on": date(2015, 7, 1)},
            {"id": f"{sid}-vog", "type": "vog", "issued_on": date(2022, 12, 1)},
        ],
    }
    if registration:
        member["registrations"] = [
            {
                "register": registration[0],
                "kind": registration[1],
                "valid_until": date(2028, 1, 1),
                "document": f"{sid}-reg",
            }
        ]
        member["documents"].append(
            {"id": f"{sid}-reg", "type": "registratiebewijs", "issued_on": date(2023, 1, 1)}
        )
    if evc:
        member["evc"] = evc
    return member


def add_workers(
    s: dict[str, Any], n: int, lots: list[str], prefix: str = "W", **kwargs: Any
) -> None:
    for i in range(n):
        s["staff"].append(worker(f"{prefix}{i:02d}", lots, **kwargs))


def wmo_zelfstandige(s: dict[str, Any]) -> None:
    """An eenmanszaak without employees, only Wmo begeleiding individueel, one zzp worker."""
    s["provider"].update(legal_form="eenmanszaak", employees=0, fte=1.0, board=[])
    s["lots"] = [{"lot": WB, "role": "hoofdaannemer"}]
    for t in (
        "ubo-uittreksel",
        "jaarrekening",
        "rie",
        "noodplan",
        "igj-melding",
        "kwaliteitssysteem",
    ):
        drop_doc(s, t)
    s["locations"] = []
    s["staff"] = [staff(s, "S03")]
    s["staff"][0]["employment"] = "zzp"


def no_employees(s: dict[str, Any]) -> None:
    """Employees 0 (a zelfstandige's VOG rule applies): give everyone a fresh VOG."""
    s["provider"]["employees"] = 0
    for m in s["staff"]:
        if m.get("vog"):
            m["vog"]["issued_on"] = date(2024, 1, 1)


def only_lot(s: dict[str, Any], lot: str) -> None:
    """The base case registered for a single jeugd lot, served by S01 and S02."""
    s["lots"] = [{"lot": lot, "role": "hoofdaannemer"}]
    s["staff"] = [m for m in s["staff"] if m["id"] in ("S01", "S02")]
    for m in s["staff"]:
        m["lots"] = [lot]
    residential = lot in (GH, JR, "jeugd-crisis")
    if residential:
        s["locations"][0]["lots"] = [lot]
    else:
        s["locations"] = []


def add_dagbesteding(s: dict[str, Any], level: str = "mbo-3") -> None:
    """Register wmo-dagbesteding with its own location and one begeleider S05."""
    s["lots"].append({"lot": WD, "role": "hoofdaannemer"})
    s["locations"].append(
        {
            "id": "L2",
            "lots": [WD],
            "maatschappelijke_bestemming": True,
            "documents": [
                {"id": "D50", "type": "bestemmingsplan-verklaring", "issued_on": date(2024, 1, 10)}
            ],
        }
    )
    s["staff"].append(worker("S05", [WD], function="begeleider", level=level, registration=None))


def add_gezinshuis(s: dict[str, Any]) -> None:
    s["lots"].append({"lot": GH, "role": "hoofdaannemer"})
    for sid in ("S01", "S02"):
        staff(s, sid)["lots"].append(GH)
    s["locations"][0]["lots"].append(GH)


def shift_dates(node: Any, delta: timedelta) -> Any:
    if isinstance(node, dict):
        return {k: shift_dates(v, delta) for k, v in node.items()}
    if isinstance(node, list):
        return [shift_dates(v, delta) for v in node]
    if isinstance(node, date):
        return node + delta
    return node


def in_2026(data: dict[str, Any]) -> dict[str, Any]:
    """The case moved (every date alike) to a submission on 2026-03-01, mid-term entry window 1;
    the financial year a jaarrekening covers moves along."""
    shifted = shift_dates(data, date(2026, 3, 1) - SUBMITTED)
    sub(shifted)["procedure"] = "tussentijdse-toetreding-2026-1"
    for d in docs(sub(shifted)):
        if "covers_year" in d:
            d["covers_year"] += 2026 - SUBMITTED.year
    assert sub(shifted)["submitted_on"] == date(2026, 3, 1)
    return shifted


# --- the base case ---------------------------------------------------------------------------


def test_base_case_is_clean():
    out = screen(base())
    assert out.ruleset_id == "kit-2025"
    assert problems(out) == set(), dump(out)
    assert all(f.status == "voldaan" and f.outcome is None for f in out.findings)
    verdicts(out)
    assert set(out.lots) == set(ALL_BASE_LOTS)
    assert out.risk == "groen"
    # every requirement area is actually checked on the base case
    rules = {f.rule for f in out.findings}
    for rule in (
        "E1-verplichte-uitsluitingsgronden",
        "E2-belastingen-premies",
        "E3-facultatieve-uitsluitingsgronden",
        "E5-bibob",
        "E6-eigen-verklaring",
        "O1-kvk-uittreksel",
        "O2-ubo-uittreksel",
        "O3-gedragsverklaring-aanbesteden",
        "O4-verklaring-betalingsgedrag",
        "O5-bibob-vragenlijst",
        "O6-jaarrekening",
        "O7-aansprakelijkheidsverzekering",
        "Q1-calamiteitenprotocol",
        "Q2-klachtenregeling",
        "Q3-meldcode",
        "Q4-privacyreglement",
        "Q5-rie",
        "Q6-noodplan",
        "Q8-igj-melding",
        "Q10-kwaliteitssysteem",
        "L1-locatie",
        "L2-maatschappelijke-bestemming",
        "L3-brandveiligheid",
        "S1-registratie",
        "S4-diplomaniveau",
        "S6-vog",
        "S7-gekwalificeerd-personeel",
        "G1-gedragswetenschapper",
        "R2-personeelskosten",
        "R2-winstmarge",
        "R2-bestuur-zonder-zorgachtergrond",
        "R2-belangen-zorgbedrijven",
        "R2-vastgoed-bestuurder",
        "R3-risicolicht",
    ):
        assert rule in rules, rule


def test_base_case_clean_under_kit_2026():
    out = screen(in_2026(base()))
    assert out.ruleset_id == "kit-2026"
    assert out.as_of == date(2026, 3, 1)  # as-of defaults to submitted_on
    assert problems(out) == set(), dump(out)
    verdicts(out)
    # kit-2026 inherits every kit-2025 rule: the same requirements are checked
    key = lambda o: sorted(
        (f.rule, f.requirement, f.subject, f.lot or "", f.item or "", f.status) for f in o.findings
    )
    assert key(out) == key(screen(base()))


def test_wmo_zelfstandige_variant_is_clean():
    out = variant(wmo_zelfstandige)
    assert {p for p in problems(out) if p[4] != "signaal"} == set(), dump(out)
    verdicts(out)


# --- E1 mandatory grounds ------------------------------------------------------------------


@pytest.mark.parametrize("ground", MANDATORY)
@pytest.mark.parametrize(
    "event, excluded",
    [
        (date(2019, 4, 3), True),  # just under 5 years before submission
        (date(2019, 4, 2), True),  # exactly 5 years: still within
        (date(2019, 4, 1), False),  # 5 years and a day: too old
    ],
)
def test_E1_conviction_lookback_5_years(ground, event, excluded):
    def change(s):
        decl(s, ground).update(answer=True, event_date=event, sanction="vonnis")

    out = variant(change)
    if excluded:
        check(
            out,
            "E1-verplichte-uitsluitingsgronden",
            "niet-voldaan",
            "uitsluiting",
            requirement=ground,
        )
        verdicts(out, "uitgesloten")
    else:
        check(out, "E1-verplichte-uitsluitingsgronden", "voldaan", requirement=ground)
        assert problems(out) == set()
        verdicts(out)


@pytest.mark.parametrize("member, role", [("B1", "bestuurder"), ("B2", "toezichthouder")])
def test_E1_conviction_of_board_member(member, role):
    def change(s):
        assert next(b for b in s["provider"]["board"] if b["id"] == member)["role"] == role
        decl(s, "fraude").update(answer=True, event_date=date(2022, 1, 1), board_member=member)

    out = variant(change)
    check(
        out,
        "E1-verplichte-uitsluitingsgronden",
        "niet-voldaan",
        "uitsluiting",
        subject=f"board:{member}",
        requirement="fraude",
    )
    verdicts(out, "uitgesloten")


def test_E1_strafbeschikking_is_not_a_conviction():
    def change(s):
        decl(s, "omkoping").update(
            answer=True, event_date=date(2023, 1, 1), sanction="strafbeschikking"
        )

    out = variant(change)
    check(out, "E1-verplichte-uitsluitingsgronden", "voldaan", requirement="omkoping")
    assert problems(out) == set()
    verdicts(out)


def test_E1_vonnis_same_date_excludes():
    def change(s):
        decl(s, "omkoping").update(answer=True, event_date=date(2023, 1, 1), sanction="vonnis")

    out = variant(change)
    check(
        out,
        "E1-verplichte-uitsluitingsgronden",
        "niet-voldaan",
        "uitsluiting",
        requirement="omkoping",
    )
    verdicts(out, "uitgesloten")


# --- E2 taxes and premiums -----------------------------------------------------------------


@pytest.mark.parametrize("paid, excluded", [(True, False), (False, True), (None, True)])
def test_E2_belastingen_premies_paid_or_arranged(paid, excluded):
    def change(s):
        d = decl(s, "belastingen-premies")
        d.update(answer=True, event_date=date(2015, 1, 1))  # no lookback: age does not matter
        if paid is not None:
            d["paid_or_arranged"] = paid

    out = variant(change)
    if excluded:
        check(out, "E2-belastingen-premies", "niet-voldaan", "uitsluiting")
        verdicts(out, "uitgesloten")
    else:
        check(out, "E2-belastingen-premies", "voldaan")
        assert problems(out) == set()
        verdicts(out)


# --- E3 optional grounds -------------------------------------------------------------------


@pytest.mark.parametrize("ground", OPTIONAL_DECLARED)
@pytest.mark.parametrize(
    "event, excluded",
    [
        (date(2021, 4, 2), True),  # exactly 3 years before submission
        (date(2021, 4, 1), False),  # 3 years and a day
    ],
)
def test_E3_optional_ground_lookback_3_years(ground, event, excluded):
    def change(s):
        decl(s, ground).update(answer=True, event_date=event)

    out = variant(change)
    if excluded:
        check(
            out,
            "E3-facultatieve-uitsluitingsgronden",
            "niet-voldaan",
            "uitsluiting",
            requirement=ground,
        )
        verdicts(out, "uitgesloten")
    else:
        check(out, "E3-facultatieve-uitsluitingsgronden", "voldaan", requirement=ground)
        verdicts(out)


@pytest.mark.parametrize(
    "ground",
    [
        "schending-milieu-sociaal-arbeidsrecht",
        "vervalsing-mededinging",
        "belangenconflict",
        "eerdere-betrokkenheid",
        "ongeoorloofde-beinvloeding",
    ],
)
def test_E3_optional_ground_not_declared_for_procedure_does_not_exclude(ground):
    def change(s):
        s["declarations"].append({"ground": ground, "answer": True, "event_date": date(2023, 6, 1)})

    out = variant(change)
    assert not [f for f in out.findings if f.requirement == ground]
    assert problems(out) == set()
    verdicts(out)


# --- E4 self-cleaning ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "rule, ground, extra",
    [
        ("E1-verplichte-uitsluitingsgronden", "witwassen", {"event_date": date(2022, 1, 1)}),
        ("E2-belastingen-premies", "belastingen-premies", {"paid_or_arranged": False}),
        ("E3-facultatieve-uitsluitingsgronden", "faillissement", {"event_date": date(2022, 5, 1)}),
    ],
)
def test_E4_self_cleaning_becomes_beoordeling(rule, ground, extra):
    def change(s):
        decl(s, ground).update(
            answer=True, self_cleaning="Nieuw bestuur, schulden voldaan", **extra
        )

    out = variant(change)
    check(out, rule, "onbepaald", "beoordeling", requirement=ground)
    assert problems(out) == {(rule, "provider", None, "onbepaald", "beoordeling")}
    verdicts(out, "in-beoordeling")


def test_E4_self_cleaning_of_old_conviction_is_simply_clear():
    def change(s):
        decl(s, "fraude").update(
            answer=True, event_date=date(2018, 1, 1), self_cleaning="Maatregelen"
        )

    out = variant(change)
    check(out, "E1-verplichte-uitsluitingsgronden", "voldaan", requirement="fraude")
    verdicts(out)


# --- E5 Bibob ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "bibob, status, outcome, verdict",
    [
        ({"status": "afgerond", "outcome": "geen-bezwaar"}, "voldaan", None, "toegelaten"),
        (
            {"status": "afgerond", "outcome": "mindere-mate-gevaar"},
            "niet-voldaan",
            "signaal",
            "toegelaten",
        ),
        (
            {"status": "afgerond", "outcome": "ernstig-gevaar"},
            "niet-voldaan",
            "uitsluiting",
            "uitgesloten",
        ),
        ({"status": "lopend"}, "onbepaald", "beoordeling", "in-beoordeling"),
        ({"status": "niet-gestart"}, "onbepaald", "beoordeling", "in-beoordeling"),
        (None, "onbepaald", "beoordeling", "in-beoordeling"),
    ],
)
def test_E5_bibob_states(bibob, status, outcome, verdict):
    def change(s):
        if bibob is None:
            del s["bibob"]
        else:
            s["bibob"] = bibob

    out = variant(change)
    check(out, "E5-bibob", status, outcome)
    verdicts(out, verdict)
    assert out.risk == "groen"  # a Bibob signal is not a risk-analysis indicator


# --- E6 self-declaration -------------------------------------------------------------------


@pytest.mark.parametrize("ground", ALL_GROUNDS)
def test_E6_unanswered_ground_is_herstel(ground):
    def change(s):
        s["declarations"] = [d for d in s["declarations"] if d["ground"] != ground]

    out = variant(change)
    check(out, "E6-eigen-verklaring", "niet-voldaan", "herstel", item=ground)
    assert problems(out) == {("E6-eigen-verklaring", "provider", None, "niet-voldaan", "herstel")}
    verdicts(out, "herstel-nodig")


@pytest.mark.parametrize("ground", ALL_GROUNDS)
def test_E6_answered_ground_is_voldaan(ground):
    out = screen(base())
    check(out, "E6-eigen-verklaring", "voldaan", item=ground)


# --- E7 exclusion: whole provider, every lot, not repairable ----------------------------------


def test_E7_exclusion_applies_to_every_lot_and_outranks_everything():
    def change(s):
        decl(s, "terrorisme").update(answer=True, event_date=date(2023, 1, 1))
        drop_doc(s, "kvk-uittreksel")  # herstel
        doc(s, "calamiteitenprotocol").pop("assessment")  # beoordeling
        s["locations"] = []  # voorwaardelijk (JR)
        s["lots"].append({"lot": WD, "role": "onderaannemer", "main_contractor_kvk": "87654321"})
        s["staff"].append(
            worker("S05", [WD], function="begeleider", level="mbo-3", registration=None)
        )

    out = variant(change)
    check(
        out,
        "E1-verplichte-uitsluitingsgronden",
        "niet-voldaan",
        "uitsluiting",
        requirement="terrorisme",
    )
    verdicts(out, "uitgesloten")
    assert len(out.lots) == 4


def test_E7_exclusion_of_staff_lot_subject_still_every_lot():
    # a Bibob ernstig-gevaar is an exclusion too: all lots, even with a withdrawn lot present
    def change(s):
        s["bibob"] = {"status": "afgerond", "outcome": "ernstig-gevaar"}
        s["lots"][2]["withdrawn"] = True

    out = variant(change)
    verdicts(out, "uitgesloten", wmo_begeleiding_individueel="ingetrokken")


# --- O. organisation documents ---------------------------------------------------------------


@pytest.mark.parametrize(
    "rule, doc_type, ok_date, old_date",
    [
        ("O1-kvk-uittreksel", "kvk-uittreksel", date(2023, 10, 2), date(2023, 10, 1)),  # 6 months
        ("O2-ubo-uittreksel", "ubo-uittreksel", date(2023, 10, 2), date(2023, 10, 1)),  # 6 months
        (
            "O3-gedragsverklaring-aanbesteden",
            "gedragsverklaring-aanbesteden",
            date(2022, 4, 2),
            date(2022, 4, 1),
        ),  # 24 months
        (
            "O4-verklaring-betalingsgedrag",
            "verklaring-betalingsgedrag",
            date(2023, 10, 2),
            date(2023, 10, 1),
        ),  # 6 months
    ],
)
def test_O1_to_O4_max_age(rule, doc_type, ok_date, old_date):
    out = variant(lambda s: doc(s, doc_type).update(issued_on=ok_date))
    f = check(out, rule, "voldaan")
    assert f.evidence == (doc(sub(BASE), doc_type)["id"],)
    verdicts(out)

    out = variant(lambda s: doc(s, doc_type).update(issued_on=old_date))
    check(out, rule, "niet-voldaan", "herstel")
    assert problems(out) == {(rule, "provider", None, "niet-voldaan", "herstel")}
    verdicts(out, "herstel-nodig")


@pytest.mark.parametrize(
    "rule, doc_type",
    [
        ("O1-kvk-uittreksel", "kvk-uittreksel"),
        ("O2-ubo-uittreksel", "ubo-uittreksel"),
        ("O3-gedragsverklaring-aanbesteden", "gedragsverklaring-aanbesteden"),
        ("O4-verklaring-betalingsgedrag", "verklaring-betalingsgedrag"),
        ("O5-bibob-vragenlijst", "bibob-vragenlijst"),
        ("O6-jaarrekening", "jaarrekening"),
        ("O7-aansprakelijkheidsverzekering", "aansprakelijkheidsverzekering"),
    ],
)
def test_O_missing_document_is_herstel(rule, doc_type):
    out = variant(lambda s: drop_doc(s, doc_type))
    check(out, rule, "niet-voldaan", "herstel", requirement=doc_type)
    assert problems(out) == {(rule, "provider", None, "niet-voldaan", "herstel")}
    verdicts(out, "herstel-nodig")


def test_O_documents_required_from_onderaannemer_too():
    def change(s):
        for reg in s["lots"]:
            reg.update(role="onderaannemer", main_contractor_kvk="87654321")
        drop_doc(s, "kvk-uittreksel")

    out = variant(change)
    check(out, "O1-kvk-uittreksel", "niet-voldaan", "herstel")
    verdicts(out, "herstel-nodig")


@pytest.mark.parametrize(
    "legal_form, required",
    [
        ("eenmanszaak", False),
        ("vof", True),
        ("maatschap", True),
        ("bv", True),
        ("nv", True),
        ("stichting", True),
        ("vereniging", True),
        ("cooperatie", True),
    ],
)
def test_O2_ubo_not_for_eenmanszaak(legal_form, required):
    def change(s):
        s["provider"].update(legal_form=legal_form, fte=5.0)
        drop_doc(s, "ubo-uittreksel")

    out = variant(change)
    if required:
        check(out, "O2-ubo-uittreksel", "niet-voldaan", "herstel")
        verdicts(out, "herstel-nodig")
    else:
        absent(out, "O2-ubo-uittreksel")
        verdicts(out)


@pytest.mark.parametrize("complete, ok", [(True, True), (False, False), (None, False)])
def test_O5_bibob_vragenlijst_complete(complete, ok):
    def change(s):
        d = doc(s, "bibob-vragenlijst")
        d.pop("complete")
        if complete is not None:
            d["complete"] = complete

    out = variant(change)
    if ok:
        check(out, "O5-bibob-vragenlijst", "voldaan")
        verdicts(out)
    else:
        check(out, "O5-bibob-vragenlijst", "niet-voldaan", "herstel")
        verdicts(out, "herstel-nodig")


@pytest.mark.parametrize(
    "legal_form, required",
    [
        ("bv", True),
        ("nv", True),
        ("stichting", True),
        ("vereniging", True),
        ("cooperatie", True),
        ("eenmanszaak", False),
        ("vof", False),
        ("maatschap", False),
    ],
)
def test_O6_jaarrekening_only_for_legal_entities(legal_form, required):
    def change(s):
        s["provider"].update(legal_form=legal_form, fte=5.0)
        drop_doc(s, "jaarrekening")

    out = variant(change)
    if required:
        check(out, "O6-jaarrekening", "niet-voldaan", "herstel")
        assert problems(out) == {("O6-jaarrekening", "provider", None, "niet-voldaan", "herstel")}
        verdicts(out, "herstel-nodig")
    else:
        absent(out, "O6-jaarrekening")
        assert problems(out) == set()
        verdicts(out)


@pytest.mark.parametrize(
    "rule, doc_type, lot, affected",
    [
        ("O7-aansprakelijkheidsverzekering", "aansprakelijkheidsverzekering", None, ALL_BASE_LOTS),
        ("O1-kvk-uittreksel", "kvk-uittreksel", None, ALL_BASE_LOTS),
        ("Q10-kwaliteitssysteem", "kwaliteitssysteem", JR, (JR,)),
    ],
)
@pytest.mark.parametrize(
    "valid_until, ok", [(SUBMITTED, True), (SUBMITTED - timedelta(days=1), False)]
)
def test_document_valid_until_at_submission(rule, doc_type, lot, affected, valid_until, ok):
    out = variant(lambda s: doc(s, doc_type).update(valid_until=valid_until))
    if ok:
        check(out, rule, "voldaan", lot=lot)
        verdicts(out)
    else:
        f = check(out, rule, "niet-voldaan", "herstel", lot=lot)
        assert f.evidence == (doc(sub(BASE), doc_type)["id"],)
        verdicts(out, **{code.replace("-", "_"): "herstel-nodig" for code in affected})


@pytest.mark.parametrize(
    "covers_year, situation",
    [
        (2023, None),
        (2022, None),  # one of the last 2 closed years at 2024-04-02
        (2021, "year_old"),
        (2018, "year_old"),
        (2024, "year_open"),  # the current year has not closed yet
        (None, "year_missing"),  # a jaarrekening names the year it covers
    ],
)
def test_O6_jaarrekening_must_cover_a_recent_closed_year(covers_year, situation):
    def change(s):
        d = doc(s, "jaarrekening")
        d.pop("covers_year")
        if covers_year is not None:
            d["covers_year"] = covers_year

    out = variant(change)
    if situation is None:
        check(out, "O6-jaarrekening", "voldaan")
        verdicts(out)
    else:
        f = check(out, "O6-jaarrekening", "niet-voldaan", "herstel")
        assert f.evidence == ("D06",)
        assert problems(out) == {("O6-jaarrekening", "provider", None, "niet-voldaan", "herstel")}
        verdicts(out, "herstel-nodig")


def test_O6_closed_years_is_rule_data():
    from kit.rules.loader import shipped_rulesets

    assert shipped_rulesets()["kit-2025"].rule("O6-jaarrekening").closed_years == 2


@pytest.mark.parametrize(
    "doc_type, rule, lot",
    [
        ("kvk-uittreksel", "O1-kvk-uittreksel", None),
        ("igj-melding", "Q8-igj-melding", None),
        ("calamiteitenprotocol", "Q1-calamiteitenprotocol", None),
        ("kwaliteitssysteem", "Q10-kwaliteitssysteem", JR),
    ],
)
@pytest.mark.parametrize(
    "issued, ok",
    [(SUBMITTED, True), (SUBMITTED + timedelta(days=1), False), (date(2099, 1, 1), False)],
)
def test_document_dated_after_the_screening_date_is_no_evidence(doc_type, rule, lot, issued, ok):
    out = variant(lambda s: doc(s, doc_type).update(issued_on=issued))
    if ok:
        check(out, rule, "voldaan", lot=lot)
    else:
        f = check(out, rule, "niet-voldaan", "herstel", lot=lot)
        assert "na de peildatum" in f.message and "2 april 2024" in f.message
        assert {p[0] for p in problems(out)} == {rule}


def test_vog_dated_after_the_screening_date_is_no_evidence():
    def change(s):
        staff(s, "S03")["vog"]["issued_on"] = date(2030, 1, 1)

    out = variant(change)
    f = check(out, "S6-vog", "niet-voldaan", "herstel", subject="staff:S03")
    assert "na de peildatum" in f.message and "1 januari 2030" in f.message
    verdicts(out, wmo_begeleiding_individueel="herstel-nodig")


def test_diploma_dated_after_the_screening_date_is_no_evidence():
    def change(s):
        next(d for d in staff(s, "S03")["documents"] if d["id"] == "D26")["issued_on"] = date(
            2025, 6, 30
        )

    out = variant(change)
    f = check(out, "S4-diplomaniveau", "niet-voldaan", "herstel", subject="staff:S03", lot=WB)
    assert "na de peildatum" in f.message
    verdicts(out, wmo_begeleiding_individueel="herstel-nodig")


def test_O7_aansprakelijkheidsverzekering_present():
    out = screen(base())
    f = check(out, "O7-aansprakelijkheidsverzekering", "voldaan")
    assert f.evidence == ("D07",)


# --- Q1-Q3 content-reviewed documents --------------------------------------------------------

CONTENT_REVIEWED = [
    ("Q1-calamiteitenprotocol", "calamiteitenprotocol"),
    ("Q2-klachtenregeling", "klachtenregeling"),
    ("Q3-meldcode", "meldcode"),
    ("Q5-rie", "rie"),
]


@pytest.mark.parametrize("rule, doc_type", CONTENT_REVIEWED)
@pytest.mark.parametrize(
    "assessment, status, outcome, verdict",
    [
        ("voldoende", "voldaan", None, "toegelaten"),
        (None, "onbepaald", "beoordeling", "in-beoordeling"),
        ("onvoldoende", "niet-voldaan", "herstel", "herstel-nodig"),
    ],
)
def test_Q1_Q2_Q3_Q5_content_review(rule, doc_type, assessment, status, outcome, verdict):
    def change(s):
        d = doc(s, doc_type)
        d.pop("assessment")
        if assessment:
            d["assessment"] = assessment
            d["assessment_note"] = "Te algemeen"

    out = variant(change)
    f = check(out, rule, status, outcome)
    assert f.evidence == (doc(sub(BASE), doc_type)["id"],)
    verdicts(out, verdict)


@pytest.mark.parametrize(
    "rule, doc_type", [*CONTENT_REVIEWED[:3], ("Q4-privacyreglement", "privacyreglement")]
)
def test_Q1_to_Q4_missing_is_herstel_for_every_provider(rule, doc_type):
    for change in (
        lambda s: drop_doc(s, doc_type),
        lambda s: (wmo_zelfstandige(s), drop_doc(s, doc_type)),
    ):
        out = variant(change)
        check(out, rule, "niet-voldaan", "herstel")
        verdicts(out, "herstel-nodig")


# --- Q5 RI&E only with employees ---------------------------------------------------------------


@pytest.mark.parametrize("employees, required", [(0, False), (1, True), (14, True)])
def test_Q5_rie_only_with_employees(employees, required):
    def change(s):
        no_employees(s)
        s["provider"]["employees"] = employees
        drop_doc(s, "rie")

    out = variant(change)
    if required:
        check(out, "Q5-rie", "niet-voldaan", "herstel")
        verdicts(out, "herstel-nodig")
    else:
        absent(out, "Q5-rie")
        assert problems(out) == set(), dump(out)
        verdicts(out)


# --- Q6 noodplan with employees or a residential lot -----------------------------------------


@pytest.mark.parametrize(
    "employees, residential, required",
    [
        (14, True, True),
        (14, False, True),
        (1, False, True),
        (0, True, True),
        (0, False, False),
    ],
)
def test_Q6_noodplan(employees, residential, required):
    def change(s):
        no_employees(s)
        s["provider"]["employees"] = employees
        if not residential:
            s["lots"] = [r for r in s["lots"] if r["lot"] != JR]
            s["locations"] = []
            for m in s["staff"]:
                m["lots"] = [lot for lot in m["lots"] if lot != JR]
            drop_staff(s, "S04")
        drop_doc(s, "noodplan")

    out = variant(change)
    if required:
        check(out, "Q6-noodplan", "niet-voldaan", "herstel")
        assert problems(out) == {("Q6-noodplan", "provider", None, "niet-voldaan", "herstel")}, (
            dump(out)
        )
        verdicts(out, "herstel-nodig")
    else:
        absent(out, "Q6-noodplan")
        assert problems(out) == set(), dump(out)
        verdicts(out)


# --- Q7 clientenraad (Wmcz) ------------------------------------------------------------------

# the base case has 2 care workers (S01, S02) in the residential lot and in the ambulant lot


@pytest.mark.parametrize("extra, required", [(8, False), (9, True)])  # 10 vs 11 residential
def test_Q7_clientenraad_residential_threshold(extra, required):
    def change(s):
        add_workers(s, extra, [JR])

    out = variant(change)
    if required:
        check(out, "Q7-clientenraad", "niet-voldaan", "herstel")
        assert problems(out) == {("Q7-clientenraad", "provider", None, "niet-voldaan", "herstel")}
        verdicts(out, "herstel-nodig")
    else:
        absent(out, "Q7-clientenraad")
        verdicts(out)


@pytest.mark.parametrize("extra, required", [(23, False), (24, True)])  # 25 vs 26 ambulant
def test_Q7_clientenraad_ambulant_threshold(extra, required):
    def change(s):
        add_workers(s, extra, [JA])

    out = variant(change)
    if required:
        check(out, "Q7-clientenraad", "niet-voldaan", "herstel")
        verdicts(out, "herstel-nodig")
    else:
        absent(out, "Q7-clientenraad")
        verdicts(out)


def test_Q7_clientenraad_present_satisfies():
    def change(s):
        add_workers(s, 9, [JR])
        docs(s).append(
            {"id": "D60", "type": "clientenraad-regeling", "issued_on": date(2023, 1, 1)}
        )

    out = variant(change)
    check(out, "Q7-clientenraad", "voldaan")
    verdicts(out)


def test_Q7_not_for_wmo():
    out = variant(
        lambda s: add_workers(s, 30, [WB], function="begeleider", level="mbo-4", registration=None)
    )
    absent(out, "Q7-clientenraad")
    verdicts(out)


@pytest.mark.parametrize("kind", ["stagiair", "ondersteunend", "evc"])
def test_Q7_count_excludes_non_care_and_non_declarable(kind):
    # 10 residential care workers, plus an 11th who does not count
    def change(s):
        add_workers(s, 8, [JR])
        if kind == "evc":
            s["staff"].append(
                worker(
                    "X01", [JR], evc={"status": "lopend", "expected_completion": date(2024, 9, 1)}
                )
            )
        else:
            s["staff"].append(worker("X01", [JR], function=kind))

    out = variant(change)
    absent(out, "Q7-clientenraad")


# --- Q8 IGJ-melding only for jeugd -----------------------------------------------------------


def test_Q8_igj_melding_required_with_a_jeugd_lot():
    out = variant(lambda s: drop_doc(s, "igj-melding"))
    check(out, "Q8-igj-melding", "niet-voldaan", "herstel")
    verdicts(out, "herstel-nodig")  # a provider-wide finding counts for every lot


def test_Q8_igj_melding_not_for_wmo_only():
    out = variant(wmo_zelfstandige)
    absent(out, "Q8-igj-melding")
    verdicts(out)


# --- Q9 raad van toezicht (kit-2026) ---------------------------------------------------------


def _with_clientenraad(s: dict[str, Any]) -> None:
    docs(s).append({"id": "D60", "type": "clientenraad-regeling", "issued_on": date(2023, 1, 1)})


@pytest.mark.parametrize(
    "extra, lots, required",
    [
        (8, [JR], False),
        (9, [JR], True),  # residential: 10 vs 11 care workers
        (23, [JA], False),
        (24, [JA], True),  # ambulant: 25 vs 26 care workers
    ],
)
def test_Q9_raad_van_toezicht_thresholds_kit_2026(extra, lots, required):
    data = base()
    add_workers(sub(data), extra, lots)
    _with_clientenraad(sub(data))
    out = screen(in_2026(data))
    assert out.ruleset_id == "kit-2026"
    assert sub(in_2026(data))["procedure"] == "tussentijdse-toetreding-2026-1"
    if required:
        check(out, "Q9-intern-toezicht", "niet-voldaan", "herstel", requirement="raad-van-toezicht")
        assert problems(out) == {
            ("Q9-intern-toezicht", "provider", None, "niet-voldaan", "herstel")
        }
        verdicts(out, "herstel-nodig")
    else:
        absent(out, "Q9-intern-toezicht")
        assert problems(out) == set(), dump(out)
        verdicts(out)


def test_Q9_raad_van_toezicht_present_kit_2026():
    data = base()
    add_workers(sub(data), 9, [JR])
    _with_clientenraad(sub(data))
    docs(sub(data)).append(
        {"id": "D61", "type": "raad-van-toezicht", "issued_on": date(2024, 1, 1)}
    )
    out = screen(in_2026(data))
    f = check(out, "Q9-intern-toezicht", "voldaan")
    assert f.evidence == ("D61",)
    verdicts(out)


def test_Q9_not_in_kit_2025():
    data = base()
    add_workers(sub(data), 30, [JR, JA])
    _with_clientenraad(sub(data))
    out = screen(data)
    assert out.ruleset_id == "kit-2025"
    absent(out, "Q9-intern-toezicht")
    verdicts(out)


def test_Q9_not_for_wmo_kit_2026():
    data = base()
    add_workers(sub(data), 30, [WB], function="begeleider", level="mbo-4", registration=None)
    out = screen(in_2026(data))
    absent(out, "Q9-intern-toezicht")
    verdicts(out)


# --- Q10 kwaliteitssysteem, keurmerk gezinshuizen --------------------------------------------


def test_Q10_kwaliteitssysteem_required_per_residential_lot():
    out = variant(lambda s: drop_doc(s, "kwaliteitssysteem"))
    check(out, "Q10-kwaliteitssysteem", "niet-voldaan", "herstel", lot=JR)
    assert problems(out) == {("Q10-kwaliteitssysteem", "provider", JR, "niet-voldaan", "herstel")}
    verdicts(out, jeugd_wonen_verblijf_residentieel="herstel-nodig")


def test_Q10_not_for_non_residential_lots():
    out = variant(wmo_zelfstandige)
    absent(out, "Q10-kwaliteitssysteem")
    out = screen(base())
    assert [f.lot for f in matching(out, "Q10-kwaliteitssysteem")] == [JR]


@pytest.mark.parametrize(
    "issued, ok", [(date(2021, 4, 2), True), (date(2021, 4, 1), False)]
)  # 36 months
def test_Q10_keurmerk_gezinshuizen_equivalent_for_gezinshuis(issued, ok):
    def change(s):
        add_gezinshuis(s)
        drop_doc(s, "kwaliteitssysteem")
        docs(s).append({"id": "D70", "type": "keurmerk-gezinshuizen", "issued_on": issued})

    out = variant(change)
    # the keurmerk never counts for the residential lot
    check(out, "Q10-kwaliteitssysteem", "niet-voldaan", "herstel", lot=JR)
    if ok:
        f = check(out, "Q10-kwaliteitssysteem", "voldaan", lot=GH)
        assert f.evidence == ("D70",)
        verdicts(out, jeugd_wonen_verblijf_residentieel="herstel-nodig")
    else:
        check(out, "Q10-kwaliteitssysteem", "niet-voldaan", "herstel", lot=GH)
        verdicts(
            out,
            jeugd_wonen_verblijf_residentieel="herstel-nodig",
            jeugd_wonen_verblijf_gezinshuis="herstel-nodig",
        )


def test_Q10_kwaliteitssysteem_also_serves_gezinshuis():
    out = variant(add_gezinshuis)
    check(out, "Q10-kwaliteitssysteem", "voldaan", lot=GH)
    check(out, "Q10-kwaliteitssysteem", "voldaan", lot=JR)
    verdicts(out)


# --- Q11 comply or explain -----------------------------------------------------------------


@pytest.mark.parametrize(
    "rule, doc_type, lot, affected",
    [
        ("Q5-rie", "rie", None, ALL_BASE_LOTS),
        ("Q6-noodplan", "noodplan", None, ALL_BASE_LOTS),
        ("Q10-kwaliteitssysteem", "kwaliteitssysteem", JR, (JR,)),
    ],
)
def test_Q11_explanation_turns_herstel_into_beoordeling(rule, doc_type, lot, affected):
    def change(s):
        drop_doc(s, doc_type)
        s["explanations"].append(
            {"requirement": doc_type, "text": "In voorbereiding, gereed 2024-06-01"}
        )

    out = variant(change)
    f = check(out, rule, "onbepaald", "beoordeling", lot=lot)
    assert "In voorbereiding" in f.message
    assert problems(out) == {(rule, "provider", lot, "onbepaald", "beoordeling")}
    verdicts(out, **{code.replace("-", "_"): "in-beoordeling" for code in affected})

    # without the explanation the same case needs repair
    out = variant(lambda s: drop_doc(s, doc_type))
    check(out, rule, "niet-voldaan", "herstel", lot=lot)


@pytest.mark.parametrize(
    "rule, doc_type",
    [
        ("Q4-privacyreglement", "privacyreglement"),
        ("Q1-calamiteitenprotocol", "calamiteitenprotocol"),
        ("O1-kvk-uittreksel", "kvk-uittreksel"),
        ("Q8-igj-melding", "igj-melding"),
    ],
)
def test_Q11_explanation_does_not_help_for_non_explainable_documents(rule, doc_type):
    def change(s):
        drop_doc(s, doc_type)
        s["explanations"].append({"requirement": doc_type, "text": "Volgt later"})

    out = variant(change)
    check(out, rule, "niet-voldaan", "herstel")
    verdicts(out, "herstel-nodig")


def test_Q11_explanation_beside_a_present_document_changes_nothing():
    out = variant(lambda s: s["explanations"].append({"requirement": "rie", "text": "Niet nodig"}))
    check(out, "Q5-rie", "voldaan")
    verdicts(out)


# --- L. locations ------------------------------------------------------------------------------


def test_L1_no_location_is_voorwaardelijk_due_contract_start():
    out = variant(lambda s: s.update(locations=[]))
    check(out, "L1-locatie", "niet-voldaan", "voorwaardelijk", lot=JR, due=CONTRACT_START)
    assert problems(out) == {("L1-locatie", "provider", JR, "niet-voldaan", "voorwaardelijk")}
    verdicts(out, jeugd_wonen_verblijf_residentieel="toegelaten-onder-voorwaarden")


def test_L1_due_is_the_contract_start_of_the_procedure():
    data = base()
    sub(data)["locations"] = []
    out = screen(in_2026(data))
    check(out, "L1-locatie", "niet-voldaan", "voorwaardelijk", lot=JR, due="2026-04-01")


def test_L1_location_present():
    out = screen(base())
    f = check(out, "L1-locatie", "voldaan", lot=JR)
    assert f.evidence == ("L1",)
    assert [f.lot for f in matching(out, "L1-locatie")] == [
        JR
    ]  # not for ambulant or Wmo individueel


def test_L1_wmo_dagbesteding_needs_a_location():
    def change(s):
        add_dagbesteding(s)
        s["locations"] = [loc for loc in s["locations"] if loc["id"] != "L2"]

    out = variant(change)
    check(out, "L1-locatie", "niet-voldaan", "voorwaardelijk", lot=WD, due=CONTRACT_START)
    verdicts(out, wmo_dagbesteding="toegelaten-onder-voorwaarden")


@pytest.mark.parametrize("lot", [GH, "jeugd-crisis"])
def test_L1_other_residential_lots_need_a_location(lot):
    def change(s):
        only_lot(s, lot)
        s["locations"] = []

    out = variant(change)
    check(out, "L1-locatie", "niet-voldaan", "voorwaardelijk", lot=lot, due=CONTRACT_START)
    verdicts(out, "toegelaten-onder-voorwaarden")


def test_L2_bestemmingsplan_verklaring_missing():
    out = variant(lambda s: s["locations"][0]["documents"].pop(0))
    check(out, "L2-maatschappelijke-bestemming", "niet-voldaan", "herstel", subject="location:L1")
    assert problems(out) == {
        ("L2-maatschappelijke-bestemming", "location:L1", None, "niet-voldaan", "herstel")
    }
    verdicts(
        out, jeugd_wonen_verblijf_residentieel="herstel-nodig"
    )  # only the lots the location serves


def test_L2_no_maatschappelijke_bestemming():
    out = variant(lambda s: s["locations"][0].update(maatschappelijke_bestemming=False))
    check(out, "L2-maatschappelijke-bestemming", "niet-voldaan", "herstel", subject="location:L1")
    verdicts(out, jeugd_wonen_verblijf_residentieel="herstel-nodig")


def test_L2_dagbesteding_location():
    def change(s):
        add_dagbesteding(s)
        s["locations"][1]["documents"] = []

    out = variant(change)
    check(out, "L2-maatschappelijke-bestemming", "niet-voldaan", "herstel", subject="location:L2")
    verdicts(out, wmo_dagbesteding="herstel-nodig")


def test_L3_brandveiligheid_missing_for_residential_location():
    out = variant(lambda s: s["locations"][0]["documents"].pop(1))
    check(out, "L3-brandveiligheid", "niet-voldaan", "herstel", subject="location:L1")
    assert problems(out) == {("L3-brandveiligheid", "location:L1", None, "niet-voldaan", "herstel")}
    verdicts(out, jeugd_wonen_verblijf_residentieel="herstel-nodig")


def test_L3_not_for_dagbesteding_location():
    out = variant(add_dagbesteding)
    check(out, "L2-maatschappelijke-bestemming", "voldaan", subject="location:L2")
    absent(out, "L3-brandveiligheid", subject="location:L2")
    assert problems(out) == set(), dump(out)
    verdicts(out)


# --- S1 registration ---------------------------------------------------------------------------


def test_S1_missing_registration_is_herstel_per_jeugd_lot():
    out = variant(lambda s: staff(s, "S01").pop("registrations"))
    for lot in (JA, JR):
        check(out, "S1-registratie", "niet-voldaan", "herstel", subject="staff:S01", lot=lot)
    assert problems(out) == {
        ("S1-registratie", "staff:S01", JA, "niet-voldaan", "herstel"),
        ("S1-registratie", "staff:S01", JR, "niet-voldaan", "herstel"),
    }
    verdicts(out, "herstel-nodig", wmo_begeleiding_individueel="toegelaten")


@pytest.mark.parametrize(
    "valid_until, ok", [(SUBMITTED, True), (SUBMITTED - timedelta(days=1), False)]
)
def test_S1_registration_valid_at_submission(valid_until, ok):
    out = variant(lambda s: staff(s, "S01")["registrations"][0].update(valid_until=valid_until))
    if ok:
        check(out, "S1-registratie", "voldaan", subject="staff:S01", lot=JA)
        verdicts(out)
    else:
        f = check(out, "S1-registratie", "niet-voldaan", "herstel", subject="staff:S01", lot=JA)
        assert f.evidence == ("D21",)
        verdicts(out, "herstel-nodig", wmo_begeleiding_individueel="toegelaten")


@pytest.mark.parametrize(
    "register, kind",
    [
        ("skj", "jeugd-en-gezinsprofessional-hbo"),
        ("skj", "jeugd-en-gezinsprofessional-master"),
        ("skj", "kinder-en-jeugdpsycholoog"),
        ("skj", "orthopedagoog-generalist"),
        ("big", "gz-psycholoog"),
        ("big", "psychotherapeut"),
        ("big", "klinisch-psycholoog"),
        ("big", "klinisch-neuropsycholoog"),
        ("big", "arts"),
        ("big", "verpleegkundige"),
    ],
)
def test_S1_every_skj_and_big_registration_counts(register, kind):
    out = variant(
        lambda s: staff(s, "S01")["registrations"][0].update(register=register, kind=kind)
    )
    check(out, "S1-registratie", "voldaan", subject="staff:S01", lot=JA)
    verdicts(out)


def test_S1_only_jeugdhulpverlener_and_gedragswetenschapper_in_jeugd_lots():
    def change(s):
        # a begeleider in a jeugd lot and a jeugdhulpverlener in a Wmo lot need no registration
        s["staff"].append(worker("S05", [JA], function="begeleider", registration=None))
        s["staff"].append(worker("S06", [WB], function="jeugdhulpverlener", registration=None))

    out = variant(change)
    absent(out, "S1-registratie", subject="staff:S05")
    absent(out, "S1-registratie", subject="staff:S06")
    assert problems(out) == set(), dump(out)
    verdicts(out)


def test_S1_gedragswetenschapper_without_registration():
    out = variant(lambda s: staff(s, "S02").pop("registrations"))
    check(out, "S1-registratie", "niet-voldaan", "herstel", subject="staff:S02", lot=JA)
    check(out, "G1-gedragswetenschapper", "niet-voldaan", "herstel", lot=JA)
    verdicts(out, "herstel-nodig", wmo_begeleiding_individueel="toegelaten")


# --- S2 EVC ------------------------------------------------------------------------------------

EVC_DUE = date(2024, 9, 1)


def test_S2_evc_lopend_unmet_registration_is_voorwaardelijk_until_completion():
    def change(s):
        m = staff(s, "S01")
        m.pop("registrations")
        m["evc"] = {"status": "lopend", "expected_completion": EVC_DUE}

    out = variant(change)
    for lot in (JA, JR):
        check(
            out,
            "S1-registratie",
            "niet-voldaan",
            "voorwaardelijk",
            subject="staff:S01",
            lot=lot,
            due=EVC_DUE.isoformat(),
        )
        # S01 is not declarable: only S02 counts for S7
        f = check(out, "S7-gekwalificeerd-personeel", "voldaan", lot=lot)
        assert f.evidence == ("S02",)
    verdicts(out, "toegelaten-onder-voorwaarden", wmo_begeleiding_individueel="toegelaten")


def test_S2_evc_lopend_unmet_diploma_level_and_not_counted_for_S7():
    def change(s):
        m = staff(s, "S03")
        m["diplomas"][0]["level"] = "mbo-3"
        m["evc"] = {"status": "lopend", "expected_completion": EVC_DUE}

    out = variant(change)
    check(
        out,
        "S4-diplomaniveau",
        "niet-voldaan",
        "voorwaardelijk",
        subject="staff:S03",
        lot=WB,
        due=EVC_DUE.isoformat(),
    )
    check(
        out,
        "S7-gekwalificeerd-personeel",
        "niet-voldaan",
        "voorwaardelijk",
        lot=WB,
        due=EVC_DUE.isoformat(),
    )
    verdicts(out, wmo_begeleiding_individueel="toegelaten-onder-voorwaarden")


def test_S2_evc_lopend_staff_member_does_not_count_even_when_qualified():
    out = variant(
        lambda s: staff(s, "S03").update(evc={"status": "lopend", "expected_completion": EVC_DUE})
    )
    check(out, "S4-diplomaniveau", "voldaan", subject="staff:S03", lot=WB)
    check(
        out,
        "S7-gekwalificeerd-personeel",
        "niet-voldaan",
        "voorwaardelijk",
        lot=WB,
        due=EVC_DUE.isoformat(),
    )
    verdicts(out, wmo_begeleiding_individueel="toegelaten-onder-voorwaarden")


def test_S2_evc_afgerond_is_an_ordinary_staff_member():
    def change(s):
        m = staff(s, "S01")
        m.pop("registrations")
        m["evc"] = {"status": "afgerond", "expected_completion": date(2023, 9, 1)}

    out = variant(change)
    check(out, "S1-registratie", "niet-voldaan", "herstel", subject="staff:S01", lot=JA)


def evc_certified(
    s: dict[str, Any], provider: str, level: str = "mbo-4", issued: date = date(2023, 11, 1)
) -> None:
    """S03 (Wmo begeleiding, needs mbo-4) has only mbo-3, and a completed EVC with certificate."""
    m = staff(s, "S03")
    m["diplomas"][0]["level"] = "mbo-3"
    m["evc"] = {"status": "afgerond", "certificate": "S03-evc"}
    m["documents"].append(
        {
            "id": "S03-evc",
            "type": "evc-certificaat",
            "issued_on": issued,
            "level": level,
            "evc_provider": provider,
        }
    )


def test_S2_completed_evc_from_a_recognised_provider_gives_its_level():
    out = variant(lambda s: evc_certified(s, "EVC-centrum Oost"))
    f = check(out, "S4-diplomaniveau", "voldaan", subject="staff:S03", lot=WB)
    assert f.evidence == ("S03-evc",) and "erkende EVC-aanbieder" in f.message
    assert problems(out) == set()
    verdicts(out)


def test_S2_completed_evc_from_another_provider_goes_to_a_reviewer():
    out = variant(lambda s: evc_certified(s, "Diplomafabriek BV"))
    check(out, "S4-diplomaniveau", "onbepaald", "beoordeling", subject="staff:S03", lot=WB)
    verdicts(out, wmo_begeleiding_individueel="in-beoordeling")


@pytest.mark.parametrize(
    "level, issued", [("mbo-3", date(2023, 11, 1)), ("mbo-4", date(2024, 6, 1))]
)
def test_S2_evc_certificate_below_the_level_or_dated_later_does_not_count(level, issued):
    out = variant(lambda s: evc_certified(s, "EVC-centrum Oost", level, issued))
    check(out, "S4-diplomaniveau", "niet-voldaan", "herstel", subject="staff:S03", lot=WB)


def test_S2_evc_providers_are_rule_data():
    from kit.rules.loader import shipped_rulesets

    assert (
        "EVC-centrum Oost" in shipped_rulesets()["kit-2025"].rule("S4-diplomaniveau").evc_providers
    )


def test_S2_evc_certificate_must_exist_and_name_its_level():
    data = base()
    evc_certified(sub(data), "EVC-centrum Oost")
    staff(sub(data), "S03")["documents"][-1].pop("level")
    with pytest.raises(CaseError, match=r"staff\[2\]\.evc\.certificate: .*niveau"):
        parse_case(data, "test")
    staff(sub(data), "S03")["evc"]["certificate"] = "D99"
    with pytest.raises(CaseError, match=r"evc\.certificate: verwijst naar document 'D99'"):
        parse_case(data, "test")


def test_S2_evc_gedragswetenschapper_does_not_count_for_G1():
    out = variant(
        lambda s: staff(s, "S02").update(evc={"status": "lopend", "expected_completion": EVC_DUE})
    )
    check(out, "G1-gedragswetenschapper", "niet-voldaan", "herstel", lot=JA)
    check(out, "G1-gedragswetenschapper", "niet-voldaan", "herstel", lot=JR)


# --- S3 stagiair -----------------------------------------------------------------------------


def test_S3_stagiair_is_never_a_staffing_deficiency():
    # An intern without diploma or registration: only the VOG is asked (S6), nothing else.
    def change(s):
        s["staff"].append(
            {
                "id": "S09",
                "function": "stagiair",
                "employment": "loondienst",
                "lots": [JA, JR, WB],
                "start_date": date(2024, 2, 1),
                "vog": {"issued_on": date(2024, 1, 10), "document": "S09-vog"},
                "documents": [{"id": "S09-vog", "type": "vog", "issued_on": date(2024, 1, 10)}],
            }
        )

    out = variant(change)
    assert {f.rule for f in out.findings if f.subject == "staff:S09"} == {"S6-vog"}
    assert problems(out) == set()
    verdicts(out)
    assert "S09" not in one(out, "S7-gekwalificeerd-personeel", lot=JA).evidence


def test_S3_S6_stagiair_with_client_contact_needs_a_vog():
    # Jeugdwet art. 4.1.6: everyone who professionally meets young people, interns included.
    def change(s):
        s["staff"].append(
            {
                "id": "S09",
                "function": "stagiair",
                "employment": "loondienst",
                "lots": [JA],
                "start_date": date(2024, 2, 1),
            }
        )

    out = variant(change)
    check(out, "S6-vog", "niet-voldaan", "herstel", subject="staff:S09")
    assert problems(out) == {("S6-vog", "staff:S09", None, "niet-voldaan", "herstel")}
    verdicts(out, jeugd_ambulant_behandeling="herstel-nodig")
    assert "S09" not in one(out, "S7-gekwalificeerd-personeel", lot=JA).evidence


def test_S3_stagiair_does_not_count_for_S7():
    def change(s):
        drop_staff(s, "S03")
        s["staff"].append(
            worker("S09", [WB], function="stagiair", level="mbo-4", registration=None)
        )

    out = variant(change)
    check(out, "S7-gekwalificeerd-personeel", "niet-voldaan", "herstel", lot=WB)
    verdicts(out, wmo_begeleiding_individueel="herstel-nodig")


# --- S4 diploma level, S5 derived evidence ------------------------------------------------------


@pytest.mark.parametrize(
    "sid, lot, level, ok",
    [
        ("S01", JA, "hbo", True),
        ("S01", JA, "wo-bachelor", True),
        ("S01", JA, "mbo-4", False),
        ("S03", WB, "mbo-4", True),
        ("S03", WB, "hbo", True),
        ("S03", WB, "mbo-3", False),
        ("S05", WD, "mbo-3", True),
        ("S05", WD, "mbo-4", True),
        ("S05", WD, "mbo-2", False),
    ],
)
def test_S4_diploma_level_per_lot(sid, lot, level, ok):
    def change(s):
        add_dagbesteding(s)
        staff(s, sid)["diplomas"][0]["level"] = level

    out = variant(change)
    if ok:
        check(out, "S4-diplomaniveau", "voldaan", subject=f"staff:{sid}", lot=lot)
        assert problems(out) == set(), dump(out)
        verdicts(out)
    else:
        check(out, "S4-diplomaniveau", "niet-voldaan", "herstel", subject=f"staff:{sid}", lot=lot)
        if lot == JA:  # S01 serves both jeugd lots; S02 still qualifies them
            assert problems(out) == {
                ("S4-diplomaniveau", "staff:S01", JA, "niet-voldaan", "herstel"),
                ("S4-diplomaniveau", "staff:S01", JR, "niet-voldaan", "herstel"),
            }
            verdicts(
                out,
                "herstel-nodig",
                wmo_begeleiding_individueel="toegelaten",
                wmo_dagbesteding="toegelaten",
            )
        else:  # the only worker of the lot: S7 fails too
            assert problems(out) == {
                ("S4-diplomaniveau", f"staff:{sid}", lot, "niet-voldaan", "herstel"),
                ("S7-gekwalificeerd-personeel", "provider", lot, "niet-voldaan", "herstel"),
            }
            verdicts(out, **{lot.replace("-", "_"): "herstel-nodig"})


def test_S4_one_worker_two_lots_two_levels():
    # a begeleider with mbo-4 in Wmo individueel and a jeugd lot: ok for Wmo, too low for jeugd
    out = variant(lambda s: staff(s, "S03")["lots"].append(JA))
    check(out, "S4-diplomaniveau", "voldaan", subject="staff:S03", lot=WB)
    check(out, "S4-diplomaniveau", "niet-voldaan", "herstel", subject="staff:S03", lot=JA)
    verdicts(out, jeugd_ambulant_behandeling="herstel-nodig")


def test_S4_diploma_needs_a_document():
    out = variant(lambda s: staff(s, "S03")["diplomas"][0].pop("document"))
    check(out, "S4-diplomaniveau", "niet-voldaan", "herstel", subject="staff:S03", lot=WB)
    verdicts(out, wmo_begeleiding_individueel="herstel-nodig")


def test_S4_ondersteunend_has_no_diploma_requirement():
    out = screen(base())
    assert not [f for f in out.findings if f.subject == "staff:S04"]


@pytest.mark.parametrize(
    "kind",
    ["gz-psycholoog", "psychotherapeut", "klinisch-psycholoog", "klinisch-neuropsycholoog", "arts"],
)
def test_S5_big_registration_implies_the_diploma(kind):
    def change(s):
        m = staff(s, "S02")
        m["diplomas"] = []
        m["registrations"] = [
            {"register": "big", "kind": kind, "valid_until": date(2028, 1, 1), "document": "D24"}
        ]

    out = variant(change)
    for lot in (JA, JR):
        f = check(out, "S4-diplomaniveau", "voldaan", subject="staff:S02", lot=lot)
        assert f.evidence == ("D24",)
    assert not [p for p in problems(out) if p[0] == "S4-diplomaniveau"]


def test_S5_gz_psycholoog_satisfies_S4_and_G1_without_diploma():
    def change(s):
        m = staff(s, "S02")
        m["diplomas"] = []
        m["registrations"] = [
            {
                "register": "big",
                "kind": "gz-psycholoog",
                "valid_until": date(2028, 1, 1),
                "document": "D24",
            }
        ]

    out = variant(change)
    assert problems(out) == set(), dump(out)
    verdicts(out)


@pytest.mark.parametrize("kind", ["verpleegkundige"])
def test_S5_registration_without_implied_diploma_does_not_replace_it(kind):
    def change(s):
        m = staff(s, "S01")
        m["diplomas"] = []
        m["registrations"][0].update(register="big", kind=kind)

    out = variant(change)
    check(out, "S1-registratie", "voldaan", subject="staff:S01", lot=JA)
    check(out, "S4-diplomaniveau", "niet-voldaan", "herstel", subject="staff:S01", lot=JA)


@pytest.mark.parametrize(
    "rule, ground",
    [
        ("E1-verplichte-uitsluitingsgronden", "fraude"),
        ("E3-facultatieve-uitsluitingsgronden", "faillissement"),
    ],
)
def test_E1_a_declared_ground_without_a_date_asks_for_the_date_and_does_not_exclude(rule, ground):
    out = variant(lambda s: decl(s, ground).update(answer=True))
    f = check(out, rule, "onbepaald", "herstel", requirement=ground)
    assert "zonder datum" in f.message and "vonnis" in f.message
    assert "uitgesloten" not in out.lots.values()
    verdicts(out, "herstel-nodig")
    # With a date inside the period the same answer excludes.
    dated = variant(lambda s: decl(s, ground).update(answer=True, event_date=date(2023, 6, 1)))
    check(dated, rule, "niet-voldaan", "uitsluiting", requirement=ground)
    verdicts(dated, "uitgesloten")


def test_E1_an_undated_strafbeschikking_is_still_no_conviction():
    out = variant(lambda s: decl(s, "fraude").update(answer=True, sanction="strafbeschikking"))
    check(out, "E1-verplichte-uitsluitingsgronden", "voldaan", requirement="fraude")
    verdicts(out)


def test_S5_lapsed_registration_still_proves_the_diploma():
    # The lapse is S1's finding; the university master the registration rests on stays proven.
    def change(s):
        m = staff(s, "S02")
        m["diplomas"] = []
        m["registrations"] = [
            {
                "register": "big",
                "kind": "gz-psycholoog",
                "valid_until": date(2024, 1, 1),
                "document": "D24",
            }
        ]

    out = variant(change)
    f = check(out, "S4-diplomaniveau", "voldaan", subject="staff:S02", lot=JA)
    assert "verlopen" in f.message and f.evidence == ("D24",)
    check(out, "S1-registratie", "niet-voldaan", "herstel", subject="staff:S02", lot=JA)
    assert {p[0] for p in problems(out)} >= {"S1-registratie"}
    assert not [p for p in problems(out) if p[0] == "S4-diplomaniveau"]


@pytest.mark.parametrize(
    "register, kind",
    [
        (register, kind)
        for (register, kind), rk in vocabulary().register_kinds.items()
        if rk.implies_diploma
    ],
)
def test_S5_every_register_kind_that_implies_a_diploma_proves_it_lapsed_or_not(register, kind):
    for valid_until in (date(2027, 1, 1), date(2024, 1, 1)):

        def change(s, valid_until=valid_until):
            m = staff(s, "S01")
            m["diplomas"] = []
            m["registrations"] = [
                {"register": register, "kind": kind, "valid_until": valid_until, "document": "D21"}
            ]

        out = variant(change)
        check(out, "S4-diplomaniveau", "voldaan", subject="staff:S01", lot=JA)


# --- S6 VOG -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "issued, ok",
    [
        (date(2021, 10, 1), True),  # exactly 3 months before start 2022-01-01
        (date(2021, 9, 30), False),  # 3 months and a day
    ],
)
def test_S6_vog_at_most_3_months_before_start(issued, ok):
    out = variant(lambda s: staff(s, "S01")["vog"].update(issued_on=issued))
    if ok:
        check(out, "S6-vog", "voldaan", subject="staff:S01")
        verdicts(out)
    else:
        f = check(out, "S6-vog", "niet-voldaan", "herstel", subject="staff:S01")
        assert f.evidence == ("D22",)
        assert problems(out) == {("S6-vog", "staff:S01", None, "niet-voldaan", "herstel")}
        # a staff finding counts for the lots the staff member serves
        verdicts(out, "herstel-nodig", wmo_begeleiding_individueel="toegelaten")


def test_S6_vog_missing():
    out = variant(lambda s: staff(s, "S03").pop("vog"))
    check(out, "S6-vog", "niet-voldaan", "herstel", subject="staff:S03")
    check(out, "S7-gekwalificeerd-personeel", "niet-voldaan", "herstel", lot=WB)
    verdicts(out, wmo_begeleiding_individueel="herstel-nodig")


def test_S6_vog_without_start_date_cannot_be_checked():
    out = variant(lambda s: staff(s, "S03").pop("start_date"))
    check(out, "S6-vog", "niet-voldaan", "herstel", subject="staff:S03")


@pytest.mark.parametrize("client_contact, required", [(False, False), (None, False), (True, True)])
def test_S6_ondersteunend_only_with_client_contact(client_contact, required):
    def change(s):
        m = staff(s, "S04")
        m.pop("client_contact")
        if client_contact is not None:
            m["client_contact"] = client_contact

    out = variant(change)
    if required:
        check(out, "S6-vog", "niet-voldaan", "herstel", subject="staff:S04")
        verdicts(out, jeugd_wonen_verblijf_residentieel="herstel-nodig")
    else:
        absent(out, "S6-vog", subject="staff:S04")
        verdicts(out)


def test_S6_care_worker_always_needs_a_vog_even_if_marked_without_client_contact():
    def change(s):
        drop_staff(s, "S03")
        s["staff"].append(
            {
                "id": "S08",
                "function": "begeleider",
                "employment": "loondienst",
                "lots": [WB],
                "client_contact": False,
                "start_date": date(2023, 1, 1),
                "diplomas": [{"level": "mbo-4", "field": "overig", "document": "S08-dip"}],
                "documents": [{"id": "S08-dip", "type": "diploma", "issued_on": date(2019, 6, 30)}],
            }
        )

    out = variant(change)
    check(out, "S6-vog", "niet-voldaan", "herstel", subject="staff:S08")
    check(out, "S7-gekwalificeerd-personeel", "niet-voldaan", "herstel", lot=WB)
    verdicts(out, wmo_begeleiding_individueel="herstel-nodig")


@pytest.mark.parametrize(
    "issued, ok",
    [
        (date(2021, 4, 2), True),  # exactly 36 months before submission
        (date(2021, 4, 1), False),  # 36 months and a day
    ],
)
def test_S6_vog_zelfstandige_at_most_36_months(issued, ok):
    def change(s):
        wmo_zelfstandige(s)
        s["staff"][0]["vog"]["issued_on"] = issued
        s["staff"][0]["start_date"] = date(2021, 5, 1)

    out = variant(change)
    absent(out, "S6-vog")
    if ok:
        check(out, "S6-vog-zelfstandige", "voldaan", subject="staff:S03")
        verdicts(out)
    else:
        check(out, "S6-vog-zelfstandige", "niet-voldaan", "herstel", subject="staff:S03")
        verdicts(out, "herstel-nodig")


@pytest.mark.parametrize(
    "employees, employment, rule",
    [
        (0, "zzp", "S6-vog-zelfstandige"),  # the zelfstandige herself: VOG age at submission
        (0, "inhuur", "S6-vog"),  # someone she hires in: the ordinary rule
        (0, "loondienst", "S6-vog"),
        (1, "zzp", "S6-vog-zzp"),  # a zzp'er at a provider with employees: ordinary rule
        (1, "loondienst", "S6-vog"),
    ],
)
def test_S6_which_vog_rule_by_employees_and_employment(employees, employment, rule):
    def change(s):
        no_employees(s)
        s["provider"]["employees"] = employees
        m = staff(s, "S03")
        m["employment"] = employment
        m["start_date"] = date(2023, 9, 1)
        m["vog"]["issued_on"] = date(2021, 2, 1)  # 31 months before start, 38 months old

    out = variant(change)
    vog_rules = {
        f.rule for f in out.findings if f.subject == "staff:S03" and f.requirement == "vog"
    }
    assert vog_rules == {rule}
    check(out, rule, "niet-voldaan", "herstel", subject="staff:S03")
    verdicts(out, wmo_begeleiding_individueel="herstel-nodig")


def test_S6_employer_rule_ignores_vog_age_at_submission():
    # S02's VOG is 50 months old at submission but 1 month before the start date
    out = screen(base())
    check(out, "S6-vog", "voldaan", subject="staff:S02")
    absent(out, "S6-vog-zelfstandige")


# --- S7 qualified staff per lot ------------------------------------------------------------------


def test_S7_lot_without_staff_is_herstel():
    out = variant(lambda s: drop_staff(s, "S03"))
    check(out, "S7-gekwalificeerd-personeel", "niet-voldaan", "herstel", lot=WB)
    assert problems(out) == {
        ("S7-gekwalificeerd-personeel", "provider", WB, "niet-voldaan", "herstel")
    }
    verdicts(out, wmo_begeleiding_individueel="herstel-nodig")


def test_S7_counts_qualified_staff_per_lot():
    out = screen(base())
    assert check(out, "S7-gekwalificeerd-personeel", "voldaan", lot=JA).evidence == ("S01", "S02")
    assert check(out, "S7-gekwalificeerd-personeel", "voldaan", lot=WB).evidence == ("S03",)


def test_S7_unqualified_worker_does_not_count():
    def change(s):
        staff(s, "S02")["lots"] = [JR]
        staff(s, "S01")["lots"] = [JA]
        staff(s, "S01")["diplomas"][0]["level"] = "mbo-4"
        s["recruiting_gedragswetenschapper"] = True

    out = variant(change)
    check(out, "S7-gekwalificeerd-personeel", "niet-voldaan", "herstel", lot=JA)
    check(out, "S7-gekwalificeerd-personeel", "voldaan", lot=JR)


# --- G1-G3 gedragswetenschapper ----------------------------------------------------------------


@pytest.mark.parametrize(
    "register, kind",
    [
        ("big", "gz-psycholoog"),
        ("big", "psychotherapeut"),
        ("big", "klinisch-psycholoog"),
        ("big", "klinisch-neuropsycholoog"),
        ("skj", "kinder-en-jeugdpsycholoog"),
        ("skj", "orthopedagoog-generalist"),
    ],
)
def test_G1_qualifying_registrations_postmaster(register, kind):
    out = variant(
        lambda s: staff(s, "S02")["registrations"][0].update(register=register, kind=kind)
    )
    for lot in (JA, JR):
        f = check(out, "G1-gedragswetenschapper", "voldaan", lot=lot)
        assert f.evidence == ("D24",)
    assert problems(out) == set()
    verdicts(out)


@pytest.mark.parametrize(
    "register, kind, ok",
    [
        ("skj", "jeugd-en-gezinsprofessional-master", True),
        ("big", "arts", False),  # master level, but not a qualifying registration
        ("big", "verpleegkundige", False),
        ("skj", "jeugd-en-gezinsprofessional-hbo", False),
    ],
)
def test_G1_qualifying_registrations_master_lot(register, kind, ok):
    def change(s):
        only_lot(s, JB)
        staff(s, "S02")["registrations"][0].update(register=register, kind=kind)

    out = variant(change)
    if ok:
        check(out, "G1-gedragswetenschapper", "voldaan", lot=JB)
        verdicts(out)
    else:
        check(out, "G1-gedragswetenschapper", "niet-voldaan", "herstel", lot=JB)
        verdicts(out, "herstel-nodig")


def test_G1_only_function_gedragswetenschapper_counts():
    def change(s):
        staff(s, "S02")["function"] = "jeugdhulpverlener"

    out = variant(change)
    check(out, "G1-gedragswetenschapper", "niet-voldaan", "herstel", lot=JA)


def test_G1_expired_registration_does_not_count():
    out = variant(
        lambda s: staff(s, "S02")["registrations"][0].update(valid_until=date(2024, 4, 1))
    )
    check(out, "G1-gedragswetenschapper", "niet-voldaan", "herstel", lot=JA)
    check(out, "G1-gedragswetenschapper", "niet-voldaan", "herstel", lot=JR)


POSTMASTER_LOTS = [JA, JR, "jeugd-crisis", "jeugd-advies-expertise"]
MASTER_LOTS = [JB, GH]


@pytest.mark.parametrize("lot", POSTMASTER_LOTS + MASTER_LOTS)
@pytest.mark.parametrize(
    "kind, level",
    [("jeugd-en-gezinsprofessional-master", "master"), ("orthopedagoog-generalist", "postmaster")],
)
def test_G2_required_level_per_lot(lot, kind, level):
    def change(s):
        only_lot(s, lot)
        staff(s, "S02")["registrations"][0]["kind"] = kind

    out = variant(change)
    ok = level == "postmaster" or lot in MASTER_LOTS
    if ok:
        check(out, "G1-gedragswetenschapper", "voldaan", lot=lot)
        assert problems(out) == set(), dump(out)
        verdicts(out)
    else:
        f = check(out, "G1-gedragswetenschapper", "niet-voldaan", "herstel", lot=lot)
        assert "postmaster" in f.message
        assert problems(out) == {
            ("G1-gedragswetenschapper", "provider", lot, "niet-voldaan", "herstel")
        }
        verdicts(out, "herstel-nodig")


def test_G2_none_for_wmo_lots():
    def change(s):
        add_dagbesteding(s)

    out = variant(change)
    assert {f.lot for f in matching(out, "G1-gedragswetenschapper")} == {JA, JR}
    out = variant(wmo_zelfstandige)
    absent(out, "G1-gedragswetenschapper")


@pytest.mark.parametrize("employment", ["loondienst", "inhuur", "zzp"])
def test_G3_employed_or_hired(employment):
    # the rule set counts a hired zzp'er as inhuur (employment: [loondienst, inhuur, zzp])
    out = variant(lambda s: staff(s, "S02").update(employment=employment))
    for lot in (JA, JR):
        check(out, "G1-gedragswetenschapper", "voldaan", lot=lot)
    verdicts(out)


def test_G3_missing_is_herstel():
    out = variant(lambda s: drop_staff(s, "S02"))
    for lot in (JA, JR):
        check(out, "G1-gedragswetenschapper", "niet-voldaan", "herstel", lot=lot)
    assert problems(out) == {
        ("G1-gedragswetenschapper", "provider", JA, "niet-voldaan", "herstel"),
        ("G1-gedragswetenschapper", "provider", JR, "niet-voldaan", "herstel"),
    }
    verdicts(out, "herstel-nodig", wmo_begeleiding_individueel="toegelaten")


def test_G3_recruiting_is_voorwaardelijk_due_contract_start():
    def change(s):
        drop_staff(s, "S02")
        s["recruiting_gedragswetenschapper"] = True

    out = variant(change)
    for lot in (JA, JR):
        check(
            out,
            "G1-gedragswetenschapper",
            "niet-voldaan",
            "voorwaardelijk",
            lot=lot,
            due=CONTRACT_START,
        )
    verdicts(out, "toegelaten-onder-voorwaarden", wmo_begeleiding_individueel="toegelaten")


def test_G3_recruiting_flag_irrelevant_when_present():
    out = variant(lambda s: s.update(recruiting_gedragswetenschapper=True))
    check(out, "G1-gedragswetenschapper", "voldaan", lot=JA)
    verdicts(out)


# --- R. risk analysis ----------------------------------------------------------------------------


def risk(s: dict[str, Any], **values: Any) -> None:
    s["provider"]["risk"].update(values)


@pytest.mark.parametrize(
    "rule, change, signal",
    [
        ("R2-personeelskosten", lambda s: risk(s, personnel_costs=400000), False),  # exactly 40%
        ("R2-personeelskosten", lambda s: risk(s, personnel_costs=399999), True),  # below 40%
        ("R2-winstmarge", lambda s: risk(s, profit=150000), False),  # exactly 15%
        ("R2-winstmarge", lambda s: risk(s, profit=150001), True),  # above 15%
        (
            "R2-bestuur-zonder-zorgachtergrond",
            lambda s: s["provider"]["board"][1].update(care_background=False),
            True,
        ),
        ("R2-belangen-zorgbedrijven", lambda s: risk(s, interests_in_care_companies=1), True),
        ("R2-vastgoed-bestuurder", lambda s: risk(s, real_estate_rented_from_board=True), True),
        (
            "R2-omvang-rechtsvorm",
            lambda s: s["provider"].update(legal_form="eenmanszaak", fte=10.0),
            False,
        ),
        (
            "R2-omvang-rechtsvorm",
            lambda s: s["provider"].update(legal_form="eenmanszaak", fte=10.5),
            True,
        ),
        ("R2-omvang-rechtsvorm", lambda s: s["provider"].update(legal_form="vof", fte=10.0), False),
        ("R2-omvang-rechtsvorm", lambda s: s["provider"].update(legal_form="vof", fte=10.5), True),
    ],
)
def test_R2_indicator_thresholds(rule, change, signal):
    out = variant(change)
    if signal:
        check(out, rule, "niet-voldaan", "signaal", requirement="risico")
        assert out.risk == "oranje"
    else:
        check(out, rule, "voldaan", requirement="risico")
        assert out.risk == "groen"
    verdicts(out)  # a signal never changes the verdict


@pytest.mark.parametrize(
    "legal_form", ["maatschap", "bv", "nv", "stichting", "vereniging", "cooperatie"]
)
def test_R2_size_indicator_only_for_eenmanszaak_and_vof(legal_form):
    out = variant(lambda s: s["provider"].update(legal_form=legal_form, fte=50.0))
    absent(out, "R2-omvang-rechtsvorm")
    assert out.risk == "groen"


def zelfstandige(s: dict[str, Any], legal_form: str = "eenmanszaak") -> None:
    """The base case as a one-person practice: no employees, the owner works as zzp in Wmo."""
    s["provider"].update(legal_form=legal_form, employees=0, fte=1.0)
    s["lots"] = [{"lot": WB, "role": "hoofdaannemer"}]
    s["locations"] = []
    s["staff"] = [staff(s, "S03")]
    s["staff"][0].update(employment="zzp")
    s["staff"][0]["vog"]["issued_on"] = date(2023, 1, 1)
    s["documents"] = [
        d
        for d in s["documents"]
        if d["type"]
        not in (
            "ubo-uittreksel",
            "jaarrekening",
            "rie",
            "noodplan",
            "igj-melding",
            "kwaliteitssysteem",
        )
    ]


@pytest.mark.parametrize("legal_form", ["eenmanszaak", "bv"])
def test_R2_personnel_costs_and_margin_do_not_apply_to_a_zelfstandige_without_employees(legal_form):
    def change(s):
        zelfstandige(s, legal_form)
        s["provider"]["risk"] = {"turnover": 80000, "personnel_costs": 0, "profit": 50000}

    out = variant(change)
    for rule in ("R2-personeelskosten", "R2-winstmarge"):
        absent(out, rule)
        [na] = [n for n in out.not_applicable if n.rule == rule]
        assert "geen personeel in loondienst" in na.reason
    assert out.risk != "oranje"


def test_R2_zelfstandige_without_risk_data_gets_a_light_that_names_what_was_judged():
    def change(s):
        zelfstandige(s)
        s["provider"].pop("risk")

    out = variant(change)
    absent(out, "R2-personeelskosten")
    absent(out, "R2-winstmarge")
    light = check(out, "R3-risicolicht", "onbepaald", "signaal")
    assert out.risk == "onbepaald"
    assert "Bestuurders zonder zorgachtergrond" in light.message  # judged
    assert "Belangen in andere zorgbedrijven" in light.message.split("niet te bepalen:")[1]
    assert "Personeelskosten" not in light.message and "Winstmarge" not in light.message


def test_R2_a_bv_with_employees_that_crosses_them_still_gets_both_signals():
    out = variant(lambda s: risk(s, personnel_costs=300000, profit=200000))
    check(out, "R2-personeelskosten", "niet-voldaan", "signaal")
    check(out, "R2-winstmarge", "niet-voldaan", "signaal")
    assert out.risk == "oranje"


def test_R2_missing_inputs_are_onbepaald_signal():
    out = variant(lambda s: s["provider"].pop("risk"))
    for rule in (
        "R2-personeelskosten",
        "R2-winstmarge",
        "R2-belangen-zorgbedrijven",
        "R2-vastgoed-bestuurder",
    ):
        check(out, rule, "onbepaald", "signaal")
    # R3: undetermined indicators never give a plain groen
    assert out.risk == "onbepaald"
    light = check(out, "R3-risicolicht", "onbepaald", "signaal")
    assert "niet te bepalen" in light.message and "Winstmarge hoger dan 15%" in light.message
    verdicts(out)


SIGNALS = [
    lambda s: risk(s, personnel_costs=300000),
    lambda s: risk(s, profit=200000),
    lambda s: risk(s, interests_in_care_companies=2),
    lambda s: risk(s, real_estate_rented_from_board=True),
    lambda s: s["provider"]["board"][0].update(care_background=False),
]


@pytest.mark.parametrize(
    "count, light",
    [(0, "groen"), (1, "oranje"), (2, "oranje"), (3, "rood"), (4, "rood"), (5, "rood")],
)
def test_R3_traffic_light(count, light):
    def change(s):
        for signal in SIGNALS[:count]:
            signal(s)

    out = variant(change)
    assert out.risk == light
    f = one(out, "R3-risicolicht")
    if light == "groen":
        assert (f.status, f.outcome) == ("voldaan", None)
    else:
        assert (f.status, f.outcome) == ("niet-voldaan", "signaal")
    assert light in f.message
    verdicts(out)  # R1: never an exclusion


def test_R3_light_for_size_indicator():
    def change(s):
        s["provider"].update(legal_form="vof", fte=25.0)
        risk(s, profit=300000, personnel_costs=100000)

    out = variant(change)
    assert out.risk == "rood"
    verdicts(out)


# --- V. verdict per lot ----------------------------------------------------------------------------


def test_V_ladder_herstel_outranks_beoordeling_and_voorwaardelijk():
    def change(s):
        drop_doc(s, "privacyreglement")  # herstel, provider-wide
        doc(s, "meldcode").pop("assessment")  # beoordeling, provider-wide
        s["locations"] = []  # voorwaardelijk, JR

    out = variant(change)
    verdicts(out, "herstel-nodig")


def test_V_ladder_beoordeling_outranks_voorwaardelijk():
    def change(s):
        doc(s, "meldcode").pop("assessment")
        s["locations"] = []

    out = variant(change)
    verdicts(out, "in-beoordeling")


def test_V_ladder_per_lot():
    def change(s):
        s["locations"] = []  # voorwaardelijk, JR only
        staff(s, "S03").pop("vog")  # herstel, S03's lot only

    out = variant(change)
    verdicts(
        out,
        jeugd_wonen_verblijf_residentieel="toegelaten-onder-voorwaarden",
        wmo_begeleiding_individueel="herstel-nodig",
    )


def test_V_withdrawn_lot_is_ingetrokken_and_its_findings_do_not_count():
    def change(s):
        next(r for r in s["lots"] if r["lot"] == JR)["withdrawn"] = True
        s["locations"] = []
        drop_doc(s, "kwaliteitssysteem")

    out = variant(change)
    absent(out, "L1-locatie")
    absent(out, "Q10-kwaliteitssysteem")
    assert problems(out) == set(), dump(out)
    verdicts(out, jeugd_wonen_verblijf_residentieel="ingetrokken")


def test_V_withdrawn_lot_with_open_findings_elsewhere():
    def change(s):
        next(r for r in s["lots"] if r["lot"] == WB)["withdrawn"] = True
        drop_doc(s, "kvk-uittreksel")

    out = variant(change)
    verdicts(out, "herstel-nodig", wmo_begeleiding_individueel="ingetrokken")


def test_V_signals_never_change_the_verdict():
    def change(s):
        s["bibob"] = {"status": "afgerond", "outcome": "mindere-mate-gevaar"}
        for signal in SIGNALS:
            signal(s)
        s["provider"].update(legal_form="vof", fte=30.0)
        drop_doc(s, "jaarrekening")  # not required for a vof

    out = variant(change)
    assert out.risk == "rood"
    assert problems(out) and all(p[4] == "signaal" for p in problems(out)), dump(out)
    verdicts(out)


def test_V_signal_does_not_mask_other_outcomes():
    def change(s):
        s["bibob"] = {"status": "afgerond", "outcome": "mindere-mate-gevaar"}
        s["locations"] = []

    out = variant(change)
    verdicts(out, jeugd_wonen_verblijf_residentieel="toegelaten-onder-voorwaarden")


def test_V_every_registered_lot_gets_a_verdict():
    out = variant(add_dagbesteding)
    assert set(out.lots) == {JA, JR, WB, WD}
    verdicts(out)


# --- procedures and rule-set versions ------------------------------------------------------------


def test_unknown_procedure_is_refused_naming_the_known_ones():
    data = base()
    sub(data)["procedure"] = "inkoop-2099"
    with pytest.raises(CaseError) as exc:
        screen(data)
    assert (
        "inkoop-2025" in exc.value.message and "tussentijdse-toetreding-2026-1" in exc.value.message
    )


def test_version_is_picked_by_as_of_date():
    out = screen(base(), as_of=date(2025, 12, 31))
    assert out.ruleset_id == "kit-2025"
    data = in_2026(base())
    assert screen(data).ruleset_id == "kit-2026"
