"""The organisation of each case, so that only its workers and auditors read and change it: on intake's
case events (their actor's organisation), on assessments (already a column, until now set only on
submission) and on register entries.

Backfill: an assessment without one takes that of another assessment of its case (a submitted one
carries its submitter's organisation), else ``kmb`` (the organisation intake gave every case before
it knew organisations, migration 0002 there); case events and register entries take their case's
assessment's organisation, else ``kmb``. A replay from intake's events rebuilds the same values.
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"

#: the organisation intake gave the cases opened before it knew organisations
DEFAULT_ORGANISATION = "kmb"


def upgrade() -> None:
    with op.batch_alter_table("assessment_case_event") as batch:
        batch.add_column(sa.Column("organisation", sa.String(100), nullable=True))
    with op.batch_alter_table("register_entry") as batch:
        batch.add_column(sa.Column("organisation", sa.String(100), nullable=True))
    op.create_index("ix_assessment_organisation", "assessment", ["organisation"])
    op.create_index("ix_register_entry_organisation", "register_entry", ["organisation"])

    op.execute(
        "UPDATE assessment SET organisation = (SELECT MAX(other.organisation) FROM assessment other"
        " WHERE other.case_id = assessment.case_id) WHERE organisation IS NULL"
    )
    op.execute(
        "UPDATE assessment_case_event SET organisation = (SELECT MAX(a.organisation) FROM assessment a"
        " WHERE a.case_id = assessment_case_event.case_id) WHERE organisation IS NULL"
    )
    op.execute(
        "UPDATE register_entry SET organisation = (SELECT a.organisation FROM assessment a"
        " WHERE a.id = register_entry.assessment_id) WHERE organisation IS NULL"
    )
    for table in ("assessment", "assessment_case_event", "register_entry"):
        op.execute(
            sa.text(f"UPDATE {table} SET organisation = :default WHERE organisation IS NULL").bindparams(
                default=DEFAULT_ORGANISATION
            )
        )


def downgrade() -> None:
    op.drop_index("ix_register_entry_organisation", "register_entry")
    op.drop_index("ix_assessment_organisation", "assessment")
    with op.batch_alter_table("register_entry") as batch:
        batch.drop_column("organisation")
    with op.batch_alter_table("assessment_case_event") as batch:
        batch.drop_column("organisation")
