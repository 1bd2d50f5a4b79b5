from __future__ import annotations

from datetime import date

from kmb_catalogue.adapters.demo import DEMO_MUNICIPALITY, demo_leaflet, load_demo_catalogue
from kmb_catalogue.domain import HouseholdType, MatchRequest, NeedLevel, SolutionKind, match_solutions

ON = date(2026, 11, 25)


def test_demo_catalogue_covers_every_kind_and_marks_every_entry() -> None:
    entries = load_demo_catalogue()
    assert 20 <= len(entries) <= 30
    assert len({e.id for e in entries}) == len(entries)
    assert {e.kind for e in entries} == set(SolutionKind)
    assert all(e.demo and "(DEMO)" in e.title and "(DEMO)" in e.provider.name for e in entries)
    assert all(e.is_valid_on(ON) for e in entries)


def test_demo_municipal_flats_have_all_three_categories() -> None:
    categories = {
        e.municipal_category for e in load_demo_catalogue() if e.kind is SolutionKind.MUNICIPAL_FLAT
    }
    assert {c.value for c in categories if c is not None} == {"A", "B", "C"}


def test_roofless_man_in_the_demo_town_gets_shelter_field_work_and_emergency_aid() -> None:
    # default rules, roofless: night shelter 100 × (0.6 × 1 + 0.3 × 1 × 1 + 0.1) = 100,
    # field social work 100 × (0.6 × 0.9 + 0.3 × 1 + 0.1) = 94, emergency aid 100 × (0.54 + 0.27 + 0.1) = 91
    request = MatchRequest(
        need_level=NeedLevel.ROOFLESS, ethos_category=1, household_type=HouseholdType.SINGLE, applicant_age=45
    )
    result = match_solutions(request, load_demo_catalogue(), ON)
    top = [(f.solution.kind, round(f.score)) for f in result.suggested[:3]]
    assert top == [
        (SolutionKind.NIGHT_SHELTER, 100),
        (SolutionKind.FIELD_SOCIAL_WORK, 94),
        (SolutionKind.EMERGENCY_AID, 91),
    ]
    assert result.municipal_stock_exhausted
    assert SolutionKind.MUNICIPAL_FLAT not in {f.solution.kind for f in result.suggested}
    assert SolutionKind.WOMENS_SHELTER not in {f.solution.kind for f in result.suggested}


def test_demo_leaflet_opens_with_the_contact_point() -> None:
    leaflet = demo_leaflet(ON)
    assert leaflet.municipality == DEMO_MUNICIPALITY
    assert leaflet.demo
    assert leaflet.contact_point is not None and "(DEMO)" in leaflet.contact_point.title
    assert all(section.items for section in leaflet.sections)


def test_the_demo_flat_at_90_percent_of_income_ranks_below_the_affordable_sublease() -> None:
    # the browser tests' household: one adult in a hostel, insecure (ETHOS 8), income 15 000,
    # priority 25, not in the register (ceiling 7 776). Default rules, urgency = max(0.6, 25 / 100) = 0.6
    # Krátká 3: 13 500 / 15 000 = 90 % > 40 %:
    #   100 × (0.6 × 0.9 + 0.3 × 0.6 × 0.2 + 0.1 − 0.3) = 100 × (0.54 + 0.036 + 0.1 − 0.3) = 37.6
    # sublease Sadová 7: 5 000 / 15 000 = 33 % <= 40 %:
    #   100 × (0.6 × 0.8 + 0.3 × 0.6 × 0.4 + 0.1) = 100 × (0.48 + 0.072 + 0.1) = 65.2
    # housing assistance: 100 × (0.6 × 0.8 + 0.3 × 0.6 × 0.5 + 0.1) = 100 × (0.48 + 0.09 + 0.1) = 67
    request = MatchRequest(
        need_level=NeedLevel.INSECURE,
        ethos_category=8,
        household_type=HouseholdType.SINGLE,
        income_monthly=15000,
        income_ceiling=7776,
        priority_score=25,
    )
    result = match_solutions(request, load_demo_catalogue(), ON)
    by_title = {f.solution.title: f for f in result.suggested}
    flat = by_title["Obecní byt 2+kk, Krátká 3 (DEMO)"]
    sublease = by_title["Podnájemní byt, Sadová 7 (DEMO)"]
    assistance = by_title["Asistence v bydlení (DEMO)"]
    assert (flat.score, sublease.score, assistance.score) == (37.6, 65.2, 67.0)
    order = [f.solution.title for f in result.suggested]
    assert order.index(sublease.solution.title) < order.index(flat.solution.title)
    assert result.suggested[0].solution.title != flat.solution.title
    assert flat.warnings == ("Nájem by tvořil 90 % příjmu domácnosti (nad 40 % je to neúnosné).",)
    assert sublease.warnings == ()
