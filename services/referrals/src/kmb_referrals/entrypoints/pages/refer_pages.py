"""Making a referral from a page: first the kind (a GET form, so it works without JavaScript), then one
partner that takes that kind — or, for a case conference, several partners at once.

Coming from a suggestion (``?solution_id=``), the page names the catalogue entry (read from the
catalogue with the worker's own sign-in) and preselects the referral kind that fits its kind; without
the catalogue it just says "položka katalogu"."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError

from kmb_shared.auth import Principal
from kmb_shared.errors import NotFoundError

from ...application import queries
from ...application.deps import ReferralsDeps
from ...application.errors import CaseIsClosed, CaseNotFound, CaseUnconfirmed, TopicUnavailable
from ...application.ports import UnitOfWork
from ...application.referrals import Worker, convene, refer
from ...domain import ReferralConflict, ReferralError, ReferralKind, referral_kind_for_solution
from ..deps import Deps, UowDep, credentials
from ..schemas import CaseConferenceIn, ReferralIn
from .common import (
    FORM,
    WorkerPage,
    blank_to_none,
    form_list,
    form_values,
    problems,
    redirect,
    render,
    unknown_case,
)

router = APIRouter(include_in_schema=False)

FIELD_LABELS = {
    "kind": "Druh předání",
    "partner": "Partner",
    "partners": "Partneři",
    "note": "Poznámka pro partnera",
    "legal_basis": "Zákonný důvod k předání údajů",
    "solution_id": "Řešení z katalogu",
}


def _kind(text: str) -> ReferralKind | None:
    try:
        return ReferralKind(text)
    except ValueError:
        return None


async def _choices(uow: UnitOfWork, kind: ReferralKind | None, consent: list[str]) -> list[tuple[str, str]]:
    """Active partners that take ``kind``; those the household consented to are marked."""
    if kind is None:
        return []
    out = []
    for row in await queries.partners_taking(uow.store, kind):
        mark = " – se souhlasem, dostane i údaje klienta" if row.slug in consent else ""
        out.append((row.slug, f"{row.name}{mark}"))
    return out


def _uuid(text: str) -> UUID | None:
    try:
        return UUID(text)
    except ValueError:
        return None


async def _catalogue_entry(
    request: Request, deps: ReferralsDeps, solution_id: str
) -> queries.CatalogueEntry | None:
    """The referred catalogue entry, or None (no or malformed id, catalogue unreachable)."""
    wanted = _uuid(solution_id) if solution_id else None
    if wanted is None:
        return None
    return await queries.catalogue_entry(deps, wanted, credentials(request))


async def refer_page(
    request: Request,
    deps: ReferralsDeps,
    uow: UnitOfWork,
    principal: Principal,
    case_id: UUID,
    values: dict[str, str],
    chosen: list[str] | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    try:
        facts = await queries.case_of(uow.store, case_id, principal.organisation)
    except NotFoundError:
        return unknown_case(request)
    solution = await _catalogue_entry(request, deps, values.get("solution_id", ""))
    if solution is not None and not values.get("kind"):
        preselected = referral_kind_for_solution(solution.kind)
        values = {**values, "kind": preselected.value} if preselected else values
    consent = list(facts.consent_partners) if facts else []
    kind = _kind(values.get("kind", ""))
    errors = dict(errors or {})
    if facts is not None and facts.closed:  # said before the worker fills anything in
        errors.setdefault(FORM, CaseIsClosed(facts.case_number).message)
    if values.get("kind") and kind is None:
        errors.setdefault("kind", "Vyberte druh předání ze seznamu.")
    return render(
        request,
        "refer.html",
        status_code,
        title="Nové předání",
        case_id=case_id,
        case_number=facts.case_number if facts else None,
        values=values,
        solution=solution,
        kind=kind.value if kind else "",
        conference=kind is ReferralKind.CASE_CONFERENCE,
        choices=await _choices(uow, kind, consent),
        chosen=chosen or [],
        errors=errors,
        labels=FIELD_LABELS,
    )


@router.get("/cases/{case_id}/refer", response_class=HTMLResponse)
async def new_referral(
    case_id: UUID,
    request: Request,
    principal: WorkerPage,
    deps: Deps,
    uow: UowDep,
) -> HTMLResponse:
    values = {name: request.query_params.get(name, "").strip() for name in ("kind", "solution_id")}
    return await refer_page(request, deps, uow, principal, case_id, values)


def _body(case_id: UUID, values: dict[str, str], partners: list[str]) -> ReferralIn | CaseConferenceIn:
    common: dict[str, Any] = {
        "case_id": case_id,
        "note": blank_to_none(values.get("note", "")),
        "legal_basis": blank_to_none(values.get("legal_basis", "")),
    }
    if values.get("kind") == ReferralKind.CASE_CONFERENCE.value:
        return CaseConferenceIn.model_validate({**common, "partners": partners})
    solution = blank_to_none(values.get("solution_id", ""))
    return ReferralIn.model_validate(
        {
            **common,
            "partner": values.get("partner", ""),
            "kind": values.get("kind", ""),
            "solution_id": solution,
        }
    )


def _missing(values: dict[str, str], partners: list[str]) -> dict[str, str]:
    """What the worker forgot, said plainly (before the models' more technical messages)."""
    kind = _kind(values.get("kind", ""))
    if kind is None:
        return {"kind": "Vyberte druh předání."}
    if kind is ReferralKind.CASE_CONFERENCE and len(partners) < 2:
        return {"partners": "Na případovou konferenci vyberte alespoň dva partnery."}
    if kind is not ReferralKind.CASE_CONFERENCE and not values.get("partner"):
        return {"partner": "Vyberte partnera."}
    return {}


async def _make(
    request: Request,
    deps: ReferralsDeps,
    uow: UnitOfWork,
    principal: Principal,
    body: ReferralIn | CaseConferenceIn,
) -> str:
    worker = Worker(name=principal.name or None)
    signed_in = credentials(request)
    if isinstance(body, CaseConferenceIn):
        await convene(deps, uow, body.command(worker), principal.actor, signed_in)
        return "conference"
    await refer(deps, uow, body.command(worker), principal.actor, signed_in)
    return "referred"


@router.post("/cases/{case_id}/refer", response_model=None)
async def make_referral(
    case_id: UUID,
    request: Request,
    principal: WorkerPage,
    deps: Deps,
    uow: UowDep,
) -> Response:
    form = await request.form()
    try:
        await queries.case_of(uow.store, case_id, principal.organisation)
    except NotFoundError:
        return unknown_case(request)
    values, partners = form_values(form), form_list(form, "partners")
    errors, code = _missing(values, partners), 422
    if not errors:
        try:
            body = _body(case_id, values, partners)
            saved = await _make(request, deps, uow, principal, body)
        except CaseNotFound:
            await uow.rollback()
            return unknown_case(request)
        except CaseUnconfirmed as exc:
            await uow.rollback()
            errors, code = {FORM: exc.message_cs}, 503
        except (ValidationError, ReferralError, TopicUnavailable) as exc:
            await uow.rollback()
            errors, code = problems(exc), 409 if isinstance(exc, ReferralConflict) else 422
        else:
            return redirect(f"/cases/{case_id}?saved={saved}")
    conference = values.get("kind") == ReferralKind.CASE_CONFERENCE.value
    shown: dict[str, str] = {}
    for name, message in errors.items():
        if name.startswith("partners_") or (conference and name == "partner"):
            name = "partners"
        shown.setdefault(name, message)
    return await refer_page(request, deps, uow, principal, case_id, values, partners, shown, code)
