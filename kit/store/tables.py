"""The store's tables. Screenings, findings and every human decision are rows that are only
ever inserted: a later decision is a new row, never an edit of an earlier one."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import Index, LargeBinary, UniqueConstraint, text
from sqlalchemy.orm import relationship
from sqlmodel import Field, Relationship, SQLModel

from kit.case.stored import stored_json


def utcnow() -> datetime:
    return datetime.now(UTC)


def screening_code(pk: int) -> str:
    return f"SCR-{pk:06d}"


class SubmissionRow(SQLModel, table=True):
    __tablename__ = "submissions"
    __table_args__ = (UniqueConstraint("procedure", "submission_id"),)
    id: int | None = Field(default=None, primary_key=True)
    submission_id: str = Field(index=True)
    procedure: str
    provider_kvk: str = Field(index=True)
    provider_name: str
    created_at: datetime = Field(default_factory=utcnow)

    @property
    def pk(self) -> int:
        """The primary key of a stored row (a row read from the store always has one)."""
        assert self.id is not None, "submission not stored yet"
        return self.id


# What a region's rounds read of every screening (Store.screening_marks), in one covering index:
# a screening's row holds its case, and reading the columns stored after it took four times as
# long as reading these from the index (migration 0007).
MARKS = ("id", "submission_pk", "round", "review", "known_on", "as_of")


class ScreeningRow(SQLModel, table=True):
    __tablename__ = "screenings"
    __table_args__ = (Index("ix_screenings_marks", *MARKS),)
    id: int | None = Field(default=None, primary_key=True)
    submission_pk: int = Field(foreign_key="submissions.id", index=True)
    round: int
    as_of: date
    ruleset_id: str
    ruleset_sha256: str
    engine_version: str
    case_sha256: str
    case_json: str
    source: str = ""
    risk: str | None = None
    # Why this screening exists: screening, herstelronde, beslissing, herscreening, ...
    reason: str = "screening"
    # The review it belongs to (M5): a re-screen (date, board change) starts the next one, with
    # rounds, requests and extra rounds of its own.
    review: int = 0
    # The day it reflects (P6): a round's arrival (its as-of date), a judgement's date, the day
    # stukken arrived, a re-screen's peildatum. None (stored before 0007): its as-of date.
    known_on: date | None = None
    # Verdicts after the last round in the old model (stored before 0007, kept for replay): open
    # herstel findings became afgewezen. Verdicts are derived now (kit.screening.rounds): new ones
    # False.
    final: bool = False
    actor: str = ""
    # A partial re-screen (board change) re-runs some catalogue parts on top of a base screening.
    base_screening_pk: int | None = Field(default=None, foreign_key="screenings.id")
    rerun: str = ""
    # What earlier screenings of the submission told this one (kit.case.history.Prior as JSON,
    # E7).
    prior_json: str = ""
    # The rules that did not apply, with the reason (the result's `not_applicable`, JSON).
    not_applicable_json: str = "[]"
    # What the lists read (kit.views.standing), kept with the screening so that a list of the whole
    # region need not parse every case: per lot the verdict, the verdict once the rounds are
    # closed, open findings per outcome and the next due date; staff in an EVC trajectory.
    # JSON; None for a screening stored by a kit before 0.3 (then read from the case).
    summary_json: str | None = None
    # It has an open `herstel` finding: it asks for repair (kit.screening.rounds.round_marks).
    # None: as above, then read from the findings.
    asks_repair: bool | None = None
    created_at: datetime = Field(default_factory=utcnow)

    @property
    def code(self) -> str:
        return screening_code(self.id or 0)

    @property
    def pk(self) -> int:
        """The primary key of a stored row (a row read from the store always has one)."""
        assert self.id is not None, "screening not stored yet"
        return self.id


class LotVerdictRow(SQLModel, table=True):
    __tablename__ = "lot_verdicts"
    id: int | None = Field(default=None, primary_key=True)
    screening_pk: int = Field(foreign_key="screenings.id", index=True)
    lot: str
    verdict: str


# The findings still open, per screening: the lists read only those of the latest screenings,
# a ninth of all findings (a region's 91,000 of 820,000), and reading each row to check its
# status took a third of the central list's query.
OPEN = text("status != 'voldaan'")


class FindingRow(SQLModel, table=True):
    __tablename__ = "findings"
    __table_args__ = (
        Index("ix_findings_open", "screening_pk", sqlite_where=OPEN, postgresql_where=OPEN),
    )
    id: int | None = Field(default=None, primary_key=True)
    screening_pk: int = Field(foreign_key="screenings.id", index=True)
    position: int
    rule: str
    requirement: str
    subject: str
    lot: str | None = None
    item: str | None = None
    status: str
    outcome: str | None = None
    message: str
    neutral_message: str
    # What a provider's letter prints (kit.engine.findings.Finding.letter); None for a finding
    # stored before letters had their own text, whose letter prints provider_message (the
    # message, a reviewer's note only when shared) or, if sensitive, a neutral sentence.
    letter_message: str | None = None
    provider_message: str = ""
    sensitive: bool = False
    basis: str
    evidence: str = "[]"
    due: date | None = None

    def evidence_list(self) -> list[str]:
        """Its evidence (the documents and screenings it rests on); a damaged value is one
        Dutch error naming the screening, the finding and the field (kit.case.stored)."""
        where = (
            f"screening {screening_code(self.screening_pk)}, bevinding {self.rule}, veld evidence"
        )
        evidence: list[str] = stored_json(self.evidence, where, [])
        return evidence


class DecisionRow(SQLModel, table=True):
    """A decision by a person: content (inhoud), comply-or-explain (uitleg), self-cleaning
    (zelfreiniging), a changed self-declaration (verklaring), or a Bibob outcome (bibob)."""

    __tablename__ = "decisions"
    id: int | None = Field(default=None, primary_key=True)
    submission_pk: int = Field(foreign_key="submissions.id", index=True)
    kind: str
    requirement: str
    judgement: str
    note: str
    # What the decision was about (kit.screening.decisions): document ids, the explanation text, the
    # declarations judged, or the recorded Bibob outcome.
    subject: str = ""
    decided_by: str
    role: str = ""
    # The reviewer marked the note as text for the provider (it may appear in letters).
    shared: bool = False
    decided_at: datetime = Field(default_factory=utcnow)
    # The day of the judgement (`kit assess --datum`; None before 0007): the screening it causes
    # reflects that day.
    decided_on: date | None = None


class CriterionOutcomeRow(SQLModel, table=True):
    """A content judgement's outcome for one criterion of the rule set (Q12): the decision it
    belongs to says who judged, when and which document."""

    __tablename__ = "criterion_outcomes"
    id: int | None = Field(default=None, primary_key=True)
    decision_pk: int | None = Field(default=None, foreign_key="decisions.id", index=True)
    criterion: str
    outcome: str
    note: str = ""
    required: bool = True
    # Set before the decision has its id: storing both fills decision_pk.
    decision: DecisionRow | None = Relationship(sa_relationship=relationship(DecisionRow))


class SampleDrawRow(SQLModel, table=True):
    """A verification sample drawn (C1): for which procedure, from which seed (so anyone can
    redraw it), under which rule set, by whom and when."""

    __tablename__ = "sample_draws"
    id: int | None = Field(default=None, primary_key=True)
    procedure: str
    seed: str
    ruleset_id: str
    drawn_by: str
    role: str = ""
    drawn_at: datetime = Field(default_factory=utcnow)


class SampledCredentialRow(SQLModel, table=True):
    """One credential a draw put in the sample, of the submission's screening it was drawn
    from."""

    __tablename__ = "sampled_credentials"
    id: int | None = Field(default=None, primary_key=True)
    draw_pk: int | None = Field(default=None, foreign_key="sample_draws.id", index=True)
    submission_pk: int = Field(foreign_key="submissions.id", index=True)
    screening_pk: int = Field(foreign_key="screenings.id")
    staff: str
    credential: str
    kind: str
    draw: SampleDrawRow | None = Relationship(sa_relationship=relationship(SampleDrawRow))


class CredentialCheckRow(SQLModel, table=True):
    """A sampled credential checked at its source (C2): the outcome, the source consulted, who
    checked and on which day; the decision it is applied to the case by."""

    __tablename__ = "credential_checks"
    id: int | None = Field(default=None, primary_key=True)
    sampled_pk: int = Field(foreign_key="sampled_credentials.id", index=True)
    decision_pk: int | None = Field(default=None, foreign_key="decisions.id")
    outcome: str
    source: str
    note: str = ""
    checked_by: str
    checked_on: date
    recorded_at: datetime = Field(default_factory=utcnow)
    decision: DecisionRow | None = Relationship(sa_relationship=relationship(DecisionRow))


class ExtraRoundRow(SQLModel, table=True):
    """Purchasing's grant of one more repair round (P4), with who, when and why."""

    __tablename__ = "extra_rounds"
    id: int | None = Field(default=None, primary_key=True)
    submission_pk: int = Field(foreign_key="submissions.id", index=True)
    # The review it was granted in (M5): it does not carry over to a later one.
    review: int = 0
    reason: str
    granted_by: str
    granted_at: datetime = Field(default_factory=utcnow)


