"""Dead-letter copies without a broker: headers that are not text, and copies that must fit."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from aiokafka import ConsumerRecord
from aiokafka.errors import MessageSizeTooLargeError

from kmb_shared.messaging import MalformedEvent, read_meta
from kmb_shared.messaging.cloudevents import header_faults, record_headers
from kmb_shared.messaging.dlq import LONG_HEADER_BYTES, dead_letter_sender, fit_dead_letter, record_size
from kmb_shared.runtime import parse_record

ENVELOPE = [
    ("ce_id", b"e-1"),
    ("ce_source", b"/kmb/test"),
    ("ce_specversion", b"1.0"),
    ("ce_type", b"kmb.intake.case_opened.v1"),
]


def _record(headers: list[tuple[str, Any]], value: bytes | None = b"{}", key: bytes | None = b"k") -> Any:
    return ConsumerRecord(
        topic="t.kmb.intake.v1",
        partition=1,
        offset=7,
        timestamp=0,
        timestamp_type=0,
        key=key,
        value=value,
        checksum=None,
        serialized_key_size=len(key or b""),
        serialized_value_size=len(value or b""),
        headers=tuple(headers),
    )


def test_null_and_non_utf8_header_values_are_faults_and_make_the_event_malformed() -> None:
    record = _record([*ENVELOPE, ("a", b"\xff\xfe"), ("b", None), ("c", "čeština".encode())])
    assert header_faults(record) == ["a: not UTF-8", "b: null"]
    assert record_headers(record)["a"] == "\\xff\\xfe"
    assert record_headers(record)["b"] == ""
    assert record_headers(record)["c"] == "čeština"
    with pytest.raises(MalformedEvent, match="a: not UTF-8, b: null"):
        read_meta(record)


def test_text_headers_have_no_faults() -> None:
    record = _record(ENVELOPE)
    assert header_faults(record) == []
    assert read_meta(record).id == "e-1"


async def test_the_parser_gives_faststream_text_headers_and_keeps_the_record_as_it_came() -> None:
    record = _record([*ENVELOPE, ("a", b"\xc3\x28"), ("b", None)])
    seen: list[Any] = []

    class Parsed:
        raw_message: Any = None

    async def default(raw: Any) -> Parsed:
        # FastStream's own parser does `value.decode()` on every header.
        seen.append({name: value.decode() for name, value in raw.headers})
        parsed = Parsed()
        parsed.raw_message = raw
        return parsed

    message = await parse_record(record, default)
    assert seen[0]["a"] == "\\xc3(" and seen[0]["b"] == ""
    assert message.raw_message is record


def test_a_copy_that_fits_is_left_as_it_is() -> None:
    headers = {"ce_id": "e-1", "kmb_dlq_reason": "bad"}
    assert fit_dead_letter(b"k", b"v" * 100, headers, 10_000) == (b"k", b"v" * 100, headers)


@pytest.mark.parametrize("limit", [1_048_576, 65_536, 5_000])
def test_an_oversized_copy_is_cut_to_the_limit_and_says_what_was_cut(limit: int) -> None:
    value = b"x" * 2_000_000
    headers = {"ce_id": "e-1", "kmb_dlq_reason": "r" * 2000}
    key, cut, out = fit_dead_letter(b"k", value, headers, limit)
    assert record_size(key, cut, out) <= limit
    assert record_size(key, cut, out) > limit - 64  # as much of the value as fits, not a token prefix
    assert value.startswith(cut)
    assert out["kmb_dlq_truncated"] == "value"
    assert out["kmb_dlq_original_size"] == "2000000"
    assert out["kmb_dlq_original_sha256"] == hashlib.sha256(value).hexdigest()
    assert out["kmb_dlq_reason"] == headers["kmb_dlq_reason"]


def test_huge_original_headers_and_key_are_cut_when_the_value_alone_cannot_make_room() -> None:
    headers = {"ce_id": "e-1", "blob": "b" * 50_000, "kmb_dlq_reason": "bad"}
    key, cut, out = fit_dead_letter(b"K" * 40_000, b"v" * 10, headers, 20_000)
    assert record_size(key, cut, out) <= 20_000
    assert out["kmb_dlq_truncated"] == "value,header:blob,key"
    assert len(out["blob"]) == LONG_HEADER_BYTES and key == b"K" * LONG_HEADER_BYTES
    assert out["ce_id"] == "e-1" and out["kmb_dlq_reason"] == "bad"


async def test_a_copy_the_broker_refuses_as_too_large_is_sent_again_as_a_pointer() -> None:
    sent: list[tuple[bytes, str, bytes | None, dict[str, str]]] = []

    async def publish(value: bytes, topic: str, key: bytes | None, headers: dict[str, str]) -> None:
        sent.append((value, topic, key, headers))
        if len(sent) == 1:
            raise MessageSizeTooLargeError("refused by the broker")

    send = dead_letter_sender("probe", "t.kmb.dlq.v1", publish)
    record = _record([*ENVELOPE, ("other", b"x" * 5000)], value=b"z" * 300_000)
    await send(record, ValueError("broken"), "validation", 0)
    assert [s[0] for s in sent] == [b"z" * 300_000, b""]
    pointer = sent[1][3]
    assert pointer["kmb_dlq_truncated"] == "value,headers"
    assert pointer["kmb_dlq_original_size"] == "300000"
    assert (pointer["kmb_dlq_topic"], pointer["kmb_dlq_partition"], pointer["kmb_dlq_offset"]) == (
        "t.kmb.intake.v1",
        "1",
        "7",
    )
    assert pointer["ce_id"] == "e-1" and "other" not in pointer
