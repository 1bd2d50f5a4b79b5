"""Which organisation a case belongs to, and the check every read and write about a case makes.

A case's organisation is the one intake's ``CaseOpened`` says: its actor's, as intake scopes its cases.
A user of another organisation does not find the case (404, as intake answers): its suggestions and
allocations are not found and not listed. Until intake's event has arrived, a suggestion or an allocation
belongs to the organisation of the worker whose assessment or request made it.
"""

from __future__ import annotations

from uuid import UUID

from kmb_shared.contracts import CaseOpened
from kmb_shared.errors import NotFoundError

from ..domain import Allocation
from .ports import UnitOfWork


def case_not_found() -> NotFoundError:
    return NotFoundError("Případ", "Case")


async def record_case_opened(uow: UnitOfWork, event: CaseOpened) -> None:
    """Keep the case's organisation (the consumer's transaction commits it with the inbox row)."""
    await uow.cases.set_organisation(event.case_id, event.actor.organisation)


async def require_case_of(uow: UnitOfWork, case_id: UUID, organisation: str) -> str | None:
    """The case's organisation as intake said it (None while not known); another organisation's case
    is not found."""
    known = await uow.cases.organisation(case_id)
    if known is not None and known != organisation:
        raise case_not_found()
    return known


async def allocation_of(
    uow: UnitOfWork, solution_id: UUID, case_id: UUID, organisation: str
) -> Allocation | None:
    """The unit or place of the entry the case holds, if any, for a user of ``organisation``: not found
    when the case is another organisation's, or (while intake has not said the case's organisation)
    when another organisation's worker took the place."""
    known = await require_case_of(uow, case_id, organisation)
    held = await uow.solutions.allocation(solution_id, case_id)
    if held is not None and known is None and held.organisation != organisation:
        raise case_not_found()
    return held
