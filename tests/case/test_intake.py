"""Issue 23: the region's intake workbook. `kit intake sjabloon` writes it, a provider fills it in
(tests/workbook_fill.py, by the headers it shows), and `kit screen`, `kit check` and `kit intake
naar-yaml` read it into the same case as the YAML: for every shipped case, and for generated
ones. Hostile workbooks get one Dutch line naming the sheet and cell, or the reason."""

from __future__ import annotations

import copy
import io
import sys
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml
from conftest import ROOT, shipped_case_files
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner
from workbook_fill import fill

from kit.case.checks import kit_only_paths, parse_case
from kit.case.layout import SHEETS, TEMPLATE_VERSION, VERSION_PROPERTY
from kit.case.reading import load_case
from kit.case.workbook import workbook_case
from kit.cli import app
from kit.kinds.rulesets import shipped_rulesets
from kit.output.template import self_declaration_grounds, template_bytes
from kit.screening.screen import screen_case
from kit.vocab.vocabulary import vocabulary

sys.path.insert(0, str(ROOT))
from bench.generate import generate_case

runner = CliRunner()


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """The workbook as the region makes it: `kit intake sjabloon`."""
    path = tmp_path_factory.mktemp("sjabloon") / "inschrijving.xlsx"
    result = runner.invoke(
        app, ["intake", "sjabloon", "--uitvoer", str(path), "--peildatum", "2024-04-02"]
    )
    assert result.exit_code == 0, result.output
    return path.read_bytes()


def case_dict(path: Path) -> dict[str, Any]:
    return load_case(path).model_dump(by_alias=True, exclude_none=True)


def filled(template: bytes, case: dict[str, Any], tmp_path: Path, name: str = "ins.xlsx") -> Path:
    path = tmp_path / name
    path.write_bytes(fill(template, case))
    return path


# --- the template ---------------------------------------------------------------------------


def test_the_template_has_its_sheets_lists_dates_and_version(template):
    book = openpyxl.load_workbook(io.BytesIO(template))
    assert book.sheetnames[: len(SHEETS)] == [s.name for s in SHEETS]
    assert book["Lijsten"].sheet_state == "hidden"
    props = {p.name: p.value for p in book.custom_doc_props}
    assert props[VERSION_PROPERTY] == str(TEMPLATE_VERSION)
    assert props["kit-regelset"] == "kit-2025"
    staff = book["Personeel"]
    headers = [c.value for c in staff[1]]
    assert headers[:5] == ["Medewerker-id", "Functie", "Dienstverband", "Eigenaar", "Perceel"]
    assert staff["A2"].value  # the instruction row
    # every code column has a drop-down list from the hidden sheet; dates are formatted as dates
    lists = {str(dv.sqref).split(":")[0]: dv for dv in staff.data_validations.dataValidation}
    level = lists[f"{openpyxl.utils.get_column_letter(headers.index('Diploma-niveau') + 1)}3"]
    assert level.type == "list" and level.formula1.startswith("Lijsten!")
    column = level.formula1.split("!")[1].split(":")[0].replace("$", "")[0]
    values = [c.value for c in book["Lijsten"][column] if c.value]
    assert values == ["mbo-2", "mbo-3", "mbo-4", "hbo", "wo-bachelor", "wo-master"]
    start = staff.cell(row=3, column=headers.index("Startdatum") + 1)
    assert start.number_format == "dd-mm-yyyy"
    lots = next(
        dv
        for dv in book["Percelen"].data_validations.dataValidation
        if str(dv.sqref).startswith("A3")
    )
    column = lots.formula1.split("!")[1].split(":")[0].replace("$", "")[0]
    assert [c.value for c in book["Lijsten"][column] if c.value] == list(vocabulary().lots)
    # the self-declaration lists the grounds the rule set asks every provider to answer
    grounds = [c.value for c in book["Verklaringen"]["A"][2:] if c.value]
    assert grounds == self_declaration_grounds(shipped_rulesets()["kit-2025"])
    assert len(grounds) == 11


