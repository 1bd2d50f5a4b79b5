"""Stats' tables: every consumed event as it came (the one read model) and the reports issued from them.

``stats_event`` is written only by the consumer, one row per event id, in the transaction of the inbox
row; everything the service shows is derived from it. ``stats_report`` holds issued reports: they are
answers to requests (who asked, when), not a projection, so a replay leaves them alone.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    return datetime.now(UTC)


class StatsEvent(SQLModel, table=True):
    """One consumed event: its envelope, where it was read, and its (upcast) contract data."""

    __tablename__ = "stats_event"

    seq: int | None = Field(default=None, primary_key=True, description="Order of storing")
    event_id: str = Field(max_length=64, unique=True, description="CloudEvents id")
    event_type: str = Field(max_length=200, description="Type string of the contract the payload follows")
    source: str = Field(max_length=200, description="CloudEvents source, e.g. /kmb/intake")
    topic: str = Field(max_length=255)
    partition: int
    offset: int = Field(sa_column=sa.Column("offset", sa.BigInteger, nullable=False))
    occurred_at: datetime = Field(
        sa_column=sa.Column(sa.DateTime(timezone=True), nullable=False, index=True),
        description="Event time (the contract's occurred_at), stored in UTC",
    )
    case_id: str | None = Field(default=None, max_length=36, index=True)
    traceparent: str | None = Field(default=None, max_length=100)
    actor_user: str = Field(max_length=100)
    actor_org: str = Field(max_length=100)
    payload: dict[str, Any] = Field(sa_column=sa.Column(sa.JSON, nullable=False))


class IssuedReport(SQLModel, table=True):
    """A report as issued: both renderings, the digest and the topic offsets it was computed from.

    ``content`` is the unsuppressed report (internal use only); ``published`` the suppressed one that
    every download and the printable page show. Both were computed from the same events at issue time,
    so an issued report never changes, even when late events dated inside its period arrive.
    """

    __tablename__ = "stats_report"

    id: str = Field(primary_key=True, max_length=36)
    period: str = Field(max_length=10, description="2026-03, 2026-Q1 or 2026")
    district: str | None = Field(default=None, max_length=100)
    issued_at: datetime = Field(
        default_factory=utcnow, sa_column=sa.Column(sa.DateTime(timezone=True), nullable=False, index=True)
    )
    issued_by: str = Field(max_length=100)
    issued_org: str = Field(max_length=100)
    cutoff: datetime = Field(
        sa_column=sa.Column(sa.DateTime(timezone=True), nullable=False),
        description="Events with occurred_at before this moment (UTC) were used",
    )
    events: int = Field(description="Number of stored events used")
    digest: str = Field(max_length=64, description="Digest of the projection the report was built from")
    offsets: list[dict[str, Any]] = Field(
        sa_column=sa.Column(sa.JSON, nullable=False),
        description="[{topic, partition, offset}]: the greatest offset used per topic partition",
    )
    content: dict[str, Any] = Field(sa_column=sa.Column(sa.JSON, nullable=False))
    published: dict[str, Any] = Field(sa_column=sa.Column(sa.JSON, nullable=False))
