"""Deadlines in Czech working days from the settings; the background job raises ReferralOverdue once."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta
from uuid import uuid4

import pytest

from .conftest import ServiceFactory
from .support import MONDAY, Clock

pytestmark = pytest.mark.kafka


async def test_an_unanswered_referral_is_raised_overdue_once_after_its_due_day(
    service_factory: ServiceFactory,
) -> None:
    clock = Clock(MONDAY)
    async with service_factory(clock, overdue_interval_s=0.1, deadline_days={"social_work": 3}) as referrals:
        await referrals.partner("ngo-domov", ["social_work"])
        late = await referrals.referral(uuid4(), "ngo-domov", "social_work")
        answered = await referrals.referral(uuid4(), "ngo-domov", "social_work")
        # Made on Monday 2 March 2026; three working days: Tue 3, Wed 4, Thu 5 March.
        assert late["due_on"] == "2026-03-05"
        await referrals.step(answered["id"], "accept")

        clock.day = date(2026, 3, 5)  # the due day itself is still on time
        await asyncio.sleep(0.5)
        assert await referrals.get("/api/referrals", overdue="true") == []

        clock.day = date(2026, 3, 6)
        listed = await referrals.get("/api/referrals", overdue="true")
        assert [r["id"] for r in listed] == [late["id"]]
        events = await referrals.events(expect=4)  # 2 made, 1 accepted, 1 overdue
        await asyncio.sleep(0.5)  # five more passes of the job
        clock.day += timedelta(days=3)
        await asyncio.sleep(0.5)
        events = await referrals.events(expect=99, timeout_s=3)
        overdue = [e for e in events if e.type == "kmb.referrals.referral_overdue.v1"]
        assert [e.data["referral_id"] for e in overdue] == [late["id"]]
        assert overdue[0].data["due_on"] == "2026-03-05"
        assert overdue[0].data["actor"]["user_id"] == "system"

        shown = await referrals.get(f"/api/referrals/{late['id']}")
        assert (shown["overdue"], shown["overdue_raised"]) == (True, True)
        on_time = await referrals.get("/api/referrals", overdue="false")
        assert on_time[0]["id"] == answered["id"]
        reminders = await referrals.partner_messages("ngo-domov", expect=99, timeout_s=3)
        assert [m.data["referral_id"] for m in reminders if m.data.get("update") == "overdue"] == [late["id"]]

    # After a restart the mark holds: nothing is raised a second time.
    async with service_factory(clock, overdue_interval_s=0.1) as again:
        await asyncio.sleep(0.5)
        events = await again.events(expect=99, timeout_s=3)
        assert sum(e.type == "kmb.referrals.referral_overdue.v1" for e in events) == 1


async def test_the_deadline_skips_weekends_and_easter_holidays(service_factory: ServiceFactory) -> None:
    # Easter Sunday 2026 is 5 April: Good Friday 3 April and Easter Monday 6 April are public holidays.
    # Made Thursday 2 April with two working days: Fri 3 (holiday), Sat 4, Sun 5, Mon 6 (holiday),
    # Tue 7 (first), Wed 8 (second) → due 8 April.
    async with service_factory(Clock(date(2026, 4, 2)), deadline_days={"debt_advice": 2}) as referrals:
        await referrals.partner("ngo-dluhova-poradna", ["debt_advice"])
        made = await referrals.referral(uuid4(), "ngo-dluhova-poradna", "debt_advice")
        assert made["due_on"] == "2026-04-08"
