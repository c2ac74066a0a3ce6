"""Issue 5: `kit report`, the one central list per provider and lot (table, CSV, xlsx)."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime

import pytest
from conftest import CASES, load_raw, shipped_case_files
from support import kit

from kit.views.report import headers

ZORGFIX, HORST, TUBBERGEN = "INS-2024-0042", "INS-2024-0521", "INS-2024-0245"


# The shipped cases screened once for this module, and a copy per test (see test_monitor).


def expected_rows() -> int:
    return sum(len(load_raw(path)["submission"]["lots"]) for path in shipped_case_files())


def csv_rows(db_url: str, *args: str) -> list[dict[str, str]]:
    result = kit(db_url, "report", "--format", "csv", *args)
    assert result.exit_code == 0, result.output
    return list(csv.DictReader(io.StringIO(result.stdout), delimiter=";"))


def row(rows: list[dict[str, str]], submission: str, lot: str) -> dict[str, str]:
    [found] = [r for r in rows if r["Inschrijving"] == submission and r["Perceel"] == lot]
    return found


def test_csv_has_one_row_per_provider_and_lot(shipped_db):
    rows = csv_rows(shipped_db, "--as-of", "2024-04-02")
    assert len(rows) == expected_rows() == 36
    assert list(rows[0]) == headers()
    horst = row(rows, HORST, "jeugd-ambulant-begeleiding")
    assert (
        horst["Uitspraak"] == "toegelaten-onder-voorwaarden"
        and horst["Open: voorwaardelijk"] == "2"
    )
    assert horst["Volgende vervaldatum"] == "2025-03-01" and horst["Risico"] == "groen"
    assert horst["Ronde"] == "0" and horst["Screening"].startswith("SCR-")
    zorgfix = row(rows, ZORGFIX, "jeugd-ambulant-begeleiding")
    assert (zorgfix["Open: herstel"], zorgfix["Open: uitsluiting"]) == ("2", "0")
    assert zorgfix["Hersteltermijn"] == "2024-04-16"
    withdrawn = row(rows, TUBBERGEN, "jeugd-crisis")
    assert withdrawn["Uitspraak"] == "ingetrokken" and withdrawn["Open: herstel"] == ""
    assert row(rows, "INS-2024-0719", "wmo-begeleiding-individueel")["Risico"] == "rood"
    assert row(rows, "INS-2024-0519", "jeugd-ambulant-begeleiding")["Uitspraak"] == "uitgesloten"


def test_closed_rounds_show_afgewezen(shipped_db):
    """The verdict is the current one (kit.screening.rounds): once the deadline of the repair
    request that named it has passed without a new round, an open herstel finding rejects the lot
    (P3)."""
    during = row(csv_rows(shipped_db, "--as-of", "2024-04-10"), ZORGFIX, "wmo-dagbesteding")
    after = row(csv_rows(shipped_db, "--as-of", "2024-05-01"), ZORGFIX, "wmo-dagbesteding")
    assert (during["Uitspraak"], during["Hersteltermijn"]) == ("herstel-nodig", "2024-04-16")
    assert (after["Uitspraak"], after["Hersteltermijn"]) == ("afgewezen", "")


def test_report_follows_the_latest_screening(shipped_db, tmp_path):
    update = tmp_path / "gedragswetenschapper.yaml"
    update.write_text(WIERDEN_GW, encoding="utf-8")
    assert kit(shipped_db, "documents", "add", "INS-2024-0588", str(update)).exit_code == 0
    wierden = row(
        csv_rows(shipped_db, "--as-of", "2024-08-01"), "INS-2024-0588", "jeugd-ambulant-begeleiding"
    )
    assert wierden["Uitspraak"] == "toegelaten" and wierden["Open: voorwaardelijk"] == "0"
    assert wierden["Volgende vervaldatum"] == ""


def test_xlsx_reads_back_with_the_expected_rows(shipped_db, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    target = tmp_path / "overzicht.xlsx"
    result = kit(
        shipped_db, "report", "--format", "xlsx", "--out", str(target), "--as-of", "2024-04-02"
    )
    assert result.exit_code == 0, result.output
    assert "36 rijen" in result.stdout
    book = openpyxl.load_workbook(target)
    sheet = book.worksheets[0]
    table = [[cell.value for cell in r] for r in sheet.iter_rows()]
    assert table[0] == headers() and len(table) == 1 + expected_rows()
    # A spreadsheet user gets a bold header row and the provider and lot columns frozen, a
    # filter and readable column widths.
    assert all(cell.font.b for cell in sheet[1])
    assert (
        sheet.freeze_panes == "C2"
        and sheet.auto_filter.ref == f"A1:{sheet.cell(1, len(headers())).column_letter}37"
    )
    widths = [sheet.column_dimensions[c.column_letter].width for c in sheet[1]]
    assert all(8 <= w <= 60 for w in widths)
    assert widths[0] >= len("Stichting Jeugdzorg Regge en Dinkel")
    # The rows carry the same values as the CSV, with counts as numbers and dates as dates.
    by_key = {(r[3], r[1]): dict(zip(headers(), r, strict=True)) for r in table[1:]}
    horst = by_key[(HORST, "jeugd-ambulant-begeleiding")]
    assert (
        horst["Uitspraak"] == "toegelaten-onder-voorwaarden" and horst["Open: voorwaardelijk"] == 2
    )
    # openpyxl reads a date cell back as a naive datetime: a spreadsheet has no time zone.
    assert horst["Volgende vervaldatum"] in (date(2025, 3, 1), datetime(2025, 3, 1))  # noqa: DTZ001
    # Every cell sits in its own column, also after an empty one (a row without a due date
    # once put its risk under "Hersteltermijn"): the xlsx reads as the CSV, cell for cell.
    csv_view = csv_rows(shipped_db, "--as-of", "2024-04-02")
    assert any(r["Volgende vervaldatum"] == "" and r["Risico"] for r in csv_view)
    assert [list(r.values()) for r in csv_view] == [[as_csv(v) for v in r] for r in table[1:]]


def as_csv(value: object) -> str:
    """A cell read back from the xlsx as the CSV writes it."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    return value.isoformat() if isinstance(value, date) else str(value)


