"""Helpers of the assessment service's integration tests: the service in-process on the real broker,
events in and out, and the domain's table of household situations (loaded from the unit tests)."""

from __future__ import annotations

import asyncio
import importlib
import importlib.util
import json
import sys
import uuid
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from types import ModuleType
from typing import Any
from uuid import UUID

import httpx
from aiokafka import AIOKafkaConsumer
from sqlmodel import col, select

from kmb_assessment.application.deps import AssessmentDeps
from kmb_assessment.application.handlers import HANDLERS
from kmb_assessment.bootstrap import MIGRATIONS, build_app
from kmb_assessment.config import AssessmentSettings
from kmb_shared.auth import SESSION_COOKIE, Role, Signer
from kmb_shared.contracts import (
    Actor,
    CaseOpened,
    HouseholdChanged,
    HouseholdSnapshot,
    IntegrationEvent,
    MemberSnapshot,
)
from kmb_shared.messaging import OutboxMessage, Topics
from kmb_shared.service import Runtime
from kmb_testkit.apps import serving, serving_offline
from kmb_testkit.fixtures import TEST_SECRET, bearer, quick_settings
from kmb_testkit.probe import ce_headers, produce
from kmb_testkit.probe import wait_until as wait_until  # re-exported for the tests

#: The service's "today" in these tests: after both assessment days of the situation table
#: (2026-03-02 under rule set 2026.1, 2026-09-01 under 2026.2).
TODAY = date(2026, 9, 30)
#: The organisation of the cases the tests open (intake's CaseOpened names it as its actor's).
ORGANISATION = "kmb-praha7"
#: The actor of intake's events in these tests: a worker of that organisation.
INTAKE_ACTOR = Actor(user_id="intake-worker-1", organisation=ORGANISATION)
#: The signed-in worker every test client calls as unless a test says otherwise.
WORKER = bearer(Role.WORKER, organisation=ORGANISATION, user="worker-7")

UNIT_TESTS = Path(__file__).resolve().parents[1] / "unit"
_UNIT_PACKAGE = "kmb_assessment_unit_tables"


def unit_module(name: str) -> ModuleType:
    """A module of the unit tests (``situations``, ``test_situations_housed``, ...), imported under a
    name of its own so it never clashes with how pytest imports the unit tests."""
    if _UNIT_PACKAGE not in sys.modules:
        spec = importlib.util.spec_from_file_location(
            _UNIT_PACKAGE, UNIT_TESTS / "__init__.py", submodule_search_locations=[str(UNIT_TESTS)]
        )
        assert spec is not None and spec.loader is not None
        package = importlib.util.module_from_spec(spec)
        sys.modules[_UNIT_PACKAGE] = package
        spec.loader.exec_module(package)
    return importlib.import_module(f"{_UNIT_PACKAGE}.{name}")


def settings(bootstrap: str, prefix: str, database_url: str, **overrides: Any) -> AssessmentSettings:
    return quick_settings(
        AssessmentSettings, bootstrap, prefix, database_url, **{"today_override": TODAY, **overrides}
    )


def household(members: tuple[str, ...] = ("26-64 applicant",), **values: Any) -> HouseholdSnapshot:
    """'26-64 applicant' -> a member of that age band and relationship."""
    people = tuple(MemberSnapshot(age_band=spec.split()[0], relationship=spec.split()[1]) for spec in members)
    return HouseholdSnapshot(members=people, district="Praha 7", orp_code="1100", **values)


def case_opened(
    snapshot: HouseholdSnapshot | None = None, number: int = 1, organisation: str = ORGANISATION
) -> CaseOpened:
    """A case opened in intake by a worker of ``organisation`` (the case's organisation)."""
    return CaseOpened(
        case_id=uuid.uuid4(),
        case_number=f"KMB-2026-{number:05d}",
        household=snapshot or household(),
        actor=Actor(user_id="intake-worker-1", organisation=organisation),
    )


def household_changed(
    opened: CaseOpened, snapshot: HouseholdSnapshot | None = None, **values: Any
) -> HouseholdChanged:
    """Intake's HouseholdChanged of ``opened``'s case by its worker: ``snapshot``, or a household with
    ``values``."""
    return HouseholdChanged(
        actor=INTAKE_ACTOR,
        case_id=opened.case_id,
        case_number=opened.case_number,
        household=household(**values) if snapshot is None else snapshot,
    )


@dataclass
class Record:
    type: str
    headers: dict[str, str]
    payload: dict[str, Any]


@dataclass
class Browser:
    """A person signed in with the session cookie (as intake's login page sets it), and the CSRF
    token their forms carry."""

    client: httpx.AsyncClient
    csrf: str


