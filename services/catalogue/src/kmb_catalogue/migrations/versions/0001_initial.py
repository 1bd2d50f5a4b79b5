"""Initial schema: messaging tables, solutions, suggestions."""

import sqlalchemy as sa
from alembic import op

from kmb_shared.messaging import create_messaging_tables

revision = "0001"
down_revision = None


def upgrade() -> None:
    create_messaging_tables(op)
    op.create_table(
        "catalogue_solution",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("kind", sa.String(40), nullable=False, index=True),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("provider", sa.String(200), nullable=False),
        sa.Column("need_levels", sa.Text, nullable=False),
        sa.Column("capacity_total", sa.Integer, nullable=True),
        sa.Column("capacity_free", sa.Integer, nullable=True),
        sa.Column("version", sa.Integer, nullable=False),
    )
    op.create_table(
        "catalogue_suggestion",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("case_id", sa.Uuid, nullable=False, index=True),
        sa.Column("assessment_id", sa.Uuid, nullable=True),
        sa.Column("payload", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("catalogue_suggestion")
    op.drop_table("catalogue_solution")
    op.drop_table("kmb_inbox")
    op.drop_table("kmb_outbox")
