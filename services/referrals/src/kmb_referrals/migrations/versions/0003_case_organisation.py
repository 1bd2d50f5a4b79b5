"""The case's organisation (from intake's CaseOpened), which scopes every read and write of its referrals.

Existing rows keep it empty until the case's next event from intake (or a replay of intake's topic) says
it; until then a referral belongs to the organisation of the worker who made it."""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"


def upgrade() -> None:
    with op.batch_alter_table("referrals_case") as batch:
        batch.add_column(sa.Column("organisation", sa.String(100), nullable=True))
        batch.create_index("ix_referrals_case_organisation", ["organisation"])


def downgrade() -> None:
    with op.batch_alter_table("referrals_case") as batch:
        batch.drop_index("ix_referrals_case_organisation")
        batch.drop_column("organisation")
