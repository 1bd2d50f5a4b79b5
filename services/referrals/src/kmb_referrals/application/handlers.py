"""Events referrals consumes: intake's case facts: the case's organisation (for scoping), consent and
legal basis (for data minimisation), and whether the case is closed (no new referrals)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from kmb_shared.clock import as_utc
from kmb_shared.contracts import CaseClosed, CaseOpened, CaseReopened, HouseholdChanged, IntegrationEvent

from ..adapters.tables import CaseFactsRow
from .ports import ReferralStore

#: Age bands of intake's member snapshots that are children (under 18).
CHILD_BANDS = frozenset({"0-5", "6-14", "15-17"})

#: an event handler of the application: the event, the store of the consumer's transaction
EventHandler = Callable[[Any, ReferralStore], Awaitable[None]]


async def on_case_facts(event: CaseOpened | HouseholdChanged, store: ReferralStore) -> None:
    """Keep the case's organisation and who may learn the household's identity: consented partners and
    the legal basis.

    Upserts the case's row from the event; an event older than the row's is ignored (replays agree),
    except that CaseOpened always says the case's organisation: its actor's. A HouseholdChanged that
    comes first says it meanwhile (only the case's own workers change it in intake)."""
    row = await store.case_facts(event.case_id)
    if row is not None and as_utc(row.updated_at) > event.occurred_at:
        if isinstance(event, CaseOpened) and row.organisation != event.actor.organisation:
            row.organisation = event.actor.organisation
            store.add(row)
        return
    if row is None:
        row = CaseFactsRow(
            case_id=event.case_id,
            case_number=event.case_number,
            consent_partners=[],
            vulnerability_flags=[],
            updated_at=event.occurred_at,
        )
    if isinstance(event, CaseOpened) or row.organisation is None:
        row.organisation = event.actor.organisation
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
    store.add(row)


async def on_case_state(event: CaseClosed | CaseReopened, store: ReferralStore) -> None:
    """Keep whether the case is closed (no new referrals then). An event older than the row's is ignored
    (replays agree); a case not heard of yet gets a row of its own (its organisation: the actor's)."""
    row = await store.case_facts(event.case_id)
    if row is not None and as_utc(row.updated_at) > event.occurred_at:
        return
    if row is None:
        row = CaseFactsRow(
            case_id=event.case_id,
            case_number=event.case_number,
            organisation=event.actor.organisation,
            consent_partners=[],
            vulnerability_flags=[],
            updated_at=event.occurred_at,
        )
    row.closed = isinstance(event, CaseClosed)
    row.updated_at = event.occurred_at
    store.add(row)


HANDLERS: Mapping[type[IntegrationEvent], EventHandler] = {
    CaseOpened: on_case_facts,
    HouseholdChanged: on_case_facts,
    CaseClosed: on_case_state,
    CaseReopened: on_case_state,
}
