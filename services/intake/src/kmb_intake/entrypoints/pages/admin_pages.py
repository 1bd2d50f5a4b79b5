"""Administration (accounts, API tokens) and the auditors' log of views of personal data."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError
from sqlmodel.ext.asyncio.session import AsyncSession

from kmb_shared.auth import Principal, Role
from kmb_shared.errors import ConflictError, NotFoundError
from kmb_shared.service import SessionDep

from ...application.accounts import (
    TokenRightsExceeded,
    UsernameTaken,
    change_password,
    change_roles,
    create_user,
    revoke_token,
    set_active,
    token_status,
    ungrantable,
)
from ...application.ports import AccountStore
from ...application.queries import all_users, find_views, one_user, tokens_issued, user_names
from ...domain.accounts import PasswordIn, RolesIn, TokenIn, UserIn, role_choices
from ..api.accounts_api import UserOut, ViewOut
from ..deps import Accounts, issue_token_as
from ..errors import localize_request_errors
from .common import (
    as_admin,
    as_auditor,
    errors_by_field,
    form_list,
    form_values,
    now_utc,
    parse_uuid,
    redirect,
    render,
)

router = APIRouter(include_in_schema=False)

VIEW_LIMIT = 500
#: a token's status as the list of tokens says it
TOKEN_STATUS = {"active": "platný", "revoked": "odvolaný", "expired": "vypršel"}
TOKEN_ID = re.compile(r"^[0-9a-f]{32}$")
CASE_NUMBER = re.compile(r"^KMB-\d{4}-\d{5}$")


@dataclass(frozen=True)
class AdminRequest:
    """A signed-in administrator's request (the guard checked the role and, for a form, its CSRF
    token), with the request's session and the account store in it."""

    request: Request
    principal: Principal
    session: AsyncSession
    accounts: AccountStore


def _admin_request(
    request: Request,
    principal: Annotated[Principal, Depends(as_admin)],
    accounts: Accounts,
    session: AsyncSession = SessionDep,
) -> AdminRequest:
    return AdminRequest(request, principal, session, accounts)


Admin = Annotated[AdminRequest, Depends(_admin_request)]


async def _users_page(
    request: Request,
    session: AsyncSession,
    status_code: int = 200,
    **context: object,
) -> HTMLResponse:
    context.setdefault("values", {"organisation": "kmb"})
    context.setdefault("roles", [])
    context.setdefault("errors", {})
    context.setdefault("token_values", {})
    context.setdefault("token_errors", {})
    now = now_utc()
    tokens = await tokens_issued(session)
    issuers = await user_names(session, (row.issued_by for row in tokens))
    return render(
        request,
        "users.html",
        status_code,
        title="Uživatelé",
        users=[UserOut.of(row) for row in await all_users(session)],
        tokens=[
            {
                "row": row,
                "status": TOKEN_STATUS.get(token_status(row, now), TOKEN_STATUS["revoked"]),
                "active": token_status(row, now) == "active",
                "issuer": issuers.get(row.issued_by, "jiný správce" if row.issued_by else "mimo KMB"),
            }
            for row in tokens
        ],
        role_choices=role_choices(),
        token_role_choices=[
            (code, text)
            for code, text in role_choices()
            if code != Role.ADMIN and not ungrantable(request.state.principal.roles, (code,))
        ],
        **context,
    )


@router.get("/admin/users", response_class=HTMLResponse)
async def users(admin: Admin) -> HTMLResponse:
    saved = SAVED.get(admin.request.query_params.get("saved", ""), "")
    return await _users_page(admin.request, admin.session, saved=saved)


def _errors(exc: ValidationError) -> dict[str, str]:
    return errors_by_field(localize_request_errors(list(exc.errors())))  # type: ignore[arg-type]


