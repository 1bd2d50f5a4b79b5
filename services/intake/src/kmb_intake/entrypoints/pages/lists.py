"""Pages that list: the case search (workers and auditors) and a new contact (workers)."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError
from sqlmodel.ext.asyncio.session import AsyncSession

from kmb_shared.errors import NotFoundError

from ...application import cases as commands
from ...application.queries import CaseFilter, case_id_by_number, search_cases
from ...domain import CONTACT_CHANNELS, CaseStatus, ContactIn, localize_errors
from ..schemas import CaseSummary
from ..security import log_views
from .case_form import date_text
from .common import (
    ReaderCall,
    WorkerCall,
    errors_by_field,
    local_today,
    now_utc,
    parse_uuid,
    redirect,
    render,
)

router = APIRouter(include_in_schema=False)

SEARCH_FIELDS = ("number", "name", "birth_date", "district", "status")
SEARCH_LIMIT = 100


@router.get("/cases", response_class=HTMLResponse)
async def find_cases(call: ReaderCall) -> HTMLResponse:
    """Search by number, name, birth date, district and status; nothing is listed until asked."""
    request, principal, session = call.request, call.principal, call.session
    values = {name: request.query_params.get(name, "").strip()[:200] for name in SEARCH_FIELDS}
    errors: dict[str, str] = {}
    birth_date = None
    if values["birth_date"]:
        try:
            birth_date = date.fromisoformat(date_text(values["birth_date"]))
        except ValueError:
            errors["birth_date"] = "Zadejte platné datum (RRRR-MM-DD nebo D. M. RRRR)."
    status = values["status"] if values["status"] in {s.value for s in CaseStatus} else None
    results = None
    if any(values.values()) and not errors:
        criteria = CaseFilter(
            number=values["number"] or None,
            name=values["name"] or None,
            birth_date=birth_date,
            district=values["district"] or None,
            status=status,
            organisation=principal.organisation,
        )
        rows = await search_cases(session, criteria, limit=SEARCH_LIMIT)
        log_views(session, principal, rows, kind="search", channel="page", at=now_utc())
        await session.commit()
        results = [CaseSummary.of(row) for row in rows]
    return render(
        request,
        "cases.html",
        422 if errors else 200,
        title="Případy",
        values=values,
        errors=errors,
        results=results,
        limit=SEARCH_LIMIT,
    )


def _contact_page(
    request: Request,
    status_code: int = 200,
    values: dict[str, str] | None = None,
    topics: list[str] | None = None,
    errors: dict[str, str] | None = None,
) -> HTMLResponse:
    if values is None:
        values = {
            "channel": CONTACT_CHANNELS.codes[0],
            "contact_date": local_today().isoformat(),
            "duration_minutes": "15",
            "case_id": request.query_params.get("case_id", ""),
        }
    return render(
        request,
        "contact_form.html",
        status_code,
        title="Nový kontakt",
        values=values,
        topics=topics or [],
        errors=errors or {},
    )


@router.get("/contacts/new", response_class=HTMLResponse)
async def new_contact(call: WorkerCall) -> HTMLResponse:
    return _contact_page(call.request)


@router.post("/contacts/new", response_model=None)
async def record_contact(call: WorkerCall) -> Response:
    values, lists = await call.form("topics")
    topics, principal = lists["topics"], call.principal
    data = {
        "channel": values.get("channel", ""),
        "contact_date": date_text(values.get("contact_date", "")),
        "topics": topics,
        "duration_minutes": values.get("duration_minutes", "").strip() or None,
        "note": values.get("note", ""),
        "worker_id": principal.user_id,
        "case_id": await _case_reference(call.session, values.get("case_id", ""), principal.organisation),
        "anonymous": bool(values.get("anonymous")),
    }
    try:
        body = ContactIn.model_validate({k: v for k, v in data.items() if v is not None})
        contact = await commands.record_contact(call.store, body, call.context)
    except ValidationError as exc:
        errors = errors_by_field(
            {**item, "field": item["field"].split(".")[0]} for item in localize_errors(exc)
        )
        return _contact_page(call.request, 422, values, topics, errors)
    except NotFoundError:
        errors = {"case_id": "Případ s tímto identifikátorem nebyl nalezen."}
        return _contact_page(call.request, 422, values, topics, errors)
    await call.commit()
    if contact.case_id is not None:
        return redirect(f"/cases/{contact.case_id}?saved=contact")
    return redirect("/desk?saved=contact")


async def _case_reference(session: AsyncSession, text: str, organisation: str) -> str | None:
    """A case given by its id or by its number (``KMB-2026-00012``), as an id; unknown numbers stay
    as typed, so validation reports them."""
    text = text.strip()
    if not text or parse_uuid(text) is not None:
        return text or None
    found = await case_id_by_number(session, text, organisation)
    return str(found) if found is not None else text
