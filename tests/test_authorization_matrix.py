"""The authorization matrix of issue 13: every operation of the five services (API and pages) called by
eleven principals, each cell checked against the rule written below.

Fast tier, in one process (``kmb_testkit.inprocess``): the five apps on SQLite, their events handed
from outbox to consumers in memory, so one real case exists end to end (opened in intake, assessed,
suggested, referred to a partner) and every path parameter names something real. The rule of each
route is written here by hand from the role table of the README (issue 13, item 12), not read from the
code; the list of routes is the apps' own, so a new route without a rule fails the test, and a rule
left for a route that is gone fails too.

A rule is a string of words:

- ``public`` — no sign-in needed: nobody gets 401/403; ``health`` — the same, and /readyz may say 503
  (there is no broker in this test); ``redirect`` — 303 for everybody; ``csrf`` — 403 for everybody
  (a sign-in form without its CSRF token);
- ``signed`` — any signed-in principal, of any role;
- role names — exactly those roles; a principal without one of them gets 403, an anonymous caller 401
  (API) or a redirect to the sign-in page (pages);
- ``@case`` — the route names one case (or its assessment, referral, timeline): a worker or auditor of
  another organisation gets 404 (a change with an invalid body may be refused with 422 first: nothing
  is read or changed either way), and the case's own organisation gets it (2xx on reading);
- ``@list`` — the route lists cases or things of cases: another organisation's principal gets the list
  without this case;
- ``@partner`` — the route is a partner's own: another partner gets 403 or 404 and nothing of the case.

Every cell also checks that no answer to a principal who may not see the case names it (its number,
the applicant's name, its id — unless the path carried it), and that no cell answers 5xx. What a
valid body does in another organisation's case (a referral made, a place allocated on it) is checked
by each service's scoping tests, with bodies this matrix does not build.
"""

from __future__ import annotations

import io
import re
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from pypdf import PdfWriter

from kmb_shared.auth import Role
from kmb_testkit.fixtures import bearer
from kmb_testkit.inprocess import SERVICES, InProcessSystem, in_process_system
from kmb_testkit.routes import api_routes

W, A, AD, AN, CE, RE, P = (
    "worker",
    "auditor",
    "admin",
    "analyst",
    "catalogue_editor",
    "rules_editor",
    "partner",
)
STATS = f"{AN} {W} {AD}"

#: what every service serves for operators and tools: health, metrics, its AsyncAPI and API documents,
#: and the read-model digest and consumer state for other services (signed requests)
OPERATIONS = {
    "GET /healthz": "public",
    "GET /metrics": "public",
    "GET /readyz": "health",
    "GET /asyncapi.json": "public",
    "GET /internal/read-models/digest": "signed",
    "GET /internal/consumer": "signed",
    "GET /docs": "public",
    "GET /docs/init.js": "public",
    "GET /favicon.ico": "public",
}

