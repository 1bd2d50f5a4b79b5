"""Assessment's part of an erasure (issue 14), on SQLite and PostgreSQL: the worker's notes leave the
case's survey and the submitted result that carries it, the codes and figures stay, another case keeps
its notes, and the sent outbox rows naming the case go while one not yet sent stays."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from uuid import uuid4

from sqlmodel import select

from kmb_assessment.adapters.erasure import erase_case_data
from kmb_assessment.adapters.tables import AssessmentRow
from kmb_assessment.bootstrap import MIGRATIONS
from kmb_shared.db import Database
from kmb_shared.messaging import OutboxMessage

AT = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)
NOTE = "Paní Ypsilonová bydlí u sestry"


def _assessment(case_id: object, number: int) -> AssessmentRow:
    survey = {"notes": NOTE, "dwelling_kind": "with_family_friends", "documents": ["id_card"]}
    return AssessmentRow(case_id=case_id, case_number=f"KMB-2026-{number:05d}", status="submitted",
                         household="{}", survey=json.dumps(survey),
                         result=json.dumps({"need_level": "insecure", "survey": survey}))  # fmt: skip


def _sent(case_id: object, sent: bool) -> OutboxMessage:
    return OutboxMessage(event_id=uuid4().hex, event_type="kmb.assessment.need_assessed.v1", topic="t",
                         key=str(case_id), source="assessment", payload=json.dumps({"case_id": str(case_id)}),
                         occurred_at=AT, sent_at=AT if sent else None)  # fmt: skip


async def test_the_survey_notes_and_the_sent_messages_of_the_case_go(database_url: str) -> None:
    db = Database(database_url)
    case_id, other = uuid4(), uuid4()
    try:
        await db.migrate(MIGRATIONS)
        async with db.session() as session:
            session.add_all([_assessment(case_id, 1), _assessment(other, 2), _sent(case_id, True),
                             _sent(case_id, False), _sent(other, True)])  # fmt: skip
            await session.commit()
        async with db.session() as session:
            touched = await erase_case_data(session, case_id)
            await session.commit()
        async with db.session() as session:
            rows = {r.case_id: r for r in (await session.exec(select(AssessmentRow))).all()}
            outbox = [
                (m.key, m.sent_at is not None) for m in (await session.exec(select(OutboxMessage))).all()
            ]
    finally:
        await db.dispose()

    erased = rows[case_id]
    assert touched == 1
    assert json.loads(erased.survey or "") == {
        "dwelling_kind": "with_family_friends",
        "documents": ["id_card"],
    }
    result = json.loads(erased.result or "")
    assert (result["need_level"], "notes" in result["survey"]) == ("insecure", False)
    assert json.loads(rows[other].survey or "")["notes"] == NOTE
    assert sorted(outbox) == sorted([(str(case_id), False), (str(other), True)])
