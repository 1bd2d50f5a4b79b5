"""The outbox and inbox tables every service has in its own database, defined once: the models here,
from which the services' first migration creates them (:func:`create_messaging_tables`)."""

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


MESSAGING_TABLES: tuple[type[SQLModel], ...] = (OutboxMessage, InboxMessage)


def create_messaging_tables(op: object) -> None:
    """Create the outbox and inbox tables from an Alembic migration (``op`` is alembic.op).

    The models above are the one definition: the tables (columns, unique constraint, index) are created
    from their SQLModel metadata. So a later change to these models is not picked up by a database that
    already ran its first migration: it needs a migration of its own in every service.
    """
    bind = op.get_bind()  # type: ignore[attr-defined]
    for model in MESSAGING_TABLES:
        table: sa.Table = model.__table__  # type: ignore[attr-defined]
        table.create(bind)
