"""The portfolio workbook: one row per client of the workspace in a native Excel table, ready to print.

`write_portfolio_workbook(portfolio, path)` takes the plain `vciso.portfolio.Portfolio` and writes atomically;
figures are stored rounded as the app shows them (`vciso.numbers` through `Book.number`), dates as real dates.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from exports.xlsx_common import DATE_FORMAT, Book, Column
from vciso import numbers as num

SHEET = "Portfolio"
COLUMNS = (
    Column("Client", 28, wrap=True), Column("Industry", 18, wrap=True), Column("Latest assessment", 26, wrap=True),
    Column("Date", 12, number_format=DATE_FORMAT), Column("Questionnaire", 24, wrap=True),
    Column("Score", 8, number_format="0.0"), Column("Target", 8, number_format="0.0"),
    Column("To target", 10, number_format="0%"), Column("Complete", 10, number_format="0%"),
    Column("Change", 9, number_format="+0.0;-0.0;0.0"), Column("Open actions", 9, number_format="0"),
    Column("Overdue", 9, number_format="0"), Column("Next due", 12, number_format=DATE_FORMAT),
    Column("Days since assessment", 11, number_format="0"), Column("Error", 30, wrap=True),
)


def _day(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def write_portfolio_workbook(portfolio: Any, path: Path, accent: str | None = None,
                             paper_size: str | None = None) -> list[str]:
    """Write the portfolio to `path` (atomically); returns warnings for the user."""
    book = Book(accent, paper_size)
    ws = book.wb.active
    ws.title = SHEET
    book.header_row(ws, 1, COLUMNS)
    for number, row in enumerate(portfolio.rows, start=2):
        book.text(ws, number, 1, row.name)
        if not row.ok:
            book.text(ws, number, 15, row.error)
            continue
        book.text(ws, number, 2, row.industry)
        book.text(ws, number, 3, row.assessment_name)
        book.date(ws, number, 4, _day(row.assessment_date))
        book.text(ws, number, 5, row.questionnaire_title)
        for column, value in ((6, row.score), (7, row.target), (8, row.percent_to_target), (9, row.completion),
                              (10, row.change), (11, row.open_actions), (12, row.overdue_actions),
                              (14, row.days_since)):
            book.number(ws, number, column, value, COLUMNS[column - 1].number_format)
        book.date(ws, number, 13, _day(row.next_due))
    last = max(2, len(portfolio.rows) + 1)
    book.table(ws, "Portfolio", 1, last, 1, len(COLUMNS))
    book.fit_columns(ws)
    ws.freeze_panes = "B2"
    book.print_setup(ws, "1:1", f"Portfolio on {num.short_date(portfolio.today)}")
    book.finish()
    book.wb.properties.title = "Portfolio of clients"
    book.save(path)
    return book.warnings
