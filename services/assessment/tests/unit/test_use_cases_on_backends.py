"""Assessment's use cases as one behavioural suite on three backends: the in-memory fake unit of work
(fast tier), and the SQL unit of work on SQLite and on PostgreSQL whose outbox is relayed to the real
Kafka broker (broker tier), where intake's case events go through the broker to the service's own
consumer (conftest's backend); the events asserted are the ones the fake committed or the ones that
arrived on assessment's topic.

Expected values by hand, from the rules: a pending assessment's id is ``uuid5(NAMESPACE_URL, id of the
event that opened it)`` (handlers' rule, so a replay rebuilds the same rows); a single adult living in
the street with no income is roofless (dwelling kind ``street``: ETHOS 1) and qualifies for the
register (in need, income 0 below the ceiling, §17); the survey of Wednesday 30 September 2026 falls
under rule set 2026.3 (effective 1 July 2026, superseding 2026.2), whose entry is valid 12 months
(§23: until 30 September 2027) and is flagged for reassessment 60 days before (from 1 August 2027).
A case belongs to the organisation of its CaseOpened: a later event never moves it, another
organisation's worker finds nothing (404) and changes nothing."""

from __future__ import annotations

from datetime import UTC, date, datetime
from uuid import NAMESPACE_URL, UUID, uuid5

import pytest

from kmb_assessment.adapters.register import RegisterQuery
from kmb_assessment.application import commands
from kmb_assessment.application.context import CommandContext
from kmb_shared.contracts import (
    Actor,
    CaseClosed,
    CaseOpened,
    CaseReopened,
    HouseholdChanged,
    HouseholdSnapshot,
)
from kmb_shared.errors import ConflictError, NotFoundError
from kmb_testkit.backends import type_names

from .cases import ROUGH_SLEEPER, TODAY, WORKER, case_opened, household
from .conftest import Backend

STRANGER = Actor(user_id="worker-9", organisation="kmb-brno")
SYSTEM = Actor(user_id="kmb", organisation="kmb")


def ctx(actor: Actor = WORKER) -> CommandContext:
    return CommandContext(actor=actor, now=datetime(2026, 9, 30, 10, 0, tzinfo=UTC), today=TODAY)


async def survey_and_submit(backend: Backend, assessment_id: UUID, actor: Actor = WORKER) -> None:
    await backend.save_survey(assessment_id, ROUGH_SLEEPER, ctx(actor))
    await backend.submit(assessment_id, ctx(actor))


async def open_case(backend: Backend) -> tuple[CaseOpened, UUID]:
    """A case opened in the worker's organisation, and the id of the assessment it starts."""
    event = case_opened()
    await backend.deliver(event, "evt-opened")
    return event, uuid5(NAMESPACE_URL, "evt-opened")


async def test_a_case_opened_starts_one_pending_assessment_and_a_repeat_changes_nothing(
    backend: Backend,
) -> None:
    event, pending_id = await open_case(backend)
    await backend.deliver(event, "evt-opened-again")

    [row] = await backend.assessments(event.case_id)
    assert (row.id, row.status, row.case_number, row.organisation) == (
        pending_id,
        "pending",
        "KMB-2026-00001",
        "kmb-praha7",
    )
    assert HouseholdSnapshot.model_validate_json(row.household) == household()
    assert await backend.events() == []  # a case event is heard of, nothing is told yet


async def test_submitting_a_rough_sleepers_survey_assesses_the_need_and_enters_the_register(
    backend: Backend,
) -> None:
    event, pending_id = await open_case(backend)

    await survey_and_submit(backend, pending_id)

    assessed, registered = await backend.events()
    assert type_names([assessed, registered]) == ["NeedAssessed", "RegisteredInNeed"]
    assert (assessed.case_id, assessed.assessment_id, assessed.actor) == (event.case_id, pending_id, WORKER)  # type: ignore[attr-defined]
    assert (assessed.need_level, assessed.ethos_category, assessed.rule_set_version) == (
        "roofless",
        1,
        "2026.3",
    )  # type: ignore[attr-defined]
    assert (registered.registered_on, registered.valid_until, registered.need_level) == (  # type: ignore[attr-defined]
        date(2026, 9, 30),
        date(2027, 9, 30),
        "roofless",
    )
    assert registered.caused_by is not None
    [row] = await backend.assessments(event.case_id)
    assert (row.status, row.need_level, row.qualifies_for_register) == ("submitted", "roofless", True)
    entry = (await backend.entries(pending_id))[pending_id]
    assert (entry.status, entry.valid_until, entry.reassess_from, entry.organisation) == (
        "active",
        date(2027, 9, 30),
        date(2027, 8, 1),
        "kmb-praha7",
    )

    with pytest.raises(ConflictError) as again:
        async with backend.open() as uow:
            await commands.submit(uow, pending_id, ctx())
    assert again.value.code == "already_submitted"
    assert len(await backend.events()) == 2


