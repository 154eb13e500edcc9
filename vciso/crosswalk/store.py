"""The mapping library: the bundled mappings (questionnaires/mappings/) plus the user's own folder.

Every file is loaded and validated on its own; a bad file becomes a problem and never stops the rest.
Mappings form a graph from questionnaire/framework to framework; a file that would close a cycle is
refused (at import) and left out with a problem (at load), so every chain ends.

Import follows the house's "plan, then apply": `plan_mapping_import` reads any supported format into our
format and validates it, `apply_mapping_import` writes it as `<id>.yaml` atomically, refusing a taken id.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from vciso.crosswalk.model import (FORMAT_ID, Mapping, dump_mapping_yaml, load_mapping_file, mapping_from_dict,
                                   parse_mapping_text, read_mapping_bytes)
from vciso.errors import MappingError
from vciso.library import FileProblem

MAPPINGS_FOLDER = "mappings"
MAPPING_SUFFIXES = (".yaml", ".yml", ".json")


def bundled_mappings_dir() -> Path:
    """The bundled mappings: `mappings/` inside the bundled questionnaires' folder (packaged with them)."""
    from vciso.library import BUNDLED_DIR

    return BUNDLED_DIR / MAPPINGS_FOLDER


def user_mappings_dir(library_dir: Path) -> Path:
    """The user's imported mappings: `mappings/` inside the user's questionnaire library folder."""
    return Path(library_dir) / MAPPINGS_FOLDER


@dataclass(frozen=True)
class MappingEntryFile:
    mapping: Mapping
    path: Path
    bundled: bool


MappingProblem = FileProblem  # a mapping file left out of the mapping library


@dataclass(frozen=True)
class MappingLibrary:
    files: tuple[MappingEntryFile, ...]
    problems: tuple[MappingProblem, ...] = ()

    @property
    def mappings(self) -> tuple[Mapping, ...]:
        return tuple(f.mapping for f in self.files)

    def get(self, mapping_id: str) -> Mapping | None:
        return next((f.mapping for f in self.files if f.mapping.id == mapping_id), None)

    def frameworks(self) -> list[str]:
        """Every questionnaire or framework id the mappings name, A-Z."""
        return sorted({m.source_id for m in self.mappings} | {m.target_id for m in self.mappings})

    def from_source(self, source_id: str) -> list[Mapping]:
        return [m for m in self.mappings if m.source_id == source_id]

    def framework_title(self, framework_id: str) -> str:
        for mapping in self.mappings:
            if mapping.target_id == framework_id and mapping.target_title:
                return mapping.target_title
            if mapping.source_id == framework_id and mapping.source_title:
                return mapping.source_title
        return framework_id


def reaches(mappings: tuple[Mapping, ...] | list[Mapping], start: str, goal: str) -> bool:
    """Whether a chain of mappings leads from `start` to `goal`."""
    edges: dict[str, set[str]] = {}
    for mapping in mappings:
        edges.setdefault(mapping.source_id, set()).add(mapping.target_id)
    stack, seen = [start], {start}
    while stack:
        node = stack.pop()
        if node == goal:
            return True
        for nxt in edges.get(node, ()):
            if nxt not in seen:
                seen.add(nxt)
                stack.append(nxt)
    return False


def cycle_problem(mappings: list[Mapping] | tuple[Mapping, ...], new: Mapping) -> str | None:
    """Why `new` cannot join `mappings`: it would close a cycle (its target already leads back to its
    source); None when it can."""
    if reaches(mappings, new.target_id, new.source_id):
        return (f"{new.source_id} → {new.target_id} would close a cycle: mappings already lead from "
                f"{new.target_id} back to {new.source_id}; a chain must end, so this mapping is refused")
    return None


def _files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in MAPPING_SUFFIXES)


def load_mappings(library_dir: Path | None = None, bundled_dir: Path | None = None) -> MappingLibrary:
    """Load the bundled mappings and the user's, collecting problems (bad files, duplicate ids, cycles)."""
    bundled_dir = bundled_mappings_dir() if bundled_dir is None else Path(bundled_dir)
    folders = [(bundled_dir, True)] + ([(user_mappings_dir(library_dir), False)] if library_dir else [])
    files: list[MappingEntryFile] = []
    problems: list[MappingProblem] = []
    for folder, bundled in folders:
        for path in _files(folder):
            try:
                mapping = load_mapping_file(path)
            except MappingError as exc:
                problems.append(MappingProblem(path, tuple(exc.problems)))
                continue
            taken = next((f for f in files if f.mapping.id == mapping.id), None)
            if taken:
                problems.append(MappingProblem(path, (f"the id '{mapping.id}' is already used by {taken.path}; "
                                                      "this file is left out",)))
                continue
            cycle = cycle_problem([f.mapping for f in files], mapping)
            if cycle:
                problems.append(MappingProblem(path, (cycle,)))
                continue
            files.append(MappingEntryFile(mapping, path, bundled))
    return MappingLibrary(tuple(files), tuple(problems))


# --------------------------------------------------------------------------- import: plan, then apply


