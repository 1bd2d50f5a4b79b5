"""The operator commands: the audit timeline (pure, synthetic records) and the dead-letter inspector on
the real broker (list, replay exactly once)."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import typer
from aiokafka import AIOKafkaProducer
from typer.testing import CliRunner

from kmb_cli.ops import register
from kmb_cli.ops.audit import CaseNotFound, timeline, trace_id
from kmb_cli.ops.commands import _local, events_cs
from kmb_cli.ops.kafka_io import Record, read_topics
from kmb_cli.ops.summaries import summarize
from kmb_shared.messaging import Topics

CASE_A = "0b5c3a4e-1111-4c8e-9a1d-000000000001"
CASE_B = "0b5c3a4e-2222-4c8e-9a1d-000000000002"
TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"

INTAKE, ASSESSMENT, CATALOGUE, REFERRALS = (
    f"kmb.{c}.v1" for c in ("intake", "assessment", "catalogue", "referrals")
)


def rec(
    topic: str,
    partition: int,
    offset: int,
    event_type: str,
    time: str,
    data: dict[str, Any],
    *,
    subject: str | None = None,
    event_id: str | None = None,
) -> Record:
    headers = {
        "ce_id": event_id or f"{topic}-{partition}-{offset}",
        "ce_source": "/kmb/test",
        "ce_specversion": "1.0",
        "ce_type": f"kmb.{event_type}.v1",
        "ce_time": time,
        "traceparent": f"00-{TRACE}-00f067aa0ba902b7-01",
    }
    if subject is not None:
        headers["ce_subject"] = subject
    body = {"occurred_at": time, "actor": {"user_id": "prac-7", "organisation": "kmb"}, **data}
    return Record(
        topic,
        partition,
        offset,
        (subject or "").encode(),
        json.dumps(body).encode(),
        tuple((k, v.encode()) for k, v in headers.items()),
    )


def opened(case_id: str, number: str, offset: int, time: str) -> Record:
    data = {
        "case_id": case_id,
        "case_number": number,
        "household": {"members": [{}, {}], "district": "Lipovec"},
    }
    return rec(INTAKE, 1, offset, "intake.case_opened", time, data, subject=case_id)


def about_a(topic: str, partition: int, offset: int, event_type: str, time: str, **data: Any) -> Record:
    """An event whose subject is case A, at ``time`` (HH:MM) on 2 March 2026."""
    moment = f"2026-03-02T{time}:00+00:00"
    return rec(topic, partition, offset, event_type, moment, {"case_id": CASE_A, **data}, subject=CASE_A)


def contact(
    offset: int, time: str, contact_id: str, channel: str, minutes: int, case_id: str | None
) -> Record:
    """A contact recorded on intake's partition 0 at ``time`` (HH:MM) on 2 March 2026."""
    data = {
        "contact_id": contact_id,
        "case_id": case_id,
        "channel": channel,
        "duration_minutes": minutes,
        "contact_date": "2026-03-02",
    }
    return rec(
        INTAKE, 0, offset, "intake.contact_recorded", f"2026-03-02T{time}:00+00:00", data, subject=contact_id
    )


def test_case_number_is_resolved_through_case_opened_and_other_cases_are_left_out() -> None:
    records = [
        opened(CASE_A, "KMB-2026-00001", 0, "2026-03-02T09:00:00+00:00"),
        opened(CASE_B, "KMB-2026-00002", 1, "2026-03-02T09:05:00+00:00"),
        about_a(
            ASSESSMENT, 0, 0, "assessment.need_assessed", "10:00", need_level="insecure", ethos_category=8
        ),
    ]
    entries = timeline(records, "kmb-2026-00002")
    assert [(e.event_type, e.offset) for e in entries] == [("kmb.intake.case_opened.v1", 1)]
    assert entries[0].summary.startswith("Případ otevřen (KMB-2026-00002)")


def test_events_are_ordered_by_event_time_then_topic_partition_and_offset_across_topics() -> None:
    # Read in topic order; expected by time: 09:00 opened, 09:30 contact, then two at 10:00 that tie
    # on time: catalogue sorts before referrals by topic name; 11:00 referral p0@4 before p2@1 (same
    # time and topic, partition 0 < 2).
    opinion = {"partner": "up-praha", "kind": "binding_opinion"}
    records = [
        opened(CASE_A, "KMB-2026-00001", 3, "2026-03-02T09:00:00+00:00"),
        about_a(REFERRALS, 2, 1, "referrals.referral_accepted", "11:00", **opinion),
        about_a(REFERRALS, 0, 4, "referrals.referral_made", "11:00", **opinion),
        about_a(REFERRALS, 1, 0, "referrals.referral_made", "10:00", partner="charita", kind="social_work"),
        about_a(CATALOGUE, 2, 9, "catalogue.solutions_suggested", "10:00", suggestions=[]),
        contact(7, "09:30", "c1", "phone", 15, CASE_A),
    ]
    entries = timeline(records, CASE_A)
    assert [(e.topic, e.partition, e.offset) for e in entries] == [
        (INTAKE, 1, 3),
        (INTAKE, 0, 7),
        (CATALOGUE, 2, 9),
        (REFERRALS, 1, 0),
        (REFERRALS, 0, 4),
        (REFERRALS, 2, 1),
    ]


