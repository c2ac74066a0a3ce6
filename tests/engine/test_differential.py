"""Differential test: the durable_rules engine and the plain-Python reference evaluator
(kit/reference.py) give identical findings on generated submissions (bench/generate.py).

Hypothesis draws the generator's seed, the submission window (kit-2025 or kit-2026), how
defective the submission is, and whether it is re-screened on a later date; both evaluators
must then agree on every field of every finding, messages included, and on the risk light.
The examples at the end pin the engine bugs this test found.
"""

from __future__ import annotations

import collections
import copy
import dataclasses
import json
import random
import sys
from datetime import date, timedelta
from typing import Any

from conftest import ROOT, load_raw, shipped_case_files
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kit.case.checks import parse_case
from kit.case.history import Prior, PriorDeclaration, PriorExclusion
from kit.engine import EngineResult, engine_for
from kit.engine.aggregate import aggregate_steps
from kit.engine.messages import answer_text
from kit.kinds.rulesets import shipped_rulesets
from kit.reference import Reference
from kit.rules.loader import RuleSet, select_ruleset
from kit.rules.model import Applies
from kit.screening.screen import screen_case
from kit.services.batch import Item

sys.path.insert(0, str(ROOT))
from bench.generate import as_sent, generate_case


def rows(result: EngineResult) -> list[tuple[Any, ...]]:
    return sorted(
        (
            f.rule,
            f.requirement,
            f.subject,
            f.lot or "",
            f.item or "",
            f.status,
            f.outcome or "",
            tuple(sorted(f.evidence)),
            f.due or "",
            f.message,
            f.neutral,
            f.letter,
            f.sensitive,
        )
        for f in result.findings
    )


def both(
    raw: dict[str, Any],
    day: date | None = None,
    ruleset: RuleSet | None = None,
    prior: Prior | None = None,
) -> tuple[EngineResult, EngineResult]:
    sub = parse_case(raw, "gegenereerd").submission
    day = day or sub.submitted_on
    ruleset = ruleset or select_ruleset(shipped_rulesets(), day)
    return (
        engine_for(ruleset).evaluate(sub, day, prior=prior),
        engine_for(ruleset, Reference).evaluate(sub, day, prior=prior),
    )


def random_prior(seed: int, raw: dict[str, Any]) -> tuple[dict[str, Any], Prior]:
    """A history for the case (E7): earlier exclusions, standing or lifted, and the previous
    round's answers, some of them changed since and some changes already judged."""
    rng = random.Random(seed)
    raw = copy.deepcopy(raw)
    sub = parse_case(raw, "gegenereerd").submission
    grounds = [d.ground for d in sub.declarations] + ["fraude", "bibob-ernstig-gevaar"]
    subjects = ["provider"] + [f"board:{m.id}" for m in sub.provider.board]
    exclusions = {(rng.choice(grounds), rng.choice(subjects)) for _ in range(rng.randint(0, 3))}
    prior_exclusions = tuple(
        PriorExclusion(
            req,
            subj,
            f"SCR-{rng.randint(1, 999):06d}",
            rng.choice(["", "", "zelfreiniging aanvaard door T op 2024-05-01"]),
        )
        for req, subj in sorted(exclusions)
    )
    declarations = []
    for decl, data in zip(sub.declarations, raw["submission"]["declarations"], strict=True):
        if rng.random() < 0.15:
            continue  # answered now, not in the previous round
        before = decl
        if rng.random() < 0.3:  # the answer changed since the previous round
            before = decl.model_copy(update={"answer": not decl.answer, "event_date": None})
            if rng.random() < 0.4:
                data["change_decision"] = rng.choice(["voldoende", "onvoldoende"])
                data["change_note"] = "Oordeel toezicht"
        declarations.append(
            PriorDeclaration(
                before.ground, before.subject, before.signature(), answer_text(before), "SCR-000007"
            )
        )
    if sub.declarations and rng.random() < 0.2:  # an answer the previous round had, gone now
        gone = raw["submission"]["declarations"].pop()
        assert gone is not None
    return raw, Prior(prior_exclusions, tuple(declarations))


