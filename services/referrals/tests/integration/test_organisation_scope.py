"""Organisation scoping: a case belongs to the organisation whose worker opened it (CaseOpened's actor), and
only that organisation's workers and auditors see or change its referrals, on every route and page.

The rule, as intake answers for a case of another organisation: reads and writes of another
organisation's case or referral are not found (404, its existence is not told); lists leave them out.
A role that may not do something at all (an auditor changing anything) is refused first (403).
A referral of a case referrals has not heard of yet belongs to the organisation of the worker who made
it, until intake's CaseOpened says whose case it is.

Runs on SQLite and PostgreSQL (the lists' scoping is SQL); the events of intake are applied as the
consumer applies them (their delivery over Kafka is the broker tests' part)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest

from kmb_referrals.config import ReferralsSettings
from kmb_shared.auth import Role
from kmb_shared.contracts import SYSTEM_ACTOR, HouseholdChanged
from kmb_testkit.fixtures import TEST_SECRET, bearer
from kmb_testkit.routes import INFRASTRUCTURE, method_paths

from .pages_support import Browser, browser, worker
from .support import (
    ADMIN,
    AUDITOR,
    LIPOVEC,
    MONDAY,
    WORKER,
    Clock,
    OfflineReferrals,
    Referrals,
    StubIntake,
    case_opened,
    offline,
)

OTHER = "kmb-brezany"
OTHER_WORKER = bearer(Role.WORKER, organisation=OTHER, user="worker-b1")
OTHER_AUDITOR = bearer(Role.AUDITOR, organisation=OTHER, user="auditor-b1")

#: the worker-side routes; the partner registry (/api/partners...), the partner side (/api/partner/...)
#: and the operations routes have no case (the registry and partner tests cover them)
CASE_ROUTES = {
    ("GET", "/api/referrals"),
    ("GET", "/api/referrals/{referral_id}"),
    ("GET", "/api/alerts"),
    ("POST", "/api/referrals"),
    ("POST", "/api/case-conferences"),
    ("POST", "/api/referrals/{referral_id}/accept"),
    ("POST", "/api/referrals/{referral_id}/decline"),
    ("POST", "/api/referrals/{referral_id}/complete"),
    ("POST", "/api/referrals/{referral_id}/cancel"),
    ("POST", "/api/referrals/{referral_id}/binding-opinion"),
    ("POST", "/api/alerts/{referral_id}/dismiss"),
    ("GET", "/cases/{case_id}"),
    ("GET", "/cases/{case_id}/refer"),
    ("POST", "/cases/{case_id}/refer"),
    ("POST", "/cases/{case_id}/referrals/{referral_id}/cancel"),
    ("POST", "/cases/{case_id}/alerts/{referral_id}/dismiss"),
    ("GET", "/api/cases/{case_id}/open-referrals"),  # administrators, before an erasure
}
NO_CASE_PREFIXES = (
    "/api/notifications",  # the signed-in worker's own (tests/integration/test_notifications.py)
    "/notifications",
    "/api/partners",
    "/api/partner/",
    "/api/demo/",
    "/partners",
    "/partner/",
    "/demo/",
    *INFRASTRUCTURE,  # operations and documents every service serves
)


@pytest.fixture
async def referrals(database_url: str, intake: StubIntake, tmp_path: Path) -> AsyncIterator[Referrals]:
    """The service on SQLite or PostgreSQL, without the broker."""
    settings = ReferralsSettings(
        kafka_bootstrap="127.0.0.1:9",
        topic_prefix="offline.",
        database_url=database_url,
        intake_url=intake.url,
        var_dir=tmp_path,
        secret_key=TEST_SECRET,
    )
    async with offline(settings, Clock(MONDAY)) as service:
        yield service


async def _made(referrals: Referrals) -> dict[str, Any]:
    """Lipovec's case with three referrals: one waiting, one for a binding opinion, one with an alert."""
    await referrals.partner("ngo-domov", ["social_work", "debt_advice"])
    await referrals.partner("up-lipovec", ["binding_opinion"], kind="labour_office")
    case = uuid4()
    await referrals.open_case(case, number=7)
    waiting = await referrals.referral(case, "ngo-domov", "social_work", note="Paní Nováková, volat po 15.")
    opinion = await referrals.referral(case, "up-lipovec", "binding_opinion")
    alert = await referrals.referral(case, "ngo-domov", "debt_advice")
    assert (await referrals.step(alert["id"], "accept")).status_code == 200
    declined = await referrals.step(alert["id"], "decline", {"reason": "no_capacity"})
    assert declined.status_code == 200 and declined.json()["needs_worker_alert"] is True
    return {"case": case, "waiting": waiting["id"], "opinion": opinion["id"], "alert": alert["id"]}


