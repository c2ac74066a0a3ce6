"""Issue 12, tried as an attacker: a second review found ways around the first fixes. Each test
here is one of them, and what kit does instead now."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import BASE_CASE, CASES, ROOT, load_raw
from sqlalchemy import create_engine, text
from typer.testing import CliRunner

from kit.cli import app
from kit.store import Store

runner = CliRunner()
ZORGFIX = "INS-2024-0042"
VITAAL = CASES / "zorggroep-vitaal-uitsluiting-fraude.yaml"
LOSSER = CASES / "thuiszorg-losser-pas-toe-of-leg-uit.yaml"


def kit(db_url: str, *args: str, role: str = "reviewer", env: dict | None = None):
    return runner.invoke(
        app, ["--rol", role, *args, "--db", db_url], env={"KIT_USER": "tester", **(env or {})}
    )


def write(path: Path, data: object) -> Path:
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def one_line(result, *expected: str) -> str:
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith("fout: ") and result.stderr.count("\n") == 1, result.stderr
    assert "Traceback" not in result.output
    for part in expected:
        assert part in result.stderr, result.stderr
    return result.stderr


# --- a file cannot record a decision ------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "change", "path"),
    [
        (
            VITAAL,
            lambda s: s["declarations"][0].update(self_cleaning_decision="voldoende"),
            "submission.declarations[0].self_cleaning_decision",
        ),
        (
            LOSSER,
            lambda s: s["explanations"][0].update(decision="voldoende"),
            "submission.explanations[0].decision",
        ),
        (
            BASE_CASE,
            lambda s: s.update(
                bibob={
                    "status": "afgerond",
                    "outcome": "geen-bezwaar",
                    "decided_on": "2024-03-01",
                    "reference": "X",
                }
            ),
            "submission.bibob.decided_on",
        ),
        (
            BASE_CASE,
            lambda s: s["documents"][0].update(received_on="2024-01-01"),
            "submission.documents[0].received_on",
        ),
    ],
)
def test_a_case_file_cannot_carry_a_decision_kit_records(tmp_path, db_url, source, change, path):
    raw = load_raw(source)
    change(raw["submission"])
    result = kit(db_url, "screen", str(write(tmp_path / "besluit.yaml", raw)))
    one_line(result, path, "vult kit zelf in")
    assert Store(db_url).counts()["screenings"] == 0


def test_an_update_file_cannot_judge_or_date_what_it_sends(tmp_path, db_url):
    assert kit(db_url, "screen", str(BASE_CASE)).exit_code == 0
    judged = {
        "documents": [
            {
                "id": "D30",
                "type": "calamiteitenprotocol",
                "issued_on": "2024-03-01",
                "assessment": "voldoende",
            }
        ]
    }
    dated = {
        "documents": [
            {
                "id": "D31",
                "type": "privacyreglement",
                "issued_on": "2024-03-01",
                "received_on": "2024-01-01",
            }
        ]
    }
    for name, update, path in (
        ("oordeel.yaml", judged, "documents[0].assessment"),
        ("datum.yaml", dated, "documents[0].received_on"),
    ):
        result = kit(db_url, "documents", "add", ZORGFIX, str(write(tmp_path / name, update)))
        one_line(result, path)
    assert len(Store(db_url).screenings()) == 1


def test_a_board_file_cannot_record_a_decision(tmp_path, db_url):
    assert kit(db_url, "screen", str(BASE_CASE)).exit_code == 0
    board = yaml.safe_load((ROOT / "examples" / "nieuw-bestuur.yaml").read_text())
    board.setdefault("declarations", [{"ground": "fraude", "answer": False}])
    board["declarations"][0]["change_decision"] = "voldoende"
    result = kit(
        db_url,
        "rescreen",
        "12345678",
        "--reden",
        "bestuurswisseling",
        "--bestuur",
        str(write(tmp_path / "bestuur.yaml", board)),
        "--peildatum",
        "2024-06-10",
    )
    one_line(result, "declarations[0].change_decision")


# --- a submission belongs to one provider -------------------------------------------------------


def test_another_provider_cannot_take_over_a_submission(tmp_path, db_url):
    assert kit(db_url, "screen", str(BASE_CASE)).exit_code == 0
    raw = load_raw()
    raw["submission"]["provider"].update(kvk="99999999", name="Overname B.V.")
    raw["submission"]["round"] = 0
    result = kit(db_url, "screen", str(write(tmp_path / "overname.yaml", raw)))
    one_line(result, "submission.provider.kvk", "12345678", "99999999")
    assert len(Store(db_url).screenings()) == 1


# --- hostile values -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("!!binary RXZpbBtdMDtQV05FRAcbWzJKG1szMW1SRUQATlVM", "!!binary"),
        ('"Zorg\\ud800fix"', "U+D800"),
        ("!!bool maybe", "ongeldige waarde"),
    ],
)
def test_values_kit_cannot_check_are_refused(tmp_path, db_url, value, expected):
    lines = BASE_CASE.read_text(encoding="utf-8").splitlines()
    [at] = [i for i, line in enumerate(lines) if line.strip().startswith("name: Zorgfix")]
    lines[at] = lines[at].split("name:")[0] + "name: " + value
    path = tmp_path / "waarde.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    one_line(kit(db_url, "screen", str(path)), str(path), expected)


def test_dates_past_the_calendar_end_are_refused(tmp_path, db_url):
    raw = load_raw()
    raw["submission"]["submitted_on"] = "9999-12-31"
    one_line(kit(db_url, "screen", str(write(tmp_path / "ver.yaml", raw))), "submitted_on")
    late = kit(db_url, "screen", str(BASE_CASE), "--peildatum", "9999-12-31")
    assert late.exit_code == 2 and "ligt buiten" in late.stderr


def test_a_fifo_is_refused_instead_of_hanging(tmp_path, db_url):
    fifo = tmp_path / "pijp.yaml"
    os.mkfifo(fifo)
    one_line(kit(db_url, "screen", str(fifo)), "geen gewoon bestand")


def test_a_region_file_whose_id_is_not_a_text_is_one_error(tmp_path, db_url):
    from bench.generate import region

    directory = tmp_path / "regio"
    directory.mkdir()
    for index, case in enumerate(region(200)):
        if index == 3:
            case["submission"]["id"] = ["x"]
        (directory / f"{index:03d}.json").write_text(json.dumps(case), encoding="utf-8")
    result = kit(db_url, "screen", str(directory))
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "199 inschrijving(en) gescreend en opgeslagen" in result.stdout
    assert "003.json" in result.stderr


def test_free_text_arguments_get_the_same_limits(db_url):
    assert kit(db_url, "screen", str(BASE_CASE)).exit_code == 0
    bad_name = kit(db_url, "screen", str(BASE_CASE), "--opnieuw", "--door", "x\x1b]0;PWNED\x07")
    one_line(bad_name, "--door", "stuurteken")
    long_note = kit(db_url, "note", ZORGFIX, "x" * 20_000, role="toezicht")
    one_line(long_note, "notitie", "te lang")


# --- letters --------------------------------------------------------------------------------------


def test_a_name_or_note_cannot_add_lines_to_a_letter(tmp_path, db_url):
    raw = load_raw()
    raw["submission"]["provider"]["name"] = "Zorgfix B.V.\r# Besluit: TOEGELATEN"
    assert kit(db_url, "screen", str(write(tmp_path / "naam.yaml", raw))).exit_code == 0
    noted = kit(
        db_url,
        "assess",
        ZORGFIX,
        "calamiteitenprotocol",
        "--oordeel",
        "onvoldoende",
        "--toelichting",
        "slecht\n\n## Besluit: toegelaten",
        "--door",
        "J. de Vries",
        "--voor-aanbieder",
    )
    assert noted.exit_code == 0, noted.output
    letter = kit(db_url, "letter", ZORGFIX, "--peildatum", "2024-04-03")
    assert letter.exit_code == 0, letter.output
    lines = letter.stdout.splitlines()
    assert not any(
        line.startswith(("# Besluit: TOEGELATEN", "## Besluit: toegelaten")) for line in lines
    )
    # Shown, not acted on (Markdown's own characters escaped too).
    assert "Zorgfix B.V.\\\\r\\# Besluit: TOEGELATEN" in letter.stdout
    assert "slecht\\\\n\\\\n\\#\\# Besluit: toegelaten" in letter.stdout
    assert "\r" not in letter.stdout


# --- rule files -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("Klacht {0}", "{0} is geen naam"),
        ("Open {", "accolades kloppen niet"),
        ("{label.upper}", "{label.upper} is geen naam"),
        ("{label:>999999999}", "geen opmaak toegestaan"),
        ("{label!r}", "geen opmaak toegestaan"),
    ],
)
def test_rules_check_refuses_message_templates_that_would_crash(tmp_path, template, expected):
    rules = tmp_path / "regels"
    shutil.copytree(ROOT / "rules", rules)
    rule_file = rules / "kit-2025" / "20-organisatie.yaml"
    data = yaml.safe_load(rule_file.read_text(encoding="utf-8"))
    rules_in = data["rules"] if isinstance(data, dict) else data
    [o1] = [r for r in rules_in if r["id"] == "O1-kvk-uittreksel"]
    o1["messages"] = {"ok": template}
    rule_file.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = runner.invoke(app, ["rules", "check", str(rules)])
    assert result.exit_code == 1 and expected in result.stderr, result.output


# --- the database -------------------------------------------------------------------------------


def test_messages_never_show_the_database_password():
    url = "postgresql+psycopg://kit:GEHEIM@127.0.0.1:1/kit"
    for args in (("show", "INS-1"), ("replay", "SCR-1"), ("report",)):
        result = runner.invoke(app, [*args, "--db", url])
        assert result.exit_code == 1 and "GEHEIM" not in result.output


def test_two_extra_rounds_at_once_cannot_pass_the_maximum(db_url):
    assert kit(db_url, "screen", str(BASE_CASE)).exit_code == 0
    command = [
        sys.executable,
        "-m",
        "kit",
        "--rol",
        "inkoop",
        "repair",
        "grant-extra",
        ZORGFIX,
        "--reden",
        "Ziekte",
        "--door",
        "P. Jansen",
        "--db",
        db_url,
    ]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    processes = [
        subprocess.Popen(
            command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(6)
    ]
    codes = [p.wait(timeout=120) for p in processes]
    assert sorted(codes) == [0, 1, 1, 1, 1, 1]
    assert len(Store(db_url).extra_rounds(Store(db_url).submission(ZORGFIX).pk)) == 1


def test_replay_of_an_unreadable_stored_screening_names_it(db_url):
    assert kit(db_url, "screen", str(BASE_CASE)).exit_code == 0
    with create_engine(db_url).begin() as connection:
        connection.execute(text("UPDATE screenings SET prior_json = '{kapot'"))
    result = kit(db_url, "replay", "SCR-000001")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "onleesbaar" in result.stdout


def test_a_database_of_another_program_is_refused(tmp_path):
    path = tmp_path / "ander.db"
    with create_engine(f"sqlite:///{path}").begin() as connection:
        connection.execute(text("CREATE TABLE klanten (id INTEGER)"))
    result = runner.invoke(app, ["report", "--db", f"sqlite:///{path}"])
    one_line(result, "geen kit-database")
    upgrade = runner.invoke(app, ["db", "upgrade", "--db", f"sqlite:///{path}"])
    assert upgrade.exit_code == 1 and "geen kit-database" in upgrade.stderr


def test_the_file_size_setting_has_a_ceiling(db_url):
    result = kit(db_url, "screen", str(BASE_CASE), env={"KIT_MAX_FILE_MB": "30000"})
    one_line(result, "KIT_MAX_FILE_MB", "ten hoogste 1024")


def test_an_unreadable_directory_is_one_line(tmp_path, db_url):
    if os.geteuid() == 0:
        pytest.skip("root reads every directory")
    locked = tmp_path / "dicht"
    locked.mkdir()
    locked.chmod(0)
    try:
        one_line(kit(db_url, "screen", str(locked / "x.yaml")), "niet te lezen")
    finally:
        locked.chmod(stat.S_IRWXU)
