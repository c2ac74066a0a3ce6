"""The `kit` command line, as a user runs it: screen the shipped cases, errors, rules, schema."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema
import pytest
import yaml
from conftest import CASES, load_raw, shipped_case_files
from typer.testing import CliRunner

from kit.cli import app
from kit.paths import rules_dir
from kit.screening.result import ScreeningResult
from kit.store import Store

runner = CliRunner()


def run(*args: str, env: dict | None = None):
    return runner.invoke(app, list(args), env=env)


def test_screen_shipped_cases_json_matches_result_schema_and_store(db_url):
    result = run("screen", str(CASES), "--json", "--db", db_url)
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    files = shipped_case_files()
    assert isinstance(payload, list) and len(payload) == len(files)
    schema = ScreeningResult.model_json_schema()
    for item in payload:
        jsonschema.validate(item, schema)
        ScreeningResult.model_validate(item)
        assert item["screening_id"].startswith("SCR-")
    store = Store(db_url)
    screenings = store.screenings()
    assert len(screenings) == len(files)
    by_code = {s.code: s for s in screenings}
    for item in payload:
        stored = by_code[item["screening_id"]]
        assert stored.ruleset_id == item["ruleset"]["id"]
        assert stored.ruleset_sha256 == item["ruleset"]["sha256"]
        assert len(store.findings(stored.id)) == len(item["findings"])
        assert store.verdicts(stored.id) == item["lots"]
        assert stored.case_sha256 and stored.engine_version.startswith("kit ")


def test_screen_prints_a_dutch_summary_table(db_url):
    result = run("screen", str(CASES / "zorgfix-bv.yaml"), "--db", db_url)
    assert result.exit_code == 0, result.output
    for word in ("Aanbieder", "Perceel", "Uitspraak", "Open", "Zorgfix B.V.", "herstel"):
        assert word in result.stdout
    assert "gescreend en opgeslagen" in result.stdout
    # The short lot labels are explained under the table, as under kit report's.
    assert "Percelen: J begel. = jeugd-ambulant-begeleiding" in " ".join(result.stdout.split())


def test_screening_twice_gives_the_stored_screening_and_opnieuw_appends(db_url):
    case = str(CASES / "zorgfix-bv.yaml")
    first = json.loads(run("screen", case, "--json", "--db", db_url).stdout)
    again = run("screen", case, "--json", "--db", db_url)
    assert again.exit_code == 0
    assert f"al gescreend: {first['screening_id']}" in again.stderr
    assert json.loads(again.stdout) == first  # the stored screening, as it was
    assert len(Store(db_url).screenings()) == 1
    table = run("screen", case, "--db", db_url)
    assert "0 inschrijving(en) gescreend en opgeslagen; 1 al gescreend" in table.stdout
    forced = json.loads(run("screen", case, "--opnieuw", "--json", "--db", db_url).stdout)
    assert forced["screening_id"] != first["screening_id"]
    assert forced["findings"] == first["findings"]
    store = Store(db_url)
    assert len(store.screenings()) == 2  # appended, never overwritten
    assert store.counts()["submissions"] == 1


def test_broken_case_one_dutch_line_nonzero_exit_nothing_stored_rest_screened(tmp_path, db_url):
    raw = load_raw()
    raw["submission"]["staff"][1]["vog"]["issued_on"] = "gisteren"
    bad = tmp_path / "kapot.yaml"
    bad.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    good = tmp_path / "goed.yaml"
    shutil.copy(CASES / "zorgfix-bv.yaml", good)
    result = run("screen", str(tmp_path), "--db", db_url)
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(errors) == 1
    assert str(bad) in errors[0] and "submission.staff[1].vog.issued_on" in errors[0]
    assert "ongeldige datum" in errors[0] and "Traceback" not in result.output
    screenings = Store(db_url).screenings()
    assert [s.source for s in screenings] == [str(good)]


def test_unknown_procedure_is_refused_with_the_known_ones(tmp_path, db_url):
    raw = load_raw()
    raw["submission"]["procedure"] = "inkoop-2030"
    path = tmp_path / "onbekend.yaml"
    path.write_text(yaml.safe_dump(raw), encoding="utf-8")
    result = run("screen", str(path), "--db", db_url)
    assert result.exit_code == 1
    assert "onbekende procedure 'inkoop-2030'" in result.stderr and "inkoop-2025" in result.stderr
    assert Store(db_url).screenings() == []


def test_as_of_date_no_version_covers_is_refused(db_url):
    result = run("screen", str(CASES / "zorgfix-bv.yaml"), "--as-of", "2023-06-01", "--db", db_url)
    assert result.exit_code == 1
    assert "geen regelset van kracht op 2023-06-01" in result.stderr


def test_broken_rule_file_one_dutch_line_nonzero_exit(tmp_path):
    target = tmp_path / "rules"
    shutil.copytree(rules_dir(), target)
    path = target / "kit-2025" / "20-organisatie.yaml"
    text = path.read_text(encoding="utf-8").replace(
        "max_age_months: 6\n", "max_age_months: zes\n", 1
    )
    path.write_text(text, encoding="utf-8")
    result = run("rules", "check", str(target))
    assert result.exit_code == 1
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1
    assert (
        str(path) in lines[0]
        and "regel O1-kvk-uittreksel" in lines[0]
        and "max_age_months" in lines[0]
    )


def test_rules_check_clean():
    result = run("rules", "check")
    assert result.exit_code == 0
    assert "Alle regelsets zijn in orde." in result.stdout


@pytest.mark.parametrize("ruleset", ["kit-2025", "kit-2026"])
def test_rules_show_lists_rules_with_basis(ruleset):
    result = run("rules", "show", ruleset)
    assert result.exit_code == 0
    for label in ("Voor:", "Eisen:", "Uitkomst:", "Grondslag:"):
        assert label in result.stdout
    assert "O1-kvk-uittreksel" in result.stdout and "max_age_months: 6" in result.stdout
    assert ("Q9-intern-toezicht" in result.stdout) == (ruleset == "kit-2026")


def test_rules_show_unknown_id():
    result = run("rules", "show", "kit-1999")
    assert result.exit_code == 1 and "onbekende regelset 'kit-1999'" in result.stderr


def test_schema_prints_case_json_schema():
    result = run("schema")
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    for path in shipped_case_files():
        jsonschema.validate(json.loads(json.dumps(load_raw(path), default=str)), schema)


def test_rules_show_lists_every_requirement_code_of_the_catalogue():
    import re

    spec = Path(__file__).resolve().parents[3] / "shared" / "spec" / "requirements.md"
    text = spec.read_text(encoding="utf-8") if spec.exists() else ""
    codes = set(re.findall(r"^- ([EOQLSGRP][0-9]+) \[", text, flags=re.MULTILINE)) or {
        "E1",
        "O1",
        "Q1",
    }
    codes.add("V")
    shown_2025 = run("rules", "show", "kit-2025").stdout
    shown_2026 = run("rules", "show", "kit-2026").stdout
    for code in sorted(codes):
        # Q9 comes into force in 2026: requirements.md puts it in kit-2026 only.
        shown = shown_2026 if code == "Q9" else shown_2025
        assert re.search(rf"(?<![A-Z0-9]){code}(?![0-9])", shown), code
    assert "Herscreening (M3) bij bestuurswisseling" in shown_2025


def test_a_region_sized_batch_is_screened_in_worker_processes(tmp_path, db_url):
    from kit.services import REGION_FROM

    raw = load_raw()
    for i in range(REGION_FROM):
        raw["submission"]["id"] = f"INS-REGIO-{i:04d}"
        raw["submission"]["provider"]["kvk"] = f"{50000000 + i}"
        (tmp_path / f"case-{i:04d}.yaml").write_text(
            yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8"
        )
    (tmp_path / "kapot.yaml").write_text("submission: [", encoding="utf-8")
    result = run("screen", str(tmp_path), "--db", db_url)
    assert result.exit_code == 1
    assert f"{REGION_FROM} inschrijving(en) gescreend en opgeslagen" in result.stdout
    assert "kapot.yaml" in result.stderr and "geen geldige YAML" in result.stderr
    store = Store(db_url)
    assert len(store.screenings()) == REGION_FROM
    assert {s.ruleset_id for s in store.screenings()} == {"kit-2025"}


def test_user_mistakes_are_one_dutch_line(tmp_path, db_url):
    checks = [
        (["rules", "check", str(tmp_path / "nergens")], "map bestaat niet"),
        (["rules", "check", str(tmp_path)], "geen regelsets gevonden"),
        (["screen", str(tmp_path), "--db", db_url], "geen casusbestanden"),
        (["screen", str(CASES / "zorgfix-bv.yaml"), "--db", "geen-url"], "ongeldige database-URL"),
    ]
    for args, expected in checks:
        result = run(*args)
        assert result.exit_code == 1, args
        assert expected in result.stderr and "Traceback" not in result.output, (args, result.output)
    assert run("screen", str(CASES / "zorgfix-bv.yaml"), "--db", db_url).exit_code == 0
    letter = run(
        "repair",
        "letter",
        "INS-2024-0042",
        "--out",
        str(tmp_path / "nergens" / "brief.md"),
        "--as-of",
        "2024-04-03",
        "--db",
        db_url,
    )
    assert letter.exit_code == 1 and "bestand of map bestaat niet" in letter.stderr
    diff = run("repair", "diff", "INS-2024-0042", "--db", db_url)
    assert diff.exit_code == 1 and "alleen ronde 0 is gescreend" in diff.stderr
