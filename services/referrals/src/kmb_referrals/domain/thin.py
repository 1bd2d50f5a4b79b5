"""Rewriting a partner topic without personal data (``kmb partner rewrite-topic``): each message of a
first version becomes the current, thin version of its type.

- a referral ``kmb.partner.referral.v1`` loses the client, the case number and the worker's note, and a
  ``kmb.partner.referral.v2`` the worker's contact and the basis in words; both get the state they were
  made in, the basis as a code where it is one and ``details`` (where the partner fetches the rest, the
  client only if allowed): ``kmb.partner.referral.v3``;
- a step ``kmb.partner.referral_status.v1`` loses its note, keeps that there was one (``has_note``) and
  gets ``details``: ``kmb.partner.referral_status.v2``;
- a message already current, or of a type this service does not know, is kept as it is.

It works on the JSON as it was written (a message from before a field was added still converts) and
drops only what it knows may identify the household.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from .minimisation import (
    PARTNER_MESSAGE_TYPE,
    PARTNER_MESSAGE_TYPE_V1,
    PARTNER_MESSAGE_TYPE_V2,
    PartnerMessage,
    PartnerMessageV1,
    PartnerMessageV2,
    basis_code,
    basis_label,
    details_path,
)
from .partner_updates import (
    PARTNER_STATUS_TYPE,
    PARTNER_STATUS_TYPE_V1,
    PartnerStatusUpdate,
    PartnerStatusUpdateV1,
)
from .referral import ReferralState, state_label

#: every partner message type, its schema and what it is (the AsyncAPI document describes each)
PARTNER_MESSAGES: tuple[tuple[str, type[BaseModel], str], ...] = (
    (PARTNER_MESSAGE_TYPE, PartnerMessage, "A referral to the partner: no personal data, no free text"),
    (PARTNER_MESSAGE_TYPE_V2, PartnerMessageV2, "Earlier version (worker's contact inside), still readable"),
    (PARTNER_MESSAGE_TYPE_V1, PartnerMessageV1, "Earlier version (identity inside), still readable"),
    (PARTNER_STATUS_TYPE, PartnerStatusUpdate, "A step of a referral the partner received, no free text"),
    (PARTNER_STATUS_TYPE_V1, PartnerStatusUpdateV1, "Earlier version (note inside), still readable"),
)
#: the worker's contact and the basis as written (free text): in the first two versions of a referral
_WORKER_FIELDS = ("worker", "disclosure_basis")
#: the fields of the earlier versions that may identify the household or are free text
PERSONAL_FIELDS: dict[str, tuple[str, ...]] = {
    PARTNER_MESSAGE_TYPE_V1: ("client", "case_number", "note", *_WORKER_FIELDS),
    PARTNER_MESSAGE_TYPE_V2: _WORKER_FIELDS,
    PARTNER_STATUS_TYPE_V1: ("note",),
}
CURRENT: dict[str, str] = {
    PARTNER_MESSAGE_TYPE_V1: PARTNER_MESSAGE_TYPE,
    PARTNER_MESSAGE_TYPE_V2: PARTNER_MESSAGE_TYPE,
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
    else:  # a referral: as it was made, its basis only as a code
        code = basis_code(data.get("disclosure_basis"))
        thin |= {"state": ReferralState.MADE.value, "state_label": state_label(ReferralState.MADE)}
        thin |= {"legal_basis": code, "legal_basis_label": basis_label(code)}
    if data.get("partner") and data.get("referral_id"):
        thin["details"] = details_path(str(data["partner"]), data["referral_id"])
    return current, thin


def personal_values(message_type: str, data: dict[str, Any]) -> list[str]:
    """The texts of an earlier-version message that identify the household or the worker (to check a
    copy is free of them): the client's fields, the case number, the note, the worker's name, phone and
    e-mail (not the organisation's code) and a basis in words (not a code, which the copy keeps)."""
    values: list[str] = []
    for field in PERSONAL_FIELDS.get(message_type, ()):
        item = data.get(field)
        if field == "worker" and isinstance(item, dict):
            item = {k: item.get(k) for k in ("name", "phone", "email")}
        elif field == "disclosure_basis" and basis_code(item) is not None:
            continue
        if isinstance(item, dict):
            values.extend(str(v) for v in item.values() if v)
        elif item:
            values.append(str(item))
    return values
