"""Schemathesis over every operation of every service: the services answer what their OpenAPI
documents say (issue 13, item 11).

Fast tier, part of the test command: each service's app as its bootstrap builds it, migrated on a
SQLite file, called in process through schemathesis' ASGI transport with no lifespan (nothing connects
to a broker). Bounded and repeatable: a few examples per operation and generation mode (data that fits
the schema and data that does not), derandomized, so a run takes seconds and a failure comes back on
every run. Each call carries an API token holding the roles the operation admits (``x-kmb-roles``;
any signed-in user: a worker); the public operations are called without one.

Checks: no 5xx, only documented statuses, the documented content types, bodies that fit the documented
schemas. Every failure of every operation is collected and reported together.

The one exception: ``/readyz`` answers 503 here by design (the broker is away, its documented "not
ready" answer), so it is held to the document but not to "no 5xx". The referrals service creates a
partner's Kafka topic when the partner is registered: here its topics are named and not created, so
registering partners (and the demo partners) is tested for real rather than answering 503.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Awaitable, Callable, Iterator, MutableMapping, Sequence
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from kmb_testkit.apps import SERVICES, migrated_app
from kmb_testkit.fixtures import bearer

EXAMPLES = 4
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
#: operations whose 5xx is their documented answer in this tier (see the module's docstring)
UNAVAILABLE_HERE = {"GET /readyz"}
#: data each service is given first, so that lists and lookups answer with something to check
SEED = {"catalogue": ["POST /api/demo/load"], "referrals": ["POST /api/demo/partners"]}

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]
App = Callable[[Scope, Receive, Send], Awaitable[None]]


def without_lifespan(app: App) -> App:
    """``app`` with its startup and shutdown acknowledged and not run (they would start the broker)."""

    async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "lifespan":
            await app(scope, receive, send)
            return
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            else:
                await send({"type": "lifespan.shutdown.complete"})
                return

    return wrapped


class OfflineTopics:
    """Partner topics named as the service names them, never created (there is no broker)."""

    def __init__(self, real: Any) -> None:
        self._real = real

    def name(self, slug: str) -> str:
        return str(self._real.name(slug))

    async def ensure(self, slugs: Sequence[str]) -> list[str]:
        return [self.name(slug) for slug in slugs]


class OfflineIntake:
    """Intake as referrals asks it, without an intake in this tier: every case it is asked about is
    open (so a referral gets past the case check to what the document says of it); the rest as is."""

    def __init__(self, real: Any) -> None:
        self._real = real

    async def case_status(self, case_id: Any, credentials: Any) -> str:
        return "open"

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)


def offline(name: str, app: Any) -> None:
    if name == "referrals":
        deps = app.state.referrals
        app.state.referrals = dataclasses.replace(
            deps, partner_topics=OfflineTopics(deps.partner_topics), intake=OfflineIntake(deps.intake)
        )


@pytest.fixture(params=SERVICES)
def service(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, Any]]:
    name = request.param

    async def prepared() -> Any:
        app = await migrated_app(name, tmp_path)
        # its connections were made on this loop; the requests run on schemathesis' own
        await app.state.runtime.db.dispose()
        return app

    app = asyncio.run(prepared())
    offline(name, app)
    yield name, schemathesis.openapi.from_asgi("/openapi.json", without_lifespan(app))
    asyncio.run(app.state.runtime.db.dispose())


def caller(operation: Any) -> dict[str, str]:
    """The headers of a principal the operation admits (none for a public operation)."""
    roles = operation.definition.raw.get("x-kmb-roles")
    return {} if roles is None else bearer(*(roles or ["worker"]))


def failures_of(operation: Any, mode: GenerationMode) -> list[str]:
    """Every failed check of ``EXAMPLES`` derandomized cases of ``operation`` in ``mode``."""
    found: list[str] = []
    headers = caller(operation)
    checks = [c for c in CHECKS if not (operation.label in UNAVAILABLE_HERE and c is not_a_server_error)]

    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(operation.as_strategy(generation_mode=mode))
    def run(case: Any) -> None:
        try:
            case.call_and_validate(headers=headers, checks=checks)
        except (Exception, BaseExceptionGroup) as exc:  # schemathesis' FailureGroup is an exception group
            found.append(f"{operation.label} [{mode.value}]\n{exc}")

    try:
        run()
    except Unsatisfiable:
        pass  # nothing to get wrong in this mode (an operation without input has no negative data)
    return found


def test_every_operation_answers_as_its_document_says(service: tuple[str, Any]) -> None:
    name, schema = service
    for label in SEED.get(name, []):
        method, path = label.split(" ", 1)
        operation = schema[path][method]
        seeded = operation.Case().call(headers=caller(operation))
        assert seeded.status_code == 200, (label, seeded.status_code, seeded.text)
    failures = []
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            failures.extend(failures_of(operation, mode))
    assert not failures, f"{name}: {len(failures)} failed cases\n\n" + "\n\n".join(failures)