async def _outbox_size(referrals: Referrals) -> int:
    assert isinstance(referrals, OfflineReferrals)
    return len(await referrals.read(referrals.topics.context("referrals"), 0)) + sum(
        [len(await referrals.read(referrals.topics.partner(s), 0)) for s in ("ngo-domov", "up-lipovec")]
    )


async def test_every_route_with_a_case_is_in_the_scoping_tests(referrals: Referrals) -> None:
    """A new worker-side route must be added to CASE_ROUTES (and so to the tests below)."""
    assert isinstance(referrals, OfflineReferrals) and referrals.app is not None
    assert method_paths(referrals.app.routes, skip=NO_CASE_PREFIXES) == CASE_ROUTES


async def test_another_organisations_administrator_counts_none_of_the_cases_open_referrals(
    referrals: Referrals,
) -> None:
    """Before an erasure intake asks how many referrals of the case are open: the case's own
    administrator learns the two still waiting (the declined one is not open), another
    organisation's administrator none."""
    case = (await _made(referrals))["case"]
    path = f"/api/cases/{case}/open-referrals"
    assert (await referrals.get(path, as_=ADMIN))["open"] == 2
    other_admin = bearer(Role.ADMIN, organisation=OTHER, user="admin-b1")
    assert (await referrals.get(path, as_=other_admin))["open"] == 0


async def test_another_organisations_worker_and_auditor_are_refused_on_every_api_route(
    referrals: Referrals,
) -> None:
    made = await _made(referrals)
    case, waiting, opinion, alert = made["case"], made["waiting"], made["opinion"], made["alert"]
    own = await referrals.get("/api/referrals")
    assert {r["id"] for r in own} == {waiting, opinion, alert}, "the case's own worker sees them"
    assert [r["id"] for r in await referrals.get("/api/alerts", as_=AUDITOR)] == [alert]
    events_before = await _outbox_size(referrals)

    for reader in (OTHER_WORKER, OTHER_AUDITOR):
        assert await referrals.get("/api/referrals", as_=reader) == []
        assert await referrals.get("/api/referrals", as_=reader, case_id=str(case)) == []
        assert await referrals.get("/api/referrals", as_=reader, partner="ngo-domov") == []
        assert await referrals.get("/api/alerts", as_=reader) == []
        for referral in (waiting, opinion, alert):
            response = await referrals.client.get(f"/api/referrals/{referral}", headers=reader)
            assert response.status_code == 404, response.text
            assert "Nováková" not in response.text

    writes: list[tuple[str, dict[str, Any] | None]] = [
        ("/api/referrals", {"case_id": str(case), "partner": "ngo-domov", "kind": "social_work"}),
        ("/api/case-conferences", {"case_id": str(case), "partners": ["ngo-domov", "up-lipovec"]}),
        (f"/api/referrals/{waiting}/accept", None),
        (f"/api/referrals/{waiting}/decline", {"reason": "no_capacity"}),
        (f"/api/referrals/{waiting}/complete", {"outcome": "service_provided"}),
        (f"/api/referrals/{waiting}/cancel", {"reason": "omyl"}),
        (f"/api/referrals/{opinion}/binding-opinion", {"positive": True}),
        (f"/api/alerts/{alert}/dismiss", None),
    ]
    for path, body in writes:
        as_worker = await referrals.client.post(path, json=body, headers=OTHER_WORKER)
        assert as_worker.status_code == 404, (path, as_worker.text)
        assert as_worker.json()["detail"]["message_cs"] and as_worker.json()["detail"]["message_en"]
        as_auditor = await referrals.client.post(path, json=body, headers=OTHER_AUDITOR)
        assert as_auditor.status_code == 403, (path, as_auditor.text)

    after = {r["id"]: r for r in await referrals.get("/api/referrals")}
    assert set(after) == {waiting, opinion, alert}, "nothing was made"
    assert (after[waiting]["status"], after[opinion]["status"]) == ("made", "made"), "nothing changed"
    assert after[alert]["needs_worker_alert"] is True
    assert await _outbox_size(referrals) == events_before, "nothing was published"


