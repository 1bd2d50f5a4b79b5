"""Organisation scoping: a case's assessments, survey, result and register entry belong to the case's
organisation (CaseOpened's actor, as intake scopes cases). A worker or auditor of another
organisation gets 404 on every read and write of them, as for a case that does not exist (intake
answers the same), and its lists hold nothing of the other organisation; the own organisation's
worker still works. The reassessment desk lists a worker only its organisation's flags (the rules
editor every flag); rule-set drafts and their impact, which name the cases of every organisation,
are the rules editor's alone. Every route of the app is listed as about a case, the rules editor's
or about none, so that a new route without an entry fails.

A case's organisation is decided once: by its CaseOpened (before that is heard of, by the first event
of the case); a later event of another actor (the system actor 'kmb', another organisation) never
moves the case, so its reassessment and the register entry superseding the earlier one stay in it.

The HTTP routes and pages on the service without a broker (SQLite); the application functions on
SQLite and PostgreSQL."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import openpyxl
import pytest
from assessment_support import (
    INTAKE_ACTOR,
    ORGANISATION,
    AssessmentService,
    case_opened,
    household,
    offline,
    settings,
)

from kmb_assessment.adapters.ruleset_tables import ReassessmentFlagRow
from kmb_assessment.application import commands, queries
from kmb_assessment.application.context import CommandContext
from kmb_assessment.application.survey import Survey
from kmb_assessment.application.views import RegisterStatus
from kmb_shared.auth import Role
from kmb_shared.contracts import SYSTEM_ACTOR, Actor, CaseOpened, HouseholdChanged
from kmb_shared.errors import NotFoundError
from kmb_testkit.fixtures import bearer
from kmb_testkit.routes import method_paths

OTHER = "kmb-brno"
OWN_WORKER = bearer(Role.WORKER, organisation=ORGANISATION, user="worker-7")
OTHER_WORKER = bearer(Role.WORKER, organisation=OTHER, user="worker-brno")
OTHER_AUDITOR = bearer(Role.AUDITOR, organisation=OTHER, user="auditor-brno")
OWN_ADMIN = bearer(Role.ADMIN, organisation=ORGANISATION, user="admin-7")
OWN_EDITOR = bearer(Role.RULES_EDITOR, organisation=ORGANISATION, user="rules-7")
#: a rough sleeper without income: ETHOS 1, within the ceiling, so entered in the register
ROUGH_SLEEPER = {"dwelling_kind": "street", "legal_title": "none"}

#: the routes and pages about a case, each only for the case's organisation (tested below)
CASE_ROUTES = {
    ("GET", "/api/cases/{case_id}/assessments"),
    ("GET", "/api/assessments/{assessment_id}"),
    ("PUT", "/api/assessments/{assessment_id}/survey"),
    ("POST", "/api/assessments/{assessment_id}/submit"),
    ("GET", "/api/register"),
    ("GET", "/api/reassessments"),
    ("GET", "/cases/{case_id}"),
    ("GET", "/assessments/{assessment_id}"),
    ("GET", "/register"),
    ("GET", "/register.xlsx"),
    ("GET", "/assessments/{assessment_id}/survey"),
    ("POST", "/assessments/{assessment_id}/survey"),
}
#: rule-set drafts and their impact, which name the cases of every organisation whose result would
#: change: the rules editor's alone (the rule set is the whole installation's), refused to any other
#: role of any organisation (tested below)
RULES_EDITOR_ROUTES = {
    ("POST", "/api/rule-sets/uploads"),
    ("GET", "/api/rule-sets/uploads"),
    ("GET", "/api/rule-sets/uploads/{upload_id}"),
    ("POST", "/api/rule-sets/uploads/{upload_id}/preview"),
    ("GET", "/api/rule-sets/uploads/{upload_id}/preview"),
    ("GET", "/api/rule-sets/uploads/{upload_id}/preview/cases"),
    ("GET", "/api/rule-sets/uploads/{upload_id}/preview.xlsx"),
    ("POST", "/api/rule-sets/uploads/{upload_id}/activate"),
    ("GET", "/rules"),
    ("POST", "/rules/upload"),
    ("GET", "/rules/{upload_id}"),
    ("POST", "/rules/{upload_id}/preview"),
    ("POST", "/rules/{upload_id}/activate"),
    ("GET", "/rules/{upload_id}/dopad.xlsx"),
}
#: reference data naming no case
NO_CASE_ROUTES = {("GET", "/api/rule-sets"), ("GET", "/api/survey-codes")}
#: the packaged rule set in force on the tests' today, as the rules editor would start a draft from
PACKAGED_RULES = "2026-07-01_act-110-2006-amounts-coefficient-1-6.yaml"


@pytest.fixture
def service(offline_service: AssessmentService) -> AssessmentService:
    return offline_service


def test_every_route_is_about_a_case_or_the_rules_editors_or_about_none(
    service: AssessmentService,
) -> None:
    """A new route must be added to CASE_ROUTES or RULES_EDITOR_ROUTES (and so to the tests below) or
    to NO_CASE_ROUTES."""
    app = service.transport.app  # type: ignore[attr-defined]
    assert method_paths(app.routes) == CASE_ROUTES | RULES_EDITOR_ROUTES | NO_CASE_ROUTES


async def _cases(service: AssessmentService) -> tuple[dict[str, Any], dict[str, Any]]:
    """The own organisation's submitted (registered) assessment and its pending one of another case."""
    submitted = await service.assess(case_opened(number=7), ROUGH_SLEEPER)
    opened = case_opened(number=8)
    await service.publish(opened)
    pending = (await service.assessments(opened.case_id))[0]
    return submitted, pending


