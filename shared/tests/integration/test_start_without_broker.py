"""A service starts while its broker is away (issue 16: with one address, a service restarted while that
broker was down could not start): it serves HTTP at once, /readyz says Kafka is unreachable, and once the
broker answers it consumes and relays without a restart."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa

from kmb_shared.messaging import Topics
from kmb_testkit.probe import case_opened, ce_headers, effects, probe_app, produce, wait_until

pytestmark = pytest.mark.kafka


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.asynccontextmanager
async def forwarder(port: int, target: str) -> AsyncIterator[None]:
    """From now on, 127.0.0.1:port forwards to ``target`` (the broker's own address, so only the first
    contact goes through it; the broker's metadata names its real address)."""
    host, target_port = target.rsplit(":", 1)

    async def pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(Exception):
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        writer.close()

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        up_reader, up_writer = await asyncio.open_connection(host, int(target_port))
        await asyncio.gather(pipe(reader, up_writer), pipe(up_reader, writer))

    server = await asyncio.start_server(handle, "127.0.0.1", port)
    try:
        yield
    finally:
        server.close()


async def test_a_service_started_while_its_broker_is_away_serves_and_then_consumes(
    kafka_bootstrap: str, topic_prefix: str, tmp_path: Path
) -> None:
    port = free_port()  # nothing listens there yet: the broker is "down"
    app = probe_app(
        bootstrap=f"127.0.0.1:{port}",
        prefix=topic_prefix,
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'p.db'}",
    )
    event = case_opened()
    async with app.router.lifespan_context(app):  # starts although no broker answers
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
            assert (await client.get("/healthz")).status_code == 200
            ready = await client.get("/readyz")
            assert ready.status_code == 503 and ready.json()["checks"]["kafka"] != "ok"
            async with forwarder(port, kafka_bootstrap):  # the broker is back
                topic = Topics(topic_prefix).context("intake")
                await produce(
                    kafka_bootstrap, topic, [(event.model_dump_json().encode(), ce_headers(event), b"k")]
                )

                async def applied() -> bool:
                    async with app.state.runtime.db.engine.connect() as conn:
                        count = (
                            await conn.execute(sa.select(sa.func.count()).select_from(effects))
                        ).scalar_one()
                    return int(count) == 1

                await wait_until(applied, timeout_s=60)  # consumed without a restart
                assert (await client.get("/readyz")).status_code == 200
