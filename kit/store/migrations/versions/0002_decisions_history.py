"""Decisions that hold up under objection and transparent screening (issues 10, 16): what earlier
screenings told a screening (prior_json), the rules that did not apply (not_applicable_json), the
message a letter may print (provider_message), a reviewer's note shared with the provider.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlmodel.sql.sqltypes import AutoString

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    text = AutoString()
    with op.batch_alter_table("screenings") as table:
        table.add_column(sa.Column("prior_json", text, nullable=False, server_default=""))
        table.add_column(
            sa.Column("not_applicable_json", text, nullable=False, server_default="[]")
        )
    with op.batch_alter_table("findings") as table:
        table.add_column(sa.Column("provider_message", text, nullable=False, server_default=""))
    with op.batch_alter_table("decisions") as table:
        table.add_column(
            sa.Column("shared", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table("decisions") as table:
        table.drop_column("shared")
    with op.batch_alter_table("findings") as table:
        table.drop_column("provider_message")
    with op.batch_alter_table("screenings") as table:
        table.drop_column("not_applicable_json")
        table.drop_column("prior_json")
