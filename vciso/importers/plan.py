"""Plan, preview, then apply a questionnaire import.

`plan_import` reads and validates a file and checks its id against the library (bundled and imported)
without writing anything; the plan feeds the CLI's `--dry-run`, the app's preview and `apply_import`,
which writes `<id>.yaml` into the user's library folder atomically and refuses a plan whose id is taken
— an import never overwrites anything.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path

from vciso.atomic import write_text_atomic
from vciso.errors import QuestionnaireError
from vciso.importers import ConvertedFile, dump_questionnaire_yaml, read_import_file
from vciso.importers.ids import suggest_free_id
from vciso.library import BUNDLED_DIR, QUESTIONNAIRE_SUFFIXES, load_library
from vciso.questionnaire import Questionnaire, questionnaire_from_dict

FIRST_QUESTIONS = 5
_SUFFIX_HINTS = {"oscal": "oscal", "ciso-assistant": "ca", "template": "copy", "ours": "copy"}


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


@dataclass(frozen=True)
class ImportPlan:
    """What importing a file would add to the library, and whether it may: `clash` names what already
    holds the id ("" when it is free) and `suggested_id` is a free id close to it."""

    path: Path
    library_dir: Path
    converted: ConvertedFile
    questionnaire: Questionnaire
    clash: str = ""
    suggested_id: str = ""
    taken: dict[str, str] = field(default_factory=dict, repr=False, compare=False)

    @property
    def target(self) -> Path:
        """Where the questionnaire will be written."""
        return self.library_dir / f"{self.questionnaire.id}.yaml"

    @property
    def format_name(self) -> str:
        return self.converted.format_name

    @property
    def ok(self) -> bool:
        return not self.clash

    def sections_per_level(self) -> list[int]:
        """How many sections there are at each depth: [6, 22] for CSF 2.0 (functions, categories)."""
        counts: list[int] = []

        def walk(sections: tuple, depth: int) -> None:
            if not sections:
                return
            while len(counts) <= depth:
                counts.append(0)
            counts[depth] += len(sections)
            for section in sections:
                walk(section.sections, depth + 1)

        walk(self.questionnaire.sections, 0)
        return counts

    def renamed(self, new_id: str) -> "ImportPlan":
        """The same plan under another id (e.g. the suggested one); its clash is checked again. Raises
        QuestionnaireError when the id has characters an id may not hold."""
        new_id = new_id.strip()
        if not new_id or not all(c.isalnum() or c in "-_." for c in new_id):
            raise QuestionnaireError(str(self.path), [f"'{new_id}' cannot be an id: use letters, digits, '-', "
                                                      f"'_' and '.'"])
        data = dict(self.converted.data, id=new_id)
        converted = dataclasses.replace(self.converted, data=data)
        questionnaire = dataclasses.replace(self.questionnaire, id=new_id, locations=self.questionnaire.locations)
        clash = self.taken.get(new_id.casefold(), "")
        suggested = suggest_free_id(new_id, self.taken, _SUFFIX_HINTS.get(converted.kind, "")) if clash else ""
        return dataclasses.replace(self, converted=converted, questionnaire=questionnaire, clash=clash,
                                   suggested_id=suggested)

    def clash_message(self, how_to_rename: str = "import it under another id with --id {id}") -> str:
        """Why the plan may not be applied, with the suggestion, in one sentence."""
        if not self.clash:
            return ""
        return (f"the id '{self.questionnaire.id}' is already taken by {self.clash}; nothing was imported "
                f"and nothing is overwritten - {how_to_rename.format(id=self.suggested_id)}")

    def summary(self, first: int = FIRST_QUESTIONS) -> list[str]:
        """The preview in lines: id, title, version, source, licence, format, the section tree by level,
        what the importer decided, and the first few questions."""
        q = self.questionnaire
        levels = self.sections_per_level()
        tree = ", ".join(f"{_plural(n, 'section')} at level {i + 1}" for i, n in enumerate(levels))
        lines = [f"Format:    {self.format_name}",
                 f"Id:        {q.id}",
                 f"Title:     {q.title}",
                 f"Version:   {q.version}",
                 f"Source:    {q.source}",
                 f"Licence:   {q.licence}",
                 f"Structure: {tree}; {_plural(q.question_count, 'question')}",
                 f"Scale:     {q.default_scale.name} ({', '.join(level.label for level in q.default_scale.levels)})"]
        tags = q.tags()
        if tags:
            shown = ", ".join(q.tag_label(t) for t in tags[:8]) + (" …" if len(tags) > 8 else "")
            lines.append(f"Tags:      {shown}")
        lines.extend(f"Note:      {note}" for note in self.converted.notes)
        lines.append(f"First {min(first, q.question_count)} questions:")
        for loc in q.locations[:first]:
            question = loc.question
            lines.append(f"  {question.id}  {question.title or question.text.splitlines()[0]}")
        if self.clash:
            lines.append(f"Id taken:  {self.clash}; suggested id: {self.suggested_id}")
        return lines


def taken_ids(library_dir: Path, bundled_dir: Path | None = None) -> dict[str, str]:
    """Every id the library holds (casefolded, since file names may not differ only by case), with what
    holds it in words; files of the library folder that do not load hold their file name's id too."""
    library = load_library(library_dir, bundled_dir or BUNDLED_DIR)
    taken: dict[str, str] = {}
    for path in sorted(Path(library_dir).iterdir()) if Path(library_dir).is_dir() else []:
        if path.is_file() and path.suffix.lower() in QUESTIONNAIRE_SUFFIXES:
            taken[path.stem.casefold()] = f"the file {path.name} in the library folder"
    for entry in library.entries:
        q = entry.questionnaire
        where = "bundled with the app" if entry.bundled else f"imported, file {entry.path.name}"
        taken[q.id.casefold()] = f"“{q.title}” {q.version} ({where})"
    return taken


def plan_import(path: Path, library_dir: Path, scale: str | None = None, questionnaire_id: str | None = None,
                assess: str = "auto", language: str | None = None, bundled_dir: Path | None = None) -> ImportPlan:
    """Read, convert and validate a file and check its id against the library; writes nothing.

    Raises QuestionnaireError (located) when the file cannot be converted or does not validate; an id
    that is taken is not an error here - the plan says so (`clash`, `suggested_id`)."""
    converted = read_import_file(Path(path), scale, questionnaire_id, assess, language)
    try:
        questionnaire = questionnaire_from_dict(converted.data, str(path))
    except RecursionError:
        raise QuestionnaireError(str(path), ["sections are nested too deeply"]) from None
    taken = taken_ids(Path(library_dir), bundled_dir)
    plan = ImportPlan(Path(path), Path(library_dir), converted, questionnaire, taken=taken)
    return plan.renamed(questionnaire.id) if questionnaire.id.casefold() in taken else plan


def apply_import(plan: ImportPlan) -> Questionnaire:
    """Write the planned questionnaire as `<id>.yaml` into the library folder (atomically); refuses a
    plan whose id is taken, and an id whose file appeared since the plan was made."""
    if plan.clash:
        raise QuestionnaireError(str(plan.path), [plan.clash_message()])
    target = plan.target
    if target.exists():
        late = dataclasses.replace(plan, clash=f"the file {target.name} in the library folder",
                                   suggested_id=suggest_free_id(plan.questionnaire.id, plan.taken | {
                                       plan.questionnaire.id.casefold(): ""}))
        raise QuestionnaireError(str(plan.path), [late.clash_message()])
    write_text_atomic(target, dump_questionnaire_yaml(plan.converted.data))
    return plan.questionnaire
