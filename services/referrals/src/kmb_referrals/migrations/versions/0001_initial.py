"""Initial schema: messaging tables and referrals."""

import sqlalchemy as sa
from alembic import op

from kmb_shared.messaging import create_messaging_tables

revision = "0001"
down_revision = None


def upgrade() -> None:
    create_messaging_tables(op)
    op.create_table(
        "referral",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("case_id", sa.Uuid, nullable=False, index=True),
        sa.Column("partner", sa.String(40), nullable=False, index=True),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("status", sa.String(20), nullable=False, index=True),
        sa.Column("due_on", sa.Date, nullable=True),
        sa.Column("made_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("referral")
    op.drop_table("kmb_inbox")
    op.drop_table("kmb_outbox")
