"""A synthetic national history for measuring (`kmb demo-data --national`): the event log of 132 contact
points over 2021–2026, generated from a seed and written straight to Kafka, as the services' outbox
relays would have written it (same topics, keys, CloudEvents headers and pydantic JSON).

**Clearly marked.** No person is in it (events carry no direct identifiers anyway). Every actor is a
demo one (``demo-nat-<nnn>-<k>`` of the organisation ``demo-kmb-<nnn>``), every district is a demo
contact point (``Kontaktní místo <nnn> (DEMO)``), every partner slug starts with ``demo-`` and every
catalogue title ends in ``(DEMO)``.

**The 132 contact points** (115 ORP by the act + 17 by government decree 418/2025 Sb.) are synthetic:
the project has no code list of ORP, so they are numbered 001–132 with the made-up ORP codes
``9001``–``9132`` (the demo town Lipovec has ``9999``; ČSÚ's real ORP codes are not used, so nothing here
can be mistaken for a real municipality's figures). Their sizes differ like a country's (a few large
cities, many small towns): contact point ``n`` gets a share proportional to ``1 + 20 / n``.

**Shaped like the real flow**, per household coming to a contact point (the situations and their
referral kinds are the demo town's, :mod:`.demo_situations`): a first contact (some households only get
advice and no case), the case opened at it, the assessment (need level, ETHOS, priority) with the
catalogue's suggestions and, for most, the entry in the register (and its expiry a year later), changes
of the household, follow-up contacts, referrals to the contact point's partners and their steps
(accepted, declined, overdue, completed, the labour office's binding opinion), closing (housed
adequately only after an accepted housing referral) and now and then reopening. Arrivals grow over the
years (more contact points working as the act came); events fall on working days, 8–16 h UTC. What
would happen after 30 Nov 2026 is left out (those cases are still open).

**Exact contracts, fast.** Each event's JSON is its contract's ``model_dump_json()``: per event type and
variant (household, partner, reason, ...) a model is built once with sentinel values and serialised by
pydantic, and each event fills that text with its ids, dates and actor (:class:`Template`); the tests
check that every generated value validates and serialises back to the very same bytes. The generator
can also validate every event with ``model_validate_json`` as it goes (``validate=True``, the default of
the command). Determinism: one ``random.Random(seed)`` draws everything in one order, so the same seed and
count give the same bytes (keys, values, headers; the record timestamp is the broker's).
"""

from __future__ import annotations

import asyncio
import functools
import heapq
import itertools
import math
import random
import time
from collections import Counter, deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any, NamedTuple
from uuid import UUID

from aiokafka import AIOKafkaProducer
from aiokafka.partitioner import murmur2

from kmb_shared import contracts as c
from kmb_shared.contracts import registry
from kmb_shared.messaging import Topics
from kmb_shared.messaging.admin import ensure_topics
from kmb_shared.messaging.kafka import bootstrap_servers
from kmb_shared.messaging.security import client_options
from kmb_shared.messaging.topics import CONTEXTS
from kmb_shared.replay import topic_partitions

from .demo_situations import DECLINE_REASONS, SITUATIONS, Situation

MARK = "(DEMO)"
#: the first and the last day of the history
HISTORY_START = date(2021, 1, 4)
HISTORY_END = date(2026, 11, 30)
CONTACT_POINTS_COUNT = 132
RULE_SET = "2026-01-01"
#: households whose first contact is advice only (no case): every contact counts (§12)
ADVICE_ONLY = 0.3


_PARTNER_OF_KIND = {
    "binding_opinion": "up",
    "benefit_claim": "up",
    "municipal_flat_application": "bytovy-odbor",
    "real_estate_search": "bytovy-odbor",
    "debt_advice": "poradna",
}


@dataclass(frozen=True)
class ContactPoint:
    """One of the 132 synthetic contact points: its number, made-up ORP code, name and organisation."""

    number: int
    code: str = ""
    name: str = ""
    organisation: str = ""

    @classmethod
    def numbered(cls, number: int) -> ContactPoint:
        return cls(number, f"9{number:03d}", f"Kontaktní místo {number:03d} {MARK}", f"demo-kmb-{number:03d}")

    @property
    def weight(self) -> float:
        return 1 + 20 / self.number

    def partner(self, kind: str) -> str:
        """The partner taking ``kind`` at this contact point (the demo town's split of the work: the
        labour office, the housing department, the debt advice centre, an NGO for the rest)."""
        return f"demo-{_PARTNER_OF_KIND.get(kind, 'ngo')}-{self.number:03d}"


