"""The worker's commands: save the survey of a pending assessment, and submit it.

Each command checks the state, changes it and stages its events in the caller's unit of work; the
caller commits once, so the change and the outbox rows are one transaction (a refused command leaves
nothing).
"""

from __future__ import annotations

from datetime import date, timedelta
from uuid import UUID

from kmb_shared.contracts import HouseholdSnapshot, NeedAssessed, RegisteredInNeed
from kmb_shared.errors import ConflictError, NotFoundError

from ..adapters.tables import AssessmentRow, AssessmentStatus, RegisterEntryRow, RegisterStatus
from ..domain import (
    Assessment,
    RegistrationStatus,
    RuleSetError,
    assess,
    register_valid_until,
    registration_status,
    rule_set_for,
)
from .context import CommandContext, InvalidSurvey
from .ports import AssessmentStore, UnitOfWork
from .results import explain
from .survey import Survey

__all__ = ["CommandContext", "InvalidSurvey", "load_assessment", "save_survey", "submit"]


def _not_pending(row: AssessmentRow) -> ConflictError:
    if row.status == AssessmentStatus.CANCELLED:
        return ConflictError(
            "assessment_cancelled",
            "Šetření bylo zrušeno (případ byl uzavřen).",
            "The assessment was cancelled (the case was closed).",
        )
    return ConflictError(
        "already_submitted", "Šetření už bylo odesláno.", "The assessment was already submitted."
    )


async def load_assessment(store: AssessmentStore, assessment_id: UUID) -> AssessmentRow:
    row = await store.get_assessment(assessment_id)
    if row is None:
        raise NotFoundError("Šetření", "Assessment")
    return row


def _check_survey_date(surveyed_on: date, today: date) -> None:
    if surveyed_on > today:
        raise InvalidSurvey(
            "surveyed_on",
            "date_in_future",
            "Datum šetření nesmí být v budoucnosti.",
            "The survey date must not be in the future.",
        )
    try:
        rule_set_for(surveyed_on)
    except RuleSetError as exc:
        raise InvalidSurvey(
            "surveyed_on",
            "no_rule_set",
            f"Ke dni {surveyed_on.day}. {surveyed_on.month}. {surveyed_on.year} neplatí žádná sada"
            " pravidel posouzení (zákon č. 175/2025 Sb. je účinný od 1. 1. 2026).",
            f"No assessment rule set is in force on {surveyed_on.isoformat()}.",
        ) from exc


async def save_survey(
    uow: UnitOfWork, assessment_id: UUID, survey: Survey, ctx: CommandContext
) -> AssessmentRow:
    """Replace the survey of a pending assessment (409 once submitted or cancelled)."""
    row = await load_assessment(uow.store, assessment_id)
    if row.status != AssessmentStatus.PENDING:
        raise _not_pending(row)
    surveyed_on = survey.surveyed_on or ctx.today
    _check_survey_date(surveyed_on, ctx.today)
    stored = survey.model_copy(update={"surveyed_on": surveyed_on})
    values = {
        "survey": stored.model_dump_json(),
        "survey_updated_at": ctx.now,
        "survey_updated_by": ctx.actor.user_id,
    }
    if not await uow.store.update_if_pending(assessment_id, values):
        raise _not_pending(await _reloaded(uow.store, row))
    return row


async def _reloaded(store: AssessmentStore, row: AssessmentRow) -> AssessmentRow:
    await store.refresh(row)
    return row


async def submit(uow: UnitOfWork, assessment_id: UUID, ctx: CommandContext) -> None:
    """Assess the household as the survey found it under the rule set in force on the survey day,
    store the result, emit NeedAssessed; enter a qualifying household in the register (§17, valid
    per §23) and emit RegisteredInNeed. A second submission is refused (409)."""
    row = await load_assessment(uow.store, assessment_id)
    if row.status != AssessmentStatus.PENDING:
        raise _not_pending(row)
    if row.survey is None:
        raise ConflictError(
            "survey_missing",
            "Nejprve vyplňte šetření bytové situace (§ 16).",
            "Fill in the survey of the housing situation (§16) first.",
        )
    survey = Survey.model_validate_json(row.survey)
    assert survey.surveyed_on is not None  # stored with its date
    rules = rule_set_for(survey.surveyed_on)
    household = HouseholdSnapshot.model_validate_json(row.household)
    result = assess(household, survey.findings(survey.surveyed_on), rules)
    values = {
        "status": AssessmentStatus.SUBMITTED.value,
        "result": explain(result, rules).model_dump_json(),
        "assessed_on": result.assessed_on,
        "rule_set_version": result.rule_set_version,
        "need_level": result.need_level.value,
        "ethos_category": result.ethos_category,
        "qualifies_for_register": result.qualifies_for_register,
        "priority_score": result.priority_score,
        "submitted_by": ctx.actor.user_id,
        "organisation": ctx.actor.organisation,
        "submitted_at": ctx.now,
    }
    if not await uow.store.update_if_pending(assessment_id, values):
        raise _not_pending(await _reloaded(uow.store, row))
    assessed_id = uow.stage(
        NeedAssessed(
            case_id=row.case_id,
            assessment_id=row.id,
            actor=ctx.actor,
            caused_by=ctx.caused_by,
            occurred_at=ctx.now,
            **result.to_event_fields(),
        ),
    )
    if result.qualifies_for_register:
        await _register(uow, row, result, ctx, cause=assessed_id)


async def _register(
    uow: UnitOfWork,
    row: AssessmentRow,
    result: Assessment,
    ctx: CommandContext,
    *,
    cause: str,
) -> None:
    registered_on = ctx.today
    # The rule set in force on the day of entry decides its validity, so a later set never shortens it.
    validity_rules = rule_set_for(registered_on)
    valid_until = register_valid_until(registered_on, validity_rules)
    window = timedelta(days=validity_rules.register_validity.reassessment_window_days)
    due = (
        registration_status(registered_on, ctx.today, validity_rules)
        is RegistrationStatus.DUE_FOR_REASSESSMENT
    )
    await uow.store.supersede_in_force(row.case_id, ctx.now)
    event = RegisteredInNeed(
        case_id=row.case_id,
        assessment_id=row.id,
        registered_on=registered_on,
        valid_until=valid_until,
        need_level=result.need_level.value,
        ethos_category=result.ethos_category,
        actor=ctx.actor,
        caused_by=cause,
        occurred_at=ctx.now,
    )
    uow.store.add(
        RegisterEntryRow(
            assessment_id=row.id,
            case_id=row.case_id,
            case_number=row.case_number,
            registered_on=registered_on,
            valid_until=valid_until,
            reassess_from=valid_until - window,
            status=(RegisterStatus.DUE if due else RegisterStatus.ACTIVE).value,
            need_level=result.need_level.value,
            ethos_category=result.ethos_category,
            priority_score=result.priority_score,
            rule_set_version=validity_rules.version,
            registered_event_id=uow.stage(event),
            created_at=ctx.now,
        )
    )
