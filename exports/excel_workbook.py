"""The Excel deliverable: Summary (scores and native charts), Responses, Roadmap and Method sheets.

`write_workbook(report, path)` takes the plain report object and writes the workbook atomically;
it returns warnings (text too long for a cell, characters Excel cannot store) for the caller to show.
`iter_write_workbook` does the same, yielding progress sheet by sheet for the desktop app.
User text is never turned into a formula and never silently cut (see exports/xlsx_common.py).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl.formatting.rule import CellIsRule, FormulaRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from exports.progress import Steps, run_to_end
from exports.xlsx_common import CENTER_TOP, FONT_NAME, TOP, Book, Column, prepared_by
from exports.xlsx_method import write_method
from exports.xlsx_summary import score_format, write_summary
from vciso.report import Report
from vciso.roadmap import CRITICALITY_LABELS, EFFORT_LABELS, STATUSES

SUMMARY_SHEET = "Summary"
RESPONSES_SHEET = "Responses"
ROADMAP_SHEET = "Roadmap"
METHOD_SHEET = "Method"
LISTS_SHEET = "Lists"

GREEN_FILL = PatternFill("solid", fgColor="C6EFCE")
GREEN_FONT = Font(color="006100")
RED_FILL = PatternFill("solid", fgColor="FFC7CE")
RED_FONT = Font(color="9C0006")
AMBER_FILL = PatternFill("solid", fgColor="FFEB9C")
AMBER_FONT = Font(color="9C5700")
GREY_FONT = Font(color="808080", italic=True)
OVERDUE_FONT = Font(color="9C0006", bold=True)

RESPONSE_COLUMNS = [
    Column("Section", 20, wrap=True), Column("ID", 9), Column("Question", 50, wrap=True),
    Column("Level", 14, wrap=True), Column("Value", 7), Column("Target", 7), Column("Shortfall", 9),
    Column("Notes", 42, wrap=True), Column("N/A reason", 24, wrap=True), Column("Evidence", 24, wrap=True),
    Column("Flagged", 8), Column("Recommendation", 45, wrap=True),
]
ROADMAP_COLUMNS = [
    Column("#", 5), Column("Phase", 12, wrap=True), Column("Priority", 8), Column("Item", 28, wrap=True),
    Column("Question", 10), Column("Recommendation", 48, wrap=True), Column("Effort", 9),
    Column("Criticality", 10), Column("Quick win", 7, wrap=True), Column("Owner", 20, wrap=True),
    Column("Due date", 11), Column("Status", 12), Column("Notes", 34, wrap=True),
]


_STEPS = 5


def write_workbook(report: Report, path: Path) -> list[str]:
    """Write the deliverable workbook to `path` (atomically); returns warnings for the user."""
    return run_to_end(iter_write_workbook(report, path))


def iter_write_workbook(report: Report, path: Path) -> Steps:
    """Write the deliverable workbook to `path` (atomically), yielding (step, total, message) per sheet;
    returns warnings for the user."""
    path = Path(path)
    book = Book(report.branding.accent_color)
    summary = book.wb.active
    summary.title = SUMMARY_SHEET
    responses = book.wb.create_sheet(RESPONSES_SHEET)
    roadmap = book.wb.create_sheet(ROADMAP_SHEET)
    method = book.wb.create_sheet(METHOD_SHEET)
    yield 0, _STEPS, "Summary sheet and charts"
    write_summary(book, summary, report)
    yield 1, _STEPS, "Responses sheet"
    _write_responses(book, responses, report)
    yield 2, _STEPS, "Roadmap sheet"
    _write_roadmap(book, roadmap, report)
    yield 3, _STEPS, "Method sheet"
    write_method(book, method, report)
    yield 4, _STEPS, "Saving the workbook"
    book.finish()
    if LISTS_SHEET in book.wb.sheetnames:  # the hidden helper sheet goes last
        lists = book.wb[LISTS_SHEET]
        book.wb.move_sheet(lists, offset=len(book.wb.sheetnames) - 1 - book.wb.index(lists))
    for ws in book.wb.worksheets:
        ws.sheet_properties.tabColor = book.accent
    _properties(book, report)
    book.wb.active = 0
    book.save(path)
    yield _STEPS, _STEPS, f"Saved {path.name}"
    return book.warnings


def _properties(book: Book, report: Report) -> None:
    props = book.wb.properties
    creator = prepared_by(report) or "vCISO Workbench"
    props.creator = creator[:255]
    props.lastModifiedBy = creator[:255]
    props.title = f"{report.client.name} — {report.assessment.name} — security maturity assessment"[:255]
    props.subject = f"{report.questionnaire.title} {report.questionnaire.version}"[:255]
    props.description = "Security maturity assessment: scores, responses, roadmap and method. Confidential."
    props.keywords = "security assessment, maturity, roadmap, confidential"
    props.category = "Confidential"
    stamp = report.generated_at.astimezone(dt.timezone.utc).replace(tzinfo=None)
    props.created = props.modified = stamp


def _write_responses(book: Book, ws: Worksheet, report: Report) -> None:
    fmt = score_format(report)
    book.header_row(ws, 1, RESPONSE_COLUMNS)
    row = 1
    for finding in report.findings:
        row += 1
        qid = finding.question_id
        book.text(ws, row, 1, " › ".join(finding.section_path), item=f"{qid} section")
        book.text(ws, row, 2, qid, item=f"{qid} id", alignment=TOP)
        book.text(ws, row, 3, finding.text, item=f"{qid} question")
        if finding.status == "na":
            book.text(ws, row, 4, "N/A")
        elif finding.status == "unanswered":
            book.text(ws, row, 4, "Unanswered", font=GREY_FONT)
        else:
            book.text(ws, row, 4, finding.level_label, item=f"{qid} level")
        book.number(ws, row, 5, finding.level_value, fmt, CENTER_TOP)
        book.number(ws, row, 6, finding.target_value, fmt, CENTER_TOP)
        book.number(ws, row, 7, finding.gap, fmt, CENTER_TOP)
        book.text(ws, row, 8, finding.note, item=f"{qid} notes")
        book.text(ws, row, 9, finding.na_reason, item=f"{qid} N/A reason")
        book.text(ws, row, 10, finding.evidence, item=f"{qid} evidence")
        book.text(ws, row, 11, "Yes" if finding.flagged else "", alignment=CENTER_TOP)
        book.text(ws, row, 12, finding.recommendation, item=f"{qid} recommendation")
    last = max(row, 2)
    book.table(ws, "AllResponses", 1, last, 1, len(RESPONSE_COLUMNS))
    gap_range = f"G2:G{last}"
    ws.conditional_formatting.add(gap_range, CellIsRule(operator="greaterThanOrEqual", formula=["2"],
                                                        fill=RED_FILL, font=RED_FONT))
    ws.conditional_formatting.add(gap_range, CellIsRule(operator="greaterThan", formula=["0"],
                                                        fill=AMBER_FILL, font=AMBER_FONT))
    book.shrink_empty_columns(ws, RESPONSE_COLUMNS, 2, last)
    book.fit_rows(ws, 1, last)
    ws.freeze_panes = "C2"
    book.print_setup(ws, "1:1", footer_left=f"{report.client.name} — responses — confidential")


def _due(item_due: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(item_due) if item_due else None
    except ValueError:
        return None


def _write_roadmap(book: Book, ws: Worksheet, report: Report) -> None:
    book.header_row(ws, 1, ROADMAP_COLUMNS)
    row = 1
    for number, item in enumerate(report.roadmap, start=1):
        row += 1
        ref = item.question_id or f"item {number}"
        book.number(ws, row, 1, number, "0", CENTER_TOP)
        book.text(ws, row, 2, report.phase_name(item.phase), item=f"{ref} phase")
        book.number(ws, row, 3, item.priority, "0.00", CENTER_TOP)
        book.text(ws, row, 4, item.title, item=f"{ref} item")
        book.text(ws, row, 5, item.question_id or "", alignment=TOP)
        book.text(ws, row, 6, item.recommendation, item=f"{ref} recommendation")
        book.text(ws, row, 7, EFFORT_LABELS.get(item.effort, str(item.effort)), alignment=TOP)
        book.text(ws, row, 8, CRITICALITY_LABELS.get(item.criticality, str(item.criticality)), alignment=TOP)
        book.text(ws, row, 9, "Yes" if item.quick_win else "", alignment=CENTER_TOP)
        book.text(ws, row, 10, item.owner, item=f"{ref} owner")
        due = _due(item.due_date)
        if due is not None:
            book.date(ws, row, 11, due)
        else:
            book.text(ws, row, 11, item.due_date or "", item=f"{ref} due date", alignment=TOP)
            ws.cell(row=row, column=11).number_format = "yyyy-mm-dd"
        book.text(ws, row, 12, item.status, item=f"{ref} status", alignment=TOP)
        book.text(ws, row, 13, item.notes, item=f"{ref} notes")
    if not report.roadmap:
        row = 2
        book.text(ws, row, 4, "No gaps: every answered question is at or above its target.")
        ws.cell(row=row, column=11).number_format = "yyyy-mm-dd"
    last = row
    book.table(ws, "RoadmapItems", 1, last, 1, len(ROADMAP_COLUMNS))
    _roadmap_rules(book, ws, report, last)
    book.shrink_empty_columns(ws, ROADMAP_COLUMNS, 2, last)
    book.fit_rows(ws, 1, last)
    ws.freeze_panes = "E2"
    book.print_setup(ws, "1:1", footer_left=f"{report.client.name} — roadmap — confidential")


def _roadmap_rules(book: Book, ws: Worksheet, report: Report, last: int) -> None:
    """Drop-downs (status, owner), a date check on due dates, and status/overdue colours."""
    owner_col, due_col, status_col = get_column_letter(10), get_column_letter(11), get_column_letter(12)
    status = DataValidation(type="list", formula1='"' + ",".join(STATUSES) + '"', allow_blank=True,
                            showErrorMessage=True, errorTitle="Status",
                            error="Pick a status from the list: " + ", ".join(STATUSES) + ".",
                            promptTitle="Status", prompt="Pick the item's status.", showInputMessage=True)
    status.add(f"{status_col}2:{status_col}{last}")
    ws.add_data_validation(status)

    due = DataValidation(type="date", operator="greaterThan", formula1="36526", allow_blank=True,
                         showErrorMessage=True, errorTitle="Due date",
                         error="Enter a date (for example 2025-06-30).")
    due.add(f"{due_col}2:{due_col}{last}")
    ws.add_data_validation(due)

    owners = sorted({item.owner.strip() for item in report.roadmap if item.owner.strip()}, key=str.casefold)
    if owners:
        lists = book.wb.create_sheet(LISTS_SHEET)
        lists.sheet_state = "hidden"
        lists.cell(row=1, column=1, value="Owners").font = Font(name=FONT_NAME, bold=True)
        for index, owner in enumerate(owners, start=2):
            book.text(lists, index, 1, owner, alignment=None)
        owner_dv = DataValidation(type="list", formula1=f"{LISTS_SHEET}!$A$2:$A${len(owners) + 1}",
                                  allow_blank=True, showErrorMessage=False,
                                  promptTitle="Owner", prompt="Pick an owner or type a new name.",
                                  showInputMessage=True)
        owner_dv.add(f"{owner_col}2:{owner_col}{last}")
        ws.add_data_validation(owner_dv)

    status_range = f"{status_col}2:{status_col}{last}"
    for value, fill, font in (("Done", GREEN_FILL, GREEN_FONT), ("Blocked", RED_FILL, RED_FONT),
                              ("In progress", AMBER_FILL, AMBER_FONT)):
        ws.conditional_formatting.add(status_range, CellIsRule(operator="equal", formula=[f'"{value}"'],
                                                               fill=fill, font=font))
    ws.conditional_formatting.add(
        f"{due_col}2:{due_col}{last}",
        FormulaRule(formula=[f'AND(ISNUMBER({due_col}2),{due_col}2<TODAY(),{status_col}2<>"Done")'],
                    fill=RED_FILL, font=OVERDUE_FONT))
    for r in range(2, last + 1):
        ws.cell(row=r, column=12).alignment = Alignment(vertical="top")
