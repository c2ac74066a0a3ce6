"""An index of the findings still open, per screening (issue 14: the central list at 10,000
submissions reads the open findings of every latest screening; the index spares it reading the
eight in nine that are met).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

OPEN = sa.text("status != 'voldaan'")


def upgrade() -> None:
    op.create_index(
        "ix_findings_open", "findings", ["screening_pk"], sqlite_where=OPEN, postgresql_where=OPEN
    )


def downgrade() -> None:
    op.drop_index("ix_findings_open", "findings")
