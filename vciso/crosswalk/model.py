"""The mapping (crosswalk) file format: a source questionnaire or framework, a target framework, and
entries *source id → target id* with a relationship. See docs/mapping-format.md.

`mapping_from_dict` validates a file's data and collects every problem, each located (line, entry);
`load_mapping_file` reads a YAML or JSON file safely; `mapping_to_dict` writes one back.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from vciso.crosswalk.ids import catalog_form
from vciso.errors import MappingError, QuestionnaireError
from vciso.questionnaire import LINE_KEY

FORMAT_ID = "vciso-mapping/1"
# The OSCAL control-mapping model's vocabulary: the source is <relationship> the target.
RELATIONSHIPS = ("equal", "subset-of", "superset-of", "intersects-with", "no-relationship")
# A path made only of these says everything of the target: its confidence is "full".
FULL_RELATIONSHIPS = frozenset({"equal", "superset-of"})
RELATIONSHIP_WORDS = {
    "equal": "equal to", "subset-of": "a subset of", "superset-of": "a superset of",
    "intersects-with": "intersects with", "no-relationship": "not related to",
}
MAX_MAPPING_BYTES = 20 * 1024 * 1024
_TOP_KEYS = {"format", "id", "title", "description", "source", "target", "provenance", "licence", "entries"}
_SIDE_KEYS = {"id", "version", "title"}
_ENTRY_KEYS = {"source", "target", "targets", "relationship", "strength", "note"}


@dataclass(frozen=True)
class MappingEntry:
    """One source id mapped to one target id."""

    source: str
    target: str
    relationship: str
    strength: float | None = None  # 0..1 when the file gives one (OLIR strength, OSCAL confidence)
    note: str = ""


@dataclass(frozen=True)
class Mapping:
    """A crosswalk from one questionnaire or framework (`source_id`) to another (`target_id`)."""

    id: str
    title: str
    source_id: str
    source_version: str
    target_id: str
    target_version: str
    entries: tuple[MappingEntry, ...]
    source_title: str = ""
    target_title: str = ""
    description: str = ""
    provenance: str = ""
    licence: str = ""

    @property
    def pair_count(self) -> int:
        return len(self.entries)

    def relationships(self) -> dict[str, int]:
        """How many entries of each relationship, in the vocabulary's order."""
        counts = Counter(entry.relationship for entry in self.entries)
        return {name: counts[name] for name in RELATIONSHIPS if counts[name]}

    def target_ids(self) -> list[str]:
        """Every target id the entries name, in first-seen order."""
        return list(dict.fromkeys(entry.target for entry in self.entries))

    def source_ids(self) -> list[str]:
        return list(dict.fromkeys(entry.source for entry in self.entries))


def _where(item: Any, fallback: str) -> str:
    line = item.get(LINE_KEY) if isinstance(item, dict) else None
    return f"line {line}" if line else fallback


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a version typed as 2.0 in YAML stays "2.0" only when quoted; 5 stays "5"
    return str(value).strip()


def _side(data: dict, name: str, problems: list[str]) -> tuple[str, str, str]:
    side = data.get(name)
    if isinstance(side, str):
        side = {"id": side}
    if not isinstance(side, dict):
        problems.append(f"{_where(data, 'top level')}: '{name}' must say which questionnaire or framework "
                        f"(e.g. {name}: {{id: nist-csf-2.0, version: '2.0'}})")
        return "", "", ""
    unknown = sorted(k for k in side if k != LINE_KEY and k not in _SIDE_KEYS)
    if unknown:
        problems.append(f"{_where(side, name)}: unknown key(s) in '{name}': {', '.join(unknown)}")
    ident = _text(side.get("id"))
    if not ident:
        problems.append(f"{_where(side, name)}: '{name}' has no id")
    return ident, _text(side.get("version")), _text(side.get("title"))


def _strength(value: Any, where: str, problems: list[str]) -> float | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
        problems.append(f"{where}: strength must be a number from 0 to 1, not {value!r}")
        return None
    return float(value)


