"""Issue 22, "Letters that state the decision": one exclusion is one finding, and the letters a
provider reads say what was decided and why, in its own words, without kit's internal ones."""

from __future__ import annotations

import collections
import copy
import json
import shutil
from datetime import date
from pathlib import Path

import yaml
from conftest import CASES, ROOT, load_raw
from test_objection import bibob
from typer.testing import CliRunner

from kit.cli import app
from kit.store import Store

runner = CliRunner()
VITAAL = CASES / "zorggroep-vitaal-uitsluiting-fraude.yaml"
WIJKZORG = CASES / "wijkzorg-hof-van-twente-bibob-lopend.yaml"
EXAMPLES = ROOT / "examples"


def kit(db_url: str, *args: str, role: str = "reviewer", env: dict[str, str] | None = None):
    return runner.invoke(
        app, ["--role", role, *args, "--db", db_url], env={"KIT_USER": "tester", **(env or {})}
    )


def screen(db_url: str, path: Path, role: str = "toezicht") -> dict:
    result = kit(db_url, "screen", str(path), "--json", role=role)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def later_round(tmp_path: Path, path: Path, round_no: int = 1, **changes: object) -> Path:
    """The case of `path` handed in again as round `round_no`."""
    raw = copy.deepcopy(load_raw(path))
    raw["submission"].update(round=round_no, **changes)
    out = tmp_path / f"{path.stem}-ronde-{round_no}.yaml"
    out.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return out


def exclusions(result: dict) -> list[tuple[str, str, str, list[str]]]:
    return [
        (f["rule"], f["requirement"], f["subject"], f["evidence"])
        for f in result["findings"]
        if f["outcome"] == "uitsluiting" and f["status"] != "voldaan"
    ]


# --- 1. One exclusion is one finding (E7) -------------------------------------------------------


def test_an_exclusion_still_declared_is_one_finding_with_the_earlier_screening_as_evidence(
    tmp_path, db_url
):
    first = screen(db_url, VITAAL)
    assert exclusions(first) == [("E1-verplichte-uitsluitingsgronden", "fraude", "board:B2", [])]
    again = screen(db_url, later_round(tmp_path, VITAAL, submitted_on=date(2024, 6, 10)))
    assert set(again["lots"].values()) == {"uitgesloten"}
    # Not the ground's finding beside a carried copy of it: the ground's own finding, which
    # names the screening that found it first.
    assert exclusions(again) == [
        ("E1-verplichte-uitsluitingsgronden", "fraude", "board:B2", [first["screening_id"]])
    ]


def test_a_bibob_exclusion_is_one_finding_in_a_later_round(tmp_path, db_url):
    screen(db_url, WIJKZORG)
    recorded = bibob(db_url, "ernstig-gevaar")
    assert recorded.exit_code == 0, recorded.output
    found = Store(db_url).screenings()[-1].code
    again = screen(db_url, later_round(tmp_path, WIJKZORG))
    assert exclusions(again) == [("E5-bibob", "bibob-ernstig-gevaar", "provider", [found])]


def test_a_later_round_shows_each_compared_answer_once_under_its_ground(db_url):
    """Round 1 compares every self-declaration answer with round 0's. A role that reads the
    neutral text saw ten identical `E7 zelfverklaring Voldaan` rows; each now names its ground."""
    screen(db_url, CASES / "zorgfix-bv.yaml", role="reviewer")
    round_1 = screen(db_url, EXAMPLES / "zorgfix-ronde-1.yaml", role="reviewer")
    shown = collections.Counter(
        (f["rule"], f["requirement"], f["subject"], f["lot"], f["status"], f["message"])
        for f in round_1["findings"]
    )
    assert [row for row, count in shown.items() if count > 1] == []
    compared = [f for f in round_1["findings"] if f["rule"] == "E7-uitsluiting-blijft"]
    grounds = {
        d["ground"] for d in load_raw(CASES / "zorgfix-bv.yaml")["submission"]["declarations"]
    }
    assert {f["requirement"] for f in compared} == grounds
    assert all(f["status"] == "voldaan" and f["message"] == "Voldaan." for f in compared)


def test_a_screening_stored_under_the_old_history_rule_replays_as_it_was_made(
    tmp_path, monkeypatch
):
    """How E7 reports is rule data; without it a rule set reports as kit 0.2 did. A screening
    stored under such rules replays identically after the change, and a new one reports anew."""
    from kit.paths import rules_dir
    from kit.rules import loader

    old_rules = tmp_path / "rules"
    shutil.copytree(rules_dir(), old_rules)
    path = old_rules / "kit-2025" / "10-uitsluiting.yaml"
    text = path.read_text(encoding="utf-8")
    for line in ("    carried_as: evidence\n", "    answers_under: ground\n"):
        assert line in text
        text = text.replace(line, "")
    path.write_text(text, encoding="utf-8")
    db_url = f"sqlite:///{tmp_path / 'kit.db'}"
    round_1 = later_round(tmp_path, VITAAL, submitted_on=date(2024, 6, 10))
    monkeypatch.setenv("KIT_RULES_DIR", str(old_rules))
    loader._cached_all.cache_clear()
    try:
        first = screen(db_url, VITAAL)
        old = screen(db_url, round_1)
    finally:
        monkeypatch.delenv("KIT_RULES_DIR")
        loader._cached_all.cache_clear()
    # Stored the old way: the ground's finding and its carried copy; answers under zelfverklaring.
    assert sorted(exclusions(old)) == [
        ("E1-verplichte-uitsluitingsgronden", "fraude", "board:B2", []),
        ("E7-uitsluiting-blijft", "fraude", "board:B2", [first["screening_id"]]),
    ]
    answers = [
        f for f in old["findings"] if f["rule"] == "E7-uitsluiting-blijft" and not f["outcome"]
    ]
    assert len(answers) == 11 and {f["requirement"] for f in answers} == {"zelfverklaring"}
    replayed = kit(db_url, "replay", old["screening_id"], "--json")
    assert replayed.exit_code == 0, replayed.output
    [report] = json.loads(replayed.stdout)
    assert report["identical"] is True and report["only_then"] == report["only_now"] == []
    assert any("gewijzigd" in reason for reason in report["reasons"])
    # The same round screened again under the shipped rules: one exclusion, one finding.
    new = json.loads(kit(db_url, "screen", str(round_1), "--json", "--opnieuw").stdout)
    assert exclusions(new) == [
        ("E1-verplichte-uitsluitingsgronden", "fraude", "board:B2", [first["screening_id"]])
    ]
