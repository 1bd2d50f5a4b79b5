"""same_fields: the target's fields taken from a source by name, overrides winning."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from pydantic import BaseModel, ValidationError

from kmb_shared.copying import field_names, same_fields


class Row(BaseModel):
    id: int
    case_number: str
    status: str
    internal_note: str = "not for the view"


class View(BaseModel):
    case_number: str
    status: str
    status_label: str
    worker: str = "nikdo"


@dataclass(frozen=True)
class Flag:
    id: int | None
    case_number: str


ROW = Row(id=7, case_number="KMB-2026-00001", status="draft")


def test_fields_of_the_target_only_are_copied_and_overrides_win() -> None:
    view = View(**same_fields(ROW, View, status_label="Koncept"))
    assert view == View(case_number="KMB-2026-00001", status="draft", status_label="Koncept")


def test_an_override_replaces_the_source_value() -> None:
    assert same_fields(ROW, View, status="active", status_label="Platná")["status"] == "active"


def test_excluded_fields_are_not_copied_so_the_target_default_applies() -> None:
    assert same_fields(ROW, Flag, exclude=("id",)) == {"case_number": "KMB-2026-00001"}
    assert Flag(id=None, **same_fields(ROW, Flag, exclude=("id",))).id is None


def test_a_required_field_the_source_lacks_is_refused_by_the_target() -> None:
    with pytest.raises(ValidationError):
        View(**same_fields(ROW, View))  # no status_label anywhere


def test_field_names_of_models_and_dataclasses() -> None:
    assert field_names(View) == ["case_number", "status", "status_label", "worker"]
    assert field_names(Flag) == ["id", "case_number"]
    with pytest.raises(TypeError):
        field_names(dict)
