"""`kmb audit scan-personal-data`: read every topic from the beginning and report any personal data."""

from __future__ import annotations

import asyncio
import json
from typing import Annotated

import typer

from ..ops.commands import audit_app, fail
from ..ops.kafka_io import bootstrap
from ..ops.personal_data import KINDS, Finding, PersonalValue, Scanner, intake_values


async def scan_topics(
    bootstrap_servers: str,
    values: list[PersonalValue],
    *,
    patterns: bool = True,
    allowed: tuple[str, ...] = (),
    prefix: str = "",
) -> tuple[int, list[Finding]]:
    """Every record of every topic (internal ones aside; with ``prefix`` only those it starts), from
    offset 0 to the end offsets seen at the start: (records read, findings)."""
    from kmb_shared.replay import read_to_end

    from ..infra.kafka import list_topics
    from ..ops.kafka_io import Record

    names = [t for t in await list_topics(bootstrap_servers) if t.startswith(prefix)]
    scanner = Scanner(values, patterns=patterns, allowed=allowed)
    read, findings = 0, []
    async for records, _ in read_to_end(bootstrap_servers, names, batch_size=1000):
        read += len(records)
        findings.extend(scanner.scan_all(Record.of(raw) for raw in records))
    return read, findings


def _values(pairs: list[str]) -> list[PersonalValue]:
    values = []
    for pair in pairs:
        kind, sep, value = pair.partition("=")
        if not sep or kind not in KINDS or not value.strip():
            fail(f"hodnota „{pair}“ má mít tvar DRUH=HODNOTA, kde DRUH je jedno z: {', '.join(KINDS)}")
        values.append(PersonalValue(kind, value))
    return values


def _contact_point_lines() -> tuple[str, ...]:
    """The contact point's own phone and e-mail (partner messages name them on purpose)."""
    from .. import services as svc

    settings = svc.settings_class("referrals")()
    return tuple(
        v
        for v in (
            getattr(settings, "contact_point_phone", None),
            getattr(settings, "contact_point_email", None),
        )
        if v
    )


@audit_app.command("scan-personal-data")
def scan_personal_data(
    value: Annotated[
        list[str] | None,
        typer.Option(
            "--value",
            help="A value to look for, KIND=VALUE (name, birth_number, phone, email, address); repeatable",
        ),
    ] = None,
    from_intake: Annotated[
        str | None,
        typer.Option(
            "--from-intake",
            help="Also every name, birth number, phone, e-mail and street in intake's database at this URL",
        ),
    ] = None,
    patterns: Annotated[
        bool,
        typer.Option(
            "--patterns/--no-patterns", help="Also look for anything like a birth number, phone or e-mail"
        ),
    ] = True,
    allow: Annotated[
        list[str] | None,
        typer.Option("--allow", help="A phone or e-mail that is not personal data (the contact point's own)"),
    ] = None,
    prefix: Annotated[str, typer.Option("--prefix", help="Only topics whose names start with this")] = "",
    as_json: Annotated[bool, typer.Option("--json", help="One JSON line per finding")] = False,
) -> None:
    """Read every topic from the beginning and report personal data: the values entered (given with
    --value or read with --from-intake) and, unless --no-patterns, anything like a birth number, phone or
    e-mail (the contact point's own line and mailbox from the settings, and --allow, excepted). Findings
    are masked; exit status 1 when anything is found."""
    values = _values(value or [])
    if from_intake:
        try:
            values += asyncio.run(intake_values(from_intake))
        except Exception as exc:
            fail(f"databázi kontaktního místa nelze přečíst: {exc}")
    allowed = (*_contact_point_lines(), *(allow or []))
    try:
        read, findings = asyncio.run(
            scan_topics(bootstrap(), values, patterns=patterns, allowed=allowed, prefix=prefix)
        )
    except Exception as exc:  # broker down or unreachable: say so plainly
        fail(f"Kafka na {bootstrap()} není dostupná: {exc}")
        raise
    if as_json:
        for finding in findings:
            typer.echo(json.dumps(finding.as_json(), ensure_ascii=False))
    else:
        typer.echo(f"Prohledáno zpráv: {read}, hledaných hodnot: {len(values)}.")
        for finding in findings:
            typer.echo(finding.line_cs())
        typer.echo("Žádné osobní údaje nenalezeny." if not findings else f"Nálezů: {len(findings)}.")
    if findings:
        raise typer.Exit(1)
