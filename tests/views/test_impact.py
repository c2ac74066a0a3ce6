"""Issue 15: `kit rules impact` (a rule change computed over the stored region first, nothing
stored) and `kit rules diff` (two versions rule by rule)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml
from conftest import CASES, ROOT, load_raw, shipped_case_files
from typer.testing import CliRunner

from kit.cli import app
from kit.cli.impact import impact_json as impact_json_of
from kit.kinds.choice import choose
from kit.store import Store
from kit.views.impact import impact

runner = CliRunner()
EXPECTED = CASES / "expected"


def run(db_url: str | None, *args: str):
    db = ["--db", db_url] if db_url else []
    return runner.invoke(app, [*args, *db], env={"KIT_USER": "tester", "COLUMNS": "200"})


@pytest.fixture(scope="module")
def region(tmp_path_factory) -> str:
    """The shipped cases, screened and stored once for this module."""
    db_url = f"sqlite:///{tmp_path_factory.mktemp('impact') / 'kit.db'}"
    done = runner.invoke(app, ["screen", str(CASES), "--db", db_url], env={"KIT_USER": "tester"})
    assert done.exit_code in (0, 1), done.output  # 1: some cases have findings
    assert Store(db_url).counts()["submissions"] == len(shipped_case_files())
    return db_url


def copy_rules(tmp_path: Path) -> Path:
    target = tmp_path / "proef"
    shutil.copytree(ROOT / "rules", target)
    return target


def edit_rule(rules: Path, rule_id: str, **changes) -> None:
    """Change one rule's parameters in every file of the copy that defines it."""
    for path in rules.glob("*/*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        hit = [r for r in data.get("rules", []) if r.get("id") == rule_id]
        for rule in hit:
            rule.update(changes)
        if hit:
            path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def impact_json(db_url: str, *args: str) -> list[dict]:
    result = run(db_url, "rules", "impact", *args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def of(items: list[dict], soort: str) -> list[dict]:
    return [item for item in items if item["soort"] == soort]


def months_between(earlier, later) -> int:
    return (
        (later.year - earlier.year) * 12 + later.month - earlier.month - (later.day < earlier.day)
    )


def test_an_unchanged_copy_of_the_rules_changes_nothing(region, tmp_path):
    found = impact_json(region, str(copy_rules(tmp_path)))
    summary = of(found, "samenvatting")[0]
    assert summary["submissions"] == len(shipped_case_files())
    assert summary["verdicts_changed"] == 0 and summary["extra_repair_requests"] == 0
    assert of(found, "aanbieder") == [] and of(found, "regel") == []
    assert all(t["from"] == t["to"] for t in of(found, "overgang"))


def test_a_vog_period_from_36_to_24_months_catches_exactly_the_vogs_between(region, tmp_path):
    rules = copy_rules(tmp_path)
    edit_rule(rules, "S6-vog-zelfstandige", max_age_months=24)
    found = impact_json(region, str(rules))
    # Known in advance: the zelfstandigen whose own VOG is 24 to 36 months old on their date.
    expected = set()
    for path in shipped_case_files():
        sub = load_raw(path)["submission"]
        if sub["provider"].get("employees") != 0:
            continue
        for member in sub.get("staff", []):
            vog = member.get("vog")
            if member.get("employment") == "zzp" and vog:
                age = months_between(vog["issued_on"], sub["submitted_on"])
                if 24 < age <= 36:
                    expected |= {(sub["id"], lot) for lot in member.get("lots", [])}
    changed = {(p["submission_id"], p["lot"]) for p in of(found, "aanbieder")}
    assert changed and changed <= expected  # INS-2024-0107 and INS-2024-0233
    assert {(p["from"], p["to"]) for p in of(found, "aanbieder")} == {
        ("toegelaten", "herstel-nodig")
    }
    # Only the VOG rule and, through it, the qualified-staff rule (S7) that counts on it.
    assert {r["rule"] for r in of(found, "regel")} <= {
        "S6-vog-zelfstandige",
        "S7-gekwalificeerd-personeel",
    }
    assert all(r["removed"] == 0 for r in of(found, "regel"))
    vog_rule = next(r for r in of(found, "regel") if r["rule"] == "S6-vog-zelfstandige")
    assert vog_rule["added"] == len({sub for sub, _ in expected})
    assert of(found, "samenvatting")[0]["extra_repair_requests"] == len({s for s, _ in changed})


def test_a_new_required_document_asks_every_stichting_for_it(region, tmp_path):
    rules = copy_rules(tmp_path)
    path = rules / "kit-2025" / "20-organisatie.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["rules"].append(
        {
            "id": "O9-raad-van-toezicht",
            "refs": ["O6"],
            "title": "Reglement raad van toezicht (stichtingen)",
            "basis": "Proef",
            "assumed": True,
            "applies": {"legal_forms": ["stichting"]},
            "kind": "document",
            "document": "raad-van-toezicht",
        }
    )
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    found = impact_json(region, str(rules))
    stichtingen = {}
    for case in shipped_case_files():
        sub = load_raw(case)["submission"]
        if sub["provider"]["legal_form"] == "stichting":
            stichtingen[sub["id"]] = json.loads(
                (EXPECTED / f"{case.stem}.json").read_text(encoding="utf-8")
            )["lots"]
    # Every stichting gets the new finding; each of its lots that was admitted or waiting for
    # a judgement now needs repair; nothing else changes.
    rule = of(found, "regel")
    assert rule == [
        {
            "soort": "regel",
            "rule": "O9-raad-van-toezicht",
            "title": "Reglement raad van toezicht (stichtingen)",
            "added": len(stichtingen),
            "removed": 0,
        }
    ]
    expected = {
        (sub, lot, verdict)
        for sub, lots in stichtingen.items()
        for lot, verdict in lots.items()
        if verdict in ("toegelaten", "in-beoordeling", "voorwaardelijk-toegelaten")
    }
    assert {(p["submission_id"], p["lot"], p["from"]) for p in of(found, "aanbieder")} == expected
    assert {p["to"] for p in of(found, "aanbieder")} == {"herstel-nodig"}
    # The providers come in one order, whichever worker finished first.
    named = [(p["provider_name"], p["submission_id"], p["lot"]) for p in of(found, "aanbieder")]
    assert named == sorted(named) and len(set(named)) > 1


def test_an_impact_run_stores_nothing(region, tmp_path):
    rules = copy_rules(tmp_path)
    edit_rule(rules, "S6-vog-zelfstandige", max_age_months=12)
    store = Store(region)
    before = (store.counts(), len(store.audit_log()))
    result = run(region, "rules", "impact", str(rules), "--uitvoer", str(tmp_path / "i.xlsx"))
    assert result.exit_code == 0, result.output
    assert (store.counts(), len(store.audit_log())) == before
    assert "Doorgerekend: 23 inschrijvingen" in result.stdout
    assert "Geschatte extra herstelverzoeken" in result.stdout


def test_the_workbook_holds_transitions_providers_and_rules(region, tmp_path):
    import openpyxl

    rules = copy_rules(tmp_path)
    edit_rule(rules, "S6-vog-zelfstandige", max_age_months=24)
    out = tmp_path / "impact.xlsx"
    assert run(region, "rules", "impact", str(rules), "--uitvoer", str(out)).exit_code == 0
    both = run(region, "rules", "impact", str(rules), "--uitvoer", str(out), "--json")
    assert both.exit_code == 0 and json.loads(both.stdout)[0]["soort"] == "samenvatting"
    assert "Doorrekening geschreven naar" in both.stderr
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["Samenvatting", "Overgangen", "Aanbieders", "Regels"]
    summary = {row[0]: row[1] for row in book["Samenvatting"].iter_rows(values_only=True)}
    assert summary["Inschrijvingen doorgerekend"] == 23
    assert summary["Uitspraken die veranderen"] == len(providers_of(both.stdout))
    providers = [row for row in book["Aanbieders"].iter_rows(min_row=2, values_only=True)]
    assert {(row[1], row[3], row[4]) for row in providers} == {
        ("INS-2024-0107", "toegelaten", "herstel-nodig"),
        ("INS-2024-0233", "toegelaten", "herstel-nodig"),
    }


def providers_of(impact_stdout: str) -> list[dict]:
    return [item for item in json.loads(impact_stdout) if item["soort"] == "aanbieder"]


def test_worker_processes_give_the_same_answer_as_one(region, tmp_path):
    rules = copy_rules(tmp_path)
    edit_rule(rules, "S6-vog-zelfstandige", max_age_months=24)
    choice = choose(str(rules))
    one = impact(Store(region), choice, workers=1, batch_size=5)
    two = impact(Store(region), choice, workers=2, batch_size=5)
    assert sorted(one.verdicts) == sorted(two.verdicts)
    assert one.added == two.added and one.removed == two.removed
    assert sorted(one.more_repair) == sorted(two.more_repair)
    assert impact_json_of(one) == impact_json_of(two)  # what the user reads: the same, in order


def test_rules_that_fail_the_check_are_refused_with_the_checks_messages(region, tmp_path):
    rules = copy_rules(tmp_path)
    edit_rule(rules, "S6-vog-zelfstandige", applies={"employees_min": 5, "employees_max": 1})
    check = run(None, "rules", "check", str(rules))
    assert check.exit_code == 1
    refused = run(region, "rules", "impact", str(rules))
    assert refused.exit_code == 1
    problem = next(line for line in check.stderr.splitlines() if "S6-vog-zelfstandige" in line)
    assert problem in refused.stderr
    assert "niets doorgerekend" in refused.stderr


def test_an_unknown_rule_set_is_named(region):
    result = run(region, "rules", "impact", "kit-2099")
    assert result.exit_code == 1
    assert "kit-2099: geen regelset en geen map met regelsets" in result.stderr
    assert "kit-2025" in result.stderr


def test_a_shipped_version_applies_on_every_date(region):
    """On 2026-03-01 kit-2026 is in force; kit-2025 (without Q9, the internal supervisory body)
    applied on that date takes away the Q9 findings and nothing is refused for its date."""
    found = impact_json(region, "kit-2025", "--peildatum", "2026-03-01")
    q9 = [r for r in of(found, "regel") if r["rule"] == "Q9-intern-toezicht"]
    assert q9 and q9[0]["added"] == 0 and q9[0]["removed"] > 0
    assert of(found, "samenvatting")[0]["errors"] == []


def test_diff_names_the_changed_parameter_and_added_and_removed_rules(tmp_path):
    rules = copy_rules(tmp_path)
    edit_rule(rules, "S6-vog-zelfstandige", max_age_months=24)
    result = run(None, "rules", "diff", str(ROOT / "rules"), str(rules))
    assert result.exit_code == 0, result.output
    assert "S6-vog-zelfstandige: gewijzigd" in result.stdout
    assert "Eis max_age_months: 36 → 24" in result.stdout
    versions = json.loads(run(None, "rules", "diff", "kit-2025", "kit-2026", "--json").stdout)
    [pair] = versions
    kinds = {(c["soort"], c["rule"]) for c in pair["rules"]}
    assert ("toegevoegd", "Q9-intern-toezicht") in kinds
    assert pair["changes"][0]["what"] == "Van kracht"
    back = json.loads(run(None, "rules", "diff", "kit-2026", "kit-2025", "--json").stdout)
    assert ("verwijderd", "Q9-intern-toezicht") in {
        (c["soort"], c["rule"]) for c in back[0]["rules"]
    }


def test_diff_refuses_a_version_against_a_directory(tmp_path):
    result = run(None, "rules", "diff", "kit-2025", str(ROOT / "rules"))
    assert result.exit_code == 1
    assert "vergelijk een regelset met een regelset" in result.stderr


def test_the_from_side_is_the_stored_latest_screening_with_its_decisions(tmp_path):
    """A judgement recorded with kit assess is part of the latest case version: the impact's
    'from' verdicts are exactly those of each submission's latest stored screening."""
    from kit.views.standing import standings

    db_url = f"sqlite:///{tmp_path / 'kit.db'}"
    runner.invoke(app, ["screen", str(CASES), "--db", db_url], env={"KIT_USER": "tester"})
    assess = run(
        db_url,
        "--rol",
        "reviewer",
        "assess",
        "INS-2024-0042",
        "calamiteitenprotocol",
        "--oordeel",
        "voldoende",
        "--toelichting",
        "Toch in orde.",
        "--door",
        "J. de Vries",
    )
    assert assess.exit_code == 0, assess.output
    store = Store(db_url)
    found = impact(store, choose(str(ROOT / "rules")), workers=1)
    stored = {
        (s.submission_id, lot): value["verdict"]
        for s in standings(store)
        for lot, value in s.lots.items()
    }
    assert {(sub, lot): before for sub, _, lot, before, _ in found.verdicts} == stored
    assert found.changed() == []
