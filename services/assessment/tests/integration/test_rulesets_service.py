"""Rule sets a rules editor manages, through the service over HTTP (without a broker, on SQLite and
PostgreSQL): refused uploads store nothing, the comparison page, the impact preview on a generated
population with known answers, activation (event in the outbox, flags, register untouched, chosen by
date from then on), roles and the Czech pages.

The population: single adults aged 26-64 in a commercial hostel under a lodging contract (ETHOS 8,
"nejisté bydlení", 20 priority points and nothing else), surveyed on 2026-09-30 under rule set 2026.3:
income ceiling 1.6 × 5,500 = 8,800 Kč. Draft A raises the coefficient to 1.8 (ceiling 9,900): exactly
the households with 8,800 < income <= 9,900 would enter the register. Draft B lowers it to 1.5
(ceiling 8,250) and gives "nejisté bydlení" 25 points: exactly those with 8,250 < income <= 8,800
would leave it, and every household's priority changes (20 -> 25).
"""

from __future__ import annotations

import asyncio
import io
import re
import uuid
from collections.abc import AsyncIterator
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

import httpx
import pytest
from assessment_support import INTAKE_ACTOR, AssessmentService, case_opened, household, offline, settings
from openpyxl import load_workbook
from sqlmodel import col, select

from kmb_assessment.adapters.ruleset_tables import RuleSetUploadRow
from kmb_assessment.adapters.tables import RegisterEntryRow
from kmb_shared.auth import Role
from kmb_shared.contracts import CaseClosed, HouseholdChanged
from kmb_testkit.fixtures import POSTGRES_ENV, _postgres_database, _require, bearer

EDITOR = bearer(Role.RULES_EDITOR, organisation="kmb", user="rules-1")
WORKER_8 = bearer(Role.WORKER, organisation="kmb-praha7", user="worker-8")
NO_CREDENTIALS = {"Authorization": ""}
BASE_FILE = "2026-07-01_act-110-2006-amounts-coefficient-1-6.yaml"

# Incomes by what the drafts do to them (limits from the law: 1.5/1.6/1.8 × 5,500 Kč).
LEAVE_UNDER_B = (8251, 8300, 8400, 8500, 8600, 8700, 8750, 8799, 8800)  # 8,250 < income <= 8,800
ENTER_UNDER_A = (8801, 9000, 9200, 9500, 9800, 9900)  # 8,800 < income <= 9,900
ALWAYS_IN = (5600, 7000, 8000, 8250)  # income <= 8,250
NEVER_IN = (9901, 12000, 20000)  # income > 9,900
OPEN_INCOMES = LEAVE_UNDER_B + ENTER_UNDER_A + ALWAYS_IN + NEVER_IN


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def service(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[AssessmentService]:
    if request.param == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path / 'assessment.db'}"
        async with offline(settings("127.0.0.1:9", "offline.", url)) as started:
            yield started
        return
    async for url in _postgres_database(_require(POSTGRES_ENV, "The PostgreSQL server for tests")):
        async with offline(settings("127.0.0.1:9", "offline.", url)) as started:
            yield started


def draft_text(version: str = "2027.1", effective: str = "2026-10-01", **replace: str) -> str:
    text = resources.files("kmb_assessment.rules").joinpath(BASE_FILE).read_text(encoding="utf-8")
    text = (
        text.replace('version: "2026.3"', f'version: "{version}"')
        .replace("effective_from: 2026-07-01", f"effective_from: {effective}")
        .replace('supersedes: ["2026.2"]', "supersedes: []")
    )
    for old, new in replace.items():
        assert old in text, old
        text = text.replace(old, new)
    return text


COEFFICIENT = "income_ceiling_coefficient: 1.6"
DRAFT_A = {COEFFICIENT: "income_ceiling_coefficient: 1.8"}
DRAFT_B = {COEFFICIENT: "income_ceiling_coefficient: 1.5", "    insecure: 20\n": "    insecure: 25\n"}
HOSTEL_SURVEY = {"dwelling_kind": "commercial_hostel", "legal_title": "lodging_contract"}


