"""Default Dutch message templates per rule kind and situation; a rule may override any of
them under `messages:`. Each tells the provider what is wrong and what would repair it.

Placeholders come from the matched facts and the rule's parameters: {label}, {doc_id},
{age}, {max}, {lot_label}, {staff}, {due}, {ground_label}, {who}, ...
"""

from __future__ import annotations

from typing import Any

DEFAULTS: dict[str, dict[str, str]] = {
    "document": {
        "ok": "{Label} is aanwezig ({doc_id}) en voldoet.",
        "ok_equivalent": "{Label} is aangetoond met gelijkwaardig bewijs: {eq_label} ({doc_id}).",
        "unjudged": "{Label} ({doc_id}) is aanwezig; de inhoud wacht op het oordeel van een beoordelaar.",
        "insufficient": "{Label} ({doc_id}) is inhoudelijk beoordeeld als onvoldoende{note_clause}. "
                        "Stuur een aangepaste versie.",
        "too_old": "{Label} ({doc_id}) is {age} maanden oud op de peildatum; dat mag hoogstens {max} "
                   "maanden zijn. Stuur een recenter exemplaar.",
        "undated": "{Label} ({doc_id}) heeft geen uitgiftedatum, dus de ouderdom (hoogstens {max} maanden) "
                   "is niet te controleren. Stuur een gedateerd exemplaar.",
        "expired": "{Label} ({doc_id}) is verlopen: de geldigheid is voorbij op de peildatum. Stuur een "
                   "geldig exemplaar.",
        "future": "{Label} ({doc_id}) is gedateerd op {issued}, na de peildatum {measured}; een document "
                  "van na de peildatum geldt niet als bewijs. Stuur het document dat op de peildatum gold.",
        "year_old": "{Label} ({doc_id}) gaat over boekjaar {year}; op de peildatum telt alleen een van de "
                    "laatste {closed_years} afgesloten boekjaren. Stuur de jaarrekening over een recenter boekjaar.",
        "year_open": "{Label} ({doc_id}) gaat over boekjaar {year}, dat op de peildatum nog niet is afgesloten. "
                     "Stuur de jaarrekening over een afgesloten boekjaar.",
        "year_missing": "{Label} ({doc_id}) noemt niet over welk boekjaar hij gaat, dus is niet te controleren "
                        "of het een van de laatste {closed_years} afgesloten boekjaren is. Stuur een jaarrekening "
                        "die het boekjaar noemt.",
        "incomplete": "{Label} ({doc_id}) is niet volledig ingevuld. Stuur een volledig ingevulde versie.",
        "missing": "{Label} ontbreekt{scope_text}. Stuur {label}{age_hint}.",
        "missing_due": "{Label} ontbreekt nog{scope_text}. Lever {label} uiterlijk {due} aan.",
        "explained": "{Label} ontbreekt{scope_text}; de aanbieder legt uit waarom (pas toe of leg uit): "
                     "\"{text}\". Een beoordelaar besluit of de uitleg volstaat.",
        "explained_accepted": "{Label} ontbreekt{scope_text}, maar de uitleg van de aanbieder (pas toe of leg "
                              "uit) is door een beoordelaar aanvaard{note_clause}.",
        "explained_rejected": "{Label} ontbreekt{scope_text} en de uitleg van de aanbieder (pas toe of leg uit) "
                              "is door een beoordelaar niet aanvaard{note_clause}. Stuur {label}.",
        "flag": "Locatie {loc_id} heeft volgens de inschrijving geen maatschappelijke bestemming. "
                "Kies een locatie met die bestemming, of stuur een verklaring van de gemeente dat de "
                "bestemming past.",
    },
    "exclusion_ground": {
        "excluded": "Uitsluitingsgrond '{ground_label}' is van toepassing ({who}{when}). Dit sluit de "
                    "aanbieder uit voor alle percelen en is niet te herstellen.",
        "undated": "Uitsluitingsgrond '{ground_label}' is verklaard ({who}), zonder datum. Zonder de datum is "
                   "niet te bepalen of het binnen de termijn van {years} jaar valt. Geef de datum van de "
                   "onherroepelijke veroordeling of de gebeurtenis, met het vonnis of besluit waarop die berust.",
        "self_cleaning": "Uitsluitingsgrond '{ground_label}' is verklaard ({who}{when}), met maatregelen "
                         "tot zelfreiniging: \"{text}\". Een beoordelaar beoordeelt of die volstaan.",
        "clear_no": "Uitsluitingsgrond '{ground_label}': niet van toepassing volgens de eigen verklaring.",
        "clear_old": "Uitsluitingsgrond '{ground_label}' is verklaard ({who}{when}), maar dat ligt meer dan "
                     "{years} jaar voor de peildatum en telt niet meer mee.",
        "clear_sanction": "Uitsluitingsgrond '{ground_label}' is verklaard ({who}{when}), maar een "
                          "{sanction} is geen onherroepelijke veroordeling.",
        "clear_paid": "Uitsluitingsgrond '{ground_label}' is verklaard, maar de schuld is betaald of er is "
                      "een bindende betalingsregeling.",
        "self_cleaning_accepted": "Uitsluitingsgrond '{ground_label}' is verklaard ({who}{when}); de maatregelen "
                                  "tot zelfreiniging zijn aanvaard{note_clause}. De grond sluit niet uit.",
        "self_cleaning_rejected": "Uitsluitingsgrond '{ground_label}' is verklaard ({who}{when}); de maatregelen "
                                  "tot zelfreiniging zijn niet aanvaard{note_clause}. Dit sluit de aanbieder uit "
                                  "voor alle percelen en is niet te herstellen.",
    },
    "exclusion_history": {
        "carried": "In screening {screening} is een uitsluitingsgrond vastgesteld ('{requirement_label}', "
                   "{who}). Een uitsluiting is niet te herstellen: zij blijft staan in elke latere ronde van deze "
                   "inschrijving, ook als de eigen verklaring nu anders luidt, tot een vastgelegd besluit haar "
                   "opheft (aanvaarde zelfreiniging of een nieuwe Bibob-uitkomst).",
        "lifted": "De uitsluiting uit screening {screening} ('{requirement_label}', {who}) is opgeheven: {lift}.",
        "unchanged": "De eigen verklaring over '{ground_label}' ({who}) is gelijk aan die in screening {screening}.",
        "changed": "De eigen verklaring over '{ground_label}' ({who}) is gewijzigd ten opzichte van screening "
                   "{screening}: toen {before}, nu {after}. Een beoordelaar van toezicht beoordeelt de wijziging.",
        "removed": "De eigen verklaring over '{ground_label}' ({who}) stond in screening {screening} ({before}) "
                   "maar ontbreekt nu. Een beoordelaar van toezicht beoordeelt de wijziging.",
        "change_accepted": "De eigen verklaring over '{ground_label}' ({who}) is gewijzigd ten opzichte van "
                           "screening {screening} (toen {before}, nu {after}); de wijziging is aanvaard{note_clause}.",
        "change_rejected": "De eigen verklaring over '{ground_label}' ({who}) is gewijzigd ten opzichte van "
                           "screening {screening} (toen {before}, nu {after}); de wijziging is niet aanvaard"
                           "{note_clause}. Licht de wijziging toe met stukken, of herstel de verklaring.",
    },
    "self_declaration": {
        "ok": "Uitsluitingsgrond '{ground_label}' is beantwoord in de eigen verklaring (UEA).",
        "missing": "Uitsluitingsgrond '{ground_label}' is niet beantwoord in de eigen verklaring (UEA). "
                   "Beantwoord deze vraag alsnog.",
    },
    "bibob": {
        "niet-gestart": "Het Bibob-onderzoek is nog niet gestart; er is nog geen eindoordeel mogelijk.",
        "lopend": "Het Bibob-onderzoek loopt nog{recorded}; er is nog geen eindoordeel mogelijk.",
        "geen-bezwaar": "Het Bibob-onderzoek is afgerond zonder bezwaar{recorded}.",
        "mindere-mate-gevaar": "Het Bibob-onderzoek is afgerond: mindere mate van gevaar{recorded}. Toezicht kan "
                               "voorwaarden verbinden aan de toelating.",
        "ernstig-gevaar": "Het Bibob-onderzoek is afgerond: ernstig gevaar{recorded}. Dit sluit de aanbieder uit "
                          "voor alle percelen.",
    },
    "location_required": {
        "ok": "Voor perceel {lot_label} is een locatie opgegeven.",
        "missing": "Voor perceel {lot_label} is nog geen locatie opgegeven. Lever uiterlijk {due} een "
                   "locatie aan, met verklaring maatschappelijke bestemming.",
    },
    "registration": {
        "ok": "Medewerker {staff} heeft een geldige registratie ({register} {kind}).",
        "expired": "De registratie van medewerker {staff} ({register} {kind}) is verlopen. Stuur bewijs "
                   "van herregistratie.",
        "missing": "Medewerker {staff} werkt als {function} in perceel {lot_label}, maar heeft geen "
                   "geldige SKJ- of BIG-registratie. Stuur het registratiebewijs, of zet de medewerker "
                   "niet in als {function}.",
        "missing_evc": "Medewerker {staff} heeft nog geen geldige registratie en zit in een EVC-traject "
                       "(verwacht klaar {due}). Tot dan is de medewerker niet declarabel; lever daarna het "
                       "registratiebewijs aan.",
    },
    "diploma_level": {
        "ok": "Medewerker {staff} heeft een diploma op minimaal niveau {min_level} ({doc_id}).",
        "derived": "Het diplomaniveau {min_level} van medewerker {staff} blijkt uit de BIG-registratie "
                   "({kind}); een diploma is niet nodig.",
        "derived_lapsed": "Het diplomaniveau {min_level} van medewerker {staff} blijkt uit de BIG-registratie "
                          "({kind}), ook al is die registratie verlopen (zie de registratie-eis); een diploma is "
                          "niet nodig.",
        "future": "Het diploma van medewerker {staff} ({doc_id}) is gedateerd na de peildatum en geldt niet als "
                  "bewijs. Stuur het diploma dat op de peildatum gold.",
        "evc": "Medewerker {staff} heeft een afgerond EVC-traject met certificaat op niveau {evc_level} van "
               "{evc_provider} ({doc_id}), een erkende EVC-aanbieder; dat voldoet aan niveau {min_level}.",
        "evc_unrecognised": "Medewerker {staff} heeft een EVC-certificaat op niveau {evc_level} ({doc_id}) van "
                            "{evc_provider}, dat niet op de lijst van erkende EVC-aanbieders van de regelset "
                            "staat. Toezicht beoordeelt of het certificaat volstaat.",
        "evc_accepted": "Medewerker {staff} heeft een EVC-certificaat op niveau {evc_level} ({doc_id}) van "
                        "{evc_provider}; toezicht heeft het aanvaard{note_clause}. Dat voldoet aan niveau {min_level}.",
        "evc_rejected": "Het EVC-certificaat van medewerker {staff} ({doc_id}, {evc_provider}) is door toezicht "
                        "niet aanvaard{note_clause}. Stuur een passend diploma of een certificaat van een erkende "
                        "EVC-aanbieder.",
        "undocumented": "Het diploma ({level}) van medewerker {staff} is niet onderbouwd met een "
                        "document. Stuur een kopie van het diploma.",
        "too_low": "Medewerker {staff} heeft geen diploma op minimaal niveau {min_level}, dat perceel "
                   "{lot_label} vraagt. Stuur een passend diploma, start een EVC-traject, of zet de "
                   "medewerker in dit perceel niet in als zorgverlener.",
        "too_low_evc": "Medewerker {staff} heeft nog geen diploma op niveau {min_level} en zit in een "
                       "EVC-traject (verwacht klaar {due}). Tot dan is de medewerker niet declarabel.",
    },
    "vog": {
        "ok": "De VOG van medewerker {staff} is op tijd afgegeven ({doc_id}).",
        "future": "De VOG van medewerker {staff} is gedateerd op {issued}, na de peildatum {measured}; een VOG "
                  "van na de peildatum geldt niet als bewijs. Stuur de VOG die op de peildatum gold.",
        "too_old_start": "De VOG van medewerker {staff} is {age} maanden voor de startdatum afgegeven; "
                         "dat mag hoogstens {max} maanden zijn. Vraag een nieuwe VOG aan.",
        "too_old": "De VOG van medewerker {staff} is {age} maanden oud; dat mag hoogstens {max} maanden "
                   "zijn. Vraag een nieuwe VOG aan.",
        "no_start": "Van medewerker {staff} ontbreekt de startdatum, dus de VOG is niet te toetsen. "
                    "Vul de startdatum aan.",
        "missing": "Van medewerker {staff} ontbreekt een VOG. Stuur een VOG voor werken met "
                   "cliënten.",
    },
    "gedragswetenschapper": {
        "ok": "Perceel {lot_label} heeft een gedragswetenschapper op minimaal {min_level}-niveau "
              "(medewerker {staff}).",
        "recruiting": "Perceel {lot_label} heeft nog geen gedragswetenschapper op minimaal "
                      "{min_level}-niveau; de aanbieder werft er een. Lever de gegevens uiterlijk {due} aan.",
        "missing": "Perceel {lot_label} vraagt een gedragswetenschapper op minimaal {min_level}-niveau "
                   "(BIG of SKJ), in dienst of ingehuurd, met geldige registratie. Die ontbreekt. Stuur "
                   "de gegevens van een gedragswetenschapper, of meld dat er een wordt geworven.",
    },
    "qualified_staff": {
        "ok": "Perceel {lot_label} heeft {count} gekwalificeerde, declarabele zorgverlener(s).",
        "pending": "Perceel {lot_label} heeft nog geen gekwalificeerde, declarabele zorgverlener; "
                   "medewerker(s) in een EVC-traject zijn naar verwachting {due} gekwalificeerd.",
        "judging": "Perceel {lot_label} heeft nog geen vastgestelde gekwalificeerde, declarabele zorgverlener; "
                   "de kwalificatie van medewerker(s) wacht op een oordeel.",
        "missing": "Perceel {lot_label} heeft geen enkele gekwalificeerde, declarabele zorgverlener. "
                   "Zet ten minste een medewerker in met passend diploma, registratie en VOG.",
    },
    "indicator": {
        "triggered": "Risicosignaal: {measure_label} is {value} (signaal bij {threshold}).",
        "clear": "Risico-indicator {measure_label}: geen signaal ({value}; signaal bij {threshold}).",
        "unknown": "Risico-indicator {measure_label}: gegevens ontbreken in de inschrijving.",
    },
    "risk_light": {
        "light": "Risicoanalyse: {light}, {count} signaal/signalen bij de beoordeelde indicatoren ({judged}). "
                 "Dit is een signaal voor toezicht en Bibob, geen uitsluitingsgrond.",
        "light_incomplete": "Risicoanalyse: ten minste {light}, {count} signaal/signalen bij de beoordeelde "
                            "indicatoren ({judged}); niet te bepalen: {unknown}. Dit is een signaal voor toezicht "
                            "en Bibob, geen uitsluitingsgrond.",
        "incomplete": "Risicoanalyse: {light}: geen signalen bij de beoordeelde indicatoren ({judged}), maar niet "
                      "te bepalen: {unknown}. Het licht is dus niet groen. Dit is een signaal voor toezicht en "
                      "Bibob, geen uitsluitingsgrond.",
    },
}

