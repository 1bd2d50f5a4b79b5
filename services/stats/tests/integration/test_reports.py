"""Issued reports: computed from the events up to the period's end, stored with offsets and digest,
downloaded suppressed, printed with charts; the live figures survive a restart."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

import httpx
import pytest
from openpyxl import load_workbook

from kmb_shared.contracts import CaseOpened, ContactRecorded, HouseholdSnapshot, MemberSnapshot
from kmb_stats.bootstrap import build_app
from kmb_stats.domain import EventMeta

from .conftest import settings_for
from .support import ANALYST, HISTORY, WORKER, Stats, greatest_offsets, send_history_out_of_order

pytestmark = pytest.mark.kafka

#: named headers a caller might send: the signed-in principal counts, never these
CLAIMED = {"X-KMB-User": "someone-else", "X-KMB-Org": "elsewhere"}


def _april_events() -> list[tuple[Any, EventMeta]]:
    """Two more events after the first quarter: case I opened on 20 April, a contact on 5 May."""
    moment = datetime(2026, 4, 20, 9, tzinfo=UTC)
    members = (MemberSnapshot(age_band="26-64", relationship="applicant"),)
    opened = CaseOpened(
        case_id=UUID(int=0xCA5E0100),
        case_number="KMB-2026-00009",
        household=HouseholdSnapshot(members=members, district="Praha 7"),
        occurred_at=moment,
    )
    contact = ContactRecorded(
        contact_id=UUID(int=0xC0C0 + 50), channel="phone", contact_date=date(2026, 5, 5), topics=("debt",),
        duration_minutes=10, occurred_at=datetime(2026, 5, 5, 9, tzinfo=UTC),
    )  # fmt: skip
    return [
        (opened, EventMeta("late-000", opened.event_type, moment, HISTORY.INTAKE)),
        (contact, EventMeta("late-001", contact.event_type, contact.occurred_at, HISTORY.INTAKE)),
    ]


async def _issue(stats: Stats, body: dict[str, Any]) -> dict[str, Any]:
    response = await stats.client.post("/api/stats/reports", json=body, headers={**WORKER, **CLAIMED})
    assert response.status_code == 201, response.text
    return dict(response.json())


def _csv_rows(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf")  # BOM for Excel
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


async def test_report_for_a_past_period_stays_the_same_after_later_events(stats: Stats) -> None:
    history = await send_history_out_of_order(stats)
    first = await _issue(stats, {"period": "2026-Q1"})
    assert (first["period"], first["from"], first["to"]) == ("2026-Q1", "2026-01-01", "2026-03-31")
    # the worker's token, not the named headers
    assert (first["issued_by"], first["issued_org"], first["complete"]) == ("worker-9", "kmb-praha7", True)
    # 64 events minus the 5 dated in April (G opened, k9, G assessed, S1 capacity, R6 declined)
    assert first["events"] == 59
    all_deliveries = [d for topic in history.topics.values() for d in topic]
    assert first["offsets"] == greatest_offsets(stats, all_deliveries, "2026-03-31")
    # nothing happened between k8 (31 March 08:00 UTC) and the end of the day
    cut = await stats.get("/api/stats/digest", until="2026-03-31T12:00:00Z")
    assert (first["digest"], first["events"]) == (cut["digest"], cut["events"])

    await stats.publish(_april_events())
    await stats.wait_stored(66)
    later = await _issue(stats, {"period": "2026-Q1"})
    assert later["id"] != first["id"]
    assert (later["digest"], later["events"], later["offsets"]) == (first["digest"], 59, first["offsets"])
    first_full = await stats.get(f"/api/stats/reports/{first['id']}")
    later_full = await stats.get(f"/api/stats/reports/{later['id']}")
    assert later_full["content"] == first_full["content"]
    # the live figures do see the new events: cases A–H and I opened
    assert (await stats.get("/api/stats/summary"))["cases_opened"] == 9

    listed = await stats.get("/api/stats/reports")
    assert {item["id"] for item in listed} == {first["id"], later["id"]}


async def test_downloads_are_suppressed_and_the_internal_report_is_not(stats: Stats) -> None:
    await send_history_out_of_order(stats)
    issued = await _issue(stats, {"period": "2026-Q1"})

    internal = await stats.get(f"/api/stats/reports/{issued['id']}")
    summary = internal["content"]["sections"][0]["tables"][0]
    values = {row["key"]: row["values"][0] for row in summary["rows"]}
    assert internal["content"]["suppressed"] is False
    assert (values["households_in_need"], values["contacts"]) == (4, 8)  # A, B, D, E; k1..k8

    published = await stats.get(f"/api/stats/reports/{issued['id']}.json")
    values = {row["key"]: row["values"][0] for row in published["sections"][0]["tables"][0]["rows"]}
    assert published["suppressed"] is True
    assert (values["households_in_need"], values["contacts"]) == ("<5", 8)  # 4 is hidden, 8 is not

    response = await stats.client.get(f"/api/stats/reports/{issued['id']}.csv", headers=ANALYST)
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    rows = _csv_rows(response.content)
    start = rows.index(["Tabulka", "Kontakty podle způsobu"])
    # email 1, field 1, in person 3, phone 3 -> each "<5"; the total 8 reveals none of them
    by_channel = {row[0]: row[1] for row in rows[start + 2 : start + 7]}
    assert by_channel == {
        "osobně": "<5",
        "telefonicky": "<5",
        "e-mailem": "<5",
        "v terénu": "<5",
        "Celkem": "8",
    }

    response = await stats.client.get(f"/api/stats/reports/{issued['id']}.xlsx", headers=ANALYST)
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    sheet = {row[0]: row[1] for row in book["Souhrn"].iter_rows(values_only=True) if row[0]}
    assert sheet["Domácnosti v bytové nouzi ke konci období"] == "<5"
    assert sheet["Předání partnerům"] == 6  # R1..R6

    missing = await stats.client.get(
        "/api/stats/reports/00000000-0000-0000-0000-000000000000.csv", headers=ANALYST
    )
    assert missing.status_code == 404
    assert missing.json()["detail"]["message_cs"]


async def test_printable_page_and_dashboard_render_charts(stats: Stats) -> None:
    await send_history_out_of_order(stats)
    issued = await _issue(stats, {"period": "2026-Q1", "district": "Praha 7"})
    page = await stats.client.get(f"/reports/{issued['id']}", headers=ANALYST)
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    text = page.text
    assert text.count("<svg") == 4  # ETHOS, district, trend, referrals
    assert "1. čtvrtletí 2026" in text and "Praha 7" in text
    assert "/stats-static/stats.css" in text  # its print rules hide navigation and forms
    assert "&lt;5" in text  # the suppressed version is the one printed
    internal = await stats.client.get(f"/reports/{issued['id']}", params={"interni": "1"}, headers=ANALYST)
    assert "Interní verze" in internal.text

    listing = await stats.client.get("/reports", headers=ANALYST)
    assert listing.status_code == 200 and f"/reports/{issued['id']}" in listing.text
    dashboard = await stats.client.get("/dashboard", headers=ANALYST)
    assert dashboard.status_code == 200 and "<svg" in dashboard.text
    assert (await stats.client.get("/reports/no-such-report", headers=ANALYST)).status_code == 404


async def test_a_period_that_is_malformed_or_not_started_is_refused(stats: Stats) -> None:
    for period in ("2026-13", "March 2026", "2999-Q1"):
        response = await stats.client.post("/api/stats/reports", json={"period": period}, headers=ANALYST)
        assert response.status_code == 422, period
        item = response.json()["detail"][0]
        assert item["field"] == "period" and item["message_cs"] and item["message_en"]


async def test_figures_are_rebuilt_from_the_stored_events_after_a_restart(
    stats: Stats, kafka_bootstrap: str, topic_prefix: str, database_url: str
) -> None:
    await send_history_out_of_order(stats)
    before = await stats.get("/api/stats/digest")
    again = build_app(settings_for(kafka_bootstrap, topic_prefix, database_url))
    async with again.router.lifespan_context(again):
        transport = httpx.ASGITransport(app=again)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            after = (await client.get("/api/stats/digest", headers=ANALYST)).json()
    assert after == before
    assert after["events"] == 64
