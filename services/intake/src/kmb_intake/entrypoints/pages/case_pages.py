"""Pages of a case: open one (the form), see it (household, status, links to the other services,
diary, documents, timeline), close and reopen it. The forms call the same handlers as the API."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError

from kmb_shared.auth import Role
from kmb_shared.errors import ConflictError, NotFoundError

from ...application import cases as commands
from ...application.queries import CaseRow, case_history, user_names
from ...domain import (
    CaseIn,
    CaseStatus,
    CloseCaseIn,
    HouseholdChangeIn,
    localize_errors,
)
from ..deps import credentials, deps_of
from ..schemas import CaseDetail, household_of
from ..security import log_views
from .applications_view import applications_view
from .case_form import (
    MEMBER_ROWS,
    MEMBER_TEXT,
    case_from_form,
    field_label,
    form_from_household,
    income_row_count,
    member_row_count,
)
from .casework_view import casework_view
from .common import (
    PageCall,
    ReaderCall,
    WorkerCall,
    errors_by_field,
    local_today,
    message_page,
    now_utc,
    redirect,
    render,
)

router = APIRouter(include_in_schema=False)

HISTORY_KINDS = {
    "opened": "Případ založen",
    "household_changed": "Změna domácnosti",
    "closed": "Případ uzavřen",
    "reopened": "Případ znovu otevřen",
}
DEFAULT_PURPOSE = "Poradenství v bydlení a řešení bytové situace (zákon č. 175/2025 Sb.)"


def _new_case_page(
    request: Request,
    status_code: int = 200,
    values: dict[str, str] | None = None,
    lists: dict[str, list[str]] | None = None,
    errors: dict[str, str] | None = None,
) -> HTMLResponse:
    today = local_today().isoformat()
    defaults = {
        "members.0.relationship": "applicant",
        "consent.given_on": today,
        "consent.purpose": DEFAULT_PURPOSE,
    }
    if values is None:
        values = {**defaults, "contact_id": request.query_params.get("contact_id", "")}
    errors = errors or {}
    return render(
        request,
        "case_form.html",
        status_code,
        title="Nový případ",
        values=values,
        lists=lists or {},
        errors=errors,
        summary=[(name, field_label(name), message) for name, message in errors.items()],
        member_rows=range(MEMBER_ROWS),
        today=today,
    )


@router.get("/cases/new", response_class=HTMLResponse)
async def new_case(call: WorkerCall) -> HTMLResponse:
    return _new_case_page(call.request)


@router.post("/cases/new", response_model=None)
async def open_case(call: WorkerCall) -> Response:
    values, lists = await call.form("vulnerability_flags")
    parsed = case_from_form(values, lists, call.principal.user_id)
    try:
        body = CaseIn.model_validate(parsed.data)
        case = await commands.open_case(call.store, body, call.context)
    except ValidationError as exc:
        items = [{**item, "field": parsed.form_field(item["field"])} for item in localize_errors(exc)]
        return _new_case_page(call.request, 422, values, lists, errors_by_field(items))
    except NotFoundError:
        errors = {"contact_id": "Kontakt, u kterého se případ zakládá, nebyl nalezen."}
        return _new_case_page(call.request, 422, values, lists, errors)
    await call.commit()
    return redirect(f"/cases/{case.id}?saved=opened")


async def _timeline(request: Request, case_id: UUID) -> list[dict[str, Any]] | None:
    data = await deps_of(request).peers.fetch_json(
        "stats", f"/api/audit/cases/{case_id}", credentials=credentials(request)
    )
    events = data.get("events") if isinstance(data, dict) else None
    if not isinstance(events, list):
        return None
    return [event for event in events if isinstance(event, dict)]


async def _case_page(call: PageCall, case: CaseRow, status_code: int = 200, **context: Any) -> HTMLResponse:
    session, principal = call.session, call.principal
    detail = CaseDetail.with_history(case, await case_history(session, case.id))
    log_views(session, principal, [case], kind="detail", channel="page", at=now_utc())
    await session.commit()
    timeline = await _timeline(call.request, case.id)
    work = await casework_view(call, case)
    work.update(await applications_view(call, case))
    actors = [h.by for h in detail.history] + [str(e.get("actor", "")) for e in timeline or []]
    actors += work.pop("casework_people")
    return render(
        call.request,
        "case.html",
        status_code,
        title=f"Případ {case.number}",
        case=detail,
        household=detail.household,
        timeline=timeline,
        names=await user_names(session, actors),
        history_kinds=HISTORY_KINDS,
        can_change=principal.has(Role.WORKER),
        close_values=context.pop("close_values", {}),
        diary_values=context.pop("diary_values", {}),
        errors=context.pop("errors", {}),
        **work,
        **context,
    )


async def _load(call: PageCall, case_id: UUID) -> CaseRow | None:
    try:
        return await commands.load_case(call.store, case_id, call.principal.organisation)
    except NotFoundError:
        return None


def _not_found(request: Request) -> HTMLResponse:
    text = "Případ neexistuje, nebo k němu nemáte přístup."
    return message_page(request, 404, "Případ nenalezen", text, back="/cases")


@router.get("/cases/{case_id}", response_class=HTMLResponse)
async def show_case(case_id: UUID, call: ReaderCall) -> HTMLResponse:
    case = await _load(call, case_id)
    if case is None:
        return _not_found(call.request)
    return await _case_page(call, case)


def _version(values: dict[str, str]) -> int | None:
    text = values.get("version", "").strip()
    return int(text) if text.isdigit() else None


@router.post("/cases/{case_id}/close", response_model=None)
async def close_case(case_id: UUID, call: WorkerCall) -> Response:
    values, _ = await call.form()

    async def close(version: int | None) -> object:
        body = CloseCaseIn.model_validate({k: v for k, v in values.items() if k in ("reason", "note") and v})
        return await commands.close_case(call.store, case_id, body, call.context, expected_version=version)

    return await _change_status(call, case_id, values, close, "close", "closed")


@router.post("/cases/{case_id}/reopen", response_model=None)
async def reopen_case(case_id: UUID, call: WorkerCall) -> Response:
    values, _ = await call.form()

    async def reopen(version: int | None) -> object:
        return await commands.reopen_case(call.store, case_id, call.context, expected_version=version)

    return await _change_status(call, case_id, values, reopen, "reopen", "reopened")


async def _change_status(
    call: PageCall,
    case_id: UUID,
    values: dict[str, str],
    change: Callable[[int | None], Awaitable[object]],
    form_name: str,
    saved: str,
) -> Response:
    """Close or reopen from the case page: done, or the page again with why it was refused."""
    try:
        await change(_version(values))
    except ValidationError as exc:
        return await _refused(call, case_id, 422, values, errors_by_field(localize_errors(exc)))
    except ConflictError as exc:
        return await _refused(call, case_id, 409, values, {form_name: exc.message_cs})
    except NotFoundError:
        return _not_found(call.request)
    await call.commit()
    return redirect(f"/cases/{case_id}?saved={saved}")


async def _refused(
    call: PageCall, case_id: UUID, status_code: int, values: dict[str, str], errors: dict[str, str]
) -> HTMLResponse:
    """The case page again, with the form's values and why the change was refused."""
    await call.session.rollback()
    case = await _load(call, case_id)
    if case is None:
        return _not_found(call.request)
    return await _case_page(call, case, status_code, close_values=values, errors=errors)


