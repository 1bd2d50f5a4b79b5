"""MemberSnapshot.dependent_child: an optional field added within v1 of intake's household events.
Events written before it still load (as "not established"), and the released schemas agree that
adding it is a compatible change."""

from __future__ import annotations

import copy
from typing import Any
from uuid import uuid4

import pytest

from kmb_shared import contracts
from kmb_shared.contracts import schemas

HOUSEHOLD_EVENTS = ("kmb.intake.case_opened.v1", "kmb.intake.household_changed.v1")


def _payload_as_released_before_the_field() -> dict[str, Any]:
    """A CaseOpened / HouseholdChanged payload exactly as intake wrote it before 2 Dec 2026."""
    return {
        "case_id": str(uuid4()),
        "case_number": "KMB-2026-00042",
        "occurred_at": "2026-11-30T09:15:00Z",
        "actor": {"user_id": "worker-7", "organisation": "kmb-praha7"},
        "caused_by": None,
        "household": {
            "members": [
                {
                    "age_band": "26-64",
                    "relationship": "applicant",
                    "sex": "male",
                    "dependent": False,
                    "flags": [],
                },
                {"age_band": "18-25", "relationship": "child", "sex": None, "dependent": True, "flags": []},
            ],
            "district": "Praha 7",
            "orp_code": "1000",
            "income_monthly": 0,
        },
    }


@pytest.mark.parametrize("type_string", HOUSEHOLD_EVENTS)
def test_an_event_without_dependent_child_still_loads_as_not_established(type_string: str) -> None:
    event = contracts.load(type_string, _payload_as_released_before_the_field())

    assert isinstance(event, contracts.CaseOpened | contracts.HouseholdChanged)
    members = event.household.members
    assert [(m.age_band, m.dependent, m.dependent_child) for m in members] == [
        ("26-64", False, None),
        ("18-25", True, None),
    ]


@pytest.mark.parametrize("value", [True, False, None])
def test_dependent_child_survives_the_wire(value: bool | None) -> None:
    member = contracts.MemberSnapshot(
        age_band="18-25", relationship="child", dependent=True, dependent_child=value
    )
    event = contracts.HouseholdChanged(
        case_id=uuid4(),
        case_number="KMB-2026-00042",
        household=contracts.HouseholdSnapshot(members=(member,)),
    )

    loaded = contracts.load(event.event_type, event.model_dump(mode="json"))

    assert isinstance(loaded, contracts.HouseholdChanged)
    assert loaded.household.members[0].dependent_child is value


@pytest.mark.parametrize("type_string", HOUSEHOLD_EVENTS)
def test_the_released_schema_has_dependent_child_optional_with_null_default(type_string: str) -> None:
    member = schemas.released()[type_string]["$defs"]["MemberSnapshot"]

    assert member["properties"]["dependent_child"]["default"] is None
    assert {"type": "null"} in member["properties"]["dependent_child"]["anyOf"]
    assert "dependent_child" not in member.get("required", [])
    # the released file is what the model generates now (``kmb contracts export``)
    released = {k: v for k, v in schemas.released()[type_string].items() if k != "$id"}
    assert released == schemas.schema_of(type_string)


@pytest.mark.parametrize("type_string", HOUSEHOLD_EVENTS)
def test_adding_dependent_child_is_compatible_and_removing_it_would_not_be(type_string: str) -> None:
    current = schemas.released()[type_string]
    before = copy.deepcopy(current)
    del before["$defs"]["MemberSnapshot"]["properties"]["dependent_child"]

    assert schemas.incompatibilities(before, current) == []
    assert schemas.incompatibilities(current, before) == [
        "MemberSnapshot: field 'dependent_child' was removed"
    ]
