"""Nobody issues a token with more rights to personal data than their own role gives (issue 13, 4):
an administrator may not mint a worker or auditor token; a partner token is still theirs to issue."""

from __future__ import annotations

import pytest

from kmb_shared.auth import Role

from .support import ADMIN, Intake, csrf_of, signed_in

pytestmark = pytest.mark.kafka


@pytest.mark.parametrize("role", [Role.WORKER, Role.AUDITOR])
async def test_an_admin_cannot_mint_a_personal_data_token(intake: Intake, role: str) -> None:
    refused = await intake.client.post(
        "/api/tokens", json={"organisation": "kmb", "roles": [role, "analyst"]}, headers=ADMIN
    )

    assert refused.status_code == 403
    detail = refused.json()["detail"]
    assert detail["code"] == "token_rights_exceeded"
    assert "osobní údaje" in detail["message_cs"]
    assert "personal data" in detail["message_en"]
    assert await intake.count("intake_api_token") == 0


async def test_the_admin_page_neither_offers_nor_issues_a_worker_token(intake: Intake) -> None:
    async with signed_in(intake, "admin.ka", Role.ADMIN) as browser:
        page = await browser.get("/admin/users")
        refused = await browser.post(
            "/admin/tokens",
            data={"token_organisation": "kmb", "token_roles": "worker", "csrf_token": csrf_of(page.text)},
        )

    assert refused.status_code == 403
    assert "Token nemůže nést roli, která čte osobní údaje" in refused.text
    assert await intake.count("intake_api_token") == 0
