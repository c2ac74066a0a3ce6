"""The web application's own per-account tables (issue 25, items 1 and 2): the filters an
account saved under a name ("mijn weergaven"), and the forms posted after a session had ended,
kept for that account until it sends or discards them. A database from before has neither.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlmodel.sql.sqltypes import AutoString

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "saved_views",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_pk", sa.Integer(), nullable=False),
        sa.Column("name", AutoString(), nullable=False),
        sa.Column("query", AutoString(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["account_pk"], ["accounts.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("account_pk", "name"),
    )
    op.create_index("ix_saved_views_account_pk", "saved_views", ["account_pk"])
    op.create_table(
        "kept_forms",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_pk", sa.Integer(), nullable=False),
        sa.Column("action", AutoString(), nullable=False),
        sa.Column("fields", AutoString(), nullable=False),
        sa.Column("kept_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["account_pk"], ["accounts.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_kept_forms_account_pk", "kept_forms", ["account_pk"])


def downgrade() -> None:
    op.drop_index("ix_kept_forms_account_pk", table_name="kept_forms")
    op.drop_table("kept_forms")
    op.drop_index("ix_saved_views_account_pk", table_name="saved_views")
    op.drop_table("saved_views")
