"""The catalogue of event types: type string -> model, and upcasters for old versions."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, TypeVar

from .base import IntegrationEvent

TYPE_PATTERN = re.compile(r"^kmb\.[a-z]+\.[a-z][a-z0-9_]*\.v[0-9]+$")

E = TypeVar("E", bound=type[IntegrationEvent])

_EVENTS: dict[str, type[IntegrationEvent]] = {}
#: old type string -> (new type string, function turning old data into new data)
_UPCASTERS: dict[str, tuple[str, Callable[[dict[str, Any]], dict[str, Any]]]] = {}


class UnknownEventType(LookupError):
    pass


def event(type_string: str) -> Callable[[E], E]:
    """Class decorator: register an event model under its explicit type string."""

    def register(cls: E) -> E:
        if not TYPE_PATTERN.match(type_string):
            raise ValueError(f"event type {type_string!r} must look like kmb.<context>.<event>.v<N>")
        if type_string in _EVENTS and _EVENTS[type_string] is not cls:
            raise ValueError(f"event type {type_string!r} registered twice")
        cls.event_type = type_string
        _EVENTS[type_string] = cls
        return cls

    return register


def upcaster(old_type: str, new_type: str) -> Callable[[Callable[[dict[str, Any]], dict[str, Any]]], Any]:
    """Register a function that turns the data of ``old_type`` into data of ``new_type``."""

    def register(
        fn: Callable[[dict[str, Any]], dict[str, Any]],
    ) -> Callable[[dict[str, Any]], dict[str, Any]]:
        _UPCASTERS[old_type] = (new_type, fn)
        return fn

    return register


def remove_upcaster(old_type: str) -> None:
    """Forget the upcaster of ``old_type`` (tests that register one remove it afterwards)."""
    _UPCASTERS.pop(old_type, None)


def event_types() -> dict[str, type[IntegrationEvent]]:
    return dict(_EVENTS)


def model_for(type_string: str) -> type[IntegrationEvent]:
    try:
        return _EVENTS[type_string]
    except KeyError:
        raise UnknownEventType(type_string) from None


def is_known(type_string: str) -> bool:
    return type_string in _EVENTS or type_string in _UPCASTERS


def current_type(type_string: str) -> str:
    """The type an event of ``type_string`` is read as today (after following its upcasters)."""
    seen = set()
    while type_string in _UPCASTERS and type_string not in _EVENTS and type_string not in seen:
        seen.add(type_string)
        type_string = _UPCASTERS[type_string][0]
    return type_string


def load(type_string: str, data: dict[str, Any]) -> IntegrationEvent:
    """Validate event data, upcasting old versions first. Raises pydantic.ValidationError."""
    seen = set()
    while type_string in _UPCASTERS and type_string not in _EVENTS:
        if type_string in seen:
            raise ValueError(f"upcaster loop at {type_string}")
        seen.add(type_string)
        type_string, fn = _UPCASTERS[type_string]
        data = fn(data)
    return model_for(type_string).model_validate(data)
