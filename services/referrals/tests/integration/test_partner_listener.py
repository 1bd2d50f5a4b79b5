"""A department's listener follows its topic with its own consumer group and resumes where it stopped."""

from __future__ import annotations

import io
import json
from typing import Any
from uuid import uuid4

import pytest
from fastapi import FastAPI

from kmb_cli.partner_listener import listen
from kmb_testkit.probe import produce

from .support import Referrals, RunningServer

pytestmark = pytest.mark.kafka


async def _run_once(referrals: Referrals, slug: str, **options: Any) -> list[str]:
    out = io.StringIO()
    prefix = referrals.topics.prefix
    await listen(referrals.bootstrap, prefix, slug, once=True, out=out, **options)
    return out.getvalue().splitlines()


async def test_the_listener_prints_each_message_once_across_restarts(referrals: Referrals) -> None:
    await referrals.partner("socialni-odbor", ["social_work"], kind="social_department")
    first = await referrals.referral(uuid4(), "socialni-odbor", "social_work")
    await referrals.all_sent()

    lines = await _run_once(referrals, "socialni-odbor")
    assert len(lines) == 1
    assert lines[0].startswith("NOVÉ PŘEDÁNÍ 2026-03-02: Sociální práce")
    assert first["id"] in lines[0]

    second = await referrals.referral(uuid4(), "socialni-odbor", "social_work")
    await referrals.step(first["id"], "accept")
    await referrals.all_sent()

    lines = await _run_once(referrals, "socialni-odbor")
    # Only what arrived since the first run: the second referral and the first one's acceptance.
    assert len(lines) == 2
    new = [line for line in lines if line.startswith("NOVÉ PŘEDÁNÍ")]
    assert len(new) == 1 and second["id"] in new[0]
    accepted = [line for line in lines if line.startswith("PŘEDÁNÍ PŘIJATO")]
    assert len(accepted) == 1 and first["id"] in accepted[0]

    assert await _run_once(referrals, "socialni-odbor") == []


async def test_the_listener_can_forward_each_message_as_json(referrals: Referrals) -> None:
    received: list[dict[str, Any]] = []
    receiver = FastAPI()

    @receiver.post("/inbox")
    async def inbox(body: dict[str, Any]) -> dict[str, bool]:
        received.append(body)
        return {"ok": True}

    await referrals.partner("bytovy-odbor", ["municipal_flat_application"], kind="housing_department")
    made = await referrals.referral(uuid4(), "bytovy-odbor", "municipal_flat_application")
    await referrals.all_sent()
    async with RunningServer(receiver) as server:
        printed = await _run_once(referrals, "bytovy-odbor", forward_url=f"{server.url}/inbox")
    assert printed == []
    assert [(m["type"], m["data"]["referral_id"]) for m in received] == [
        ("kmb.partner.referral.v2", made["id"])
    ]
    assert received[0]["id"]


async def test_an_old_message_with_the_identity_is_still_understood(referrals: Referrals) -> None:
    """Messages of the first version (identity inside) written before issue 14 stay readable."""
    await referrals.partner("ngo-stary", ["housing_assistance"])
    old = {
        "message_type": "kmb.partner.referral.v1",
        "referral_id": "7d9e4a4c-0000-4000-8000-00000000a001",
        "partner": "ngo-stary",
        "kind": "housing_assistance",
        "kind_label": "Pomoc s bydlením",
        "made_on": "2025-11-03",
        "due_on": "2025-11-10",
        "case_reference": "P-0123456789ABCDEF",
        "identified": True,
        "disclosure_basis": "consent",
        "client": {"full_name": "Jarmila Stará", "phone": "+420 777 000 999", "email": None},
        "case_number": "KMB-2025-00007",
        "note": "Volat dopoledne.",
        "household": {"household_size": 1, "children": 0},
        "worker": {"name": "Pracovník", "organisation": "kmb"},
    }
    headers: list[tuple[str, bytes | None]] = [("ce_type", b"kmb.partner.referral.v1"), ("ce_id", b"old-1")]
    await produce(
        referrals.bootstrap,
        referrals.topics.partner("ngo-stary"),
        [(json.dumps(old).encode(), headers, b"k")],
    )

    [line] = await _run_once(referrals, "ngo-stary")

    assert line.startswith("NOVÉ PŘEDÁNÍ 2025-11-03: Pomoc s bydlením")
    assert "Jarmila Stará (+420 777 000 999)" in line
    assert "poznámka: Volat dopoledne." in line and "GET" not in line


async def test_a_new_message_says_where_an_identified_partner_fetches_the_details(
    referrals: Referrals,
) -> None:
    await referrals.partner("ngo-domov", ["housing_assistance"])
    case_id = uuid4()
    await referrals.open_case(case_id, consent=["ngo-domov"])
    made = await referrals.referral(case_id, "ngo-domov", "housing_assistance")
    await referrals.all_sent()

    [line] = await _run_once(referrals, "ngo-domov")

    assert f"údaje o klientovi: GET /api/partner/ngo-domov/referrals/{made['id']}" in line


async def test_a_step_says_where_its_note_is_and_an_old_step_with_the_note_is_still_read(
    referrals: Referrals,
) -> None:
    await referrals.partner("ngo-kroky", ["housing_assistance"])
    made = await referrals.referral(uuid4(), "ngo-kroky", "housing_assistance")
    response = await referrals.step(made["id"], "decline", {"reason": "other", "note": "Nemáme kapacitu."})
    assert response.status_code == 200, response.text
    await referrals.all_sent()
    old = {
        "message_type": "kmb.partner.referral_status.v1",
        "referral_id": "7d9e4a4c-0000-4000-8000-00000000a002",
        "partner": "ngo-kroky",
        "kind": "housing_assistance",
        "kind_label": "Pomoc s bydlením",
        "case_reference": "P-0123456789ABCDEF",
        "update": "declined",
        "update_label": "Předání odmítnuto",
        "state": "declined",
        "state_label": "Odmítnuto",
        "on": "2025-11-04",
        "note": "Volat dopoledne.",
    }
    headers: list[tuple[str, bytes | None]] = [
        ("ce_type", b"kmb.partner.referral_status.v1"),
        ("ce_id", b"o2"),
    ]
    await produce(
        referrals.bootstrap,
        referrals.topics.partner("ngo-kroky"),
        [(json.dumps(old).encode(), headers, b"k")],
    )

    _, declined, old_line = await _run_once(referrals, "ngo-kroky")

    assert declined.startswith("PŘEDÁNÍ ODMÍTNUTO 2026-03-02: Asistence v bydlení")
    assert f"poznámka: GET /api/partner/ngo-kroky/referrals/{made['id']}" in declined
    assert "Nemáme kapacitu." not in declined
    assert old_line.startswith("PŘEDÁNÍ ODMÍTNUTO 2025-11-04") and "poznámka: Volat dopoledne." in old_line
