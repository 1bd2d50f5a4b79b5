"""In-memory fakes of the catalogue's ports: repositories in dictionaries, a unit of work that
collects the staged events and counts commits, a fixed clock.

A suggestion or allocation belongs to its case's organisation (``FakeCases``), or while that is not
known, to the organisation stored with it, as in the SQL repositories."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from uuid import UUID

from kmb_catalogue.application.ports import UnitOfWork
from kmb_catalogue.domain import (
    Allocation,
    CaseSuggestions,
    Solution,
    SolutionFilter,
    VersionConflict,
)
from kmb_shared.contracts import IntegrationEvent

MOMENT = datetime(2026, 11, 25, 9, 30, tzinfo=UTC)


class FakeCases:
    def __init__(self) -> None:
        self.organisations: dict[UUID, str] = {}

    async def organisation(self, case_id: UUID) -> str | None:
        return self.organisations.get(case_id)

    async def set_organisation(self, case_id: UUID, organisation: str) -> None:
        self.organisations[case_id] = organisation

    def owner(self, case_id: UUID, own: str) -> str:
        return self.organisations.get(case_id, own)


class FakeSolutions:
    def __init__(self, cases: FakeCases) -> None:
        self.stored: dict[UUID, Solution] = {}
        self.held: dict[tuple[UUID, UUID], Allocation] = {}
        self.cases = cases

    async def get(self, solution_id: UUID) -> Solution | None:
        return self.stored.get(solution_id)

    async def by_ids(self, ids: Iterable[UUID]) -> dict[UUID, Solution]:
        return {i: self.stored[i] for i in ids if i in self.stored}

    async def ids_and_titles(self) -> tuple[set[UUID], set[str]]:
        return set(self.stored), {s.title for s in self.stored.values()}

    async def search(self, where: SolutionFilter = SolutionFilter()) -> list[Solution]:
        found = [s for s in self.stored.values() if where.admits(s)]
        return sorted(found, key=lambda s: (s.title, str(s.id)))

    def add(self, solution: Solution) -> None:
        self.stored[solution.id] = solution

    async def replace(self, solution: Solution, read_version: int) -> None:
        if self.stored[solution.id].version != read_version:
            raise VersionConflict("Záznam mezitím změnil někdo jiný.", "Changed meanwhile.")
        self.stored[solution.id] = solution

    async def allocation(self, solution_id: UUID, case_id: UUID) -> Allocation | None:
        return self.held.get((solution_id, case_id))

    async def allocations(self, solution_id: UUID, organisation: str) -> list[Allocation]:
        return [
            a
            for (s, _), a in self.held.items()
            if s == solution_id and self.cases.owner(a.case_id, a.organisation) == organisation
        ]

    async def allocation_count(self, solution_id: UUID) -> int:
        return sum(1 for (s, _) in self.held if s == solution_id)

    def add_allocation(self, solution_id: UUID, case_id: UUID, organisation: str) -> None:
        self.held[(solution_id, case_id)] = Allocation(solution_id, case_id, MOMENT, organisation)

    async def remove_allocation(self, solution_id: UUID, case_id: UUID) -> None:
        self.held.pop((solution_id, case_id), None)


class FakeSuggestions:
    def __init__(self, cases: FakeCases) -> None:
        self.stored: dict[UUID, tuple[CaseSuggestions, str]] = {}
        self.cases = cases

    async def exists(self, suggestion_id: UUID) -> bool:
        return suggestion_id in self.stored

    def add(self, suggestion_id: UUID, suggestions: CaseSuggestions, organisation: str) -> None:
        self.stored[suggestion_id] = (suggestions, organisation)

    async def latest(self, case_id: UUID, organisation: str) -> CaseSuggestions | None:
        found = [
            s
            for s, own in self.stored.values()
            if s.case_id == case_id and self.cases.owner(case_id, own) == organisation
        ]
        return max(found, key=lambda s: (s.suggested_at, s.assessed_on), default=None)

    async def recomputable(self, case_id: UUID | None = None) -> list[tuple[UUID, CaseSuggestions]]:
        latest: dict[UUID, tuple[UUID, CaseSuggestions]] = {}
        for key, (s, _) in sorted(self.stored.items(), key=lambda item: item[1][0].suggested_at):
            if s.request is not None and case_id in (None, s.case_id):
                latest[s.case_id] = (key, s)
        return list(latest.values())

    def replace(self, suggestion_id: UUID, suggestions: CaseSuggestions) -> None:
        self.stored[suggestion_id] = (suggestions, self.stored[suggestion_id][1])


@dataclass
class FakeUnitOfWork:
    """Changes land in the repositories at once; ``committed`` holds the events of each commit."""

    cases: FakeCases = field(default_factory=FakeCases)
    solutions: FakeSolutions = field(init=False)
    suggestions: FakeSuggestions = field(init=False)
    staged: list[IntegrationEvent] = field(default_factory=list)
    committed: list[IntegrationEvent] = field(default_factory=list)
    commits: int = 0

    def __post_init__(self) -> None:
        self.solutions = FakeSolutions(self.cases)
        self.suggestions = FakeSuggestions(self.cases)

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
