"""Benchmark: the impact preview of a proposed rule set on 10,000 open cases (target: under 30 s).

Builds a database (SQLite file in a temporary directory, or ``--database-url``) with N open cases, each
with one submitted assessment whose household, survey and stored result are what a submission under
the rule set in force stores (and a register entry for those that qualify), uploads a proposed set
(rule set 2026.3 with the income-ceiling coefficient raised to 1.8 and 25 points for insecure
housing), and times the preview exactly as the service runs it in the background. Prints the figure.

    .venv/bin/python services/assessment/benchmarks/impact_preview.py [--cases 10000]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from importlib import resources
from pathlib import Path

from kmb_assessment.adapters.ruleset_tables import (
    PreviewStatus,
    RuleSetPreviewRow,
)
from kmb_assessment.adapters.rulesets import SqlRuleSets
from kmb_assessment.adapters.tables import (
    AssessmentRow,
    AssessmentStatus,
    CaseEventKind,
    CaseEventRow,
    RegisterEntryRow,
    RegisterStatus,
)
from kmb_assessment.application.rulesets import draft_upload, run_preview
from kmb_assessment.application.survey import Survey
from kmb_assessment.bootstrap import MIGRATIONS
from kmb_assessment.domain import assess, parse_rule_set, rule_set_for
from kmb_shared.contracts import HouseholdSnapshot, MemberSnapshot
from kmb_shared.db import Database
from kmb_shared.messaging import Outbox, Topics

SURVEYED_ON = date(2026, 9, 30)
BASE_FILE = "2026-07-01_act-110-2006-amounts-coefficient-1-6.yaml"
DWELLINGS = (
    ("commercial_hostel", "lodging_contract"),
    ("flat", "lease"),
    ("flat", "sublease"),
    ("with_family_friends", "none"),
    ("asylum_house", "lodging_contract"),
    ("street", "none"),
    ("garden_shed", "ownership"),
)
AGE_BANDS = ("0-5", "6-14", "26-64", "26-64", "65+")


def proposed_yaml() -> str:
    text = resources.files("kmb_assessment.rules").joinpath(BASE_FILE).read_text(encoding="utf-8")
    return (
        text.replace('version: "2026.3"', 'version: "bench.1"')
        .replace("effective_from: 2026-07-01", "effective_from: 2026-10-01")
        .replace('supersedes: ["2026.2"]', "supersedes: []")
        .replace("income_ceiling_coefficient: 1.6", "income_ceiling_coefficient: 1.8")
        .replace("    insecure: 20\n", "    insecure: 25\n")
    )


def household(rng: random.Random) -> HouseholdSnapshot:
    size = rng.choice((1, 1, 2, 3, 4))
    members = [MemberSnapshot(age_band="26-64", relationship="applicant")]
    for _ in range(size - 1):
        band = rng.choice(AGE_BANDS)
        members.append(
            MemberSnapshot(age_band=band, relationship="child" if band in ("0-5", "6-14") else "partner")
        )
    return HouseholdSnapshot(
        members=tuple(members),
        district="Praha 7",
        orp_code="1100",
        income_monthly=rng.randrange(3000, 30000, 50),
        rent_monthly=rng.randrange(0, 15000, 100),
        energy_monthly=rng.randrange(0, 3000, 100),
        debts_total=rng.choice((0, 0, 20000)),
    )


async def build(db: Database, cases: int) -> None:
    rng = random.Random(10)
    rules = rule_set_for(SURVEYED_ON)
    now = datetime(2026, 9, 30, 10, tzinfo=UTC)
    rows: list[object] = []
    for index in range(cases):
        snapshot = household(rng)
        kind, title = rng.choice(DWELLINGS)
        survey = Survey(
            surveyed_on=SURVEYED_ON,
            dwelling_kind=kind,
            legal_title=title,
            size_m2=float(rng.randrange(8, 90)),
            can_pay_unexpected_expense=rng.choice((True, False, None)),
        )
        result = assess(snapshot, survey.findings(SURVEYED_ON), rules)
        case_id, assessment_id = uuid.uuid4(), uuid.uuid4()
        number = f"KMB-2026-{index + 1:05d}"
        rows.append(
            CaseEventRow(
                id=uuid.uuid4(),
                case_id=case_id,
                case_number=number,
                kind=CaseEventKind.OPENED.value,
                household=snapshot.model_dump_json(),
                occurred_at=now - timedelta(days=1),
            )
        )
        rows.append(
            AssessmentRow(
                id=assessment_id,
                case_id=case_id,
                case_number=number,
                status=AssessmentStatus.SUBMITTED.value,
                household=snapshot.model_dump_json(),
                survey=survey.model_dump_json(),
                assessed_on=SURVEYED_ON,
                rule_set_version=rules.version,
                need_level=result.need_level.value,
                ethos_category=result.ethos_category,
                qualifies_for_register=result.qualifies_for_register,
                priority_score=result.priority_score,
                submitted_by=f"worker-{index % 25}",
                organisation="kmb",
                submitted_at=now,
            )
        )
        if result.qualifies_for_register:
            rows.append(
                RegisterEntryRow(
                    assessment_id=assessment_id,
                    case_id=case_id,
                    case_number=number,
                    registered_on=SURVEYED_ON,
                    valid_until=date(2027, 9, 30),
                    reassess_from=date(2027, 8, 1),
                    status=RegisterStatus.ACTIVE.value,
                    need_level=result.need_level.value,
                    ethos_category=result.ethos_category,
                    priority_score=result.priority_score,
                    rule_set_version=rules.version,
                )
            )
    async with db.session() as session:
        session.add_all(rows)
        await session.commit()


async def main(cases: int, database_url: str | None, reuse: Path | None) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = reuse or Path(tmp) / "bench.db"
        fresh = not path.exists()
        url = database_url or f"sqlite+aiosqlite:///{path}"
        db = Database(url)
        await db.migrate(MIGRATIONS)
        if fresh or database_url:
            started = time.perf_counter()
            await build(db, cases)
            print(
                f"built {cases} open cases with submitted assessments in {time.perf_counter() - started:.1f} s"
            )
        port = SqlRuleSets(db, Outbox("assessment", Topics("bench.")), lambda: None)
        text = proposed_yaml()
        rules = parse_rule_set(text)
        upload = draft_upload(rules, text, "bench")
        preview = RuleSetPreviewRow(
            upload_id=upload.id, status=PreviewStatus.RUNNING.value, started_by="bench"
        )
        async with port() as work:
            work.store.add(upload)
            work.store.add(preview)
            await work.commit()
        started = time.perf_counter()
        await run_preview(port, preview.id, rules)
        elapsed = time.perf_counter() - started
        async with port() as work:
            done = await work.store.get_preview(preview.id)
        assert done is not None and done.status == PreviewStatus.FINISHED.value, done
        print(
            f"impact preview of {done.total} open cases: {elapsed:.2f} s (target < 30 s) on {db.engine.url.get_backend_name()}"
            f" - would enter {done.enters}, leave {done.leaves}, need level changes {done.need_level_changes},"
            f" priority changes {done.priority_changes}, not computable {done.failed}"
        )
        await db.dispose()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument(
        "--database-url", default=None, help="default: a SQLite file in a temporary directory"
    )
    parser.add_argument(
        "--reuse", type=Path, default=None, help="a SQLite file kept between runs (built once)"
    )
    parser.add_argument(
        "--one-process", action="store_true", help="evaluate in a thread, no worker processes"
    )
    args = parser.parse_args()
    asyncio.run(main(args.cases, args.database_url, args.reuse))
