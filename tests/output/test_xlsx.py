"""kit.output.xlsx, the writer behind every workbook kit makes: what is written reads back the
same in another reader (openpyxl), whatever the values and wherever the empty cells are."""

from __future__ import annotations

import itertools
from datetime import date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kit.output.xlsx import FORMULA_START, Sheet, Style, write_workbook

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


def _long_sheet() -> Sheet:
    """A thousand rows added, then rows made as they are written (a generator)."""
    sheet = Sheet("Lijst", ["Naam", "Aantal"])
    for n in range(1000):
        sheet.add([f"Aanbieder {n % 3}", n])
    later = [
        (["Een aanbieder met een lange naam", None], {}),
        *((([f"Deel {n}", date(2025, 1, n + 1)], {1: LATE})) for n in range(3)),
    ]
    sheet.rows = itertools.chain(sheet.rows, (row for row in later))
    return sheet


def test_rows_made_as_they_are_written_follow_in_order_and_columns_fit_the_widest_value(
    tmp_path,
):
    path = tmp_path / "lijst.xlsx"
    told: list[int] = []
    assert write_workbook(path, [_long_sheet()], progress=told.append) == [1004]
    assert sum(told) == 1004 and len(told) > 1  # told along the way, not only at the end
    ws = openpyxl.load_workbook(path).worksheets[0]
    assert ws["A1001"].value == "Aanbieder 0" and ws["B1001"].value == 999
    assert ws["A1002"].value == "Een aanbieder met een lange naam" and ws["B1002"].value is None
    assert [ws[f"A{r}"].value for r in (1003, 1004, 1005)] == ["Deel 0", "Deel 1", "Deel 2"]
    assert ws["B1005"].value.date() == date(2025, 1, 3) and ws["B1005"].font.b
    assert ws.max_row == 1005 and ws.auto_filter.ref == "A1:B1005"
    assert ws.column_dimensions["A"].width == len("Een aanbieder met een lange naam") + 2


def test_an_export_that_fails_halfway_leaves_no_file_and_keeps_the_one_there(tmp_path):
    """Written beside the target and moved into place whole: a failure (a full disk, a damaged
    row, Ctrl-C) leaves the previous list as it was and no part of the new one."""
    path = tmp_path / "lijst.xlsx"
    path.write_bytes(b"de lijst van gisteren")

    def rows():
        for n in range(3000):
            if n == 2500:
                raise OSError(28, "No space left on device")
            yield ([f"Aanbieder {n}", n], {})

    with pytest.raises(OSError):
        write_workbook(path, [Sheet("Lijst", ["Naam", "Aantal"], rows=rows())])
    assert path.read_bytes() == b"de lijst van gisteren"
    assert [p.name for p in tmp_path.iterdir()] == ["lijst.xlsx"]
    write_workbook(path, [Sheet("Lijst", ["Naam"], rows=[(["nieuw"], {})])])
    assert openpyxl.load_workbook(path).worksheets[0]["A2"].value == "nieuw"
    assert [p.name for p in tmp_path.iterdir()] == ["lijst.xlsx"]