async def submitted(
    service: AssessmentService,
    income: int,
    number: int,
    survey: dict[str, Any] = HOSTEL_SURVEY,
    worker: dict[str, str] | None = None,
) -> dict[str, Any]:
    """A case with ``income`` opened, its survey saved and submitted (as ``worker``): the result."""
    event = case_opened(household(income_monthly=income), number=number)
    await service.publish(event)
    pending = (await service.client.get(f"/api/cases/{event.case_id}/assessments")).json()[0]
    url = f"/api/assessments/{pending['id']}"
    saved = await service.client.put(f"{url}/survey", json=survey, headers=worker)
    assert saved.status_code == 200, saved.text
    done = await service.client.post(f"{url}/submit", headers=worker)
    assert done.status_code == 200, done.text
    return dict(done.json())


async def assessed(
    service: AssessmentService, income: int, worker: dict[str, str], number: int
) -> dict[str, Any]:
    body = await submitted(service, income, number, worker=worker)
    # the population is what the docstring says: insecure, 20 points, ceiling 8,800
    assert (body["need_level"], body["priority_score"]) == ("insecure", 20), body
    assert body["result"]["income"]["ceiling"] == 8800
    return body


def worker_of(index: int) -> tuple[str, dict[str, str]]:
    return ("worker-7", {}) if index % 2 == 0 else ("worker-8", WORKER_8)


async def population(service: AssessmentService) -> dict[str, Any]:
    """The open cases, one closed case outside the register and one closed case still registered."""
    by_worker: dict[str, list[int]] = {"worker-7": [], "worker-8": []}
    cases = []
    for index, income in enumerate(OPEN_INCOMES):
        name, headers = worker_of(index)
        by_worker[name].append(income)
        cases.append(await assessed(service, income, headers, index + 1))
    closed_out = await assessed(service, 9000, {}, 900)  # would enter under A, but the case is closed
    closed_in = await assessed(service, 8500, {}, 901)  # registered, then closed: its entry stays in force
    for case in (closed_out, closed_in):
        await service.publish(
            CaseClosed(
                actor=INTAKE_ACTOR,
                case_id=uuid.UUID(case["case_id"]),
                case_number=case["case_number"],
                reason="moved_away",
            )
        )
    return {"by_worker": by_worker, "closed_out": closed_out, "closed_in": closed_in}


async def upload(service: AssessmentService, text: str) -> httpx.Response:
    return await service.client.post("/api/rule-sets/uploads", json={"yaml": text}, headers=EDITOR)


async def finished_preview(service: AssessmentService, upload_id: str) -> dict[str, Any]:
    started = await service.client.post(f"/api/rule-sets/uploads/{upload_id}/preview", headers=EDITOR)
    assert started.status_code == 202, started.text
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 60
    while loop.time() < deadline:
        body = (
            await service.client.get(f"/api/rule-sets/uploads/{upload_id}/preview", headers=EDITOR)
        ).json()
        if body["status"] != "running":
            assert body["status"] == "finished", body
            return dict(body)
        await asyncio.sleep(0.05)
    raise AssertionError("the preview did not finish")


async def uploads_stored(service: AssessmentService) -> int:
    async with service.runtime.db.session() as session:
        return len((await session.exec(select(RuleSetUploadRow))).all())


# --- refused uploads ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        (
            "incomplete",
            draft_text(**{"  first_person: 5000 ": "  # removed "}),
            {"subsistence_minimum.first_person": "missing"},
        ),
        (
            "unsourced",
            draft_text(
                **{'  energy_poverty_pct: "Zpráva o vyloučení z bydlení (energie nad 20 % příjmu)"\n': ""}
            ),
            {"energy_poverty_pct": "unsourced"},
        ),
        ("past", draft_text(effective="2026-09-29"), {"effective_from": "date_in_past"}),
        (
            "inconsistent",
            draft_text(
                version="2026.3",
                **{
                    "  excessive_pct: 40\n": "  excessive_pct: 45\n",
                    "  at_risk_pct: 50\n": "  at_risk_pct: 42\n",
                },
            ),
            {"version": "inconsistent", "housing_costs": "inconsistent"},
        ),
    ],
)
async def test_a_refused_upload_lists_every_problem_in_czech_and_english_and_stores_nothing(
    service: AssessmentService, name: str, text: str, expected: dict[str, str]
) -> None:
    response = await upload(service, text)
    assert response.status_code == 422, response.text
    detail = response.json()["detail"]
    got = {item["field"]: item["code"] for item in detail}
    assert expected.items() <= got.items(), detail
    assert all(
        item["message_cs"] and item["message_en"] and item["message_cs"] != item["message_en"]
        for item in detail
    )
    assert await uploads_stored(service) == 0
    assert (await service.client.get("/api/rule-sets/uploads", headers=EDITOR)).json() == []


