"""Rule sets managed by a rules editor (správce pravidel): upload and check a new set, compare it with
the set in force value by value, preview its impact on every open case and register entry in the
background, and activate it.

Activation stores the set as active from its effective date (chosen by date from then on by every
copy of the service, see :meth:`RuleSetsPort.available`), publishes RuleSetActivated through the
outbox in the same transaction, and flags every case whose result would change for reassessment on
its worker's desk. No register entry is rewritten: a household's entry changes only when its worker
reassesses it.
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter, defaultdict
from collections.abc import Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, Protocol
from uuid import UUID, uuid4

from pydantic import BaseModel, ConfigDict, Field

from kmb_shared.contracts import HouseholdSnapshot, IntegrationEvent, RuleSetActivated
from kmb_shared.copying import same_fields
from kmb_shared.errors import ConflictError, NotFoundError
from kmb_shared.formatting import format_date, format_number

from ..adapters.impact_xlsx import Sheet, workbook
from ..adapters.ruleset_tables import (
    PreviewStatus,
    ReassessmentFlagRow,
    RuleSetPreviewItemRow,
    RuleSetPreviewRow,
    RuleSetUploadRow,
    UploadStatus,
)
from ..adapters.rulesets import PopulationRow, Target
from ..adapters.tables import as_utc
from ..domain import RuleSet, RuleSetError, assess, parse_rule_set, rule_set_for
from ..domain.ruleset_check import (
    CHANGE_CS,
    ENTERS,
    LEAVES,
    NEED_LEVEL,
    PRIORITY,
    Outcome,
    Problem,
    ValueRow,
    changes,
    check_rule_set,
    compare,
)
from ..domain.vocabulary import NEED_LEVEL_CS, NeedLevel
from .context import CommandContext
from .results import ETHOS_LIGHT_CS
from .survey import Survey

log = logging.getLogger(__name__)

#: assessments re-evaluated per database round trip
BATCH_SIZE = 500
#: a preview still "running" after this long was left by a copy of the service that stopped
ABANDONED_AFTER = timedelta(minutes=15)
FAILED = "failed"
NO_WORKER_CS = "neuveden"

# --- ports -----------------------------------------------------------------------------------------


class RuleSetStore(Protocol):
    def add(self, row: RuleSetUploadRow | RuleSetPreviewRow) -> None: ...

    async def get_upload(self, upload_id: UUID) -> RuleSetUploadRow | None: ...

    async def uploads(self) -> Sequence[RuleSetUploadRow]: ...

    async def activate(self, upload_id: UUID, values: dict[str, Any]) -> bool: ...

    async def get_preview(self, preview_id: UUID) -> RuleSetPreviewRow | None: ...

    async def latest_preview(self, upload_id: UUID) -> RuleSetPreviewRow | None: ...

    async def update_preview(self, preview_id: UUID, values: dict[str, Any]) -> None: ...

    async def add_items(self, rows: Sequence[dict[str, Any]]) -> None: ...

    async def preview_items(self, preview_id: UUID) -> Sequence[RuleSetPreviewItemRow]: ...

    async def population(self) -> list[Target]: ...

    async def population_rows(self, assessment_ids: Sequence[UUID]) -> list[PopulationRow]: ...

    async def submitted_since(self, moment: datetime) -> int:
        """How many assessments were submitted after ``moment``."""
        ...

    async def flagged_cases(self, version: str) -> set[UUID]: ...

    def add_flags(self, rows: Sequence[ReassessmentFlagRow]) -> None: ...

    async def open_flags(
        self, worker_id: str | None, limit: int, organisation: str | None = None
    ) -> Sequence[ReassessmentFlagRow]: ...


class RuleSetWork(Protocol):
    """One transaction: the store and the events staged in it."""

    @property
    def store(self) -> RuleSetStore: ...

    def stage(self, event: IntegrationEvent) -> str: ...

    async def commit(self) -> None: ...


class RuleSetsPort(Protocol):
    """Opens rule-set transactions; reads the rule sets in use (packaged + activated)."""

    def __call__(self) -> AbstractAsyncContextManager[RuleSetWork]: ...

    async def available(self) -> tuple[RuleSet, ...]: ...


class InvalidRuleSet(Exception):
    """An upload refused with every problem found (HTTP 422); nothing was stored."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        super().__init__("; ".join(f"{p.field}: {p.message_en}" for p in problems))
        self.problems = tuple(problems)