@router.post("/admin/users", response_model=None)
async def add_user(admin: Admin) -> Response:
    request, session = admin.request, admin.session
    form = await request.form()
    values, roles = form_values(form), form_list(form, "roles")
    data = {name: values.get(name, "") for name in ("username", "name", "password", "organisation")}
    data["organisation"] = data["organisation"].strip() or "kmb"
    shown = {k: v for k, v in data.items() if k != "password"}  # a password is never sent back
    try:
        body = UserIn.model_validate({**data, "roles": roles})
        await create_user(admin.accounts, body, by=admin.principal.user_id, now=now_utc())
    except ValidationError as exc:
        return await _users_page(request, session, 422, values=shown, roles=roles, errors=_errors(exc))
    except UsernameTaken as exc:
        await session.rollback()
        errors = {"username": exc.message_cs}
        return await _users_page(request, session, 409, values=shown, roles=roles, errors=errors)
    await session.commit()
    return redirect("/admin/users?saved=user")


async def _set_active(admin: AdminRequest, user_id: str, active: bool) -> Response:
    request, session = admin.request, admin.session
    try:
        await set_active(admin.accounts, user_id, active, by=admin.principal.user_id, now=now_utc())
    except (ConflictError, NotFoundError) as exc:
        await session.rollback()
        text = exc.message_cs if isinstance(exc, ConflictError) else "Uživatel nebyl nalezen."
        return await _users_page(request, session, 409 if isinstance(exc, ConflictError) else 404, alert=text)
    await session.commit()
    return redirect(f"/admin/users?saved={'activated' if active else 'deactivated'}")


@router.post("/admin/users/{user_id}/deactivate", response_model=None)
async def deactivate(user_id: str, admin: Admin) -> Response:
    return await _set_active(admin, user_id, False)


@router.post("/admin/users/{user_id}/activate", response_model=None)
async def activate(user_id: str, admin: Admin) -> Response:
    return await _set_active(admin, user_id, True)


#: what the users page says after a change (``?saved=…``)
SAVED = {
    "user": "Uživatel byl založen.",
    "activated": "Uživatel byl znovu aktivován.",
    "deactivated": "Uživatel byl deaktivován; všechna jeho přihlášení a tokeny skončily na všech službách.",
    "roles": "Role byly uloženy. Uživatel se musí znovu přihlásit; dosavadní přihlášení skončila.",
    "password": "Heslo bylo změněno. Všechna dosavadní přihlášení a tokeny uživatele skončily.",
    "token_revoked": "Token byl odvolán; služby jej odmítnou během několika sekund.",
}


async def _user_page(
    request: Request, session: AsyncSession, user_id: str, status_code: int = 200, **context: object
) -> HTMLResponse:
    row = await one_user(session, user_id)
    if row is None:
        return await _users_page(request, session, 404, alert="Uživatel nebyl nalezen.")
    user = UserOut.of(row)
    context.setdefault("roles", list(user.roles))
    context.setdefault("errors", {})
    return render(
        request,
        "user.html",
        status_code,
        title=f"Uživatel {user.name}",
        user=user,
        role_choices=role_choices(),
        **context,
    )


@router.get("/admin/users/{user_id}", response_class=HTMLResponse)
async def user_page(user_id: str, admin: Admin) -> HTMLResponse:
    """One account: change its roles or set a new password (both end its sessions and tokens)."""
    return await _user_page(admin.request, admin.session, user_id)


async def _save_account(
    admin: AdminRequest,
    user_id: str,
    change: Callable[[], Awaitable[object]],
    saved: str,
    **shown: object,
) -> Response:
    """Validate and apply a change of one account: the account's page again with the errors (422, the
    values ``shown`` kept) or, for an unknown account, with its own answer; else saved."""
    request, session = admin.request, admin.session
    try:
        await change()
    except ValidationError as exc:
        return await _user_page(request, session, user_id, 422, errors=_errors(exc), **shown)
    except NotFoundError:
        await session.rollback()
        return await _user_page(request, session, user_id)
    await session.commit()
    return redirect(f"/admin/users?saved={saved}")


