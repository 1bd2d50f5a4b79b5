"""Assessment's part of an erasure (``PersonalDataErased``): the worker's free-text notes in the case's
surveys (and in a submitted result that carries the survey) go, with the sent outbox rows and stored
answers naming the case. What stays is coded and de-identified: the household snapshots intake sent
(age bands, codes, totals), the need level, ETHOS category, priority, register entries."""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from kmb_shared.erasure import forget_messages_naming

from .tables import AssessmentRow

#: the survey's free text (``application.survey.Survey.notes``)
FREE_TEXT_KEYS = frozenset({"notes"})


def _without_free_text(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_free_text(v) for k, v in value.items() if k not in FREE_TEXT_KEYS}
    if isinstance(value, list):
        return [_without_free_text(v) for v in value]
    return value


def _cleaned(text: str | None) -> str | None:
    if text is None:
        return None
    return json.dumps(_without_free_text(json.loads(text)), ensure_ascii=False)


async def erase_case_data(session: AsyncSession, case_id: UUID) -> int:
    """Drop the free text of the case's assessments; returns how many assessments were touched."""
    rows = (await session.exec(select(AssessmentRow).where(col(AssessmentRow.case_id) == case_id))).all()
    for row in rows:
        row.survey, row.result = _cleaned(row.survey), _cleaned(row.result)
        session.add(row)
    await forget_messages_naming(session, str(case_id))
    return len(rows)