# --- views -----------------------------------------------------------------------------------------


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True)


class ProblemOut(_Out):
    field: str
    label: str = Field(description="Czech name of the field")
    code: str
    message_cs: str
    message_en: str


class UploadOut(_Out):
    id: UUID
    version: str
    effective_from: date
    title: str
    status: str = Field(description="draft or active")
    status_label: str
    uploaded_by: str
    uploaded_by_name: str | None = Field(description="Who uploaded it, by name (when signed in)")
    uploaded_at: datetime
    activated_by: str | None
    activated_by_name: str | None = Field(description="Who activated it, by name (when signed in)")
    activated_at: datetime | None

    @classmethod
    def of(cls, row: RuleSetUploadRow) -> UploadOut:
        return cls(**same_fields(row, cls, status_label=UPLOAD_STATUS_CS.get(row.status, row.status)))


class ValueRowOut(_Out):
    path: str
    label: str = Field(description="Czech name of the value")
    current: str = Field(description="The value in the set in force, Czech formatting ('–': none)")
    proposed: str
    changed: bool
    source: str | None = Field(description="Source of the proposed value")


class WorkerImpactOut(_Out):
    worker_id: str | None
    worker_label: str
    enters: int
    leaves: int
    need_level_changes: int
    priority_changes: int
    failed: int
    cases: int


class PreviewOut(_Out):
    id: UUID
    status: str
    status_label: str
    total: int
    processed: int
    enters: int
    leaves: int
    need_level_changes: int
    priority_changes: int
    failed: int
    started_by: str
    started_at: datetime
    finished_at: datetime | None
    error: str | None
    by_worker: tuple[WorkerImpactOut, ...] = ()

    @property
    def finished(self) -> bool:
        return self.status == PreviewStatus.FINISHED.value


class ImpactItemOut(_Out):
    case_id: UUID
    case_number: str
    assessment_id: UUID
    worker_id: str | None
    in_register: bool
    changes: tuple[str, ...]
    changes_cs: tuple[str, ...]
    need_level_before: str
    need_level_before_cs: str
    need_level_after: str | None
    need_level_after_cs: str | None
    qualifies_before: bool
    qualifies_after: bool | None
    priority_before: int
    priority_after: int | None

    @classmethod
    def of(cls, row: RuleSetPreviewItemRow | ReassessmentFlagRow, in_register: bool = False) -> ImpactItemOut:
        codes = tuple(code for code in row.changes.split(",") if code)
        after = row.need_level_after
        return cls(
            **same_fields(
                row,
                cls,
                in_register=getattr(row, "in_register", in_register),
                changes=codes,
                changes_cs=tuple(CHANGES_CS.get(code, code) for code in codes),
                need_level_before_cs=need_level_cs(row.need_level_before),
                need_level_after_cs=None if after is None else need_level_cs(after),
            )
        )


class DraftOut(_Out):
    upload: UploadOut
    in_force: str | None = Field(description="Version of the set in force today")
    in_force_title: str | None
    comparison: tuple[ValueRowOut, ...]
    changed: int = Field(description="How many values differ from the set in force")
    preview: PreviewOut | None


class FlagOut(_Out):
    case_id: UUID
    case_number: str
    assessment_id: UUID
    worker_id: str | None
    rule_set_version: str
    effective_from: date
    flagged_at: datetime
    changes: tuple[str, ...]
    changes_cs: tuple[str, ...]
    summary_cs: str = Field(description="What would change, Czech")


