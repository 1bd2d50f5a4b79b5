"""The projection state: a plain JSON structure, its canonical form and its digest.

Layout (every collection is a dict keyed by a stable id, so canonical JSON with sorted keys
does not depend on the order in which events arrived)::

    {
      "schema": 1, "timezone": "Europe/Prague",
      "seen": {event_id: 1},
      "contacts": {contact_id: {"v": [at, event_id], "on", "channel", "topics", "case_id", ...}},
      "cases": {case_id: {
          "intake": {"case_number", "households": {event_id: {...}}, "lifecycle": {event_id: {...}}},
          "assessments": {assessment_id: {...}},
          "registrations": {assessment_id: {...}}}},
      "referrals": {referral_id: {...}},
      "solutions": {solution_id: {"info": {...}, "status": {event_id: {...}},
                                  "capacity": {event_id: {...}}}},
    }

Each part of a record is written by events of one topic only, and values that a later event
replaces carry a version ``[occurred_at, event_id]`` and are replaced only by a greater one.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from kmb_shared.clock import PRAGUE, as_utc

SCHEMA_VERSION = 1
#: the office's zone (a projection may be built for another; the state records which)
DEFAULT_TIMEZONE = PRAGUE.key
UTC_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"

State = dict[str, Any]


def new_state(timezone: str = DEFAULT_TIMEZONE) -> State:
    """An empty projection state."""
    ZoneInfo(timezone)  # fail early on an unknown zone
    return {
        "schema": SCHEMA_VERSION,
        "timezone": timezone,
        "seen": {},
        "contacts": {},
        "cases": {},
        "referrals": {},
        "solutions": {},
    }


def new_case() -> dict[str, Any]:
    """The skeleton of a case record; identical whichever event creates it."""
    return {
        "intake": {"case_number": None, "households": {}, "lifecycle": {}},
        "assessments": {},
        "registrations": {},
    }


def canonical_json(state: State) -> str:
    """Sorted keys, no whitespace, UTF-8 text: the form that is digested and stored."""
    return json.dumps(state, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def digest(state: State) -> str:
    """SHA-256 (hex) of the canonical JSON of the state."""
    return hashlib.sha256(canonical_json(state).encode("utf-8")).hexdigest()


def load_state(text: str) -> State:
    """Parse a stored state and check its schema version."""
    state: State = json.loads(text)
    if state.get("schema") != SCHEMA_VERSION:
        raise ValueError(f"unsupported stats state schema {state.get('schema')!r}")
    return state


def utc_iso(moment: datetime) -> str:
    """A timestamp as fixed-width ISO text in UTC, so that text order is time order.

    Naive datetimes are taken as UTC.
    """
    return as_utc(moment).strftime(UTC_FORMAT)


def parse_utc(text: str) -> datetime:
    """The inverse of :func:`utc_iso`."""
    return datetime.strptime(text, UTC_FORMAT).replace(tzinfo=UTC)


def local_date(moment: datetime, timezone: str) -> date:
    """The calendar date of a moment in the office's time zone."""
    return as_utc(moment).astimezone(ZoneInfo(timezone)).date()
