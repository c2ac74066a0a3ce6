"""The intake workbook's layout: its sheets, their Dutch column headers and instructions, and the
case field each column fills. One definition serves the template (what the region publishes)
and the reader (what kit takes from a filled-in workbook), so the two cannot drift apart.

What a column holds (a code, a date, a number, yes/no or text) is not written here: it follows
from the case model's type of the field (kit.case.models), whose codes come from the vocabulary. The
drop-down list of a code column is that type's list of codes.

Paths are relative to the sheet's part of `submission`. `lots[]` is a list of codes, one per
row; `diplomas[].level` is a field of one element of a list, one element per row. A sheet with
a `key` groups its rows by that column (a staff member on several rows: one row per lot,
diploma or registration); `@holder` is the Documenten column that says whose document it is.
"""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel

from kit.case.models import Submission

# The layout's version, kept in the workbook's document properties. A reader refuses another
# version: columns may have moved. Raise it with every change of sheets, headers or instructions.
TEMPLATE_VERSION = 1
VERSION_PROPERTY = "kit-sjabloonversie"
LISTS_SHEET = "Lijsten"  # the hidden sheet with the drop-down lists
FIRST_DATA_ROW = 3  # row 1: headers, row 2: instructions
FORM_HEADERS = ("Gegeven", "Waarde", "Uitleg")  # the Aanbieder sheet: one field per row
HOLDER = "@holder"

Kind = Literal["code", "date", "int", "number", "bool", "text"]


@dataclass(frozen=True)
class Column:
    header: str
    path: str
    note: str = ""
    width: int = 18

    @property
    def group(self) -> str | None:
        """The list this column adds one element (or one code) to per row, if any."""
        return self.path.split("[]", 1)[0] if "[]" in self.path else None

    @property
    def field(self) -> str:
        """The field inside a list element ("" for a list of codes), else the whole path."""
        return self.path.split("[]", 1)[1].lstrip(".") if "[]" in self.path else self.path


@dataclass(frozen=True)
class Sheet:
    name: str
    part: str  # where in `submission` its rows go: "staff", "provider.board", "" (the form)
    columns: tuple[Column, ...]
    key: str | None = None  # the column (path) that groups rows into one element
    # Rows where only these columns are filled are skipped (the template fills them in).
    prefilled: tuple[str, ...] = ()
    form: bool = False  # one field per row: label, value, instruction (Aanbieder)

    def column(self, path: str) -> Column:
        return next(c for c in self.columns if c.path == path)


YES, NO = "ja", "nee"

AANBIEDER = Sheet(
    "Aanbieder",
    "",
    (
        Column("Inschrijvingsnummer", "id", "Het nummer van uw inschrijving in het inkoopportaal."),
        Column("Procedure", "procedure", "De procedure waarvoor u inschrijft."),
        Column("Indieningsdatum", "submitted_on", "De dag waarop u indient (dd-mm-jjjj)."),
        Column("Ronde", "round", "0 bij de eerste indiening; 1, 2 of 3 bij een herstelronde."),
        Column("KvK-nummer", "provider.kvk", "8 cijfers."),
        Column("Naam", "provider.name", "De naam zoals in het handelsregister."),
        Column("Rechtsvorm", "provider.legal_form", "Kies uit de lijst."),
        Column("Fte", "provider.fte", "Aantal fte, bijvoorbeeld 14,5."),
        Column(
            "Werknemers", "provider.employees", "Mensen in loondienst; 0 voor een zelfstandige."
        ),
        Column("Grootteklasse", "provider.size_class", "Mag leeg blijven."),
        Column(
            "Gedragswetenschapper in werving",
            "recruiting_gedragswetenschapper",
            "ja als u een gedragswetenschapper werft.",
        ),
        Column("Omzet", "provider.risk.turnover", "In euro, over het laatste boekjaar."),
        Column("Personeelskosten", "provider.risk.personnel_costs", "In euro."),
        Column("Winst", "provider.risk.profit", "In euro; een verlies met een minteken."),
        Column(
            "Belangen in andere zorgbedrijven",
            "provider.risk.interests_in_care_companies",
            "Het aantal.",
        ),
        Column(
            "Vastgoed gehuurd van een bestuurder",
            "provider.risk.real_estate_rented_from_board",
            "ja of nee.",
        ),
        Column("Bibob-status", "bibob.status", "Vult de regio in."),
        Column("Bibob-uitkomst", "bibob.outcome", "Vult de regio in."),
    ),
    form=True,
)

