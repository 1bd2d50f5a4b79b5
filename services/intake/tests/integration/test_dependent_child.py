"""The dependent-child fact of members aged 15-25 over HTTP, stored in the case (SQLite and
PostgreSQL) and carried in CaseOpened / HouseholdChanged as ``dependent_child`` True / False / null."""

from __future__ import annotations

import json
from typing import Any

import pytest
import sqlalchemy as sa

from .support import WORKER, Intake, case_body, member, years_ago

pytestmark = pytest.mark.kafka


def family(son: str | None = None, daughter: str | None = None) -> dict[str, Any]:
    """An applicant of 41, a son of 20, a daughter of 16 and a child of 10 (whose answer is never asked)."""
    son_extra = {} if son is None else {"dependent_child": son}
    daughter_extra = {} if daughter is None else {"dependent_child": daughter}
    return case_body(
        members=[
            member(),
            member(first_name="Ondřej", date_of_birth=years_ago(20), relationship="child", **son_extra),
            member(first_name="Alžběta", date_of_birth=years_ago(16), relationship="child", **daughter_extra),
            member(first_name="Matyáš", date_of_birth=years_ago(10), relationship="child"),
        ]
    )


def answers(detail: dict[str, Any]) -> list[str]:
    return [m["dependent_child"] for m in detail["household"]["members"]]


def snapshot_facts(payload: dict[str, Any]) -> list[tuple[str, bool | None]]:
    return [(m["age_band"], m["dependent_child"]) for m in payload["household"]["members"]]


async def test_opening_stores_the_answers_and_case_opened_carries_them(intake: Intake) -> None:
    case = await intake.open_case(family(son="no", daughter="yes"))

    detail = (await intake.client.get(f"/api/cases/{case['id']}")).json()
    (event,) = await intake.events(expect=1)

    assert answers(detail) == ["unknown", "no", "yes", "unknown"]
    assert event.type == "kmb.intake.case_opened.v1"
    # the son works (a further person 15+), the daughter studies; 41 and 10 are not asked
    assert snapshot_facts(event.payload) == [
        ("26-64", None),
        ("18-25", False),
        ("15-17", True),
        ("6-14", None),
    ]


async def test_correcting_the_answer_publishes_household_changed_with_it(intake: Intake) -> None:
    case = await intake.open_case(family())
    corrected = {**family(son="yes"), "note": "Syn studuje vysokou školu."}

    response = await intake.client.put(
        f"/api/cases/{case['id']}/household", json=corrected, headers={**WORKER, "If-Match": '"1"'}
    )

    assert response.status_code == 200, response.text
    assert response.json()["version"] == 2
    opened, changed = await intake.events(expect=2)
    assert (opened.type, changed.type) == ("kmb.intake.case_opened.v1", "kmb.intake.household_changed.v1")
    assert snapshot_facts(opened.payload)[1:3] == [("18-25", None), ("15-17", None)]
    assert snapshot_facts(changed.payload)[1:3] == [("18-25", True), ("15-17", None)]
    detail = (await intake.client.get(f"/api/cases/{case['id']}")).json()
    assert answers(detail) == ["unknown", "yes", "unknown", "unknown"]
    assert [h["kind"] for h in detail["history"]] == ["opened", "household_changed"]


async def test_an_answer_for_a_member_outside_15_to_25_changes_nothing(intake: Intake) -> None:
    case = await intake.open_case(family(son="no"))
    body = family(son="no")
    body["members"][0]["dependent_child"] = "yes"  # the applicant is 41
    body["members"][3]["dependent_child"] = "no"  # the child is 10

    response = await intake.client.put(f"/api/cases/{case['id']}/household", json=body, headers=WORKER)

    assert response.status_code == 422
    items = {item["field"]: item for item in response.json()["detail"]}
    assert set(items) == {"members.0.dependent_child", "members.3.dependent_child"}
    applicant = items["members.0.dependent_child"]
    assert applicant["code"] == "dependent_child_age"
    assert "15 až 25 let" in applicant["message_cs"] and "je 41 let" in applicant["message_cs"]
    assert "aged 15 to 25" in applicant["message_en"] and "is 41 years old" in applicant["message_en"]
    assert "je 10 let" in items["members.3.dependent_child"]["message_cs"]
    detail = (await intake.client.get(f"/api/cases/{case['id']}")).json()
    assert (detail["version"], answers(detail)) == (1, ["unknown", "no", "unknown", "unknown"])
    assert await intake.outbox_count() == 1  # CaseOpened only
    assert await intake.count("intake_case_history") == 1


async def test_a_case_stored_before_the_question_existed_reads_not_established(intake: Intake) -> None:
    case = await intake.open_case(family(son="no"))
    # the household JSON as intake stored it before: members without dependent_child
    async with intake.runtime.db.engine.begin() as conn:
        stored = (await conn.execute(sa.text("SELECT household FROM intake_case"))).scalar_one()
        household = json.loads(stored)
        for m in household["members"]:
            del m["dependent_child"]
        await conn.execute(sa.text("UPDATE intake_case SET household = :h"), {"h": json.dumps(household)})

    detail = (await intake.client.get(f"/api/cases/{case['id']}")).json()

    assert answers(detail) == ["unknown"] * 4


async def test_the_asyncapi_document_describes_dependent_child(intake: Intake) -> None:
    document = (await intake.client.get("/asyncapi.json")).json()

    member_schemas = [
        schema
        for name, schema in document["components"]["schemas"].items()
        if name.endswith("MemberSnapshot") or "dependent" in json.dumps(schema.get("properties", {}))
    ]
    assert member_schemas, "MemberSnapshot is not in the AsyncAPI document"
    prop = next(
        s["properties"]["dependent_child"]
        for s in member_schemas
        if "dependent_child" in s.get("properties", {})
    )
    assert prop["default"] is None
    assert "nezaopatřené dítě" in prop["description"]
