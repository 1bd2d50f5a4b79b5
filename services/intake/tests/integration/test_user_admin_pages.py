"""An administrator changes a user's roles or sets a new password on the user's page, without the API
(issue 13 items 2-3: both end every earlier session of the user on every service)."""

from __future__ import annotations

import pytest

from kmb_shared.auth import Role

from .support import ADMIN, Intake, add_user, csrf_of, log_in, signed_in

pytestmark = pytest.mark.kafka


async def test_roles_and_password_changed_on_the_page_end_the_users_sessions(intake: Intake) -> None:
    user = await add_user(intake, "petr.novy", Role.WORKER)
    async with intake.new_client() as worker, signed_in(intake, "eva.sprava", Role.ADMIN) as admin:
        assert (await log_in(worker, "petr.novy")).status_code == 303
        assert (await worker.get("/desk")).status_code == 200

        page = await admin.get(f"/admin/users/{user['id']}")
        assert page.status_code == 200 and "Uživatel Eva Malá" in page.text and "Nové heslo" in page.text
        token = csrf_of(page.text, f"/admin/users/{user['id']}/roles")
        saved = await admin.post(
            f"/admin/users/{user['id']}/roles", data={"csrf_token": token, "roles": ["worker", "auditor"]}
        )
        assert saved.status_code == 303 and saved.headers["location"] == "/admin/users?saved=roles"
        told = await admin.get(saved.headers["location"])
        assert "Role byly uloženy" in told.text
        listed = (await intake.client.get("/api/users", headers=ADMIN)).json()
        assert next(u["roles"] for u in listed if u["id"] == user["id"]) == ["auditor", "worker"]
        assert (await worker.get("/desk")).status_code in (303, 401), "the old session ended"

        # a new password: two different entries are refused with the reason on the field
        token = csrf_of(page.text, f"/admin/users/{user['id']}/password")
        mismatch = await admin.post(
            f"/admin/users/{user['id']}/password",
            data={"csrf_token": token, "password": "nove-heslo-123", "password_again": "jine-heslo-123"},
        )
        assert mismatch.status_code == 422 and "Hesla se neshodují" in mismatch.text
        short = await admin.post(
            f"/admin/users/{user['id']}/password",
            data={"csrf_token": token, "password": "kratke", "password_again": "kratke"},
        )
        assert short.status_code == 422
        changed = await admin.post(
            f"/admin/users/{user['id']}/password",
            data={"csrf_token": token, "password": "nove-heslo-123", "password_again": "nove-heslo-123"},
        )
        assert changed.status_code == 303
    async with intake.new_client() as again:
        assert (await log_in(again, "petr.novy")).status_code != 303, "the old password no longer works"
        assert (await log_in(again, "petr.novy", "nove-heslo-123")).status_code == 303
        assert (await again.get("/cases")).status_code == 200  # an auditor now: reads cases


async def test_the_page_of_an_unknown_user_and_roles_that_do_not_go_together(intake: Intake) -> None:
    user = await add_user(intake, "jan.dvorak", Role.WORKER)
    async with signed_in(intake, "eva.sprava2", Role.ADMIN) as admin:
        assert (await admin.get("/admin/users/u-nikdo")).status_code == 404
        page = await admin.get(f"/admin/users/{user['id']}")
        token = csrf_of(page.text, f"/admin/users/{user['id']}/roles")
        refused = await admin.post(
            f"/admin/users/{user['id']}/roles", data={"csrf_token": token, "roles": ["partner", "worker"]}
        )
        assert refused.status_code == 422
        none = await admin.post(f"/admin/users/{user['id']}/roles", data={"csrf_token": token})
        assert none.status_code == 422
