"""The verification sample (issue 27, C1-C2): the draws with their seed, the credentials each
draw put in the sample, and the checks toezicht recorded at the source (outcome, source, who,
when). A database from before has none of them.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlmodel.sql.sqltypes import AutoString

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sample_draws",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("procedure", AutoString(), nullable=False),
        sa.Column("seed", AutoString(), nullable=False),
        sa.Column("ruleset_id", AutoString(), nullable=False),
        sa.Column("drawn_by", AutoString(), nullable=False),
        sa.Column("role", AutoString(), nullable=False),
        sa.Column("drawn_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "sampled_credentials",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("draw_pk", sa.Integer(), nullable=True),
        sa.Column("submission_pk", sa.Integer(), nullable=False),
        sa.Column("screening_pk", sa.Integer(), nullable=False),
        sa.Column("staff", AutoString(), nullable=False),
        sa.Column("credential", AutoString(), nullable=False),
        sa.Column("kind", AutoString(), nullable=False),
        sa.ForeignKeyConstraint(["draw_pk"], ["sample_draws.id"]),
        sa.ForeignKeyConstraint(["submission_pk"], ["submissions.id"]),
        sa.ForeignKeyConstraint(["screening_pk"], ["screenings.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_sampled_credentials_draw_pk", "sampled_credentials", ["draw_pk"])
    op.create_index(
        "ix_sampled_credentials_submission_pk", "sampled_credentials", ["submission_pk"]
    )
    op.create_table(
        "credential_checks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sampled_pk", sa.Integer(), nullable=False),
        sa.Column("decision_pk", sa.Integer(), nullable=True),
        sa.Column("outcome", AutoString(), nullable=False),
        sa.Column("source", AutoString(), nullable=False),
        sa.Column("note", AutoString(), nullable=False),
        sa.Column("checked_by", AutoString(), nullable=False),
        sa.Column("checked_on", sa.Date(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["sampled_pk"], ["sampled_credentials.id"]),
        sa.ForeignKeyConstraint(["decision_pk"], ["decisions.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_credential_checks_sampled_pk", "credential_checks", ["sampled_pk"])


def downgrade() -> None:
    op.drop_index("ix_credential_checks_sampled_pk", table_name="credential_checks")
    op.drop_table("credential_checks")
    op.drop_index("ix_sampled_credentials_submission_pk", table_name="sampled_credentials")
    op.drop_index("ix_sampled_credentials_draw_pk", table_name="sampled_credentials")
    op.drop_table("sampled_credentials")
    op.drop_table("sample_draws")
