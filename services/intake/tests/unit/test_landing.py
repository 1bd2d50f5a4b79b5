"""Where a person lands after signing in: the first page of their work, by role."""

from __future__ import annotations

import pytest

from kmb_intake.entrypoints.pages.common import landing
from kmb_shared.auth import Principal, Role
from kmb_shared.web import service_urls


@pytest.mark.parametrize(
    ("roles", "service", "path"),
    [
        ({Role.WORKER, Role.ADMIN}, "intake", "/desk"),
        ({Role.ADMIN}, "intake", "/admin/users"),
        ({Role.ANALYST}, "stats", "/dashboard"),
        ({Role.CATALOGUE_EDITOR}, "catalogue", "/catalogue"),
        ({Role.RULES_EDITOR}, "assessment", "/rules"),
        ({Role.PARTNER}, "referrals", "/partner/inbox"),
    ],
)
def test_each_role_lands_on_the_first_page_of_its_work(roles: set[str], service: str, path: str) -> None:
    where = landing(Principal("u-1", frozenset(roles), "kmb"))
    assert where == (path if service == "intake" else f"{service_urls()[service]}{path}")
