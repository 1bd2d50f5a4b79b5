"""What the use cases need from the outside world, as protocols the adapters implement (and the
tests fake): the stored entries, allocations and suggestions, the cases' organisations, one unit of
work that stages events and commits them with the change, and the demo catalogue shipped with the
service."""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import AbstractAsyncContextManager
from datetime import date
from typing import Protocol
from uuid import UUID

from kmb_shared.contracts import IntegrationEvent

from ..domain import Allocation, CaseSuggestions, Leaflet, LeafletItem, Solution, SolutionFilter


class SolutionRepository(Protocol):
    """Entries, and which case holds which unit or place of them."""

    async def get(self, solution_id: UUID) -> Solution | None: ...

    async def by_ids(self, ids: Iterable[UUID]) -> dict[UUID, Solution]:
        """The entries with these ids (withdrawn ones too); unknown ids are left out."""
        ...

    async def ids_and_titles(self) -> tuple[set[UUID], set[str]]: ...

    async def search(self, where: SolutionFilter = SolutionFilter()) -> list[Solution]:
        """Entries ordered by title, then id; ``valid_on`` keeps those in force that day."""
        ...

    def add(self, solution: Solution) -> None: ...

    async def replace(self, solution: Solution, read_version: int) -> None:
        """Write ``solution`` provided the stored one is still at ``read_version``, else raise
        :class:`~kmb_catalogue.domain.VersionConflict`."""
        ...

    async def allocation(self, solution_id: UUID, case_id: UUID) -> Allocation | None: ...

    async def allocations(self, solution_id: UUID, organisation: str) -> list[Allocation]:
        """The entry's allocations that belong to ``organisation``: those of its cases, and of cases
        whose organisation is not known yet, those its workers took."""
        ...

    async def allocation_count(self, solution_id: UUID) -> int:
        """How many units or places of the entry cases hold (all organisations')."""
        ...

    def add_allocation(self, solution_id: UUID, case_id: UUID, organisation: str) -> None: ...

    async def remove_allocation(self, solution_id: UUID, case_id: UUID) -> None: ...


class SuggestionRepository(Protocol):
    """The suggestions made for cases (built only from ``NeedAssessed`` events)."""

    async def exists(self, suggestion_id: UUID) -> bool: ...

    def add(self, suggestion_id: UUID, suggestions: CaseSuggestions, organisation: str) -> None:
        """Keep the suggestions; ``organisation`` is the assessing worker's (the event's actor)."""
        ...

    async def latest(self, case_id: UUID, organisation: str) -> CaseSuggestions | None:
        """The case's latest suggestions that belong to ``organisation`` (as allocations do)."""
        ...

    async def recomputable(self, case_id: UUID | None = None) -> list[tuple[UUID, CaseSuggestions]]:
        """The latest suggestions of every case (or of one) kept with the household as matched, by id."""
        ...

    def replace(self, suggestion_id: UUID, suggestions: CaseSuggestions) -> None:
        """Keep recomputed suggestions in place of those of ``suggestion_id`` (read by ``recomputable``)."""
        ...


class CaseRepository(Protocol):
    """The organisation of each case, as intake's ``CaseOpened`` said it."""

    async def organisation(self, case_id: UUID) -> str | None: ...

    async def set_organisation(self, case_id: UUID, organisation: str) -> None: ...


class UnitOfWork(Protocol):
    """One transaction: the repositories read and write in it, ``stage`` puts an event in its outbox,
    ``commit`` makes both durable together (a concurrent write of the same row raises
    :class:`kmb_shared.errors.ConflictError`)."""

    solutions: SolutionRepository
    suggestions: SuggestionRepository
    cases: CaseRepository

    def stage(self, event: IntegrationEvent) -> str: ...

    async def commit(self) -> None: ...

    async def rollback(self) -> None: ...


class UnitOfWorkFactory(Protocol):
    def __call__(self) -> AbstractAsyncContextManager[UnitOfWork]: ...


class Clock(Protocol):
    """Today as the contact point sees it (Czech local time)."""

    def __call__(self) -> date: ...


class LeafletRenderer(Protocol):
    """The leaflet as a printable document (PDF bytes) in a language (cs, uk, en)."""

    def __call__(self, leaflet: Leaflet, lang: str = "cs") -> bytes: ...


class LeafletPage(Protocol):
    """The leaflet as a web page (HTML) in a language (cs, uk, en)."""

    def __call__(self, leaflet: Leaflet, lang: str = "cs") -> str: ...


class DemoCatalogue(Protocol):
    """The demo town's catalogue shipped with the service."""

    municipality: str

    def entries(self) -> tuple[Solution, ...]: ...

    def contact_point(self) -> LeafletItem: ...
