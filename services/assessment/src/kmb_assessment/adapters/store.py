"""The store and the unit of work of the application (``application.ports``) on the database."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any
from uuid import UUID

from sqlmodel.ext.asyncio.session import AsyncSession

from kmb_shared.db import Database
from kmb_shared.messaging import Outbox
from kmb_shared.unit_of_work import SessionUnitOfWork, SessionUnitsOfWork

from . import assessments, register
from .register import RegisterQuery
from .tables import AssessmentRow, BindingOpinionRow, CaseEventRow, RegisterEntryRow


class SqlAssessmentStore:
    """The service's tables through one session (its transaction is the caller's)."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, row: AssessmentRow | BindingOpinionRow | CaseEventRow | RegisterEntryRow) -> None:
        self.session.add(row)

    async def flush(self) -> None:
        await self.session.flush()

    async def refresh(self, row: AssessmentRow) -> None:
        await self.session.refresh(row)

    async def get_assessment(self, assessment_id: UUID) -> AssessmentRow | None:
        return await self.session.get(AssessmentRow, assessment_id)

    async def assessments_of_case(self, case_id: UUID) -> Sequence[AssessmentRow]:
        return await assessments.assessments_of_case(self.session, case_id)

    async def pending_for_case(self, case_id: UUID) -> AssessmentRow | None:
        return await assessments.pending_for_case(self.session, case_id)

    async def latest_assessment(self, case_id: UUID) -> AssessmentRow | None:
        return await assessments.latest_assessment(self.session, case_id)

    async def update_if_pending(self, assessment_id: UUID, values: dict[str, Any]) -> bool:
        return await assessments.update_if_pending(self.session, assessment_id, values)

    async def cancel_pending(self, case_id: UUID, at: datetime) -> None:
        await assessments.cancel_pending(self.session, case_id, at)

    async def case_was_opened(self, case_id: UUID) -> bool:
        return await assessments.case_was_opened(self.session, case_id)

    async def case_organisation(self, case_id: UUID) -> str | None:
        return await assessments.case_organisation(self.session, case_id)

    async def assign_case_organisation(self, case_id: UUID, organisation: str) -> None:
        await assessments.assign_case_organisation(self.session, case_id, organisation)

    async def latest_case_household(self, case_id: UUID) -> CaseEventRow | None:
        return await assessments.latest_case_household(self.session, case_id)

    async def case_is_closed(self, case_id: UUID) -> bool:
        return await assessments.case_is_closed(self.session, case_id)

    async def attach_unassigned_opinions(self, case_id: UUID, assessment_id: UUID) -> None:
        await assessments.attach_unassigned_opinions(self.session, case_id, assessment_id)

    async def opinions_for(self, assessment_ids: Sequence[UUID]) -> dict[UUID, list[BindingOpinionRow]]:
        return await assessments.opinions_for(self.session, assessment_ids)

    async def register_entries(self, query: RegisterQuery) -> Sequence[RegisterEntryRow]:
        return await register.register_entries(self.session, query)

    async def household_sizes(self, assessment_ids: Sequence[UUID]) -> dict[UUID, int]:
        return await register.household_sizes(self.session, assessment_ids)

    async def entries_for_assessments(self, assessment_ids: Sequence[UUID]) -> dict[UUID, RegisterEntryRow]:
        return await register.entries_for_assessments(self.session, assessment_ids)

    async def supersede_in_force(self, case_id: UUID, at: datetime) -> None:
        await register.supersede_in_force(self.session, case_id, at)

    async def entries_to_check(self, today: date) -> Sequence[RegisterEntryRow]:
        return await register.entries_to_check(self.session, today)

    async def change_status(
        self, entry_id: UUID, from_statuses: Sequence[str], values: dict[str, Any]
    ) -> bool:
        return await register.change_status(self.session, entry_id, from_statuses, values)


class SqlUnitOfWork(SessionUnitOfWork):
    """One session: the store's changes and the staged outbox rows commit together; after the commit
    ``after_commit`` runs (the relay is woken so the events leave at once)."""

    def __init__(self, session: AsyncSession, outbox: Outbox, after_commit: Callable[[], None]) -> None:
        super().__init__(session, outbox, after_commit)
        self.store = SqlAssessmentStore(session)


class SqlUnitsOfWork(SessionUnitsOfWork[SqlUnitOfWork]):
    """Opens units of work on ``db`` (the factory the application's jobs and routes take)."""

    def __init__(self, db: Database, outbox: Outbox, after_commit: Callable[[], None]) -> None:
        super().__init__(SqlUnitOfWork, db, outbox, after_commit)
