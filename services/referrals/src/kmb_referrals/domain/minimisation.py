"""Data minimisation for partner topics: what a partner may learn about a referred household.

No partner message carries personal data (issue 14): names, contacts, birth dates, addresses, the case
number and the worker's free-text note never go on Kafka, where they could not be erased. A message
(``kmb.partner.referral.v3``) says what happened: a per-partner pseudonym of the case, the kind, the
state, the deadline, the de-identified household summary, whether the partner may identify the household
(``identified``), the legal basis only as a code (``legal_basis``: ``consent`` or a code of the
``legal_basis`` vocabulary; a basis the worker wrote in words is not sent) and where to fetch the details
(``details``). The worker's name, phone and e-mail and the legal basis in words are no personal data of
the household but the worker's, and free text: they are told over the partner API (:class:`PartnerDetails`,
``worker`` and ``disclosure_basis``), not on the log, which cannot be erased.

Identifying data (name, contact, and where the kind of referral needs it the address or birth date)
goes to a partner only when the case's consent names that partner or a legal basis is recorded, and
only over the partner API at the moment it asks (:func:`partner_details`; intake logs the view).
Without either, the partner must reach the household through the worker. The case number identifies
the case in intake and is the same for every partner (it would link a household across partners), so
it travels only with the details, as the worker's note does (free text may name the household).

The earlier versions of the message (``kmb.partner.referral.v1``, :class:`PartnerMessageV1`, with the
identity inside; ``kmb.partner.referral.v2``, :class:`PartnerMessageV2`, with the worker's contact and the
basis in words) are no longer written; they stay described so that old messages can still be read.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import date
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from kmb_shared.contracts.vocabulary import LEGAL_BASES

from .errors import ReferralInvalid
from .kinds import ReferralKind, kind_label
from .partners import partner_topic
from .referral import Referral, ReferralState, state_label

PARTNER_MESSAGE_TYPE = "kmb.partner.referral.v3"
#: the second version, with the worker's contact and the basis in words: still readable, no longer written
PARTNER_MESSAGE_TYPE_V2 = "kmb.partner.referral.v2"
#: the first version, with the identity inside: still readable, no longer written
PARTNER_MESSAGE_TYPE_V1 = "kmb.partner.referral.v1"

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


class _PartnerReferral(_Frozen):
    """What every version of the partner message says of one referral."""

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
    identified: bool = Field(
        description="The partner may learn who the household is (consent or legal basis)"
    )
    household: HouseholdSummary


class PartnerMessage(_PartnerReferral):
    """The payload published on ``kmb.partner.<slug>.v1`` for one referral: no personal data, no worker's
    contact, no free text."""

    message_type: str = PARTNER_MESSAGE_TYPE
    state: ReferralState = ReferralState.MADE
    state_label: str = state_label(ReferralState.MADE)
    legal_basis: str | None = Field(
        default=None,
        description="Why the partner may identify the household, as a code: 'consent' or a code of the "
        "legal_basis vocabulary; None without a basis or when the basis is written in words (see details)",
    )
    legal_basis_label: str | None = Field(default=None, description="The Czech label of legal_basis")
    details: str = Field(
        description="Path of the referral on the partner API (the worker's contact, the basis in words and, "
        "where allowed, the client)"
    )


class _WorkerInside(_PartnerReferral):
    """The earlier versions: the worker's contact and the basis as written inside."""

    disclosure_basis: str | None = Field(default=None, description="'consent' or the legal basis used")
    worker: WorkerContact


class PartnerMessageV2(_WorkerInside):
    """The second version (the worker's contact and the basis in words inside); only read, never written."""

    message_type: str = PARTNER_MESSAGE_TYPE_V2
    details: str = Field(
        description="Path of the referral on the partner API (with the client where allowed)"
    )


class PartnerMessageV1(_WorkerInside):
    """The first version of the partner message (identity inside when allowed); only read, never written."""

    message_type: str = PARTNER_MESSAGE_TYPE_V1
    client: ClientIdentity | None = Field(default=None, description="Only with consent or legal basis")
    case_number: str | None = Field(default=None, description="Only with consent or legal basis")
    note: str | None = Field(default=None, description="The worker's note; only with consent or legal basis")


