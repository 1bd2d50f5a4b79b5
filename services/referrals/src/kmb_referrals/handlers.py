"""Events referrals consumes: intake's case facts (consent and legal basis) for data minimisation."""

from __future__ import annotations

from collections.abc import Mapping

from kmb_shared.contracts import CaseOpened, HouseholdChanged, IntegrationEvent
from kmb_shared.messaging import Handler, HandlerContext
from kmb_shared.service import Runtime

from .adapters.case_facts import record_case_facts


async def on_case_facts(event: CaseOpened | HouseholdChanged, ctx: HandlerContext) -> None:
    """Keep who may learn the household's identity: consented partners and the legal basis."""
    await record_case_facts(ctx.session, event)


def handlers(_: Runtime) -> Mapping[type[IntegrationEvent], Handler]:
    return {CaseOpened: on_case_facts, HouseholdChanged: on_case_facts}
