"""The catalogue's commands as one behavioural suite on three backends: the in-memory fake unit of work
(fast tier), and the SQL unit of work on SQLite and on PostgreSQL whose outbox is relayed to the real
Kafka broker (broker tier). The events asserted are the ones the fake committed or the ones that
arrived on the broker."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import date
from uuid import UUID, uuid4

import pytest

from kmb_catalogue.adapters.unit_of_work import unit_of_work_factory
from kmb_catalogue.application import solutions as ops
from kmb_catalogue.application.ports import UnitOfWork
from kmb_catalogue.application.suggestions import answer_need_assessed, case_suggestions, suggestion_id_of
from kmb_catalogue.bootstrap import MIGRATIONS
from kmb_catalogue.domain import (
    AlreadyHeld,
    CapacityBelowTaken,
    NoFreeCapacity,
    NotHeld,
    Solution,
    SolutionCreate,
    SolutionKind,
    SolutionUpdate,
    VersionConflict,
)
from kmb_shared.contracts import Actor, IntegrationEvent, NeedAssessed
from kmb_shared.errors import NotFoundError
from kmb_testkit.backends import committed, relayed_outbox, type_names

from .conftest import solution_data
from .fakes import MOMENT, FakeUnitOfWork

ACTOR = Actor(user_id="editor-3", organisation="kmb-lipovec")
ASSESSED_ON = date(2026, 11, 25)


@dataclass
class Backend:
    open: Callable[[], AbstractAsyncContextManager[UnitOfWork]]
    events: Callable[[], Awaitable[list[IntegrationEvent]]]

    async def solution(self, solution_id: UUID) -> Solution | None:
        async with self.open() as uow:
            return await uow.solutions.get(solution_id)

    async def event_types(self) -> list[str]:
        return type_names(await self.events())


@pytest.fixture
async def backend(backend_parts: tuple[str, str, str] | None) -> AsyncIterator[Backend]:
    if backend_parts is None:
        fake = FakeUnitOfWork()
        yield Backend(fake.factory, committed(fake.committed))
        return
    async with relayed_outbox("catalogue", backend_parts, MIGRATIONS) as relayed:
        yield Backend(unit_of_work_factory(relayed.db, relayed.outbox), relayed.events)


def hostel(total: int = 2, free: int = 2) -> SolutionCreate:
    data = solution_data(SolutionKind.COMMERCIAL_HOSTEL, 1, capacity={"total": total, "free": free})
    data.pop("id")
    return SolutionCreate.model_validate(data)


async def publish(backend: Backend, entry: SolutionCreate) -> Solution:
    async with backend.open() as uow:
        return await ops.publish_solution(uow, entry, ACTOR)


async def test_publishing_an_entry_stores_it_and_publishes_its_event(backend: Backend) -> None:
    solution = await publish(backend, hostel())

    stored = await backend.solution(solution.id)
    events = await backend.events()
    assert stored is not None and stored.version == 1
    assert type_names(events) == ["SolutionPublished"]
    published = events[0]
    assert (published.capacity_total, published.capacity_free, published.actor) == (2, 2, ACTOR)  # type: ignore[attr-defined]


async def test_a_change_on_a_stale_version_publishes_nothing_and_keeps_the_entry(backend: Backend) -> None:
    solution = await publish(backend, hostel())

    with pytest.raises(VersionConflict):
        async with backend.open() as uow:
            await ops.change_solution(uow, solution.id, SolutionUpdate(version=7, title="Jiný název"), ACTOR)

    assert await backend.event_types() == ["SolutionPublished"]
    stored = await backend.solution(solution.id)
    assert stored is not None and stored.title == solution.title


async def test_a_capacity_change_announces_the_new_capacity_and_keeps_held_places(backend: Backend) -> None:
    solution = await publish(backend, hostel())
    async with backend.open() as uow:
        await ops.allocate(uow, solution.id, uuid4(), ACTOR)

    with pytest.raises(CapacityBelowTaken):
        async with backend.open() as uow:
            await ops.change_solution(
                uow, solution.id, SolutionUpdate(version=2, capacity={"total": 2, "free": 2}), ACTOR
            )
    async with backend.open() as uow:
        changed = await ops.change_solution(
            uow, solution.id, SolutionUpdate(version=2, capacity={"total": 5, "free": 4}), ACTOR
        )

    assert changed.version == 3
    assert await backend.event_types() == [
        "SolutionPublished",
        "CapacityChanged",
        "SolutionChanged",
        "CapacityChanged",
    ]


async def test_allocation_and_release_name_the_case_and_refuse_what_does_not_hold(backend: Backend) -> None:
    solution = await publish(backend, hostel(total=1, free=1))
    case, other = uuid4(), uuid4()

    async with backend.open() as uow:
        taken = await ops.allocate(uow, solution.id, case, ACTOR)
    for refused, call in (
        (AlreadyHeld, lambda uow: ops.allocate(uow, solution.id, case, ACTOR)),
        (NoFreeCapacity, lambda uow: ops.allocate(uow, solution.id, other, ACTOR)),
        (NotHeld, lambda uow: ops.release(uow, solution.id, other, ACTOR)),
    ):
        with pytest.raises(refused):
            async with backend.open() as uow:
                await call(uow)
    async with backend.open() as uow:
        freed = await ops.release(uow, solution.id, case, ACTOR)

    assert (taken.capacity and taken.capacity.free, freed.capacity and freed.capacity.free) == (0, 1)
    assert [getattr(e, "case_id", None) for e in (await backend.events())[1:]] == [case, case]
    async with backend.open() as uow:
        assert await ops.allocations(uow, solution.id, ACTOR.organisation) == []


async def test_withdrawing_and_resizing_an_unknown_entry_is_not_found(backend: Backend) -> None:
    for call in (
        lambda uow: ops.withdraw(uow, uuid4(), 1, ACTOR),
        lambda uow: ops.resize(uow, uuid4(), 3, ACTOR),
    ):
        with pytest.raises(NotFoundError):
            async with backend.open() as uow:
                await call(uow)
    assert await backend.events() == []


async def test_an_assessed_need_is_answered_once_with_ranked_suggestions(
    backend: Backend, make_solution: Callable[..., Solution]
) -> None:
    async with backend.open() as uow:
        for n, kind in enumerate((SolutionKind.NIGHT_SHELTER, SolutionKind.DEBT_ADVICE), start=1):
            uow.solutions.add(make_solution(kind, n))
        await uow.commit()
    case = uuid4()
    event = NeedAssessed(
        case_id=case,
        assessment_id=uuid4(),
        assessed_on=ASSESSED_ON,
        rule_set_version="test",
        need_level="roofless",
        occurred_at=MOMENT,
    )

    for _delivery in range(2):  # the second is a redelivery
        async with backend.open() as uow:
            await answer_need_assessed(uow, event, "event-1")
            await uow.commit()

    assert await backend.event_types() == ["SolutionsSuggested"]
    async with backend.open() as uow:
        kept = await case_suggestions(uow, case, event.actor.organisation)
        assert kept.suggestions[0].kind == "night_shelter"
        assert kept.suggested_at == MOMENT
        assert await uow.suggestions.exists(suggestion_id_of("event-1"))
        with pytest.raises(NotFoundError):
            await case_suggestions(uow, uuid4(), event.actor.organisation)
