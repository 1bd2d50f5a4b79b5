"""Assessment's survey and submission for cases heard from intake, as one behavioural suite on three
backends: the fake unit of work (fast tier), and assessment on SQLite and on PostgreSQL (broker tier),
where intake's case events go through an outbox to the real Kafka broker and are handled by the
service's own consumer (inbox, handlers), and what assessment tells is read back from its topic.

The households and their results are the law table's (tests/law_table.py, worked out by hand from
the amounts of the law), one case of each kind: on the register under rule set 2026.3, over the old
ceiling of 2026.1, a dependent-child status not established (refused, naming the survey's field,
nothing assessed), one answered in the survey, housing that ends (a survey finding), a household
that can pay an unexpected expense. Expected by hand from the rules beyond the table: an entry is
made on the survey day and is valid 12 months (§23), due for reassessment 60 days before its end
(both rule sets); a household change while the survey is pending changes the pending assessment (no
second one) and keeps a dependent-child answer only for a member still the same (age band and
relationship), otherwise the survey asks again."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, fields, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import uuid4

import pytest

from kmb_assessment.adapters.store import SqlUnitsOfWork
from kmb_assessment.adapters.tables import AssessmentRow
from kmb_assessment.application import commands, handlers
from kmb_assessment.application.context import CommandContext
from kmb_assessment.application.ports import UnitOfWork
from kmb_assessment.application.survey import Survey
from kmb_assessment.bootstrap import MIGRATIONS, consumer_handlers
from kmb_shared import contracts
from kmb_shared.contracts import Actor, CaseOpened, HouseholdChanged, HouseholdSnapshot, NeedAssessed
from kmb_testkit.backends import Consumed, committed, relayed_outbox, type_names

from .fakes import FakeUnitOfWork
from .test_law_table import CASES

WORKER = Actor(user_id="worker-7", organisation="kmb-praha7")
#: intake opened the case before every survey day of the table (30 June 2026 the earliest)
OPENED_AT = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
#: the table's expected values that NeedAssessed carries (a value left None there is not checked)
CHECKED = sorted({f.name for f in fields(CASES[0].expected)} & set(NeedAssessed.model_fields))


def first(wanted: Callable[[Any], bool]) -> Any:
    return next(case for case in CASES if wanted(case))


SAMPLE = (
    first(lambda c: c.expected.rule_set_version == "2026.3" and c.expected.qualifies_for_register),
    first(lambda c: c.expected.rule_set_version == "2026.1" and c.expected.within_ceiling is False),
    first(lambda c: bool(c.expected.missing_facts)),
    first(lambda c: bool(c.dependent_children) and not c.expected.missing_facts),
    first(lambda c: c.housing_ends_on is not None),
    first(lambda c: c.can_pay_unexpected_expense is True),
)
ANSWERED = SAMPLE[3]


@dataclass
class Backend:
    open: Callable[[], AbstractAsyncContextManager[UnitOfWork]]
    #: intake's events, heard as the consumer hears them
    hear: Callable[[Sequence[contracts.IntegrationEvent]], Awaitable[None]]
    #: what assessment told (on the broker backends: read back from its topic)
    told: Callable[[], Awaitable[list[contracts.IntegrationEvent]]]

    async def pending(self, case_id: Any) -> AssessmentRow:
        async with self.open() as uow:
            [row] = await uow.store.assessments_of_case(case_id)
            return row

    async def survey(self, assessment_id: Any, case: Any) -> None:
        survey = Survey(
            surveyed_on=case.assessed_on,
            housing_ends_on=case.housing_ends_on,
            can_pay_unexpected_expense=case.can_pay_unexpected_expense,
            dependent_children=case.dependent_children,
        )
        async with self.open() as uow:
            await commands.save_survey(uow, assessment_id, survey, ctx(case.assessed_on))
            await uow.commit()

    async def submit(self, assessment_id: Any, on: date) -> None:
        async with self.open() as uow:
            await commands.submit(uow, assessment_id, ctx(on))
            await uow.commit()


@pytest.fixture
async def backend(backend_parts: tuple[str, str, str] | None) -> AsyncIterator[Backend]:
    if backend_parts is None:
        fake = FakeUnitOfWork()

        async def handled(events: Sequence[contracts.IntegrationEvent]) -> None:
            for event in events:
                await handlers.HANDLERS[type(event)](event, str(uuid4()), fake.store)

        yield Backend(fake, handled, committed(fake.committed))
        return
    async with relayed_outbox("assessment", backend_parts, MIGRATIONS) as relayed:

        async def told() -> list[contracts.IntegrationEvent]:
            return [event for event in await relayed.events() if event.context() == "assessment"]

        consumer = Consumed(relayed, consumer_handlers(None))  # type: ignore[arg-type]
        yield Backend(SqlUnitsOfWork(relayed.db, relayed.outbox, lambda: None), consumer.tell, told)


def ctx(on: date) -> CommandContext:
    return CommandContext(actor=WORKER, now=datetime.combine(on, datetime.min.time(), UTC), today=on)


def household(case: Any, district: str = "Praha 7") -> HouseholdSnapshot:
    return HouseholdSnapshot.model_validate(case.household(district=district, orp_code="1100"))


async def heard_of(backend: Backend, case: Any) -> tuple[CaseOpened, AssessmentRow]:
    """The case opened in intake with the table's household, and the pending assessment it started."""
    opened = CaseOpened(
        case_id=uuid4(),
        case_number="KMB-2026-00001",
        household=household(case),
        occurred_at=OPENED_AT,
        actor=WORKER,
    )
    await backend.hear([opened])
    return opened, await backend.pending(opened.case_id)


