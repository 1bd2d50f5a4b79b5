"""Partner registry, the full referral lifecycle, and the consent facts of cases."""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"


def _moment(name: str, nullable: bool = True) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "partner",
        sa.Column("slug", sa.String(40), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("contact", sa.JSON, nullable=False),
        sa.Column("accepted_kinds", sa.JSON, nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        _moment("created_at", nullable=False),
        _moment("updated_at", nullable=False),
    )
    op.create_table(
        "referrals_case",
        sa.Column("case_id", sa.Uuid, primary_key=True),
        sa.Column("case_number", sa.String(40), nullable=False),
        sa.Column("consent_partners", sa.JSON, nullable=False),
        sa.Column("legal_basis", sa.String(300), nullable=True),
        sa.Column("household_size", sa.Integer, nullable=False),
        sa.Column("children", sa.Integer, nullable=False),
        sa.Column("district", sa.String(100), nullable=True),
        sa.Column("vulnerability_flags", sa.JSON, nullable=False),
        _moment("updated_at", nullable=False),
    )
    # Rows of the thin service (if any) get neutral values for the new required columns.
    with op.batch_alter_table("referral") as batch:
        batch.add_column(sa.Column("made_on", sa.Date, nullable=True))
        batch.add_column(_moment("updated_at"))
        batch.add_column(sa.Column("made_by", sa.String(100), nullable=False, server_default="unknown"))
        batch.add_column(sa.Column("made_by_org", sa.String(100), nullable=False, server_default="kmb"))
        batch.add_column(sa.Column("solution_id", sa.Uuid, nullable=True))
        batch.add_column(sa.Column("conference_id", sa.Uuid, nullable=True))
        batch.add_column(sa.Column("legal_basis", sa.String(300), nullable=True))
        batch.add_column(sa.Column("note", sa.Text, nullable=True))
        batch.add_column(sa.Column("decline_reason", sa.String(40), nullable=True))
        batch.add_column(sa.Column("decline_note", sa.Text, nullable=True))
        batch.add_column(
            sa.Column("declined_after_acceptance", sa.Boolean, nullable=False, server_default=sa.false())
        )
        batch.add_column(_moment("alert_dismissed_at"))
        batch.add_column(sa.Column("outcome", sa.String(40), nullable=True))
        batch.add_column(sa.Column("outcome_note", sa.Text, nullable=True))
        batch.add_column(sa.Column("cancel_reason", sa.Text, nullable=True))
        batch.add_column(sa.Column("history", sa.JSON, nullable=False, server_default="[]"))
        batch.add_column(sa.Column("version", sa.Integer, nullable=False, server_default="1"))
        batch.add_column(_moment("overdue_raised_at"))
        batch.add_column(sa.Column("identified", sa.Boolean, nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("disclosure_basis", sa.String(300), nullable=True))
        batch.add_column(sa.Column("disclosure_note", sa.String(300), nullable=True))
        batch.add_column(sa.Column("partner_view", sa.JSON, nullable=True))
        batch.add_column(sa.Column("opinion_positive", sa.Boolean, nullable=True))
        batch.add_column(sa.Column("opinion_housing_costs", sa.Integer, nullable=True))
        batch.add_column(sa.Column("opinion_estimated_benefit", sa.Integer, nullable=True))
        batch.create_index("ix_referral_conference_id", ["conference_id"])

    referral = sa.table(
        "referral",
        sa.column("id", sa.Uuid),
        sa.column("made_at", sa.DateTime(timezone=True)),
        sa.column("made_on", sa.Date),
    )
    bind = op.get_bind()
    for row in bind.execute(sa.select(referral.c.id, referral.c.made_at)).all():
        bind.execute(referral.update().where(referral.c.id == row.id).values(made_on=row.made_at.date()))
    with op.batch_alter_table("referral") as batch:
        batch.alter_column("made_on", existing_type=sa.Date, nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("referral") as batch:
        batch.drop_index("ix_referral_conference_id")
        for name in (
            "made_on",
            "updated_at",
            "made_by",
            "made_by_org",
            "solution_id",
            "conference_id",
            "legal_basis",
            "note",
            "decline_reason",
            "decline_note",
            "declined_after_acceptance",
            "alert_dismissed_at",
            "outcome",
            "outcome_note",
            "cancel_reason",
            "history",
            "version",
            "overdue_raised_at",
            "identified",
            "disclosure_basis",
            "disclosure_note",
            "partner_view",
            "opinion_positive",
            "opinion_housing_costs",
            "opinion_estimated_benefit",
        ):
            batch.drop_column(name)
    op.drop_table("referrals_case")
    op.drop_table("partner")
