"""Pages of the rules editor (správce pravidel): the rule sets in use and the upload form
(``/rules``), one uploaded set beside the set in force with its impact preview and activation
(``/rules/{id}``), and the preview as XLSX. Forms carry the session's CSRF token; the pages call the
same application functions as the API."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import UploadFile

from kmb_shared.auth import Principal, Role
from kmb_shared.errors import ConflictError, NotFoundError

from ...application import rulesets
from ...application.rulesets import InvalidRuleSet, problems_out
from ...domain import RuleSetError, rule_set_for
from ...domain.loading import superseded_versions
from ..deps import context_for, deps_of
from .common import message_page, page_guard, redirect, render

router = APIRouter(include_in_schema=False)

as_rules_editor = page_guard(Role.RULES_EDITOR)
#: the drafts and their impact (case numbers of every organisation): the rules editor only, as the API
as_rules_reader = page_guard(Role.RULES_EDITOR)
EditorPage = Annotated[Principal, Depends(as_rules_editor)]
RulesReaderPage = Annotated[Principal, Depends(as_rules_reader)]

FLASHES = {
    "uploaded": "Sada pravidel prošla kontrolou a je uložena jako návrh.",
    "preview": "Náhled dopadu byl spuštěn; stránka se obnovuje, dokud neskončí.",
    "activated": "Sada pravidel je aktivována. Případy, jejichž výsledek by se změnil, jsou označeny"
    " k přehodnocení u svých pracovníků; evidence se nezměnila.",
}
#: how many changed cases the page lists (the XLSX has them all)
PAGE_ITEMS = 300


async def _index(
    request: Request,
    principal: Principal,
    status_code: int = 200,
    problems: list[rulesets.ProblemOut] | None = None,
    text: str = "",
) -> HTMLResponse:
    deps = deps_of(request)
    today = deps.clock.today()
    available = await deps.rulesets.available()
    try:
        in_force = rule_set_for(today, available)
    except RuleSetError:
        in_force = None
    return render(
        request,
        "rules_index.html",
        status_code,
        title="Pravidla posouzení",
        today=today,
        available=list(reversed(available)),
        in_force=in_force,
        superseded=superseded_versions(available),
        uploads=await rulesets.uploads(deps.rulesets),
        problems=problems or [],
        text=text,
        can_edit=principal.has(Role.RULES_EDITOR),
        flash=FLASHES.get(request.query_params.get("saved", "")),
    )


@router.get("/rules", response_class=HTMLResponse)
async def rules_index(request: Request, principal: RulesReaderPage) -> HTMLResponse:
    return await _index(request, principal)


def _whole_file(code: str, message_cs: str, message_en: str) -> rulesets.ProblemOut:
    """A problem of the uploaded file as a whole."""
    return rulesets.ProblemOut(
        field="yaml", label="Celý soubor", code=code, message_cs=message_cs, message_en=message_en
    )


@router.post("/rules/upload", response_model=None)
async def rules_upload(request: Request, principal: EditorPage) -> Response:
    """Upload (a file or pasted text); on problems the page lists them all (422) and stores nothing."""
    form = await request.form()
    text = ""
    file = form.get("file")
    if isinstance(file, UploadFile) and file.filename:
        raw = await file.read()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            problem = _whole_file("encoding", "Soubor není v kódování UTF-8.", "The file is not UTF-8.")
            return await _index(request, principal, 422, [problem])
    if not text.strip():
        pasted = form.get("yaml")
        text = pasted if isinstance(pasted, str) else ""
    if not text.strip():
        problem = _whole_file(
            "missing",
            "Vyberte soubor se sadou pravidel (YAML), nebo ji vložte do textového pole.",
            "Choose a rule-set file (YAML) or paste it.",
        )
        return await _index(request, principal, 422, [problem])
    try:
        uploaded = await rulesets.upload(deps_of(request).rulesets, text, context_for(request, principal))
    except InvalidRuleSet as error:
        return await _index(request, principal, 422, problems_out(error.problems), text)
    return redirect(f"/rules/{uploaded.id}?saved=uploaded")


def _not_found(request: Request) -> HTMLResponse:
    return message_page(
        request, 404, "Sada pravidel nenalezena", "Tato nahraná sada pravidel neexistuje.", back="/rules"
    )


@router.get("/rules/{upload_id}", response_class=HTMLResponse)
async def rules_draft(upload_id: UUID, request: Request, principal: RulesReaderPage) -> HTMLResponse:
    deps = deps_of(request)
    try:
        detail = await rulesets.draft(deps.rulesets, upload_id, deps.clock.today())
        items = await rulesets.impact_items(deps.rulesets, upload_id)
    except NotFoundError:
        return _not_found(request)
    preview = detail.preview
    return render(
        request,
        "rules_draft.html",
        title=f"Sada pravidel {detail.upload.version}",
        d=detail,
        preview=preview,
        items=items[:PAGE_ITEMS] if preview is not None and preview.finished else [],
        items_total=len(items),
        page_items=PAGE_ITEMS,
        running=preview is not None and preview.status == "running",
        can_edit=principal.has(Role.RULES_EDITOR),
        flash=FLASHES.get(request.query_params.get("saved", "")),
        error=request.query_params.get("error"),
    )


async def _conflict_page(request: Request, upload_id: UUID, error: ConflictError) -> HTMLResponse:
    return message_page(request, 409, "Akci nelze provést", error.message_cs, back=f"/rules/{upload_id}")


async def _done(request: Request, upload_id: UUID, action: Awaitable[object], saved: str) -> Response:
    """Take ``action`` on an upload: back to its page saying ``saved``, or a page saying why not."""
    try:
        await action
    except NotFoundError:
        return _not_found(request)
    except ConflictError as error:
        return await _conflict_page(request, upload_id, error)
    except InvalidRuleSet as error:
        text = " ".join(problem.message_cs for problem in error.problems)
        return message_page(request, 422, "Sadu pravidel nelze aktivovat", text, back=f"/rules/{upload_id}")
    return redirect(f"/rules/{upload_id}?saved={saved}")


@router.post("/rules/{upload_id}/preview", response_model=None)
async def rules_preview(upload_id: UUID, request: Request, principal: EditorPage) -> Response:
    started = rulesets.start_preview(deps_of(request).rulesets, upload_id, context_for(request, principal))
    return await _done(request, upload_id, started, "preview")


@router.post("/rules/{upload_id}/activate", response_model=None)
async def rules_activate(upload_id: UUID, request: Request, principal: EditorPage) -> Response:
    activated = rulesets.activate(deps_of(request).rulesets, upload_id, context_for(request, principal))
    return await _done(request, upload_id, activated, "activated")


@router.get("/rules/{upload_id}/dopad.xlsx", response_model=None)
async def rules_xlsx(upload_id: UUID, request: Request, principal: RulesReaderPage) -> Response:
    try:
        name, content = await rulesets.impact_xlsx(deps_of(request).rulesets, upload_id)
    except NotFoundError:
        return _not_found(request)
    except ConflictError as error:
        return await _conflict_page(request, upload_id, error)
    return Response(
        content,
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
