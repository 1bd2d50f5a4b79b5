"""Who may call the assessment API: workers change and read, auditors only read (both within their
organisation: see test_organisation_scoping), administrators, analysts, editors and partners nothing
about cases (401 without sign-in, 403 with the wrong role); a cookie sign-in must send its CSRF token
with every change."""

from __future__ import annotations

import uuid

import pytest
from assessment_support import ORGANISATION, AssessmentService, case_opened

from kmb_shared.auth import CSRF_HEADER, SESSION_COOKIE, Role, Signer
from kmb_testkit.fixtures import TEST_SECRET, bearer


@pytest.fixture
def service(offline_service: AssessmentService) -> AssessmentService:
    """No broker needed: the events a test needs are applied by the application's handlers."""
    return offline_service


NO_CREDENTIALS = {"Authorization": ""}


async def _pending_id(service: AssessmentService) -> str:
    event = case_opened()
    await service.publish(event)
    return str((await service.assessments(event.case_id))[0]["id"])


def _case_calls(case_id: object, assessment_id: object) -> list[tuple[str, str]]:
    """Every endpoint about a case or its assessment, and the register."""
    return [
        ("GET", f"/api/cases/{case_id}/assessments"),
        ("GET", f"/api/assessments/{assessment_id}"),
        ("PUT", f"/api/assessments/{assessment_id}/survey"),
        ("POST", f"/api/assessments/{assessment_id}/submit"),
        ("GET", "/api/register"),
    ]


async def test_every_case_endpoint_refuses_a_caller_who_is_not_signed_in(service: AssessmentService) -> None:
    some_id = uuid.uuid4()
    for method, path in _case_calls(some_id, some_id):
        response = await service.client.request(method, path, json={}, headers=NO_CREDENTIALS)
        assert response.status_code == 401, (method, path)
        assert response.json()["detail"]["code"] == "unauthenticated"
        assert response.headers["www-authenticate"] == "Bearer"


@pytest.mark.parametrize(
    "role", [Role.ANALYST, Role.PARTNER, Role.CATALOGUE_EDITOR, Role.RULES_EDITOR, Role.ADMIN]
)
async def test_administrators_analysts_partners_and_editors_may_neither_read_nor_change_assessments(
    service: AssessmentService, role: Role
) -> None:
    assessment_id = await _pending_id(service)
    case_id = (await service.client.get(f"/api/assessments/{assessment_id}")).json()["case_id"]
    # even of the case's own organisation: the role gives no access to cases
    headers = bearer(role, organisation=ORGANISATION)
    for method, path in _case_calls(case_id, assessment_id):
        response = await service.client.request(method, path, json={}, headers=headers)
        assert response.status_code == 403, (method, path)
        assert response.json()["detail"]["code"] == "forbidden"
    # Nothing was saved by the refused calls.
    assert (await service.client.get(f"/api/assessments/{assessment_id}")).json()["survey"] is None


async def test_auditors_read_assessments_and_the_register_but_change_nothing(
    service: AssessmentService,
) -> None:
    assessment_id = await _pending_id(service)
    headers = bearer(Role.AUDITOR, organisation=ORGANISATION)

    read = await service.client.get(f"/api/assessments/{assessment_id}", headers=headers)
    listed = await service.client.get(f"/api/cases/{read.json()['case_id']}/assessments", headers=headers)
    register = await service.client.get("/api/register", headers=headers)
    survey = await service.client.put(f"/api/assessments/{assessment_id}/survey", json={}, headers=headers)
    submit = await service.client.post(f"/api/assessments/{assessment_id}/submit", headers=headers)

    assert (read.status_code, listed.status_code, register.status_code) == (200, 200, 200)
    assert [row["id"] for row in listed.json()] == [assessment_id]
    assert (survey.status_code, submit.status_code) == (403, 403)


async def test_reference_data_needs_no_sign_in(service: AssessmentService) -> None:
    codes = await service.client.get("/api/survey-codes", headers=NO_CREDENTIALS)
    rule_sets = await service.client.get("/api/rule-sets", headers=NO_CREDENTIALS)
    assert (codes.status_code, rule_sets.status_code) == (200, 200)


async def test_a_cookie_signed_in_worker_must_send_the_csrf_token_to_change_a_survey(
    service: AssessmentService,
) -> None:
    assessment_id = await _pending_id(service)
    signer = Signer(TEST_SECRET)
    cookie = signer.session("u-cookie", {Role.WORKER}, "kmb-praha7")
    principal = signer.read_session(cookie)
    assert principal is not None
    service.client.cookies.set(SESSION_COOKIE, cookie)
    url = f"/api/assessments/{assessment_id}/survey"

    without = await service.client.put(url, json={"notes": "bez tokenu"}, headers=NO_CREDENTIALS)
    wrong = await service.client.put(url, json={}, headers={**NO_CREDENTIALS, CSRF_HEADER: "guess"})
    right = await service.client.put(url, json={}, headers={**NO_CREDENTIALS, CSRF_HEADER: principal.csrf})

    assert (without.status_code, wrong.status_code) == (403, 403)
    assert without.json()["detail"]["code"] == "csrf"
    assert right.status_code == 200 and right.json()["survey"]["updated_by"] == "u-cookie"
