"""Organisation scoping of case timelines on every route and page that shows one: the history's cases
are the organisation "kmb"'s (their CaseOpened's actor). A worker, auditor or administrator of another
organisation finds none of them, by number or by id, over the API (JSON and CSV) and on the pages
(404, nothing of the case shown); users of "kmb" still read them. Aggregated figures stay national
(they name no case), so the same users read the same summary."""

from __future__ import annotations

from kmb_testkit.fixtures import bearer
from kmb_testkit.routes import api_routes

from ..integration.support import CASE_AUDITOR, CASE_ORG, CASE_WORKER, HISTORY, signed_in
from .site import Site as Stats
from .site import store_history

OTHER = "kraj-audit"
OTHER_API = [bearer(role, organisation=OTHER, user=f"{role}-x") for role in ("worker", "auditor", "admin")]
CASE_ID = str(HISTORY.CASES["C"])
#: the routes and pages that show a case (checked against the app's routes)
CASE_ROUTES = {"/api/audit/cases/{case}", "/audit", "/audit/cases/{reference}"}


async def test_every_route_that_shows_a_case_is_in_this_test(stats: Stats) -> None:
    app = stats.client._transport.app  # type: ignore[attr-defined]
    paths = {route.path for route in api_routes(app.routes)}
    assert {p for p in paths if "audit" in p or "case" in p} == CASE_ROUTES


async def test_another_organisation_finds_no_case_over_the_api(stats: Stats) -> None:
    await store_history(stats)
    for reference in ("KMB-2026-00003", CASE_ID):
        for own in (CASE_WORKER, CASE_AUDITOR, bearer("admin", organisation=CASE_ORG, user="admin-k")):
            assert (await stats.get(f"/api/audit/cases/{reference}", headers=own))["case_id"] == CASE_ID
        for other in OTHER_API:
            for params in ({}, {"format": "csv"}):
                response = await stats.client.get(
                    f"/api/audit/cases/{reference}", params=params, headers=other
                )
                assert response.status_code == 404, (reference, params, response.text)
                assert "Případ otevřen" not in response.text and "KMB-2026-00003" not in response.text
                assert response.json()["detail"]["message_en"]
    # the counts name no case and stay national
    summary = "/api/stats/summary"
    assert await stats.get(summary, headers=OTHER_API[0]) == await stats.get(summary, headers=CASE_WORKER)


async def test_another_organisation_finds_no_case_on_the_pages(stats: Stats) -> None:
    await store_history(stats)
    own = signed_in("auditor", organisation=CASE_ORG)
    assert (await stats.client.get("/audit/cases/KMB-2026-00003", headers=own.headers)).status_code == 200
    for role in ("auditor", "admin"):
        other = signed_in(role, organisation=OTHER)
        found = await stats.client.get("/audit", params={"case": "KMB-2026-00003"}, headers=other.headers)
        assert found.status_code == 404 and "nemá statistika žádnou událost" in found.text
        for reference in ("KMB-2026-00003", CASE_ID):
            page = await stats.client.get(f"/audit/cases/{reference}", headers=other.headers)
            assert page.status_code == 404, (role, reference)
            assert "Případ otevřen" not in page.text and "Auditní stopa případu" not in page.text
    worker = signed_in("worker", organisation=OTHER)
    page = await stats.client.get(f"/audit/cases/{CASE_ID}", headers=worker.headers)
    assert page.status_code == 404 and "Případ otevřen" not in page.text