def assert_same(
    raw: dict[str, Any],
    day: date | None = None,
    ruleset: RuleSet | None = None,
    prior: Prior | None = None,
) -> EngineResult:
    engine, reference = both(raw, day, ruleset, prior)
    only_engine = sorted(set(rows(engine)) - set(rows(reference)))
    only_reference = sorted(set(rows(reference)) - set(rows(engine)))
    assert (only_engine, only_reference) == ([], []), "engine and reference differ"
    assert rows(engine) == rows(reference)  # duplicates too
    assert engine.risk == reference.risk
    return engine


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 2**32),
    period=st.sampled_from(["2025", "2026"]),
    defects=st.sampled_from([0.0, 0.0, 0.3, 0.7, 1.0]),
    later=st.sampled_from([0, 0, 45, 200, 700]),
)
def test_engine_and_reference_agree_on_generated_submissions(seed, period, defects, later):
    raw = generate_case(seed, 0, period, defects)
    submitted = date.fromisoformat(raw["submission"]["submitted_on"])
    prior = None
    if defects and seed % 2:  # a later round of the submission: what earlier screenings found (E7)
        raw, prior = random_prior(seed, raw)
    # A re-screen on a later date: documents age, and 2025 cases move to kit-2026 after 2025.
    assert_same(raw, submitted + timedelta(days=later), prior=prior)


# Scopes the shipped rules do not use but a rule file may: a role filter on every kind of subject,
# a lot filter together with an `any` branch that the same lot satisfies, worker counts per role,
# dates, fte, a conditional per-lot document. Each once broke the engine (see the report of issue
# 7).
VARIANTS = {
    "Q4-privacyreglement": {
        "applies": {
            "domains": ["jeugd"],
            "any": [
                {"residential": True},
                {"subtenders": ["ambulant"], "roles": ["onderaannemer"]},
            ],
        }
    },
    "L2-maatschappelijke-bestemming": {
        "applies": {"needs_location": True, "roles": ["hoofdaannemer"]}
    },
    "L3-brandveiligheid": {"applies": {"residential": True, "any": [{"domains": ["jeugd"]}]}},
    "Q10-kwaliteitssysteem": {
        "applies": {"residential": True, "any": [{"domains": ["jeugd"]}]},
        "outcome": "voorwaardelijk",
        "due": "contract_start",
    },
    "S1-registratie": {"applies": {"domains": ["jeugd"], "roles": ["hoofdaannemer"]}},
    "S4-diplomaniveau": {"applies": {"roles": ["hoofdaannemer"]}},
    "G1-gedragswetenschapper": {"applies": {"roles": ["hoofdaannemer"]}},
    "L1-locatie": {"applies": {"needs_location": True, "roles": ["onderaannemer"]}},
    "Q7-clientenraad": {
        "applies": {"workers": {"domains": ["jeugd"], "roles": ["hoofdaannemer"], "min": 3}}
    },
    "Q8-igj-melding": {"applies": {"domains": ["jeugd"], "until": date(2024, 5, 1)}},
    "S6-vog": {"applies": {"employees_min": 1, "fte_max": 20, "from": date(2024, 4, 15)}},
    "R2-winstmarge": {"applies": {"domains": ["wmo"], "fte_min": 5}},
    "E3-facultatieve-uitsluitingsgronden": {
        "applies": {"any": [{"legal_forms": ["bv"]}, {"residential": True}]}
    },
}


def variant_ruleset() -> RuleSet:
    base = shipped_rulesets()["kit-2025"]
    rules = []
    for rule in base.rules:
        change = dict(VARIANTS.get(rule.id, {}))
        if "applies" in change:
            change["applies"] = Applies.model_validate(change["applies"])
        rules.append(rule.model_copy(update=change))
    return dataclasses.replace(base, id="kit-variant", rules=rules, sha256="variant")


VARIANT = variant_ruleset()


def history_as_stored_before() -> RuleSet:
    """kit-2025 with the history rule (E7) reporting as kit 0.2 did, as the rule sets stored
    with earlier screenings have it (no `carried_as`, no `answers_under`)."""
    base = shipped_rulesets()["kit-2025"]
    rules = [
        rule.model_copy(update={"carried_as": "finding", "answers_under": "zelfverklaring"})
        if rule.kind == "exclusion_history"
        else rule
        for rule in base.rules
    ]
    return dataclasses.replace(base, id="kit-2025-e7-0.2", rules=rules, sha256="e7-0.2")


