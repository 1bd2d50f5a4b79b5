"""Assessment's survey and submission for cases heard from intake, as one behavioural suite on three
backends (conftest's): the fake unit of work (fast tier), and assessment on SQLite and on PostgreSQL
(broker tier), where intake's case events go through an outbox to the real Kafka broker and are
handled by the service's own consumer (inbox, handlers), and what assessment tells is read back from
its topic.

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

from collections.abc import Callable
from dataclasses import fields, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest

from kmb_assessment.adapters.tables import AssessmentRow
from kmb_assessment.application import commands
from kmb_assessment.application.context import CommandContext
from kmb_assessment.application.survey import Survey
from kmb_shared.contracts import Actor, CaseOpened, HouseholdChanged, HouseholdSnapshot, NeedAssessed
from kmb_testkit.backends import type_names

from .conftest import Backend
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


def ctx(on: date) -> CommandContext:
    return CommandContext(actor=WORKER, now=datetime.combine(on, datetime.min.time(), UTC), today=on)


async def pending_of(backend: Backend, case_id: UUID) -> AssessmentRow:
    [row] = await backend.assessments(case_id)
    return row


async def survey(backend: Backend, assessment_id: UUID, case: Any) -> None:
    found = Survey(
        surveyed_on=case.assessed_on,
        housing_ends_on=case.housing_ends_on,
        can_pay_unexpected_expense=case.can_pay_unexpected_expense,
        dependent_children=case.dependent_children,
    )
    await backend.save_survey(assessment_id, found, ctx(case.assessed_on))


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
    await backend.deliver(opened, str(uuid4()))
    return opened, await pending_of(backend, opened.case_id)


async def assert_refused_asking(backend: Backend, pending: AssessmentRow, on: date, *fields: str) -> None:
    """The submission refused naming the survey's ``fields``; nothing assessed, nothing told."""
    with pytest.raises(commands.InvalidSurveyFacts) as refused:
        await backend.submit(pending.id, ctx(on))
    assert sorted((p.field, p.code) for p in refused.value.problems) == [(f, "missing_fact") for f in fields]
    row = await pending_of(backend, pending.case_id)
    assert (row.status, row.result, row.need_level) == ("pending", None, None)
    assert await backend.events() == []


def asking(case: Any) -> list[str]:
    """The survey's fields of the table's missing facts (``members.<i>.dependent_child``)."""
    return sorted(f"dependent_children.{fact.split('.')[1]}" for fact in case.expected.missing_facts)


@pytest.mark.parametrize("case", SAMPLE, ids=[case.id for case in SAMPLE])
async def test_a_survey_submitted_for_a_case_heard_from_intake_gives_the_law_tables_result(
    backend: Backend, case: Any
) -> None:
    opened, pending = await heard_of(backend, case)
    await survey(backend, pending.id, case)
    expected = case.expected
    if expected.missing_facts:
        await assert_refused_asking(backend, pending, case.assessed_on, *asking(case))
        return

    await backend.submit(pending.id, ctx(case.assessed_on))

    told = await backend.events()
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
    row = await pending_of(backend, opened.case_id)
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


@pytest.mark.parametrize("member_now", ["the same", "another age band"])
async def test_a_household_change_while_the_survey_is_pending_keeps_only_the_answers_still_meant(
    backend: Backend, member_now: str
) -> None:
    """The table's household with a dependent-child answer in the survey (a couple whose 22-year-old
    son does not study), moving to Praha 8; in the second variant the member answered for is now of
    the other band of 15-25 (18-25 <-> 15-17), so the answer is not his and is asked again."""
    opened, pending = await heard_of(backend, ANSWERED)
    await survey(backend, pending.id, ANSWERED)
    [index] = ANSWERED.dependent_children
    members = list(ANSWERED.members)
    if member_now != "the same":
        other_band = {"18-25": "15-17", "15-17": "18-25"}[members[index].age_band]
        members[index] = replace(members[index], age_band=other_band)
    now = replace(ANSWERED, members=tuple(members))
    changed = HouseholdChanged(
        case_id=opened.case_id,
        case_number=opened.case_number,
        household=household(now, "Praha 8"),
        occurred_at=OPENED_AT + timedelta(days=30),
        actor=WORKER,
    )

    await backend.deliver(changed, str(uuid4()))

    row = await pending_of(backend, opened.case_id)  # still the one assessment, with the new household
    assert (row.id, row.status) == (pending.id, "pending")
    assert HouseholdSnapshot.model_validate_json(row.household) == changed.household
    if member_now != "the same":
        await assert_refused_asking(backend, pending, ANSWERED.assessed_on, f"dependent_children.{index}")
        return
    await backend.submit(pending.id, ctx(ANSWERED.assessed_on))
    assessed, _registered = await backend.events()
    assert (assessed.income_ceiling, assessed.need_level, assessed.district) == (  # type: ignore[attr-defined]
        ANSWERED.expected.income_ceiling,
        ANSWERED.expected.need_level,
        "Praha 8",
    )