async def test_roles_a_worker_is_refused_anonymous_is_unauthenticated(service: AssessmentService) -> None:
    text = draft_text(**DRAFT_A)
    assert (await service.client.post("/api/rule-sets/uploads", json={"yaml": text})).status_code == 403
    anonymous = await service.client.post(
        "/api/rule-sets/uploads", json={"yaml": text}, headers=NO_CREDENTIALS
    )
    assert anonymous.status_code == 401
    assert (await service.client.get("/api/rule-sets/uploads")).status_code == 403
    assert await uploads_stored(service) == 0
    page = await service.client.get("/rules", headers=NO_CREDENTIALS)
    assert page.status_code in (302, 303, 307) and "login" in page.headers["location"]
    assert (await service.client.get("/rules")).status_code == 403  # a worker
    assert (await service.client.get("/api/reassessments", headers=NO_CREDENTIALS)).status_code == 401


# --- the preview with known answers, activation ---------------------------------------------------


async def test_preview_counts_and_lists_exactly_the_households_the_rule_moves(
    service: AssessmentService,
) -> None:
    known = await population(service)
    total = len(OPEN_INCOMES) + 1  # the open cases and the closed case still in the register

    uploaded = await upload(service, draft_text(**DRAFT_A))
    assert uploaded.status_code == 201, uploaded.text
    a_id = uploaded.json()["id"]
    preview = await finished_preview(service, a_id)
    assert (preview["total"], preview["processed"]) == (total, total)
    assert (
        preview["enters"],
        preview["leaves"],
        preview["need_level_changes"],
        preview["priority_changes"],
    ) == (
        len(ENTER_UNDER_A),
        0,
        0,
        0,
    )
    cases = (await service.client.get(f"/api/rule-sets/uploads/{a_id}/preview/cases", headers=EDITOR)).json()
    assert sorted(c["case_number"] for c in cases) == sorted(
        f"KMB-2026-{i + 1:05d}" for i, income in enumerate(OPEN_INCOMES) if income in ENTER_UNDER_A
    )
    assert all(c["changes"] == ["enters"] and c["qualifies_after"] is True for c in cases)
    expected_a = {
        name: sum(1 for income in incomes if income in ENTER_UNDER_A)
        for name, incomes in known["by_worker"].items()
    }
    assert {w["worker_id"]: w["enters"] for w in preview["by_worker"]} == expected_a

    second = await upload(service, draft_text(version="2027.2", effective="2026-11-01", **DRAFT_B))
    assert second.status_code == 201, second.text
    b_id = second.json()["id"]
    preview_b = await finished_preview(service, b_id)
    leaving = len(LEAVE_UNDER_B) + 1  # and the closed case still registered (8,500 Kč)
    assert (
        preview_b["enters"],
        preview_b["leaves"],
        preview_b["need_level_changes"],
        preview_b["priority_changes"],
    ) == (
        0,
        leaving,
        0,
        total,
    )
    expected_b = {
        name: sum(1 for income in incomes if income in LEAVE_UNDER_B)
        for name, incomes in known["by_worker"].items()
    }
    expected_b["worker-7"] += 1  # the closed registered case was assessed by worker-7
    assert {w["worker_id"]: w["leaves"] for w in preview_b["by_worker"]} == expected_b
    assert {w["worker_id"]: w["priority_changes"] for w in preview_b["by_worker"]} == {
        "worker-7": len(known["by_worker"]["worker-7"]) + 1,
        "worker-8": len(known["by_worker"]["worker-8"]),
    }

    # XLSX: Czech headings, no codes
    xlsx = await service.client.get(f"/api/rule-sets/uploads/{b_id}/preview.xlsx", headers=EDITOR)
    assert xlsx.status_code == 200
    book = load_workbook(io.BytesIO(xlsx.content))
    assert book.sheetnames == ["Souhrn", "Podle pracovníků", "Případy"]
    rows = list(book["Případy"].iter_rows(values_only=True))
    assert rows[0][:4] == ("Pracovník", "Případ", "V evidenci", "Co se změní")
    assert len(rows) == 1 + total
    texts = " ".join(str(cell) for row in rows[1:] for cell in row if isinstance(cell, str))
    for code in ("insecure", "leaves", "enters", "need_level", "True", "False", "None"):
        assert code not in texts
    assert "nejisté bydlení" in texts and "změna bodů priority" in texts


