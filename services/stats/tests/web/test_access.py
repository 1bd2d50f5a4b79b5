"""Sign-in and roles on stats, checked on the server: the API answers 401 without credentials and 403
for a role that may not; pages send a signed-out visitor to intake's login page and back, and show a
Czech 403 page for a role that may not see them."""

from __future__ import annotations

from urllib.parse import quote

from kmb_shared.web import service_urls
from kmb_testkit.fixtures import bearer

from ..integration.support import ADMIN, ANALYST, AUDITOR, PARTNER, WORKER, signed_in
from .site import Site as Stats

PROTECTED_API = [
    ("GET", "/api/stats/summary"),
    ("GET", "/api/stats/breakdown/district"),
    ("GET", "/api/stats/series/contacts"),
    ("GET", "/api/stats/digest"),
    ("GET", "/api/stats/reports"),
    ("POST", "/api/stats/reports"),
    ("GET", "/api/stats/reports/00000000-0000-0000-0000-000000000000.csv"),
    ("GET", "/api/stats/reports/live/2026-Q1.pdf"),
    ("GET", "/api/audit/cases/KMB-2026-00003"),
]


async def test_the_api_without_credentials_answers_401_with_a_czech_reason(stats: Stats) -> None:
    for method, url in PROTECTED_API:
        response = await stats.client.request(method, url, json={"period": "2026-Q1"})
        assert response.status_code == 401, (method, url)
        assert response.headers["www-authenticate"] == "Bearer"
        assert response.json()["detail"]["message_cs"] == "Přihlaste se, prosím."


async def test_a_token_signed_with_another_secret_is_not_accepted(stats: Stats) -> None:
    forged = bearer("admin", secret="not-the-service-secret")
    response = await stats.client.get("/api/stats/summary", headers=forged)
    assert response.status_code == 401


SUMMARY, REPORTS, AUDIT, DIGEST = (
    "/api/stats/summary",
    "/api/stats/reports",
    "/api/audit/cases/KMB-2026-00001",
    "/api/stats/digest",
)
EDITOR = bearer("catalogue_editor")
ROLE_RULES = [
    # figures and reports: analyst, worker, admin
    *((SUMMARY, role, 200) for role in (ANALYST, WORKER, ADMIN)),
    *((SUMMARY, role, 403) for role in (PARTNER, AUDITOR)),
    *((REPORTS, role, 403) for role in (PARTNER, EDITOR)),
    # audit timelines: auditor, admin, worker (404: allowed in, but no event names the case)
    *((AUDIT, role, 404) for role in (AUDITOR, ADMIN, WORKER)),
    *((AUDIT, role, 403) for role in (ANALYST, PARTNER)),
    # the digest: anyone signed in
    *((DIGEST, role, 200) for role in (PARTNER, EDITOR)),
]


async def test_each_role_reaches_only_what_it_may(stats: Stats) -> None:
    for url, headers, status in ROLE_RULES:
        response = await stats.client.get(url, headers=headers)
        assert response.status_code == status, (url, headers, response.text)
        if status == 403:
            assert response.json()["detail"]["code"] == "forbidden"


PAGES = [
    "/dashboard?period=2026-Q1",
    "/reports",
    "/reports/some-report",
    "/audit",
    "/audit/cases/KMB-2026-00003",
]


async def test_pages_send_a_signed_out_visitor_to_the_login_page_and_back(stats: Stats) -> None:
    urls = service_urls()
    for page in PAGES:
        response = await stats.client.get(page)
        assert response.status_code == 303, page
        back = quote(f"{urls['stats']}{page}", safe="")
        assert response.headers["location"] == f"{urls['intake']}/login?next={back}"


PAGE_REFUSALS = [
    ("partner", "/dashboard"),
    ("partner", "/reports"),
    ("auditor", "/dashboard"),
    ("analyst", "/audit"),
    ("analyst", "/audit/cases/KMB-2026-00003"),
    ("worker", "/audit"),  # the lookup of any case is for auditors; the worker's own case page links
]


async def test_pages_refuse_a_role_without_access_with_a_czech_page(stats: Stats) -> None:
    for role, page in PAGE_REFUSALS:
        browser = signed_in(role)
        response = await stats.client.get(page, headers=browser.headers)
        assert response.status_code == 403, (role, page)
        assert "<h1>Přístup odepřen</h1>" in response.text
        assert '<html lang="cs">' in response.text


async def test_a_report_form_sent_without_its_token_is_refused_and_issues_nothing(stats: Stats) -> None:
    browser = signed_in("analyst")
    for form in ({"period": "2026-Q1"}, {"period": "2026-Q1", "csrf_token": "guessed"}):
        response = await stats.client.post("/reports", data=form, headers=browser.headers)
        assert response.status_code == 403
        assert "Formulář nelze přijmout" in response.text
    # the API refuses a cookie-authenticated change without the header too
    response = await stats.client.post(
        "/api/stats/reports", json={"period": "2026-Q1"}, headers=browser.headers
    )
    assert response.status_code == 403
    assert response.json()["detail"]["code"] == "csrf"
    assert await stats.get("/api/stats/reports") == []
