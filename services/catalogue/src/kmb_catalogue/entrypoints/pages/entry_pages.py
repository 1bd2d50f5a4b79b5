"""Catalogue administration: a new entry and editing one (catalogue editors and administrators).

A refused form comes back with the values as sent and the Czech reason next to each field. Editing
is guarded by the version the form was read at (a hidden field): if someone else saved the entry
meanwhile, the form comes back with a clear message and the current version, so saving again is a
deliberate choice. The capacity is changed on the entry's page (it must keep the places taken).
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError

from kmb_shared.errors import ConflictError, NotFoundError

from ...application import solutions as ops
from ...domain import (
    CatalogueConflict,
    CatalogueError,
    Solution,
    SolutionCreate,
    SolutionUpdate,
    VersionConflict,
)
from ..deps import Uow, get_deps
from .catalogue_pages import NO_VERSION, form_version, not_found
from .common import EditorPage, form_lists, form_values, message_page, redirect, render
from .entry_form import (
    GENERAL,
    EntryForm,
    entry_form_values,
    new_entry_values,
    parse_entry_form,
    slot_rows,
)
from .labels import label_of

router = APIRouter(include_in_schema=False)

#: what the edit form changes: everything but the kind (fixed) and the capacity (its own form)
EDITABLE: set[str] = set(SolutionUpdate.model_fields) - {"version", "capacity"}
STALE = (
    "Záznam mezitím upravil někdo jiný, vaše změny proto nebyly uloženy. Ve formuláři zůstaly vaše "
    "hodnoty; aktuální podobu záznamu najdete na jeho stránce. Chcete-li své hodnoty přesto uložit "
    "(a přepsat tím změny druhé osoby), odešlete formulář znovu."
)


def _form_page(
    request: Request,
    values: dict[str, str],
    lists: dict[str, list[str]],
    *,
    entry: Solution | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    errors = errors or {}
    summary = [(name, label_of(name), message) for name, message in errors.items() if name != GENERAL]
    return render(
        request,
        "entry_form.html",
        status_code,
        title=f"Upravit záznam: {entry.title}" if entry else "Nový záznam katalogu",
        entry=entry,
        values=values,
        lists=lists,
        errors=errors,
        summary=summary,
        slot_rows=slot_rows(values, lists),
        label=label_of,
    )


async def _submitted(request: Request) -> tuple[dict[str, str], dict[str, list[str]], EntryForm]:
    form = await request.form()
    values, lists = form_values(form), form_lists(form)
    return values, lists, parse_entry_form(values, lists)


@router.get("/catalogue/new", response_class=HTMLResponse)
async def new_entry(request: Request, principal: EditorPage) -> HTMLResponse:
    values, lists = new_entry_values(get_deps(request).today().isoformat())
    return _form_page(request, values, lists)


@router.post("/catalogue/new", response_model=None)
async def create_entry(request: Request, principal: EditorPage, uow: Uow) -> Response:
    values, lists, form = await _submitted(request)
    try:
        command = SolutionCreate.model_validate(form.data)
    except ValidationError as exc:
        return _form_page(request, values, lists, errors=form.field_errors(exc), status_code=422)
    try:
        solution = await ops.publish_solution(uow, command, principal.actor)
    except ConflictError as exc:
        errors = {GENERAL: exc.message_cs}
        return _form_page(request, values, lists, errors=errors, status_code=409)
    return redirect(f"/catalogue/{solution.id}?saved=created")


def _withdrawn(request: Request, solution: Solution) -> HTMLResponse:
    text = "Stažený záznam už nelze upravovat. Nové řešení přidejte jako nový záznam."
    return message_page(request, 409, "Záznam je stažený", text, back=f"/catalogue/{solution.id}")


@router.get("/catalogue/{solution_id}/edit", response_class=HTMLResponse)
async def edit_entry(solution_id: UUID, request: Request, principal: EditorPage, uow: Uow) -> HTMLResponse:
    solution = await ops.find_solution(uow, solution_id)
    if solution is None:
        return not_found(request)
    if solution.withdrawn:
        return _withdrawn(request, solution)
    values, lists = entry_form_values(solution)
    values["version"] = str(solution.version)
    return _form_page(request, values, lists, entry=solution)


def _whole_entry(form: EntryForm, current: Solution) -> dict[str, Any]:
    """The edited entry as a whole: the form's fields with the kind, capacity and demo mark kept."""
    data = {**form.data, "kind": current.kind.value, "demo": current.demo}
    data.pop("capacity", None)
    if current.capacity is not None:
        data["capacity"] = current.capacity.model_dump()
    return data


@router.post("/catalogue/{solution_id}/edit", response_model=None)
async def save_entry(solution_id: UUID, request: Request, principal: EditorPage, uow: Uow) -> Response:
    current = await ops.find_solution(uow, solution_id)
    if current is None:
        return not_found(request)
    values, lists, form = await _submitted(request)

    def again(status_code: int, errors: dict[str, str], entry: Solution = current) -> HTMLResponse:
        return _form_page(request, values, lists, entry=entry, errors=errors, status_code=status_code)

    version = form_version(values)
    if version is None:
        return again(422, {GENERAL: NO_VERSION})
    try:
        checked = SolutionCreate.model_validate(_whole_entry(form, current))
        change = SolutionUpdate.model_validate({"version": version, **checked.model_dump(include=EDITABLE)})
        await ops.change_solution(uow, solution_id, change, principal.actor)
    except ValidationError as exc:
        return again(422, form.field_errors(exc))
    except VersionConflict:
        await uow.rollback()
        fresh = await ops.find_solution(uow, solution_id)
        if fresh is None:
            return not_found(request)
        values["version"] = str(fresh.version)
        return again(409, {GENERAL: STALE}, fresh)
    except CatalogueError as exc:
        return again(409 if isinstance(exc, CatalogueConflict) else 422, {GENERAL: exc.message})
    except ConflictError as exc:
        return again(409, {GENERAL: exc.message_cs})
    except NotFoundError:
        return not_found(request)
    return redirect(f"/catalogue/{solution_id}?saved=changed")