async def test_activation_flags_the_changed_cases_publishes_the_event_and_leaves_the_register(
    service: AssessmentService,
) -> None:
    await population(service)
    uploaded = await upload(service, draft_text(**DRAFT_A))
    a_id = uploaded.json()["id"]
    refused = await service.client.post(f"/api/rule-sets/uploads/{a_id}/activate", headers=EDITOR)
    assert refused.status_code == 409 and refused.json()["detail"]["code"] == "preview_required"
    worker_try = await service.client.post(f"/api/rule-sets/uploads/{a_id}/activate")
    assert worker_try.status_code == 403

    async with service.runtime.db.session() as session:
        register_before = [
            r.model_dump()
            for r in (await session.exec(select(RegisterEntryRow).order_by(col(RegisterEntryRow.id)))).all()
        ]
    await finished_preview(service, a_id)
    activated = await service.client.post(f"/api/rule-sets/uploads/{a_id}/activate", headers=EDITOR)
    assert activated.status_code == 200, activated.text
    assert activated.json()["flagged"] == len(ENTER_UNDER_A)
    again = await service.client.post(f"/api/rule-sets/uploads/{a_id}/activate", headers=EDITOR)
    assert again.status_code == 409

    events = [r for r in await service.events(1) if r.type == "kmb.assessment.rule_set_activated.v1"]
    assert len(events) == 1
    payload = events[0].payload
    assert (payload["version"], payload["effective_from"]) == ("2027.1", "2026-10-01")
    assert (
        payload["would_enter_register"],
        payload["would_leave_register"],
        payload["flagged_for_reassessment"],
    ) == (
        len(ENTER_UNDER_A),
        0,
        len(ENTER_UNDER_A),
    )
    assert payload["actor"]["user_id"] == "rules-1"
    assert not any(key in payload for key in ("case_id", "case_number", "household"))

    async with service.runtime.db.session() as session:
        register_after = [
            r.model_dump()
            for r in (await session.exec(select(RegisterEntryRow).order_by(col(RegisterEntryRow.id)))).all()
        ]
    assert register_after == register_before  # never changed silently

    flags = (await service.client.get("/api/reassessments")).json()
    assert len(flags) == len(ENTER_UNDER_A)
    mine = (await service.client.get("/api/reassessments", params={"worker": "worker-8"})).json()
    assert {f["worker_id"] for f in mine} == {"worker-8"}
    assert len(mine) == sum(1 for i, income in enumerate(OPEN_INCOMES) if income in ENTER_UNDER_A and i % 2)
    assert all("2027.1" in f["summary_cs"] and "ne → ano" in f["summary_cs"] for f in flags)

    # reassessed (a new survey submitted after the flag): no longer on the desk
    first = flags[0]
    await service.publish(
        HouseholdChanged(
            actor=INTAKE_ACTOR,
            case_id=uuid.UUID(first["case_id"]),
            case_number=first["case_number"],
            household=household(income_monthly=9000),
        )
    )
    pending = [
        a
        for a in (await service.client.get(f"/api/cases/{first['case_id']}/assessments")).json()
        if a["status"] == "pending"
    ]
    assert len(pending) == 1
    url = f"/api/assessments/{pending[0]['id']}"
    assert (await service.client.put(f"{url}/survey", json=HOSTEL_SURVEY)).status_code == 200
    assert (await service.client.post(f"{url}/submit")).status_code == 200
    remaining = (await service.client.get("/api/reassessments")).json()
    assert [f["case_id"] for f in remaining] == [f["case_id"] for f in flags[1:]]

    # chosen by date from its effective date on: listed among the rule sets in use
    rule_sets = {r["version"] for r in (await service.client.get("/api/rule-sets")).json()}
    available = {r.version for r in await service.deps.rulesets.available()}
    assert "2027.1" in available
    assert rule_sets <= available


