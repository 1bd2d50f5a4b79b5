"""Intake's case events pre-fill, update and cancel pending assessments; referrals' binding opinions
are recorded on the case's latest assessment and its register entry."""

from __future__ import annotations

import uuid

import pytest
from assessment_support import INTAKE_ACTOR, AssessmentService, case_opened, household, household_changed

from kmb_shared.contracts import BindingOpinionIssued, CaseClosed, CaseReopened

pytestmark = pytest.mark.kafka

#: A rough sleeper without income: ETHOS 1, qualifies for the register (0 <= ceiling 7776).
ROUGH_SLEEPER = {"dwelling_kind": "street", "legal_title": "none"}


async def test_a_case_opened_pre_fills_one_pending_assessment_however_often_it_arrives(
    service: AssessmentService,
) -> None:
    event = case_opened(household(("26-64 applicant", "0-5 child"), income_monthly=12000))
    same_id = str(uuid.uuid4())
    await service.publish(event, event_id=same_id)
    await service.publish(event, event_id=same_id)  # redelivered
    await service.publish(event)  # published again under a new id
    await service.consumed(3)

    rows = (await service.client.get(f"/api/cases/{event.case_id}/assessments")).json()
    assert len(rows) == 1
    pending = rows[0]
    assert (pending["status"], pending["case_number"]) == ("pending", "KMB-2026-00001")
    assert pending["household"]["income_monthly"] == 12000
    assert [m["age_band"] for m in pending["household"]["members"]] == ["26-64", "0-5"]
    assert (pending["survey"], pending["result"], pending["registration"]) == (None, None, None)
    # Deterministic for replay: the row's time is the event's.
    assert pending["created_at"].replace("Z", "+00:00") == event.occurred_at.isoformat()


async def test_a_household_change_updates_the_pending_assessment_and_after_submission_opens_another(
    service: AssessmentService,
) -> None:
    opened = case_opened(household(income_monthly=10000))
    await service.publish(opened)
    first = (await service.assessments(opened.case_id))[0]

    change = household_changed(opened, income_monthly=9000)
    await service.publish(change)
    await service.consumed(2)
    rows = (await service.client.get(f"/api/cases/{opened.case_id}/assessments")).json()
    assert [(r["id"], r["household"]["income_monthly"]) for r in rows] == [(first["id"], 9000)]

    assert (await service.put_survey(first["id"], ROUGH_SLEEPER)).status_code == 200
    assert (await service.submit(first["id"])).status_code == 200
    later = household_changed(opened, income_monthly=7000)
    await service.publish(later)
    rows = await service.assessments(opened.case_id, count=2)

    assert [r["status"] for r in rows] == ["submitted", "pending"]
    # The submitted assessment keeps the household it was assessed on.
    assert [r["household"]["income_monthly"] for r in rows] == [9000, 7000]
    assert rows[0]["result"]["income"]["amount"] == 9000


async def test_closing_the_case_cancels_its_pending_assessment_and_reopening_starts_a_new_one(
    service: AssessmentService,
) -> None:
    opened = case_opened()
    await service.publish(opened)
    pending = (await service.assessments(opened.case_id))[0]
    await service.publish(
        CaseClosed(
            actor=INTAKE_ACTOR, case_id=opened.case_id, case_number=opened.case_number, reason="moved_away"
        )
    )
    await service.consumed(2)

    cancelled = (await service.client.get(f"/api/assessments/{pending['id']}")).json()
    assert cancelled["status"] == "cancelled" and cancelled["cancelled_at"] is not None
    refused = await service.put_survey(pending["id"], ROUGH_SLEEPER)
    assert refused.status_code == 409
    assert refused.json()["detail"]["code"] == "assessment_cancelled"
    assert (await service.submit(pending["id"])).status_code == 409

    await service.publish(
        CaseReopened(actor=INTAKE_ACTOR, case_id=opened.case_id, case_number=opened.case_number)
    )
    rows = await service.assessments(opened.case_id, count=2)
    assert [r["status"] for r in rows] == ["cancelled", "pending"]
    assert rows[1]["household"] == rows[0]["household"]


async def test_a_binding_opinion_is_shown_on_the_latest_assessment_and_its_register_entry(
    service: AssessmentService,
) -> None:
    opened = case_opened()
    submitted = await service.assess(opened, ROUGH_SLEEPER)
    assert submitted["registration"] is not None
    opinion = BindingOpinionIssued(
        case_id=opened.case_id,
        referral_id=uuid.uuid4(),
        partner="up-praha",
        kind="binding_opinion",
        positive=True,
        justified_housing_costs=9500,
        estimated_benefit=4200,
    )
    await service.publish(opinion)
    await service.consumed(2)

    shown = (await service.client.get(f"/api/assessments/{submitted['id']}")).json()
    expected = {
        "referral_id": str(opinion.referral_id),
        "partner": "up-praha",
        "positive": True,
        "justified_housing_costs": 9500,
        "estimated_benefit": 4200,
    }
    assert [{k: o[k] for k in expected} for o in shown["binding_opinions"]] == [expected]
    assert shown["registration"]["binding_opinions"] == shown["binding_opinions"]
    register = (await service.client.get("/api/register")).json()
    assert [entry["binding_opinions"] for entry in register] == [shown["binding_opinions"]]


async def test_a_binding_opinion_arriving_before_the_case_waits_for_its_first_assessment(
    service: AssessmentService,
) -> None:
    opened = case_opened()
    opinion = BindingOpinionIssued(
        case_id=opened.case_id, referral_id=uuid.uuid4(), partner="up-praha", kind="x", positive=False
    )
    await service.publish(opinion)
    await service.consumed(1)
    await service.publish(opened)
    pending = (await service.assessments(opened.case_id))[0]

    assert [(o["positive"], o["partner"]) for o in pending["binding_opinions"]] == [(False, "up-praha")]
