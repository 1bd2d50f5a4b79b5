"""The use cases on in-memory fakes: the consumed case events open, update and cancel pending
assessments; the worker's commands save the survey and submit it (with the events they stage); the
register's job marks entries due and expires them once."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

import pytest

from kmb_assessment.application import commands, handlers, queries
from kmb_assessment.application.context import CommandContext, InvalidSurvey
from kmb_assessment.application.jobs import CheckResult, check_register
from kmb_assessment.application.survey import Survey
from kmb_shared.clock import FixedClock
from kmb_shared.contracts import (
    BindingOpinionIssued,
    CaseClosed,
    CaseOpened,
    HouseholdChanged,
    HouseholdSnapshot,
    NeedAssessed,
    RegisteredInNeed,
    RegistrationExpired,
)
from kmb_shared.errors import ConflictError, NotFoundError

from .cases import ROUGH_SLEEPER, TODAY, WORKER, case_opened, household
from .fakes import FakeStore, FakeUnitOfWork


def ctx(today: date = TODAY) -> CommandContext:
    return CommandContext(actor=WORKER, now=datetime(2026, 9, 30, 10, 0, tzinfo=UTC), today=today)


async def _pending(store: FakeStore, event: CaseOpened) -> uuid.UUID:
    await handlers.on_case_opened(event, "evt-opened", store)
    pending = await store.pending_for_case(event.case_id)
    assert pending is not None
    return pending.id


async def test_case_opened_prefills_one_pending_assessment_and_a_repeat_changes_nothing() -> None:
    store, event = FakeStore(), case_opened()
    await handlers.on_case_opened(event, "evt-1", store)
    await handlers.on_case_opened(event, "evt-2", store)

    [row] = await store.assessments_of_case(event.case_id)
    assert (row.id, row.status, row.case_number) == (
        handlers.event_uuid("evt-1"),
        "pending",
        "KMB-2026-00001",
    )
    assert HouseholdSnapshot.model_validate_json(row.household) == event.household
    assert len(store.case_events) == 1


async def test_a_newer_household_updates_the_pending_assessment_an_older_one_does_not() -> None:
    store, event = FakeStore(), case_opened()
    pending_id = await _pending(store, event)
    newer = HouseholdChanged(
        case_id=event.case_id,
        case_number=event.case_number,
        household=household("Praha 8"),
        occurred_at=datetime(2026, 9, 2, tzinfo=UTC),
    )
    older = newer.model_copy(update={"household": household("Praha 1"), "occurred_at": event.occurred_at})
    await handlers.on_household_changed(newer, "evt-newer", store)
    await handlers.on_household_changed(older, "evt-older", store)

    row = store.assessments[pending_id]
    assert HouseholdSnapshot.model_validate_json(row.household).district == "Praha 8"


async def test_a_closed_case_cancels_its_pending_assessment_and_a_submission_is_then_refused() -> None:
    uow, event = FakeUnitOfWork(), case_opened()
    pending_id = await _pending(uow.store, event)
    closed = CaseClosed(case_id=event.case_id, case_number=event.case_number, reason="resolved")
    await handlers.on_case_closed(closed, "evt-closed", uow.store)

    assert uow.store.assessments[pending_id].status == "cancelled"
    with pytest.raises(ConflictError) as refused:
        await commands.save_survey(uow, pending_id, ROUGH_SLEEPER, ctx())
    assert refused.value.code == "assessment_cancelled"
    assert uow.staged == []


async def test_an_opinion_before_the_first_assessment_waits_for_it() -> None:
    store, event = FakeStore(), case_opened()
    opinion = BindingOpinionIssued(
        case_id=event.case_id,
        referral_id=uuid.uuid4(),
        partner="up-praha",
        kind="binding_opinion",
        positive=True,
    )
    await handlers.on_binding_opinion_issued(opinion, "evt-opinion", store)
    pending_id = await _pending(store, event)

    assert [row.partner for row in (await store.opinions_for([pending_id]))[pending_id]] == ["up-praha"]


async def test_saving_and_submitting_stages_need_assessed_and_registered_in_need_in_one_unit_of_work() -> (
    None
):
    uow, event = FakeUnitOfWork(), case_opened()
    pending_id = await _pending(uow.store, event)

    await commands.save_survey(uow, pending_id, ROUGH_SLEEPER, ctx())
    await commands.submit(uow, pending_id, ctx())

    [(assessed_id, assessed), (_, registered)] = uow.staged
    assert isinstance(assessed, NeedAssessed) and isinstance(registered, RegisteredInNeed)
    assert (assessed.assessment_id, assessed.ethos_category, assessed.actor) == (pending_id, 1, WORKER)
    assert registered.caused_by == assessed_id
    assert (registered.registered_on, registered.valid_until) == (TODAY, date(2027, 9, 30))
    shown = await queries.assessment(uow.store, pending_id, WORKER.organisation)
    assert shown.status == "submitted" and shown.registration is not None
    assert shown.survey is not None and shown.survey.surveyed_on == TODAY
    with pytest.raises(ConflictError) as again:
        await commands.submit(uow, pending_id, ctx())
    assert again.value.code == "already_submitted"


async def test_a_survey_dated_in_the_future_or_a_submission_without_survey_is_refused() -> None:
    uow, event = FakeUnitOfWork(), case_opened()
    pending_id = await _pending(uow.store, event)

    with pytest.raises(InvalidSurvey) as future:
        await commands.save_survey(uow, pending_id, Survey(surveyed_on=date(2026, 10, 1)), ctx())
    with pytest.raises(ConflictError) as missing:
        await commands.submit(uow, pending_id, ctx())
    with pytest.raises(NotFoundError):
        await commands.submit(uow, uuid.uuid4(), ctx())

    assert (future.value.field, future.value.code) == ("surveyed_on", "date_in_future")
    assert missing.value.code == "survey_missing"
    assert uow.staged == [] and uow.store.assessments[pending_id].survey is None


async def test_the_register_job_marks_an_entry_due_then_expires_it_once() -> None:
    uow, event = FakeUnitOfWork(), case_opened()
    pending_id = await _pending(uow.store, event)
    await commands.save_survey(uow, pending_id, ROUGH_SLEEPER, ctx())
    await commands.submit(uow, pending_id, ctx())
    await uow.commit()
    clock = FixedClock.on(TODAY)

    assert await check_register(uow, clock, date(2027, 7, 31)) == CheckResult(0, 0)
    assert await check_register(uow, clock, date(2027, 8, 1)) == CheckResult(marked_due=1)
    assert await check_register(uow, clock, date(2027, 10, 1)) == CheckResult(expired=1)
    assert await check_register(uow, clock, date(2027, 10, 2)) == CheckResult(0, 0)

    expired = [event for event in uow.committed if isinstance(event, RegistrationExpired)]
    assert [(e.assessment_id, e.expired_on) for e in expired] == [(pending_id, date(2027, 10, 1))]
    [entry] = uow.store.entries.values()
    assert (entry.status, entry.expired_on) == ("expired", date(2027, 10, 1))
