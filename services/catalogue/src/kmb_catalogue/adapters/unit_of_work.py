"""The unit of work on the service's database: the repositories over one session, events staged in
the outbox table of the same transaction, and the relay woken after a commit."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable, Iterable
from uuid import UUID

from sqlalchemy.exc import IntegrityError
from sqlmodel.ext.asyncio.session import AsyncSession

from kmb_shared.contracts import IntegrationEvent
from kmb_shared.db import Database
from kmb_shared.errors import ConflictError
from kmb_shared.messaging import Outbox

from ..application.ports import CaseRepository, SolutionRepository, SuggestionRepository, UnitOfWork
from ..domain import Allocation, CaseSuggestions, Solution, SolutionFilter
from . import store
from .tables import SuggestionRow


class SqlSolutionRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, solution_id: UUID) -> Solution | None:
        return await store.get_solution(self.session, solution_id)

    async def by_ids(self, ids: Iterable[UUID]) -> dict[UUID, Solution]:
        return await store.solutions_by_id(self.session, ids)

    async def ids_and_titles(self) -> tuple[set[UUID], set[str]]:
        return await store.existing_ids_and_titles(self.session)

    async def search(self, where: SolutionFilter = SolutionFilter()) -> list[Solution]:
        return await store.list_solutions(self.session, where)

    def add(self, solution: Solution) -> None:
        store.add_solution(self.session, solution)

    async def replace(self, solution: Solution, read_version: int) -> None:
        await store.replace_solution(self.session, solution, read_version)

    async def allocation(self, solution_id: UUID, case_id: UUID) -> Allocation | None:
        row = await store.allocation(self.session, solution_id, case_id)
        return None if row is None else store.to_allocation(row)

    async def allocations(self, solution_id: UUID, organisation: str) -> list[Allocation]:
        rows = await store.allocations(self.session, solution_id, organisation)
        return [store.to_allocation(r) for r in rows]

    async def allocation_count(self, solution_id: UUID) -> int:
        return await store.allocation_count(self.session, solution_id)

    def add_allocation(self, solution_id: UUID, case_id: UUID, organisation: str) -> None:
        store.add_allocation(self.session, solution_id, case_id, organisation)

    async def remove_allocation(self, solution_id: UUID, case_id: UUID) -> None:
        row = await store.allocation(self.session, solution_id, case_id)
        if row is not None:
            await store.remove_allocation(self.session, row)


class SqlSuggestionRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self._rows: dict[UUID, SuggestionRow] = {}

    async def exists(self, suggestion_id: UUID) -> bool:
        return await store.suggestion_exists(self.session, suggestion_id)

    def add(self, suggestion_id: UUID, suggestions: CaseSuggestions, organisation: str) -> None:
        store.add_suggestion(self.session, store.suggestion_row(suggestion_id, suggestions, organisation))

    async def latest(self, case_id: UUID, organisation: str) -> CaseSuggestions | None:
        row = await store.latest_suggestion(self.session, case_id, organisation)
        return None if row is None else store.to_case_suggestions(row)

    async def recomputable(self, case_id: UUID | None = None) -> list[tuple[UUID, CaseSuggestions]]:
        rows = await store.latest_suggestions(self.session, case_id)
        self._rows = {row.id: row for row in rows}
        return [(row.id, store.to_case_suggestions(row)) for row in rows]

    def replace(self, suggestion_id: UUID, suggestions: CaseSuggestions) -> None:
        row = self._rows[suggestion_id]
        store.write_suggestions(row, suggestions)
        self.session.add(row)


class SqlCaseRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def organisation(self, case_id: UUID) -> str | None:
        return await store.case_organisation(self.session, case_id)

    async def set_organisation(self, case_id: UUID, organisation: str) -> None:
        await store.set_case_organisation(self.session, case_id, organisation)


class SqlUnitOfWork:
    """One session: ``stage`` writes the event to the outbox of the same transaction; ``commit``
    commits both and calls ``after_commit`` (the relay's wake-up)."""

    def __init__(
        self,
        session: AsyncSession,
        stage: Callable[[IntegrationEvent], str],
        after_commit: Callable[[], None] | None = None,
    ) -> None:
        self.session = session
        self.solutions: SolutionRepository = SqlSolutionRepository(session)
        self.suggestions: SuggestionRepository = SqlSuggestionRepository(session)
        self.cases: CaseRepository = SqlCaseRepository(session)
        self._stage = stage
        self._after_commit = after_commit

    def stage(self, event: IntegrationEvent) -> str:
        return self._stage(event)

    async def commit(self) -> None:
        try:
            await self.session.commit()
        except IntegrityError as exc:
            # A concurrent request created the same entry or allocation first.
            await self.session.rollback()
            raise ConflictError(
                "conflict",
                "Záznam mezitím změnil někdo jiný. Načtěte ho znovu a akci zopakujte.",
                "Someone else changed the entry meanwhile. Reload it and try again.",
            ) from exc
        if self._after_commit is not None:
            self._after_commit()

    async def rollback(self) -> None:
        await self.session.rollback()


def unit_of_work_factory(
    db: Database, outbox: Outbox, after_commit: Callable[[], None] | None = None
) -> Callable[[], contextlib.AbstractAsyncContextManager[UnitOfWork]]:
    """A factory of units of work on ``db``, staging into ``outbox``."""

    @contextlib.asynccontextmanager
    async def unit_of_work() -> AsyncIterator[UnitOfWork]:
        async with db.session() as session:
            yield SqlUnitOfWork(session, lambda event: outbox.stage(session, event), after_commit)

    return unit_of_work
