"""Initial schema: messaging tables, cases, case numbers."""

import sqlalchemy as sa
from alembic import op

from kmb_shared.messaging import create_messaging_tables

revision = "0001"
down_revision = None


def upgrade() -> None:
    create_messaging_tables(op)
    op.create_table(
        "intake_case",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("number", sa.String(20), nullable=False, unique=True),
        sa.Column("status", sa.String(20), nullable=False, index=True),
        sa.Column("district", sa.String(100), nullable=True, index=True),
        sa.Column("orp_code", sa.String(10), nullable=True),
        sa.Column("household", sa.Text, nullable=False),
        sa.Column("worker_id", sa.String(100), nullable=False, index=True),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
    )
    op.create_table(
        "intake_case_number",
        sa.Column("year", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("last", sa.Integer, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("intake_case_number")
    op.drop_table("intake_case")
    op.drop_table("kmb_inbox")
    op.drop_table("kmb_outbox")
