"""The consent facts of cases: written from intake's events, read when a referral is made."""

from __future__ import annotations

from uuid import UUID

from sqlmodel.ext.asyncio.session import AsyncSession

from kmb_shared.contracts import CaseOpened, HouseholdChanged

from ..domain import CaseFacts, ClientIdentity
from .tables import CaseFactsRow, aware

#: Age bands of intake's member snapshots that are children (under 18).
CHILD_BANDS = frozenset({"0-5", "6-14", "15-17"})


async def record_case_facts(session: AsyncSession, event: CaseOpened | HouseholdChanged) -> None:
    """Upsert the case's row from the event; an event older than the row's is ignored (replays agree)."""
    row = await session.get(CaseFactsRow, event.case_id)
    if row is not None and aware(row.updated_at) > event.occurred_at:
        return
    if row is None:
        row = CaseFactsRow(
            case_id=event.case_id,
            case_number=event.case_number,
            consent_partners=[],
            vulnerability_flags=[],
            updated_at=event.occurred_at,
        )
    household = event.household
    row.case_number = event.case_number
    row.consent_partners = sorted(set(household.consent_partners))
    row.legal_basis = (household.legal_basis or "").strip() or None
    row.household_size = len(household.members)
    row.children = sum(1 for m in household.members if m.age_band in CHILD_BANDS)
    row.district = household.district
    flags = set(household.vulnerability_flags) | {f for m in household.members for f in m.flags}
    row.vulnerability_flags = sorted(flags)
    row.updated_at = event.occurred_at
    session.add(row)


async def load_case_facts(
    session: AsyncSession, case_id: UUID, identity: ClientIdentity | None = None
) -> CaseFacts:
    """What is known of the case; a case not heard of yet has no consent and no legal basis."""
    row = await session.get(CaseFactsRow, case_id)
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
