"""The worker's survey and submission over HTTP: the explained result, refusals with 409 and 422,
and the rule sets on offer."""

from __future__ import annotations

import uuid

import pytest
from assessment_support import ORGANISATION, TODAY, AssessmentService, case_opened, household, of_type

from kmb_shared.auth import Role
from kmb_testkit.fixtures import bearer

pytestmark = pytest.mark.kafka


async def _pending(
    service: AssessmentService, organisation: str = ORGANISATION, **values: object
) -> dict[str, object]:
    """A pending assessment of a case opened by ``organisation``, read by a worker of it."""
    event = case_opened(household(**values), organisation=organisation)  # type: ignore[arg-type]
    await service.publish(event)
    reader = bearer(Role.WORKER, organisation=organisation, user="reader")
    return dict((await service.assessments(event.case_id, headers=reader))[0])


async def test_submitted_result_explains_category_level_income_costs_priority_and_next_steps(
    service: AssessmentService,
) -> None:
    # Single adult in a commercial hostel of 12 m², income 9,000, rent 5,000 + energy 1,000.
    pending = await _pending(service, income_monthly=9000, rent_monthly=5000, energy_monthly=1000)
    survey = {
        "dwelling_kind": "commercial_hostel",
        "legal_title": "lodging_contract",
        "size_m2": 12,
        "missing_facts": ["debts"],
        "checked_documents": ["lodging_contract", "income_statement"],
        "notes": "Šetření na ubytovně.",
    }
    saved = await service.put_survey(str(pending["id"]), survey)
    assert saved.status_code == 200, saved.text
    # No date given: the survey is dated today (the service's today, 2026-09-30).
    assert saved.json()["survey"] == {
        **survey,
        "surveyed_on": TODAY.isoformat(),
        "size_m2": 12.0,
        "housing_ends_on": None,
        "unfit_for_habitation": False,
        "can_pay_unexpected_expense": None,
        "extra_flags": [],
        "dependent_children": {},
        "updated_at": saved.json()["survey"]["updated_at"],
        "updated_by": "worker-7",
    }

    response = await service.submit(str(pending["id"]))
    assert response.status_code == 200, response.text
    body = response.json()
    result = body["result"]
    assert (body["status"], body["submitted_by"], body["organisation"]) == (
        "submitted",
        "worker-7",
        "kmb-praha7",
    )
    # Rule set 2026.3 is in force on 2026-09-30 (from 2026-07-01; it supersedes 2026.2).
    assert result["rule_set"]["version"] == body["rule_set_version"] == "2026.3"
    # Commercial hostel: ETHOS 8 (insecure), no ETHOS Light category; 12 m² for one is not overcrowded.
    assert result["ethos"] == {
        "category": 8,
        "label": "v nejistém bydlení",
        "light": None,
        "light_label": None,
        "candidates": [8],
    }
    assert result["need_level"] == {"code": "insecure", "label": "nejisté bydlení"}
    # Subsistence minimum of one person 5,500; ceiling 1.6 × 5,500 = 8,800; 9,000 / 8,800 =
    # 1.0227272… -> 1.022728 (6 places, rounded away from 1), 200 Kč over.
    assert result["income"] == {
        "amount": 9000,
        "ceiling": 8800,
        "ratio": 1.022728,
        "within_ceiling": False,
        "over_income_ceiling": True,
        "over_by": 200,
        "subsistence_minimum": 5500,
        "coefficient": 1.6,
    }
    # Costs 5,000 + 1,000 = 6,000 = 66.7 % of 9,000; energy 1,000 / 9,000 = 11.1 %; 12 m² per person.
    assert (result["housing_costs_monthly"], result["housing_cost_burden_pct"]) == (6000, 66.7)
    assert (result["energy_share_pct"], result["m2_per_person"]) == (11.1, 12.0)
    assert result["qualifies_for_register"] is False and body["registration"] is None
    # Priority: 20 (insecure) + 10 (costs over 50 %) = 30.
    assert result["priority"]["score"] == 30
    assert [(c["criterion"], c["points"]) for c in result["priority"]["contributions"]] == [
        ("need_level", 20),
        ("cost_burden_at_risk", 10),
    ]
    assert all(c["explanation"] for c in result["priority"]["contributions"])
    assert [s["code"] for s in result["next_steps"]] == [
        "housing_assistance",
        "housing_allowance",
        "income_above_ceiling",
    ]
    assert result["next_steps"][1]["text"].startswith("Požádat Úřad práce o příspěvek na bydlení")
    assert any("ETHOS 8" in reason for reason in result["reasons"])

    records = await service.events(expect=1, settle_s=0.5)
    [assessed] = of_type(records, "need_assessed")
    assert (assessed["assessment_id"], assessed["need_level"]) == (str(pending["id"]), "insecure")
    assert assessed["caused_by"] and of_type(records, "registered_in_need") == []


