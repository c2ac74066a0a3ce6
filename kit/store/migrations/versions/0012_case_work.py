"""Work a team shares and the documents on the case (issue 25): a person's work status per
submission, file contents stored once by their SHA-256, and the provider's document files on a
submission. A database from before has none of them.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlmodel.sql.sqltypes import AutoString

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "work_statuses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("submission_pk", sa.Integer(), nullable=False),
        sa.Column("status", AutoString(), nullable=False),
        sa.Column("set_by", AutoString(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["submission_pk"], ["submissions.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_work_statuses_submission_pk", "work_statuses", ["submission_pk"])
    op.create_table(
        "blobs",
        sa.Column("sha256", AutoString(length=64), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("media_type", AutoString(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("sha256"),
    )
    op.create_table(
        "case_files",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("submission_pk", sa.Integer(), nullable=False),
        sa.Column("blob_sha256", AutoString(), nullable=False),
        sa.Column("filename", AutoString(), nullable=False),
        sa.Column("category", AutoString(), nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("added_by", AutoString(), nullable=False),
        sa.Column("role", AutoString(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["submission_pk"], ["submissions.id"]),
        sa.ForeignKeyConstraint(["blob_sha256"], ["blobs.sha256"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_case_files_submission_pk", "case_files", ["submission_pk"])


def downgrade() -> None:
    op.drop_index("ix_case_files_submission_pk", "case_files")
    op.drop_table("case_files")
    op.drop_table("blobs")
    op.drop_index("ix_work_statuses_submission_pk", "work_statuses")
    op.drop_table("work_statuses")
