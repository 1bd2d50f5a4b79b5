"""Roles and organisations are checked on the server for every API route; views of personal data
are logged for auditors; administrators issue API tokens for organisations."""

from __future__ import annotations

import pytest

from kmb_shared.auth import Role
from kmb_testkit.fixtures import bearer

from .support import ADMIN, AUDITOR, WORKER, Intake, case_body, contact_body, worker

pytestmark = pytest.mark.kafka

ANALYST = bearer(Role.ANALYST, organisation="kmb-praha7", user="analyst-1")
PARTNER = bearer(Role.PARTNER, organisation="up-praha", user="partner-1")
EDITOR = bearer(Role.CATALOGUE_EDITOR, organisation="kmb-praha7", user="editor-1")


def personal_data_routes(case_id: str) -> list[tuple[str, str]]:
    return [
        ("GET", "/api/cases"),
        ("GET", "/api/cases/mine"),
        ("GET", f"/api/cases/{case_id}"),
        ("GET", "/api/contacts"),
        ("POST", "/api/cases"),
        ("POST", "/api/contacts"),
        ("PUT", f"/api/cases/{case_id}/household"),
        ("POST", f"/api/cases/{case_id}/close"),
        ("POST", f"/api/cases/{case_id}/reopen"),
    ]


async def test_every_route_with_personal_data_needs_credentials(intake: Intake) -> None:
    case = await intake.open_case()

    async with intake.new_client() as anonymous:
        for method, path in [
            *personal_data_routes(case["id"]),
            ("GET", "/api/users"),
            ("POST", "/api/tokens"),
            ("GET", "/api/audit/views"),
        ]:
            response = await anonymous.request(method, path, json={})
            assert response.status_code == 401, (method, path)
            assert response.json()["detail"]["message_cs"] == "Přihlaste se, prosím."


async def test_a_forged_token_is_refused(intake: Intake) -> None:
    forged = bearer(Role.WORKER, organisation="kmb-praha7", secret="not-the-shared-secret")

    response = await intake.client.get("/api/cases", headers=forged)

    assert response.status_code == 401


@pytest.mark.parametrize(
    "headers", [ANALYST, PARTNER, EDITOR, ADMIN], ids=["analyst", "partner", "editor", "admin"]
)
async def test_roles_without_access_to_personal_data_are_forbidden(
    intake: Intake, headers: dict[str, str]
) -> None:
    case = await intake.open_case()
    bodies = {"POST /api/cases": case_body(), "POST /api/contacts": contact_body()}

    for method, path in personal_data_routes(case["id"]):
        body = bodies.get(f"{method} {path}", {"reason": "moved_away"})
        response = await intake.client.request(method, path, json=body, headers=headers)
        assert response.status_code == 403, (method, path, response.text)
        assert response.json()["detail"]["code"] == "forbidden"
    assert await intake.count("case_view_log") == 0


async def test_an_auditor_reads_cases_and_contacts_but_changes_nothing(intake: Intake) -> None:
    case = await intake.open_case()

    detail = await intake.client.get(f"/api/cases/{case['id']}", headers=AUDITOR)
    listed = await intake.client.get("/api/contacts", headers=AUDITOR)
    close = await intake.client.post(
        f"/api/cases/{case['id']}/close", json={"reason": "moved_away"}, headers=AUDITOR
    )
    opened = await intake.client.post("/api/cases", json=case_body(), headers=AUDITOR)

    assert (detail.status_code, listed.status_code) == (200, 200)
    assert (close.status_code, opened.status_code) == (403, 403)


async def test_cases_of_another_organisation_are_not_found(intake: Intake) -> None:
    case = await intake.open_case()  # by worker-7 of kmb-praha7
    liberec = worker("worker-1", organisation="kmb-liberec")

    detail = await intake.client.get(f"/api/cases/{case['id']}", headers=liberec)
    search = await intake.client.get("/api/cases", headers=liberec)
    close = await intake.client.post(
        f"/api/cases/{case['id']}/close", json={"reason": "moved_away"}, headers=liberec
    )
    contact = await intake.client.post(
        "/api/contacts", json=contact_body(case_id=case["id"]), headers=liberec
    )

    assert (detail.status_code, close.status_code, contact.status_code) == (404, 404, 404)
    assert search.json() == []


