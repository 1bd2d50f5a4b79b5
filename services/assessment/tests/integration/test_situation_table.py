"""The domain's table of 31 household situations, driven through the running service: CaseOpened on
the intake topic, the survey over HTTP, submission; the stored result, the NeedAssessed event and the
RegisteredInNeed of qualifying households must match the values worked out by hand in the unit tests."""

from __future__ import annotations

import uuid
from datetime import date
from fractions import Fraction
from typing import Any

import pytest
from assessment_support import INTAKE_ACTOR, TODAY, AssessmentService, of_type, unit_module

from kmb_assessment.domain.numbers import rounded
from kmb_shared.contracts import CaseOpened

pytestmark = pytest.mark.kafka

situations = unit_module("situations")
#: the hand-worked rows (pytest.param(Situation, Expected, id=...)) of both unit-test tables
ROWS = [
    *unit_module("test_situations_without_home").ROWS,
    *unit_module("test_situations_housed").ROWS,
]
#: rule set 2026.3 (amounts of 1 July 2026, coefficient 1.6; it supersedes 2026.2) is in force from
#: 2026-07-01, 2026.1 before
DECREE_IN_FORCE = date(2026, 7, 1)
#: a register entry made on TODAY (2026-09-30) is valid for 12 months: through 2027-09-30
VALID_UNTIL = date(2027, 9, 30)


def survey_body(situation: Any) -> dict[str, Any]:
    """The survey request carrying the row's survey findings."""
    findings = situation.survey()
    return {
        "surveyed_on": findings.assessed_on.isoformat(),
        "dwelling_kind": findings.dwelling_kind,
        "housing_ends_on": None if findings.housing_ends_on is None else findings.housing_ends_on.isoformat(),
        "unfit_for_habitation": findings.unfit_for_habitation,
        "can_pay_unexpected_expense": findings.can_pay_unexpected_expense,
        "extra_flags": list(findings.extra_flags),
    }


def from_result(result: dict[str, Any]) -> Any:
    """The stored result in the shape of the table's Expected."""
    income = result["income"]
    return situations.Expected(
        ethos=result["ethos"]["category"],
        light=result["ethos"]["light"],
        level=result["need_level"]["code"],
        household_type=result["household_type"]["code"],
        children=result["children"],
        subsistence_minimum=income["subsistence_minimum"],
        ceiling=income["ceiling"] or 0,
        # The API keeps 6 places (never 1.0 over the ceiling); the table has the event's 3.
        ratio=rounded(Fraction(income["amount"], income["ceiling"]), 3) if income["ceiling"] else 0.0,
        burden=result["housing_cost_burden_pct"],
        energy=result["energy_share_pct"],
        m2=result["m2_per_person"],
        flags=tuple(flag["code"] for flag in result["vulnerability_flags"]),
        qualifies=result["qualifies_for_register"],
        score=result["priority"]["score"],
        steps=tuple(step["code"] for step in result["next_steps"]),
    )


def from_event(event: dict[str, Any], subsistence_minimum: int) -> Any:
    """NeedAssessed in the shape of Expected (the event does not carry the subsistence minimum)."""
    return situations.Expected(
        ethos=event["ethos_category"],
        light=event["ethos_light"],
        level=event["need_level"],
        household_type=event["household_type"],
        children=event["children"],
        subsistence_minimum=subsistence_minimum,
        ceiling=event["income_ceiling"] or 0,
        ratio=event["income_ratio"] or 0.0,
        burden=event["housing_cost_burden_pct"],
        energy=event["energy_share_pct"],
        m2=event["m2_per_person"],
        flags=tuple(event["vulnerability_flags"]),
        qualifies=event["qualifies_for_register"],
        score=event["priority_score"],
        steps=tuple(event["next_steps"]),
    )


async def test_every_situation_of_the_table_is_assessed_by_the_service_as_worked_out_by_hand(
    service: AssessmentService,
) -> None:
    assert len(ROWS) == 31
    cases = [
        CaseOpened(
            case_id=uuid.uuid4(),
            case_number=f"KMB-2026-{number:05d}",
            household=row.values[0].household(),
            actor=INTAKE_ACTOR,
        )
        for number, row in enumerate(ROWS, start=1)
    ]
    await service.publish(*cases)

    mismatches: dict[str, Any] = {}
    submitted: dict[str, tuple[Any, dict[str, Any]]] = {}
    for row, case in zip(ROWS, cases, strict=True):
        situation, expected = row.values
        pending = (await service.assessments(case.case_id))[0]
        assert pending["status"] == "pending" and pending["result"] is None
        saved = await service.put_survey(pending["id"], survey_body(situation))
        assert saved.status_code == 200, (row.id, saved.text)
        response = await service.submit(pending["id"])
        assert response.status_code == 200, (row.id, response.text)
        body = response.json()
        stored = (await service.client.get(f"/api/assessments/{pending['id']}")).json()
        result = stored["result"]
        version = "2026.3" if situation.on >= DECREE_IN_FORCE else "2026.1"
        if (
            from_result(result) != expected
            or stored != body
            or result["rule_set"]["version"] != version
            or stored["rule_set_version"] != version
            or result["priority"]["score"] != sum(c["points"] for c in result["priority"]["contributions"])
            or (stored["registration"] is not None) != expected.qualifies
        ):
            mismatches[row.id] = {"expected": expected, "got": from_result(result), "stored": stored}
        submitted[pending["id"]] = (row, expected)
    assert mismatches == {}

    qualifying = sum(1 for row in ROWS if row.values[1].qualifies)
    records = await service.events(expect=len(ROWS) + qualifying, settle_s=1.0)
    assessed = {event["assessment_id"]: event for event in of_type(records, "need_assessed")}
    registered = {event["assessment_id"]: event for event in of_type(records, "registered_in_need")}
    assert set(assessed) == set(submitted)
    for assessment_id, (row, expected) in submitted.items():
        event = assessed[assessment_id]
        as_expected = from_event(event, expected.subsistence_minimum)
        assert as_expected == expected, row.id
        assert event["actor"] == {"user_id": "worker-7", "organisation": "kmb-praha7"}
        assert event["assessed_on"] == row.values[0].on.isoformat()
    assert set(registered) == {a for a, (_, expected) in submitted.items() if expected.qualifies}
    for assessment_id, event in registered.items():
        _, expected = submitted[assessment_id]
        assert (event["registered_on"], event["valid_until"]) == (TODAY.isoformat(), VALID_UNTIL.isoformat())
        assert (event["need_level"], event["ethos_category"]) == (expected.level, expected.ethos)
    register = (await service.client.get("/api/register", params={"status": "active"})).json()
    assert {entry["assessment_id"] for entry in register} == set(registered)
    scores = [entry["priority_score"] for entry in register]
    assert scores == sorted(scores, reverse=True)
