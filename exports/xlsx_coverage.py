"""The Coverage sheet of the Excel deliverable, when a coverage was chosen at export: the totals, then one
row per requirement of the target framework (section, level, target, confidence, status, the answers it
came from) in an Excel table. Levels and shares are stored rounded as `vciso coverage --json` gives them."""

from __future__ import annotations

from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from exports.xlsx_common import FONT_NAME, Book, Column
from vciso import numbers as num
from vciso.report import Report

COVERAGE_SHEET = "Coverage"
COLUMNS = (Column("Section", 22, wrap=True), Column("Requirement", 14), Column("Title", 40, wrap=True),
           Column("Level", 8, number_format="0.0"), Column("Target", 8, number_format="0.0"),
           Column("Confidence", 12), Column("Status", 24, wrap=True), Column("From the answers", 50, wrap=True))


def _sources(row) -> str:  # type: ignore[no-untyped-def]
    parts = []
    for source in row.sources:
        if source.status == "na":
            parts.append(f"{source.question_id} N/A ({source.na_reason})")
        elif source.status == "unanswered":
            parts.append(f"{source.question_id} unanswered")
        else:
            parts.append(f"{source.question_id} {num.format_value(source.level)} ({source.relationship})")
    return "; ".join(parts)


def write_coverage(book: Book, ws: Worksheet, report: Report) -> None:
    """Fill the Coverage sheet from `report.coverage` (which must be set)."""
    from vciso.crosswalk.output import share, summary_line

    coverage = report.coverage
    totals = coverage.totals  # type: ignore[attr-defined]
    book.text(ws, 1, 1, coverage.title, alignment=None, font=Font(name=FONT_NAME, bold=True, size=14))  # type: ignore[attr-defined]
    book.text(ws, 2, 1, f"From {coverage.source_title} via {', '.join(coverage.mappings)}: "  # type: ignore[attr-defined]
                        f"{summary_line(totals)}. A requirement reached through a partial mapping, or not "
                        f"mapped, is never counted as met.", alignment=None)
    row = book.key_values(ws, 3, [("Applicable requirements", totals.applicable),
                                  ("Covered", totals.covered), ("Met", totals.met),
                                  ("Not applicable (excluded)", totals.not_applicable)])
    book.text(ws, row, 1, "Covered share")
    book.number(ws, row, 2, share(totals.covered_share), "0%")
    book.text(ws, row + 1, 1, "Met share")
    book.number(ws, row + 1, 2, share(totals.met_share), "0%")
    header = row + 3
    book.header_row(ws, header, COLUMNS)
    current = header
    for section in coverage.sections:  # type: ignore[attr-defined]
        for requirement in section.requirements:
            current += 1
            book.text(ws, current, 1, section.title if section.title == section.id else
                      f"{section.id} {section.title}")
            book.text(ws, current, 2, requirement.id)
            book.text(ws, current, 3, requirement.title)
            book.number(ws, current, 4, requirement.level, "0.0")
            book.number(ws, current, 5, requirement.target, "0.0")
            book.text(ws, current, 6, requirement.confidence.capitalize())
            book.text(ws, current, 7, requirement.status_label)
            book.text(ws, current, 8, _sources(requirement))
    book.table(ws, "Coverage", header, current, 1, len(COLUMNS))
    ws.freeze_panes = ws.cell(row=header + 1, column=1)
    book.print_setup(ws, f"{header}:{header}")   # the book's paper, one page wide, the header row repeated
