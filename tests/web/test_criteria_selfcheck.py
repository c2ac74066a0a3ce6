"""Q12: the provider's self-check (kit check, /voorcontrole) shows, per content-reviewed document
that applies, the criteria the reviewer will judge by, as a checklist."""

from __future__ import annotations

from conftest import CASES, load_raw
from fastapi.testclient import TestClient
from typer.testing import CliRunner
from workbook_fill import fill

from kit.case.checks import parse_case
from kit.case.reading import load_case
from kit.cli import app
from kit.kinds.rulesets import shipped_rulesets
from kit.output.template import template_bytes
from kit.rules.criteria import criteria_of
from kit.views.selfcheck import self_check
from kit.web.app import create_app

runner = CliRunner()
ZORGFIX = CASES / "zorgfix-bv.yaml"
RULES = shipped_rulesets()["kit-2025"].rules


def test_kit_check_lists_every_criterion_of_the_reviewed_documents():
    result = runner.invoke(app, ["check", str(ZORGFIX)])
    assert result.exit_code == 0, result.output
    assert "Controlelijst voor de inhoud (Q12):" in result.stdout
    for document in ("calamiteitenprotocol", "meldcode", "klachtenregeling"):
        for criterion in criteria_of(RULES, document):
            assert f"[ ] {criterion.question}" in result.stdout
    assert "kan niet van toepassing zijn" in result.stdout


def test_the_checklist_follows_the_rules_that_apply():
    """The RI&E is asked only of a provider with employees (Q5): without, no RI&E checklist."""
    raw = load_raw()
    with_staff = self_check(parse_case(raw, "test"))
    assert "rie" in {c.document for c in with_staff.checklists}
    raw["submission"]["provider"]["employees"] = 0
    raw["submission"]["documents"] = [
        d for d in raw["submission"]["documents"] if d["type"] != "rie"
    ]
    without = self_check(parse_case(raw, "test"))
    documents = [c.document for c in without.checklists]
    assert "rie" not in documents and "calamiteitenprotocol" in documents


def test_the_voorcontrole_page_shows_the_checklist(tmp_path):
    data = load_case(ZORGFIX).model_dump(by_alias=True, exclude_none=True)
    workbook = fill(template_bytes(shipped_rulesets()["kit-2025"]), data)
    client = TestClient(create_app(f"sqlite:///{tmp_path / 'kit.db'}"))
    answer = client.post(
        "/voorcontrole", files={"bestand": ("inschrijving.xlsx", workbook, "application/xlsx")}
    )
    assert answer.status_code == 200
    assert '<h2 id="controlelijst">Controlelijst voor de inhoud</h2>' in answer.text
    for criterion in criteria_of(RULES, "meldcode"):
        assert criterion.question in answer.text
