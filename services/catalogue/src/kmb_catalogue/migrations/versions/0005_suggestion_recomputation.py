"""Suggestions recomputed when the catalogue changes or on demand: the household as matched
(``catalogue_suggestion.request``) and what the last recomputation changed (``recomputation``)."""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"


def upgrade() -> None:
    with op.batch_alter_table("catalogue_suggestion") as batch:
        batch.add_column(sa.Column("request", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("recomputation", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("catalogue_suggestion") as batch:
        batch.drop_column("recomputation")
        batch.drop_column("request")
