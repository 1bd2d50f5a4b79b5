"""Denial-of-service regression (issue 13, item 1): while the largest request allowed is computed, the
service answers its health and readiness checks and its Kafka consumer keeps storing events.

Before, a weekly series from year 1 was computed on the event loop for seconds, and health checks and
the consumer (its session expired) stalled. Now figures and reports are computed in a worker thread.
The proof is by ordering, not by timing: the real computation of the widest weekly series (5 years,
262 weeks) and of a live year report is held, after it has run, in its worker thread until the test
lets it go; meanwhile ``/healthz`` and ``/readyz`` (database and broker) answer and a new event sent
to the real broker is stored, all while the heavy request is still unanswered. Were the work on the
event loop, the hold would freeze the loop: nothing could answer until the hold timed out, and by
then the heavy request would be done, failing the test. The figures (how long each step took) are
printed; the bounds on waiting are generous and only stop a broken run.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

import pytest

from kmb_shared.contracts import Actor, ContactRecorded
from kmb_stats.application import figures, reports
from kmb_stats.domain import EventMeta

from .support import ANALYST, Stats, send_history_out_of_order

pytestmark = pytest.mark.kafka

#: how long the held computation waits to be let go before it gives up (a broken run only)
HOLD_S = 20.0


class Held:
    """Wraps a pure computation: runs it, notes where it ran, then holds until :meth:`release`."""

    def __init__(self, real: Callable[..., Any]) -> None:
        self.real = real
        self.computed = threading.Event()
        self.released = threading.Event()
        self.seconds = 0.0
        self.thread = ""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        result = self.real(*args, **kwargs)
        self.seconds = time.perf_counter() - started
        self.thread = threading.current_thread().name
        self.computed.set()
        self.released.wait(HOLD_S)
        return result

    def release(self) -> None:
        self.released.set()


def a_new_contact() -> tuple[ContactRecorded, EventMeta]:
    at = datetime(2026, 4, 15, 9, 0, tzinfo=UTC)
    contact = ContactRecorded(
        contact_id=UUID(int=0xD05), channel="phone", contact_date=date(2026, 4, 15), topics=("debt",),
        duration_minutes=5, actor=Actor(user_id="worker-9", organisation="kmb-praha7"), occurred_at=at,
    )  # fmt: skip
    return contact, EventMeta("intake-dos-1", contact.event_type, at, "kmb.intake.v1", 0, 99)


#: (what is held, the largest request of its kind that is allowed)
HEAVY = {
    # 2021-04-01 (a Thursday of 2021-W13) to 2026-03-31 (2026-W14): 40 + 4 * 52 + 14 = 262 weeks
    "series": (
        (figures, "time_series"),
        "/api/stats/series/people_in_need",
        {"interval": "week", "from": "2021-04-01", "to": "2026-03-31"},
    ),
    "report": ((reports, "build_report"), "/api/stats/reports/live/2026.xlsx", {}),
}


@pytest.mark.parametrize("kind", list(HEAVY))
async def test_health_readiness_and_the_consumer_go_on_while_the_largest_request_is_computed(
    stats: Stats, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    (module, name), url, params = HEAVY[kind]
    await send_history_out_of_order(stats)
    held = Held(getattr(module, name))
    monkeypatch.setattr(module, name, held)
    loop = asyncio.get_running_loop()

    started = loop.time()
    heavy = asyncio.create_task(stats.client.get(url, params=params, headers=ANALYST))

    deadline = loop.time() + 2 * HOLD_S
    while not (held.computed.is_set() or heavy.done()):  # checked before the deadline: a frozen loop
        assert loop.time() < deadline, "the heavy computation never ran"  # wakes up late, not failed
        await asyncio.sleep(0.05)
    assert not heavy.done(), "the heavy request ended before the checks: its work held the event loop"
    assert held.thread != threading.main_thread().name, f"computed on {held.thread}, not a worker thread"

    t = loop.time()
    health = await stats.client.get("/healthz")
    health_s = loop.time() - t
    t = loop.time()
    ready = await stats.client.get("/readyz")
    ready_s = loop.time() - t
    assert (health.status_code, ready.status_code) == (200, 200), ready.text
    assert ready.json()["checks"] == {"database": "ok", "kafka": "ok"}
    assert not heavy.done(), "health and readiness answered only after the heavy request"

    t = loop.time()
    await stats.publish([a_new_contact()])
    await stats.wait_stored(65, timeout_s=HOLD_S)
    consumed_s = loop.time() - t
    assert not heavy.done(), "the new event was stored only after the heavy request"

    held.release()
    response = await asyncio.wait_for(heavy, HOLD_S)
    total_s = loop.time() - started
    assert response.status_code == 200, response.text
    if kind == "series":
        points = response.json()["points"]
        assert len(points) == 262
        assert (points[0]["period"], points[-1]["period"]) == ("2021-W13", "2026-W14")
        assert points[-1]["value"] == 9  # people in need on 2026-03-31, counted by hand (test_figures)
    else:
        assert response.content[:2] == b"PK"  # an XLSX (zip) file
    # the live figures now hold the event stored meanwhile: k0..k9 and the new one
    summary = await stats.get("/api/stats/summary")
    assert summary["contacts"] == 11
    print(
        f"\n{kind}: computed in {held.seconds:.3f} s on {held.thread}; while held: /healthz "
        f"{health_s * 1000:.0f} ms, /readyz {ready_s * 1000:.0f} ms, a new event stored in "
        f"{consumed_s:.2f} s; whole request {total_s:.2f} s"
    )
