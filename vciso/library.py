"""The questionnaire library: bundled files plus the user's own folder.

Every file is loaded safely and validated on its own; a bad file becomes a `LibraryProblem` and never
stops the rest of the library from loading.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from vciso.errors import QuestionnaireError, QuestionnaireNotFound
from vciso.questionnaire import LINE_KEY, Questionnaire, questionnaire_from_dict

def _bundled_dir() -> Path:
    """The bundled questionnaires: beside the packages in a clone (or an editable install), else where a
    regular `pip install .` put them (<prefix>/share/vciso-workbench/questionnaires)."""
    beside = Path(__file__).resolve().parent.parent / "questionnaires"
    if beside.is_dir():
        return beside
    return Path(sys.prefix) / "share" / "vciso-workbench" / "questionnaires"


BUNDLED_DIR = _bundled_dir()
MAX_QUESTIONNAIRE_BYTES = 20 * 1024 * 1024
QUESTIONNAIRE_SUFFIXES = (".yaml", ".yml", ".json")
TRASH_DIR = ".trash"  # inside the user's library folder: removed questionnaires, restorable by moving them back


MAX_YAML_NODES = 2_000_000  # far above any real questionnaire; stops "billion laughs" alias bombs


class _LineLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """A safe loader (libyaml's when available) that records the line of every mapping."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict:
    mapping = loader.construct_mapping(node, deep=True)
    mapping[LINE_KEY] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)

# YAML 1.1 reads yes/no/on/off as booleans, which turns a level labelled "No" into False. Only
# true/false are booleans here, as in YAML 1.2.
_LineLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_LineLoader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
                                  list("tTfF"))


def _expands_beyond(data: Any, budget: int) -> bool:
    """True when walking the data (aliases followed, as every later step will) visits > budget items."""
    stack, seen = [data], 0
    while stack:
        node = stack.pop()
        seen += 1
        if seen > budget:
            return True
        if isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return False


def parse_yaml_text(text: str, source: str) -> Any:
    """Parse YAML safely with line numbers; a syntax error, absurd nesting or an alias bomb becomes a
    located QuestionnaireError."""
    try:
        data = yaml.load(text, Loader=_LineLoader)  # noqa: S506 - _LineLoader derives from SafeLoader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "YAML"
        problem = getattr(exc, "problem", None) or str(exc)
        context, context_mark = getattr(exc, "context", None), getattr(exc, "context_mark", None)
        if context and context_mark and (not mark or context_mark.line != mark.line):
            problem += f", {context} that starts at line {context_mark.line + 1}"
        raise QuestionnaireError(source, [f"{where}: not valid YAML ({problem})"]) from None
    except RecursionError:
        raise QuestionnaireError(source, ["YAML is nested too deeply to be a questionnaire"]) from None
    if _expands_beyond(data, MAX_YAML_NODES):
        raise QuestionnaireError(source, [f"YAML expands to more than {MAX_YAML_NODES:,} items through "
                                          f"anchors and aliases; refusing to read it"])
    return data


