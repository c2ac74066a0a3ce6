"""A bad case file gives one Dutch line naming the file and the path, and is never screened."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from kit.case.checks import parse_case
from kit.case.reading import load_case
from kit.errors import CaseError


def _error(raw: dict, source: str = "casus.yaml") -> str:
    with pytest.raises(CaseError) as info:
        parse_case(raw, source)
    return info.value.message


def test_unknown_field_names_the_path(raw_case):
    raw_case["submission"]["staff"][0]["vog"]["issud_on"] = "2021-12-01"
    message = _error(raw_case)
    assert message.startswith("casus.yaml: submission.staff[0].vog.issud_on: onbekend veld")


def test_bad_date_names_the_path(raw_case):
    raw_case["submission"]["staff"][2]["vog"]["issued_on"] = "31-12-2023"
    message = _error(raw_case)
    assert "submission.staff[2].vog.issued_on" in message
    assert "ongeldige datum" in message


def test_unknown_lot_code_lists_the_allowed_codes(raw_case):
    raw_case["submission"]["lots"][0]["lot"] = "jeugd-ambulant"
    message = _error(raw_case)
    assert "submission.lots[0].lot: onbekende code 'jeugd-ambulant'" in message
    assert "jeugd-ambulant-begeleiding" in message


def test_staff_lot_must_be_registered(raw_case):
    raw_case["submission"]["staff"][0]["lots"] = ["jeugd-crisis"]
    assert "submission.staff[0].lots[0]: perceel 'jeugd-crisis' is niet ingeschreven" in _error(
        raw_case
    )


def test_document_reference_must_resolve(raw_case):
    raw_case["submission"]["staff"][0]["diplomas"][0]["document"] = "D99"
    assert "submission.staff[0].diplomas[0].document: verwijst naar document 'D99'" in _error(
        raw_case
    )


def test_duplicate_document_id(raw_case):
    raw_case["submission"]["documents"].append(
        {"id": "D1", "type": "noodplan", "issued_on": "2024-01-01"}
    )
    assert "document-id 'D1' komt al voor" in _error(raw_case)


def test_kvk_must_be_eight_digits(raw_case):
    raw_case["submission"]["provider"]["kvk"] = "1234"
    assert "submission.provider.kvk: ongeldig KvK-nummer '1234'" in _error(raw_case)


def test_unknown_board_member_in_declaration(raw_case):
    raw_case["submission"]["declarations"][0].update(answer=True, board_member="B9")
    assert "submission.declarations[0].board_member: onbekend bestuurslid 'B9'" in _error(raw_case)


def test_yaml_syntax_error_names_the_line(tmp_path: Path):
    path = tmp_path / "kapot.yaml"
    path.write_text("submission:\n  id: [unclosed\n", encoding="utf-8")
    with pytest.raises(CaseError) as info:
        load_case(path)
    assert str(path) in info.value.message and "geen geldige YAML" in info.value.message


def test_json_case_reads_like_yaml(tmp_path: Path, raw_case):
    import json

    path = tmp_path / "casus.json"
    path.write_text(json.dumps(raw_case, default=str), encoding="utf-8")
    case = load_case(path)
    assert case.submission.id == raw_case["submission"]["id"]


def test_yaml_and_json_give_the_same_case_hash(tmp_path: Path, raw_case):
    import json

    yaml_path = tmp_path / "a.yaml"
    yaml_path.write_text(yaml.safe_dump(raw_case), encoding="utf-8")
    json_path = tmp_path / "a.json"
    json_path.write_text(json.dumps(raw_case, default=str), encoding="utf-8")
    assert load_case(yaml_path).sha256() == load_case(json_path).sha256()


def test_impossible_unquoted_date_names_its_path(tmp_path: Path):
    text = (Path(__file__).resolve().parents[2] / "cases" / "zorgfix-bv.yaml").read_text(
        encoding="utf-8"
    )
    path = tmp_path / "februari.yaml"
    path.write_text(
        text.replace("submitted_on: 2024-04-02", "submitted_on: 2024-02-30"), encoding="utf-8"
    )
    with pytest.raises(CaseError) as info:
        load_case(path)
    assert info.value.message.startswith(f"{path}: submission.submitted_on: ongeldige datum")


def test_a_typo_in_a_field_name_is_named(raw_case):
    raw_case["submission"]["provider"]["legal_fom"] = raw_case["submission"]["provider"].pop(
        "legal_form"
    )
    assert "submission.provider.legal_fom: onbekend veld (tikfout?)" in _error(raw_case)


def test_an_empty_case_file(tmp_path: Path):
    path = tmp_path / "leeg.yaml"
    path.write_text("", encoding="utf-8")
    with pytest.raises(CaseError) as info:
        load_case(path)
    assert "(gegeven: leeg)" in info.value.message and "None" not in info.value.message


def test_errors_in_sensitive_parts_do_not_repeat_the_value(raw_case):
    raw_case["submission"]["staff"][0]["registrations"][0]["valid_until"] = "31-12-2099-geheim"
    message = _error(raw_case)
    assert "submission.staff[0].registrations[0].valid_until: ongeldige datum" in message
    assert "geheim" not in message


def test_infinite_numbers_are_refused(raw_case):
    raw_case["submission"]["provider"]["fte"] = float("inf")
    assert "submission.provider.fte: verwacht een eindig getal" in _error(raw_case)
