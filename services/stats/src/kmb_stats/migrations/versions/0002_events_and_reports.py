"""Every consumed event (stats_event) and issued reports (stats_report); the thin counters go.

The counters held nothing that the topics do not: after this revision the consumer group starts
filling stats_event from the offsets it had, so rebuild a database that ran the thin service with
``kmb replay stats`` (from offset 0) to see the history before it.
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"


def upgrade() -> None:
    op.drop_table("stats_counter")
    op.create_table(
        "stats_event",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("event_id", sa.String(64), nullable=False, unique=True),
        sa.Column("event_type", sa.String(200), nullable=False),
        sa.Column("source", sa.String(200), nullable=False),
        sa.Column("topic", sa.String(255), nullable=False),
        sa.Column("partition", sa.Integer, nullable=False),
        sa.Column("offset", sa.BigInteger, nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("case_id", sa.String(36), nullable=True),
        sa.Column("traceparent", sa.String(100), nullable=True),
        sa.Column("actor_user", sa.String(100), nullable=False),
        sa.Column("actor_org", sa.String(100), nullable=False),
        sa.Column("payload", sa.JSON, nullable=False),
    )
    op.create_index("ix_stats_event_occurred_at", "stats_event", ["occurred_at"])
    op.create_index("ix_stats_event_case_id", "stats_event", ["case_id"])
    op.create_table(
        "stats_report",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("period", sa.String(10), nullable=False),
        sa.Column("district", sa.String(100), nullable=True),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("issued_by", sa.String(100), nullable=False),
        sa.Column("issued_org", sa.String(100), nullable=False),
        sa.Column("cutoff", sa.DateTime(timezone=True), nullable=False),
        sa.Column("events", sa.Integer, nullable=False),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("offsets", sa.JSON, nullable=False),
        sa.Column("content", sa.JSON, nullable=False),
        sa.Column("published", sa.JSON, nullable=False),
    )
    op.create_index("ix_stats_report_issued_at", "stats_report", ["issued_at"])


def downgrade() -> None:
    op.drop_table("stats_report")
    op.drop_table("stats_event")
    op.create_table(
        "stats_counter",
        sa.Column("name", sa.String(100), primary_key=True),
        sa.Column("value", sa.Integer, nullable=False),
    )
