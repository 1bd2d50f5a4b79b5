"""The rules of erasure (GDPR Art. 17) and retention (the municipality's shredding plan).

**What an erasure keeps.** A case's personal data go: the household as entered (names, birth numbers,
dates of birth, contacts, address, incomes and debts per person, free-text consent), the member index,
the diary, the documents with their content, every free-text note (closing note, history notes, notes
of the case's contacts). What stays is the coded skeleton the audit and the statistics need, none of it
personal: the case's id and number, its dates, status and codes (close reason, district and ORP code
as the events already told every service), and the record of the erasure itself. The household column
then holds only :func:`erased_household` (so the case page and the API say when and why).

**Retention.** Czech shredding plans (spisový a skartační plán, vyhláška č. 259/2012 Sb., § 15) count a
retention period from 1 January of the year after the triggering event, here the closing of the case:
a case closed in year Y with a period of N years is due on 1 January of Y + N + 1. A case that is open,
or was reopened, is never due.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import StringConstraints

from kmb_shared.contracts import vocabulary as kernel
from kmb_shared.formatting import format_date

from .field_types import InCodeList, InputModel

#: the reason the retention job records
RETENTION = "retention"
#: what an administrator may give as the reason (retention is the job's alone)
ADMIN_ERASURE_REASONS = kernel.ERASURE_REASONS.subset(
    c for c in kernel.ERASURE_REASONS.codes if c != RETENTION
)

#: the administrator's own words, recorded with the erasure (stays in intake, never on an event)
RecordedReason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=1000)]


class ErasureIn(InputModel):
    """An administrator's erasure of a case: the reason's code and the recorded reason."""

    reason: Annotated[str, InCodeList(ADMIN_ERASURE_REASONS)]
    note: RecordedReason


def retention_due_on(closed_on: date, years: int) -> date:
    """The day a case closed on ``closed_on`` becomes due for erasure after ``years`` years."""
    return date(closed_on.year + years + 1, 1, 1)


def closed_before(today: date, years: int) -> date:
    """Cases closed before this day are due on ``today`` (the inverse of :func:`retention_due_on`)."""
    return date(today.year - years, 1, 1)


def is_due(status: str, closed_on: date | None, today: date, years: int) -> bool:
    return status == "closed" and closed_on is not None and retention_due_on(closed_on, years) <= today


def erased_household(erased_at: datetime, on: date, reason: str) -> dict[str, Any]:
    """What the household column holds after an erasure: no member, no contact, no address; when and
    why it was erased (the reason's code)."""
    return {"members": [], "erased": {"at": erased_at.isoformat(), "on": on.isoformat(), "reason": reason}}


def erased_member(member: dict[str, Any], erased_at: datetime, on: date, reason: str) -> dict[str, Any]:
    """What stays of an erased member in the household as entered: their relationship to the applicant
    (a code) and when and why."""
    erased = erased_household(erased_at, on, reason)["erased"]
    return {"relationship": member.get("relationship"), "erased": erased}


def has_erasure(household: str) -> bool:
    """Whether the stored household (JSON) has an erased member, or is erased as a whole: such a case
    is not reopened (its data could not be completed again)."""
    try:
        data = json.loads(household)
    except ValueError:
        return False
    if not isinstance(data, dict):
        return False
    members = data.get("members") or []
    return "erased" in data or any(isinstance(m, dict) and "erased" in m for m in members)


def erasable_members(household: str) -> list[tuple[str, str]]:
    """(position, "2. člen domácnosti (dítě)") of the members an administrator may erase alone: not the
    applicant (position 0), not one erased already. No name: the page needs none to choose."""
    try:
        members = json.loads(household).get("members") or []
    except (ValueError, AttributeError):
        return []
    relationships = kernel.vocabulary("relationship")
    return [
        (str(i), f"{i + 1}. člen domácnosti ({relationships.label(m.get('relationship'))})")
        for i, m in enumerate(members)
        if i > 0 and isinstance(m, dict) and "erased" not in m
    ]


def erasure_line(erased: dict[str, Any]) -> str:
    """ "Údaje vymazány dne 4. 12. 2026 (žádost subjektu údajů …)" for the case page."""
    on = date.fromisoformat(str(erased.get("on")))
    return f"Údaje vymazány dne {format_date(on)} ({kernel.ERASURE_REASONS.label(erased.get('reason'))})"
