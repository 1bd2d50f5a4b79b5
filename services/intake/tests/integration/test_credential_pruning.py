"""The records of sessions and tokens long past their expiry are forgotten (they are refused by their
expiry alone), on SQLite and PostgreSQL; the pruning runs as a job of the service."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from kmb_intake.adapters.account_store import SqlAccountStore
from kmb_intake.application.accounts import SESSION, TOKEN, prune_credentials
from kmb_intake.application.queries import CredentialRow
from kmb_intake.bootstrap import MIGRATIONS, build_spec, credential_pruning
from kmb_shared.db import Database

NOW = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)


def row(cid: str, kind: str, expired_ago: timedelta | None) -> CredentialRow:
    return CredentialRow(
        id=cid,
        user_id="u-1",
        kind=kind,
        created_at=NOW - timedelta(days=400),
        expires_at=None if expired_ago is None else NOW - expired_ago,
    )


async def test_only_records_long_past_their_expiry_are_forgotten(database_url: str) -> None:
    db = Database(database_url)
    try:
        await db.migrate(MIGRATIONS)
        async with db.session() as session:
            session.add_all(
                [
                    row("session-2-days-old", SESSION, timedelta(days=2)),  # a session: kept a day
                    row("session-1-hour-old", SESSION, timedelta(hours=1)),
                    row("token-40-days-old", TOKEN, timedelta(days=40)),  # a token: kept a month
                    row("token-10-days-old", TOKEN, timedelta(days=10)),
                    row("token-valid", TOKEN, -timedelta(days=60)),
                    row("revoked-expiry-unknown", TOKEN, None),  # signed elsewhere: its end is unknown
                ]
            )
            await session.commit()
        async with db.session() as session:
            assert await prune_credentials(SqlAccountStore(session), now=NOW) == 2
            await session.commit()
        async with db.session() as session:
            left = sorted(r.id for r in (await session.exec(CredentialRow.__table__.select())).all())  # type: ignore[attr-defined]
    finally:
        await db.dispose()
    assert left == ["revoked-expiry-unknown", "session-1-hour-old", "token-10-days-old", "token-valid"]


def test_the_pruning_runs_as_a_job_of_the_service() -> None:
    assert credential_pruning in build_spec().background
