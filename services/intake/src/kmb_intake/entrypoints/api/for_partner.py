"""``GET /api/cases/{case_id}/for-partner``: the applicant's identity for a partner organisation.

Partner messages on Kafka carry no personal data; a partner that may know who the household is fetches
it through referrals, which forwards the partner's own credential here. Intake decides on what it holds:
the case's consent names the partner's organisation (``consent.partners``). A legal basis of disclosure
is recorded by referrals (on the case or on the referral): referrals vouches for it with a short-lived
grant in ``X-KMB-Disclosure-Grant``, signed with the services' shared secret and naming this case and
this partner, which a partner cannot make. Otherwise 403 ``not_disclosed``; an unknown case 404.

Only the applicant's name and birth date and the household's phone, e-mail and address leave (referrals
cuts them down per kind of referral); every answer is written to the view log under the partner's user
and organisation (kind ``partner``), which the auditors of the case's organisation see.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Request
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlmodel.ext.asyncio.session import AsyncSession

from kmb_shared.auth import Principal, Role, http_error, load_secret
from kmb_shared.service import SessionDep, get_runtime

from ...application import cases as commands
from ..deps import StoreDep
from ..schemas import household_of
from ..security import guard, log_views

router = APIRouter(prefix="/api/cases", tags=["partners"])

#: the header, salt and lifetime of referrals' grant for a referral's own legal basis
GRANT_HEADER = "X-KMB-Disclosure-Grant"
GRANT_SALT = "kmb.disclosure-grant.v1"
GRANT_MAX_AGE_S = 300

as_partner = guard(Role.PARTNER)


def _granted_basis(request: Request, case_id: UUID, partner: str) -> str | None:
    value = request.headers.get(GRANT_HEADER)
    if not value:
        return None
    settings = get_runtime(request).settings
    serializer = URLSafeTimedSerializer(load_secret(settings.var_dir, settings.secret_key), salt=GRANT_SALT)
    try:
        data = serializer.loads(value, max_age=GRANT_MAX_AGE_S)
    except BadSignature:
        return None
    if not isinstance(data, dict) or data.get("c") != str(case_id) or data.get("p") != partner:
        return None
    basis = str(data.get("b") or "").strip()
    return basis or None


def consented(household: dict[str, Any], partner: str) -> bool:
    """The case's consent, as intake holds it, names ``partner``."""
    consent = household.get("consent")
    return isinstance(consent, dict) and partner in (consent.get("partners") or [])


def _applicant(household: dict[str, Any]) -> dict[str, Any]:
    members = [m for m in household.get("members") or [] if isinstance(m, dict)]
    person = next((m for m in members if m.get("relationship") == "applicant"), members[0] if members else {})
    return {k: person.get(k) for k in ("first_name", "last_name", "date_of_birth") if person.get(k)}


@router.get("/{case_id}/for-partner")
async def case_for_partner(
    case_id: UUID,
    request: Request,
    principal: Annotated[Principal, Depends(as_partner)],
    store: StoreDep,
    session: AsyncSession = SessionDep,
) -> dict[str, Any]:
    """The applicant's identity for a partner the consent names or a legal basis allows (view logged)."""
    case = await commands.load_case(store, case_id)
    household = household_of(case)
    partner = principal.organisation
    basis = "consent" if consented(household, partner) else _granted_basis(request, case_id, partner)
    if basis is None:
        raise http_error(
            403,
            "not_disclosed",
            "Souhlas klienta ani právní základ nedovoluje sdělit vaší organizaci jeho údaje.",
            "Neither the client's consent nor a legal basis allows your organisation these details.",
        )
    log_views(session, principal, [case], kind="partner", channel="api", at=datetime.now(UTC))
    await session.commit()
    return {
        "id": str(case.id),
        "number": case.number,
        "disclosure_basis": basis,
        "members": [{**_applicant(household), "relationship": "applicant"}],
        "household": {k: household.get(k) for k in ("phone", "email", "address")},
    }
