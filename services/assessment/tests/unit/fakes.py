"""In-memory ports of the application: a store of rows in dictionaries, and a unit of work that collects
the events it stages and counts its commits (a fixed clock is kmb_shared.clock's FixedClock)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from uuid import UUID, uuid4

from kmb_assessment.adapters.register import RegisterQuery, members_in
from kmb_assessment.adapters.tables import (
    IN_FORCE,
    LIFECYCLE_KINDS,
    AssessmentRow,
    AssessmentStatus,
    BindingOpinionRow,
    CaseEventKind,
    CaseEventRow,
    RegisterEntryRow,
    RegisterStatus,
    as_utc,
)
from kmb_shared.contracts import IntegrationEvent


@dataclass
class FakeStore:
    """The four tables as dictionaries; the queries as the SQL store answers them."""

    assessments: dict[UUID, AssessmentRow] = field(default_factory=dict)
    entries: dict[UUID, RegisterEntryRow] = field(default_factory=dict)
    case_events: dict[UUID, CaseEventRow] = field(default_factory=dict)
    opinions: dict[UUID, BindingOpinionRow] = field(default_factory=dict)

    def add(self, row: AssessmentRow | BindingOpinionRow | CaseEventRow | RegisterEntryRow) -> None:
        if isinstance(row, AssessmentRow):
            self.assessments[row.id] = row
        elif isinstance(row, RegisterEntryRow):
            row.id = row.id or uuid4()
            self.entries[row.id] = row
        elif isinstance(row, CaseEventRow):
            self.case_events[row.id] = row
        else:
            self.opinions[row.id] = row

    async def flush(self) -> None:
        return None

    async def refresh(self, row: AssessmentRow) -> None:
        return None

    async def get_assessment(self, assessment_id: UUID) -> AssessmentRow | None:
        return self.assessments.get(assessment_id)

    async def assessments_of_case(self, case_id: UUID) -> Sequence[AssessmentRow]:
        rows = [row for row in self.assessments.values() if row.case_id == case_id]
        return sorted(rows, key=lambda row: (as_utc(row.created_at), str(row.id)))

    async def pending_for_case(self, case_id: UUID) -> AssessmentRow | None:
        rows = await self.assessments_of_case(case_id)
        return next((row for row in rows if row.status == AssessmentStatus.PENDING), None)

    async def latest_assessment(self, case_id: UUID) -> AssessmentRow | None:
        rows = await self.assessments_of_case(case_id)
        submitted = [row for row in rows if row.status == AssessmentStatus.SUBMITTED]
        if submitted:
            return max(submitted, key=lambda row: as_utc(row.submitted_at or row.created_at))
        return rows[-1] if rows else None

    async def update_if_pending(self, assessment_id: UUID, values: dict[str, Any]) -> bool:
        row = self.assessments.get(assessment_id)
        if row is None or row.status != AssessmentStatus.PENDING:
            return False
        for name, value in values.items():
            setattr(row, name, value)
        return True

    async def cancel_pending(self, case_id: UUID, at: datetime) -> None:
        for row in self.assessments.values():
            if row.case_id == case_id and row.status == AssessmentStatus.PENDING:
                row.status, row.cancelled_at = AssessmentStatus.CANCELLED.value, at

    def _case_events(self, case_id: UUID) -> list[CaseEventRow]:
        rows = [row for row in self.case_events.values() if row.case_id == case_id]
        return sorted(rows, key=lambda row: as_utc(row.occurred_at))

    async def case_was_opened(self, case_id: UUID) -> bool:
        return any(row.kind == CaseEventKind.OPENED for row in self._case_events(case_id))

    async def case_organisation(self, case_id: UUID) -> str | None:
        events = [row for row in self._case_events(case_id) if row.organisation is not None]
        events.sort(key=lambda row: row.kind != CaseEventKind.OPENED)  # stable: then by event time
        if events:
            return events[0].organisation
        rows = [row for row in await self.assessments_of_case(case_id) if row.organisation is not None]
        return rows[0].organisation if rows else None

    async def assign_case_organisation(self, case_id: UUID, organisation: str) -> None:
        rows = [*self.case_events.values(), *self.assessments.values(), *self.entries.values()]
        for row in rows:
            if row.case_id == case_id:
                row.organisation = organisation

    async def latest_case_household(self, case_id: UUID) -> CaseEventRow | None:
        rows = [row for row in self._case_events(case_id) if row.household is not None]
        return rows[-1] if rows else None

    async def case_is_closed(self, case_id: UUID) -> bool:
        rows = [row for row in self._case_events(case_id) if row.kind in LIFECYCLE_KINDS]
        return bool(rows) and rows[-1].kind == CaseEventKind.CLOSED

    async def attach_unassigned_opinions(self, case_id: UUID, assessment_id: UUID) -> None:
        for row in self.opinions.values():
            if row.case_id == case_id and row.assessment_id is None:
                row.assessment_id = assessment_id

    async def opinions_for(self, assessment_ids: Sequence[UUID]) -> dict[UUID, list[BindingOpinionRow]]:
        out: dict[UUID, list[BindingOpinionRow]] = {}
        for row in sorted(self.opinions.values(), key=lambda row: as_utc(row.issued_at)):
            if row.assessment_id in assessment_ids:
                out.setdefault(row.assessment_id, []).append(row)
        return out

    async def register_entries(self, query: RegisterQuery) -> Sequence[RegisterEntryRow]:
        rows = [
            row
            for row in self.entries.values()
            if (query.status is None or row.status == query.status.value)
            and row.organisation == query.organisation
            and query.where.admits(row.need_level, row.valid_until, row.case_number, row.priority_score)
        ]
        rows.sort(key=lambda row: (-row.priority_score, row.registered_on, str(row.id)))
        return rows[query.offset : query.offset + query.limit]

    async def household_sizes(self, assessment_ids: Sequence[UUID]) -> dict[UUID, int]:
        return {i: members_in(self.assessments[i].household) for i in assessment_ids if i in self.assessments}

    async def entries_for_assessments(self, assessment_ids: Sequence[UUID]) -> dict[UUID, RegisterEntryRow]:
        return {
            row.assessment_id: row for row in self.entries.values() if row.assessment_id in assessment_ids
        }

    async def supersede_in_force(self, case_id: UUID, at: datetime) -> None:
        for row in self.entries.values():
            if row.case_id == case_id and row.status in IN_FORCE:
                row.status, row.status_changed_at = RegisterStatus.SUPERSEDED.value, at

    async def entries_to_check(self, today: date) -> Sequence[RegisterEntryRow]:
        rows = [
            row
            for row in self.entries.values()
            if row.status in IN_FORCE and row.reassess_from <= today and row.registered_on <= today
        ]
        return sorted(rows, key=lambda row: (row.valid_until, str(row.id)))

    async def change_status(
        self, entry_id: UUID, from_statuses: Sequence[str], values: dict[str, Any]
    ) -> bool:
        row = self.entries.get(entry_id)
        if row is None or row.status not in from_statuses:
            return False
        for name, value in values.items():
            setattr(row, name, value)
        return True


@dataclass
class FakeUnitOfWork:
    """Stages events in a list; ``committed`` holds the events of every commit, in order. (The store's
    changes are applied at once: a test that refuses a command checks the store and the staged list.)"""

    store: FakeStore = field(default_factory=FakeStore)
    staged: list[tuple[str, IntegrationEvent]] = field(default_factory=list)
    committed: list[IntegrationEvent] = field(default_factory=list)
    commits: int = 0

    def stage(self, event: IntegrationEvent) -> str:
        event_id = str(uuid4())
        self.staged.append((event_id, event))
        return event_id

    async def commit(self) -> None:
        self.committed += [event for _, event in self.staged]
        self.staged.clear()
        self.commits += 1

    async def rollback(self) -> None:
        self.staged.clear()

    @asynccontextmanager
    async def __call__(self) -> AsyncIterator[FakeUnitOfWork]:
        """As a factory: every unit of work shares the one store (a fresh staging list each time)."""
        yield self
        self.staged.clear()