class ActivationOut(_Out):
    upload: UploadOut
    event_id: str
    flagged: int


UPLOAD_STATUS_CS = {UploadStatus.DRAFT.value: "návrh", UploadStatus.ACTIVE.value: "aktivována"}
PREVIEW_STATUS_CS = {
    PreviewStatus.RUNNING.value: "probíhá",
    PreviewStatus.FINISHED.value: "dokončen",
    PreviewStatus.FAILED.value: "selhal",
}
CHANGES_CS = {**CHANGE_CS, FAILED: "nelze přepočítat (uložené šetření neodpovídá pravidlům)"}
CATEGORIES_CS = {
    "further_adult": "první a další dospělá osoba (kategorie do 30. 6. 2026)",
    "further_person_15_plus": "první osoba a další osoby od 15 let (kategorie od 1. 7. 2026)",
}


def need_level_cs(code: str) -> str:
    try:
        return NEED_LEVEL_CS[NeedLevel(code)]
    except ValueError:
        return "neznámá úroveň"


# --- formatting of rule-set values -----------------------------------------------------------------


def _number(value: Decimal | int | float) -> str:
    """A rule-set value with all its decimals ("1,43", "14 100")."""
    places = max(-int(Decimal(str(value)).normalize().as_tuple().exponent), 0)
    return format_number(value, places)


def value_cs(path: str, value: object, rule_sets: Sequence[RuleSet | None] = ()) -> str:
    """A rule-set value as the rules editor reads it: Czech numbers, dates, yes/no, names for codes."""
    from ..domain.ruleset_check import field_label

    if value is None:
        return "–"
    if isinstance(value, bool):
        return "ano" if value else "ne"
    if isinstance(value, (int, Decimal, float)):
        return _number(value)
    if isinstance(value, date):
        return format_date(value)
    leaf = path.rsplit(".", 1)[-1]
    if path == "subsistence_minimum.categories":
        return CATEGORIES_CS.get(str(value), "neznámé kategorie")
    if leaf == "light":
        for light, text in ETHOS_LIGHT_CS.items():
            if light.value == str(value):
                return text
        return "neznámá kategorie"
    if isinstance(value, tuple):
        if not value:
            return "–"
        if path == "unconfirmed":
            return "; ".join(field_label(str(item), *rule_sets) for item in value)
        if path == "supersedes":
            return ", ".join(str(item) for item in value)
        if all(isinstance(item, BaseModel) for item in value):  # overlaps
            return "; ".join(str(getattr(item, "reason", "")) for item in value)
        return ", ".join(str(item) for item in value)
    if isinstance(value, BaseModel):
        return str(getattr(value, "reason", ""))
    return str(value)


def comparison_rows(current: RuleSet | None, proposed: RuleSet) -> list[ValueRowOut]:
    rows: list[ValueRow] = compare(current, proposed)
    sets = (proposed, current)
    return [
        ValueRowOut(
            path=row.path,
            label=row.label,
            current=value_cs(row.path, row.current, sets) if current is not None else "–",
            proposed=value_cs(row.path, row.proposed, sets),
            changed=row.changed,
            source=row.source,
        )
        for row in rows
    ]


def problems_out(problems: Sequence[Problem], rules: RuleSet | None = None) -> list[ProblemOut]:
    from ..domain.ruleset_check import field_label

    return [
        ProblemOut(
            field=p.field,
            label="Celý soubor" if p.field == "(soubor)" else field_label(p.field, rules),
            code=p.code,
            message_cs=p.message_cs,
            message_en=p.message_en,
        )
        for p in problems
    ]


# --- upload, list, detail --------------------------------------------------------------------------


def _in_force(today: date, rule_sets: Sequence[RuleSet]) -> RuleSet | None:
    try:
        return rule_set_for(today, rule_sets)
    except RuleSetError:
        return None


