"""The Summary sheet of the Excel deliverable: who and what, overall scores, per-section scores with
native Excel charts (radar of current vs target, bar of gaps), progress since the baseline, top gaps."""

from __future__ import annotations

import datetime as dt
from typing import Any

from openpyxl.chart import BarChart, RadarChart, Reference
from openpyxl.styles import Alignment
from openpyxl.worksheet.worksheet import Worksheet

from exports.xlsx_common import TOP, Book, Column, prepared_by
from vciso import numbers as num
from vciso.numbers import format_value
from vciso.report import Report
from vciso.scoring import NodeScore

AGGREGATION_NAMES = {"mean": "Mean of answered questions", "weighted_mean": "Weighted mean of answered questions",
                     "min": "Minimum (weakest answer)", "staged": "Staged level (every question up to a stage met)"}
CHART_ROWS = 21  # rows a chart occupies below the section table


def score_format(report: Report) -> str:
    span = report.score.scale_max - report.score.scale_min
    return "0.00" if span <= 1 else "0.0"


def _iso_date(text: str | None) -> dt.date | str:
    try:
        return dt.date.fromisoformat(text or "")
    except ValueError:
        return text or ""


def write_summary(book: Book, ws: Worksheet, report: Report) -> None:
    """Fill the Summary sheet."""
    fmt = score_format(report)
    ws.column_dimensions["A"].width = 36
    ws.sheet_view.showGridLines = False
    book.text(ws, 1, 1, "Security maturity assessment", alignment=None, font=book.title_font)
    book.text(ws, 2, 1, report.client.name, alignment=None, font=book.subtitle_font)
    if report.draft:  # the banner of a workbook whose assessment is not final
        book.text(ws, 3, 1, "DRAFT — the assessment is still in progress; figures may change", alignment=None,
                  font=book.draft_font)
    row = _logo(book, ws, report)
    assessment = report.assessment
    questionnaire = report.questionnaire
    row = book.key_values(ws, 4, [
        ("Client", report.client.name),
        ("Industry", report.client.industry),
        ("Employees", report.client.employees if report.client.employees is not None else ""),
        ("Assessment", assessment.name),
        ("Assessment date", _iso_date(assessment.assessment_date)),
        ("Questionnaire", f"{questionnaire.title} (version {questionnaire.version})"),
        ("Assessor", assessment.assessor),
        ("Prepared by", prepared_by(report)),
        ("Generated", report.generated_at.strftime("%Y-%m-%d %H:%M")),
        ("Status", "Draft (in progress)" if report.draft else "Final"),
    ])
    _no_wrap(ws, 4, row - 1)
    row += 1
    overall = report.score.overall
    book.text(ws, row, 1, "Overall", alignment=None, font=book.subtitle_font)
    row += 1
    start = row
    scale_max = format_value(report.score.scale_max)
    rows: list[tuple[str, Any, str | None]] = [
        (f"Current maturity (of {scale_max})", overall.current, fmt),
        ("Target", overall.target, fmt),
        ("Average shortfall per question", overall.gap, fmt),
        ("Percent to target", overall.percent_to_target, "0%"),
        ("Completion", overall.completion, "0%"),
        ("Weakest answer (minimum)", overall.minimum, fmt),
        ("Scoring rule", AGGREGATION_NAMES.get(report.score.aggregation, report.score.aggregation), None),
    ]
    if report.score.aggregation in ("min", "staged"):
        rows.append(("Score by this rule", overall.score, fmt))
    rows.append(("Questions answered / N/A / unanswered",
                  f"{overall.answered} / {overall.not_applicable} / {overall.unanswered} "
                  f"(of {overall.total})", None))
    for label, value, number_format in rows:
        ws.cell(row=row, column=1, value=label).font = book.label_font
        if number_format:
            book.number(ws, row, 2, value, number_format, alignment=Alignment(horizontal="left"))
        else:
            book.text(ws, row, 2, value, alignment=TOP)
        row += 1
    _no_wrap(ws, start, row - 1)
    row += 1
    row = _section_table(book, ws, report, row, fmt)
    if report.comparison is not None:
        row = _comparison(book, ws, report, row + 1, fmt)
    row = _top_gaps(book, ws, report, row + 1, fmt)
    if any(d.children for d in report.score.domains):
        _subsections(book, ws, report, row + 1, fmt)
    book.fit_rows(ws, 1, ws.max_row)
    book.print_setup(ws, None, footer_left=f"{report.client.name} — confidential", landscape=False)


