"""kmb partner rewrite-topic on the real broker (issue 14): a partner topic holding first-version
messages with a client's name, phone, case number and notes, and a second-version one with the worker's
contact and a legal basis in words, is rewritten so that no partner topic holds them any more; every message is still there, in order, and still readable by the partner's listener,
which resumes where it had stopped."""

from __future__ import annotations

import asyncio
import io
import json
from typing import Any
from uuid import uuid4

import pytest
from typer.testing import CliRunner

from kmb_cli.main import app
from kmb_cli.ops.kafka_io import Record
from kmb_cli.ops.personal_data import NAME, PHONE, PersonalValue, Scanner
from kmb_cli.partner_listener import listen
from kmb_testkit.probe import produce

from .old_messages import item, old_referral, old_referral_v2, old_status
from .support import Referrals

pytestmark = pytest.mark.kafka

FIRST, LAST, PHONE_NO, NUMBER = "Jarmila", "Qwertyová-Stará", "+420 602 345 678", "KMB-2025-00007"
REFERRAL_1 = "7d9e4a4c-0000-4000-8000-00000000a001"
NOTE, STEP_NOTE = "Volat Jarmile dopoledne.", "Paní Qwertyová-Stará odmítla."
WORKER = {"name": "Bc. Ludmila Zxcvbová", "phone": "+420 733 111 222", "email": "zxcvbova@kmb.example"}
BASIS = "§ 18 zákona o podpoře bydlení, podle dopisu z 5. 3."


def _old_referral(slug: str, n: int) -> dict[str, Any]:
    referral_id = f"7d9e4a4c-0000-4000-8000-00000000a00{n}"  # REFERRAL_1 for n = 1
    return old_referral(slug, referral_id, f"{FIRST} {LAST}", PHONE_NO, NUMBER, NOTE)


async def _listen(referrals: Referrals, slug: str) -> list[str]:
    out = io.StringIO()
    await listen(referrals.bootstrap, referrals.topics.prefix, slug, once=True, out=out)
    return out.getvalue().splitlines()


async def test_rewrite_topic_leaves_no_name_on_the_partner_topic_and_every_message_readable(
    referrals: Referrals, monkeypatch: pytest.MonkeyPatch
) -> None:
    slug = "ngo-prepis"
    await referrals.partner(slug, ["housing_assistance"])
    topic = referrals.topics.partner(slug)
    await produce(
        referrals.bootstrap,
        topic,
        [item(_old_referral(slug, 1), "old-1"), item(old_status(slug, REFERRAL_1, STEP_NOTE), "old-2")],
    )
    seen = await _listen(referrals, slug)  # the partner had read these two
    assert len(seen) == 2 and any(f"{FIRST} {LAST}" in line for line in seen)
    v2 = old_referral_v2(slug, "7d9e4a4c-0000-4000-8000-00000000a009", WORKER, BASIS)
    await produce(referrals.bootstrap, topic, [item(_old_referral(slug, 2), "old-3"), item(v2, "old-4")])
    made = await referrals.referral(uuid4(), slug, "housing_assistance")  # a current one, after them
    await referrals.all_sent()

    monkeypatch.setenv("KMB_KAFKA_BOOTSTRAP", referrals.bootstrap)
    monkeypatch.setenv("KMB_TOPIC_PREFIX", referrals.topics.prefix)
    # the command runs its own event loop: in a thread of its own, as from a shell
    result = await asyncio.to_thread(CliRunner().invoke, app, ["partner", "rewrite-topic", "--org", slug])

    assert result.exit_code == 0, result.output
    assert "5 zpráv" in result.stdout and "kmb.partner.referral.v1: 2" in result.stdout
    assert "kmb.partner.referral.v2: 1" in result.stdout
    assert "kmb.partner.referral_status.v1: 1" in result.stdout
    # No name, phone, case number or note on any partner topic any more.
    from kmb_cli.commands.personal_data import scan_topics

    values = [PersonalValue(NAME, FIRST), PersonalValue(NAME, LAST), PersonalValue(PHONE, PHONE_NO)]
    read, findings = await scan_topics(
        referrals.bootstrap, values, prefix=f"{referrals.topics.prefix}kmb.partner."
    )
    assert read == 5 and findings == []
    records = await referrals.partner_messages(slug, expect=5)
    for record in records:
        for value in (NUMBER, NOTE, STEP_NOTE, "Qwerty", "602345678", *WORKER.values(), "Zxcvb", BASIS):
            assert value.encode() not in record.raw, value
    assert sorted(r.type for r in records) == [
        *["kmb.partner.referral.v3"] * 4,
        "kmb.partner.referral_status.v2",
    ]
    assert all(r.data["state"] == "made" for r in records if r.type == "kmb.partner.referral.v3")
    status = next(r for r in records if r.type == "kmb.partner.referral_status.v2")
    assert status.data["has_note"] is True
    assert status.data["details"] == f"/api/partner/{slug}/referrals/{REFERRAL_1}"
    assert made["id"] in {r.data["referral_id"] for r in records}
    assert topic + ".rewrite" not in await _topics(referrals)

    # The listener resumes where it had stopped: only the three it had not read, still readable.
    rest = await _listen(referrals, slug)
    assert len(rest) == 3 and all(line.startswith("NOVÉ PŘEDÁNÍ") for line in rest)
    assert not any(FIRST in line or LAST in line for line in rest)
    assert any("údaje o klientovi: GET /api/partner/ngo-prepis/referrals/" in line for line in rest)


async def _topics(referrals: Referrals) -> list[str]:
    from kmb_cli.infra.kafka import list_topics

    return await list_topics(referrals.bootstrap)


def test_a_scanner_sees_the_old_message_as_personal() -> None:
    """The test's old message is found by the scan before a rewrite (the check above can fail)."""
    old = Record("t", 0, 0, None, json.dumps(_old_referral("x", 1)).encode())
    assert Scanner([PersonalValue(NAME, LAST)], patterns=False).scan(old)
