"""Applications of a case (issue 12): open one of a kind pre-filled from the case, correct its values
(the case itself stays as it is), print it as a new version (final only when nothing required is
missing; otherwise a draft marked KONCEPT), record its submission and the office's answer (each an
event without personal data: ApplicationSubmitted, ApplicationDecided) and attach the signed copy.

The commands work in the caller's session on a case already loaded for the caller's organisation; the
caller commits. Rendering the PDF is the caller's (entrypoints): :func:`record_print` stores it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, TypeVar
from uuid import UUID

from sqlmodel.ext.asyncio.session import AsyncSession

from kmb_shared.contracts import ApplicationDecided, ApplicationSubmitted
from kmb_shared.contracts.vocabulary import APPLICATION_OUTCOMES
from kmb_shared.errors import ConflictError, NotFoundError
from kmb_shared.formatting import format_date

from ..adapters.applications import (
    ApplicationRow,
    ApplicationVersionRow,
    applications_of,
    due_answers,
    version_of,
    versions_of,
)
from ..adapters.casework import DocumentRow, documents_of
from ..adapters.tables import CaseRow
from ..domain.applications import (
    CHANNELS,
    STATES,
    ApplicationKind,
    ChecklistItem,
    FieldProblem,
    check_values,
    checklist,
    missing,
    outcome_label,
    prefill,
)
from .cases import CommandContext
from .casework import Refused, attach_document
from .ports import CaseStore

__all__ = [
    "ApplicationRow",
    "ApplicationVersionRow",
    "ApplicationView",
    "application_lines",
    "applications_of",
    "attach_signed",
    "decide",
    "due_answers",
    "open_application",
    "record_print",
    "save_values",
    "submit",
    "view",
]

SIGNED = "signed_application"
T = TypeVar("T")


def values_of(application: ApplicationRow | ApplicationVersionRow) -> dict[str, str]:
    data = json.loads(application.values)
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def _found(value: T | None, what_cs: str, what_en: str) -> T:
    """``value``, or not found (404) naming what is missing."""
    if value is None:
        raise NotFoundError(what_cs, what_en)
    return value


def kind_of(kinds: Mapping[str, ApplicationKind], application: ApplicationRow) -> ApplicationKind:
    return _found(kinds.get(application.kind), "Druh žádosti", "Application kind")


async def open_application(
    session: AsyncSession,
    case: CaseRow,
    kind: ApplicationKind,
    household: Mapping[str, Any],
    assessment: Mapping[str, Any] | None,
    ctx: CommandContext,
) -> ApplicationRow:
    """A new application of ``kind``, its fields pre-filled from the case's household and, where it could
    be read, its latest assessment."""
    application = ApplicationRow(
        case_id=case.id,
        organisation=case.organisation,
        kind=kind.code,
        group=kind.group,
        title=kind.title,
        values=json.dumps(prefill(kind, household, assessment, ctx.today), ensure_ascii=False),
        created_by=ctx.actor.user_id,
        created_at=ctx.now,
        updated_at=ctx.now,
    )
    session.add(application)
    await session.flush()
    return application


async def application_of(session: AsyncSession, case: CaseRow, application_id: UUID) -> ApplicationRow:
    application = await session.get(ApplicationRow, application_id)
    mine = application if application is not None and application.case_id == case.id else None
    return _found(mine, "Žádost", "Application")


def state_text(application: ApplicationRow) -> str:
    """Where it stands, in Czech: "podaná, čeká na odpověď", "vyřízená (vyhověno)"."""
    text = STATES.get(application.state, "")
    return f"{text} ({outcome_label(application.outcome)})" if application.outcome else text


async def application_lines(
    session: AsyncSession, case_id: UUID, *, in_progress: bool
) -> list[tuple[str, str, str]]:
    """(title, state, answer due) of the case's applications, the latest first, for the personal plan
    (``in_progress``: not yet answered) and the case summary (all)."""
    return [
        (a.title, state_text(a), format_date(a.answer_due) if a.answer_due else "")
        for a in await applications_of(session, case_id)
        if not (in_progress and a.state == "decided")
    ]


@dataclass(frozen=True)
class ApplicationView:
    application: ApplicationRow
    kind: ApplicationKind
    values: dict[str, str]
    missing: list[FieldProblem]
    checklist: list[ChecklistItem]
    versions: Sequence[ApplicationVersionRow]

    @property
    def final_printed(self) -> bool:
        return any(v.final for v in self.versions)


def _documents(rows: Sequence[DocumentRow]) -> list[tuple[str | None, str]]:
    return [(d.category, d.filename) for d in rows if d.deleted_at is None]


async def view(
    session: AsyncSession, case: CaseRow, application: ApplicationRow, kind: ApplicationKind
) -> ApplicationView:
    values = values_of(application)
    documents = _documents(await documents_of(session, case.id))
    return ApplicationView(
        application,
        kind,
        values,
        missing(kind, values),
        checklist(kind, documents),
        await versions_of(session, application.id),
    )


def _editable(application: ApplicationRow) -> None:
    if application.state == "submitted":
        raise ConflictError(
            "application_submitted",
            "Žádost je podaná; dokud úřad neodpoví, nelze ji měnit.",
            "The application has been submitted; it cannot change until the office answers.",
        )
    if not editable(application.state, application.outcome):
        raise ConflictError(
            "application_decided",
            "Žádost je vyřízená; změnit a znovu vytisknout ji lze, jen když ji úřad vrátil k doplnění.",
            "The application has been decided; it changes only when the office returned it for completion.",
        )


def editable(state: str, outcome: str | None) -> bool:
    """A draft, or an application the office returned for completion, may be corrected and printed;
    a submitted one waits for the answer, a granted or refused one is done."""
    return state == "draft" or (state == "decided" and outcome == "returned")


async def save_values(
    session: AsyncSession,
    application: ApplicationRow,
    kind: ApplicationKind,
    form: Mapping[str, str],
    ctx: CommandContext,
) -> list[FieldProblem]:
    """Keep the worker's values of the kind's fields (only the application's: the case is not changed).
    Values that are not of their field's type are refused and nothing is kept."""
    _editable(application)
    values, problems = check_values(kind, form)
    if problems:
        return problems
    application.values = json.dumps(values, ensure_ascii=False)
    application.updated_at = ctx.now
    session.add(application)
    await session.flush()
    return []


class MissingValues(Refused):
    def __init__(self, problems: Sequence[FieldProblem]) -> None:
        names = ", ".join(p.label for p in problems)
        super().__init__(
            422,
            "application_incomplete",
            f"Žádost nelze vytisknout jako konečnou, chybí: {names}. Vytiskněte koncept, nebo údaje doplňte.",
            "The application cannot be printed as final: required values are missing.",
        )
        self.problems = list(problems)


async def record_print(
    session: AsyncSession,
    application: ApplicationRow,
    kind: ApplicationKind,
    *,
    final: bool,
    pdf: bytes,
    ctx: CommandContext,
) -> ApplicationVersionRow:
    """A new version of the application with the values it printed (final refused while anything
    required is missing)."""
    values = values_of(application)
    problems = missing(kind, values)
    if final and problems:
        raise MissingValues(problems)
    application.versions += 1
    application.updated_at = ctx.now
    version = ApplicationVersionRow(
        application_id=application.id,
        number=application.versions,
        final=final,
        values=application.values,
        printed_by=ctx.actor.user_id,
        printed_at=ctx.now,
        sha256=hashlib.sha256(pdf).hexdigest(),
        pdf=pdf,
    )
    session.add(application)
    session.add(version)
    await session.flush()
    return version


async def printed(session: AsyncSession, application: ApplicationRow, number: int) -> ApplicationVersionRow:
    return _found(await version_of(session, application.id, number), "Verze žádosti", "Application version")


@dataclass(frozen=True)
class Submission:
    submitted_on: date
    submitted_to: str
    channel: str
    answer_due: date | None


@dataclass(frozen=True)
class Decision:
    outcome: str
    decided_on: date
    note: str


def _refuse(code: str, cs: str, en: str, field: str = "") -> Refused:
    return Refused(422, code, cs, en, field)


def check_submission(values: Mapping[str, str], kind: ApplicationKind, today: date) -> Submission:
    """The submission form's values, or :class:`Refused` naming the field."""
    on = _date(values.get("submitted_on", ""), "submitted_on") or today
    to = values.get("submitted_to", "").strip() or kind.office
    channel = values.get("channel", "")
    if channel not in CHANNELS:
        raise _refuse(
            "application_channel",
            "Vyberte, jak byla žádost podána.",
            "Choose how it was submitted.",
            "channel",
        )
    if len(to) > 300:
        raise _refuse("too_long", "Nejvýše 300 znaků.", "At most 300 characters.", "submitted_to")
    due = _date(values.get("answer_due", ""), "answer_due") or on + timedelta(days=kind.answer_days)
    if due < on:
        raise _refuse(
            "answer_due_before",
            "Lhůta odpovědi nemůže být před podáním.",
            "Due before submitted.",
            "answer_due",
        )
    return Submission(on, to, channel, due)


def check_decision(values: Mapping[str, str], today: date) -> Decision:
    outcome = values.get("outcome", "")
    if outcome not in APPLICATION_OUTCOMES:
        raise _refuse(
            "application_outcome", "Vyberte odpověď úřadu.", "Choose the office's answer.", "outcome"
        )
    note = values.get("decision_note", "").strip()
    if len(note) > 1000:
        raise _refuse(
            "too_long", "Poznámka má nejvýše 1000 znaků.", "At most 1000 characters.", "decision_note"
        )
    return Decision(outcome, _date(values.get("decided_on", ""), "decided_on") or today, note)


def _date(text: str, field: str) -> date | None:
    if not text.strip():
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise _refuse("date", "Zadejte datum (RRRR-MM-DD).", "Enter a date (YYYY-MM-DD).", field) from None


def _tell(
    store: CaseStore,
    event: type[ApplicationSubmitted | ApplicationDecided],
    case: CaseRow,
    application: ApplicationRow,
    ctx: CommandContext,
    facts: Mapping[str, object],
) -> None:
    """Stage the step's event: the application's codes, the step's facts, who acted when (no value of
    the form, no office name as typed, no note)."""
    application.updated_at = ctx.now
    about = {"case_id": case.id, "application_id": application.id, "kind": application.kind}
    store.stage(event(**about, group=application.group, **facts, **ctx.stamp()))


def submit(
    store: CaseStore, case: CaseRow, application: ApplicationRow, body: Submission, ctx: CommandContext
) -> None:
    """Record the submission (after a final print; again after the office returned it for completion)."""
    if application.state == "submitted":
        raise ConflictError("application_submitted", "Žádost už je podaná.", "Already submitted.")
    if application.state == "decided" and application.outcome != "returned":
        raise ConflictError("application_decided", "Žádost je vyřízená.", "The application has been decided.")
    if not application.versions:
        raise ConflictError(
            "application_not_printed",
            "Žádost nejprve vytiskněte jako konečnou.",
            "Print the application as final first.",
        )
    application.state = "submitted"
    application.submitted_on, application.submitted_to = body.submitted_on, body.submitted_to
    application.submitted_how, application.answer_due = body.channel, body.answer_due
    application.decided_on = application.outcome = application.decision_note = None
    facts = {"submitted_on": body.submitted_on, "channel": body.channel, "answer_due": body.answer_due}
    _tell(store, ApplicationSubmitted, case, application, ctx, facts)


def decide(
    store: CaseStore, case: CaseRow, application: ApplicationRow, body: Decision, ctx: CommandContext
) -> None:
    """Record the office's answer to the submitted application."""
    if application.state != "submitted":
        raise ConflictError("application_not_submitted", "Žádost není podaná.", "Not submitted.")
    application.state = "decided"
    application.outcome, application.decided_on = body.outcome, body.decided_on
    application.decision_note = body.note or None
    facts = {"outcome": body.outcome, "decided_on": body.decided_on, "submitted_on": application.submitted_on}
    _tell(store, ApplicationDecided, case, application, ctx, facts)


async def attach_signed(
    session: AsyncSession,
    case: CaseRow,
    version: ApplicationVersionRow,
    filename: str | None,
    content: bytes,
    ctx: CommandContext,
    *,
    max_bytes: int,
) -> DocumentRow:
    """The scanned signed copy of a version: a document of the case ("podepsaná žádost") linked to it."""
    document = await attach_document(session, case, filename, content, ctx, max_bytes=max_bytes)
    document.category = SIGNED
    version.signed_document_id = document.id
    session.add_all([document, version])
    await session.flush()
    return document
