"""API tokens can be listed and revoked by id (issue 13 item 3): on the accounts API (GET list, POST
and DELETE revoke) and on the administrators' users page (Czech, no code values); a revoked token is
refused at once, also one intake did not issue (its id is recorded as revoked)."""

from __future__ import annotations

import re
import uuid

import pytest

from kmb_shared.auth import Role, Signer
from kmb_testkit.fixtures import TEST_SECRET, bearer

from .support import ADMIN, Intake, csrf_of, signed_in

pytestmark = pytest.mark.kafka


def sid_of(headers: dict[str, str]) -> str:
    principal = Signer(TEST_SECRET).read_token(headers["Authorization"].removeprefix("Bearer "))
    assert principal is not None and principal.sid is not None
    return principal.sid


async def _issue(intake: Intake, organisation: str = "charita") -> dict[str, object]:
    issued = await intake.client.post(
        "/api/tokens", json={"organisation": organisation, "roles": ["partner"]}, headers=ADMIN
    )
    assert issued.status_code == 201, issued.text
    return dict(issued.json())


@pytest.mark.parametrize("method", ["POST", "DELETE"])
async def test_an_issued_token_is_listed_and_revoked_by_its_id(intake: Intake, method: str) -> None:
    issued = await _issue(intake)
    other = await _issue(intake, "diakonie")
    token = {"Authorization": f"Bearer {issued['token']}"}
    assert (await intake.client.get("/api/me", headers=token)).status_code == 200

    listed = (await intake.client.get("/api/tokens", headers=ADMIN)).json()
    path = f"/api/tokens/{issued['id']}" + ("/revoke" if method == "POST" else "")
    revoked = await intake.client.request(method, path, headers=ADMIN)
    after = (await intake.client.get("/api/tokens", headers=ADMIN)).json()

    assert [(t["id"], t["organisation"], t["roles"], t["status"]) for t in listed] == [
        (other["id"], "diakonie", ["partner"], "active"),
        (issued["id"], "charita", ["partner"], "active"),
    ]
    assert listed[1]["user_id"] == issued["user_id"] and listed[1]["issued_by"] == "admin-1"
    assert listed[1]["expires_at"] == issued["expires_at"]
    assert "token" not in listed[1]  # never the token itself
    assert revoked.status_code == 200 and revoked.json()["status"] == "revoked"
    assert {t["id"]: t["status"] for t in after} == {other["id"]: "active", issued["id"]: "revoked"}
    refused = await intake.client.get("/api/me", headers=token)
    assert refused.status_code == 401 and refused.json()["detail"]["code"] == "unauthenticated"
    assert (
        await intake.client.get("/api/me", headers={"Authorization": f"Bearer {other['token']}"})
    ).status_code == 200


async def test_a_token_intake_did_not_issue_is_revoked_by_its_id_too(intake: Intake) -> None:
    minted = bearer(Role.PARTNER, organisation="charita", user="api-charita-cli")  # as `kmb token` does
    assert (await intake.client.get("/api/me", headers=minted)).status_code == 200

    revoked = await intake.client.delete(f"/api/tokens/{sid_of(minted)}", headers=ADMIN)
    again = await intake.client.delete(f"/api/tokens/{sid_of(minted)}", headers=ADMIN)

    assert revoked.status_code == 200 and revoked.json()["status"] == "revoked"
    assert again.json()["ended_at"] == revoked.json()["ended_at"]  # the first revocation stands
    assert (await intake.client.get("/api/me", headers=minted)).status_code == 401


async def test_only_administrators_list_and_revoke_and_an_id_is_32_hex_digits(intake: Intake) -> None:
    issued = await _issue(intake)
    worker = bearer(Role.WORKER, user="worker-9")
    listing = await intake.client.get("/api/tokens", headers=worker)
    revoking = await intake.client.delete(f"/api/tokens/{issued['id']}", headers=worker)
    bad = await intake.client.delete("/api/tokens/not-an-id", headers=ADMIN)

    assert (listing.status_code, revoking.status_code) == (403, 403)
    assert bad.status_code == 422 and bad.json()["detail"][0]["field"] == "token_id"
    assert (
        await intake.client.get("/api/me", headers={"Authorization": f"Bearer {issued['token']}"})
    ).status_code == 200


async def test_the_admin_page_lists_tokens_in_czech_and_revokes_one(intake: Intake) -> None:
    issued = await _issue(intake)
    async with signed_in(intake, "spravce", Role.ADMIN) as browser:
        page = await browser.get("/admin/users")
        section = page.text[page.text.index('id="h-tokens"') :]
        form = f'action="/admin/tokens/{issued["id"]}/revoke"'
        response = await browser.post(
            f"/admin/tokens/{issued['id']}/revoke", data={"csrf_token": csrf_of(page.text, form[8:-1])}
        )
        after = await browser.get(response.headers["location"])
        unknown = await browser.post(
            f"/admin/tokens/{uuid.uuid4().hex}/revoke", data={"csrf_token": csrf_of(page.text)}
        )

    assert page.status_code == 200
    assert "Vydané tokeny" in section and "charita" in section and "platný" in section
    assert "Partnerská organizace" in section and form in section
    assert not re.search(r">\s*(partner|active|revoked)\s*<", section)  # labels, not code values
    assert (response.status_code, response.headers["location"]) == (303, "/admin/users?saved=token_revoked")
    assert "Token byl odvolán" in after.text
    after_section = after.text[after.text.index('id="h-tokens"') :]
    assert "odvolaný" in after_section and form not in after_section
    assert unknown.status_code == 303  # an id intake did not issue is recorded as revoked
    assert (
        await intake.client.get("/api/me", headers={"Authorization": f"Bearer {issued['token']}"})
    ).status_code == 401
