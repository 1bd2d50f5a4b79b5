"""Events assessment consumes."""

from __future__ import annotations

from collections.abc import Mapping

from sqlmodel import select

from kmb_shared.contracts import CaseOpened, IntegrationEvent
from kmb_shared.messaging import Handler, HandlerContext
from kmb_shared.service import Runtime

from .adapters.tables import AssessmentRow


async def on_case_opened(event: CaseOpened, ctx: HandlerContext) -> None:
    """Pre-fill a pending assessment from the case (once per case while one is pending)."""
    pending = (
        await ctx.session.exec(
            select(AssessmentRow).where(
                AssessmentRow.case_id == event.case_id, AssessmentRow.status == "pending"
            )
        )
    ).first()
    if pending is None:
        ctx.session.add(
            AssessmentRow(
                case_id=event.case_id,
                case_number=event.case_number,
                status="pending",
                household=event.household.model_dump_json(),
            )
        )


def handlers(_: Runtime) -> Mapping[type[IntegrationEvent], Handler]:
    return {CaseOpened: on_case_opened}
