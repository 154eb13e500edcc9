"""OSCAL 1.2 `mapping-collection` (JSON or YAML, already parsed) → a mapping in our format.

The control-mapping model: `mapping-collection` → `mappings` → `maps`, each with a `relationship`, its
`sources` and `targets` (`id-ref`), an optional `confidence-score` and remarks. Every source × target of
a map is one pair. Ids are written the way catalogs label them (`de.ae-02` → `DE.AE-02`, `sa-11.2` →
`SA-11(2)`); the source and target frameworks are read from the resources' names (see
`vciso.crosswalk.ids.framework_id`), overridable at import.
"""

from __future__ import annotations

from typing import Any

from vciso.crosswalk.ids import catalog_form, framework_id
from vciso.crosswalk.model import FORMAT_ID, RELATIONSHIPS
from vciso.errors import MappingError

# Words some producers use beside the OSCAL vocabulary.
_RELATIONSHIP_ALIASES = {"equivalent-to": "equal", "equal-to": "equal", "subset": "subset-of",
                         "superset": "superset-of", "intersects": "intersects-with", "intersect": "intersects-with",
                         "not-related": "no-relationship", "no-relation": "no-relationship"}


def relationship_name(text: Any) -> str:
    """A relationship as our vocabulary spells it ('' when it is not one we know)."""
    name = str(text or "").strip().casefold().replace("_", "-").replace(" ", "-")
    name = _RELATIONSHIP_ALIASES.get(name, name)
    return name if name in RELATIONSHIPS else ""


def _confidence(item: dict) -> float | None:
    score = item.get("confidence-score")
    if isinstance(score, dict):
        value = score.get("percentage", score.get("value"))
    else:
        value = score
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    value = float(value)
    if value > 1:  # a percentage written 0-100
        value /= 100
    return value if 0 <= value <= 1 else None


def _ids(items: Any) -> list[str]:
    if not isinstance(items, list):
        return []
    out = []
    for item in items:
        ref = item.get("id-ref") if isinstance(item, dict) else item
        if isinstance(ref, str) and ref.strip():
            out.append(catalog_form(ref))
    return out


def _resource_name(resource: Any) -> str:
    if not isinstance(resource, dict):
        return ""
    return str(resource.get("href") or resource.get("title") or "")


def convert_mapping_collection(data: dict, source: str, notes: list[str]) -> dict:
    """The collection's maps as our format's data; MappingError (located by map number) when it has no
    usable map or a map names an unknown relationship."""
    collection = data.get("mapping-collection")
    if not isinstance(collection, dict):
        raise MappingError(source, ["mapping-collection: expected an object"])
    mappings = collection.get("mappings")
    if not isinstance(mappings, list) or not mappings:
        raise MappingError(source, ["mapping-collection: no 'mappings'"])
    if len(mappings) > 1:
        notes.append(f"the collection holds {len(mappings)} mappings; the first is imported "
                     "(import the others as files of their own)")
    mapping = mappings[0]
    if not isinstance(mapping, dict):
        raise MappingError(source, ["mappings[1]: expected an object"])
    metadata = collection.get("metadata") if isinstance(collection.get("metadata"), dict) else {}
    problems: list[str] = []
    entries: list[dict] = []
    source_ids: list[str] = []
    target_ids: list[str] = []
    skipped = 0
    for number, item in enumerate(mapping.get("maps") or [], start=1):
        where = f"maps[{number}]"
        if not isinstance(item, dict):
            problems.append(f"{where}: expected an object")
            continue
        relationship = relationship_name(item.get("relationship"))
        if not relationship:
            problems.append(f"{where}: relationship '{item.get('relationship')}' is not one of "
                            f"{', '.join(RELATIONSHIPS)}")
            continue
        sources, targets = _ids(item.get("sources")), _ids(item.get("targets"))
        if not sources or not targets:
            skipped += 1
            continue
        strength = _confidence(item)
        note = str(item.get("remarks") or "").strip()
        source_ids += sources
        target_ids += targets
        for src in sources:
            entry: dict[str, Any] = {"source": src, "targets": list(dict.fromkeys(targets)),
                                     "relationship": relationship}
            if strength is not None:
                entry["strength"] = strength
            if note:
                entry["note"] = note
            entries.append(entry)
    if problems:
        raise MappingError(source, problems)
    if not entries:
        raise MappingError(source, ["mappings[1]: no map has both sources and targets"])
    if skipped:
        notes.append(f"{skipped} map(s) without sources or targets skipped")
    gaps = mapping.get("source-gap-summary")
    if isinstance(gaps, dict):
        unmapped = sum(len(g.get("with-ids") or []) for g in gaps.get("unmapped-controls") or []
                       if isinstance(g, dict))
        if unmapped:
            notes.append(f"the file lists {unmapped} source id(s) as deliberately unmapped")
    source_name = _resource_name(mapping.get("source-resource"))
    target_name = _resource_name(mapping.get("target-resource"))
    title = str(metadata.get("title") or "").strip()
    return {
        "format": FORMAT_ID,
        "title": title or "OSCAL mapping",
        "source": {"id": framework_id(source_name or title.split(" to ")[0], source_ids),
                   "title": source_name.rsplit("/", 2)[-2] if source_name.count("/") >= 1 else source_name},
        "target": {"id": framework_id(target_name or title.split(" to ")[-1], target_ids),
                   "title": target_name.rsplit("/", 2)[-2] if target_name.count("/") >= 1 else target_name},
        "provenance": f"Imported from the OSCAL mapping-collection '{title or source}'"
                      + (f" (version {metadata.get('version')})" if metadata.get("version") else ""),
        "entries": entries,
    }
