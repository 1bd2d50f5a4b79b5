"""Events assessment consumes: intake's case events pre-fill pending assessments; referrals' binding
opinions are recorded on the case's latest assessment.

Deterministic, so a replay rebuilds the same rows: ids are ``uuid5(NAMESPACE_URL, event id)`` and
times come from ``occurred_at``. Events of one case arrive in order (one key, one partition); a
snapshot older than the one held never overwrites it, and an unknown case is simply started.

Each case belongs to one organisation, as in intake: its CaseOpened's actor's (the organisation that
opened it). Before CaseOpened is heard of, the first event heard of the case decides, and CaseOpened
then moves the case's rows to its organisation; a later event never moves the case, whoever its actor
(intake acts on a case only within its organisation; an event of the system actor, ``kmb``, must not
take a case away from its organisation). The organisation is kept on the case events, and on the
assessments and register entries of the case, so that only that organisation's workers and auditors
read them (see :func:`.commands.load_assessment`); a reassessment and the entry superseding the
earlier one stay in the case's organisation.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Mapping
from datetime import datetime
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from kmb_shared.contracts import (
    BindingOpinionIssued,
    CaseClosed,
    CaseOpened,
    CaseReopened,
    HouseholdChanged,
    HouseholdSnapshot,
    IntegrationEvent,
)

from ..adapters.tables import (
    AssessmentRow,
    AssessmentStatus,
    BindingOpinionRow,
    CaseEventKind,
    CaseEventRow,
    as_utc,
)
from .ports import AssessmentStore

#: a consumed event, the id of its envelope, and the store of the transaction it is handled in
EventHandler = Callable[[Any, str, AssessmentStore], Awaitable[None]]


def event_uuid(event_id: str) -> UUID:
    return uuid5(NAMESPACE_URL, event_id)


async def _record(
    store: AssessmentStore,
    event_id: str,
    event: CaseOpened | HouseholdChanged | CaseClosed | CaseReopened,
    kind: CaseEventKind,
) -> CaseEventRow:
    """Keep the event, with the case's organisation (the event's actor's only for a case not heard
    of before)."""
    household = getattr(event, "household", None)
    organisation = await store.case_organisation(event.case_id) or event.actor.organisation
    row = CaseEventRow(
        id=event_uuid(event_id),
        case_id=event.case_id,
        case_number=event.case_number,
        kind=kind.value,
        organisation=organisation,
        household=None if household is None else household.model_dump_json(),
        occurred_at=event.occurred_at,
    )
    store.add(row)
    return row


async def _open_pending(
    store: AssessmentStore, source: CaseEventRow, assessment_id: UUID, created_at: datetime
) -> None:
    assert source.household is not None
    store.add(
        AssessmentRow(
            id=assessment_id,
            case_id=source.case_id,
            case_number=source.case_number,
            organisation=source.organisation,
            status=AssessmentStatus.PENDING.value,
            household=source.household,
            household_at=source.occurred_at,
            created_at=created_at,
        )
    )
    await store.flush()
    await store.attach_unassigned_opinions(source.case_id, assessment_id)


def _answers_still_meant(survey: str | None, before: str, after: HouseholdSnapshot) -> str | None:
    """The saved survey with only the dependent-child answers (by member position) whose member is
    still the same one (same age band and relationship) in the new household: an answer is never
    carried over to another person; the survey asks again instead."""
    if survey is None:
        return None
    data = json.loads(survey)
    answers: dict[str, bool] = data.get("dependent_children") or {}
    if not answers:
        return survey
    old = HouseholdSnapshot.model_validate_json(before).members
    new = after.members

    def same(index: int) -> bool:
        return (
            index < len(old)
            and index < len(new)
            and (old[index].age_band, old[index].relationship)
            == (new[index].age_band, new[index].relationship)
        )

    kept = {key: value for key, value in answers.items() if same(int(key))}
    if kept == answers:
        return survey
    return json.dumps({**data, "dependent_children": kept}, ensure_ascii=False)


async def on_case_opened(event: CaseOpened, event_id: str, store: AssessmentStore) -> None:
    """Pre-fill a pending assessment from the case; a repeated CaseOpened of the case changes nothing."""
    if await store.case_was_opened(event.case_id):
        return
    known = await store.case_organisation(event.case_id)
    if known is not None and known != event.actor.organisation:
        # heard of before its opening, under the first event's organisation: CaseOpened's decides
        await store.assign_case_organisation(event.case_id, event.actor.organisation)
    source = await _record(store, event_id, event, CaseEventKind.OPENED)
    if await store.pending_for_case(event.case_id) is None:
        await _open_pending(store, source, event_uuid(event_id), event.occurred_at)


async def on_household_changed(event: HouseholdChanged, event_id: str, store: AssessmentStore) -> None:
    """Update the pending assessment's household, or open a new pending one (reassessment) when the
    last was submitted; submitted assessments keep the household they were assessed on."""
    latest = await store.latest_case_household(event.case_id)
    source = await _record(store, event_id, event, CaseEventKind.HOUSEHOLD_CHANGED)
    if latest is not None and as_utc(latest.occurred_at) > as_utc(event.occurred_at):
        return  # an older snapshot than the one held
    pending = await store.pending_for_case(event.case_id)
    if pending is not None:
        pending.survey = _answers_still_meant(pending.survey, pending.household, event.household)
        pending.household = event.household.model_dump_json()
        pending.household_at = event.occurred_at
        store.add(pending)
    elif not await store.case_is_closed(event.case_id):
        await _open_pending(store, source, event_uuid(event_id), event.occurred_at)


async def on_case_closed(event: CaseClosed, event_id: str, store: AssessmentStore) -> None:
    """A closed case needs no assessment: its pending ones are cancelled."""
    await _record(store, event_id, event, CaseEventKind.CLOSED)
    await store.cancel_pending(event.case_id, event.occurred_at)


async def on_case_reopened(event: CaseReopened, event_id: str, store: AssessmentStore) -> None:
    """A reopened case gets a pending assessment again, from its latest household."""
    await _record(store, event_id, event, CaseEventKind.REOPENED)
    household = await store.latest_case_household(event.case_id)
    if household is not None and await store.pending_for_case(event.case_id) is None:
        await _open_pending(store, household, event_uuid(event_id), event.occurred_at)


async def on_binding_opinion_issued(
    event: BindingOpinionIssued, event_id: str, store: AssessmentStore
) -> None:
    """Record the labour office's binding opinion (§18) on the case's latest assessment (and so on
    its register entry); before the case has one, it waits for the first."""
    latest = await store.latest_assessment(event.case_id)
    store.add(
        BindingOpinionRow(
            id=event_uuid(event_id),
            case_id=event.case_id,
            referral_id=event.referral_id,
            partner=event.partner,
            positive=event.positive,
            justified_housing_costs=event.justified_housing_costs,
            estimated_benefit=event.estimated_benefit,
            issued_at=event.occurred_at,
            assessment_id=None if latest is None else latest.id,
        )
    )


#: the handler of each consumed event type
HANDLERS: Mapping[type[IntegrationEvent], EventHandler] = {
    CaseOpened: on_case_opened,
    HouseholdChanged: on_household_changed,
    CaseClosed: on_case_closed,
    CaseReopened: on_case_reopened,
    BindingOpinionIssued: on_binding_opinion_issued,
}
