"""Sign-in: local accounts, failed sign-ins (throttling), issued API tokens; the log of views of
cases' personal data.
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"


def upgrade() -> None:
    op.create_table(
        "intake_user",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("username", sa.String(50), nullable=False, unique=True),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("password_hash", sa.String(200), nullable=False),
        sa.Column("roles", sa.String(200), nullable=False),
        sa.Column("organisation", sa.String(100), nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(100), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_by", sa.String(100), nullable=True),
    )
    op.create_table(
        "intake_login_failure",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("username", sa.String(50), nullable=False),
        sa.Column("address", sa.String(64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_intake_login_failure_key", "intake_login_failure", ["username", "address", "at"])
    op.create_table(
        "intake_api_token",
        sa.Column("id", sa.String(100), primary_key=True),
        sa.Column("organisation", sa.String(100), nullable=False, index=True),
        sa.Column("roles", sa.String(200), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("issued_by", sa.String(100), nullable=False),
    )
    op.create_table(
        "case_view_log",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("case_id", sa.Uuid, nullable=False),
        sa.Column("case_number", sa.String(20), nullable=False),
        sa.Column("viewed_at", sa.DateTime(timezone=True), nullable=False, index=True),
        sa.Column("user_id", sa.String(100), nullable=False, index=True),
        sa.Column("organisation", sa.String(100), nullable=False, index=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("channel", sa.String(10), nullable=False),
    )
    op.create_index("ix_case_view_log_case_at", "case_view_log", ["case_id", "viewed_at"])


def downgrade() -> None:
    op.drop_table("case_view_log")
    op.drop_table("intake_api_token")
    op.drop_table("intake_login_failure")
    op.drop_table("intake_user")