def test_every_event_about_the_case_appears_once_by_subject_or_by_case_id_in_the_data() -> None:
    records = [
        opened(CASE_A, "KMB-2026-00001", 0, "2026-03-02T09:00:00+00:00"),
        # the same event published twice (an outbox retry): one entry
        *(
            rec(
                ASSESSMENT,
                0,
                offset,
                "assessment.need_assessed",
                "2026-03-02T10:00:00+00:00",
                {"case_id": CASE_A, "need_level": "insecure", "ethos_category": 8},
                subject=CASE_A,
                event_id="e1",
            )
            for offset in (0, 1)
        ),
        # subject is the solution; the case is only named in the data
        rec(
            CATALOGUE,
            0,
            5,
            "catalogue.capacity_changed",
            "2026-03-02T12:00:00+00:00",
            {
                "solution_id": "s1",
                "kind": "municipal_flat",
                "capacity_total": 2,
                "capacity_free": 1,
                "case_id": CASE_A.upper(),
            },
            subject="s1",
        ),
        # another solution's change, no case: not about the case
        rec(
            CATALOGUE,
            0,
            6,
            "catalogue.capacity_changed",
            "2026-03-02T12:00:00+00:00",
            {"solution_id": "s2", "kind": "municipal_flat", "capacity_total": 2, "capacity_free": 2},
            subject="s2",
        ),
    ]
    entries = timeline(records, CASE_A)
    assert [(e.topic, e.offset) for e in entries] == [(INTAKE, 0), (ASSESSMENT, 0), (CATALOGUE, 5)]
    assert entries[1].summary == "Posouzeno: nejisté bydlení, ETHOS 8"
    assert (entries[1].actor_user, entries[1].organisation, entries[1].trace_id) == ("prac-7", "kmb", TRACE)


def test_the_contact_at_which_the_case_was_opened_belongs_to_its_history() -> None:
    # The first contact is recorded before the case exists (no case_id); CaseOpened names it.
    first = "c0ffee00-0000-4000-8000-000000000001"
    case_opened = opened(CASE_A, "KMB-2026-00001", 1, "2026-03-02T09:00:00+00:00")
    data = json.loads(case_opened.value or b"") | {"contact_id": first}
    case_opened = Record(
        case_opened.topic, 1, 1, case_opened.key, json.dumps(data).encode(), case_opened.headers
    )
    first_contact = contact(0, "08:55", first, "in_person", 30, None)
    other_contact = contact(1, "08:56", "c2", "phone", 5, None)
    entries = timeline([case_opened, first_contact, other_contact], "KMB-2026-00001")
    assert [(e.offset, e.summary) for e in entries] == [
        (0, "Kontakt (osobně, 30 min, 2. 3. 2026)"),
        (1, "Případ otevřen (KMB-2026-00001), domácnost 2 os., Lipovec"),
    ]


def test_referral_summary_names_the_partner_and_the_kind() -> None:
    records = [
        rec(
            REFERRALS,
            0,
            0,
            "referrals.referral_made",
            "2026-03-02T11:00:00+00:00",
            {"case_id": CASE_A, "partner": "up-praha", "kind": "binding_opinion"},
            subject=CASE_A,
        )
    ]
    # the kind's Czech label, never its code
    summary = timeline(records, CASE_A)[0].summary
    assert summary == "Předáno partnerovi up-praha: závazné stanovisko Úřadu práce (§ 18)"


