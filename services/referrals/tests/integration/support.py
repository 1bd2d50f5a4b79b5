"""A handle on one running referrals service, a controllable calendar day, and a stub of intake."""

from __future__ import annotations

import asyncio
import json
import shutil
import socket
import tempfile
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any
from uuid import UUID

import httpx
import sqlalchemy as sa
import uvicorn
from fastapi import FastAPI, HTTPException, Request
from sqlmodel import col, select

from kmb_referrals.application.deps import ReferralsDeps
from kmb_referrals.application.handlers import HANDLERS
from kmb_referrals.bootstrap import MIGRATIONS, build_app
from kmb_referrals.config import ReferralsSettings
from kmb_referrals.entrypoints.deps import DEPS_STATE
from kmb_shared.auth import Role
from kmb_shared.contracts import Actor, CaseOpened, HouseholdSnapshot, MemberSnapshot
from kmb_shared.contracts.base import CaseEvent
from kmb_shared.messaging import OutboxMessage, Topics
from kmb_shared.service import Runtime
from kmb_testkit.apps import serving_offline
from kmb_testkit.fixtures import TEST_SECRET, bearer
from kmb_testkit.probe import ce_headers, headers_dict, produce, read_all, wait_until

#: the contact point the tests' workers belong to (and whose cases ``case_opened`` opens)
LIPOVEC = "kmb-lipovec"
WORKER = bearer(Role.WORKER, organisation=LIPOVEC, user="worker-7")
ADMIN = bearer(Role.ADMIN, organisation=LIPOVEC, user="admin-1")
AUDITOR = bearer(Role.AUDITOR, organisation=LIPOVEC, user="auditor-1")
ANALYST = bearer(Role.ANALYST, organisation=LIPOVEC, user="analyst-1")


def partner_user(slug: str, user: str | None = None) -> dict[str, str]:
    """A partner organisation's user (or API token): role partner, organisation = the partner's slug."""
    return bearer(Role.PARTNER, organisation=slug, user=user or f"{slug}-user-1")


#: 2 March 2026 is a Monday (1 January 2026 is a Thursday; 31 + 28 days later, 1 March is a Sunday)
MONDAY = date(2026, 3, 2)


class Clock:
    """The service's "today", moved by the test."""

    def __init__(self, day: date) -> None:
        self.day = day

    def __call__(self) -> date:
        return self.day


@dataclass
class Record:
    type: str
    headers: dict[str, str]
    key: bytes | None
    raw: bytes
    data: dict[str, Any]


def as_record(record: Any) -> Record:
    headers = headers_dict(record)
    return Record(headers.get("ce_type", ""), headers, record.key, record.value, json.loads(record.value))


@dataclass
class Referrals:
    client: httpx.AsyncClient
    runtime: Runtime
    bootstrap: str
    topics: Topics
    clock: Clock

    async def partner(self, slug: str, kinds: Sequence[str], kind: str = "ngo") -> dict[str, Any]:
        body = {"slug": slug, "name": f"Partner {slug}", "kind": kind, "accepted_kinds": list(kinds)}
        response = await self.client.post("/api/partners", json=body, headers=ADMIN)
        assert response.status_code == 201, response.text
        return dict(response.json())

    async def refer(
        self, case_id: UUID, partner: str, kind: str, headers: dict[str, str] | None = None, **extra: Any
    ) -> httpx.Response:
        body = {"case_id": str(case_id), "partner": partner, "kind": kind, **extra}
        return await self.client.post("/api/referrals", json=body, headers={**WORKER, **(headers or {})})

    async def referral(self, case_id: UUID, partner: str, kind: str, **extra: Any) -> dict[str, Any]:
        response = await self.refer(case_id, partner, kind, **extra)
        assert response.status_code == 201, response.text
        return dict(response.json())

    async def step(
        self, referral_id: str, action: str, body: dict[str, Any] | None = None, as_: dict[str, str] = WORKER
    ) -> httpx.Response:
        return await self.client.post(f"/api/referrals/{referral_id}/{action}", json=body, headers=as_)

    async def get(self, path: str, as_: dict[str, str] = WORKER, **params: str) -> Any:
        """GET ``path`` as ``as_`` (a worker by default), expecting 200; the parsed JSON."""
        response = await self.client.get(path, params=params, headers=as_)
        assert response.status_code == 200, response.text
        return response.json()

    async def open_case(
        self,
        case_id: UUID,
        *,
        consent: Sequence[str] = (),
        legal_basis: str | None = None,
        number: int = 1,
        organisation: str = LIPOVEC,
    ) -> None:
        """Intake's CaseOpened, applied by this service (see :meth:`apply_intake`)."""
        await self.apply_intake(
            case_opened(
                case_id, consent=consent, legal_basis=legal_basis, number=number, organisation=organisation
            )
        )

    async def apply_intake(self, event: CaseEvent) -> None:
        """Publish intake's event and wait until this service applied it."""
        consumer = self.runtime.consumer
        assert consumer is not None
        before = consumer.applied
        item = (event.model_dump_json().encode(), ce_headers(event), event.subject.encode())
        await produce(self.bootstrap, self.topics.context("intake"), [item])
        await wait_until(lambda: _true(consumer.applied > before))

    async def all_sent(self) -> None:
        """Wait until the relay has published every staged outbox row."""

        async def none_unsent() -> bool:
            async with self.runtime.db.engine.connect() as conn:
                query = (
                    sa.select(sa.func.count())
                    .select_from(OutboxMessage)
                    .where(
                        OutboxMessage.sent_at.is_(None)  # type: ignore[union-attr]
                    )
                )
                return int((await conn.execute(query)).scalar_one()) == 0

        await wait_until(none_unsent)

    async def read(self, topic: str, expect: int, timeout_s: float = 15.0) -> list[Record]:
        await self.all_sent()
        return [as_record(r) for r in await read_all(self.bootstrap, topic, expect, timeout_s)]

    async def partner_messages(self, slug: str, expect: int, timeout_s: float = 15.0) -> list[Record]:
        return await self.read(self.topics.partner(slug), expect, timeout_s)

    async def events(self, expect: int, timeout_s: float = 15.0) -> list[Record]:
        return await self.read(self.topics.context("referrals"), expect, timeout_s)


