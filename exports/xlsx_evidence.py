"""The Evidence sheet of the Excel deliverable: every attached file and every answer's evidence, with the
file's SHA-256, size, the evidence date (or the day the file was attached), who attached it and the
confidence of the answer, in an Excel table. Evidence dated more than a year before the assessment is red."""

from __future__ import annotations

import datetime as dt

from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from exports.xlsx_common import FONT_NAME, Book, Column
from vciso import narrative as nv
from vciso.report import Report

EVIDENCE_SHEET = "Evidence"
STALE_FONT = Font(name=FONT_NAME, color="9C0006", bold=True)
COLUMNS = (Column("Question", 10), Column("Title", 30, wrap=True), Column("File", 26, wrap=True),
           Column("Evidence", 34, wrap=True), Column("SHA-256", 66), Column("Size (bytes)", 11, number_format="#,##0"),
           Column("Date", 12), Column("Date is", 14), Column("Confidence", 20, wrap=True),
           Column("Over a year old", 12, wrap=True))


def iso_day(text: str) -> dt.date | None:
    """An ISO date as a date (None when empty or not a date)."""
    try:
        return dt.date.fromisoformat(text[:10]) if text else None
    except ValueError:
        return None


def write_evidence_index(book: Book, report: Report) -> None:
    """Add the Evidence sheet when any answer has evidence, a file, how it was established or a date."""
    rows = nv.evidence_index(report)
    if not rows:
        return
    ws: Worksheet = book.wb.create_sheet(EVIDENCE_SHEET)
    book.text(ws, 1, 1, "Evidence index", alignment=None, font=Font(name=FONT_NAME, bold=True, size=14))
    book.text(ws, 2, 1, "Each file's SHA-256 identifies its exact content. The date is the evidence date given "
                        "with the answer, or the day the file was attached.", alignment=None)
    header = 4
    book.header_row(ws, header, COLUMNS)
    current = header
    for row in rows:
        current += 1
        ref = f"{row.question_id} evidence"
        book.text(ws, current, 1, row.question_id)
        book.text(ws, current, 2, row.title, item=f"{row.question_id} title")
        book.text(ws, current, 3, row.file_name, item=ref)
        book.text(ws, current, 4, row.description, item=ref)
        book.text(ws, current, 5, row.sha256)
        book.number(ws, current, 6, row.size if row.file_name else None, "#,##0")
        dated = book.date(ws, current, 7, iso_day(row.date))
        book.text(ws, current, 8, ("attached" if row.date_is_added else "evidence date") if row.date else "")
        book.text(ws, current, 9, row.confidence)
        book.text(ws, current, 10, "Yes" if row.stale else "")
        if row.stale:
            dated.font = STALE_FONT
            ws.cell(row=current, column=10).font = STALE_FONT
    book.table(ws, "Evidence", header, current, 1, len(COLUMNS))
    book.fit_columns(ws)
    book.fit_rows(ws, header, current)
    ws.freeze_panes = ws.cell(row=header + 1, column=2)
    book.print_setup(ws, f"1:{header}", footer_left=f"{report.client.name} — evidence — confidential")
