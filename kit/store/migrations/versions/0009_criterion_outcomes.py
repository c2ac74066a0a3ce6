"""Content judgements by criteria (issue 27, Q12): one row per criterion of a judgement, with
its outcome and the reviewer's remark. A judgement recorded before has none: it stays the one
word (voldoende or onvoldoende) it was.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlmodel.sql.sqltypes import AutoString

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "criterion_outcomes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("decision_pk", sa.Integer(), nullable=True),
        sa.Column("criterion", AutoString(), nullable=False),
        sa.Column("outcome", AutoString(), nullable=False),
        sa.Column("note", AutoString(), nullable=False),
        sa.Column("required", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["decision_pk"], ["decisions.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_criterion_outcomes_decision_pk", "criterion_outcomes", ["decision_pk"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_criterion_outcomes_decision_pk", table_name="criterion_outcomes")
    op.drop_table("criterion_outcomes")
