"""C1-C2: the verification sample. Drawn per submission as the rule set prescribes (share,
minimum, every credential of a small provider) and reproducibly from a recorded seed; a check
at the source recorded by toezicht only; niet-bevestigd is a `beoordeling` naming E3 that reaches
toezicht's worklist, the audit and the central list's count, and never excludes by itself."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from support import csrf_of, kit, logged_in, users_add

from kit.case.credentials import Credential
from kit.kinds.rulesets import load_ruleset
from kit.kinds.verification_sample import VerificationSampleRule
from kit.screening.sample import draw, sample_size
from kit.services.actor import Actor
from kit.services.sample import record_lookup, sample_rule
from kit.store import Store

BASE = Path(__file__).resolve().parents[1] / "fixtures" / "base_case.yaml"  # a clean case
SHIPPED = sample_rule(load_ruleset("kit-2025"))
CASE = "INS-TEST-0001"


# --- the draw (pure) -----------------------------------------------------------------------------


def rule_of(share: float, minimum: int, all_up_to: int) -> VerificationSampleRule:
    data = SHIPPED.model_dump(by_alias=True) | {
        "share": share,
        "minimum": minimum,
        "all_up_to_staff": all_up_to,
    }
    return VerificationSampleRule.model_validate(data)


KINDS = ("diploma", "registratie-skj", "vog")
submissions = st.lists(
    st.tuples(st.integers(0, 40), st.integers(0, 3)),  # (staff, credentials per staff member)
    min_size=1,
    max_size=15,
)


def credentials(staff: int, per: int) -> list[Credential]:
    return [
        Credential(f"S{i:02d}", KINDS[k], KINDS[k].split("-")[0], "x")
        for i in range(staff)
        for k in range(per)
    ]


@settings(max_examples=150, deadline=None)
@given(
    region=submissions,
    share=st.sampled_from([0.05, 0.1, 0.25, 0.5, 1.0]),
    minimum=st.integers(1, 5),
    all_up_to=st.integers(0, 5),
    seed=st.text(min_size=1, max_size=12),
)
def test_a_generated_region_gets_its_share_and_minimum_and_redraws_alike(
    region, share, minimum, all_up_to, seed
):
    rule = rule_of(share, minimum, all_up_to)
    for number, (staff, per) in enumerate(region):
        found = credentials(staff, per)
        sub = f"INS-{number:04d}"
        chosen = draw(rule, found, staff, seed, sub)
        assert len(set(chosen)) == len(chosen) and set(chosen) <= set(found)
        if staff <= all_up_to:
            assert sorted(chosen) == sorted(found)  # every credential of a small provider
        else:
            assert len(chosen) >= min(len(found), minimum)
            assert len(chosen) >= min(len(found), math.ceil(share * len(found)))
            assert len(chosen) == sample_size(rule, len(found), staff)
        # The same seed redraws the same sample, whatever order the credentials come in.
        assert draw(rule, list(reversed(found)), staff, seed, sub) == chosen


def test_the_shipped_rule_set_carries_the_sample_parameters():
    assert (SHIPPED.share, SHIPPED.minimum, SHIPPED.all_up_to_staff) == (0.10, 2, 3)
    assert SHIPPED.ground == "valse-verklaringen"
    assert sample_rule(load_ruleset("kit-2026")) == SHIPPED
    assert sample_size(SHIPPED, 47, 20) == 5 and sample_size(SHIPPED, 11, 5) == 2
    assert sample_size(SHIPPED, 9, 3) == 9


def test_another_seed_draws_another_sample_somewhere():
    found = credentials(30, 3)
    samples = {tuple(draw(SHIPPED, found, 30, str(seed), "INS-1")) for seed in range(20)}
    assert len(samples) > 1


# --- recorded, through the command line -------------------------------------------------------


@pytest.fixture
def screened(db_url: str) -> str:
    done = kit(db_url, "screen", str(BASE))
    assert done.exit_code == 0, done.output
    return db_url


def trek(db_url: str, *more: str, role: str = "toezicht"):
    return kit(db_url, "steekproef", "trek", *more, "--json", role=role)


def lots(db_url: str) -> dict[str, str]:
    shown = kit(db_url, "show", CASE, "--json", role="toezicht")
    return json.loads(shown.stdout)[0]["lots"]


def findings(db_url: str, role: str = "toezicht") -> list[dict]:
    shown = kit(db_url, "show", CASE, "--json", role=role)
    return [f for f in json.loads(shown.stdout)[0]["findings"] if f["rule"] == "C1-steekproef"]


def test_the_same_seed_draws_the_same_sample_and_the_draw_is_recorded(screened):
    first = trek(screened, "--seed", "twente-2024")
    again = trek(screened, "--seed", "twente-2024")
    assert first.exit_code == 0, first.output
    assert json.loads(first.stdout) == json.loads(again.stdout)
    [drawn] = json.loads(first.stdout)
    assert drawn["seed"] == "twente-2024" and len(drawn["sample"]) >= 2
    unseeded = json.loads(trek(screened).stdout)[0]["seed"]
    assert unseeded and unseeded != "twente-2024"
    with Store(screened, create=False) as store:
        events = [e for e in store.audit_events() if e.action == "steekproef-getrokken"]
    assert [json.loads(e.detail)["seed"] for e in events] == [
        "twente-2024",
        "twente-2024",
        unseeded,
    ]


def test_only_toezicht_draws_sees_and_records(screened):
    for args in (("trek",), ("toon",)):
        done = kit(screened, "steekproef", *args, role="reviewer")
        assert done.exit_code == 1 and "voorbehouden aan de rol toezicht" in done.stderr
    trek(screened, "--seed", "s")
    done = kit(
        screened,
        *("steekproef", "vastleggen", CASE, "--medewerker", "S01", "--bewijs", "vog"),
        *("--uitkomst", "bevestigd", "--bron", "Justis"),
        role="reviewer",
    )
    assert done.exit_code == 1 and "voorbehouden aan de rol toezicht" in done.stderr


def record(db_url: str, staff: str, credential: str, outcome: str, source: str, *more: str):
    return kit(
        db_url,
        *("steekproef", "vastleggen", CASE, "--medewerker", staff, "--bewijs", credential),
        *("--uitkomst", outcome, "--bron", source, "--datum", "2024-04-20", *more),
        role="toezicht",
    )


def sampled(db_url: str) -> list[tuple[str, str]]:
    [drawn] = json.loads(trek(db_url, "--seed", "vast").stdout)
    return [(c["staff"], c["credential"]) for c in drawn["sample"]]


SOURCES = {"diploma": "DUO", "registratie": "SKJ", "vog": "Justis", "evc": "EVC-aanbieder"}


def test_not_confirmed_is_a_judgement_for_toezicht_naming_e3_never_an_exclusion(screened):
    assert set(lots(screened).values()) == {"toegelaten"}
    assert findings(screened) == []  # nothing checked yet: not applicable, said so
    staff, credential = sampled(screened)[0]
    source = SOURCES[credential.split("-")[0]]
    done = record(
        screened, staff, credential, "niet-bevestigd", source, "--toelichting", "onbekend bij bron"
    )
    assert done.exit_code == 0, done.output
    [finding] = findings(screened)
    assert (finding["status"], finding["outcome"]) == ("onbepaald", "beoordeling")
    assert finding["requirement"] == "valse-verklaringen" and "E3" in finding["message"]
    assert finding["subject"] == f"staff:{staff}"
    raw = yaml.safe_load(BASE.read_text(encoding="utf-8"))["submission"]
    served = next(m["lots"] for m in raw["staff"] if m["id"] == staff)
    verdicts = lots(screened)
    assert {verdicts[lot] for lot in served} == {"in-beoordeling"}  # never uitgesloten
    assert "uitgesloten" not in verdicts.values()
    # A reviewer sees that something waits, not what the source said.
    [shown] = findings(screened, role="reviewer")
    assert source not in shown["message"]
    # Toezicht's worklist, the audit and the central list's count.
    work = kit(screened, "werkvoorraad", "--json", role="toezicht")
    assert any(item["rule"] == "C1-steekproef" for item in json.loads(work.stdout))
    with Store(screened, create=False) as store:
        [event] = [e for e in store.audit_events() if e.action == "steekproef-controle"]
    assert json.loads(event.detail)["outcome"] == "niet-bevestigd"
    listed = json.loads(kit(screened, "report", "--json", role="toezicht").stdout)
    assert {row["lot"] for row in listed if row["open"]["beoordeling"] == 1} == set(served)
    # A later check that confirms it (toezicht followed up) clears the judgement, on record.
    again = record(screened, staff, credential, "bevestigd", source)
    assert again.exit_code == 0, again.output
    [confirmed] = findings(screened)
    assert (confirmed["status"], confirmed["outcome"]) == ("voldaan", None)
    assert set(lots(screened).values()) == {"toegelaten"}
    shown = json.loads(kit(screened, "steekproef", "toon", "--json", role="toezicht").stdout)
    checked = [r for r in shown if (r["staff"], r["credential"]) == (staff, credential)]
    assert checked[0]["outcome"] == "bevestigd" and checked[0]["source"] == source


def test_a_replay_of_the_screening_a_check_caused_is_identical(screened):
    staff, credential = sampled(screened)[0]
    source = SOURCES[credential.split("-")[0]]
    record(screened, staff, credential, "niet-bevestigd", source, "--toelichting", "nee")
    with Store(screened, create=False) as store:
        latest = store.screenings()[-1].code
    replayed = kit(screened, "replay", latest, "--json", role="toezicht")
    assert replayed.exit_code == 0, replayed.output
    assert json.loads(replayed.stdout)[0]["identical"] is True


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"outcome": "misschien"}, "--uitkomst: onbekende uitkomst 'misschien'"),
        ({"source": "Google"}, "--bron: 'Google' is geen bron voor een"),
        ({"credential": "diploma-9"}, "zit niet in de laatste steekproef"),
        ({"note": ""}, "--toelichting: bij niet-bevestigd hoort een toelichting"),
    ],
)
def test_a_wrong_check_is_refused_in_dutch_and_stores_nothing(screened, change, expected):
    staff, credential = sampled(screened)[0]
    values = {
        "credential": credential,
        "outcome": "niet-bevestigd",
        "source": SOURCES[credential.split("-")[0]],
        "note": "x",
    } | change
    with Store(screened, create=False) as store:
        before = len(store.screenings())
    done = record(
        screened,
        staff,
        values["credential"],
        values["outcome"],
        values["source"],
        "--toelichting",
        values["note"],
    )
    assert done.exit_code == 1 and expected in done.stderr, done.stderr
    with Store(screened, create=False) as store:
        assert len(store.screenings()) == before


class FakeRegister:
    """An automated lookup as the seam takes it (no network): says what it was told to."""

    def __init__(self, source: str, answer: str | None):
        self.source, self.answer = source, answer
        self.asked: list[Credential] = []

    def check(self, credential: Credential) -> str | None:
        self.asked.append(credential)
        return self.answer


def test_an_automated_lookup_records_through_the_same_seam(screened):
    staff, credential = sampled(screened)[0]
    source = SOURCES[credential.split("-")[0]]
    register = FakeRegister(source, None)
    with Store(screened, create=False) as store:
        check, _ = record_lookup(
            store, Actor("T. Toezicht", "toezicht"), CASE, staff, credential, register
        )
    assert [c.key for c in register.asked] == [credential]
    assert (check.outcome, check.source) == ("niet-te-controleren", source)
    [signal] = findings(screened)  # a signal for toezicht: the verdict stays
    assert (signal["status"], signal["outcome"]) == ("niet-voldaan", "signaal")
    assert set(lots(screened).values()) == {"toegelaten"}


# --- the toezicht page ----------------------------------------------------------------------------


def test_toezicht_sees_the_sample_and_records_a_check_on_its_page(screened):
    for name, role, password in (
        ("anna", "toezicht", "anna-wachtwoord-1"),
        ("rob", "reviewer", "rob-wachtwoord-12"),
    ):
        assert users_add(screened, name, role, password).exit_code == 0
    staff, credential = sampled(screened)[0]
    source = SOURCES[credential.split("-")[0]]
    browser = logged_in(screened, "anna")
    shown = browser.get("/toezicht")
    assert shown.status_code == 200 and 'id="steekproef"' in shown.text
    assert f'name="bewijs" value="{credential}"' in shown.text and "(2 open)" in shown.text
    form = {
        "csrf": csrf_of(shown.text),
        "inschrijving": CASE,
        "medewerker": staff,
        "bewijs": credential,
        "uitkomst": "niet-bevestigd",
        "bron": source,
        "toelichting": "",
        "datum": "2024-04-20",
    }
    refused = browser.post("/toezicht/steekproef", data=form)
    assert refused.status_code == 400 and "bij niet-bevestigd hoort een toelichting" in refused.text
    assert "<option selected>niet-bevestigd</option>" in refused.text  # kept
    done = browser.post("/toezicht/steekproef", data=form | {"toelichting": "onbekend bij DUO"})
    assert done.status_code == 303 and "gedaan=steekproef" in done.headers["location"]
    assert findings(screened)[0]["outcome"] == "beoordeling"
    reviewer = logged_in(screened, "rob")
    assert reviewer.get("/toezicht").status_code == 403
    posted = reviewer.post(
        "/toezicht/steekproef", data=form | {"csrf": csrf_of(reviewer.get("/").text)}
    )
    assert posted.status_code == 403
