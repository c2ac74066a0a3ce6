"""Reading a filled-in intake workbook into the case model, with openpyxl in read-only mode.

The workbook is checked as a file first (kit.case.archive), then as the template's workbook
(its version, its sheets and headers), then cell by cell; the case it yields is validated by the
same models and checks as a YAML or JSON case. Every problem is one Dutch line naming the sheet,
the row and the column, and all problems of the file come at once, so a provider repairs them in
one go. Nothing is stored here.

Formulas are refused, never evaluated: kit reads what a provider typed, and a formula's stored
result is whatever the last program to save the file computed (or nothing, for a workbook a
script wrote), which nobody sees in the cell. Merged cells, hidden data sheets, sheets the
template does not have and values outside the template's columns are refused too: what kit
reads must be what a person reading the workbook sees.
"""

from __future__ import annotations

import io
import warnings
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from kit.case.archive import Refused, check_archive, merged_ranges
from kit.case.checks import SENSITIVE_PARTS, reference_problems
from kit.case.layout import (
    AANBIEDER,
    DOCUMENTEN,
    HOLDER,
    LISTS_SHEET,
    SHEETS,
    TEMPLATE_VERSION,
    VERSION_PROPERTY,
    Sheet,
)
from kit.case.models import Case
from kit.case.workbook_problems import Located, Place, Problems, column_header, form_place, refused
from kit.case.workbook_rows import Row, form_values, sheet_rows
from kit.errors import CaseError, os_error_text
from kit.limits import LimitError, check_values, read_bounded
from kit.validation import describe, path_text

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")


# --- the case -------------------------------------------------------------------------------


def _put(target: dict[str, Any], path: str, value: Any) -> None:
    """Set a dotted path in nested dicts (vog.issued_on)."""
    *parents, last = path.split(".")
    for name in parents:
        target = target.setdefault(name, {})
    target[last] = value


