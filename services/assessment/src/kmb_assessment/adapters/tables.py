"""Assessment's tables.

- ``assessment_case_event``: intake's events about each case, one unchanging row per event (a read
  model: deterministic, rebuilt by replay).
- ``assessment``: one row per assessment; created pending from intake's events (pre-filled household),
  completed by the worker's survey and submission over HTTP. Reassessment adds rows; history stays.
- ``register_entry``: entries in the register of people in need (§17) with their validity (§23).
- ``binding_opinion``: binding opinions of the labour office (§18) received from referrals.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from enum import StrEnum
from uuid import UUID, uuid4

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from kmb_shared.clock import as_utc as as_utc  # stored times as aware UTC (SQLite gives them naive)


def utcnow() -> datetime:
    return datetime.now(UTC)


def time_column(*, nullable: bool) -> sa.Column[datetime]:
    """A moment with its time zone."""
    return sa.Column(sa.DateTime(timezone=True), nullable=nullable)


def text_column(*, nullable: bool) -> sa.Column[str]:
    """Text of any length."""
    return sa.Column(sa.Text, nullable=nullable)


class AssessmentStatus(StrEnum):
    PENDING = "pending"
    SUBMITTED = "submitted"
    CANCELLED = "cancelled"


class RegisterStatus(StrEnum):
    #: valid and not yet due for reassessment
    ACTIVE = "active"
    #: still valid, within the reassessment window before its last day
    DUE = "due"
    #: past its last day (RegistrationExpired emitted)
    EXPIRED = "expired"
    #: replaced by the entry of a later assessment of the same case
    SUPERSEDED = "superseded"


#: entries still in force (valid, possibly due for reassessment)
IN_FORCE = (RegisterStatus.ACTIVE.value, RegisterStatus.DUE.value)


class CaseEventKind(StrEnum):
    OPENED = "opened"
    HOUSEHOLD_CHANGED = "household_changed"
    CLOSED = "closed"
    REOPENED = "reopened"


#: the events that say whether a case is open (a household change does not)
LIFECYCLE_KINDS = (CaseEventKind.OPENED, CaseEventKind.CLOSED, CaseEventKind.REOPENED)


class CaseEventRow(SQLModel, table=True):
    """One consumed intake event about a case. Rows never change: the case's current household and
    whether it is open are the latest rows by event time."""

    __tablename__ = "assessment_case_event"

    #: uuid5 of the event id
    id: UUID = Field(primary_key=True)
    case_id: UUID = Field(index=True)
    case_number: str = Field(max_length=20)
    kind: str = Field(max_length=20, description="opened, household_changed, closed or reopened")
    #: the acting organisation of the event (intake acts only within the case's organisation, so
    #: this is the case's organisation; CaseOpened's actor decides it)
    organisation: str | None = Field(default=None, max_length=100)
    household: str | None = Field(
        default=None, sa_column=text_column(nullable=True), description="HouseholdSnapshot JSON"
    )
    occurred_at: datetime = Field(sa_column=time_column(nullable=False))


class AssessmentRow(SQLModel, table=True):
    __tablename__ = "assessment"

    #: uuid5 of the event that opened it (a redelivered or replayed event gives the same id)
    id: UUID = Field(default_factory=uuid4, primary_key=True)
    case_id: UUID = Field(index=True)
    case_number: str = Field(max_length=20)
    status: str = Field(max_length=20, index=True, description="pending, submitted or cancelled")
    household: str = Field(sa_column=text_column(nullable=False), description="HouseholdSnapshot JSON")
    #: event time of the household snapshot; frozen once submitted
    household_at: datetime | None = Field(default=None, sa_column=time_column(nullable=True))
    #: the survey (§16) as the worker last saved it (JSON), with who and when
    survey: str | None = Field(default=None, sa_column=text_column(nullable=True))
    survey_updated_at: datetime | None = Field(default=None, sa_column=time_column(nullable=True))
    survey_updated_by: str | None = Field(default=None, max_length=100)
    #: the full result with its explanation (JSON), once submitted
    result: str | None = Field(default=None, sa_column=text_column(nullable=True))
    assessed_on: date | None = None
    rule_set_version: str | None = Field(default=None, max_length=40)
    need_level: str | None = Field(default=None, max_length=20)
    ethos_category: int | None = None
    qualifies_for_register: bool | None = None
    priority_score: int | None = None
    submitted_by: str | None = Field(default=None, max_length=100)
    #: the case's organisation (from intake's events): only its workers and auditors see the row
    organisation: str | None = Field(default=None, max_length=100, index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_column=time_column(nullable=False))
    submitted_at: datetime | None = Field(default=None, sa_column=time_column(nullable=True))
    cancelled_at: datetime | None = Field(default=None, sa_column=time_column(nullable=True))


class RegisterEntryRow(SQLModel, table=True):
    __tablename__ = "register_entry"

    id: UUID = Field(default_factory=uuid4, primary_key=True)
    assessment_id: UUID = Field(unique=True)
    case_id: UUID = Field(index=True)
    case_number: str = Field(max_length=20)
    #: the case's organisation: the register lists only the caller's organisation's entries
    organisation: str | None = Field(default=None, max_length=100, index=True)
    registered_on: date
    #: the last day the entry is valid (§23)
    valid_until: date
    #: from this day on the entry is due for reassessment
    reassess_from: date
    status: str = Field(max_length=20, index=True)
    need_level: str = Field(max_length=20)
    ethos_category: int | None = None
    priority_score: int
    rule_set_version: str = Field(max_length=40)
    #: the first day the entry is no longer valid (set when it expired)
    expired_on: date | None = None
    #: id of the RegisteredInNeed event (the cause of RegistrationExpired)
    registered_event_id: str | None = Field(default=None, max_length=64)
    created_at: datetime = Field(default_factory=utcnow, sa_column=time_column(nullable=False))
    status_changed_at: datetime | None = Field(default=None, sa_column=time_column(nullable=True))


class BindingOpinionRow(SQLModel, table=True):
    """A binding opinion of the labour office (§18), as BindingOpinionIssued reported it."""

    __tablename__ = "binding_opinion"

    #: uuid5 of the event
    id: UUID = Field(primary_key=True)
    case_id: UUID = Field(index=True)
    referral_id: UUID
    partner: str = Field(max_length=100)
    positive: bool
    justified_housing_costs: int | None = None
    estimated_benefit: int | None = None
    issued_at: datetime = Field(sa_column=time_column(nullable=False))
    #: the case's latest assessment when the opinion arrived (None until the case has one)
    assessment_id: UUID | None = Field(default=None, index=True)
