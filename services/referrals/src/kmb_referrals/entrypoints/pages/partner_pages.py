"""Administration of the partner registry: the list, registering a partner (which creates its Kafka
topic), changing what it accepts, deactivating it, the demo partners, and API tokens for a partner's
own system (shown once)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError
from starlette.datastructures import FormData

from kmb_shared.auth import CSRF_HEADER
from kmb_shared.errors import ConflictError

from ...application import queries
from ...application.demo import load_demo_partners
from ...application.deps import ReferralsDeps
from ...application.errors import TopicUnavailable
from ...application.partners import register_partner, update_partner
from ...application.ports import UnitOfWork
from ...domain import Partner, ReferralConflict, ReferralError
from ..deps import CredentialsDep, Deps, UowDep
from ..schemas import PartnerOut
from ..tokens import issue_partner_token
from .common import AdminPage, form_list, form_values, message_page, problems, redirect, render

router = APIRouter(include_in_schema=False)

CONTACT_FIELDS = ("person", "phone", "email", "address")
PLAIN = {
    "slug": "Zkratka smí obsahovat jen malá písmena bez diakritiky, číslice a pomlčky (2 až 40 znaků).",
    "name": "Zadejte název partnera (2 až 200 znaků).",
    "kind": "Vyberte druh partnera.",
    "accepted_kinds": "Vyberte alespoň jeden druh předání, který partner přijímá.",
    "contact_phone": "Zadejte telefon číslicemi, např. +420 777 000 111.",
    "contact_email": "Zadejte e-mail ve tvaru jmeno@example.cz.",
}


async def partners_page(
    request: Request, deps: ReferralsDeps, uow: UnitOfWork, status_code: int = 200, **context: Any
) -> HTMLResponse:
    context.setdefault("values", {})
    context.setdefault("kinds", [])
    context.setdefault("errors", {})
    return render(
        request,
        "partners.html",
        status_code,
        title="Partneři",
        partners=[PartnerOut.of(row, deps.topic(row.slug)) for row in await queries.partners(uow.store)],
        **context,
    )


@router.get("/partners", response_class=HTMLResponse)
async def partners(
    request: Request,
    principal: AdminPage,
    deps: Deps,
    uow: UowDep,
) -> HTMLResponse:
    return await partners_page(request, deps, uow)


def _contact(values: dict[str, str]) -> dict[str, str]:
    return {name: values[f"contact_{name}"] for name in CONTACT_FIELDS if values.get(f"contact_{name}")}


def _read(form: FormData) -> tuple[dict[str, str], list[str]]:
    return form_values(form), form_list(form, "accepted_kinds")


@router.post("/partners", response_model=None)
async def register(
    request: Request,
    principal: AdminPage,
    deps: Deps,
    uow: UowDep,
) -> Response:
    values, kinds = _read(await request.form())
    data = {
        "slug": values.get("slug", ""),
        "name": values.get("name", ""),
        "kind": values.get("kind", ""),
        "contact": _contact(values),
        "accepted_kinds": kinds,
    }
    try:
        await register_partner(deps, uow, Partner.model_validate(data))
    except (ValidationError, ReferralError, TopicUnavailable) as exc:
        await uow.rollback()
        code = 503 if isinstance(exc, TopicUnavailable) else 409 if isinstance(exc, ReferralConflict) else 422
        return await partners_page(
            request, deps, uow, code, values=values, kinds=kinds, errors=problems(exc, PLAIN)
        )
    return redirect(f"/partners/{data['slug']}?saved=partner")


@router.post("/demo/partners", response_model=None)
async def demo(request: Request, principal: AdminPage, deps: Deps) -> Response:
    try:
        await load_demo_partners(deps)
    except TopicUnavailable as exc:
        return message_page(
            request, 503, "Ukázkové partnery nelze načíst", problems(exc)["form"], "/partners"
        )
    return redirect("/partners?saved=demo")


async def partner_page(
    request: Request,
    deps: ReferralsDeps,
    row: queries.PartnerRow,
    status_code: int = 200,
    **context: Any,
) -> HTMLResponse:
    partner = PartnerOut.of(row, deps.topic(row.slug))
    context.setdefault("errors", {})
    context.setdefault(
        "values", {"name": partner.name, **{f"contact_{k}": v for k, v in partner.contact.items()}}
    )
    context.setdefault("kinds", [k.value for k in partner.accepted_kinds])
    return render(
        request, "partner.html", status_code, title=f"Partner {partner.name}", partner=partner, **context
    )


def _unknown(request: Request) -> HTMLResponse:
    return message_page(request, 404, "Partner nenalezen", "Takový partner není registrován.", "/partners")


@router.get("/partners/{slug}", response_class=HTMLResponse)
async def show_partner(
    slug: str,
    request: Request,
    principal: AdminPage,
    deps: Deps,
    uow: UowDep,
) -> HTMLResponse:
    row = await queries.partner(uow.store, slug)
    return _unknown(request) if row is None else await partner_page(request, deps, row)


@router.post("/partners/{slug}", response_model=None)
async def change_partner(
    slug: str,
    request: Request,
    principal: AdminPage,
    deps: Deps,
    uow: UowDep,
) -> Response:
    """Name, contact and accepted kinds (whether it is active has its own buttons)."""
    values, kinds = _read(await request.form())
    if await queries.partner(uow.store, slug) is None:
        return _unknown(request)
    changes = {"name": values.get("name", ""), "contact": _contact(values), "accepted_kinds": kinds}
    try:
        await update_partner(uow, slug, changes)
    except (ValidationError, ReferralError) as exc:
        await uow.rollback()
        row = await queries.partner(uow.store, slug)
        assert row is not None
        return await partner_page(
            request, deps, row, 422, values=values, kinds=kinds, errors=problems(exc, PLAIN)
        )
    return redirect(f"/partners/{slug}?saved=changed")


async def _set_active(request: Request, uow: UnitOfWork, slug: str, active: bool) -> Response:
    if await queries.partner(uow.store, slug) is None:
        return _unknown(request)
    await update_partner(uow, slug, {"active": active})
    return redirect(f"/partners/{slug}?saved={'activated' if active else 'deactivated'}")


@router.post("/partners/{slug}/deactivate", response_model=None)
async def deactivate(slug: str, request: Request, principal: AdminPage, uow: UowDep) -> Response:
    return await _set_active(request, uow, slug, False)


@router.post("/partners/{slug}/activate", response_model=None)
async def activate(slug: str, request: Request, principal: AdminPage, uow: UowDep) -> Response:
    return await _set_active(request, uow, slug, True)


@router.post("/partners/{slug}/token", response_class=HTMLResponse)
async def token(
    slug: str,
    request: Request,
    principal: AdminPage,
    deps: Deps,
    uow: UowDep,
    signed_in: CredentialsDep,
) -> HTMLResponse:
    """An API token for the partner's own system, shown on this answer only (intake records its id,
    never the token); a deactivated partner or intake not answering gets its reason in Czech."""
    row = await queries.partner(uow.store, slug)
    if row is None:
        return _unknown(request)
    try:
        # the form's CSRF token was checked here; intake checks it again for its own change
        credentials = {**signed_in, CSRF_HEADER: principal.csrf} if principal.via == "session" else signed_in
        issued = await issue_partner_token(deps, uow.store, slug, credentials)
    except ConflictError as exc:
        return await partner_page(request, deps, row, token_error=exc.message_cs, status_code=409)
    except HTTPException as exc:
        reason = exc.detail.get("message_cs") if isinstance(exc.detail, dict) else None
        return await partner_page(
            request,
            deps,
            row,
            token_error=reason or "Token se nepodařilo vydat.",
            status_code=exc.status_code,
        )
    return await partner_page(request, deps, row, issued=issued)
