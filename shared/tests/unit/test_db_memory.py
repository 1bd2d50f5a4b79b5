"""An in-memory SQLite database is refused: its one shared connection cannot isolate sessions."""

from __future__ import annotations

import pytest

from kmb_shared.db import Database


@pytest.mark.parametrize("url", ["sqlite+aiosqlite:///:memory:", "sqlite+aiosqlite://"])
def test_an_in_memory_sqlite_database_is_refused_with_the_reason(url: str) -> None:
    with pytest.raises(ValueError, match="cannot isolate sessions"):
        Database(url)


def test_a_sqlite_file_database_is_accepted(tmp_path: object) -> None:
    db = Database(f"sqlite+aiosqlite:///{tmp_path}/x.db")
    assert db.is_sqlite
