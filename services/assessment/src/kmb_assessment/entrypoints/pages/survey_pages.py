"""The survey form (§16): fill it in, save it, or save and submit it for the result. The form calls
the same commands as the API, in one transaction, as the signed-in worker. Submitting cannot be
undone, so "Odeslat a vyhodnotit" saves the survey and shows what it would record (need level,
ETHOS, priority, entry in the register) with a button to confirm (``action=confirm``)."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError

from kmb_shared.contracts import HouseholdSnapshot
from kmb_shared.contracts.vocabulary import NEED_LEVELS
from kmb_shared.errors import ConflictError, NotFoundError, localize

from ...application import commands, queries
from ...application.context import CommandContext
from ...application.ports import AssessmentStore, UnitOfWork
from ...application.survey import (
    DOCUMENTS,
    MISSING_FACTS,
    Survey,
    dependent_child_questions,
    dwelling_kinds,
    legal_titles,
    vulnerability_flags,
)
from ...application.views import AssessmentOut, AssessmentStatus
from ...domain import Assessment, RuleSet
from ..deps import StoreDep, UowDep, context_for, deps_of
from .common import WorkerPage, not_found, redirect, render
from .format import ethos_cs
from .survey_form import (
    DEPENDENT_OPTIONS,
    EXPENSE_OPTIONS,
    dependent_field,
    error_summary,
    errors_by_field,
    survey_from_form,
    values_of_household,
    values_of_survey,
)

router = APIRouter(include_in_schema=False)


def _survey_page(
    request: Request,
    row: AssessmentOut,
    status_code: int = 200,
    values: dict[str, str] | None = None,
    lists: dict[str, list[str]] | None = None,
    errors: dict[str, str] | None = None,
) -> HTMLResponse:
    household = HouseholdSnapshot.model_validate(row.household)
    today = deps_of(request).clock.today()
    if values is None:
        if row.survey is not None:
            values, lists = values_of_survey(row.survey)
        else:
            values = values_of_household(household, today)
    errors = errors or {}
    questions = [
        {"field": dependent_field(fact.member_index), "number": fact.member_index + 1, "fact": fact}
        for fact in dependent_child_questions(household, row.survey)
    ]
    return render(
        request,
        "survey.html",
        status_code,
        title=f"Šetření bytové situace – {row.case_number}",
        assessment=row,
        household=household,
        values=values,
        lists=lists or {},
        errors=errors,
        summary=error_summary(errors),
        editable=row.status == AssessmentStatus.PENDING,
        dwelling_options=list(dwelling_kinds().items()),
        title_options=list(legal_titles().items()),
        flag_options=list(vulnerability_flags().items()),
        flag_labels=vulnerability_flags(),
        dwelling_labels=dwelling_kinds(),
        title_labels=legal_titles(),
        missing_options=list(MISSING_FACTS.items()),
        document_options=list(DOCUMENTS.items()),
        expense_options=EXPENSE_OPTIONS,
        dependent_questions=questions,
        dependent_options=DEPENDENT_OPTIONS,
        today=today.isoformat(),
    )


async def _row(store: AssessmentStore, assessment_id: UUID, organisation: str) -> AssessmentOut | None:
    """The assessment; None when there is none or its case is another organisation's (404 page)."""
    try:
        return await queries.assessment(store, assessment_id, organisation)
    except NotFoundError:
        return None


@router.get("/assessments/{assessment_id}/survey", response_class=HTMLResponse)
async def survey_form(
    assessment_id: UUID, request: Request, principal: WorkerPage, store: StoreDep
) -> HTMLResponse:
    row = await _row(store, assessment_id, principal.organisation)
    if row is None:
        return not_found(request)
    return _survey_page(request, row)


@router.post("/assessments/{assessment_id}/survey", response_model=None)
async def save_survey(assessment_id: UUID, request: Request, principal: WorkerPage, uow: UowDep) -> Response:
    """Save the survey ("action=save"), or save it and submit it ("action=submit")."""
    form = await request.form()
    values = {key: value for key, value in form.multi_items() if isinstance(value, str)}
    lists = {
        name: [v for v in form.getlist(name) if isinstance(v, str) and v.strip()]
        for name in ("extra_flags", "missing_facts", "checked_documents")
    }
    row = await _row(uow.store, assessment_id, principal.organisation)
    if row is None:
        return not_found(request)
    ctx = context_for(request, principal)
    rule_sets = await deps_of(request).rulesets.available()
    action = values.get("action")
    if action == "confirm":
        return await _confirmed(request, uow, row, ctx, rule_sets)
    try:
        survey = Survey.model_validate(survey_from_form(values, lists))
        await commands.save_survey(uow, assessment_id, survey, ctx, rule_sets=rule_sets)
        preview = (
            await commands.preview_submission(uow, assessment_id, ctx, rule_sets=rule_sets)
            if action == "submit"
            else None
        )
    except ValidationError as exc:
        errors = errors_by_field(localize(list(exc.errors())))
        return _survey_page(request, row, 422, values, lists, errors)
    except commands.InvalidSurvey as exc:
        errors = errors_by_field([{"field": exc.field, "code": exc.code, "message_cs": exc.message_cs}])
        return _survey_page(request, row, 422, values, lists, errors)
    except commands.InvalidSurveyFacts as exc:
        # Nothing is stored: the save and the submission are one transaction, rolled back here.
        await uow.rollback()
        items = [{"field": p.field, "code": p.code, "message_cs": p.message_cs} for p in exc.problems]
        return _survey_page(request, row, 422, values, lists, errors_by_field(items))
    except ConflictError as exc:
        await uow.rollback()
        fresh = await _row(uow.store, assessment_id, principal.organisation)
        if fresh is None:
            return not_found(request)
        return _survey_page(request, fresh, 409, values, lists, {"body": exc.message_cs})
    await uow.commit()
    if preview is not None:
        # Submitting cannot be undone: the survey is saved, and the worker confirms what it gives.
        return _confirm_page(request, row, preview)
    return redirect(f"/assessments/{assessment_id}/survey?saved=survey")


def _confirm_page(request: Request, row: AssessmentOut, preview: Assessment) -> HTMLResponse:
    return render(
        request,
        "submit_confirm.html",
        title=f"Odeslat šetření – {row.case_number}",
        assessment=row,
        preview=preview,
        need_level=NEED_LEVELS.label(preview.need_level, capital=True),
        ethos=ethos_cs(preview.ethos_category),
    )


async def _confirmed(
    request: Request, uow: UnitOfWork, row: AssessmentOut, ctx: CommandContext, rule_sets: Sequence[RuleSet]
) -> Response:
    """The confirmed submission of the saved survey; a problem found now (the household changed
    meanwhile) sends the worker back to the form with it, a second submission gets the 409 page."""
    try:
        await commands.submit(uow, row.id, ctx, rule_sets=rule_sets)
    except commands.InvalidSurveyFacts as exc:
        await uow.rollback()
        items = [{"field": p.field, "code": p.code, "message_cs": p.message_cs} for p in exc.problems]
        return _survey_page(request, row, 422, errors=errors_by_field(items))
    except ConflictError as exc:
        await uow.rollback()
        fresh = await _row(uow.store, row.id, ctx.actor.organisation)
        if fresh is None:
            return not_found(request)
        return _survey_page(request, fresh, 409, errors={"body": exc.message_cs})
    await uow.commit()
    return redirect(f"/assessments/{row.id}?saved=submitted")