# --- the pages ------------------------------------------------------------------------------------

CODES = re.compile(
    r"\b(further_person_15_plus|commercial_hostel|not_in_need|insecure|income_ceiling_coefficient)\b"
)


def visible_text(html: str) -> str:
    body = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    body = re.sub(r"<[^>]+>", " ", body)
    return re.sub(r"\s+", " ", body)


async def test_a_preview_overtaken_by_a_new_assessment_must_be_run_again_before_activation(
    service: AssessmentService,
) -> None:
    # Two households in a hostel: 9,000 Kč enters the register under A (ceiling 1.8 × 5,500 = 9,900),
    # 12,000 Kč does not. A third one with 9,500 Kč, assessed after the preview, would enter too.
    await assessed(service, 9000, {}, 1)
    await assessed(service, 12000, {}, 2)
    a_id = (await upload(service, draft_text(**DRAFT_A))).json()["id"]
    first = await finished_preview(service, a_id)
    assert (first["total"], first["enters"]) == (2, 1)
    late = await assessed(service, 9500, {}, 3)

    stale = await service.client.post(f"/api/rule-sets/uploads/{a_id}/activate", headers=EDITOR)
    assert stale.status_code == 409, stale.text
    assert stale.json()["detail"]["code"] == "preview_stale"
    assert "spusťte náhled znovu" in stale.json()["detail"]["message_cs"]

    again = await finished_preview(service, a_id)
    assert (again["total"], again["enters"]) == (3, 2)
    activated = await service.client.post(f"/api/rule-sets/uploads/{a_id}/activate", headers=EDITOR)
    assert activated.status_code == 200, activated.text
    flagged = (await service.client.get("/api/reassessments", headers=EDITOR)).json()
    assert late["case_id"] in {flag["case_id"] for flag in flagged}
    assert len(flagged) == 2


async def test_the_upload_page_refuses_no_file_and_a_file_not_in_utf8_in_czech(
    service: AssessmentService,
) -> None:
    async with service.browser(Role.RULES_EDITOR, user="rules-1") as editor:
        empty = await editor.client.post("/rules/upload", data={"csrf_token": editor.csrf, "yaml": " "})
        latin2 = {"file": ("pravidla.yaml", "účinnost: 2027-01-01".encode("iso-8859-2"), "application/yaml")}
        not_utf8 = await editor.client.post("/rules/upload", data={"csrf_token": editor.csrf}, files=latin2)
    assert empty.status_code == 422
    assert "Vyberte soubor se sadou pravidel (YAML), nebo ji vložte do textového pole." in empty.text
    assert not_utf8.status_code == 422
    assert "Soubor není v kódování UTF-8." in not_utf8.text
    assert await uploads_stored(service) == 0


