"""Rule sets a rules editor manages: uploaded sets (drafts and activated), impact previews with the
cases whose result would change, and the cases flagged for reassessment by an activation.
"""

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0002"


def _time(name: str, *, nullable: bool) -> sa.Column[Any]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "rule_set_upload",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("version", sa.String(40), nullable=False, index=True),
        sa.Column("effective_from", sa.Date, nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("source_yaml", sa.Text, nullable=False),
        sa.Column("status", sa.String(20), nullable=False, index=True),
        sa.Column("uploaded_by", sa.String(100), nullable=False),
        sa.Column("uploaded_by_name", sa.String(200), nullable=True),
        _time("uploaded_at", nullable=False),
        sa.Column("activated_by", sa.String(100), nullable=True),
        sa.Column("activated_by_name", sa.String(200), nullable=True),
        _time("activated_at", nullable=True),
        sa.Column("activated_preview_id", sa.Uuid, nullable=True),
        sa.Column("activated_event_id", sa.String(64), nullable=True),
    )
    op.create_table(
        "rule_set_preview",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("upload_id", sa.Uuid, nullable=False, index=True),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("total", sa.Integer, nullable=False),
        sa.Column("processed", sa.Integer, nullable=False),
        sa.Column("enters", sa.Integer, nullable=False),
        sa.Column("leaves", sa.Integer, nullable=False),
        sa.Column("need_level_changes", sa.Integer, nullable=False),
        sa.Column("priority_changes", sa.Integer, nullable=False),
        sa.Column("failed", sa.Integer, nullable=False),
        sa.Column("started_by", sa.String(100), nullable=False),
        _time("started_at", nullable=False),
        _time("finished_at", nullable=True),
        sa.Column("error", sa.Text, nullable=True),
    )
    op.create_table(
        "rule_set_preview_item",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("preview_id", sa.Uuid, nullable=False, index=True),
        sa.Column("case_id", sa.Uuid, nullable=False),
        sa.Column("case_number", sa.String(20), nullable=False),
        sa.Column("assessment_id", sa.Uuid, nullable=False),
        sa.Column("worker_id", sa.String(100), nullable=True),
        sa.Column("in_register", sa.Boolean, nullable=False),
        sa.Column("changes", sa.String(100), nullable=False),
        sa.Column("need_level_before", sa.String(20), nullable=False),
        sa.Column("need_level_after", sa.String(20), nullable=True),
        sa.Column("qualifies_before", sa.Boolean, nullable=False),
        sa.Column("qualifies_after", sa.Boolean, nullable=True),
        sa.Column("priority_before", sa.Integer, nullable=False),
        sa.Column("priority_after", sa.Integer, nullable=True),
    )
    op.create_table(
        "reassessment_flag",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("case_id", sa.Uuid, nullable=False, index=True),
        sa.Column("case_number", sa.String(20), nullable=False),
        sa.Column("assessment_id", sa.Uuid, nullable=False),
        sa.Column("worker_id", sa.String(100), nullable=True, index=True),
        sa.Column("rule_set_version", sa.String(40), nullable=False),
        sa.Column("effective_from", sa.Date, nullable=False),
        sa.Column("changes", sa.String(100), nullable=False),
        sa.Column("need_level_before", sa.String(20), nullable=False),
        sa.Column("need_level_after", sa.String(20), nullable=True),
        sa.Column("qualifies_before", sa.Boolean, nullable=False),
        sa.Column("qualifies_after", sa.Boolean, nullable=True),
        sa.Column("priority_before", sa.Integer, nullable=False),
        sa.Column("priority_after", sa.Integer, nullable=True),
        _time("flagged_at", nullable=False),
        sa.UniqueConstraint("case_id", "rule_set_version", name="uq_reassessment_flag_case_version"),
    )


def downgrade() -> None:
    for table in ("reassessment_flag", "rule_set_preview_item", "rule_set_preview", "rule_set_upload"):
        op.drop_table(table)
