"""The partner organisation's inbox: the referrals sent to the signed-in user's organisation, shown as
the partner API shows them, and the answers: accept, decline with a reason, complete with an outcome,
the labour office's binding opinion. Who the household is (where consent or a legal basis allows) is
fetched from intake only when the partner asks for one referral's details (``?details=<id>``), as the
partner API does; intake logs the view under the partner's user."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError

from kmb_shared.auth import Principal
from kmb_shared.errors import NotFoundError

from ...application import queries
from ...application.deps import ReferralsDeps
from ...application.details import DetailsUnavailable, referral_details
from ...application.lifecycle import BindingOpinion, Step, issue_binding_opinion, take_step
from ...application.ports import UnitOfWork
from ...domain import PartnerUpdateKind, ReferralConflict, ReferralError, ReferralState
from ..deps import Deps, UowDep, credentials
from ..schemas import BindingOpinionIn, CompleteIn, DeclineIn, InboxItem
from .common import PartnerPage, blank_to_none, form_values, message_page, problems, redirect, render

router = APIRouter(include_in_schema=False)

ACTIONS = ("accept", "decline", "complete", "binding-opinion")
PLAIN = {
    "positive": "Zvolte, zda je stanovisko kladné, nebo záporné.",
    "reason": "Vyberte důvod odmítnutí.",
    "outcome": "Vyberte výsledek.",
    "justified_housing_costs": "Zadejte celé číslo korun, nejméně 0.",
    "estimated_benefit": "Zadejte celé číslo korun, nejméně 0.",
}
SAVED = {"accept": "accepted", "decline": "declined", "complete": "completed", "binding-opinion": "opinion"}


def _status(text: str) -> ReferralState | None:
    try:
        return ReferralState(text) if text else None
    except ValueError:
        return None


async def inbox_page(
    request: Request,
    principal: Principal,
    deps: ReferralsDeps,
    uow: UnitOfWork,
    status_code: int = 200,
    **context: Any,
) -> HTMLResponse:
    slug = principal.organisation
    try:
        partner = await queries.known_partner(uow.store, slug)
    except NotFoundError:
        text = f"Vaše organizace „{slug}“ není registrována jako partner kontaktního místa."
        return message_page(request, 404, "Partner nenalezen", text)
    status = _status(request.query_params.get("status", ""))
    today = deps.today()
    rows = await queries.inbox(uow.store, slug, status, today)
    context.setdefault("errors", {})
    context.setdefault("values", {})
    context.setdefault("opened", "")
    context.update(await _details(request, principal, deps, rows))
    return render(
        request,
        "inbox.html",
        status_code,
        title="Doručená předání",
        partner=partner,
        items=[InboxItem.of(row, today) for row in rows],
        status=status.value if status else "",
        **context,
    )


async def _details(
    request: Request, principal: Principal, deps: ReferralsDeps, rows: Sequence[queries.ReferralRow]
) -> dict[str, Any]:
    """The client's details of the one referral asked for (``?details=<id>``), fetched now from intake."""
    wanted = request.query_params.get("details", "")
    row = next((r for r in rows if str(r.id) == wanted and r.identified), None)
    if row is None:
        return {"details": {}, "details_error": {}}
    try:
        found = await referral_details(deps, row, principal.actor, credentials(request))
    except DetailsUnavailable as exc:
        return {"details": {}, "details_error": {wanted: exc.message_cs}}
    return {"details": {wanted: found}, "details_error": {}}


@router.get("/partner/inbox", response_class=HTMLResponse)
async def inbox(
    request: Request,
    principal: PartnerPage,
    deps: Deps,
    uow: UowDep,
) -> HTMLResponse:
    return await inbox_page(request, principal, deps, uow)


def _opinion(values: dict[str, str]) -> BindingOpinion:
    body = BindingOpinionIn.model_validate(
        {
            "positive": values.get("positive", ""),
            "justified_housing_costs": blank_to_none(values.get("justified_housing_costs", "")),
            "estimated_benefit": blank_to_none(values.get("estimated_benefit", "")),
            "note": blank_to_none(values.get("note", "")),
        }
    )
    return BindingOpinion(**body.model_dump())


def _step(action: str, values: dict[str, str]) -> Step:
    note = blank_to_none(values.get("note", ""))
    if action == "accept":
        return Step(PartnerUpdateKind.ACCEPTED)
    if action == "decline":
        declined = DeclineIn.model_validate({"reason": values.get("reason", ""), "note": note})
        return Step(PartnerUpdateKind.DECLINED, reason=declined.reason, note=declined.note)
    completed = CompleteIn.model_validate({"outcome": values.get("outcome", ""), "note": note})
    return Step(PartnerUpdateKind.COMPLETED, outcome=completed.outcome, note=completed.note)


async def _answer(
    deps: ReferralsDeps,
    uow: UnitOfWork,
    principal: Principal,
    referral_id: UUID,
    action: str,
    values: dict[str, str],
) -> None:
    """Take the step as the signed-in partner, on its own referral only (another one is not found)."""
    slug = principal.organisation
    if action == "binding-opinion":
        opinion = _opinion(values)
        await issue_binding_opinion(deps, uow, referral_id, opinion, principal.actor, partner=slug)
    else:
        await take_step(deps, uow, referral_id, _step(action, values), principal.actor, partner=slug)


@router.post("/partner/inbox/{referral_id}/{action}", response_model=None)
async def answer(
    referral_id: UUID,
    action: str,
    request: Request,
    principal: PartnerPage,
    deps: Deps,
    uow: UowDep,
) -> Response:
    if action not in ACTIONS:
        return message_page(request, 404, "Stránka nenalezena", "Taková odpověď na předání neexistuje.")
    values = form_values(await request.form())
    try:
        await _answer(deps, uow, principal, referral_id, action, values)
    except NotFoundError:
        await uow.rollback()
        text = "Toto předání nebylo vaší organizaci zasláno."
        return message_page(request, 404, "Předání nenalezeno", text, back="/partner/inbox")
    except (ValidationError, ReferralError) as exc:
        await uow.rollback()
        key = str(referral_id)
        return await inbox_page(
            request,
            principal,
            deps,
            uow,
            409 if isinstance(exc, ReferralConflict) else 422,
            errors={key: problems(exc, PLAIN)},
            values={key: values},
            opened=f"{key}-{action}",
        )
    return redirect(f"/partner/inbox?saved={SAVED[action]}")