@pytest.mark.parametrize("caller", [OTHER_WORKER, OTHER_AUDITOR], ids=["worker", "auditor"])
async def test_another_organisation_reads_none_of_the_cases_assessments_and_register(
    service: AssessmentService, caller: dict[str, str]
) -> None:
    submitted, pending = await _cases(service)

    for assessment in (submitted, pending):
        one = await service.client.get(f"/api/assessments/{assessment['id']}", headers=caller)
        assert one.status_code == 404, assessment["status"]
        assert one.json()["detail"]["code"] == "not_found"
        listed = await service.client.get(f"/api/cases/{assessment['case_id']}/assessments", headers=caller)
        assert (listed.status_code, listed.json()) == (200, [])  # as for a case never opened
    register = await service.client.get("/api/register", headers=caller)
    assert (register.status_code, register.json()) == (200, [])

    result_page = await service.client.get(f"/assessments/{submitted['id']}", headers=caller)
    register_page = await service.client.get("/register", headers=caller)
    exported = await service.client.get("/register.xlsx", headers=caller)
    assert result_page.status_code == 404 and "<h1>Šetření nenalezeno</h1>" in result_page.text
    assert register_page.status_code == 200 and "KMB-2026-00007" not in register_page.text
    # The workbook holds only the caller's organisation's entries (a zip: the text is not searchable).
    assert exported.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(exported.content))
    cells = {str(v) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for v in row}
    assert "KMB-2026-00007" not in cells and ("Platné zápisy", 0) in {
        tuple(r) for r in book["Přehled"].iter_rows(values_only=True)
    }


async def test_another_organisations_worker_can_neither_fill_nor_submit_a_survey(
    service: AssessmentService,
) -> None:
    submitted, pending = await _cases(service)
    survey_url = f"/api/assessments/{pending['id']}/survey"

    put = await service.client.put(survey_url, json=ROUGH_SLEEPER, headers=OTHER_WORKER)
    submit = await service.client.post(f"/api/assessments/{pending['id']}/submit", headers=OTHER_WORKER)
    resubmit = await service.client.post(f"/api/assessments/{submitted['id']}/submit", headers=OTHER_WORKER)
    case_page = await service.client.get(f"/cases/{pending['case_id']}", headers=OTHER_WORKER)
    form = await service.client.get(f"/assessments/{pending['id']}/survey", headers=OTHER_WORKER)
    posted = await service.client.post(
        f"/assessments/{pending['id']}/survey",
        data={**ROUGH_SLEEPER, "action": "submit"},
        headers=OTHER_WORKER,
    )

    # 404, not 409: another organisation learns nothing about the state of the case's assessments
    assert (put.status_code, submit.status_code, resubmit.status_code) == (404, 404, 404)
    assert (form.status_code, posted.status_code) == (404, 404)
    assert case_page.status_code == 404 and "KMB-2026-00008" not in case_page.text
    # nothing was saved or emitted by the refused calls; the own worker still reads and works
    own = await service.client.get(f"/api/assessments/{pending['id']}", headers=OWN_WORKER)
    assert (own.status_code, own.json()["survey"], own.json()["status"]) == (200, None, "pending")
    assert [e.type for e in await service.events(0)].count("kmb.assessment.need_assessed.v1") == 1
    saved = await service.client.put(survey_url, json=ROUGH_SLEEPER, headers=OWN_WORKER)
    done = await service.client.post(f"/api/assessments/{pending['id']}/submit", headers=OWN_WORKER)
    assert (saved.status_code, done.status_code) == (200, 200)
    assert done.json()["organisation"] == ORGANISATION


