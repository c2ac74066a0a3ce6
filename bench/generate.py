"""A synthetic region of KIT submissions, deterministic per seed, shaped like the 2024 screening.

    python bench/generate.py --providers 1000 --seed 7 --out region.jsonl

Each case is a plain dict in the case format (spec/case-format.md) that kit.case.checks.parse_case
accepts. The shape follows the region's own evaluation of 2024 (shared/domain.md): about 70%
of providers bid for an ambulant youth lot, 20% for a residential one, half for a Wmo lot; one
third are subcontractors; sizes from a self-employed professional to a large foundation with
60 staff on the lots; and deficiencies at the rates the evaluation names (about 60% of
calamities protocols insufficient or absent, diplomas below the lot's level, missing
behavioural scientists, locations without the right zoning, old VOGs, EVC trajectories, open
Bibob investigations, a few exclusion grounds). The rates live in RATES below.

`defects` (0..1) pulls every rate towards 50%: the differential test uses it to reach rare
branches often; the benchmark uses the 2024 rates (defects=0).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

from kit.case.checks import KIT_ONLY

# Probabilities of the 2024 screening (shared/domain.md) and reasoned defaults where the
# evaluation gives no number. Each is the chance of the named thing, per provider, document
# or staff member as the name says.
RATES: dict[str, float] = {
    # lots
    "ambulant": 0.70,
    "residential": 0.20,
    "wmo": 0.50,
    "advies": 0.08,
    "onderaannemer": 1 / 3,
    "withdrawn_lot": 0.03,
    # exclusion grounds, self-declaration, Bibob
    "declaration_missing": 0.04,
    "ground_declared": 0.04,
    "declared_by_board": 0.4,
    "strafbeschikking": 0.3,
    "self_cleaning": 0.4,
    "paid_or_arranged": 0.7,
    "no_event_date": 0.15,
    "bibob_open": 0.06,
    "bibob_not_started": 0.02,
    "bibob_missing": 0.01,
    "bibob_minor": 0.03,
    "bibob_serious": 0.006,
    "bibob_open_with_outcome": 0.01,
    # organisation documents
    "org_doc_missing": 0.03,
    "org_doc_too_old": 0.05,
    "doc_expired": 0.02,
    "bibob_form_incomplete": 0.06,
    # quality documents: about 60% of calamities protocols insufficient or absent
    "calamity_missing": 0.08,
    "calamity_insufficient": 0.50,
    "calamity_unjudged": 0.15,
    "quality_missing": 0.05,
    "quality_insufficient": 0.15,
    "quality_unjudged": 0.10,
    "rie_missing": 0.15,
    "rie_insufficient": 0.20,
    "explanation": 0.35,
    "explanation_decided": 0.3,
    "kwaliteitssysteem_missing": 0.15,
    "keurmerk": 0.5,
    "igj_missing": 0.08,
    "council_missing": 0.15,
    "note_with_braces": 0.02,
    # locations
    "no_location": 0.12,
    "no_zoning": 0.08,
    "zoning_unknown": 0.07,
    "location_doc_missing": 0.12,
    # staff
    "diploma_too_low": 0.06,
    "no_diploma": 0.02,
    "diploma_undocumented": 0.03,
    "registration_missing": 0.05,
    "registration_expired": 0.03,
    "big_without_diploma": 0.1,
    "vog_missing": 0.03,
    "vog_too_old": 0.06,
    "vog_after_start": 0.02,
    "owner_unmarked": 0.03,
    "registration_by_date": 0.2,
    "registration_undated": 0.02,
    "no_start_date": 0.02,
    "evc": 0.06,
    "evc_done": 0.02,
    "no_gedragswetenschapper": 0.15,
    "recruiting": 0.5,
    "gw_not_declarable": 0.05,
    "support_staff": 0.08,
    "intern": 0.05,
    "staff_docs_top_level": 0.3,
    # the same evidence more than once, in the case file's own ways (the engine's hit policy)
    "second_copy": 0.05,
    "second_diploma": 0.05,
    "second_registration": 0.04,
    "declared_twice": 0.01,
    "explained_anyway": 0.05,
    # M2 reuse needs an earlier screening in the store: only in defective (differential) cases
    "reused_document": 0.0,
    # risk analysis
    "risk_missing": 0.12,
    "risk_field_missing": 0.03,
    "low_personnel_costs": 0.10,
    "high_profit": 0.08,
    "interests": 0.06,
    "real_estate": 0.04,
    "board_no_care": 0.05,
    "board_unknown": 0.06,
    # what kit records or a later round brings: dates after the screening, documents that arrived
    # later, a jaarrekening of the wrong year, EVC certificates, decisions already taken
    "doc_future": 0.005,
    "received_later": 0.01,
    "staff_received_later": 0.01,
    "year_wrong": 0.03,
    "evc_certificate": 0.6,
    "evc_provider_unknown": 0.2,
    "evc_judged": 0.2,
    "self_cleaning_decided": 0.2,
    "note_shared": 0.3,
}

SIZES = [("zelfstandige", 0.25), ("klein", 0.35), ("middel", 0.25), ("groot", 0.15)]
MANDATORY = [
    "criminele-organisatie",
    "omkoping",
    "fraude",
    "terrorisme",
    "witwassen",
    "kinderarbeid-mensenhandel",
    "belastingen-premies",
]
OPTIONAL = [
    "faillissement",
    "ernstige-beroepsfout",
    "valse-verklaringen",
    "aanzienlijke-tekortkomingen",
]
OTHER = ["belangenconflict", "vervalsing-mededinging"]
AMBULANT = ["jeugd-ambulant-begeleiding", "jeugd-ambulant-behandeling"]
RESIDENTIAL = [
    "jeugd-wonen-verblijf-gezinshuis",
    "jeugd-wonen-verblijf-residentieel",
    "jeugd-crisis",
]
WMO = ["wmo-begeleiding-individueel", "wmo-dagbesteding"]
NEEDS_LOCATION = set(RESIDENTIAL) | {"wmo-dagbesteding"}
GW_KINDS = [
    ("skj", "jeugd-en-gezinsprofessional-master", 15),
    ("skj", "orthopedagoog-generalist", 35),
    ("skj", "kinder-en-jeugdpsycholoog", 20),
    ("big", "gz-psycholoog", 25),
    ("big", "psychotherapeut", 5),
]
PERIODS = {  # submission windows: the 2024 procurement (kit-2025) and mid-term entry (kit-2026)
    "2025": ("inkoop-2025", date(2024, 4, 2), 60),
    "2026": ("tussentijdse-toetreding-2026-1", date(2026, 1, 5), 70),
}
NOTES = [
    "Geen meldprocedure richting IGJ beschreven",
    "Rollen en verantwoordelijkheden ontbreken",
    "Verouderde versie, verwijst naar oude wetgeving",
    "Geen evaluatie na een calamiteit",
]
EVC_PROVIDERS = ["EVC-centrum Oost", "EVC Centrum Twente", "Stichting EVC Zorg en Welzijn"]


class Gen:
    """One case: a seeded random source, the rates, and the running document numbering."""

    def __init__(self, seed: int, defects: float):
        self.r = random.Random(seed)
        self.rates = {k: v + (0.5 - v) * defects for k, v in RATES.items()}
        self.docs = 0

    def p(self, name: str) -> bool:
        return self.r.random() < self.rates[name]

    def pick(self, options: list[Any], weights: list[float] | None = None) -> Any:
        return self.r.choices(options, weights)[0]

    def day(self, base: date, low: int, high: int) -> str:
        return (base + timedelta(days=self.r.randint(low, high))).isoformat()

    def doc(self, kind: str, issued: str | None, **extra: Any) -> dict[str, Any]:
        self.docs += 1
        out: dict[str, Any] = {
            "id": f"D{self.docs:03d}",
            "type": kind,
            "issued_on": issued,
            **extra,
        }
        return out

    def dated(
        self, kind: str, submitted: date, max_months: int | None, **extra: Any
    ) -> dict[str, Any]:
        """A document of `kind`, recent enough with the usual chance, and rarely expired."""
        if max_months and self.p("org_doc_too_old"):
            issued = self.day(submitted, -30 * (max_months + 8), -30 * max_months - 5)
        else:
            issued = self.day(submitted, -30 * max_months + 5 if max_months else -1500, -3)
        if self.p("doc_future"):
            issued = self.day(submitted, 1, 200)
        if self.p("doc_expired"):
            extra["valid_until"] = self.day(submitted, -200, -1)
        if self.p("received_later"):
            extra["received_on"] = self.day(submitted, 1, 300)
        return self.doc(kind, issued, **extra)

    def judged(
        self, kind: str, submitted: date, missing: str, insufficient: str, unjudged: str
    ) -> list[dict[str, Any]]:
        if self.p(missing):
            return []
        if self.p(insufficient):
            note = self.pick(NOTES) + (" {zie bijlage" if self.p("note_with_braces") else "")
            shared = {"assessment_shared": True} if self.p("note_shared") else {}
            return [
                self.dated(
                    kind, submitted, None, assessment="onvoldoende", assessment_note=note, **shared
                )
            ]
        return [
            self.dated(
                kind, submitted, None, **({} if self.p(unjudged) else {"assessment": "voldoende"})
            )
        ]


def _size(g: Gen) -> tuple[str, str, float, int, int]:
    """(size class, legal form, fte, employees, staff on the lots)."""
    size = g.pick([s for s, _ in SIZES], [w for _, w in SIZES])
    if size == "zelfstandige":
        return size, g.pick(["eenmanszaak", "bv"], [0.85, 0.15]), 1.0, 0, 1
    if size == "klein":
        fte = round(g.r.uniform(2, 10), 1)
        form = g.pick(
            ["eenmanszaak", "vof", "maatschap", "bv", "stichting"], [0.2, 0.15, 0.05, 0.35, 0.25]
        )
        if form in ("eenmanszaak", "vof") and g.r.random() < 0.1:
            fte = round(g.r.uniform(10.5, 14), 1)  # R2: a one-man business or vof above 10 fte
        return size, form, fte, max(1, round(fte * g.r.uniform(1.0, 1.5))), g.r.randint(2, 10)
    if size == "middel":
        fte = round(g.r.uniform(11, 25), 1)
        form = g.pick(["bv", "stichting", "cooperatie", "vereniging"], [0.45, 0.45, 0.05, 0.05])
        return size, form, fte, round(fte * g.r.uniform(1.1, 1.5)), g.r.randint(8, 25)
    fte = round(g.r.uniform(26, 140), 1)
    form = g.pick(["bv", "stichting", "nv", "cooperatie"], [0.35, 0.55, 0.05, 0.05])
    return size, form, fte, round(fte * g.r.uniform(1.1, 1.4)), g.r.randint(20, 60)


def _lots(g: Gen, size: str) -> list[str]:
    lots: list[str] = []
    if g.p("ambulant"):
        lots += g.r.sample(AMBULANT, g.pick([1, 2], [0.6, 0.4]))
    if g.p("residential") and (size != "zelfstandige" or g.r.random() < 0.3):
        lots += (
            ["jeugd-wonen-verblijf-gezinshuis"]
            if size == "zelfstandige"
            else g.r.sample(RESIDENTIAL, g.pick([1, 2], [0.7, 0.3]))
        )
    if g.p("wmo"):
        lots += [
            lot for lot, chance in zip(WMO, (0.8, 0.45), strict=True) if g.r.random() < chance
        ] or ["wmo-begeleiding-individueel"]
    if g.p("advies"):
        lots.append("jeugd-advies-expertise")
    return lots or [g.pick(["jeugd-ambulant-begeleiding", "wmo-begeleiding-individueel"])]


def _declarations(
    g: Gen, submitted: date, board: list[dict[str, Any]], grounds: list[str]
) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for ground in grounds:
        if g.p("declaration_missing") and g.r.random() < 0.3:
            continue
        decl: dict[str, Any] = {"ground": ground, "answer": False}
        if g.p("ground_declared") and g.r.random() < 0.25:
            decl["answer"] = True
            if not g.p("no_event_date"):
                decl["event_date"] = g.day(submitted, -365 * 8, -30)
            if ground in MANDATORY and ground != "belastingen-premies" and g.p("strafbeschikking"):
                decl["sanction"] = "strafbeschikking"
            if ground == "belastingen-premies":
                decl["paid_or_arranged"] = g.p("paid_or_arranged")
            if board and g.p("declared_by_board"):
                decl["board_member"] = g.pick(board)["id"]
            if g.p("self_cleaning"):
                decl["self_cleaning"] = "Bestuur vervangen, interne controle versterkt"
                if g.p("self_cleaning_decided"):
                    decl["self_cleaning_decision"] = g.pick(["voldoende", "onvoldoende"])
                    decl["self_cleaning_note"] = "Oordeel toezicht"
        out.append(decl)
    if out and g.p("declared_twice"):
        again = dict(g.pick(out))
        again["answer"] = not again["answer"]
        if again["answer"] and g.r.random() < 0.5:
            again["event_date"] = g.day(submitted, -365 * 6, -30)
        out.append(again)
    g.r.shuffle(out)
    return out


def _bibob(g: Gen) -> dict[str, Any] | None:
    if g.p("bibob_missing"):
        return None
    if g.p("bibob_not_started"):
        return {"status": "niet-gestart"}
    if g.p("bibob_open"):
        if g.p("bibob_open_with_outcome"):
            return {"status": "lopend", "outcome": "geen-bezwaar"}
        return {"status": "lopend"}
    outcome = (
        "ernstig-gevaar"
        if g.p("bibob_serious")
        else "mindere-mate-gevaar"
        if g.p("bibob_minor")
        else "geen-bezwaar"
    )
    return {"status": "afgerond", "outcome": outcome}


def _documents(
    g: Gen, submitted: date, form: str, employees: int, lots: list[str], workers: int
) -> tuple[list, list]:
    docs: list[dict[str, Any]] = []
    org = [
        ("kvk-uittreksel", 6),
        ("gedragsverklaring-aanbesteden", 24),
        ("verklaring-betalingsgedrag", 6),
        ("aansprakelijkheidsverzekering", None),
    ]
    if form != "eenmanszaak":
        org.append(("ubo-uittreksel", 6))
    if form in ("bv", "nv", "stichting", "vereniging", "cooperatie"):
        org.append(("jaarrekening", None))
    for kind, months in org:
        if not g.p("org_doc_missing"):
            extra: dict[str, Any] = {}
            if kind == "jaarrekening":  # O6: the year it covers, usually one of the last two
                year = (
                    submitted.year - g.pick([1, 2])
                    if not g.p("year_wrong")
                    else g.pick([submitted.year - 4, submitted.year, None])
                )
                extra = {} if year is None else {"covers_year": year}
            docs.append(g.dated(kind, submitted, months, **extra))
    if not g.p("org_doc_missing"):
        complete = (
            None
            if g.r.random() < 0.3 and g.p("bibob_form_incomplete")
            else not g.p("bibob_form_incomplete")
        )
        docs.append(
            g.dated(
                "bibob-vragenlijst",
                submitted,
                None,
                **({} if complete is None else {"complete": complete}),
            )
        )
    docs += g.judged(
        "calamiteitenprotocol",
        submitted,
        "calamity_missing",
        "calamity_insufficient",
        "calamity_unjudged",
    )
    docs += g.judged(
        "klachtenregeling", submitted, "quality_missing", "quality_insufficient", "quality_unjudged"
    )
    docs += g.judged(
        "meldcode", submitted, "quality_missing", "quality_insufficient", "quality_unjudged"
    )
    if not g.p("quality_missing"):
        docs.append(g.dated("privacyreglement", submitted, None))
    explanations: list[dict[str, Any]] = []
    residential = any(lot in RESIDENTIAL for lot in lots)
    jeugd = any(lot.startswith("jeugd") for lot in lots)

    def explainable(kind: str, present: list[dict[str, Any]]) -> None:
        if present:
            docs.extend(present)
        elif g.p("explanation"):
            expl: dict[str, Any] = {
                "requirement": kind,
                "text": "In voorbereiding, gereed voor contractstart",
            }
            if g.p("explanation_decided"):
                expl["decision"] = g.pick(["voldoende", "onvoldoende"])
                expl["decision_note"] = "Besluit beoordelaar"
                if g.p("note_shared"):
                    expl["decision_shared"] = True
            explanations.append(expl)

    if employees > 0 or g.r.random() < 0.1:
        explainable(
            "rie", g.judged("rie", submitted, "rie_missing", "rie_insufficient", "quality_unjudged")
        )
    if employees > 0 or residential:
        explainable(
            "noodplan", [] if g.p("quality_missing") else [g.dated("noodplan", submitted, None)]
        )
    if residential:
        explainable(
            "kwaliteitssysteem",
            []
            if g.p("kwaliteitssysteem_missing")
            else [g.dated("kwaliteitssysteem", submitted, None)],
        )
        if "jeugd-wonen-verblijf-gezinshuis" in lots and g.p("keurmerk"):
            docs.append(g.dated("keurmerk-gezinshuizen", submitted, 36))
    if jeugd and not g.p("igj_missing"):
        docs.append(g.dated("igj-melding", submitted, None))
    if jeugd and workers > 9 and not g.p("council_missing"):
        docs.append(g.dated("clientenraad-regeling", submitted, None))
        if not g.p("council_missing"):
            docs.append(g.dated("raad-van-toezicht", submitted, None))
    for doc in list(docs):
        if g.p("second_copy"):  # an older or newer copy of the same document
            copy = {k: v for k, v in doc.items() if k not in ("id", "issued_on", "valid_until")}
            docs.append(g.doc(doc["type"], g.day(submitted, -900, -2), **copy))
    if docs and g.p("reused_document"):  # M2: reused from an earlier screening, so undated here
        g.docs += 1
        docs.append(
            {"id": f"D{g.docs:03d}", "type": g.pick(docs)["type"], "reuse_of": "SCR-000042"}
        )
    if docs and g.p("explained_anyway"):
        explanations.append(
            {
                "requirement": g.pick(["rie", "noodplan", "kwaliteitssysteem", docs[0]["type"]]),
                "text": "Uitleg bij een aanwezig document",
            }
        )
    return docs, explanations


def _locations(g: Gen, submitted: date, lots: list[str]) -> list[dict[str, Any]]:
    needing = [lot for lot in lots if lot in NEEDS_LOCATION]
    if not needing or g.p("no_location"):
        return []
    out = []
    for i in range(g.pick([1, 2, 3], [0.6, 0.3, 0.1])):
        served = g.r.sample(needing, g.r.randint(1, len(needing)))
        if g.r.random() < 0.05:
            served.append(g.pick(lots))
        loc: dict[str, Any] = {"id": f"L{i + 1}", "lots": sorted(set(served)), "documents": []}
        if g.p("no_zoning"):
            loc["maatschappelijke_bestemming"] = False
        elif not g.p("zoning_unknown"):
            loc["maatschappelijke_bestemming"] = True
        if not g.p("location_doc_missing"):
            loc["documents"].append(g.dated("bestemmingsplan-verklaring", submitted, None))
        if any(lot in RESIDENTIAL for lot in served) and not g.p("location_doc_missing"):
            loc["documents"].append(g.dated("brandveiligheid-gebruiksmelding", submitted, None))
        out.append(loc)
    return out


def _function(g: Gen, lots: list[str], index: int, size: str, gw_needed: bool) -> str:
    jeugd = any(lot.startswith("jeugd") for lot in lots)
    wmo = any(lot.startswith("wmo") for lot in lots)
    if size == "zelfstandige":
        if index > 0:
            return "gedragswetenschapper"  # hired in by the self-employed professional
        if (
            jeugd
            and ("jeugd-ambulant-behandeling" in lots or "jeugd-advies-expertise" in lots)
            and g.r.random() < 0.5
        ):
            return "gedragswetenschapper"
        return "jeugdhulpverlener" if jeugd and (not wmo or g.r.random() < 0.5) else "begeleider"
    if gw_needed and index < 3 and (index == 0 or g.r.random() < 0.4):
        return "gedragswetenschapper"
    if g.p("support_staff"):
        return "ondersteunend"
    if g.p("intern"):
        return "stagiair"
    if jeugd and wmo:
        return g.pick(["jeugdhulpverlener", "begeleider"], [0.6, 0.4])
    return "jeugdhulpverlener" if jeugd else "begeleider" if wmo else "jeugdhulpverlener"


def _member(
    g: Gen, submitted: date, index: int, function: str, lots: list[str], size: str
) -> tuple[dict, list]:
    """A staff member and the documents that back their diploma, registration and VOG."""
    docs: list[dict[str, Any]] = []
    domain = (
        "jeugd"
        if function in ("jeugdhulpverlener", "gedragswetenschapper")
        else "wmo"
        if function == "begeleider"
        else None
    )
    own = [lot for lot in lots if domain is None or lot.startswith(domain)] or lots
    served = g.r.sample(own, g.r.randint(1, min(len(own), 3)))
    if function == "gedragswetenschapper" and g.r.random() < 0.8:
        served = list(own)  # usually the behavioural scientist of every youth lot
    if g.r.random() < 0.05:
        served.append(g.pick(lots))
    start = submitted - timedelta(days=g.r.randint(20, 15 * 365))
    employment = g.pick(
        ["loondienst", "inhuur", "zzp"],
        [0.5, 0.3, 0.2] if function == "gedragswetenschapper" else [0.8, 0.1, 0.1],
    )
    if size == "zelfstandige":
        employment = "inhuur" if index else "zzp"
    member: dict[str, Any] = {
        "id": f"S{index + 1:02d}",
        "function": function,
        "employment": employment,
        "lots": sorted(set(served)),
    }
    if size == "zelfstandige" and not index and not g.p("owner_unmarked"):
        member["owner"] = True  # the zelfstandige in person (S6)
    if not g.p("no_start_date"):
        member["start_date"] = start.isoformat()
    if function == "ondersteunend":
        contact = g.pick([None, True, False], [0.6, 0.3, 0.1])
        if contact is not None:
            member["client_contact"] = contact
    care = function in ("jeugdhulpverlener", "begeleider", "gedragswetenschapper")

    def backed(kind: str, issued: str, chance: str) -> str | None:
        if g.p(chance):
            return None
        doc = g.doc(kind, issued)
        docs.append(doc)
        return str(doc["id"])

    if care and not g.p("no_diploma"):
        low = g.p("diploma_too_low")
        level = {
            "jeugdhulpverlener": g.pick(["mbo-4", "wo-bachelor"])
            if low
            else g.pick(["hbo", "wo-master"], [0.9, 0.1]),
            "begeleider": "mbo-2" if low else g.pick(["mbo-3", "mbo-4", "hbo"], [0.25, 0.45, 0.3]),
            "gedragswetenschapper": "hbo" if low else "wo-master",
        }[function]
        gw_big = function == "gedragswetenschapper" and g.p("big_without_diploma")
        if not gw_big:
            field = g.pick(
                [
                    "pedagogiek",
                    "social-work",
                    "psychologie",
                    "orthopedagogiek",
                    "sociaal-pedagogische-hulpverlening",
                    "overig",
                ]
            )
            member["diplomas"] = [
                {
                    "level": level,
                    "field": field,
                    "document": backed("diploma", g.day(start, -3000, -30), "diploma_undocumented"),
                }
            ]
    elif function == "stagiair" and g.r.random() < 0.5:
        member["diplomas"] = [{"level": "mbo-2", "field": "overig"}]
    registration = None
    if function == "gedragswetenschapper" and not g.p("registration_missing"):
        register, kind, _ = g.pick(GW_KINDS, [w for _, _, w in GW_KINDS])
        registration = {"register": register, "kind": kind}
    elif function == "jeugdhulpverlener" and not g.p("registration_missing"):
        registration = g.pick(
            [
                {"register": "skj", "kind": "jeugd-en-gezinsprofessional-hbo"},
                {"register": "skj", "kind": "jeugd-en-gezinsprofessional-master"},
                {"register": "big", "kind": "verpleegkundige"},
            ],
            [0.85, 0.1, 0.05],
        )
    elif function == "begeleider" and g.r.random() < 0.15:
        registration = {"register": "skj", "kind": "jeugd-en-gezinsprofessional-hbo"}
    if registration is not None:
        registration["number"] = str(g.r.randint(10**8, 10**9 - 1))
        lapsed = g.p("registration_expired")
        if g.p("registration_undated"):
            pass  # shows no validity at all (S1)
        elif g.p("registration_by_date"):  # valid for the register's revalidation period (S1)
            registration["registered_on"] = (
                g.day(submitted, -7 * 365, -5 * 365 - 3)
                if lapsed
                else g.day(submitted, -5 * 365 + 30, -10)
            )
        else:
            registration["valid_until"] = (
                g.day(submitted, -400, -1) if lapsed else g.day(submitted, 30, 5 * 365)
            )
        registration["document"] = backed(
            "registratiebewijs", g.day(submitted, -5 * 365, -10), "diploma_undocumented"
        )
        member["registrations"] = [{k: v for k, v in registration.items() if v is not None}]
    if not g.p("vog_missing"):
        if size == "zelfstandige":
            issued = (
                g.day(submitted, -365 * 5, -400)
                if g.p("vog_too_old")
                else g.day(submitted, -1000, -5)
            )
        else:
            issued = g.day(start, -700, -100) if g.p("vog_too_old") else g.day(start, -85, 0)
            if g.p("vog_after_start"):  # the person worked without one (S6)
                issued = g.day(start, 1, 60)
        member["vog"] = {"issued_on": issued}
        vog_doc = backed("vog", issued, "diploma_undocumented")
        if vog_doc:
            member["vog"]["document"] = vog_doc
    if care and g.p("evc"):
        member["evc"] = {"status": "lopend", "expected_completion": g.day(submitted, 20, 400)}
    elif care and g.p("evc_done"):
        member["evc"] = {"status": "afgerond"}
        if g.p("evc_certificate"):  # S2: the certificate of a completed trajectory
            provider = (
                "Bureau Erkenning Elders" if g.p("evc_provider_unknown") else g.pick(EVC_PROVIDERS)
            )
            cert = g.doc(
                "evc-certificaat",
                g.day(submitted, -700, -5),
                level=g.pick(["mbo-3", "mbo-4", "hbo"]),
                evc_provider=provider,
            )
            if g.p("evc_judged"):
                cert["assessment"] = g.pick(["voldoende", "onvoldoende"])
            docs.append(cert)
            member["evc"]["certificate"] = cert["id"]
    if g.p("staff_received_later"):
        member["received_on"] = g.day(submitted, 1, 300)
    if member.get("diplomas") and g.p("second_diploma"):
        member["diplomas"].append(
            {
                "level": g.pick(["mbo-3", "mbo-4", "hbo", "wo-master"]),
                "field": "overig",
                "document": backed("diploma", g.day(start, -5000, -30), "diploma_undocumented"),
            }
        )
    if member.get("registrations") and g.p("second_registration"):
        register, kind, _ = g.pick(GW_KINDS)
        member["registrations"].append(
            {"register": register, "kind": kind, "valid_until": g.day(submitted, -300, 900)}
        )
    return {k: v for k, v in member.items() if v is not None}, docs


def generate_case(
    seed: int, index: int = 0, period: str = "2025", defects: float = 0.0
) -> dict[str, Any]:
    """One submission as a case dict; the same (seed, index, period, defects) gives the same
    case."""
    g = Gen(seed * 1_000_003 + index, defects)
    procedure, first, window = PERIODS[period]
    submitted = first + timedelta(days=g.r.randint(0, window))
    size, form, fte, employees, staff_count = _size(g)
    lots = _lots(g, size)
    jeugd_gw = any(lot in AMBULANT + RESIDENTIAL + ["jeugd-advies-expertise"] for lot in lots)
    sub_role = g.p("onderaannemer")
    registrations = []
    for lot in lots:
        role = "onderaannemer" if sub_role and g.r.random() < 0.9 else "hoofdaannemer"
        reg: dict[str, Any] = {"lot": lot, "role": role}
        if role == "onderaannemer":
            reg["main_contractor_kvk"] = f"{g.r.randint(10**7, 10**8 - 1)}"
        if len(lots) > 1 and g.p("withdrawn_lot"):
            reg["withdrawn"] = True
        registrations.append(reg)
    board: list[dict[str, Any]] = []
    if form != "eenmanszaak" or g.r.random() < 0.5:
        for i in range(1 if form == "eenmanszaak" else g.r.randint(1, 5)):
            member: dict[str, Any] = {
                "id": f"B{i + 1}",
                "role": "bestuurder" if i == 0 else g.pick(["bestuurder", "toezichthouder"]),
                "since": g.day(submitted, -4000, -60),
            }
            if not g.p("board_unknown"):
                member["care_background"] = not g.p("board_no_care")
            board.append(member)
    provider: dict[str, Any] = {
        "kvk": f"{g.r.randint(10**7, 10**8 - 1)}",
        "name": f"Zorgaanbieder {index:05d}",
        "legal_form": form,
        "fte": fte,
        "employees": employees,
        "size_class": size,
        "board": board,
    }
    if not g.p("risk_missing"):
        turnover = round(fte * g.r.uniform(55_000, 90_000))
        share = g.r.uniform(0.25, 0.39) if g.p("low_personnel_costs") else g.r.uniform(0.45, 0.8)
        margin = g.r.uniform(0.16, 0.3) if g.p("high_profit") else g.r.uniform(-0.05, 0.12)
        risk: dict[str, Any] = {
            "turnover": turnover,
            "personnel_costs": round(turnover * share),
            "profit": round(turnover * margin),
            "interests_in_care_companies": g.r.randint(1, 3) if g.p("interests") else 0,
            "real_estate_rented_from_board": g.p("real_estate"),
        }
        for key in list(risk):
            if g.p("risk_field_missing"):
                del risk[key]
        provider["risk"] = risk
    gw_needed = jeugd_gw and not g.p("no_gedragswetenschapper")
    if size == "zelfstandige" and gw_needed:
        staff_count += 1
    staff, staff_docs = [], []
    for i in range(staff_count):
        function = _function(g, lots, i, size, gw_needed)
        member, docs = _member(g, submitted, i, function, lots, size)
        if function == "gedragswetenschapper" and g.p("gw_not_declarable") and "evc" not in member:
            member["evc"] = {"status": "lopend", "expected_completion": g.day(submitted, 20, 300)}
        if docs and not g.p("staff_docs_top_level"):
            member["documents"] = docs
        else:
            staff_docs += docs
        staff.append(member)
    workers = sum(
        1
        for m in staff
        if m["function"] in ("jeugdhulpverlener", "begeleider", "gedragswetenschapper")
    )
    documents, explanations = _documents(g, submitted, form, employees, lots, workers)
    case: dict[str, Any] = {
        "id": f"INS-{period}-{index:05d}",
        "procedure": procedure,
        "submitted_on": submitted.isoformat(),
        "round": 0,
        "provider": provider,
        "lots": registrations,
        "declarations": _declarations(
            g, submitted, board, MANDATORY + OPTIONAL + (OTHER if g.r.random() < 0.1 else [])
        ),
        "documents": documents + staff_docs,
        "explanations": explanations,
        "locations": _locations(g, submitted, lots),
        "recruiting_gedragswetenschapper": jeugd_gw and not gw_needed and g.p("recruiting"),
        "staff": staff,
    }
    bibob = _bibob(g)
    if bibob is not None:
        case["bibob"] = bibob
    return {"submission": case}


def region(
    providers: int, seed: int = 2024, period: str = "2025", defects: float = 0.0
) -> Iterator[dict[str, Any]]:
    """`providers` cases of one region, in a fixed order, as the portal sends them: without the
    fields kit itself fills in from recorded decisions and later documents
    (kit.case.checks.KIT_ONLY; generate_case keeps them, for tests that need a case's later
    versions)."""
    for index in range(providers):
        yield as_sent(generate_case(seed, index, period, defects))


def as_sent(case: Any) -> Any:
    """The case without the fields only kit may set (a new submission has none of them)."""
    if isinstance(case, dict):
        return {
            key: (
                [
                    {k: v for k, v in as_sent(item).items() if k not in KIT_ONLY[key]}
                    if isinstance(item, dict)
                    else item
                    for item in value
                ]
                if key in KIT_ONLY and isinstance(value, list)
                else {k: v for k, v in as_sent(value).items() if k not in KIT_ONLY[key]}
                if key in KIT_ONLY and isinstance(value, dict)
                else as_sent(value)
            )
            for key, value in case.items()
        }
    if isinstance(case, list):
        return [as_sent(item) for item in case]
    return case


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--providers", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--period", choices=sorted(PERIODS), default="2025")
    parser.add_argument("--defects", type=float, default=0.0)
    parser.add_argument("--out", default="-", help="JSON lines file (default: standard output)")
    args = parser.parse_args(argv)
    lines = (
        json.dumps(case, ensure_ascii=False) + "\n"
        for case in region(args.providers, args.seed, args.period, args.defects)
    )
    if args.out == "-":
        sys.stdout.writelines(lines)
    else:
        with open(args.out, "w", encoding="utf-8") as out:
            out.writelines(lines)


if __name__ == "__main__":
    main()
