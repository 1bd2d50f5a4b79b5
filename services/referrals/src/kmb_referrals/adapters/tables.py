"""Referrals' tables."""

from __future__ import annotations

from datetime import UTC, date, datetime
from uuid import UUID, uuid4

import sqlalchemy as sa
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    return datetime.now(UTC)


class ReferralRow(SQLModel, table=True):
    __tablename__ = "referral"

    id: UUID = Field(default_factory=uuid4, primary_key=True)
    case_id: UUID = Field(index=True)
    partner: str = Field(max_length=40, index=True)
    kind: str = Field(max_length=40)
    status: str = Field(max_length=20, index=True)
    due_on: date | None = None
    made_at: datetime = Field(
        default_factory=utcnow, sa_column=sa.Column(sa.DateTime(timezone=True), nullable=False)
    )
