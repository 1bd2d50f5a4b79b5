"""Properties that hold for every valid household: no crash, monotone in income, deterministic."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from uuid import uuid4

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kmb_assessment.domain import NeedLevel, SurveyFindings, assess, rule_set_for
from kmb_assessment.domain.facts import missing_facts
from kmb_assessment.domain.household import MissingFactsError
from kmb_shared.contracts import DwellingSnapshot, HouseholdSnapshot, MemberSnapshot, NeedAssessed

AGE_BANDS = ["0-5", "6-14", "15-17", "18-25", "26-64", "65+", "unknown"]
RELATIONSHIPS = ["applicant", "partner", "spouse", "child", "parent", "sibling", "other_relative", "other"]
FLAGS = [
    "domestic_violence", "disability", "serious_illness", "senior_alone", "single_parent",
    "leaving_institution", "pregnancy", "young_adult_leaving_care", "child_at_risk", "not_a_known_flag",
]  # fmt: skip
KINDS = [
    "flat", "house", "commercial_hostel", "asylum_house", "night_shelter", "womens_shelter", "institution",
    "with_family_friends", "non_conventional", "street", "garden_shed", "prison", "squat", "houseboat",
]  # fmt: skip
TITLES = ["lease", "sublease", "lodging_contract", "ownership", "none", "cooperative", "unknown"]
FIRST_DAY, LAST_DAY = date(2026, 1, 1), date(2031, 12, 31)

money = st.integers(min_value=0, max_value=300_000)
members = st.builds(
    MemberSnapshot,
    age_band=st.sampled_from(AGE_BANDS),
    relationship=st.sampled_from(RELATIONSHIPS),
    dependent=st.booleans(),
    dependent_child=st.none() | st.booleans(),
    flags=st.lists(st.sampled_from(FLAGS), max_size=3).map(tuple),
)
dwellings = st.builds(
    DwellingSnapshot,
    kind=st.sampled_from(KINDS),
    legal_title=st.sampled_from(TITLES),
    size_m2=st.none() | st.floats(min_value=0, allow_nan=False),  # includes +inf
    rooms=st.none() | st.integers(min_value=0, max_value=20),
)
offsets = st.none() | st.integers(min_value=-400, max_value=400)


@st.composite
def situations(draw: st.DrawFn) -> tuple[HouseholdSnapshot, SurveyFindings]:
    on = draw(st.dates(min_value=FIRST_DAY, max_value=LAST_DAY))

    def day(offset: int | None) -> date | None:
        return None if offset is None else on + timedelta(days=offset)

    household = HouseholdSnapshot(
        members=tuple(draw(st.lists(members, max_size=9))),
        dwelling=draw(st.none() | dwellings),
        income_monthly=draw(money),
        rent_monthly=draw(money),
        services_monthly=draw(money),
        energy_monthly=draw(money),
        debts_total=draw(st.integers(min_value=0, max_value=5_000_000)),
        eviction_date=day(draw(offsets)),
        notice_date=day(draw(offsets)),
        vulnerability_flags=tuple(draw(st.lists(st.sampled_from(FLAGS), max_size=3))),
    )
    survey = SurveyFindings(
        assessed_on=on,
        dwelling_kind=draw(st.none() | st.sampled_from(KINDS)),
        legal_title=draw(st.none() | st.sampled_from(TITLES)),
        size_m2=draw(st.none() | st.floats(min_value=0, max_value=500, allow_nan=False)),
        housing_ends_on=day(draw(offsets)),
        unfit_for_habitation=draw(st.booleans()),
        can_pay_unexpected_expense=draw(st.none() | st.booleans()),
        extra_flags=tuple(draw(st.lists(st.sampled_from(FLAGS), max_size=2))),
        dependent_children=draw(
            st.dictionaries(st.integers(min_value=0, max_value=8), st.booleans(), max_size=3)
        ),
    )
    return household, survey


def answered(household: HouseholdSnapshot, survey: SurveyFindings) -> SurveyFindings:
    """The survey with every missing dependent-child fact answered (as the worker must before submit)."""
    missing = missing_facts(household, survey, rule_set_for(survey.assessed_on))
    answers = {**survey.dependent_children, **{fact.member_index: False for fact in missing}}
    return replace(survey, dependent_children=answers)


@settings(max_examples=400, deadline=None)
@given(situations())
def test_any_valid_household_is_assessed_without_error_and_consistently(
    situation: tuple[HouseholdSnapshot, SurveyFindings],
) -> None:
    household, survey = situation
    missing = missing_facts(household, survey, rule_set_for(survey.assessed_on))
    if missing:
        # Only members aged 15-25 in a household of two or more, from 1 July 2026, are asked.
        assert survey.assessed_on >= date(2026, 7, 1) and len(household.members) >= 2
        assert all(household.members[fact.member_index].age_band in ("15-17", "18-25") for fact in missing)
        with pytest.raises(MissingFactsError):
            assess(household, survey)
        survey = answered(household, survey)
    result = assess(household, survey)
    assert result.priority_score == sum(item.points for item in result.priority_contributions)
    assert all(item.points > 0 for item in result.priority_contributions)
    assert (result.ethos_category is None) == (
        result.need_level in (NeedLevel.AT_RISK, NeedLevel.NOT_IN_NEED)
    )
    if result.ethos_category is not None:
        assert result.ethos_category == min(result.ethos_candidates)
    if result.qualifies_for_register:
        assert result.need_level is not NeedLevel.NOT_IN_NEED
        assert result.income_ceiling is not None and result.income_monthly <= result.income_ceiling
    assert result.household_size == len(household.members)
    assert result.next_steps and result.reasons
    NeedAssessed(case_id=uuid4(), assessment_id=uuid4(), **result.to_event_fields())


@settings(max_examples=300, deadline=None)
@given(situations(), money, money)
def test_more_income_never_raises_the_priority_score(
    situation: tuple[HouseholdSnapshot, SurveyFindings], first: int, second: int
) -> None:
    household, survey = situation
    survey = answered(household, survey)
    lower, higher = sorted((first, second))
    poorer = assess(household.model_copy(update={"income_monthly": lower}), survey)
    richer = assess(household.model_copy(update={"income_monthly": higher}), survey)
    assert richer.priority_score <= poorer.priority_score


@settings(max_examples=200, deadline=None)
@given(situations())
def test_the_same_input_always_gives_the_same_output(
    situation: tuple[HouseholdSnapshot, SurveyFindings],
) -> None:
    household, survey = situation
    survey = answered(household, survey)
    copy = HouseholdSnapshot.model_validate(household.model_dump())
    assert assess(household, survey) == assess(copy, survey)
    assert assess(household, survey).to_event_fields() == assess(household, survey).to_event_fields()
