"""A partner fetches the applicant's identity from intake only where the case's consent names it or
referrals vouches for a legal basis; every fetch is in the view log the case's auditors read."""

from __future__ import annotations

from typing import Any

import pytest
from itsdangerous import URLSafeTimedSerializer

from kmb_shared.auth import Role
from kmb_testkit.fixtures import TEST_SECRET, bearer

from .support import AUDITOR, WORKER, Intake, case_body, member

pytestmark = pytest.mark.kafka

CONSENTED = bearer(Role.PARTNER, organisation="ngo-domov", user="domov-1")
OTHER = bearer(Role.PARTNER, organisation="up-praha", user="up-1")


def consented_case() -> dict[str, Any]:
    consent = {"purpose": "Předání partnerům", "given_on": "2026-01-05", "worker_id": "worker-7"}
    return case_body(
        legal_basis=None,
        consent={**consent, "partners": ["ngo-domov"]},
        members=[member(first_name="Zbyňka", last_name="Qwertová", date_of_birth="1979-11-23")],
        phone="+420 731 908 246",
        email="zbynka.qwertova@example.cz",
        address={"street": "Xyzova 771", "municipality": "Praha", "orp_code": "1000", "district": "Praha 7"},
    )


def grant(case_id: str, partner: str, basis: str, secret: str = TEST_SECRET) -> dict[str, str]:
    value = URLSafeTimedSerializer(secret, salt="kmb.disclosure-grant.v1").dumps(
        {"c": case_id, "p": partner, "b": basis}
    )
    return {"X-KMB-Disclosure-Grant": value}


async def partner_views(intake: Intake, case_id: str) -> set[tuple[str, str, str]]:
    response = await intake.client.get("/api/audit/views", params={"case_id": case_id}, headers=AUDITOR)
    assert response.status_code == 200, response.text
    return {(v["user_id"], v["organisation"], v["kind"]) for v in response.json() if v["kind"] == "partner"}


async def test_the_consented_partner_gets_the_identity_and_the_fetch_is_logged(intake: Intake) -> None:
    case = await intake.open_case(consented_case())

    response = await intake.client.get(f"/api/cases/{case['id']}/for-partner", headers=CONSENTED)

    assert response.status_code == 200, response.text
    body = response.json()
    assert body["disclosure_basis"] == "consent" and body["number"] == case["number"]
    assert body["members"] == [
        {
            "first_name": "Zbyňka",
            "last_name": "Qwertová",
            "date_of_birth": "1979-11-23",
            "relationship": "applicant",
        }
    ]
    assert body["household"]["phone"] == "+420731908246", "as intake stores it"
    assert body["household"]["email"] == "zbynka.qwertova@example.cz"
    assert body["household"]["address"]["street"] == "Xyzova 771"
    assert "dwelling" not in body["household"] and "incomes" not in body["members"][0]
    assert await partner_views(intake, case["id"]) == {("domov-1", "ngo-domov", "partner")}


async def test_a_partner_the_consent_does_not_name_gets_nothing_and_nothing_is_logged(intake: Intake) -> None:
    case = await intake.open_case(consented_case())

    response = await intake.client.get(f"/api/cases/{case['id']}/for-partner", headers=OTHER)

    assert response.status_code == 403
    assert response.json()["detail"]["code"] == "not_disclosed"
    assert "Qwert" not in response.text
    assert await partner_views(intake, case["id"]) == set()


async def test_a_legal_basis_needs_referrals_grant_for_this_case_and_partner(intake: Intake) -> None:
    case = await intake.open_case(consented_case())
    url = f"/api/cases/{case['id']}/for-partner"
    basis = "§ 18 zákona č. 175/2025 Sb."

    forged = await intake.client.get(
        url, headers={**OTHER, **grant(case["id"], "up-praha", basis, "jiný-klíč")}
    )
    for_another = await intake.client.get(url, headers={**OTHER, **grant(case["id"], "ngo-domov", basis)})
    granted = await intake.client.get(url, headers={**OTHER, **grant(case["id"], "up-praha", basis)})

    assert (forged.status_code, for_another.status_code) == (403, 403)
    assert granted.status_code == 200, granted.text
    assert granted.json()["disclosure_basis"] == basis
    assert await partner_views(intake, case["id"]) == {("up-1", "up-praha", "partner")}


async def test_only_partners_may_ask_and_an_unknown_case_is_not_found(intake: Intake) -> None:
    case = await intake.open_case(consented_case())
    url = f"/api/cases/{case['id']}/for-partner"

    assert (await intake.client.get(url, headers=WORKER)).status_code == 403
    async with intake.new_client() as anonymous:
        assert (await anonymous.get(url)).status_code == 401
    unknown = "/api/cases/00000000-0000-4000-8000-000000000000/for-partner"
    assert (await intake.client.get(unknown, headers=CONSENTED)).status_code == 404