class _Builder:
    """The case data from the sheets' rows, and where each value came from."""

    def __init__(self, problems: Problems) -> None:
        self.problems = problems
        self.located = Located()
        self.submission: dict[str, Any] = {}

    def form(self, values: dict[str, Any]) -> None:
        for path, value in values.items():
            _put(self.submission, path, value)
            self.located.cells[f"submission.{path}"] = form_place(AANBIEDER.column(path))

    def elements(self, sheet: Sheet, rows: list[Row]) -> list[dict[str, Any]]:
        """The elements of a list sheet: a row each, or (with a key) the rows of one key."""
        base = path_text(("submission", *sheet.part.split(".")))
        self.located.lists[base] = sheet.name
        out: list[dict[str, Any]] = []
        by_key: dict[Any, int] = {}
        for row in rows:
            if sheet.prefilled and set(row.values) <= set(sheet.prefilled):
                continue  # a line the template filled in and the provider left unanswered
            key = row.values.get(sheet.key) if sheet.key else None
            if sheet.key is not None and key is None:
                self.problems.add(
                    Place(sheet.name, row.number, sheet.column(sheet.key).header),
                    "vul het id in; een rij met hetzelfde id hoort bij dezelfde",
                )
                continue
            if key is not None and key in by_key:
                index = by_key[key]
                self._continue(sheet, out[index], f"{base}[{index}]", row)
                continue
            index = len(out)
            if key is not None:
                by_key[key] = index
            element: dict[str, Any] = {}
            out.append(element)
            self.located.elements[f"{base}[{index}]"] = (sheet, row.number, None)
            self._continue(sheet, element, f"{base}[{index}]", row)
        return out

    def _continue(self, sheet: Sheet, element: dict[str, Any], where: str, row: Row) -> None:
        """Add a row's values to its element: the element's own fields (on its first row, or
        the same value again), and one item of each list the row fills."""
        groups: dict[str, dict[str, Any]] = {}
        for column in sheet.columns:
            if column.path not in row.values or column.path == HOLDER:
                continue
            value = row.values[column.path]
            place = Place(sheet.name, row.number, column.header)
            group = column.group
            if group is None:
                path = f"{where}.{column.path}"
                known = _get(element, column.path)
                if known is not None and known != value:
                    first_row = self.located.cells[path].row
                    self.problems.add(
                        place,
                        f"anders dan in rij {first_row} voor hetzelfde id; vul het alleen in de "
                        "eerste rij in, of gelijk",
                    )
                elif known is None:
                    _put(element, column.path, value)
                    self.located.cells[path] = place
                continue
            items = element.setdefault(group, [])
            if not column.field:  # a list of codes (lots[])
                self.located.cells[f"{where}.{group}[{len(items)}]"] = place
                items.append(value)
            else:
                groups.setdefault(group, {})[column.field] = value
        for group, item in groups.items():
            items = element.setdefault(group, [])
            item_path = f"{where}.{group}[{len(items)}]"
            self.located.elements[item_path] = (sheet, row.number, group)
            for name in item:
                header = column_header(sheet, group, name)
                self.located.cells[f"{item_path}.{name}"] = Place(sheet.name, row.number, header)
            items.append(item)

    def documents(self, rows: list[Row]) -> None:
        """The Documenten rows, each under its holder: the organisation, a location or a staff
        member (Hoort bij), in the order of the sheet."""
        holders: dict[str, tuple[str, dict[str, Any]]] = {"": ("submission", self.submission)}
        both: set[str] = set()  # an id of a location and of a staff member: which is meant?
        for part in ("locations", "staff"):
            for i, entry in enumerate(self.submission.get(part, [])):
                ident = entry.get("id")
                if isinstance(ident, str) and ident in holders:
                    both.add(ident)
                elif isinstance(ident, str):
                    holders[ident] = (f"submission.{part}[{i}]", entry)
        for row in rows:
            holder = str(row.values.get(HOLDER, "")).strip()
            if holder in both:
                self.problems.add(
                    Place(DOCUMENTEN.name, row.number, DOCUMENTEN.column(HOLDER).header),
                    f"{holder!r} is zowel een locatie-id als een medewerker-id; geef ze "
                    "verschillende ids",
                )
                continue
            if holder not in holders:
                self.problems.add(
                    Place(DOCUMENTEN.name, row.number, DOCUMENTEN.column(HOLDER).header),
                    f"{holder!r} is geen locatie-id (blad Locaties) of medewerker-id (blad "
                    "Personeel); laat leeg voor een document van de organisatie",
                )
                continue
            base, target = holders[holder]
            docs = target.setdefault("documents", [])
            where = f"{base}.documents[{len(docs)}]"
            element: dict[str, Any] = {}
            self.located.elements[where] = (DOCUMENTEN, row.number, None)
            self._continue(DOCUMENTEN, element, where, row)
            docs.append(element)
        self.located.lists["submission.documents"] = DOCUMENTEN.name


def _get(element: dict[str, Any], path: str) -> Any:
    value: Any = element
    for name in path.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(name)
    return value


# --- the workbook ---------------------------------------------------------------------------


def read_workbook(path: Path, source: str | None = None) -> Case:
    """The case in an intake workbook; a CaseError (one line per problem) otherwise."""
    shown = source or str(path)
    try:
        raw = read_bounded(path)
    except LimitError as exc:
        raise refused(shown, exc.where()) from None
    except OSError as exc:
        raise refused(shown, f"bestand niet leesbaar ({os_error_text(exc)})") from None
    return workbook_case(raw, path.suffix, shown)


def workbook_case(raw: bytes, suffix: str, source: str) -> Case:
    """The case in a workbook's bytes (an upload is read in memory and never written)."""
    try:
        check_archive(raw, suffix)
        return _read(raw, source)
    except Refused as exc:
        raise refused(source, str(exc)) from None


def _open(raw: bytes) -> Any:
    # start-up: openpyxl loads only when a workbook is read or written
    import openpyxl

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl warns about parts it skips (extensions)
        try:
            return openpyxl.load_workbook(
                io.BytesIO(raw), read_only=True, data_only=False, keep_links=False
            )
        except Exception:  # openpyxl raises many kinds on a damaged part
            raise Refused("de werkmap is beschadigd; openpyxl kan hem niet openen") from None


