"""The repair request (herstelverzoek) as a Dutch Markdown letter the provider understands.

Per lot: what is missing or insufficient, why (rule and basis), what to send; the deadline
and the rounds left. Staff findings use their neutral wording: the letter never repeats
diploma details, VOG dates or registration numbers.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from kit.engine.messages import dutch_date
from kit.repair import SubmissionState
from kit.verdict import lots_of, subject_lots, subject_text
from kit.vocabulary import vocabulary

ACTION_OUTCOMES = ("herstel",)


def _item(finding: Any, ruleset: Any) -> str:
    try:
        title = ruleset.rule(finding.rule).title
    except KeyError:
        title = finding.requirement
    about = subject_text(finding.subject) if finding.subject != "provider" else ""
    message = finding.neutral_message if finding.sensitive else finding.message
    if finding.sensitive:
        message = (f"dit is voor {about} nog niet aangetoond. Stuur de stukken die dit aantonen via het "
                   "beveiligde kanaal; alleen toezicht ziet ze in.") if about else message
    head = f"**{title}**" + (f" ({about})" if about else "")
    due = f" Uiterlijk: {dutch_date(finding.due.isoformat())}." if finding.due else ""
    return f"- {head}: {message}{due}\n  *Grondslag: {finding.basis} (regel {finding.rule}).*"


def render_letter(state: SubmissionState, findings: list[Any], today: date | None = None) -> str:
    vocab = vocabulary()
    screening = state.latest
    case = state.case()
    sub = case.submission
    procedure = state.ruleset.procedures.get(sub.procedure)
    rounds = state.rounds
    next_round = rounds.used + 1
    deadline = rounds.deadline()
    active = sub.active_lots()
    by_subject = subject_lots(sub)
    open_findings = [f for f in findings if f.status != "voldaan" and f.outcome != "signaal"]
    to_repair = [f for f in open_findings if f.outcome in ACTION_OUTCOMES]
    pending = [f for f in open_findings if f.outcome == "beoordeling"]
    conditions = [f for f in open_findings if f.outcome == "voorwaardelijk"]

    lines = [
        f"# Herstelverzoek KIT-screening — {sub.provider.name}",
        "",
        f"- Inschrijving: {sub.id} ({procedure.label if procedure else sub.procedure})",
        f"- KvK-nummer: {sub.provider.kvk}",
        f"- Datum: {dutch_date((today or screening.as_of).isoformat())}",
        f"- Screening: {screening.code} (regelset {screening.ruleset_id})",
        "",
        "Geachte heer, mevrouw,",
        "",
        "Wij hebben uw inschrijving beoordeeld in de KIT-screening (Kwaliteit en Integriteit Twente). ",
    ]
    if not to_repair:
        lines += ["Er is op dit moment niets dat u hoeft te herstellen.", ""]
    else:
        lines += [
            (f"Een aantal onderdelen is nog niet in orde. U kunt die herstellen in herstelronde "
             f"{next_round} van de {rounds.allowed}."),
            "",
            (f"**Uiterste datum:** {dutch_date(deadline.isoformat()) if deadline else '-'} "
             f"({rounds.process.deadline_working_days} werkdagen na dit verzoek).  "),
            (f"**Herstelrondes:** na deze ronde resten u nog {max(rounds.left - 1, 0)} ronde(s). Is een "
             "onderdeel na de laatste ronde, of na de uiterste datum, nog niet in orde, dan wijzen wij de "
             "inschrijving af voor de percelen waarvoor dat onderdeel geldt."),
            "",
        ]
        provider_wide = [f for f in to_repair
                         if f.lot is None and (f.subject == "provider" or f.subject.startswith("board:"))]
        if provider_wide:
            lines += ["## Voor alle percelen", ""] + [_item(f, state.ruleset) for f in provider_wide] + [""]
        for code in active:
            mine = [f for f in to_repair if f not in provider_wide and code in lots_of(f, set(active), by_subject)]
            if mine:
                lines += [f"## Perceel {vocab.lots[code].label}", ""]
                lines += [_item(f, state.ruleset) for f in mine] + [""]
    if pending:
        lines += ["## Nog in beoordeling (u hoeft nu niets te doen)", ""]
        lines += [_item(f, state.ruleset) for f in pending] + [""]
    if conditions:
        lines += ["## Voorwaarden die later mogen worden vervuld", ""]
        lines += [_item(f, state.ruleset) for f in conditions] + [""]
    withdrawn = [reg.lot for reg in sub.lots if reg.withdrawn]
    if withdrawn:
        lines += ["U heeft zich teruggetrokken voor: " + ", ".join(vocab.lots[c].label for c in withdrawn) + ".", ""]
    lines += [
        ("Stuur de gevraagde stukken via het inkoopportaal, onder vermelding van uw inschrijvingsnummer. "
         "Heeft u vragen over een onderdeel, noem dan de regel die erbij staat."),
        "",
        "Met vriendelijke groet,",
        "",
        "Team KIT-screening  ",
        "Regionale inkoop jeugdhulp en Wmo Twente",
        "",
    ]
    return "\n".join(lines)
