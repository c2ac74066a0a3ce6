"""Submissions assigned to reviewers (issue 13, the werkvoorraad): insert-only, the latest
assignment of a submission counts.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlmodel.sql.sqltypes import AutoString

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "assignments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("submission_pk", sa.Integer(), nullable=False),
        sa.Column("reviewer", AutoString(), nullable=False),
        sa.Column("assigned_by", AutoString(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["submission_pk"], ["submissions.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_assignments_submission_pk", "assignments", ["submission_pk"])


def downgrade() -> None:
    op.drop_index("ix_assignments_submission_pk", "assignments")
    op.drop_table("assignments")
