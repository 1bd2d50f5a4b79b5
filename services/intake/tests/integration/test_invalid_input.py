"""Bad input: 422 naming the field with a reason in Czech and English; nothing stored, nothing published."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from .support import TODAY, WORKER, Intake, case_body, days_from_today, member, years_ago

pytestmark = pytest.mark.kafka

#: (test id, request body, a (field, code) the answer must contain)
BAD_CASES: list[tuple[str, Callable[[], dict[str, Any]], tuple[str, str]]] = [
    ("negative rent", lambda: case_body(costs={"rent": "-1"}), ("costs.rent", "negative_amount")),
    (
        "negative income",
        lambda: case_body(members=[member(incomes=[{"source": "pension", "amount_monthly": "-5"}])]),
        ("members.0.incomes.0.amount_monthly", "negative_amount"),
    ),
    ("negative debts", lambda: case_body(arrears="-100"), ("arrears", "negative_amount")),
    (
        "birth date in the future",
        lambda: case_body(members=[member(date_of_birth=days_from_today(1))]),
        ("members.0.date_of_birth", "birth_date_in_future"),
    ),
    ("household without members", lambda: case_body(members=[]), ("members", "no_members")),
    (
        # 855315123 = 11 x 77755920 + 3, so the check digit must be 3, not 4
        "birth number with a wrong check digit",
        lambda: case_body(members=[member(birth_number="855315/1234")]),
        ("members.0.birth_number", "birth_number_checksum"),
    ),
    (
        # 855315/1233 encodes 15 March 1985, the member says 16 March
        "birth number of another date",
        lambda: case_body(members=[member(date_of_birth="1985-03-16", birth_number="855315/1233")]),
        ("members.0.birth_number", "birth_number_mismatch"),
    ),
    ("e-mail without a domain", lambda: case_body(email="jana@"), ("email", "invalid_email")),
    ("phone with five digits", lambda: case_body(phone="12345"), ("phone", "invalid_phone")),
    (
        "unknown dwelling kind",
        lambda: case_body(dwelling={"kind": "castle", "legal_title": "lease"}),
        ("dwelling.kind", "unknown_code"),
    ),
    (
        "unknown relationship",
        lambda: case_body(members=[member(relationship="landlord")]),
        ("members.0.relationship", "unknown_code"),
    ),
    (
        "neither consent nor legal basis",
        lambda: case_body(legal_basis=None),
        ("consent", "consent_or_legal_basis_required"),
    ),
    ("unknown field", lambda: case_body(income_monthly=18000), ("income_monthly", "unknown_field")),
    (
        # studies / does not is asked only from 15 to 25; the applicant was born in 1985
        "dependent-child answer for a member over 25",
        lambda: case_body(members=[member(dependent_child="no")]),
        ("members.0.dependent_child", "dependent_child_age"),
    ),
    (
        "unknown dependent-child answer",
        lambda: case_body(
            members=[
                member(),
                member(relationship="child", date_of_birth=years_ago(19), dependent_child="studies"),
            ]
        ),
        ("members.1.dependent_child", "unknown_code"),
    ),
]


@pytest.mark.parametrize(
    ("body", "expected"), [(b, e) for _, b, e in BAD_CASES], ids=[i for i, _, _ in BAD_CASES]
)
async def test_bad_case_input_is_refused_with_the_field_and_a_czech_and_english_reason(
    intake: Intake, body: Callable[[], dict[str, Any]], expected: tuple[str, str]
) -> None:
    response = await intake.client.post("/api/cases", json=body(), headers=WORKER)

    assert response.status_code == 422
    items = response.json()["detail"]
    assert expected in {(item["field"], item["code"]) for item in items}
    assert all(item["message_cs"] and item["message_en"] for item in items)
    assert all(item["message_cs"] != item["message_en"] for item in items)
    for table in ("intake_case", "intake_case_member", "intake_case_history", "intake_case_number"):
        assert await intake.count(table) == 0, table
    assert await intake.outbox_count() == 0


async def test_refused_input_publishes_nothing_and_uses_up_no_case_number(intake: Intake) -> None:
    for _, body, _ in BAD_CASES:
        assert (await intake.client.post("/api/cases", json=body(), headers=WORKER)).status_code == 422

    good = await intake.open_case()

    # Two are asked for, to see anything the refused requests might have sent; only one comes.
    events = await intake.events(expect=2, timeout_s=3.0)
    assert [(e.type, e.payload["case_id"]) for e in events] == [("kmb.intake.case_opened.v1", good["id"])]
    assert good["number"] == f"KMB-{TODAY.year}-00001"


async def test_a_missing_body_is_refused_as_a_whole(intake: Intake) -> None:
    response = await intake.client.post("/api/cases", headers=WORKER)

    assert response.status_code == 422
    assert [(i["field"], i["code"]) for i in response.json()["detail"]] == [("body", "required")]


async def test_an_unknown_close_reason_is_refused(intake: Intake) -> None:
    case = await intake.open_case()

    response = await intake.client.post(f"/api/cases/{case['id']}/close", json={"reason": "bored"})

    assert response.status_code == 422
    assert ("reason", "unknown_code") in {(i["field"], i["code"]) for i in response.json()["detail"]}
    assert (await intake.client.get(f"/api/cases/{case['id']}")).json()["status"] == "open"


async def test_the_other_close_reason_needs_a_note(intake: Intake) -> None:
    case = await intake.open_case()

    response = await intake.client.post(f"/api/cases/{case['id']}/close", json={"reason": "other"})

    assert response.status_code == 422
    assert [(i["field"], i["code"]) for i in response.json()["detail"]] == [
        ("note", "note_required_for_other")
    ]


async def test_a_search_for_an_unknown_status_is_refused(intake: Intake) -> None:
    response = await intake.client.get("/api/cases", params={"status": "lost"})

    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "status"
