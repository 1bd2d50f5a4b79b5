"""Driving cases of a soak run through the services' HTTP APIs: open the case, wait for its pending
assessment, fill and submit the survey, refer it to the run's partner and have the partner accept.

Every request has a timeout and a bounded number of attempts with growing pauses. A timeout, a dropped
connection or a 5xx answer is tried again: the opening of a case and the referral carry an
``Idempotency-Key`` that stays the same for every attempt, so a repeat answers as the first did instead
of opening a second case; a submission or an acceptance repeated after a lost answer finds the step
done (409) and checks that it was. Any other refusal fails the case at that step.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Any

import httpx

from .kafka_io import read_topics
from .soak import STATS_TYPES, Driven, Reconciliation, Seen, add_stats, reconcile, stats_differences

PARTNER_SLUG = "kmb-soak"
PARTNER = {
    "slug": PARTNER_SLUG,
    "name": "Zátěžový partner (SOAK)",
    "kind": "ngo",
    "accepted_kinds": ["social_work"],
}
REFERRAL_KIND = "social_work"
NOTE = "SOAK – zátěžový běh, ne skutečná domácnost"
SURVEY = {"checked_documents": ["lease_contract", "income_statement"], "notes": NOTE}


def soak_case() -> dict[str, Any]:
    """A one-member household in a leased flat spending 11,000 of an income of 18,000 on rent, kept
    on the public-task basis (so the partner message carries the identity and intake is asked for it)."""
    return {
        "members": [
            {
                "first_name": "Zátěžový",
                "last_name": "Test (SOAK)",
                "date_of_birth": "1980-01-01",
                "relationship": "applicant",
                "incomes": [{"source": "employment", "amount_monthly": 18000}],
            }
        ],
        "address": {"district": "Lipovec-střed", "orp_code": "9999"},
        "dwelling": {"kind": "flat", "legal_title": "lease"},
        "costs": {"rent": 11000},
        "legal_basis": "public_task",
    }


@dataclass(frozen=True)
class Limits:
    timeout_s: float = 30.0
    attempts: int = 5
    pause_s: float = 0.5  # before the second attempt; doubled before each further one, at most 8 s
    assessment_wait_s: float = 120.0


class StepFailed(Exception):
    def __init__(self, step: str, reason: str) -> None:
        super().__init__(f"{step}: {reason}")
        self.step, self.reason = step, reason


def _reason(response: httpx.Response) -> str:
    """The status and the error code of a refusal (never the body: it may hold personal data)."""
    try:
        detail = response.json().get("detail")
    except (ValueError, AttributeError):
        detail = None
    code = detail.get("code") if isinstance(detail, dict) else None
    if isinstance(detail, list) and detail and isinstance(detail[0], dict):
        code = detail[0].get("code")
    return f"HTTP {response.status_code}" + (f" {code}" if code else "")


def _in_progress(response: httpx.Response) -> bool:
    return response.status_code == 409 and "idempotency_in_progress" in response.text


class Driver:
    def __init__(
        self,
        client: httpx.AsyncClient,
        urls: dict[str, str],
        worker: dict[str, str],
        partner: dict[str, str],
        limits: Limits = Limits(),
    ) -> None:
        self.client, self.urls, self.worker, self.partner, self.limits = client, urls, worker, partner, limits
        self.retried: Counter[str] = Counter()  # why requests were sent again: step and reason

    async def call(
        self,
        step: str,
        method: str,
        url: str,
        headers: dict[str, str],
        *,
        body: Any = None,
        ok: Collection[int] = (200,),
        done_already: Callable[[], Awaitable[bool]] | None = None,
    ) -> httpx.Response | None:
        """The answer with a status in ``ok``; None when a repeat found the step done (``done_already``
        confirmed it); StepFailed when refused or out of attempts."""
        last = "no attempt"
        for attempt in range(self.limits.attempts):
            if attempt:
                self.retried[f"{step}: {last}"] += 1
                await asyncio.sleep(min(8.0, self.limits.pause_s * 2 ** (attempt - 1)))
            try:
                response = await self.client.request(method, url, headers=headers, json=body)
            except httpx.TransportError as exc:  # timeouts, refused and dropped connections
                last = type(exc).__name__
                continue
            if response.status_code in ok:
                return response
            if response.status_code >= 500 or _in_progress(response):
                last = _reason(response)
                continue
            if response.status_code == 409 and attempt and done_already is not None:
                if await done_already():
                    return None
            raise StepFailed(step, _reason(response))
        raise StepFailed(step, f"{last} after {self.limits.attempts} attempts")

    async def register_partner(self) -> None:
        url = f"{self.urls['referrals']}/api/partners"
        await self.call("partner", "POST", url, self.worker, body=PARTNER, ok=(201, 409))

    async def drive(self, case: Driven) -> None:
        """Take one case through the flow, recording in ``case`` what each step's API confirmed."""
        try:
            await self._drive(case)
        except StepFailed as failed:
            case.failure = str(failed)

    async def _drive(self, case: Driven) -> None:
        intake, assessment, referrals = (self.urls[s] for s in ("intake", "assessment", "referrals"))
        opened = await self.call(
            "open case",
            "POST",
            f"{intake}/api/cases",
            {**self.worker, "Idempotency-Key": str(uuid.uuid4())},
            body=soak_case(),
            ok=(201,),
        )
        assert opened is not None
        case.case_id = str(opened.json()["id"])
        case.assessment_id = await self._pending_assessment(
            f"{assessment}/api/cases/{case.case_id}/assessments"
        )
        base = f"{assessment}/api/assessments/{case.assessment_id}"
        await self.call("survey", "PUT", f"{base}/survey", self.worker, body=SURVEY)
        await self.call(
            "submit", "POST", f"{base}/submit", self.worker, done_already=lambda: self._is(base, "submitted")
        )
        case.submitted = True
        referral = await self.call(
            "referral",
            "POST",
            f"{referrals}/api/referrals",
            {**self.worker, "Idempotency-Key": str(uuid.uuid4())},
            body={"case_id": case.case_id, "partner": PARTNER_SLUG, "kind": REFERRAL_KIND, "note": NOTE},
            ok=(201,),
        )
        assert referral is not None
        case.referral_id = str(referral.json()["id"])
        await self.call(
            "accept",
            "POST",
            f"{referrals}/api/partner/{PARTNER_SLUG}/referrals/{case.referral_id}/accept",
            self.partner,
            done_already=lambda: self._is(f"{referrals}/api/referrals/{case.referral_id}", "accepted"),
        )
        case.accepted = True

    async def _is(self, url: str, status: str) -> bool:
        response = await self.call("check", "GET", url, self.worker)
        return response is not None and response.json().get("status") == status

    async def _pending_assessment(self, url: str) -> str:
        """The id of the case's pending assessment, which assessment opens when it consumes CaseOpened."""
        deadline = time.monotonic() + self.limits.assessment_wait_s
        pause = 0.1
        while True:
            response = await self.call("assessment", "GET", url, self.worker)
            rows = response.json() if response is not None else []
            pending = [row for row in rows if row.get("status") == "pending"]
            if pending:
                return str(pending[0]["id"])
            if time.monotonic() > deadline:
                raise StepFailed(
                    "assessment", f"no pending assessment within {self.limits.assessment_wait_s:.0f} s"
                )
            await asyncio.sleep(pause)
            pause = min(1.0, pause * 2)


