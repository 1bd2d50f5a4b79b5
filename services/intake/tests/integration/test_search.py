"""Finding cases by number, name (ignoring case and diacritics), date of birth, district and status."""

from __future__ import annotations

from typing import Any

import pytest

from .support import WORKER, Intake, case_body, member, worker

pytestmark = pytest.mark.kafka

OTHER_WORKER = worker("worker-8")


async def seed(intake: Intake) -> dict[str, dict[str, Any]]:
    """Three households: Hronková and Dvořáková share a date of birth and Praha 7; the Novák family
    lives in Praha 10, was opened by worker-8 and is closed."""
    hronkova = await intake.open_case(case_body())
    novak = await intake.open_case(
        case_body(
            members=[
                member(first_name="Jan", last_name="Novák", date_of_birth="1990-01-02"),
                member(
                    first_name="Eliška",
                    last_name="Nováková",
                    date_of_birth="2019-05-05",
                    relationship="child",
                ),
            ],
            address={"orp_code": "1100", "district": "Praha 10"},
        ),
        **OTHER_WORKER,
    )
    dvorakova = await intake.open_case(
        case_body(members=[member(first_name="Jana", last_name="Dvořáková")]),
    )
    await intake.client.post(f"/api/cases/{novak['id']}/close", json={"reason": "moved_away"})
    return {"hronkova": hronkova, "novak": novak, "dvorakova": dvorakova}


async def found(
    intake: Intake, path: str = "/api/cases", headers: dict[str, str] | None = None, **params: str
) -> set[str]:
    response = await intake.client.get(path, params=params, headers=headers or {})
    assert response.status_code == 200, response.text
    return {case["number"] for case in response.json()}


async def test_search_by_name_ignores_case_and_diacritics_and_matches_parts(intake: Intake) -> None:
    cases = await seed(intake)
    number = {key: case["number"] for key, case in cases.items()}

    assert await found(intake, name="hronk") == {number["hronkova"]}
    assert await found(intake, name="KVĚT") == {number["hronkova"]}
    # "nova" is part of Novák and Nováková (one family), not of Dvořáková
    assert await found(intake, name="Nová") == {number["novak"]}
    # "jan" is part of Jan (Novák) and Jana (Dvořáková)
    assert await found(intake, name="jan") == {number["novak"], number["dvorakova"]}
    # every word must match the same member
    assert await found(intake, name="jana dvor") == {number["dvorakova"]}
    assert await found(intake, name="eliska novakova") == {number["novak"]}
    assert await found(intake, name="jana novak") == set()
    assert await found(intake, name="%") == set()  # a wildcard is a plain character


async def test_search_by_number_birth_date_district_and_status(intake: Intake) -> None:
    cases = await seed(intake)
    number = {key: case["number"] for key, case in cases.items()}

    assert await found(intake, number=number["novak"]) == {number["novak"]}
    assert await found(intake, number=number["novak"].lower()) == {number["novak"]}
    assert await found(intake, birth_date="1985-03-15") == {number["hronkova"], number["dvorakova"]}
    assert await found(intake, birth_date="2019-05-05") == {number["novak"]}
    assert await found(intake, district="praha 7") == {number["hronkova"], number["dvorakova"]}
    assert await found(intake, district="PRAHA 10") == {number["novak"]}
    assert await found(intake, status="closed") == {number["novak"]}
    assert await found(intake, status="open") == {number["hronkova"], number["dvorakova"]}
    assert await found(intake, district="Praha 7", birth_date="1985-03-15", name="hron") == {
        number["hronkova"]
    }
    assert await found(intake) == set(number.values())


async def test_search_results_name_the_members(intake: Intake) -> None:
    cases = await seed(intake)

    response = await intake.client.get("/api/cases", params={"number": cases["novak"]["number"]})

    (summary,) = response.json()
    assert [(m["first_name"], m["last_name"], m["date_of_birth"]) for m in summary["members"]] == [
        ("Jan", "Novák", "1990-01-02"),
        ("Eliška", "Nováková", "2019-05-05"),
    ]
    assert (summary["status"], summary["district"], summary["worker_id"]) == (
        "closed",
        "Praha 10",
        "worker-8",
    )


async def test_my_cases_are_the_ones_the_acting_worker_opened(intake: Intake) -> None:
    cases = await seed(intake)
    number = {key: case["number"] for key, case in cases.items()}

    mine = "/api/cases/mine"
    assert await found(intake, mine, WORKER, status="open") == {number["hronkova"], number["dvorakova"]}
    assert await found(intake, mine, OTHER_WORKER, status="open") == set()
    assert await found(intake, mine, OTHER_WORKER) == {number["novak"]}
    same_id_other_org = worker("worker-7", organisation="kmb-liberec")
    assert await found(intake, mine, same_id_other_org) == set()
