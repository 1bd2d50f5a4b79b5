"""Revision 0006 (the workers' notifications) on a database at 0005 that holds a referral, on SQLite and
PostgreSQL: the referral stays, the table comes empty and takes a notification, and the downgrade gives
0005 back with the referral still there."""

from __future__ import annotations

from datetime import UTC, date, datetime
from uuid import uuid4

import sqlalchemy as sa

from kmb_referrals.adapters.notifications import NotificationRow
from kmb_referrals.adapters.tables import ReferralRow
from kmb_referrals.bootstrap import MIGRATIONS
from kmb_shared.db import Database
from kmb_testkit.migrations import at_revision, table_names

AT = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


async def test_0006_adds_the_notifications_beside_the_referrals(database_url: str) -> None:
    db = Database(database_url)
    case_id, referral_id = uuid4(), uuid4()
    referral = {"id": referral_id, "case_id": case_id, "partner": "ngo-domov", "kind": "social_work",
                "status": "declined", "made_on": date(2026, 3, 2), "made_at": AT, "made_by": "worker-7",
                "made_by_org": "kmb", "history": [], "version": 2}  # fmt: skip
    try:
        async with at_revision(db, MIGRATIONS, "0005") as conn:
            await conn.execute(sa.insert(ReferralRow.__table__).values(**referral))  # type: ignore[attr-defined]
        async with at_revision(db, MIGRATIONS, "0006") as conn:
            assert "referral_notification" in await conn.run_sync(table_names)
            table = NotificationRow.__table__  # type: ignore[attr-defined]
            await conn.execute(
                sa.insert(table).values(
                    id=uuid4(),
                    user_id="worker-7",
                    organisation="kmb",
                    case_id=case_id,
                    referral_id=referral_id,
                    partner="ngo-domov",
                    referral_kind="social_work",
                    update="declined",
                    reason="no_capacity",
                    created_at=AT,
                )
            )
            unread = (
                await conn.execute(
                    sa.text("SELECT count(*) FROM referral_notification WHERE read_at IS NULL")
                )
            ).scalar_one()
            assert unread == 1
        async with at_revision(db, MIGRATIONS, "0005", "downgrade") as conn:
            left = (
                "referral_notification" in await conn.run_sync(table_names),
                (await conn.execute(sa.text("SELECT status FROM referral"))).scalars().all(),
            )
        assert left == (False, ["declined"])
    finally:
        await db.dispose()