class RepairRequestRow(SQLModel, table=True):
    """A repair request (herstelverzoek, P2) as sent: who sent it, on which day, the open herstel
    findings it names and the deadline that runs from that day, with the letter as sent."""

    __tablename__ = "repair_requests"
    id: int | None = Field(default=None, primary_key=True)
    submission_pk: int = Field(foreign_key="submissions.id", index=True)
    review: int
    round: int  # the round it opens (1 or more)
    # The latest screening when it was sent: the findings it names are that screening's.
    screening_pk: int = Field(foreign_key="screenings.id")
    sent_on: date
    sent_by: str
    recorded_at: datetime = Field(default_factory=utcnow)
    # Computed when it was sent, and fixed from then on: the letter states it.
    deadline: date
    # The findings it names: a JSON list of kit.screening.diff.finding_key lists.
    named_json: str
    letter_md: str = ""
    letter_sha256: str = ""  # of the Word document when one was written, else of letter_md
    # Made by migration 0007 from what the old model implied (dated at its screening).
    derived: bool = False
    # The extra round (P4) it opens, if any.
    extra_round_pk: int | None = Field(default=None, foreign_key="extra_rounds.id")


class NoteRow(SQLModel, table=True):
    """A restricted toezicht note on a provider: readable by the toezicht role only."""

    __tablename__ = "notes"
    id: int | None = Field(default=None, primary_key=True)
    submission_pk: int = Field(foreign_key="submissions.id", index=True)
    text: str
    author: str
    created_at: datetime = Field(default_factory=utcnow)


