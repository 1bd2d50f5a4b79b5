"""Organisation scoping: a case belongs to the organisation whose worker opened it (intake's CaseOpened
actor), and only that organisation's users read its suggestions, see it among an entry's allocations,
or take and give back places for it — on every route and page, whatever their role.

As intake answers for another organisation's case: not found (404, its existence is not told); lists
leave it out. An auditor has no catalogue role at all (403, in either organisation). A case the
catalogue has not heard of from intake yet: its suggestions and allocations belong to the organisation
of the worker whose assessment or request made them, until CaseOpened says whose case it is.

Runs on SQLite and PostgreSQL (the scoping is SQL); intake's and assessment's events are applied as the
consumer's handlers apply them (their delivery over Kafka: ``test_matching``)."""

from __future__ import annotations

from uuid import UUID, uuid4

import pytest

from kmb_shared.auth import Role
from kmb_shared.contracts import Actor
from kmb_testkit.fixtures import bearer
from kmb_testkit.routes import method_paths

from .conftest import OFFLINE_BROKER, Backend
from .support import LIPOVEC, Catalogue, case_opened, entry, need_assessed

OTHER = "kmb-brezany"
OTHER_WORKER = bearer(Role.WORKER, organisation=OTHER, user="worker-b1")
OTHER_EDITOR = bearer(Role.CATALOGUE_EDITOR, organisation=OTHER, user="editor-b1")
OTHER_ADMIN = bearer(Role.ADMIN, organisation=OTHER, user="admin-b1")
OTHER_ACTOR = Actor(user_id="worker-b1", organisation=OTHER)
AUDITORS = [bearer(Role.AUDITOR, organisation=org, user=f"auditor-{org}") for org in (LIPOVEC, OTHER)]

#: the routes and pages about a case (by its id in the path or the body)
CASE_ROUTES = {
    ("GET", "/api/cases/{case_id}/suggestions"),
    ("GET", "/cases/{case_id}/suggestions"),
    ("POST", "/api/cases/{case_id}/suggestions/recompute"),
    ("POST", "/cases/{case_id}/suggestions/recompute"),
    ("POST", "/api/solutions/{solution_id}/allocate"),
    ("POST", "/api/solutions/{solution_id}/release"),
    ("GET", "/api/solutions/{solution_id}/allocations"),
}
#: the entries themselves, the demo and the leaflet name no case
NO_CASE_ROUTES = {
    ("GET", "/api/solutions"),
    ("POST", "/api/solutions"),
    ("GET", "/api/solutions/{solution_id}"),
    ("PATCH", "/api/solutions/{solution_id}"),
    ("DELETE", "/api/solutions/{solution_id}"),
    ("POST", "/api/solutions/{solution_id}/capacity"),
    ("POST", "/api/demo/load"),
    ("GET", "/catalogue"),
    ("GET", "/catalogue/new"),
    ("POST", "/catalogue/new"),
    ("GET", "/catalogue/{solution_id}"),
    ("GET", "/catalogue/{solution_id}/edit"),
    ("POST", "/catalogue/{solution_id}/edit"),
    ("POST", "/catalogue/{solution_id}/withdraw"),
    ("POST", "/catalogue/{solution_id}/capacity"),
    ("GET", "/leaflet"),
    ("GET", "/leaflet.pdf"),
}

HOSTEL = entry("commercial_hostel", "Ubytovna U Parku", capacity={"total": 3, "free": 3})
SHELTER = entry("night_shelter", "Noclehárna U Mostu", capacity={"total": 10, "free": 10})


@pytest.fixture
def catalogue_backend(database_url: str) -> Backend:
    """The catalogue without the broker, on SQLite and on PostgreSQL."""
    return Backend(False, OFFLINE_BROKER, "offline.", database_url)


async def _lipovec_case(catalogue: Catalogue) -> tuple[UUID, str]:
    """Lipovec's case, assessed (suggestions kept), holding a place of the hostel; (case, hostel id)."""
    hostel = (await catalogue.create(HOSTEL))["id"]
    await catalogue.create(SHELTER)
    case = uuid4()
    await catalogue.apply(case_opened(case, LIPOVEC))
    await catalogue.apply(need_assessed("roofless", case_id=case))
    taken = await catalogue.worker.post(f"/api/solutions/{hostel}/allocate", json={"case_id": str(case)})
    assert taken.status_code == 200, taken.text
    return case, hostel


async def test_every_route_is_either_about_a_case_or_about_none(catalogue: Catalogue) -> None:
    """A new route must be added to CASE_ROUTES (and so to the tests below) or to NO_CASE_ROUTES."""
    app = catalogue.transport.app  # type: ignore[attr-defined]
    assert method_paths(app.routes) == CASE_ROUTES | NO_CASE_ROUTES