def draft_upload(rules: RuleSet, text: str, uploaded_by: str, **recorded: Any) -> RuleSetUploadRow:
    """The stored draft of a checked rule set: its version, day and title, and ``text`` as uploaded
    (``recorded``: the uploader's name and time, where known)."""
    return RuleSetUploadRow(
        version=rules.version,
        effective_from=rules.effective_from,
        title=rules.title,
        source_yaml=text,
        status=UploadStatus.DRAFT.value,
        uploaded_by=uploaded_by,
        **recorded,
    )


async def upload(port: RuleSetsPort, text: str, ctx: CommandContext) -> UploadOut:
    """Check an uploaded rule set; store it as a draft when it passes, else raise InvalidRuleSet
    (nothing stored)."""
    known = await port.available()
    outcome = check_rule_set(text, today=ctx.today, known=known, in_force=_in_force(ctx.today, known))
    if outcome.problems or outcome.rule_set is None:
        raise InvalidRuleSet(outcome.problems)
    row = draft_upload(
        outcome.rule_set,
        text,
        ctx.actor.user_id,
        uploaded_by_name=ctx.actor_name or None,
        uploaded_at=ctx.now,
    )
    async with port() as work:
        work.store.add(row)
        await work.commit()
    return UploadOut.of(row)


async def uploads(port: RuleSetsPort) -> list[UploadOut]:
    async with port() as work:
        return [UploadOut.of(row) for row in await work.store.uploads()]


async def _upload_row(work: RuleSetWork, upload_id: UUID) -> RuleSetUploadRow:
    row = await work.store.get_upload(upload_id)
    if row is None:
        raise NotFoundError("Sada pravidel", "Rule set")
    return row


def _rules_of(row: RuleSetUploadRow) -> RuleSet:
    return parse_rule_set(row.source_yaml, f"upload {row.version}")


async def draft(port: RuleSetsPort, upload_id: UUID, today: date) -> DraftOut:
    """An uploaded set beside the set in force today, value by value, with its latest preview."""
    available = await port.available()
    async with port() as work:
        row = await _upload_row(work, upload_id)
        preview = await _preview_out(work, upload_id)
    proposed = _rules_of(row)
    others = [rules for rules in available if rules.version != row.version or row.status != "active"]
    current = _in_force(today, others)
    rows = comparison_rows(current, proposed)
    return DraftOut(
        upload=UploadOut.of(row),
        in_force=None if current is None else current.version,
        in_force_title=None if current is None else current.title,
        comparison=tuple(rows),
        changed=sum(1 for value in rows if value.changed),
        preview=preview,
    )


# --- the impact preview ----------------------------------------------------------------------------


def _by_worker(items: Sequence[RuleSetPreviewItemRow]) -> tuple[WorkerImpactOut, ...]:
    counts: dict[str | None, Counter[str]] = defaultdict(Counter)
    for item in items:
        tally = counts[item.worker_id]
        tally["cases"] += 1
        for code in item.changes.split(","):
            tally[code] += 1
    return tuple(
        WorkerImpactOut(
            worker_id=worker,
            worker_label=worker or NO_WORKER_CS,
            enters=tally[ENTERS],
            leaves=tally[LEAVES],
            need_level_changes=tally[NEED_LEVEL],
            priority_changes=tally[PRIORITY],
            failed=tally[FAILED],
            cases=tally["cases"],
        )
        for worker, tally in sorted(counts.items(), key=lambda pair: pair[0] or "")
    )


def _preview(row: RuleSetPreviewRow, items: Sequence[RuleSetPreviewItemRow] = ()) -> PreviewOut:
    label = PREVIEW_STATUS_CS.get(row.status, row.status)
    return PreviewOut(**same_fields(row, PreviewOut, status_label=label, by_worker=_by_worker(items)))