def test_summaries_give_czech_labels_dates_and_money_never_codes() -> None:
    r = "kmb.referrals.referral_{}.v1".format
    common = {"partner": "up-praha", "kind": "social_work"}
    assert summarize(r("declined"), common | {"reason": "no_capacity"}) == (
        "Partner up-praha odmítl předání (sociální práce): nedostatečná kapacita"
    )
    assert summarize(r("completed"), common | {"outcome": "service_provided"}) == (
        "Předání partnerovi up-praha dokončeno (sociální práce): služba poskytnuta"
    )
    assert summarize(r("cancelled"), common | {"reason": "housing_offer_accepted"}) == (
        "Předání partnerovi up-praha zrušeno (sociální práce): domácnost přijala nabídku bydlení"
    )
    assert summarize(r("overdue"), common | {"due_on": "2026-03-05"}) == (
        "Partner up-praha neodpověděl do 5. 3. 2026 (sociální práce)"
    )
    opinion = {"partner": "up-praha", "kind": "binding_opinion", "positive": True}
    assert summarize(
        "kmb.referrals.binding_opinion_issued.v1", opinion | {"justified_housing_costs": 12500}
    ) == ("Závazné stanovisko (up-praha): kladné, odůvodněné náklady 12 500 Kč")
    assert summarize("kmb.intake.case_closed.v1", {"reason": "lost_contact"}) == (
        "Případ uzavřen: ztráta kontaktu"
    )
    capacity = {"kind": "municipal_flat", "capacity_free": 1, "capacity_total": 2}
    assert summarize("kmb.catalogue.capacity_changed.v1", capacity) == "Kapacita (obecní byt): volno 1 z 2"
    # a code this CLI does not know and a missing date read in Czech
    assert summarize(r("made"), {"partner": "x", "kind": "teleport"}) == "Předáno partnerovi x: nezařazeno"
    assert summarize("kmb.assessment.registered_in_need.v1", {}) == (
        "Zapsáno do evidence osob v bytové nouzi do ?"
    )


def test_event_counts_and_moments_in_the_audit_table_read_in_czech() -> None:
    assert [events_cs(n) for n in (0, 1, 2, 4, 5, 22, 1200)] == [
        "0 událostí",
        "1 událost",
        "2 události",
        "4 události",
        "5 událostí",
        "22 událostí",
        "1 200 událostí",
    ]
    # 11:05:07 UTC is 12:05:07 in Prague in winter (CET, UTC+1) and 13:05:07 in summer (CEST)
    assert _local(datetime(2026, 3, 2, 11, 5, 7, tzinfo=UTC)) == "2. 3. 2026 12:05:07"
    assert _local(datetime(2026, 7, 2, 11, 5, 7, tzinfo=UTC)) == "2. 7. 2026 13:05:07"


def test_unknown_case_number_and_malformed_reference_are_refused() -> None:
    records = [opened(CASE_A, "KMB-2026-00001", 0, "2026-03-02T09:00:00+00:00")]
    with pytest.raises(CaseNotFound):
        timeline(records, "KMB-2026-00099")
    with pytest.raises(CaseNotFound):
        timeline(records, "not-a-case")


def test_trace_id_is_the_second_field_of_traceparent_and_none_when_malformed() -> None:
    assert trace_id(f"00-{TRACE}-00f067aa0ba902b7-01") == TRACE
    assert trace_id("garbage") is None
    assert trace_id(None) is None


# --- the dead-letter inspector on the real broker ------------------------------------------------


def _invoke(*args: str) -> Any:
    app = typer.Typer()
    app.command("noop")(lambda: None)  # a group needs a command before sub-apps are added
    register(app)
    return CliRunner().invoke(app, list(args))


def _dlq_headers(topic: str, offset: int, event_id: str) -> list[tuple[str, bytes]]:
    headers = {
        "ce_id": event_id,
        "ce_source": "/kmb/intake",
        "ce_specversion": "1.0",
        "ce_type": "kmb.intake.case_opened.v1",
        "ce_subject": CASE_A,
        "kmb_dlq_error": "ValidationError",
        "kmb_dlq_reason": "case_number: field required",
        "kmb_dlq_stage": "validation",
        "kmb_dlq_attempts": "0",
        "kmb_dlq_service": "stats",
        "kmb_dlq_topic": topic,
        "kmb_dlq_partition": "1",
        "kmb_dlq_offset": str(offset),
        "kmb_dlq_time": "2026-03-02T10:00:00+00:00",
    }
    return [(k, v.encode()) for k, v in headers.items()]


