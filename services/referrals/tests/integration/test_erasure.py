"""Referrals' part of an erasure (issue 14) on the real broker: the count intake asks before erasing (open
referrals of the case, the caller's organisation only, administrators only), and PersonalDataErased
dropping the free texts of the case's referrals and the sent outbox rows naming them (partner messages
included), while states, codes and dates stay and other cases are untouched."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID, uuid4

import pytest
import sqlalchemy as sa

from kmb_shared.auth import Role
from kmb_shared.contracts import Actor, PersonalDataErased
from kmb_shared.messaging import OutboxMessage
from kmb_testkit.fixtures import bearer

from .support import ADMIN, LIPOVEC, WORKER, Referrals

pytestmark = pytest.mark.kafka

NOTE = "Paní Ypsilonová, volat na 603 918 273"


async def _open_count(referrals: Referrals, case_id: UUID, headers: dict[str, str] = ADMIN) -> object:
    response = await referrals.client.get(f"/api/cases/{case_id}/open-referrals", headers=headers)
    return response.json()["open"] if response.status_code == 200 else response.status_code


async def _sent_naming(referrals: Referrals, *ids: str) -> int:
    await referrals.all_sent()
    async with referrals.runtime.db.engine.connect() as conn:
        payloads = (await conn.execute(sa.select(OutboxMessage.payload))).scalars().all()  # type: ignore[call-overload]
    return sum(1 for p in payloads if any(i in p for i in ids))


async def test_intake_learns_how_many_referrals_of_a_case_are_open(referrals: Referrals) -> None:
    await referrals.partner("ngo-vymaz", ["social_work", "debt_advice"])
    case_id = uuid4()
    await referrals.open_case(case_id)
    first = await referrals.referral(case_id, "ngo-vymaz", "social_work")
    await referrals.referral(case_id, "ngo-vymaz", "debt_advice")
    two = await _open_count(referrals, case_id)
    await referrals.step(first["id"], "cancel", {"reason": "cancelled_by_worker"})
    one = await _open_count(referrals, case_id)
    other_organisation = await _open_count(referrals, case_id, bearer(Role.ADMIN, organisation="kmb-jinde"))

    assert (two, one, other_organisation) == (2, 1, 0)
    assert await _open_count(referrals, case_id, WORKER) == 403
    assert await _open_count(referrals, uuid4()) == 0


async def test_personal_data_erased_drops_the_free_texts_and_the_messages_naming_the_case(
    referrals: Referrals,
) -> None:
    await referrals.partner("ngo-vymaz2", ["social_work"])
    case_id, other_case = uuid4(), uuid4()
    await referrals.open_case(case_id, consent=["ngo-vymaz2"])
    await referrals.open_case(other_case, number=2)
    made = await referrals.referral(case_id, "ngo-vymaz2", "social_work", note=NOTE)
    await referrals.step(made["id"], "cancel", {"reason": "cancelled_by_worker"})
    kept = await referrals.referral(other_case, "ngo-vymaz2", "social_work", note=NOTE)
    assert await _sent_naming(referrals, made["id"]) >= 2  # the event and the partner message

    erased = PersonalDataErased(
        case_id=case_id,
        case_number="KMB-2026-00001",
        erased_at=datetime(2026, 12, 4, tzinfo=UTC),
        reason="data_subject_request",
        actor=Actor(user_id="admin-1", organisation=LIPOVEC),
    )
    await referrals.apply_intake(erased)

    after = await referrals.get(f"/api/referrals/{made['id']}")
    untouched = await referrals.get(f"/api/referrals/{kept['id']}")
    assert (after["note"], after["status"], after["kind"], after["partner"]) == (
        None, "cancelled", "social_work", "ngo-vymaz2")  # fmt: skip
    assert untouched["note"] == NOTE
    assert await _sent_naming(referrals, made["id"], str(case_id)) == 0
    assert await _sent_naming(referrals, kept["id"]) >= 1