async def _preview_out(work: RuleSetWork, upload_id: UUID) -> PreviewOut | None:
    row = await work.store.latest_preview(upload_id)
    if row is None:
        return None
    items = await work.store.preview_items(row.id) if row.status == PreviewStatus.FINISHED.value else ()
    return _preview(row, items)


async def preview_of(port: RuleSetsPort, upload_id: UUID) -> PreviewOut | None:
    async with port() as work:
        await _upload_row(work, upload_id)
        return await _preview_out(work, upload_id)


async def impact_items(port: RuleSetsPort, upload_id: UUID) -> list[ImpactItemOut]:
    """The cases whose result would change under the draft (latest preview), by worker and case."""
    async with port() as work:
        await _upload_row(work, upload_id)
        preview = await work.store.latest_preview(upload_id)
        if preview is None:
            return []
        return [ImpactItemOut.of(item) for item in await work.store.preview_items(preview.id)]


#: running previews (kept referenced until done)
_RUNNING: set[asyncio.Task[None]] = set()


async def start_preview(port: RuleSetsPort, upload_id: UUID, ctx: CommandContext) -> PreviewOut:
    """Start the impact preview of a draft in the background; its progress is in the database."""
    async with port() as work:
        row = await _upload_row(work, upload_id)
        if row.status != UploadStatus.DRAFT.value:
            raise ConflictError(
                "not_a_draft",
                "Sada pravidel už byla aktivována; náhled dopadu se počítá jen pro návrh.",
                "The rule set is already active; a preview is only for a draft.",
            )
        running = await work.store.latest_preview(upload_id)
        if (
            running is not None
            and running.status == PreviewStatus.RUNNING.value
            and ctx.now - as_utc(running.started_at) < ABANDONED_AFTER
        ):
            return _preview(running)  # one preview at a time (one left by a stopped copy is restarted)
        preview = RuleSetPreviewRow(
            upload_id=upload_id,
            status=PreviewStatus.RUNNING.value,
            started_by=ctx.actor.user_id,
            started_at=ctx.now,
        )
        work.store.add(preview)
        await work.commit()
    rules = _rules_of(row)
    task = asyncio.create_task(run_preview(port, preview.id, rules), name=f"rule-set-preview-{preview.id}")
    _RUNNING.add(task)
    task.add_done_callback(_RUNNING.discard)
    return _preview(preview)


def evaluate(
    row: PopulationRow, rules: RuleSet, preview_id: UUID, in_register: bool
) -> dict[str, Any] | None:
    """The stored assessment re-evaluated under ``rules``: the values of a preview item (a row of
    ``rule_set_preview_item``) when its result would change or cannot be computed, None when it stays
    the same. Plain values, so a batch is written in one statement."""
    before = Outcome(
        qualifies=bool(row.qualifies), need_level=row.need_level or "", priority=row.priority or 0
    )
    item: dict[str, Any] = {
        "id": uuid4(),
        "preview_id": preview_id,
        "case_id": row.case_id,
        "case_number": row.case_number,
        "assessment_id": row.assessment_id,
        "worker_id": row.worker_id,
        "in_register": in_register,
        "changes": FAILED,
        "need_level_before": before.need_level,
        "need_level_after": None,
        "qualifies_before": before.qualifies,
        "qualifies_after": None,
        "priority_before": before.priority,
        "priority_after": None,
    }
    try:
        if row.survey is None:
            raise ValueError("no survey")
        survey = Survey.model_validate_json(row.survey)
        household = HouseholdSnapshot.model_validate_json(row.household)
        assert survey.surveyed_on is not None
        result = assess(household, survey.findings(survey.surveyed_on), rules)
    except Exception:  # a stored survey the proposed set cannot read: listed, never hidden
        log.info("preview: assessment %s cannot be evaluated under %s", row.assessment_id, rules.version)
        return item
    after = Outcome(
        qualifies=result.qualifies_for_register,
        need_level=result.need_level.value,
        priority=result.priority_score,
    )
    kinds = changes(before, after)
    if not kinds:
        return None
    item.update(
        changes=",".join(kinds),
        need_level_after=after.need_level,
        qualifies_after=after.qualifies,
        priority_after=after.priority,
    )
    return item


