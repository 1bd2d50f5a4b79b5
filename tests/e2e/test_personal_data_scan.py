"""Issue 14, done when: after a flow with consent (names, birth number, phone, e-mail, street entered;
notes that name the client with the referral and its steps), a scan of every message on every topic
finds no personal data, neither the values entered (taken from intake's database and given) nor
anything that looks like a birth number, phone or e-mail. The scan can fail: a message of the first
version with the client's name in it is found."""

from __future__ import annotations

import asyncio
import json
import uuid
from pathlib import Path

import httpx
import pytest

from kmb_cli.commands.personal_data import scan_topics
from kmb_cli.lag import consumer_lag
from kmb_cli.ops.personal_data import ADDRESS, BIRTH_NUMBER, EMAIL, NAME, PHONE, PersonalValue, intake_values
from kmb_shared.auth import Role
from kmb_shared.contracts import ReferralCompleted
from kmb_testkit.fixtures import bearer
from kmb_testkit.intake_bodies import consented_case_body
from kmb_testkit.probe import produce
from kmb_testkit.system import System, poll

pytestmark = [pytest.mark.kafka, pytest.mark.e2e]

HEADERS = bearer(Role.WORKER, Role.ADMIN, organisation="kmb-praha10", user="worker-7")
# Values that cannot occur by chance in an id, a pseudonym, a timestamp or a label.
FIRST, LAST, BORN, BIRTH_NO = "Zbyňka", "Qwertyová", "1977-09-29", "775929/1243"
PHONE_NO, MAIL, STREET = "+420 601 234 567", "zbynka.qwertyova@posta-test.cz", "Xyzova 771"
GIVEN = [
    PersonalValue(NAME, FIRST),
    PersonalValue(NAME, LAST),
    PersonalValue(BIRTH_NUMBER, BIRTH_NO),
    PersonalValue(PHONE, PHONE_NO),
    PersonalValue(PHONE, "601234567"),
    PersonalValue(EMAIL, MAIL),
    PersonalValue(ADDRESS, STREET),
]


def _post(
    system: System, service: str, path: str, body: object = None, headers: dict[str, str] = HEADERS
) -> dict:
    response = httpx.post(f"{system.urls[service]}{path}", json=body, headers=headers)
    assert response.status_code in (200, 201), response.text
    return dict(response.json())


def _lag(system: System, service: str) -> int | None:
    """The service's consumer lag; None while its group has committed nothing yet (a fresh system on a
    busy machine: it has not read its first event), which the waits below treat as not caught up."""
    group = f"{system.topics.prefix}kmb.{service}"
    lag = asyncio.run(consumer_lag(system.bootstrap, [group]))[group]
    return None if lag is None else int(lag)


def _intake_database(system: System) -> str:
    return (
        system.env.get("KMB_INTAKE_DATABASE_URL")
        or f"sqlite+aiosqlite:///{Path(system.var_dir) / 'intake.db'}"
    )


def test_after_a_flow_with_consent_no_topic_holds_personal_data(system: System) -> None:
    slug = f"azyl-{uuid.uuid4().hex[:6]}"
    _post(
        system,
        "referrals",
        "/api/partners",
        {"slug": slug, "name": "Azylový dům (test)", "kind": "ngo", "accepted_kinds": ["social_work"]},
    )
    body = consented_case_body(
        (FIRST, LAST, BORN, BIRTH_NO),
        18000,
        phone=PHONE_NO,
        email=MAIL,
        street=STREET,
        partner=slug,
        worker_id="worker-7",
    )
    case = _post(system, "intake", "/api/cases", body)
    poll(lambda: _lag(system, "referrals"), lambda lag: lag == 0, what="referrals has read CaseOpened")
    poll(lambda: _lag(system, "assessment"), lambda lag: lag == 0, what="assessment has read CaseOpened")
    referral = _post(
        system,
        "referrals",
        "/api/referrals",
        {
            "case_id": case["id"],
            "partner": slug,
            "kind": "social_work",
            "note": f"Volat {FIRST} na {PHONE_NO}.",
        },
    )
    assert referral["identified"] is True
    partner = bearer(Role.PARTNER, organisation=slug, user=f"{slug}-clerk")
    path = f"/api/partner/{slug}/referrals/{referral['id']}"
    _post(system, "referrals", f"{path}/accept", headers=partner)
    note = f"{FIRST} {LAST} bydlí nyní {STREET}, {MAIL}."
    _post(system, "referrals", f"{path}/complete", {"outcome": "other", "note": note}, headers=partner)
    details = httpx.get(f"{system.urls['referrals']}{path}", headers=partner).json()
    assert details["outcome_note"] == note, "the partner reads the note over the API"
    # The completion is the flow's last event: once stats has counted it, it is on the topics (lag 0
    # alone could hold before an outbox relay had sent it), and then every consumer catches up.
    analyst = bearer(Role.ANALYST, organisation="kmb-praha10", user="analyst-1")

    def completed() -> int:
        summary = httpx.get(f"{system.urls['stats']}/api/stats/summary", headers=analyst, timeout=30).json()
        return int(summary["events_by_type"].get(ReferralCompleted.event_type, 0))

    poll(completed, lambda count: count >= 1, what="stats has counted the referral's completion")
    for service in ("stats", "referrals", "assessment", "catalogue"):
        poll(lambda s=service: _lag(system, s), lambda lag: lag == 0, what=f"{service} has read everything")

    entered = asyncio.run(intake_values(_intake_database(system)))
    assert {v.value for v in entered} >= {FIRST, LAST, MAIL, STREET}, (
        "intake's database holds what was entered"
    )
    read, findings = asyncio.run(
        scan_topics(system.bootstrap, [*GIVEN, *entered], prefix=system.topics.prefix)
    )

    assert read >= 6, "the case's events, the referral's and its partner messages were read"
    assert [f.line_cs() for f in findings] == []

    # The scan can fail: a message of the first version with the client inside is found.
    old = {
        "message_type": "kmb.partner.referral.v1",
        "client": {"full_name": f"{FIRST} {LAST}", "phone": PHONE_NO},
    }
    control = system.topics.partner(slug)
    asyncio.run(produce(system.bootstrap, control, [(json.dumps(old).encode(), [], b"k")]))
    _, found = asyncio.run(scan_topics(system.bootstrap, GIVEN, prefix=system.topics.prefix))
    assert {(f.topic, f.kind) for f in found} == {(control, NAME), (control, PHONE)}
