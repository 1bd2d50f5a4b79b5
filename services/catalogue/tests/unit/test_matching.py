from __future__ import annotations

from collections.abc import Callable
from datetime import date
from uuid import UUID

import pytest

from kmb_catalogue.domain import (
    CatalogueInvalid,
    HouseholdType,
    MatchConfig,
    MatchRequest,
    NeedLevel,
    Solution,
    SolutionKind,
    match_solutions,
    suggest,
    to_suggestions,
)
from kmb_catalogue.domain.matching import ALTERNATIVE_REASON, FAST_HELP_REASON, FULL_REASON
from kmb_shared.contracts import NeedAssessed

K = SolutionKind
ON = date(2026, 11, 25)
MakeSolution = Callable[..., Solution]

# A small rule table so every score below can be worked out by hand:
# score = 100 × (0.6 × relevance + 0.3 × urgency × immediacy + 0.1 × [free or untracked])
CONFIG = MatchConfig(
    relevance={
        NeedLevel.ROOFLESS: {
            K.NIGHT_SHELTER: 1.0,
            K.FIELD_SOCIAL_WORK: 0.8,
            K.EMERGENCY_AID: 0.8,
            K.ASYLUM_HOUSE: 0.6,
            K.MUNICIPAL_FLAT: 0.5,
        },
        NeedLevel.INSECURE: {K.NIGHT_SHELTER: 0.2, K.MUNICIPAL_FLAT: 1.0},
    },
    immediacy={
        K.NIGHT_SHELTER: 1.0,
        K.FIELD_SOCIAL_WORK: 1.0,
        K.EMERGENCY_AID: 0.5,
        K.ASYLUM_HOUSE: 0.5,
        K.MUNICIPAL_FLAT: 0.0,
    },
    urgency={NeedLevel.ROOFLESS: 1.0, NeedLevel.INSECURE: 0.4},
)
ROOFLESS = MatchRequest(need_level=NeedLevel.ROOFLESS, ethos_category=1, household_type=HouseholdType.SINGLE)


@pytest.fixture
def catalogue(make_solution: MakeSolution) -> list[Solution]:
    return [
        make_solution(K.MUNICIPAL_FLAT, 1, capacity={"total": 1, "free": 0}),
        make_solution(K.ASYLUM_HOUSE, 2),
        make_solution(K.EMERGENCY_AID, 3),
        make_solution(K.FIELD_SOCIAL_WORK, 4),
        make_solution(K.NIGHT_SHELTER, 5, capacity={"total": 20, "free": 6}),
        make_solution(K.HOUSING_ALLOWANCE, 6),
    ]


def test_roofless_person_without_a_free_municipal_flat_still_gets_the_alternatives(
    catalogue: list[Solution],
) -> None:
    result = match_solutions(ROOFLESS, catalogue, ON, CONFIG)
    # night shelter 100 × (0.6 + 0.3 × 1 × 1 + 0.1) = 100
    # field social work 100 × (0.48 + 0.3 + 0.1) = 88
    # emergency aid 100 × (0.48 + 0.3 × 0.5 + 0.1) = 73
    # asylum house 100 × (0.36 + 0.15 + 0.1) = 61
    assert [(f.solution.kind, f.score) for f in result.suggested] == [
        (K.NIGHT_SHELTER, pytest.approx(100.0)),
        (K.FIELD_SOCIAL_WORK, pytest.approx(88.0)),
        (K.EMERGENCY_AID, pytest.approx(73.0)),
        (K.ASYLUM_HOUSE, pytest.approx(61.0)),
    ]
    assert result.municipal_stock_exhausted
    shelter = result.suggested[0]
    assert ALTERNATIVE_REASON in shelter.reasons
    assert FAST_HELP_REASON in shelter.reasons
    assert "Volná kapacita: 6 z 20." in shelter.reasons
    assert ALTERNATIVE_REASON not in result.suggested[1].reasons  # a service, not a roof