RULES: dict[str, dict[str, str]] = {
    "intake": {
        **OPERATIONS,
        "GET /internal/auth/check": "public",  # the verdict on the credential sent (none: not valid)
        "POST /api/contacts": W,
        "GET /api/contacts": f"{W} {A} @list",
        "POST /api/cases": W,
        "GET /api/cases": f"{W} {A} @list",
        "GET /api/cases/mine": f"{W} @list",
        "GET /api/cases/{case_id}": f"{W} {A} @case",
        "GET /api/cases/{case_id}/for-partner": f"{P} @partner",  # the consent names the partner
        "PUT /api/cases/{case_id}/household": f"{W} @case",
        "POST /api/cases/{case_id}/close": f"{W} @case",
        "POST /api/cases/{case_id}/reopen": f"{W} @case",
        "GET /api/cases/{case_id}/diary": f"{W} {A} @case",
        "POST /api/cases/{case_id}/diary": f"{W} @case",
        "PATCH /api/cases/{case_id}/diary/{note_id}": f"{W} @case",  # and only its author
        "GET /api/cases/{case_id}/documents": f"{W} {A} @case",
        "POST /api/cases/{case_id}/documents": f"{W} @case",
        "GET /api/cases/{case_id}/documents/{document_id}": f"{W} {A} @case",
        "POST /api/cases/{case_id}/documents/{document_id}/delete": f"{W} @case",
        "GET /api/me": "signed",
        "GET /api/users": AD,
        "POST /api/users": AD,
        "POST /api/users/{user_id}/deactivate": AD,
        "POST /api/users/{user_id}/activate": AD,
        "PUT /api/users/{user_id}/roles": AD,
        "PUT /api/users/{user_id}/password": AD,
        "POST /api/tokens": AD,
        "GET /api/tokens": AD,
        "POST /api/tokens/{token_id}/revoke": AD,
        "DELETE /api/tokens/{token_id}": AD,
        "GET /api/audit/views": f"{A} @list",
        "POST /api/audit/subject-report": A,  # the view log is the auditors' (README role table)
        "GET /": "redirect",
        "GET /login": "public",
        "POST /login": "csrf",
        "POST /logout": "redirect",
        "GET /desk": f"{W} @list",
        "GET /cases/new": W,
        "POST /cases/new": W,
        "GET /cases": f"{W} {A} @list",
        "GET /cases/{case_id}": f"{W} {A} @case",
        "POST /cases/{case_id}/close": f"{W} @case",
        "POST /cases/{case_id}/reopen": f"{W} @case",
        "GET /cases/{case_id}/household": f"{W} @case",
        "POST /cases/{case_id}/household": f"{W} @case",
        "POST /cases/{case_id}/diary": f"{W} @case",
        "GET /cases/{case_id}/diary/{note_id}": f"{W} @case",  # the author's correction form
        "POST /cases/{case_id}/diary/{note_id}": f"{W} @case",
        "POST /cases/{case_id}/documents": f"{W} @case",
        "GET /cases/{case_id}/documents/{document_id}": f"{W} {A} @case",
        "GET /cases/{case_id}/documents/{document_id}/delete": f"{W} @case",
        "POST /cases/{case_id}/applications": f"{W} @case",  # applications (issue 12)
        "GET /cases/{case_id}/applications/{application_id}": f"{W} {A} @case",
        "POST /cases/{case_id}/applications/{application_id}": f"{W} @case",  # save, print
        "GET /cases/{case_id}/applications/{application_id}/versions/{number}": f"{W} {A} @case",
        "POST /cases/{case_id}/applications/{application_id}/versions/{number}/signed": f"{W} @case",
        "POST /cases/{case_id}/applications/{application_id}/submitted": f"{W} @case",
        "POST /cases/{case_id}/applications/{application_id}/decision": f"{W} @case",
        "POST /cases/{case_id}/documents/{document_id}/delete": f"{W} @case",
        "GET /contacts/new": W,
        "POST /contacts/new": W,
        "GET /admin/users": AD,
        "POST /admin/users": AD,
        "GET /admin/users/{user_id}": AD,
        "POST /admin/users/{user_id}/roles": AD,
        "POST /admin/users/{user_id}/password": AD,
        "POST /admin/users/{user_id}/deactivate": AD,
        "POST /admin/users/{user_id}/activate": AD,
        "POST /admin/tokens": AD,
        "POST /admin/tokens/{token_id}/revoke": AD,
        "GET /admin/erasure": AD,  # erasure (issue 14): only an administrator, with a recorded reason
        "POST /admin/erasure": AD,
        "GET /admin/retention": AD,
        "POST /admin/retention": AD,
        "POST /api/cases/{case_id}/erasure": AD,
        "POST /api/cases/{case_id}/members/{position}/erasure": AD,
        "GET /api/retention/runs": AD,
        "POST /api/retention/runs": AD,
        "GET /audit/views": f"{A} @list",
        "GET /cases/{case_id}/plan": f"{W} {A} @case",  # the client's plan and the case summary (issue 12)
        "GET /cases/{case_id}/plan.pdf": f"{W} {A} @case",
        "GET /cases/{case_id}/summary": f"{W} {A} @case",
        "GET /cases/{case_id}/summary.pdf": f"{W} {A} @case",
        "GET /audit/subject-report": A,
        "POST /audit/subject-report": A,
    },
    "assessment": {
        **OPERATIONS,
        "GET /api/cases/{case_id}/assessments": f"{W} {A} @list",
        "GET /api/assessments/{assessment_id}": f"{W} {A} @case",
        "PUT /api/assessments/{assessment_id}/survey": f"{W} @case",
        "POST /api/assessments/{assessment_id}/submit": f"{W} @case",
        "GET /api/register": f"{W} {A} @list",
        "GET /api/rule-sets": "public",
        "GET /api/survey-codes": "public",
        "POST /api/rule-sets/uploads": RE,
        "GET /api/rule-sets/uploads": RE,
        "GET /api/rule-sets/uploads/{upload_id}": RE,
        "POST /api/rule-sets/uploads/{upload_id}/preview": RE,
        "GET /api/rule-sets/uploads/{upload_id}/preview": RE,
        "GET /api/rule-sets/uploads/{upload_id}/preview/cases": RE,
        "GET /api/rule-sets/uploads/{upload_id}/preview.xlsx": RE,
        "POST /api/rule-sets/uploads/{upload_id}/activate": RE,
        "GET /api/reassessments": f"{W} {RE} @list",
        "GET /cases/{case_id}": f"{W} {A} @case",
        "GET /assessments/{assessment_id}": f"{W} {A} @case",
        "GET /register": f"{W} {A} @list",
        "GET /assessments/{assessment_id}/survey": f"{W} @case",
        "POST /assessments/{assessment_id}/survey": f"{W} @case",
        "GET /register.xlsx": f"{W} {A} @list",
        "GET /rules": RE,
        "POST /rules/upload": RE,
        "GET /rules/{upload_id}": RE,
        "POST /rules/{upload_id}/preview": RE,
        "POST /rules/{upload_id}/activate": RE,
        "GET /rules/{upload_id}/dopad.xlsx": RE,
    },
    "catalogue": {
        **OPERATIONS,
        "POST /api/solutions": f"{CE} {AD}",
        "GET /api/solutions": f"{W} {CE} {AD} {P}",
        "GET /api/solutions/{solution_id}": f"{W} {CE} {AD} {P}",
        "PATCH /api/solutions/{solution_id}": f"{CE} {AD}",
        "DELETE /api/solutions/{solution_id}": f"{CE} {AD}",
        "POST /api/solutions/{solution_id}/allocate": f"{W} {CE} {AD}",
        "POST /api/solutions/{solution_id}/release": f"{W} {CE} {AD}",
        "POST /api/solutions/{solution_id}/capacity": f"{CE} {AD}",
        "GET /api/solutions/{solution_id}/allocations": f"{W} {CE} {AD} @list",
        "GET /api/cases/{case_id}/suggestions": f"{W} {CE} {AD} @case",
        "POST /api/cases/{case_id}/suggestions/recompute": f"{W} {CE} {AD} @case",
        "POST /api/demo/load": f"{CE} {AD}",
        "GET /cases/{case_id}/suggestions": f"{W} @case",
        "POST /cases/{case_id}/suggestions/recompute": f"{W} @case",
        "GET /catalogue": f"{W} {CE} {AD}",
        "GET /catalogue/new": f"{CE} {AD}",
        "POST /catalogue/new": f"{CE} {AD}",
        "GET /catalogue/{solution_id}": f"{W} {CE} {AD}",
        "GET /catalogue/{solution_id}/edit": f"{CE} {AD}",
        "POST /catalogue/{solution_id}/edit": f"{CE} {AD}",
        "POST /catalogue/{solution_id}/withdraw": f"{CE} {AD}",
        "POST /catalogue/{solution_id}/capacity": f"{CE} {AD}",
        "GET /leaflet": "public",
        "GET /leaflet.pdf": "public",
    },
    "referrals": {
        **OPERATIONS,
        "GET /api/cases/{case_id}/open-referrals": AD,  # a count for intake before an erasure
        "POST /api/partners": AD,
        "GET /api/partners": f"{W} {AD} {A} {P}",
        "GET /api/partners/{slug}": f"{W} {AD} {A} {P} @partner",
        "PATCH /api/partners/{slug}": AD,
        "POST /api/partners/{slug}/tokens": AD,
        "POST /api/demo/partners": AD,
        "POST /api/referrals": W,
        "POST /api/case-conferences": W,
        "GET /api/referrals": f"{W} {A} @list",
        "GET /api/referrals/{referral_id}": f"{W} {A} @case",
        "POST /api/referrals/{referral_id}/accept": f"{W} {P} @case @partner",
        "POST /api/referrals/{referral_id}/decline": f"{W} {P} @case @partner",
        "POST /api/referrals/{referral_id}/complete": f"{W} {P} @case @partner",
        "POST /api/referrals/{referral_id}/cancel": f"{W} @case",
        "POST /api/referrals/{referral_id}/binding-opinion": f"{W} {P} @case @partner",
        "GET /api/alerts": f"{W} {A} @list",
        "POST /api/alerts/{referral_id}/dismiss": f"{W} @case",
        "GET /api/notifications": W,  # each worker's own (tests in referrals: another's is not seen)
        "POST /api/notifications/read": W,
        "POST /api/notifications/{notification_id}/read": W,
        "GET /notifications": W,
        "POST /notifications/read": W,
        "POST /notifications/{notification_id}/read": W,
        "GET /api/partner/{slug}/inbox": f"{P} @partner",
        "GET /api/partner/{slug}/referrals/{referral_id}": f"{P} @partner",
        "POST /api/partner/{slug}/referrals/{referral_id}/accept": f"{P} @partner",
        "POST /api/partner/{slug}/referrals/{referral_id}/decline": f"{P} @partner",
        "POST /api/partner/{slug}/referrals/{referral_id}/complete": f"{P} @partner",
        "POST /api/partner/{slug}/referrals/{referral_id}/binding-opinion": f"{P} @partner",
        "GET /cases/{case_id}": f"{W} {A} @case",
        "POST /cases/{case_id}/referrals/{referral_id}/cancel": f"{W} @case",
        "POST /cases/{case_id}/alerts/{referral_id}/dismiss": f"{W} @case",
        "GET /cases/{case_id}/refer": f"{W} @case",
        "POST /cases/{case_id}/refer": f"{W} @case",
        "GET /partner/inbox": f"{P} @partner",
        "POST /partner/inbox/{referral_id}/{action}": f"{P} @partner",
        "GET /partners": AD,
        "POST /partners": AD,
        "POST /demo/partners": AD,
        "GET /partners/{slug}": AD,
        "POST /partners/{slug}": AD,
        "POST /partners/{slug}/deactivate": AD,
        "POST /partners/{slug}/activate": AD,
        "POST /partners/{slug}/token": AD,
    },
    "stats": {
        **OPERATIONS,
        "GET /api/stats/summary": STATS,
        "GET /api/stats/breakdown/{dimension}": STATS,
        "GET /api/stats/series/{metric}": STATS,
        "GET /api/stats/digest": "signed",
        "POST /api/stats/reports": STATS,
        "GET /api/stats/reports": STATS,
        "GET /api/stats/reports/live/{period}.{fmt}": STATS,
        "GET /api/stats/reports/{report_id}.{fmt}": STATS,
        "GET /api/stats/reports/{report_id}": STATS,
        "GET /api/audit/cases/{case}": f"{A} {AD} {W} @case",
        "GET /": "redirect",
        "GET /dashboard": STATS,
        "GET /reports": STATS,
        "POST /reports": STATS,
        "GET /reports/{report_id}": STATS,
        "GET /audit": f"{A} {AD} @list",
        "GET /audit/cases/{reference}": f"{A} {AD} {W} @case",
    },
}

