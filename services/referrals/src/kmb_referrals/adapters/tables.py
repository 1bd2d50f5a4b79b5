"""Referrals' tables: partner organisations, referrals, and the consent facts of cases.

``referrals_case`` is a read model built only from intake's events (deterministic, rebuilt by replay).
No names or contact details of clients are stored here: they are fetched from intake when a partner
may receive them, and only the partner topic carries them.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID, uuid4

import sqlalchemy as sa
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    return datetime.now(UTC)


def _moment(nullable: bool = False, index: bool = False) -> Any:
    return sa.Column(sa.DateTime(timezone=True), nullable=nullable, index=index)


class PartnerRow(SQLModel, table=True):
    """A partner organisation (the domain ``Partner``) and the topic it reads."""

    __tablename__ = "partner"

    slug: str = Field(primary_key=True, max_length=40)
    name: str = Field(max_length=200)
    kind: str = Field(max_length=40)
    contact: dict[str, Any] = Field(sa_column=sa.Column(sa.JSON, nullable=False))
    accepted_kinds: list[str] = Field(sa_column=sa.Column(sa.JSON, nullable=False))
    active: bool = True
    created_at: datetime = Field(default_factory=utcnow, sa_column=_moment())
    updated_at: datetime = Field(default_factory=utcnow, sa_column=_moment())


#: Guards concurrent changes: an UPDATE names the version it read and fails (StaleDataError) if it moved.
#: The domain sets the new value (each state change adds one), so SQLAlchemy does not generate it.
_REFERRAL_VERSION = sa.Column("version", sa.Integer, nullable=False)


class ReferralRow(SQLModel, table=True):
    """A referral: the domain ``Referral`` in columns, plus what was disclosed and what was raised."""

    __tablename__ = "referral"
    __mapper_args__ = {"version_id_col": _REFERRAL_VERSION, "version_id_generator": False}

    id: UUID = Field(default_factory=uuid4, primary_key=True)
    case_id: UUID = Field(index=True)
    partner: str = Field(max_length=40, index=True)
    kind: str = Field(max_length=40)
    status: str = Field(max_length=20, index=True)
    made_on: date
    due_on: date | None = None
    made_at: datetime = Field(default_factory=utcnow, sa_column=_moment())
    updated_at: datetime | None = Field(default=None, sa_column=_moment(nullable=True))
    made_by: str = Field(default="unknown", max_length=100)
    made_by_org: str = Field(default="kmb", max_length=100)
    solution_id: UUID | None = None
    conference_id: UUID | None = Field(default=None, index=True)
    legal_basis: str | None = Field(default=None, max_length=300)
    note: str | None = Field(default=None, sa_column=sa.Column(sa.Text, nullable=True))
    decline_reason: str | None = Field(default=None, max_length=40)
    decline_note: str | None = Field(default=None, sa_column=sa.Column(sa.Text, nullable=True))
    declined_after_acceptance: bool = False
    alert_dismissed_at: datetime | None = Field(default=None, sa_column=_moment(nullable=True))
    outcome: str | None = Field(default=None, max_length=40)
    outcome_note: str | None = Field(default=None, sa_column=sa.Column(sa.Text, nullable=True))
    cancel_reason: str | None = Field(default=None, sa_column=sa.Column(sa.Text, nullable=True))
    history: list[dict[str, Any]] = Field(sa_column=sa.Column(sa.JSON, nullable=False))
    version: int = Field(default=1, sa_column=_REFERRAL_VERSION)
    overdue_raised_at: datetime | None = Field(default=None, sa_column=_moment(nullable=True))
    identified: bool = False
    disclosure_basis: str | None = Field(default=None, max_length=300)
    disclosure_note: str | None = Field(default=None, max_length=300)
    partner_view: dict[str, Any] | None = Field(
        default=None,
        sa_column=sa.Column(sa.JSON, nullable=True),
        description="The partner message as sent, without the client's identity",
    )
    opinion_positive: bool | None = None
    opinion_housing_costs: int | None = None
    opinion_estimated_benefit: int | None = None


class CaseFactsRow(SQLModel, table=True):
    """What referrals knows of a case, from CaseOpened / HouseholdChanged / CaseClosed / CaseReopened
    only (no identifiers)."""

    __tablename__ = "referrals_case"

    case_id: UUID = Field(primary_key=True)
    case_number: str = Field(max_length=40)
    organisation: str | None = Field(
        default=None,
        max_length=100,
        index=True,
        description="The case's organisation (CaseOpened's actor); only its workers and auditors see the case",
    )
    consent_partners: list[str] = Field(sa_column=sa.Column(sa.JSON, nullable=False))
    legal_basis: str | None = Field(default=None, max_length=300)
    household_size: int = 0
    children: int = 0
    district: str | None = Field(default=None, max_length=100)
    vulnerability_flags: list[str] = Field(sa_column=sa.Column(sa.JSON, nullable=False))
    closed: bool = Field(
        default=False,
        sa_column=sa.Column(sa.Boolean, nullable=False, server_default=sa.false()),
        description="Closed in intake (CaseClosed, until CaseReopened): no new referrals",
    )
    updated_at: datetime = Field(sa_column=_moment(), description="Time of the event that wrote the row")


CASE_FACTS_COLUMNS = (
    "case_id",
    "case_number",
    "organisation",
    "consent_partners",
    "legal_basis",
    "household_size",
    "children",
    "district",
    "vulnerability_flags",
    "closed",
    "updated_at",
)
