"""What the catalogue does on request. Each command reads the entry, lets the domain decide, writes
the result, stages the event that says so, and commits both in one unit of work (the outbox).

The API, the pages and the demo loader all go through here, so a demo entry is published like any
other.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any
from uuid import UUID, uuid4

from kmb_shared.contracts import (
    Actor,
    CapacityChanged,
    SolutionChanged,
    SolutionPublished,
    SolutionWithdrawn,
)
from kmb_shared.errors import NotFoundError

from ..domain import (
    Allocation,
    AlreadyHeld,
    CapacityBelowTaken,
    CatalogueInvalid,
    NotHeld,
    Solution,
    SolutionCreate,
    SolutionFilter,
    SolutionUpdate,
    VersionConflict,
    allocate_unit,
    check_version,
    create_solution,
    release_unit,
    resize_capacity,
    update_solution,
    withdraw_solution,
)
from .cases import allocation_of
from .ports import UnitOfWork
from .suggestions import recompute_suggestions

_ATTEMPTS = 3

__all__ = [
    "AlreadyHeld",
    "NotHeld",
    "allocate",
    "allocations",
    "change_solution",
    "find_solution",
    "held_places",
    "list_solutions",
    "publish_solution",
    "release",
    "require_solution",
    "resize",
    "withdraw",
]


async def find_solution(uow: UnitOfWork, solution_id: UUID) -> Solution | None:
    return await uow.solutions.get(solution_id)


async def require_solution(uow: UnitOfWork, solution_id: UUID) -> Solution:
    solution = await uow.solutions.get(solution_id)
    if solution is None:
        raise NotFoundError("Záznam katalogu", "Catalogue entry")
    return solution


async def list_solutions(uow: UnitOfWork, where: SolutionFilter = SolutionFilter()) -> list[Solution]:
    return await uow.solutions.search(where)


async def allocations(uow: UnitOfWork, solution_id: UUID, organisation: str) -> list[Allocation]:
    """Which of ``organisation``'s cases hold a unit or place of the entry (404 for an unknown entry)."""
    await require_solution(uow, solution_id)
    return await uow.solutions.allocations(solution_id, organisation)


async def held_places(uow: UnitOfWork, solution_id: UUID) -> int:
    """How many units or places cases hold, of every organisation (a number, naming no case)."""
    return await uow.solutions.allocation_count(solution_id)


def _capacity_changed(solution: Solution, actor: Actor, case_id: UUID | None = None) -> CapacityChanged:
    assert solution.capacity is not None
    return CapacityChanged(
        solution_id=solution.id,
        kind=solution.kind.value,
        capacity_total=solution.capacity.total,
        capacity_free=solution.capacity.free,
        case_id=case_id,
        actor=actor,
    )


def _not_withdrawn(solution: Solution) -> None:
    if solution.withdrawn:
        raise CatalogueInvalid(
            "Stažený záznam už nelze obsazovat ani měnit jeho kapacitu.",
            "A withdrawn entry takes no allocations and its capacity cannot change.",
        )


def _announced(solution: Solution) -> dict[str, Any]:
    """What the events of a published or changed entry say about it: id, kind, title, provider."""
    return {
        "solution_id": solution.id,
        "kind": solution.kind.value,
        "title": solution.title,
        "provider": solution.provider.name,
    }


async def publish_solution(
    uow: UnitOfWork, command: SolutionCreate, actor: Actor, *, solution_id: UUID | None = None
) -> Solution:
    """A new entry at version 1, announced with ``SolutionPublished``."""
    solution = create_solution(command, solution_id or uuid4())
    uow.solutions.add(solution)
    capacity = solution.capacity
    uow.stage(
        SolutionPublished(
            **_announced(solution),
            capacity_total=capacity.total if capacity else None,
            capacity_free=capacity.free if capacity else None,
            actor=actor,
        )
    )
    await recompute_suggestions(uow, "new_entry")
    await uow.commit()
    return solution


async def _keep_held_places(uow: UnitOfWork, updated: Solution) -> None:
    """Units held by cases must stay taken when a change sets the capacity."""
    held = await uow.solutions.allocation_count(updated.id)
    taken = 0 if updated.capacity is None else updated.capacity.total - updated.capacity.free
    if taken < held:
        raise CapacityBelowTaken(
            f"Obsazených míst nemůže být méně, než kolik jich drží případy ({held}).",
            f"Fewer places cannot be taken than cases hold ({held}).",
        )


