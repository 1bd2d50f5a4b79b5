"""Create and update of catalogue entries, with optimistic concurrency on ``version``.

Bad values raise ``pydantic.ValidationError`` (HTTP 422); a stale ``version`` raises
:class:`VersionConflict` (HTTP 409).
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from .errors import CatalogueInvalid, VersionConflict
from .kinds import MunicipalFlatCategory, Situation
from .model import (
    Address,
    Capacity,
    Contacts,
    Eligibility,
    OpeningHours,
    Provider,
    Solution,
    SolutionFields,
)


class SolutionCreate(SolutionFields):
    """Input for a new entry: every author field, validated together (kind rules included)."""


class SolutionUpdate(BaseModel):
    """A partial change: only the fields given are replaced. ``version`` is the version the client
    read; the kind of an entry never changes (withdraw it and create another)."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    version: int = Field(ge=1, description="Version the client based the change on")
    title: str | None = Field(default=None, min_length=3, max_length=200)
    description: str | None = Field(default=None, max_length=2000)
    provider: Provider | None = None
    contacts: Contacts | None = None
    address: Address | None = None
    opening_hours: OpeningHours | None = None
    valid_from: date | None = None
    valid_to: date | None = None
    eligibility: Eligibility | None = None
    capacity: Capacity | None = None
    municipal_category: MunicipalFlatCategory | None = None
    guarantee_provider: str | None = Field(default=None, max_length=200)
    size_m2: float | None = Field(default=None, gt=0, le=1000)
    rooms: int | None = Field(default=None, ge=0, le=20)
    rent_monthly: int | None = Field(default=None, ge=0)
    wheelchair_accessible: bool | None = None
    situations: frozenset[Situation] | None = None


def check_version(current: Solution, expected: int) -> None:
    """Raise :class:`VersionConflict` unless the client read the current version."""
    if current.version != expected:
        raise VersionConflict(
            f"Záznam mezitím změnil někdo jiný (očekávaná verze {expected}, aktuální {current.version}). "
            "Načtěte ho znovu a změnu zopakujte.",
            f"Someone else changed the entry meanwhile (expected version {expected}, current "
            f"{current.version}). Reload it and repeat the change.",
        )


def create_solution(command: SolutionCreate, solution_id: UUID) -> Solution:
    """A new entry at version 1."""
    return Solution.model_validate({**command.model_dump(), "id": solution_id, "version": 1})


def update_solution(current: Solution, change: SolutionUpdate) -> Solution:
    """The entry with the given fields replaced and the version raised by one.

    Fields explicitly set to ``None`` in the change are cleared (e.g. ``valid_to`` to make an entry
    open-ended). The result is validated as a whole, so a change that breaks a kind rule fails.
    """
    check_version(current, change.version)
    if current.withdrawn:
        raise CatalogueInvalid(
            "Stažený záznam už nelze měnit.", "A withdrawn entry can no longer be changed."
        )
    updates: dict[str, Any] = {
        name: getattr(change, name) for name in change.model_fields_set if name != "version"
    }
    data = current.model_dump()
    data.update({k: v.model_dump() if isinstance(v, BaseModel) else v for k, v in updates.items()})
    data["version"] = current.version + 1
    return Solution.model_validate(data)


def withdraw_solution(current: Solution, expected_version: int, reason: str | None = None) -> Solution:
    """The entry taken off the catalogue (kept for the record with the editor's reason, never
    suggested again)."""
    check_version(current, expected_version)
    if current.withdrawn:
        raise CatalogueInvalid("Záznam už je stažený.", "The entry is already withdrawn.")
    text = (reason or "").strip() or None
    return current.model_copy(
        update={"withdrawn": True, "withdrawn_reason": text, "version": current.version + 1}
    )
