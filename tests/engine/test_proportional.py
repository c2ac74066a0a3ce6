"""Issue 16: proportional and transparent. What did not apply is visible, with the reason."""

from __future__ import annotations

import json

from conftest import CASES
from support import kit

TER_STEGE = CASES / "begeleiding-ter-stege-zelfstandige-zonder-rie.yaml"


def test_screen_json_lists_the_rules_that_did_not_apply_with_their_reason(db_url):
    result = kit(db_url, "screen", str(TER_STEGE), "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    reasons = {item["rule"]: item["reason"] for item in data["not_applicable"]}
    assert (
        reasons["Q5-rie"]
        == "Geen risico-inventarisatie en -evaluatie (RI&E) nodig: geen personeel in loondienst."
    )
    assert (
        reasons["O2-ubo-uittreksel"]
        == "Geen uittreksel UBO-register nodig: rechtsvorm eenmanszaak."
    )
    assert "R2-personeelskosten" in reasons and "R2-winstmarge" in reasons
    assert not {f["rule"] for f in data["findings"]} & set(reasons)
    assert data["risk"] == "groen"


def test_screen_table_shows_them_on_request(db_url):
    plain = kit(db_url, "screen", str(TER_STEGE))
    asked = kit(db_url, "screen", str(TER_STEGE), "--niet-van-toepassing")  # also when stored
    assert plain.exit_code == asked.exit_code == 0 and "al gescreend" in asked.stderr
    assert "Niet van toepassing" not in plain.stdout
    words = " ".join(asked.stdout.split())
    assert "Niet van toepassing bij INS-" in words and "geen personeel in loondienst" in words


def test_the_list_is_stored_with_the_screening(db_url):
    from kit.store import Store

    assert kit(db_url, "screen", str(TER_STEGE)).exit_code == 0
    [row] = Store(db_url).screenings()
    stored = json.loads(row.not_applicable_json)
    assert {
        "rule": "Q5-rie",
        "requirement": "rie",
        "reason": "Geen risico-inventarisatie en -evaluatie (RI&E) nodig: "
        "geen personeel in loondienst.",
    } in stored
