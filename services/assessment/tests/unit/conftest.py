"""The backend of assessment's behavioural suites (test_use_cases_on_backends, test_law_table_on_backends):
the fake unit of work, or assessment on SQLite or PostgreSQL where intake's events go through an
outbox to the real broker and are handled by the service's own consumer (inbox, handlers), and what
assessment tells is read back from its topic."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import pytest

from kmb_assessment.adapters.store import SqlUnitsOfWork
from kmb_assessment.adapters.tables import AssessmentRow, RegisterEntryRow
from kmb_assessment.application import commands, handlers
from kmb_assessment.application.context import CommandContext
from kmb_assessment.application.ports import UnitOfWork
from kmb_assessment.application.survey import Survey
from kmb_assessment.bootstrap import MIGRATIONS, consumer_handlers
from kmb_shared.contracts import IntegrationEvent
from kmb_testkit.backends import Consumed, committed, relayed_outbox

from .fakes import FakeUnitOfWork


@dataclass
class Backend:
    open: Callable[[], AbstractAsyncContextManager[UnitOfWork]]
    #: one of intake's events under the id of its envelope, heard as the consumer hears it
    deliver: Callable[[IntegrationEvent, str], Awaitable[None]]
    #: what assessment told (on the broker backends: as read back from its topic)
    events: Callable[[], Awaitable[list[IntegrationEvent]]]

    async def assessments(self, case_id: UUID) -> list[AssessmentRow]:
        async with self.open() as uow:
            return list(await uow.store.assessments_of_case(case_id))

    async def entries(self, *assessment_ids: UUID) -> dict[UUID, RegisterEntryRow]:
        async with self.open() as uow:
            return await uow.store.entries_for_assessments(list(assessment_ids))

    async def save_survey(self, assessment_id: UUID, survey: Survey, ctx: CommandContext) -> None:
        async with self.open() as uow:
            await commands.save_survey(uow, assessment_id, survey, ctx)
            await uow.commit()

    async def submit(self, assessment_id: UUID, ctx: CommandContext) -> None:
        async with self.open() as uow:
            await commands.submit(uow, assessment_id, ctx)
            await uow.commit()


@pytest.fixture
async def backend(backend_parts: tuple[str, str, str] | None) -> AsyncIterator[Backend]:
    if backend_parts is None:
        fake = FakeUnitOfWork()

        async def handled(event: Any, event_id: str) -> None:
            await handlers.HANDLERS[type(event)](event, event_id, fake.store)

        yield Backend(fake, handled, committed(fake.committed))
        return
    async with relayed_outbox("assessment", backend_parts, MIGRATIONS) as relayed:
        consumer = Consumed(relayed, consumer_handlers(None))  # type: ignore[arg-type]

        async def heard(event: IntegrationEvent, event_id: str) -> None:
            await consumer.tell([event], [event_id])

        async def told() -> list[IntegrationEvent]:
            return [event for event in await relayed.events() if event.context() == "assessment"]

        yield Backend(SqlUnitsOfWork(relayed.db, relayed.outbox, lambda: None), heard, told)
