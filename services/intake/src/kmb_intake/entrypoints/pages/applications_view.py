"""What the case page shows of the case's applications, and the kinds a new one may be of."""

from __future__ import annotations

from typing import Any

from ...application import applications as use
from ...application.queries import CaseRow
from ...domain.applications import DOCUMENT_CATEGORIES, STATES, outcome_label
from ..applications import kinds_of
from .common import PageCall


async def applications_view(call: PageCall, case: CaseRow) -> dict[str, Any]:
    kinds = kinds_of(call.request)
    return {
        "applications": await use.applications_of(call.session, case.id),
        "application_kinds": sorted(((k.code, k.title) for k in kinds.values()), key=lambda item: item[1]),
        "application_states": STATES,
        "application_outcome": outcome_label,
        "document_categories": list(DOCUMENT_CATEGORIES.items()),
    }
