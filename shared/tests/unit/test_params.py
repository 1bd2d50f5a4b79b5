"""The shared paging parameters: bounded offset and limit, refused with our 422 body."""

from __future__ import annotations

from typing import Annotated

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from kmb_shared.errors import install_error_handlers
from kmb_shared.web.params import MAX_OFFSET, Offset, limit_query


def _client() -> TestClient:
    app = FastAPI()
    install_error_handlers(app)

    @app.get("/items")
    def items(limit: Annotated[int, limit_query(50, "items")] = 10, offset: Offset = 0) -> dict[str, int]:
        return {"limit": limit, "offset": offset}

    return TestClient(app)


def test_offsets_within_bounds_are_taken() -> None:
    client = _client()
    assert client.get("/items").json() == {"limit": 10, "offset": 0}
    assert client.get("/items", params={"offset": MAX_OFFSET, "limit": 50}).json() == {
        "limit": 50,
        "offset": MAX_OFFSET,
    }


@pytest.mark.parametrize(
    ("value", "code"),
    [
        (str(2**63), "less_than_equal"),  # the 500 of issue 13 item 8: beyond a 64-bit integer
        (str(2**64 + 1), "less_than_equal"),
        (str(MAX_OFFSET + 1), "less_than_equal"),
        ("-1", "greater_than_equal"),
        ("1e3", "int_parsing"),
    ],
)
def test_an_offset_out_of_bounds_is_a_422_naming_it_in_czech_and_english(value: str, code: str) -> None:
    response = _client().get("/items", params={"offset": value})
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["field"] == "offset"
    assert error["code"] == code
    if code == "less_than_equal":
        assert error["message_cs"] == f"Hodnota smí být nejvýše {MAX_OFFSET}."
        assert error["message_en"] == f"The value must be at most {MAX_OFFSET}."


@pytest.mark.parametrize(("value", "code"), [("0", "greater_than_equal"), ("51", "less_than_equal")])
def test_a_limit_outside_one_to_its_maximum_is_refused(value: str, code: str) -> None:
    response = _client().get("/items", params={"limit": value})
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert (error["field"], error["code"]) == ("limit", code)


def test_the_openapi_document_states_the_bounds() -> None:
    schema = _client().get("/openapi.json").json()
    parameters = {p["name"]: p["schema"] for p in schema["paths"]["/items"]["get"]["parameters"]}
    assert (parameters["offset"]["minimum"], parameters["offset"]["maximum"]) == (0, MAX_OFFSET)
    assert (parameters["limit"]["minimum"], parameters["limit"]["maximum"]) == (1, 50)


def test_a_limit_must_allow_one_item() -> None:
    with pytest.raises(ValueError, match="at least one"):
        limit_query(0)
