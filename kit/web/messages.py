"""A refusal as a web page says it: the services and the case checks speak the command line's
and the data model's language (`--uitkomst: …`, `(kit letter)`, `submission.documents[21].
issued_on`, role codes); a page names the form's field, the workbook's sheet, row and column,
and the role in the labels file's words."""

from __future__ import annotations

import re

from kit.case.layout import SHEETS
from kit.output.labels import role_label

OPTION = re.compile(r"(?<![\w-])--([a-z][a-z-]*)(?=[:\s])")
COMMAND = re.compile(r"\s*\((?:kit|zie kit) [^)]*\)")
CASE_PATH = re.compile(r"\bsubmission((?:\.[A-Za-z_]+|\[\d+\])+)")
ROLES = re.compile(r"\b(rol(?:len)?:? )([a-z]+(?: of [a-z]+)*)")


def option_field(text: str) -> str | None:
    """The form field a message is about, when it starts with a command-line option or a form
    field's name (`--uitkomst: …`, `datum: …`)."""
    found = re.match(r"\s*(?:--)?([a-z][a-z_-]*):", text)
    return found.group(1).replace("-", "_") if found else None


def place_text(path: str) -> str:
    """`.documents[21].issued_on` -> 'werkblad Documenten, nr. 22, kolom Afgiftedatum': the
    place in the intake workbook (kit.case.layout) a case field comes from."""

    plain = re.sub(r"\[\d+\]", "[]", path.lstrip("."))
    numbers = [int(n) + 1 for n in re.findall(r"\[(\d+)\]", path)]
    for sheet in SHEETS:
        prefix = f"{sheet.part}[]" if sheet.part else ""
        if prefix and not plain.startswith(prefix):
            continue
        rest = plain[len(prefix) :].lstrip(".")
        for column in sheet.columns:
            if rest in (column.path, column.field) or (column.group and rest == column.path):
                where = f"werkblad {sheet.name}"
                if prefix and numbers:
                    where += f", nr. {numbers[0]}"
                return f"{where}, kolom {column.header}"
        if prefix:
            return f"werkblad {sheet.name}" + (f", nr. {numbers[0]}" if numbers else "")
    return "het inschrijvingsbestand"


def web_text(text: str) -> str:
    """The message in the page's words (see the module's docstring)."""

    text = COMMAND.sub("", text)
    text = OPTION.sub(lambda m: m.group(1).replace("-", " "), text)
    text = CASE_PATH.sub(lambda m: place_text(m.group(1)), text)

    def roles(found: re.Match[str]) -> str:
        named = " of ".join(role_label(code) for code in found.group(2).split(" of "))
        return found.group(1) + named

    text = ROLES.sub(roles, text)
    if re.match(r"[a-z]+[\s:,;]", text):  # a word, not a file name such as kapot.yaml
        text = text[:1].upper() + text[1:]
    return text