def _read(raw: bytes, source: str) -> Case:
    workbook = _open(raw)
    try:
        _check_version(workbook)
        problems = Problems(source)
        sheets = _check_sheets(workbook, raw, problems)
        if any(sheet.name not in sheets for sheet in SHEETS):
            problems.raise_if_any()  # without all its sheets the workbook cannot be read
        builder = _Builder(problems)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            builder.form(form_values(sheets[AANBIEDER.name], problems))
            rows = {
                sheet.name: list(sheet_rows(sheets[sheet.name], sheet, problems))
                for sheet in SHEETS
                if not sheet.form
            }
    except Refused:
        raise
    except Exception as exc:  # a part openpyxl cannot parse while reading rows
        if isinstance(exc, CaseError):
            raise
        raise Refused("de werkmap is beschadigd; een blad is niet te lezen") from None
    finally:
        workbook.close()
    for sheet in SHEETS:
        if sheet.form or sheet is DOCUMENTEN:
            continue
        elements = builder.elements(sheet, rows[sheet.name])
        if elements:
            _put(builder.submission, sheet.part, elements)
    builder.documents(rows[DOCUMENTEN.name])
    return _validated({"submission": builder.submission}, builder.located, problems)


def _check_version(workbook: Any) -> None:
    props = {p.name: p.value for p in getattr(workbook, "custom_doc_props", [])}
    version = str(props.get(VERSION_PROPERTY, "")).strip()
    if not version:
        raise Refused(
            "dit is geen inschrijvingswerkmap van kit (de sjabloonversie ontbreekt); gebruik het "
            "sjabloon van de regio (kit intake sjabloon)"
        )
    if version != str(TEMPLATE_VERSION):
        newer = version.isdigit() and int(version) > TEMPLATE_VERSION
        raise Refused(
            f"de werkmap is gemaakt met sjabloonversie {version!r}; deze kit leest versie "
            f"{TEMPLATE_VERSION}"
            + (
                ": werk kit bij"
                if newer
                else ": vraag de regio om het huidige sjabloon en zet uw gegevens daarin over"
            )
        )


def _check_sheets(workbook: Any, raw: bytes, problems: Problems) -> dict[str, Any]:
    found = {ws.title: ws for ws in workbook.worksheets}
    for name in (s.name for s in SHEETS):
        if name not in found:
            problems.add(Place(name), "dit blad ontbreekt; gebruik het sjabloon van de regio")
    for name, ws in found.items():
        if name == LISTS_SHEET:
            continue
        if name not in {s.name for s in SHEETS}:
            problems.add(
                Place(name),
                "dit blad hoort niet bij het sjabloon; kit leest het niet. Haal het weg en zet "
                "wat erop staat in de bladen van het sjabloon",
            )
            continue
        if ws.sheet_state != "visible":
            problems.add(
                Place(name),
                "dit blad is verborgen; maak het zichtbaar (wat kit leest moet ook te zien zijn)",
            )
        part = getattr(ws, "_worksheet_path", None)
        merged = merged_ranges(raw, part) if isinstance(part, str) else []
        if merged:
            problems.add(
                Place(name),
                f"samengevoegde cellen ({', '.join(merged[:5])}); maak de samenvoeging "
                "ongedaan, elke waarde in een eigen cel",
            )
    return found


def _validated(data: dict[str, Any], located: Located, problems: Problems) -> Case:
    """The data checked by the case's own models and checks, each problem at its cell."""
    try:
        check_values(data)
    except LimitError as exc:
        problems.add(located.place(path_text(exc.loc)), exc.problem)
        problems.raise_if_any()
    try:
        case = Case.model_validate(data)
    except ValidationError as exc:
        for error in sorted(exc.errors(), key=lambda e: e["type"] != "extra_forbidden"):
            path = path_text(tuple(error["loc"]))
            place = located.place(path)
            show = not (set(map(str, error["loc"])) & SENSITIVE_PARTS)
            text = describe(error, show)
            problems.add(place, text if place else f"{path}: {text}")
        problems.raise_if_any()
        raise AssertionError("unreachable") from None
    problems.raise_if_any()
    for path, problem in reference_problems(case.submission):
        place = located.place(path)
        problems.add(place, problem if place else f"{path}: {problem}")
    problems.raise_if_any()
    return case