async def test_each_organisation_sees_only_its_own_register_entries(service: AssessmentService) -> None:
    await _cases(service)
    theirs = case_opened(number=9, organisation=OTHER)
    await service.publish(theirs)
    pending = (
        await service.client.get(f"/api/cases/{theirs.case_id}/assessments", headers=OTHER_WORKER)
    ).json()
    assert [a["case_number"] for a in pending] == ["KMB-2026-00009"]
    url = f"/api/assessments/{pending[0]['id']}"
    saved = await service.client.put(f"{url}/survey", json=ROUGH_SLEEPER, headers=OTHER_WORKER)
    done = await service.client.post(f"{url}/submit", headers=OTHER_WORKER)
    assert (saved.status_code, done.status_code) == (200, 200)

    own_register = (await service.client.get("/api/register", headers=OWN_WORKER)).json()
    other_register = (await service.client.get("/api/register", headers=OTHER_AUDITOR)).json()
    assert [e["case_number"] for e in own_register] == ["KMB-2026-00007"]
    assert [e["case_number"] for e in other_register] == ["KMB-2026-00009"]
    page = (await service.client.get("/register", headers=OTHER_WORKER)).text
    assert "KMB-2026-00009" in page and "KMB-2026-00007" not in page


async def test_the_reassessment_desk_lists_only_the_own_organisations_cases(
    service: AssessmentService,
) -> None:
    submitted, _ = await _cases(service)
    async with service.runtime.db.session() as session:
        session.add(
            ReassessmentFlagRow(
                case_id=UUID(submitted["case_id"]),
                case_number=submitted["case_number"],
                assessment_id=UUID(submitted["id"]),
                worker_id="worker-7",
                rule_set_version="2027.1",
                effective_from=date(2026, 10, 1),
                changes="priority",
                need_level_before="roofless",
                need_level_after="roofless",
                qualifies_before=True,
                qualifies_after=True,
                priority_before=40,
                priority_after=50,
            )
        )
        await session.commit()

    def numbers(response: Any) -> list[str]:
        assert response.status_code == 200, response.text
        return [flag["case_number"] for flag in response.json()]

    assert numbers(await service.client.get("/api/reassessments", headers=OWN_WORKER)) == ["KMB-2026-00007"]
    # the rules editor sees every case its activation flagged, whatever its own organisation
    other_editor = bearer(Role.RULES_EDITOR, organisation=OTHER, user="rules-brno")
    assert numbers(await service.client.get("/api/reassessments", headers=other_editor)) == ["KMB-2026-00007"]
    assert numbers(await service.client.get("/api/reassessments", headers=OTHER_WORKER)) == []
    mine = await service.client.get("/api/reassessments", params={"worker": "worker-7"}, headers=OTHER_WORKER)
    assert numbers(mine) == []  # naming the other organisation's worker does not help
    for refused in (OTHER_AUDITOR, OWN_ADMIN):
        assert (await service.client.get("/api/reassessments", headers=refused)).status_code == 403