def test_entries_that_do_not_fit_come_back_with_their_blockers(catalogue: list[Solution]) -> None:
    rejected = {
        f.solution.kind: f.blockers for f in match_solutions(ROOFLESS, catalogue, ON, CONFIG).rejected
    }
    assert rejected[K.MUNICIPAL_FLAT] == (FULL_REASON,)
    assert rejected[K.HOUSING_ALLOWANCE] == ("Neodpovídá situaci „bez střechy“.",)


def test_full_entries_can_be_listed_last_when_asked(catalogue: list[Solution]) -> None:
    result = match_solutions(ROOFLESS, catalogue, ON, CONFIG, include_full=True)
    last = result.suggested[-1]
    # full municipal flat: 100 × (0.6 × 0.5 + 0.3 × 1 × 0 + 0.1 × 0) = 30
    assert last.solution.kind is K.MUNICIPAL_FLAT
    assert last.score == pytest.approx(30.0)
    assert last.has_free_capacity is False
    assert FULL_REASON in last.reasons
    assert result.municipal_stock_exhausted


def test_a_free_municipal_flat_that_fits_means_no_alternatives_note(make_solution: MakeSolution) -> None:
    flat = make_solution(K.MUNICIPAL_FLAT, 1, capacity={"total": 1, "free": 1})
    result = match_solutions(ROOFLESS, [flat, make_solution(K.NIGHT_SHELTER, 2)], ON, CONFIG)
    assert not result.municipal_stock_exhausted
    assert all(ALTERNATIVE_REASON not in f.reasons for f in result.suggested)


def test_equal_scores_are_ordered_by_solution_id(make_solution: MakeSolution) -> None:
    entries = [make_solution(K.FIELD_SOCIAL_WORK, n) for n in (9, 3, 7)]
    ids = [f.solution.id for f in match_solutions(ROOFLESS, entries, ON, CONFIG).suggested]
    assert ids == [UUID(int=3), UUID(int=7), UUID(int=9)]


def test_priority_score_raises_urgency_above_the_need_level(make_solution: MakeSolution) -> None:
    shelter = [make_solution(K.NIGHT_SHELTER)]
    calm = MatchRequest(need_level=NeedLevel.INSECURE, priority_score=0)
    urgent = MatchRequest(need_level=NeedLevel.INSECURE, priority_score=80)
    # urgency 0.4: 100 × (0.6 × 0.2 + 0.3 × 0.4 × 1 + 0.1) = 34
    # urgency max(0.4, 80 / 100) = 0.8: 100 × (0.12 + 0.24 + 0.1) = 46
    assert match_solutions(calm, shelter, ON, CONFIG).suggested[0].score == pytest.approx(34.0)
    assert match_solutions(urgent, shelter, ON, CONFIG).suggested[0].score == pytest.approx(46.0)


def test_only_entries_valid_on_the_day_are_matched(make_solution: MakeSolution) -> None:
    entries = [
        make_solution(K.NIGHT_SHELTER, 1, valid_to="2026-11-24"),
        make_solution(K.NIGHT_SHELTER, 2, valid_from="2026-11-26"),
        make_solution(K.NIGHT_SHELTER, 3, withdrawn=True),
        make_solution(K.NIGHT_SHELTER, 4, valid_to="2026-11-25"),
    ]
    result = match_solutions(ROOFLESS, entries, ON, CONFIG)
    assert [f.solution.id for f in result.suggested] == [UUID(int=4)]
    assert result.rejected == ()


