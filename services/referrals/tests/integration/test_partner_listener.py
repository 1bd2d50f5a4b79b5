"""A department's listener follows its topic with its own consumer group and resumes where it stopped."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest
from fastapi import FastAPI, Request, Response
from standardwebhooks import Webhook, WebhookVerificationError
from typer.testing import CliRunner

from kmb_cli.main import app
from kmb_cli.partner_listener import listen
from kmb_cli.partner_webhooks import DeliveryFailed, Forwarding, issue_secret, listener_dir, read_deliveries
from kmb_testkit.probe import produce

from .old_messages import item, old_referral, old_referral_v2, old_status
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


def _receiver(received: list[dict[str, Any]], secret: str, fail: bool = False) -> FastAPI:
    """The partner's own system: verifies each POST with standardwebhooks, or answers 500 (``fail``)."""
    receiver = FastAPI()

    @receiver.post("/inbox")
    async def inbox(request: Request) -> Response:
        body = await request.body()
        headers = dict(request.headers)
        received.append({"headers": headers, "body": Webhook(secret).verify(body, headers)})
        return Response(status_code=500 if fail else 204)

    return receiver


def _deliveries(folder: Path) -> str:
    var_dir = folder.parent.parent
    result = CliRunner().invoke(
        app, ["partner", "deliveries", "--org", folder.name, "--var-dir", str(var_dir)]
    )
    assert result.exit_code == 0, result.output
    return result.output


async def test_the_listener_forwards_each_message_signed_and_logs_each_delivery(
    referrals: Referrals, tmp_path: Path
) -> None:
    await referrals.partner("bytovy-odbor", ["municipal_flat_application"], kind="housing_department")
    made = await referrals.referral(uuid4(), "bytovy-odbor", "municipal_flat_application")
    await referrals.all_sent()
    issued = CliRunner().invoke(
        app, ["partner", "webhook-secret", "--org", "bytovy-odbor", "--var-dir", str(tmp_path)]
    )
    assert issued.exit_code == 0, issued.output
    secret = issued.stdout.splitlines()[1]
    assert secret.startswith("whsec_")
    folder = listener_dir(tmp_path, "bytovy-odbor")
    assert (folder / "webhook-secret").stat().st_mode & 0o077 == 0, "only its owner may read the secret"
    received: list[dict[str, Any]] = []
    async with RunningServer(_receiver(received, secret)) as server:
        forward = Forwarding.for_partner(f"{server.url}/inbox", folder)
        printed = await _run_once(referrals, "bytovy-odbor", forward=forward)

    assert printed == []
    [got] = received  # verified by the receiver with the partner's secret (Webhook.verify)
    assert (got["body"]["type"], got["body"]["data"]["referral_id"]) == (
        "kmb.partner.referral.v3",
        made["id"],
    )
    assert got["headers"]["webhook-id"] == got["body"]["id"]
    with pytest.raises(WebhookVerificationError):  # another secret does not verify it
        Webhook(issue_secret(tmp_path / "other")).verify(json.dumps(got["body"]), got["headers"])

    # The partner's system fails: four attempts with backoff, then logged as failed, the offset kept.
    second = await referrals.referral(uuid4(), "bytovy-odbor", "municipal_flat_application")
    await referrals.all_sent()
    failing: list[dict[str, Any]] = []
    async with RunningServer(_receiver(failing, secret, fail=True)) as server:
        forward = Forwarding.for_partner(f"{server.url}/inbox", folder, backoff_s=0.01)
        with pytest.raises(DeliveryFailed):
            await _run_once(referrals, "bytovy-odbor", forward=forward)
    assert len(failing) == 4 and {f["body"]["data"]["referral_id"] for f in failing} == {second["id"]}
    assert len({f["headers"]["webhook-id"] for f in failing}) == 1, "the same id on every attempt"

    log = read_deliveries(folder)
    assert [(e["outcome"], e["attempts"], e["http_status"]) for e in log] == [
        ("delivered", 1, 204),
        ("failed", 4, 500),
    ]
    assert [e["referral_id"] for e in log] == [made["id"], second["id"]]
    shown = _deliveries(folder)
    assert "DORUČENO  pokusů: 1  HTTP 204" in shown and "NEDORUČENO  pokusů: 4  HTTP 500" in shown
    assert "Celkem 2, z toho nedoručeno 1." in shown
    # The failed message was not committed: the next start delivers it.
    retry: list[dict[str, Any]] = []
    async with RunningServer(_receiver(retry, secret)) as server:
        await _run_once(
            referrals, "bytovy-odbor", forward=Forwarding.for_partner(f"{server.url}/inbox", folder)
        )
    assert [r["body"]["data"]["referral_id"] for r in retry] == [second["id"]]