@pytest.mark.parametrize(
    "caller",
    [OTHER_WORKER, OTHER_AUDITOR, OWN_WORKER, bearer(Role.AUDITOR, organisation=ORGANISATION), OWN_ADMIN],
    ids=["other-worker", "other-auditor", "own-worker", "own-auditor", "own-admin"],
)
async def test_only_the_rules_editor_reaches_drafts_and_their_impact(
    service: AssessmentService, caller: dict[str, str]
) -> None:
    await _cases(service)
    text = resources.files("kmb_assessment.rules").joinpath(PACKAGED_RULES).read_text(encoding="utf-8")
    text = text.replace('version: "2026.3"', 'version: "2027.1"').replace(
        "effective_from: 2026-07-01", "effective_from: 2026-10-01"
    )
    uploaded = await service.client.post("/api/rule-sets/uploads", json={"yaml": text}, headers=OWN_EDITOR)
    assert uploaded.status_code == 201, uploaded.text
    draft = uploaded.json()["id"]
    # each call as the rules editor would make it (a valid body), only the caller's role differs
    bodies: dict[str, dict[str, Any]] = {
        "/api/rule-sets/uploads": {"json": {"yaml": text}},
        "/rules/upload": {"files": {"file": ("draft.yaml", text.encode(), "application/yaml")}},
    }
    for method, path in sorted(RULES_EDITOR_ROUTES):
        url = path.replace("{upload_id}", draft)
        response = await service.client.request(method, url, headers=caller, **bodies.get(path, {}))
        assert response.status_code == 403, (method, path, response.status_code)
        assert "KMB-2026-0000" not in response.text
    listed = await service.client.get("/api/rule-sets/uploads", headers=OWN_EDITOR)
    assert [(upload["id"], upload["status"]) for upload in listed.json()] == [(draft, "draft")]


@pytest.fixture
async def scoped(database_url: str, tmp_path: Path) -> AsyncIterator[AssessmentService]:
    async with offline(settings("127.0.0.1:9", "offline.", database_url)) as started:
        yield started


def _ctx(service: AssessmentService, organisation: str) -> CommandContext:
    clock = service.deps.clock
    actor = Actor(user_id=f"worker-{organisation}", organisation=organisation)
    return CommandContext(actor=actor, now=clock.now(), today=clock.today())


async def _pending_of(service: AssessmentService, organisation: str, number: int) -> tuple[UUID, UUID]:
    event = case_opened(number=number, organisation=organisation)
    await service.publish(event)
    async with service.deps.uow() as uow:
        row = await uow.store.pending_for_case(event.case_id)
    assert row is not None and row.organisation == organisation
    return event.case_id, row.id


async def test_the_application_scopes_every_read_and_write_to_the_cases_organisation(
    scoped: AssessmentService,
) -> None:
    own_case, own_id = await _pending_of(scoped, ORGANISATION, 1)
    other_case, other_id = await _pending_of(scoped, OTHER, 2)
    survey = Survey.model_validate(ROUGH_SLEEPER)
    rule_sets = await scoped.deps.rulesets.available()

    # the own organisation's worker fills and submits its case: registered under its organisation
    async with scoped.deps.uow() as uow:
        await commands.save_survey(uow, own_id, survey, _ctx(scoped, ORGANISATION), rule_sets=rule_sets)
        await commands.submit(uow, own_id, _ctx(scoped, ORGANISATION), rule_sets=rule_sets)
        await uow.commit()
    # another organisation's worker is refused both, and nothing of it stays
    for command in (
        lambda uow: commands.save_survey(
            uow, other_id, survey, _ctx(scoped, ORGANISATION), rule_sets=rule_sets
        ),
        lambda uow: commands.submit(uow, other_id, _ctx(scoped, ORGANISATION), rule_sets=rule_sets),
        lambda uow: commands.save_survey(uow, own_id, survey, _ctx(scoped, OTHER), rule_sets=rule_sets),
    ):
        async with scoped.deps.uow() as uow:
            with pytest.raises(NotFoundError):
                await command(uow)

    async with scoped.deps.uow() as uow:
        store = uow.store
        assert (await queries.assessment(store, own_id, ORGANISATION)).status == "submitted"
        with pytest.raises(NotFoundError):
            await queries.assessment(store, own_id, OTHER)
        with pytest.raises(NotFoundError):
            await queries.assessment(store, other_id, ORGANISATION)
        assert (await queries.assessment(store, other_id, OTHER)).survey is None
        assert [a.id for a in await queries.assessments_of_case(store, own_case, ORGANISATION)] == [own_id]
        assert await queries.assessments_of_case(store, own_case, OTHER) == []
        assert await queries.assessments_of_case(store, other_case, ORGANISATION) == []
        own_register = await queries.register_entries(
            store, RegisterStatus.ACTIVE, organisation=ORGANISATION, limit=10, offset=0
        )
        other_register = await queries.register_entries(store, None, organisation=OTHER, limit=10, offset=0)
    assert [entry.case_id for entry in own_register] == [own_case]
    assert other_register == []


