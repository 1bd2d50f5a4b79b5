"""Replays: the same events in another cross-topic interleaving rebuild the same state."""

from __future__ import annotations

import random
from datetime import date

from kmb_stats.adapters.text import to_json
from kmb_stats.application.projection import Projection
from kmb_stats.domain import EventMeta, Period, build_report, digest

from .conftest import ASSESSMENT, CATALOGUE, INTAKE, OUT_OF_ORDER, PARTNER, REFERRALS, History


def replay(deliveries: list[tuple[object, EventMeta]]) -> Projection:
    projection = Projection()
    for event, meta in deliveries:
        projection.apply(event, meta)  # type: ignore[arg-type]
    return projection


def _random_interleaving(history: History, seed: int) -> list[tuple[object, EventMeta]]:
    """Pick the next topic at random each time, keeping every topic's own order."""
    rng = random.Random(seed)
    queues = {topic: list(events) for topic, events in history.topics.items()}
    merged: list[tuple[object, EventMeta]] = []
    while any(queues.values()):
        topic = rng.choice(sorted(t for t, q in queues.items() if q))
        merged.append(queues[topic].pop(0))
    return merged + list(history.duplicates)


def test_cross_topic_interleavings_give_the_same_digest(history: History) -> None:
    orders = [
        history.topic_by_topic(OUT_OF_ORDER),
        history.topic_by_topic([INTAKE, CATALOGUE, REFERRALS, PARTNER, ASSESSMENT]),
        history.by_time(),
        _random_interleaving(history, seed=1),
        _random_interleaving(history, seed=2),
    ]
    digests = {replay(order).digest() for order in orders}
    assert len(digests) == 1


def test_digest_changes_when_an_event_is_missing(history: History) -> None:
    full = history.by_time()
    assert replay(full).digest() != replay(full[:-1]).digest()


def test_digest_is_sha256_hex_of_the_state(history: History) -> None:
    value = digest(replay(history.by_time()).state)
    assert len(value) == 64
    assert int(value, 16) >= 0


def test_report_for_a_past_period_equals_one_built_from_the_events_up_to_its_end(history: History) -> None:
    q1 = Period.parse("2026-Q1")
    everything = replay(history.by_time()).state
    up_to_end = replay(history.until(date(2026, 3, 31))).state
    assert to_json(build_report(everything, q1)) == to_json(build_report(up_to_end, q1))
    assert to_json(build_report(everything, q1, suppress=False)) == to_json(
        build_report(up_to_end, q1, suppress=False)
    )
