"""One model built from another with the same field names (a table row into its API view, a preview
item into a reassessment flag): the fields are named once, where the target declares them, instead
of again as ``name=row.name`` in every constructor call."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel


def field_names(target: type) -> list[str]:
    """The fields a pydantic model (SQLModel tables included) or a dataclass declares."""
    if isinstance(target, type) and issubclass(target, BaseModel):
        return list(target.model_fields)
    if dataclasses.is_dataclass(target):
        return [field.name for field in dataclasses.fields(target)]
    raise TypeError(f"{target!r} is neither a pydantic model nor a dataclass")


def same_fields(
    source: object, target: type, /, exclude: Iterable[str] = (), **overrides: Any
) -> dict[str, Any]:
    """The arguments of ``target(...)``: every field of ``target`` that ``source`` has an attribute of
    the same name for (except ``exclude``), then ``overrides``. Fields ``source`` lacks are left out,
    so ``target`` applies its default or refuses a missing required field."""
    skip = set(exclude) | overrides.keys()
    values = {
        name: getattr(source, name)
        for name in field_names(target)
        if name not in skip and hasattr(source, name)
    }
    return {**values, **overrides}
