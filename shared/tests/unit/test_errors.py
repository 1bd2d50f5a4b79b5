from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import BaseModel, Field

from kmb_shared.errors import ConflictError, install_error_handlers


class Body(BaseModel):
    amount: int = Field(ge=0)
    name: str


def _app() -> FastAPI:
    app = FastAPI()
    install_error_handlers(app)

    @app.post("/x")
    def create(body: Body) -> dict[str, int]:
        if body.amount == 7:
            raise ConflictError("taken", "Už existuje.", "Already exists.")
        return {"amount": body.amount}

    return app


def test_validation_errors_name_the_field_in_czech_and_english() -> None:
    response = TestClient(_app()).post("/x", json={"amount": -5})
    assert response.status_code == 422
    detail = {d["field"]: d for d in response.json()["detail"]}
    assert detail["amount"]["message_cs"] == "Hodnota musí být alespoň 0."
    assert detail["amount"]["message_en"] == "The value must be at least 0."
    assert detail["name"]["code"] == "missing"
    assert detail["name"]["message_cs"] == "Povinný údaj chybí."


def test_conflicts_are_409_with_both_languages() -> None:
    response = TestClient(_app()).post("/x", json={"amount": 7, "name": "a"})
    assert response.status_code == 409
    assert response.json()["detail"] == {
        "code": "taken",
        "message_cs": "Už existuje.",
        "message_en": "Already exists.",
    }