async def _submit(service: AssessmentService, assessment_id: UUID, organisation: str) -> None:
    survey = Survey.model_validate(ROUGH_SLEEPER)
    rule_sets = await service.deps.rulesets.available()
    async with service.deps.uow() as uow:
        await commands.save_survey(
            uow, assessment_id, survey, _ctx(service, organisation), rule_sets=rule_sets
        )
        await commands.submit(uow, assessment_id, _ctx(service, organisation), rule_sets=rule_sets)
        await uow.commit()


async def _organisations(service: AssessmentService, case_id: UUID) -> list[tuple[str, str | None]]:
    async with service.deps.uow() as uow:
        return [(row.status, row.organisation) for row in await uow.store.assessments_of_case(case_id)]


async def test_a_later_event_of_another_actor_never_moves_the_case_nor_its_register_entries(
    scoped: AssessmentService,
) -> None:
    case_id, first_id = await _pending_of(scoped, ORGANISATION, 3)
    await _submit(scoped, first_id, ORGANISATION)
    # a household change by the system actor ('kmb'), then by another organisation's worker: the
    # case stays its CaseOpened's organisation's (intake itself never lets another organisation act)
    for actor in (SYSTEM_ACTOR, Actor(user_id="worker-brno", organisation=OTHER)):
        await scoped.publish(
            HouseholdChanged(
                actor=actor, case_id=case_id, case_number="KMB-2026-00003", household=household()
            )
        )
    assert await _organisations(scoped, case_id) == [("submitted", ORGANISATION), ("pending", ORGANISATION)]
    async with scoped.deps.uow() as uow:
        second = await uow.store.pending_for_case(case_id)
    assert second is not None
    for stranger in (OTHER, SYSTEM_ACTOR.organisation):
        with pytest.raises(NotFoundError):
            await _submit(scoped, second.id, stranger)
    await _submit(scoped, second.id, ORGANISATION)

    async with scoped.deps.uow() as uow:
        own = await queries.register_entries(uow.store, None, organisation=ORGANISATION, limit=10, offset=0)
        others = [
            await queries.register_entries(uow.store, None, organisation=name, limit=10, offset=0)
            for name in (OTHER, SYSTEM_ACTOR.organisation)
        ]
    # the reassessment's entry supersedes the first one, both the case's organisation's
    assert sorted((entry.assessment_id, entry.status) for entry in own) == sorted(
        [(first_id, "superseded"), (second.id, "active")]
    )
    assert others == [[], []]


async def test_before_its_case_opened_the_first_event_decides_and_case_opened_then_moves_the_case(
    scoped: AssessmentService,
) -> None:
    case_id, number = uuid4(), "KMB-2026-00004"
    await scoped.publish(
        HouseholdChanged(
            actor=Actor(user_id="worker-brno", organisation=OTHER),
            case_id=case_id,
            case_number=number,
            household=household(),
        )
    )
    assert await _organisations(scoped, case_id) == [("pending", OTHER)]

    await scoped.publish(
        CaseOpened(case_id=case_id, case_number=number, household=household(), actor=INTAKE_ACTOR)
    )
    assert await _organisations(scoped, case_id) == [("pending", ORGANISATION)]
    async with scoped.deps.uow() as uow:
        assert await uow.store.case_organisation(case_id) == ORGANISATION
        [pending] = await queries.assessments_of_case(uow.store, case_id, ORGANISATION)
        assert await queries.assessments_of_case(uow.store, case_id, OTHER) == []
    # a repeated CaseOpened naming another organisation changes nothing
    await scoped.publish(
        CaseOpened(
            case_id=case_id,
            case_number=number,
            household=household(),
            actor=Actor(user_id="worker-brno", organisation=OTHER),
        )
    )
    assert await _organisations(scoped, case_id) == [("pending", ORGANISATION)]
    await _submit(scoped, pending.id, ORGANISATION)
    assert await _organisations(scoped, case_id) == [("submitted", ORGANISATION)]