CONTACT_POINTS = tuple(ContactPoint.numbered(n) for n in range(1, CONTACT_POINTS_COUNT + 1))

# --- templates ------------------------------------------------------------------------------------

_AT = datetime(1901, 1, 1, tzinfo=UTC)
_DAY1, _DAY2 = date(1902, 1, 1), date(1903, 1, 1)
_IDS = {name: UUID(int=i + 1) for i, name in enumerate(("case", "contact", "item"))}
_TEXTS = {"user": "QQUSERQQ", "org": "QQORGQQ", "cause": "QQCAUSEQQ", "number": "QQNUMBERQQ"}


class Template:
    """The JSON of one event type and variant with holes for what differs per event: the text pydantic
    wrote for a model built with sentinel values, braces escaped, each sentinel a ``{name}`` field."""

    def __init__(self, event: c.IntegrationEvent) -> None:
        text = event.model_dump_json().replace("{", "{{").replace("}", "}}")
        holes = {
            _AT.isoformat().replace("+00:00", "Z"): "at",
            _DAY1.isoformat(): "day1",
            _DAY2.isoformat(): "day2",
            **{str(v): k for k, v in _IDS.items()},
            **{v: k for k, v in _TEXTS.items()},
        }
        for sentinel, name in holes.items():
            text = text.replace(sentinel, "{" + name + "}")
        self.model = type(event)
        self.event_type = event.event_type
        self.context = event.context()
        self.type_header = ("ce_type", event.event_type.encode())
        self.source_header = ("ce_source", f"/kmb/{self.context}".encode())
        self.fill = text.format_map


def _sentinels(with_cause: bool) -> dict[str, Any]:
    return {
        "occurred_at": _AT,
        "actor": c.Actor(user_id=_TEXTS["user"], organisation=_TEXTS["org"]),
        "caused_by": _TEXTS["cause"] if with_cause else None,
    }


def _of_assessment(**fields: Any) -> dict[str, Any]:
    """The sentinels of an event about a case's assessment, with ``fields``."""
    return {**_sentinels(True), "case_id": _IDS["case"], "assessment_id": _IDS["item"], **fields}


# --- households -------------------------------------------------------------------------------------

_ASSESSED: dict[str, tuple[int | None, str | None, str]] = {  # ETHOS, ETHOS Light, need level
    "výpověď z nájmu": (9, None, "insecure"),
    "ubytovna": (8, None, "insecure"),
    "osamělý senior": (None, None, "at_risk"),
    "bez přístřeší": (1, "living_rough", "roofless"),
    "domácí násilí": (4, "emergency_accommodation", "houseless"),
    "odchod z péče": (8, "with_family_friends", "insecure"),
    "přelidněný byt": (13, None, "inadequate"),
}
_HOUSEHOLD_TYPE = {
    "single": "single",
    "senior": "senior",
    "family": "family_with_children",
    "single_parent": "single_parent",
}
VARIANTS_PER_POINT = 8


@dataclass(frozen=True)
class Household:
    """One household variant of a contact point, with its assessment (both fixed per variant)."""

    situation: Situation
    snapshot: c.HouseholdSnapshot
    qualifies: bool
    score: int


def _members(rng: random.Random, s: Situation) -> list[c.MemberSnapshot]:
    female = s.household == "single_parent" or rng.random() < 0.5
    sex = "female" if female else "male"
    if s.household == "senior":
        return [c.MemberSnapshot(age_band="65+", relationship="applicant", sex=sex)]
    if s.household == "single":
        band = "18-25" if s.name == "odchod z péče" else "26-64"
        return [c.MemberSnapshot(age_band=band, relationship="applicant", sex=sex, flags=s.flags)]
    people = [c.MemberSnapshot(age_band="26-64", relationship="applicant", sex=sex)]
    if s.household == "family":
        people.append(
            c.MemberSnapshot(age_band="26-64", relationship="partner", sex="male" if female else "female")
        )
    for _ in range(rng.randint(1, 3)):
        people.append(
            c.MemberSnapshot(
                age_band=rng.choice(("0-5", "6-14", "15-17")),
                relationship="child",
                sex=rng.choice(("female", "male")),
                dependent=True,
            )
        )
    return people