def test_the_template_fills_in_the_procedure_and_refuses_an_unknown_one(tmp_path):
    path = tmp_path / "t.xlsx"
    ok = runner.invoke(
        app, ["intake", "sjabloon", "--procedure", "inkoop-2025", "--uitvoer", str(path)]
    )
    assert ok.exit_code == 0, ok.output
    assert openpyxl.load_workbook(path)["Aanbieder"]["B3"].value == "inkoop-2025"
    again = runner.invoke(app, ["intake", "sjabloon", "--uitvoer", str(path)])
    assert again.exit_code == 1 and "bestaat al" in again.output  # never overwritten silently
    wrong = runner.invoke(
        app, ["intake", "sjabloon", "--procedure", "x", "--uitvoer", str(tmp_path / "u.xlsx")]
    )
    assert wrong.exit_code == 1 and "onbekende procedure 'x'" in wrong.output
    assert not (tmp_path / "u.xlsx").exists()


# --- round trips ----------------------------------------------------------------------------


@pytest.mark.parametrize("path", shipped_case_files(), ids=lambda p: p.stem)
def test_a_filled_in_workbook_screens_as_its_yaml(template, tmp_path, path):
    case = load_case(path)
    workbook = filled(template, case_dict(path), tmp_path)
    read = load_case(workbook)
    assert read.to_json_data() == case.to_json_data()
    assert screen_case(read).to_result() == screen_case(case).to_result()


@pytest.mark.parametrize("path", shipped_case_files(), ids=lambda p: p.stem)
def test_a_template_filled_from_a_case_reads_back_as_that_case(path):
    """`kit intake sjabloon --casus`: a known provider's previous submission, filled in by kit."""
    case = load_case(path)
    read = workbook_case(template_bytes(shipped_rulesets()["kit-2026"], case=case), ".xlsx", "w")
    assert read.to_json_data() == case.to_json_data()


def test_sjabloon_casus_fills_in_the_workbook_and_leaves_the_rest_to_answer(tmp_path):
    path = tmp_path / "zorgfix.xlsx"
    case = ROOT / "cases" / "zorgfix-bv.yaml"
    result = runner.invoke(
        app, ["intake", "sjabloon", "--casus", str(case), "--uitvoer", str(path)]
    )
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(path)
    assert book["Aanbieder"]["B7"].value == "Zorgfix B.V."
    listed = [c.value for c in book["Verklaringen"]["A"][2:] if c.value]
    answered = [d.ground for d in load_case(case).submission.declarations]
    unanswered = [
        g for g in self_declaration_grounds(shipped_rulesets()["kit-2026"]) if g not in answered
    ]
    assert listed == answered + unanswered  # the grounds still to answer come after
    assert load_case(path).to_json_data() == load_case(case).to_json_data()
    wrong = runner.invoke(
        app,
        [
            "intake",
            "sjabloon",
            "--casus",
            str(case),
            "--procedure",
            "tussentijdse-toetreding-2026-1",
            "--uitvoer",
            str(tmp_path / "x.xlsx"),
        ],
    )
    assert wrong.exit_code == 1 and "de casus noemt procedure inkoop-2025" in wrong.output


def test_kit_screen_reads_a_workbook_as_the_same_case(template, tmp_path, db_url):
    """Screened after its YAML, the workbook is the same case: nothing new is stored."""
    yaml_path = ROOT / "cases" / "zorgfix-bv.yaml"
    workbook = filled(template, case_dict(yaml_path), tmp_path, "zorgfix.xlsx")
    first = runner.invoke(app, ["screen", "--json", str(yaml_path), "--db", db_url])
    assert first.exit_code == 0, first.output
    again = runner.invoke(app, ["screen", str(workbook), "--db", db_url])
    assert again.exit_code == 0, again.output
    assert "al gescreend: SCR-000001" in again.output


def test_naar_yaml_prints_the_case_of_a_workbook(template, tmp_path):
    path = ROOT / "cases" / "stichting-twentse-erf-groot-residentieel.yaml"
    workbook = filled(template, case_dict(path), tmp_path)
    result = runner.invoke(app, ["intake", "naar-yaml", str(workbook)])
    assert result.exit_code == 0, result.output
    printed = tmp_path / "terug.yaml"
    printed.write_text(result.stdout, encoding="utf-8")
    assert load_case(printed).to_json_data() == load_case(path).to_json_data()


def _as_sent(raw: dict[str, Any]) -> dict[str, Any]:
    """A generated case as a provider sends it: without what only kit sets."""
    data = copy.deepcopy(raw)
    for dotted in kit_only_paths(data):
        parts = dotted.replace("]", "").replace("[", ".").split(".")
        target: Any = data
        for part in parts[:-1]:
            target = target[int(part)] if part.isdigit() else target[part]
        target.pop(parts[-1])
    return data


