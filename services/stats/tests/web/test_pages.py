"""Stats' pages for the roles that may see them, on the hand-counted history of the unit tests (stored
directly, no broker): the dashboard (charts with their tables, period filter, downloads), the report
form, PDF downloads and the auditors' case view."""

from __future__ import annotations

import io
import re

from pypdf import PdfReader

from kmb_shared.clock import prague_today

from ..integration.support import ANALYST, CASE_ORG, CASE_WORKER, WORKER, signed_in, traceparent_for
from .site import Site as Stats
from .site import store_history

CHART_HEADINGS = (
    "Bytová nouze podle kategorie ETHOS",
    "Bytová nouze podle městské části",
    "Vývoj v čase",
    "Výsledky předání partnerům",
)


def _row(label: str, *values: int) -> re.Pattern[str]:
    cells = r"\s*".join(f'<td class="num">{value}</td>' for value in values)
    return re.compile(rf'<th scope="row">{re.escape(label)}</th>\s*{cells}')


def _pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


async def test_dashboard_shows_need_trend_and_referrals_as_charts_with_tables(stats: Stats) -> None:
    await store_history(stats)
    browser = signed_in("analyst")
    response = await stats.client.get("/dashboard", params={"period": "2026-Q1"}, headers=browser.headers)
    assert response.status_code == 200
    page = response.text
    assert "<h1>Statistika – 1. čtvrtletí 2026</h1>" in page
    for heading in CHART_HEADINGS:
        assert f">{heading}</h2>" in page
    assert page.count("<svg") == 4
    assert page.count('role="img"') == 4  # each chart names its table as the text alternative
    # households in need on 31 March: D in Praha 10 (2 people); A (1), B (4, 2 of them children)
    # and E (2) in Praha 7 -> 1 household, 2 people, 0 children; 3 households, 7 people, 2 children
    assert _row("Praha 10", 1, 2, 0).search(page)
    assert _row("Praha 7", 3, 7, 2).search(page)
    assert '<option value="2026-Q1" selected>' in page

    # the current year, quarter and month can be downloaded (suppressed) in three formats
    today = prague_today()
    quarter = (today.month - 1) // 3 + 1
    for code in (f"{today.year}", f"{today.year}-Q{quarter}", f"{today.year}-{today.month:02d}"):
        for fmt in ("csv", "xlsx", "pdf"):
            assert f'href="/api/stats/reports/live/{code}.{fmt}"' in page


async def test_dashboard_for_one_district_and_a_period_not_started(stats: Stats) -> None:
    await store_history(stats)
    browser = signed_in("worker")
    params = {"period": "2026-Q1", "district": "Praha 10"}
    response = await stats.client.get("/dashboard", params=params, headers=browser.headers)
    assert response.status_code == 200
    assert "<h1>Statistika – 1. čtvrtletí 2026, Praha 10</h1>" in response.text
    assert _row("Praha 10", 1, 2, 0).search(response.text)
    assert not _row("Praha 7", 3, 7, 2).search(response.text)

    future = await stats.client.get("/dashboard", params={"period": "2999"}, headers=browser.headers)
    assert future.status_code == 422
    assert "Období ještě nezačalo." in future.text