def _evaluate_batch(
    rows: Sequence[PopulationRow], rules: RuleSet, preview_id: UUID, registered: set[UUID]
) -> list[dict[str, Any]]:
    out = []
    for row in rows:
        item = evaluate(row, rules, preview_id, row.assessment_id in registered)
        if item is not None:
            out.append(item)
    return out


async def run_preview(
    port: RuleSetsPort, preview_id: UUID, rules: RuleSet, batch_size: int = BATCH_SIZE
) -> None:
    """Re-evaluate the latest assessment of every open case and register entry under ``rules``, in
    batches (one read and one write per batch; never a query per case), storing the progress and the
    changed cases."""
    counts: Counter[str] = Counter()
    processed = 0
    try:
        async with port() as work:
            targets = await work.store.population()
            await work.store.update_preview(preview_id, {"total": len(targets)})
            await work.commit()
        registered = {target.assessment_id for target in targets if target.in_register}
        batches = [
            [target.assessment_id for target in targets[start : start + batch_size]]
            for start in range(0, len(targets), batch_size)
        ]
        for ids in batches:
            async with port() as work:
                rows = await work.store.population_rows(ids)
            # in a thread, so the event loop keeps serving requests meanwhile
            items = await asyncio.to_thread(
                _evaluate_batch, rows, rules, preview_id, registered.intersection(ids)
            )
            for item in items:
                counts.update(str(item["changes"]).split(","))
            processed += len(ids)
            async with port() as work:
                await work.store.add_items(items)
                await work.store.update_preview(preview_id, {"processed": processed, **_counts(counts)})
                await work.commit()
        async with port() as work:
            values = {"status": PreviewStatus.FINISHED.value, "finished_at": _now(), **_counts(counts)}
            await work.store.update_preview(preview_id, values)
            await work.commit()
    except Exception as exc:
        log.exception("rule-set preview %s failed", preview_id)
        async with port() as work:
            values = {
                "status": PreviewStatus.FAILED.value,
                "finished_at": _now(),
                "error": f"Náhled dopadu se nepodařilo dokončit ({type(exc).__name__}). Spusťte ho znovu.",
            }
            await work.store.update_preview(preview_id, values)
            await work.commit()


def _now() -> datetime:
    from datetime import UTC

    return datetime.now(UTC)


def _counts(counts: Counter[str]) -> dict[str, int]:
    return {
        "enters": counts[ENTERS],
        "leaves": counts[LEAVES],
        "need_level_changes": counts[NEED_LEVEL],
        "priority_changes": counts[PRIORITY],
        "failed": counts[FAILED],
    }


def _yes_no(value: bool | None) -> str:
    return "–" if value is None else ("ano" if value else "ne")


