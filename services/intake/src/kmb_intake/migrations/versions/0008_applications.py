"""Applications (issue 12): a case's applications (``intake_application``: kind, the worker's values,
submission and answer), their printed versions with the PDF (``intake_application_version``, a scanned
signed copy linked as a document), and what a document proves (``intake_document.category``), so that
an application's checklist of attachments ticks itself."""

import sqlalchemy as sa
from alembic import op

from kmb_intake.adapters import casework as _documents  # noqa: F401  (the document table versions refer to)
from kmb_intake.adapters.applications import ApplicationRow, ApplicationVersionRow

revision = "0008"
down_revision = "0007"


def upgrade() -> None:
    with op.batch_alter_table("intake_document") as batch:
        batch.add_column(sa.Column("category", sa.String(length=40), nullable=True))
    bind = op.get_bind()
    for model in (ApplicationRow, ApplicationVersionRow):
        model.__table__.create(bind)  # type: ignore[attr-defined]


def downgrade() -> None:
    op.drop_table("intake_application_version")
    op.drop_table("intake_application")
    with op.batch_alter_table("intake_document") as batch:
        batch.drop_column("category")
