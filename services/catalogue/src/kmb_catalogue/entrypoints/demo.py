"""Loading the demo catalogue of "Město Lipovec (DEMO)": each entry is published through the same
operation as ``POST /api/solutions`` (so ``SolutionPublished`` goes out), skipping entries already
present by their fixed demo id or by title. Running it again adds nothing.

For the ``kmb`` command line: ``await load_demo(runtime)`` inside a running service, or
``await load_demo_standalone(settings)`` from a separate process.
"""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter
from pydantic import BaseModel, Field

from kmb_shared.contracts import Actor
from kmb_shared.errors import ConflictError
from kmb_shared.service import Runtime, RuntimeDep, ServiceSpec, build_runtime

from ..adapters import store
from ..config import CatalogueSettings
from ..demo import load_demo_catalogue
from ..domain import SolutionCreate
from . import operations as ops
from .access import Editor

router = APIRouter(prefix="/api/demo", tags=["demo"])

DEMO_ACTOR = Actor(user_id="demo-loader", organisation="kmb")


class DemoLoadResult(BaseModel):
    created: list[UUID] = Field(default_factory=list, description="Entries published now")
    skipped: list[UUID] = Field(default_factory=list, description="Entries that were already there")


async def load_demo(runtime: Runtime, actor: Actor = DEMO_ACTOR) -> DemoLoadResult:
    """Publish every demo entry not yet in the catalogue, one transaction (and event) per entry."""
    result = DemoLoadResult()
    async with runtime.db.session() as session:
        ids, titles = await store.existing_ids_and_titles(session)
    for entry in load_demo_catalogue():
        if entry.id in ids or entry.title in titles:
            result.skipped.append(entry.id)
            continue
        command = SolutionCreate.model_validate(entry.model_dump(exclude={"id", "withdrawn", "version"}))
        try:
            async with runtime.db.session() as session:
                await ops.publish_solution(runtime, session, command, actor, solution_id=entry.id)
        except ConflictError:
            result.skipped.append(entry.id)  # a concurrent load published it first
        else:
            result.created.append(entry.id)
    return result


async def load_demo_standalone(settings: CatalogueSettings | None = None) -> DemoLoadResult:
    """Load the demo catalogue from outside the service: migrate its database, publish the entries
    and their events, and wait until the broker has acknowledged them.

    Uses a runtime without consumers, so it never takes partitions from the running service. If that
    service's relay sends the same outbox rows meanwhile, the copies carry the same event ids and
    consumers apply them once.
    """
    from ..bootstrap import MIGRATIONS, build_spec  # the bootstrap imports this module

    spec = build_spec()
    producer_only = ServiceSpec(
        name=spec.name, title=spec.title, migrations=MIGRATIONS, publishes=spec.publishes
    )
    runtime = build_runtime(producer_only, settings or CatalogueSettings())
    try:
        await runtime.db.migrate(MIGRATIONS)
        result = await load_demo(runtime)
        await runtime.broker.start()
        while await runtime.relay.publish_pending():
            pass
        return result
    finally:
        await runtime.broker.stop()
        await runtime.db.dispose()
        runtime.tracer_provider.shutdown()


@router.post("/load", response_model=DemoLoadResult)
async def load_demo_endpoint(principal: Editor, runtime: Runtime = RuntimeDep) -> DemoLoadResult:
    """Fill the catalogue with the demo town's entries (idempotent; catalogue editors and admins)."""
    return await load_demo(runtime, principal.actor)
