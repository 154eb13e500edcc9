"""Reading back the Excel questionnaire a client filled in (the writer is exports/questionnaire_workbook.py).

The workbook identifies itself: a hidden `_meta` sheet (and workbook custom properties) records the
questionnaire id and version, the client and the assessment it was exported for. Reading checks that it
belongs to the assessment's questionnaire and version, then returns one `ImportRow` per question row,
located as "sheet 'Questions' row N", for `answer_import.plan_import` to validate and preview, together
with who filled the file in and when (the respondent cells of the Instructions sheet). A cell holding an
error value (#VALUE!, #DIV/0!: what a spreadsheet shows for a failed formula) is never imported as an
answer: its row carries a problem naming the sheet, row and cell, so the import writes nothing.

The layout constants live here, in the core, so the writer and the reader cannot drift apart.
openpyxl is imported inside the reading function, so loading this module costs nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from vciso.answer_import import MAX_ANSWER_FILE_BYTES, AnswerRows, ImportRow, read_answer_bytes
from vciso.errors import ImportProblem
from vciso.importers import workbook as xlsx
from vciso.questionnaire import Questionnaire, format_value

WORKBOOK_KIND = "vciso-questionnaire-workbook/1"
INSTRUCTIONS_SHEET = "Instructions"
QUESTIONS_SHEET = "Questions"
LISTS_SHEET = "Lists"
META_SHEET = "_meta"
OVERFLOW_SHEET = "Overflow"
CUSTOM_PROPERTY_PREFIX = "vciso."

# Column headers of the Questions sheet, in the order the writer lays them out.
COL_SECTION = "Section"
COL_ID = "ID"
COL_QUESTION = "Question"
COL_GUIDANCE = "Guidance"
COL_LEVEL_MEANINGS = "What the levels mean"
COL_LEVEL = "Your level"
COL_TARGET = "Target level"
COL_NOTES = "Notes"
COL_EVIDENCE = "Evidence"
COL_NA_REASON = "N/A reason"
ANSWER_COLUMNS = (COL_LEVEL, COL_TARGET, COL_NOTES, COL_EVIDENCE, COL_NA_REASON)

# Keys of the _meta sheet (also written as custom properties "vciso.<key>").
META_KEYS = ("kind", "questionnaire_id", "questionnaire_version", "questionnaire_title", "client_id",
             "client_name", "assessment_id", "assessment_name", "exported_at", "prefilled", "app")

# Text longer than an Excel cell holds: the cell keeps the start followed by this marker, and the rest
# is on the Overflow sheet (columns Sheet, Cell, Item, Part, Text), in order of Part.
OVERFLOW_MARKER = " [… continued on sheet 'Overflow']"
OVERFLOW_HEADERS = ("Sheet", "Cell", "Item", "Part", "Text")

NA_TEXT = "N/A"
MAX_QUESTION_ROWS = 20_000

# The respondent block of the Instructions sheet: each label in column B, the client's entry beside it.
RESPONDENT_NAME_LABEL = "Filled in by"
RESPONDENT_DATE_LABEL = "Date filled in"
ANSWERED_LABEL = "Answered"
REMAINING_LABEL = "Still to answer"
RESPONDENT_LIMIT = 100  # characters of a name or date kept for the history

# What a spreadsheet stores in a cell whose formula failed (openpyxl reads the cached error as this text).
# A client's note typed as "=x" or "- item" into a cell that was not Text became such a formula.
ERROR_VALUES = frozenset({"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A",
                          "#GETTING_DATA", "#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!", "#CONNECT!",
                          "#UNKNOWN!", "#BUSY!"})

_HEADER_ALIASES = {
    "id": {"id", "question id"},
    "level": {"your level", "level", "current level", "current"},
    "target": {"target level", "target"},
    "note": {"notes", "note"},
    "evidence": {"evidence", "supporting evidence", "proof"},
    "na_reason": {"n/a reason", "na reason", "not applicable reason", "reason for n/a"},
}


# The answer cells checked for error values: (column key, what the message calls it, how to fix it).
_ERROR_CHECKS = (("level", "level", "pick a level from the list"), ("target", "target level", "pick a level "
                 "from the list or leave it empty"), ("note", "notes", "retype the text"),
                 ("evidence", "evidence", "retype the text"), ("na_reason", "N/A reason", "retype the text"))


def level_choice(value: float, label: str) -> str:
    """A level as the drop-down shows it, e.g. "3 – Defined" (read back by value or label)."""
    return f"{format_value(value)} – {label}"


def _open(path: Path) -> Any:
    raw = read_answer_bytes(path, MAX_ANSWER_FILE_BYTES)
    try:
        return xlsx.open_workbook(raw)
    except xlsx.UnreadableWorkbook as exc:
        raise ImportProblem(f"{path.name}: {exc}") from None


def read_meta(workbook: Any) -> dict[str, str]:
    """What the workbook says about itself: the _meta sheet, else the custom properties."""
    meta: dict[str, str] = {}
    sheet = xlsx.sheet(workbook, META_SHEET)
    if sheet is not None:
        for _, values in xlsx.rows(sheet):
            if len(values) >= 2 and xlsx.cell_text(values[0]):
                meta[xlsx.norm(values[0])] = xlsx.cell_text(values[1]) or ""
    if not meta.get("kind"):
        for prop in getattr(workbook, "custom_doc_props", None) or []:
            name = str(getattr(prop, "name", "") or "")
            if name.startswith(CUSTOM_PROPERTY_PREFIX):
                value = xlsx.cell_text(getattr(prop, "value", None))
                meta[xlsx.norm(name[len(CUSTOM_PROPERTY_PREFIX):])] = value or ""
    return meta


def _check_identity(name: str, meta: dict[str, str], questionnaire: Questionnaire) -> None:
    if meta.get("kind") != WORKBOOK_KIND:
        raise ImportProblem(f"{name}: not a questionnaire workbook exported by vCISO Workbench (it does not "
                            f"say which questionnaire it is for); export one with 'vciso export "
                            f"questionnaire' and fill that in")
    wanted_id, wanted_version = meta.get("questionnaire_id", ""), meta.get("questionnaire_version", "")
    if (wanted_id, wanted_version) != (questionnaire.id, questionnaire.version):
        raise ImportProblem(f"{name} was exported for questionnaire '{wanted_id}' version {wanted_version}, "
                            f"but this assessment uses '{questionnaire.id}' {questionnaire.version}")


def _header(rows: list[tuple[int, tuple]]) -> tuple[int, dict[str, int]] | None:
    """The header row (within the first rows) and the column index of each field it names."""
    for number, values in rows[:20]:
        columns: dict[str, int] = {}
        for index, value in enumerate(values):
            text = xlsx.norm(value)
            for key, aliases in _HEADER_ALIASES.items():
                if text in aliases and key not in columns:
                    columns[key] = index
        if "id" in columns and "level" in columns:
            return number, columns
    return None


def error_value(value: Any) -> str | None:
    """The error a cell holds ("#VALUE!"), or None when it holds an answer."""
    if isinstance(value, str) and value.strip() in ERROR_VALUES:
        return value.strip()
    return None


def _respondent(rows: list[tuple[int, tuple]]) -> tuple[dict[str, str], list[ImportRow]]:
    """The name and date typed into the Instructions sheet ({"name": ..., "date": ...}, each when given),
    and a row with a problem for each of those cells holding an error value."""
    found: dict[str, str] = {}
    problems = []
    wanted = {xlsx.norm(RESPONDENT_NAME_LABEL): "name", xlsx.norm(RESPONDENT_DATE_LABEL): "date"}
    for number, values in rows:
        for index, value in enumerate(values[:-1]):
            key = wanted.get(xlsx.norm(value))
            if key is None or key in found:
                continue
            entry = values[index + 1]
            error = error_value(entry)
            if error is not None:
                problems.append(ImportRow(f"sheet '{INSTRUCTIONS_SHEET}' row {number}", "", problems=(
                    f"the '{RESPONDENT_NAME_LABEL if key == 'name' else RESPONDENT_DATE_LABEL}' cell holds the "
                    f"error {error} — retype the {key}",)))
                found[key] = ""
                continue
            text = " ".join((xlsx.cell_text(entry) or "").split())
            found[key] = text[:RESPONDENT_LIMIT]
    return {key: text for key, text in found.items() if text}, problems


def filled_in(respondent: dict[str, str]) -> str:
    """'filled in by Dana Levi on 2025-03-14' (or by a name, or on a date), '' when neither is given."""
    name, date = respondent.get("name"), respondent.get("date")
    if not name and not date:
        return ""
    return "filled in" + (f" by {name}" if name else "") + (f" on {date}" if date else "")


def _overflow(workbook: Any) -> dict[str, list[str]]:
    """Continuations of over-long cells of the Questions sheet, by cell reference, in order."""
    sheet = xlsx.sheet(workbook, OVERFLOW_SHEET)
    if sheet is None:
        return {}
    parts: dict[str, list[tuple[float, str]]] = {}
    for _, values in list(xlsx.rows(sheet))[1:]:
        values = tuple(values) + (None,) * 5
        if xlsx.norm(values[0]) != QUESTIONS_SHEET.casefold() or not xlsx.cell_text(values[1]):
            continue
        try:
            part = float(values[3])
        except (TypeError, ValueError):
            continue
        parts.setdefault(str(values[1]).strip().upper(), []).append((part, xlsx.cell_text(values[4]) or ""))
    return {cell: [text for _, text in sorted(items)] for cell, items in parts.items()}


def read_questionnaire_workbook(path: Path, questionnaire: Questionnaire) -> AnswerRows:
    """The answers in a filled-in questionnaire workbook, one row per question row of the sheet, with
    who filled it in and when (`filled_in`, "" when the client left those cells empty).

    Raises ImportProblem when the file is not an xlsx, is damaged, too large, or was exported for
    another questionnaire or version. Values are returned as written ("3 – Defined", "Defined", 3,
    "N/A"); `plan_import` validates them. An empty answer cell means "keep what is stored". An answer
    cell holding an error value gives its row a problem (sheet, row and cell named), never an answer.
    """
    from openpyxl.utils import get_column_letter

    path = Path(path)
    name = path.name
    workbook = _open(path)
    try:
        _check_identity(name, read_meta(workbook), questionnaire)
        sheet = xlsx.sheet(workbook, QUESTIONS_SHEET)
        if sheet is None:
            raise ImportProblem(f"{name}: the sheet '{QUESTIONS_SHEET}' is missing (the workbook has "
                                f"{', '.join(repr(s) for s in workbook.sheetnames)})")
        rows = list(xlsx.rows(sheet))
        overflow = _overflow(workbook)
        instructions = xlsx.sheet(workbook, INSTRUCTIONS_SHEET)
        respondent, respondent_problems = _respondent(list(xlsx.rows(instructions)) if instructions else [])
    except xlsx.UnreadableWorkbook as exc:  # a sheet too large to read: stopped while it streamed
        raise ImportProblem(f"{name}: {exc}") from None
    finally:
        workbook.close()
    if len(rows) > MAX_QUESTION_ROWS:
        raise ImportProblem(f"{name}: sheet '{QUESTIONS_SHEET}' has more than {MAX_QUESTION_ROWS} rows")
    header = _header(rows)
    if header is None:
        raise ImportProblem(f"{name}: sheet '{QUESTIONS_SHEET}' has no header row with '{COL_ID}' and "
                            f"'{COL_LEVEL}' columns")
    header_row, columns = header

    def cell(values: tuple, key: str) -> Any:
        index = columns.get(key)
        return values[index] if index is not None and index < len(values) else None

    def long_text(values: tuple, number: int, key: str) -> str | None:
        """A free-text cell, with its continuation from the Overflow sheet when the writer had to split it."""
        text = xlsx.cell_text(cell(values, key))
        if text is not None and text.endswith(OVERFLOW_MARKER):
            ref = f"{get_column_letter(columns[key] + 1)}{number}"
            if ref in overflow:
                text = text[: -len(OVERFLOW_MARKER)] + "".join(overflow[ref])
        return text

    result = AnswerRows(respondent_problems, filled_in=filled_in(respondent))
    for number, values in rows:
        if number <= header_row:
            continue
        where = f"sheet '{QUESTIONS_SHEET}' row {number}"
        problems = []
        for key, what, fix in _ERROR_CHECKS:
            error = error_value(cell(values, key))
            if error is not None:
                problems.append(f"the {what} cell holds the error {error} — {fix}")
        if problems:  # the row's values are not answers: nothing of it is read
            result.append(ImportRow(where, (xlsx.cell_text(cell(values, "id")) or "").strip(),
                                    problems=tuple(problems)))
            continue
        question_id = (xlsx.cell_text(cell(values, "id")) or "").strip()
        level = cell(values, "level")
        level = level.strip() if isinstance(level, str) else level
        target = cell(values, "target")
        target = target.strip() if isinstance(target, str) else target
        na_reason = xlsx.cell_text(cell(values, "na_reason"))
        note = long_text(values, number, "note")
        evidence = long_text(values, number, "evidence")
        if isinstance(level, str) and level.upper() in ("N/A", "NA") and na_reason and na_reason.strip():
            level = None  # the reason marks it N/A
        if not question_id and all(v in (None, "") for v in (level, target, note, na_reason, evidence)):
            continue
        result.append(ImportRow(where, question_id, level if level != "" else None,
                                target if target != "" else None, note, na_reason, evidence=evidence))
    return result
