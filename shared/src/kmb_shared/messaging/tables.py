"""The outbox and inbox tables every service has in its own database."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    return datetime.now(UTC)


class OutboxMessage(SQLModel, table=True):
    """An event waiting to be published (sent_at is null) or already acknowledged by the broker."""

    __tablename__ = "kmb_outbox"

    id: int | None = Field(default=None, primary_key=True)
    event_id: str = Field(max_length=64, unique=True)
    event_type: str = Field(max_length=200)
    topic: str = Field(max_length=255)
    key: str = Field(max_length=200)
    source: str = Field(max_length=200)
    payload: str = Field(sa_column=sa.Column(sa.Text, nullable=False))
    traceparent: str | None = Field(default=None, max_length=100)
    occurred_at: datetime = Field(sa_column=sa.Column(sa.DateTime(timezone=True), nullable=False))
    created_at: datetime = Field(
        default_factory=utcnow, sa_column=sa.Column(sa.DateTime(timezone=True), nullable=False)
    )
    sent_at: datetime | None = Field(
        default=None, sa_column=sa.Column(sa.DateTime(timezone=True), nullable=True, index=True)
    )


class InboxMessage(SQLModel, table=True):
    """An event this service has already applied: recorded in the same transaction as its effect."""

    __tablename__ = "kmb_inbox"

    consumer: str = Field(primary_key=True, max_length=100)
    event_id: str = Field(primary_key=True, max_length=64)
    event_type: str = Field(max_length=200)
    topic: str = Field(max_length=255)
    partition: int
    offset: int = Field(sa_column=sa.Column("offset", sa.BigInteger, nullable=False))
    processed_at: datetime = Field(
        default_factory=utcnow, sa_column=sa.Column(sa.DateTime(timezone=True), nullable=False)
    )


def create_messaging_tables(op: object) -> None:
    """Create the outbox and inbox tables from an Alembic migration (``op`` is alembic.op)."""
    op.create_table(  # type: ignore[attr-defined]
        "kmb_outbox",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("event_id", sa.String(64), nullable=False, unique=True),
        sa.Column("event_type", sa.String(200), nullable=False),
        sa.Column("topic", sa.String(255), nullable=False),
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("source", sa.String(200), nullable=False),
        sa.Column("payload", sa.Text, nullable=False),
        sa.Column("traceparent", sa.String(100), nullable=True),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_kmb_outbox_sent_at", "kmb_outbox", ["sent_at"])  # type: ignore[attr-defined]
    op.create_table(  # type: ignore[attr-defined]
        "kmb_inbox",
        sa.Column("consumer", sa.String(100), primary_key=True),
        sa.Column("event_id", sa.String(64), primary_key=True),
        sa.Column("event_type", sa.String(200), nullable=False),
        sa.Column("topic", sa.String(255), nullable=False),
        sa.Column("partition", sa.Integer, nullable=False),
        sa.Column("offset", sa.BigInteger, nullable=False),
        sa.Column("processed_at", sa.DateTime(timezone=True), nullable=False),
    )
