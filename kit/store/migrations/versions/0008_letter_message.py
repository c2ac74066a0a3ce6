"""Letters that state the decision (issue 22): what a provider's letter prints of each finding
(letter_message), written at screening from the rule kind's letter sentence per situation. NULL
for a finding stored before: its letter prints what kit printed then.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlmodel.sql.sqltypes import AutoString

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("findings", sa.Column("letter_message", AutoString(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("findings") as table:
        table.drop_column("letter_message")
