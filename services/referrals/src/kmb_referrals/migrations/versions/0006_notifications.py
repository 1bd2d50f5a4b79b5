"""The workers' notifications of what partners (or the deadline) did with their referrals
(``referral_notification``: codes only, read per user)."""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"


def upgrade() -> None:
    op.create_table(
        "referral_notification",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("user_id", sa.String(length=100), nullable=False),
        sa.Column("organisation", sa.String(length=100), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("referral_id", sa.Uuid(), nullable=False),
        sa.Column("partner", sa.String(length=40), nullable=False),
        sa.Column("referral_kind", sa.String(length=40), nullable=False),
        sa.Column("update", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.String(length=40), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("emailed_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index(
        "ix_referral_notification_user", "referral_notification", ["organisation", "user_id", "read_at"]
    )
    op.create_index("ix_referral_notification_case_id", "referral_notification", ["case_id"])
    op.create_index("ix_referral_notification_referral_id", "referral_notification", ["referral_id"])


def downgrade() -> None:
    op.drop_table("referral_notification")