ROLES = (W, A, AD, AN, CE, RE, P)
HOME = "kmb"
PARTNER = "socialni-odbor"
#: an applicant's surname that no page or example carries, so finding it in an answer means a leak
SURNAME = "Matrixová"


@dataclass(frozen=True)
class Caller:
    name: str
    role: str | None  # None: nobody signed in
    other: bool = False  # of another organisation (or another partner)

    def headers(self) -> dict[str, str]:
        if self.role is None:
            return {}
        if self.role == P:
            organisation = "cizi-partner" if self.other else PARTNER
        else:
            organisation = "jine-mesto" if self.other else HOME
        return bearer(self.role, organisation=organisation, user=f"u-{self.name}")


CALLERS = (
    [Caller("anonymous", None)]
    + [Caller(role, role) for role in ROLES]
    + [Caller("other-worker", W, True), Caller("other-auditor", A, True), Caller("other-partner", P, True)]
)
OPERATOR = bearer(Role.WORKER, Role.ADMIN, Role.CATALOGUE_EDITOR, organisation=HOME, user="u-operator")


def household(surname: str) -> dict[str, Any]:
    return {
        "members": [
            {
                "first_name": "Jana",
                "last_name": surname,
                "date_of_birth": "1988-04-12",
                "relationship": "applicant",
                "incomes": [{"source": "employment", "amount_monthly": 18000}],
            }
        ],
        "address": {"district": "Praha 10", "orp_code": "1100"},
        "dwelling": {"kind": "flat", "legal_title": "lease"},
        "costs": {"rent": 11000},
        "consent": {
            "purpose": "předání partnerům",
            "given_on": "2026-01-05",
            "worker_id": "u-operator",
            "partners": [PARTNER],
        },
    }


