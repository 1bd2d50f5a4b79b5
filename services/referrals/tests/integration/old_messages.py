"""Partner messages of the earlier versions, as referrals wrote them before (v1: the identity and the
notes inside; v2: the worker's contact and the basis in words inside), for the tests that read or
rewrite them."""

from __future__ import annotations

import json
from typing import Any

Item = tuple[bytes, list[tuple[str, bytes | None]], bytes]


def old_referral(
    slug: str, referral_id: str, full_name: str, phone: str, case_number: str, note: str
) -> dict[str, Any]:
    """A ``kmb.partner.referral.v1`` with consent: the client, the case number and the note inside."""
    return {
        "message_type": "kmb.partner.referral.v1",
        "referral_id": referral_id,
        "partner": slug,
        "kind": "housing_assistance",
        "kind_label": "Pomoc s bydlením",
        "made_on": "2025-11-03",
        "due_on": "2025-11-10",
        "case_reference": "P-0123456789ABCDEF",
        "identified": True,
        "disclosure_basis": "consent",
        "client": {"full_name": full_name, "phone": phone, "email": None},
        "case_number": case_number,
        "note": note,
        "household": {"household_size": 1, "children": 0},
        "worker": {"name": "Pracovník", "organisation": "kmb"},
    }


def old_referral_v2(slug: str, referral_id: str, worker: dict[str, str], basis: str) -> dict[str, Any]:
    """A ``kmb.partner.referral.v2`` on a legal basis in words: the worker's contact inside."""
    v1 = old_referral(slug, referral_id, "", "", "", "")
    thin = {k: v for k, v in v1.items() if k not in ("client", "case_number", "note")}
    return thin | {
        "message_type": "kmb.partner.referral.v2",
        "topic": f"kmb.partner.{slug}.v1",
        "disclosure_basis": basis,
        "worker": {"organisation": "kmb-lipovec", **worker},
        "details": f"/api/partner/{slug}/referrals/{referral_id}",
    }


def old_status(slug: str, referral_id: str, note: str, on: str = "2025-11-04") -> dict[str, Any]:
    """A ``kmb.partner.referral_status.v1`` decline with the note inside."""
    return {
        "message_type": "kmb.partner.referral_status.v1",
        "topic": f"kmb.partner.{slug}.v1",
        "referral_id": referral_id,
        "partner": slug,
        "kind": "housing_assistance",
        "kind_label": "Pomoc s bydlením",
        "case_reference": "P-0123456789ABCDEF",
        "update": "declined",
        "update_label": "Předání odmítnuto",
        "state": "declined",
        "state_label": "Odmítnuto",
        "on": on,
        "note": note,
    }


def item(message: dict[str, Any], ce_id: str, key: bytes = b"P-0123456789ABCDEF") -> Item:
    """(value, CloudEvents headers, key) of ``message`` for :func:`kmb_testkit.probe.produce`."""
    headers: list[tuple[str, bytes | None]] = [
        ("ce_type", str(message["message_type"]).encode()),
        ("ce_id", ce_id.encode()),
    ]
    return json.dumps(message).encode(), headers, key
