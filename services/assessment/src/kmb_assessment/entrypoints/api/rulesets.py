"""HTTP API of the rule sets a rules editor (správce pravidel) manages: upload and check, compare with
the set in force, the impact preview (started in the background, progress and results, XLSX), and
activation; and the cases flagged for reassessment (for the workers' desks)."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from kmb_shared.auth import Principal, Role, require
from kmb_shared.web.params import limit_query

from ...application import rulesets
from ...application.rulesets import (
    ActivationOut,
    DraftOut,
    FlagOut,
    ImpactItemOut,
    InvalidRuleSet,
    PreviewOut,
    UploadOut,
)
from ..deps import Deps, context_for

router = APIRouter(prefix="/api", tags=["rule sets"])

#: who uploads, previews and activates rule sets
RULES_EDITORS = (Role.RULES_EDITOR,)
#: who reads uploaded sets and previews (no household data, but the case numbers and worker ids of
#: every organisation whose results would change: only the rules editor, whose rule set is the whole
#: installation's; administrators and auditors are not given case lists of other organisations)
RULES_READERS = (Role.RULES_EDITOR,)
#: who reads the cases flagged for reassessment: workers (their organisation's cases, the desks) and
#: the rules editor (every case its activation flagged)
FLAG_READERS = (Role.WORKER, Role.RULES_EDITOR)

as_editor = require(*RULES_EDITORS)
as_rules_reader = require(*RULES_READERS)
as_flag_reader = require(*FLAG_READERS)
EditorDep = Annotated[Principal, Depends(as_editor)]
RulesReaderDep = Annotated[Principal, Depends(as_rules_reader)]
FlagReaderDep = Annotated[Principal, Depends(as_flag_reader)]

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class RuleSetUploadIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    yaml: str = Field(min_length=1, max_length=500_000, description="The rule set as a YAML document")


def invalid(error: InvalidRuleSet) -> RequestValidationError:
    """Every problem as one 422 item: field, code, Czech and English reason."""
    items: list[dict[str, Any]] = []
    for problem in error.problems:
        field = "yaml" if problem.field == "(soubor)" else problem.field
        items.append(
            {
                "type": problem.code,
                "loc": ("body", *field.split(".")),
                "msg": problem.message_en,
                "input": None,
                "ctx": {"cs": problem.message_cs, "en": problem.message_en},
            }
        )
    return RequestValidationError(items)


@router.post("/rule-sets/uploads", response_model=UploadOut, status_code=201)
async def upload(body: RuleSetUploadIn, request: Request, principal: EditorDep, deps: Deps) -> UploadOut:
    """Upload a rule set (YAML). It is checked: the schema, a complete snapshot (every value written
    out, every code of the set in force kept), effective today or later (the contact point's today),
    every value sourced (``sources``), and consistent (a new version, ordered thresholds and points, a
    plausible coefficient). 422 lists every problem with the field and the reason in Czech and
    English, and nothing is stored; a valid set is stored as a draft (201)."""
    try:
        return await rulesets.upload(deps.rulesets, body.yaml, context_for(request, principal))
    except InvalidRuleSet as error:
        raise invalid(error) from error


@router.get("/rule-sets/uploads", response_model=list[UploadOut])
async def uploads(_: RulesReaderDep, deps: Deps) -> list[UploadOut]:
    """Uploaded rule sets (drafts and activated), newest first."""
    return await rulesets.uploads(deps.rulesets)


@router.get("/rule-sets/uploads/{upload_id}", response_model=DraftOut)
async def draft(upload_id: UUID, _: RulesReaderDep, deps: Deps) -> DraftOut:
    """An uploaded set beside the set in force today, value by value (``changed`` marks a difference,
    Czech labels and values), with its latest impact preview."""
    return await rulesets.draft(deps.rulesets, upload_id, deps.clock.today())


@router.post("/rule-sets/uploads/{upload_id}/preview", response_model=PreviewOut, status_code=202)
async def start_preview(upload_id: UUID, request: Request, principal: EditorDep, deps: Deps) -> PreviewOut:
    """Start the impact preview in the background (202): the latest assessment of every open case and
    every register entry is re-evaluated under the draft. Poll ``GET .../preview`` for progress."""
    return await rulesets.start_preview(deps.rulesets, upload_id, context_for(request, principal))


@router.get("/rule-sets/uploads/{upload_id}/preview", response_model=PreviewOut | None)
async def preview(upload_id: UUID, _: RulesReaderDep, deps: Deps) -> PreviewOut | None:
    """The latest preview: status, progress (``processed`` of ``total``), counts of who would enter
    or leave the register and whose need level or priority would change, and the counts per worker."""
    return await rulesets.preview_of(deps.rulesets, upload_id)


@router.get("/rule-sets/uploads/{upload_id}/preview/cases", response_model=list[ImpactItemOut])
async def preview_cases(upload_id: UUID, _: RulesReaderDep, deps: Deps) -> list[ImpactItemOut]:
    """Every case whose result would change under the draft, by worker and case number."""
    return await rulesets.impact_items(deps.rulesets, upload_id)


@router.get("/rule-sets/uploads/{upload_id}/preview.xlsx", response_class=Response)
async def preview_xlsx(upload_id: UUID, _: RulesReaderDep, deps: Deps) -> Response:
    """The finished preview as an XLSX workbook (Czech headings, no codes)."""
    name, content = await rulesets.impact_xlsx(deps.rulesets, upload_id)
    return Response(
        content, media_type=XLSX, headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )


@router.post("/rule-sets/uploads/{upload_id}/activate", response_model=ActivationOut)
async def activate(upload_id: UUID, request: Request, principal: EditorDep, deps: Deps) -> ActivationOut:
    """Activate a draft after its finished preview: chosen by date from its effective date on;
    RuleSetActivated is published; every case whose result would change is flagged for reassessment
    on its worker's desk. No register entry changes. 409 without a finished preview or when active
    already; 422 when the set no longer passes its checks (e.g. its date has passed)."""
    try:
        return await rulesets.activate(deps.rulesets, upload_id, context_for(request, principal))
    except InvalidRuleSet as error:
        raise invalid(error) from error


@router.get("/reassessments", response_model=list[FlagOut], tags=["register"])
async def reassessments(
    principal: FlagReaderDep,
    deps: Deps,
    worker: Annotated[str | None, Query(max_length=100, description="Only this worker's cases")] = None,
    limit: Annotated[int, limit_query(1000, "flags")] = 200,
) -> list[FlagOut]:
    """Cases flagged for reassessment by an activated rule set and not reassessed since: a worker's
    organisation's cases only; a rules editor's, every case."""
    organisation = None if principal.has(Role.RULES_EDITOR) else principal.organisation
    return await rulesets.reassessments(deps.rulesets, worker, limit, organisation=organisation)