HISTORY_BEFORE = history_as_stored_before()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32), defects=st.sampled_from([0.3, 0.7, 1.0]))
def test_engine_and_reference_agree_on_the_history_rule_either_way(seed, defects):
    """Both ways the history rule can report (rule data): the shipped one, and kit 0.2's, which
    the stored screenings replay with. Shipped, one exclusion is one finding."""
    raw, prior = random_prior(seed, generate_case(seed, 0, "2025", defects))
    assert_same(raw, prior=prior, ruleset=HISTORY_BEFORE)
    shipped = assert_same(raw, prior=prior)
    excluding = collections.Counter(
        (f.requirement, f.subject)
        for f in shipped.findings
        if f.outcome == "uitsluiting" and f.status != "voldaan"
    )
    assert [key for key, count in excluding.items() if count > 1] == []


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32), defects=st.sampled_from([0.0, 0.5, 1.0]))
def test_engine_and_reference_agree_on_rule_scopes_the_shipped_rules_do_not_use(seed, defects):
    assert_same(generate_case(seed, 0, "2025", defects), ruleset=VARIANT)


def decisions(result: EngineResult) -> list[tuple[Any, ...]]:
    """What a finding decides: everything but its texts."""
    return [row[:9] + row[12:] for row in rows(result)]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32), defects=st.sampled_from([0.0, 0.3, 0.7, 1.0]))
def test_without_messages_the_engine_decides_the_same(seed, defects):
    """`kit rules impact` evaluates without rendering messages: the findings, statuses,
    outcomes, evidence and risk light must be exactly those of a screening."""
    raw = generate_case(seed, 0, "2025", defects)
    prior = random_prior(seed, raw)[1] if seed % 2 else None
    sub = parse_case(raw, "gegenereerd").submission
    ruleset = select_ruleset(shipped_rulesets(), sub.submitted_on)
    engine = engine_for(ruleset)
    full = engine.evaluate(sub, sub.submitted_on, prior=prior)
    bare = engine.evaluate(sub, sub.submitted_on, prior=prior, messages=False)
    assert decisions(bare) == decisions(full) and bare.risk == full.risk
    aggregated = {rule.id for _, rule in aggregate_steps(ruleset)}  # S7, the risk light
    assert all(f.message == "" for f in bare.findings if f.rule not in aggregated)


def test_engine_and_reference_agree_on_the_shipped_cases():
    for path in shipped_case_files():
        assert_same(load_raw(path))


def test_the_generator_is_deterministic_and_valid():
    assert generate_case(11, 3) == generate_case(11, 3)
    assert generate_case(11, 3) != generate_case(11, 4)
    for index in range(30):
        parse_case(generate_case(5, index, "2026", 1.0), "gegenereerd")


# --- engine bugs found by this test --------------------------------------------------------


def test_braces_in_a_providers_text_are_not_a_template():
    """Assessment notes and explanations are case data: a brace crashed the message renderer."""
    raw = copy.deepcopy(load_raw(ROOT / "cases" / "zorgfix-bv.yaml"))
    raw["submission"]["documents"][1]["assessment_note"] = "zie {bijlage en {doc_id}"
    engine = assert_same(raw)
    note = [f.message for f in engine.findings if f.rule == "Q1-calamiteitenprotocol"]
    assert "zie {bijlage en {doc_id}" in note[0]


def test_a_tiny_profit_margin_reaches_durable_rules():
    """-0.000002 is written -2e-06 by Python; durable_rules' parser rejected it (error 204)."""
    raw = copy.deepcopy(load_raw(ROOT / "cases" / "zorgfix-bv.yaml"))
    raw["submission"]["provider"]["risk"]["profit"] = -2
    engine = assert_same(raw)
    margin = [f for f in engine.findings if f.rule == "R2-winstmarge"]
    assert [f.status for f in margin] == ["voldaan"]


def test_personnel_costs_just_below_the_threshold_are_a_signal():
    """The engine rounded shares to 6 decimals, so 39.99996% was not 'below 40%'."""
    raw = copy.deepcopy(load_raw(ROOT / "cases" / "zorgfix-bv.yaml"))
    raw["submission"]["provider"]["risk"].update(turnover=2_500_000, personnel_costs=999_999)
    engine = assert_same(raw)
    assert [f.status for f in engine.findings if f.rule == "R2-personeelskosten"] == [
        "niet-voldaan"
    ]


