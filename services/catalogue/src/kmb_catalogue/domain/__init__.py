"""The catalogue domain: entries, eligibility, capacity, matching and the public leaflet.

Plain Python and pydantic; no web, messaging, database or clock (the PDF is drawn by an adapter).
"""

from .capacity import allocate_unit, release_unit, resize_capacity
from .commands import (
    SolutionCreate,
    SolutionUpdate,
    check_version,
    create_solution,
    update_solution,
    withdraw_solution,
)
from .eligibility import EligibilityCheck, MatchRequest, check_eligibility
from .errors import (
    AlreadyHeld,
    CapacityBelowTaken,
    CapacityNotTracked,
    CatalogueConflict,
    CatalogueError,
    CatalogueInvalid,
    LeafletFontMissing,
    NoFreeCapacity,
    NotHeld,
    NothingToRelease,
    VersionConflict,
)
from .hours import format_czk, format_opening_hours
from .kinds import (
    KIND_GROUP,
    SITUATION_TITLES,
    HouseholdType,
    KindGroup,
    MunicipalFlatCategory,
    NeedLevel,
    Situation,
    SolutionKind,
)
from .leaflet import (
    LEAFLET_TITLE_CS,
    Leaflet,
    LeafletItem,
    LeafletSection,
    leaflet_content,
    situations_of,
)
from .match_config import DEFAULT_MATCH_CONFIG, MatchConfig
from .matching import Fit, MatchResult, assess_fit, match_solutions, suggest, to_suggestions
from .model import (
    Address,
    Capacity,
    Contacts,
    Eligibility,
    OpeningHours,
    OpeningSlot,
    Provider,
    Solution,
    SolutionFields,
)
from .suggestions import Allocation, CaseSuggestions, RejectedEntry, SuggestedEntry

__all__ = [
    "DEFAULT_MATCH_CONFIG",
    "KIND_GROUP",
    "LEAFLET_TITLE_CS",
    "SITUATION_TITLES",
    "Address",
    "Allocation",
    "AlreadyHeld",
    "Capacity",
    "CapacityBelowTaken",
    "CapacityNotTracked",
    "CaseSuggestions",
    "CatalogueConflict",
    "CatalogueError",
    "CatalogueInvalid",
    "Contacts",
    "Eligibility",
    "EligibilityCheck",
    "Fit",
    "HouseholdType",
    "KindGroup",
    "Leaflet",
    "LeafletFontMissing",
    "LeafletItem",
    "LeafletSection",
    "MatchConfig",
    "MatchRequest",
    "MatchResult",
    "MunicipalFlatCategory",
    "NeedLevel",
    "NoFreeCapacity",
    "NotHeld",
    "NothingToRelease",
    "OpeningHours",
    "OpeningSlot",
    "Provider",
    "RejectedEntry",
    "Situation",
    "Solution",
    "SolutionCreate",
    "SolutionFields",
    "SolutionKind",
    "SolutionUpdate",
    "SuggestedEntry",
    "VersionConflict",
    "allocate_unit",
    "assess_fit",
    "check_eligibility",
    "check_version",
    "create_solution",
    "format_czk",
    "format_opening_hours",
    "leaflet_content",
    "match_solutions",
    "release_unit",
    "resize_capacity",
    "situations_of",
    "suggest",
    "to_suggestions",
    "update_solution",
    "withdraw_solution",
]
