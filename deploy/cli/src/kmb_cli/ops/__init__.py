"""Operator commands of issue 5: audit of a case from Kafka, the dead-letter inspector, synthetic demo
data through the real APIs, and the benchmark. ``register(app)`` adds them to the ``kmb`` command."""

from __future__ import annotations

import typer

from .commands import audit_app, dlq_app


def register(app: typer.Typer) -> None:
    """Add ``audit``, ``dlq``, ``demo-data`` and ``bench`` to the main ``kmb`` app."""
    from ..commands import (
        erasure,  # adds ``audit erasure``
        personal_data,  # noqa: F401  (adds ``audit scan-personal-data``)
    )
    from .bench_cli import bench
    from .demo_cli import demo_data

    app.add_typer(audit_app, name="audit")
    app.add_typer(dlq_app, name="dlq")
    app.add_typer(erasure.retention_app, name="retention")
    app.command("demo-data")(demo_data)
    app.command("bench")(bench)
