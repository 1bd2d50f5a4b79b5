"""The result maps one to one onto the NeedAssessed event."""

from __future__ import annotations

from uuid import uuid4

from kmb_assessment.domain import assess
from kmb_shared.contracts import NeedAssessed, PriorityContribution

from .situations import Situation

#: NeedAssessed fields the integrator supplies, not the assessment.
ENVELOPE = {"case_id", "assessment_id", "occurred_at", "actor", "caused_by"}


def _single_mother_in_ubytovna() -> Situation:
    return Situation(
        members=("26-64 applicant", "0-5 child"),
        kind="commercial_hostel",
        title="lodging_contract",
        size_m2=14,
        income=9000,
        rent=7000,
        debts=20000,
    )


def test_event_fields_are_exactly_the_need_assessed_fields_without_the_envelope() -> None:
    situation = _single_mother_in_ubytovna()
    fields = assess(situation.household(), situation.survey()).to_event_fields()
    assert set(fields) == set(NeedAssessed.model_fields) - ENVELOPE


def test_need_assessed_built_from_the_result_carries_its_values() -> None:
    situation = _single_mother_in_ubytovna()
    result = assess(situation.household(), situation.survey())
    event = NeedAssessed(case_id=uuid4(), assessment_id=uuid4(), **result.to_event_fields())
    # ubytovna: ETHOS 8 (and 13 for 14/2 = 7 m²); SM 4470 + 2480 = 6950; ceiling 1.43 × 6950 -> 9939
    assert (event.ethos_category, event.ethos_light, event.need_level) == (8, None, "insecure")
    assert (event.household_type, event.household_size, event.children) == ("single_parent", 2, 1)
    assert (event.district, event.orp_code) == ("Praha 7", "1100")
    assert (event.income_monthly, event.income_ceiling, event.qualifies_for_register) == (9000, 9939, True)
    # burden 7000/9000 = 77.78 % -> 77.8; m² 14/2 = 7.0
    assert (event.housing_cost_burden_pct, event.m2_per_person, event.energy_share_pct) == (77.8, 7.0, 0.0)
    assert event.rule_set_version == "2026.1"
    assert event.vulnerability_flags == ("single_parent",)
    assert event.next_steps == tuple(step.code for step in result.next_steps)
    assert "register_application" in event.next_steps
    assert event.priority_contributions[0] == PriorityContribution(
        criterion="need_level", points=20, explanation="Úroveň bytové nouze: nejisté bydlení (ETHOS 8)."
    )
    assert event.priority_score == sum(item.points for item in event.priority_contributions)
    assert event.reasons == result.reasons


def test_event_from_an_assessment_of_an_empty_household_is_valid() -> None:
    result = assess(Situation(members=()).household(), Situation(members=()).survey())
    event = NeedAssessed(case_id=uuid4(), assessment_id=uuid4(), **result.to_event_fields())
    assert (event.household_size, event.income_ceiling, event.income_ratio) == (0, None, None)
    assert event.qualifies_for_register is False