class AuditEventRow(SQLModel, table=True):
    """Every change made through the CLI: who, when, what."""

    __tablename__ = "audit_events"
    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow)
    actor: str
    role: str
    action: str
    subject: str
    detail: str = "{}"


class RulesetSnapshotRow(SQLModel, table=True):
    """The resolved rule set a screening used, by content hash, so it can be replayed exactly
    even after the rule files have changed."""

    __tablename__ = "ruleset_snapshots"
    sha256: str = Field(primary_key=True)
    ruleset_id: str
    content: str
    created_at: datetime = Field(default_factory=utcnow)


class AccountRow(SQLModel, table=True):
    """A person who logs in to the web application, with the one role they act in. The password
    is kept only as an argon2 hash; an account is switched off, never deleted (the audit names
    it)."""

    __tablename__ = "accounts"
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True)
    role: str
    password_hash: str
    active: bool = True
    created_at: datetime = Field(default_factory=utcnow)
    created_by: str = ""


class WebSessionRow(SQLModel, table=True):
    """A logged-in browser: only the SHA-256 of its token is kept, so a copy of the database
    logs nobody in. It ends after a while without use (kit.services.accounts.IDLE)."""

    __tablename__ = "web_sessions"
    token_hash: str = Field(primary_key=True)
    account_pk: int = Field(foreign_key="accounts.id", index=True)
    csrf: str
    created_at: datetime = Field(default_factory=utcnow)
    last_seen: datetime = Field(default_factory=utcnow)


