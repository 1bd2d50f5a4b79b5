"""`kmb soak` drives cases through the five running services and finds nothing lost, doubled or
unreconciled on Kafka and in stats."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from kmb_cli.main import app
from kmb_testkit.system import System

pytestmark = [pytest.mark.kafka, pytest.mark.e2e]


def figures(output: str) -> dict[str, str]:
    """The rows of the printed table: label -> value."""
    rows = (re.split(r"\s{2,}", line.strip()) for line in output.splitlines() if line.startswith("  "))
    return {row[0]: row[-1] for row in rows if len(row) >= 2}


def test_a_soak_of_twenty_cases_loses_doubles_and_leaves_unreconciled_nothing(system: System) -> None:
    result = CliRunner().invoke(app, ["soak", "--cases", "20", "--concurrency", "4"], env=system.env)
    table = figures(result.stdout)
    assert table["cases driven"] == "20", result.output
    assert table["flows completed"] == "20", result.output
    assert table["lost (expected event missing)"] == "0", result.output
    assert table["doubled (same event, another id)"] == "0", result.output
    assert table["unreconciled (HTTP failures)"] == "0", result.output
    assert float(table["throughput"].split()[0]) > 0
    assert result.exit_code == 0, result.output
