"""Rewriting a partner topic without personal data (``kmb partner rewrite-topic``): each message of a
first version becomes the current, thin version of its type.

- a referral ``kmb.partner.referral.v1`` loses the client, the case number and the worker's note and gets
  ``details`` (where the partner fetches them, if allowed): ``kmb.partner.referral.v2``;
- a step ``kmb.partner.referral_status.v1`` loses its note, keeps that there was one (``has_note``) and
  gets ``details``: ``kmb.partner.referral_status.v2``;
- a message already current, or of a type this service does not know, is kept as it is.

It works on the JSON as it was written (a message from before a field was added still converts) and
drops only what it knows may identify the household.
"""

from __future__ import annotations

from typing import Any

from .minimisation import PARTNER_MESSAGE_TYPE, PARTNER_MESSAGE_TYPE_V1, details_path
from .partner_updates import PARTNER_STATUS_TYPE, PARTNER_STATUS_TYPE_V1

#: the fields of the first versions that may identify the household
PERSONAL_FIELDS: dict[str, tuple[str, ...]] = {
    PARTNER_MESSAGE_TYPE_V1: ("client", "case_number", "note"),
    PARTNER_STATUS_TYPE_V1: ("note",),
}
CURRENT: dict[str, str] = {
    PARTNER_MESSAGE_TYPE_V1: PARTNER_MESSAGE_TYPE,
    PARTNER_STATUS_TYPE_V1: PARTNER_STATUS_TYPE,
}


def thin_message(message_type: str, data: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """The current version of one partner message: (its type, its JSON object)."""
    if message_type not in CURRENT:
        return message_type, data
    dropped = PERSONAL_FIELDS[message_type]
    thin = {k: v for k, v in data.items() if k not in dropped}
    current = CURRENT[message_type]
    thin["message_type"] = current
    if current == PARTNER_STATUS_TYPE:
        note = data.get("note")
        thin["has_note"] = bool(isinstance(note, str) and note.strip())
    if data.get("partner") and data.get("referral_id"):
        thin["details"] = details_path(str(data["partner"]), data["referral_id"])
    return current, thin


def personal_values(message_type: str, data: dict[str, Any]) -> list[str]:
    """The texts of a first-version message that identify the household (to check a copy is free of
    them): the client's fields, the case number, the note."""
    values: list[str] = []
    for field in PERSONAL_FIELDS.get(message_type, ()):
        item = data.get(field)
        if isinstance(item, dict):
            values.extend(str(v) for v in item.values() if v)
        elif item:
            values.append(str(item))
    return values
