"""Stats' tables: projections only, rebuilt from events."""

from __future__ import annotations

from sqlmodel import Field, SQLModel


class CounterRow(SQLModel, table=True):
    __tablename__ = "stats_counter"

    name: str = Field(primary_key=True, max_length=100)
    value: int = 0