async def impact_xlsx(port: RuleSetsPort, upload_id: UUID) -> tuple[str, bytes]:
    """The latest finished preview of a draft as an XLSX workbook (file name, bytes): a summary, the
    counts per worker and every case whose result would change, Czech headings, no codes."""
    async with port() as work:
        upload_row = await _upload_row(work, upload_id)
        preview = await _preview_out(work, upload_id)
        if preview is None or not preview.finished:
            raise ConflictError(
                "preview_not_finished",
                "Náhled dopadu ještě není dokončen.",
                "The impact preview is not finished yet.",
            )
        items = [ImpactItemOut.of(item) for item in await work.store.preview_items(preview.id)]
    summary = Sheet(
        "Souhrn",
        ["Údaj", "Hodnota"],
        [
            ["Sada pravidel", upload_row.version],
            ["Název", upload_row.title],
            ["Účinnost od", value_cs("effective_from", upload_row.effective_from)],
            ["Přepočítáno případů", preview.total],
            ["Nově by splnili podmínky zápisu do evidence", preview.enters],
            ["Přestali by splňovat podmínky zápisu", preview.leaves],
            ["Změna úrovně bytové nouze", preview.need_level_changes],
            ["Změna bodů priority", preview.priority_changes],
            ["Nelze přepočítat", preview.failed],
        ],
    )
    workers = Sheet(
        "Podle pracovníků",
        [
            "Pracovník",
            "Případů se změnou",
            "Nově do evidence",
            "Z evidence",
            "Změna úrovně nouze",
            "Změna priority",
            "Nelze přepočítat",
        ],
        [
            [w.worker_label, w.cases, w.enters, w.leaves, w.need_level_changes, w.priority_changes, w.failed]
            for w in preview.by_worker
        ],
    )
    cases = Sheet(
        "Případy",
        [
            "Pracovník",
            "Případ",
            "V evidenci",
            "Co se změní",
            "Úroveň nouze nyní",
            "Úroveň nouze podle návrhu",
            "Splňuje podmínky zápisu nyní",
            "Podle návrhu",
            "Body priority nyní",
            "Body priority podle návrhu",
        ],
        [
            [
                item.worker_id or NO_WORKER_CS,
                item.case_number,
                _yes_no(item.in_register),
                "; ".join(item.changes_cs),
                item.need_level_before_cs,
                item.need_level_after_cs or "–",
                _yes_no(item.qualifies_before),
                _yes_no(item.qualifies_after),
                item.priority_before,
                item.priority_after,
            ]
            for item in items
        ],
    )
    name = f"dopad-pravidel-{upload_row.version}.xlsx"
    # a workbook of every changed case of the installation takes seconds: off the event loop, so the
    # service's consumer and health checks are not held up meanwhile (issue 13 item 1)
    return name, await asyncio.to_thread(workbook, [summary, workers, cases])


# --- activation ------------------------------------------------------------------------------------


def _refused(code: str, cs: str, en: str) -> ConflictError:
    return ConflictError(code, cs, en)


async def activate(port: RuleSetsPort, upload_id: UUID, ctx: CommandContext) -> ActivationOut:
    """Activate a draft after its finished preview: active from its effective date, RuleSetActivated
    staged in the same transaction, every case whose result would change flagged for reassessment.
    The register is not touched."""
    available = await port.available()
    async with port() as work:
        row = await _upload_row(work, upload_id)
        if row.status != UploadStatus.DRAFT.value:
            raise _refused(
                "already_active", "Sada pravidel už je aktivována.", "The rule set is already active."
            )
        preview = await work.store.latest_preview(upload_id)
        if preview is None or preview.status != PreviewStatus.FINISHED.value:
            raise _refused(
                "preview_required",
                "Před aktivací spusťte náhled dopadu a počkejte na jeho dokončení.",
                "Run the impact preview and let it finish before activating.",
            )
        # A preview that no longer describes the population (assessments submitted since it started,
        # cases closed or reopened since) would flag the wrong cases: the editor runs it again.
        population = await work.store.population()
        if await work.store.submitted_since(as_utc(preview.started_at)) or len(population) != preview.total:
            raise _refused(
                "preview_stale",
                "Od spuštění náhledu dopadu přibyla nebo se změnila posouzení; spusťte náhled znovu,"
                " aby se k přehodnocení označily správné případy.",
                "Assessments were submitted or changed since the impact preview started; run it again"
                " so that the right cases are flagged for reassessment.",
            )
        rules = _rules_of(row)
        known = [known_set for known_set in available if known_set.version != rules.version]
        outcome = check_rule_set(
            row.source_yaml, today=ctx.today, known=known, in_force=_in_force(ctx.today, known)
        )
        if any(known_set.version == rules.version for known_set in available):
            outcome_problems = (
                *outcome.problems,
                Problem(
                    "version",
                    "inconsistent",
                    f"Verze {rules.version} už je v užívání.",
                    f"Version {rules.version} is already in use.",
                ),
            )
        else:
            outcome_problems = outcome.problems
        if outcome_problems:
            raise InvalidRuleSet(outcome_problems)
        items = await work.store.preview_items(preview.id)
        already = await work.store.flagged_cases(rules.version)
        flags = [
            ReassessmentFlagRow(
                # the flag gets its own id; the case, assessment and changes are the preview's
                **same_fields(item, ReassessmentFlagRow, exclude=("id",)),
                rule_set_version=rules.version,
                effective_from=rules.effective_from,
                flagged_at=ctx.now,
            )
            for item in items
            if item.case_id not in already
        ]
        event = RuleSetActivated(
            version=rules.version,
            effective_from=rules.effective_from,
            supersedes=rules.supersedes,
            upload_id=row.id,
            preview_id=preview.id,
            cases_evaluated=preview.total,
            would_enter_register=preview.enters,
            would_leave_register=preview.leaves,
            need_level_changes=preview.need_level_changes,
            priority_changes=preview.priority_changes,
            flagged_for_reassessment=len(flags),
            actor=ctx.actor,
            caused_by=ctx.caused_by,
            occurred_at=ctx.now,
        )
        event_id = work.stage(event)
        values = {
            "status": UploadStatus.ACTIVE.value,
            "activated_by": ctx.actor.user_id,
            "activated_by_name": ctx.actor_name or None,
            "activated_at": ctx.now,
            "activated_preview_id": preview.id,
            "activated_event_id": event_id,
        }
        if not await work.store.activate(upload_id, values):
            raise _refused(
                "already_active", "Sada pravidel už je aktivována.", "The rule set is already active."
            )
        work.store.add_flags(flags)
        await work.commit()
        activated = await _upload_row(work, upload_id)
    return ActivationOut(upload=UploadOut.of(activated), event_id=event_id, flagged=len(flags))