# Free texts a provider types: letters (also beyond ASCII), digits, punctuation, spaces and line
# breaks. Not a leading "=" (a spreadsheet makes that a formula, which kit refuses) nor "_x"
# (Excel's own escape for control characters in a cell, which it writes itself).
TEXTS = st.text(
    st.characters(
        whitelist_categories=("L", "N", "P", "Zs"),
        whitelist_characters="\n€",
        blacklist_characters="_=",
    ),
    min_size=1,
    max_size=40,
).filter(lambda t: t.strip() != "")


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 2**32),
    period=st.sampled_from(["2025", "2026"]),
    defects=st.sampled_from([0.0, 0.3, 1.0]),
    name=TEXTS,
    note=TEXTS,
)
def test_generated_cases_come_back_unchanged_from_a_workbook(
    template, seed, period, defects, name, note
):
    raw = _as_sent(generate_case(seed, 0, period, defects))
    raw["submission"]["provider"]["name"] = name
    if raw["submission"]["provider"].get("risk") == {}:
        # The generator can drop every risk figure and keep the empty block; the Aanbieder
        # sheet has a column per figure and no cell for "a block with nothing in it", so the
        # workbook reads such a case back without it. Both screen alike (checked below).
        empty = parse_case(copy.deepcopy(raw), "gegenereerd")
        raw["submission"]["provider"].pop("risk")
        assert _screened(empty) == _screened(parse_case(copy.deepcopy(raw), "gegenereerd"))
    for doc in raw["submission"].get("documents", []):
        if "assessment_note" in doc:
            doc["assessment_note"] = note
    case = parse_case(raw, "gegenereerd")
    read = workbook_case(
        fill(template, case.model_dump(by_alias=True, exclude_none=True)), ".xlsx", "w"
    )
    assert read.to_json_data() == case.to_json_data()


def _screened(case: Any) -> tuple[Any, ...]:
    from kit.screening.screen import screen_case

    result = screen_case(case, None, "gegenereerd")
    findings = [(f.rule, f.subject, f.lot, f.status, f.outcome, f.message) for f in result.findings]
    return findings, result.lots, result.risk


# --- what a provider can get wrong, and hostile workbooks -----------------------------------


def _edit(workbook: bytes, change: Any) -> bytes:
    book = openpyxl.load_workbook(io.BytesIO(workbook))
    change(book)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _errors(content: bytes, tmp_path: Path, name: str = "ins.xlsx") -> list[str]:
    """`kit screen` on the file: refused with exit 1, nothing stored; the error lines."""
    path = tmp_path / name
    path.write_bytes(content)
    db = f"sqlite:///{tmp_path / 'kit.db'}"
    result = runner.invoke(app, ["screen", str(path), "--db", db])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert "0 inschrijving(en) gescreend" in result.output
    return [line for line in result.output.splitlines() if line.startswith("fout:")]


@pytest.fixture(scope="module")
def zorgfix(template: bytes) -> bytes:
    return fill(template, case_dict(ROOT / "cases" / "zorgfix-bv.yaml"))


def _cell(book: Any, sheet: str, header: str, row: int) -> Any:
    ws = book[sheet]
    column = next(c.column for c in ws[1] if c.value == header)
    return ws.cell(row=row, column=column)


def test_every_wrong_cell_is_named_at_once(zorgfix, tmp_path):
    def change(book: Any) -> None:
        _cell(book, "Personeel", "Diploma-niveau", 3).value = "hbo-sph"
        _cell(book, "Personeel", "Startdatum", 4).value = "morgen"
        _cell(book, "Percelen", "Rol", 4).value = None  # required
        _cell(book, "Documenten", "Hoort bij", 5).value = "S99"
        book["Aanbieder"]["B6"].value = "1234567"  # KvK-nummer: 7 digits

    lines = _errors(_edit(zorgfix, change), tmp_path)
    text = "\n".join(lines)
    assert (
        "ins.xlsx: Personeel, rij 3, kolom Diploma-niveau: 'hbo-sph' is geen bekende code; kies "
        "uit mbo-2, mbo-3, mbo-4, hbo, wo-bachelor, wo-master" in text
    )
    assert "Personeel, rij 4, kolom Startdatum: verwacht een datum (dd-mm-jjjj)" in text
    assert "Percelen, rij 4, kolom Rol: verplicht veld ontbreekt" in text
    assert "Documenten, rij 5, kolom Hoort bij: 'S99' is geen locatie-id" in text
    assert "Aanbieder, rij 6, KvK-nummer: ongeldig KvK-nummer" in text
    assert len(lines) == 5


