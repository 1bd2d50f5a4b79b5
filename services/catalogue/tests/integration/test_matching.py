"""Suggestions: a NeedAssessed on the assessment topic is answered with the entries in force on the
assessment day, ranked by the domain's score, stored for the case and announced as SolutionsSuggested.

score = 100 × (0.6 × relevance + 0.3 × urgency × immediacy + 0.1 × c), with the default tables of
``match_config``; urgency = max(urgency of the need level, priority score / 100); c = 1 unless full.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import NAMESPACE_URL, uuid4, uuid5

import pytest

from kmb_catalogue.adapters.store import aware
from kmb_catalogue.domain.matching import ALTERNATIVE_REASON, FAST_HELP_REASON, FULL_REASON
from kmb_shared.auth import Role
from kmb_shared.contracts import Actor
from kmb_testkit.fixtures import bearer
from kmb_testkit.probe import ce_headers, produce, wait_until

from .support import LIPOVEC, WORKER, Catalogue, case_opened, entry, need_assessed

pytestmark = pytest.mark.kafka


async def _roofless_catalogue(catalogue: Catalogue) -> dict[str, str]:
    """Entries for the first two households, by short name -> id."""
    bodies = {
        "shelter": entry(
            "night_shelter",
            "Noclehárna",
            capacity={"total": 20, "free": 6},
            eligibility={"need_levels": ["roofless", "houseless"], "children_allowed": False},
        ),
        "field": entry("field_social_work", "Terénní sociální práce"),
        "aid": entry("emergency_aid", "Mimořádná okamžitá pomoc"),
        "asylum": entry("asylum_house", "Azylový dům", capacity={"total": 30, "free": 3}),
        "flat": entry("municipal_flat", "Obecní byt 1+kk", capacity={"total": 1, "free": 1}, size_m2=28),
        "allowance": entry("housing_allowance", "Příspěvek na bydlení"),
        "expired": entry("debt_advice", "Dluhová poradna", valid_to="2026-06-30"),
        "withdrawn": entry("legal_aid", "Právní poradna"),
    }
    ids = {name: (await catalogue.create(body))["id"] for name, body in bodies.items()}
    gone = await catalogue.editor.delete(f"/api/solutions/{ids['withdrawn']}", params={"version": 1})
    assert gone.status_code == 200
    return ids


def _ranking(suggestions: list[dict[str, Any]], ids: dict[str, str]) -> list[tuple[str, float]]:
    names = {v: k for k, v in ids.items()}
    return [(names[s["solution_id"]], s["score"]) for s in suggestions]


async def test_a_roofless_person_gets_help_for_tonight_first_and_a_later_assessment_replaces_it(
    catalogue: Catalogue,
) -> None:
    ids = await _roofless_catalogue(catalogue)
    case = uuid4()
    roofless = need_assessed(
        "roofless", case_id=case, ethos_category=1, household_type="single", household_size=1
    )

    event_id = await catalogue.assess(roofless)
    first = await catalogue.suggestions(case, assessment_id=roofless.assessment_id)

    # urgency = max(1.0 for roofless, 0 / 100) = 1.0
    #   shelter 0.6×1.0 + 0.3×1.0×1.0 + 0.1 = 1.00
    #   field   0.6×0.9 + 0.3×1.0×1.0 + 0.1 = 0.94
    #   aid     0.6×0.9 + 0.3×1.0×0.9 + 0.1 = 0.91
    #   asylum  0.6×0.8 + 0.3×1.0×0.7 + 0.1 = 0.79
    #   flat    0.6×0.5 + 0.3×1.0×0.2 + 0.1 = 0.46  (28 m² for 1 person is above 9.5 m²)
    # the allowance does not answer "roofless" (relevance 0); the advice ended on 30 June; the legal
    # aid is withdrawn
    assert _ranking(first["suggestions"], ids) == [
        ("shelter", 100.0),
        ("field", 94.0),
        ("aid", 91.0),
        ("asylum", 79.0),
        ("flat", 46.0),
    ]
    assert [s["rank"] for s in first["suggestions"]] == [1, 2, 3, 4, 5]
    shelter = first["suggestions"][0]
    assert shelter["reasons"][0] == "Vhodné pro situaci „bez střechy“."
    assert FAST_HELP_REASON in shelter["reasons"]  # 1.0 × 1.0 reaches the 0.7 threshold
    assert FAST_HELP_REASON not in first["suggestions"][4]["reasons"]  # flat: 1.0 × 0.2
    assert [(r["solution_id"], r["blockers"]) for r in first["rejected"]] == [
        (ids["allowance"], ["Neodpovídá situaci „bez střechy“."])
    ]
    assert first["municipal_stock_exhausted"] is False

    # replay-deterministic row: id from the consumed event's id, time from the event
    [row] = await catalogue.suggestion_rows(case)
    assert row.id == uuid5(NAMESPACE_URL, event_id)
    assert aware(row.created_at) == roofless.occurred_at

    later = need_assessed(
        "at_risk",
        case_id=case,
        household_type="single",
        priority_score=80,
        occurred_at=roofless.occurred_at + timedelta(minutes=5),
    )
    await catalogue.assess(later)
    second = await catalogue.suggestions(case, assessment_id=later.assessment_id)

    # urgency = max(0.5 for at_risk, 80 / 100) = 0.8
    #   aid       0.6×0.7 + 0.3×0.8×0.9 + 0.1 = 0.42 + 0.216 + 0.1 = 0.736
    #   allowance 0.6×0.9 + 0.3×0.8×0.3 + 0.1 = 0.54 + 0.072 + 0.1 = 0.712
    #   field     0.6×0.4 + 0.3×0.8×1.0 + 0.1 = 0.24 + 0.24  + 0.1 = 0.58
    #   flat      0.6×0.5 + 0.3×0.8×0.2 + 0.1 = 0.30 + 0.048 + 0.1 = 0.448
    #   asylum    0.6×0.2 + 0.3×0.8×0.7 + 0.1 = 0.12 + 0.168 + 0.1 = 0.388
    # the night shelter is only for roofless and houseless people
    assert _ranking(second["suggestions"], ids) == [
        ("aid", 73.6),
        ("allowance", 71.2),
        ("field", 58.0),
        ("flat", 44.8),
        ("asylum", 38.8),
    ]
    assert [r["solution_id"] for r in second["rejected"]] == [ids["shelter"]]
    assert "Určeno jen pro situace: bez bytu, bez střechy." in second["rejected"][0]["blockers"]

    events = [e for e in await catalogue.events(expect=8 + 1 + 2) if e.type.endswith("suggested.v1")]
    assert [e.payload["assessment_id"] for e in events] == [
        str(roofless.assessment_id),
        str(later.assessment_id),
    ]
    assert events[0].key == str(case)
    assert events[0].payload["caused_by"] == event_id
    assert [s["solution_id"] for s in events[0].payload["suggestions"]] == [
        s["solution_id"] for s in first["suggestions"]
    ]


async def test_when_no_municipal_flat_is_free_the_alternatives_still_come(catalogue: Catalogue) -> None:
    bodies = {
        "flat": entry("municipal_flat", "Obecní byt 2+1", capacity={"total": 1, "free": 1}, size_m2=54),
        "ngo": entry(
            "ngo_flat",
            "Tréninkový byt",
            capacity={"total": 2, "free": 1},
            size_m2=54,
            eligibility={"household_types": ["single_parent", "family_with_children"]},
        ),
        "sublease": entry("sublease_housing", "Podnájemní byt", capacity={"total": 3, "free": 1}),
        "legal": entry("legal_aid", "Právní poradna"),
        "womens": entry(
            "womens_shelter",
            "Azylový dům pro ženy",
            capacity={"total": 8, "free": 2},
            eligibility={"required_flags": ["domestic_violence"]},
        ),
    }
    ids = {name: (await catalogue.create(body))["id"] for name, body in bodies.items()}
    # the only municipal flat goes to another household
    taken = await catalogue.worker.post(
        f"/api/solutions/{ids['flat']}/allocate", json={"case_id": str(uuid4())}
    )
    assert taken.json()["capacity"] == {"total": 1, "free": 0}
    family = need_assessed(
        "insecure", household_type="family_with_children", household_size=3, children=1, ethos_category=8
    )

    await catalogue.assess(family)
    result = await catalogue.suggestions(family.case_id, assessment_id=family.assessment_id)

    # urgency = max(0.6 for insecure, 0 / 100) = 0.6
    #   legal    0.6×0.8 + 0.3×0.6×0.5 + 0.1 = 0.48 + 0.09  + 0.1 = 0.67
    #   sublease 0.6×0.8 + 0.3×0.6×0.4 + 0.1 = 0.48 + 0.072 + 0.1 = 0.652
    #   ngo      0.6×0.8 + 0.3×0.6×0.3 + 0.1 = 0.48 + 0.054 + 0.1 = 0.634  (54 m² / 3 = 18 m² a person)
    # the municipal flat is full; the women's shelter needs the domestic-violence flag
    assert _ranking(result["suggestions"], ids) == [("legal", 67.0), ("sublease", 65.2), ("ngo", 63.4)]
    assert result["municipal_stock_exhausted"] is True
    alternatives = {s["solution_id"] for s in result["suggestions"] if ALTERNATIVE_REASON in s["reasons"]}
    assert alternatives == {ids["sublease"], ids["ngo"]}  # housing, not a service
    rejected = {r["solution_id"]: r["blockers"] for r in result["rejected"]}
    assert rejected == {
        ids["flat"]: [FULL_REASON],
        ids["womens"]: ["Vyžaduje: domácí násilí."],
    }


async def test_an_unaffordable_flat_ranks_below_the_affordable_sublease_with_a_warning_kept_out_of_the_event(
    catalogue: Catalogue,
) -> None:
    bodies = {
        "flat": entry(
            "municipal_flat",
            "Obecní byt 2+kk",
            capacity={"total": 1, "free": 1},
            size_m2=45,
            rent_monthly=13500,
        ),
        "sublease": entry(
            "sublease_housing", "Podnájemní byt", capacity={"total": 3, "free": 1}, rent_monthly=5000
        ),
    }
    ids = {name: (await catalogue.create(body))["id"] for name, body in bodies.items()}
    single = need_assessed("insecure", household_type="single", ethos_category=8, income_monthly=15000)

    await catalogue.assess(single)
    result = await catalogue.suggestions(single.case_id, assessment_id=single.assessment_id)

    # urgency = max(0.6 for insecure, 0 / 100) = 0.6
    #   sublease 5 000 / 15 000 = 33 % <= 40 %: 0.6×0.8 + 0.3×0.6×0.4 + 0.1 = 0.48 + 0.072 + 0.1 = 0.652
    #   flat 13 500 / 15 000 = 90 % > 40 %:
    #        0.6×0.9 + 0.3×0.6×0.2 + 0.1 − 0.3 = 0.54 + 0.036 + 0.1 − 0.3 = 0.376
    assert _ranking(result["suggestions"], ids) == [("sublease", 65.2), ("flat", 37.6)]
    warning = "Nájem by tvořil 90 % příjmu domácnosti (nad 40 % je to neúnosné)."
    sublease, flat = result["suggestions"]
    assert flat["warnings"] == [warning]
    assert warning not in flat["reasons"]
    assert sublease["warnings"] == []

    events = [e for e in await catalogue.events(expect=2 + 1) if e.type.endswith("suggested.v1")]
    [event_flat] = [s for s in events[0].payload["suggestions"] if s["solution_id"] == ids["flat"]]
    assert warning not in event_flat["reasons"]
    assert "warnings" not in event_flat  # the shared contract carries reasons only


async def test_a_redelivered_assessment_is_answered_once(catalogue: Catalogue) -> None:
    await catalogue.create(entry("legal_aid", "Právní poradna"))
    event = need_assessed("at_risk", occurred_at=datetime.now(UTC))
    same_id = str(uuid4())
    record = (event.model_dump_json().encode(), ce_headers(event, same_id), event.subject.encode())

    await produce(catalogue.bootstrap, catalogue.topics.context("assessment"), [record, record])

    consumer = catalogue.runtime.consumer
    assert consumer is not None

    async def both_seen() -> bool:
        return consumer.applied + consumer.duplicates == 2

    await wait_until(both_seen)
    assert (consumer.applied, consumer.duplicates) == (1, 1)
    assert await catalogue.count("catalogue_suggestion") == 1


async def test_intakes_case_opened_on_the_broker_says_whose_case_it_is(catalogue: Catalogue) -> None:
    """An assessment by another organisation's worker, then intake's CaseOpened by Lipovec's: from then
    on the case's suggestions are Lipovec's, and the other organisation does not find them."""
    await catalogue.create(entry("legal_aid", "Právní poradna"))
    case = uuid4()
    other = bearer(Role.WORKER, organisation="kmb-brezany", user="worker-b1")
    event = need_assessed(
        "at_risk", case_id=case, actor=Actor(user_id="worker-b1", organisation="kmb-brezany")
    )
    await catalogue.assess(event)
    path = f"/api/cases/{case}/suggestions"

    async def answered_for(headers: dict[str, str]) -> bool:
        return (await catalogue.anonymous.get(path, headers=headers)).status_code == 200

    await wait_until(lambda: answered_for(other))
    await catalogue.open_case(case_opened(case, LIPOVEC))
    await wait_until(lambda: answered_for(WORKER))
    assert (await catalogue.anonymous.get(path, headers=other)).status_code == 404
