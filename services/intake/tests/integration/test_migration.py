"""Revision 0002 on a database that already holds a case from the thin flow, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from uuid import uuid4

import pytest
import sqlalchemy as sa
from alembic import command
from sqlalchemy.engine import Connection

from kmb_intake.bootstrap import MIGRATIONS, build_app
from kmb_shared.auth import Role
from kmb_shared.db import Database, alembic_config
from kmb_testkit.apps import serving
from kmb_testkit.fixtures import bearer

from .support import intake_settings

pytestmark = pytest.mark.kafka

THIN_HOUSEHOLD = {
    "members": [{"name": "Jana Nováková", "birth_date": "1988-04-12", "relationship": "applicant"}],
    "district": "Praha 10",
    "orp_code": "1100",
    "income_monthly": 18000,
    "rent_monthly": 11000,
}
INSERT_THIN_CASE = sa.text(
    "INSERT INTO intake_case (id, number, status, district, orp_code, household, worker_id, opened_at,"
    " version) VALUES (:id, 'KMB-2025-00007', 'open', 'Praha 10', '1100', :household, 'worker-3',"
    " :opened_at, 1)"
).bindparams(sa.bindparam("id", type_=sa.Uuid), sa.bindparam("opened_at", type_=sa.DateTime(timezone=True)))


def _migrate(conn: Connection, action: str, revision: str) -> None:
    config = alembic_config(MIGRATIONS)
    config.attributes["connection"] = conn
    getattr(command, action)(config, revision)


async def _database_with_a_thin_case(url: str) -> str:
    """A database at revision 0001 holding one case as the thin flow stored it; returns its id."""
    case_id = uuid4()
    db = Database(url)
    async with db.engine.begin() as conn:
        await conn.run_sync(_migrate, "upgrade", "0001")
        await conn.execute(
            INSERT_THIN_CASE,
            {
                "id": case_id,
                "household": json.dumps(THIN_HOUSEHOLD),
                "opened_at": datetime(2025, 5, 6, 9, 30, tzinfo=UTC),
            },
        )
    await db.dispose()
    return str(case_id)


async def test_a_case_from_the_thin_flow_is_found_and_shown_after_the_upgrade(
    kafka_bootstrap: str, topic_prefix: str, database_url: str
) -> None:
    case_id = await _database_with_a_thin_case(database_url)
    app = build_app(intake_settings(kafka_bootstrap, topic_prefix, database_url))
    # thin-flow cases belong to the default organisation "kmb"; a worker of it reads them
    headers = bearer(Role.WORKER, organisation="kmb")

    async with serving(app, headers=headers) as (client, _):  # migrates to the head revision
        by_name = (await client.get("/api/cases", params={"name": "novakova"})).json()
        by_birth = (await client.get("/api/cases", params={"birth_date": "1988-04-12"})).json()
        by_district = (await client.get("/api/cases", params={"district": "praha 10"})).json()
        detail = (await client.get(f"/api/cases/{case_id}")).json()
        closed = await client.post(f"/api/cases/{case_id}/close", json={"reason": "moved_away"})

    assert (
        [c["id"] for c in by_name]
        == [c["id"] for c in by_birth]
        == [c["id"] for c in by_district]
        == [case_id]
    )
    assert by_name[0]["members"] == [
        {
            "first_name": "Jana",
            "last_name": "Nováková",
            "date_of_birth": "1988-04-12",
            "relationship": "applicant",
        }
    ]
    # stored as it was; the member reads "dependent child: not established", as every member stored
    # before the question existed does
    shown = json.loads(json.dumps(THIN_HOUSEHOLD))
    shown["members"][0]["dependent_child"] = "unknown"
    assert (detail["organisation"], detail["reopen_count"], detail["household"]) == ("kmb", 0, shown)
    assert [(h["version"], h["kind"], h["by"]) for h in detail["history"]] == [(1, "opened", "worker-3")]
    assert closed.json()["version"] == 2


async def test_revision_0002_downgrades_and_upgrades_again(database_url: str) -> None:
    await _database_with_a_thin_case(database_url)
    db = Database(database_url)
    try:
        async with db.engine.begin() as conn:
            await conn.run_sync(_migrate, "upgrade", "head")
            await conn.run_sync(_migrate, "downgrade", "0001")
            columns = await conn.run_sync(
                lambda c: {col["name"] for col in sa.inspect(c).get_columns("intake_case")}
            )
            tables = await conn.run_sync(lambda c: set(sa.inspect(c).get_table_names()))
            await conn.run_sync(_migrate, "upgrade", "head")
            members = (await conn.execute(sa.text("SELECT count(*) FROM intake_case_member"))).scalar_one()
    finally:
        await db.dispose()

    assert "version" in columns and "district_key" not in columns
    assert not tables & {"intake_contact", "intake_case_member", "intake_case_history"}
    assert members == 1
