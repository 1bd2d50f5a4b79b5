"""Builders of request bodies and a handle on one running intake service for the integration tests."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from uuid import uuid4

import httpx
import sqlalchemy as sa
from kmb_testkit.probe import headers_dict, read_all

from kmb_shared.messaging import OutboxMessage
from kmb_shared.service import Runtime

#: the API validates against the real date, so test dates are relative to it
TODAY = date.today()
WORKER = {"X-KMB-User": "worker-7", "X-KMB-Org": "kmb-praha7"}


def member(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "first_name": "Květoslava",
        "last_name": "Hronková",
        "date_of_birth": "1985-03-15",
        "relationship": "applicant",
    }
    data.update(overrides)
    return data


def case_body(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "members": [member()],
        "address": {"orp_code": "1000", "district": "Praha 7"},
        "dwelling": {"kind": "flat", "legal_title": "lease"},
        "legal_basis": "public_task",
    }
    data.update(overrides)
    return data


def contact_body(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "channel": "in_person",
        "contact_date": TODAY.isoformat(),
        "topics": ["loss_of_housing"],
        "duration_minutes": 30,
        "worker_id": "worker-7",
    }
    data.update(overrides)
    return data


def days_from_today(days: int) -> str:
    return (TODAY + timedelta(days=days)).isoformat()


def years_ago(years: int) -> str:
    """The date ``years`` ago (29 February becomes 28 February in other years)."""
    try:
        return TODAY.replace(year=TODAY.year - years).isoformat()
    except ValueError:
        return TODAY.replace(year=TODAY.year - years, day=28).isoformat()


@dataclass(frozen=True)
class Event:
    type: str
    key: str
    headers: dict[str, str]
    payload: dict[str, Any]
    raw: bytes


@dataclass
class Intake:
    """One intake service in-process, with its HTTP client and access to its topic and database."""

    client: httpx.AsyncClient
    runtime: Runtime
    bootstrap: str
    topic: str

    async def open_case(self, body: dict[str, Any] | None = None, **headers: str) -> dict[str, Any]:
        response = await self.client.post("/api/cases", json=body or case_body(), headers=headers or WORKER)
        assert response.status_code == 201, response.text
        return dict(response.json())

    async def events(self, expect: int, timeout_s: float = 15.0) -> list[Event]:
        """The records on intake's topic once ``expect`` arrived (or the timeout passed)."""
        records = await read_all(self.bootstrap, self.topic, expect=expect, timeout_s=timeout_s)
        events = [
            Event(
                type=headers_dict(r)["ce_type"],
                key=r.key.decode(),
                headers=headers_dict(r),
                payload=json.loads(r.value),
                raw=r.value,
            )
            for r in records
        ]
        return sorted(events, key=lambda e: e.payload["occurred_at"])

    async def count(self, table: str) -> int:
        async with self.runtime.db.engine.connect() as conn:
            query = sa.select(sa.func.count()).select_from(sa.table(table))
            return int((await conn.execute(query)).scalar_one())

    async def outbox_count(self) -> int:
        return await self.count(OutboxMessage.__tablename__)


def unknown_id() -> str:
    return str(uuid4())