async def test_pages_upload_compare_preview_and_activate_in_czech(service: AssessmentService) -> None:
    await population(service)
    async with service.browser(Role.RULES_EDITOR, user="rules-1") as editor:
        index = await editor.client.get("/rules")
        assert index.status_code == 200
        assert "Nahrát novou sadu pravidel" in index.text and "2026.3" in index.text

        bad = await editor.client.post(
            "/rules/upload",
            data={"csrf_token": editor.csrf, "yaml": draft_text(effective="2026-01-01")},
        )
        assert bad.status_code == 422
        text = visible_text(bad.text)
        assert "Sadu pravidel nelze přijmout" in text and "Účinnost od" in text and "v minulosti" in text
        assert await uploads_stored(service) == 0

        no_csrf = await editor.client.post("/rules/upload", data={"yaml": draft_text(**DRAFT_A)})
        assert no_csrf.status_code == 403
        assert await uploads_stored(service) == 0

        files = {"file": ("pravidla.yaml", draft_text(**DRAFT_A).encode(), "application/yaml")}
        posted = await editor.client.post("/rules/upload", data={"csrf_token": editor.csrf}, files=files)
        assert posted.status_code == 303, posted.text
        draft_url = posted.headers["location"].split("?")[0]

        page = await editor.client.get(draft_url)
        text = visible_text(page.text)
        assert "Porovnání s platnou sadou 2026.3" in text
        assert "Koeficient příjmové hranice (násobek životního minima) změna 1,6 1,8" in text
        assert "Aktivovat lze až po dokončeném náhledu dopadu." in text
        assert not CODES.search(text), CODES.search(text)

        started = await editor.client.post(f"{draft_url}/preview", data={"csrf_token": editor.csrf})
        assert started.status_code == 303
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 60
        while "Náhled dopadu" in (page := await editor.client.get(draft_url)).text and "Probíhá" in page.text:
            assert loop.time() < deadline
            await asyncio.sleep(0.05)
        text = visible_text(page.text)
        assert f"Nově by splnili podmínky zápisu do evidence {len(ENTER_UNDER_A)}" in text
        assert "Podle pracovníků" in text and "worker-8" in text
        assert "nově by splnil(a) podmínky zápisu do evidence" in text
        assert not CODES.search(text), CODES.search(text)

        xlsx = await editor.client.get(f"{draft_url}/dopad.xlsx")
        assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"

        activated = await editor.client.post(f"{draft_url}/activate", data={"csrf_token": editor.csrf})
        assert activated.status_code == 303
        done = visible_text((await editor.client.get(activated.headers["location"])).text)
        assert "Sada pravidel je aktivována" in done and "aktivována" in done


async def test_uploaded_and_activated_sets_are_read_from_the_database_by_every_copy(
    service: AssessmentService, tmp_path: Path
) -> None:
    uploaded = await upload(service, draft_text(**DRAFT_A))
    a_id = uploaded.json()["id"]
    await finished_preview(service, a_id)  # an empty population: nothing to flag
    assert (
        await service.client.post(f"/api/rule-sets/uploads/{a_id}/activate", headers=EDITOR)
    ).status_code == 200
    # another copy of the service on the same database sees the activated set
    url = str(service.runtime.db.engine.url.render_as_string(hide_password=False))
    async with offline(settings("127.0.0.1:9", "offline.", url)) as other:
        versions = [rules.version for rules in await other.deps.rulesets.available()]
        assert "2027.1" in versions
        from kmb_assessment.domain import rule_set_for

        assert rule_set_for(date(2026, 10, 1), await other.deps.rulesets.available()).version == "2027.1"
        assert rule_set_for(date(2026, 9, 30), await other.deps.rulesets.available()).version == "2026.3"


async def test_an_activated_set_decides_assessments_dated_from_its_effective_day(
    service: AssessmentService,
) -> None:
    uploaded = await upload(service, draft_text(effective="2026-09-30", **DRAFT_A))  # today
    a_id = uploaded.json()["id"]
    await finished_preview(service, a_id)
    assert (
        await service.client.post(f"/api/rule-sets/uploads/{a_id}/activate", headers=EDITOR)
    ).status_code == 200

    body = await submitted(service, 9500, 77)
    # 1.8 × 5,500 = 9,900: 9,500 Kč is within the ceiling of the activated set
    assert (
        body["rule_set_version"],
        body["result"]["income"]["ceiling"],
        body["qualifies_for_register"],
    ) == (
        "2027.1",
        9900,
        True,
    )
    assert body["registration"]["status"] == "active"

    body = await submitted(service, 9500, 78, {**HOSTEL_SURVEY, "surveyed_on": "2026-09-29"})
    assert (
        body["rule_set_version"],
        body["result"]["income"]["ceiling"],
        body["qualifies_for_register"],
    ) == (
        "2026.3",
        8800,
        False,
    )
    in_use = {r["version"]: r for r in (await service.client.get("/api/rule-sets")).json()}
    assert "2027.1" in in_use
