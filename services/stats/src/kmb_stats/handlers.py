"""Stats consumes every topic and counts what happened."""

from __future__ import annotations

from collections.abc import Mapping

from kmb_shared.contracts import CaseOpened, IntegrationEvent, NeedAssessed, ReferralMade, SolutionsSuggested
from kmb_shared.messaging import Handler, HandlerContext
from kmb_shared.service import Runtime

from .adapters.tables import CounterRow

COUNTERS: dict[type[IntegrationEvent], str] = {
    CaseOpened: "cases_opened",
    NeedAssessed: "needs_assessed",
    SolutionsSuggested: "suggestions_made",
    ReferralMade: "referrals_made",
}


async def count(event: IntegrationEvent, ctx: HandlerContext) -> None:
    name = COUNTERS[type(event)]
    row = await ctx.session.get(CounterRow, name) or CounterRow(name=name, value=0)
    row.value += 1
    ctx.session.add(row)


def handlers(_: Runtime) -> Mapping[type[IntegrationEvent], Handler]:
    return dict.fromkeys(COUNTERS, count)