async def test_an_old_message_with_the_identity_is_still_understood(referrals: Referrals) -> None:
    """Messages of the first version (identity inside) written before issue 14 stay readable."""
    await referrals.partner("ngo-stary", ["housing_assistance"])
    old = old_referral(
        "ngo-stary",
        "7d9e4a4c-0000-4000-8000-00000000a001",
        "Jarmila Stará",
        "+420 777 000 999",
        "KMB-2025-00007",
        "Volat dopoledne.",
    )
    await produce(referrals.bootstrap, referrals.topics.partner("ngo-stary"), [item(old, "old-1", b"k")])

    [line] = await _run_once(referrals, "ngo-stary")

    assert line.startswith("NOVÉ PŘEDÁNÍ 2025-11-03: Pomoc s bydlením")
    assert "Jarmila Stará (+420 777 000 999)" in line
    assert "poznámka: Volat dopoledne." in line and "GET" not in line


async def test_an_old_second_version_message_with_the_worker_inside_is_still_understood(
    referrals: Referrals,
) -> None:
    await referrals.partner("ngo-druha", ["housing_assistance"])
    worker = {"name": "Bc. Jana Pracovnice", "phone": "+420 000 100 200", "email": "jana@kmb.example"}
    old = old_referral_v2("ngo-druha", "7d9e4a4c-0000-4000-8000-00000000a003", worker, "§ 18")
    await produce(referrals.bootstrap, referrals.topics.partner("ngo-druha"), [item(old, "v2-1", b"k")])

    [line] = await _run_once(referrals, "ngo-druha")

    assert line.startswith("NOVÉ PŘEDÁNÍ 2025-11-03: Pomoc s bydlením")
    assert "pracovník KMB: Bc. Jana Pracovnice, +420 000 100 200, jana@kmb.example" in line
    assert (
        "údaje o klientovi: GET /api/partner/ngo-druha/referrals/7d9e4a4c-0000-4000-8000-00000000a003" in line
    )


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
    assert f"pracovník KMB: GET /api/partner/ngo-domov/referrals/{made['id']}" in line
    assert "důvod předání údajů: souhlas domácnosti" in line


async def test_a_step_says_where_its_note_is_and_an_old_step_with_the_note_is_still_read(
    referrals: Referrals,
) -> None:
    await referrals.partner("ngo-kroky", ["housing_assistance"])
    made = await referrals.referral(uuid4(), "ngo-kroky", "housing_assistance")
    response = await referrals.step(made["id"], "decline", {"reason": "other", "note": "Nemáme kapacitu."})
    assert response.status_code == 200, response.text
    await referrals.all_sent()
    old = old_status("ngo-kroky", "7d9e4a4c-0000-4000-8000-00000000a002", "Volat dopoledne.")
    await produce(referrals.bootstrap, referrals.topics.partner("ngo-kroky"), [item(old, "o2", b"k")])

    lines = await _run_once(referrals, "ngo-kroky")  # keyed apart: maybe on different partitions

    assert len(lines) == 3
    [declined] = [line for line in lines if made["id"] in line and line.startswith("PŘEDÁNÍ ODMÍTNUTO")]
    [old_line] = [line for line in lines if "2025-11-04" in line]

    assert declined.startswith("PŘEDÁNÍ ODMÍTNUTO 2026-03-02: Asistence v bydlení")
    assert f"poznámka: GET /api/partner/ngo-kroky/referrals/{made['id']}" in declined
    assert "Nemáme kapacitu." not in declined
    assert old_line.startswith("PŘEDÁNÍ ODMÍTNUTO 2025-11-04") and "poznámka: Volat dopoledne." in old_line