async def change_solution(
    uow: UnitOfWork, solution_id: UUID, change: SolutionUpdate, actor: Actor
) -> Solution:
    """The given fields replaced (``SolutionChanged``; also ``CapacityChanged`` when the capacity
    changed). Units held by cases must stay taken."""
    current = await require_solution(uow, solution_id)
    updated = update_solution(current, change)
    capacity_changed = updated.capacity != current.capacity
    if capacity_changed:
        await _keep_held_places(uow, updated)
    await uow.solutions.replace(updated, current.version)
    uow.stage(
        SolutionChanged(
            **_announced(updated),
            version=updated.version,
            actor=actor,
        )
    )
    if capacity_changed and updated.capacity is not None:
        uow.stage(_capacity_changed(updated, actor))
    await uow.commit()
    return updated


async def withdraw(
    uow: UnitOfWork, solution_id: UUID, version: int, actor: Actor, reason: str | None = None
) -> Solution:
    """The entry taken off the catalogue (``SolutionWithdrawn``); it stays readable for the record, with
    the editor's reason. The reason is free text and may name a person, so it stays in the catalogue's
    own record: the event says only that the entry was withdrawn (its ``reason`` is left empty; events
    written before carry it and are still read)."""
    current = await require_solution(uow, solution_id)
    updated = withdraw_solution(current, version, reason)
    await uow.solutions.replace(updated, current.version)
    uow.stage(SolutionWithdrawn(solution_id=updated.id, reason=None, actor=actor))
    await uow.commit()
    return updated


async def _retry_lost_race(
    uow: UnitOfWork, client_version: int | None, attempt: Callable[[], Awaitable[Solution]]
) -> Solution:
    """Run ``attempt``; if a concurrent change wrote the entry first and the client named no version
    of its own, read the entry again and retry, so the answer reflects the state that won."""
    for n in range(_ATTEMPTS):
        try:
            return await attempt()
        except VersionConflict:
            if client_version is not None or n == _ATTEMPTS - 1:
                raise
            await uow.rollback()
    raise AssertionError("unreachable")


async def allocate(
    uow: UnitOfWork, solution_id: UUID, case_id: UUID, actor: Actor, version: int | None = None
) -> Solution:
    """One unit or place given to ``case_id`` (``CapacityChanged`` naming the case); another
    organisation's case than the actor's is not found."""

    async def attempt() -> Solution:
        current = await require_solution(uow, solution_id)
        held = await allocation_of(uow, solution_id, case_id, actor.organisation)
        if version is not None:
            check_version(current, version)
        _not_withdrawn(current)
        if held is not None:
            raise AlreadyHeld(
                "Případ už místo v tomto záznamu má.", "The case already holds a place of this entry."
            )
        updated = allocate_unit(current)
        await uow.solutions.replace(updated, current.version)
        uow.solutions.add_allocation(solution_id, case_id, actor.organisation)
        uow.stage(_capacity_changed(updated, actor, case_id))
        await uow.commit()
        return updated

    return await _retry_lost_race(uow, version, attempt)


async def release(uow: UnitOfWork, solution_id: UUID, case_id: UUID, actor: Actor) -> Solution:
    """The unit held by ``case_id`` given back (``CapacityChanged`` naming the case); another
    organisation's case than the actor's is not found."""

    async def attempt() -> Solution:
        current = await require_solution(uow, solution_id)
        if await allocation_of(uow, solution_id, case_id, actor.organisation) is None:
            raise NotHeld(
                "Případ v tomto záznamu žádné místo nemá, není co uvolnit.",
                "The case holds no place of this entry; there is nothing to release.",
            )
        updated = release_unit(current)
        await uow.solutions.replace(updated, current.version)
        await uow.solutions.remove_allocation(solution_id, case_id)
        uow.stage(_capacity_changed(updated, actor, case_id))
        await recompute_suggestions(uow, "capacity_freed")
        await uow.commit()
        return updated

    return await _retry_lost_race(uow, None, attempt)


def _free(solution: Solution) -> int:
    return solution.capacity.free if solution.capacity else 0


async def resize(
    uow: UnitOfWork, solution_id: UUID, total: int, actor: Actor, version: int | None = None
) -> Solution:
    """A new total of units or places, keeping the taken ones (``CapacityChanged``)."""

    async def attempt() -> Solution:
        current = await require_solution(uow, solution_id)
        if version is not None:
            check_version(current, version)
        _not_withdrawn(current)
        updated = resize_capacity(current, total)
        await uow.solutions.replace(updated, current.version)
        uow.stage(_capacity_changed(updated, actor))
        if _free(updated) > _free(current):
            await recompute_suggestions(uow, "capacity_freed")
        await uow.commit()
        return updated

    return await _retry_lost_race(uow, version, attempt)
