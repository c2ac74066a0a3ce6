"""Q12 criteria as rule data: shipped, shown, compared, checked, and hashed without disturbing
the replay of screenings stored before criteria existed."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from kit.cli import app
from kit.kinds.rulesets import load_ruleset, snapshot_problem
from kit.paths import rules_dir
from kit.rules.criteria import criteria_of
from kit.rules.loader import content_hash
from kit.rules.snapshot import snapshot_content
from kit.vocab.vocabulary import vocabulary

runner = CliRunner()
QUALITY = "30-kwaliteit.yaml"


def _rules_copy(tmp_path: Path) -> Path:
    target = tmp_path / "rules"
    shutil.copytree(rules_dir(), target)
    return target


def _edit(root: Path, rule_id: str, edit) -> Path:
    path = root / "kit-2025" / QUALITY
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for rule in data["rules"]:
        if rule["id"] == rule_id:
            edit(rule)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


@pytest.mark.parametrize("ruleset_id", ["kit-2025", "kit-2026"])
@pytest.mark.parametrize(
    "document", ["calamiteitenprotocol", "meldcode", "klachtenregeling", "rie"]
)
def test_shipped_rule_sets_carry_criteria_with_basis_under_q12(ruleset_id, document):
    ruleset = load_ruleset(ruleset_id)
    criteria = criteria_of(ruleset.rules, document)
    assert len(criteria) >= 3
    assert all(c.question and c.when_not_met and c.basis for c in criteria)
    rule = next(r for r in ruleset.rules if getattr(r, "document", None) == document)
    assert "Q12" in rule.refs


def test_the_calamiteitenprotocol_criteria_cover_what_q12_lists():
    codes = {c.code for c in criteria_of(load_ruleset("kit-2025").rules, "calamiteitenprotocol")}
    assert {"cp-definitie", "cp-melden-toezichthouder", "cp-onderzoek", "cp-gemeente"} <= codes
    assert len(codes) == 9


def test_rules_show_prints_every_criterion_and_json_carries_the_provider_text():
    shown = runner.invoke(app, ["rules", "show", "kit-2025"])
    assert shown.exit_code == 0
    for criterion in criteria_of(load_ruleset("kit-2025").rules, "meldcode"):
        assert f"- {criterion.code}:" in shown.stdout
    described = json.loads(runner.invoke(app, ["rules", "show", "kit-2025", "--json"]).stdout)
    q2 = next(rule for rule in described if rule["rule"] == "Q2-klachtenregeling")
    by_code = {c["code"]: c for c in q2["criteria"]}
    assert by_code["kr-geschillencommissie"]["may_not_apply"] is True
    assert "geschilleninstantie" in by_code["kr-geschillencommissie"]["when_not_met"]


def test_rules_check_refuses_a_content_reviewed_document_without_criteria(tmp_path):
    root = _rules_copy(tmp_path)
    path = _edit(root, "Q2-klachtenregeling", lambda rule: rule.pop("criteria"))
    result = runner.invoke(app, ["rules", "check", str(root)])
    assert result.exit_code == 1
    assert str(path) in result.stderr
    assert "regel Q2-klachtenregeling: criteria:" in result.stderr
    assert "inhoudelijk beoordeeld" in result.stderr


def test_rules_check_refuses_a_criterion_code_used_twice(tmp_path):
    root = _rules_copy(tmp_path)

    def twice(rule):
        rule["criteria"].append(dict(rule["criteria"][0]))

    _edit(root, "Q3-meldcode", twice)
    result = runner.invoke(app, ["rules", "check", str(root)])
    assert result.exit_code == 1
    assert "criteria[7].code: 'mc-stap1-signalen' komt twee keer voor" in result.stderr


def test_a_criterion_without_a_provider_text_is_refused_naming_file_and_field(tmp_path):
    root = _rules_copy(tmp_path)
    path = _edit(
        root, "Q1-calamiteitenprotocol", lambda rule: rule["criteria"][0].pop("when_not_met")
    )
    result = runner.invoke(app, ["rules", "check", str(root)])
    assert result.exit_code == 1
    assert str(path) in result.stderr and "when_not_met" in result.stderr


def test_rules_diff_names_the_criterion_that_changed(tmp_path):
    root = _rules_copy(tmp_path)

    def reword(rule):
        rule["criteria"][1]["when_not_met"] = "Uw protocol zegt niet wie meldt."
        rule["criteria"].pop()

    _edit(root, "Q1-calamiteitenprotocol", reword)
    result = runner.invoke(app, ["rules", "diff", "kit-2025", str(root / "kit-2025"), "--json"])
    assert result.exit_code == 0, result.output
    changed = {c["rule"]: c for c in json.loads(result.stdout)[0]["rules"]}
    whats = {c["what"]: c for c in changed["Q1-calamiteitenprotocol"]["changes"]}
    assert whats["Criterium cp-wie-meldt"]["becomes"] == "Uw protocol zegt niet wie meldt."
    assert whats["Criterium cp-gemeente"]["becomes"] == "-"


def test_a_snapshot_stored_before_criteria_existed_keeps_its_hash():
    """The criteria changed the shipped rule sets' hash; a snapshot written before (no criteria
    anywhere) must still match the hash it was stored under, so its replay stays trusted."""
    ruleset = load_ruleset("kit-2025")
    content = json.loads(snapshot_content(ruleset))
    for rule in content["rules"]:
        rule.pop("criteria", None)
    old = json.dumps(content, ensure_ascii=False, sort_keys=True)
    # The hash as kit computed it before the criteria field existed: every field of every rule.
    payload_rules = []
    for rule in load_ruleset("kit-2025").rules:
        dumped = rule.model_dump(mode="json", by_alias=True)
        dumped.pop("criteria", None)
        payload_rules.append(dumped)

    payload = {
        "id": ruleset.id,
        "in_force": {"from": ruleset.in_force_from.isoformat(), "until": "2025-12-31"},
        "procedures": [p.model_dump(mode="json") for p in ruleset.procedures.values()],
        "care_functions": ruleset.care_functions,
        "rescreen": ruleset.rescreen,
        "rules": payload_rules,
        "vocabulary": vocabulary().raw,
    }
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str)
    before = hashlib.sha256(text.encode("utf-8")).hexdigest()
    assert snapshot_problem(old, before) is None
    assert content_hash(ruleset, vocabulary().raw) != before  # the criteria are hashed


def test_rules_impact_names_the_changed_criteria_and_the_judgements_made_against_them(
    tmp_path, db_url
):
    from conftest import CASES

    done = runner.invoke(app, ["screen", str(CASES / "zorgfix-bv.yaml"), "--db", db_url])
    assert done.exit_code == 0, done.output
    answers = {c.code: "voldaan" for c in criteria_of(load_ruleset("kit-2025").rules, "meldcode")}
    answers_file = tmp_path / "oordeel.json"
    answers_file.write_text(json.dumps(answers), encoding="utf-8")
    judged = runner.invoke(
        app,
        [
            *("assess", "INS-2024-0042", "meldcode", "--criteria", str(answers_file)),
            *("--door", "J. de Vries", "--datum", "2024-04-23", "--db", db_url),
        ],
    )
    assert judged.exit_code == 0, judged.output
    root = _rules_copy(tmp_path)

    def stricter(rule):
        rule["criteria"].append(
            {
                "code": "mc-scholing",
                "question": "Worden medewerkers geschoold in de meldcode?",
                "when_not_met": "De meldcode regelt geen scholing van uw medewerkers.",
                "basis": "Wet verplichte meldcode",
            }
        )

    _edit(root, "Q3-meldcode", stricter)
    result = runner.invoke(app, ["rules", "impact", str(root), "--json", "--db", db_url])
    assert result.exit_code == 0, result.output
    items = [i for i in json.loads(result.stdout) if i["soort"] == "criteria"]
    # kit-2026 inherits the criteria, so its judgements are touched as well.
    assert [(i["ruleset"], i["document"], i["judgements"]) for i in items] == [
        ("kit-2025", "meldcode", 1),
        ("kit-2026", "meldcode", 1),
    ]
    assert items[0]["changes"][0]["what"] == "Criterium mc-scholing"
    text = runner.invoke(app, ["rules", "impact", str(root), "--db", db_url]).stdout
    assert "Criteria van meldcode wijzigen (kit-2025): 1 oordeel/oordelen" in text
