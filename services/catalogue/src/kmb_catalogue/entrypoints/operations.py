"""What the catalogue does on request. Each operation reads the entry, lets the domain decide, writes
the result, stages the event that says so, and commits both in one transaction (the outbox).

HTTP routes and the demo loader both go through here, so a demo entry is published like any other.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from uuid import UUID, uuid4

from sqlalchemy.exc import IntegrityError
from sqlmodel.ext.asyncio.session import AsyncSession

from kmb_shared.contracts import (
    Actor,
    CapacityChanged,
    SolutionChanged,
    SolutionPublished,
    SolutionWithdrawn,
)
from kmb_shared.errors import ConflictError, NotFoundError
from kmb_shared.service import Runtime

from ..adapters import store
from ..domain import (
    CapacityBelowTaken,
    CatalogueConflict,
    CatalogueInvalid,
    Solution,
    SolutionCreate,
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

_ATTEMPTS = 3


class AlreadyHeld(CatalogueConflict):
    """The case already holds a unit of this entry."""

    code = "already_held"


class NotHeld(CatalogueConflict):
    """A release named a case that holds no unit of this entry."""

    code = "not_held"


async def require_solution(session: AsyncSession, solution_id: UUID) -> Solution:
    solution = await store.get_solution(session, solution_id)
    if solution is None:
        raise NotFoundError("Záznam katalogu", "Catalogue entry")
    return solution


async def _commit(runtime: Runtime, session: AsyncSession) -> None:
    try:
        await runtime.commit(session)
    except IntegrityError as exc:
        # A concurrent request created the same entry or allocation first.
        await session.rollback()
        raise ConflictError(
            "conflict",
            "Záznam mezitím změnil někdo jiný. Načtěte ho znovu a akci zopakujte.",
            "Someone else changed the entry meanwhile. Reload it and try again.",
        ) from exc


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


async def publish_solution(
    runtime: Runtime,
    session: AsyncSession,
    command: SolutionCreate,
    actor: Actor,
    *,
    solution_id: UUID | None = None,
) -> Solution:
    """A new entry at version 1, announced with ``SolutionPublished``."""
    solution = create_solution(command, solution_id or uuid4())
    store.add_solution(session, solution)
    capacity = solution.capacity
    event = SolutionPublished(
        solution_id=solution.id,
        kind=solution.kind.value,
        title=solution.title,
        provider=solution.provider.name,
        capacity_total=capacity.total if capacity else None,
        capacity_free=capacity.free if capacity else None,
        actor=actor,
    )
    runtime.outbox.stage(session, event)
    await _commit(runtime, session)
    return solution


async def change_solution(
    runtime: Runtime, session: AsyncSession, solution_id: UUID, change: SolutionUpdate, actor: Actor
) -> Solution:
    """The given fields replaced (``SolutionChanged``; also ``CapacityChanged`` when the capacity
    changed). Units held by cases must stay taken."""
    current = await require_solution(session, solution_id)
    updated = update_solution(current, change)
    capacity_changed = updated.capacity != current.capacity
    if capacity_changed:
        held = await store.allocation_count(session, solution_id)
        taken = 0 if updated.capacity is None else updated.capacity.total - updated.capacity.free
        if taken < held:
            raise CapacityBelowTaken(
                f"Obsazených míst nemůže být méně, než kolik jich drží případy ({held}).",
                f"Fewer places cannot be taken than cases hold ({held}).",
            )
    await store.replace_solution(session, updated, current.version)
    event = SolutionChanged(
        solution_id=updated.id,
        kind=updated.kind.value,
        title=updated.title,
        provider=updated.provider.name,
        version=updated.version,
        actor=actor,
    )
    runtime.outbox.stage(session, event)
    if capacity_changed and updated.capacity is not None:
        runtime.outbox.stage(session, _capacity_changed(updated, actor))
    await _commit(runtime, session)
    return updated


async def withdraw(
    runtime: Runtime,
    session: AsyncSession,
    solution_id: UUID,
    version: int,
    actor: Actor,
    reason: str | None = None,
) -> Solution:
    """The entry taken off the catalogue (``SolutionWithdrawn``); it stays readable for the record."""
    current = await require_solution(session, solution_id)
    updated = withdraw_solution(current, version)
    await store.replace_solution(session, updated, current.version)
    runtime.outbox.stage(session, SolutionWithdrawn(solution_id=updated.id, reason=reason, actor=actor))
    await _commit(runtime, session)
    return updated


async def _retry_lost_race(
    session: AsyncSession, client_version: int | None, attempt: Callable[[], Awaitable[Solution]]
) -> Solution:
    """Run ``attempt``; if a concurrent change wrote the entry first and the client named no version
    of its own, read the entry again and retry, so the answer reflects the state that won."""
    for n in range(_ATTEMPTS):
        try:
            return await attempt()
        except VersionConflict:
            if client_version is not None or n == _ATTEMPTS - 1:
                raise
            await session.rollback()
    raise AssertionError("unreachable")


async def allocate(
    runtime: Runtime,
    session: AsyncSession,
    solution_id: UUID,
    case_id: UUID,
    actor: Actor,
    version: int | None = None,
) -> Solution:
    """One unit or place given to ``case_id`` (``CapacityChanged`` naming the case)."""

    async def attempt() -> Solution:
        current = await require_solution(session, solution_id)
        if version is not None:
            check_version(current, version)
        _not_withdrawn(current)
        if await store.allocation(session, solution_id, case_id) is not None:
            raise AlreadyHeld(
                "Případ už místo v tomto záznamu má.", "The case already holds a place of this entry."
            )
        updated = allocate_unit(current)
        await store.replace_solution(session, updated, current.version)
        store.add_allocation(session, solution_id, case_id)
        runtime.outbox.stage(session, _capacity_changed(updated, actor, case_id))
        await _commit(runtime, session)
        return updated

    return await _retry_lost_race(session, version, attempt)


async def release(
    runtime: Runtime, session: AsyncSession, solution_id: UUID, case_id: UUID, actor: Actor
) -> Solution:
    """The unit held by ``case_id`` given back (``CapacityChanged`` naming the case)."""

    async def attempt() -> Solution:
        current = await require_solution(session, solution_id)
        held = await store.allocation(session, solution_id, case_id)
        if held is None:
            raise NotHeld(
                "Případ v tomto záznamu žádné místo nemá, není co uvolnit.",
                "The case holds no place of this entry; there is nothing to release.",
            )
        updated = release_unit(current)
        await store.replace_solution(session, updated, current.version)
        await store.remove_allocation(session, held)
        runtime.outbox.stage(session, _capacity_changed(updated, actor, case_id))
        await _commit(runtime, session)
        return updated

    return await _retry_lost_race(session, None, attempt)


async def resize(
    runtime: Runtime,
    session: AsyncSession,
    solution_id: UUID,
    total: int,
    actor: Actor,
    version: int | None = None,
) -> Solution:
    """A new total of units or places, keeping the taken ones (``CapacityChanged``)."""

    async def attempt() -> Solution:
        current = await require_solution(session, solution_id)
        if version is not None:
            check_version(current, version)
        _not_withdrawn(current)
        updated = resize_capacity(current, total)
        await store.replace_solution(session, updated, current.version)
        runtime.outbox.stage(session, _capacity_changed(updated, actor))
        await _commit(runtime, session)
        return updated

    return await _retry_lost_race(session, version, attempt)