PERCELEN = Sheet(
    "Percelen",
    "lots",
    (
        Column("Perceel", "lot", "Eén rij per perceel.", 34),
        Column("Rol", "role", "Hoofdaannemer of onderaannemer."),
        Column("KvK hoofdaannemer", "main_contractor_kvk", "Alleen als onderaannemer."),
        Column("Ingetrokken", "withdrawn", "ja als u zich terugtrekt."),
    ),
)

VERKLARINGEN = Sheet(
    "Verklaringen",
    "declarations",
    (
        Column("Uitsluitingsgrond", "ground", "Beantwoord elke grond.", 34),
        Column("Van toepassing", "answer", "ja of nee."),
        Column("Datum", "event_date", "Bij ja: de datum van de uitspraak of gebeurtenis."),
        Column("Soort uitspraak", "sanction", "Bij ja: vonnis of strafbeschikking."),
        Column("Bestuurder-id", "board_member", "Als de grond een bestuurder betreft."),
        Column("Zelfreiniging", "self_cleaning", "De genomen maatregelen, als die er zijn.", 40),
        Column("Betaald of regeling", "paid_or_arranged", "Bij belastingen en premies."),
    ),
    prefilled=("ground",),
)

BESTUUR = Sheet(
    "Bestuur",
    "provider.board",
    (
        Column("Bestuurder-id", "id", "Een eigen code, zonder naam (B1, B2, …)."),
        Column("Rol", "role", "Bestuurder of toezichthouder."),
        Column("Sinds", "since", "Datum van aantreden."),
        Column("Zorgachtergrond", "care_background", "ja of nee."),
    ),
)

DOCUMENTEN = Sheet(
    "Documenten",
    "documents",
    (
        Column("Document-id", "id", "Een eigen code, bijvoorbeeld D1; elders verwijst u hiernaar."),
        Column("Soort", "type", "Kies uit de lijst.", 30),
        Column("Hoort bij", HOLDER, "Leeg: de organisatie; of een locatie- of medewerker-id."),
        Column("Afgiftedatum", "issued_on", "De datum op het document."),
        Column("Geldig tot", "valid_until", "Als het document een einddatum heeft."),
        Column("Volledig", "complete", "Bibob-vragenlijst: ja als alles is ingevuld."),
        Column("Boekjaar", "covers_year", "Jaarrekening: het jaar waarover die gaat."),
        Column("Niveau", "level", "EVC-certificaat: het niveau dat het geeft."),
        Column("EVC-aanbieder", "evc_provider", "EVC-certificaat: wie het afgaf.", 26),
        Column(
            "Hergebruik uit", "reuse_of", "Een eerdere screening, als u dat document hergebruikt."
        ),
        Column("Oordeel", "assessment", "Vult de regio in."),
        Column("Toelichting oordeel", "assessment_note", "Vult de regio in.", 40),
        Column("Toelichting gedeeld", "assessment_shared", "Vult de regio in."),
    ),
)