class LoginFailureRow(SQLModel, table=True):
    """A failed login, by the name tried and the address it came from: enough of them slow
    further tries from that address, or for that name (kit.services.accounts)."""

    __tablename__ = "login_failures"
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(index=True)
    address: str = Field(default="", index=True)
    at: datetime = Field(default_factory=utcnow)


class AssignmentRow(SQLModel, table=True):
    """A submission given to a reviewer to screen. Only inserted: the latest one counts, the
    earlier ones show who had it before."""

    __tablename__ = "assignments"
    id: int | None = Field(default=None, primary_key=True)
    submission_pk: int = Field(foreign_key="submissions.id", index=True)
    reviewer: str
    assigned_by: str
    at: datetime = Field(default_factory=utcnow)


class SavedViewRow(SQLModel, table=True):
    """A filter of the central list one account saved under a name ("mijn weergaven"): only
    that account lists, opens or deletes it."""

    __tablename__ = "saved_views"
    __table_args__ = (UniqueConstraint("account_pk", "name"),)
    id: int | None = Field(default=None, primary_key=True)
    account_pk: int = Field(foreign_key="accounts.id", index=True)
    name: str
    query: str  # the list's query string (kit.web.deps.ListQuery.query)
    created_at: datetime = Field(default_factory=utcnow)


class KeptFormRow(SQLModel, table=True):
    """A form posted after its session had ended, kept for the account that session belonged
    to, so that what was typed is offered again after logging in (never shown to another)."""

    __tablename__ = "kept_forms"
    id: int | None = Field(default=None, primary_key=True)
    account_pk: int = Field(foreign_key="accounts.id", index=True)
    action: str  # the path the form was posted to
    fields: str  # JSON: [[name, value], ...] in the order sent, without the CSRF token
    kept_at: datetime = Field(default_factory=utcnow)


class WorkStatusRow(SQLModel, table=True):
    """A person's decision about where the work on a submission stands (in behandeling, klaar).
    Only inserted; the latest counts until a newer screening reopens the work
    (kit.views.work_status derives the rest)."""

    __tablename__ = "work_statuses"
    id: int | None = Field(default=None, primary_key=True)
    submission_pk: int = Field(foreign_key="submissions.id", index=True)
    status: str
    set_by: str
    at: datetime = Field(default_factory=utcnow)


class BlobRow(SQLModel, table=True):
    """A file's bytes, once, by their SHA-256: the same file uploaded twice is stored once, and
    PostgreSQL backs it up with the rest."""

    __tablename__ = "blobs"
    sha256: str = Field(primary_key=True, max_length=64)
    content: bytes = Field(sa_type=LargeBinary)
    size: int
    media_type: str
    created_at: datetime = Field(default_factory=utcnow)


class CaseFileRow(SQLModel, table=True):
    """A document file the provider sent, added to a submission (and the round it came with):
    its category (the document type, or `bibob`) decides who may open it."""

    __tablename__ = "case_files"
    id: int | None = Field(default=None, primary_key=True)
    submission_pk: int = Field(foreign_key="submissions.id", index=True)
    blob_sha256: str = Field(foreign_key="blobs.sha256")
    filename: str
    category: str
    round: int = 0
    added_by: str
    role: str
    at: datetime = Field(default_factory=utcnow)