def _no_wrap(ws: Worksheet, first: int, last: int) -> None:
    for r in range(first, last + 1):
        ws.cell(row=r, column=2).alignment = Alignment(horizontal="left", vertical="top")


def _logo(book: Book, ws: Worksheet, report: Report) -> int:
    path = report.branding.logo_path
    if not path:
        return 4
    try:
        from openpyxl.drawing.image import Image

        image = Image(str(path))
        ratio = min(1.0, 60 / max(image.height, 1), 220 / max(image.width, 1))
        image.width, image.height = image.width * ratio, image.height * ratio
        ws.add_image(image, "F1")
    except Exception as exc:  # a missing or unreadable logo must not stop the deliverable
        book.warnings.append(f"logo {path}: not added ({type(exc).__name__}: {exc})")
    return 4


SECTION_COLUMNS = [Column("Section", 36, wrap=True), Column("Current", 10), Column("Target", 10),
                   Column(num.SHORTFALL, 10), Column("Minimum", 10), Column("% to target", 12),
                   Column("Completion", 12), Column("Answered", 11), Column("N/A", 8),
                   Column("Unanswered", 13), Column("Questions", 11)]


def _node_row(book: Book, ws: Worksheet, row: int, node: NodeScore, fmt: str, indent: int = 0) -> None:
    book.text(ws, row, 1, node.title, item=f"section {node.id}",
              alignment=Alignment(horizontal="left", wrap_text=True, vertical="top", indent=indent))
    for col, value, number_format in ((2, node.current, fmt), (3, node.target, fmt), (4, node.gap, fmt),
                                      (5, node.minimum, fmt), (6, node.percent_to_target, "0%"),
                                      (7, node.completion, "0%"), (8, node.answered, "0"),
                                      (9, node.not_applicable, "0"), (10, node.unanswered, "0"),
                                      (11, node.total, "0")):
        book.number(ws, row, col, value, number_format)


def _section_table(book: Book, ws: Worksheet, report: Report, row: int, fmt: str) -> int:
    book.text(ws, row, 1, "Scores by section", alignment=None, font=book.subtitle_font)
    header = row + 1
    book.header_row(ws, header, SECTION_COLUMNS)
    domains = report.score.domains
    for offset, domain in enumerate(domains, start=1):
        _node_row(book, ws, header + offset, domain, fmt)
    last = header + max(len(domains), 1)
    book.table(ws, "SectionScores", header, last, 1, len(SECTION_COLUMNS))
    if not domains:
        return last + 1
    chart_row = last + 2
    _charts(ws, report, header, last, chart_row)
    return chart_row + CHART_ROWS


def _charts(ws: Worksheet, report: Report, header: int, last: int, anchor_row: int) -> None:
    scale_min, scale_max = report.score.scale_min, report.score.scale_max
    span = scale_max - scale_min
    major = 1.0 if span >= 2 and float(span).is_integer() else span / 4
    categories = Reference(ws, min_col=1, min_row=header + 1, max_row=last)
    levels = Reference(ws, min_col=2, max_col=3, min_row=header, max_row=last)
    if last - header >= 3:
        chart: Any = RadarChart()
        chart.type = "marker"
        chart.style = 26
    else:  # a radar of one or two sections is not a shape; bars say the same thing
        chart = BarChart()
        chart.type = "col"
        chart.grouping = "clustered"
    chart.title = "Current vs target by section"
    chart.add_data(levels, titles_from_data=True)
    chart.set_categories(categories)
    chart.y_axis.scaling.min = scale_min
    chart.y_axis.scaling.max = scale_max
    chart.y_axis.majorUnit = major
    chart.y_axis.delete = False
    chart.x_axis.delete = False
    chart.legend.position = "b"
    chart.width, chart.height = 16, 10
    ws.add_chart(chart, f"A{anchor_row}")

    gaps = BarChart()
    gaps.type = "bar"
    gaps.title = "Average shortfall by section (levels)"
    gaps.add_data(Reference(ws, min_col=4, min_row=header, max_row=last), titles_from_data=True)
    gaps.set_categories(categories)
    gaps.y_axis.scaling.min = 0
    gaps.y_axis.scaling.max = span
    gaps.y_axis.majorUnit = major
    gaps.x_axis.scaling.orientation = "maxMin"  # first section at the top, as in the table
    gaps.y_axis.delete = False
    gaps.x_axis.delete = False
    gaps.legend = None
    gaps.width, gaps.height = 16, 10
    ws.add_chart(gaps, f"F{anchor_row}")


