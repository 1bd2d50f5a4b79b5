"""Events the catalogue consumes: a need assessed is answered with suggestions."""

from __future__ import annotations

import json
from collections.abc import Mapping

from sqlmodel import col, select

from kmb_shared.contracts import IntegrationEvent, NeedAssessed, SolutionsSuggested, Suggestion
from kmb_shared.messaging import Handler, HandlerContext
from kmb_shared.service import Runtime

from .adapters.tables import SolutionRow, SuggestionRow


async def on_need_assessed(event: NeedAssessed, ctx: HandlerContext) -> None:
    solutions = (await ctx.session.exec(select(SolutionRow).order_by(col(SolutionRow.title)))).all()
    fitting = [s for s in solutions if event.need_level in json.loads(s.need_levels)]
    # Free capacity first; the rest still come, since alternatives matter most when stock is exhausted.
    fitting.sort(key=lambda s: (s.capacity_free == 0, s.title))
    suggestions = tuple(
        Suggestion(
            solution_id=s.id,
            kind=s.kind,
            title=s.title,
            rank=i,
            score=float(len(fitting) - i + 1),
            reasons=(f"Určeno pro úroveň potřebnosti {event.need_level}.",),
            has_free_capacity=None if s.capacity_free is None else s.capacity_free > 0,
        )
        for i, s in enumerate(fitting, start=1)
    )
    out = SolutionsSuggested(
        case_id=event.case_id, assessment_id=event.assessment_id, suggestions=suggestions, actor=event.actor
    )
    ctx.session.add(
        SuggestionRow(
            case_id=event.case_id,
            assessment_id=event.assessment_id,
            payload=json.dumps([s.model_dump(mode="json") for s in suggestions]),
        )
    )
    ctx.emit(out)


def handlers(_: Runtime) -> Mapping[type[IntegrationEvent], Handler]:
    return {NeedAssessed: on_need_assessed}
