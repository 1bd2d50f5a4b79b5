"""Events of the intake context (contacts, cases, households). No direct identifiers here:
members appear as age band, relationship and flags; the address as district and ORP code;
money as monthly totals in whole CZK."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from pydantic import Field

from .base import CaseEvent, Contract, IntegrationEvent
from .registry import event


class MemberSnapshot(Contract):
    age_band: str = Field(description="Age band code: 0-5, 6-14, 15-17, 18-25, 26-64, 65+")
    relationship: str = Field(description="Relationship to the applicant (code)")
    sex: str | None = None
    dependent: bool = Field(default=False, description="Dependent child (for the subsistence minimum)")
    flags: tuple[str, ...] = Field(default=(), description="Vulnerability flags of this member (codes)")
    dependent_child: bool | None = Field(
        default=None,
        description=(
            "For a member aged 15-25 (age bands 15-17, 18-25): True = studies, or cannot study for"
            " illness (a dependent child, nezaopatřené dítě), False = does not (a further person 15+),"
            " None = not established; always None for other ages and in events from before this field"
        ),
    )


class DwellingSnapshot(Contract):
    kind: str = Field(description="Dwelling kind code (flat, house, commercial_hostel, street, ...)")
    legal_title: str = Field(description="Legal title code (lease, sublease, lodging, ownership, none)")
    size_m2: float | None = Field(default=None, ge=0)
    rooms: int | None = Field(default=None, ge=0)


class HouseholdSnapshot(Contract):
    """The de-identified picture of a household that other services may know."""

    members: tuple[MemberSnapshot, ...]
    district: str | None = Field(default=None, description="Municipal district (městská část / obec)")
    orp_code: str | None = Field(default=None, description="ORP code (obec s rozšířenou působností)")
    dwelling: DwellingSnapshot | None = None
    income_monthly: int = Field(default=0, ge=0, description="Net monthly income of all members, CZK")
    income_by_source: dict[str, int] = Field(default_factory=dict, description="Monthly totals per source")
    rent_monthly: int = Field(default=0, ge=0)
    services_monthly: int = Field(default=0, ge=0)
    energy_monthly: int = Field(default=0, ge=0)
    debts_total: int = Field(default=0, ge=0)
    eviction_date: date | None = None
    notice_date: date | None = None
    vulnerability_flags: tuple[str, ...] = Field(default=(), description="Household-level flags (codes)")
    consent_partners: tuple[str, ...] = Field(
        default=(), description="Partner slugs to which identifying data may be passed (consent recorded)"
    )
    legal_basis: str | None = Field(default=None, description="Legal basis used instead of consent, if any")


@event("kmb.intake.case_opened.v1")
class CaseOpened(CaseEvent):
    case_number: str = Field(description="Human-readable number KMB-<year>-<5 digits>")
    household: HouseholdSnapshot
    contact_id: UUID | None = Field(default=None, description="The contact at which the case was opened")


@event("kmb.intake.household_changed.v1")
class HouseholdChanged(CaseEvent):
    case_number: str
    household: HouseholdSnapshot


@event("kmb.intake.case_closed.v1")
class CaseClosed(CaseEvent):
    case_number: str
    reason: str = Field(description="housed_adequately, resolved_itself, moved_away, lost_contact, ...")


@event("kmb.intake.case_reopened.v1")
class CaseReopened(CaseEvent):
    case_number: str


@event("kmb.intake.personal_data_erased.v1")
class PersonalDataErased(CaseEvent):
    """Intake erased the personal data of a case (or of one member of it): every service drops what it
    keeps of them and confirms it by handling this event. No personal data here, not even the
    administrator's reason: only its code."""

    case_number: str
    erased_at: datetime
    reason: str = Field(description="Code from kmb_shared.contracts.vocabulary.ERASURE_REASONS")
    member_position: int | None = Field(
        default=None, ge=0, description="The member erased (position in the household); None: the whole case"
    )


@event("kmb.intake.application_submitted.v1")
class ApplicationSubmitted(CaseEvent):
    """The worker recorded that an application prepared at the contact point was submitted. Only codes
    and dates: not the form's values, not the office's name as typed, not the worker's note."""

    application_id: UUID
    kind: str = Field(description="The application kind's code (the contact point's kinds)")
    group: str = Field(description="Its group, a code of kmb_shared.contracts.vocabulary.APPLICATION_GROUPS")
    submitted_on: date
    channel: str = Field(description="How it was submitted: in_person, post, data_box, email, online")
    answer_due: date | None = Field(default=None, description="When the office's answer is due")


@event("kmb.intake.application_decided.v1")
class ApplicationDecided(CaseEvent):
    """The office's answer to a submitted application, as recorded by the worker (no note here)."""

    application_id: UUID
    kind: str
    group: str = Field(description="A code of APPLICATION_GROUPS")
    outcome: str = Field(description="granted, refused or returned (APPLICATION_OUTCOMES)")
    decided_on: date
    submitted_on: date | None = Field(default=None, description="When it was submitted (days to decision)")


@event("kmb.intake.contact_recorded.v1")
class ContactRecorded(IntegrationEvent):
    subject_field = "contact_id"

    contact_id: UUID
    case_id: UUID | None = None
    channel: str
    contact_date: date
    topics: tuple[str, ...]
    duration_minutes: int = Field(ge=0)
    anonymous: bool = False
