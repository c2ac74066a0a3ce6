"""What the lists read, kept with each screening (issue 14): a summary per lot and of the staff
in an EVC trajectory (summary_json), and whether the screening asks for repair (asks_repair).
Screenings stored before stay NULL; the lists read those from the case and findings.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlmodel.sql.sqltypes import AutoString

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("screenings") as table:
        table.add_column(sa.Column("summary_json", AutoString(), nullable=True))
        table.add_column(sa.Column("asks_repair", sa.Boolean(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("screenings") as table:
        table.drop_column("asks_repair")
        table.drop_column("summary_json")