class PartnerDetails(_Frozen):
    """What the partner API tells the referral's partner at the moment it asks: the worker to reach the
    household through and the basis as recorded; the client only where consent or a legal basis allows,
    cut down to what the kind of referral needs."""

    referral_id: UUID
    identified: bool
    disclosure_basis: str | None = Field(default=None, description="'consent' or the legal basis as recorded")
    worker: WorkerContact | None = Field(default=None, description="The contact-point worker of the referral")
    client: ClientIdentity | None = None
    case_number: str | None = None
    note: str | None = None
    decline_note: str | None = Field(default=None, description="The note of the decline, if any")
    outcome_note: str | None = Field(default=None, description="The note of the outcome (or opinion)")
    cancel_note: str | None = Field(default=None, description="The note of the cancellation, if any")

    def basis_text(self) -> str | None:
        """The basis as a page shows it: a code's Czech label, a basis in words as written."""
        return basis_label(basis_code(self.disclosure_basis)) or self.disclosure_basis


class StepNotes(_Frozen):
    """The free-text notes written with a referral's steps (never on Kafka: they may name the household)."""

    decline_note: str | None = None
    outcome_note: str | None = None
    cancel_note: str | None = None


def _clean(text: str | None) -> str | None:
    return text.strip() if text and text.strip() else None


def details_path(partner: str, referral_id: UUID) -> str:
    return f"/api/partner/{partner}/referrals/{referral_id}"


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


def basis_code(basis: str | None) -> str | None:
    """The basis as it may go on the log: ``consent`` or a code of the legal-basis vocabulary; a basis
    written in words (it may say anything) is None (the partner reads it in the details)."""
    if basis == "consent" or (basis is not None and LEGAL_BASES.knows(basis)):
        return basis
    return None


def basis_label(code: str | None) -> str | None:
    """ "souhlas domácnosti" or the vocabulary's label of a legal-basis code; None for None."""
    if code is None:
        return None
    return "souhlas domácnosti" if code == "consent" else LEGAL_BASES.label(code)


def _identity_for(kind: ReferralKind, identity: ClientIdentity) -> ClientIdentity:
    return ClientIdentity(
        full_name=identity.full_name,
        phone=identity.phone,
        email=identity.email,
        address=identity.address if kind in _ADDRESS_KINDS else None,
        birth_date=identity.birth_date if kind in _BIRTH_DATE_KINDS else None,
    )


def build_partner_message(referral: Referral, facts: CaseFacts, pseudonym_key: bytes) -> PartnerMessage:
    """The partner-shaped message for ``referral``: never the identity, the case number, a note, the
    worker's contact or a basis in words.

    ``identified`` says whether consent or a legal basis lets the partner fetch who the household is.
    """
    if referral.case_id != facts.case_id:
        raise ReferralInvalid("Údaje o případu nepatří k tomuto předání.")
    basis = disclosure_basis(referral, facts)
    identified = basis is not None
    code = basis_code(basis)
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
        legal_basis=code,
        legal_basis_label=basis_label(code),
        household=HouseholdSummary(
            household_size=facts.household_size,
            children=facts.children,
            need_level=facts.need_level,
            ethos_category=facts.ethos_category,
            district=facts.district,
            vulnerability_flags=facts.vulnerability_flags if identified else (),
        ),
        details=details_path(referral.partner, referral.id),
    )


def partner_details(
    referral_id: UUID,
    kind: ReferralKind,
    basis: str | None,
    identity: ClientIdentity | None,
    case_number: str | None = None,
    note: str | None = None,
    steps: StepNotes | None = None,
    worker: WorkerContact | None = None,
) -> PartnerDetails:
    """The details of one referral for its partner: the ``worker`` to reach the household through
    (always); with a basis and the identity (from intake at the time of asking) the basis as recorded,
    the client as the kind needs it, the case number, the worker's note and the notes of the steps (which
    the status updates only announce); else none of those."""
    if basis is None or identity is None:
        return PartnerDetails(referral_id=referral_id, identified=False, worker=worker)
    return PartnerDetails(
        referral_id=referral_id,
        identified=True,
        worker=worker,
        disclosure_basis=basis,
        client=_identity_for(kind, identity),
        case_number=case_number,
        note=_clean(note),
        decline_note=_clean(steps.decline_note) if steps else None,
        outcome_note=_clean(steps.outcome_note) if steps else None,
        cancel_note=_clean(steps.cancel_note) if steps else None,
    )