async def seed(system: InProcessSystem) -> dict[str, str]:
    """One case through every service; the values of every path parameter."""

    async def call(service: str, method: str, path: str, **kwargs: Any) -> Any:
        async with system.client(service) as client:
            response = await client.request(method, path, headers=OPERATOR, **kwargs)
        assert response.status_code < 300, f"{service} {method} {path}: {response.text}"
        return response.json()

    for filler in ("Vzorová", "Ukázková"):  # the case of the matrix is not KMB-…-00001 of examples
        await call("intake", "POST", "/api/cases", json=household(filler))
    case = await call("intake", "POST", "/api/cases", json=household(SURNAME))
    # a diary note by the matrix's own worker (only its author may open its correction form) and a PDF
    async with system.client("intake") as client:
        note = await client.post(
            f"/api/cases/{case['id']}/diary", json={"text": "Záznam matice."}, headers=Caller(W, W).headers()
        )
    assert note.status_code == 201, note.text
    document = await call(
        "intake", "POST", f"/api/cases/{case['id']}/documents", files={"file": ("smlouva.pdf", small_pdf())}
    )
    application = await printed_application(system, case["id"])
    await call("catalogue", "POST", "/api/demo/load")
    await system.pump()
    assessments = await call("assessment", "GET", f"/api/cases/{case['id']}/assessments")
    assessment = assessments[0]["id"]
    survey = {"checked_documents": ["lease_contract", "income_statement"], "notes": "doklady ověřeny"}
    await call("assessment", "PUT", f"/api/assessments/{assessment}/survey", json=survey)
    await call("assessment", "POST", f"/api/assessments/{assessment}/submit")
    await system.pump()
    suggested = await call("catalogue", "GET", f"/api/cases/{case['id']}/suggestions")
    partner = {
        "slug": PARTNER,
        "name": "Sociální odbor",
        "kind": "social_department",
        "accepted_kinds": ["housing_assistance", "social_work"],
    }
    await call("referrals", "POST", "/api/partners", json=partner)
    referral = await call(
        "referrals",
        "POST",
        "/api/referrals",
        json={"case_id": case["id"], "partner": PARTNER, "kind": "housing_assistance"},
    )
    await system.pump()
    return {
        "case_id": case["id"],
        "case": case["number"],
        "reference": case["number"],
        "assessment_id": assessment,
        "solution_id": suggested["suggestions"][0]["solution_id"],
        "referral_id": referral["id"],
        "slug": PARTNER,
        "note_id": note.json()["id"],
        "document_id": document["id"],
        "application_id": application,
        "number": "1",
        "upload_id": str(uuid.uuid4()),
        "report_id": str(uuid.uuid4()),
        "user_id": "u-nobody",
        "token_id": uuid.uuid4().hex,
        "dimension": "need_level",
        "metric": "people_in_need",
        "period": "2026",
        "fmt": "csv",
        "action": "accept",
        "position": "1",
        "notification_id": str(uuid.uuid4()),  # nobody's: each worker sees only their own
    }


