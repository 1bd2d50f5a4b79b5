"""Fetching the applicant's identity from intake, which alone holds personal data.

Called only when a partner asks for a referral that consent or a legal basis lets it identify: the
partner's own credential is passed on to ``/api/cases/{id}/for-partner``, where intake checks the
consent it holds and logs the view under the partner's name. A legal basis is recorded here (on the case
or the referral), so referrals vouches for it with a short-lived grant signed with the services' shared
secret, naming the case and the partner. Intake's answer is read tolerantly: members with
``first_name``/``last_name`` (or one ``name``), the applicant first; phone, e-mail and address from the
household as entered.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import date
from typing import Any
from uuid import UUID

import httpx
from itsdangerous import URLSafeTimedSerializer
from pydantic import ValidationError

from kmb_shared.contracts import Actor

from ..domain import ClientIdentity

log = logging.getLogger(__name__)


class IntakeUnavailable(Exception):
    """Intake did not answer with the case (down, slow, or an unexpected answer)."""


#: the header and salt of the grant intake accepts for a legal basis recorded by referrals
GRANT_HEADER = "X-KMB-Disclosure-Grant"
GRANT_SALT = "kmb.disclosure-grant.v1"


class IntakeClient:
    def __init__(self, base_url: str, timeout_s: float = 3.0, secret: str = "") -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout_s = timeout_s
        self._grants = URLSafeTimedSerializer(secret, salt=GRANT_SALT) if secret else None

    def grant(self, case_id: UUID, partner: str, basis: str) -> str:
        """Referrals' word to intake that ``basis`` lets ``partner`` learn who the case's household is."""
        if self._grants is None:
            raise IntakeUnavailable("no shared secret to vouch for a legal basis")
        return str(self._grants.dumps({"c": str(case_id), "p": partner, "b": basis}))

    async def for_partner(
        self, case_id: UUID, actor: Actor, credentials: Mapping[str, str], legal_basis: str | None = None
    ) -> tuple[ClientIdentity, str | None] | None:
        """The applicant's identity and the case number as intake gives them to the partner signed in
        with ``credentials`` (its own; intake logs the view under its name); None when intake refuses
        (e.g. the consent no longer names the partner). ``legal_basis``: the basis referrals vouches
        for (none when it is the consent, which intake checks itself). Raises
        :class:`IntakeUnavailable` when intake cannot be asked or answers otherwise."""
        headers = dict(credentials)
        if legal_basis:
            headers[GRANT_HEADER] = self.grant(case_id, actor.organisation, legal_basis)
        url = f"{self.base_url}/api/cases/{case_id}/for-partner"
        try:
            async with httpx.AsyncClient(timeout=self.timeout_s) as client:
                response = await client.get(url, headers=headers)
        except httpx.HTTPError as exc:
            raise IntakeUnavailable(f"intake unreachable: {type(exc).__name__}") from exc
        if response.status_code == 403:
            log.info("intake refused case %s to partner %s", case_id, actor.organisation)
            return None
        if response.status_code != 200:
            log.info(
                "intake answered %s for case %s asked by %s", response.status_code, case_id, actor.user_id
            )
            raise IntakeUnavailable(f"intake answered {response.status_code}")
        try:
            data = response.json()
            number = data.get("number") if isinstance(data, dict) else None
            return identity_from_case(data), str(number) if number else None
        except (ValueError, ValidationError) as exc:
            raise IntakeUnavailable(f"unexpected answer from intake: {exc}") from exc

    async def case_status(self, case_id: UUID, credentials: Mapping[str, str]) -> str | None:
        """The case's status as intake tells the worker signed in with ``credentials`` (``open``,
        ``closed``); None when intake does not know it for them (no such case, or another
        organisation's). Asked only for a case whose CaseOpened has not reached referrals yet; intake
        logs the reading under the worker's name, as any reading of the case. Raises
        :class:`IntakeUnavailable` when intake cannot be asked or answers otherwise."""
        url = f"{self.base_url}/api/cases/{case_id}"
        try:
            async with httpx.AsyncClient(timeout=self.timeout_s) as client:
                response = await client.get(url, headers=dict(credentials))
        except httpx.HTTPError as exc:
            raise IntakeUnavailable(f"intake unreachable: {type(exc).__name__}") from exc
        if response.status_code == 404:
            return None
        if response.status_code != 200:
            raise IntakeUnavailable(f"intake answered {response.status_code} for a case's status")
        try:
            status = response.json().get("status")
        except (ValueError, AttributeError) as exc:
            raise IntakeUnavailable(f"unexpected answer from intake: {exc}") from exc
        return str(status) if status else None

    async def partner_token(self, slug: str, credentials: Mapping[str, str]) -> dict[str, Any]:
        """A partner's API token issued by intake, which records it (listed and revocable there)."""
        body = {"organisation": slug, "roles": ["partner"]}
        return await issue_token(self.base_url, self.timeout_s, body, credentials)


class TokenRefused(Exception):
    """Intake refused to issue the token (the caller's rights); ``detail`` is intake's error body."""

    def __init__(self, status: int, detail: dict[str, Any]) -> None:
        super().__init__(f"intake refused the token ({status})")
        self.status, self.detail = status, detail


async def issue_token(
    base_url: str, timeout_s: float, body: Mapping[str, Any], credentials: Mapping[str, str]
) -> dict[str, Any]:
    """Ask intake to issue (and record) an API token as the signed-in administrator."""
    try:
        async with httpx.AsyncClient(timeout=timeout_s) as client:
            response = await client.post(f"{base_url}/api/tokens", json=dict(body), headers=dict(credentials))
    except httpx.HTTPError as exc:
        raise IntakeUnavailable(f"intake unreachable: {type(exc).__name__}") from exc
    if response.status_code in (401, 403):
        detail = response.json().get("detail")
        raise TokenRefused(response.status_code, detail if isinstance(detail, dict) else {})
    if response.status_code != 201:
        raise IntakeUnavailable(f"intake answered {response.status_code} to a token request")
    data: dict[str, Any] = response.json()
    return data


def _applicant(members: list[dict[str, Any]]) -> dict[str, Any]:
    for member in members:
        if member.get("relationship") == "applicant":
            return member
    return members[0]


def _address(raw: Any) -> str | None:
    if isinstance(raw, str):
        return raw.strip() or None
    if not isinstance(raw, dict):
        return None
    town = " ".join(str(raw[k]) for k in ("postal_code", "municipality") if raw.get(k))
    parts = [str(raw["street"]) if raw.get("street") else "", town, str(raw.get("district") or "")]
    text = ", ".join(p for p in parts if p)
    return text or None


def identity_from_case(data: Any) -> ClientIdentity:
    """The applicant's identity from intake's case detail (raises ``ValueError`` if there is none)."""
    if not isinstance(data, dict):
        raise ValueError("case detail is not an object")
    household = data.get("household") if isinstance(data.get("household"), dict) else {}
    assert isinstance(household, dict)
    members = data.get("members") or household.get("members") or []
    if not isinstance(members, list) or not members:
        raise ValueError("case detail has no members")
    person = _applicant([m for m in members if isinstance(m, dict)])
    name = " ".join(str(person[k]) for k in ("first_name", "last_name") if person.get(k)).strip()
    name = name or str(person.get("name") or "").strip()
    if not name:
        raise ValueError("the applicant has no name")
    born = person.get("date_of_birth") or person.get("birth_date")
    return ClientIdentity(
        full_name=name,
        phone=household.get("phone") or None,
        email=household.get("email") or None,
        address=_address(household.get("address")),
        birth_date=date.fromisoformat(born) if isinstance(born, str) else None,
    )