async def test_another_organisation_finds_no_case_on_any_api_route(catalogue: Catalogue) -> None:
    case, hostel = await _lipovec_case(catalogue)
    own = await catalogue.worker.get(f"/api/cases/{case}/suggestions")
    assert own.status_code == 200 and "Noclehárna U Mostu" in own.text, "the case's own worker reads them"
    held = (await catalogue.worker.get(f"/api/solutions/{hostel}/allocations")).json()
    assert [a["case_id"] for a in held] == [str(case)]
    events_before = await catalogue.outbox_count()

    for other in (OTHER_WORKER, OTHER_EDITOR, OTHER_ADMIN):
        suggestions = await catalogue.anonymous.get(f"/api/cases/{case}/suggestions", headers=other)
        assert suggestions.status_code == 404, suggestions.text
        assert "Noclehárna" not in suggestions.text
        assert suggestions.json()["detail"]["message_cs"] and suggestions.json()["detail"]["message_en"]
        listed = await catalogue.anonymous.get(f"/api/solutions/{hostel}/allocations", headers=other)
        assert (listed.status_code, listed.json()) == (200, [])
        for action in ("allocate", "release"):
            path = f"/api/solutions/{hostel}/{action}"
            response = await catalogue.anonymous.post(path, json={"case_id": str(case)}, headers=other)
            assert response.status_code == 404, (action, response.text)
    for auditor in AUDITORS:  # no catalogue role, in either organisation
        for method, path, body in (
            ("GET", f"/api/cases/{case}/suggestions", None),
            ("GET", f"/api/solutions/{hostel}/allocations", None),
            ("POST", f"/api/solutions/{hostel}/allocate", {"case_id": str(case)}),
            ("POST", f"/api/solutions/{hostel}/release", {"case_id": str(case)}),
        ):
            response = await catalogue.anonymous.request(method, path, json=body, headers=auditor)
            assert response.status_code == 403, (method, path)

    entry_now = (await catalogue.worker.get(f"/api/solutions/{hostel}")).json()
    assert entry_now["capacity"] == {"total": 3, "free": 2}, "the place is still held, none more taken"
    assert await catalogue.outbox_count() == events_before, "nothing was published"
    released = await catalogue.worker.post(f"/api/solutions/{hostel}/release", json={"case_id": str(case)})
    assert released.status_code == 200, "the own organisation still gives it back"


async def test_another_organisation_gets_the_not_found_page_for_a_case(catalogue: Catalogue) -> None:
    case, _ = await _lipovec_case(catalogue)
    async with catalogue.browser(Role.WORKER) as own:
        page = await own.get(f"/cases/{case}/suggestions")
    assert page.status_code == 200 and "Noclehárna U Mostu" in page.text
    async with catalogue.browser(Role.WORKER, user="worker-b1", organisation=OTHER) as other:
        refused = await other.get(f"/cases/{case}/suggestions")
    assert refused.status_code == 404
    assert "Případ nenalezen" in refused.text and "Noclehárna" not in refused.text
    for org in (LIPOVEC, OTHER):
        async with catalogue.browser(Role.AUDITOR, user=f"auditor-{org}", organisation=org) as auditor:
            assert (await auditor.get(f"/cases/{case}/suggestions")).status_code == 403


async def test_a_case_not_heard_of_yet_is_the_acting_workers_until_intake_says_whose_it_is(
    catalogue: Catalogue,
) -> None:
    hostel = (await catalogue.create(HOSTEL))["id"]
    await catalogue.create(SHELTER)
    case = uuid4()
    await catalogue.apply(need_assessed("roofless", case_id=case, actor=OTHER_ACTOR))
    taken = await catalogue.anonymous.post(
        f"/api/solutions/{hostel}/allocate", json={"case_id": str(case)}, headers=OTHER_WORKER
    )
    assert taken.status_code == 200, taken.text
    suggestions = f"/api/cases/{case}/suggestions"
    allocations = f"/api/solutions/{hostel}/allocations"
    assert (await catalogue.anonymous.get(suggestions, headers=OTHER_WORKER)).status_code == 200
    assert len((await catalogue.anonymous.get(allocations, headers=OTHER_WORKER)).json()) == 1
    assert (await catalogue.worker.get(suggestions)).status_code == 404, "not Lipovec's while unsaid"
    assert (await catalogue.worker.get(allocations)).json() == []
    release = await catalogue.worker.post(f"/api/solutions/{hostel}/release", json={"case_id": str(case)})
    assert release.status_code == 404

    await catalogue.apply(case_opened(case, LIPOVEC))  # intake: Lipovec's worker opened the case

    assert (await catalogue.worker.get(suggestions)).status_code == 200
    assert [a["case_id"] for a in (await catalogue.worker.get(allocations)).json()] == [str(case)]
    assert (await catalogue.anonymous.get(suggestions, headers=OTHER_WORKER)).status_code == 404
    assert (await catalogue.anonymous.get(allocations, headers=OTHER_WORKER)).json() == []
    again = await catalogue.anonymous.post(
        f"/api/solutions/{hostel}/release", json={"case_id": str(case)}, headers=OTHER_WORKER
    )
    assert again.status_code == 404
    released = await catalogue.worker.post(f"/api/solutions/{hostel}/release", json={"case_id": str(case)})
    assert released.status_code == 200
