"""Erasure and retention (GDPR Art. 17, the shredding plan): the record of each erasure of a case's or a
member's personal data (``intake_erasure``: when, the reason's code, the administrator's recorded reason,
who or the retention job, the PersonalDataErased event it announced), when a case's data were erased
(``intake_case.erased_at``, so that lists, searches and the retention job know it), and the report of each
retention run (``intake_retention_run``)."""

import sqlalchemy as sa
from alembic import op

from kmb_intake.adapters import tables as _cases  # noqa: F401  (the case table the erasures refer to)
from kmb_intake.adapters.erasure_tables import ErasureRow, RetentionRunRow

revision = "0007"
down_revision = "0006"


def upgrade() -> None:
    with op.batch_alter_table("intake_case") as batch:
        batch.add_column(sa.Column("erased_at", sa.DateTime(timezone=True), nullable=True))
    # the two new tables from their models (adapters.erasure_tables), as 0005 creates the idempotency keys
    bind = op.get_bind()
    for model in (RetentionRunRow, ErasureRow):
        model.__table__.create(bind)  # type: ignore[attr-defined]


def downgrade() -> None:
    op.drop_table("intake_erasure")
    op.drop_table("intake_retention_run")
    with op.batch_alter_table("intake_case") as batch:
        batch.drop_column("erased_at")
