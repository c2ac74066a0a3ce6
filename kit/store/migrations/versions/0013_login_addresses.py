"""A failed login remembers the address it came from (issue 26): logins are throttled per
address and per name with growing delays, instead of a lock on the name that anyone could set
off. Failures recorded before have no address ('').

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlmodel.sql.sqltypes import AutoString

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("login_failures") as batch:
        batch.add_column(sa.Column("address", AutoString(), nullable=False, server_default=""))
        batch.create_index("ix_login_failures_address", ["address"])


def downgrade() -> None:
    with op.batch_alter_table("login_failures") as batch:
        batch.drop_index("ix_login_failures_address")
        batch.drop_column("address")
