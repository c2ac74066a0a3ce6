"""Filling in the intake workbook as a provider would, with openpyxl: by the Dutch headers the
template shows, from a case's data. Written apart from kit's own layout on purpose: a column
kit reads into the wrong field fails the round trip instead of cancelling out."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import openpyxl

FIRST_ROW = 3

FORM = {  # Aanbieder: label in column A -> the value's path in `submission`
    "Inschrijvingsnummer": "id",
    "Procedure": "procedure",
    "Indieningsdatum": "submitted_on",
    "Ronde": "round",
    "KvK-nummer": "provider.kvk",
    "Naam": "provider.name",
    "Rechtsvorm": "provider.legal_form",
    "Fte": "provider.fte",
    "Werknemers": "provider.employees",
    "Grootteklasse": "provider.size_class",
    "Gedragswetenschapper in werving": "recruiting_gedragswetenschapper",
    "Omzet": "provider.risk.turnover",
    "Personeelskosten": "provider.risk.personnel_costs",
    "Winst": "provider.risk.profit",
    "Belangen in andere zorgbedrijven": "provider.risk.interests_in_care_companies",
    "Vastgoed gehuurd van een bestuurder": "provider.risk.real_estate_rented_from_board",
    "Bibob-status": "bibob.status",
    "Bibob-uitkomst": "bibob.outcome",
}
PERCELEN = {
    "Perceel": "lot",
    "Rol": "role",
    "KvK hoofdaannemer": "main_contractor_kvk",
    "Ingetrokken": "withdrawn",
}
BESTUUR = {
    "Bestuurder-id": "id",
    "Rol": "role",
    "Sinds": "since",
    "Zorgachtergrond": "care_background",
}
VERKLARINGEN = {
    "Uitsluitingsgrond": "ground",
    "Van toepassing": "answer",
    "Datum": "event_date",
    "Soort uitspraak": "sanction",
    "Bestuurder-id": "board_member",
    "Zelfreiniging": "self_cleaning",
    "Betaald of regeling": "paid_or_arranged",
}
DOCUMENTEN = {
    "Document-id": "id",
    "Soort": "type",
    "Afgiftedatum": "issued_on",
    "Geldig tot": "valid_until",
    "Volledig": "complete",
    "Boekjaar": "covers_year",
    "Niveau": "level",
    "EVC-aanbieder": "evc_provider",
    "Hergebruik uit": "reuse_of",
    "Oordeel": "assessment",
    "Toelichting oordeel": "assessment_note",
    "Toelichting gedeeld": "assessment_shared",
}
UITLEG = {"Document": "requirement", "Uitleg": "text"}
LOCATIE = {"Locatie-id": "id", "Maatschappelijke bestemming": "maatschappelijke_bestemming"}
MEDEWERKER = {
    "Medewerker-id": "id",
    "Functie": "function",
    "Dienstverband": "employment",
    "Eigenaar": "owner",
    "Startdatum": "start_date",
    "Cliëntcontact": "client_contact",
    "VOG-datum": "vog.issued_on",
    "VOG-document": "vog.document",
    "EVC-status": "evc.status",
    "EVC klaar": "evc.expected_completion",
    "EVC-certificaat": "evc.certificate",
}
DIPLOMA = {"Diploma-niveau": "level", "Diploma-richting": "field", "Diploma-document": "document"}
REGISTRATIE = {
    "Register": "register",
    "Registratiesoort": "kind",
    "Registratienummer": "number",
    "Registratiedatum": "registered_on",
    "Registratie geldig tot": "valid_until",
    "Registratiedocument": "document",
}


def _get(data: dict[str, Any], path: str) -> Any:
    for name in path.split("."):
        if not isinstance(data, dict):
            return None
        data = data.get(name)  # type: ignore[assignment]
    return data


def cell_value(value: Any) -> Any:
    """A case value as a provider types it: yes/no for a truth value."""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    return value


class Filler:
    def __init__(self, template: bytes) -> None:
        self.book = openpyxl.load_workbook(io.BytesIO(template))

    def headers(self, sheet: str) -> dict[str, int]:
        ws = self.book[sheet]
        return {cell.value: cell.column for cell in ws[1] if cell.value}

    def clear(self, sheet: str) -> None:
        ws = self.book[sheet]
        for row in ws.iter_rows(min_row=FIRST_ROW):
            for cell in row:
                cell.value = None

    def put(self, sheet: str, row: int, mapping: dict[str, str], element: dict[str, Any]) -> None:
        columns = self.headers(sheet)
        ws = self.book[sheet]
        for header, path in mapping.items():
            value = _get(element, path)
            if value is not None:
                ws.cell(row=row, column=columns[header], value=cell_value(value))

    def rows(self, sheet: str, mapping: dict[str, str], elements: list[dict[str, Any]]) -> None:
        self.clear(sheet)
        for i, element in enumerate(elements):
            self.put(sheet, FIRST_ROW + i, mapping, element)

    def save(self) -> bytes:
        out = io.BytesIO()
        self.book.save(out)
        return out.getvalue()


def fill(template: bytes, case: dict[str, Any]) -> bytes:
    """The template filled in with a case (its data as kit's model dumps it: dates as dates)."""
    sub = case["submission"]
    filler = Filler(template)
    form = filler.book["Aanbieder"]
    for row in form.iter_rows(min_row=2):
        label = row[0].value
        if label in FORM:
            value = _get(sub, FORM[label])
            row[1].value = cell_value(value) if value is not None else None
    filler.rows("Percelen", PERCELEN, sub.get("lots", []))
    filler.rows("Bestuur", BESTUUR, sub.get("provider", {}).get("board", []))
    filler.rows("Verklaringen", VERKLARINGEN, sub.get("declarations", []))
    filler.rows("Uitleg", UITLEG, sub.get("explanations", []))
    documents = [(doc, "") for doc in sub.get("documents", [])]
    for holder in ("locations", "staff"):
        for element in sub.get(holder, []):
            documents += [(doc, element["id"]) for doc in element.get("documents", [])]
    filler.clear("Documenten")
    hoort_bij = filler.headers("Documenten")["Hoort bij"]
    for i, (doc, holder) in enumerate(documents):
        filler.put("Documenten", FIRST_ROW + i, DOCUMENTEN, doc)
        if holder:
            filler.book["Documenten"].cell(row=FIRST_ROW + i, column=hoort_bij, value=holder)
    _grouped(filler, "Locaties", LOCATIE, sub.get("locations", []), {})
    _grouped(
        filler,
        "Personeel",
        MEDEWERKER,
        sub.get("staff", []),
        {"diplomas": DIPLOMA, "registrations": REGISTRATIE},
    )
    return filler.save()


def _grouped(
    filler: Filler,
    sheet: str,
    own: dict[str, str],
    elements: list[dict[str, Any]],
    lists: dict[str, dict[str, str]],
) -> None:
    """A row per element, and more rows with the same id for its further lots and list items."""
    filler.clear(sheet)
    columns = filler.headers(sheet)
    ws = filler.book[sheet]
    row = FIRST_ROW
    for element in elements:
        items = {name: element.get(name, []) for name in lists}
        height = max([len(element.get("lots", [])), *(len(v) for v in items.values()), 1])
        for i in range(height):
            if i == 0:
                filler.put(sheet, row, own, element)
            else:
                ws.cell(row=row, column=columns[next(iter(own))], value=element["id"])
            if i < len(element.get("lots", [])):
                ws.cell(row=row, column=columns["Perceel"], value=element["lots"][i])
            for name, mapping in lists.items():
                if i < len(items[name]):
                    filler.put(sheet, row, mapping, items[name][i])
            row += 1


def as_dates(value: Any) -> Any:
    """Case data with ISO date texts as dates (for data read from a file as text)."""
    if isinstance(value, dict):
        return {k: as_dates(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_dates(v) for v in value]
    if isinstance(value, str) and len(value) == 10 and value[4:5] == "-" and value[7:8] == "-":
        try:
            return date.fromisoformat(value)
        except ValueError:
            return value
    return value
