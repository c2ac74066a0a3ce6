"""The consistency report (issue 27): per criterion and per reviewer how often it is judged not
met, right on a constructed set of judgements; on the command line (--json) and on a web page
for beheer and toezicht only."""

from __future__ import annotations

import json

import pytest
from conftest import CASES
from support import logged_in, users_add
from typer.testing import CliRunner

from kit.cli import app as cli
from kit.kinds.rulesets import load_ruleset
from kit.rules.criteria import criteria_of
from kit.store import CriterionOutcomeRow, DecisionRow
from kit.views.consistency import consistency

runner = CliRunner()
RULES = load_ruleset("kit-2025").rules
QUESTIONS = {c.code: c for c in criteria_of(RULES, "calamiteitenprotocol")}
MET, FAILED, NVT = "voldaan", "niet-voldaan", "niet-van-toepassing"


def judgement(pk: int, sub: str, reviewer: str, outcomes: dict[str, str], document="cp"):
    failed = any(o == FAILED for o in outcomes.values())
    decision = DecisionRow(
        id=pk,
        submission_pk=1,
        kind="inhoud",
        requirement=document,
        judgement="onvoldoende" if failed else "voldoende",
        note="-",
        decided_by=reviewer,
    )
    return [
        (sub, decision, CriterionOutcomeRow(decision_pk=pk, criterion=code, outcome=outcome))
        for code, outcome in outcomes.items()
    ]


def constructed():
    """Anna and Bas judge four protocols; Bas corrects one of his own judgements."""
    rows = []
    rows += judgement(1, "A", "anna", {"cp-onderzoek": FAILED, "cp-gemeente": MET})
    rows += judgement(2, "B", "anna", {"cp-onderzoek": MET, "cp-gemeente": MET})
    rows += judgement(3, "A", "bas", {"cp-onderzoek": MET, "cp-gemeente": FAILED})
    rows += judgement(4, "C", "bas", {"cp-onderzoek": MET, "cp-gemeente": NVT})
    rows += judgement(5, "D", "bas", {"cp-onderzoek": FAILED, "cp-gemeente": FAILED})
    rows += judgement(6, "D", "bas", {"cp-onderzoek": MET, "cp-gemeente": FAILED})  # correction
    return rows


def test_the_report_counts_each_reviewers_latest_judgement_per_criterion():
    report = consistency(constructed(), {})
    rows = {row.criterion: row for row in report.criteria}
    onderzoek, gemeente = rows["cp-onderzoek"], rows["cp-gemeente"]
    # cp-onderzoek: anna 1 of 2 not met; bas 0 of 3 (his first judgement of D was corrected).
    assert (onderzoek.total.judged, onderzoek.total.not_met) == (5, 1)
    assert onderzoek.by_reviewer["anna"].share_not_met == 0.5
    assert onderzoek.by_reviewer["bas"].share_not_met == 0.0
    assert onderzoek.spread == 0.5
    # cp-gemeente: anna 0 of 2; bas 2 of 2 where it applied (one not applicable).
    assert (gemeente.total.not_met, gemeente.total.not_applicable) == (2, 1)
    assert gemeente.by_reviewer["bas"].share_not_met == 1.0
    assert gemeente.total.share_not_met == 0.5 and gemeente.spread == 1.0
    reviewers = {r.reviewer: r for r in report.reviewers}
    assert (reviewers["anna"].judgements, reviewers["anna"].insufficient) == (2, 1)
    assert (reviewers["bas"].judgements, reviewers["bas"].insufficient) == (3, 2)
    assert (reviewers["bas"].criteria.judged, reviewers["bas"].criteria.not_met) == (6, 2)


def test_criteria_follow_the_rule_sets_order_with_their_question():
    rows = judgement(
        1, "A", "anna", {"cp-gemeente": MET, "cp-definitie": MET}, "calamiteitenprotocol"
    )
    report = consistency(rows, QUESTIONS)
    assert [r.criterion for r in report.criteria] == ["cp-definitie", "cp-gemeente"]
    assert report.criteria[0].question == QUESTIONS["cp-definitie"].question
    assert report.criteria[0].spread is None  # one reviewer: nothing to compare


@pytest.fixture
def judged(tmp_path) -> str:
    """Zorgfix's protocol judged by two reviewers who differ on one criterion."""
    url = f"sqlite:///{tmp_path / 'kit.db'}"
    done = runner.invoke(cli, ["screen", str(CASES / "zorgfix-bv.yaml"), "--db", url])
    assert done.exit_code == 0, done.output
    for reviewer, failing in (("J. de Vries", "cp-onderzoek"), ("A. Tweede", None)):
        answers = {code: "voldaan" for code in QUESTIONS}
        if failing:
            answers[failing] = {"uitkomst": "niet-voldaan", "toelichting": "geen methode"}
        path = tmp_path / f"{reviewer}.json"
        path.write_text(json.dumps(answers), encoding="utf-8")
        done = runner.invoke(
            cli,
            [
                *("assess", "INS-2024-0042", "calamiteitenprotocol", "--criteria", str(path)),
                *("--door", reviewer, "--datum", "2024-04-23", "--db", url),
            ],
        )
        assert done.exit_code == 0, done.output
    for name, role, password in (
        ("bea", "beheer", "bea-wachtwoord-12"),
        ("rob", "reviewer", "rob-wachtwoord-12"),
    ):
        assert users_add(url, name, role, password).exit_code == 0
    return url


def test_the_command_prints_the_report_as_json_for_beheer_and_toezicht(judged):
    for role in ("beheer", "toezicht"):
        done = runner.invoke(cli, ["--rol", role, "consistentie", "--json", "--db", judged])
        assert done.exit_code == 0, done.output
        rows = json.loads(done.stdout)
        onderzoek = next(r for r in rows if r.get("criterion") == "cp-onderzoek")
        assert (onderzoek["judged"], onderzoek["not_met"], onderzoek["spread"]) == (2, 1, 1.0)
        by = {r["reviewer"]: r["not_met"] for r in onderzoek["by_reviewer"]}
        assert by == {"A. Tweede": 0, "J. de Vries": 1}
        assert {r["reviewer"] for r in rows if r["soort"] == "beoordelaar"} == set(by)
    text = runner.invoke(cli, ["--rol", "beheer", "consistentie", "--db", judged])
    assert "cp-onderzoek: niet voldaan 1 van 2 (50%); verschil 100%" in text.stdout
    refused = runner.invoke(cli, ["--rol", "reviewer", "consistentie", "--db", judged])
    assert refused.exit_code == 1 and "voorbehouden aan de rol beheer of toezicht" in refused.stderr


def test_the_page_is_for_beheer_and_toezicht(judged):
    browser = logged_in(judged, "bea")
    shown = browser.get("/consistentie")
    assert shown.status_code == 200
    assert "<h2>calamiteitenprotocol</h2>" in shown.text
    assert "cp-onderzoek" in shown.text and QUESTIONS["cp-onderzoek"].question in shown.text
    assert '<th scope="col">J. de Vries</th>' in shown.text
    assert 'href="/consistentie"' in shown.text
    reviewer = logged_in(judged, "rob")
    assert reviewer.get("/consistentie").status_code == 403
    assert 'href="/consistentie"' not in reviewer.get("/").text
