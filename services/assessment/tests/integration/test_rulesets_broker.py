"""Activation of a rule set on the real broker: RuleSetActivated leaves through the outbox on
assessment's topic (key and subject the version, no personal data), the case whose result would change
is flagged, and the AsyncAPI document names the event."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from assessment_support import AssessmentService, case_opened, household
from test_rulesets_service import DRAFT_A, EDITOR, HOSTEL_SURVEY, draft_text

pytestmark = pytest.mark.kafka


async def _submitted(service: AssessmentService, income: int, number: int) -> dict[str, Any]:
    event = case_opened(household(income_monthly=income), number=number)
    await service.publish(event)
    pending = (await service.assessments(event.case_id))[0]
    assert (await service.put_survey(pending["id"], HOSTEL_SURVEY)).status_code == 200
    submitted = await service.submit(pending["id"])
    assert submitted.status_code == 200, submitted.text
    return dict(submitted.json())


async def test_activation_publishes_rule_set_activated_on_the_broker(service: AssessmentService) -> None:
    # 9,000 Kč: above 1.6 × 5,500 = 8,800 now, within 1.8 × 5,500 = 9,900 under the draft
    crossing = await _submitted(service, 9000, 1)
    await _submitted(service, 20000, 2)  # above both ceilings: unchanged
    uploaded = await service.client.post(
        "/api/rule-sets/uploads", json={"yaml": draft_text(**DRAFT_A)}, headers=EDITOR
    )
    assert uploaded.status_code == 201, uploaded.text
    upload_id = uploaded.json()["id"]
    assert (
        await service.client.post(f"/api/rule-sets/uploads/{upload_id}/preview", headers=EDITOR)
    ).status_code == 202
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 60
    while (
        preview := (
            await service.client.get(f"/api/rule-sets/uploads/{upload_id}/preview", headers=EDITOR)
        ).json()
    )["status"] == "running":
        assert loop.time() < deadline
        await asyncio.sleep(0.05)
    assert (preview["status"], preview["total"], preview["enters"]) == ("finished", 2, 1)

    activated = await service.client.post(f"/api/rule-sets/uploads/{upload_id}/activate", headers=EDITOR)
    assert activated.status_code == 200, activated.text
    event_id = activated.json()["event_id"]

    # NeedAssessed × 2 and RegisteredInNeed × 0 (both above 8,800), then RuleSetActivated
    records = await service.events(3)
    ours = [r for r in records if r.type == "kmb.assessment.rule_set_activated.v1"]
    assert len(ours) == 1
    record = ours[0]
    assert record.headers["ce_id"] == event_id
    assert record.headers["ce_subject"] == "2027.1"
    assert record.headers["ce_source"] == "/kmb/assessment"
    payload = record.payload
    assert (payload["version"], payload["effective_from"], payload["cases_evaluated"]) == (
        "2027.1",
        "2026-10-01",
        2,
    )
    assert (payload["would_enter_register"], payload["flagged_for_reassessment"]) == (1, 1)
    assert str(crossing["case_id"]) not in record.payload.values()

    flags = (await service.client.get("/api/reassessments")).json()
    assert [f["case_id"] for f in flags] == [crossing["case_id"]]

    doc = (await service.client.get("/asyncapi.json")).json()
    assert "kmb.assessment.rule_set_activated.v1" in str(doc)