async def test_a_household_change_after_submission_opens_a_reassessment_that_supersedes_the_entry(
    backend: Backend,
) -> None:
    event, first_id = await open_case(backend)
    await survey_and_submit(backend, first_id)
    changed = HouseholdChanged(  # told by the system actor: the case stays its organisation's
        case_id=event.case_id,
        case_number=event.case_number,
        household=household("Praha 8"),
        occurred_at=datetime(2026, 9, 20, 9, 0, tzinfo=UTC),
        actor=SYSTEM,
    )

    await backend.deliver(changed, "evt-changed")

    first, second = await backend.assessments(event.case_id)
    assert (first.id, first.status) == (first_id, "submitted")
    assert HouseholdSnapshot.model_validate_json(first.household).district == "Praha 7"  # as assessed
    assert (second.id, second.status, second.organisation) == (
        uuid5(NAMESPACE_URL, "evt-changed"),
        "pending",
        "kmb-praha7",
    )
    assert HouseholdSnapshot.model_validate_json(second.household).district == "Praha 8"

    await survey_and_submit(backend, second.id)

    entries = await backend.entries(first_id, second.id)
    assert (entries[first_id].status, entries[second.id].status) == ("superseded", "active")
    events = await backend.events()
    assert type_names(events) == ["NeedAssessed", "RegisteredInNeed", "NeedAssessed", "RegisteredInNeed"]
    assert [e.assessment_id for e in events] == [first_id, first_id, second.id, second.id]  # type: ignore[attr-defined]


async def test_a_closed_case_cancels_its_pending_assessment_and_reopening_starts_another(
    backend: Backend,
) -> None:
    event, pending_id = await open_case(backend)
    closed = CaseClosed(
        case_id=event.case_id,
        case_number=event.case_number,
        reason="moved_away",
        occurred_at=datetime(2026, 9, 10, 9, 0, tzinfo=UTC),
        actor=WORKER,
    )
    await backend.deliver(closed, "evt-closed")

    with pytest.raises(ConflictError) as refused:
        async with backend.open() as uow:
            await commands.save_survey(uow, pending_id, ROUGH_SLEEPER, ctx())
    assert refused.value.code == "assessment_cancelled"

    reopened = CaseReopened(
        case_id=event.case_id,
        case_number=event.case_number,
        occurred_at=datetime(2026, 9, 15, 9, 0, tzinfo=UTC),
        actor=WORKER,
    )
    await backend.deliver(reopened, "evt-reopened")

    rows = await backend.assessments(event.case_id)
    assert [(row.id, row.status) for row in rows] == [
        (pending_id, "cancelled"),
        (uuid5(NAMESPACE_URL, "evt-reopened"), "pending"),
    ]
    assert HouseholdSnapshot.model_validate_json(rows[1].household) == household()  # the latest one
    assert await backend.events() == []


async def test_another_organisations_worker_finds_no_assessment_and_changes_nothing(
    backend: Backend,
) -> None:
    event, pending_id = await open_case(backend)

    for command in (
        lambda uow: commands.save_survey(uow, pending_id, ROUGH_SLEEPER, ctx(STRANGER)),
        lambda uow: commands.submit(uow, pending_id, ctx(STRANGER)),
    ):
        with pytest.raises(NotFoundError):
            async with backend.open() as uow:
                await command(uow)
                await uow.commit()

    [row] = await backend.assessments(event.case_id)
    assert (row.status, row.survey, row.organisation) == ("pending", None, "kmb-praha7")
    assert await backend.events() == []
    await survey_and_submit(backend, pending_id)  # the case's own worker still may
    async with backend.open() as uow:
        assert await uow.store.register_entries(RegisterQuery(None, "kmb-brno", limit=10, offset=0)) == []
        [entry] = await uow.store.register_entries(RegisterQuery(None, "kmb-praha7", limit=10, offset=0))
    assert entry.assessment_id == pending_id
