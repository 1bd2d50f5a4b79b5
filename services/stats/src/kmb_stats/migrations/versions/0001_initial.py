"""Initial schema: messaging tables and counters."""

import sqlalchemy as sa
from alembic import op

from kmb_shared.messaging import create_messaging_tables

revision = "0001"
down_revision = None


def upgrade() -> None:
    create_messaging_tables(op)
    op.create_table(
        "stats_counter",
        sa.Column("name", sa.String(100), primary_key=True),
        sa.Column("value", sa.Integer, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("stats_counter")
    op.drop_table("kmb_inbox")
    op.drop_table("kmb_outbox")