def test_an_open_bibob_investigation_is_open_whatever_outcome_it_names():
    """E5: status lopend with a (provisional) outcome was read as that outcome, unblocking the
    verdict."""
    raw = copy.deepcopy(load_raw(ROOT / "cases" / "zorgfix-bv.yaml"))
    raw["submission"]["bibob"] = {"status": "lopend", "outcome": "geen-bezwaar"}
    assert_same(raw)
    outcome = screen_case(parse_case(raw, "test"))
    e5 = [f for f in outcome.findings if f.rule == "E5-bibob"]
    assert [(f.status, f.outcome) for f in e5] == [("onbepaald", "beoordeling")]
    assert set(outcome.lots.values()) <= {"in-beoordeling", "herstel-nodig"}


# --- the batch path (kit.services.batch, bench/run.py) stores what a single screening finds
# ----------


def test_batches_in_worker_processes_store_what_screen_case_finds(db_url):
    from kit.services.batch import screen_many
    from kit.store import Store

    cases = [as_sent(generate_case(99, i, "2025")) for i in range(24)]
    cases.append({"submission": {"id": "kapot"}})  # a bad case is reported, the rest stored
    items = [Item(f"gen:{i}", json.dumps(case, default=str)) for i, case in enumerate(cases)]
    report = screen_many(items, db_url, workers=2, batch_size=5)
    assert (report.submissions, len(report.errors)) == (24, 1)
    assert report.errors[0].startswith("gen:24: ")
    store = Store(db_url)
    assert store.counts() == {"submissions": 24, "screenings": 24, "findings": report.findings}
    for row in store.screenings():
        case = parse_case(json.loads(row.case_json), "opgeslagen")
        assert row.case_sha256 == case.sha256()
        expected = screen_case(case)
        stored = store.findings(row.id)
        assert [
            (
                f.rule,
                f.requirement,
                f.subject,
                f.lot,
                f.item,
                f.status,
                f.outcome,
                f.message,
                json.loads(f.evidence),
                f.due.isoformat() if f.due else None,
            )
            for f in stored
        ] == [
            (
                f.rule,
                f.requirement,
                f.subject,
                f.lot,
                f.item,
                f.status,
                f.outcome,
                f.message,
                list(f.evidence),
                f.due,
            )
            for f in expected.findings
        ]
        assert store.verdicts(row.id) == expected.lots


def test_the_stored_region_is_rescreened_on_a_later_date(db_url):
    from kit.services.batch import rescreen_stored, screen_many
    from kit.store import Store

    items = [Item(f"gen:{i}", as_sent(generate_case(7, i))) for i in range(12)]
    first = screen_many(items, db_url, workers=2, batch_size=4)
    later = date(2026, 2, 1)
    again = rescreen_stored(db_url, later, workers=2, batch_size=5)
    assert (first.submissions, again.submissions, again.errors) == (12, 12, [])
    store = Store(db_url)
    rows = [row for _, row in store.latest_screenings()]
    assert {(row.reason, row.as_of, row.ruleset_id) for row in rows} == {
        ("herscreening", later, "kit-2026")
    }
    firsts = {s.submission_pk: s for s in reversed(store.screenings())}
    carried = 0
    for row in rows:
        # E7: what the first screening excluded stays excluded on the later date, with that
        # screening as evidence, even where the lookback period has run out since.
        excluded = {
            (f.requirement, f.subject)
            for f in store.findings(firsts[row.submission_pk].id)
            if f.outcome == "uitsluiting" and f.status != "voldaan"
        }
        prior = Prior.from_json(row.prior_json)
        assert {(e.requirement, e.subject) for e in prior.exclusions} == excluded
        assert all(
            e.screening == firsts[row.submission_pk].code and not e.lifted_by
            for e in prior.exclusions
        )
        carried += len(excluded)
        expected = screen_case(
            parse_case(json.loads(row.case_json), "opgeslagen"), later, prior=prior
        )
        assert [f.message for f in store.findings(row.id)] == [f.message for f in expected.findings]
        if excluded:
            assert set(store.verdicts(row.id).values()) <= {"uitgesloten", "ingetrokken"}
    assert carried  # the seed has an excluded provider