@dataclass
class AssessmentService:
    client: httpx.AsyncClient
    runtime: Runtime
    bootstrap: str
    topics: Topics
    transport: httpx.AsyncBaseTransport

    @property
    def deps(self) -> AssessmentDeps:
        return build_deps_of(self.runtime)

    @asynccontextmanager
    async def browser(
        self, *roles: str, user: str = "eva.mala", organisation: str = "kmb-praha7"
    ) -> AsyncIterator[Browser]:
        signer = Signer(TEST_SECRET)
        cookie = signer.session(user, set(roles), organisation, name="Eva Malá")
        principal = signer.read_session(cookie)
        assert principal is not None
        async with httpx.AsyncClient(
            transport=self.transport, base_url="http://t", cookies={SESSION_COOKIE: cookie}
        ) as client:
            yield Browser(client, principal.csrf)

    async def publish(self, *events: IntegrationEvent, event_id: str | None = None) -> None:
        """Put events on their context's topic as another service would (one id for all if given)."""
        for event in events:
            item = (event.model_dump_json().encode(), ce_headers(event, event_id), event.subject.encode())
            await produce(self.bootstrap, self.topics.for_event(event), [item])

    async def assessments(
        self,
        case_id: UUID,
        count: int = 1,
        timeout_s: float = 20.0,
        headers: Mapping[str, str] | None = None,
    ) -> list[Any]:
        """The case's assessments once there are ``count`` of them (read as the client's worker, or
        with ``headers``)."""
        rows: list[Any] = []

        async def arrived() -> bool:
            nonlocal rows
            rows = (await self.client.get(f"/api/cases/{case_id}/assessments", headers=headers)).json()
            return len(rows) >= count

        await wait_until(arrived, timeout_s)
        return rows

    async def put_survey(self, assessment_id: str, body: dict[str, Any]) -> httpx.Response:
        return await self.client.put(f"/api/assessments/{assessment_id}/survey", json=body)

    async def submit(self, assessment_id: str) -> httpx.Response:
        return await self.client.post(f"/api/assessments/{assessment_id}/submit")

    async def assess(self, event: CaseOpened, survey: dict[str, Any]) -> dict[str, Any]:
        """Open the case, save the survey and submit; the submitted assessment."""
        await self.publish(event)
        pending = (await self.assessments(event.case_id))[0]
        saved = await self.put_survey(pending["id"], survey)
        assert saved.status_code == 200, saved.text
        submitted = await self.submit(pending["id"])
        assert submitted.status_code == 200, submitted.text
        return dict(submitted.json())

    async def consumed(self, count: int) -> None:
        """Wait until the consumer has taken ``count`` events (applied or recognised as repeats)."""

        async def done() -> bool:
            stats = (await self.client.get("/internal/consumer")).json()
            return bool(stats["applied"] + stats["duplicates"] >= count)

        await wait_until(done)

    async def events(self, expect: int, timeout_s: float = 20.0, settle_s: float = 0.0) -> list[Record]:
        return await read_events(
            self.bootstrap, self.topics.context("assessment"), expect, timeout_s, settle_s
        )


def build_deps_of(runtime: Runtime) -> AssessmentDeps:
    from kmb_assessment.bootstrap import deps_for

    return deps_for(runtime)


@asynccontextmanager
async def running(config: AssessmentSettings) -> AsyncIterator[AssessmentService]:
    app = build_app(config)
    async with serving(app, headers=WORKER) as (client, transport):
        yield AssessmentService(
            client, app.state.runtime, config.kafka_bootstrap, Topics(config.topic_prefix), transport
        )


class OfflineAssessmentService(AssessmentService):
    """The service without a broker (no lifespan: no consumer, relay or job). ``publish`` applies the
    events with the application's handlers in a unit of work, as the consumer would; ``events`` reads
    what the outbox staged."""

    async def publish(self, *events: IntegrationEvent, event_id: str | None = None) -> None:
        for event in events:
            async with self.deps.uow() as uow:
                await HANDLERS[type(event)](event, event_id or str(uuid.uuid4()), uow.store)
                await uow.commit()

    async def consumed(self, count: int) -> None:
        return None  # applied when published

    async def events(self, expect: int, timeout_s: float = 20.0, settle_s: float = 0.0) -> list[Record]:
        async with self.runtime.db.session() as session:
            query = select(OutboxMessage).order_by(col(OutboxMessage.id))
            rows = (await session.exec(query)).all()
        return [Record(row.event_type, {"ce_id": row.event_id}, json.loads(row.payload)) for row in rows]


@asynccontextmanager
async def offline(config: AssessmentSettings) -> AsyncIterator[AssessmentService]:
    """The app on its migrated database, without Kafka: for pages, roles and validation."""
    app = build_app(config)
    runtime: Runtime = app.state.runtime
    async with serving_offline(app, MIGRATIONS, headers=WORKER) as (client, transport):
        yield OfflineAssessmentService(
            client, runtime, config.kafka_bootstrap, Topics(config.topic_prefix), transport
        )


async def read_events(
    bootstrap: str, topic: str, expect: int, timeout_s: float = 20.0, settle_s: float = 0.0
) -> list[Record]:
    """Read ``topic`` from the start until ``expect`` records arrived (or the timeout), then keep
    reading ``settle_s`` longer so that a surplus record would show."""
    consumer = AIOKafkaConsumer(
        topic, bootstrap_servers=bootstrap, auto_offset_reset="earliest", enable_auto_commit=False
    )
    await consumer.start()
    out: list[Record] = []
    try:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout_s
        settled: float | None = None
        while loop.time() < deadline and (settled is None or loop.time() < settled):
            for records in (await consumer.getmany(timeout_ms=200)).values():
                for record in records:
                    headers = {k: v.decode() for k, v in record.headers}
                    out.append(Record(headers["ce_type"], headers, json.loads(record.value)))
            if settled is None and len(out) >= expect:
                settled = loop.time() + settle_s
    finally:
        await consumer.stop()
    return out


def of_type(records: list[Record], name: str) -> list[dict[str, Any]]:
    """Payloads of ``kmb.assessment.<name>.v1`` records."""
    return [r.payload for r in records if r.type == f"kmb.assessment.{name}.v1"]