def test_references_between_sheets_are_named_at_their_cell(zorgfix, tmp_path):
    def change(book: Any) -> None:
        _cell(book, "Personeel", "VOG-document", 3).value = "D99"
        _cell(book, "Personeel", "Eigenaar", 3).value = "ja"
        _cell(book, "Personeel", "Eigenaar", 5).value = "ja"

    lines = _errors(_edit(zorgfix, change), tmp_path)
    assert any(
        "Personeel, rij 3, kolom VOG-document: verwijst naar document 'D99'" in line
        for line in lines
    ), lines
    assert any(
        "kolom Eigenaar: ten hoogste één medewerker is de eigenaar" in line for line in lines
    )


def _zip_with(content: bytes, extra: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            if item.filename not in extra:
                target.writestr(item, source.read(item.filename))
        for name, data in extra.items():
            target.writestr(name, data, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _sheet_part(content: bytes, sheet: str) -> str:
    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    part = book[sheet]._worksheet_path
    book.close()
    return str(part)


def _many_rows(content: bytes) -> bytes:
    part = _sheet_part(content, "Percelen")
    rows = "".join(
        f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>wmo-dagbesteding</t></is></c></row>'
        for n in range(3, 100_003)
    )
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
        f'spreadsheetml/2006/main"><sheetData>{rows}</sheetData></worksheet>'
    )
    return _zip_with(content, {part: xml.encode()})


def _with_version(version: str) -> Any:
    def change(book: Any) -> None:
        for prop in book.custom_doc_props:
            if prop.name == VERSION_PROPERTY:
                prop.value = version

    return change


def _formula(book: Any) -> None:
    _cell(book, "Personeel", "Startdatum", 3).value = "=DATE(2022,1,1)"


def _hidden(book: Any) -> None:
    book["Bestuur"].sheet_state = "hidden"


def _merged(book: Any) -> None:
    book["Percelen"].merge_cells("C3:D3")  # KvK hoofdaannemer (empty) and Ingetrokken


def _extra_sheet(book: Any) -> None:
    book.create_sheet("Notities")["A1"] = "nog doen"


def _outside(book: Any) -> None:
    book["Percelen"]["H3"] = "extra"


def _doctype(content: bytes) -> bytes:
    part = _sheet_part(content, "Uitleg")
    bomb = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><worksheet/>'
    return _zip_with(content, {part: bomb})


def _zip_bomb(content: bytes) -> bytes:
    return _zip_with(content, {"xl/media/leeg.bin": bytes(60 * 1024 * 1024)})


def _edited_list(book: Any) -> None:
    """A code added to the hidden list sheet, so the drop-down offers it, and then chosen."""
    lists = book["Lijsten"]
    level = next(c for c in lists[1] if c.value == "mbo-2").column_letter
    lists[f"{level}7"] = "hbo-sph"
    _cell(book, "Personeel", "Diploma-niveau", 3).value = "hbo-sph"


HOSTILE = {
    "een bewerkte keuzelijst": (
        lambda c: _edit(c, _edited_list),
        "ins.xlsx",
        "ins.xlsx: Personeel, rij 3, kolom Diploma-niveau: 'hbo-sph' is geen bekende code; kies "
        "uit mbo-2, mbo-3, mbo-4, hbo, wo-bachelor, wo-master",
    ),
    "een ouder sjabloon": (
        lambda c: _edit(c, _with_version("0")),
        "ins.xlsx",
        "ins.xlsx: de werkmap is gemaakt met sjabloonversie '0'; deze kit leest versie 1: vraag "
        "de regio om het huidige sjabloon",
    ),
    "geen sjabloon van kit": (
        lambda c: _edit(c, lambda b: b.custom_doc_props.props.clear()),
        "ins.xlsx",
        "ins.xlsx: dit is geen inschrijvingswerkmap van kit (de sjabloonversie ontbreekt)",
    ),
    "een formule": (
        lambda c: _edit(c, _formula),
        "ins.xlsx",
        "ins.xlsx: Personeel, rij 3, kolom Startdatum: bevat een formule; typ de waarde zelf in",
    ),
    "een verborgen blad": (
        lambda c: _edit(c, _hidden),
        "ins.xlsx",
        "ins.xlsx: Bestuur: dit blad is verborgen; maak het zichtbaar",
    ),
    "samengevoegde cellen": (
        lambda c: _edit(c, _merged),
        "ins.xlsx",
        "ins.xlsx: Percelen: samengevoegde cellen (C3:D3); maak de samenvoeging ongedaan",
    ),
    "een blad dat niet bij het sjabloon hoort": (
        lambda c: _edit(c, _extra_sheet),
        "ins.xlsx",
        "ins.xlsx: Notities: dit blad hoort niet bij het sjabloon",
    ),
    "een waarde buiten de kolommen": (
        lambda c: _edit(c, _outside),
        "ins.xlsx",
        "ins.xlsx: Percelen, rij 3, kolom H: deze kolom hoort niet bij het sjabloon",
    ),
    "macro's (xlsm)": (
        lambda c: c,
        "ins.xlsm",
        "ins.xlsm: de werkmap bevat macro's (.xlsm); kit voert nooit macro's uit",
    ),
    "macro's in een xlsx": (
        lambda c: _zip_with(c, {"xl/vbaProject.bin": b"\x00" * 64}),
        "ins.xlsx",
        "ins.xlsx: de werkmap bevat macro's (.xlsm)",
    ),
    "een zipbom": (
        _zip_bomb,
        "ins.xlsx",
        "ins.xlsx: de werkmap pakt uit tot 60 MB, meer dan de 50 MB",
    ),
    "100.000 rijen": (
        _many_rows,
        "ins.xlsx",
        "ins.xlsx: Percelen: meer dan 5000 gevulde rijen",
    ),
    "een rij ver onder de rest": (
        lambda c: _zip_with(
            c,
            {
                _sheet_part(c, "Uitleg"): (
                    b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/'
                    b'spreadsheetml/2006/main"><sheetData><row r="1048576"><c r="A1048576" '
                    b't="inlineStr"><is><t>rie</t></is></c></row></sheetData></worksheet>'
                )
            },
        ),
        "ins.xlsx",
        "ins.xlsx: Uitleg: loopt door tot voorbij rij 100000",
    ),
    "geen zip": (
        lambda c: b"submission:\n  id: X\n",
        "ins.xlsx",
        "ins.xlsx: dit is geen Excel-werkmap (.xlsx): het bestand is geen zip-archief",
    ),
    "een afgebroken bestand": (
        lambda c: c[: len(c) // 2],
        "ins.xlsx",
        "ins.xlsx: de werkmap is beschadigd",
    ),
    "versleuteld (wachtwoord)": (
        lambda c: (
            bytes.fromhex("D0CF11E0A1B11AE1")
            + bytes(504)
            + "EncryptionInfo".encode("utf-16-le")
            + bytes(64)
        ),
        "ins.xlsx",
        "ins.xlsx: de werkmap is met een wachtwoord beveiligd (versleuteld)",
    ),
    "een oud .xls": (
        lambda c: bytes.fromhex("D0CF11E0A1B11AE1") + bytes(1024),
        "ins.xlsx",
        "ins.xlsx: dit is een oud Excel-bestand (.xls)",
    ),
    "een XML-DOCTYPE": (
        _doctype,
        "ins.xlsx",
        "bevat een XML-DOCTYPE; een gewone werkmap heeft dat niet",
    ),
}


@pytest.mark.parametrize("kind", list(HOSTILE))
def test_a_hostile_workbook_gets_one_dutch_line(zorgfix, tmp_path, kind):
    make, name, expected = HOSTILE[kind]
    lines = _errors(make(zorgfix), tmp_path, name)
    assert len(lines) == 1, lines
    assert expected in lines[0]


def test_an_upload_of_a_workbook_is_screened_as_a_round(template, tmp_path):
    """The web upload of a new round takes the workbook too (kit.services.screen_upload)."""
    from kit.services.actor import Actor
    from kit.services.screening import screen_upload
    from kit.store import Store

    store = Store(f"sqlite:///{tmp_path / 'kit.db'}")
    content = fill(template, case_dict(ROOT / "cases" / "zorgfix-bv.yaml"))
    result = screen_upload(store, Actor("t", "reviewer"), "INS-2024-0042", "ronde.xlsx", content)
    assert not result.errors and len(result.outcomes) == 1
    store.close()


def test_an_uploaded_workbook_with_problems_names_each_cell_under_its_own_name(zorgfix, tmp_path):
    from kit.errors import KitError, Lines
    from kit.services.actor import Actor
    from kit.services.screening import screen_upload
    from kit.store import Store

    def change(book: Any) -> None:
        _cell(book, "Personeel", "Diploma-niveau", 3).value = "hbo-sph"
        _cell(book, "Personeel", "Startdatum", 4).value = "morgen"

    store = Store(f"sqlite:///{tmp_path / 'kit.db'}")
    with pytest.raises(KitError) as refused:
        screen_upload(
            store, Actor("t", "reviewer"), "INS-2024-0042", "ronde.xlsx", _edit(zorgfix, change)
        )
    store.close()
    message = refused.value.message
    assert isinstance(message, Lines) and len(message.lines) == 2
    assert message.lines[0].startswith("ronde.xlsx: Personeel, rij 3, kolom Diploma-niveau")


def test_dates_typed_as_text_are_read(zorgfix, tmp_path):
    def change(book: Any) -> None:
        _cell(book, "Personeel", "Startdatum", 3).value = "01-01-2022"
        book["Aanbieder"]["B4"].value = "2024-04-02"

    path = tmp_path / "tekst.xlsx"
    path.write_bytes(_edit(zorgfix, change))
    case = load_case(path)
    assert case.submission.staff[0].start_date == date(2022, 1, 1)
    assert case.submission.submitted_on == date(2024, 4, 2)


def test_unanswered_grounds_the_template_listed_are_not_declarations(template, tmp_path):
    data = case_dict(ROOT / "cases" / "zorgfix-bv.yaml")
    answered = data["submission"]["declarations"]
    book = openpyxl.load_workbook(io.BytesIO(fill(template, data)))
    ws = book["Verklaringen"]
    ws.cell(row=3 + len(answered), column=1, value="omkoping")  # listed, left unanswered
    out = io.BytesIO()
    book.save(out)
    read = workbook_case(out.getvalue(), ".xlsx", "w")
    assert len(read.submission.declarations) == len(answered)


def test_yaml_keeps_its_own_errors(tmp_path):
    """A YAML case is still read as YAML (the dispatch is by suffix)."""
    bad = tmp_path / "x.yaml"
    bad.write_text(yaml.safe_dump({"submission": {"id": "X"}}), encoding="utf-8")
    result = runner.invoke(app, ["check", str(bad)])
    assert result.exit_code == 1
    assert "submission.procedure: verplicht veld ontbreekt" in result.output


def test_reading_a_workbook_is_part_of_the_case_layer():
    """The reader imports the case model, the vocabulary and the limits, never the store, the
    web application, the command line or the engine (it drops into kit/case/ as it is)."""
    import subprocess

    code = (
        "import sys, kit.case.workbook, kit.case.layout, kit.case.archive\n"
        "above = ('kit.store', 'kit.web', 'kit.cli', 'kit.services', 'kit.screening.screen',"
        " 'kit.engine', 'kit.rules', 'sqlalchemy', 'fastapi')\n"
        "print(sorted(m for m in sys.modules if m.startswith(above)))"
    )
    found = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert found.stdout.strip() == "[]"


def test_the_case_schema_has_the_new_fields():
    """`kit schema`: a staff member's owner, a registration's registered_on (S1, S6)."""
    import json

    result = runner.invoke(app, ["schema"])
    defs = json.loads(result.stdout)["$defs"]
    assert defs["StaffMember"]["properties"]["owner"]["type"] == "boolean"
    registered = defs["Registration"]["properties"]["registered_on"]["anyOf"][0]
    assert registered["format"] == "date"


def test_a_line_break_in_a_workbooks_name_starts_no_line_of_its_own(zorgfix, tmp_path):
    def change(book: Any) -> None:
        _cell(book, "Personeel", "Diploma-niveau", 3).value = "hbo-sph"
        _cell(book, "Personeel", "Startdatum", 4).value = "morgen"

    lines = _errors(_edit(zorgfix, change), tmp_path, "kapot\nfout: nep.xlsx")
    assert len(lines) == 2  # one per problem, each naming the file with its line break shown
    assert all("kapot\\nfout: nep.xlsx: Personeel, rij" in line for line in lines)
