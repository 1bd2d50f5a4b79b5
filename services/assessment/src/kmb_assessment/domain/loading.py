"""Loading the rule sets from YAML and choosing the one in force on a date."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from functools import cache
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path

import yaml
from pydantic import ValidationError

from kmb_shared.formatting import format_date

from .rules import SUBSISTENCE_MINIMUM_VARIANTS, RuleSet

RULES_PACKAGE = "kmb_assessment.rules"


class RuleSetError(ValueError):
    """A rule file is unreadable or invalid, or no rule set is in force on a date."""


def _describe(source: str, error: ValidationError) -> str:
    problems = []
    for item in error.errors():
        loc = [str(part) for part in item["loc"]]
        # The subsistence-minimum union names its variant in the location; the file has no such key.
        if len(loc) > 2 and loc[0] == "subsistence_minimum" and loc[1] in SUBSISTENCE_MINIMUM_VARIANTS:
            del loc[1]
        field = ".".join(loc) or "(celý soubor)"
        problems.append(f"pole '{field}': {item['msg']}")
    joined = "; ".join(problems)
    return f"Chybná sada pravidel {source} (invalid rule set): {joined}"


def parse_rule_set(text: str, source: str = "<text>") -> RuleSet:
    """Parse and validate one rule set; raise RuleSetError naming the file and the field."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise RuleSetError(f"Sada pravidel {source} není platný YAML (not valid YAML): {exc}") from exc
    if not isinstance(data, dict):
        raise RuleSetError(f"Sada pravidel {source} musí být mapování (must be a mapping)")
    try:
        return RuleSet.model_validate(data)
    except ValidationError as exc:
        raise RuleSetError(_describe(source, exc)) from exc


def _yaml_files(directory: Path | Traversable) -> list[Path | Traversable]:
    files = [item for item in directory.iterdir() if item.is_file() and item.name.endswith(".yaml")]
    return sorted(files, key=lambda item: item.name)


def superseded_versions(rule_sets: Sequence[RuleSet]) -> frozenset[str]:
    """Versions that a later-published set replaces: loadable for citations, never chosen by date."""
    return frozenset(version for rule_set in rule_sets for version in rule_set.supersedes)


def _check_unique(rule_sets: Sequence[RuleSet]) -> None:
    versions = [rule_set.version for rule_set in rule_sets]
    replaced = superseded_versions(rule_sets)
    dates = [
        rule_set.effective_from.isoformat() for rule_set in rule_sets if rule_set.version not in replaced
    ]
    for label, values in (("version", versions), ("effective_from", dates)):
        duplicates = sorted({value for value in values if values.count(value) > 1})
        if duplicates:
            raise RuleSetError(f"Duplicitní {label} v sadách pravidel (duplicate {label}): {duplicates}")


def load_rule_sets(directory: Path | None = None) -> tuple[RuleSet, ...]:
    """All rule sets in ``directory`` (default: the packaged ones), oldest first.

    Every ``*.yaml`` file is one rule set. A malformed file raises RuleSetError.
    """
    if directory is None:
        return _packaged_rule_sets()
    return _load(_yaml_files(directory))


def _load(files: Iterable[Path | Traversable]) -> tuple[RuleSet, ...]:
    rule_sets = [parse_rule_set(item.read_text(encoding="utf-8"), item.name) for item in files]
    if not rule_sets:
        raise RuleSetError("Nenalezena žádná sada pravidel (no rule set found)")
    _check_unique(rule_sets)
    return tuple(sorted(rule_sets, key=lambda rule_set: (rule_set.effective_from, rule_set.version)))


@cache
def _packaged_rule_sets() -> tuple[RuleSet, ...]:
    return _load(_yaml_files(resources.files(RULES_PACKAGE)))


def rule_set_for(on: date, rule_sets: Sequence[RuleSet] | None = None) -> RuleSet:
    """The rule set in force on ``on``: the one with the latest effective_from not after it,
    leaving out sets that another set supersedes."""
    candidates = load_rule_sets() if rule_sets is None else rule_sets
    replaced = superseded_versions(candidates)
    in_force = [
        rule_set
        for rule_set in candidates
        if rule_set.effective_from <= on and rule_set.version not in replaced
    ]
    if not in_force:
        raise RuleSetError(
            f"Ke dni {format_date(on)} neplatí žádná sada pravidel (no rule set in force on {on.isoformat()})"
        )
    return max(in_force, key=lambda rule_set: rule_set.effective_from)