def test_an_unaffordable_flat_ranks_below_an_affordable_one_and_carries_a_warning_not_a_reason(
    make_solution: MakeSolution,
) -> None:
    expensive = make_solution(K.MUNICIPAL_FLAT, 1, rent_monthly=13500, capacity={"total": 1, "free": 1})
    affordable = make_solution(K.MUNICIPAL_FLAT, 2, rent_monthly=5000, capacity={"total": 1, "free": 1})
    shelter = make_solution(K.NIGHT_SHELTER, 3)
    request = MatchRequest(need_level=NeedLevel.INSECURE, income_monthly=15000)
    result = match_solutions(request, [expensive, affordable, shelter], ON, CONFIG)
    # insecure: urgency 0.4; the municipal flat's immediacy is 0
    # affordable: 5 000 / 15 000 = 33 % <= 40 %: 100 × (0.6 × 1.0 + 0.3 × 0.4 × 0 + 0.1 × 1) = 70
    # expensive: 13 500 / 15 000 = 90 % > 40 %: 100 × (0.6 + 0 + 0.1 − 0.3 × 1) = 40
    # shelter: 100 × (0.6 × 0.2 + 0.3 × 0.4 × 1 + 0.1) = 34 (the penalty lowers, it does not exclude)
    assert [(f.solution.id, f.score) for f in result.suggested] == [
        (UUID(int=2), pytest.approx(70.0)),
        (UUID(int=1), pytest.approx(40.0)),
        (UUID(int=3), pytest.approx(34.0)),
    ]
    warning = "Nájem by tvořil 90 % příjmu domácnosti (nad 40 % je to neúnosné)."
    flat = result.suggested[1]
    assert flat.warnings == (warning,)
    assert flat.eligible and flat.blockers == ()
    assert all("Nájem by tvořil" not in reason for reason in flat.reasons)
    assert result.suggested[0].warnings == ()
    # the contract has no warnings: the event's reasons leave it out too
    [event_item] = [s for s in result.suggestions() if s.solution_id == UUID(int=1)]
    assert warning not in event_item.reasons


def test_the_affordability_penalty_never_takes_the_score_below_zero(make_solution: MakeSolution) -> None:
    flat = make_solution(K.MUNICIPAL_FLAT, rent_monthly=9000, capacity={"total": 1, "free": 1})
    request = MatchRequest(need_level=NeedLevel.INSECURE, income_monthly=10000)
    config = CONFIG.model_copy(update={"weight_unaffordable": 0.9})
    # 9 000 / 10 000 = 90 % > 40 %: 100 × max(0, 0.6 × 1.0 + 0 + 0.1 − 0.9) = 100 × max(0, −0.2) = 0
    [fit] = match_solutions(request, [flat], ON, config).suggested
    assert fit.score == 0.0


def test_suggestions_carry_rank_score_reasons_and_capacity(catalogue: list[Solution]) -> None:
    suggestions = suggest(ROOFLESS, catalogue, ON, CONFIG, limit=3)
    assert [s.rank for s in suggestions] == [1, 2, 3]
    assert [s.kind for s in suggestions] == ["night_shelter", "field_social_work", "emergency_aid"]
    assert suggestions[0].solution_id == UUID(int=5)
    assert suggestions[0].has_free_capacity is True
    assert suggestions[1].has_free_capacity is None  # a service tracks no capacity here
    assert suggestions[0].reasons[0] == "Vhodné pro situaci „bez střechy“."
    assert to_suggestions([]) == ()


def _need(**changes: object) -> NeedAssessed:
    base = NeedAssessed(
        case_id=UUID(int=1),
        assessment_id=UUID(int=2),
        assessed_on=ON,
        rule_set_version="2026-01-01",
        ethos_category=9,
        need_level="insecure",
        household_type="single_parent",
        household_size=3,
        children=2,
        income_monthly=21000,
        income_ceiling=30000,
        vulnerability_flags=("single_parent",),
        priority_score=40,
        m2_per_person=6.0,
    )
    return base.model_copy(update=changes)


def test_request_is_built_from_need_assessed() -> None:
    request = MatchRequest.from_need_assessed(_need(), applicant_age=34)
    assert request.need_level is NeedLevel.INSECURE
    assert request.ethos_category == 9
    assert request.household_type is HouseholdType.SINGLE_PARENT
    assert (request.household_size, request.children) == (3, 2)
    assert (request.income_monthly, request.income_ceiling) == (21000, 30000)
    assert request.vulnerability_flags == frozenset({"single_parent"})
    assert request.priority_score == 40 and request.applicant_age == 34


def test_unknown_household_type_becomes_other_and_empty_household_counts_as_one() -> None:
    request = MatchRequest.from_need_assessed(_need(household_type="commune", household_size=0))
    assert request.household_type is HouseholdType.OTHER
    assert request.household_size == 1


def test_unknown_need_level_is_refused() -> None:
    with pytest.raises(CatalogueInvalid):
        MatchRequest.from_need_assessed(_need(need_level="homeless"))
