"""The catalogue's use cases on in-memory fakes: what each command writes, which events it stages
and when it commits; the answer to an assessed need; the leaflet and the demo loader."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from uuid import UUID, uuid4

import pytest

from kmb_catalogue.adapters.demo import LIPOVEC, load_demo_catalogue
from kmb_catalogue.application import solutions as ops
from kmb_catalogue.application.demo import load_demo
from kmb_catalogue.application.leaflet import GENERIC_PUBLISHER, current_leaflet
from kmb_catalogue.application.suggestions import (
    answer_need_assessed,
    case_suggestions,
    suggestion_id_of,
)
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
from kmb_shared.contracts import Actor, NeedAssessed
from kmb_shared.errors import NotFoundError

from .conftest import solution_data
from .fakes import MOMENT, FakeUnitOfWork

ACTOR = Actor(user_id="editor-3", organisation="kmb-lipovec")
ASSESSED_ON = date(2026, 11, 25)


def hostel(total: int = 2, free: int = 2) -> SolutionCreate:
    data = solution_data(SolutionKind.COMMERCIAL_HOSTEL, 1, capacity={"total": total, "free": free})
    data.pop("id")
    return SolutionCreate.model_validate(data)


async def test_publishing_an_entry_stores_it_and_commits_its_event() -> None:
    uow = FakeUnitOfWork()

    solution = await ops.publish_solution(uow, hostel(), ACTOR)

    assert uow.solutions.stored[solution.id].version == 1
    assert uow.event_types == ["SolutionPublished"]
    assert uow.commits == 1
    published = uow.committed[0]
    assert (published.capacity_total, published.capacity_free, published.actor) == (2, 2, ACTOR)


async def test_a_change_on_a_stale_version_stages_nothing() -> None:
    uow = FakeUnitOfWork()
    solution = await ops.publish_solution(uow, hostel(), ACTOR)

    with pytest.raises(VersionConflict):
        await ops.change_solution(uow, solution.id, SolutionUpdate(version=7, title="Jiný název"), ACTOR)

    assert uow.event_types == ["SolutionPublished"]
    assert uow.solutions.stored[solution.id].title == solution.title


async def test_a_capacity_change_announces_the_new_capacity_and_keeps_held_places() -> None:
    uow = FakeUnitOfWork()
    solution = await ops.publish_solution(uow, hostel(), ACTOR)
    await ops.allocate(uow, solution.id, uuid4(), ACTOR)

    with pytest.raises(CapacityBelowTaken):
        await ops.change_solution(
            uow, solution.id, SolutionUpdate(version=2, capacity={"total": 2, "free": 2}), ACTOR
        )
    changed = await ops.change_solution(
        uow, solution.id, SolutionUpdate(version=2, capacity={"total": 5, "free": 4}), ACTOR
    )

    assert changed.version == 3
    assert uow.event_types == ["SolutionPublished", "CapacityChanged", "SolutionChanged", "CapacityChanged"]


async def test_allocation_and_release_name_the_case_and_refuse_what_does_not_hold() -> None:
    uow = FakeUnitOfWork()
    solution = await ops.publish_solution(uow, hostel(total=1, free=1), ACTOR)
    case, other = uuid4(), uuid4()

    taken = await ops.allocate(uow, solution.id, case, ACTOR)
    with pytest.raises(AlreadyHeld):
        await ops.allocate(uow, solution.id, case, ACTOR)
    with pytest.raises(NoFreeCapacity):
        await ops.allocate(uow, solution.id, other, ACTOR)
    with pytest.raises(NotHeld):
        await ops.release(uow, solution.id, other, ACTOR)
    freed = await ops.release(uow, solution.id, case, ACTOR)

    assert (taken.capacity and taken.capacity.free, freed.capacity and freed.capacity.free) == (0, 1)
    assert [getattr(e, "case_id", None) for e in uow.committed[1:]] == [case, case]
    assert await ops.allocations(uow, solution.id) == []


async def test_withdrawing_and_resizing_an_unknown_entry_is_not_found() -> None:
    uow = FakeUnitOfWork()
    with pytest.raises(NotFoundError):
        await ops.withdraw(uow, uuid4(), 1, ACTOR)
    with pytest.raises(NotFoundError):
        await ops.resize(uow, uuid4(), 3, ACTOR)
    assert uow.commits == 0


def _need(level: str, case_id: UUID) -> NeedAssessed:
    return NeedAssessed(
        case_id=case_id,
        assessment_id=uuid4(),
        assessed_on=ASSESSED_ON,
        rule_set_version="test",
        need_level=level,
        occurred_at=MOMENT,
    )


async def test_an_assessed_need_is_answered_once_with_ranked_suggestions(
    make_solution: Callable[..., Solution],
) -> None:
    uow = FakeUnitOfWork()
    for n, kind in enumerate((SolutionKind.NIGHT_SHELTER, SolutionKind.DEBT_ADVICE), start=1):
        uow.solutions.add(make_solution(kind, n))
    case = uuid4()
    event = _need("roofless", case)

    await answer_need_assessed(uow, event, "event-1")
    await answer_need_assessed(uow, event, "event-1")  # redelivered

    assert [type(e).__name__ for e in uow.staged] == ["SolutionsSuggested"]
    kept = await case_suggestions(uow, case)
    assert kept.suggestions[0].kind == "night_shelter"
    assert kept.suggested_at == MOMENT
    assert list(uow.suggestions.stored) == [suggestion_id_of("event-1")]
    with pytest.raises(NotFoundError):
        await case_suggestions(uow, uuid4())


async def test_the_leaflet_of_a_demo_catalogue_carries_the_demo_town_else_the_generic_heading(
    make_solution: Callable[..., Solution],
) -> None:
    uow = FakeUnitOfWork()
    assert (await current_leaflet(uow, ASSESSED_ON, LIPOVEC)).municipality == GENERIC_PUBLISHER
    for entry in load_demo_catalogue():
        uow.solutions.add(entry)
    demo = await current_leaflet(uow, ASSESSED_ON, LIPOVEC)
    uow.solutions.add(make_solution(SolutionKind.LEGAL_AID, 99))
    mixed = await current_leaflet(uow, ASSESSED_ON, LIPOVEC)

    assert (demo.municipality, demo.contact_point is not None) == (LIPOVEC.municipality, True)
    assert (mixed.municipality, mixed.contact_point) == (GENERIC_PUBLISHER, None)


async def test_the_demo_loader_publishes_each_entry_once() -> None:
    uow = FakeUnitOfWork()

    first = await load_demo(uow.factory, LIPOVEC)
    second = await load_demo(uow.factory, LIPOVEC)

    expected = [e.id for e in load_demo_catalogue()]
    assert (first.created, second.created, second.skipped) == (expected, [], expected)
    assert uow.event_types == ["SolutionPublished"] * len(expected)
