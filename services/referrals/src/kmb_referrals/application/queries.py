"""What the API and the pages read: partners, referrals (a case's, a partner's inbox, the alerts), the
consent facts of a case, and the catalogue entry a referral comes from."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from uuid import UUID

from kmb_shared.errors import NotFoundError

from ..adapters.catalogue_client import CatalogueEntry
from ..adapters.repository import ReferralFilter
from ..adapters.tables import CaseFactsRow, PartnerRow, ReferralRow
from ..domain import CaseFacts, ClientIdentity, ReferralKind, ReferralState
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
    "case_record",
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


async def alerts(store: ReferralStore, today: date) -> Sequence[ReferralRow]:
    """Referrals a partner declined after it had accepted them, not yet dismissed by a worker."""
    return await store.find_referrals(ReferralFilter(alerts_only=True), today)


async def inbox(
    store: ReferralStore, slug: str, status: ReferralState | None, today: date
) -> Sequence[ReferralRow]:
    """The partner's referrals, newest first (404 if the partner is not registered)."""
    await known_partner(store, slug)
    return await store.find_referrals(ReferralFilter(partner=slug, status=status), today)


async def referral_of_case(store: ReferralStore, case_id: UUID, referral_id: UUID) -> ReferralRow | None:
    """The referral if it belongs to the case."""
    row = await store.referral(referral_id)
    return row if row is not None and row.case_id == case_id else None


async def case_record(store: ReferralStore, case_id: UUID) -> CaseFactsRow | None:
    """What intake's events told of the case (its number, consented partners), if anything yet."""
    return await store.case_facts(case_id)


async def case_facts(
    store: ReferralStore, case_id: UUID, identity: ClientIdentity | None = None
) -> CaseFacts:
    """What is known of the case; a case not heard of yet has no consent and no legal basis."""
    row = await store.case_facts(case_id)
    if row is None:
        return CaseFacts(case_id=case_id, identity=identity)
    return CaseFacts(
        case_id=case_id,
        case_number=row.case_number,
        identity=identity,
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
