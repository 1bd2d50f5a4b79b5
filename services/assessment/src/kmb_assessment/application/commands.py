"""The worker's commands: save the survey of a pending assessment, and submit it.

Each command checks the state, changes it and stages its events in the caller's unit of work; the
caller commits once, so the change and the outbox rows are one transaction (a refused command leaves
nothing).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from uuid import UUID

from kmb_shared.contracts import HouseholdSnapshot, NeedAssessed, RegisteredInNeed
from kmb_shared.errors import ConflictError, NotFoundError
from kmb_shared.formatting import format_date

from ..adapters.tables import AssessmentRow, AssessmentStatus, RegisterEntryRow, RegisterStatus
from ..domain import (
    Assessment,
    RegistrationStatus,
    RuleSet,
    RuleSetError,
    SurveyFindings,
    assess,
    register_valid_until,
    registration_status,
    rule_set_for,
)
from ..domain.facts import missing_facts
from ..domain.household import MissingFact, MissingFactsError
from ..domain.plausibility import ImplausibleFlag, implausible_flags, implausible_survey_flags
from .context import CommandContext, InvalidSurvey
from .ports import AssessmentStore, UnitOfWork
from .results import explain
from .survey import Survey

__all__ = [
    "CommandContext",
    "InvalidSurvey",
    "InvalidSurveyFacts",
    "load_assessment",
    "save_survey",
    "submit",
]

#: age bands of the members the dependent-child question is about (15-25: zákon č. 110/2006 Sb.)
DEPENDENT_CHILD_BANDS = ("15-17", "18-25")


class InvalidSurveyFacts(Exception):
    """The survey's facts cannot be used as they are: each problem names its field, with Czech and
    English reasons (HTTP 422, nothing stored or emitted)."""

    def __init__(self, problems: Sequence[InvalidSurvey]) -> None:
        self.problems = tuple(problems)
        super().__init__("; ".join(problem.message_en for problem in self.problems))


def dependent_child_field(member_index: int) -> str:
    """The survey field answering the dependent-child question of a member."""
    return f"dependent_children.{member_index}"


def missing_fact_problem(fact: MissingFact) -> InvalidSurvey:
    return InvalidSurvey(
        dependent_child_field(fact.member_index),
        "missing_fact",
        f"Chybí údaj potřebný k posouzení – {fact.question_cs} Odpovězte ano, nebo ne.",
        f"A fact needed for the assessment is missing - {fact.question_en} Answer yes or no.",
    )


def implausible_flag_problem(item: ImplausibleFlag) -> InvalidSurvey:
    if item.field == "extra_flags":
        return InvalidSurvey(item.field, "implausible_flag", item.reason_cs, item.reason_en)
    return InvalidSurvey(
        item.field,
        "implausible_flag",
        f"{item.reason_cs} Opravte příznak nebo složení domácnosti v příjmu (na kartě případu).",
        f"{item.reason_en} Correct the flag or the household in intake (on the case card).",
    )


def _check_answers(survey: Survey, household: HouseholdSnapshot) -> list[InvalidSurvey]:
    """Dependent-child answers must be about members aged 15-25 of the household."""
    problems = []
    for index in sorted(survey.dependent_children):
        field = dependent_child_field(index)
        if index >= len(household.members):
            problems.append(
                InvalidSurvey(
                    field,
                    "unknown_member",
                    f"Domácnost nemá člena č. {index + 1} (má {len(household.members)}).",
                    f"The household has no member no. {index + 1} (it has {len(household.members)}).",
                )
            )
        elif household.members[index].age_band not in DEPENDENT_CHILD_BANDS:
            band = household.members[index].age_band
            problems.append(
                InvalidSurvey(
                    field,
                    "not_asked",
                    f"Otázka na nezaopatřené dítě se týká jen členů ve věku 15–25 let; člen č."
                    f" {index + 1} má věk {band.replace('-', '–')} let.",
                    f"The dependent-child question is only about members aged 15-25; member no."
                    f" {index + 1} is aged {band}.",
                )
            )
    return problems


def _findings(survey: Survey) -> SurveyFindings:
    assert survey.surveyed_on is not None  # stored with its date
    return survey.findings(survey.surveyed_on)


def facts_problems(household: HouseholdSnapshot, survey: Survey, rules: RuleSet) -> list[InvalidSurvey]:
    """Why the household cannot be assessed as the survey found it: missing facts (never guessed)
    and implausible vulnerability flags (never scored silently)."""
    findings = _findings(survey)
    problems = [missing_fact_problem(fact) for fact in missing_facts(household, findings, rules)]
    problems += [implausible_flag_problem(item) for item in implausible_flags(household, findings, rules)]
    return problems


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


def of_organisation(row: AssessmentRow, organisation: str | None) -> bool:
    """Whether the assessment belongs to a case of ``organisation`` (None: every organisation, for
    the service's own jobs)."""
    return organisation is None or row.organisation == organisation


async def load_assessment(
    store: AssessmentStore, assessment_id: UUID, organisation: str | None = None
) -> AssessmentRow:
    """The assessment; not found (404) also when its case belongs to another organisation than
    ``organisation``, as intake answers for another organisation's case (its existence is not told)."""
    row = await store.get_assessment(assessment_id)
    if row is None or not of_organisation(row, organisation):
        raise NotFoundError("Šetření", "Assessment")
    return row


def _check_survey_date(surveyed_on: date, today: date, rule_sets: Sequence[RuleSet] | None = None) -> None:
    if surveyed_on > today:
        raise InvalidSurvey(
            "surveyed_on",
            "date_in_future",
            "Datum šetření nesmí být v budoucnosti.",
            "The survey date must not be in the future.",
        )
    try:
        rule_set_for(surveyed_on, rule_sets)
    except RuleSetError as exc:
        raise InvalidSurvey(
            "surveyed_on",
            "no_rule_set",
            f"Ke dni {format_date(surveyed_on)} neplatí žádná sada"
            " pravidel posouzení (zákon č. 175/2025 Sb. je účinný od 1. 1. 2026).",
            f"No assessment rule set is in force on {surveyed_on.isoformat()}.",
        ) from exc


async def save_survey(
    uow: UnitOfWork,
    assessment_id: UUID,
    survey: Survey,
    ctx: CommandContext,
    *,
    rule_sets: Sequence[RuleSet] | None = None,
) -> AssessmentRow:
    """Replace the survey of a pending assessment (409 once submitted or cancelled). ``rule_sets``:
    the sets in use (packaged + activated, ``AssessmentDeps.rulesets``); None: the packaged ones.
    Only a worker of the case's organisation may (404 for another organisation)."""
    row = await load_assessment(uow.store, assessment_id, ctx.actor.organisation)
    if row.status != AssessmentStatus.PENDING:
        raise _not_pending(row)
    surveyed_on = survey.surveyed_on or ctx.today
    _check_survey_date(surveyed_on, ctx.today, rule_sets)
    stored = survey.model_copy(update={"surveyed_on": surveyed_on})
    household = HouseholdSnapshot.model_validate_json(row.household)
    problems = _check_answers(stored, household)
    if not problems:
        findings = _findings(stored)
        items = implausible_survey_flags(household, findings, rule_set_for(surveyed_on, rule_sets))
        problems = [implausible_flag_problem(item) for item in items]
    if problems:
        raise InvalidSurveyFacts(problems)
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


async def _assessed(
    store: AssessmentStore, assessment_id: UUID, ctx: CommandContext, rule_sets: Sequence[RuleSet] | None
) -> tuple[AssessmentRow, Assessment, RuleSet]:
    """The pending assessment and what its saved survey gives under the rule set of the survey day,
    with every check of a submission (409, 404, the answers and the facts); nothing is stored."""
    row = await load_assessment(store, assessment_id, ctx.actor.organisation)
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
    rules = rule_set_for(survey.surveyed_on, rule_sets)
    household = HouseholdSnapshot.model_validate_json(row.household)
    # The household may have changed since the survey was saved: the answers are checked again.
    problems = _check_answers(survey, household) or facts_problems(household, survey, rules)
    if problems:
        raise InvalidSurveyFacts(problems)
    try:
        return row, assess(household, _findings(survey), rules), rules
    except MissingFactsError as error:  # the check above lists them; never assess by guessing
        raise InvalidSurveyFacts([missing_fact_problem(fact) for fact in error.missing]) from error


async def preview_submission(
    uow: UnitOfWork,
    assessment_id: UUID,
    ctx: CommandContext,
    *,
    rule_sets: Sequence[RuleSet] | None = None,
) -> Assessment:
    """What :func:`submit` would record for the saved survey (the same checks, the same result),
    for the worker to confirm before the irreversible submission; nothing is stored or sent."""
    _, result, _ = await _assessed(uow.store, assessment_id, ctx, rule_sets)
    return result


async def submit(
    uow: UnitOfWork,
    assessment_id: UUID,
    ctx: CommandContext,
    *,
    rule_sets: Sequence[RuleSet] | None = None,
) -> None:
    """Assess the household as the survey found it under the rule set in force on the survey day,
    store the result, emit NeedAssessed; enter a qualifying household in the register (§17, valid
    per §23) and emit RegisteredInNeed. A second submission is refused (409). Only a worker of the
    case's organisation may (404 for another organisation)."""
    row, result, rules = await _assessed(uow.store, assessment_id, ctx, rule_sets)
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
        await _register(uow, row, result, ctx, cause=assessed_id, rule_sets=rule_sets)


async def _register(
    uow: UnitOfWork,
    row: AssessmentRow,
    result: Assessment,
    ctx: CommandContext,
    *,
    cause: str,
    rule_sets: Sequence[RuleSet] | None = None,
) -> None:
    registered_on = ctx.today
    # The rule set in force on the day of entry decides its validity, so a later set never shortens it.
    validity_rules = rule_set_for(registered_on, rule_sets)
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
            organisation=row.organisation,
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
