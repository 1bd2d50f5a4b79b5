"""Intake's commands on cases and contacts. Each one checks the request against the current state with
the domain, changes the state through the :class:`~.ports.CaseStore` and stages its event there; the
caller commits once, so the change and the outbox row are one transaction (and a refused command
leaves nothing behind)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

from kmb_shared.clock import prague_date
from kmb_shared.contracts import (
    Actor,
    CaseClosed,
    CaseOpened,
    CaseReopened,
    ContactRecorded,
    HouseholdChanged,
)
from kmb_shared.errors import ConflictError, NotFoundError

from ..adapters.search import search_key
from ..adapters.tables import CaseHistoryRow, CaseRow, ContactRow
from ..domain import (
    CaseDataIn,
    CaseIn,
    CaseLifecycle,
    CaseStatus,
    CloseCaseIn,
    ContactIn,
    DomainError,
    HouseholdChangeIn,
    InvalidTransition,
    to_household_snapshot,
)
from ..domain.erasure import has_erasure
from .ports import CaseStore

#: the fields of the household (incl. consent or legal basis) kept in the case's JSON column
HOUSEHOLD_FIELDS = frozenset(CaseDataIn.model_fields)


@dataclass(frozen=True)
class CommandContext:
    """Who acts, when, and which request caused it (recorded on every event)."""

    actor: Actor
    now: datetime
    caused_by: str | None = None

    @property
    def today(self) -> date:
        """Today in Prague: it decides age bands, the closing date and the case-number year."""
        return prague_date(self.now)

    def stamp(self) -> dict[str, Any]:
        """The fields every event gets from the command: actor, time and cause."""
        return {
            "actor": self.actor,
            "occurred_at": self.now,
            "caused_by": self.caused_by,
        }


class CaseChangedMeanwhile(ConflictError):
    """The case changed after the worker (or a concurrent request) read it: HTTP 409."""

    def __init__(self) -> None:
        super().__init__(
            "case_changed_meanwhile",
            "Případ mezitím změnil někdo jiný. Načtěte jej znovu a změnu zopakujte.",
            "Someone else changed the case in the meantime. Reload it and repeat the change.",
        )


def _conflict(error: DomainError) -> ConflictError:
    return ConflictError(error.code, error.message_cs, error.message_en)


def household_json(data: CaseDataIn) -> str:
    return json.dumps(data.model_dump(mode="json", include=set(HOUSEHOLD_FIELDS)), ensure_ascii=False)


def _household_columns(data: CaseDataIn) -> dict[str, Any]:
    district = data.address.district
    return {
        "household": household_json(data),
        "district": district,
        "district_key": search_key(district)[:100] if district else None,
        "orp_code": data.address.orp_code,
    }


def _history(case: CaseRow, version: int, kind: str, ctx: CommandContext, note: str | None) -> CaseHistoryRow:
    return CaseHistoryRow(
        case_id=case.id,
        version=version,
        kind=kind,
        at=ctx.now,
        by=ctx.actor.user_id,
        organisation=ctx.actor.organisation,
        note=note,
    )


async def load_case(store: CaseStore, case_id: UUID, organisation: str | None = None) -> CaseRow:
    """The case; not found also when it belongs to another organisation than ``organisation``."""
    case = await store.case(case_id)
    if case is None or (organisation is not None and case.organisation != organisation):
        raise NotFoundError("Případ", "Case")
    return case


async def open_case(store: CaseStore, body: CaseIn, ctx: CommandContext) -> CaseRow:
    """Open a case: a new number, the household with its personal data, and ``CaseOpened`` with the
    de-identified snapshot."""
    if body.contact_id is not None:
        contact = await store.contact(body.contact_id)
        if contact is None or contact.organisation != ctx.actor.organisation:
            raise NotFoundError("Kontakt", "Contact")
    number = await store.next_case_number(ctx.today.year)
    case = CaseRow(
        number=number,
        status=CaseStatus.OPEN.value,
        worker_id=ctx.actor.user_id,
        organisation=ctx.actor.organisation,
        contact_id=body.contact_id,
        opened_at=ctx.now,
        **_household_columns(body),
    )
    store.add(case)
    await store.flush()  # the case row first: the index and history rows refer to it
    await store.index_members(case.id, body.members)
    store.add(_history(case, 1, "opened", ctx, None))
    store.stage(
        CaseOpened(
            case_id=case.id,
            case_number=number,
            household=to_household_snapshot(body, ctx.today),
            contact_id=body.contact_id,
            **ctx.stamp(),
        ),
    )
    return case


async def _change(
    store: CaseStore,
    case: CaseRow,
    expected_version: int | None,
    values: dict[str, Any],
    ctx: CommandContext,
) -> int:
    """Write ``values`` if the case is still at the version the caller saw; returns the new version."""
    if expected_version is not None and expected_version != case.version:
        raise CaseChangedMeanwhile()
    new_version = case.version + 1
    stamped = {**values, "updated_at": ctx.now, "updated_by": ctx.actor.user_id}
    if not await store.update_case(case, stamped):
        raise CaseChangedMeanwhile()
    return new_version


async def change_household(
    store: CaseStore,
    case_id: UUID,
    body: HouseholdChangeIn,
    ctx: CommandContext,
    *,
    expected_version: int | None = None,
) -> CaseRow:
    """Replace the household of an open case; ``HouseholdChanged`` carries the new snapshot."""
    case = await load_case(store, case_id, ctx.actor.organisation)
    if case.status != CaseStatus.OPEN:
        raise _conflict(InvalidTransition("case_already_closed"))
    version = await _change(store, case, expected_version, _household_columns(body), ctx)
    await store.index_members(case.id, body.members, replace=True)
    store.add(_history(case, version, "household_changed", ctx, body.note))
    store.stage(
        HouseholdChanged(
            case_id=case.id,
            case_number=case.number,
            household=to_household_snapshot(body, ctx.today),
            **ctx.stamp(),
        ),
    )
    return case


def _lifecycle(case: CaseRow) -> CaseLifecycle:
    return CaseLifecycle(
        status=CaseStatus(case.status),
        close_reason=case.close_reason,
        closed_on=case.closed_on,
        reopen_count=case.reopen_count,
    )


def _lifecycle_columns(state: CaseLifecycle) -> dict[str, Any]:
    return {
        "status": state.status.value,
        "close_reason": state.close_reason,
        "closed_on": state.closed_on,
        "reopen_count": state.reopen_count,
    }


async def close_case(
    store: CaseStore,
    case_id: UUID,
    body: CloseCaseIn,
    ctx: CommandContext,
    *,
    expected_version: int | None = None,
) -> CaseRow:
    """Close an open case with a reason (409 when it is closed already)."""
    case = await load_case(store, case_id, ctx.actor.organisation)
    try:
        closed = _lifecycle(case).close(body.reason, ctx.today)
    except InvalidTransition as error:
        raise _conflict(error) from error
    values = {**_lifecycle_columns(closed), "close_note": body.note}
    version = await _change(store, case, expected_version, values, ctx)
    store.add(_history(case, version, "closed", ctx, body.note))
    store.stage(CaseClosed(case_id=case.id, case_number=case.number, reason=body.reason, **ctx.stamp()))
    return case


async def reopen_case(
    store: CaseStore,
    case_id: UUID,
    ctx: CommandContext,
    *,
    expected_version: int | None = None,
) -> CaseRow:
    """Open a closed case again (409 when it is open, or when its personal data were erased)."""
    case = await load_case(store, case_id, ctx.actor.organisation)
    if case.erased_at is not None or has_erasure(case.household):
        raise ConflictError(
            "case_erased",
            "Údaje případu nebo člena domácnosti byly vymazány; případ nelze znovu otevřít. Založte nový.",
            "Personal data of the case or a member were erased; it cannot be reopened. Open a new case.",
        )
    try:
        reopened = _lifecycle(case).reopen()
    except InvalidTransition as error:
        raise _conflict(error) from error
    values = {**_lifecycle_columns(reopened), "close_note": None}
    version = await _change(store, case, expected_version, values, ctx)
    store.add(_history(case, version, "reopened", ctx, None))
    store.stage(CaseReopened(case_id=case.id, case_number=case.number, **ctx.stamp()))
    return case


async def record_contact(store: CaseStore, body: ContactIn, ctx: CommandContext) -> ContactRow:
    """Record a contact (anonymous ones too); a linked case must exist. ``ContactRecorded`` leaves
    the free-text note out."""
    if body.case_id is not None:
        await load_case(store, body.case_id, ctx.actor.organisation)
    contact = ContactRow(
        channel=body.channel,
        contact_date=body.contact_date,
        topics=json.dumps(list(body.topics)),
        duration_minutes=body.duration_minutes,
        note=body.note,
        worker_id=body.worker_id,
        case_id=body.case_id,
        anonymous=body.anonymous,
        recorded_at=ctx.now,
        recorded_by=ctx.actor.user_id,
        organisation=ctx.actor.organisation,
    )
    store.add(contact)
    store.stage(
        ContactRecorded(
            contact_id=contact.id,
            case_id=body.case_id,
            channel=body.channel,
            contact_date=body.contact_date,
            topics=body.topics,
            duration_minutes=body.duration_minutes,
            anonymous=body.anonymous,
            **ctx.stamp(),
        ),
    )
    return contact
