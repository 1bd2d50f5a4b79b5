"""Paging parameters every list route of every service shares, bounded at the edge.

An ``offset`` of 2^63 or more does not fit the databases' 64-bit integers: unbounded, it failed
in the driver with a 500. Bounded here, such a request answers our usual 422 (field ``offset``,
code ``less_than_equal``, the reason in Czech and English, see :mod:`kmb_shared.errors`) before
any query runs.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Query

#: the greatest offset a list accepts; deeper pages are found by narrowing the filters instead
MAX_OFFSET = 1_000_000

#: how many items to skip from the start of the list (0 to MAX_OFFSET)
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description=f"Skip this many items (0–{MAX_OFFSET})")]


def limit_query(maximum: int, what: str = "items") -> Any:
    """The ``limit`` query parameter of a list of at most ``maximum`` ``what`` per page (1 to maximum):
    ``limit: Annotated[int, limit_query(500, "contacts")] = 100``."""
    if maximum < 1:
        raise ValueError("a list's limit must allow at least one item")
    return Query(ge=1, le=maximum, description=f"At most this many {what} (1–{maximum})")
