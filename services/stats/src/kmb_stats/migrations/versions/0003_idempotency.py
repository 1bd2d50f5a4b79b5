"""Idempotency keys (``kmb_idempotency``, the shared model of kmb_shared.web.idempotency): a request
sent again with the same ``Idempotency-Key`` gets the first answer instead of a second effect."""

from alembic import op

from kmb_shared.web.idempotency import IdempotencyRecord, create_idempotency_table

revision = "0003"
down_revision = "0002"


def upgrade() -> None:
    create_idempotency_table(op)


def downgrade() -> None:
    op.drop_table(IdempotencyRecord.__tablename__)
