"""The properties of a Word letter as the region sends it: its language (nl-NL, in the styles'
defaults, so Word and a screen reader read Dutch), a title, and the region as author and last
editor instead of the library that wrote the file. The values live with the letter texts
(templates/letters/teksten.yaml, `document`), where the region edits them."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import UTC, datetime
from typing import Any
from xml.sax.saxutils import escape

_LANG = re.compile(r'(<w:lang\b[^>]*?\bw:val=")[^"]*(")')
_CORE = "docProps/core.xml"
_STYLES = "word/styles.xml"


def _core(title: str, author: str, language: str) -> bytes:
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
        'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{escape(title)}</dc:title><dc:creator>{escape(author)}</dc:creator>"
        f"<cp:lastModifiedBy>{escape(author)}</cp:lastModifiedBy>"
        f"<dc:language>{escape(language)}</dc:language>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{now}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{now}</dcterms:modified>'
        "</cp:coreProperties>"
    ).encode()


def with_properties(docx: bytes, kind: str, submission_id: str, texts: dict[str, Any]) -> bytes:
    """The .docx with the region's document properties for a letter of `kind`."""
    spec = texts["document"]
    title = str(spec["titles"][kind]).format(submission=submission_id)
    language = str(spec["language"])
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(docx)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == _CORE:
                data = _core(title, str(spec["author"]), language)
            elif item.filename == _STYLES:
                data = _LANG.sub(rf"\g<1>{language}\g<2>", data.decode("utf-8")).encode("utf-8")
            target.writestr(item, data)
    return out.getvalue()
