"""In-memory fakes of the catalogue's ports: repositories in dictionaries, a unit of work that
collects the staged events and counts commits, a fixed clock."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from uuid import UUID

from kmb_catalogue.application.ports import UnitOfWork
from kmb_catalogue.domain import (
    Allocation,
    CaseSuggestions,
    Solution,
    SolutionKind,
    VersionConflict,
)
from kmb_shared.contracts import IntegrationEvent

MOMENT = datetime(2026, 11, 25, 9, 30, tzinfo=UTC)


class FakeSolutions:
    def __init__(self) -> None:
        self.stored: dict[UUID, Solution] = {}
        self.held: dict[tuple[UUID, UUID], Allocation] = {}

    async def get(self, solution_id: UUID) -> Solution | None:
        return self.stored.get(solution_id)

    async def by_ids(self, ids: Iterable[UUID]) -> dict[UUID, Solution]:
        return {i: self.stored[i] for i in ids if i in self.stored}

    async def ids_and_titles(self) -> tuple[set[UUID], set[str]]:
        return set(self.stored), {s.title for s in self.stored.values()}

    async def search(
        self,
        *,
        kind: SolutionKind | None = None,
        valid_on: date | None = None,
        include_withdrawn: bool = False,
    ) -> list[Solution]:
        found = [
            s
            for s in self.stored.values()
            if (kind is None or s.kind is kind)
            and (include_withdrawn or not s.withdrawn)
            and (valid_on is None or s.is_valid_on(valid_on))
        ]
        return sorted(found, key=lambda s: (s.title, str(s.id)))

    def add(self, solution: Solution) -> None:
        self.stored[solution.id] = solution

    async def replace(self, solution: Solution, read_version: int) -> None:
        if self.stored[solution.id].version != read_version:
            raise VersionConflict("Záznam mezitím změnil někdo jiný.", "Changed meanwhile.")
        self.stored[solution.id] = solution

    async def allocation(self, solution_id: UUID, case_id: UUID) -> Allocation | None:
        return self.held.get((solution_id, case_id))

    async def allocations(self, solution_id: UUID) -> list[Allocation]:
        return [a for (s, _), a in self.held.items() if s == solution_id]

    async def allocation_count(self, solution_id: UUID) -> int:
        return len(await self.allocations(solution_id))

    def add_allocation(self, solution_id: UUID, case_id: UUID) -> None:
        self.held[(solution_id, case_id)] = Allocation(solution_id, case_id, MOMENT)

    async def remove_allocation(self, solution_id: UUID, case_id: UUID) -> None:
        self.held.pop((solution_id, case_id), None)


class FakeSuggestions:
    def __init__(self) -> None:
        self.stored: dict[UUID, CaseSuggestions] = {}

    async def exists(self, suggestion_id: UUID) -> bool:
        return suggestion_id in self.stored

    def add(self, suggestion_id: UUID, suggestions: CaseSuggestions) -> None:
        self.stored[suggestion_id] = suggestions

    async def latest(self, case_id: UUID) -> CaseSuggestions | None:
        found = [s for s in self.stored.values() if s.case_id == case_id]
        return max(found, key=lambda s: (s.suggested_at, s.assessed_on), default=None)


@dataclass
class FakeUnitOfWork:
    """Changes land in the repositories at once; ``committed`` holds the events of each commit."""

    solutions: FakeSolutions = field(default_factory=FakeSolutions)
    suggestions: FakeSuggestions = field(default_factory=FakeSuggestions)
    staged: list[IntegrationEvent] = field(default_factory=list)
    committed: list[IntegrationEvent] = field(default_factory=list)
    commits: int = 0

    def stage(self, event: IntegrationEvent) -> str:
        self.staged.append(event)
        return f"event-{len(self.staged)}"

    async def commit(self) -> None:
        self.committed += self.staged
        self.staged = []
        self.commits += 1

    async def rollback(self) -> None:
        self.staged = []

    @property
    def event_types(self) -> list[str]:
        return [type(e).__name__ for e in self.committed]

    def factory(self) -> contextlib.AbstractAsyncContextManager[UnitOfWork]:
        """The same unit of work each time (as a ``UnitOfWorkFactory``)."""

        @contextlib.asynccontextmanager
        async def opened() -> AsyncIterator[UnitOfWork]:
            yield self

        return opened()
