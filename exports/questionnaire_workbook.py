"""The Excel questionnaire a client fills in on their own and sends back (read by vciso/questionnaire_xlsx.py).

Sheets: Instructions (plain words, who filled it in and when, a live count of the questions answered
and still to answer, the answer scale), Questions (one row per question, drop-downs for the levels), and
hidden helper sheets: Lists (drop-down values when they do not fit in a validation) and _meta (what the
file is: questionnaire id and version, client, assessment). Only the answer cells (level, target, notes,
evidence, N/A reason) and the respondent's name and date can be edited; the workbook structure is
protected so sheets keep their names. The free-text cells are formatted as Text, so what a client types
there ("+49 30 1234", "- item", "=x", "0012") stays the text typed instead of becoming a formula or a number.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl.packaging.custom import StringProperty
from openpyxl.styles import Alignment, Font, Protection
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from exports.progress import Steps, run_to_end
from exports.xlsx_common import BOX, TOP, WRAP, Book, Column, prepared_by
from vciso import __version__
from vciso.questionnaire import Question, Scale
from vciso.questionnaire_xlsx import (ANSWERED_LABEL, COL_EVIDENCE, COL_GUIDANCE, COL_ID, COL_LEVEL,
                                      COL_LEVEL_MEANINGS, COL_NA_REASON, COL_NOTES, COL_QUESTION, COL_SECTION,
                                      COL_TARGET, CUSTOM_PROPERTY_PREFIX, INSTRUCTIONS_SHEET, LISTS_SHEET,
                                      META_SHEET, NA_TEXT, QUESTIONS_SHEET, REMAINING_LABEL,
                                      RESPONDENT_DATE_LABEL, RESPONDENT_NAME_LABEL, WORKBOOK_KIND, level_choice)
from vciso.report import FindingRow, Report

LIST_LITERAL_LIMIT = 255  # Excel's limit on a drop-down list written into the validation itself
UNLOCKED = Protection(locked=False)
# Excel's and LibreOffice's "Text" format: what is typed into the cell is kept as typed, never read as a
# formula ("=x", "+49 30 1234", "- item"), a number ("0012") or a date ("03-04").
TEXT_FORMAT = "@"


def _protect(ws: Worksheet) -> None:
    """Protect a sheet without a password: answer cells stay editable, columns can be resized, filters used."""
    protection = ws.protection
    protection.sheet = True
    protection.formatColumns = False
    protection.formatRows = False
    protection.autoFilter = False
    protection.selectLockedCells = False
    protection.selectUnlockedCells = False


def _choices(scale: Scale, with_na: bool) -> list[str]:
    values = [level_choice(level.value, level.label) for level in scale.levels]
    return values + [NA_TEXT] if with_na and scale.na_allowed else values


class _Lists:
    """Drop-down lists by scale: written into the validation when short and plain, else on the Lists sheet."""

    def __init__(self, book: Book):
        self.book = book
        self.sheet: Worksheet | None = None
        self.formulas: dict[tuple[str, bool], str] = {}

    def formula(self, scale: Scale, with_na: bool) -> str:
        key = (scale.id, with_na)
        if key in self.formulas:
            return self.formulas[key]
        items = _choices(scale, with_na)
        literal = '"' + ",".join(items) + '"'
        if len(literal) <= LIST_LITERAL_LIMIT and not any("," in i or '"' in i for i in items):
            self.formulas[key] = literal
            return literal
        if self.sheet is None:
            self.sheet = self.book.wb.create_sheet(LISTS_SHEET)
            self.sheet.sheet_state = "hidden"
        column = self.sheet.max_column + 1 if self.sheet.max_row > 1 or self.sheet["A1"].value else 1
        self.book.text(self.sheet, 1, column, f"{scale.name}{' (with N/A)' if with_na else ''}", alignment=None)
        for row, item in enumerate(items, start=2):
            self.book.text(self.sheet, row, column, item, alignment=None)
        letter = get_column_letter(column)
        formula = f"{quote_sheetname(LISTS_SHEET)}!${letter}$2:${letter}${len(items) + 1}"
        self.formulas[key] = formula
        return formula


def _runs(rows: list[int]) -> list[tuple[int, int]]:
    """Consecutive row numbers grouped into (first, last) runs."""
    runs: list[tuple[int, int]] = []
    for row in rows:
        if runs and runs[-1][1] == row - 1:
            runs[-1] = (runs[-1][0], row)
        else:
            runs.append((row, row))
    return runs


def _level_meanings(question: Question, scale: Scale) -> str:
    if not question.descriptors:
        return ""
    return "\n".join(f"{level_choice(level.value, level.label)}: {question.descriptor(level)}"
                     for level in scale.levels if question.descriptor(level))


def _default_target(report: Report, question: Question) -> float:
    return report.questionnaire.target_for(question, report.assessment.default_target)


_STEPS = 3


def write_questionnaire_workbook(report: Report, path: Path, prefill: bool = True) -> list[str]:
    """Write the fill-in questionnaire for the report's assessment (atomically); returns warnings.

    With `prefill`, the current answers are filled in (a target only where it differs from the default,
    so an untouched row imports as unchanged).
    """
    return run_to_end(iter_write_questionnaire_workbook(report, path, prefill))


def iter_write_questionnaire_workbook(report: Report, path: Path, prefill: bool = True) -> Steps:
    """`write_questionnaire_workbook`, yielding (step, total, message) per sheet; returns warnings."""
    path = Path(path)
    book = Book(report.branding.accent_color)
    instructions = book.wb.active
    instructions.title = INSTRUCTIONS_SHEET
    questions = book.wb.create_sheet(QUESTIONS_SHEET)
    lists = _Lists(book)
    yield 0, _STEPS, "Questions sheet"
    levels = _write_questions(book, questions, report, prefill, lists)
    yield 1, _STEPS, "Instructions sheet"
    _write_instructions(book, instructions, report, prefill, levels)
    yield 2, _STEPS, "Protecting and saving the workbook"
    _write_meta(book, report, prefill)
    book.finish(protect_overflow=True)
    for name in (LISTS_SHEET, META_SHEET):  # helper sheets last
        if name in book.wb.sheetnames:
            sheet = book.wb[name]
            book.wb.move_sheet(sheet, offset=len(book.wb.sheetnames) - 1 - book.wb.index(sheet))
    for ws in book.wb.worksheets:
        if ws.title != QUESTIONS_SHEET:
            _protect(ws)
        ws.sheet_properties.tabColor = book.accent
    book.wb.security = WorkbookProtection(lockStructure=True)
    props = book.wb.properties
    creator = prepared_by(report) or "vCISO Workbench"
    props.creator = props.lastModifiedBy = creator[:255]
    props.title = f"Questionnaire — {report.questionnaire.title} — {report.client.name}"[:255]
    props.subject = f"{report.questionnaire.id} {report.questionnaire.version}"[:255]
    props.category = "Confidential"
    book.wb.active = 0
    book.save(path)
    yield _STEPS, _STEPS, f"Saved {path.name}"
    return book.warnings


def _columns(with_meanings: bool) -> list[Column]:
    columns = [Column(COL_SECTION, 20, wrap=True), Column(COL_ID, 10), Column(COL_QUESTION, 48, wrap=True),
               Column(COL_GUIDANCE, 42, wrap=True)]
    if with_meanings:
        columns.append(Column(COL_LEVEL_MEANINGS, 42, wrap=True))
    return columns + [Column(COL_LEVEL, 20, wrap=True), Column(COL_TARGET, 16, wrap=True),
                      Column(COL_NOTES, 40, wrap=True), Column(COL_EVIDENCE, 32, wrap=True),
                      Column(COL_NA_REASON, 26, wrap=True)]


def _write_questions(book: Book, ws: Worksheet, report: Report, prefill: bool, lists: _Lists) -> str:
    """Write the Questions sheet; returns the range of its level cells (for the Instructions' counter)."""
    questionnaire = report.questionnaire
    with_meanings = any(q.descriptors for q in questionnaire.questions())
    columns = _columns(with_meanings)
    index = {column.header: number for number, column in enumerate(columns, start=1)}
    book.header_row(ws, 1, columns)
    level_col, target_col = index[COL_LEVEL], index[COL_TARGET]
    text_cols = (index[COL_NOTES], index[COL_EVIDENCE], index[COL_NA_REASON])
    answer_cols = (level_col, target_col, *text_cols)
    rows_by_scale: dict[str, list[int]] = {}
    scales: dict[str, Scale] = {}
    row = 1
    for finding in report.findings:
        row += 1
        question = questionnaire.question(finding.question_id)
        assert question is not None
        scale = questionnaire.scale_for(question)
        scales[scale.id] = scale
        rows_by_scale.setdefault(scale.id, []).append(row)
        qid = finding.question_id
        book.text(ws, row, index[COL_SECTION], " › ".join(finding.section_path), item=f"{qid} section")
        book.text(ws, row, index[COL_ID], qid, item=f"{qid} id", alignment=TOP)
        text = f"{finding.title}: {finding.text}" if finding.title and finding.title not in finding.text \
            else finding.text
        book.text(ws, row, index[COL_QUESTION], text, item=f"{qid} question")
        book.text(ws, row, index[COL_GUIDANCE], finding.guidance, item=f"{qid} guidance")
        if with_meanings:
            book.text(ws, row, index[COL_LEVEL_MEANINGS], _level_meanings(question, scale), item=f"{qid} levels")
        for column in answer_cols:
            cell = ws.cell(row=row, column=column)
            cell.protection = UNLOCKED
            cell.fill = book.input_fill
            cell.border = BOX
            cell.alignment = WRAP
            if column in text_cols:
                cell.number_format = TEXT_FORMAT
        if prefill:
            _prefill(book, ws, row, finding, report, question, scale, index)
    last = max(row, 2)
    for scale_id, rows in rows_by_scale.items():
        scale = scales[scale_id]
        for column, with_na, title in ((level_col, True, "Your level"), (target_col, False, "Target level")):
            choices = ", ".join(_choices(scale, with_na))
            validation = DataValidation(
                type="list", formula1=lists.formula(scale, with_na), allow_blank=True, showErrorMessage=True,
                showInputMessage=True, errorTitle=title, promptTitle=title,
                error=f"Pick one of the levels in the list ({choices[:180]}).",
                prompt=("Pick the level that best describes today." if with_na else
                        "Optional: the level to reach. Empty keeps the usual target.")[:255])
            letter = get_column_letter(column)
            for first, end in _runs(rows):
                validation.add(f"{letter}{first}:{letter}{end}")
            ws.add_data_validation(validation)
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{last}"
    book.fit_rows(ws, 1, last)
    ws.freeze_panes = "C2"
    _protect(ws)
    book.print_setup(ws, "1:1", footer_left=f"{report.client.name} — questionnaire — confidential")
    level_letter = get_column_letter(level_col)
    return f"{quote_sheetname(ws.title)}!${level_letter}$2:${level_letter}${last}"


def _prefill(book: Book, ws: Worksheet, row: int, finding: FindingRow, report: Report, question: Question,
             scale: Scale, index: dict[str, int]) -> None:
    qid = finding.question_id
    if finding.status == "na":
        book.text(ws, row, index[COL_LEVEL], NA_TEXT)
    elif finding.status == "answered" and finding.level_value is not None:
        book.text(ws, row, index[COL_LEVEL], level_choice(finding.level_value, scale.label(finding.level_value)))
    if finding.target_value != _default_target(report, question):
        book.text(ws, row, index[COL_TARGET], level_choice(finding.target_value, scale.label(finding.target_value)))
    book.text(ws, row, index[COL_NOTES], finding.note, item=f"{qid} notes")
    book.text(ws, row, index[COL_EVIDENCE], finding.evidence, item=f"{qid} evidence")
    book.text(ws, row, index[COL_NA_REASON], finding.na_reason, item=f"{qid} N/A reason")


def _input_cell(book: Book, ws: Worksheet, row: int, column: int, prompt_title: str, prompt: str) -> None:
    """A yellow cell the client types into: unlocked, Text format, with a prompt when selected."""
    cell = ws.cell(row=row, column=column)
    cell.protection = UNLOCKED
    cell.fill = book.input_fill
    cell.border = BOX
    cell.alignment = Alignment(horizontal="left", vertical="top", wrap_text=True)
    cell.number_format = TEXT_FORMAT
    validation = DataValidation(allow_blank=True, showInputMessage=True, promptTitle=prompt_title[:32],
                                prompt=prompt[:255])
    validation.add(cell.coordinate)
    ws.add_data_validation(validation)


def _write_respondent(book: Book, ws: Worksheet, row: int, report: Report, levels: str) -> int:
    """Who filled the file in and when (typed by the client, read back on import), and a live count of the
    questions answered and still to answer; returns the next free row."""
    book.text(ws, row, 1, "Your answers", alignment=None, font=book.subtitle_font)
    for label, title, prompt in (
            (RESPONDENT_NAME_LABEL, "Your name", "Your name, so your consultant knows who answered."),
            (RESPONDENT_DATE_LABEL, "Date", "The date you filled this in, e.g. 2025-03-14.")):
        row += 1
        book.text(ws, row, 2, label, alignment=TOP, font=book.label_font)
        _input_cell(book, ws, row, 3, title, prompt)
    total = len(report.findings)
    for label, formula in ((ANSWERED_LABEL, f"=COUNTA({levels})"),
                           (REMAINING_LABEL, f"={total}-COUNTA({levels})")):
        row += 1
        book.text(ws, row, 2, label, alignment=TOP, font=book.label_font)
        cell = ws.cell(row=row, column=3, value=formula)
        cell.number_format = "0"
        cell.font = Font(bold=True, color=book.accent)
        cell.alignment = Alignment(horizontal="left", vertical="top")
    row += 1
    explanation = (f"'{ANSWERED_LABEL}' counts the questions with something in '{COL_LEVEL}' on the "
                   f"'{QUESTIONS_SHEET}' sheet ('{NA_TEXT}' counts as answered); '{REMAINING_LABEL}' counts "
                   f"those still empty, out of {total}. Both update as you fill in the sheet.")
    book.text(ws, row, 2, explanation, font=book.muted_font)
    ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=3)
    ws.row_dimensions[row].height = 15 * (1 + len(explanation) // 110) + 3
    return row + 1


def _write_instructions(book: Book, ws: Worksheet, report: Report, prefill: bool, levels: str) -> None:
    questionnaire = report.questionnaire
    ws.column_dimensions["A"].width = 6
    ws.column_dimensions["B"].width = 26
    ws.column_dimensions["C"].width = 90
    ws.sheet_view.showGridLines = False
    book.text(ws, 1, 1, f"Questionnaire: {questionnaire.title}", alignment=None, font=book.title_font)
    book.text(ws, 2, 1, report.client.name, alignment=None, font=book.subtitle_font)
    sender = prepared_by(report) or report.assessment.assessor or "your consultant"
    row = book.key_values(ws, 4, [
        ("Prepared for", report.client.name), ("Assessment", report.assessment.name),
        ("From", sender), ("Questions", str(questionnaire.question_count)),
    ], column=2)
    for r in range(4, row):
        ws.cell(row=r, column=3).alignment = Alignment(horizontal="left", vertical="top")
    row = _write_respondent(book, ws, row + 1, report, levels)
    scale = questionnaire.default_scale
    usual = next((t for t in (report.assessment.default_target, questionnaire.default_target) if t is not None),
                 scale.max_value)
    default_target = min(max(usual, scale.min_value), scale.max_value)
    steps = [
        f"Open the '{QUESTIONS_SHEET}' sheet. Each row is one question; read the question and the guidance "
        f"next to it.",
        f"In '{COL_LEVEL}', pick from the drop-down list the level that best describes how things are today. "
        f"The levels are explained below. An honest answer gives the most useful plan; if you are not sure, "
        f"pick the lower level and say so in '{COL_NOTES}'.",
        f"If a question does not apply to your organisation, pick '{NA_TEXT}' and write why in "
        f"'{COL_NA_REASON}' (a reason is required). If you pick a level, leave '{COL_NA_REASON}' empty.",
        f"'{COL_TARGET}' is optional: the level you would like to reach. Leave it empty to keep the usual "
        f"target ({level_choice(default_target, scale.label(default_target))}).",
        f"Use '{COL_NOTES}' for anything useful: what you do today, the tools you use, exceptions, who to ask.",
        f"'{COL_EVIDENCE}' is optional: name what shows the answer is true, such as a document, a screenshot, "
        f"a report or the system where it can be seen.",
        "Only the yellow cells can be changed. Please do not rename sheets, or add, move or delete rows: "
        "answers are matched to questions by their ID.",
        f"Write your name and the date in '{RESPONDENT_NAME_LABEL}' and '{RESPONDENT_DATE_LABEL}' above, so "
        f"{sender} knows who answered and when.",
        f"Save the file as an Excel workbook (.xlsx) and send it back to {sender}. Cells you leave empty "
        f"change nothing.",
    ]
    if prefill:
        steps.insert(1, f"Some answers are already filled in from the assessment '{report.assessment.name}'. "
                        f"Check them and correct anything that is no longer true.")
    row += 1
    book.text(ws, row, 1, "How to fill it in", alignment=None, font=book.subtitle_font)
    for number, step in enumerate(steps, start=1):
        row += 1
        ws.cell(row=row, column=1, value=number).alignment = Alignment(horizontal="center", vertical="top")
        book.text(ws, row, 2, step)
        ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=3)
        ws.row_dimensions[row].height = 15 * (1 + len(step) // 110) + 3
    used: dict[str, Scale] = {}
    for question in questionnaire.questions():
        used.setdefault(questionnaire.scale_for(question).id, questionnaire.scale_for(question))
    for scale in used.values() or [questionnaire.default_scale]:
        row += 2
        book.text(ws, row, 1, f"The levels: {scale.name}", alignment=None, font=book.subtitle_font)
        header = row + 1
        book.header_row(ws, header, [Column("#", 6), Column("Level", 26, wrap=True),
                                     Column("What it means", 90, wrap=True)])
        items = [(level_choice(level.value, level.label), level.description) for level in scale.levels]
        if scale.na_allowed:
            items.append((NA_TEXT, "The question does not apply to your organisation (write why)."))
        for offset, (label, description) in enumerate(items, start=1):
            r = header + offset
            ws.cell(row=r, column=1, value=offset).alignment = Alignment(horizontal="center", vertical="top")
            book.text(ws, r, 2, label)
            book.text(ws, r, 3, description)
        row = header + len(items)
        book.table(ws, "Levels", header, row, 1, 3)
        book.fit_rows(ws, header, row)
    row += 2
    book.text(ws, row, 1, f"Questionnaire '{questionnaire.id}', version {questionnaire.version}. "
                          f"Exported {report.generated_at:%Y-%m-%d} by vCISO Workbench.",
              alignment=None, font=book.muted_font)
    book.print_setup(ws, None, footer_left=f"{report.client.name} — questionnaire — confidential",
                     landscape=False)


def _write_meta(book: Book, report: Report, prefill: bool) -> None:
    ws = book.wb.create_sheet(META_SHEET)
    ws.sheet_state = "hidden"
    values = {
        "kind": WORKBOOK_KIND, "questionnaire_id": report.questionnaire.id,
        "questionnaire_version": report.questionnaire.version,
        "questionnaire_title": report.questionnaire.title, "client_id": report.client.id,
        "client_name": report.client.name, "assessment_id": str(report.assessment.id),
        "assessment_name": report.assessment.name,
        "exported_at": report.generated_at.isoformat(timespec="seconds"),
        "prefilled": "yes" if prefill else "no", "app": f"vCISO Workbench {__version__}",
    }
    ws.column_dimensions["A"].width = 24
    ws.column_dimensions["B"].width = 60
    for row, (key, value) in enumerate(values.items(), start=1):
        book.text(ws, row, 1, key, alignment=None)
        book.text(ws, row, 2, value, alignment=None)
        text = " ".join(str(value).split())[:255] or "-"
        book.wb.custom_doc_props.append(StringProperty(name=f"{CUSTOM_PROPERTY_PREFIX}{key}", value=text))