async def _true(value: bool) -> bool:
    return value


def case_opened(
    case_id: UUID,
    *,
    consent: Sequence[str] = (),
    legal_basis: str | None = None,
    number: int = 1,
    organisation: str = LIPOVEC,
) -> CaseOpened:
    """Intake's CaseOpened of a parent with one child, opened by a worker of ``organisation`` (whose case
    it then is)."""
    return CaseOpened(
        case_id=case_id,
        case_number=f"KMB-2026-{number:05d}",
        actor=Actor(user_id="worker-7", organisation=organisation),
        household=HouseholdSnapshot(
            members=(
                MemberSnapshot(age_band="26-64", relationship="applicant"),
                MemberSnapshot(age_band="6-14", relationship="child", dependent=True),
            ),
            district="Lipovec-sever",
            consent_partners=tuple(consent),
            legal_basis=legal_basis,
        ),
    )


@dataclass
class OfflinePartnerTopics:
    """The partner topics without Kafka: the names as on the broker; creating one only records it."""

    topics: Topics
    created: set[str] = field(default_factory=set)

    def name(self, slug: str) -> str:
        return self.topics.partner(slug)

    async def ensure(self, slugs: Sequence[str]) -> list[str]:
        names = [n for n in dict.fromkeys(self.name(slug) for slug in slugs) if n not in self.created]
        self.created.update(names)
        return names


@dataclass
class OfflineReferrals(Referrals):
    """The service without a broker (no lifespan: no consumer, relay or job). ``apply_intake`` applies
    intake's event with the application's handler in a unit of work, as the consumer would; ``read``
    reads what the outbox staged for a topic, in order."""

    app: FastAPI | None = None

    @property
    def deps(self) -> ReferralsDeps:
        deps = getattr(getattr(self.app, "state", None), DEPS_STATE)
        assert isinstance(deps, ReferralsDeps)
        return deps

    async def apply_intake(self, event: CaseEvent) -> None:
        """Intake's event applied with the application's handler in a unit of work, as the consumer would."""
        async with self.deps.uow() as uow:
            await HANDLERS[type(event)](event, uow.store)
            await uow.commit()

    async def all_sent(self) -> None:
        return None  # nothing is sent without a broker; ``read`` reads the outbox

    async def read(self, topic: str, expect: int, timeout_s: float = 15.0) -> list[Record]:
        async with self.runtime.db.session() as session:
            query = select(OutboxMessage).where(OutboxMessage.topic == topic).order_by(col(OutboxMessage.id))
            rows = (await session.exec(query)).all()
        return [
            Record(
                row.event_type,
                {"ce_id": row.event_id, "ce_type": row.event_type},
                row.key.encode(),
                row.payload.encode(),
                json.loads(row.payload),
            )
            for row in rows
        ]