def _household(rng: random.Random, point: ContactPoint) -> Household:
    s = rng.choices(SITUATIONS, weights=[x.weight for x in SITUATIONS])[0]
    members = _members(rng, s)
    kind, title = s.dwelling
    housed = kind in ("flat", "house", "commercial_hostel")
    income = rng.randrange(4000, 42000, 100) if s.household != "senior" else rng.randrange(13500, 21000, 100)
    rent = rng.randrange(6000, 16000, 100) if housed else 0
    partners = tuple(sorted({point.partner(k) for k in s.referral_kinds}))
    consent = partners if rng.random() < 0.85 else ()
    snapshot = c.HouseholdSnapshot(
        members=tuple(members),
        district=point.name,
        orp_code=point.code,
        dwelling=c.DwellingSnapshot(
            kind=kind,
            legal_title=title,
            size_m2=float(rng.randint(24, 70)) if kind == "flat" else None,
            rooms=rng.randint(1, 3) if kind == "flat" else None,
        ),
        income_monthly=income,
        income_by_source={"employment" if s.household != "senior" else "pension": income},
        rent_monthly=rent,
        services_monthly=rng.randrange(1500, 3500, 100) if housed else 0,
        energy_monthly=rng.randrange(1200, 3800, 100) if kind == "flat" else 0,
        debts_total=rng.randrange(0, 150000, 1000) if rng.random() < 0.4 else 0,
        vulnerability_flags=s.flags,
        consent_partners=consent,
        legal_basis=None if consent else "public_task",
    )
    need = _ASSESSED[s.name][2]
    return Household(s, snapshot, qualifies=need != "at_risk" or rng.random() < 0.5, score=rng.randint(5, 60))


# --- the history ----------------------------------------------------------------------------------


class GeneratedRecord(NamedTuple):
    """One Kafka record as the relay would send it."""

    topic: str
    partition: int
    key: bytes
    value: bytes
    headers: list[tuple[str, bytes]]
    event_type: str


@dataclass
class _Case:
    point: ContactPoint
    household: int
    worker: str
    case_id: str
    number: str
    key: bytes
    partition: int
    last_id: str | None = None
    assessment_id: str = ""
    referrals: dict[int, str] = field(default_factory=dict)


#: one planned step of a case: seconds after the case's first contact, what, and its argument
Step = tuple[int, str, Any]

DAY = 86_400
_SPEC_VERSION = ("ce_specversion", b"1.0")
_CONTENT_TYPE = ("content-type", b"application/json")
#: the first hex digit of a UUID's fourth group with the RFC 4122 variant bits set
_VARIANT = {f"{i:x}": f"{8 + (i & 3):x}" for i in range(16)}


