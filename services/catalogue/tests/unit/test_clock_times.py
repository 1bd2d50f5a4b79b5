"""Opening hours take the times their JSON schema declares (issue 13, item 11): HH:MM on the 24-hour
clock, seconds allowed (the API answers with them), nothing with a zone, fractions or a one-digit hour."""

from __future__ import annotations

import re
from typing import Any

import pytest
from pydantic import ValidationError

from kmb_catalogue.domain.model import OpeningSlot

ACCEPTED = ["00:00", "08:30", "23:59", "18:30:00", "07:05:59"]
REFUSED = ["8:30", "24:00", "12:60", "08:30:00+01:00", "08:30Z", "08:30:00.5", "ráno", "", "0830"]


def declared_pattern() -> str:
    pattern = OpeningSlot.model_json_schema()["properties"]["opens"]["pattern"]
    assert isinstance(pattern, str)
    return pattern


@pytest.mark.parametrize("text", ACCEPTED)
def test_a_time_the_schema_declares_is_accepted(text: str) -> None:
    assert re.fullmatch(declared_pattern(), text)
    slot = OpeningSlot.model_validate({"weekdays": [0], "opens": text, "closes": "12:34"})
    assert slot.opens.tzinfo is None


@pytest.mark.parametrize("text", REFUSED)
def test_a_time_outside_the_schema_is_refused_as_a_time(text: str) -> None:
    assert not re.fullmatch(declared_pattern(), text)
    with pytest.raises(ValidationError) as caught:
        OpeningSlot.model_validate({"weekdays": [0], "opens": text, "closes": "12:00"})
    [error] = caught.value.errors()
    assert (error["loc"], error["type"]) == (("opens",), "time_parsing")


@pytest.mark.parametrize("value", [30600, None, ["08:30"]])
def test_only_text_or_a_time_of_day_is_a_time(value: Any) -> None:
    with pytest.raises(ValidationError):
        OpeningSlot.model_validate({"weekdays": [0], "opens": value, "closes": "12:00"})


def test_a_slot_read_back_from_its_json_is_the_same_slot() -> None:
    slot = OpeningSlot.model_validate({"weekdays": [4, 0], "opens": "18:30", "closes": "07:30"})
    assert OpeningSlot.model_validate_json(slot.model_dump_json()) == slot
