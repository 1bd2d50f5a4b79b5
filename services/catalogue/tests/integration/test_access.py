"""Who may call the catalogue API: sign-in is required except for the public leaflet, each role gets
only its own operations, and a change made with the session cookie must carry the CSRF token."""

from __future__ import annotations

from uuid import uuid4

import pytest

from kmb_shared.auth import CSRF_HEADER, SESSION_COOKIE, Role, Signer
from kmb_testkit.fixtures import TEST_SECRET, bearer

from .support import Catalogue, entry, need_assessed

#: tests that read events or feed the consumer run on the real broker; the rest without one

HOSTEL = entry("commercial_hostel", "Ubytovna U Parku", capacity={"total": 3, "free": 3})


async def test_the_api_answers_401_without_credentials_and_names_the_reason_in_czech(
    catalogue: Catalogue,
) -> None:
    sid = (await catalogue.create(HOSTEL))["id"]
    case = str(uuid4())
    calls = [
        ("GET", "/api/solutions", None),
        ("GET", f"/api/solutions/{sid}", None),
        ("POST", "/api/solutions", HOSTEL),
        ("PATCH", f"/api/solutions/{sid}", {"version": 1, "title": "Jiná ubytovna"}),
        ("DELETE", f"/api/solutions/{sid}?version=1", None),
        ("POST", f"/api/solutions/{sid}/allocate", {"case_id": case}),
        ("POST", f"/api/solutions/{sid}/release", {"case_id": case}),
        ("POST", f"/api/solutions/{sid}/capacity", {"total": 9}),
        ("GET", f"/api/solutions/{sid}/allocations", None),
        ("GET", f"/api/cases/{case}/suggestions", None),
        ("POST", "/api/demo/load", None),
    ]
    for method, path, body in calls:
        response = await catalogue.anonymous.request(method, path, json=body)
        assert response.status_code == 401, (method, path)
        assert response.json()["detail"]["message_cs"] == "Přihlaste se, prosím."
        assert response.headers["www-authenticate"] == "Bearer"
    # nothing changed: only the editor's entry and its one event
    current = (await catalogue.worker.get(f"/api/solutions/{sid}")).json()
    assert (current["version"], current["capacity"]["free"]) == (1, 3)
    assert await catalogue.outbox_count() == 1


async def test_a_token_signed_with_another_secret_counts_as_no_sign_in(catalogue: Catalogue) -> None:
    forged = bearer(Role.ADMIN, secret="not-the-shared-secret")

    response = await catalogue.anonymous.get("/api/solutions", headers=forged)

    assert response.status_code == 401


async def test_each_role_gets_403_outside_its_own_operations(catalogue: Catalogue) -> None:
    sid = (await catalogue.create(HOSTEL))["id"]
    case = str(uuid4())
    worker, analyst = bearer(Role.WORKER), bearer(Role.ANALYST)
    partner = bearer(Role.PARTNER, organisation="charita-lipovec")
    refused = [
        (worker, "POST", "/api/solutions", HOSTEL),
        (worker, "PATCH", f"/api/solutions/{sid}", {"version": 1, "title": "Jiná ubytovna"}),
        (worker, "DELETE", f"/api/solutions/{sid}?version=1", None),
        (worker, "POST", f"/api/solutions/{sid}/capacity", {"total": 9}),
        (worker, "POST", "/api/demo/load", None),
        (analyst, "GET", f"/api/cases/{case}/suggestions", None),
        (analyst, "GET", "/api/solutions", None),
        (partner, "GET", f"/api/cases/{case}/suggestions", None),
        (partner, "GET", f"/api/solutions/{sid}/allocations", None),
        (partner, "POST", f"/api/solutions/{sid}/allocate", {"case_id": case}),
    ]
    for headers, method, path, body in refused:
        response = await catalogue.anonymous.request(method, path, json=body, headers=headers)
        assert response.status_code == 403, (headers, method, path)
        assert response.json()["detail"]["message_cs"] == "K této akci nemáte oprávnění."
    assert await catalogue.outbox_count() == 1


async def test_partners_read_the_entries_and_workers_take_places(catalogue: Catalogue) -> None:
    sid = (await catalogue.create(HOSTEL))["id"]
    partner = bearer(Role.PARTNER, organisation="charita-lipovec")
    admin = bearer(Role.ADMIN, user="admin-1")

    listed = await catalogue.anonymous.get("/api/solutions", headers=partner)
    one = await catalogue.anonymous.get(f"/api/solutions/{sid}", headers=partner)
    taken = await catalogue.worker.post(f"/api/solutions/{sid}/allocate", json={"case_id": str(uuid4())})
    resized = await catalogue.anonymous.post(
        f"/api/solutions/{sid}/capacity", json={"total": 4}, headers=admin
    )

    assert [s["title"] for s in listed.json()] == ["Ubytovna U Parku"]
    assert one.status_code == 200
    # 3 free of 3, one taken -> 2 of 3; the admin's new total 4 keeps the taken one -> 3 of 4
    assert taken.json()["capacity"] == {"total": 3, "free": 2}
    assert resized.json()["capacity"] == {"total": 4, "free": 3}


@pytest.mark.kafka
async def test_workers_and_editors_read_a_cases_suggestions(catalogue: Catalogue) -> None:
    event = need_assessed("roofless")
    await catalogue.assess(event)
    await catalogue.suggestions(event.case_id, assessment_id=event.assessment_id)  # as a worker

    as_editor = await catalogue.editor.get(f"/api/cases/{event.case_id}/suggestions")

    assert as_editor.status_code == 200
    assert as_editor.json()["case_id"] == str(event.case_id)


async def test_the_leaflet_is_public(catalogue: Catalogue) -> None:
    phone = {"phones": ["+420 000 700 111"]}  # an entry without contacts is not on the leaflet
    await catalogue.create(entry("debt_advice", "Dluhová poradna U Radnice", contacts=phone))

    page = await catalogue.anonymous.get("/leaflet")
    pdf = await catalogue.anonymous.get("/leaflet.pdf")

    assert page.status_code == 200 and "Dluhová poradna U Radnice" in page.text
    assert (pdf.status_code, pdf.headers["content-type"]) == (200, "application/pdf")


@pytest.mark.kafka
async def test_a_change_with_the_session_cookie_needs_the_csrf_token(catalogue: Catalogue) -> None:
    signer = Signer(TEST_SECRET)
    cookie = signer.session("editor-9", {Role.CATALOGUE_EDITOR}, "kmb-lipovec", "Eva Editorová")
    session = signer.read_session(cookie)
    assert session is not None
    catalogue.anonymous.cookies.set(SESSION_COOKIE, cookie)

    without = await catalogue.anonymous.post("/api/solutions", json=HOSTEL)
    wrong = await catalogue.anonymous.post("/api/solutions", json=HOSTEL, headers={CSRF_HEADER: "x"})
    read = await catalogue.anonymous.get("/api/solutions")
    created = await catalogue.anonymous.post(
        "/api/solutions", json=HOSTEL, headers={CSRF_HEADER: session.csrf}
    )

    assert (without.status_code, wrong.status_code) == (403, 403)
    assert without.json()["detail"]["code"] == "csrf"
    assert (read.status_code, read.json()) == (200, [])  # reading needs no token
    assert created.status_code == 201
    [event] = await catalogue.events(expect=1)
    assert event.payload["actor"] == {"user_id": "editor-9", "organisation": "kmb-lipovec"}
