"""When intake, which keeps the truth about sign-ins, does not answer, the other services refuse a
signed-in request with 503 instead of trusting a credential that may have been revoked (issue 13 items
2-3): a Czech page for a person at a page, the shared error body for a program at the API.

Fast tier: each service's app in process, asking an intake address where nothing listens."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from kmb_shared.auth import Role
from kmb_shared.sessions import IntakeSessionChecker
from kmb_testkit.apps import service_app
from kmb_testkit.fixtures import bearer

#: a page and an API route of each peer of intake, for a user whose role may see them
ROUTES = {
    "assessment": ("/register", "/api/register", Role.WORKER),
    "catalogue": ("/catalogue", "/api/solutions", Role.WORKER),
    "referrals": ("/partners", "/api/partners", Role.ADMIN),
    "stats": ("/dashboard", "/api/stats/summary", Role.ANALYST),
}


@pytest.mark.parametrize("service", list(ROUTES))
async def test_a_page_says_in_czech_that_the_sign_in_cannot_be_checked_and_the_api_answers_503(
    service: str, tmp_path: Path
) -> None:
    page, api, role = ROUTES[service]
    app = service_app(service, tmp_path)
    checker = IntakeSessionChecker("http://127.0.0.1:9", timeout_s=0.5)  # nothing listens there
    app.state.session_checker = checker
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        shown = await client.get(page, headers=bearer(role))
        called = await client.get(api, headers=bearer(role))
    await checker.aclose()
    await app.state.runtime.db.dispose()

    assert shown.status_code == 503 and shown.headers["content-type"].startswith("text/html")
    assert "Přihlášení teď nelze ověřit" in shown.text and shown.headers["retry-after"] == "5"
    assert called.status_code == 503
    assert called.json()["detail"]["code"] == "auth_unavailable"
