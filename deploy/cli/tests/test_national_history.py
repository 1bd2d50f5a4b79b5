"""`kmb demo-data --national` (issue 15): the synthetic national history is deterministic by seed, every
record is its contract's own JSON with the relay's headers, topic, key and partition, it is clearly
marked, and each consuming service's handlers take a generated history whole (on the real broker)."""

from __future__ import annotations

import importlib
import itertools
import sqlite3
from collections import Counter
from datetime import date, datetime
from pathlib import Path

import pytest
from aiokafka.partitioner import DefaultPartitioner

from kmb_cli import services as svc
from kmb_cli.ops.national_gen import (
    CONTACT_POINTS,
    HISTORY_END,
    HISTORY_START,
    GeneratedRecord,
    NationalHistory,
    write_history,
)
from kmb_shared.contracts import registry
from kmb_shared.messaging import Topics
from kmb_shared.replay import rebuild
from kmb_shared.runtime import build_runtime

TYPES = registry.event_types()


def history(seed: int, n: int, prefix: str = "") -> list[GeneratedRecord]:
    return list(NationalHistory(seed, prefix).records(n))


def test_the_same_seed_gives_the_same_bytes_and_another_seed_other_bytes() -> None:
    # the first 3,000 events of a 100,000-event history (the count sets how dense the years are)
    first, again, other = (
        list(itertools.islice(NationalHistory(seed).records(100_000), 3000)) for seed in (11, 11, 12)
    )
    assert [r[:5] for r in first] == [r[:5] for r in again]
    # the catalogue opens both (the same 528 kinds and titles, other ids); then the households differ
    values = {r.value for r in first}
    assert len([r for r in other if r.value in values]) == 0
    assert [r.key for r in first] != [r.key for r in other]


def test_every_record_is_its_contracts_json_with_the_relays_headers_topic_key_and_partition() -> None:
    records = history(2026, 20_000, "nat.")
    partitions = list(range(3))
    for record in records:
        headers = {name: value.decode() for name, value in record.headers}
        model = TYPES[headers["ce_type"]]
        event = model.model_validate_json(record.value)  # what every consumer does with the value
        # exactly pydantic's serialisation of the contract (the outbox stores model_dump_json())
        assert event.model_dump_json().encode() == record.value
        assert list(headers) == [
            "ce_id",
            "ce_source",
            "ce_specversion",
            "ce_type",
            "ce_time",
            "ce_subject",
            "content-type",
            "traceparent",
        ]
        assert headers["ce_source"] == f"/kmb/{model.context()}"
        assert headers["ce_specversion"] == "1.0" and headers["content-type"] == "application/json"
        assert headers["ce_time"] == event.occurred_at.isoformat()  # the relay: occurred_at.isoformat()
        assert headers["ce_subject"] == event.subject == record.key.decode()
        assert record.topic == Topics("nat.").for_event(event)
        assert record.partition == DefaultPartitioner()(record.key, partitions, partitions)
        assert HISTORY_START <= event.occurred_at.date() <= HISTORY_END
    ids = [dict(r.headers)["ce_id"] for r in records]
    assert len(set(ids)) == len(ids)


