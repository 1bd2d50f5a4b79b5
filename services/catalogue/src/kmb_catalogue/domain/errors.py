"""Domain errors of the catalogue. Each has a stable ``code``, a Czech message and, where given, an
English one.

:class:`CatalogueConflict` contradicts the current state (HTTP 409); :class:`CatalogueInvalid` is a
wrong request (HTTP 422). :func:`invalid_value` is the bilingual error the model validators raise.
"""

from __future__ import annotations

from pydantic_core import PydanticCustomError


class CatalogueError(Exception):
    code: str = "catalogue_error"
    #: the request field a refused request (HTTP 422) names
    field: str = "body"

    def __init__(self, message: str, message_en: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.message_en = message_en


def invalid_value(message_cs: str, message_en: str) -> PydanticCustomError:
    """A validation error whose context carries both languages (``ctx['cs']``, ``ctx['en']``), so
    an API can show the reason in Czech and English."""
    return PydanticCustomError("value_error", "{cs}", {"cs": message_cs, "en": message_en})


class CatalogueConflict(CatalogueError):
    code = "conflict"


class CatalogueInvalid(CatalogueError):
    code = "invalid"


class CapacityOutOfRange(CatalogueInvalid):
    """A new total outside what the kind of entry may hold (a flat is one unit, a shelter has beds)."""

    code = "capacity_out_of_range"
    field = "total"


class NoFreeCapacity(CatalogueConflict):
    """Allocation asked for when every unit or place is taken."""

    code = "no_free_capacity"


class NothingToRelease(CatalogueConflict):
    """Release asked for when every unit is already free (the taken count would go negative)."""

    code = "nothing_to_release"


class CapacityBelowTaken(CatalogueConflict):
    """A new total smaller than the units already taken."""

    code = "capacity_below_taken"


class CapacityNotTracked(CatalogueInvalid):
    """Allocation or release on an entry that has no capacity (a benefit, an open service)."""

    code = "capacity_not_tracked"


class VersionConflict(CatalogueConflict):
    """The entry changed since the client read it (optimistic concurrency)."""

    code = "version_conflict"


class LeafletFontMissing(CatalogueError):
    """The TrueType font the leaflet embeds is not installed."""

    code = "leaflet_font_missing"


class AlreadyHeld(CatalogueConflict):
    """The case already holds a unit of this entry."""

    code = "already_held"


class NotHeld(CatalogueConflict):
    """A release named a case that holds no unit of this entry."""

    code = "not_held"
