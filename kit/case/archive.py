"""The checks on an intake workbook's file before a spreadsheet library opens it.

An xlsx is a zip archive of XML parts. What a hostile or broken file can do is refused here, on
the raw bytes and the archive's directory, in one Dutch reason each: not a workbook at all, an
old .xls, a password-protected (encrypted) workbook, macros, too many parts, parts that unpack
to far more than any workbook needs (a zip bomb: the archive's directory states each part's
unpacked size, and Python's zipfile never unpacks a part past the size stated), and XML with a
document type declaration (entities that expand). Merged cells are found here too: read-only
reading does not show them.
"""

from __future__ import annotations

import io
import re
import zipfile

from kit.limits import MAX_WORKBOOK_PARTS, MAX_WORKBOOK_UNPACKED_MB

ZIP_START = b"PK\x03\x04"
# Compound File Binary: the container of an old .xls, and of an encrypted (password) xlsx.
CFB_START = bytes.fromhex("D0CF11E0A1B11AE1")
ENCRYPTION_STREAM = "EncryptionInfo".encode("utf-16-le")
MACRO_PARTS = ("xl/vbaProject.bin", "xl/vbaProjectSignature.bin")
MACRO_SUFFIXES = (".xlsm", ".xltm", ".xlam")
PROLOG_BYTES = 4096  # a document type declaration comes before the root element
_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\b[^>]*?\bref="([A-Za-z0-9:$]+)"')


class Refused(Exception):
    """The file cannot be read as an intake workbook: one Dutch reason."""


def check_archive(raw: bytes, suffix: str) -> None:
    """Refuse (Refused) a file that is no plain xlsx within the limits; return when it is."""
    if suffix.lower() in MACRO_SUFFIXES:
        raise Refused(_macros())
    if raw.startswith(CFB_START):
        if ENCRYPTION_STREAM in raw:
            raise Refused(
                "de werkmap is met een wachtwoord beveiligd (versleuteld); kit kan hem niet "
                "lezen. Sla hem op zonder wachtwoord"
            )
        raise Refused("dit is een oud Excel-bestand (.xls); sla het op als Excel-werkmap (.xlsx)")
    if not raw.startswith(ZIP_START):
        raise Refused("dit is geen Excel-werkmap (.xlsx): het bestand is geen zip-archief")
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
        parts = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        raise Refused("de werkmap is beschadigd (geen leesbaar zip-archief)") from None
    if len(parts) > MAX_WORKBOOK_PARTS:
        raise Refused(
            f"de werkmap bestaat uit {len(parts)} onderdelen; een werkmap van het sjabloon heeft "
            f"er hoogstens {MAX_WORKBOOK_PARTS}"
        )
    unpacked = sum(part.file_size for part in parts)
    if unpacked > MAX_WORKBOOK_UNPACKED_MB * 1024 * 1024:
        raise Refused(
            f"de werkmap pakt uit tot {unpacked // (1024 * 1024)} MB, meer dan de "
            f"{MAX_WORKBOOK_UNPACKED_MB} MB die een inschrijving ooit nodig heeft (een zipbom?)"
        )
    names = {part.filename for part in parts}
    if any(part.flag_bits & 0x1 for part in parts):
        raise Refused("de werkmap bevat versleutelde onderdelen; sla hem op zonder wachtwoord")
    if names & set(MACRO_PARTS) or b"macroEnabled" in _read(archive, "[Content_Types].xml"):
        raise Refused(_macros())
    if "xl/workbook.xml" not in names or "[Content_Types].xml" not in names:
        raise Refused("dit is geen Excel-werkmap (.xlsx): xl/workbook.xml ontbreekt")
    for part in parts:
        if part.filename.endswith((".xml", ".rels")):
            prolog = _read(archive, part.filename, PROLOG_BYTES)
            if b"<!DOCTYPE" in prolog or b"<!ENTITY" in prolog:
                raise Refused(
                    f"het onderdeel {part.filename} van de werkmap bevat een XML-DOCTYPE; "
                    "een gewone werkmap heeft dat niet"
                )


def _macros() -> str:
    return (
        "de werkmap bevat macro's (.xlsm); kit voert nooit macro's uit en neemt zo'n werkmap "
        "niet aan. Sla hem op als gewone Excel-werkmap (.xlsx)"
    )


def _read(archive: zipfile.ZipFile, name: str, limit: int = -1) -> bytes:
    try:
        with archive.open(name) as handle:
            return handle.read(limit)
    except KeyError:
        return b""
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, RuntimeError):
        raise Refused(f"het onderdeel {name} van de werkmap is beschadigd") from None


def merged_ranges(raw: bytes, part: str) -> list[str]:
    """The merged cell ranges of one worksheet part (B14:D14, …), read in pieces."""
    found: list[str] = []
    archive = zipfile.ZipFile(io.BytesIO(raw))
    tail = b""
    try:
        with archive.open(part) as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                text = tail + chunk
                found += [m.decode("ascii") for m in _MERGE.findall(text)]
                # Keep the last part of an element that may continue in the next piece.
                cut = text.rfind(b"<")
                tail = text[cut:] if cut >= 0 and b">" not in text[cut:] else b""
    except (KeyError, zipfile.BadZipFile, ValueError, OSError, EOFError):
        return found
    return found
