from __future__ import annotations

from dataclasses import dataclass, field
from uuid import uuid4

import pytest

from kmb_shared.contracts import CaseOpened, HouseholdSnapshot, MemberSnapshot
from kmb_shared.messaging import MalformedEvent, read_event, read_meta
from kmb_shared.messaging.dlq import dead_letter_headers


@dataclass
class Record:
    value: bytes | None
    headers: list[tuple[str, bytes]] = field(default_factory=list)
    topic: str = "kmb.intake.v1"
    partition: int = 2
    offset: int = 41
    key: bytes | None = b"k"


def _event() -> CaseOpened:
    return CaseOpened(
        case_id=uuid4(),
        case_number="KMB-2026-00001",
        household=HouseholdSnapshot(members=(MemberSnapshot(age_band="26-64", relationship="applicant"),)),
    )


def _headers(event_type: str = "kmb.intake.case_opened.v1") -> list[tuple[str, bytes]]:
    return [
        ("ce_id", b"e-1"),
        ("ce_source", b"/kmb/intake"),
        ("ce_specversion", b"1.0"),
        ("ce_type", event_type.encode()),
        ("content-type", b"application/json"),
    ]


def test_a_valid_record_is_read_back_as_its_contract() -> None:
    event = _event()
    record = Record(value=event.model_dump_json().encode(), headers=_headers())
    meta = read_meta(record)
    assert (meta.id, meta.type, meta.topic, meta.partition, meta.offset) == (
        "e-1",
        "kmb.intake.case_opened.v1",
        "kmb.intake.v1",
        2,
        41,
    )
    assert read_event(meta, record) == event


def test_missing_cloudevents_headers_are_malformed() -> None:
    with pytest.raises(MalformedEvent, match="ce_id, ce_source, ce_specversion, ce_type"):
        read_meta(Record(value=b"{}"))


@pytest.mark.parametrize("value", [b"not json", b"[1, 2]", b'{"case_id": "nope"}', None])
def test_bad_data_is_malformed(value: bytes | None) -> None:
    record = Record(value=value, headers=_headers())
    with pytest.raises(MalformedEvent):
        read_event(read_meta(record), record)


def test_unknown_event_type_is_malformed() -> None:
    record = Record(value=b"{}", headers=_headers("kmb.intake.never_heard_of.v1"))
    with pytest.raises(MalformedEvent, match="unknown event type"):
        read_event(read_meta(record), record)


def test_dead_letter_headers_name_error_service_and_origin() -> None:
    record = Record(value=b"x", headers=_headers())
    headers = dead_letter_headers(
        record, ValueError("boom"), service="assessment", stage="handler", attempts=4
    )
    assert headers["kmb_dlq_error"] == "ValueError"
    assert headers["kmb_dlq_reason"] == "boom"
    assert headers["kmb_dlq_service"] == "assessment"
    assert (headers["kmb_dlq_topic"], headers["kmb_dlq_partition"], headers["kmb_dlq_offset"]) == (
        "kmb.intake.v1",
        "2",
        "41",
    )
    assert headers["kmb_dlq_attempts"] == "4"
    assert headers["ce_id"] == "e-1"  # the original envelope travels along
