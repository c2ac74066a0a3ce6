"""Issue 26, item 4 (leftover): the procedure, a document's reuse_of and the references to
documents keep to a fixed pattern, as ids do: no trailing newline, quotes, spaces or look-alike
letters from other scripts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import load_raw

from kit.case.reading import load_case
from kit.errors import CaseError

BAD = ["D20\n", '"D20"', "D 20", "D2\u041e", "-D20", "D20/../x", "D" * 65]  # \u041e: Cyrillic O


def with_value(tmp_path: Path, where: tuple[str | int, ...], value: object) -> Path:
    raw = json.loads(json.dumps(load_raw(), default=str))
    part = raw["submission"]
    for key in where[:-1]:
        part = part[key]
    part[where[-1]] = value
    path = tmp_path / "casus.json"
    path.write_text(json.dumps(raw), encoding="utf-8")
    return path


def refused(path: Path, field: str) -> None:
    with pytest.raises(CaseError) as info:
        load_case(path)
    assert info.value.message.startswith(f"{path}: submission.{field}"), info.value.message


@pytest.mark.parametrize("bad", BAD)
@pytest.mark.parametrize(
    "where",
    [
        ("staff", 0, "diplomas", 0, "document"),
        ("staff", 0, "registrations", 0, "document"),
        ("staff", 0, "vog", "document"),
        ("procedure",),
    ],
)
def test_a_reference_only_in_the_id_pattern(tmp_path, where, bad):
    field = ".".join(f"[{k}]" if isinstance(k, int) else k for k in where).replace(".[", "[")
    refused(with_value(tmp_path, where, bad), field)


@pytest.mark.parametrize("bad", ["SCR-000001\n", "scr-000001", "SCR-1", "SCR-ООО001", "D20"])
def test_reuse_of_names_a_screening_code(tmp_path, bad):
    raw = json.loads(json.dumps(load_raw(), default=str))
    raw["submission"]["documents"][0]["reuse_of"] = bad
    path = tmp_path / "casus.json"
    path.write_text(json.dumps(raw), encoding="utf-8")
    refused(path, "documents[0].reuse_of")


def test_the_shipped_references_still_read(tmp_path):
    path = with_value(tmp_path, ("staff", 0, "vog", "document"), "D22")
    assert load_case(path).submission.staff[0].vog is not None
