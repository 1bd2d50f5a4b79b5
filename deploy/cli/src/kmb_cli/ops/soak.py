"""Reconciling a soak run (`kmb soak`) against Kafka and stats.

Each case the run drove through the HTTP APIs expects, for every step its API confirmed, one event:
a ``CaseOpened`` for the case, one ``NeedAssessed`` for its submitted assessment, one ``ReferralMade``
and one partner message (``kmb.partner.referral.v3`` on the partner's topic) for its referral, and one
``ReferralAccepted`` once the partner accepted. An expected event that is not on its topic is *lost*; a
second event of one type for the same case, assessment or referral with another event id is *doubled*
(the same event id read twice is a redelivery, which consumers drop by their inboxes, not a double). A
case whose HTTP steps failed after their retries is *unreconciled*; the events of the steps it did
complete are still checked. Stats must have stored exactly the distinct events found on Kafka.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from kmb_referrals.application.publishing import PARTNER_MESSAGE_TYPE
from kmb_shared.messaging.cloudevents import KafkaRecord, record_headers

CASE_OPENED = "kmb.intake.case_opened.v1"
NEED_ASSESSED = "kmb.assessment.need_assessed.v1"
REFERRAL_MADE = "kmb.referrals.referral_made.v1"
REFERRAL_ACCEPTED = "kmb.referrals.referral_accepted.v1"
PARTNER_REFERRAL = PARTNER_MESSAGE_TYPE

#: the data field that names what each checked event is about
SUBJECT_FIELD = {
    CASE_OPENED: "case_id",
    NEED_ASSESSED: "assessment_id",
    REFERRAL_MADE: "referral_id",
    REFERRAL_ACCEPTED: "referral_id",
    PARTNER_REFERRAL: "referral_id",
}
CHECKED = tuple(SUBJECT_FIELD)
#: the event types stats stores and counts in its summary's ``events_by_type``
STATS_TYPES = (CASE_OPENED, NEED_ASSESSED, REFERRAL_MADE, REFERRAL_ACCEPTED)


@dataclass
class Driven:
    """What the APIs confirmed for one case of the run (ids as the APIs answered them)."""

    case_id: str | None = None
    assessment_id: str | None = None
    submitted: bool = False
    referral_id: str | None = None
    accepted: bool = False
    failure: str | None = None  # the step that failed after its retries, and why (no personal data)

    def expected(self) -> list[tuple[str, str]]:
        """(event type, subject id) of every event the confirmed steps must have published."""
        out: list[tuple[str, str]] = []
        if self.case_id:
            out.append((CASE_OPENED, self.case_id.lower()))
        if self.assessment_id and self.submitted:
            out.append((NEED_ASSESSED, self.assessment_id.lower()))
        if self.referral_id:
            referral = self.referral_id.lower()
            out += [(REFERRAL_MADE, referral), (PARTNER_REFERRAL, referral)]
            if self.accepted:
                out.append((REFERRAL_ACCEPTED, referral))
        return out

    def subjects(self) -> set[str]:
        return {s.lower() for s in (self.case_id, self.assessment_id, self.referral_id) if s}


@dataclass(frozen=True)
class Seen:
    """One checked event as read from Kafka."""

    event_type: str
    event_id: str
    subject: str

    @classmethod
    def of(cls, record: KafkaRecord) -> Seen | None:
        """The record as a checked event; None for other types and for records that are not JSON."""
        headers = record_headers(record)
        kind = headers.get("ce_type", "")
        if kind not in SUBJECT_FIELD:
            return None
        try:
            data = json.loads(record.value or b"")
        except (ValueError, UnicodeDecodeError):
            return None
        subject = data.get(SUBJECT_FIELD[kind]) if isinstance(data, dict) else None
        if not subject:
            return None
        # without an event id a record cannot be told from a redelivery: each counts as its own event
        event_id = headers.get("ce_id") or f"{record.topic}:{record.partition}:{record.offset}"
        return cls(kind, event_id, str(subject).lower())


@dataclass
class Reconciliation:
    cases: int
    lost: Counter[str] = field(default_factory=Counter)
    doubled: Counter[str] = field(default_factory=Counter)
    unreconciled: int = 0
    #: distinct events found per type for the run's cases (what stats must have stored)
    found: Counter[str] = field(default_factory=Counter)
    failures: Counter[str] = field(default_factory=Counter)

    @property
    def problems(self) -> int:
        return sum(self.lost.values()) + sum(self.doubled.values()) + self.unreconciled


def reconcile(cases: Sequence[Driven], events: Iterable[Seen]) -> Reconciliation:
    """Lost, doubled and unreconciled counts of ``cases`` against the events read (see the module)."""
    ids: dict[tuple[str, str], set[str]] = defaultdict(set)
    for event in events:
        ids[(event.event_type, event.subject)].add(event.event_id)
    result = Reconciliation(cases=len(cases))
    for case in cases:
        if case.failure:
            result.unreconciled += 1
            result.failures[case.failure] += 1
        for key in case.expected():
            if not ids.get(key):
                result.lost[key[0]] += 1
        for kind in CHECKED:  # doubles are counted whether or not the API confirmed the step
            for subject in case.subjects():
                distinct = len(ids.get((kind, subject), ()))
                result.found[kind] += distinct
                if distinct > 1:
                    result.doubled[kind] += distinct - 1
    return result


def stats_differences(
    before: Mapping[str, int], after: Mapping[str, int], found: Mapping[str, int]
) -> dict[str, int]:
    """Per stats type: how many more (positive) or fewer (negative) events stats stored during the run
    than the distinct events found on Kafka for its cases; zero differences are left out."""
    out = {}
    for kind in STATS_TYPES:
        difference = int(after.get(kind, 0)) - int(before.get(kind, 0)) - int(found.get(kind, 0))
        if difference:
            out[kind] = difference
    return out


def add_stats(result: Reconciliation, differences: Mapping[str, int]) -> None:
    """Count what stats is missing as lost and what it has too much of as doubled."""
    for kind, difference in differences.items():
        (result.lost if difference < 0 else result.doubled)[f"stats {kind}"] += abs(difference)