async def drive_all(
    driver: Driver, count: int, concurrency: int, progress: Callable[[int], None] | None = None
) -> list[Driven]:
    """Drive ``count`` cases, at most ``concurrency`` at a time."""
    gate = asyncio.Semaphore(concurrency)
    cases = [Driven() for _ in range(count)]
    done = 0

    async def one(case: Driven) -> None:
        nonlocal done
        async with gate:
            await driver.drive(case)
        done += 1
        if progress:
            progress(done)

    await asyncio.gather(*(one(case) for case in cases))
    return cases


@dataclass
class Report:
    result: Reconciliation
    concurrency: int
    completed: int  # cases whose every step the APIs confirmed
    retried: Counter[str]
    drive_s: float
    total_s: float
    stats: dict[str, int]  # stats' differences from Kafka (see soak.stats_differences)

    @property
    def throughput(self) -> float:
        return self.completed / self.drive_s if self.drive_s else 0.0


async def _stats_counts(client: httpx.AsyncClient, url: str, headers: dict[str, str]) -> dict[str, int]:
    response = await client.get(f"{url}/api/stats/summary", headers=headers)
    response.raise_for_status()
    return {kind: int(n) for kind, n in response.json()["events_by_type"].items()}


async def _until(check: Callable[[], Awaitable[bool]], deadline: float) -> None:
    """Check until it holds or the deadline passes (at least once)."""
    while True:
        if await check() or time.monotonic() >= deadline:
            return
        await asyncio.sleep(0.5)


async def soak_run(
    urls: dict[str, str],
    worker: dict[str, str],
    partner: dict[str, str],
    kafka: str,
    topic_names: list[str],
    count: int,
    concurrency: int,
    settle_s: float,
    limits: Limits = Limits(),
    progress: Callable[[int], None] | None = None,
) -> Report:
    """Drive ``count`` cases, wait (at most ``settle_s``) for their events on Kafka and in stats, and
    reconcile; ``topic_names`` are the topics read (the context topics and the partner's)."""
    started = time.monotonic()
    timeout = httpx.Timeout(limits.timeout_s)
    pool = httpx.Limits(max_connections=2 * concurrency + 2)
    async with httpx.AsyncClient(timeout=timeout, limits=pool) as client:
        before = await _stats_counts(client, urls["stats"], worker)
        driver = Driver(client, urls, worker, partner, limits)
        await driver.register_partner()
        cases = await drive_all(driver, count, concurrency, progress)
        drive_s = time.monotonic() - started
        deadline = time.monotonic() + settle_s
        stored: dict[str, int] = {}

        async def stats_has(wanted: Mapping[str, int]) -> bool:
            stored.update(await _stats_counts(client, urls["stats"], worker))
            return all(stored.get(k, 0) - before.get(k, 0) >= n for k, n in wanted.items())

        confirmed = Counter(kind for case in cases for kind, _ in case.expected() if kind in STATS_TYPES)
        await _until(lambda: stats_has(confirmed), deadline)
        result = Reconciliation(cases=count)

        async def on_kafka() -> bool:
            nonlocal result
            events = (Seen.of(record) for record in await read_topics(kafka, topic_names))
            result = reconcile(cases, [e for e in events if e is not None])
            return not result.lost

        await _until(on_kafka, deadline)
        await _until(lambda: stats_has({k: result.found[k] for k in STATS_TYPES}), deadline)
        differences = stats_differences(before, stored, result.found)
        add_stats(result, differences)
    completed = sum(1 for case in cases if case.accepted)
    return Report(
        result, concurrency, completed, driver.retried, drive_s, time.monotonic() - started, differences
    )
