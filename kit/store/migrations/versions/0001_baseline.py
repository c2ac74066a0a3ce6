"""Baseline: the store as kit 0.1 created it (before migrations), issues 2-7.

Revision ID: 0001
Revises:
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlmodel.sql.sqltypes import AutoString

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", AutoString(), nullable=False),
        sa.Column("role", AutoString(), nullable=False),
        sa.Column("action", AutoString(), nullable=False),
        sa.Column("subject", AutoString(), nullable=False),
        sa.Column("detail", AutoString(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "ruleset_snapshots",
        sa.Column("sha256", AutoString(), nullable=False),
        sa.Column("ruleset_id", AutoString(), nullable=False),
        sa.Column("content", AutoString(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("sha256"),
    )
    op.create_table(
        "submissions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("submission_id", AutoString(), nullable=False),
        sa.Column("procedure", AutoString(), nullable=False),
        sa.Column("provider_kvk", AutoString(), nullable=False),
        sa.Column("provider_name", AutoString(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("procedure", "submission_id"),
    )
    op.create_index(
        op.f("ix_submissions_provider_kvk"), "submissions", ["provider_kvk"], unique=False
    )
    op.create_index(
        op.f("ix_submissions_submission_id"), "submissions", ["submission_id"], unique=False
    )
    op.create_table(
        "decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("submission_pk", sa.Integer(), nullable=False),
        sa.Column("kind", AutoString(), nullable=False),
        sa.Column("requirement", AutoString(), nullable=False),
        sa.Column("judgement", AutoString(), nullable=False),
        sa.Column("note", AutoString(), nullable=False),
        sa.Column("subject", AutoString(), nullable=False),
        sa.Column("decided_by", AutoString(), nullable=False),
        sa.Column("role", AutoString(), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["submission_pk"],
            ["submissions.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        op.f("ix_decisions_submission_pk"), "decisions", ["submission_pk"], unique=False
    )
    op.create_table(
        "extra_rounds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("submission_pk", sa.Integer(), nullable=False),
        sa.Column("reason", AutoString(), nullable=False),
        sa.Column("granted_by", AutoString(), nullable=False),
        sa.Column("granted_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["submission_pk"],
            ["submissions.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        op.f("ix_extra_rounds_submission_pk"), "extra_rounds", ["submission_pk"], unique=False
    )
    op.create_table(
        "notes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("submission_pk", sa.Integer(), nullable=False),
        sa.Column("text", AutoString(), nullable=False),
        sa.Column("author", AutoString(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["submission_pk"],
            ["submissions.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_notes_submission_pk"), "notes", ["submission_pk"], unique=False)
    op.create_table(
        "screenings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("submission_pk", sa.Integer(), nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("ruleset_id", AutoString(), nullable=False),
        sa.Column("ruleset_sha256", AutoString(), nullable=False),
        sa.Column("engine_version", AutoString(), nullable=False),
        sa.Column("case_sha256", AutoString(), nullable=False),
        sa.Column("case_json", AutoString(), nullable=False),
        sa.Column("source", AutoString(), nullable=False),
        sa.Column("risk", AutoString(), nullable=True),
        sa.Column("reason", AutoString(), nullable=False),
        sa.Column("final", sa.Boolean(), nullable=False),
        sa.Column("actor", AutoString(), nullable=False),
        sa.Column("base_screening_pk", sa.Integer(), nullable=True),
        sa.Column("rerun", AutoString(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["base_screening_pk"],
            ["screenings.id"],
        ),
        sa.ForeignKeyConstraint(
            ["submission_pk"],
            ["submissions.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        op.f("ix_screenings_submission_pk"), "screenings", ["submission_pk"], unique=False
    )
    op.create_table(
        "findings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("screening_pk", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("rule", AutoString(), nullable=False),
        sa.Column("requirement", AutoString(), nullable=False),
        sa.Column("subject", AutoString(), nullable=False),
        sa.Column("lot", AutoString(), nullable=True),
        sa.Column("item", AutoString(), nullable=True),
        sa.Column("status", AutoString(), nullable=False),
        sa.Column("outcome", AutoString(), nullable=True),
        sa.Column("message", AutoString(), nullable=False),
        sa.Column("neutral_message", AutoString(), nullable=False),
        sa.Column("sensitive", sa.Boolean(), nullable=False),
        sa.Column("basis", AutoString(), nullable=False),
        sa.Column("evidence", AutoString(), nullable=False),
        sa.Column("due", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["screening_pk"],
            ["screenings.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_findings_screening_pk"), "findings", ["screening_pk"], unique=False)
    op.create_table(
        "lot_verdicts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("screening_pk", sa.Integer(), nullable=False),
        sa.Column("lot", AutoString(), nullable=False),
        sa.Column("verdict", AutoString(), nullable=False),
        sa.ForeignKeyConstraint(
            ["screening_pk"],
            ["screenings.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        op.f("ix_lot_verdicts_screening_pk"), "lot_verdicts", ["screening_pk"], unique=False
    )


def downgrade() -> None:
    for table in (
        "audit_events",
        "ruleset_snapshots",
        "notes",
        "lot_verdicts",
        "findings",
        "extra_rounds",
        "decisions",
        "screenings",
        "submissions",
    ):
        op.drop_table(table)
