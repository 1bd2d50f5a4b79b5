"""The real assessment: survey and result columns, intake's case events, the register of people in
need and binding opinions.

Assessments submitted before this revision (the thin flow's placeholder rule) keep their result JSON;
their need level, rule-set version and date are copied into the new columns.
"""

import json
from datetime import date
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"


def _time(name: str, *, nullable: bool) -> sa.Column[Any]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    with op.batch_alter_table("assessment") as batch:
        batch.add_column(_time("household_at", nullable=True))
        batch.add_column(sa.Column("survey", sa.Text, nullable=True))
        batch.add_column(_time("survey_updated_at", nullable=True))
        batch.add_column(sa.Column("survey_updated_by", sa.String(100), nullable=True))
        batch.add_column(sa.Column("assessed_on", sa.Date, nullable=True))
        batch.add_column(sa.Column("rule_set_version", sa.String(40), nullable=True))
        batch.add_column(sa.Column("need_level", sa.String(20), nullable=True))
        batch.add_column(sa.Column("ethos_category", sa.Integer, nullable=True))
        batch.add_column(sa.Column("qualifies_for_register", sa.Boolean, nullable=True))
        batch.add_column(sa.Column("priority_score", sa.Integer, nullable=True))
        batch.add_column(sa.Column("submitted_by", sa.String(100), nullable=True))
        batch.add_column(sa.Column("organisation", sa.String(100), nullable=True))
        batch.add_column(_time("cancelled_at", nullable=True))

    op.create_table(
        "assessment_case_event",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("case_id", sa.Uuid, nullable=False, index=True),
        sa.Column("case_number", sa.String(20), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("household", sa.Text, nullable=True),
        _time("occurred_at", nullable=False),
    )
    op.create_table(
        "register_entry",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("assessment_id", sa.Uuid, nullable=False, unique=True),
        sa.Column("case_id", sa.Uuid, nullable=False, index=True),
        sa.Column("case_number", sa.String(20), nullable=False),
        sa.Column("registered_on", sa.Date, nullable=False),
        sa.Column("valid_until", sa.Date, nullable=False),
        sa.Column("reassess_from", sa.Date, nullable=False),
        sa.Column("status", sa.String(20), nullable=False, index=True),
        sa.Column("need_level", sa.String(20), nullable=False),
        sa.Column("ethos_category", sa.Integer, nullable=True),
        sa.Column("priority_score", sa.Integer, nullable=False),
        sa.Column("rule_set_version", sa.String(40), nullable=False),
        sa.Column("expired_on", sa.Date, nullable=True),
        sa.Column("registered_event_id", sa.String(64), nullable=True),
        _time("created_at", nullable=False),
        _time("status_changed_at", nullable=True),
    )
    op.create_table(
        "binding_opinion",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("case_id", sa.Uuid, nullable=False, index=True),
        sa.Column("referral_id", sa.Uuid, nullable=False),
        sa.Column("partner", sa.String(100), nullable=False),
        sa.Column("positive", sa.Boolean, nullable=False),
        sa.Column("justified_housing_costs", sa.Integer, nullable=True),
        sa.Column("estimated_benefit", sa.Integer, nullable=True),
        _time("issued_at", nullable=False),
        sa.Column("assessment_id", sa.Uuid, nullable=True, index=True),
    )
    _carry_over_thin_flow_rows()


def _carry_over_thin_flow_rows() -> None:
    conn = op.get_bind()
    assessment = sa.table(
        "assessment",
        sa.column("id", sa.Uuid),
        sa.column("result", sa.Text),
        sa.column("created_at", sa.DateTime(timezone=True)),
        sa.column("assessed_on", sa.Date),
        sa.column("rule_set_version", sa.String),
        sa.column("need_level", sa.String),
        sa.column("household_at", sa.DateTime(timezone=True)),
    )
    rows = conn.execute(sa.select(assessment.c.id, assessment.c.result, assessment.c.created_at)).all()
    for row_id, result, created_at in rows:
        values: dict[str, Any] = {"household_at": created_at}
        if result:
            legacy = json.loads(result)
            values["need_level"] = legacy.get("need_level")
            values["rule_set_version"] = legacy.get("rule_set_version")
            if legacy.get("assessed_on"):
                values["assessed_on"] = date.fromisoformat(legacy["assessed_on"])
        conn.execute(sa.update(assessment).where(assessment.c.id == row_id).values(**values))


def downgrade() -> None:
    op.drop_table("binding_opinion")
    op.drop_table("register_entry")
    op.drop_table("assessment_case_event")
    with op.batch_alter_table("assessment") as batch:
        for name in (
            "cancelled_at",
            "organisation",
            "submitted_by",
            "priority_score",
            "qualifies_for_register",
            "ethos_category",
            "need_level",
            "rule_set_version",
            "assessed_on",
            "survey_updated_by",
            "survey_updated_at",
            "survey",
            "household_at",
        ):
            batch.drop_column(name)