class NationalHistory:
    """The events of the national history, in time order, as Kafka records (``records(n)``)."""

    def __init__(self, seed: int, prefix: str = "", partitions: int = 3) -> None:
        self.rng = random.Random(seed)
        self.topics = Topics(prefix)
        self.partitions = partitions
        self.counts: Counter[str] = Counter()
        self._templates: dict[tuple[Any, ...], Template] = {}
        #: events that follow the last one at once (the catalogue's suggestions after an assessment)
        self._pending: deque[GeneratedRecord] = deque()
        self.households = {
            p.number: [_household(self.rng, p) for _ in range(VARIANTS_PER_POINT)] for p in CONTACT_POINTS
        }
        self.solutions = {p.number: self._catalogue(p) for p in CONTACT_POINTS}
        self._numbers: Counter[tuple[int, int]] = Counter()
        self._topic = {name: self.topics.context(name) for name in CONTEXTS}

    # ids and times

    def _uuid(self) -> str:
        """A random (version 4) UUID from the generator: ``str(UUID(int=bits, version=4))``, faster."""
        h = f"{self.rng.getrandbits(128):032x}"
        return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{_VARIANT[h[16]]}{h[17:20]}-{h[20:]}"

    def _partition(self, key: bytes) -> int:
        """The partition aiokafka's default partitioner gives ``key`` (murmur2, as the relay's sends)."""
        return int((murmur2(key) & 0x7FFFFFFF) % self.partitions)

    def _catalogue(self, point: ContactPoint) -> list[tuple[str, str, str, int]]:
        kinds = (
            ("municipal_flat", "Obecní byty"),
            ("asylum_house", "Azylový dům"),
            ("housing_assistance", "Asistence v bydlení"),
            ("debt_advice", "Dluhová poradna"),
        )
        return [
            (self._uuid(), kind, f"{title} – {point.name}", self.rng.randint(2, 40)) for kind, title in kinds
        ]

    def _template(self, key: tuple[Any, ...], build: Callable[[], c.IntegrationEvent]) -> Template:
        found = self._templates.get(key)
        if found is None:
            found = self._templates[key] = Template(build())
        return found

    def _record(
        self,
        template: Template,
        at: int,
        actor: tuple[str, str],
        cause: str | None,
        key: bytes,
        partition: int,
        **values: str,
    ) -> tuple[GeneratedRecord, str]:
        day, second = divmod(at, DAY)
        moment = f"{_date_text(day)}T{_CLOCK[second]}"
        event_id = self._uuid()
        trace = event_id.replace("-", "")  # each event its own trace (as one request each)
        values["at"] = moment + "Z"
        values["user"], values["org"] = actor
        values["cause"] = cause  # type: ignore[assignment]  # None only where the template has null
        headers = [  # the relay's headers (OutboxRelay._headers) and the trace KafkaPublisher adds
            ("ce_id", event_id.encode()),
            template.source_header,
            _SPEC_VERSION,
            template.type_header,
            ("ce_time", f"{moment}+00:00".encode()),
            ("ce_subject", key),
            _CONTENT_TYPE,
            ("traceparent", f"00-{trace}-{trace[:16]}-01".encode()),
        ]
        self.counts[template.event_type] += 1
        value = template.fill(values).encode()
        topic = self._topic[template.context]
        return GeneratedRecord(topic, partition, key, value, headers, template.event_type), event_id

    # the plan of one household

    def _plan(self, point: ContactPoint, variant: int) -> list[Step]:
        """What happens to a household after its first contact (seconds after it), drawn now."""
        rng = self.rng
        household = self.households[point.number][variant]
        s = household.situation
        steps: list[Step] = [(rng.randint(300, 2400), "opened", None)]
        t = rng.randint(3, 30) * DAY
        if rng.random() < 0.9:
            steps.append((t, "assessed", None))
            if household.qualifies:
                steps.append((t + 120, "registered", None))
                steps.append((t + 365 * DAY, "expired", None))
        last = t
        for _ in range(rng.choices((0, 1, 2, 3), weights=(4, 3, 2, 1))[0]):
            steps.append((rng.randint(2, 200) * DAY, "contact", None))
        if rng.random() < 0.25:
            steps.append((rng.randint(10, 120) * DAY, "changed", rng.randrange(VARIANTS_PER_POINT)))
        housed = False
        for index, kind in enumerate(s.referral_kinds):
            if rng.random() >= 0.6:
                continue
            made = t + rng.randint(1, 10) * DAY + 3600
            due = made + 14 * DAY
            steps.append((made, "referral_made", (index, kind, due)))
            answer = rng.choices(("accept", "decline", "overdue"), weights=(55, 25, 20))[0]
            if answer == "overdue":
                steps.append((due + DAY, "referral_overdue", (index, kind, due)))
                answer = "accept" if rng.random() < 0.5 else "none"
                made = due + DAY
            reply = made + rng.randint(1, 12) * DAY
            if answer == "decline":
                steps.append((reply, "referral_declined", (index, kind, rng.choice(DECLINE_REASONS))))
            elif answer == "accept":
                steps.append((reply, "referral_accepted", (index, kind, None)))
                housed = housed or kind in ("municipal_flat_application", "real_estate_search")
                if kind == "binding_opinion":
                    reply += rng.randint(5, 20) * DAY
                    steps.append((reply, "opinion", (index, kind, rng.random() < 0.8)))
                if rng.random() < 0.6:
                    outcome = {"binding_opinion": "opinion_issued", "benefit_claim": "benefit_granted"}.get(
                        kind, "housed" if kind == "municipal_flat_application" else "service_provided"
                    )
                    steps.append(
                        (reply + rng.randint(10, 90) * DAY, "referral_completed", (index, kind, outcome))
                    )
            last = max(last, reply)
        last = max(offset for offset, _what, _arg in steps)
        if rng.random() < 0.65:
            reason = (
                "housed_adequately"
                if housed
                else rng.choice(("resolved_itself", "lost_contact", "moved_away", "declined_help"))
            )
            closed = last + rng.randint(5, 60) * DAY
            steps.append((closed, "closed", reason))
            if rng.random() < 0.03:
                steps.append((closed + rng.randint(30, 200) * DAY, "reopened", None))
        return steps

    def _emit(self, case: _Case, at: int, what: str, arg: Any) -> GeneratedRecord:
        point = case.point
        actor = (case.worker, point.organisation)
        household = self.households[point.number][case.household]
        cause = case.last_id
        key, part = case.key, case.partition
        ids: dict[str, str] = {"case": case.case_id, "number": case.number}
        if what == "opened":
            t = self._template(
                ("opened", point.number, case.household),
                lambda: c.CaseOpened(
                    **_sentinels(True),
                    case_id=_IDS["case"],
                    case_number=_TEXTS["number"],
                    household=household.snapshot,
                    contact_id=_IDS["contact"],
                ),
            )
            ids["contact"] = arg
        elif what == "changed":
            case.household = arg
            changed = self.households[point.number][arg]
            t = self._template(
                ("changed", point.number, arg),
                lambda: c.HouseholdChanged(
                    **_sentinels(True),
                    case_id=_IDS["case"],
                    case_number=_TEXTS["number"],
                    household=changed.snapshot,
                ),
            )
        elif what == "contact":
            return self._contact(point, at, actor, case)[0]
        elif what == "assessed":
            case.assessment_id = self._uuid()
            ids["item"] = case.assessment_id
            ids["day1"] = _day(at)
            t = self._template(("assessed", point.number, case.household), lambda: _need_assessed(household))
            record, event_id = self._record(t, at, actor, cause, key, part, **ids)
            case.last_id = event_id
            self._pending.append(self._suggested(case, at, event_id))  # in the same transaction
            return record
        elif what == "registered":
            if not case.assessment_id:
                raise _Skip
            ids |= {"item": case.assessment_id, "day1": _day(at), "day2": _day(at + 365 * DAY)}
            ethos, _light, need = _ASSESSED[household.situation.name]
            t = self._template(
                ("registered", need, ethos),
                lambda: c.RegisteredInNeed(
                    **_of_assessment(registered_on=_DAY1, valid_until=_DAY2),
                    need_level=need,
                    ethos_category=ethos,
                ),
            )
        elif what == "expired":
            ids |= {"item": case.assessment_id, "day1": _day(at)}
            actor = ("system", point.organisation)
            t = self._template(
                ("expired",),
                lambda: c.RegistrationExpired(**_of_assessment(expired_on=_DAY1)),
            )
        elif what == "closed":
            t = self._template(
                ("closed", arg),
                lambda: c.CaseClosed(
                    **_sentinels(True), case_id=_IDS["case"], case_number=_TEXTS["number"], reason=arg
                ),
            )
        elif what == "reopened":
            t = self._template(
                ("reopened",),
                lambda: c.CaseReopened(
                    **_sentinels(True), case_id=_IDS["case"], case_number=_TEXTS["number"]
                ),
            )
        else:
            return self._referral(case, at, what, arg)
        record, case.last_id = self._record(t, at, actor, cause, key, part, **ids)
        return record

    def _suggested(self, case: _Case, at: int, cause: str) -> GeneratedRecord:
        point = case.point
        solutions = self.solutions[point.number]
        t = self._template(
            ("suggested", point.number),
            lambda: c.SolutionsSuggested(
                **_of_assessment(),
                suggestions=tuple(
                    c.Suggestion(
                        solution_id=UUID(sid),
                        kind=kind,
                        title=title,
                        rank=rank,
                        score=round(1 - rank / 10, 2),
                        reasons=("Odpovídá bytové situaci",),
                        has_free_capacity=rank != 2,
                    )
                    for rank, (sid, kind, title, _capacity) in enumerate(solutions[:3], start=1)
                ),
            ),
        )
        record, _ = self._record(
            t,
            at,
            ("system", point.organisation),
            cause,
            case.key,
            case.partition,
            case=case.case_id,
            item=case.assessment_id,
        )
        return record

    def _referral(self, case: _Case, at: int, what: str, arg: tuple[int, str, Any]) -> GeneratedRecord:
        index, kind, extra = arg
        point = case.point
        partner = point.partner(kind)
        common = {"case_id": _IDS["case"], "referral_id": _IDS["item"], "partner": partner, "kind": kind}
        actor = (case.worker, point.organisation)
        ids = {"case": case.case_id}
        if what == "referral_made":
            case.referrals[index] = self._uuid()
            ids |= {"day1": _day(extra), "number": case.number}
            t = self._template(
                ("made", partner, kind),
                lambda: c.ReferralMade(
                    **_sentinels(True), **common, due_on=_DAY1, case_number=_TEXTS["number"]
                ),
            )
        elif what == "referral_overdue":
            actor = ("system", point.organisation)
            ids["day1"] = _day(extra)
            t = self._template(
                ("overdue", partner, kind),
                lambda: c.ReferralOverdue(**_sentinels(True), **common, due_on=_DAY1),
            )
        else:
            actor = (f"{partner}-prac", partner)
            if what == "referral_accepted":
                t = self._template(
                    ("accepted", partner, kind), lambda: c.ReferralAccepted(**_sentinels(True), **common)
                )
            elif what == "referral_declined":
                t = self._template(
                    ("declined", partner, kind, extra),
                    lambda: c.ReferralDeclined(**_sentinels(True), **common, reason=extra),
                )
            elif what == "opinion":
                t = self._template(
                    ("opinion", partner, kind, extra),
                    lambda: c.BindingOpinionIssued(
                        **_sentinels(True),
                        **common,
                        positive=extra,
                        justified_housing_costs=12000 if extra else None,
                        estimated_benefit=3500 if extra else None,
                    ),
                )
            else:
                t = self._template(
                    ("completed", partner, kind, extra),
                    lambda: c.ReferralCompleted(**_sentinels(True), **common, outcome=extra),
                )
        ids["item"] = case.referrals[index]
        record, case.last_id = self._record(t, at, actor, case.last_id, case.key, case.partition, **ids)
        return record

    def _contact(
        self, point: ContactPoint, at: int, actor: tuple[str, str], case: _Case | None, contact_id: str = ""
    ) -> tuple[GeneratedRecord, str]:
        rng = self.rng
        channel = rng.choices(("in_person", "phone", "email", "field_visit"), weights=(6, 3, 1, 1))[0]
        minutes = rng.choice((15, 20, 30, 45, 60, 90))
        topics = rng.choice(
            (("loss_of_housing", "debts"), ("flat_application",), ("benefits",), ("shelter",))
        )
        anonymous = case is None and rng.random() < 0.3
        t = self._template(
            ("contact", channel, minutes, topics, anonymous, case is not None),
            lambda: c.ContactRecorded(
                **_sentinels(False),
                contact_id=_IDS["contact"],
                case_id=_IDS["case"] if case is not None else None,
                channel=channel,
                contact_date=_DAY1,
                topics=topics,
                duration_minutes=minutes,
                anonymous=anonymous,
            ),
        )
        contact_id = contact_id or self._uuid()
        key = contact_id.encode()
        values = {"contact": contact_id, "day1": _day(at)}
        if case is not None:
            values["case"] = case.case_id
        return self._record(t, at, actor, None, key, self._partition(key), **values)

    # the whole history

    def _published(self) -> Iterator[GeneratedRecord]:
        at = _seconds(HISTORY_START) + 6 * 3600
        for point in CONTACT_POINTS:
            for sid, kind, title, capacity in self.solutions[point.number]:
                entry = c.SolutionPublished(
                    **_sentinels(False),
                    solution_id=UUID(sid),
                    kind=kind,
                    title=f"{title} {MARK}",
                    provider=point.name,
                    capacity_total=capacity,
                    capacity_free=capacity,
                )
                t = Template(entry)  # one event per entry: nothing to reuse
                key = sid.encode()
                yield self._record(
                    t, at, ("demo-loader", point.organisation), None, key, self._partition(key)
                )[0]

    def _arrival_day(self, fraction: float) -> int:
        """The working day of an arrival: arrivals grow over the years (density rising linearly, so the
        arrival at ``fraction`` of all comes at the square root of that fraction of the span)."""
        start, end = _seconds(HISTORY_START), _seconds(HISTORY_END) + DAY
        day = start + int((end - start) * math.sqrt(min(fraction, 1.0))) // DAY * DAY
        weekday = time.gmtime(day).tm_wday
        return day + (7 - weekday) * DAY if weekday >= 5 else day

    def events_per_household(self) -> float:
        """The mean number of events one household gives before the history ends (a pilot of 4,000
        households, on its own generator drawn from the seed)."""
        saved = self.rng
        self.rng = random.Random(saved.random())
        end = _seconds(HISTORY_END) + DAY
        try:
            total = 0
            for i in range(4000):
                first = self._arrival_day(self.rng.random())
                plan = self._plan(CONTACT_POINTS[i % len(CONTACT_POINTS)], i % VARIANTS_PER_POINT)
                kept = [what for offset, what, _arg in plan if first + offset < end]
                total += 1 + len(kept) + kept.count("assessed")  # the suggestions follow each assessment
        finally:
            self.rng = saved
        return ADVICE_ONLY + (1 - ADVICE_ONLY) * total / 4000

    def records(self, n: int) -> Iterator[GeneratedRecord]:
        """The first ``n`` records of the history: the catalogue, then the households' events in time."""
        emitted = 0
        for record in self._published():
            if emitted == n:
                return
            emitted += 1
            yield record
        rng = self.rng
        end = _seconds(HISTORY_END) + DAY
        per_household = self.events_per_household()
        arrivals = max(1, math.ceil((n - emitted) / per_household))
        weights = list(itertools.accumulate(p.weight for p in CONTACT_POINTS))
        heap: list[tuple[int, int, _Case, str, Any]] = []
        order = arrival = 0
        while emitted < n:
            if arrival >= arrivals and not heap:  # the estimate fell short: a few more at the end
                arrivals = arrival + math.ceil((n - emitted) / per_household) + 1
            arriving = arrival < arrivals
            first = self._arrival_day((arrival + rng.random()) / arrivals) + 8 * 3600 if arriving else end
            if arriving:
                first += rng.randrange(8 * 3600)
                arrival += 1
            while heap and heap[0][0] < first and emitted < n:
                at, _, case, what, arg = heapq.heappop(heap)
                try:
                    record = self._emit(case, at, what, arg)
                except _Skip:
                    continue
                emitted += 1
                yield record
                while self._pending and emitted < n:
                    emitted += 1
                    yield self._pending.popleft()
            if not arriving or emitted >= n:
                continue
            point = rng.choices(CONTACT_POINTS, cum_weights=weights)[0]
            worker = (f"demo-nat-{point.number:03d}-{rng.randint(1, 4)}", point.organisation)
            variant = rng.randrange(VARIANTS_PER_POINT)
            if rng.random() < ADVICE_ONLY:
                emitted += 1
                yield self._contact(point, first, worker, None)[0]
                continue
            case_id = self._uuid()
            year = time.gmtime(first).tm_year
            self._numbers[(point.number, year)] += 1
            key = case_id.encode()
            number = f"KMB-{year}-{self._numbers[(point.number, year)]:05d}"
            case = _Case(point, variant, worker[0], case_id, number, key, self._partition(key))
            contact_id = self._uuid()
            record, case.last_id = self._contact(point, first, worker, None, contact_id)
            emitted += 1
            yield record
            for offset, what, arg in self._plan(point, variant):
                if first + offset < end:
                    order += 1
                    step = (first + offset, order, case, what, contact_id if what == "opened" else arg)
                    heapq.heappush(heap, step)