# --- the worker's desk -----------------------------------------------------------------------------


def _summary(flag: ReassessmentFlagRow) -> str:
    parts = []
    if ENTERS in flag.changes or LEAVES in flag.changes:
        parts.append(
            f"podmínky zápisu do evidence: {_yes_no(flag.qualifies_before)} → {_yes_no(flag.qualifies_after)}"
        )
    if NEED_LEVEL in flag.changes and flag.need_level_after is not None:
        parts.append(
            f"úroveň bytové nouze: {need_level_cs(flag.need_level_before)} → {need_level_cs(flag.need_level_after)}"
        )
    if PRIORITY in flag.changes:
        parts.append(f"body priority: {flag.priority_before} → {flag.priority_after}")
    if FAILED in flag.changes:
        parts.append(CHANGES_CS[FAILED])
    when = value_cs("effective_from", flag.effective_from)
    return f"Podle sady pravidel {flag.rule_set_version} (od {when}): " + "; ".join(parts) + "."


async def reassessments(
    port: RuleSetsPort, worker_id: str | None, limit: int = 200, *, organisation: str | None = None
) -> list[FlagOut]:
    """Cases flagged for reassessment by an activated rule set and not reassessed since; with
    ``organisation`` only that organisation's cases (a worker's desk), else every case (the rules
    editor, whose rule set is the whole installation's)."""
    async with port() as work:
        flags = await work.store.open_flags(worker_id, limit, organisation)
    out = []
    for flag in flags:
        codes = tuple(code for code in flag.changes.split(",") if code)
        out.append(
            FlagOut(
                **same_fields(
                    flag,
                    FlagOut,
                    changes=codes,
                    changes_cs=tuple(CHANGES_CS.get(code, code) for code in codes),
                    summary_cs=_summary(flag),
                )
            )
        )
    return out


@dataclass(frozen=True)
class PackagedRuleSets:
    """The rule sets shipped with the service only (for callers without a database)."""

    async def available(self) -> tuple[RuleSet, ...]:
        from ..domain import load_rule_sets

        return load_rule_sets()
