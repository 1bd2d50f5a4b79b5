"""Builders of valid input data for the intake domain tests; each test gets fresh copies."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from kmb_intake.domain import localize_errors

#: the reference "today" passed to validation as context, so no test depends on the clock
TODAY = date(2026, 6, 15)


def _member(**overrides: Any) -> dict[str, Any]:
    member: dict[str, Any] = {
        "first_name": "Květoslava",
        "last_name": "Hronková",
        "date_of_birth": "1985-03-15",
        "relationship": "applicant",
    }
    member.update(overrides)
    return member


def _case(**overrides: Any) -> dict[str, Any]:
    case: dict[str, Any] = {
        "members": [_member()],
        "address": {"orp_code": "1000", "district": "Praha 7"},
        "dwelling": {"kind": "flat", "legal_title": "lease"},
        "legal_basis": "public_task",
    }
    case.update(overrides)
    return case


def _contact(**overrides: Any) -> dict[str, Any]:
    contact: dict[str, Any] = {
        "channel": "in_person",
        "contact_date": "2026-06-15",
        "topics": ["loss_of_housing"],
        "duration_minutes": 30,
        "worker_id": "w-17",
    }
    contact.update(overrides)
    return contact


@pytest.fixture
def member_data() -> Callable[..., dict[str, Any]]:
    return _member


@pytest.fixture
def case_data() -> Callable[..., dict[str, Any]]:
    return _case


@pytest.fixture
def contact_data() -> Callable[..., dict[str, Any]]:
    return _contact


@pytest.fixture
def today() -> date:
    return TODAY


def _errors(model: type[BaseModel], data: dict[str, Any]) -> list[dict[str, str]]:
    with pytest.raises(ValidationError) as caught:
        model.model_validate(data, context={"today": TODAY})
    return localize_errors(caught.value)


@pytest.fixture
def errors_of() -> Callable[[type[BaseModel], dict[str, Any]], list[dict[str, str]]]:
    """Validate ``data`` against ``model`` at TODAY, expect failure, return the localised errors."""
    return _errors


@pytest.fixture
def codes_of() -> Callable[[type[BaseModel], dict[str, Any]], set[tuple[str, str]]]:
    """Like ``errors_of`` but only the (field, code) pairs."""

    def codes(model: type[BaseModel], data: dict[str, Any]) -> set[tuple[str, str]]:
        return {(item["field"], item["code"]) for item in _errors(model, data)}

    return codes
