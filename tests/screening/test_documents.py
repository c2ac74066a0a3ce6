"""Issue 5: `kit documents add` records what a provider sent as a new case version, re-screens it
in the same round and closes the conditions it satisfies, with their evidence."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import yaml
from conftest import CASES, load_raw, send_request
from support import kit, monitor_json

from kit.store import Store

HORST, ZORGFIX = "INS-2024-0521", "INS-2024-0042"

EVC_DONE = {
    "staff": [
        {
            "id": "S03",
            "function": "jeugdhulpverlener",
            "employment": "loondienst",
            "lots": ["jeugd-ambulant-begeleiding"],
            "start_date": "2023-06-01",
            "diplomas": [
                {
                    "level": "hbo",
                    "field": "sociaal-pedagogische-hulpverlening",
                    "document": "S03-EVC",
                }
            ],
            "registrations": [
                {
                    "register": "skj",
                    "kind": "jeugd-en-gezinsprofessional-hbo",
                    "number": "110099001",
                    "valid_until": "2030-02-28",
                    "document": "S03-REG",
                }
            ],
            "vog": {"issued_on": "2023-05-08", "document": "S03-VOG"},
            "evc": {"status": "afgerond"},
            "documents": [
                {"id": "S03-EVC", "type": "evc-certificaat", "issued_on": "2025-02-20"},
                {"id": "S03-REG", "type": "registratiebewijs", "issued_on": "2025-02-25"},
                {"id": "S03-VOG", "type": "vog", "issued_on": "2023-05-08"},
            ],
        }
    ]
}


def write(tmp_path: Path, name: str, data: object) -> Path:
    path = tmp_path / name
    path.write_text(
        yaml.safe_dump(data, allow_unicode=True) if not isinstance(data, str) else data,
        encoding="utf-8",
    )
    return path


def screen(db_url: str, path: Path) -> None:
    result = kit(db_url, "screen", str(path), "--json")
    assert result.exit_code == 0, result.output


def test_finished_evc_closes_both_conditions_with_their_evidence(tmp_path, db_url):
    screen(db_url, CASES / "begeleiding-de-horst-evc-traject.yaml")
    store = Store(db_url)
    [before] = store.screenings()
    result = kit(
        db_url,
        "documents",
        "add",
        HORST,
        str(write(tmp_path, "evc.yaml", EVC_DONE)),
        "--by",
        "T. Toezicht",
        role="toezicht",
    )
    assert result.exit_code == 0, result.output
    assert "Gesloten (2)" in result.stdout and "medewerkers S03 (vervangen)" in result.stdout
    for rule, evidence in (("S1-registratie", "S03-REG"), ("S4-diplomaniveau", "S03-EVC")):
        [block] = [b for b in result.stdout.split("\nS") if b.startswith(rule[1:])]
        assert "bewijs:" in block and evidence in block
    assert "jeugd-ambulant-begeleiding: toegelaten" in result.stdout
    # A new case version and screening: same round, same as-of, reason documenten; nothing edited.
    screenings = store.screenings()
    assert len(screenings) == 2 and screenings[0].case_sha256 == before.case_sha256
    latest = screenings[-1]
    assert (latest.round, latest.as_of, latest.reason, latest.actor) == (
        0,
        before.as_of,
        "documenten",
        "T. Toezicht",
    )
    assert json.loads(latest.case_json)["submission"]["staff"][2]["evc"] == {"status": "afgerond"}
    assert store.verdicts(latest.id) == {"jeugd-ambulant-begeleiding": "toegelaten"}
    replayed = kit(db_url, "replay", latest.code)  # stored like every screening: it replays exactly
    assert replayed.exit_code == 0 and "identiek" in replayed.stdout
    # Audit: who, role, when, what.
    [audit] = [e for e in store.audit_events() if e.action == "documenten"]
    assert (audit.actor, audit.role, audit.subject) == (
        "T. Toezicht",
        "toezicht",
        HORST,
    ) and audit.at
    detail = json.loads(audit.detail)
    assert detail["screening"] == latest.code
    assert detail["staff"] == {"nieuw": [], "vervangen": ["S03"], "ongewijzigd": []}
    # Toezicht's list follows the latest screening: nothing owed, nobody non-declarable any more.
    code, report = monitor_json(db_url, "2025-03-02")
    assert code == 0 and report["conditions"] == [] and report["not_declarable"] == []


def test_a_location_closes_the_no_location_yet_condition(tmp_path, db_url):
    raw = load_raw()
    location = raw["submission"].pop("locations")
    screen(db_url, write(tmp_path, "zonder-locatie.yaml", raw))
    send_request(db_url, ZORGFIX, "2024-04-02")  # its deadline: 2024-04-16
    _, report = monitor_json(db_url, "2024-12-01")
    assert [(c["rule"], c["lot"], c["due"]) for c in report["conditions"]] == [
        ("L1-locatie", "wmo-dagbesteding", "2025-01-01")
    ]
    # 2024-05-01 is after the repair deadline of the other lot (2024-04-16): stukken for a
    # condition of an admitted lot still count (kit.services.documents refuses late repair only).
    result = kit(
        db_url,
        "documents",
        "add",
        ZORGFIX,
        str(write(tmp_path, "locatie.yaml", {"locations": location})),
        "--as-of",
        "2024-05-01",
    )
    assert result.exit_code == 0, result.output
    assert "Gesloten (1)" in result.stdout and "L1-locatie" in result.stdout
    assert "locaties L1 (nieuw)" in result.stdout
    # The screening keeps the submission's date; what arrived is measured on its arrival date.
    latest = Store(db_url).screenings()[-1]
    assert latest.as_of.isoformat() == "2024-04-02"
    stored = json.loads(latest.case_json)["submission"]["locations"][0]
    assert {d["received_on"] for d in stored["documents"]} == {"2024-05-01"}
    assert monitor_json(db_url, "2025-01-02")[1]["conditions"] == []


def test_documents_are_added_or_replaced_by_id(tmp_path, db_url):
    screen(db_url, CASES / "zorgfix-bv.yaml")
    update = {
        "documents": [
            {"id": "D2", "type": "calamiteitenprotocol", "issued_on": "2024-04-08"},
            {"id": "D40", "type": "privacyreglement", "issued_on": "2024-04-08"},
        ]
    }
    docs_file = str(write(tmp_path, "docs.yaml", update))
    # Within the repair deadline (2024-04-16; see test_late_stukken_... for after it).
    result = kit(db_url, "documents", "add", ZORGFIX, docs_file, "--ontvangen", "2024-04-10")
    assert result.exit_code == 0, result.output
    assert "documenten D40 (nieuw); D2 (vervangen)" in result.stdout
    docs = json.loads(Store(db_url).screenings()[-1].case_json)["submission"]["documents"]
    assert [d["id"] for d in docs].count("D2") == 1 and "D40" in [d["id"] for d in docs]
    # The new protocol is not judged yet: herstel becomes beoordeling, shown as changed.
    assert "Q1-calamiteitenprotocol" in result.stdout


def test_a_judged_document_cannot_be_replaced_under_its_id(tmp_path, db_url):
    screen(db_url, CASES / "zorgfix-bv.yaml")
    assessed = kit(
        db_url,
        "assess",
        ZORGFIX,
        "calamiteitenprotocol",
        "--judgement",
        "onvoldoende",
        "--note",
        "Geen meldprocedure",
        "--by",
        "J. de Vries",
    )
    assert assessed.exit_code == 0, assessed.output
    count = len(Store(db_url).screenings())
    update = {
        "documents": [{"id": "D2", "type": "calamiteitenprotocol", "issued_on": "2024-04-08"}]
    }
    refused = kit(db_url, "documents", "add", ZORGFIX, str(write(tmp_path, "d2.yaml", update)))
    assert refused.exit_code == 1 and "'D2' is al inhoudelijk beoordeeld" in refused.stderr
    assert len(Store(db_url).screenings()) == count


def test_bad_update_files_are_dutch_errors_and_store_nothing(tmp_path, db_url):
    screen(db_url, CASES / "begeleiding-de-horst-evc-traject.yaml")
    broken_staff = copy.deepcopy(EVC_DONE)
    broken_staff["staff"][0]["registrations"][0]["document"] = "S03-NERGENS"
    wrong_lot = copy.deepcopy(EVC_DONE)
    wrong_lot["staff"][0]["lots"] = ["wmo-dagbesteding"]
    cases = {
        "typo.yaml": ({"staf": EVC_DONE["staff"]}, "staf: onbekend veld"),
        "leeg.yaml": ("{}\n", "het bestand noemt niets"),
        "datum.yaml": (
            {"documents": [{"id": "D99", "type": "noodplan", "issued_on": "2024-02-30"}]},
            "documents[0].issued_on",
        ),
        "dubbel.yaml": (
            {"documents": [{"id": "D99", "type": "noodplan", "issued_on": "2024-02-01"}] * 2},
            "'D99' staat dubbel",
        ),
        "verwijzing.yaml": (broken_staff, "verwijst naar document 'S03-NERGENS'"),
        "perceel.yaml": (wrong_lot, "perceel 'wmo-dagbesteding' is niet ingeschreven"),
    }
    for name, (data, expected) in cases.items():
        result = kit(db_url, "documents", "add", HORST, str(write(tmp_path, name, data)))
        assert result.exit_code == 1, (name, result.output)
        assert name in result.stderr and expected in result.stderr, (name, result.stderr)
        assert "Traceback" not in result.output
    assert len(Store(db_url).screenings()) == 1
    unknown = kit(db_url, "documents", "add", "INS-0000", str(write(tmp_path, "ok.yaml", EVC_DONE)))
    assert unknown.exit_code == 1 and "niet bekend" in unknown.stderr


def test_only_reviewers_and_toezicht_record_documents(tmp_path, db_url):
    screen(db_url, CASES / "begeleiding-de-horst-evc-traject.yaml")
    path = str(write(tmp_path, "evc.yaml", EVC_DONE))
    for role in ("bibob", "inkoop"):
        refused = kit(db_url, "documents", "add", HORST, path, role=role)
        assert refused.exit_code == 1 and "voorbehouden" in refused.stderr
    recorded = kit(db_url, "documents", "add", HORST, path)
    assert recorded.exit_code == 0, recorded.output
    [audit] = [e for e in Store(db_url).audit_events() if e.action == "documenten"]
    assert (audit.actor, audit.role) == ("tester", "reviewer")  # KIT_USER when --by is not given


def test_late_stukken_do_not_admit_a_refused_lot_and_the_future_is_refused(tmp_path, db_url):
    # Zorgfix's Wmo lot needs only a new calamities protocol; the repair request of 2024-04-02
    # asked for it by 2024-04-16.
    screen(db_url, CASES / "zorgfix-bv.yaml")
    send_request(db_url, ZORGFIX, "2024-04-02")
    protocol = {
        "documents": [{"id": "D77", "type": "calamiteitenprotocol", "issued_on": "2024-04-14"}]
    }
    update = str(write(tmp_path, "protocol.yaml", protocol))
    before = Store(db_url).counts()
    late = kit(db_url, "documents", "add", ZORGFIX, update, "--ontvangen", "2024-04-20")
    assert late.exit_code == 1 and "wmo-dagbesteding zijn afgewezen" in late.stderr
    assert "verstreek op 16 april 2024" in late.stderr and "(P3, P6)" in late.stderr
    future = kit(db_url, "documents", "add", ZORGFIX, update, "--ontvangen", "2099-01-01")
    assert future.exit_code == 1 and "ligt in de toekomst" in future.stderr
    assert Store(db_url).counts() == before  # nothing stored, no audit event half written
    # In time, the same stukken count (the protocol now waits for a judgement).
    on_time = kit(db_url, "documents", "add", ZORGFIX, update, "--ontvangen", "2024-04-15")
    assert on_time.exit_code == 0, on_time.output
    assert "wmo-dagbesteding: in-beoordeling" in on_time.stdout


def test_late_stukken_do_not_change_why_a_lot_was_refused_nor_arrive_before_the_screening(
    tmp_path, db_url
):
    # Zorgfix's jeugd lot was refused on 2024-04-16 for two repairs the request of 2024-04-02
    # named: the calamities protocol and S03's diploma level. A diploma arriving later may not
    # close the second: the lot would then rest on the first alone, and an objection against it
    # would admit the lot.
    screen(db_url, CASES / "zorgfix-bv.yaml")
    send_request(db_url, ZORGFIX, "2024-04-02")
    member = next(s for s in load_raw()["submission"]["staff"] if s["id"] == "S03")
    member["diplomas"] = [{"level": "hbo", "field": "pedagogiek", "document": "D90"}]
    member["documents"] = [{"id": "D90", "type": "diploma", "issued_on": "2024-05-01"}]
    update = str(write(tmp_path, "diploma.yaml", {"staff": [member]}))
    before = Store(db_url).counts()
    late = kit(db_url, "documents", "add", ZORGFIX, update, "--ontvangen", "2024-05-20")
    assert late.exit_code == 1, late.output
    assert "perceel jeugd-ambulant-begeleiding is afgewezen" in late.stderr  # only the one
    assert "die uitspraak en haar redenen" in late.stderr
    early = kit(db_url, "documents", "add", ZORGFIX, update, "--ontvangen", "2024-03-01")
    assert early.exit_code == 1 and "ligt voor de eerste screening" in early.stderr
    assert Store(db_url).counts() == before
