"""The catalogue list with its filters, an entry's page, and the editors' forms on it: withdraw the
entry, change its capacity. The forms go through the same operations as the API."""

from __future__ import annotations

import re
from collections.abc import Awaitable
from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from kmb_shared.auth import Principal
from kmb_shared.errors import ConflictError, NotFoundError

from ...application import solutions as ops
from ...application.ports import UnitOfWork
from ...domain import CatalogueConflict, CatalogueError, Solution, SolutionFilter, SolutionKind
from ..deps import Uow, get_deps
from .common import (
    EditorPage,
    ReaderPage,
    can_edit,
    form_values,
    message_page,
    redirect,
    render,
)

router = APIRouter(include_in_schema=False)

REASON_MAX = 500
NO_VERSION = "Formulář neobsahuje verzi záznamu. Načtěte stránku znovu."


def not_found(request: Request) -> HTMLResponse:
    text = "Záznam v katalogu neexistuje. Mohl být zadán špatný odkaz."
    return message_page(request, 404, "Záznam nenalezen", text, back="/catalogue")


def form_version(values: dict[str, str]) -> int | None:
    text = values.get("version", "").strip()
    return int(text) if text.isdigit() and int(text) >= 1 else None


@router.get("/catalogue", response_class=HTMLResponse)
async def catalogue_list(
    request: Request,
    principal: ReaderPage,
    uow: Uow,
    kind: str = "",
    valid: str = "today",
    withdrawn: str = "",
) -> HTMLResponse:
    """Entries by title; by default those in force today, withdrawn ones only on request."""
    errors: dict[str, str] = {}
    kind_filter = None
    if kind:
        try:
            kind_filter = SolutionKind(kind)
        except ValueError:
            errors["kind"] = "Neznámý druh řešení; vyberte ze seznamu."
    on = get_deps(request).today()
    entries = []
    if not errors:
        where = SolutionFilter(kind_filter, None if valid == "all" else on, bool(withdrawn))
        entries = await ops.list_solutions(uow, where)
    return render(
        request,
        "catalogue.html",
        422 if errors else 200,
        title="Katalog řešení",
        entries=entries,
        values={"kind": kind, "valid": "all" if valid == "all" else "today", "withdrawn": withdrawn},
        errors=errors,
        today=on,
        can_edit=can_edit(principal),
    )


async def entry_page(
    request: Request,
    principal: Principal,
    uow: UnitOfWork,
    solution: Solution,
    status_code: int = 200,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
) -> HTMLResponse:
    return render(
        request,
        "entry.html",
        status_code,
        title=solution.title,
        entry=solution,
        held=await ops.held_places(uow, solution.id),
        in_force=solution.is_valid_on(get_deps(request).today()),
        can_edit=can_edit(principal),
        values=values or {},
        errors=errors or {},
    )


@router.get("/catalogue/{solution_id}", response_class=HTMLResponse)
async def entry_detail(solution_id: UUID, request: Request, principal: ReaderPage, uow: Uow) -> HTMLResponse:
    solution = await ops.find_solution(uow, solution_id)
    if solution is None:
        return not_found(request)
    return await entry_page(request, principal, uow, solution)


async def _refused(
    request: Request,
    principal: Principal,
    uow: UnitOfWork,
    solution_id: UUID,
    status_code: int,
    values: dict[str, str],
    errors: dict[str, str],
) -> HTMLResponse:
    """The entry's page again, with the form's values and why the change was refused."""
    await uow.rollback()
    solution = await ops.find_solution(uow, solution_id)
    if solution is None:
        return not_found(request)
    return await entry_page(request, principal, uow, solution, status_code, values, errors)


def _status(exc: CatalogueError) -> int:
    return 409 if isinstance(exc, CatalogueConflict) else 422


async def _changed(
    request: Request,
    principal: Principal,
    uow: UnitOfWork,
    solution_id: UUID,
    values: dict[str, str],
    change: Awaitable[object],
    field: str,
    saved: str,
) -> Response:
    """Make ``change``: back to the entry's page saying ``saved``, or the page again with why it was
    refused at the form's ``field``."""
    try:
        await change
    except NotFoundError:
        return not_found(request)
    except CatalogueError as exc:
        errors = {field: exc.message}
        return await _refused(request, principal, uow, solution_id, _status(exc), values, errors)
    except ConflictError as exc:
        errors = {field: exc.message_cs}
        return await _refused(request, principal, uow, solution_id, 409, values, errors)
    return redirect(f"/catalogue/{solution_id}?saved={saved}")


@router.post("/catalogue/{solution_id}/withdraw", response_model=None)
async def withdraw_entry(solution_id: UUID, request: Request, principal: EditorPage, uow: Uow) -> Response:
    values = form_values(await request.form())
    reason = values.get("reason", "").strip()
    version = form_version(values)
    errors: dict[str, str] = {}
    if not values.get("confirm"):
        errors["confirm"] = "Potvrďte, že chcete záznam stáhnout."
    if len(reason) > REASON_MAX:
        errors["reason"] = f"Důvod je příliš dlouhý (nejvýše {REASON_MAX} znaků)."
    if version is None:
        errors["withdraw"] = NO_VERSION
    if errors or version is None:
        return await _refused(request, principal, uow, solution_id, 422, values, errors)
    change = ops.withdraw(uow, solution_id, version, principal.actor, reason or None)
    return await _changed(request, principal, uow, solution_id, values, change, "withdraw", "withdrawn")


@router.post("/catalogue/{solution_id}/capacity", response_model=None)
async def change_capacity(solution_id: UUID, request: Request, principal: EditorPage, uow: Uow) -> Response:
    values = form_values(await request.form())
    text = re.sub(r"[\s\u00a0]", "", values.get("total", ""))
    if not text.isdigit():
        errors = {"total": "Zadejte celé číslo, 0 nebo větší."}
        return await _refused(request, principal, uow, solution_id, 422, values, errors)
    # no version check: the new total keeps whatever is taken at that moment, so places taken
    # meanwhile (which raise the version) need not send the editor back
    change = ops.resize(uow, solution_id, int(text), principal.actor)
    return await _changed(request, principal, uow, solution_id, values, change, "total", "capacity")
