"""Table of realistic situations without a home of one's own (roofless, houseless, insecure).

Every expected value is worked out by hand from rule set 2026.1 (or 2026.2 where the row says so):
subsistence minimum (SM): single person 4860, first adult 4470, further adult 4040, child 0-5 2480,
6-14 3050, 15-17 / dependent 18-25 3490. Ceiling = ceil(coefficient × SM): 1.43 before the decree,
1.6 after. Points: roofless 40, houseless 30, insecure 20, inadequate 15, at_risk 10; threat within
56 days 10; 3 per child (cap 12); §6 flags 5 each except domestic_violence 10; cost burden > 40 % 5,
> 50 % 10; overcrowding < 9.5 m² 5, < 5 m² 10; energy > 20 % 5; income < SM 5; debts 3.
Ratios are rounded half up: income ratio to 3 places, percentages to 1, m² to 2.
"""

from __future__ import annotations

import pytest

from kmb_assessment.domain import assess

from .situations import DECREE_DAY, Expected, Situation, check

# Expected(ethos, light, need level, household type, children, subsistence minimum, ceiling,
#          income ratio, burden %, energy %, m² per person, §6 flags, register, score, next steps)
# fmt: off
ROWS = [
    # Rough sleeper, no income. ETHOS 1 (street), roofless. SM single 4860; ceiling
    # 1.43 × 4860 = 6949.8 -> 6950; ratio 0/6950 = 0.0; income 0 -> burden and energy None.
    # Score 40 (roofless) + 5 (0 < 4860) = 45.
    pytest.param(
        Situation(members=("26-64 applicant",), kind="street", title="none"),
        Expected(1, "living_rough", "roofless", "single", 0, 4860, 6950, 0.0, None, None, None, (), True, 45,
                 ("emergency_accommodation", "register_application", "binding_opinion", "supported_housing", "material_need_benefits")),
        id="rough-sleeper",
    ),
    # Family (couple + child 6-14) in a night shelter. ETHOS 2. SM 4470 + 4040 + 3050 = 11560;
    # ceiling 1.43 × 11560 = 16530.8 -> 16531; ratio 14000/16531 = 0.84689 -> 0.847;
    # burden 1500/14000 = 10.71 % -> 10.7. Score 40 + 3 (1 child) = 43.
    pytest.param(
        Situation(members=("26-64 applicant", "26-64 partner", "6-14 child"),
                  kind="night_shelter", income=14000, rent=1500),
        Expected(2, "emergency_accommodation", "roofless", "family_with_children", 1, 11560, 16531, 0.847, 10.7, 0.0, None, (), True, 43,
                 ("emergency_accommodation", "register_application", "binding_opinion", "supported_housing")),
        id="family-in-night-shelter",
    ),
    # Woman with a disability in an asylum house, assessed after 1 July 2026 (rule set 2026.3).
    # ETHOS 3. SM 5500; ceiling 1.6 × 5500 = 8800; 7500 <= 8800 qualifies; ratio 7500/8800 =
    # 0.852272 -> 0.852; burden 4500/7500 = 60.0 %; m² 12/1 = 12.0 (not overcrowded).
    # Score 30 (houseless) + 5 (disability) + 10 (burden > 50 %) = 45.
    pytest.param(
        Situation(members=("26-64 applicant flag=disability",),
                  kind="asylum_house", title="lodging_contract", size_m2=12, income=7500, rent=4500, on=DECREE_DAY),
        Expected(3, "homeless_accommodation", "houseless", "single", 0, 5500, 8800, 0.852, 60.0, 0.0, 12.0, ("disability",), True, 45,
                 ("register_application", "binding_opinion", "housing_assistance", "supported_housing", "housing_allowance")),
        id="asylum-house-after-decree",
    ),
    # The same woman before the decree (rule set 2026.1): ceiling 1.43 × 4860 = 6949.8 -> 6950;
    # 7500 > 6950 does not qualify; ratio 7500/6950 = 1.07914 -> 1.079. Score unchanged 45.
    pytest.param(
        Situation(members=("26-64 applicant flag=disability",),
                  kind="asylum_house", title="lodging_contract", size_m2=12, income=7500, rent=4500),
        Expected(3, "homeless_accommodation", "houseless", "single", 0, 4860, 6950, 1.079, 60.0, 0.0, 12.0, ("disability",), False, 45,
                 ("housing_assistance", "housing_allowance", "income_above_ceiling")),
        id="asylum-house-before-decree",
    ),
    # Mother and child (0-5) in a women's shelter, threatened with violence. ETHOS 4 (shelter) and
    # 10 (violence): the lower, 4, wins. SM 4470 + 2480 = 6950; ceiling 1.43 × 6950 = 9938.5 -> 9939;
    # 10000 > 9939 by 61 CZK: no entry; ratio 10000/9939 = 1.00614 -> 1.006; burden 3000/10000 =
    # exactly 30.0 % (not above 30: no allowance hint); m² 20/2 = 10.0.
    # Score 30 + 3 (child) + 10 (domestic_violence) + 5 (single_parent) = 48.
    pytest.param(
        Situation(members=("26-64 applicant", "0-5 child"),
                  kind="womens_shelter", title="lodging_contract", size_m2=20, income=10000, rent=3000, flags=("domestic_violence",)),
        Expected(4, "homeless_accommodation", "houseless", "single_parent", 1, 6950, 9939, 1.006, 30.0, 0.0, 10.0, ("domestic_violence", "single_parent"), False, 48,
                 ("violence_support", "housing_assistance", "income_above_ceiling")),
        id="womens-shelter-just-over-ceiling",
    ),
    # Couple with a 15-17 year old in accommodation for immigrants. ETHOS 5, no ETHOS Light.
    # SM 4470 + 4040 + 3490 = 12000; ceiling 1.43 × 12000 = 17160; ratio 15000/17160 = 0.87413 -> 0.874;
    # burden 4000/15000 = 26.67 % -> 26.7. Score 30 + 3 = 33.
    pytest.param(
        Situation(members=("26-64 applicant", "26-64 partner", "15-17 child dependent"),
                  kind="immigrant_accommodation", title="lodging_contract", income=15000, rent=4000),
        Expected(5, None, "houseless", "family_with_children", 1, 12000, 17160, 0.874, 26.7, 0.0, None, (), True, 33,
                 ("register_application", "binding_opinion", "supported_housing")),
        id="immigrant-accommodation",
    ),
    # Young man (18-25, not dependent) leaving a children's home, no income. ETHOS 6, Light institutions.
    # SM single 4860; ceiling 6950; ratio 0.0. Flags: leaving_institution (derived from ETHOS 6) and
    # young_adult_leaving_care (intake). Score 30 + 5 + 5 + 5 (0 < 4860) = 45.
    pytest.param(
        Situation(members=("18-25 applicant",),
                  kind="institution", title="none", flags=("young_adult_leaving_care",), survey_kind="childrens_home"),
        Expected(6, "institutions", "houseless", "single", 0, 4860, 6950, 0.0, None, None, None, ("leaving_institution", "young_adult_leaving_care"), True, 45,
                 ("institution_release_planning", "register_application", "binding_opinion", "housing_assistance", "supported_housing", "material_need_benefits")),
        id="young-man-leaving-childrens-home",
    ),
    # Man leaving prison with 200 000 CZK of debts, no income. ETHOS 6. SM 4860, ceiling 6950.
    # Score 30 + 5 (leaving_institution) + 5 (income < SM) + 3 (debts) = 43.
    pytest.param(
        Situation(members=("26-64 applicant",), kind="institution", survey_kind="prison", debts=200000),
        Expected(6, "institutions", "houseless", "single", 0, 4860, 6950, 0.0, None, None, None, ("leaving_institution",), True, 43,
                 ("institution_release_planning", "register_application", "binding_opinion", "housing_assistance", "supported_housing", "material_need_benefits", "debt_advice")),
        id="prison-leaver-with-debts",
    ),
    # Large family (couple + 5 children: 0-5, 0-5, 6-14, 6-14, dependent 18-25) in an asylum house, 40 m².
    # m² 40/7 = 5.714 -> 5.71 < 9.5: ETHOS 13 too, but 3 wins. SM 4470 + 4040 + 2×2480 + 2×3050 + 3490
    # = 23060; ceiling 1.43 × 23060 = 32975.8 -> 32976; ratio 35000/32976 = 1.06138 -> 1.061 (no entry);
    # burden 8000/35000 = 22.86 % -> 22.9. Score 30 + min(5×3, 12) = 12 + 5 (large_family)
    # + 5 (overcrowding) = 52.
    pytest.param(
        Situation(members=("26-64 applicant", "26-64 partner", "0-5 child", "0-5 child", "6-14 child", "6-14 child", "18-25 child dependent"),
                  kind="asylum_house", title="lodging_contract", size_m2=40, income=35000, rent=8000),
        Expected(3, "homeless_accommodation", "houseless", "family_with_children", 5, 23060, 32976, 1.061, 22.9, 0.0, 5.71, ("large_family",), False, 52,
                 ("housing_assistance", "income_above_ceiling")),
        id="large-family-in-asylum-house-children-capped",
    ),
    # Single mother with children 0-5 and 6-14 in a commercial hostel (ubytovna), 16 m², on a 3-month
    # lodging contract ending in 90 days (beyond the 56-day horizon: no ETHOS 9). ETHOS 8, and 13 for
    # 16/3 = 5.33 m² (not severe): 8 wins, no Light. SM 4470 + 2480 + 3050 = 10000; ceiling 14300;
    # ratio 13000/14300 = 0.90909 -> 0.909; burden (9000 + 1500)/13000 = 80.77 % -> 80.8.
    # Score 20 + 6 (2 children) + 5 (single_parent) + 10 (burden > 50 %) + 5 (overcrowding) = 46.
    pytest.param(
        Situation(members=("26-64 applicant", "0-5 child", "6-14 child"),
                  kind="commercial_hostel", title="lodging_contract", size_m2=16, income=13000, rent=9000, services=1500, housing_ends_in_days=90),
        Expected(8, None, "insecure", "single_parent", 2, 10000, 14300, 0.909, 80.8, 0.0, 5.33, ("single_parent",), True, 46,
                 ("eviction_prevention", "register_application", "binding_opinion", "housing_assistance", "supported_housing", "housing_allowance")),
        id="single-mother-in-ubytovna-3-month-contract",
    ),
    # Couple living with friends, 120 000 CZK debts. ETHOS 8, Light with_family_friends.
    # SM 4470 + 4040 = 8510; ceiling 1.43 × 8510 = 12169.3 -> 12170; ratio 12000/12170 = 0.98603 -> 0.986;
    # burden 3000/12000 = 25.0 %. Score 20 + 3 (debts) = 23.
    pytest.param(
        Situation(members=("26-64 applicant", "26-64 partner"),
                  kind="with_family_friends", title="none", income=12000, rent=3000, debts=120000),
        Expected(8, "with_family_friends", "insecure", "couple", 0, 8510, 12170, 0.986, 25.0, 0.0, None, (), True, 23,
                 ("register_application", "binding_opinion", "housing_assistance", "supported_housing", "debt_advice")),
        id="couple-living-with-friends",
    ),
    # Single person with friends, income exactly at the ceiling: 6950 <= 6950 qualifies, ratio 1.0.
    # Score 20.
    pytest.param(
        Situation(members=("26-64 applicant",), kind="with_family_friends", title="none", income=6950),
        Expected(8, "with_family_friends", "insecure", "single", 0, 4860, 6950, 1.0, 0.0, 0.0, None, (), True, 20,
                 ("register_application", "binding_opinion", "housing_assistance", "supported_housing")),
        id="income-exactly-at-ceiling",
    ),
    # Flat without any legal title (staying on): ETHOS 8 from the title "none". SM 4860, ceiling 6950;
    # ratio 5000/6950 = 0.71942 -> 0.719. Score 20.
    pytest.param(
        Situation(members=("26-64 applicant",), kind="flat", title="none", income=5000),
        Expected(8, "with_family_friends", "insecure", "single", 0, 4860, 6950, 0.719, 0.0, 0.0, None, (), True, 20,
                 ("register_application", "binding_opinion", "housing_assistance", "supported_housing")),
        id="flat-without-legal-title",
    ),
    # Pregnant young woman (18-25, not dependent) staying with relatives. ETHOS 8. SM 4860; ceiling 6950;
    # 8000 > 6950: no entry; ratio 8000/6950 = 1.15108 -> 1.151; burden 2000/8000 = 25.0 %.
    # Score 20 + 5 (pregnancy, a member flag) = 25.
    pytest.param(
        Situation(members=("18-25 applicant flag=pregnancy",),
                  kind="with_family_friends", title="none", income=8000, rent=2000),
        Expected(8, "with_family_friends", "insecure", "single", 0, 4860, 6950, 1.151, 25.0, 0.0, None, ("pregnancy",), False, 25,
                 ("housing_assistance", "income_above_ceiling")),
        id="pregnant-woman-with-relatives",
    ),
    # Couple with a child (6-14) in a 60 m² flat, eviction in 40 days (<= 56): ETHOS 9. SM 11560;
    # ceiling 16531; ratio 16000/16531 = 0.96788 -> 0.968; burden (10000 + 2500 + 2000)/16000 = 90.625 %
    # -> 90.6; energy 2000/16000 = 12.5 %; m² 60/3 = 20.0. Score 20 + 10 (threat) + 3 (child)
    # + 10 (burden) + 3 (debts) = 46.
    pytest.param(
        Situation(members=("26-64 applicant", "26-64 partner", "6-14 child"),
                  kind="flat", title="lease", size_m2=60, income=16000, rent=10000, services=2500, energy=2000, debts=45000, eviction_in_days=40),
        Expected(9, None, "insecure", "family_with_children", 1, 11560, 16531, 0.968, 90.6, 12.5, 20.0, (), True, 46,
                 ("eviction_prevention", "register_application", "binding_opinion", "housing_assistance", "supported_housing", "housing_allowance", "debt_advice")),
        id="eviction-in-40-days",
    ),
    # Single person, eviction in exactly 56 days (the horizon is inclusive): ETHOS 9. SM 4860, ceiling
    # 6950; ratio 6000/6950 = 0.86331 -> 0.863; burden 4000/6000 = 66.67 % -> 66.7; energy 500/6000 =
    # 8.33 % -> 8.3; m² 30.0. Score 20 + 10 (threat) + 10 (burden) = 40.
    pytest.param(
        Situation(members=("26-64 applicant",),
                  kind="flat", title="lease", size_m2=30, income=6000, rent=3000, services=500, energy=500, eviction_in_days=56),
        Expected(9, None, "insecure", "single", 0, 4860, 6950, 0.863, 66.7, 8.3, 30.0, (), True, 40,
                 ("eviction_prevention", "register_application", "binding_opinion", "housing_assistance", "supported_housing", "housing_allowance")),
        id="eviction-exactly-at-56-day-horizon",
    ),
    # Woman with a child (6-14) threatened by violence at home, 55 m² flat. ETHOS 10. SM 4470 + 3050 =
    # 7520; ceiling 1.43 × 7520 = 10753.6 -> 10754; 16000 > 10754: no entry; ratio 1.48782 -> 1.488;
    # burden 11500/16000 = 71.875 % -> 71.9; energy 1500/16000 = 9.375 % -> 9.4; m² 27.5.
    # Score 20 + 3 + 10 (domestic_violence) + 5 (single_parent) + 10 (burden) = 48.
    pytest.param(
        Situation(members=("26-64 applicant", "6-14 child"),
                  kind="flat", title="lease", size_m2=55, income=16000, rent=8000, services=2000, energy=1500, flags=("domestic_violence",)),
        Expected(10, None, "insecure", "single_parent", 1, 7520, 10754, 1.488, 71.9, 9.4, 27.5, ("domestic_violence", "single_parent"), False, 48,
                 ("violence_support", "housing_assistance", "housing_allowance", "income_above_ceiling")),
        id="woman-under-threat-of-violence",
    ),
]
# fmt: on


@pytest.mark.parametrize(("situation", "expected"), ROWS)
def test_situation_without_home_is_assessed_as_worked_out_by_hand(
    situation: Situation, expected: Expected
) -> None:
    check(assess(situation.household(), situation.survey()), expected)
