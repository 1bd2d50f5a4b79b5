"""Assessments of the thin flow (revision 0001, placeholder rule) survive revisions 0002 and 0005:
listed with their need level and rule-set version to the workers of 'kmb' (the organisation intake
gave the old cases) and no other organisation's, and their cases can be reassessed in it."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from alembic import command
from assessment_support import ORGANISATION, household, running, settings
from sqlalchemy.engine import Connection

from kmb_assessment.bootstrap import MIGRATIONS
from kmb_shared.auth import Role
from kmb_shared.contracts import Actor, HouseholdChanged
from kmb_shared.db import Database, alembic_config
from kmb_testkit.fixtures import bearer

pytestmark = pytest.mark.kafka

#: the organisation intake's migration gave the cases opened before organisations
LEGACY_ORGANISATION = "kmb"
LEGACY_ACTOR = Actor(user_id="intake-worker-kmb", organisation=LEGACY_ORGANISATION)
LEGACY_WORKER = bearer(Role.WORKER, organisation=LEGACY_ORGANISATION, user="worker-kmb")
#: a worker of the organisation the other tests' cases belong to
ORGANISATION_WORKER = bearer(Role.WORKER, organisation=ORGANISATION, user="worker-7")


def _upgrade_to_0001(conn: Connection) -> None:
    cfg = alembic_config(MIGRATIONS)
    cfg.attributes["connection"] = conn
    command.upgrade(cfg, "0001")


async def test_a_thin_flow_assessment_keeps_its_result_columns_and_its_case_can_be_reassessed(
    kafka_bootstrap: str, topic_prefix: str, database_url: str
) -> None:
    case_id, assessment_id = uuid.uuid4(), uuid.uuid4()
    snapshot = household(income_monthly=18000, rent_monthly=11000)
    db = Database(database_url)
    async with db.engine.begin() as conn:
        await conn.run_sync(_upgrade_to_0001)
        legacy = sa.table(
            "assessment",
            sa.column("id", sa.Uuid),
            sa.column("case_id", sa.Uuid),
            *(sa.column(c, sa.String) for c in ("case_number", "status", "household", "result")),
            sa.column("created_at", sa.DateTime(timezone=True)),
            sa.column("submitted_at", sa.DateTime(timezone=True)),
        )
        placeholder = {
            "need_level": "at_risk",
            "rule_set_version": "placeholder-0",
            "assessed_on": "2026-02-01",
        }
        at = datetime(2026, 2, 1, 9, 0, tzinfo=UTC)
        await conn.execute(
            sa.insert(legacy).values(
                id=assessment_id,
                case_id=case_id,
                case_number="KMB-2026-00001",
                status="submitted",
                household=snapshot.model_dump_json(),
                result=json.dumps(placeholder),
                created_at=at,
                submitted_at=at,
            )
        )
    await db.dispose()

    async with running(settings(kafka_bootstrap, topic_prefix, database_url)) as service:
        # The thin flow knew no organisations: its case is 'kmb''s, as intake's migration gave every
        # old case (revision 0005 here), so that organisation's workers read it and no other's.
        url = f"/api/cases/{case_id}/assessments"
        assert (await service.client.get(url, headers=ORGANISATION_WORKER)).json() == []
        [old] = (await service.client.get(url, headers=LEGACY_WORKER)).json()
        assert (old["status"], old["need_level"], old["rule_set_version"]) == (
            "submitted",
            "at_risk",
            "placeholder-0",
        )
        assert (old["assessed_on"], old["result"], old["organisation"]) == ("2026-02-01", None, "kmb")
        # intake changes the old case as a worker of its organisation
        await service.publish(
            HouseholdChanged(
                actor=LEGACY_ACTOR, case_id=case_id, case_number="KMB-2026-00001", household=snapshot
            )
        )
        rows = await service.assessments(case_id, count=2, headers=LEGACY_WORKER)
    assert [(row["status"], row["organisation"]) for row in rows] == [
        ("submitted", "kmb"),
        ("pending", "kmb"),
    ]