@router.post("/admin/users/{user_id}/roles", response_model=None)
async def save_roles(user_id: str, admin: Admin) -> Response:
    roles = form_list(await admin.request.form(), "roles")

    async def change() -> None:
        body = RolesIn.model_validate({"roles": roles})
        await change_roles(admin.accounts, user_id, body.roles, by=admin.principal.user_id, now=now_utc())

    return await _save_account(admin, user_id, change, "roles", roles=roles)


@router.post("/admin/users/{user_id}/password", response_model=None)
async def save_password(user_id: str, admin: Admin) -> Response:
    values = form_values(await admin.request.form())
    password, again = values.get("password", ""), values.get("password_again", "")
    if password != again:
        errors = {"password_again": "Hesla se neshodují; zadejte nové heslo dvakrát stejně."}
        return await _user_page(admin.request, admin.session, user_id, 422, errors=errors)

    async def change() -> None:
        body = PasswordIn.model_validate({"password": password})
        await change_password(
            admin.accounts, user_id, body.password, by=admin.principal.user_id, now=now_utc()
        )

    return await _save_account(admin, user_id, change, "password")


@router.post("/admin/tokens", response_class=HTMLResponse)
async def add_token(admin: Admin) -> HTMLResponse:
    """Issue an API token for an organisation; it is shown once, on the page that answers."""
    request, session, principal = admin.request, admin.session, admin.principal
    form = await request.form()
    values, roles = form_values(form), form_list(form, "token_roles")
    shown = {"token_organisation": values.get("token_organisation", "").strip()}
    try:
        body = TokenIn.model_validate({"organisation": shown["token_organisation"], "roles": roles})
    except ValidationError as exc:
        errors = {f"token_{name}": text for name, text in _errors(exc).items()}
        return await _users_page(
            request, session, 422, token_values=shown, token_roles=roles, token_errors=errors
        )
    try:
        issued = await issue_token_as(request, session, body, principal)
    except TokenRightsExceeded as exc:
        errors = {"token_roles": exc.message_cs}
        return await _users_page(
            request, session, 403, token_values=shown, token_roles=roles, token_errors=errors
        )
    await session.commit()
    return await _users_page(request, session, issued=issued, issued_roles=list(body.roles))


@router.post("/admin/tokens/{token_id}/revoke", response_model=None)
async def revoke(token_id: str, admin: Admin) -> Response:
    """Revoke an API token: every service refuses it within seconds."""
    if not TOKEN_ID.match(token_id):
        return await _users_page(admin.request, admin.session, 404, alert="Token nebyl nalezen.")
    await revoke_token(admin.accounts, token_id, now=now_utc())
    await admin.session.commit()
    return redirect("/admin/users?saved=token_revoked")


@router.get("/audit/views", response_class=HTMLResponse)
async def views(
    request: Request,
    principal: Annotated[Principal, Depends(as_auditor)],
    session: AsyncSession = SessionDep,
) -> HTMLResponse:
    """The log of views of personal data, optionally of one case or one user."""
    values = {name: request.query_params.get(name, "").strip()[:100] for name in ("case_id", "user")}
    errors: dict[str, str] = {}
    reference = values["case_id"]
    case_id = parse_uuid(reference) if reference else None
    number = reference.upper() if reference and case_id is None else None
    if number is not None and not CASE_NUMBER.match(number):
        errors["case_id"] = "Zadejte číslo případu (KMB-RRRR-NNNNN) nebo jeho identifikátor."
    rows = await find_views(
        session,
        organisation=principal.organisation,
        case_id=case_id,
        case_number=number,
        user_id=values["user"] or None,
        limit=VIEW_LIMIT,
    )
    return render(
        request,
        "views.html",
        422 if errors else 200,
        title="Nahlížení do osobních údajů",
        values=values,
        errors=errors,
        rows=[] if errors else [ViewOut.of(row) for row in rows],
        limit=VIEW_LIMIT,
    )
