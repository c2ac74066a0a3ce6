"""Q12: a content judgement by criteria. One criterion not met gives `herstel` and a repair letter
that names it in the provider's words; all met gives `voldoende`; a wrong file is refused in
Dutch naming the file and the criterion, with nothing stored; a correction is a new judgement,
and both stay on record with their audit events."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from conftest import CASES
from support import kit
from typer.testing import CliRunner

from kit.cli import app
from kit.errors import KitError
from kit.kinds.rulesets import load_ruleset
from kit.rules.criteria import Criterion, criteria_of
from kit.screening.criteria import conclude, judge
from kit.store import Store

ZORGFIX = "INS-2024-0042"
PROTOCOL = "calamiteitenprotocol"
CRITERIA = criteria_of(load_ruleset("kit-2025").rules, PROTOCOL)
BY_CODE = {c.code: c for c in CRITERIA}
FAILED = "cp-melden-toezichthouder"


def all_met() -> dict:
    return {c.code: "voldaan" for c in CRITERIA}


def one_failed(note: str = "Geen IGJ-melding opgenomen.") -> dict:
    return all_met() | {FAILED: {"uitkomst": "niet-voldaan", "toelichting": note}}


def write(tmp_path: Path, data: object, name: str = "oordeel.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture
def screened(db_url: str) -> str:
    done = kit(db_url, "screen", str(CASES / "zorgfix-bv.yaml"))
    assert done.exit_code == 0, done.output
    return db_url


def assess(db_url: str, path: Path, *more: str, role: str = "reviewer"):
    return kit(
        db_url,
        "assess",
        ZORGFIX,
        PROTOCOL,
        "--criteria",
        str(path),
        "--door",
        "J. de Vries",
        "--datum",
        "2024-04-23",
        *more,
        role=role,
    )


def protocol_finding(db_url: str) -> dict:
    shown = kit(db_url, "show", ZORGFIX, "--json")
    assert shown.exit_code == 0, shown.output
    findings = json.loads(shown.stdout)[0]["findings"]
    return next(f for f in findings if f["rule"] == "Q1-calamiteitenprotocol")


def test_one_criterion_not_met_gives_herstel_and_a_letter_naming_it(screened, tmp_path):
    done = assess(screened, write(tmp_path, one_failed()))
    assert done.exit_code == 0, done.output
    assert "onvoldoende; niet voldaan: cp-melden-toezichthouder" in done.stdout
    finding = protocol_finding(screened)
    assert (finding["status"], finding["outcome"]) == ("niet-voldaan", "herstel")
    letter = kit(screened, "repair", "letter", ZORGFIX, "--peildatum", "2024-04-24")
    assert letter.exit_code == 0, letter.output
    text = " ".join(letter.stdout.split())
    assert BY_CODE[FAILED].when_not_met.rstrip(".") in text
    for other in CRITERIA:
        if other.code != FAILED:
            assert other.when_not_met.rstrip(".") not in text
    # The reviewer's remark stays out of the letter unless it is marked for the provider.
    assert "Geen IGJ-melding opgenomen" not in text
    decision = kit(screened, "letter", ZORGFIX, "--peildatum", "2024-04-24")
    assert BY_CODE[FAILED].when_not_met.rstrip(".") in " ".join(decision.stdout.split())


def test_the_remark_reaches_the_letter_only_when_marked_for_the_provider(screened, tmp_path):
    done = assess(screened, write(tmp_path, one_failed()), "--voor-aanbieder")
    assert done.exit_code == 0, done.output
    letter = kit(screened, "repair", "letter", ZORGFIX, "--peildatum", "2024-04-24")
    assert "Geen IGJ-melding opgenomen" in " ".join(letter.stdout.split())


def test_every_criterion_met_gives_voldoende(screened, tmp_path):
    done = assess(screened, write(tmp_path, all_met()))
    assert done.exit_code == 0, done.output
    finding = protocol_finding(screened)
    assert (finding["status"], finding["outcome"]) == ("voldaan", None)


def test_the_outcomes_are_stored_per_criterion_and_a_correction_keeps_both(screened, tmp_path):
    assert assess(screened, write(tmp_path, one_failed())).exit_code == 0
    again = kit(
        screened,
        "assess",
        ZORGFIX,
        PROTOCOL,
        "--criteria",
        str(write(tmp_path, all_met(), "correctie.yaml")),
        "--door",
        "A. Tweede",
        "--datum",
        "2024-04-24",
    )
    assert again.exit_code == 0, again.output
    with Store(screened, create=False) as store:
        judged = store.judged_criteria()
        decisions = store.decisions(store.submission(ZORGFIX).pk)
        events = [e for e in store.audit_events() if e.action == "beslissing-inhoud"]
    assert [d.judgement for d in decisions] == ["onvoldoende", "voldoende"]
    assert len(judged) == 2 * len(CRITERIA)
    first = {row.criterion: row for _, decision, row in judged if decision.id == decisions[0].id}
    assert first[FAILED].outcome == "niet-voldaan"
    assert first[FAILED].note == "Geen IGJ-melding opgenomen."
    assert {d.decided_by for _, d, _ in judged} == {"J. de Vries", "A. Tweede"}
    assert json.loads(events[0].detail)["criteria_not_met"] == [FAILED]
    assert json.loads(events[1].detail)["criteria_not_met"] == []
    assert protocol_finding(screened)["status"] == "voldaan"


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda a: a | {"cp-bestaat-niet": "voldaan"}, "cp-bestaat-niet: onbekend criterium"),
        (lambda a: {k: v for k, v in a.items() if k != "cp-gemeente"}, "cp-gemeente: ontbreekt"),
        (lambda a: a | {"cp-gemeente": "misschien"}, "cp-gemeente: onbekende uitkomst"),
        (
            lambda a: a | {"cp-gemeente": "niet-voldaan"},
            "cp-gemeente.toelichting: bij niet-voldaan hoort een toelichting",
        ),
        (
            lambda a: a | {"cp-gemeente": "niet-van-toepassing"},
            "cp-gemeente: de regelset staat niet-van-toepassing bij dit criterium niet toe",
        ),
        (lambda a: a | {"cp-gemeente": {"oordeel": "voldaan"}}, "cp-gemeente.oordeel: onbekend"),
        (lambda a: ["voldaan"], "verwacht per criterium een uitkomst"),
    ],
)
def test_a_wrong_criteria_file_is_refused_naming_file_and_field(
    screened, tmp_path, change, expected
):
    path = write(tmp_path, change(all_met()))
    with Store(screened, create=False) as store:
        before = len(store.screenings())
    done = assess(screened, path)
    assert done.exit_code == 1
    assert str(path) in done.stderr and expected in done.stderr, done.stderr
    with Store(screened, create=False) as store:
        assert len(store.screenings()) == before
        assert store.decisions(store.submission(ZORGFIX).pk) == []
        assert store.judged_criteria() == []


def test_criteria_and_a_single_word_judgement_do_not_mix(screened, tmp_path):
    done = assess(screened, write(tmp_path, all_met()), "--oordeel", "voldoende")
    assert done.exit_code == 2 and "--oordeel" in done.stderr


def test_a_judgement_without_criteria_or_a_word_is_a_usage_error(screened):
    done = kit(screened, "assess", ZORGFIX, PROTOCOL, "--door", "J. de Vries")
    assert done.exit_code == 2
    assert "optie --oordeel / --judgement ontbreekt" in done.stderr


def test_only_the_roles_that_judge_content_may_judge_by_criteria(screened, tmp_path):
    done = assess(screened, write(tmp_path, all_met()), role="inkoop")
    assert done.exit_code != 0
    assert "voorbehouden aan de rol reviewer of toezicht" in done.stderr
    with Store(screened, create=False) as store:
        assert store.judged_criteria() == []


def test_interactive_judgement_asks_one_question_at_a_time(screened):
    answers = ["j"] * len(CRITERIA)
    failed_at = [c.code for c in CRITERIA].index(FAILED)
    answers[failed_at] = "misschien\nn\n\nGeen IGJ-melding"  # a wrong answer is asked again
    aborted = CliRunner().invoke(  # no answers: nothing is recorded
        app, ["assess", ZORGFIX, PROTOCOL, "--interactief", "--db", screened], input=""
    )
    assert aborted.exit_code != 0
    with Store(screened, create=False) as store:
        assert store.judged_criteria() == []
    result = CliRunner().invoke(
        app,
        [
            *("assess", ZORGFIX, PROTOCOL, "--interactief", "--door", "J. de Vries"),
            *("--datum", "2024-04-23", "--db", screened),
        ],
        input="\n".join(answers) + "\n",
        env={"KIT_USER": "tester"},
    )
    assert result.exit_code == 0, result.output
    for criterion in CRITERIA:
        assert criterion.question in result.stdout
    assert "Antwoord met j(a) / n(ee)" in result.stdout
    assert "onvoldoende; niet voldaan: cp-melden-toezichthouder" in result.stdout
    with Store(screened, create=False) as store:
        notes = {row.criterion: row.note for _, _, row in store.judged_criteria()}
    assert notes[FAILED] == "Geen IGJ-melding"


def test_a_criterion_that_is_not_required_does_not_decide():
    criteria = [
        Criterion(code="a", question="A?", when_not_met="A ontbreekt.", basis="x"),
        Criterion(code="b", question="B?", when_not_met="B ontbreekt.", basis="y", required=False),
        Criterion(
            code="c", question="C?", when_not_met="C ontbreekt.", basis="z", may_not_apply=True
        ),
    ]
    answers = {
        "a": "voldaan",
        "b": {"uitkomst": "niet-voldaan", "toelichting": "nee"},
        "c": "niet-van-toepassing",
    }
    result = judge("doc", criteria, answers, "f.yaml")
    assert result.judgement == "voldoende"
    assert "Aandachtspunt: B ontbreekt" in result.note and "niet-van-toepassing: c" in result.note
    failed = judge(
        "doc", criteria, answers | {"a": {"uitkomst": "niet-voldaan", "toelichting": "t"}}, "f"
    )
    assert failed.judgement == "onvoldoende" and failed.not_met() == ["a", "b"]
    assert conclude("doc", criteria, failed.outcomes, True).note.count("(t)") == 1


def test_a_document_without_criteria_cannot_be_judged_by_criteria():
    with pytest.raises(KitError, match="noemt geen criteria"):
        judge("privacyreglement", [], {"x": "voldaan"}, "f.yaml")
