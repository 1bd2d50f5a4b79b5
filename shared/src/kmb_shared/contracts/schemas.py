"""JSON Schemas of the event contracts, and the compatibility rule they are held to.

The released schemas live beside this module (``schemas/<type>.json``). Within a type string only
optional fields may be added; removing a field, changing its type or making a field required needs a
new version (``.v<N+1>``) with an upcaster. ``kmb contracts export`` writes the current schemas.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .registry import event_types

SCHEMA_DIR = Path(__file__).parent / "schemas"
_IGNORED = {"description", "title", "default", "examples"}


def schema_of(type_string: str) -> dict[str, Any]:
    return event_types()[type_string].model_json_schema(mode="validation")


def export(directory: Path = SCHEMA_DIR) -> list[Path]:
    """Write one JSON Schema file per registered event type; returns the paths written."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for type_string in sorted(event_types()):
        path = directory / f"{type_string}.json"
        schema = {"$id": f"urn:kmb:event:{type_string}", **schema_of(type_string)}
        path.write_text(
            json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8"
        )
        written.append(path)
    return written


def released(directory: Path = SCHEMA_DIR) -> dict[str, dict[str, Any]]:
    return {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted(directory.glob("*.json"))}


def _shape(node: Any) -> Any:
    """A schema node without its documentation, for comparing types."""
    if isinstance(node, dict):
        return {k: _shape(v) for k, v in node.items() if k not in _IGNORED}
    if isinstance(node, list):
        return [_shape(v) for v in node]
    return node


def _object_changes(where: str, old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    problems = []
    old_props, new_props = old.get("properties", {}), new.get("properties", {})
    for name, old_prop in old_props.items():
        if name not in new_props:
            problems.append(f"{where}: field '{name}' was removed")
        elif _shape(old_prop) != _shape(new_props[name]):
            problems.append(f"{where}: field '{name}' changed type")
    for name in sorted(set(new.get("required", [])) - set(old.get("required", []))):
        problems.append(f"{where}: field '{name}' became required")
    return problems


def incompatibilities(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """Why ``new`` cannot replace ``old`` under the same type string (empty list: compatible)."""
    problems = _object_changes("event", old, new)
    old_defs, new_defs = old.get("$defs", {}), new.get("$defs", {})
    for name, old_def in old_defs.items():
        if name not in new_defs:
            problems.append(f"$defs: '{name}' was removed")
        else:
            problems += _object_changes(name, old_def, new_defs[name])
    return problems
