"""Issue 14, done when: an erased case leaves the statistics unchanged and its personal data gone from
every database. The five services on the real broker: a case with consent (names, birth number, phone,
e-mail, street), a diary note, a referral to a partner with notes naming the client, accepted and
completed, the case closed; then an administrator erases it. Afterwards the stats summary is what it
was (the erasure is one more stored event, counted by type and by nothing else), no service's database
holds any value entered, every consuming service has handled PersonalDataErased (its inbox row: the
confirmation, which `kmb audit erasure` reports), and the case page says when and why the data were
erased. `kmb retention run --dry-run` finds nothing due (the case was closed today)."""

from __future__ import annotations

import json
import sqlite3
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest
from typer.testing import CliRunner

from kmb_cli.commands.erasure import retention_app
from kmb_cli.ops.commands import audit_app
from kmb_shared.auth import Role
from kmb_shared.contracts import CaseClosed, PersonalDataErased
from kmb_testkit.fixtures import bearer
from kmb_testkit.intake_bodies import consented_case_body
from kmb_testkit.system import System, poll

from .test_personal_data_scan import _lag, _post

pytestmark = [pytest.mark.kafka, pytest.mark.e2e]

ORG = "kmb-praha10"
WORKER = bearer(Role.WORKER, organisation=ORG, user="worker-8")
ADMIN = bearer(Role.ADMIN, organisation=ORG, user="admin-8")
ANALYST = bearer(Role.ANALYST, organisation=ORG, user="analyst-8")
FIRST, LAST, BORN, BIRTH_NO = "Květoslava", "Ypsilonová", "1981-07-14", "815714/0013"
PHONE_NO, MAIL, STREET = "+420 603 918 273", "kvetoslava.ypsilonova@posta-test.cz", "Qwertova 913"
VALUES = (FIRST, LAST, BIRTH_NO, BIRTH_NO.replace("/", ""), "603 918 273", "603918273", MAIL, STREET)
#: each value also as JSON writes it with ASCII escapes ("Ypsilonov\u00e1")
ENTERED = tuple(dict.fromkeys(form for v in VALUES for form in (v, json.dumps(v)[1:-1])))
CONSUMERS = ("referrals", "assessment", "catalogue", "stats")


def _summary(system: System) -> dict[str, Any]:
    response = httpx.get(f"{system.urls['stats']}/api/stats/summary", headers=ANALYST, timeout=30)
    assert response.status_code == 200, response.text
    return dict(response.json())


def _counted(system: System, event_type: str) -> int:
    return int(_summary(system)["events_by_type"].get(event_type, 0))


def _caught_up(system: System, event_type: str) -> None:
    """Stats has stored ``event_type`` (so it is on the topics) and every consumer has read everything."""
    poll(lambda: _counted(system, event_type), lambda n: n >= 1, what=f"stats has stored {event_type}")
    for service in CONSUMERS:
        poll(lambda s=service: _lag(system, s), lambda lag: lag == 0, what=f"{service} has read everything")


def _databases(system: System) -> dict[str, Path]:
    found = {p.stem: p for p in Path(system.var_dir).rglob("*.db")}
    assert {"intake", *CONSUMERS} <= set(found), found
    return {name: found[name] for name in ("intake", *CONSUMERS)}


def _text_of(database: Path) -> str:
    """Every value of every table of a SQLite database, as text."""
    with sqlite3.connect(database) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        rows = [row for table in tables for row in conn.execute(f'SELECT * FROM "{table}"')]
    return "\n".join(str(value) for row in rows for value in row)


def _handled(database: Path, event_id: str) -> list[str]:
    with sqlite3.connect(database) as conn:
        return [
            r[0] for r in conn.execute("SELECT event_type FROM kmb_inbox WHERE event_id = ?", (event_id,))
        ]


