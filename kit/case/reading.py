"""Reading case files: YAML or JSON (kit.structured), or the region's intake workbook
(kit.case.workbook), into the model, checked (kit.case.checks); and finding the case files in
the directories given."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kit.case.checks import parse_case, refuse_kit_only
from kit.case.models import Case
from kit.errors import CaseError, os_error_text
from kit.structured import read_structured

# The region's intake workbook (kit.intake); .xlsm is read only to be refused with its reason.
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")


def is_workbook(path: Path) -> bool:
    return path.suffix.lower() in WORKBOOK_SUFFIXES


def load_case(path: Path) -> Case:
    """A case file: read within the limits, with no field only kit may set, validated. An
    intake workbook is read by kit.intake into the same model, its errors naming the cells."""
    if is_workbook(path):
        # start-up: kept out of `kit --help`; only this path needs it
        from kit.case.workbook import read_workbook

        return read_workbook(path)
    data = read_structured(path)
    refuse_kit_only(data, str(path))
    return parse_case(data, str(path))


def case_data(path: Path) -> Any:
    """What a case file holds, as data for parse_case: YAML or JSON parsed within the limits
    (read_structured), a workbook read and checked whole."""
    return load_case(path).to_json_data() if is_workbook(path) else read_structured(path)


CASE_SUFFIXES = (".yaml", ".yml", ".json", *WORKBOOK_SUFFIXES)


def case_files(paths: list[Path]) -> list[Path]:
    """Expand directories into their case files (sorted, not recursive into expected/ results)."""
    files: list[Path] = []
    for path in paths:
        try:
            if path.is_dir():
                files.extend(
                    sorted(
                        p
                        for p in path.iterdir()
                        if p.is_file() and p.suffix.lower() in CASE_SUFFIXES
                    )
                )
            elif path.exists():
                files.append(path)
            else:
                raise CaseError(f"{path}: bestand of map bestaat niet")
        except OSError as exc:
            raise CaseError(f"{path}: niet te lezen ({os_error_text(exc)})") from None
    return files