def test_the_xlsx_lists_the_open_findings_on_sqlite_and_postgresql_and_tells_its_progress(
    any_db, tmp_path
):
    """One process reads the list and its open findings and writes them, telling how many rows
    it wrote, on SQLite and on PostgreSQL; the store's connection still works afterwards."""
    import zipfile

    from kit.store import Store
    from kit.views.report import write_xlsx
    from kit.views.standing import standings

    screened = kit(any_db, "screen", str(CASES), "--peildatum", "2024-04-02")
    assert screened.exit_code == 0, screened.output
    store = Store(any_db, create=False)
    read = standings(store)
    target = tmp_path / "lijst.xlsx"
    told: list[int] = []
    day = date(2025, 1, 2)
    assert write_xlsx(store, read, target, day, "toezicht", progress=told.append) == expected_rows()
    assert store.counts()["screenings"] == len(read)
    with zipfile.ZipFile(target) as book:
        findings = book.read("xl/worksheets/sheet2.xml").count(b"<row ") - 1  # not the header
    assert findings > 20 and sum(told) == expected_rows() + findings


def test_a_slow_xlsx_export_shows_a_progress_line_on_stderr(shipped_db, tmp_path, monkeypatch):
    """An export that takes over a second says on stderr what it is doing; one done before that
    prints nothing there. (The second is made an hour, then nothing, for the test.)"""
    from kit.cli import report as command

    target = tmp_path / "lijst.xlsx"
    monkeypatch.setattr(command, "PROGRESS_AFTER", 3600.0)
    quick = kit(shipped_db, "report", "--formaat", "xlsx", "--uitvoer", str(target))
    assert quick.exit_code == 0 and quick.stderr == ""
    monkeypatch.setattr(command, "PROGRESS_AFTER", 0.0)
    slow = kit(shipped_db, "report", "--formaat", "xlsx", "--uitvoer", str(target))
    assert slow.exit_code == 0, slow.output
    assert slow.stderr == f"Centrale lijst naar {target}: bezig …\n"
    assert "geschreven naar" in slow.stdout


