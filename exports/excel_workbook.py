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
from exports.xlsx_evidence import STALE_FONT, iso_day, write_evidence_index
from exports.xlsx_common import CENTER_TOP, DATE_FORMAT, FONT_NAME, TOP, Book, Column, excel_colour, prepared_by
from exports.xlsx_method import write_method
from exports.xlsx_summary import chart_colours, gap_span, score_format, write_summary
from exports.xlsx_trend import write_trend
from vciso import numbers as num
from vciso.colours import tint
from vciso.report import FindingRow, Report
from vciso.roadmap import CRITICALITY_LABELS, EFFORT_LABELS, STATUSES

SUMMARY_SHEET = "Summary"
RESPONSES_SHEET = "Responses"
ROADMAP_SHEET = "Roadmap"
METHOD_SHEET = "Method"
LISTS_SHEET = "Lists"

# The fonts of conditional formats are differential: they change only the colour (and weight) of the
# cell's own, named font, which is why they carry no name (Excel's conditional formats cannot set one).
GREEN_FILL = PatternFill("solid", fgColor="C6EFCE")
GREEN_FONT = Font(color="006100")
RED_FILL = PatternFill("solid", fgColor="FFC7CE")
RED_FONT = Font(color="9C0006")
AMBER_FILL = PatternFill("solid", fgColor="FFEB9C")
AMBER_FONT = Font(color="9C5700")
OVERDUE_FONT = Font(color="9C0006", bold=True)
GREY_FONT = Font(name=FONT_NAME, color="808080", italic=True)

RESPONSE_COLUMNS = [
    # text columns a little narrower than before the title column came, so the page keeps its scale
    Column("Section", 20, wrap=True), Column("ID", 9), Column("Title", 22, wrap=True),
    Column("Question", 42, wrap=True), Column("Level", 14, wrap=True), Column("Value", 7), Column("Target", 7),
    Column("Shortfall", 9), Column("Notes", 34, wrap=True), Column("N/A reason", 20, wrap=True),
    Column("Evidence", 20, wrap=True), Column("Confidence", 12, wrap=True), Column("Evidence date", 12),
    Column("Flagged", 8), Column("Recommendation", 40, wrap=True),
]
ROADMAP_COLUMNS = [
    Column("#", 5), Column("Phase", 12, wrap=True), Column("Priority", 8), Column("Item", 28, wrap=True),
    Column("Question", 10), Column("Recommendation", 48, wrap=True), Column("Effort", 9),
    Column("Criticality", 10), Column("Quick win", 7, wrap=True), Column("Owner", 20, wrap=True),
    Column("Due date", 11), Column("Status", 12), Column("Notes", 34, wrap=True),
]


def _response_column(header: str) -> int:
    return next(i for i, c in enumerate(RESPONSE_COLUMNS, start=1) if c.header == header)


def _roadmap_column(header: str) -> int:
    return next(i for i, c in enumerate(ROADMAP_COLUMNS, start=1) if c.header == header)


def shows_recommendation(finding: FindingRow) -> bool:
    """Whether a question's recommendation is shown: only where an answered question falls short of its
    target, the PDF's rule (a question at or above target needs no action; N/A and unanswered ones have
    nothing to recommend yet)."""
    return finding.status == "answered" and bool(finding.gap) and bool(finding.recommendation)


_STEPS = 5


def write_workbook(report: Report, path: Path, paper_size: str | None = None) -> list[str]:
    """Write the deliverable workbook to `path` (atomically); returns warnings for the user.
    Every sheet prints on the branding's paper ("A4" or "Letter"), or on `paper_size` when given."""
    return run_to_end(iter_write_workbook(report, path, paper_size))