# --- the household of an open case, corrected on the page (the API's PUT /household) -------------


MEMBER_TEXT_FIELD = re.compile(rf"^members\.(\d{{1,2}})\.(?:{'|'.join(MEMBER_TEXT)})$")


def _household_page(
    request: Request,
    case: CaseRow,
    values: dict[str, str],
    lists: dict[str, list[str]],
    status_code: int = 200,
    errors: dict[str, str] | None = None,
    general: str = "",
) -> HTMLResponse:
    errors = errors or {}
    filled = [
        int(match.group(1))
        for key, value in values.items()
        if value.strip() and (match := MEMBER_TEXT_FIELD.match(key))
    ]
    return render(
        request,
        "case_form.html",
        status_code,
        title=f"Domácnost případu {case.number}",
        heading=f"Domácnost případu {case.number}",
        action=f"/cases/{case.id}/household",
        edit=True,
        version=values.get("version") or case.version,
        cancel=f"/cases/{case.id}",
        values=values,
        lists=lists,
        errors=errors,
        general=general,
        summary=[(name, field_label(name), message) for name, message in errors.items()],
        # every stored member, and one empty row to add someone
        member_rows=range(max(MEMBER_ROWS, member_row_count(values), max(filled, default=-1) + 2)),
        income_rows=income_row_count(values),
    )


def _closed(request: Request, case: CaseRow) -> HTMLResponse:
    text = "Domácnost uzavřeného případu nelze měnit. Případ nejprve znovu otevřete."
    return message_page(request, 409, "Případ je uzavřen", text, back=f"/cases/{case.id}")


@router.get("/cases/{case_id}/household", response_class=HTMLResponse)
async def edit_household(case_id: UUID, call: WorkerCall) -> HTMLResponse:
    case = await _load(call, case_id)
    if case is None:
        return _not_found(call.request)
    if case.status != CaseStatus.OPEN:
        return _closed(call.request, case)
    values, lists = form_from_household(household_of(case))
    log_views(call.session, call.principal, [case], kind="detail", channel="page", at=now_utc())
    await call.session.commit()
    return _household_page(call.request, case, {**values, "version": str(case.version)}, lists)


@router.post("/cases/{case_id}/household", response_model=None)
async def change_household(case_id: UUID, call: WorkerCall) -> Response:
    values, lists = await call.form("vulnerability_flags")
    case = await _load(call, case_id)
    if case is None:
        return _not_found(call.request)
    parsed = case_from_form(values, lists, call.principal.user_id)
    parsed.data.pop("contact_id", None)
    try:
        body = HouseholdChangeIn.model_validate({**parsed.data, "note": values.get("note", "")})
        await commands.change_household(
            call.store, case_id, body, call.context, expected_version=_version(values)
        )
    except ValidationError as exc:
        items = [{**item, "field": parsed.form_field(item["field"])} for item in localize_errors(exc)]
        return _household_page(call.request, case, values, lists, 422, errors_by_field(items))
    except ConflictError as exc:
        await call.session.rollback()
        current = await _load(call, case_id)
        if current is None:
            return _not_found(call.request)
        # the worker's values stay, with the version they saw: saving again needs a reload first
        return _household_page(call.request, current, values, lists, 409, general=exc.message_cs)
    await call.commit()
    return redirect(f"/cases/{case_id}?saved=household")
