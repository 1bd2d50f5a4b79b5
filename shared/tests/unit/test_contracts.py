from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from uuid import uuid4

import pytest
from pydantic import ValidationError

from kmb_shared import contracts
from kmb_shared.contracts import schemas


def test_every_event_has_an_explicit_versioned_type_string() -> None:
    types = contracts.event_types()
    assert len(types) >= 4
    for type_string, cls in types.items():
        assert re.fullmatch(r"kmb\.(intake|assessment|catalogue|referrals)\.[a-z_]+\.v\d+", type_string)
        assert cls.event_type == type_string
        # Past tense names: the class name ends like a finished fact, never a command.
        assert not cls.__name__.startswith(("Open", "Make", "Assess", "Suggest"))


def test_the_four_first_events_exist_under_their_contexts() -> None:
    assert contracts.CaseOpened.event_type == "kmb.intake.case_opened.v1"
    assert contracts.NeedAssessed.event_type == "kmb.assessment.need_assessed.v1"
    assert contracts.SolutionsSuggested.event_type == "kmb.catalogue.solutions_suggested.v1"
    assert contracts.ReferralMade.event_type == "kmb.referrals.referral_made.v1"


def test_events_are_frozen() -> None:
    event = contracts.ReferralMade(
        case_id=uuid4(), referral_id=uuid4(), partner="up-praha", kind="binding_opinion"
    )
    with pytest.raises(ValidationError):
        event.partner = "other"  # type: ignore[misc]


def test_subject_is_the_case_id_or_the_solution_id() -> None:
    case_id, solution_id = uuid4(), uuid4()
    made = contracts.ReferralMade(case_id=case_id, referral_id=uuid4(), partner="ngo", kind="legal_aid")
    published = contracts.SolutionPublished(
        solution_id=solution_id, kind="night_shelter", title="N", provider="P"
    )
    assert made.subject == str(case_id)
    assert published.subject == str(solution_id)


def test_registering_a_malformed_type_string_is_refused() -> None:
    with pytest.raises(ValueError, match=r"kmb\.<context>\.<event>\.v<N>"):
        contracts.event("CaseOpened")(type("X", (contracts.CaseEvent,), {}))


@pytest.fixture
def test_upcasters() -> Iterator[list[str]]:
    """Old types a test registers upcasters for; they leave the global registry after the test."""
    from kmb_shared.contracts.registry import remove_upcaster

    registered: list[str] = []
    yield registered
    for old_type in registered:
        remove_upcaster(old_type)
    assert not any(contracts.is_known(old_type) for old_type in registered)


def test_an_old_version_is_upcast_on_load(test_upcasters: list[str]) -> None:
    test_upcasters.append("kmb.referrals.test_old_shape.v1")

    @contracts.upcaster("kmb.referrals.test_old_shape.v1", "kmb.referrals.referral_cancelled.v1")
    def _old_to_new(data: dict[str, object]) -> dict[str, object]:
        return {**data, "reason": data.pop("why", None)}

    case_id = uuid4()
    event = contracts.load(
        "kmb.referrals.test_old_shape.v1",
        {
            "case_id": str(case_id),
            "referral_id": str(uuid4()),
            "partner": "ngo",
            "kind": "legal_aid",
            "why": "dup",
        },
    )
    assert isinstance(event, contracts.ReferralCancelled)
    assert event.reason == "dup"


def test_every_registered_event_has_a_released_schema() -> None:
    released = schemas.released()
    missing = sorted(set(contracts.event_types()) - set(released))
    assert not missing, f"run `kmb contracts export` and commit the schemas of: {missing}"


def test_released_contracts_are_still_readable_and_compatible() -> None:
    for type_string, old in schemas.released().items():
        assert contracts.is_known(type_string), f"{type_string} disappeared: old events must stay readable"
        if type_string in contracts.event_types():
            problems = schemas.incompatibilities(old, schemas.schema_of(type_string))
            assert not problems, f"{type_string} changed incompatibly without a new version: {problems}"


def _released_case_opened() -> dict[str, object]:
    return copy.deepcopy(schemas.released()["kmb.intake.case_opened.v1"])


def test_compatibility_check_flags_a_removed_field() -> None:
    old = _released_case_opened()
    new = copy.deepcopy(old)
    del new["properties"]["case_number"]  # type: ignore[index]
    assert "event: field 'case_number' was removed" in schemas.incompatibilities(old, new)


def test_compatibility_check_flags_a_new_required_field_and_a_type_change() -> None:
    old = _released_case_opened()
    new = copy.deepcopy(old)
    new["required"] = [*new["required"], "contact_id"]  # type: ignore[misc]
    new["properties"]["case_number"] = {"type": "integer"}  # type: ignore[index]
    problems = schemas.incompatibilities(old, new)
    assert "event: field 'contact_id' became required" in problems
    assert "event: field 'case_number' changed type" in problems


def test_compatibility_check_allows_an_added_optional_field() -> None:
    old = _released_case_opened()
    new = copy.deepcopy(old)
    new["properties"]["channel"] = {"anyOf": [{"type": "string"}, {"type": "null"}], "default": None}  # type: ignore[index]
    assert schemas.incompatibilities(old, new) == []


def test_an_old_type_is_routed_to_the_handler_of_the_type_it_upcasts_to(test_upcasters: list[str]) -> None:
    test_upcasters.append("kmb.referrals.test_routed_old.v1")

    @contracts.upcaster("kmb.referrals.test_routed_old.v1", "kmb.referrals.referral_cancelled.v1")
    def _same(data: dict[str, object]) -> dict[str, object]:
        return data

    from kmb_shared.contracts.registry import current_type

    assert current_type("kmb.referrals.test_routed_old.v1") == "kmb.referrals.referral_cancelled.v1"
    assert current_type("kmb.intake.case_opened.v1") == "kmb.intake.case_opened.v1"
