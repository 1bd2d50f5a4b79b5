"""Idempotency keys: a client that got no answer may send the same request again and nothing happens
twice (``Idempotency-Key`` header, as in the IETF httpapi draft of that name).

The first request with a key records the key in the same transaction as its effect (the use case's
commit), so either both are stored or neither; its answer is stored next. A repeat of the same request
(same caller, route and body) gets the stored answer again, marked ``Idempotent-Replayed: true``; the
same key with another body is refused (422 ``idempotency_key_reused``); a repeat that arrives while the
first is still being handled — or after the first stored its effect but not yet its answer — gets 409
``idempotency_in_progress`` and may look the result up. Keys are per caller (user and organisation)
and route, and are forgotten after :data:`KEEP_HOURS` hours.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any, TypeVar

import sqlalchemy as sa
from fastapi import Header, HTTPException, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import IntegrityError
from sqlmodel import Field, SQLModel, col, delete
from sqlmodel.ext.asyncio.session import AsyncSession

from kmb_shared.auth import Principal

T = TypeVar("T")

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
#: how long a key is remembered (a client retries within minutes; a day covers a night's outage)
KEEP_HOURS = 24
#: visible ASCII, at most 200 characters (a UUID is what clients usually send)
KEY_PATTERN = r"^[\x21-\x7e]{1,200}$"

IdempotencyKey = Annotated[
    str | None,
    Header(
        alias=HEADER,
        pattern=KEY_PATTERN,
        description="Any unique string (a UUID): sending the same request again with the same key "
        f"does not repeat its effect but answers as the first time did (kept {KEEP_HOURS} h)",
    ),
]


class IdempotencyRecord(SQLModel, table=True):
    """A request that came with an idempotency key, and (once it is known) its answer."""

    __tablename__ = "kmb_idempotency"

    scope: str = Field(primary_key=True, max_length=64, description="SHA-256 of caller and route")
    key: str = Field(primary_key=True, max_length=200)
    fingerprint: str = Field(max_length=64, description="SHA-256 of the request's method, path and body")
    status_code: int | None = Field(default=None)
    body: str | None = Field(default=None, sa_column=sa.Column(sa.Text, nullable=True))
    created_at: datetime = Field(sa_column=sa.Column(sa.DateTime(timezone=True), nullable=False, index=True))


def create_idempotency_table(op: object) -> None:
    """Create the table from an Alembic migration (``op`` is alembic.op), from the model above."""
    table: sa.Table = IdempotencyRecord.__table__  # type: ignore[attr-defined]
    table.create(op.get_bind(), checkfirst=True)  # type: ignore[attr-defined]


def _digest(*parts: str | bytes) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode() if isinstance(part, str) else part)
        h.update(b"\x00")
    return h.hexdigest()


def _scope(request: Request, principal: Principal) -> str:
    route = getattr(request.scope.get("route"), "path", request.url.path)
    return _digest(principal.user_id, principal.organisation, request.method, route)


async def _fingerprint(request: Request) -> str:
    raw = await request.body()
    try:  # the same JSON written with other spacing or key order is the same request
        canonical: bytes = json.dumps(json.loads(raw), sort_keys=True, separators=(",", ":")).encode()
    except ValueError:
        canonical = raw
    return _digest(request.method, request.url.path, canonical)


def _error(status: int, code: str, cs: str, en: str) -> HTTPException:
    return HTTPException(status_code=status, detail={"code": code, "message_cs": cs, "message_en": en})


async def replayed_answer(
    session: AsyncSession, request: Request, principal: Principal, key: str
) -> JSONResponse | None:
    """The stored answer to this request, if it was made before with ``key``; else None, and the key is
    staged in ``session`` to be committed with the request's effect."""
    scope, fingerprint = _scope(request, principal), await _fingerprint(request)
    found = await session.get(IdempotencyRecord, (scope, key))
    if found is None:
        now = datetime.now(UTC)
        await session.exec(
            delete(IdempotencyRecord).where(
                col(IdempotencyRecord.created_at) < now - timedelta(hours=KEEP_HOURS)
            )
        )
        session.add(IdempotencyRecord(scope=scope, key=key, fingerprint=fingerprint, created_at=now))
        try:
            await session.flush()
        except IntegrityError:  # the same key at the same moment: the other request goes on
            await session.rollback()
            raise _in_progress() from None
        return None
    if found.fingerprint != fingerprint:
        raise RequestValidationError(
            [
                {
                    "type": "idempotency_key_reused",
                    "loc": ("header", HEADER),
                    "msg": "This key was already used for a different request.",
                    "input": key,
                    "ctx": {
                        "cs": "Tento klíč už byl použit pro jiný požadavek; pro nový požadavek zvolte nový klíč.",
                        "en": "This key was already used for a different request; use a new key for a new request.",
                    },
                }
            ]
        )
    if found.status_code is None or found.body is None:
        raise _in_progress()
    stored = json.loads(found.body)
    headers = {**stored["headers"], REPLAYED_HEADER: "true"}
    return JSONResponse(stored["content"], status_code=found.status_code, headers=headers)


def _in_progress() -> HTTPException:
    return _error(
        409,
        "idempotency_in_progress",
        "Požadavek s tímto klíčem už byl přijat a ještě nemá odpověď; ověřte výsledek, než to zkusíte znovu.",
        "A request with this key was received and has no answer yet; check the result before retrying.",
    )


async def remember_answer(
    session: AsyncSession,
    request: Request,
    principal: Principal,
    key: str,
    status_code: int,
    content: Any,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    """Store the answer to the request made with ``key`` (its own commit) and return it."""
    body = jsonable_encoder(content)
    found = await session.get(IdempotencyRecord, (_scope(request, principal), key))
    if found is not None:
        found.status_code = status_code
        found.body = json.dumps({"content": body, "headers": headers or {}}, ensure_ascii=False)
        session.add(found)
        await session.commit()
    return JSONResponse(body, status_code=status_code, headers=headers)


async def answer_once(
    session: AsyncSession,
    request: Request,
    principal: Principal,
    key: str | None,
    status_code: int,
    run: Callable[[], Awaitable[T]],
    headers: Callable[[T], dict[str, str]] | None = None,
) -> T | JSONResponse:
    """Run the request's use case (``run``, which commits ``session``) once per key: without a key as
    usual; with one, the stored answer of an earlier run, or this run's answer stored for the next."""
    if key is None:
        return await run()
    earlier = await replayed_answer(session, request, principal, key)
    if earlier is not None:
        return earlier
    content = await run()
    return await remember_answer(
        session, request, principal, key, status_code, content, headers(content) if headers else None
    )
