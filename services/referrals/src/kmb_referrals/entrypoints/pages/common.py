"""What every referrals page shares: the sign-in check (a signed-out visitor goes to intake's login page
and comes back here), a Czech 403 page, rendering with the shared layout, redirects after a successful
POST, and Czech error texts by form field."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Annotated
from uuid import UUID

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse
from pydantic import ValidationError
from starlette.datastructures import FormData

from kmb_shared.auth import Principal, Role
from kmb_shared.errors import localize
from kmb_shared.web.guard import LoginRequired, PageForbidden, forbidden_page, login_redirect, page_guard
from kmb_shared.web.pages import PageHelpers, see_other

from ...application.errors import PartnerInactive, TopicUnavailable
from ...domain import ReferralError
from ..access import ADMINS, READERS, WORKERS, active_partner
from ..deps import UowDep

#: ``?saved=<key>`` after a successful form: the message shown on the next page
FLASH: Mapping[str, str] = {
    "referred": "Předání bylo odesláno partnerovi.",
    "conference": "Pozvánky na případovou konferenci byly odeslány.",
    "cancelled": "Předání bylo zrušeno.",
    "dismissed": "Upozornění bylo vzato na vědomí.",
    "accepted": "Předání bylo přijato.",
    "declined": "Předání bylo odmítnuto.",
    "completed": "Předání bylo uzavřeno s výsledkem.",
    "opinion": "Závazné stanovisko bylo zaznamenáno.",
    "partner": "Partner byl zaregistrován a jeho schránka pro předání založena.",
    "changed": "Změny partnera byly uloženy.",
    "deactivated": "Partner byl deaktivován a nové předání nepřijímá.",
    "activated": "Partner byl znovu aktivován.",
    "demo": "Ukázkoví partneři byli načteni.",
}
#: Errors that belong to the form as a whole (shown above it)
FORM = "form"
#: Domain error codes that concern one field
FIELD_BY_CODE = {"note_required": "note", "partner_does_not_accept": "partner"}

__all__ = ["LoginRequired", "PageForbidden"]


#: signed out: back to this page (its public address) after signing in; nothing to come back to after a form
as_worker = page_guard("referrals", *WORKERS)
as_reader = page_guard("referrals", *READERS)
_as_partner = page_guard("referrals", Role.PARTNER)


async def as_partner(request: Request, uow: UowDep) -> Principal:
    """A partner's user of a partner still active (a deactivated one gets the 403 page)."""
    principal = await _as_partner(request)
    try:
        await active_partner(principal, uow)
    except PartnerInactive as exc:
        raise PageForbidden() from exc
    return principal


as_admin = page_guard("referrals", *ADMINS)

WorkerPage = Annotated[Principal, Depends(as_worker)]
ReaderPage = Annotated[Principal, Depends(as_reader)]
PartnerPage = Annotated[Principal, Depends(as_partner)]
AdminPage = Annotated[Principal, Depends(as_admin)]

on_login_required = login_redirect()
on_forbidden = forbidden_page()


_helpers = PageHelpers(FLASH)
render = _helpers.render
message_page = _helpers.message_page
#: after a POST: 303 to the next page, so a reload never repeats the change
redirect = see_other


def unknown_case(request: Request) -> HTMLResponse:
    """A case the caller's organisation does not keep (another organisation's is not told apart)."""
    return message_page(request, 404, "Případ nenalezen", "Takový případ vaše organizace nevede.")


def form_values(form: FormData) -> dict[str, str]:
    """The single-valued fields of a form, stripped (strings only; files are ignored)."""
    return {key: value.strip() for key, value in form.multi_items() if isinstance(value, str)}


def form_list(form: FormData, name: str) -> list[str]:
    return [value.strip() for value in form.getlist(name) if isinstance(value, str) and value.strip()]


def blank_to_none(text: str | None) -> str | None:
    return text if text else None


def parse_uuid(text: str) -> UUID | None:
    try:
        return UUID(text.strip())
    except ValueError:
        return None


def errors_by_field(items: Iterable[Mapping[str, str]]) -> dict[str, str]:
    """Field -> the first Czech message about it; nested fields become ``parent_child`` form names."""
    out: dict[str, str] = {}
    for item in items:
        name = (item.get("field") or FORM).replace(".", "_")
        out.setdefault(FORM if name == "body" else name, item["message_cs"])
    return out


def problems(exc: Exception, plain: Mapping[str, str] | None = None) -> dict[str, str]:
    """A refused form's errors by field, in Czech: validation, domain and Kafka errors. ``plain`` gives
    a field's own wording for any validation error of it (clearer than the generic texts)."""
    if isinstance(exc, ValidationError):
        found = errors_by_field(localize(list(exc.errors())))  # type: ignore[arg-type]
        return {name: (plain or {}).get(name, message) for name, message in found.items()}
    if isinstance(exc, ReferralError):
        name = getattr(exc, "field", None) or FIELD_BY_CODE.get(exc.code) or FORM
        return {name: exc.message}
    if isinstance(exc, TopicUnavailable):
        return {FORM: "Schránku partnera pro předání teď nelze založit; zkuste to prosím později."}
    raise exc
