"""CISO Assistant mapping library (YAML, provided by the user) → a mapping in our format.

Such a library holds `objects` → `requirement_mapping_set` (or a list `requirement_mapping_sets`) with
`source_framework_urn`, `target_framework_urn` and `requirement_mappings`, each with
`source_requirement_urn`, `target_requirement_urn`, `relationship` (equal, subset, superset, intersect,
not_related), an optional `strength_of_relationship` and `rationale`/`annotation`. The id of a requirement
is the last part of its URN, written the catalog's way (`...:nist-csf-2.0:gv.oc-01` → `GV.OC-01`).
"""

from __future__ import annotations

from typing import Any

from vciso.crosswalk.ids import catalog_form, framework_id
from vciso.crosswalk.model import FORMAT_ID, RELATIONSHIPS
from vciso.errors import MappingError
from vciso.importers.oscal_mapping import relationship_name


def _sets(data: Any) -> list:
    objects = data.get("objects") if isinstance(data, dict) else None
    if not isinstance(objects, dict):
        return []
    single = objects.get("requirement_mapping_set")
    many = objects.get("requirement_mapping_sets")
    found = [single] if isinstance(single, dict) else []
    found += [s for s in many if isinstance(s, dict)] if isinstance(many, list) else []
    return found


def is_mapping_library(data: Any) -> bool:
    """Whether parsed YAML is a CISO Assistant library holding a requirement mapping set."""
    return bool(_sets(data))


def _requirement_id(urn: Any) -> str:
    text = str(urn or "").strip()
    return catalog_form(text.rsplit(":", 1)[-1]) if text else ""


def _strength(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    value = float(value)
    if value > 1:
        value /= 10
    return value if 0 <= value <= 1 else None


def convert_ciso_assistant_mapping(data: dict, source: str, notes: list[str]) -> dict:
    """The library's (first) mapping set as our format's data; MappingError, located by mapping number."""
    sets = _sets(data)
    if len(sets) > 1:
        notes.append(f"the library holds {len(sets)} mapping sets; the first is imported")
    mapping_set = sets[0]
    problems: list[str] = []
    entries: list[dict] = []
    for number, item in enumerate(mapping_set.get("requirement_mappings") or [], start=1):
        where = f"requirement_mappings[{number}]"
        if not isinstance(item, dict):
            problems.append(f"{where}: expected an object")
            continue
        src = _requirement_id(item.get("source_requirement_urn"))
        tgt = _requirement_id(item.get("target_requirement_urn"))
        relationship = relationship_name(item.get("relationship"))
        if not src or not tgt:
            problems.append(f"{where}: needs source_requirement_urn and target_requirement_urn")
            continue
        if not relationship:
            problems.append(f"{where}: relationship '{item.get('relationship')}' is not one of equal, subset, "
                            f"superset, intersect, not_related ({', '.join(RELATIONSHIPS)})")
            continue
        entry: dict[str, Any] = {"source": src, "target": tgt, "relationship": relationship}
        strength = _strength(item.get("strength_of_relationship"))
        if strength is not None:
            entry["strength"] = strength
        note = " ".join(str(item.get(k) or "").strip() for k in ("rationale", "annotation")).strip()
        if note:
            entry["note"] = note
        entries.append(entry)
    if problems:
        raise MappingError(source, problems)
    if not entries:
        raise MappingError(source, ["requirement_mapping_set: no requirement_mappings"])
    source_urn = str(mapping_set.get("source_framework_urn") or "")
    target_urn = str(mapping_set.get("target_framework_urn") or "")
    name = str(mapping_set.get("name") or data.get("name") or "").strip()
    return {
        "format": FORMAT_ID,
        "title": name or "CISO Assistant mapping",
        "source": {"id": framework_id(source_urn, [e["source"] for e in entries]),
                   "title": source_urn.rsplit(":", 1)[-1]},
        "target": {"id": framework_id(target_urn, [e["target"] for e in entries]),
                   "title": target_urn.rsplit(":", 1)[-1]},
        "provenance": "Imported from the CISO Assistant mapping library "
                      + str(data.get("urn") or data.get("ref_id") or source)
                      + (f" ({data.get('copyright')})" if data.get("copyright") else ""),
        "entries": entries,
    }