async def test_the_signed_in_worker_is_the_actor_and_headers_naming_someone_else_are_ignored(
    service: AssessmentService,
) -> None:
    # the case is kmb-brno's (its CaseOpened's actor), so a worker of kmb-brno may work on it
    pending = await _pending(service, organisation="kmb-brno")
    token = bearer(Role.WORKER, organisation="kmb-brno", user="u-42")
    impostor = {"X-KMB-User": "someone-else", "X-KMB-Org": "kmb-elsewhere"}
    url = f"/api/assessments/{pending['id']}"
    assert (
        await service.client.put(f"{url}/survey", json={}, headers={**impostor, **token})
    ).status_code == 200
    submitted = await service.client.post(f"{url}/submit", headers={**impostor, **token})

    assert (submitted.json()["submitted_by"], submitted.json()["organisation"]) == ("u-42", "kmb-brno")
    assert submitted.json()["survey"]["updated_by"] == "u-42"
    [assessed] = of_type(await service.events(expect=1), "need_assessed")
    assert assessed["actor"] == {"user_id": "u-42", "organisation": "kmb-brno"}


async def test_submitting_twice_or_without_a_survey_is_a_conflict(service: AssessmentService) -> None:
    pending = await _pending(service)
    assessment_id = str(pending["id"])

    early = await service.submit(assessment_id)
    assert early.status_code == 409 and early.json()["detail"]["code"] == "survey_missing"

    assert (await service.put_survey(assessment_id, {"dwelling_kind": "street"})).status_code == 200
    first, second = await service.submit(assessment_id), await service.submit(assessment_id)
    assert first.status_code == 200
    assert second.status_code == 409
    assert second.json()["detail"] == {
        "code": "already_submitted",
        "message_cs": "Šetření už bylo odesláno.",
        "message_en": "The assessment was already submitted.",
    }
    late_survey = await service.put_survey(assessment_id, {"dwelling_kind": "flat"})
    assert late_survey.status_code == 409
    # One assessment, one event (the rough sleeper qualifies: one register entry too).
    records = await service.events(expect=2, settle_s=1.0)
    assert len(of_type(records, "need_assessed")) == 1 and len(of_type(records, "registered_in_need")) == 1


@pytest.mark.parametrize(
    ("body", "field", "code"),
    [
        ({"dwelling_kind": "houseboat"}, "dwelling_kind", "unknown_code"),
        ({"legal_title": "handshake"}, "legal_title", "unknown_code"),
        ({"size_m2": -3}, "size_m2", "greater_than"),
        ({"extra_flags": ["disability", "disability"]}, "extra_flags", "repeated_code"),
        ({"checked_documents": ["passport_photo"]}, "checked_documents.0", "unknown_code"),
        ({"missing_facts": "income"}, "missing_facts", "tuple_type"),
        ({"surveyed_on": "30. 9. 2026"}, "surveyed_on", "date_from_datetime_parsing"),
        ({"surveyed_on": "2026-10-01"}, "surveyed_on", "date_in_future"),
        ({"surveyed_on": "2025-12-31"}, "surveyed_on", "no_rule_set"),
        ({"notes": "x" * 4001}, "notes", "string_too_long"),
        ({"colour": "blue"}, "colour", "extra_forbidden"),
    ],
)
async def test_bad_survey_input_is_refused_with_field_and_reason_in_both_languages_and_not_stored(
    service: AssessmentService, body: dict[str, object], field: str, code: str
) -> None:
    pending = await _pending(service)
    response = await service.put_survey(str(pending["id"]), body)

    assert response.status_code == 422, response.text
    [error] = response.json()["detail"]
    assert (error["field"], error["code"]) == (field, code)
    assert error["message_cs"] and error["message_en"] and error["message_cs"] != error["message_en"]
    stored = (await service.client.get(f"/api/assessments/{pending['id']}")).json()
    assert stored["survey"] is None


async def test_an_unknown_assessment_is_not_found(service: AssessmentService) -> None:
    unknown = uuid.uuid4()
    assert (await service.client.get(f"/api/assessments/{unknown}")).status_code == 404
    assert (await service.put_survey(str(unknown), {})).status_code == 404
    assert (await service.submit(str(unknown))).status_code == 404
    assert (await service.client.get(f"/api/cases/{unknown}/assessments")).json() == []


async def test_rule_sets_are_listed_with_dates_coefficients_and_the_one_in_force(
    service: AssessmentService,
) -> None:
    listed = (await service.client.get("/api/rule-sets")).json()
    summary = [
        (r["version"], r["effective_from"], r["income_ceiling_coefficient"], r["in_force_today"])
        for r in listed
    ]
    # The act's 1.43 from 2026-01-01; the decree's 1.6 from 2026-07-01 (2026.2, superseded by 2026.3
    # of the same day with the amounts of 1 July 2026), 2026.3 in force on 2026-09-30.
    assert summary == [
        ("2026.1", "2026-01-01", 1.43, False),
        ("2026.2", "2026-07-01", 1.6, False),
        ("2026.3", "2026-07-01", 1.6, True),
    ]
    codes = (await service.client.get("/api/survey-codes")).json()
    assert {"code": "street", "label": "přežívání venku (ulice, veřejný prostor)"} in codes["dwelling_kinds"]
    assert {"code": "income", "label": "příjmy domácnosti"} in codes["missing_facts"]
