"""Capacity over HTTP: a case takes a unit and gives it back, the total changes; each step is a
CapacityChanged event, and the cases holding units are recorded."""

from __future__ import annotations

import asyncio
from uuid import uuid4

import pytest

from .support import Catalogue, entry

pytestmark = pytest.mark.kafka

# Two places, one already taken by someone the catalogue does not track as a case.
HOSTEL = entry("commercial_hostel", "Ubytovna Na Nádraží", capacity={"total": 2, "free": 1})


async def test_a_case_takes_the_last_place_and_gives_it_back_with_an_event_each_time(
    catalogue: Catalogue,
) -> None:
    sid = (await catalogue.create(HOSTEL))["id"]
    case, other = uuid4(), uuid4()

    taken = await catalogue.worker.post(
        f"/api/solutions/{sid}/allocate", json={"case_id": str(case), "version": 1}
    )
    assert taken.status_code == 200, taken.text
    # free 1 - 1 = 0 of 2; every capacity step raises the version (1 -> 2)
    assert (taken.json()["capacity"], taken.json()["version"]) == ({"total": 2, "free": 0}, 2)
    holders = (await catalogue.worker.get(f"/api/solutions/{sid}/allocations")).json()
    assert [h["case_id"] for h in holders] == [str(case)]

    full = await catalogue.worker.post(f"/api/solutions/{sid}/allocate", json={"case_id": str(other)})
    assert full.status_code == 409
    assert full.json()["detail"]["code"] == "no_free_capacity"
    assert full.json()["detail"]["message_cs"] == "„Ubytovna Na Nádraží“ nemá volné místo ani jednotku."

    not_held = await catalogue.worker.post(f"/api/solutions/{sid}/release", json={"case_id": str(other)})
    assert not_held.status_code == 409
    assert not_held.json()["detail"]["code"] == "not_held"

    given_back = await catalogue.worker.post(f"/api/solutions/{sid}/release", json={"case_id": str(case)})
    assert given_back.status_code == 200, given_back.text
    assert (given_back.json()["capacity"], given_back.json()["version"]) == ({"total": 2, "free": 1}, 3)
    assert (await catalogue.worker.get(f"/api/solutions/{sid}/allocations")).json() == []

    events = await catalogue.events(expect=3)
    assert [e.type for e in events] == [
        "kmb.catalogue.solution_published.v1",
        "kmb.catalogue.capacity_changed.v1",
        "kmb.catalogue.capacity_changed.v1",
    ]
    changes = [
        (e.payload["case_id"], e.payload["capacity_total"], e.payload["capacity_free"]) for e in events[1:]
    ]
    assert changes == [(str(case), 2, 0), (str(case), 2, 1)]
    assert [e.payload["actor"]["user_id"] for e in events] == ["editor-3", "worker-7", "worker-7"]
    assert {e.key for e in events} == {sid}


async def test_the_total_changes_but_never_below_the_places_taken(catalogue: Catalogue) -> None:
    sid = (await catalogue.create(HOSTEL))["id"]
    case = uuid4()
    assert (
        await catalogue.worker.post(f"/api/solutions/{sid}/allocate", json={"case_id": str(case)})
    ).status_code == 200

    # 2 taken (one untracked, one by the case): a total of 5 leaves 5 - 2 = 3 free
    grown = await catalogue.editor.post(f"/api/solutions/{sid}/capacity", json={"total": 5})
    assert grown.status_code == 200, grown.text
    assert grown.json()["capacity"] == {"total": 5, "free": 3}

    too_small = await catalogue.editor.post(f"/api/solutions/{sid}/capacity", json={"total": 1})
    assert too_small.status_code == 409
    assert too_small.json()["detail"]["code"] == "capacity_below_taken"
    assert "2 places are taken" in too_small.json()["detail"]["message_en"]

    # a change by PATCH may not free the unit the case holds either: taken would be 1 - 1 = 0 < 1 held
    freed = await catalogue.editor.patch(
        f"/api/solutions/{sid}", json={"version": 3, "capacity": {"total": 1, "free": 1}}
    )
    assert freed.status_code == 409
    assert freed.json()["detail"]["code"] == "capacity_below_taken"

    negative = await catalogue.editor.post(f"/api/solutions/{sid}/capacity", json={"total": -1})
    assert negative.status_code == 422
    assert [item["field"] for item in negative.json()["detail"]] == ["total"]

    events = await catalogue.events(expect=3)
    assert [(e.payload.get("case_id"), e.payload.get("capacity_free")) for e in events[1:]] == [
        (str(case), 0),
        (None, 3),
    ]


async def test_allocation_checks_the_version_the_client_read(catalogue: Catalogue) -> None:
    sid = (await catalogue.create(HOSTEL))["id"]

    stale = await catalogue.worker.post(
        f"/api/solutions/{sid}/allocate", json={"case_id": str(uuid4()), "version": 7}
    )

    assert stale.status_code == 409
    assert stale.json()["detail"]["code"] == "version_conflict"
    assert (await catalogue.worker.get(f"/api/solutions/{sid}")).json()["capacity"]["free"] == 1


async def test_a_case_holds_at_most_one_place_of_an_entry(catalogue: Catalogue) -> None:
    sid = (await catalogue.create(entry("asylum_house", "Azylový dům", capacity={"total": 5, "free": 5})))[
        "id"
    ]
    case = str(uuid4())
    assert (
        await catalogue.worker.post(f"/api/solutions/{sid}/allocate", json={"case_id": case})
    ).status_code == 200

    again = await catalogue.worker.post(f"/api/solutions/{sid}/allocate", json={"case_id": case})

    assert again.status_code == 409
    assert again.json()["detail"]["code"] == "already_held"
    assert (await catalogue.worker.get(f"/api/solutions/{sid}")).json()["capacity"]["free"] == 4


async def test_an_entry_without_capacity_takes_no_allocation(catalogue: Catalogue) -> None:
    sid = (await catalogue.create(entry("housing_allowance", "Příspěvek na bydlení")))["id"]

    response = await catalogue.worker.post(f"/api/solutions/{sid}/allocate", json={"case_id": str(uuid4())})

    assert response.status_code == 422
    [item] = response.json()["detail"]
    assert item["code"] == "capacity_not_tracked"
    assert item["message_en"] == "“Příspěvek na bydlení” does not track capacity."
    assert await catalogue.count("catalogue_allocation") == 0


async def test_two_cases_racing_for_the_last_place_get_one_place_and_one_clear_refusal(
    catalogue: Catalogue,
) -> None:
    sid = (await catalogue.create(HOSTEL))["id"]  # one place free
    cases = [str(uuid4()), str(uuid4())]

    responses = await asyncio.gather(
        *(catalogue.worker.post(f"/api/solutions/{sid}/allocate", json={"case_id": c}) for c in cases)
    )

    assert sorted(r.status_code for r in responses) == [200, 409]
    [refused] = [r for r in responses if r.status_code == 409]
    # the loser read the entry again after the winner's write, so it hears why: no place is left
    assert refused.json()["detail"]["code"] == "no_free_capacity"
    assert (await catalogue.worker.get(f"/api/solutions/{sid}")).json()["capacity"] == {"total": 2, "free": 0}
    assert await catalogue.count("catalogue_allocation") == 1
