"""Builders of valid input data for the intake domain tests; each test gets fresh copies."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from kmb_intake.domain import localize_errors
from kmb_testkit.intake_bodies import case_body, contact_body, member

#: the reference "today" passed to validation as context, so no test depends on the clock
TODAY = date(2026, 6, 15)


@pytest.fixture
def member_data() -> Callable[..., dict[str, Any]]:
    return member


@pytest.fixture
def case_data() -> Callable[..., dict[str, Any]]:
    return case_body


@pytest.fixture
def contact_data() -> Callable[..., dict[str, Any]]:
    return contact_body


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
