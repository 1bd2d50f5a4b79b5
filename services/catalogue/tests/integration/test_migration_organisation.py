"""Revision 0003 on a database with suggestions and allocations made before scoping, on SQLite and
PostgreSQL: each row takes the organisation its own outbox event named (the actor of SolutionsSuggested,
of CapacityChanged naming the case), else "kmb" (as intake's migration gave the cases it had); the
cases' own organisations come later from intake's topic."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from uuid import UUID, uuid4

import sqlalchemy as sa
from alembic import command
from sqlalchemy.engine import Connection

from kmb_catalogue.bootstrap import MIGRATIONS
from kmb_shared.db import Database, alembic_config

MOMENT = datetime(2026, 5, 6, 9, 30, tzinfo=UTC)
BREZANY = {"user_id": "worker-b1", "organisation": "kmb-brezany"}


def _migrate(conn: Connection, revision: str) -> None:
    config = alembic_config(MIGRATIONS)
    config.attributes["connection"] = conn
    command.upgrade(config, revision)


def _outbox(event_type: str, payload: dict[str, object]) -> dict[str, object]:
    return {
        "event_id": str(uuid4()),
        "event_type": event_type,
        "topic": "kmb.catalogue.v1",
        "key": "k",
        "source": "/kmb/catalogue",
        "payload": json.dumps(payload),
        "occurred_at": MOMENT,
        "created_at": MOMENT,
    }


async def test_old_suggestions_and_allocations_take_their_events_organisation_else_kmb(
    database_url: str,
) -> None:
    solution, told, untold = uuid4(), uuid4(), uuid4()
    assessment = uuid4()
    db = Database(database_url)
    async with db.engine.begin() as conn:
        await conn.run_sync(_migrate, "0002")
        await conn.execute(
            sa.text(
                "INSERT INTO catalogue_solution (id, kind, title, valid_from, withdrawn, demo, version, data,"
                " created_at, updated_at) VALUES (:id, 'commercial_hostel', 'Ubytovna', :day, false, false, 1,"
                " '{}', :at, :at)"
            ).bindparams(
                sa.bindparam("id", type_=sa.Uuid), sa.bindparam("at", type_=sa.DateTime(timezone=True))
            ),
            {"id": solution, "day": date(2026, 1, 1), "at": MOMENT},
        )
        allocation = sa.text(
            "INSERT INTO catalogue_allocation (solution_id, case_id, allocated_at) VALUES (:s, :c, :at)"
        ).bindparams(
            sa.bindparam("s", type_=sa.Uuid),
            sa.bindparam("c", type_=sa.Uuid),
            sa.bindparam("at", type_=sa.DateTime(timezone=True)),
        )
        suggestion = sa.text(
            "INSERT INTO catalogue_suggestion (id, case_id, assessment_id, assessed_on, need_level,"
            " municipal_stock_exhausted, suggestions, rejected, created_at)"
            " VALUES (:id, :c, :a, :day, 'at_risk', false, '[]', '[]', :at)"
        ).bindparams(
            sa.bindparam("id", type_=sa.Uuid),
            sa.bindparam("c", type_=sa.Uuid),
            sa.bindparam("a", type_=sa.Uuid),
            sa.bindparam("at", type_=sa.DateTime(timezone=True)),
        )
        for case in (told, untold):
            await conn.execute(allocation, {"s": solution, "c": case, "at": MOMENT})
            a = assessment if case == told else uuid4()
            await conn.execute(
                suggestion, {"id": uuid4(), "c": case, "a": a, "day": date(2026, 5, 6), "at": MOMENT}
            )
        outbox = sa.table("kmb_outbox", *(sa.column(n) for n in _outbox("x", {})))
        await conn.execute(
            outbox.insert(),
            [
                _outbox(
                    "kmb.catalogue.solutions_suggested.v1",
                    {"case_id": str(told), "assessment_id": str(assessment), "actor": BREZANY},
                ),
                _outbox(
                    "kmb.catalogue.capacity_changed.v1",
                    {"solution_id": str(solution), "case_id": str(told), "actor": BREZANY},
                ),
            ],
        )
    async with db.engine.begin() as conn:
        await conn.run_sync(_migrate, "head")
        suggested = dict(
            (await conn.execute(sa.text("SELECT case_id, organisation FROM catalogue_suggestion"))).all()
        )
        held = dict(
            (await conn.execute(sa.text("SELECT case_id, organisation FROM catalogue_allocation"))).all()
        )
        cases = (await conn.execute(sa.text("SELECT count(*) FROM catalogue_case"))).scalar_one()
    await db.dispose()

    def by_case(rows: dict[object, str]) -> dict[UUID, str]:
        return {UUID(str(k)) if not isinstance(k, UUID) else k: v for k, v in rows.items()}

    assert by_case(suggested) == {told: "kmb-brezany", untold: "kmb"}
    assert by_case(held) == {told: "kmb-brezany", untold: "kmb"}
    assert cases == 0, "the cases' organisations come from intake's topic"
