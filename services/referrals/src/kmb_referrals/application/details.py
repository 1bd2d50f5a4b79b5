"""A referral's details for its partner, fetched when the partner asks (the partner API and its inbox
page): who the household is only where consent or a legal basis allows, from intake at that moment.

The partner's own credential is passed on to intake, which checks the consent it holds, takes the
legal basis recorded here on referrals' word (a signed grant) and writes the view to its log under the
partner's user and organisation. Referrals then cuts the identity down to what the kind of referral
needs (:func:`~kmb_referrals.domain.partner_details`).
"""

from __future__ import annotations

from collections.abc import Mapping
from uuid import UUID

from kmb_shared.contracts import Actor
from kmb_shared.errors import NotFoundError

from ..adapters.intake_client import IntakeUnavailable
from ..adapters.tables import ReferralRow
from ..domain import PartnerDetails, ReferralKind, StepNotes, WorkerContact, partner_details
from .deps import ReferralsDeps
from .ports import UnitOfWork


class DetailsUnavailable(Exception):
    """Intake could not be asked for the client's details (HTTP 503: try again later)."""

    code = "intake_unavailable"
    message_cs = "Údaje o klientovi teď nelze načíst z evidence kontaktního místa; zkuste to později."
    message_en = "The client's details cannot be fetched from intake now; try again later."


async def partner_referral(uow: UnitOfWork, slug: str, referral_id: UUID) -> ReferralRow:
    """The partner's own referral; another partner's, or none, is not found (404)."""
    row = await uow.store.referral(referral_id)
    if row is None or row.partner != slug:
        raise NotFoundError("Předání", "Referral")
    return row


async def referral_details(
    deps: ReferralsDeps, row: ReferralRow, actor: Actor, credentials: Mapping[str, str]
) -> PartnerDetails:
    """The details of ``row`` for the partner signed in with ``credentials`` (``actor``); raises
    :class:`DetailsUnavailable` when intake cannot be asked."""
    kind, basis = ReferralKind(row.kind), row.disclosure_basis
    worker = worker_of(row)
    if not row.identified or basis is None:
        return partner_details(row.id, kind, None, None, worker=worker)
    try:
        # the consent is intake's to check; a legal basis is recorded here and vouched for
        answer = await deps.intake.for_partner(
            row.case_id, actor, credentials, None if basis == "consent" else basis
        )
    except IntakeUnavailable as exc:
        raise DetailsUnavailable(str(exc)) from exc
    if answer is None:  # intake refused: e.g. the consent no longer names the partner
        return partner_details(row.id, kind, None, None, worker=worker)
    identity, number = answer
    steps = StepNotes(
        decline_note=row.decline_note, outcome_note=row.outcome_note, cancel_note=row.cancel_reason
    )
    return partner_details(
        row.id, kind, basis, identity, case_number=number, note=row.note, steps=steps, worker=worker
    )


def worker_of(row: ReferralRow) -> WorkerContact | None:
    """The worker the partner was given for ``row`` (kept beside the message since v3, inside it before)."""
    found = (row.partner_view or {}).get("worker")
    return WorkerContact.model_validate(found) if isinstance(found, dict) else None
