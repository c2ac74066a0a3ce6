"""Repair requests as recorded acts (issue 22, P1-P6, M5): the repair_requests table; a
screening's review and the day it reflects (known_on), with an index that covers what a region's
rounds read of every screening; a judgement's date (decided_on); the review an extra round was
granted in.

Existing databases keep their history. Their screenings are numbered into reviews (a re-screen
or a board change starts the next one), extra rounds get the review they were granted in, and
the requests the old model implied are recorded as derived ones: per submission, review and
round, the first screening with an open `herstel` finding asked for the next round on its own
as-of date (what the old model took as the request), naming its open herstel findings, with the
deadline the rule set in force on that date gives it. So old verdicts are explained as before: a
deadline that was missed still rejects what it asked.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlmodel.sql.sqltypes import AutoString

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

NEW_REVIEW = ("herscreening", "bestuurswisseling")  # reasons that start a review (M5)
DERIVED_BY = "(afgeleid bij migratie)"


def upgrade() -> None:
    text = AutoString()
    with op.batch_alter_table("screenings") as table:
        table.add_column(sa.Column("review", sa.Integer(), nullable=False, server_default="0"))
        table.add_column(sa.Column("known_on", sa.Date(), nullable=True))
    op.create_index(
        "ix_screenings_marks",
        "screenings",
        ["id", "submission_pk", "round", "review", "known_on", "as_of"],
    )
    with op.batch_alter_table("decisions") as table:
        table.add_column(sa.Column("decided_on", sa.Date(), nullable=True))
    with op.batch_alter_table("extra_rounds") as table:
        table.add_column(sa.Column("review", sa.Integer(), nullable=False, server_default="0"))
    op.create_table(
        "repair_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("submission_pk", sa.Integer(), nullable=False),
        sa.Column("review", sa.Integer(), nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("screening_pk", sa.Integer(), nullable=False),
        sa.Column("sent_on", sa.Date(), nullable=False),
        sa.Column("sent_by", text, nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column("named_json", text, nullable=False),
        sa.Column("letter_md", text, nullable=False),
        sa.Column("letter_sha256", text, nullable=False),
        sa.Column("derived", sa.Boolean(), nullable=False),
        sa.Column("extra_round_pk", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["submission_pk"], ["submissions.id"]),
        sa.ForeignKeyConstraint(["screening_pk"], ["screenings.id"]),
        sa.ForeignKeyConstraint(["extra_round_pk"], ["extra_rounds.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_repair_requests_submission_pk", "repair_requests", ["submission_pk"])
    _keep_history(op.get_bind())


def downgrade() -> None:
    op.drop_index("ix_repair_requests_submission_pk", "repair_requests")
    op.drop_table("repair_requests")
    with op.batch_alter_table("extra_rounds") as table:
        table.drop_column("review")
    with op.batch_alter_table("decisions") as table:
        table.drop_column("decided_on")
    op.drop_index("ix_screenings_marks", "screenings")
    with op.batch_alter_table("screenings") as table:
        table.drop_column("known_on")
        table.drop_column("review")


def _day(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _moment(value: Any) -> datetime:
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _keep_history(bind: sa.Connection) -> None:
    """Reviews, the extra rounds' reviews and the derived requests of the stored history."""
    rows = bind.execute(
        sa.text(
            "SELECT id, submission_pk, round, as_of, reason, created_at FROM screenings ORDER BY id"
        )
    ).all()
    if not rows:
        return
    review: dict[int, int] = {}  # screening -> review
    current: dict[int, int] = {}  # submission -> its review so far
    for pk, sub, _, _, reason, _ in rows:
        if reason in NEW_REVIEW and sub in current:
            current[sub] += 1
        review[pk] = current.setdefault(sub, 0)
    renumbered = [{"pk": pk, "review": n} for pk, n in review.items() if n]
    if renumbered:
        bind.execute(sa.text("UPDATE screenings SET review = :review WHERE id = :pk"), renumbered)
    grants = bind.execute(
        sa.text("SELECT id, submission_pk, granted_at FROM extra_rounds ORDER BY id")
    ).all()
    granted: dict[tuple[int, int], int] = defaultdict(int)  # (submission, review) -> grants
    for pk, sub, at in grants:
        before = [
            review[s_pk]
            for s_pk, s_sub, *_, created in rows
            if s_sub == sub and _moment(created) <= _moment(at)
        ]
        number = before[-1] if before else 0
        granted[(sub, number)] += 1
        if number:
            bind.execute(
                sa.text("UPDATE extra_rounds SET review = :review WHERE id = :pk"),
                {"pk": pk, "review": number},
            )
    open_repair: dict[int, list[list[str]]] = defaultdict(list)
    for scr, rule, requirement, subject, lot, item in bind.execute(
        sa.text(
            "SELECT screening_pk, rule, requirement, subject, lot, item FROM findings "
            "WHERE status != 'voldaan' AND outcome = 'herstel' ORDER BY screening_pk, position"
        )
    ):
        open_repair[scr].append([rule, requirement, subject, lot or "", item or ""])
    asked: set[tuple[int, int, int]] = set()  # (submission, review, round) with a request
    requests = []
    for pk, sub, round_no, as_of, *_ in rows:
        key = (sub, review[pk], round_no)
        if key in asked or not open_repair.get(pk):  # (asks_repair caches the same)
            continue
        asked.add(key)
        day = _day(as_of)
        process = _process(day)
        allowed = process.max_rounds + min(granted[key[:2]], process.max_extra_rounds)
        if round_no + 1 > allowed:
            continue  # the old model asked nothing after the last round
        requests.append(
            {
                "submission_pk": sub,
                "review": review[pk],
                "round": round_no + 1,
                "screening_pk": pk,
                "sent_on": day,
                "sent_by": DERIVED_BY,
                "recorded_at": datetime.now(UTC),
                "deadline": deadline_of(process, day),
                "named_json": json.dumps(open_repair[pk], ensure_ascii=False),
                "letter_md": "",
                "letter_sha256": "",
                "derived": True,
            }
        )
    if requests:
        table = sa.table(
            "repair_requests",
            *(sa.column(name) for name in requests[0]),
        )
        bind.execute(sa.insert(table), requests)


def deadline_of(process: Any, day: date) -> date:
    # loaded when this migration runs, not whenever alembic reads the list of migrations
    from kit.screening.deadlines import deadline_of as deadline

    return deadline(process, day)


def _process(day: date) -> Any:
    """The process rule of the rule set in force on `day` (the nearest one outside them)."""
    # loaded when this migration runs, not whenever alembic reads the list of migrations
    from kit.errors import KitError
    from kit.kinds.rulesets import shipped_rulesets
    from kit.rules.loader import select_ruleset

    rulesets = shipped_rulesets()
    try:
        return select_ruleset(rulesets, day).process()
    except KitError:
        chosen = sorted(rulesets.values(), key=lambda r: r.in_force_from)
        before = [r for r in chosen if r.in_force_from <= day]
        return (before[-1] if before else chosen[0]).process()