def _a_closed_case_with_a_referral(system: System) -> dict[str, Any]:
    slug = f"azyl-{uuid.uuid4().hex[:6]}"
    partner_body = {
        "slug": slug,
        "name": "Azylový dům (test)",
        "kind": "ngo",
        "accepted_kinds": ["social_work"],
    }
    _post(system, "referrals", "/api/partners", partner_body, headers=ADMIN)
    body = consented_case_body(
        (FIRST, LAST, BORN, BIRTH_NO),
        16000,
        phone=PHONE_NO,
        email=MAIL,
        street=STREET,
        partner=slug,
        worker_id="worker-8",
    )
    case = _post(system, "intake", "/api/cases", body, headers=WORKER)
    _post(
        system, "intake", f"/api/cases/{case['id']}/diary", {"text": f"{FIRST} volala z {PHONE_NO}"}, WORKER
    )
    poll(lambda: _lag(system, "referrals"), lambda lag: lag == 0, what="referrals has read CaseOpened")
    note = {"case_id": case["id"], "partner": slug, "kind": "social_work", "note": f"Volat {FIRST} {LAST}."}
    referral = _post(system, "referrals", "/api/referrals", note, headers=WORKER)
    partner = bearer(Role.PARTNER, organisation=slug, user=f"{slug}-clerk")
    path = f"/api/partner/{slug}/referrals/{referral['id']}"
    _post(system, "referrals", f"{path}/accept", headers=partner)
    outcome = {"outcome": "other", "note": f"{LAST} bydlí {STREET}, {MAIL}."}
    _post(system, "referrals", f"{path}/complete", outcome, headers=partner)
    _post(system, "intake", f"/api/cases/{case['id']}/close", {"reason": "housed_adequately"}, WORKER)
    return case


def test_an_erased_case_leaves_the_statistics_as_they_were_and_no_database_holds_its_data(
    system: System,
) -> None:
    case = _a_closed_case_with_a_referral(system)
    _caught_up(system, CaseClosed.event_type)
    databases = _databases(system)
    before = _summary(system)
    held = {name: [v for v in ENTERED if v in _text_of(db)] for name, db in databases.items()}
    assert LAST in held["intake"] and FIRST in held["referrals"], "the data were there to be erased"

    reason = {"reason": "data_subject_request", "note": "Žádost o výmaz ze dne 3. 12. 2026"}
    erased = _post(system, "intake", f"/api/cases/{case['id']}/erasure", reason, headers=ADMIN)
    _caught_up(system, PersonalDataErased.event_type)
    after = _summary(system)

    figures = {key: value for key, value in before.items() if key not in ("events_by_type", "events")}
    assert {key: value for key, value in after.items() if key in figures} == figures
    assert after["events_by_type"] == {**before["events_by_type"], PersonalDataErased.event_type: 1}
    left = {name: [v for v in ENTERED if v in _text_of(db)] for name, db in databases.items()}
    assert left == {name: [] for name in databases}
    assert {name: _handled(databases[name], erased["event_id"]) for name in CONSUMERS} == {
        name: [PersonalDataErased.event_type] for name in CONSUMERS
    }
    for service in CONSUMERS:  # the new event type is handled everywhere, never dead-lettered
        consumer = httpx.get(f"{system.urls[service]}/internal/consumer", headers=ADMIN).json()
        assert consumer["dead_lettered"] == 0, (service, consumer)
    audit = CliRunner().invoke(audit_app, ["erasure", case["number"], "--json"], env=system.env)
    assert audit.exit_code == 0, audit.output
    status = json.loads(audit.output)
    assert (status["event_id"], sorted(status["confirmed"])) == (erased["event_id"], sorted(CONSUMERS))
    assert all(status["confirmed"].values())
    dry = CliRunner().invoke(retention_app, ["run", "--dry-run"], env=system.env)
    assert dry.exit_code == 0 and "by se vymazalo 0, ponecháno 0" in dry.output, dry.output
    page = httpx.get(f"{system.urls['intake']}/cases/{case['id']}", headers=WORKER)
    assert page.status_code == 200
    assert "Údaje vymazány dne" in page.text and "(žádost subjektu údajů o výmaz (čl. 17 GDPR))" in page.text
    assert LAST not in page.text