async def printed_application(system: InProcessSystem, case_id: str) -> str:
    """An application of the case with one printed version (a draft); its id."""
    async with system.client("intake") as client:
        opened = await client.post(
            f"/cases/{case_id}/applications", data={"kind": "emergency_aid"}, headers=OPERATOR
        )
        path = opened.headers["location"].split("?")[0]
        printed = await client.post(path, data={"action": "draft"}, headers=OPERATOR)
    assert printed.status_code == 303, printed.text
    return path.rsplit("/", 1)[1]


def small_pdf() -> bytes:
    """A real one-page PDF (pypdf)."""
    writer = PdfWriter()
    writer.add_blank_page(width=100, height=100)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def operations(system: InProcessSystem, service: str) -> dict[str, Any]:
    found = {}
    for route in api_routes(system.apps[service].routes):
        for method in sorted(route.methods - {"HEAD"}):
            found[f"{method} {route.path}"] = route
    return found


def expected_problems(
    rule: str, caller: Caller, response: httpx.Response, is_page: bool, case: dict[str, str]
) -> list[str]:
    """What is wrong with one cell (empty when it follows the rule)."""
    words = rule.split()
    roles = [w for w in words if w in ROLES]
    status = response.status_code
    method = response.request.method
    problems = []
    if status >= 500 and not (words == ["health"] and status == 503):
        return [f"{status} server error"]
    if words[0] in ("public", "health"):
        if status in (401, 403):
            problems.append(f"{status} on a public route")
        return problems
    if words[0] == "redirect":
        return [] if status == 303 else [f"{status}, not 303"]
    if words[0] == "csrf":
        return [] if status == 403 else [f"{status}, not 403 (no CSRF token)"]
    if caller.role is None:
        if is_page:
            if status != 303 or "/login" not in response.headers.get("location", ""):
                problems.append(f"{status} {response.headers.get('location', '')}: not sent to sign in")
        elif status != 401:
            problems.append(f"{status}, not 401")
        return problems
    allowed = words[0] == "signed" or caller.role in roles
    if not allowed:
        return [] if status == 403 else [f"{status}, not 403"]
    if status in (401, 403) and not (caller.other and "@partner" in words and caller.role == P):
        return [f"{status} though the role may"]
    if caller.other:
        if "@case" in words and caller.role in (W, A):
            refused = (404,) if method == "GET" else (404, 422)
            if status not in refused:
                problems.append(f"{status}: another organisation's case not refused with 404")
        refused = (403, 404) if method == "GET" else (403, 404, 422)
        if "@partner" in words and caller.role == P and status not in refused:
            problems.append(f"{status}: another partner's item not refused")
    elif "@case" in words and method == "GET" and not 200 <= status < 300:
        problems.append(f"{status}: the case's own organisation does not get it")
    return problems