@asynccontextmanager
async def offline(settings: ReferralsSettings, clock: Clock) -> AsyncIterator[Referrals]:
    """The app on its migrated database, without Kafka: for pages, roles and validation."""
    app = build_app(settings, today=clock)
    runtime: Runtime = app.state.runtime
    topics = Topics(settings.topic_prefix)
    deps = getattr(app.state, DEPS_STATE)
    setattr(app.state, DEPS_STATE, replace(deps, partner_topics=OfflinePartnerTopics(topics)))
    async with serving_offline(app, MIGRATIONS, "http://referrals") as (client, _):
        yield OfflineReferrals(client, runtime, settings.kafka_bootstrap, topics, clock, app)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class RealIntake:
    """The real intake app (SQLite in a temporary folder, migrated), built on its first request: what
    the stub does not answer itself (issuing and recording API tokens) goes to it."""

    def __init__(self) -> None:
        self._app: FastAPI | None = None
        self._lock = asyncio.Lock()
        self._folder = Path(tempfile.mkdtemp(prefix="kmb-referrals-intake-"))

    async def _built(self) -> FastAPI:
        async with self._lock:
            if self._app is None:
                from kmb_intake.bootstrap import MIGRATIONS as INTAKE_MIGRATIONS
                from kmb_intake.bootstrap import build_app as build_intake
                from kmb_intake.config import IntakeSettings

                settings = IntakeSettings(
                    database_url=f"sqlite+aiosqlite:///{self._folder / 'intake.db'}",
                    secret_key=TEST_SECRET,
                    var_dir=self._folder,
                    kafka_bootstrap="127.0.0.1:9",
                )
                app = build_intake(settings)
                await app.state.runtime.db.migrate(INTAKE_MIGRATIONS)
                self._app = app
            return self._app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        await (await self._built())(scope, receive, send)

    async def close(self) -> None:
        if self._app is not None:
            await self._app.state.runtime.db.dispose()
        shutil.rmtree(self._folder, ignore_errors=True)


@dataclass
class StubIntake:
    """Intake's case detail for the cases the test puts in ``cases`` (any other case: open, unless the
    test names it ``unknown``, ``unavailable`` or gives its ``statuses``); every request is recorded.
    Anything else (API tokens) is answered by the real intake app (:class:`RealIntake`)."""

    cases: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: cases intake keeps no record of (404), cases it fails to answer for (500), and the status of a
    #: case not described in ``cases`` (by default every such case is open)
    unknown: set[str] = field(default_factory=set)
    unavailable: set[str] = field(default_factory=set)
    statuses: dict[str, str] = field(default_factory=dict)
    requests: list[str] = field(default_factory=list)
    authorizations: list[str | None] = field(default_factory=list)
    url: str = ""
    real: RealIntake = field(default_factory=RealIntake)

    def app(self) -> FastAPI:
        app = FastAPI()

        @app.get("/api/cases/{case_id}")
        async def case_detail(case_id: str, request: Request) -> dict[str, Any]:
            self.requests.append(case_id)
            self.authorizations.append(request.headers.get("authorization"))
            if case_id in self.unknown:
                raise HTTPException(status_code=404)
            if case_id in self.unavailable:
                raise HTTPException(status_code=500)
            if case_id not in self.cases:  # a case the test refers to without describing it: open
                return {"id": case_id, "status": self.statuses.get(case_id, "open")}
            return self.cases[case_id]

        app.mount("/", self.real)
        return app

    def add(self, case_id: UUID, first: str, last: str, phone: str, street: str) -> None:
        self.cases[str(case_id)] = {
            "id": str(case_id),
            "number": "KMB-2026-00001",
            "status": "open",
            "members": [
                {
                    "first_name": first,
                    "last_name": last,
                    "date_of_birth": "1980-05-17",
                    "relationship": "applicant",
                }
            ],
            "household": {
                "phone": phone,
                "email": None,
                "address": {
                    "street": street,
                    "municipality": "Lipovec",
                    "postal_code": "000 00",
                    "orp_code": "0000",
                },
            },
        }


class RunningServer:
    """A small HTTP app on a free local port for the length of an ``async with``."""

    def __init__(self, app: FastAPI) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning")
        self.server = uvicorn.Server(config)
        self.task: asyncio.Task[None] | None = None

    async def __aenter__(self) -> RunningServer:
        self.task = asyncio.create_task(self.server.serve())
        await wait_until(lambda: _true(self.server.started), timeout_s=10)
        return self

    async def __aexit__(self, *_: object) -> None:
        self.server.should_exit = True
        if self.task is not None:
            await self.task