@pytest.mark.parametrize(
    "narrowing",
    [("--uitspraak", "toegelaten"), ("--achterstallig",), ("--perceel", "wmo-dagbesteding")],
)
def test_a_narrowed_xlsx_holds_nothing_of_the_rows_it_does_not_show(
    shipped_db, tmp_path, narrowing
):
    """Not in a cell, not in the file's string table: a filtered list names only the providers
    it lists, and its second sheet holds the open findings of its rows only."""
    import zipfile

    openpyxl = pytest.importorskip("openpyxl")
    target = tmp_path / "lijst.xlsx"
    day = ("--peildatum", "2025-01-02")
    made = kit(
        shipped_db, "report", "--formaat", "xlsx", "--uitvoer", str(target), *day, *narrowing
    )
    assert made.exit_code == 0, made.output
    main, findings = openpyxl.load_workbook(target).worksheets
    listed = [[c.value for c in r] for r in main.iter_rows(min_row=2)]
    shown = {(r[0], r[1]) for r in listed}
    rows = [[c.value for c in r] for r in findings.iter_rows(min_row=2)]
    assert all(
        (name, lot) in shown or (lot == "alle" and name in {n for n, _ in shown})
        for name, _, lot, *_ in rows
    )
    with zipfile.ZipFile(target) as book:
        text = " ".join(book.read(n).decode() for n in book.namelist())
    every = {r["Aanbieder"] for r in csv_rows(shipped_db, *day)}
    hidden = every - {name for name, _ in shown}
    assert hidden and not any(name.replace("&", "&amp;") in text for name in hidden)


def test_table_and_file_output(shipped_db, tmp_path):
    table = kit(shipped_db, "report", "--as-of", "2024-04-02")
    assert (
        table.exit_code == 0 and "Centrale lijst" in table.stdout and "Zorgfix B.V." in table.stdout
    )
    # The CSV is what Dutch Excel opens as columns: semicolons, and a BOM that says UTF-8.
    target = tmp_path / "lijst.csv"
    written = kit(shipped_db, "report", "--format", "csv", "--out", str(target))
    assert written.exit_code == 0
    assert target.read_bytes().startswith(b"\xef\xbb\xbfAanbieder;Perceel;KvK;")


def test_xlsx_needs_an_output_file_and_formats_are_checked(shipped_db):
    no_file = kit(shipped_db, "report", "--format", "xlsx")
    assert no_file.exit_code == 2 and "--uitvoer" in no_file.stderr  # a usage error
    unknown = kit(shipped_db, "report", "--format", "pdf")
    assert unknown.exit_code == 2 and "onbekend formaat" in unknown.stderr


WIERDEN_GW = """\
staff:
  - id: S09
    function: gedragswetenschapper
    employment: loondienst
    lots: [jeugd-ambulant-begeleiding]
    start_date: 2024-11-01
    diplomas:
      - {level: wo-master, field: orthopedagogiek, document: S09-DIP}
    registrations:
      - {register: skj, kind: jeugd-en-gezinsprofessional-master, number: "110077123",
         valid_until: 2029-10-31, document: S09-REG}
    vog: {issued_on: 2024-10-01, document: S09-VOG}
    documents:
      - {id: S09-DIP, type: diploma, issued_on: 2015-08-31}
      - {id: S09-REG, type: registratiebewijs, issued_on: 2024-10-31}
      - {id: S09-VOG, type: vog, issued_on: 2024-10-01}
"""