async def test_report_form_issues_a_report_as_the_signed_in_user(stats: Stats) -> None:
    await store_history(stats)
    browser = signed_in("analyst", user="analyst-7", organisation="kmb-praha10")
    form_page = await stats.client.get("/reports", headers=browser.headers)
    assert form_page.status_code == 200
    assert "<h1>Výkazy</h1>" in form_page.text
    assert f'name="csrf_token" value="{browser.csrf}"' in form_page.text

    form = {"period": "2026-Q1", "district": "Praha 7", "csrf_token": browser.csrf}
    claimed = {"X-KMB-User": "someone-else", "X-KMB-Org": "elsewhere"}
    response = await stats.client.post("/reports", data=form, headers={**browser.headers, **claimed})
    assert response.status_code == 303
    location = response.headers["location"]
    assert re.fullmatch(r"/reports/[0-9a-f-]{36}", location)

    printable = await stats.client.get(location, headers=browser.headers)
    assert printable.status_code == 200
    assert "1. čtvrtletí 2026" in printable.text and "Praha 7" in printable.text
    (issued,) = await stats.get("/api/stats/reports")
    assert (issued["issued_by"], issued["issued_org"]) == ("analyst-7", "kmb-praha10")
    assert (issued["period"], issued["district"]) == ("2026-Q1", "Praha 7")

    bad = {"period": "2999", "csrf_token": browser.csrf}
    refused = await stats.client.post("/reports", data=bad, headers=browser.headers)
    assert refused.status_code == 422
    assert "Období ještě nezačalo." in refused.text
    assert len(await stats.get("/api/stats/reports")) == 1


async def test_report_pdf_is_a_document_with_the_period_and_suppressed_counts(stats: Stats) -> None:
    await store_history(stats)
    created = await stats.client.post("/api/stats/reports", json={"period": "2026-Q1"}, headers=WORKER)
    report_id = created.json()["id"]
    response = await stats.client.get(f"/api/stats/reports/{report_id}.pdf", headers=ANALYST)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert 'filename="kmb-statistika-2026-Q1.pdf"' in response.headers["content-disposition"]
    text = _pdf_text(response.content)
    assert "Statistika kontaktního místa pro bydlení – 1. čtvrtletí 2026" in text
    assert "Domácnosti v bytové nouzi ke konci období <5" in text  # 4 households (A, B, D, E): hidden
    assert "Předání partnerům 6" in text  # R1..R6: shown

    draft = await stats.client.get("/api/stats/reports/live/2026-Q1.pdf", headers=WORKER)
    assert draft.status_code == 200
    assert "1. čtvrtletí 2026" in _pdf_text(draft.content)
    assert len(await stats.get("/api/stats/reports")) == 1  # a draft is not stored


async def test_auditor_finds_a_case_by_number_and_reads_its_timeline(stats: Stats) -> None:
    await store_history(stats)
    auditor = signed_in("auditor", organisation=CASE_ORG)
    lookup = await stats.client.get("/audit", headers=auditor.headers)
    assert lookup.status_code == 200 and "<h1>Audit případu</h1>" in lookup.text

    found = await stats.client.get("/audit", params={"case": "kmb-2026-00003"}, headers=auditor.headers)
    assert found.status_code == 303
    assert found.headers["location"] == "/audit/cases/KMB-2026-00003"

    page = await stats.client.get("/audit/cases/KMB-2026-00003", headers=auditor.headers)
    assert page.status_code == 200
    text = page.text
    assert "<h1>Auditní stopa případu KMB-2026-00003</h1>" in text
    assert text.count("<time datetime=") == 11  # case C's 11 events (see test_audit.py)
    assert "Případ otevřen" in text and "Důvod: zajištěno vyhovující bydlení" in text
    timeline = await stats.get("/api/audit/cases/KMB-2026-00003", headers=CASE_WORKER)
    opened = timeline["events"][1]
    assert traceparent_for(opened["event_id"]).split("-")[1] in text

    # the worker handling the case may read its timeline page (intake's case page links to it)
    worker = signed_in("worker", organisation=CASE_ORG)
    assert (await stats.client.get("/audit/cases/KMB-2026-00003", headers=worker.headers)).status_code == 200

    unknown = await stats.client.get("/audit", params={"case": "KMB-2026-99999"}, headers=auditor.headers)
    assert unknown.status_code == 404 and "nemá statistika žádnou událost" in unknown.text
    malformed = await stats.client.get("/audit/cases/12345", headers=auditor.headers)
    assert malformed.status_code == 422 and "KMB-RRRR-NNNNN" in malformed.text