@dataclass(frozen=True)
class MappingImportPlan:
    """What importing a file would do: the mapping read from it, the format found, where it would be
    written, and the problems that stop it (empty when it can be applied)."""

    source_path: Path
    mapping: Mapping | None
    format_name: str
    destination: Path | None
    problems: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.mapping is not None and not self.problems


def read_mapping_import(path: Path, source_id: str | None = None, target_id: str | None = None,
                        ) -> tuple[dict, str, list[str]]:
    """A file in any supported format, read into our format's data: (data, format in words, notes).

    The format is decided by content: our YAML/JSON, an OSCAL mapping-collection (JSON/YAML), a NIST
    OLIR workbook (.xlsx with a 'Relationships' sheet) or a CISO Assistant mapping library (YAML).
    `source_id`/`target_id` override the framework ids read from the file. Raises MappingError."""
    from vciso.importers.workbook import ZIP_MAGIC

    source = str(path)
    raw = read_mapping_bytes(Path(path))
    if not raw.strip():
        raise MappingError(source, ["the file is empty"])
    notes: list[str] = []
    if raw.startswith(ZIP_MAGIC):
        from vciso.importers.olir_workbook import convert_olir_workbook

        data = convert_olir_workbook(raw, source, Path(path).name, notes)
        kind = "NIST OLIR crosswalk workbook"
    else:
        parsed = parse_mapping_text(raw, source)
        data, kind = _convert_parsed(parsed, source, notes)
    if source_id:
        data["source"] = dict(data.get("source") or {}, id=source_id)
    if target_id:
        data["target"] = dict(data.get("target") or {}, id=target_id)
    if (source_id or target_id) and "id" in data and data.get("format") == FORMAT_ID and kind != "vCISO mapping":
        data["id"] = f"{data['source']['id']}--{data['target']['id']}"
    return data, kind, notes


def _convert_parsed(parsed: Any, source: str, notes: list[str]) -> tuple[dict, str]:
    from vciso.importers import strip_line_keys

    if isinstance(parsed, dict) and parsed.get("format") == FORMAT_ID:
        return parsed, "vCISO mapping"
    if isinstance(parsed, dict) and "mapping-collection" in parsed:
        from vciso.importers.oscal_mapping import convert_mapping_collection

        return convert_mapping_collection(strip_line_keys(parsed), source, notes), "OSCAL mapping-collection"
    from vciso.importers.ciso_assistant_mapping import convert_ciso_assistant_mapping, is_mapping_library

    if is_mapping_library(parsed):
        return convert_ciso_assistant_mapping(strip_line_keys(parsed), source, notes), "CISO Assistant mapping library"
    if isinstance(parsed, dict) and "format" in parsed:
        return parsed, "vCISO mapping"  # a wrong format value: validation says so, located
    keys = ", ".join(f"'{k}'" for k in list(parsed)[:6] if not str(k).startswith("__")) \
        if isinstance(parsed, dict) else type(parsed).__name__
    raise MappingError(source, [f"top level: not a mapping - expected 'format: {FORMAT_ID}' (ours), "
                                f"'mapping-collection' (OSCAL) or 'objects' with 'requirement_mapping_set' "
                                f"(CISO Assistant); found {keys or 'nothing'}"])


def plan_mapping_import(path: Path, library_dir: Path, source_id: str | None = None, target_id: str | None = None,
                        bundled_dir: Path | None = None) -> MappingImportPlan:
    """Read and validate a file to import, and decide where it goes; nothing is written. A file that
    cannot be read at all raises MappingError; a readable one whose id is taken or that would close a
    cycle gives a plan with problems."""
    path = Path(path)
    data, kind, notes = read_mapping_import(path, source_id, target_id)
    mapping = mapping_from_dict(data, str(path))
    library = load_mappings(library_dir, bundled_dir)
    problems: list[str] = []
    taken = next((f for f in library.files if f.mapping.id == mapping.id), None)
    if taken:
        where = "bundled" if taken.bundled else f"imported ({taken.path.name})"
        problems.append(f"a mapping with the id '{mapping.id}' is already in the library ({where}); nothing "
                        f"is replaced - remove it first, or import with other --source/--target ids")
    cycle = cycle_problem(library.mappings, mapping)
    if cycle:
        problems.append(cycle)
    destination = user_mappings_dir(library_dir) / f"{_file_stem(mapping.id)}.yaml"
    return MappingImportPlan(path, mapping, kind, destination, tuple(problems), tuple(notes))


def _file_stem(mapping_id: str) -> str:
    import re

    return re.sub(r"[^A-Za-z0-9._-]+", "-", mapping_id).strip("-.") or "mapping"


def apply_mapping_import(plan: MappingImportPlan) -> Path:
    """Write the plan's mapping into the user's mappings folder atomically; refuses a plan with problems."""
    from vciso.atomic import write_error, write_text_atomic

    if not plan.ok or plan.mapping is None or plan.destination is None:
        raise MappingError(str(plan.source_path), list(plan.problems) or ["nothing to import"])
    try:
        plan.destination.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise write_error(plan.destination, exc) from None
    write_text_atomic(plan.destination, dump_mapping_yaml(plan.mapping))
    return plan.destination


def validate_mapping_data(data: Any, source: str) -> Mapping:
    """Our format's data → a validated Mapping (MappingError otherwise)."""
    return mapping_from_dict(data, source)