def test_the_history_is_marked_demo_spans_the_years_and_every_contact_point() -> None:
    records = history(5, 60_000)
    events = [TYPES[r.event_type].model_validate_json(r.value) for r in records]
    assert {e.actor.organisation.split("-")[0] for e in events} == {"demo"}
    assert all(e.actor.user_id.startswith("demo-") or e.actor.user_id == "system" for e in events)
    opened = [e for e in events if e.event_type == "kmb.intake.case_opened.v1"]
    assert all(e.household.district.endswith("(DEMO)") for e in opened)  # type: ignore[attr-defined]
    assert {e.household.orp_code for e in opened} == {p.code for p in CONTACT_POINTS}  # type: ignore[attr-defined]
    assert len(CONTACT_POINTS) == 132 and len({p.code for p in CONTACT_POINTS}) == 132
    assert {e.occurred_at.year for e in events} == {2021, 2022, 2023, 2024, 2025, 2026}
    # the events of each case (one key) come in the order they happened
    last: dict[bytes, datetime] = {}
    for record, event in zip(records, events, strict=True):
        assert event.occurred_at >= last.get(record.key, event.occurred_at)
        last[record.key] = event.occurred_at
    # every step of the flow is there
    kinds = Counter(e.event_type.split(".")[2] for e in events)
    for kind in (
        "contact_recorded",
        "case_opened",
        "household_changed",
        "need_assessed",
        "registered_in_need",
        "registration_expired",
        "solutions_suggested",
        "referral_made",
        "referral_accepted",
        "referral_declined",
        "referral_overdue",
        "referral_completed",
        "binding_opinion_issued",
        "case_closed",
        "case_reopened",
    ):
        assert kinds[kind] > 0, kind


SUBSCRIBERS = ("stats", "assessment", "catalogue", "referrals")


def _rows(db: Path, query: str) -> int:
    with sqlite3.connect(db) as conn:
        return int(conn.execute(query).fetchone()[0])


@pytest.mark.kafka
async def test_each_consumer_takes_a_generated_history_whole_and_stats_counts_what_was_generated(
    kafka_bootstrap: str, topic_prefix: str, tmp_path: Path
) -> None:
    written = await write_history(kafka_bootstrap, 12_000, 77, topic_prefix)
    records = history(77, 12_000, topic_prefix)  # the same history, to derive what the services must hold
    assert written.events == 12_000 and written.counts == Counter(r.event_type for r in records)
    by_type = Counter(r.event_type for r in records)
    events = [TYPES[r.event_type].model_validate_json(r.value) for r in records]
    for name in SUBSCRIBERS:
        spec = importlib.import_module(f"kmb_{name}.bootstrap").build_spec()
        settings = svc.settings_class(name)(
            kafka_bootstrap=kafka_bootstrap, topic_prefix=topic_prefix, var_dir=tmp_path
        )
        work = tmp_path / name
        work.mkdir()
        result = await rebuild(spec, settings, workdir=work)
        runtime = build_runtime(spec, settings)
        handled = set(spec.handlers(runtime))  # type: ignore[misc]
        await runtime.db.dispose()
        subscribed = [
            r for r in records if r.topic.removeprefix(topic_prefix).split(".")[1] in spec.subscribes
        ]
        applied = [r for r in subscribed if TYPES[r.event_type] in handled]
        assert (result.events_read, result.events_applied, result.dead_letters) == (
            len(subscribed),
            len(applied),
            0,
        ), name
        db = next(work.glob("*/rebuilt.db"))
        if name == "stats":
            assert result.rows == len(records)
            await _stats_figures_match(db, by_type)
        elif name == "assessment":
            case_events = sum(by_type[f"kmb.intake.{k}.v1"] for k in ("case_opened", "household_changed"))
            case_events += sum(by_type[f"kmb.intake.{k}.v1"] for k in ("case_closed", "case_reopened"))
            assert _rows(db, "SELECT count(*) FROM assessment_case_event") == case_events
            opinions = by_type["kmb.referrals.binding_opinion_issued.v1"]
            assert _rows(db, "SELECT count(*) FROM binding_opinion") == opinions
        elif name == "catalogue":
            opened = {e.case_id for e in events if e.event_type == "kmb.intake.case_opened.v1"}  # type: ignore[attr-defined]
            assert _rows(db, "SELECT count(*) FROM catalogue_case") == len(opened)
        else:
            cases = {
                getattr(e, "case_id", None) for e in events if e.event_type.startswith("kmb.intake.case")
            }
            cases |= {e.case_id for e in events if e.event_type == "kmb.intake.household_changed.v1"}  # type: ignore[attr-defined]
            assert _rows(db, "SELECT count(*) FROM referrals_case") == len(cases)


