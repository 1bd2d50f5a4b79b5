"""The events the catalogue consumes, mapped to its application: a need assessed is answered with
ranked suggestions, in the consumer's transaction (the inbox row, the suggestions and the event); a
case opened at intake says the case's organisation, which scopes its suggestions and allocations."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from kmb_shared.contracts import CaseOpened, IntegrationEvent, NeedAssessed
from kmb_shared.messaging import Handler, HandlerContext

from ..application.cases import record_case_opened
from ..application.deps import CatalogueDeps
from ..application.ports import UnitOfWork
from ..application.suggestions import answer_need_assessed

#: a unit of work on the consumer's session that stages through ``emit`` (the consumer commits)
HandlerUnitOfWork = Callable[[AsyncSession, Callable[[IntegrationEvent], str]], UnitOfWork]


def event_handlers(
    deps: CatalogueDeps, unit_of_work: HandlerUnitOfWork
) -> Mapping[type[IntegrationEvent], Handler]:
    async def on_need_assessed(event: NeedAssessed, ctx: HandlerContext) -> None:
        uow = unit_of_work(ctx.session, ctx.emit)
        await answer_need_assessed(uow, event, ctx.meta.id, deps.match_config)

    async def on_case_opened(event: CaseOpened, ctx: HandlerContext) -> None:
        await record_case_opened(unit_of_work(ctx.session, ctx.emit), event)

    handlers: dict[type[IntegrationEvent], Any] = {NeedAssessed: on_need_assessed, CaseOpened: on_case_opened}
    return handlers