@pytest.mark.kafka
async def test_dlq_list_shows_dead_letters_and_replay_republishes_one_exactly_once(
    kafka_bootstrap: str, topic_prefix: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    topics = Topics(topic_prefix)
    intake = topics.context("intake")
    monkeypatch.setenv("KMB_KAFKA_BOOTSTRAP", kafka_bootstrap)
    monkeypatch.setenv("KMB_TOPIC_PREFIX", topic_prefix)
    monkeypatch.setenv("KMB_VAR_DIR", str(tmp_path))
    producer = AIOKafkaProducer(bootstrap_servers=kafka_bootstrap)
    await producer.start()
    try:
        for offset, event_id in ((5, "bad-1"), (6, "bad-2")):
            await producer.send_and_wait(
                topics.dlq,
                value=b'{"case_id": "x"}',
                key=CASE_A.encode(),
                partition=0,
                headers=_dlq_headers(intake, offset, event_id),
            )
    finally:
        await producer.stop()

    listed = await asyncio.to_thread(_invoke, "dlq", "list", "--json")
    assert listed.exit_code == 0, listed.output
    rows = json.loads(listed.stdout)
    assert [
        (r["ref"], r["original_topic"], r["original_offset"], r["event_id"], r["replayed"]) for r in rows
    ] == [
        ("0:0", intake, 5, "bad-1", None),
        ("0:1", intake, 6, "bad-2", None),
    ]
    assert rows[0]["service"] == "stats" and rows[0]["stage"] == "validation"

    first = await asyncio.to_thread(_invoke, "dlq", "replay", "0:1")
    again = await asyncio.to_thread(_invoke, "dlq", "replay", "0:1")
    assert first.exit_code == 0, first.output
    assert again.exit_code == 1 and "už byl znovu odeslán" in again.output

    republished = await read_topics(kafka_bootstrap, [intake])
    assert len(republished) == 1
    record = republished[0]
    assert (record.key, record.value) == (CASE_A.encode(), b'{"case_id": "x"}')
    names = [name for name, _ in record.headers]
    assert dict(record.headers)["ce_id"] == b"bad-2"
    assert not [n for n in names if n.startswith("kmb_dlq_")]

    after = json.loads((await asyncio.to_thread(_invoke, "dlq", "list", "--json")).stdout)
    assert after[0]["replayed"] is None
    assert after[1]["replayed"]["topic"] == intake and after[1]["replayed"]["event_id"] == "bad-2"
    assert (tmp_path / "dlq-replayed.json").exists()


async def test_dlq_replay_refuses_a_copy_cut_to_the_size_limit_and_names_the_whole_record(
    tmp_path: Path,
) -> None:
    from kmb_cli.ops.dlq import DlqError, replay

    cut = Record(
        topic="t.kmb.dlq.v1",
        partition=0,
        offset=3,
        key=b"k",
        value=b'{"case_id": "x", "no',
        headers=(
            ("kmb_dlq_topic", b"t.kmb.intake.v1"),
            ("kmb_dlq_partition", b"2"),
            ("kmb_dlq_offset", b"41"),
            ("kmb_dlq_truncated", b"value"),
        ),
    )
    # No broker at this address: the refusal comes before anything is sent.
    with pytest.raises(DlqError, match=r"zkrácená kopie.*t\.kmb\.intake\.v1\[2\]@41"):
        await replay("127.0.0.1:1", cut, tmp_path / "ledger.json")
    assert not (tmp_path / "ledger.json").exists()


# --- synthetic demo data -------------------------------------------------------------------------


def test_demo_data_is_marked_synthetic_valid_for_intake_and_the_same_for_the_same_seed() -> None:
    from datetime import date

    from kmb_cli.ops.demo_gen import generate
    from kmb_intake.domain import CaseIn, ContactIn

    today = date(2026, 11, 25)
    plans = generate(40, 11, today)
    assert [p.case for p in plans] == [p.case for p in generate(40, 11, today)]
    for plan in plans:
        CaseIn.model_validate(plan.case, context={"today": today})
        ContactIn.model_validate(plan.contact, context={"today": today})
        assert all(m["last_name"].endswith("(DEMO)") for m in plan.case["members"])
        assert "syntetická data" in plan.contact["note"]
        # within the year before the day of generation
        assert 1 <= (today - date.fromisoformat(plan.contact["contact_date"])).days <= 364


def test_female_surnames_follow_the_czech_pattern() -> None:
    from kmb_cli.ops.demo_situations import female_surname

    assert [female_surname(m) for m in ("Černý", "Svoboda", "Hájek", "Němec", "Novák")] == [
        "Černá",
        "Svobodová",
        "Hájková",
        "Němcová",
        "Nováková",
    ]


# --- the benchmark's arithmetic ------------------------------------------------------------------


def test_percentile_is_the_nearest_rank() -> None:
    from kmb_cli.ops.bench import percentile

    values = [40.0, 10.0, 30.0, 20.0, 50.0, 60.0, 70.0, 80.0, 90.0, 100.0]
    # sorted 10..100; p50: rank ceil(0.5*10)=5 -> 50; p95: ceil(9.5)=10 -> 100; p10: rank 1 -> 10
    assert (percentile(values, 50), percentile(values, 95), percentile(values, 10)) == (50.0, 100.0, 10.0)
    # p99 of 200 values 1..200: rank ceil(198)=198 -> 198
    assert percentile([float(v) for v in range(200, 0, -1)], 99) == 198.0


def test_replay_of_a_service_without_read_models_says_so_without_a_traceback() -> None:
    """Intake only publishes (issue 16: `kmb replay intake` printed a traceback)."""
    from kmb_cli.main import app

    result = CliRunner().invoke(app, ["replay", "intake"])
    assert result.exit_code == 1
    assert "intake consumes no events" in result.output
    assert "assessment, catalogue, referrals, stats" in result.output
    assert "Traceback" not in result.output
    assert isinstance(result.exception, SystemExit)  # a clean exit, not an error raised
