"""Data minimisation for partner topics: what a partner may learn about a referred household.

Identifying data (name, contact, and where the kind of referral needs it the address or birth date)
goes to a partner only when the case's consent names that partner or a legal basis is recorded. Without
either, the partner gets a pseudonymous reference, the de-identified household summary and the
worker's contact, and must reach the household through the worker.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import date
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from .errors import ReferralInvalid
from .kinds import ReferralKind, kind_label
from .partners import partner_topic
from .referral import Referral

PARTNER_MESSAGE_TYPE = "kmb.partner.referral.v1"

_ADDRESS_KINDS = frozenset(
    {
        ReferralKind.SOCIAL_WORK,
        ReferralKind.HOUSING_ASSISTANCE,
        ReferralKind.BINDING_OPINION,
        ReferralKind.BENEFIT_CLAIM,
        ReferralKind.MUNICIPAL_FLAT_APPLICATION,
    }
)
_BIRTH_DATE_KINDS = frozenset(
    {ReferralKind.BINDING_OPINION, ReferralKind.BENEFIT_CLAIM, ReferralKind.MUNICIPAL_FLAT_APPLICATION}
)


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ClientIdentity(_Frozen):
    """Direct identifiers of the applicant, as held by intake."""

    full_name: str
    phone: str | None = None
    email: str | None = None
    address: str | None = None
    birth_date: date | None = None


class CaseFacts(_Frozen):
    """What the referrals service knows about the case when it builds a partner message."""

    case_id: UUID
    case_number: str | None = None
    identity: ClientIdentity | None = Field(
        default=None, description="None when not fetched (no basis for it) or the source was unreachable"
    )
    consent_partners: frozenset[str] = Field(default=frozenset(), description="Partner slugs consented to")
    legal_basis: str | None = Field(default=None, description="Case-level legal basis instead of consent")
    household_size: int = Field(default=1, ge=0)
    children: int = Field(default=0, ge=0)
    need_level: str | None = None
    ethos_category: int | None = Field(default=None, ge=1, le=13)
    district: str | None = None
    vulnerability_flags: tuple[str, ...] = ()


class WorkerContact(_Frozen):
    """The contact-point worker through whom a partner reaches a household it may not identify."""

    name: str
    organisation: str
    phone: str | None = None
    email: str | None = None


class HouseholdSummary(_Frozen):
    household_size: int
    children: int
    need_level: str | None = None
    ethos_category: int | None = None
    district: str | None = None
    vulnerability_flags: tuple[str, ...] = Field(default=(), description="Only when identified")


class PartnerMessage(_Frozen):
    """The payload published on ``kmb.partner.<slug>.v1`` for one referral."""

    message_type: str = PARTNER_MESSAGE_TYPE
    topic: str
    referral_id: UUID
    partner: str
    kind: ReferralKind
    kind_label: str
    made_on: date
    due_on: date | None
    solution_id: UUID | None = None
    conference_id: UUID | None = None
    case_reference: str = Field(description="Pseudonym of the case, stable per partner")
    identified: bool
    disclosure_basis: str | None = Field(default=None, description="'consent' or the legal basis used")
    client: ClientIdentity | None = Field(default=None, description="Only with consent or legal basis")
    case_number: str | None = Field(default=None, description="Only with consent or legal basis")
    household: HouseholdSummary
    worker: WorkerContact
    note: str | None = Field(default=None, description="The worker's note; only with consent or legal basis")


def pseudonymous_reference(case_id: UUID, partner: str, key: bytes) -> str:
    """A reference stable for one case and one partner that cannot be linked across partners
    or back to the case without ``key`` (keyed HMAC-SHA256)."""
    if len(key) < 16:
        raise ValueError("the pseudonym key must have at least 16 bytes")
    digest = hmac.new(key, f"{partner}:{case_id}".encode(), hashlib.sha256).hexdigest()
    return f"P-{digest[:16].upper()}"


def disclosure_basis(referral: Referral, facts: CaseFacts) -> str | None:
    """Why identifying data may go to the referral's partner, or None when it may not."""
    if referral.partner in facts.consent_partners:
        return "consent"
    for basis in (referral.legal_basis, facts.legal_basis):
        if basis and basis.strip():
            return basis.strip()
    return None


def _identity_for(kind: ReferralKind, identity: ClientIdentity) -> ClientIdentity:
    return ClientIdentity(
        full_name=identity.full_name,
        phone=identity.phone,
        email=identity.email,
        address=identity.address if kind in _ADDRESS_KINDS else None,
        birth_date=identity.birth_date if kind in _BIRTH_DATE_KINDS else None,
    )


def build_partner_message(
    referral: Referral,
    facts: CaseFacts,
    worker: WorkerContact,
    pseudonym_key: bytes,
    note: str | None = None,
) -> PartnerMessage:
    """The partner-shaped message for ``referral``, carrying identifiers only where allowed.

    Without a basis, or without the identity (e.g. its source was unreachable), the message is
    pseudonymous. A free-text ``note`` may identify the household, so it travels only with a basis.
    """
    if referral.case_id != facts.case_id:
        raise ReferralInvalid("Údaje o případu nepatří k tomuto předání.")
    basis = disclosure_basis(referral, facts) if facts.identity is not None else None
    identified = basis is not None
    return PartnerMessage(
        topic=partner_topic(referral.partner),
        referral_id=referral.id,
        partner=referral.partner,
        kind=referral.kind,
        kind_label=kind_label(referral.kind),
        made_on=referral.made_on,
        due_on=referral.due_on,
        solution_id=referral.solution_id,
        conference_id=referral.conference_id,
        case_reference=pseudonymous_reference(facts.case_id, referral.partner, pseudonym_key),
        identified=identified,
        disclosure_basis=basis,
        client=_identity_for(referral.kind, facts.identity) if identified and facts.identity else None,
        case_number=facts.case_number if identified else None,
        household=HouseholdSummary(
            household_size=facts.household_size,
            children=facts.children,
            need_level=facts.need_level,
            ethos_category=facts.ethos_category,
            district=facts.district,
            vulnerability_flags=facts.vulnerability_flags if identified else (),
        ),
        worker=worker,
        note=note.strip() if identified and note and note.strip() else None,
    )
