"""Whether a case is closed (``referrals_case.closed``, from intake's CaseClosed / CaseReopened): a
referral is made only for an open case."""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"


def upgrade() -> None:
    with op.batch_alter_table("referrals_case") as batch:
        batch.add_column(sa.Column("closed", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("referrals_case") as batch:
        batch.drop_column("closed")
