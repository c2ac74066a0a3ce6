"""Issue 25 in the store, on SQLite and PostgreSQL: a hand-over (claim, assignment, release)
is stored only while the case is held by whom the person saw holding it; document bytes come
back exactly and are stored once by their SHA-256; "mijn werk" finds what a person holds."""

from __future__ import annotations

import pytest
from conftest import CASES

from kit.errors import AccessDenied, KitError
from kit.services.accounts import add_account
from kit.services.actor import Actor
from kit.services.assignments import Replaces, assign, claim, release
from kit.services.files import add_case_file, open_case_file
from kit.services.screening import screen_files
from kit.store import Store

ZORGFIX = "INS-2024-0042"
BEHEER = Actor("beheer", "beheer")
PDF = b"%PDF-1.4\n" + bytes(range(256)) * 4  # every byte value: bytea/BLOB must keep them


@pytest.fixture
def store(any_db):
    store = Store(any_db)
    screen_files([str(CASES / "zorgfix-bv.yaml")], store, Actor("tester", "reviewer"))
    for name in ("rob", "rik"):
        add_account(store, BEHEER, name, "reviewer", f"{name}-wachtwoord-12")
    return store


def test_a_hand_over_is_refused_when_someone_else_changed_it_first(store):
    rob, rik = Actor("rob", "reviewer"), Actor("rik", "reviewer")
    claim(store, rob, ZORGFIX)
    with pytest.raises(KitError, match="in handen van rob"):
        claim(store, rik, ZORGFIX)
    with pytest.raises(Replaces):
        assign(store, BEHEER, ZORGFIX, "rik")
    assign(store, BEHEER, ZORGFIX, "rik", replacing="rob")
    with pytest.raises(KitError, match="ondertussen in handen van rik"):
        assign(store, BEHEER, ZORGFIX, "rob", replacing="rob")  # a stale confirmation
    with pytest.raises(AccessDenied):
        release(store, rob, ZORGFIX)
    assert [s.submission_id for s in store.held_by("rik")] == [ZORGFIX]
    release(store, rik, ZORGFIX)
    assert (
        store.held_by("rik") == [] and store.assignment(store.submission(ZORGFIX).pk).reviewer == ""
    )
    actions = [e.action for e in store.audit_events() if e.subject == ZORGFIX]
    assert actions[-3:] == ["opgepakt", "toegewezen", "vrijgegeven"]


def test_document_bytes_come_back_whole_and_are_stored_once(store):
    rob = Actor("rob", "reviewer")
    first = add_case_file(store, rob, ZORGFIX, "protocol.pdf", PDF, "calamiteitenprotocol")
    second = add_case_file(store, rob, ZORGFIX, "kopie.pdf", PDF, "calamiteitenprotocol")
    assert first.blob_sha256 == second.blob_sha256
    row, blob = open_case_file(store, rob, ZORGFIX, second.id)
    assert (row.filename, blob.content, blob.media_type) == ("kopie.pdf", PDF, "application/pdf")
    vog = add_case_file(store, Actor("anna", "toezicht"), ZORGFIX, "vog.pdf", PDF, "vog")
    with pytest.raises(AccessDenied):
        open_case_file(store, rob, ZORGFIX, vog.id)
