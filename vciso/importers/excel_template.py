"""The Excel questionnaire template: a workbook consultants fill in, read back into our format.

Sheet `Questionnaire` holds key/value rows (id, title, version, ...); sheet `Questions` holds one
question per row under a header row. Every problem is reported with its sheet and row, e.g.
"sheet 'Questions' row 7: 'effort' must be low, medium or high, not 'tiny'".

openpyxl is imported inside the functions that need it, so loading this module costs nothing.
See docs/excel-template.md.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from vciso.atomic import atomic_path
from vciso.errors import QuestionnaireError
from vciso.importers import workbook as xlsx
from vciso.questionnaire import (AGGREGATIONS, CRITICALITY_NAMES, EFFORT_NAMES, FORMAT_ID, format_value,
                                 plain_number)

META_SHEET = "Questionnaire"
QUESTIONS_SHEET = "Questions"
SCALES_SHEET = "Scales"

# (key, note) rows of the Questionnaire sheet, in the order the template shows them.
META_FIELDS: list[tuple[str, str]] = [
    ("id", "Short unique name: letters, digits, '-', '_' or '.'. The file is saved as <id>.yaml."),
    ("title", "The name consultants pick from the library."),
    ("version", "Your version of this questionnaire, e.g. 1.0 (kept as text)."),
    ("description", "One or two sentences: who it is for and what it covers."),
    ("source", "Where the content comes from (framework, standard, your own)."),
    ("licence", "Who may use the content, e.g. 'Internal use' or CC-BY-4.0."),
    ("scale", "Answer scale: maturity-0-5, implementation-4 or yes-no (see the Scales sheet)."),
    ("aggregation", "How scores roll up: mean, weighted_mean, min or staged (staged needs a stage "
                    "column)."),
    ("default target", "The level most questions should reach, a value of the scale (e.g. 3)."),
]
_META_ALIASES = {"license": "licence", "default_target": "default target", "target": "default target",
                 "answer scale": "scale"}

# (column, note) of the Questions sheet header.
QUESTION_COLUMNS: list[tuple[str, str]] = [
    ("section", "Required. The section (domain) title. Left blank: same section as the row above."),
    ("subsection", "Optional. A sub-section inside the section. Left blank with the section also blank: "
                   "same subsection as the row above."),
    ("id", "Required. Unique question id, e.g. ACC-01 (format the column as text)."),
    ("question", "Required. The question as asked to the client."),
    ("title", "Optional. A short title, used in roadmaps."),
    ("guidance", "Optional. What good looks like and what evidence to ask for."),
    ("recommendation", "Optional. What to do to close a gap."),
    ("weight", "Optional number, default 1. Counts more in weighted means."),
    ("effort", "Optional: low, medium or high (default medium). Effort to close a gap."),
    ("criticality", "Optional: low, medium, high or critical (default medium)."),
    ("tags", "Optional, comma-separated, e.g. identity, cloud."),
    ("references", "Optional, comma-separated framework IDs, e.g. PR.AA-03, AC-2."),
] + [(f"descriptor {n}", f"Optional. What level {n} means for this question (leave blank to use the "
                         f"scale's wording).") for n in range(6)]
_EXTRA_COLUMNS = {"target": "Optional per-question target level.",
                  "stage": "Whole number; required on every row when aggregation is staged."}
_REQUIRED_COLUMNS = ("section", "id", "question")

EXAMPLE_META = {"id": "my-questionnaire", "title": "My questionnaire", "version": "1.0",
                "description": "Replace this with what the questionnaire covers.",
                "source": "Our own content", "licence": "Internal use", "scale": "maturity-0-5",
                "aggregation": "mean", "default target": 3}
EXAMPLE_ROW = {
    "section": "Accounts and passwords", "subsection": "", "id": "ACC-01",
    "question": "Do all staff use multi-factor authentication for email?",
    "title": "MFA on email",
    "guidance": "Ask to see the MFA policy in the mail admin console and the list of exempted accounts.",
    "recommendation": "Enforce MFA for every mailbox; review exemptions monthly.",
    "weight": 1, "effort": "low", "criticality": "high", "tags": "identity, email",
    "references": "PR.AA-03", "descriptor 0": "Nobody uses MFA.",
    "descriptor 3": "MFA is enforced for every mailbox, exceptions are documented.",
}

MAX_QUESTION_ROWS = 20_000
_LIST_SPLIT = re.compile(r"[,\n;]")


def _norm(value: Any) -> str:
    return xlsx.norm(value, underscore_is_space=True)


def _cell_text(value: Any) -> str:
    """A cell as stripped text, "" when empty (see `workbook.cell_text`)."""
    return (xlsx.cell_text(value) or "").strip()


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    try:
        return float(str(value).strip().replace(",", "."))
    except ValueError:
        return None


class _Problems:
    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, sheet: str, row: int | None, message: str) -> None:
        where = f"sheet '{sheet}' row {row}" if row else f"sheet '{sheet}'"
        self.items.append(f"{where}: {message}")


def _open_workbook(raw: bytes, source: str) -> Any:
    try:
        return xlsx.open_workbook(raw)
    except xlsx.UnreadableWorkbook as exc:
        message = str(exc)
        if exc.kind == xlsx.UnreadableWorkbook.DAMAGED:
            message = "not a valid Excel workbook (the .xlsx container is damaged or truncated)"
        raise QuestionnaireError(source, [message]) from None


def convert_template_bytes(raw: bytes, source: str, scale: str = "maturity-0-5",
                           questionnaire_id: str | None = None) -> dict:
    """Read a filled-in template (the bytes of an .xlsx) into our format, or raise a located error."""
    workbook = _open_workbook(raw, source)
    try:
        meta_sheet = xlsx.sheet(workbook, META_SHEET)
        questions_sheet = xlsx.sheet(workbook, QUESTIONS_SHEET)
        if meta_sheet is None or questions_sheet is None:
            missing = " and ".join(f"'{n}'" for n, s in ((META_SHEET, meta_sheet),
                                                         (QUESTIONS_SHEET, questions_sheet)) if s is None)
            sheets = ", ".join(f"'{n}'" for n in workbook.sheetnames) or "none"
            raise QuestionnaireError(source, [f"not a vCISO questionnaire template: no sheet {missing} "
                                              f"(the workbook has {sheets}); write one with "
                                              f"'vciso questionnaire template'"])
        problems = _Problems()
        meta_rows = list(xlsx.rows(meta_sheet))
        question_rows = []
        for count, item in enumerate(xlsx.rows(questions_sheet)):
            if count > MAX_QUESTION_ROWS:
                problems.add(QUESTIONS_SHEET, None, f"more than {MAX_QUESTION_ROWS} rows; split the "
                                                    f"questionnaire")
                break
            question_rows.append(item)
    except xlsx.UnreadableWorkbook as exc:  # a sheet too large to read: stopped while it streamed
        raise QuestionnaireError(source, [str(exc)]) from None
    finally:
        workbook.close()
    return _TemplateReader(problems, source, scale, questionnaire_id).read(meta_rows, question_rows)


class _TemplateReader:
    def __init__(self, problems: _Problems, source: str, scale: str, questionnaire_id: str | None):
        self.problems = problems
        self.source = source
        self.default_scale = scale
        self.questionnaire_id = questionnaire_id

    def read(self, meta_rows: list[tuple[int, tuple]], question_rows: list[tuple[int, tuple]]) -> dict:
        from vciso.importers import DEFAULT_TARGETS, SCALES, scale_for_import
        from vciso.importers.oscal import slugify

        meta = self.meta(meta_rows)
        scale_key = meta.get("scale") or self.default_scale
        scale_row = meta.get("_rows", {}).get("scale")
        if scale_key not in SCALES:
            if scale_row:
                self.problems.add(META_SHEET, scale_row, f"'scale' must be one of {', '.join(SCALES)}, "
                                                         f"not '{scale_key}'")
                scale_key = "maturity-0-5"
            else:
                scale_for_import(scale_key, self.source)  # raises, naming the known scales
        scale = scale_for_import(scale_key, self.source)
        level_values = [level["value"] for level in scale["levels"]]
        self.level_values = level_values
        self.scale_id = scale["id"]

        rows = meta["_rows"]
        title = meta.get("title", "")
        if not title:
            self.problems.add(META_SHEET, rows.get("title"), "'title' is required")
        version = meta.get("version", "")
        if not version:
            self.problems.add(META_SHEET, rows.get("version"), "'version' is required")
        questionnaire_id = self.questionnaire_id or meta.get("id") or (slugify(title) if title else "")
        if questionnaire_id and not all(c.isalnum() or c in "-_." for c in questionnaire_id):
            self.problems.add(META_SHEET, rows.get("id"), f"'id' may hold only letters, digits, '-', '_' and "
                                                          f"'.', not '{questionnaire_id}'")
        aggregation = meta.get("aggregation") or "mean"
        if aggregation not in AGGREGATIONS:
            self.problems.add(META_SHEET, rows.get("aggregation"),
                              f"'aggregation' must be one of {', '.join(AGGREGATIONS)}, not '{aggregation}'")
        target_text = meta.get("default target", "")
        default_target: float | None = DEFAULT_TARGETS.get(scale_key)
        if target_text:
            default_target = self.level(target_text, scale)
            if default_target is None:
                self.problems.add(META_SHEET, rows.get("default target"),
                                  f"'default target' must be a level of scale '{scale['id']}' "
                                  f"({', '.join(format_value(v) for v in level_values)}), not '{target_text}'")

        sections = self.questions(question_rows, scale, staged=aggregation == "staged")
        if self.problems.items:
            raise QuestionnaireError(self.source, self.problems.items)
        data: dict[str, Any] = {"format": FORMAT_ID, "id": questionnaire_id, "title": title,
                                "version": version}
        for key in ("description", "source", "licence"):
            if meta.get(key):
                data[key] = meta[key]
        data["aggregation"] = aggregation
        if default_target is not None:
            data["default_target"] = plain_number(default_target)
        data["default_scale"] = scale["id"]
        data["scales"] = [scale]
        data["sections"] = sections
        return data

    @staticmethod
    def level(text: str, scale: dict) -> float | None:
        """A level value from a cell: its number, or its label (e.g. 'Defined')."""
        number = _number(text)
        for level in scale["levels"]:
            if (number is not None and level["value"] == number) or level["label"].casefold() == text.casefold():
                return float(level["value"])
        return None

    # ------------------------------------------------------------------ Questionnaire sheet

    def meta(self, rows: list[tuple[int, tuple]]) -> dict[str, Any]:
        known = {key for key, _ in META_FIELDS}
        meta: dict[str, Any] = {"_rows": {}}
        for number, values in rows:
            key = _norm(values[0] if values else None)
            key = _META_ALIASES.get(key, _META_ALIASES.get(key.replace(" ", "_"), key))
            value = _cell_text(values[1]) if len(values) > 1 else ""
            if not key or (number == 1 and key in ("field", "key", "name")):
                continue
            if key not in known:
                self.problems.add(META_SHEET, number, f"unknown field '{values[0]}' (known: "
                                                      f"{', '.join(known_key for known_key, _ in META_FIELDS)})")
                continue
            if key in meta["_rows"]:
                self.problems.add(META_SHEET, number, f"'{key}' is given twice (also row {meta['_rows'][key]})")
                continue
            meta["_rows"][key] = number
            if key in ("scale", "aggregation"):
                value = value.strip().lower().replace(" ", "_" if key == "aggregation" else "-")
            meta[key] = value
        return meta

    # ------------------------------------------------------------------ Questions sheet

    def header(self, rows: list[tuple[int, tuple]]) -> tuple[int, dict[str, int]] | None:
        for number, values in rows:
            names = [_norm(v) for v in values]
            if not any(names):
                continue
            columns: dict[str, int] = {}
            allowed = {name for name, _ in QUESTION_COLUMNS} | set(_EXTRA_COLUMNS)
            for index, name in enumerate(names):
                if not name:
                    continue
                name = {"text": "question", "sub-section": "subsection", "sub section": "subsection",
                        "reference": "references", "tag": "tags"}.get(name, name)
                if name not in allowed:
                    self.problems.add(QUESTIONS_SHEET, number, f"unknown column '{values[index]}'")
                elif name in columns:
                    self.problems.add(QUESTIONS_SHEET, number, f"column '{name}' appears twice")
                else:
                    columns[name] = index
            for name in _REQUIRED_COLUMNS:
                if name not in columns:
                    self.problems.add(QUESTIONS_SHEET, number, f"missing column '{name}'")
            return number, columns
        self.problems.add(QUESTIONS_SHEET, None, "no header row and no questions")
        return None

    def questions(self, rows: list[tuple[int, tuple]], scale: dict, staged: bool) -> list[dict]:
        found = self.header(rows)
        if found is None:
            return []
        header_row, columns = found
        sections: dict[str, dict] = {}
        subsections: dict[tuple[str, str], dict] = {}
        section_ids: set[str] = set()
        question_rows: dict[str, int] = {}
        previous: tuple[str, str] | None = None
        count = 0
        for number, values in rows:
            if number <= header_row:
                continue

            def cell(name: str) -> Any:
                index = columns.get(name)
                return values[index] if index is not None and index < len(values) else None

            if all(_cell_text(v) == "" for v in values):
                continue
            count += 1
            section_title = _cell_text(cell("section"))
            sub_title = _cell_text(cell("subsection"))
            if not section_title:
                if previous is None:
                    self.problems.add(QUESTIONS_SHEET, number, "'section' is required (it may be left blank "
                                                               "only to repeat the section of the row above)")
                    continue
                section_title = previous[0]
                sub_title = sub_title or previous[1]
            previous = (section_title, sub_title)
            question = self.question(number, cell, scale, staged, question_rows)
            if question is None:
                continue
            section = sections.get(section_title)
            if section is None:
                section = {"id": self._section_id(section_title, section_ids), "title": section_title}
                sections[section_title] = section
            target = section
            if sub_title:
                key = (section_title, sub_title)
                target = subsections.get(key)
                if target is None:
                    target = {"id": self._section_id(f"{section['id']}.{sub_title}", section_ids),
                              "title": sub_title}
                    subsections[key] = target
                    section.setdefault("sections", []).append(target)
            target.setdefault("questions", []).append(question)
        if not count:
            self.problems.add(QUESTIONS_SHEET, None, "has no question rows under the header")
        return list(sections.values())

    @staticmethod
    def _section_id(title: str, taken: set[str]) -> str:
        from vciso.importers.oscal import slugify

        base = slugify(title) if title else "section"
        candidate, suffix = base, 2
        while candidate in taken:
            candidate, suffix = f"{base}-{suffix}", suffix + 1
        taken.add(candidate)
        return candidate

    def question(self, number: int, cell, scale: dict, staged: bool,
                 question_rows: dict[str, int]) -> dict | None:
        add = lambda message: self.problems.add(QUESTIONS_SHEET, number, message)  # noqa: E731
        before = len(self.problems.items)
        question_id = _cell_text(cell("id"))
        if not question_id:
            add("'id' is required")
        elif question_id in question_rows:
            add(f"'id' '{question_id}' is already used in row {question_rows[question_id]}")
        else:
            question_rows[question_id] = number
        text = _cell_text(cell("question"))
        if not text:
            add("'question' is required")
        out: dict[str, Any] = {"id": question_id, "text": text}
        for key in ("title", "guidance", "recommendation"):
            value = _cell_text(cell(key))
            if value:
                out[key] = value
        weight_cell = _cell_text(cell("weight"))
        if weight_cell:
            weight = _number(weight_cell)
            if weight is None or weight < 0:
                add(f"'weight' must be a number of 0 or more, not '{weight_cell}'")
            elif weight != 1:
                out["weight"] = plain_number(weight)
        for key, names in (("effort", EFFORT_NAMES), ("criticality", CRITICALITY_NAMES)):
            value = _cell_text(cell(key)).lower()
            if not value:
                continue
            number_value = _number(value)
            if value in names:
                out[key] = value
            elif number_value is not None and number_value.is_integer() and 1 <= number_value <= max(names.values()):
                out[key] = int(number_value)
            else:
                listed = ", ".join(list(names)[:-1]) + f" or {list(names)[-1]}"
                add(f"'{key}' must be {listed}, not '{_cell_text(cell(key))}'")
        for key in ("tags", "references"):
            items = [part.strip() for part in _LIST_SPLIT.split(_cell_text(cell(key))) if part.strip()]
            if items:
                out[key] = items
        levels: dict[int | float, str] = {}
        values = [level["value"] for level in scale["levels"]]
        for n in range(6):
            value = _cell_text(cell(f"descriptor {n}"))
            if not value:
                continue
            if n not in values:
                add(f"'descriptor {n}' is filled but {n} is not a level of scale '{scale['id']}' "
                    f"(levels {', '.join(format_value(v) for v in values)})")
            else:
                levels[n] = value
        if levels:
            out["levels"] = levels
        target_cell = _cell_text(cell("target"))
        if target_cell:
            target = self.level(target_cell, scale)
            if target is None:
                add(f"'target' must be a level of scale '{scale['id']}', not '{target_cell}'")
            else:
                out["target"] = plain_number(target)
        stage_cell = _cell_text(cell("stage"))
        if stage_cell:
            stage = _number(stage_cell)
            if stage is None or not stage.is_integer() or stage < 0:
                add(f"'stage' must be a whole number, not '{stage_cell}'")
            else:
                out["stage"] = int(stage)
        elif staged:
            add("'stage' is required on every question when aggregation is staged")
        return out if len(self.problems.items) == before else None


def write_template(path: Path) -> None:
    """Write a blank questionnaire template (with one example row and a note on every column) atomically;
    a full disk or read-only folder raises DiskFull or ReadOnlyStorage and keeps an earlier file."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    from vciso.importers import SCALES

    bold = Font(bold=True, color="FFFFFF")
    fill = PatternFill("solid", fgColor="1F3A5F")
    example_font = Font(italic=True, color="555555")
    wrap = Alignment(wrap_text=True, vertical="top")

    workbook = Workbook()
    meta = workbook.active
    meta.title = META_SHEET
    meta.append(["Field", "Value", "Notes"])
    for key, note in META_FIELDS:
        meta.append([key, EXAMPLE_META.get(key, ""), note])
    for cell in meta[1]:
        cell.font, cell.fill = bold, fill
    for row in meta.iter_rows(min_row=2):
        row[1].number_format = "@"
        row[1].alignment = wrap
        row[2].alignment = wrap
    meta.column_dimensions["A"].width = 16
    meta.column_dimensions["B"].width = 48
    meta.column_dimensions["C"].width = 80
    keys = [key for key, _ in META_FIELDS]
    scale_row = keys.index("scale") + 2
    aggregation_row = keys.index("aggregation") + 2
    scale_list = DataValidation(type="list", formula1='"' + ",".join(SCALES) + '"', allow_blank=True)
    aggregation_list = DataValidation(type="list", formula1='"' + ",".join(AGGREGATIONS) + '"',
                                      allow_blank=True)
    meta.add_data_validation(scale_list)
    meta.add_data_validation(aggregation_list)
    scale_list.add(f"B{scale_row}")
    aggregation_list.add(f"B{aggregation_row}")
    meta.cell(row=keys.index("default target") + 2, column=2).number_format = "General"
    meta.freeze_panes = "A2"

    sheet = workbook.create_sheet(QUESTIONS_SHEET)
    names = [name for name, _ in QUESTION_COLUMNS]
    sheet.append(names)
    for cell, (_, note) in zip(sheet[1], QUESTION_COLUMNS):
        cell.font, cell.fill = bold, fill
        cell.comment = Comment(note, "vCISO Workbench", width=300, height=110)
    sheet.append([EXAMPLE_ROW.get(name, "") for name in names])
    for cell in sheet[2]:
        cell.font, cell.alignment = example_font, wrap
    widths = {"section": 24, "subsection": 20, "id": 12, "question": 50, "title": 24, "guidance": 50,
              "recommendation": 40, "weight": 8, "effort": 10, "criticality": 11, "tags": 18,
              "references": 18}
    for index, name in enumerate(names, start=1):
        letter = sheet.cell(row=1, column=index).column_letter
        sheet.column_dimensions[letter].width = widths.get(name, 28)
        if name == "id":  # text, so "1.10" stays "1.10" (a column style creates no cells)
            sheet.column_dimensions[letter].number_format = "@"
        if name in ("effort", "criticality"):
            choices = EFFORT_NAMES if name == "effort" else CRITICALITY_NAMES
            validation = DataValidation(type="list", formula1='"' + ",".join(choices) + '"', allow_blank=True)
            sheet.add_data_validation(validation)
            validation.add(f"{letter}2:{letter}1000")
    sheet.freeze_panes = "A2"

    scales = workbook.create_sheet(SCALES_SHEET)
    scales.append(["Scale", "Value", "Label", "Meaning"])
    for cell in scales[1]:
        cell.font, cell.fill = bold, fill
    for key, scale in SCALES.items():
        for level in scale["levels"]:
            scales.append([key, level["value"], level["label"], level["description"]])
    scales.append([])
    scales.append(["This sheet is for reference only; it is not read back."])
    for letter, width in zip("ABCD", (18, 8, 24, 90)):
        scales.column_dimensions[letter].width = width
    with atomic_path(Path(path), mode=0o644) as tmp:  # readable by others, as before: a blank form holds no secret
        workbook.save(tmp)
