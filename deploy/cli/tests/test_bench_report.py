"""`kmb bench`'s report: the replay target (issue 15) and the table of every consuming service's replay."""

from __future__ import annotations

from kmb_cli.ops.bench import LatencyResult, RawResult, ReplayResult
from kmb_cli.ops.bench_report import Figures, Machine, markdown

MACHINE = Machine(cores=2, ram_gib=8.0, cpu="test", python="3.11", kafka="4.0", os="Linux")
RAW = RawResult(events=30_000, event_bytes=1500, produce_s=1.5, consume_s=0.3)  # consume 100,000 events/s
LATENCY = LatencyResult(50, 1000, 0, [50.0] * 1000, [10.0] * 1000, 50.0, 50.0)


def replay(events: int, seconds: float, *, equal: bool = True, service: str = "stats") -> ReplayResult:
    return ReplayResult(
        events,
        seconds,
        service,
        events,
        events,
        "abc",
        "abc" if equal else "def",
        events,
        0.1,
        seconds - 0.3,
        0.2,
    )


def figures(stats: ReplayResult, *others: ReplayResult) -> Figures:
    rss = {"stats": 100.0}
    return Figures(MACHINE, RAW, stats, LATENCY, rss, rss, 20, 50, "k:9092", "", (1.0, 2.0), "", list(others))


def replay_target(f: Figures) -> tuple[str, str, bool]:
    return next(t for t in f.targets() if t[0].startswith("Stats replay"))


def test_the_replay_target_is_a_third_of_raw_consume_with_the_digest_equal() -> None:
    # 30,000 events in 1.0 s = 30,000 events/s = 30 % of 100,000: met; 29,900 events: 29.9 %, not met
    assert replay_target(figures(replay(30_000, 1.0)))[2]
    assert not replay_target(figures(replay(29_900, 1.0)))[2]
    # fast enough, but the rebuilt digest differs from the live one: not met, and said so
    target, measured, ok = replay_target(figures(replay(60_000, 1.0, equal=False)))
    assert not ok and "DIFFERENT" in measured and "≥ 30%" in target


def test_the_report_has_a_line_per_replayed_service_with_its_parts_and_digest() -> None:
    text = markdown(
        figures(replay(30_000, 1.0), replay(2_000, 0.5, service="assessment", equal=False)), "kmb bench"
    )
    stats = next(line for line in text.splitlines() if line.startswith("| stats |"))
    assessment = next(line for line in text.splitlines() if line.startswith("| assessment |"))
    # 30,000 events in 1.0 s, 30 % of raw; parts 0.10 s, 0.70 s (30,000 / 0.7 = 42,857 events/s), 0.20 s
    assert stats == (
        "| stats | 30,000 | 30,000 events/s | 30.0% | 0.10 s | 0.70 s (42,857 events/s) | 0.20 s | 30,000 | EQUAL |"
    )
    assert assessment.endswith("| DIFFERENT (live 2,000 rows) |")


def test_a_live_store_that_cannot_be_read_is_named_not_counted_as_equal() -> None:
    unread = ReplayResult(
        100, 1.0, "referrals", 100, 100, "abc", "", 0, live_error="no such column: x.closed"
    )
    text = markdown(figures(replay(30_000, 1.0), unread), "kmb bench")
    line = next(line for line in text.splitlines() if line.startswith("| referrals |"))
    assert line.endswith("| live store not read: no such column: x.closed |")
    assert not unread.equal