class _Skip(Exception):
    """A planned step that has nothing to say (e.g. a register entry of an assessment left out)."""


def _need_assessed(h: Household) -> c.NeedAssessed:
    snapshot = h.snapshot
    children = sum(1 for m in snapshot.members if m.relationship == "child")
    costs = snapshot.rent_monthly + snapshot.services_monthly + snapshot.energy_monthly
    burden = round(100 * costs / snapshot.income_monthly, 1) if snapshot.income_monthly else None
    copied = ("district", "orp_code", "income_monthly", "vulnerability_flags")
    return c.NeedAssessed(
        **_of_assessment(assessed_on=_DAY1, rule_set_version=RULE_SET),
        **dict(
            zip(("ethos_category", "ethos_light", "need_level"), _ASSESSED[h.situation.name], strict=True)
        ),
        **{name: getattr(snapshot, name) for name in copied},
        household_type=_HOUSEHOLD_TYPE[h.situation.household],
        household_size=len(snapshot.members),
        children=children,
        housing_cost_burden_pct=burden,
        qualifies_for_register=h.qualifies,
        next_steps=h.situation.referral_kinds,
        priority_score=h.score,
        priority_contributions=(
            c.PriorityContribution(criterion="need_level", points=h.score, explanation="Bytová nouze (DEMO)"),
        ),
        reasons=("Syntetická data (DEMO)",),
    )


