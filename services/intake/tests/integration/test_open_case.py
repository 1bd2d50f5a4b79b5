"""Opening a case: the full household stays in intake, CaseOpened carries the de-identified snapshot."""

from __future__ import annotations

from typing import Any

import pytest

from .support import (
    TODAY,
    WORKER,
    Intake,
    case_body,
    contact_body,
    days_from_today,
    member,
    unknown_id,
    years_ago,
)

pytestmark = pytest.mark.kafka


def full_household() -> dict[str, Any]:
    return case_body(
        members=[
            member(
                birth_number="855315/1233",
                sex="female",
                incomes=[
                    {"source": "employment", "amount_monthly": "18000"},
                    {"source": "child_allowance", "amount_monthly": "1030"},
                ],
            ),
            member(first_name="Eliška", date_of_birth=years_ago(8), relationship="child", sex="female"),
        ],
        phone="777 123 456",
        email="kveta.hronkova@Example.CZ",
        address={
            "street": "Dělnická 12",
            "municipality": "Praha",
            "postal_code": "17000",
            "district": "Praha 7",
            "orp_code": "1000",
        },
        dwelling={"kind": "flat", "legal_title": "lease", "size_m2": "38.5", "rooms": 1},
        costs={"rent": "11000", "services": "2500.50", "energy": "1200"},
        arrears="3000",
        other_debts="1500.50",
        notice_date=days_from_today(-20),
        vulnerability_flags=["single_parent"],
        consent={
            "purpose": "Řešení bytové situace",
            "given_on": TODAY.isoformat(),
            "worker_id": "worker-7",
            "partners": ["socialni-odbor"],
        },
    )


async def test_opening_a_case_publishes_case_opened_with_the_de_identified_household(
    intake: Intake,
) -> None:
    case = await intake.open_case(full_household())

    (event,) = await intake.events(expect=1)
    assert event.type == "kmb.intake.case_opened.v1"
    assert event.key == event.headers["ce_subject"] == case["id"]
    payload = event.payload
    assert payload["case_id"] == case["id"]
    assert payload["case_number"] == case["number"]
    assert payload["actor"] == {"user_id": "worker-7", "organisation": "kmb-praha7"}
    assert payload["occurred_at"]
    household = payload["household"]
    # Born 1985-03-15: 40 or more years old until 2050, band 26-64; the child is 8 today, band 6-14.
    # neither is 15-25, so neither is asked whether they study: dependent_child null
    assert household["members"] == [
        {
            "age_band": "26-64",
            "relationship": "applicant",
            "sex": "female",
            "dependent": False,
            "flags": [],
            "dependent_child": None,
        },
        {
            "age_band": "6-14",
            "relationship": "child",
            "sex": "female",
            "dependent": True,
            "flags": [],
            "dependent_child": None,
        },
    ]
    assert (household["district"], household["orp_code"]) == ("Praha 7", "1000")
    assert household["dwelling"] == {"kind": "flat", "legal_title": "lease", "size_m2": 38.5, "rooms": 1}
    # 18,000 + 1,030 = 19,030 CZK, per source in code-list order
    assert household["income_by_source"] == {"employment": 18000, "child_allowance": 1030}
    assert household["income_monthly"] == 19030
    # 2,500.50 rounds half up to 2,501; debts 3,000 + 1,500.50 = 4,500.50 -> 4,501
    assert (household["rent_monthly"], household["services_monthly"], household["energy_monthly"]) == (
        11000,
        2501,
        1200,
    )
    assert household["debts_total"] == 4501
    assert household["notice_date"] == days_from_today(-20)
    assert household["vulnerability_flags"] == ["single_parent"]
    assert household["consent_partners"] == ["socialni-odbor"]
    assert household["legal_basis"] == "public_task"


async def test_the_case_keeps_the_full_household_with_personal_data(intake: Intake) -> None:
    case = await intake.open_case(full_household())

    response = await intake.client.get(f"/api/cases/{case['id']}")

    assert response.status_code == 200
    assert response.headers["etag"] == '"1"'
    detail = response.json()
    assert (detail["number"], detail["status"], detail["version"]) == (case["number"], "open", 1)
    assert (detail["worker_id"], detail["organisation"]) == ("worker-7", "kmb-praha7")
    household = detail["household"]
    applicant = household["members"][0]
    assert (applicant["first_name"], applicant["last_name"]) == ("Květoslava", "Hronková")
    assert applicant["birth_number"] == "8553151233"  # stored as digits, without the slash
    assert applicant["incomes"][1] == {"source": "child_allowance", "amount_monthly": "1030"}
    assert household["phone"] == "+420777123456"
    assert household["email"] == "kveta.hronkova@example.cz"  # the domain in lower case
    assert household["address"]["street"] == "Dělnická 12"
    assert household["address"]["postal_code"] == "170 00"
    assert household["costs"] == {"rent": "11000", "services": "2500.50", "energy": "1200"}
    assert household["consent"]["partners"] == ["socialni-odbor"]
    assert [entry["kind"] for entry in detail["history"]] == ["opened"]


async def test_case_numbers_follow_each_other_within_the_year(intake: Intake) -> None:
    first = await intake.open_case()
    second = await intake.open_case()

    year = TODAY.year
    assert first["number"] == f"KMB-{year}-00001"
    assert second["number"] == f"KMB-{year}-00002"


async def test_a_case_opened_at_a_contact_names_it_in_case_opened(intake: Intake) -> None:
    contact = (await intake.client.post("/api/contacts", json=contact_body(), headers=WORKER)).json()

    case = await intake.open_case(case_body(contact_id=contact["id"]))

    events = await intake.events(expect=2)
    opened = next(e for e in events if e.type == "kmb.intake.case_opened.v1")
    assert opened.payload["contact_id"] == contact["id"]
    detail = (await intake.client.get(f"/api/cases/{case['id']}")).json()
    assert detail["contact_id"] == contact["id"]


async def test_a_case_at_an_unknown_contact_is_refused_and_nothing_is_stored(intake: Intake) -> None:
    response = await intake.client.post("/api/cases", json=case_body(contact_id=unknown_id()), headers=WORKER)

    assert response.status_code == 404
    assert response.json()["detail"]["code"] == "not_found"
    assert await intake.count("intake_case") == 0
    assert await intake.outbox_count() == 0


async def test_an_unknown_case_is_not_found(intake: Intake) -> None:
    response = await intake.client.get(f"/api/cases/{unknown_id()}")

    assert response.status_code == 404
    assert response.json()["detail"]["message_cs"]
