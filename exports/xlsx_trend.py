"""The Trend sheet of the Excel deliverable: the current score of every assessment of the questionnaire so
far, overall and per domain — a table with real dates and a native line chart — when there are two or more.

The figures are `Report.trend`'s (vciso/trend.py), stored rounded as the PDF and the app show them.
"""

from __future__ import annotations

import datetime as dt

from openpyxl.chart import LineChart, Reference
from openpyxl.chart.shapes import GraphicalProperties
from openpyxl.drawing.spreadsheet_drawing import AnchorMarker, TwoCellAnchor
from openpyxl.worksheet.worksheet import Worksheet

from exports.xlsx_common import CENTER_TOP, DATE_FORMAT, Book, Column
# the Summary sheet's chart text, gridlines and colours, so both sheets' charts look alike
from exports.xlsx_summary import _gridlines, _rich, _title, chart_colours, score_format
from vciso.report import Report
from vciso.trend import domain_colour

TREND_SHEET = "Trend"
CHART_ROWS = 20  # rows the chart covers below the table (about 10 cm)


def write_trend(book: Book, report: Report) -> Worksheet | None:
    """Add the Trend sheet when the report has two assessments or more on its trend; returns it, else None."""
    trend = report.trend
    if trend is None or not trend.shown:
        return None
    ws = book.wb.create_sheet(TREND_SHEET)
    fmt = score_format(report)
    ws.sheet_view.showGridLines = False
    book.text(ws, 1, 1, "Current score over time", alignment=None, font=book.title_font)
    book.text(ws, 2, 1, report.client.name, alignment=None, font=book.subtitle_font)
    row = 3
    if report.draft:  # as on the Summary sheet: a workbook of an assessment that is not final says so
        book.text(ws, row, 1, "DRAFT — the assessment is still in progress; figures may change", alignment=None,
                  font=book.draft_font)
        row += 1
    book.text(ws, row, 1, f"Every assessment of {report.questionnaire.title} so far, scored question by question "
              f"against version {report.questionnaire.version}; oldest first.", alignment=None, font=book.muted_font)
    header = row + 2
    columns = [Column("Date", 12), Column("Assessment", 24, wrap=True), Column("Overall", 9)]
    columns += [Column(title, max(9, min(len(title) + 2, 18)), wrap=True) for title in trend.domain_titles]
    book.header_row(ws, header, columns)
    last = header
    for point in trend.points:
        last += 1
        book.date(ws, last, 1, dt.date.fromisoformat(point.assessment_date[:10])).alignment = CENTER_TOP
        book.text(ws, last, 2, point.name, item="assessment name")
        book.number(ws, last, 3, point.overall, fmt)
        for offset, value in enumerate(point.domains):
            book.number(ws, last, 4 + offset, value, fmt)
    book.table(ws, "Trend", header, last, 1, len(columns))
    book.fit_columns(ws)
    book.fit_rows(ws, header, last)
    ws.freeze_panes = ws.cell(row=header + 1, column=2)
    _chart(book, ws, report, header, last, len(columns))
    # the title, the client, (in a draft) the DRAFT banner and the table's header head every printed page
    book.print_setup(ws, f"1:{header}", footer_left=f"{report.client.name} — confidential")
    return ws


def _chart(book: Book, ws: Worksheet, report: Report, header: int, last: int, last_column: int) -> None:
    """A line per domain and a thicker one for the overall score (the accent), over the dates."""
    trend = report.trend
    assert trend is not None
    colours = chart_colours(book)
    chart = LineChart()
    chart.title = _title("Current score over time")
    chart.add_data(Reference(ws, min_col=3, max_col=last_column, min_row=header, max_row=last), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=header + 1, max_row=last))
    for index, series in enumerate(chart.series):
        overall = index == 0
        colour = colours.current if overall else domain_colour(index - 1).lstrip("#").upper()
        series.smooth = False
        series.graphicalProperties.line.solidFill = colour
        series.graphicalProperties.line.width = 34925 if overall else 15875  # 2.75 pt, 1.25 pt in EMU
        series.marker.symbol = "circle"
        series.marker.size = 6 if overall else 4
        series.marker.graphicalProperties = GraphicalProperties(solidFill=colour)
        series.marker.graphicalProperties.line.solidFill = colour
    # a label per assessment, its date as the table writes it: a date axis would label the first of each
    # month instead (and place 15 January on the 1st in LibreOffice)
    chart.x_axis.auto = False
    chart.x_axis.number_format = DATE_FORMAT
    chart.y_axis.scaling.min = trend.scale_min
    chart.y_axis.scaling.max = trend.scale_max
    chart.y_axis.majorUnit = 1.0 if trend.scale_max - trend.scale_min <= 10 else None
    chart.y_axis.majorGridlines = _gridlines(colours.grid)
    chart.y_axis.number_format = score_format(report)
    chart.y_axis.delete = False
    chart.x_axis.delete = False
    chart.x_axis.txPr = chart.y_axis.txPr = _rich(8)
    chart.legend.position = "b"
    chart.legend.txPr = _rich(9)
    end_column = max(last_column + 1, 9)
    ws.add_chart(chart, TwoCellAnchor(editAs="oneCell", _from=AnchorMarker(col=0, row=last + 1),
                                      to=AnchorMarker(col=end_column - 1, row=last + 1 + CHART_ROWS)))