async def test_another_organisations_worker_and_auditor_are_refused_on_every_page(
    referrals: Referrals,
) -> None:
    made = await _made(referrals)
    case, waiting, alert = made["case"], made["waiting"], made["alert"]
    own = await worker(referrals).get(f"/cases/{case}")
    assert own.status_code == 200 and "KMB-2026-00007" in own.text
    events_before = await _outbox_size(referrals)
    other_worker = browser(referrals, Role.WORKER, organisation=OTHER, user="worker-b1")
    other_auditor = browser(referrals, Role.AUDITOR, organisation=OTHER, user="auditor-b1")

    async def refused(who: Browser, method: str, path: str, form: dict[str, str] | None = None) -> int:
        response = await (who.get(path) if method == "GET" else who.post(path, form))
        assert "KMB-2026-00007" not in response.text and "Nováková" not in response.text, path
        return response.status_code

    refer_form = {"kind": "social_work", "partner": "ngo-domov"}
    pages = [
        ("GET", f"/cases/{case}", None),
        ("GET", f"/cases/{case}/refer?kind=social_work", None),
        ("POST", f"/cases/{case}/refer", refer_form),
        ("POST", f"/cases/{case}/referrals/{waiting}/cancel", {"reason": "omyl"}),
        ("POST", f"/cases/{case}/alerts/{alert}/dismiss", None),
    ]
    for method, path, form in pages:
        assert await refused(other_worker, method, path, form) == 404, path
        expected = 404 if path == f"/cases/{case}" else 403  # the auditor reads the case page only
        assert await refused(other_auditor, method, path, form) == expected, path
    not_found = await other_worker.get(f"/cases/{case}")
    assert "Případ nenalezen" in not_found.text

    after = {r["id"]: r for r in await referrals.get("/api/referrals")}
    assert len(after) == 3 and after[waiting]["status"] == "made" and after[alert]["needs_worker_alert"]
    assert await _outbox_size(referrals) == events_before, "nothing was published"


async def test_a_case_not_heard_of_yet_is_the_referring_workers_until_intake_says_whose_it_is(
    referrals: Referrals,
) -> None:
    await referrals.partner("ngo-domov", ["social_work"])
    case = uuid4()
    made = await referrals.refer(case, "ngo-domov", "social_work", headers=OTHER_WORKER)
    assert made.status_code == 201, made.text
    referral = made.json()["id"]
    assert [r["id"] for r in await referrals.get("/api/referrals", as_=OTHER_WORKER)] == [referral]
    assert await referrals.get("/api/referrals") == [], "not Lipovec's while nobody said it is"
    assert (await referrals.client.get(f"/api/referrals/{referral}", headers=WORKER)).status_code == 404

    await referrals.open_case(case, organisation=LIPOVEC)  # intake: Lipovec's worker opened the case

    assert [r["id"] for r in await referrals.get("/api/referrals")] == [referral]
    assert await referrals.get("/api/referrals", as_=OTHER_WORKER) == []
    assert (await referrals.client.get(f"/api/referrals/{referral}", headers=OTHER_WORKER)).status_code == 404
    again = await referrals.refer(case, "ngo-domov", "social_work", headers=OTHER_WORKER)
    assert again.status_code == 404, "a case of another organisation takes no referral"
    assert (await worker(referrals).get(f"/cases/{case}")).status_code == 200


async def test_the_case_organisation_is_kept_whatever_the_order_of_intakes_events(
    referrals: Referrals,
) -> None:
    """CaseOpened says the organisation even when a later HouseholdChanged (here by the system) came first;
    the household facts stay the later event's."""
    assert isinstance(referrals, OfflineReferrals)
    case = uuid4()
    opened = case_opened(case, organisation=LIPOVEC)
    later = opened.household.model_copy(update={"district": "Lipovec-jih"})
    changed = HouseholdChanged(
        case_id=case,
        case_number=opened.case_number,
        household=later,
        actor=SYSTEM_ACTOR,
        occurred_at=opened.occurred_at + timedelta(days=1),
    )
    for event in (changed, opened):
        await referrals.apply_intake(event)
    async with referrals.deps.uow() as uow:
        row = await uow.store.case_facts(case)
    assert row is not None
    assert (row.organisation, row.district) == (LIPOVEC, "Lipovec-jih")