async def _stats_figures_match(db: Path, by_type: Counter[str]) -> None:
    """Stats' summary over the rebuilt store counts what the generator wrote, flow by flow."""
    from kmb_shared.db import Database
    from kmb_stats.adapters.events import delivery, rows_after
    from kmb_stats.application.projection import Projection
    from kmb_stats.domain import summary

    database = Database(f"sqlite+aiosqlite:///{db}")
    projection = Projection()
    try:
        async with database.session() as session:
            async for row in rows_after(session, 0):
                projection.apply(*delivery(row))
    finally:
        await database.dispose()
    figures = summary(projection.state, date(2026, 12, 31))
    expected = {
        "cases_opened": by_type["kmb.intake.case_opened.v1"],
        "cases_closed": by_type["kmb.intake.case_closed.v1"],
        "cases_reopened": by_type["kmb.intake.case_reopened.v1"],
        "contacts": by_type["kmb.intake.contact_recorded.v1"],
        "referrals_made": by_type["kmb.referrals.referral_made.v1"],
        "referrals_accepted": by_type["kmb.referrals.referral_accepted.v1"],
        "referrals_declined": by_type["kmb.referrals.referral_declined.v1"],
        "referrals_completed": by_type["kmb.referrals.referral_completed.v1"],
        "register_entered": by_type["kmb.assessment.registered_in_need.v1"],
    }
    assert {k: figures[k] for k in expected} == expected


def test_the_national_report_gives_each_figure_against_its_anchor_and_the_targets() -> None:
    from kmb_cli.ops.bench import RawResult, ReplayResult
    from kmb_cli.ops.bench_national import NationalFigures, Serving, markdown
    from kmb_cli.ops.bench_report import Machine
    from kmb_cli.ops.national_gen import WriteResult

    raw = RawResult(events=30_000, event_bytes=1500, produce_s=3.0, consume_s=0.3)  # 10,000 / 100,000 ev/s
    stats = ReplayResult(1_000_000, 25.0, "stats", 1_000_000, 1_000_000, "d", "d", 1_000_000, 1.0, 20.0, 4.0)
    serving = Serving(1_000_000, 200.0, {"dashboard": [150.0] * 18 + [250.0] * 2, "summary": [90.0] * 20})
    serving.rss_mb = {"stats": {"after consuming": 300.0, "peak while serving": 620.0}}
    written = WriteResult(1_000_000, 125.0, 500 * 2**20, Counter())
    figures = NationalFigures(
        Machine(2, 8.0, "test", "3.11", "4.0", "Linux"),
        raw,
        written,
        1_000_000,
        [stats],
        serving,
        (3.0, 4.0),
        "k",
        "n.",
    )
    text = markdown(figures, "kmb bench --national")
    # 1,000,000 events in 125 s = 8,000 events/s = 0.80 x raw produce; 40,000 events/s = 40.0 % of consume
    assert "| 8,000 events/s (1,000,000 events, 500 MiB in 125.0 s) | 0.80 × raw produce |" in text
    assert "| Replay of stats (fresh SQLite, digest vs live: EQUAL) | 40,000 events/s" in text
    assert "40.0% of raw consume |" in text
    targets = {target: ok for target, _measured, ok in figures.targets()}
    assert targets["stats replay ≥ 30% of raw consume"] is True
    assert targets["dashboard p95 < 200 ms"] is False  # nearest rank: the 19th of 20 sorted, 250
    assert targets["summary p95 < 200 ms"] is True
    assert targets["no service above 500 MB RSS"] is False  # 620 MiB while serving


async def test_serving_refuses_ports_another_process_listens_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import socket

    from kmb_cli.infra._common import InfraError
    from kmb_cli.ops import bench_national

    with socket.socket() as listener:  # another process's service: it would answer /readyz for ours
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        monkeypatch.setitem(bench_national.PORTS, "stats", port)
        with pytest.raises(InfraError, match=str(port)):
            await bench_national.serve_history("k:1", "p.", "db", bench_national.Serving(0, 0.0), tmp_path)
