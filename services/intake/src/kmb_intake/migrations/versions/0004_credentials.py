"""Revocable sign-in: the credentials intake issued or ended (``intake_credential``, by the id each
session cookie and API token carries) and, per account, ``credentials_valid_after`` (sessions and tokens
issued before it are no longer valid). Existing accounts start with none (their credentials stay valid
until they expire); no credential is recorded yet.
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"


def upgrade() -> None:
    with op.batch_alter_table("intake_user") as batch:
        batch.add_column(sa.Column("credentials_valid_after", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "intake_credential",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("user_id", sa.String(100), nullable=False, index=True),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("label", sa.String(100), nullable=False),
        sa.Column("roles", sa.String(200), nullable=False),
        sa.Column("issued_by", sa.String(100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("end_reason", sa.String(20), nullable=True),
    )


def downgrade() -> None:
    op.drop_table("intake_credential")
    with op.batch_alter_table("intake_user") as batch:
        batch.drop_column("credentials_valid_after")
