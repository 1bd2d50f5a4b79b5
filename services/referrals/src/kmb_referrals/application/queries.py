"""What the API and the pages read: partners, referrals (a case's, a partner's inbox, the alerts), the
consent facts of a case, and the catalogue entry a referral comes from."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from uuid import UUID

from kmb_shared.errors import NotFoundError

from ..adapters.catalogue_client import CatalogueEntry
from ..adapters.repository import ReferralFilter, owner
from ..adapters.tables import CaseFactsRow, PartnerRow, ReferralRow
from ..domain import CaseFacts, ReferralKind, ReferralState
from .deps import ReferralsDeps
from .ports import ReferralStore

__all__ = [
    "CaseFactsRow",
    "CatalogueEntry",
    "PartnerRow",
    "ReferralFilter",
    "ReferralRow",
    "alerts",
    "case_facts",
    "case_of",
    "catalogue_entry",
    "inbox",
    "known_partner",
    "partner",
    "partners",
    "partners_taking",
    "referral_of_case",
    "referrals",
]


async def partners(store: ReferralStore) -> Sequence[PartnerRow]:
    """Every registered partner, by slug."""
    return await store.partners()


async def partner(store: ReferralStore, slug: str) -> PartnerRow | None:
    """The partner, if it is registered."""
    return await store.partner(slug)


async def known_partner(store: ReferralStore, slug: str) -> PartnerRow:
    """The partner (404 if it is not registered)."""
    row = await store.partner(slug)
    if row is None:
        raise NotFoundError("Partner", "Partner")
    return row


async def partners_taking(store: ReferralStore, kind: ReferralKind) -> list[PartnerRow]:
    """The active partners that take referrals of ``kind``."""
    return [row for row in await store.partners() if row.active and kind.value in row.accepted_kinds]


async def referrals(store: ReferralStore, where: ReferralFilter, today: date) -> Sequence[ReferralRow]:
    """Newest first; ``overdue`` means still waiting for the partner's response after the due day."""
    return await store.find_referrals(where, today)


async def alerts(store: ReferralStore, today: date, organisation: str | None = None) -> Sequence[ReferralRow]:
    """Referrals a partner declined after it had accepted them, not yet dismissed by a worker (of the
    cases of ``organisation``)."""
    return await store.find_referrals(ReferralFilter(organisation=organisation, alerts_only=True), today)


async def inbox(
    store: ReferralStore, slug: str, status: ReferralState | None, today: date
) -> Sequence[ReferralRow]:
    """The partner's referrals, newest first (404 if the partner is not registered)."""
    await known_partner(store, slug)
    return await store.find_referrals(ReferralFilter(partner=slug, status=status), today)


async def referral_of_case(
    store: ReferralStore, case_id: UUID, referral_id: UUID, organisation: str
) -> ReferralRow | None:
    """The referral if it belongs to the case and the case to ``organisation``."""
    row = await store.referral(referral_id)
    if row is None or row.case_id != case_id:
        return None
    return row if owner(row, await store.case_facts(case_id)) == organisation else None


async def case_of(store: ReferralStore, case_id: UUID, organisation: str) -> CaseFactsRow | None:
    """What is known of the case, for a worker or auditor of ``organisation``: not found (404, as intake
    answers) when intake's events said the case is another organisation's; None while nothing is known
    (its referrals then belong to the organisation of the worker who made them)."""
    row = await store.case_facts(case_id)
    if row is not None and row.organisation is not None and row.organisation != organisation:
        raise NotFoundError("Případ", "Case")
    return row


async def case_facts(store: ReferralStore, case_id: UUID) -> CaseFacts:
    """What is known of the case; a case not heard of yet has no consent and no legal basis."""
    row = await store.case_facts(case_id)
    if row is None:
        return CaseFacts(case_id=case_id)
    return CaseFacts(
        case_id=case_id,
        case_number=row.case_number,
        consent_partners=frozenset(row.consent_partners),
        legal_basis=row.legal_basis,
        household_size=row.household_size,
        children=row.children,
        district=row.district,
        vulnerability_flags=tuple(row.vulnerability_flags),
    )


async def catalogue_entry(
    deps: ReferralsDeps, solution_id: UUID, credentials: Mapping[str, str] | None = None
) -> CatalogueEntry | None:
    """The referred catalogue entry (read with the caller's own sign-in), or None when unavailable."""
    return await deps.catalogue.entry(solution_id, credentials)