PERSONEEL = Sheet(
    "Personeel",
    "staff",
    (
        Column("Medewerker-id", "id", "Een eigen code, zonder naam. Meer rijen: zelfde id."),
        Column("Functie", "function", "Kies uit de lijst."),
        Column("Dienstverband", "employment", "Loondienst, inhuur of zzp."),
        Column("Eigenaar", "owner", "ja voor de zelfstandige zelf (de eigenaar in persoon)."),
        Column("Perceel", "lots[]", "Eén perceel per rij; extra rijen met hetzelfde id.", 34),
        Column("Startdatum", "start_date", "De eerste werkdag bij u."),
        Column("Cliëntcontact", "client_contact", "Alleen voor ondersteunend personeel."),
        Column("Diploma-niveau", "diplomas[].level", "Eén diploma per rij."),
        Column("Diploma-richting", "diplomas[].field", "Kies uit de lijst."),
        Column("Diploma-document", "diplomas[].document", "Document-id van het diploma."),
        Column("Register", "registrations[].register", "SKJ of BIG; één registratie per rij."),
        Column("Registratiesoort", "registrations[].kind", "Kies uit de lijst.", 30),
        Column("Registratienummer", "registrations[].number", ""),
        Column("Registratiedatum", "registrations[].registered_on", "Als er geen einddatum is."),
        Column("Registratie geldig tot", "registrations[].valid_until", "De einddatum."),
        Column("Registratiedocument", "registrations[].document", "Document-id van het bewijs."),
        Column("VOG-datum", "vog.issued_on", "De afgiftedatum van de VOG."),
        Column("VOG-document", "vog.document", "Document-id van de VOG."),
        Column("EVC-status", "evc.status", "Lopend of afgerond, als er een EVC-traject is."),
        Column("EVC klaar", "evc.expected_completion", "Lopend: de verwachte einddatum."),
        Column("EVC-certificaat", "evc.certificate", "Afgerond: document-id van het certificaat."),
    ),
    key="id",
)

LOCATIES = Sheet(
    "Locaties",
    "locations",
    (
        Column("Locatie-id", "id", "Een eigen code, bijvoorbeeld L1. Meer rijen: zelfde id."),
        Column("Perceel", "lots[]", "Eén perceel per rij; extra rijen met hetzelfde id.", 34),
        Column("Maatschappelijke bestemming", "maatschappelijke_bestemming", "ja of nee."),
    ),
    key="id",
)

UITLEG = Sheet(
    "Uitleg",
    "explanations",
    (
        Column("Document", "requirement", "Het document dat u niet stuurt.", 30),
        Column("Uitleg", "text", "Waarom niet (pas toe of leg uit).", 60),
    ),
)

SHEETS: tuple[Sheet, ...] = (
    AANBIEDER,
    PERCELEN,
    VERKLARINGEN,
    BESTUUR,
    DOCUMENTEN,
    PERSONEEL,
    LOCATIES,
    UITLEG,
)


@dataclass(frozen=True)
class FieldType:
    """What a column holds, read from the case model: its kind, and for a code its codes."""

    kind: Kind
    codes: tuple[str, ...] = ()


def _plain(annotation: Any) -> Any:
    """The type inside Optional[...], Annotated[...] and list[...]."""
    while True:
        origin = get_origin(annotation)
        if origin is typing.Annotated:
            annotation = get_args(annotation)[0]
        elif origin in (Union, types.UnionType):
            annotation = next(a for a in get_args(annotation) if a is not type(None))
        elif origin is list:
            annotation = get_args(annotation)[0]
        else:
            return annotation


def _field(model: type[BaseModel], name: str) -> Any:
    """A model field's annotation by its name in the case format (an alias counts)."""
    for field_name, info in model.model_fields.items():
        if (info.alias or field_name) == name:
            return info.annotation
    raise KeyError(name)


@cache
def field_type(part: str, path: str) -> FieldType:
    """The type of `path` (a column's path) under `part` of Submission."""
    annotation: Any = Submission
    for name in [p for p in f"{part}.{path}".replace("[]", "").split(".") if p]:
        annotation = _field(_plain(annotation), name)
    plain = _plain(annotation)
    if get_origin(plain) is Literal:
        return FieldType("code", tuple(str(a) for a in get_args(plain)))
    if plain is date:
        return FieldType("date")
    if plain is bool:
        return FieldType("bool", (YES, NO))
    if plain is int:
        return FieldType("int")
    if plain is float:
        return FieldType("number")
    return FieldType("text")


def column_type(sheet: Sheet, column: Column) -> FieldType:
    if column.path == HOLDER:
        return FieldType("text")
    return field_type(sheet.part, column.path)