MEASURE_LABELS = {
    "personnel_cost_share": "personeelskosten als aandeel van de omzet",
    "profit_margin": "winstmarge",
    "interests_in_care_companies": "belangen in andere zorgbedrijven",
    "real_estate_rented_from_board": "vastgoed van een bestuurder verhuurd aan de aanbieder",
    "board_without_care_background": "bestuurders zonder zorgachtergrond",
    "fte": "omvang in fte bij deze rechtsvorm",
}

PERCENT_MEASURES = {"personnel_cost_share", "profit_margin"}


def measure_value(measure: str, value: object) -> str:
    """A measurement as a reader expects it: shares as percentages, booleans as ja/nee."""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if measure in PERCENT_MEASURES and isinstance(value, (int, float)):
        return f"{value * 100:.0f}%".replace(".", ",")
    if isinstance(value, float):
        return f"{value:g}".replace(".", ",")
    return str(value)


NEUTRAL = {
    "voldaan": "Voldaan.",
    "niet-voldaan": "Niet voldaan; de details zijn alleen zichtbaar voor toezicht.",
    "onbepaald": "Nog niet te bepalen; de details zijn alleen zichtbaar voor toezicht.",
}


class _Blank(dict):  # type: ignore[type-arg]
    """format_map that leaves an unknown placeholder visible instead of failing."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def render(template: str, params: dict[str, object]) -> str:
    return template.format_map(_Blank(params))


def render_message(rule: Any, situation: str, params: dict[str, Any], data: dict[str, Any],
                   vocab: Any, lot: str | None, due: str | None) -> tuple[str, str]:
    """The Dutch message of a finding, and its form for the provider's letters (a reviewer's
    note appears there only when the reviewer shared it). `params` are the rule's own values
    (some are templates themselves, e.g. scope_text); `data` are values from the case, inserted
    verbatim and never read as a template, so braces in a provider's text cannot break or
    change a message."""
    values: dict[str, Any] = {**params, **data, "due": dutch_date(due)}
    if lot:
        values["lot_label"] = vocab.lots[lot].label
    if "who" in data:
        who = str(data["who"])
        values["who"] = "de aanbieder" if who == "provider" else f"bestuurslid {who.removeprefix('board:')}"
    if "when" in data:
        values["when"] = f", {dutch_date(data['when'])}" if data["when"] else ""
    for name in ("issued", "measured"):
        if name in data:
            values[name] = dutch_date(data[name])
    if "requirement_code" in data:
        code = str(data["requirement_code"])
        values["requirement_label"] = vocab.ground_label(code)
    if "ground_code" in data:
        values["ground_label"] = vocab.ground_label(str(data["ground_code"]))
    if "decided_on" in data or "reference" in data:
        values["recorded"] = recorded_clause(data.get("decided_on"), data.get("reference"))
    if "measure" in params:
        values["measure_label"] = MEASURE_LABELS.get(params["measure"], params["measure"])
        values["value"] = measure_value(params["measure"], data.get("value"))
    for name, text in params.items():
        if isinstance(text, str) and "{" in text:
            values[name] = render(text, values)
    template = rule.messages.get(situation) or DEFAULTS[rule.kind][situation]
    note = data.get("note") or ""
    values["note_clause"] = f": {note}" if note else ""
    message = render(template, values)
    if not note or data.get("shared") or "{note_clause}" not in template:
        return message, message
    values["note_clause"] = ""
    return message, render(template, values)


def recorded_clause(decided_on: str | None, reference: str | None) -> str:
    """' (vastgelegd door de Bibob-functionarissen op 3 juni 2024, kenmerk B-17)', or ''."""
    parts = []
    if decided_on:
        parts.append(f"op {dutch_date(decided_on)}")
    if reference:
        parts.append(f"kenmerk {reference}")
    return f" (vastgelegd door de Bibob-functionarissen {', '.join(parts)})" if parts else ""


MONTHS = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
          "september", "oktober", "november", "december"]


def dutch_date(iso: str | None) -> str:
    """'2025-01-01' -> '1 januari 2025'; anything else is returned as it is."""
    if not iso or len(iso) != 10:
        return iso or ""
    year, month, day = iso.split("-")
    return f"{int(day)} {MONTHS[int(month) - 1]} {year}"
