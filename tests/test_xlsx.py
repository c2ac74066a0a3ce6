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


def test_repeated_values_share_one_string_and_columns_fit_the_widest_value(tmp_path):
    sheet = Sheet("Lijst", ["Naam", "Aantal"])
    for n in range(1000):
        sheet.add([f"Aanbieder {n % 3}", n])
    sheet.add(["Een aanbieder met een lange naam", None])
    path = tmp_path / "lijst.xlsx"
    write_workbook(path, [sheet])
    book = openpyxl.load_workbook(path)
    ws = book.worksheets[0]
    assert ws["A1001"].value == "Aanbieder 0" and ws["B1001"].value == 999
    assert ws["A1002"].value == "Een aanbieder met een lange naam" and ws["B1002"].value is None
    assert ws.column_dimensions["A"].width == len("Een aanbieder met een lange naam") + 2

    with zipfile.ZipFile(path) as z:
        shared = z.read("xl/sharedStrings.xml").decode()
    assert shared.count("<si>") == 6  # two headers, three names and the long one