async def assert_refused_asking(backend: Backend, pending: AssessmentRow, on: date, *fields: str) -> None:
    """The submission refused naming the survey's ``fields``; nothing assessed, nothing told."""
    with pytest.raises(commands.InvalidSurveyFacts) as refused:
        await backend.submit(pending.id, on)
    assert sorted((p.field, p.code) for p in refused.value.problems) == [(f, "missing_fact") for f in fields]
    row = await backend.pending(pending.case_id)
    assert (row.status, row.result, row.need_level) == ("pending", None, None)
    assert await backend.told() == []


def asking(case: Any) -> list[str]:
    """The survey's fields of the table's missing facts (``members.<i>.dependent_child``)."""
    return sorted(f"dependent_children.{fact.split('.')[1]}" for fact in case.expected.missing_facts)


@pytest.mark.parametrize("case", SAMPLE, ids=[case.id for case in SAMPLE])
async def test_a_survey_submitted_for_a_case_heard_from_intake_gives_the_law_tables_result(
    backend: Backend, case: Any
) -> None:
    opened, pending = await heard_of(backend, case)
    await backend.survey(pending.id, case)
    expected = case.expected
    if expected.missing_facts:
        await assert_refused_asking(backend, pending, case.assessed_on, *asking(case))
        return

    await backend.submit(pending.id, case.assessed_on)

    told = await backend.told()
    qualifies = expected.qualifies_for_register
    assert type_names(told) == ["NeedAssessed", *(["RegisteredInNeed"] * qualifies)]
    assessed = told[0]
    wanted = {name: getattr(expected, name) for name in CHECKED if getattr(expected, name) is not None}
    assert len(CHECKED) == 8 and {name: getattr(assessed, name) for name in wanted} == wanted
    assert (assessed.case_id, assessed.assessment_id, assessed.assessed_on) == (  # type: ignore[attr-defined]
        opened.case_id,
        pending.id,
        case.assessed_on,
    )
    if expected.points is not None:
        assert {c.criterion: c.points for c in assessed.priority_contributions} == expected.points  # type: ignore[attr-defined]
    row = await backend.pending(opened.case_id)
    assert (row.status, row.need_level, row.qualifies_for_register, row.rule_set_version) == (
        "submitted",
        expected.need_level,
        qualifies,
        expected.rule_set_version,
    )
    async with backend.open() as uow:
        entries = await uow.store.entries_for_assessments([pending.id])
    if not qualifies:
        assert entries == {}
        return
    on = case.assessed_on
    valid_until = date(on.year + 1, on.month, on.day)
    registered = told[1]
    assert (registered.registered_on, registered.valid_until, registered.need_level) == (  # type: ignore[attr-defined]
        on,
        valid_until,
        expected.need_level,
    )
    entry = entries[pending.id]
    assert (entry.status, entry.valid_until, entry.reassess_from, entry.priority_score) == (
        "active",
        valid_until,
        valid_until - timedelta(days=60),
        expected.priority_score,
    )


@pytest.mark.parametrize("son_now", ["the same son", "a 16-year-old instead"])
async def test_a_household_change_while_the_survey_is_pending_keeps_only_the_answers_still_meant(
    backend: Backend, son_now: str
) -> None:
    """The table's couple whose 22-year-old son does not study (answered in the survey), moving to
    Praha 8; in the second variant the third member is now 15-17, so the answer is not his."""
    opened, pending = await heard_of(backend, ANSWERED)
    await backend.survey(pending.id, ANSWERED)
    son = ANSWERED.members[2]
    now = (
        ANSWERED
        if son_now == "the same son"
        else replace(ANSWERED, members=(*ANSWERED.members[:2], replace(son, age_band="15-17")))
    )
    changed = HouseholdChanged(
        case_id=opened.case_id,
        case_number=opened.case_number,
        household=household(now, "Praha 8"),
        occurred_at=OPENED_AT + timedelta(days=30),
        actor=WORKER,
    )

    await backend.hear([changed])

    row = await backend.pending(opened.case_id)  # still the one assessment, with the new household
    assert (row.id, row.status) == (pending.id, "pending")
    assert HouseholdSnapshot.model_validate_json(row.household) == changed.household
    if son_now != "the same son":
        await assert_refused_asking(backend, pending, ANSWERED.assessed_on, "dependent_children.2")
        return
    await backend.submit(pending.id, ANSWERED.assessed_on)
    assessed, _registered = await backend.told()
    assert (assessed.income_ceiling, assessed.need_level, assessed.district) == (  # type: ignore[attr-defined]
        ANSWERED.expected.income_ceiling,
        ANSWERED.expected.need_level,
        "Praha 8",
    )
