"""What the use cases need from the outside, as protocols: the store of assessments, register entries,
case events and binding opinions; the unit of work (one transaction with its outbox); the clock (the
kernel's :class:`kmb_shared.clock.Clock`).

``adapters.store`` implements them on the database; the unit tests implement them in memory.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractAsyncContextManager
from datetime import date, datetime
from typing import Any, Protocol
from uuid import UUID

from kmb_shared.clock import Clock as Clock
from kmb_shared.contracts import IntegrationEvent

from ..adapters.register import RegisterQuery
from ..adapters.tables import (
    AssessmentRow,
    BindingOpinionRow,
    CaseEventRow,
    RegisterEntryRow,
)

#: a new row of any of the service's tables
Row = AssessmentRow | BindingOpinionRow | CaseEventRow | RegisterEntryRow


class AssessmentStore(Protocol):
    """The service's tables within one transaction."""

    def add(self, row: Row) -> None: ...

    async def flush(self) -> None: ...

    async def refresh(self, row: AssessmentRow) -> None: ...

    # assessments
    async def get_assessment(self, assessment_id: UUID) -> AssessmentRow | None: ...

    async def assessments_of_case(self, case_id: UUID) -> Sequence[AssessmentRow]: ...

    async def pending_for_case(self, case_id: UUID) -> AssessmentRow | None: ...

    async def latest_assessment(self, case_id: UUID) -> AssessmentRow | None: ...

    async def update_if_pending(self, assessment_id: UUID, values: dict[str, Any]) -> bool: ...

    async def cancel_pending(self, case_id: UUID, at: datetime) -> None: ...

    # intake's case events
    async def case_was_opened(self, case_id: UUID) -> bool: ...

    async def case_organisation(self, case_id: UUID) -> str | None:
        """CaseOpened's organisation, else the first event's, else the earliest assessment's."""
        ...

    async def assign_case_organisation(self, case_id: UUID, organisation: str) -> None:
        """Every row of the case (events, assessments, register entries) gets ``organisation``."""
        ...

    async def latest_case_household(self, case_id: UUID) -> CaseEventRow | None: ...

    async def case_is_closed(self, case_id: UUID) -> bool: ...

    # binding opinions
    async def attach_unassigned_opinions(self, case_id: UUID, assessment_id: UUID) -> None: ...

    async def opinions_for(self, assessment_ids: Sequence[UUID]) -> dict[UUID, list[BindingOpinionRow]]: ...

    # the register
    async def register_entries(self, query: RegisterQuery) -> Sequence[RegisterEntryRow]: ...

    async def household_sizes(self, assessment_ids: Sequence[UUID]) -> dict[UUID, int]:
        """Members of each assessment's household."""
        ...

    async def entries_for_assessments(
        self, assessment_ids: Sequence[UUID]
    ) -> dict[UUID, RegisterEntryRow]: ...

    async def supersede_in_force(self, case_id: UUID, at: datetime) -> None: ...

    async def entries_to_check(self, today: date) -> Sequence[RegisterEntryRow]: ...

    async def change_status(
        self, entry_id: UUID, from_statuses: Sequence[str], values: dict[str, Any]
    ) -> bool: ...


class UnitOfWork(Protocol):
    """One transaction: the store, the events staged in it (they leave once it commits)."""

    @property
    def store(self) -> AssessmentStore: ...

    def stage(self, event: IntegrationEvent) -> str:
        """Stage ``event`` in the outbox of this transaction; returns its id."""
        ...

    async def commit(self) -> None: ...

    async def rollback(self) -> None: ...


class UnitOfWorkFactory(Protocol):
    """Opens a unit of work (``async with uow() as work: ...``); leaving it without a commit rolls back."""

    def __call__(self) -> AbstractAsyncContextManager[UnitOfWork]: ...
