"""`kmb status` shows each service's figures as its /metrics has them (issue 16, operators can see it).

Each "service" here is a small HTTP server on the port `kmb status` looks at, answering /healthz, /readyz
and a /metrics text written by hand in Prometheus' format."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kmb_cli.main import app

SERVICES = ("intake", "assessment", "catalogue", "referrals", "stats")


def exposition(n: int) -> str:
    """Service number ``n``: two partitions behind by n and 2n, n unsent rows, the oldest 1.5n s old,
    n - 1 dead letters of its own, 10n records on the dead-letter topic."""
    return (
        "# HELP kmb_consumer_lag Records behind\n# TYPE kmb_consumer_lag gauge\n"
        f'kmb_consumer_lag{{partition="0",topic="kmb.intake"}} {n}.0\n'
        f'kmb_consumer_lag{{partition="1",topic="kmb.intake"}} {2 * n}.0\n'
        "# HELP kmb_outbox_backlog Unsent\n# TYPE kmb_outbox_backlog gauge\n"
        f"kmb_outbox_backlog {n}.0\n"
        "# HELP kmb_outbox_oldest_unsent_age_seconds Age\n# TYPE kmb_outbox_oldest_unsent_age_seconds gauge\n"
        f"kmb_outbox_oldest_unsent_age_seconds {1.5 * n}\n"
        "# HELP kmb_dead_lettered Dead letters\n# TYPE kmb_dead_lettered counter\n"
        f"kmb_dead_lettered_total {n - 1}.0\n"
        "# HELP kmb_dlq_topic_records On the topic\n# TYPE kmb_dlq_topic_records gauge\n"
        f"kmb_dlq_topic_records {10 * n}.0\n"
    )


def serve(text: str, refusal: str | None = None) -> ThreadingHTTPServer:
    """A service answering /metrics with ``text``; with ``refusal``, /readyz is its 503 naming it."""
    not_ready = {"ready": False, "checks": {"database": "ok", "kafka": f"error: {refusal}"}}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = text.encode() if self.path == "/metrics" else b'{"status": "ok"}'
            status = 200
            if refusal and self.path == "/readyz":
                body, status = json.dumps(not_ready).encode(), 503
            self.send_response(status)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


#: what /readyz of a service the broker refuses says (kmb_shared.service)
REFUSAL = "Kafka na 127.0.0.1:9092 odmítá přihlášení kmb-stats ([Error 58] SaslAuthenticationFailed: …)"


@pytest.fixture
def five() -> Iterator[dict[str, str]]:
    """The five services; stats is refused by the broker (wrong password)."""
    servers = [serve(exposition(n), REFUSAL if n == 5 else None) for n in range(1, len(SERVICES) + 1)]
    try:
        yield {
            f"KMB_{name.upper()}_PORT": str(s.server_address[1])
            for name, s in zip(SERVICES, servers, strict=True)
        }
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()


def test_status_shows_lag_outbox_and_dead_letters_from_metrics(five: dict[str, str], tmp_path: Path) -> None:
    env = {**five, "KMB_VAR_DIR": str(tmp_path), "KMB_KAFKA_BOOTSTRAP": "127.0.0.1:1"}
    result = CliRunner().invoke(app, ["status", "--json"], env=env)
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert [
        (
            r["service"],
            r["lag"],
            r["outbox_backlog"],
            r["outbox_oldest_age_s"],
            r["dead_lettered"],
            r["dlq_topic_records"],
        )
        for r in rows
    ] == [(name, 3 * n, n, 1.5 * n, n - 1, 10 * n) for n, name in enumerate(SERVICES, start=1)]
    assert rows[1]["lag_partitions"] == {"kmb.intake[0]": 2, "kmb.intake[1]": 4}
    assert {r["lag_source"] for r in rows} == {"metrics"}

    table = CliRunner().invoke(app, ["status"], env=env)
    assert table.exit_code == 0, table.output
    line = next(line for line in table.stdout.splitlines() if line.startswith("referrals"))
    assert line.split()[:8] == ["referrals", "yes", "yes", "12", "4", "6.0s", "3", "40"]
    # the service the broker refuses: not ready, and the reason under the table, once
    assert next(line for line in table.stdout.splitlines() if line.startswith("stats ")).split()[:3] == [
        "stats",
        "yes",
        "no",
    ]
    assert [line for line in table.stdout.splitlines() if "odmítá" in line] == [f"stats: {REFUSAL}"]