def mapping_from_dict(data: Any, source: str) -> Mapping:
    """Validate a mapping file's data (our format) and build the Mapping; raises MappingError listing
    every problem, each with its line or entry number."""
    problems: list[str] = []
    if not isinstance(data, dict):
        raise MappingError(source, ["top level: expected a mapping file (format: vciso-mapping/1, source, "
                                    "target, entries)"])
    fmt = data.get("format")
    if fmt != FORMAT_ID:
        problems.append(f"{_where(data, 'top level')}: format must be '{FORMAT_ID}'"
                        + (f", not '{fmt}'" if fmt else " (it is missing)"))
    unknown = sorted(str(k) for k in data if k != LINE_KEY and k not in _TOP_KEYS)
    if unknown:
        problems.append(f"top level: unknown key(s): {', '.join(unknown)}")
    source_id, source_version, source_title = _side(data, "source", problems)
    target_id, target_version, target_title = _side(data, "target", problems)
    if source_id and source_id == target_id:
        problems.append(f"{_where(data, 'top level')}: source and target are the same ('{source_id}'); a "
                        "mapping must lead somewhere else")
    raw_entries = data.get("entries")
    entries: list[MappingEntry] = []
    if not isinstance(raw_entries, list) or not raw_entries:
        problems.append(f"{_where(data, 'top level')}: 'entries' must be a non-empty list of "
                        "{source, target, relationship}")
        raw_entries = []
    seen: dict[tuple[str, str], str] = {}
    for number, item in enumerate(raw_entries, start=1):
        where = f"entry {number} ({_where(item, 'no line')})" if isinstance(item, dict) else f"entry {number}"
        if not isinstance(item, dict):
            problems.append(f"{where}: expected {{source, target, relationship}}, found {type(item).__name__}")
            continue
        extra = sorted(str(k) for k in item if k != LINE_KEY and k not in _ENTRY_KEYS)
        if extra:
            problems.append(f"{where}: unknown key(s): {', '.join(extra)}")
        src = _text(item.get("source"))
        targets = item.get("targets") if "targets" in item else [item.get("target")]
        if "targets" in item and "target" in item:
            problems.append(f"{where}: give 'target' or 'targets', not both")
        if not isinstance(targets, list):
            targets = [targets]
        targets = [_text(t) for t in targets]
        relationship = _text(item.get("relationship")).lower()
        if not src:
            problems.append(f"{where}: no source id")
        if not targets or not all(targets):
            problems.append(f"{where}: no target id")
        if relationship not in RELATIONSHIPS:
            shown = f"'{relationship}'" if relationship else "missing"
            problems.append(f"{where}: relationship {shown}; use one of {', '.join(RELATIONSHIPS)}")
        strength = _strength(item.get("strength"), where, problems)
        note = _text(item.get("note"))
        if not src or not all(targets) or relationship not in RELATIONSHIPS:
            continue
        for target in targets:
            pair = (src, target)
            if pair in seen:
                problems.append(f"{where}: {src} → {target} is already mapped by {seen[pair]}")
                continue
            seen[pair] = where
            entries.append(MappingEntry(src, target, relationship, strength, note))
    if problems:
        raise MappingError(source, problems)
    mapping_id = _text(data.get("id")) or f"{source_id}--{target_id}"
    return Mapping(id=mapping_id, title=_text(data.get("title")) or f"{source_title or source_id} → "
                                                                    f"{target_title or target_id}",
                   source_id=source_id, source_version=source_version, target_id=target_id,
                   target_version=target_version, entries=tuple(entries), source_title=source_title,
                   target_title=target_title, description=_text(data.get("description")),
                   provenance=_text(data.get("provenance")), licence=_text(data.get("licence")))


def mapping_to_dict(mapping: Mapping) -> dict:
    """The mapping in our file format (entries grouped by source and relationship, `targets` lists)."""
    def side(ident: str, version: str, title: str) -> dict:
        out = {"id": ident}
        if version:
            out["version"] = version
        if title:
            out["title"] = title
        return out

    data: dict[str, Any] = {"format": FORMAT_ID, "id": mapping.id, "title": mapping.title}
    if mapping.description:
        data["description"] = mapping.description
    data["source"] = side(mapping.source_id, mapping.source_version, mapping.source_title)
    data["target"] = side(mapping.target_id, mapping.target_version, mapping.target_title)
    if mapping.provenance:
        data["provenance"] = mapping.provenance
    if mapping.licence:
        data["licence"] = mapping.licence
    grouped: dict[tuple, list[str]] = {}
    for entry in mapping.entries:
        grouped.setdefault((entry.source, entry.relationship, entry.strength, entry.note), []).append(entry.target)
    entries = []
    for (src, relationship, strength, note), targets in grouped.items():
        item: dict[str, Any] = {"source": src}
        if len(targets) == 1:
            item["target"] = targets[0]
        else:
            item["targets"] = targets
        item["relationship"] = relationship
        if strength is not None:
            item["strength"] = strength
        if note:
            item["note"] = note
        entries.append(item)
    data["entries"] = entries
    return data


def dump_mapping_yaml(mapping: Mapping) -> str:
    """A mapping as YAML text in our format (the questionnaires' safe dumper: key order and unicode kept)."""
    from vciso.importers import dump_questionnaire_yaml

    return dump_questionnaire_yaml(mapping_to_dict(mapping))


def parse_mapping_text(raw: bytes, source: str) -> Any:
    """The data of a YAML or JSON file, read safely (the library's loaders); MappingError when unreadable."""
    from vciso.library import parse_json_text, parse_yaml_text

    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise MappingError(source, [f"byte {exc.start}: not UTF-8 text"]) from None
    try:
        if text.lstrip().startswith(("{", "[")):
            return parse_json_text(text, source)
        return parse_yaml_text(text, source)
    except QuestionnaireError as exc:  # the loaders speak of questionnaires; the problems are the same
        raise MappingError(source, [p.replace("a questionnaire", "a mapping") for p in exc.problems]) from None


def read_mapping_bytes(path: Path, limit: int = MAX_MAPPING_BYTES) -> bytes:
    """The bytes of a mapping file, refusing one larger than the limit; MappingError when unreadable."""
    try:
        size = path.stat().st_size
        if size > limit:
            raise MappingError(str(path), [f"file is {size // 1024 // 1024} MB; the limit is "
                                           f"{limit // 1024 // 1024} MB"])
        return path.read_bytes()
    except OSError as exc:
        raise MappingError(str(path), [f"cannot be read ({exc.strerror or exc})"]) from None


def load_mapping_file(path: Path) -> Mapping:
    """Load and validate one mapping file in our format (YAML or JSON)."""
    path = Path(path)
    return mapping_from_dict(parse_mapping_text(read_mapping_bytes(path), str(path)), str(path))


__all__ = ["FORMAT_ID", "RELATIONSHIPS", "FULL_RELATIONSHIPS", "RELATIONSHIP_WORDS", "Mapping", "MappingEntry",
           "mapping_from_dict", "mapping_to_dict", "dump_mapping_yaml", "load_mapping_file", "catalog_form"]
