"""kit.xlsx, the small writer behind every workbook kit makes: what is written reads back the
same in another reader (openpyxl), whatever the values and wherever the empty cells are."""

from __future__ import annotations

import zipfile
from datetime import date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kit.xlsx import FORMULA_START, Sheet, Style, write_workbook

openpyxl = pytest.importorskip("openpyxl")

# What kit's lists hold: texts (any, also those XML cannot carry), counts, dates, empty cells.
cells = st.one_of(
    st.none(),
    st.text(max_size=30),
    st.integers(min_value=-(10**9), max_value=10**9),
    st.dates(min_value=date(1900, 3, 1), max_value=date(2199, 12, 31)),
)
NOT_XML = {chr(c) for c in [*range(0, 9), 11, 12, *range(14, 32), 0xFFFE, 0xFFFF]}


def read_back(value: object) -> object:
    """What a reader sees of a written value."""
    if isinstance(value, str):
        if value[:1] in FORMULA_START and len(value) > 1:
            value = "'" + value
        value = "".join("\ufffd" if c in NOT_XML else c for c in value)
        return value
    return value


@settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(cells, min_size=4, max_size=4), max_size=12), st.data())
def test_every_value_reads_back_in_its_own_column(tmp_path_factory, rows, data):
    sheet = Sheet("Blad", ["Tekst", "Getal", "Datum", "Nog iets"], frozen_columns=1)
    for values in rows:
        styled = data.draw(st.sets(st.integers(0, 3), max_size=2))
        sheet.add(values, {i: Style(fill="FFC7CE", bold=True) for i in styled})
    path = tmp_path_factory.mktemp("xlsx") / "blad.xlsx"
    write_workbook(path, [sheet], "proef")
    book = openpyxl.load_workbook(path)
    table = [[c.value for c in r] for r in book.worksheets[0].iter_rows()]
    assert table[0] == sheet.headers
    got = [[v.date() if isinstance(v, datetime) else v for v in r] for r in table[1:]]
    # openpyxl drops trailing empty rows; every written row has its four columns back.
    expected = [[read_back(v) for v in values] for values in rows]
    while expected and all(v is None for v in expected[-1]):
        expected.pop()
    assert got[: len(expected)] == expected


LATE = Style(fill="FFC7CE", bold=True, color="9C0006")


def _sheet_with_parts() -> Sheet:
    """A thousand rows added, then two runs of rows made later (perhaps in forked children)."""
    sheet = Sheet("Lijst", ["Naam", "Aantal"], looks=(LATE,))
    for n in range(1000):
        sheet.add([f"Aanbieder {n % 3}", n])
    sheet.parts = [
        lambda: [(["Een aanbieder met een lange naam", None], {})],
        lambda: [([f"Deel {n}", date(2025, 1, n + 1)], {1: LATE}) for n in range(3)],
    ]
    return sheet


@pytest.mark.parametrize("forked", [False, True], ids=["hier", "in-kinderen"])
def test_rows_made_in_parts_follow_in_order_and_columns_fit_the_widest_value(tmp_path, forked):
    path = tmp_path / "lijst.xlsx"
    write_workbook(path, [_sheet_with_parts()], forked=forked)
    ws = openpyxl.load_workbook(path).worksheets[0]
    assert ws["A1001"].value == "Aanbieder 0" and ws["B1001"].value == 999
    assert ws["A1002"].value == "Een aanbieder met een lange naam" and ws["B1002"].value is None
    assert [ws[f"A{r}"].value for r in (1003, 1004, 1005)] == ["Deel 0", "Deel 1", "Deel 2"]
    assert ws["B1005"].value.date() == date(2025, 1, 3) and ws["B1005"].font.b
    assert ws.max_row == 1005 and ws.auto_filter.ref == "A1:B1005"
    assert ws.column_dimensions["A"].width == len("Een aanbieder met een lange naam") + 2


def test_a_workbook_is_the_same_whether_its_parts_ran_here_or_in_children(tmp_path):
    here, there = tmp_path / "hier.xlsx", tmp_path / "daar.xlsx"
    write_workbook(here, [_sheet_with_parts()], "proef")
    write_workbook(there, [_sheet_with_parts()], "proef", forked=True)
    with zipfile.ZipFile(here) as a, zipfile.ZipFile(there) as b:
        assert a.namelist() == b.namelist()
        for name in a.namelist():
            assert a.read(name) == b.read(name), name


def test_a_style_the_sheet_did_not_name_is_a_mistake_not_a_wrong_colour(tmp_path):
    sheet = Sheet("Lijst", ["Naam"])
    sheet.parts = [lambda: [(["x"], {0: LATE})]]  # LATE is not among sheet.looks
    with pytest.raises(ValueError, match="not among the sheets' looks"):
        write_workbook(tmp_path / "lijst.xlsx", [sheet])
