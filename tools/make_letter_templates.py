"""Write the Word templates of the letters (kit/templates/letters/*.docx) from this script, so
their first version is reviewable as text. The region then edits the .docx files in Word: the
tags between {{ }} and {%p %} are Jinja (docxtpl) and must stay whole; the values are those of
the Markdown templates beside them (kit/output/letter.py builds both from the same context).

    python tools/make_letter_templates.py          # overwrites the two .docx files
"""

from __future__ import annotations

from pathlib import Path

from docx import Document

LETTERS = Path(__file__).resolve().parent.parent / "kit" / "templates" / "letters"

HEADER = [
    "Inschrijving: {{ submission }} ({{ procedure }})",
    "KvK-nummer: {{ kvk }}",
    "Datum: {{ date }}",
]
ITEM = (
    "{{ f.title }}{% if f.about %} ({{ f.about }}){% endif %}: {{ f.shown }}"
    "{% if f.due %} Uiterlijk: {{ f.due }}.{% endif %} "
    "Grondslag: {{ f.basis }}."
)
OBJECTION = (
    "Dit besluit is onderdeel van een aanbesteding. Bent u het er niet mee eens, dan kunt u "
    "binnen 20 kalenderdagen na de datum van deze brief een kort geding aanhangig maken bij "
    "de voorzieningenrechter van de rechtbank Overijssel (opschortende termijn, "
    "Aanbestedingswet 2012 art. 2.127). U kunt ook eerst, binnen dezelfde termijn, een klacht "
    "indienen bij het klachtenmeldpunt van de regionale inkoop jeugdhulp en Wmo Twente; de "
    "termijn voor het kort geding loopt dan door. Noem in uw reactie het inschrijvingsnummer "
    "en het onderdeel waar het om gaat.{% if undecided %} Dit geldt voor ons besluit over "
    '{{ decided | join(", ") }}; over {{ undecided | join(", ") }} nemen wij later een '
    "besluit.{% endif %}"
)
CLOSING = [
    "Met vriendelijke groet,",
    "Team KIT-screening",
    "Regionale inkoop jeugdhulp en Wmo Twente",
]


def opening(title: str):  # type: ignore[no-untyped-def]
    """A letter's title, its header lines and the greeting."""
    doc = Document()
    doc.add_heading(title, level=1)
    for line in HEADER:
        doc.add_paragraph(line)
    doc.add_paragraph("Geachte heer, mevrouw,")
    return doc


def items(doc, loop: str) -> None:  # type: ignore[no-untyped-def]
    """Every finding in `loop`, an item each, with the sentence said once after it."""
    doc.add_paragraph("{%p for f in " + loop + " %}")
    doc.add_paragraph(ITEM, style="List Bullet")
    doc.add_paragraph("{%p if f.after %}")
    doc.add_paragraph("{{ f.after }}")
    doc.add_paragraph("{%p endif %}")
    doc.add_paragraph("{%p endfor %}")


def section(doc, condition: str, heading: str, loop: str) -> None:  # type: ignore[no-untyped-def]
    doc.add_paragraph("{%p if " + condition + " %}")
    doc.add_heading(heading, level=2)
    items(doc, loop)
    doc.add_paragraph("{%p endif %}")


def repair_request() -> None:
    doc = opening("Herstelverzoek KIT-screening — {{ provider }}")
    doc.add_paragraph(
        "Wij hebben uw inschrijving beoordeeld in de KIT-screening (Kwaliteit en Integriteit "
        "Twente). Een aantal onderdelen is nog niet in orde voor "
        '{{ "het perceel" if repaired | length == 1 else "de percelen" }} '
        '{{ repaired | join(", ") }}. U kunt die herstellen in herstelronde {{ next_round }} '
        "van de {{ allowed }}."
    )
    doc.add_paragraph(
        "Uiterste datum: {{ deadline }} ({{ working_days }} werkdagen na het herstelverzoek "
        "van {{ requested }}; weekenden, feestdagen en sluitingsdagen tellen niet mee)."
    )
    doc.add_paragraph(
        "Herstelrondes: na deze ronde resten u nog {{ left_after }} ronde(s). Is een onderdeel "
        "na de laatste ronde, of na de uiterste datum, nog niet in orde, dan wijzen wij de "
        "inschrijving af voor de percelen waarvoor dat onderdeel geldt."
    )
    section(doc, "provider_wide", "Voor alle percelen", "provider_wide")
    doc.add_paragraph("{%p for lot in lots if lot.repair %}")
    doc.add_heading("Perceel {{ lot.label }}", level=2)
    items(doc, "lot.repair")
    doc.add_paragraph("{%p endfor %}")
    section(doc, "pending", "Nog in beoordeling (u hoeft nu niets te doen)", "pending")
    section(doc, "conditions", "Voorwaarden die later mogen worden vervuld", "conditions")
    doc.add_paragraph("{%p if withdrawn %}")
    doc.add_paragraph('U heeft zich teruggetrokken voor: {{ withdrawn | join(", ") }}.')
    doc.add_paragraph("{%p endif %}")
    doc.add_paragraph(
        "Stuur de gevraagde stukken via het inkoopportaal, onder vermelding van uw "
        "inschrijvingsnummer. Heeft u vragen over een onderdeel, noem dan de naam van dat "
        "onderdeel."
    )
    for line in CLOSING:
        doc.add_paragraph(line)
    doc.save(LETTERS / "herstelverzoek.docx")


def decision() -> None:
    doc = opening('{{ "Besluit" if decision else "Stand van de" }} KIT-screening — {{ provider }}')
    doc.add_paragraph(
        "Wij hebben uw inschrijving beoordeeld in de KIT-screening (Kwaliteit en Integriteit "
        "Twente). {% if decision %}Hieronder leest u per perceel ons besluit en de redenen "
        "daarvoor, met de grondslag van elke eis{% if undecided %}; waar wij nog geen besluit "
        "nemen, leest u wat nog openstaat{% endif %}.{% else %}Een besluit nemen wij nog niet: "
        "hieronder leest u per perceel wat nog openstaat, met de grondslag van elke eis."
        "{% endif %}"
    )
    doc.add_paragraph("{%p for lot in lots %}")
    doc.add_paragraph("{{ lot.label }}: {{ lot.verdict }}", style="List Bullet")
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{%p if exclusion %}")
    doc.add_heading("Besluit: uitsluiting", level=2)
    doc.add_paragraph("{{ exclusion_intro }}")
    items(doc, "exclusion")
    doc.add_paragraph("{%p for paragraph in lifting %}")
    doc.add_paragraph("{{ paragraph }}")
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{%p if zienswijze %}")
    doc.add_paragraph("{{ zienswijze }}")
    doc.add_paragraph("{%p endif %}")
    doc.add_paragraph("{%p endif %}")
    doc.add_paragraph("{%p for lot in lots if not lot.excluded %}")
    doc.add_heading(
        "{% if lot.decided %}Besluit perceel {{ lot.label }}: {{ lot.verdict }}{% else %}"
        "Perceel {{ lot.label }}: nog geen besluit{% endif %}",
        level=2,
    )
    doc.add_paragraph("{{ lot.explanation }}")
    items(doc, "lot.reasons")
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{%p if decision %}")
    doc.add_heading("Bent u het niet eens met dit besluit?", level=2)
    doc.add_paragraph(OBJECTION)
    doc.add_paragraph("{%p endif %}")
    for line in CLOSING:
        doc.add_paragraph(line)
    doc.save(LETTERS / "besluit.docx")


if __name__ == "__main__":
    repair_request()
    decision()
