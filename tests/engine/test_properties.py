"""Engine invariants, checked on generated variations of the shipped cases (hypothesis)."""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

from conftest import load_raw, shipped_case_files
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kit.case.checks import parse_case
from kit.errors import KitError
from kit.screening.screen import screen_case
from kit.vocab.vocabulary import vocabulary

RAW_CASES = [load_raw(path) for path in shipped_case_files()]
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def findings_of(raw: dict[str, Any]) -> list[tuple]:
    outcome = screen_case(parse_case(raw, "gegenereerd"))
    return sorted(
        (
            f.rule,
            f.requirement,
            f.subject,
            f.lot or "",
            f.item or "",
            f.status,
            f.outcome or "",
            f.message,
            f.evidence,
            f.due or "",
        )
        for f in outcome.findings
    )


def open_keys(raw: dict[str, Any]) -> set[tuple]:
    outcome = screen_case(parse_case(raw, "gegenereerd"))
    return {
        (f.rule, f.requirement, f.subject, f.lot, f.item, f.outcome)
        for f in outcome.findings
        if f.status != "voldaan"
    }


@st.composite
def shuffled(draw) -> tuple[dict, dict]:
    raw = copy.deepcopy(draw(st.sampled_from(RAW_CASES)))
    sub = raw["submission"]
    other = copy.deepcopy(raw)
    for key in ("staff", "documents", "lots", "declarations", "locations", "explanations"):
        if sub.get(key):
            other["submission"][key] = draw(st.permutations(sub[key]))
    for member in other["submission"].get("staff", []):
        for key in ("diplomas", "registrations", "lots"):
            if member.get(key):
                member[key] = draw(st.permutations(member[key]))
    return raw, other


@SETTINGS
@given(shuffled())
def test_findings_do_not_depend_on_order(pair):
    raw, other = pair
    assert findings_of(raw) == findings_of(other)


@SETTINGS
@given(st.sampled_from(RAW_CASES))
def test_screening_twice_gives_the_same_findings(raw):
    assert findings_of(raw) == findings_of(copy.deepcopy(raw))


@st.composite
def with_extra_document(draw) -> tuple[dict, dict]:
    raw = copy.deepcopy(draw(st.sampled_from(RAW_CASES)))
    sub = raw["submission"]
    kind = draw(st.sampled_from(sorted(vocabulary().document_types)))
    submitted = sub["submitted_on"]
    submitted = submitted if isinstance(submitted, date) else date.fromisoformat(submitted)
    document = {
        "id": "DX-extra",
        "type": kind,
        "issued_on": submitted,
        "complete": True,
        "assessment": "voldoende",
    }
    bigger = copy.deepcopy(raw)
    bigger["submission"].setdefault("documents", []).append(document)
    return raw, bigger


@SETTINGS
@given(with_extra_document())
def test_adding_a_valid_document_never_adds_a_deficiency(pair):
    raw, bigger = pair
    assert open_keys(bigger) <= open_keys(raw)


JUNK = st.one_of(
    st.none(),
    st.integers(-5, 10**9),
    st.floats(allow_nan=True),
    st.text(max_size=12),
    st.booleans(),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=4), st.integers(), max_size=2),
    st.sampled_from(["2024-02-30", "jeugd-crisis", "D1", "S01", "lopend", "12345678"]),
)


def _paths(node: Any, prefix: tuple = ()) -> list[tuple]:
    out = [prefix] if prefix else []
    if isinstance(node, dict):
        for key, value in node.items():
            out += _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            out += _paths(value, (*prefix, i))
    return out


@st.composite
def malformed(draw) -> dict:
    raw = copy.deepcopy(draw(st.sampled_from(RAW_CASES)))
    for _ in range(draw(st.integers(1, 3))):
        paths = _paths(raw)
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent = raw
        for part in path[:-1]:
            parent = parent[part]
        if draw(st.booleans()) and isinstance(parent, dict):
            parent.pop(path[-1], None)
        else:
            parent[path[-1]] = draw(JUNK)
    return raw


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(malformed())
def test_malformed_cases_never_crash(raw):
    try:
        case = parse_case(raw, "kapot.yaml")
    except KitError as exc:
        assert exc.message.startswith("kapot.yaml: ")
        assert "\n" not in exc.message
        return
    try:
        screen_case(case)
    except KitError as exc:
        assert "\n" not in exc.message