def iter_write_workbook(report: Report, path: Path, paper_size: str | None = None) -> Steps:
    """Write the deliverable workbook to `path` (atomically), yielding (step, total, message) per sheet;
    returns warnings for the user. `paper_size` overrides the branding's, as for the PDF."""
    path = Path(path)
    book = Book(report.branding.accent_color, paper_size or report.branding.paper_size)
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
    write_trend(book, report)  # the Trend sheet, when there are two assessments or more
    write_evidence_index(book, report)  # the Evidence sheet, when any answer has evidence
    if report.coverage is not None:  # the Coverage sheet, when a framework was chosen at export
        from exports.xlsx_coverage import COVERAGE_SHEET, write_coverage
        write_coverage(book, book.wb.create_sheet(COVERAGE_SHEET), report)
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
        book.text(ws, row, 3, finding.title, item=f"{qid} title")
        book.text(ws, row, 4, finding.text, item=f"{qid} question")
        if finding.status == "na":
            book.text(ws, row, 5, "N/A")
        elif finding.status == "unanswered":
            book.text(ws, row, 5, "Unanswered", font=GREY_FONT)
        else:
            book.text(ws, row, 5, finding.level_label, item=f"{qid} level")
        book.number(ws, row, 6, finding.level_value, fmt, CENTER_TOP)
        book.number(ws, row, 7, finding.target_value, fmt, CENTER_TOP)
        book.number(ws, row, 8, finding.gap, fmt, CENTER_TOP)
        book.text(ws, row, 9, finding.note, item=f"{qid} notes")
        book.text(ws, row, 10, finding.na_reason, item=f"{qid} N/A reason")
        book.text(ws, row, 11, finding.evidence, item=f"{qid} evidence")
        book.text(ws, row, 12, finding.provenance.describe())
        dated = book.date(ws, row, 13, iso_day(finding.evidence_date))
        if finding.evidence_stale:  # over a year before the assessment
            dated.font = STALE_FONT
        book.text(ws, row, 14, "Yes" if finding.flagged else "", alignment=CENTER_TOP)
        book.text(ws, row, 15, finding.recommendation if shows_recommendation(finding) else "",
                  item=f"{qid} recommendation")
    last = max(row, 2)
    book.table(ws, "AllResponses", 1, last, 1, len(RESPONSE_COLUMNS))
    _shortfall_bands(book, ws, report, last)
    book.rule_cells(ws, 2, last, 1, len(RESPONSE_COLUMNS))
    book.shrink_empty_columns(ws, RESPONSE_COLUMNS, 2, last)
    book.fit_columns(ws)
    book.fit_rows(ws, 1, last)
    ws.freeze_panes = "D2"  # section, ID and title stay in view beside the notes and recommendation
    book.print_setup(ws, "1:1", footer_left=f"{report.client.name} — responses — confidential")


def _shortfall_bands(book: Book, ws: Worksheet, report: Report, last: int) -> None:
    """Colour each shortfall by its gap band (vciso.numbers.gap_band) in the PDF's band colours, as the
    Summary's gap chart is: a light fill of the colour, the value in the colour."""
    bands = chart_colours(book).bands
    span = gap_span(report)
    limits = dict(num.GAP_BANDS)
    shortfall = get_column_letter(_response_column("Shortfall"))
    gap_range = f"{shortfall}2:{shortfall}{last}"
    # the first rule that holds wins: a gap above the moderate limit is major, and so on down
    for band, above in (("major", limits["moderate"]), ("moderate", limits["minor"]), ("minor", limits["met"])):
        colour = bands[band]
        light = excel_colour(tint(colour, 0.8))
        fill = PatternFill("solid", fgColor=light, bgColor=light)
        ws.conditional_formatting.add(gap_range, CellIsRule(operator="greaterThan", formula=[f"{above * span:.6g}"],
                                                            fill=fill, font=Font(color=colour), stopIfTrue=True))


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
            # centred, so a date never touches the status beside it
            book.date(ws, row, 11, due).alignment = CENTER_TOP
        else:
            book.text(ws, row, 11, item.due_date or "", item=f"{ref} due date", alignment=CENTER_TOP)
            ws.cell(row=row, column=11).number_format = DATE_FORMAT  # a date typed in later shows as one
        book.text(ws, row, 12, item.status, item=f"{ref} status", alignment=TOP)
        book.text(ws, row, 13, item.notes, item=f"{ref} notes")
    if not report.roadmap:
        row = 2
        book.text(ws, row, 4, "No gaps: every answered question is at or above its target.")
        ws.cell(row=row, column=11).number_format = DATE_FORMAT
    last = row
    book.table(ws, "RoadmapItems", 1, last, 1, len(ROADMAP_COLUMNS))
    _roadmap_rules(book, ws, report, last)
    book.rule_cells(ws, 2, last, 1, len(ROADMAP_COLUMNS))
    book.shrink_empty_columns(ws, ROADMAP_COLUMNS, 2, last)
    book.fit_columns(ws)
    book.fit_rows(ws, 1, last)
    ws.freeze_panes = "E2"
    book.print_setup(ws, "1:1", footer_left=f"{report.client.name} — roadmap — confidential")


def _roadmap_rules(book: Book, ws: Worksheet, report: Report, last: int) -> None:
    """Drop-downs (status, owner), a date check on due dates, and status/overdue colours."""
    owner_col, due_col, status_col = (get_column_letter(_roadmap_column(header))
                                      for header in ("Owner", "Due date", "Status"))
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
        book.print_setup(lists, "1:1", landscape=False)  # hidden, but printed like the others if shown
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
        ws.cell(row=r, column=_roadmap_column("Status")).alignment = Alignment(vertical="top")
