"""Builders of request bodies and a handle on one running catalogue service for the integration tests."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID, uuid4

import httpx
from sqlmodel import select

from kmb_catalogue.adapters.tables import SuggestionRow
from kmb_catalogue.application.cases import record_case_opened
from kmb_catalogue.application.deps import CatalogueDeps
from kmb_catalogue.application.suggestions import answer_need_assessed
from kmb_shared.auth import SESSION_COOKIE, Role, Signer
from kmb_shared.contracts import Actor, CaseOpened, NeedAssessed
from kmb_shared.messaging import OutboxMessage, Topics
from kmb_shared.service import Runtime
from kmb_testkit.fixtures import TEST_SECRET, bearer
from kmb_testkit.probe import Event, ce_headers, produce, read_events
from kmb_testkit.probe import case_opened as probe_case_opened
from kmb_testkit.tables import row_count

LIPOVEC = "kmb-lipovec"
#: API clients by role (the service under test signs with ``TEST_SECRET``)
WORKER = bearer(Role.WORKER, user="worker-7", organisation=LIPOVEC)
EDITOR = bearer(Role.CATALOGUE_EDITOR, user="editor-3", organisation=LIPOVEC)
#: the worker above as the actor of the events about its cases (their organisation scopes the case)
WORKER_ACTOR = Actor(user_id="worker-7", organisation=LIPOVEC)
#: the day the households below are assessed on; every entry is in force from 1 January 2026
ASSESSED_ON = date(2026, 11, 25)

_HOUSING_DEFAULTS: dict[str, dict[str, Any]] = {
    "municipal_flat": {"municipal_category": "A"},
    "guaranteed_housing": {"guarantee_provider": "Garant, z. s."},
}


def entry(kind: str, title: str, **fields: Any) -> dict[str, Any]:
    """A valid ``POST /api/solutions`` body; ``fields`` add to or replace the defaults."""
    data: dict[str, Any] = {
        "kind": kind,
        "title": title,
        "provider": {"name": "Poskytovatel, z. s."},
        "valid_from": "2026-01-01",
        **_HOUSING_DEFAULTS.get(kind, {}),
    }
    data.update(fields)
    return data


def need_assessed(
    need_level: str,
    *,
    case_id: UUID | None = None,
    occurred_at: datetime | None = None,
    actor: Actor = WORKER_ACTOR,
    **fields: Any,
) -> NeedAssessed:
    """The assessment of a household by a worker (of Lipovec unless ``actor`` says otherwise)."""
    return NeedAssessed(
        actor=actor,
        case_id=case_id or uuid4(),
        assessment_id=uuid4(),
        assessed_on=ASSESSED_ON,
        rule_set_version="test",
        need_level=need_level,
        occurred_at=occurred_at or datetime.now(UTC),
        **fields,
    )


def case_opened(case_id: UUID, organisation: str = LIPOVEC, number: int = 1) -> CaseOpened:
    """Intake's CaseOpened by a worker of ``organisation``: whose case it then is."""
    opened = probe_case_opened(case_id, number)
    return opened.model_copy(update={"actor": Actor(user_id="worker-1", organisation=organisation)})


async def catalogue_events(
    bootstrap: str, topics: Topics, expect: int, timeout_s: float = 15.0
) -> list[Event]:
    """The records on the catalogue topic once ``expect`` arrived (or the timeout passed), in the
    order they happened."""
    return await read_events(bootstrap, topics.context("catalogue"), expect, timeout_s)


@dataclass(frozen=True)
class Browser:
    """A signed-in browser: its HTTP client (with the session cookie) and the session's CSRF token."""

    client: httpx.AsyncClient
    csrf: str

    async def get(self, path: str, **params: str) -> httpx.Response:
        return await self.client.get(path, params=params)

    async def submit(self, path: str, data: Mapping[str, str | list[str]]) -> httpx.Response:
        """Send a form as the page's form does, with the CSRF token in its hidden field (a list
        value is a checkbox group)."""
        return await self.client.post(path, data={"csrf_token": self.csrf, **data})


@dataclass
class Catalogue:
    """One catalogue service in-process, with HTTP clients (signed out, a worker's and a catalogue
    editor's API token) and access to its topics and database."""

    anonymous: httpx.AsyncClient
    worker: httpx.AsyncClient
    editor: httpx.AsyncClient
    runtime: Runtime
    bootstrap: str
    topics: Topics
    transport: httpx.AsyncBaseTransport
    deps: CatalogueDeps

    @contextlib.asynccontextmanager
    async def browser(
        self, *roles: str, user: str = "eva.mala", organisation: str = "kmb-lipovec"
    ) -> AsyncIterator[Browser]:
        """A browser signed in at intake as ``user`` with ``roles`` (the shared session cookie)."""
        signer = Signer(TEST_SECRET)
        cookie = signer.session(user, set(roles), organisation, name=f"Jméno {user}")
        session = signer.read_session(cookie)
        assert session is not None
        cookies = {SESSION_COOKIE: cookie}
        async with httpx.AsyncClient(transport=self.transport, base_url="http://t", cookies=cookies) as c:
            yield Browser(c, session.csrf)

    async def create(self, body: dict[str, Any]) -> dict[str, Any]:
        response = await self.editor.post("/api/solutions", json=body)
        assert response.status_code == 201, response.text
        return dict(response.json())

    async def events(self, expect: int, timeout_s: float = 15.0) -> list[Event]:
        return await catalogue_events(self.bootstrap, self.topics, expect, timeout_s)

    async def assess(self, event: NeedAssessed) -> str:
        """Publish ``event`` on the assessment topic as the assessment service would; its event id."""
        event_id = str(uuid4())
        value = event.model_dump_json().encode()
        topic = self.topics.context("assessment")
        await produce(self.bootstrap, topic, [(value, ce_headers(event, event_id), event.subject.encode())])
        return event_id

    async def open_case(self, event: CaseOpened) -> None:
        """Publish ``event`` on the intake topic as intake would."""
        value = event.model_dump_json().encode()
        topic = self.topics.context("intake")
        await produce(self.bootstrap, topic, [(value, ce_headers(event), event.subject.encode())])

    async def apply(self, event: CaseOpened | NeedAssessed) -> None:
        """Apply an event as the consumer's handler does, without the broker (offline tests)."""
        async with self.deps.unit_of_work() as uow:
            if isinstance(event, CaseOpened):
                await record_case_opened(uow, event)
            else:
                await answer_need_assessed(uow, event, str(uuid4()), self.deps.match_config)
            await uow.commit()

    async def suggestions(self, case_id: UUID, *, assessment_id: UUID, timeout_s: float = 20.0) -> Any:
        """The case's suggestions once those for ``assessment_id`` are there."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout_s
        while loop.time() < deadline:
            response = await self.worker.get(f"/api/cases/{case_id}/suggestions")
            if response.status_code == 200 and response.json()["assessment_id"] == str(assessment_id):
                return response.json()
            await asyncio.sleep(0.1)
        raise AssertionError(f"no suggestions for assessment {assessment_id} within {timeout_s} s")

    async def count(self, table: str) -> int:
        return await row_count(self.runtime.db, table)

    async def outbox_count(self) -> int:
        return await self.count(OutboxMessage.__tablename__)

    async def suggestion_rows(self, case_id: UUID) -> list[SuggestionRow]:
        async with self.runtime.db.session() as session:
            query = select(SuggestionRow).where(SuggestionRow.case_id == case_id)
            return list((await session.exec(query)).all())
