"""`kmb audit case` names an erasure in Czech with its reason's label (issue 14)."""

from __future__ import annotations

from kmb_cli.ops.summaries import summarize

ERASED = "kmb.intake.personal_data_erased.v1"


def test_an_erasure_is_summarised_with_its_reason() -> None:
    assert summarize(ERASED, {"reason": "retention"}) == (
        "Osobní údaje celého případu vymazány (uplynutí skartační lhůty)"
    )
    assert summarize(ERASED, {"reason": "consent_withdrawn", "member_position": 0}) == (
        "Osobní údaje člena domácnosti vymazány (odvolání souhlasu)"
    )