def _seconds(day: date) -> int:
    return int(datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp())


#: "hh:mm:ss" of each second of a day
_CLOCK = tuple(f"{h:02d}:{m:02d}:{s:02d}" for h in range(24) for m in range(60) for s in range(60))


@functools.cache
def _date_text(day: int) -> str:
    """The date of day number ``day`` since 1970-01-01, as ISO text."""
    return time.strftime("%Y-%m-%d", time.gmtime(day * DAY))


def _day(at: int) -> str:
    return _date_text(at // DAY)


# --- writing to Kafka -----------------------------------------------------------------------------


@dataclass
class WriteResult:
    events: int
    seconds: float
    value_bytes: int
    counts: Counter[str]
    build_s: float = 0.0

    @property
    def rate(self) -> float:
        return self.events / self.seconds if self.seconds else math.nan


#: bytes of one batch sent at once (one produce request carries the batches of several partitions)
BATCH_BYTES = 512 * 1024
#: batches in flight at once, over all partitions
IN_FLIGHT = 24


async def write_history(
    bootstrap: str,
    events: int,
    seed: int,
    prefix: str = "",
    *,
    validate: bool = True,
    progress: Callable[[int], None] | None = None,
) -> WriteResult:
    """Generate ``events`` events and write them to the context topics under ``prefix`` (created when
    missing) with one idempotent producer (``acks=all``), whole batches per partition, several in flight;
    with ``validate`` every value is validated by its contract first (``model_validate_json``)."""
    topics = Topics(prefix)
    await ensure_topics(bootstrap, topics.core)
    contexts = [topics.context(name) for name in CONTEXTS]
    counts = Counter(tp.topic for tp in await topic_partitions(bootstrap, contexts))
    if len(set(counts.values())) != 1 or len(counts) != len(contexts):
        raise RuntimeError(f"the context topics under {prefix!r} differ in partitions: {dict(counts)}")
    partitions = counts[contexts[0]]
    producer = AIOKafkaProducer(
        bootstrap_servers=bootstrap_servers(bootstrap),
        client_id="kmb-demo-national",
        enable_idempotence=True,
        acks="all",
        max_batch_size=BATCH_BYTES,
        linger_ms=5,
        **client_options(),
    )
    await producer.start()
    try:
        return await _send_all(producer, topics, partitions, events, seed, validate, progress)
    finally:
        await producer.stop()


async def _send_all(
    producer: AIOKafkaProducer,
    topics: Topics,
    partitions: int,
    events: int,
    seed: int,
    validate: bool,
    progress: Callable[[int], None] | None,
) -> WriteResult:
    history = NationalHistory(seed, topics.prefix, partitions)
    models = registry.event_types()
    builders: dict[tuple[str, int], Any] = {}
    in_flight: deque[asyncio.Future[Any]] = deque()
    sent = size = 0

    async def flush(tp: tuple[str, int]) -> None:
        batch = builders.pop(tp)
        in_flight.append(await producer.send_batch(batch, tp[0], partition=tp[1]))
        while len(in_flight) > IN_FLIGHT:
            await in_flight.popleft()

    started = time.perf_counter()
    for record in history.records(events):
        if validate:
            models[record.event_type].model_validate_json(record.value)
        tp = (record.topic, record.partition)
        batch = builders.get(tp)
        if batch is None:
            batch = builders[tp] = producer.create_batch()
        if batch.append(key=record.key, value=record.value, timestamp=None, headers=record.headers) is None:
            await flush(tp)
            batch = builders[tp] = producer.create_batch()
            batch.append(key=record.key, value=record.value, timestamp=None, headers=record.headers)
        sent += 1
        size += len(record.value)
        if progress and sent % 10_000 == 0:
            progress(sent)
    for tp in list(builders):
        await flush(tp)
    while in_flight:
        await in_flight.popleft()
    seconds = time.perf_counter() - started
    if progress:
        progress(sent)
    return WriteResult(sent, seconds, size, history.counts)
