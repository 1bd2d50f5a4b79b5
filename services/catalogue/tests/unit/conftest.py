from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any
from uuid import UUID

import pytest

from kmb_catalogue.domain import (
    KIND_GROUP,
    KindGroup,
    Solution,
    SolutionKind,
)
from kmb_catalogue.domain.plausibility import SINGLE_UNIT_KINDS

START = date(2026, 1, 1)


def solution_data(kind: SolutionKind, n: int = 1, /, **overrides: Any) -> dict[str, Any]:
    """Minimal valid data of an entry of ``kind``; ``overrides`` replace top-level fields."""
    data: dict[str, Any] = {
        "id": str(UUID(int=n)),
        "kind": kind.value,
        "title": f"Záznam {n}",
        "provider": {"name": "Poskytovatel"},
        # a way to reach it: an entry without contacts is left off the leaflet
        "contacts": {"phones": ["+420 241 000 111"]},
        "valid_from": START.isoformat(),
    }
    if kind in SINGLE_UNIT_KINDS:  # one dwelling: one unit
        data["capacity"] = {"total": 1, "free": 1}
    elif KIND_GROUP[kind] in (KindGroup.HOUSING, KindGroup.SHELTER):
        data["capacity"] = {"total": 5, "free": 2}
    if kind is SolutionKind.MUNICIPAL_FLAT:
        data["municipal_category"] = "A"
    if kind is SolutionKind.GUARANTEED_HOUSING:
        data["guarantee_provider"] = "Garant, z. s."
    data.update(overrides)
    return data


@pytest.fixture
def make_solution() -> Callable[..., Solution]:
    def build(kind: SolutionKind, n: int = 1, **overrides: Any) -> Solution:
        return Solution.model_validate(solution_data(kind, n, **overrides))

    return build