async def test_every_view_of_personal_data_is_logged_for_auditors(intake: Intake) -> None:
    first = await intake.open_case()
    second = await intake.open_case()
    assert await intake.count("case_view_log") == 0  # opening a case is not a view

    await intake.client.get(f"/api/cases/{first['id']}")
    await intake.client.get("/api/cases", params={"name": "hronk"}, headers=worker("worker-9"))

    views = await intake.client.get("/api/audit/views", headers=AUDITOR)
    of_first = await intake.client.get("/api/audit/views", params={"case_id": first["id"]}, headers=AUDITOR)

    assert views.status_code == 200
    # the search for "hronk" found both cases (same default household): one row per case shown
    assert sorted((v["user_id"], v["kind"], v["case_number"]) for v in views.json()) == sorted(
        [
            ("worker-7", "detail", first["number"]),
            ("worker-9", "search", first["number"]),
            ("worker-9", "search", second["number"]),
        ]
    )
    assert {(v["user_id"], v["kind"], v["channel"]) for v in of_first.json()} == {
        ("worker-7", "detail", "api"),
        ("worker-9", "search", "api"),
    }
    assert all(v["organisation"] == "kmb-praha7" for v in views.json())


async def test_only_auditors_see_the_view_log(intake: Intake) -> None:
    for headers in (WORKER, ADMIN, ANALYST):
        assert (await intake.client.get("/api/audit/views", headers=headers)).status_code == 403


async def test_an_admin_issues_a_partner_token_that_acts_for_its_organisation_only(intake: Intake) -> None:
    case = await intake.open_case()

    issued = await intake.client.post(
        "/api/tokens", json={"organisation": "up-praha", "roles": ["partner"]}, headers=ADMIN
    )

    assert issued.status_code == 201, issued.text
    token = issued.json()
    assert (token["organisation"], token["roles"]) == ("up-praha", ["partner"])
    partner = {"Authorization": f"Bearer {token['token']}"}
    me = (await intake.client.get("/api/me", headers=partner)).json()
    assert (me["user_id"], me["organisation"], me["roles"], me["via"]) == (
        token["user_id"],
        "up-praha",
        ["partner"],
        "token",
    )
    assert (await intake.client.get(f"/api/cases/{case['id']}", headers=partner)).status_code == 403
    assert await intake.count("intake_api_token") == 1


async def test_tokens_are_issued_only_by_admins_and_never_with_the_admin_role(intake: Intake) -> None:
    body = {"organisation": "up-praha", "roles": ["partner"]}

    by_worker = await intake.client.post("/api/tokens", json=body)
    with_admin = await intake.client.post(
        "/api/tokens", json={"organisation": "up-praha", "roles": ["admin"]}, headers=ADMIN
    )
    bad_org = await intake.client.post(
        "/api/tokens", json={"organisation": "ÚP Praha", "roles": ["partner"]}, headers=ADMIN
    )

    assert by_worker.status_code == 403
    assert with_admin.status_code == 422
    assert with_admin.json()["detail"][0]["field"] == "roles"
    assert with_admin.json()["detail"][0]["message_cs"] == "Token pro API nemůže nést roli administrátora."
    assert bad_org.status_code == 422
    assert bad_org.json()["detail"][0]["field"] == "organisation"


async def test_the_api_document_lists_the_new_routes_and_no_pages(intake: Intake) -> None:
    async with intake.new_client() as anonymous:
        document = (await anonymous.get("/openapi.json")).json()

    assert {"/api/tokens", "/api/users", "/api/me", "/api/audit/views"} <= set(document["paths"])
    assert "/desk" not in document["paths"] and "/login" not in document["paths"]
