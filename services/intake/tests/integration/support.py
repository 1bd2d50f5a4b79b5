"""Builders of request bodies and a handle on one running intake service for the integration tests."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from uuid import uuid4

import httpx

from kmb_intake.config import IntakeSettings
from kmb_shared.auth import Role
from kmb_shared.messaging import OutboxMessage
from kmb_shared.service import Runtime
from kmb_testkit import intake_bodies
from kmb_testkit.fixtures import bearer, quick_settings
from kmb_testkit.intake_bodies import case_body
from kmb_testkit.intake_bodies import member as member  # re-exported for the tests
from kmb_testkit.probe import Event, read_events
from kmb_testkit.tables import row_count

#: the API validates against the real date, so test dates are relative to it
TODAY = date.today()
#: the credentials every request of ``Intake.client`` carries unless it names others
WORKER = bearer(Role.WORKER, organisation="kmb-praha7", user="worker-7")


def worker(user: str, organisation: str = "kmb-praha7") -> dict[str, str]:
    """The Authorization header of another worker's API token."""
    return bearer(Role.WORKER, organisation=organisation, user=user)


BASE_URL = "http://intake.test"
#: nothing listens there: pages that read other services show their quiet note
UNREACHABLE = "http://127.0.0.1:9"


def intake_settings(kafka_bootstrap: str, topic_prefix: str, database_url: str) -> IntakeSettings:
    unreachable = {f"{peer}_url": UNREACHABLE for peer in ("referrals", "assessment", "stats")}
    return quick_settings(IntakeSettings, kafka_bootstrap, topic_prefix, database_url, **unreachable)


def contact_body(**overrides: Any) -> dict[str, Any]:
    return intake_bodies.contact_body(
        **{"contact_date": TODAY.isoformat(), "worker_id": "worker-7", **overrides}
    )


def days_from_today(days: int) -> str:
    return (TODAY + timedelta(days=days)).isoformat()


def years_ago(years: int) -> str:
    """The date ``years`` ago (29 February becomes 28 February in other years)."""
    try:
        return TODAY.replace(year=TODAY.year - years).isoformat()
    except ValueError:
        return TODAY.replace(year=TODAY.year - years, day=28).isoformat()


@dataclass
class Intake:
    """One intake service in-process, with its HTTP client and access to its topic and database."""

    client: httpx.AsyncClient
    runtime: Runtime
    bootstrap: str
    topic: str
    transport: httpx.AsyncBaseTransport

    def new_client(self, headers: dict[str, str] | None = None) -> httpx.AsyncClient:
        """Another client of the same service, with its own cookies and only ``headers``."""
        return httpx.AsyncClient(transport=self.transport, base_url=BASE_URL, headers=headers)

    def peers_answer(self, lists: dict[str, list[dict[str, Any]]]) -> list[httpx.Request]:
        """The other services answer a GET of a path in ``lists`` with its list, any other with an
        empty one; the requests they get are appended to the list returned."""
        asked: list[httpx.Request] = []

        def peers(request: httpx.Request) -> httpx.Response:
            asked.append(request)
            return httpx.Response(200, content=json.dumps(lists.get(request.url.path, [])))

        self.transport.app.state.peer_transport = httpx.MockTransport(peers)  # type: ignore[attr-defined]
        return asked

    async def open_case(self, body: dict[str, Any] | None = None, **headers: str) -> dict[str, Any]:
        response = await self.client.post("/api/cases", json=body or case_body(), headers=headers or WORKER)
        assert response.status_code == 201, response.text
        return dict(response.json())

    async def events(self, expect: int, timeout_s: float = 15.0) -> list[Event]:
        """The records on intake's topic once ``expect`` arrived (or the timeout passed)."""
        return await read_events(self.bootstrap, self.topic, expect, timeout_s)

    async def count(self, table: str) -> int:
        return await row_count(self.runtime.db, table)

    async def outbox_count(self) -> int:
        return await self.count(OutboxMessage.__tablename__)


def unknown_id() -> str:
    return str(uuid4())


ADMIN = bearer(Role.ADMIN, organisation="kmb-praha7", user="admin-1")
AUDITOR = bearer(Role.AUDITOR, organisation="kmb-praha7", user="auditor-1")
PASSWORD = "správné-heslo-42"
_HIDDEN_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(html: str, action: str = "") -> str:
    """The CSRF token of the first form on a page (or of the first form posting to ``action``)."""
    start = html.find(f'action="{action}"') if action else 0
    match = _HIDDEN_TOKEN.search(html, max(start, 0))
    assert match is not None, "the page has no form with a CSRF token"
    return match.group(1)


async def add_user(
    intake: Intake, username: str, *roles: str, organisation: str = "kmb-praha7", name: str = "Eva Malá"
) -> dict[str, Any]:
    """An account created by an administrator over the API, with the password ``PASSWORD``."""
    body = {
        "username": username,
        "name": name,
        "password": PASSWORD,
        "roles": list(roles),
        "organisation": organisation,
    }
    response = await intake.client.post("/api/users", json=body, headers=ADMIN)
    assert response.status_code == 201, response.text
    return dict(response.json())


async def log_in(client: httpx.AsyncClient, username: str, password: str = PASSWORD) -> httpx.Response:
    """Fill in and send the login form as a browser would (its CSRF cookie and hidden field)."""
    form = await client.get("/login")
    data = {"csrf_token": csrf_of(form.text, "/login"), "username": username, "password": password}
    return await client.post("/login", data=data)


@asynccontextmanager
async def signed_in(intake: Intake, username: str, *roles: str) -> AsyncIterator[httpx.AsyncClient]:
    """A new browser-like client signed in as a new user with ``roles``."""
    await add_user(intake, username, *roles)
    async with intake.new_client() as client:
        response = await log_in(client, username)
        assert response.status_code == 303, response.text
        yield client