def parse_json_text(text: str, source: str,
                    invalid: str = "line {line}, column {column}: not valid JSON ({msg})") -> Any:
    """Parse JSON; a syntax error (worded by `invalid`) or absurd nesting becomes a QuestionnaireError."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise QuestionnaireError(source, [invalid.format(line=exc.lineno, column=exc.colno,
                                                         msg=exc.msg)]) from None
    except RecursionError:
        raise QuestionnaireError(source, ["JSON is nested too deeply to be a questionnaire"]) from None


def read_limited(path: Path, limit: int = MAX_QUESTIONNAIRE_BYTES) -> bytes:
    """Read a file to import, refusing anything larger than the limit; raises QuestionnaireError."""
    try:
        size = path.stat().st_size
        if size > limit:
            raise QuestionnaireError(str(path), [f"file is {size // 1024 // 1024} MB; the limit is "
                                                 f"{limit // 1024 // 1024} MB"])
        return path.read_bytes()
    except OSError as exc:
        raise QuestionnaireError(str(path), [f"cannot be read ({exc.strerror or exc})"]) from None


def load_questionnaire_file(path: Path) -> Questionnaire:
    """Load and validate one questionnaire file in our format (YAML or JSON)."""
    source = str(path)
    raw = read_limited(path)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise QuestionnaireError(source, [f"byte {exc.start}: not UTF-8 text"]) from None
    if path.suffix.lower() == ".json":
        data = parse_json_text(text, source)
    else:
        data = parse_yaml_text(text, source)
    try:
        return questionnaire_from_dict(data, source)
    except RecursionError:
        raise QuestionnaireError(source, ["sections are nested too deeply"]) from None


@dataclass(frozen=True)
class LibraryEntry:
    questionnaire: Questionnaire
    path: Path
    bundled: bool


@dataclass(frozen=True)
class FileProblem:
    """A file of a library folder (questionnaire or mapping) that was left out, and why."""

    path: Path
    problems: tuple[str, ...]

    @property
    def message(self) -> str:
        return f"{self.path}: " + "; ".join(self.problems)


LibraryProblem = FileProblem  # a questionnaire file left out of the library


@dataclass(frozen=True)
class Library:
    entries: tuple[LibraryEntry, ...]
    problems: tuple[LibraryProblem, ...]

    def get(self, questionnaire_id: str) -> Questionnaire:
        """The questionnaire with this id (a user file overrides a bundled one of the same id)."""
        for entry in reversed(self.entries):
            if entry.questionnaire.id == questionnaire_id:
                return entry.questionnaire
        known = ", ".join(sorted({e.questionnaire.id for e in self.entries})) or "none"
        raise QuestionnaireNotFound(f"no questionnaire '{questionnaire_id}' in the library (known: {known})")

    def questionnaires(self) -> list[Questionnaire]:
        """One questionnaire per id, user files overriding bundled ones, sorted by title."""
        by_id: dict[str, Questionnaire] = {}
        for entry in self.entries:
            by_id[entry.questionnaire.id] = entry.questionnaire
        return sorted(by_id.values(), key=lambda q: q.title.casefold())


def _files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in QUESTIONNAIRE_SUFFIXES)


def load_library(user_dir: Path | None = None, bundled_dir: Path = BUNDLED_DIR) -> Library:
    """Load every questionnaire of the bundled folder and the user's folder, collecting problems."""
    entries: list[LibraryEntry] = []
    problems: list[LibraryProblem] = []
    folders = [(bundled_dir, True)] + ([(user_dir, False)] if user_dir else [])
    for folder, bundled in folders:
        for path in _files(folder):
            try:
                entries.append(LibraryEntry(load_questionnaire_file(path), path, bundled))
            except QuestionnaireError as exc:
                problems.append(LibraryProblem(path, tuple(exc.problems)))
    return Library(tuple(entries), tuple(problems))


def imported_files(library_dir: Path, questionnaire_id: str) -> list[Path]:
    """The files of the user's library folder that define `questionnaire_id` (normally just `<id>.yaml`);
    files that do not load are skipped."""
    found = []
    for path in _files(Path(library_dir)):
        try:
            if load_questionnaire_file(path).id == questionnaire_id:
                found.append(path)
        except QuestionnaireError:
            continue
    return found


def remove_imported(library_dir: Path, questionnaire_id: str) -> tuple[Path, ...]:
    """Move every file of the user's library folder that defines `questionnaire_id` into its `.trash`
    folder; returns where each went. Bundled questionnaires are not in that folder and are never touched.
    Assessments already started keep their own copy of the questionnaire in the client file."""
    library_dir = Path(library_dir)
    paths = imported_files(library_dir, questionnaire_id)
    if not paths:
        raise QuestionnaireNotFound(f"no imported questionnaire '{questionnaire_id}' in {library_dir} "
                                    "(bundled questionnaires cannot be removed)")
    trash = library_dir / TRASH_DIR
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    moved = []
    for path in paths:
        try:
            trash.mkdir(exist_ok=True)
            target = trash / f"{path.stem}-{stamp}{path.suffix}"
            counter = 2
            while target.exists():
                target = trash / f"{path.stem}-{stamp}-{counter}{path.suffix}"
                counter += 1
            shutil.move(str(path), target)
        except OSError as exc:
            raise QuestionnaireError(str(path), [f"cannot be moved to {trash} ({exc.strerror or exc})"]) from None
        moved.append(target)
    return tuple(moved)
