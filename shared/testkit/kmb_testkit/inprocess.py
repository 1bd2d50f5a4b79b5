"""The five services in one process, wired to each other without a broker, for fast-tier tests that
call every route of every service (the authorization matrix).

Each service is its own app as ``bootstrap.build_app`` makes it, on its own SQLite file, migrated.
What would cross Kafka crosses in memory: a service's outbox relay hands each row to the consumers of
the services that subscribe to its topic (their real ``EventConsumer.handle``, inbox and handlers
included); :meth:`InProcessSystem.pump` relays until nothing is left. HTTP between services (referrals
asking intake for a name, the catalogue for an entry's title) goes to the peer app through an ASGI
transport, and so does the others' question whether a sign-in still holds. No lifespan runs: nothing connects to a broker, and the partner topics are named but not
created.
"""

from __future__ import annotations

import asyncio
import dataclasses
import importlib
import types
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
from aiokafka.structs import ConsumerRecord
from fastapi import FastAPI

from kmb_shared.messaging.outbox import OutboxMessage
from kmb_shared.sessions import IntakeSessionChecker

from .fixtures import TEST_SECRET

SERVICES = ("intake", "assessment", "catalogue", "referrals", "stats")
#: the peers' addresses inside the process (any host name; requests go to the app, not the network)
PEER_URLS = {name: f"http://{name}.kmb.test" for name in SERVICES}


class _OfflinePartnerTopics:
    """Partner topics named as the service names them, never created (there is no broker)."""

    def __init__(self, real: Any) -> None:
        self._real = real

    def name(self, slug: str) -> str:
        return str(self._real.name(slug))

    async def ensure(self, slugs: Any) -> list[str]:
        return [self.name(slug) for slug in slugs]


def _settings(name: str, var_dir: Path) -> Any:
    config = importlib.import_module(f"kmb_{name}.config")
    cls = getattr(config, f"{name.capitalize()}Settings")
    peers = {f"{peer}_url": url for peer, url in PEER_URLS.items() if f"{peer}_url" in cls.model_fields}
    return cls(
        database_url=f"sqlite+aiosqlite:///{var_dir / f'{name}.db'}",
        secret_key=TEST_SECRET,
        var_dir=var_dir,
        kafka_bootstrap="127.0.0.1:1",
        **peers,
    )


class InProcessSystem:
    def __init__(self, var_dir: Path) -> None:
        self.var_dir = var_dir
        self.apps: dict[str, FastAPI] = {}
        self._offsets: dict[str, int] = {}
        for name in SERVICES:
            bootstrap = importlib.import_module(f"kmb_{name}.bootstrap")
            self.apps[name] = bootstrap.build_app(_settings(name, var_dir))
        self._subscribers = {name: self._topics_of(app) for name, app in self.apps.items()}

    @staticmethod
    def _topics_of(app: FastAPI) -> set[str]:
        runtime = app.state.runtime
        return {t.name for sub in runtime.broker.subscribers for t in getattr(sub, "topics", ())} | {
            getattr(t, "topic", t) for sub in runtime.broker.subscribers for t in getattr(sub, "_topics", ())
        }

    async def start(self) -> None:
        for name, app in self.apps.items():
            bootstrap = importlib.import_module(f"kmb_{name}.bootstrap")
            await app.state.runtime.db.migrate(bootstrap.MIGRATIONS)
            app.state.runtime.relay.send = self._deliver
        referrals = self.apps["referrals"]
        deps = referrals.state.referrals
        referrals.state.referrals = dataclasses.replace(
            deps, partner_topics=_OfflinePartnerTopics(deps.partner_topics)
        )
        self._route_peer_http()

    def _route_peer_http(self) -> None:
        """The services' HTTP clients of their peers reach the peer apps."""
        hosts = {httpx.URL(url).host: self.apps[name] for name, url in PEER_URLS.items()}

        class Routed(httpx.AsyncClient):
            def __init__(self, *args: Any, **kwargs: Any) -> None:
                kwargs["transport"] = _HostTransport(hosts)
                super().__init__(*args, **kwargs)

        routed = types.ModuleType("httpx")
        routed.__dict__.update(httpx.__dict__)
        routed.AsyncClient = Routed  # type: ignore[attr-defined]
        for module in ("kmb_referrals.adapters.intake_client", "kmb_referrals.adapters.catalogue_client"):
            importlib.import_module(module).httpx = routed  # type: ignore[attr-defined]
        self.apps["intake"].state.peer_transport = _HostTransport(hosts)  # intake's pages read the peers
        # every other service asks the intake app in this process whether a sign-in still holds
        intake = httpx.ASGITransport(app=self.apps["intake"])
        for name, app in self.apps.items():
            if name != "intake":
                app.state.session_checker = IntakeSessionChecker(PEER_URLS["intake"], transport=intake)

    async def stop(self) -> None:
        for module in ("kmb_referrals.adapters.intake_client", "kmb_referrals.adapters.catalogue_client"):
            importlib.import_module(module).httpx = httpx  # type: ignore[attr-defined]
        for app in self.apps.values():
            await app.state.runtime.db.dispose()

    async def _deliver(self, row: OutboxMessage, headers: dict[str, str]) -> asyncio.Future[None]:
        offset = self._offsets.get(row.topic, 0)
        self._offsets[row.topic] = offset + 1
        value = row.payload.encode() if isinstance(row.payload, str) else row.payload
        key = row.key.encode() if row.key is not None else None
        record = ConsumerRecord(
            row.topic,
            0,
            offset,
            0,
            0,
            key,
            value,
            None,
            len(key or b""),
            len(value or b""),
            [(k, v.encode()) for k, v in headers.items()],
        )
        for name, topics in self._subscribers.items():
            consumer = self.apps[name].state.runtime.consumer
            if row.topic in topics and consumer is not None:
                await consumer.handle(record)
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        done.set_result(None)
        return done

    async def pump(self, rounds: int = 20) -> None:
        """Relay every service's outbox until no service has anything left to send."""
        for _ in range(rounds):
            sent = 0
            for app in self.apps.values():
                sent += await app.state.runtime.relay.publish_pending()
            if sent == 0:
                return
        raise AssertionError(f"the outboxes still had events after {rounds} rounds")

    def client(self, name: str, **kwargs: Any) -> httpx.AsyncClient:
        return httpx.AsyncClient(
            transport=httpx.ASGITransport(app=self.apps[name]), base_url=PEER_URLS[name], **kwargs
        )


class _HostTransport(httpx.AsyncBaseTransport):
    def __init__(self, hosts: dict[str, FastAPI]) -> None:
        self._transports = {host: httpx.ASGITransport(app=app) for host, app in hosts.items()}

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        transport = self._transports.get(request.url.host)
        if transport is None:
            raise httpx.ConnectError(f"no in-process service at {request.url.host}", request=request)
        return await transport.handle_async_request(request)


@asynccontextmanager
async def in_process_system(var_dir: Path) -> AsyncIterator[InProcessSystem]:
    system = InProcessSystem(var_dir)
    await system.start()
    try:
        yield system
    finally:
        await system.stop()
