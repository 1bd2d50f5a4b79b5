"""The case store of the application (``application.ports.CaseStore``) on the database session and
its outbox."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from sqlmodel.ext.asyncio.session import AsyncSession

from kmb_shared.contracts import IntegrationEvent
from kmb_shared.messaging import Outbox

from ..domain import MemberIn
from .cases import allocate_case_number, member_rows, replace_member_index, update_case
from .tables import CaseHistoryRow, CaseRow, ContactRow


class SqlCaseStore:
    """Intake's tables through one session (its transaction is the caller's) and the outbox."""

    def __init__(self, session: AsyncSession, outbox: Outbox) -> None:
        self.session = session
        self.outbox = outbox

    async def case(self, case_id: UUID) -> CaseRow | None:
        return await self.session.get(CaseRow, case_id)

    async def contact(self, contact_id: UUID) -> ContactRow | None:
        return await self.session.get(ContactRow, contact_id)

    async def next_case_number(self, year: int) -> str:
        return await allocate_case_number(self.session, year)

    def add(self, row: CaseRow | CaseHistoryRow | ContactRow) -> None:
        self.session.add(row)

    async def flush(self) -> None:
        await self.session.flush()

    async def update_case(self, case: CaseRow, values: dict[str, Any]) -> bool:
        return await update_case(self.session, case, values)

    async def index_members(
        self, case_id: UUID, members: Sequence[MemberIn], *, replace: bool = False
    ) -> None:
        if replace:
            await replace_member_index(self.session, case_id, members)
        else:
            self.session.add_all(member_rows(case_id, members))

    def stage(self, event: IntegrationEvent) -> str:
        return self.outbox.stage(self.session, event)
