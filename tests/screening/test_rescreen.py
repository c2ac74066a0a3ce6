"""Issue 6: version by date, reuse of stored documents, board change, re-screen on a later date,
exact replay of every shipped case, and diffs between screenings."""

from __future__ import annotations

import copy
import json
from datetime import date
from pathlib import Path

import pytest
import yaml
from conftest import CASES, ROOT, load_raw, shipped_case_files
from typer.testing import CliRunner

from kit.cli import app
from kit.store import Store

runner = CliRunner()
MID_TERM = CASES / "jeugdzorg-regge-en-dinkel-tussentijdse-toetreding-2026.yaml"


def run(db_url: str, *args: str, role: str = "reviewer"):
    return runner.invoke(app, ["--role", role, *args, "--db", db_url], env={"KIT_USER": "tester"})


def write(tmp_path: Path, name: str, data: dict) -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def open_rules(result: dict) -> set[str]:
    return {f["rule"] for f in result["findings"] if f["status"] != "voldaan"}


def test_mid_term_entrant_2026_gets_kit_2026_and_fails_only_the_supervisory_body(db_url):
    result = run(db_url, "screen", str(MID_TERM), "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["ruleset"]["id"] == "kit-2026" and data["as_of"] == "2026-03-01"
    assert open_rules(data) == {"Q9-intern-toezicht"}


def test_a_date_no_version_covers_is_refused_naming_the_versions(tmp_path, db_url):
    raw = load_raw()
    raw["submission"]["submitted_on"] = date(2023, 11, 1)
    result = run(db_url, "screen", str(write(tmp_path, "oud.yaml", raw)))
    assert result.exit_code == 1
    assert "geen regelset van kracht op 2023-11-01" in result.stderr
    assert "kit-2025 (2024-01-01 t/m 2025-12-31)" in result.stderr and "kit-2026" in result.stderr


@pytest.mark.parametrize(
    ("submitted", "expected"),
    [(date(2024, 5, 15), "voldaan"), (date(2024, 11, 15), "niet-voldaan")],
)
def test_reused_kvk_extract_accepted_in_may_refused_in_november(
    tmp_path, db_url, submitted, expected
):
    first = json.loads(run(db_url, "screen", str(CASES / "zorgfix-bv.yaml"), "--json").stdout)
    raw = load_raw()
    sub = raw["submission"]
    sub["id"] = "INS-2024-0099"
    sub["submitted_on"] = submitted
    sub["documents"] = [d for d in sub["documents"] if d["type"] != "kvk-uittreksel"]
    sub["documents"].append(
        {"id": "D50", "type": "kvk-uittreksel", "reuse_of": first["screening_id"]}
    )
    result = run(db_url, "screen", str(write(tmp_path, "hergebruik.yaml", raw)), "--json")
    assert result.exit_code == 0, result.output
    finding = next(
        f for f in json.loads(result.stdout)["findings"] if f["rule"] == "O1-kvk-uittreksel"
    )
    assert finding["status"] == expected
    assert finding["evidence"] == sorted(["D50", first["screening_id"]])
    assert f"hergebruikt uit {first['screening_id']}" in finding["message"]


def test_reuse_of_an_unknown_screening_is_a_dutch_error(tmp_path, db_url):
    raw = load_raw()
    raw["submission"]["documents"].append(
        {"id": "D51", "type": "noodplan", "reuse_of": "SCR-999999"}
    )
    result = run(db_url, "screen", str(write(tmp_path, "fout.yaml", raw)))
    assert result.exit_code == 1
    assert (
        "submission.documents[" in result.stderr
        and "screening 'SCR-999999' bestaat niet" in result.stderr
    )


def test_board_change_with_a_convicted_director_excludes_the_provider(tmp_path, db_url):
    assert run(db_url, "screen", str(CASES / "zorgfix-bv.yaml")).exit_code == 0
    raw = load_raw()
    declarations = copy.deepcopy(raw["submission"]["declarations"])
    for decl in declarations:
        if decl["ground"] == "fraude":
            decl.update(answer=True, event_date=date(2022, 9, 1), board_member="B7")
    board = {
        "board": [
            {"id": "B7", "role": "bestuurder", "since": date(2024, 6, 1), "care_background": False}
        ],
        "declarations": declarations,
        "documents": [
            {"id": "D60", "type": "gedragsverklaring-aanbesteden", "issued_on": date(2024, 6, 3)}
        ],
    }
    result = run(
        db_url,
        "rescreen",
        "12345678",
        "--reason",
        "bestuurswisseling",
        "--board",
        str(write(tmp_path, "bestuur.yaml", board)),
        "--as-of",
        "2024-06-10",
        "--json",
    )
    assert result.exit_code == 0, result.output
    [data] = json.loads(result.stdout)  # a list, as every --json of kit gives
    assert set(data["lots"].values()) == {"uitgesloten"}
    assert data["rerun"] == ["E1", "E2", "E3", "E4", "E5", "E6", "E7", "O3", "O5"]
    fraud = next(
        f
        for f in data["findings"]
        if f["rule"] == "E1-verplichte-uitsluitingsgronden" and f["requirement"] == "fraude"
    )
    assert (fraud["subject"], fraud["outcome"]) == ("board:B7", "uitsluiting")
    # The rest stands: the calamities-protocol finding is the one of the base screening.
    q1 = next(f for f in data["findings"] if f["rule"] == "Q1-calamiteitenprotocol")
    assert q1["outcome"] == "herstel"
    # Not re-run: the board-background risk signal still reflects the old board.
    assert data["risk"] == "groen"
    replay = run(db_url, "replay", data["screening_id"])
    assert replay.exit_code == 0 and "identiek" in replay.stdout


def test_rescreen_on_a_later_date_shows_what_changed(db_url):
    assert run(db_url, "screen", str(CASES / "zorgfix-bv.yaml")).exit_code == 0
    result = run(db_url, "rescreen", "12345678", "--as-of", "2025-06-01")
    assert result.exit_code == 0, result.output
    assert "herscreening" in result.stdout and "Verschil met SCR-000001" in result.stdout
    assert "O1-kvk-uittreksel" in result.stdout and "nieuw" in result.stdout
    assert [s.reason for s in Store(db_url).screenings()] == ["screening", "herscreening"]


def test_rescreen_all_adds_one_screening_per_submission(db_url):
    assert run(db_url, "screen", str(CASES)).exit_code == 0
    stored = Store(db_url).screenings()
    later = [s for s in stored if s.as_of > date(2025, 6, 1)]  # the 2026 entrant
    result = run(db_url, "rescreen", "--all", "--as-of", "2025-06-01")
    assert result.exit_code == 0, result.output
    assert len(later) == 1 and len(Store(db_url).screenings()) == 2 * len(stored) - 1


def test_a_rescreen_looks_forward_never_before_the_latest_screening(db_url):
    assert run(db_url, "screen", str(CASES / "zorgfix-bv.yaml")).exit_code == 0  # 2024-04-02
    before = len(Store(db_url).screenings())
    back = run(db_url, "rescreen", "12345678", "--peildatum", "2024-03-01")
    assert back.exit_code == 1 and "ligt voor de laatste screening SCR-000001" in back.stderr
    assert len(Store(db_url).screenings()) == before


def test_a_rescreen_is_never_stored_for_a_day_still_to_come(db_url):
    assert run(db_url, "screen", str(CASES / "zorgfix-bv.yaml")).exit_code == 0
    before = len(Store(db_url).screenings())
    for args in (("rescreen", "12345678"), ("rescreen", "--alle")):
        ahead = run(db_url, *args, "--peildatum", "2099-01-01", role="inkoop")
        assert ahead.exit_code == 1 and "ligt in de toekomst" in ahead.stderr
        assert "kit rules impact --peildatum" in ahead.stderr
    assert len(Store(db_url).screenings()) == before


def test_a_board_change_is_not_dated_back_or_ahead_either(tmp_path, db_url):
    assert run(db_url, "screen", str(CASES / "zorgfix-bv.yaml")).exit_code == 0  # 2024-04-02
    change = [
        "--reden",
        "bestuurswisseling",
        "--bestuur",
        str(ROOT / "examples/nieuw-bestuur.yaml"),
    ]
    for day, why in (("2024-03-01", "ligt voor de laatste screening"), ("2099-01-01", "toekomst")):
        done = run(db_url, "rescreen", "12345678", *change, "--peildatum", day)
        assert done.exit_code == 1 and why in done.stderr, done.output
    assert len(Store(db_url).screenings()) == 1


def test_rescreen_all_leaves_what_was_screened_after_the_date_and_says_so(db_url):
    assert run(db_url, "screen", str(CASES)).exit_code in (0, 1)
    stored = Store(db_url).screenings()
    later = [s for s in stored if s.as_of > date(2024, 5, 1)]
    assert later and len(later) < len(stored)
    result = run(db_url, "rescreen", "--alle", "--peildatum", "2024-05-01", "--json", role="inkoop")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["screened"] == len(stored) - len(later) and data["errors"] == []
    assert sorted(data["later"]) == sorted(s.code for s in later)
    assert len(Store(db_url).screenings()) == 2 * len(stored) - len(later)
    table = run(db_url, "rescreen", "--alle", "--peildatum", "2024-05-02", role="inkoop")
    assert table.exit_code == 0 and "inschrijving(en) al gescreend na 2024-05-02" in table.stdout


def test_replay_of_every_shipped_case_is_identical(db_url):
    result = run(db_url, "screen", str(CASES), "--json")
    assert result.exit_code == 0
    codes = [item["screening_id"] for item in json.loads(result.stdout)]
    assert len(codes) == len(shipped_case_files())
    for code in codes:
        replayed = run(db_url, "replay", code)
        assert replayed.exit_code == 0, (code, replayed.output)
        assert "identiek" in replayed.stdout


def test_replay_after_a_rule_change_uses_the_stored_rule_set(tmp_path, monkeypatch):
    import shutil

    from kit.kinds import rulesets as loader
    from kit.paths import rules_dir

    db_url = f"sqlite:///{tmp_path / 'kit.db'}"
    result = run(db_url, "screen", str(CASES / "zorgfix-bv.yaml"), "--json")
    code = json.loads(result.stdout)["screening_id"]
    changed = tmp_path / "rules"
    shutil.copytree(rules_dir(), changed)
    path = changed / "kit-2025" / "20-organisatie.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("max_age_months: 6", "max_age_months: 1", 1),
        encoding="utf-8",
    )
    monkeypatch.setenv("KIT_RULES_DIR", str(changed))
    loader._cached_all.cache_clear()
    try:
        replayed = run(db_url, "replay", code)
    finally:
        loader._cached_all.cache_clear()
    assert replayed.exit_code == 0, replayed.output
    assert "gewijzigd" in replayed.stdout and "identiek" in replayed.stdout


def test_diff_between_two_screenings(db_url):
    assert run(db_url, "screen", str(CASES / "zorgfix-bv.yaml")).exit_code == 0
    assert run(db_url, "rescreen", "12345678", "--as-of", "2025-06-01").exit_code == 0
    result = run(db_url, "diff", "SCR-000001", "SCR-000002")
    assert result.exit_code == 0
    assert "nieuw" in result.stdout and "O1-kvk-uittreksel" in result.stdout
