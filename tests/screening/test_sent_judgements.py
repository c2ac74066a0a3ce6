"""A repair round's case file carries no judgement of its own (Q1-Q3 need a reviewer's): it may
not judge a document again otherwise than it was judged, nor bring a new document in judged.
Either is refused with one Dutch line naming the path, and nothing is stored; the reviewer
judges in kit (kit assess)."""

from __future__ import annotations

import copy
from datetime import date
from pathlib import Path

import pytest
import yaml
from conftest import load_raw, send_request
from typer.testing import CliRunner

from kit.cli import app
from kit.store import Store

runner = CliRunner()
SUB = "INS-2024-0042"


def screen_round(db_url: str, tmp_path: Path, raw: dict, round_no: int, day: date):
    data = copy.deepcopy(raw)
    data["submission"]["round"], data["submission"]["submitted_on"] = round_no, day
    path = tmp_path / f"ronde-{round_no}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = runner.invoke(app, ["screen", str(path), "--db", db_url], env={"KIT_USER": "t"})
    return path, result


@pytest.fixture
def in_repair(db_url, tmp_path):
    """Zorgfix screened (its protocol D2 judged onvoldoende in the portal) and a repair request
    sent: round 1 may come in."""
    raw = load_raw()
    _, first = screen_round(db_url, tmp_path, raw, 0, date(2024, 4, 2))
    assert first.exit_code == 0, first.output
    send_request(db_url, SUB, "2024-04-03")
    return raw


def documents(raw: dict) -> list[dict]:
    return raw["submission"]["documents"]


def refused(db_url: str, result, path: Path, *expected: str) -> None:
    assert result.exit_code == 1, result.output
    [line] = [line for line in result.stderr.splitlines() if line.strip()]
    assert line.startswith("fout: ") and str(path) in line, line
    for part in expected:
        assert part in line, (part, line)
    assert len(Store(db_url).screenings()) == 1  # round 0 only: nothing of round 1 stored


def test_a_new_document_in_a_round_comes_in_unjudged(db_url, tmp_path, in_repair):
    raw = copy.deepcopy(in_repair)
    documents(raw).append(
        {"id": "D30", "type": "calamiteitenprotocol", "issued_on": date(2024, 4, 9),
         "assessment": "voldoende", "assessment_note": "ziet er goed uit"}
    )  # fmt: skip
    path, result = screen_round(db_url, tmp_path, raw, 1, date(2024, 4, 10))
    refused(
        db_url,
        result,
        path,
        f"submission.documents[{len(documents(raw)) - 1}].assessment",
        "document 'D30' komt in herstelronde 1 binnen en heeft nog geen oordeel",
        "assessment, assessment_note",
    )


def test_the_same_judgement_again_and_an_unjudged_new_document_are_screened(
    db_url, tmp_path, in_repair
):
    """What the portal exports again is no new judgement; a new document waits for a reviewer."""
    raw = copy.deepcopy(in_repair)
    documents(raw).append(
        {"id": "D30", "type": "calamiteitenprotocol", "issued_on": date(2024, 4, 9)}
    )
    _, result = screen_round(db_url, tmp_path, raw, 1, date(2024, 4, 10))
    assert result.exit_code == 0, result.output
    store = Store(db_url)
    latest = store.screenings()[-1]
    protocol = [f for f in store.findings(latest.pk) if f.requirement == "calamiteitenprotocol"]
    [finding] = protocol  # not voldaan: it waits for a reviewer's judgement of D30
    assert finding.status == "onbepaald" and "oordeel van een beoordelaar" in finding.message


def test_the_portals_judgement_again_after_a_reviewer_judged_in_kit_is_screened(db_url, tmp_path):
    """The portal exports D2 as it was judged there (onvoldoende); the reviewer has since judged
    it voldoende in kit. The round's file still carries the portal's judgement: that is no new
    judgement, it is screened, and kit's judgement is the one that counts."""
    raw = load_raw()
    _, first = screen_round(db_url, tmp_path, raw, 0, date(2024, 4, 2))
    assert first.exit_code == 0, first.output
    judged = runner.invoke(
        app,
        ["assess", SUB, "calamiteitenprotocol", "--oordeel", "voldoende", "--toelichting",
         "Meldprocedure beschreven", "--door", "J. de Vries", "--datum", "2024-04-03",
         "--db", db_url],
        env={"KIT_USER": "t"},
    )  # fmt: skip
    assert judged.exit_code == 0, judged.output
    send_request(db_url, SUB, "2024-04-03")
    _, result = screen_round(db_url, tmp_path, raw, 1, date(2024, 4, 10))
    assert result.exit_code == 0, result.output
    store = Store(db_url)
    latest = store.screenings()[-1]
    [protocol] = [f for f in store.findings(latest.pk) if f.requirement == "calamiteitenprotocol"]
    assert protocol.status == "voldaan"


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"assessment": "voldoende"}, "document 'D2' was in SCR-000001 beoordeeld als onvoldoende"),
        # The note (and whether it is shared) is part of the reviewer's judgement: a file that
        # changed it would put the provider's words in a letter as the reviewer's.
        (
            {"assessment_note": "Door de aanbieder herschreven", "assessment_shared": True},
            "de toelichting bij het oordeel, of het delen ervan met de aanbieder, wijkt af van "
            "SCR-000001",
        ),
    ],
    ids=["oordeel", "toelichting"],
)
def test_a_round_may_not_change_an_earlier_judgement(
    db_url, tmp_path, in_repair, changes, expected
):
    raw = copy.deepcopy(in_repair)
    index = next(i for i, d in enumerate(documents(raw)) if d["id"] == "D2")
    documents(raw)[index].update(changes)
    path, result = screen_round(db_url, tmp_path, raw, 1, date(2024, 4, 10))
    refused(
        db_url, result, path, f"submission.documents[{index}].assessment", expected, "kit assess"
    )