def leaked(caller: Caller, rule: str, path: str, response: httpx.Response, case: dict[str, str]) -> bool:
    """Whether an answer to someone who may not see the case names it."""
    if not caller.other and caller.role in rule.split():
        return False
    text = response.text
    marks = [mark for mark in (SURNAME, case["case"], case["case_id"]) if mark not in path]  # not an echo
    return any(mark in text for mark in marks)


@pytest.mark.parametrize("service", SERVICES)
async def test_every_route_follows_its_rule_for_every_principal(service: str, tmp_path: Path) -> None:
    async with in_process_system(tmp_path) as system:
        routes = operations(system, service)
        rules = RULES[service]
        assert sorted(set(routes) - set(rules)) == [], f"routes of {service} without a rule in RULES"
        assert sorted(set(rules) - set(routes)) == [], f"rules for routes {service} no longer has"
        case = await seed(system)
        failures = []
        async with system.client(service, follow_redirects=False) as client:
            for operation, route in routes.items():
                method, template = operation.split(" ", 1)
                path = re.sub(r"\{(\w+)\}", lambda m: case[m.group(1)], template)
                is_page = not route.include_in_schema and template not in ("/docs", "/docs/init.js")
                for caller in CALLERS:
                    body: dict[str, Any] = {}
                    if method != "GET":
                        body = {"data": {}} if is_page else {"json": {}}
                    response = await client.request(method, path, headers=caller.headers(), **body)
                    cell = f"{operation} as {caller.name}: "
                    failures += [
                        cell + p for p in expected_problems(rules[operation], caller, response, is_page, case)
                    ]
                    if leaked(caller, rules[operation], path, response, case):
                        failures.append(cell + f"{response.status_code} answer names the case")
        assert failures == [], f"{len(failures)} cells break their rule:\n" + "\n".join(failures)
