"""Administrators' pages of erasure and retention: erase a closed case's personal data (the case found
by its number, the reason's code, the recorded reason, an explicit confirmation) and the reports of the
retention job's runs, with a way to run it now or as a dry run."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError

from kmb_shared.errors import ConflictError, NotFoundError
from kmb_shared.web.pages import service_urls

from ...domain import localize_errors
from ...domain.erasure import ADMIN_ERASURE_REASONS, ErasureIn, erasable_members
from ..api.erasure import (
    RetentionRunOut,
    erase_as,
    find_case,
    list_erasures,
    retention_now,
    retention_reports,
)
from ..deps import deps_of
from .common import PageCall, _page_call, as_admin, errors_by_field, redirect, render

router = APIRouter(include_in_schema=False)
AdminCall = Annotated[PageCall, Depends(_page_call(as_admin))]

OUTCOMES = {"erased": "vymazán", "would_erase": "byl by vymazán", "held": "ponechán"}
WHY = {
    "open_referrals": "má otevřená předání partnerům",
    "referrals_unavailable": "Předávání partnerům neodpovídalo",
}
CONFIRM = "Potvrďte, že údaje případu mají být nevratně vymazány."


async def _erasure_page(
    call: PageCall, case_text: str, status_code: int = 200, **context: Any
) -> HTMLResponse:
    case = await find_case(call.session, case_text, call.principal.organisation) if case_text else None
    return render(
        call.request,
        "erasure.html",
        status_code,
        title="Výmaz osobních údajů",
        case_text=case_text,
        case=case,
        not_found=bool(case_text) and case is None,
        reasons=ADMIN_ERASURE_REASONS.choices(),
        members=erasable_members(case.household) if case is not None else [],
        erasures=await list_erasures(call.session, call.principal.organisation),
        values=context.pop("values", {}),
        errors=context.pop("errors", {}),
        **context,
    )


@router.get("/admin/erasure", response_class=HTMLResponse)
async def erasure_form(call: AdminCall, case: str = "", erased: str = "") -> HTMLResponse:
    return await _erasure_page(call, case[:60], done=erased[:20])


@router.post("/admin/erasure", response_model=None)
async def erase_case(call: AdminCall) -> Response:
    values, _ = await call.form()
    case_text = values.get("case_id", "")
    case = await find_case(call.session, case_text, call.principal.organisation)
    if case is None:
        return await _erasure_page(call, case_text, 404)
    try:
        body = ErasureIn.model_validate({"reason": values.get("reason", ""), "note": values.get("note", "")})
    except ValidationError as exc:
        errors = errors_by_field(localize_errors(exc))
        return await _erasure_page(call, case_text, 422, values=values, errors=errors)
    if values.get("confirm") != "1":
        return await _erasure_page(call, case_text, 422, values=values, errors={"confirm": CONFIRM})
    member = int(values["member"]) if values.get("member", "").isdigit() else None
    try:
        await erase_as(call.request, call.session, call.principal, case.id, body, member)
    except (ConflictError, NotFoundError) as exc:
        refusal = getattr(exc, "message_cs", "Případ nenalezen.")
        blocked = getattr(exc, "code", "") == "open_referrals"
        return await _erasure_page(call, case_text, 409, values=values, refusal=refusal, blocked=blocked,
                                   referrals_page=f"{service_urls()['referrals']}/cases/{case.id}")  # fmt: skip
    except HTTPException as exc:
        detail: dict[str, Any] = exc.detail if isinstance(exc.detail, dict) else {}
        return await _erasure_page(
            call, case_text, exc.status_code, values=values, refusal=detail.get("message_cs")
        )
    await call.commit()
    return redirect(f"/admin/erasure?erased={case.number}")


@router.get("/admin/retention", response_class=HTMLResponse)
async def retention_page(call: AdminCall) -> HTMLResponse:
    runs = [
        RetentionRunOut.of(row, call.principal.organisation) for row in await retention_reports(call.session)
    ]
    return render(
        call.request,
        "retention.html",
        title="Skartace: výmaz po uplynutí lhůty",
        years=deps_of(call.request).settings.retention_years,
        runs=runs,
        outcomes=OUTCOMES,
        why=WHY,
    )


@router.post("/admin/retention", response_model=None)
async def run_retention(call: AdminCall) -> Response:
    values, _ = await call.form()
    await retention_now(
        call.request, call.session, call.principal.user_id, dry_run=values.get("action") != "run"
    )
    await call.commit()
    return redirect("/admin/retention")
