"""Loading the demo catalogue of "Město Lipovec (DEMO)": each entry is published through the same
command as ``POST /api/solutions`` (so ``SolutionPublished`` goes out), skipping entries already
present by their fixed demo id or by title. Running it again adds nothing."""

from __future__ import annotations

from uuid import UUID

from pydantic import BaseModel, Field

from kmb_shared.contracts import Actor
from kmb_shared.errors import ConflictError

from ..domain import SolutionCreate
from ..domain.model import STATE_FIELDS
from .ports import DemoCatalogue, UnitOfWorkFactory
from .solutions import publish_solution

DEMO_ACTOR = Actor(user_id="demo-loader", organisation="kmb")


class DemoLoadResult(BaseModel):
    created: list[UUID] = Field(default_factory=list, description="Entries published now")
    skipped: list[UUID] = Field(default_factory=list, description="Entries that were already there")


async def load_demo(
    unit_of_work: UnitOfWorkFactory, demo: DemoCatalogue, actor: Actor = DEMO_ACTOR
) -> DemoLoadResult:
    """Publish every demo entry not yet in the catalogue, one unit of work (and event) per entry."""
    result = DemoLoadResult()
    async with unit_of_work() as uow:
        ids, titles = await uow.solutions.ids_and_titles()
    for entry in demo.entries():
        if entry.id in ids or entry.title in titles:
            result.skipped.append(entry.id)
            continue
        command = SolutionCreate.model_validate(entry.model_dump(exclude=set(STATE_FIELDS)))
        try:
            async with unit_of_work() as uow:
                await publish_solution(uow, command, actor, solution_id=entry.id)
        except ConflictError:
            result.skipped.append(entry.id)  # a concurrent load published it first
        else:
            result.created.append(entry.id)
    return result
