"""``kmb replay stats``: the stored events rebuilt from offset 0 into a fresh store digest alike."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from kmb_shared.replay import read_model_digest, rebuild
from kmb_stats.bootstrap import build_spec

from .conftest import settings_for
from .support import Stats, send_history_out_of_order

pytestmark = pytest.mark.kafka


async def test_rebuilt_event_store_has_the_live_digest_in_full_and_until_a_moment(
    stats: Stats, kafka_bootstrap: str, topic_prefix: str, database_url: str
) -> None:
    await send_history_out_of_order(stats)
    spec = build_spec()
    settings = settings_for(kafka_bootstrap, topic_prefix, database_url)

    live_digest, live_rows = await read_model_digest(stats.runtime.db, spec.read_models)
    rebuilt = await rebuild(spec, settings)
    # 67 records on the topics (64 events, 3 duplicate deliveries), 64 rows
    assert (rebuilt.events_read, rebuilt.events_applied, rebuilt.rows, live_rows) == (67, 64, 64, 64)
    assert rebuilt.digest == live_digest

    # up to noon UTC on 31 March: the 59 events dated in March or before
    noon = datetime(2026, 3, 31, 12, tzinfo=UTC)
    cut_digest, cut_rows = await read_model_digest(stats.runtime.db, spec.read_models, noon)
    cut = await rebuild(spec, settings, until=noon)
    assert (cut_rows, cut.rows, cut.digest) == (59, 59, cut_digest)
