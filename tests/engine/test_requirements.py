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

from kit.case.checks import parse_case
from kit.screening.screen import ScreeningOutcome, screen_case
from kit.vocab.vocabulary import vocabulary

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "base_case.yaml"
BASE: dict[str, Any] = yaml.safe_load(FIXTURE.read_text(encoding="utf-8"))

SUBMITTED = date(2024, 4, 2)
JA = "jeugd-ambulant-behandeling"
JR = "jeugd-wonen-verblijf-residentieel"
WB = "wmo-begeleiding-individueel"
WD = "wmo-dagbesteding"
ALL_BASE_LOTS = (JA, JR, WB)


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
    def key(o):
        return sorted(
            (f.rule, f.requirement, f.subject, f.lot or "", f.item or "", f.status)
            for f in o.findings
        )

    assert key(out) == key(screen(base()))


# --- E1 mandatory grounds ------------------------------------------------------------------


# --- E2 taxes and premiums -----------------------------------------------------------------


# --- E3 optional grounds -------------------------------------------------------------------


# --- E4 self-cleaning ------------------------------------------------------------------------


# --- E5 Bibob ----------------------------------------------------------------------------------


# --- E6 self-declaration -------------------------------------------------------------------


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


def test_O6_closed_years_is_rule_data():
    from kit.kinds.rulesets import shipped_rulesets

    assert shipped_rulesets()["kit-2025"].rule("O6-jaarrekening").closed_years == 2


# --- Q1-Q3 content-reviewed documents --------------------------------------------------------


# --- Q5 RI&E only with employees ---------------------------------------------------------------


# --- Q6 noodplan with employees or a residential lot -----------------------------------------


# --- Q7 clientenraad (Wmcz) ------------------------------------------------------------------

# the base case has 2 care workers (S01, S02) in the residential lot and in the ambulant lot


# --- Q8 IGJ-melding only for jeugd -----------------------------------------------------------


# --- Q9 raad van toezicht (kit-2026) ---------------------------------------------------------


# --- Q10 kwaliteitssysteem, keurmerk gezinshuizen --------------------------------------------


# --- Q11 comply or explain -----------------------------------------------------------------


# --- L. locations ------------------------------------------------------------------------------


# --- S1 registration ---------------------------------------------------------------------------


# --- S2 EVC ------------------------------------------------------------------------------------


def test_S2_evc_providers_are_rule_data():
    from kit.kinds.rulesets import shipped_rulesets

    assert (
        "EVC-centrum Oost" in shipped_rulesets()["kit-2025"].rule("S4-diplomaniveau").evc_providers
    )


# --- S3 stagiair -----------------------------------------------------------------------------


# --- S4 diploma level, S5 derived evidence ------------------------------------------------------


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


# --- S7 qualified staff per lot ------------------------------------------------------------------


# --- G1-G3 gedragswetenschapper ----------------------------------------------------------------


# --- R. risk analysis ----------------------------------------------------------------------------


def risk(s: dict[str, Any], **values: Any) -> None:
    s["provider"]["risk"].update(values)


# --- V. verdict per lot ---


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


def test_V_every_registered_lot_gets_a_verdict():
    out = variant(add_dagbesteding)
    assert set(out.lots) == {JA, JR, WB, WD}
    verdicts(out)


# --- procedures and rule-set versions ------------------------------------------------------------