def _comparison(book: Book, ws: Worksheet, report: Report, row: int, fmt: str) -> int:
    comparison = report.comparison
    assert comparison is not None
    baseline = comparison.baseline
    book.text(ws, row, 1, f"Progress since {baseline.name} ({baseline.assessment_date})", alignment=None,
              font=book.subtitle_font)
    header = row + 1
    columns = [Column("Section", 36, wrap=True), Column("Baseline", 10), Column("Now", 10),
               Column("Target", 10), Column("Change", 10), Column("Progress", 12)]
    book.header_row(ws, header, columns)
    entries = list(comparison.sections) + [comparison.overall]
    for offset, entry in enumerate(entries, start=1):
        r = header + offset
        book.text(ws, r, 1, entry.title, font=book.label_font if entry is comparison.overall else None)
        for col, value, number_format in ((2, entry.baseline, fmt), (3, entry.current, fmt),
                                          (4, entry.target, fmt), (5, entry.change, "+0.0;-0.0;0.0"),
                                          (6, entry.progress, "0%")):
            book.number(ws, r, col, value, number_format)
    last = header + len(entries)
    book.table(ws, "Progress", header, last, 1, len(columns))
    return last + 1


def _top_gaps(book: Book, ws: Worksheet, report: Report, row: int, fmt: str) -> int:
    gaps = report.top_gaps
    book.text(ws, row, 1, "Largest gaps", alignment=None, font=book.subtitle_font)
    header = row + 1
    columns = [Column("Question", 36, wrap=True), Column("ID", 10), Column("Level", 10), Column("Target", 10),
               Column("Shortfall", 10), Column("Weight × criticality", 12, wrap=True)]
    book.header_row(ws, header, columns)
    for offset, finding in enumerate(gaps, start=1):
        r = header + offset
        book.text(ws, r, 1, finding.title or finding.text, item=finding.question_id)
        book.text(ws, r, 2, finding.question_id, alignment=TOP)
        book.number(ws, r, 3, finding.level_value, fmt)
        book.number(ws, r, 4, finding.target_value, fmt)
        book.number(ws, r, 5, finding.gap, fmt)
        book.number(ws, r, 6, round(finding.weight * finding.criticality, 4), "0.##")
    if not gaps:
        book.text(ws, header + 1, 1, "No gaps: every answered question is at or above its target.")
    last = header + max(len(gaps), 1)
    book.table(ws, "LargestGaps", header, last, 1, len(columns))
    return last + 1


def _subsections(book: Book, ws: Worksheet, report: Report, row: int, fmt: str) -> int:
    book.text(ws, row, 1, "Scores by sub-section", alignment=None, font=book.subtitle_font)
    header = row + 1
    book.header_row(ws, header, SECTION_COLUMNS)
    r = header
    for node in report.score.sections():
        r += 1
        _node_row(book, ws, r, node, fmt, indent=min(node.depth * 2, 10))
        if node.depth == 0:
            ws.cell(row=r, column=1).font = book.label_font
    book.table(ws, "SubsectionScores", header, r, 1, len(SECTION_COLUMNS))
    return r + 1
