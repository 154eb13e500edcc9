"""The Summary sheet of the Excel deliverable: who and what, overall scores, per-section scores with
native Excel charts (radar of current vs target, bar of gaps), progress since the baseline, top gaps."""

from __future__ import annotations

import datetime as dt
from typing import Any, NamedTuple

from openpyxl.chart import BarChart, RadarChart, Reference
from openpyxl.chart.axis import ChartLines
from openpyxl.chart.marker import DataPoint
from openpyxl.chart.shapes import GraphicalProperties
from openpyxl.chart.text import RichText, Text
from openpyxl.chart.title import Title
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.drawing.line import LineProperties
from openpyxl.drawing.spreadsheet_drawing import AnchorMarker, TwoCellAnchor
from openpyxl.drawing.text import CharacterProperties, Font as DrawingFont, Paragraph, ParagraphProperties, \
    RegularTextRun
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from exports.xlsx_common import CENTER_TOP, FONT_NAME, TOP, Book, Column, decimal_format, prepared_by
from vciso import numbers as num
from vciso.narrative import scope_phrase
from vciso.numbers import GAP_BAND_LABELS, format_value, gap_band
from vciso.report import Report
from vciso.scoring import NodeScore

AGGREGATION_NAMES = {"mean": "Mean of answered questions", "weighted_mean": "Weighted mean of answered questions",
                     "min": "Minimum (weakest answer)", "staged": "Staged level (every question up to a stage met)"}
CHART_ROWS = 22  # rows below the section table: the charts (10 cm high) and the gap chart's colour key
CHART_GAP_EMU = 180_000  # 0.5 cm between the two charts
LEGEND_BANDS = ("met", "minor", "moderate", "major")


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
        ("Scope", scope_phrase(report)),  # '' (left out) when the report covers every question
        ("Assessor", assessment.assessor),
        ("Prepared by", prepared_by(report)),
        ("Generated", report.generated_at),  # a real date and time, shown as the workbook's dates are
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
    labels_end = row - 1
    row += 1
    row, charts = _section_table(book, ws, report, row, fmt)
    if report.comparison is not None:
        row = _comparison(book, ws, report, row + 1, fmt)
    if report.roadmap:
        row = _plan_progress(book, ws, report, row + 1)
    row = _top_gaps(book, ws, report, row + 1, fmt)
    if any(d.children for d in report.score.domains):
        _subsections(book, ws, report, row + 1, fmt)
    book.fit_columns(ws)
    book.fit_labels(ws, 1, 4, labels_end)  # "Questions answered / N/A / unanswered" ran into its value
    if charts is not None:  # placed once the columns have their widths, so the two never overlap
        _charts(book, ws, report, *charts)
    book.fit_rows(ws, 1, ws.max_row)
    # the title, the client and (in a draft) the DRAFT banner head every printed page
    book.print_setup(ws, "1:3" if report.draft else "1:2", footer_left=f"{report.client.name} — confidential",
                     landscape=False)


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
        book.number(ws, row, col, value, number_format, CENTER_TOP)


def _section_table(book: Book, ws: Worksheet, report: Report, row: int,
                   fmt: str) -> tuple[int, tuple[int, int, int] | None]:
    """The table of section scores; returns the next free row and where the charts go (header row, last
    row, first chart row), or None when there is nothing to chart."""
    book.text(ws, row, 1, "Scores by section", alignment=None, font=book.subtitle_font)
    header = row + 1
    book.header_row(ws, header, SECTION_COLUMNS)
    domains = report.score.domains
    for offset, domain in enumerate(domains, start=1):
        _node_row(book, ws, header + offset, domain, fmt)
    last = header + max(len(domains), 1)
    book.table(ws, "SectionScores", header, last, 1, len(SECTION_COLUMNS))
    if not domains:
        return last + 1, None
    chart_row = last + 2
    return chart_row + CHART_ROWS, (header, last, chart_row)


def excel_rgb(colour: Any) -> str:
    """A reportlab colour of the PDF's palette in Excel's form ('2F855A')."""
    return colour.hexval()[2:].upper()


class ChartColours(NamedTuple):
    current: str  # the accent, darkened when too light to see on white
    target: str
    bands: dict[str, str]  # vciso.numbers.gap_band -> colour
    grid: str


def chart_colours(book: Book) -> ChartColours:
    """The PDF's chart colours (exports/pdf_styles.py; imported here only, as it loads reportlab), so
    both deliverables draw the same picture."""
    from reportlab.lib import colors

    from exports.pdf_styles import RULE, STATUS_COLOURS, TARGET, make_palette

    palette = make_palette(colors.HexColor("#" + book.accent))
    return ChartColours(excel_rgb(palette.current), excel_rgb(TARGET),
                        {band: excel_rgb(colour) for band, colour in STATUS_COLOURS.items()}, excel_rgb(RULE))


def _gridlines(colour: str) -> ChartLines:
    """Light gridlines, as the PDF's, so that the dashed target line stands out from them."""
    return ChartLines(spPr=GraphicalProperties(ln=LineProperties(solidFill=colour, w=9525)))


def _chart_text(size: float = 9, bold: bool = False) -> CharacterProperties:
    """Chart text in the workbook's font (without one, LibreOffice picks its own)."""
    return CharacterProperties(latin=DrawingFont(typeface=FONT_NAME), sz=int(size * 100), b=bold)


def _rich(size: float = 9) -> RichText:
    return RichText(p=[Paragraph(pPr=ParagraphProperties(defRPr=_chart_text(size)), endParaRPr=_chart_text(size))])


def _title(text: str) -> Title:
    props = _chart_text(12, bold=True)
    return Title(tx=Text(rich=RichText(p=[Paragraph(pPr=ParagraphProperties(defRPr=props),
                                                    r=[RegularTextRun(rPr=props, t=text)])])), overlay=False)


def _column_cm(ws: Worksheet, column: int) -> float:
    """A column's width on screen and paper, in cm (Excel: width × 7 px + 5 px padding at 96 dpi)."""
    width = ws.column_dimensions[get_column_letter(column)].width or 8.43
    return (width * 7 + 5) / 96 * 2.54


def _split_column(ws: Worksheet, last_column: int) -> int:
    """The column where the second chart starts: about half of the table's width."""
    total = sum(_column_cm(ws, c) for c in range(1, last_column + 1))
    left = 0.0
    for column in range(1, last_column + 1):
        if left >= total / 2:
            return column
        left += _column_cm(ws, column)
    return last_column


def _charts(book: Book, ws: Worksheet, report: Report, header: int, last: int, anchor_row: int) -> None:
    """The radar (current against target) and the gap bars, side by side under the section table, as
    wide together as the table, in the PDF's colours; the gap bars' colour key below them."""
    colours = chart_colours(book)
    current_colour, target_colour, band_colours = colours.current, colours.target, colours.bands
    scale_min, scale_max = report.score.scale_min, report.score.scale_max
    span = scale_max - scale_min
    major = 1.0 if span >= 2 and float(span).is_integer() else span / 4
    split = _split_column(ws, len(SECTION_COLUMNS))
    categories = Reference(ws, min_col=1, min_row=header + 1, max_row=last)
    levels = Reference(ws, min_col=2, max_col=3, min_row=header, max_row=last)
    if last - header >= 3:
        chart: Any = RadarChart()
        chart.type = "marker"
    else:  # a radar of one or two sections is not a shape; bars say the same thing
        chart = BarChart()
        chart.type = "col"
        chart.grouping = "clustered"
    chart.title = _title("Current vs target by section")
    chart.add_data(levels, titles_from_data=True)
    chart.set_categories(categories)
    current, target = chart.series[0], chart.series[1]
    if isinstance(chart, RadarChart):  # as in the PDF: current solid with dots, target dashed, no fill
        current.graphicalProperties.line.solidFill = current_colour
        current.graphicalProperties.line.width = 22860  # 1.8 pt in EMU
        current.marker.symbol = "circle"
        current.marker.size = 5
        current.marker.graphicalProperties = GraphicalProperties(solidFill=current_colour)
        current.marker.graphicalProperties.line.solidFill = current_colour
        target.graphicalProperties.line.solidFill = target_colour
        target.graphicalProperties.line.prstDash = "dash"
        target.graphicalProperties.line.width = 16510  # 1.3 pt
        target.marker.symbol = "none"
    else:
        for series, colour in ((current, current_colour), (target, target_colour)):
            series.graphicalProperties.solidFill = colour
            series.graphicalProperties.line.solidFill = colour
    chart.y_axis.scaling.min = scale_min
    chart.y_axis.scaling.max = scale_max
    chart.y_axis.majorUnit = major
    chart.y_axis.majorGridlines = _gridlines(colours.grid)
    chart.y_axis.delete = False
    chart.x_axis.delete = False
    chart.x_axis.txPr = chart.y_axis.txPr = _rich(8)
    chart.legend.position = "b"
    chart.legend.txPr = _rich(9)
    ws.add_chart(chart, _cells_anchor(1, split, anchor_row))

    domains = report.score.domains
    gaps = BarChart()
    gaps.type = "bar"
    gaps.varyColors = False
    gaps.title = _title("Average shortfall by section (levels)")
    gaps.add_data(Reference(ws, min_col=4, min_row=header, max_row=last), titles_from_data=True)
    gaps.set_categories(categories)
    bars = gaps.series[0]
    # each bar in its band's colour, by the PDF's rule (vciso.numbers.gap_band on the unrounded gap)
    for index, domain in enumerate(domains):
        colour = band_colours[gap_band(domain.gap, gap_span(report))]
        point = DataPoint(idx=index)
        point.graphicalProperties.solidFill = colour
        point.graphicalProperties.line.solidFill = colour
        bars.dPt.append(point)
    gaps.y_axis.scaling.min = 0
    gaps.y_axis.scaling.max = span
    gaps.y_axis.majorUnit = major
    gaps.y_axis.majorGridlines = _gridlines(colours.grid)
    gaps.x_axis.scaling.orientation = "maxMin"  # first section at the top, as in the table
    gaps.y_axis.delete = False
    gaps.x_axis.delete = False
    gaps.x_axis.txPr = gaps.y_axis.txPr = _rich(8)
    gaps.legend = None
    ws.add_chart(gaps, _cells_anchor(split, len(SECTION_COLUMNS) + 1, anchor_row, gap_before=True))

    # the bars' colour key, as the PDF prints under its gap chart: one cell, a coloured square per band
    key = CellRichText([TextBlock(InlineFont(rFont=FONT_NAME, i=True, color="595959"), "Bar colours: ")])
    for band in LEGEND_BANDS:
        key.append(TextBlock(InlineFont(rFont=FONT_NAME, color=band_colours[band], sz=12), "■"))
        key.append(TextBlock(InlineFont(rFont=FONT_NAME, color="404040"), f" {GAP_BAND_LABELS[band]}   "))
    cell = ws.cell(row=anchor_row + CHART_ROWS - 2, column=split, value=key)
    cell.font = Font(name=FONT_NAME)


def _cells_anchor(first_column: int, end_column: int, row: int, gap_before: bool = False) -> TwoCellAnchor:
    """A chart anchored to cells: from column first_column (after a small gap) to the start of
    end_column, over CHART_ROWS - 3 rows from `row`. It spans the same columns in Excel and in
    LibreOffice, whose fallback font makes the columns wider than a size in cm would follow."""
    return TwoCellAnchor(
        editAs="oneCell",
        _from=AnchorMarker(col=first_column - 1, row=row - 1, colOff=CHART_GAP_EMU if gap_before else 0),
        to=AnchorMarker(col=end_column - 1, row=row - 1 + CHART_ROWS - 3))


def gap_span(report: Report) -> float:
    """The span of the questionnaire's default scale: the gap bands' measure, as in the PDF."""
    scale = report.questionnaire.default_scale
    return (scale.max_value - scale.min_value) or 1.0


def _plan_progress(book: Book, ws: Worksheet, report: Report, row: int) -> int:
    """Where the plan stands on the day the workbook is made, as the PDF states it; returns the next row.
    The Roadmap sheet colours each overdue action."""
    progress = report.plan_progress
    book.text(ws, row, 1, f"Plan progress on {num.short_date(report.generated_at.date())}", alignment=None,
              font=book.subtitle_font)
    row += 1
    pairs: list[tuple[str, Any, str | None]] = [
        ("Actions in the plan", progress.total, "0"), ("Done", progress.done, "0"),
        ("In progress", progress.in_progress, "0"), ("Blocked", progress.blocked, "0"),
        ("Not started", progress.not_started, "0"), ("Deferred", progress.deferred, "0"),
        ("Overdue (open, past their due date)", progress.overdue, "0"),
        ("Done (share of the actions not deferred)", progress.percent_done, "0%"),
        ("Next due", _iso_date(progress.next_due) if progress.next_due else None, None)]
    start = row
    for label, value, number_format in pairs:
        if value is None:
            continue
        ws.cell(row=row, column=1, value=label).font = book.label_font
        if number_format:
            cell = book.number(ws, row, 2, value, number_format, alignment=Alignment(horizontal="left"))
            if label.startswith("Overdue") and value:
                cell.font = Font(name=FONT_NAME, color="9C0006", bold=True)
        elif isinstance(value, dt.date):
            book.date(ws, row, 2, value).alignment = Alignment(horizontal="left")
        else:
            book.text(ws, row, 2, value, alignment=TOP)
        row += 1
    _no_wrap(ws, start, row - 1)
    return row


def _comparison(book: Book, ws: Worksheet, report: Report, row: int, fmt: str) -> int:
    comparison = report.comparison
    assert comparison is not None
    baseline = comparison.baseline
    # a date inside a heading is text: written as the PDF and the date cells show dates (5 Mar 2026)
    book.text(ws, row, 1, f"Progress since {baseline.name} ({num.short_date(baseline.assessment_date)})",
              alignment=None, font=book.subtitle_font)
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
            book.number(ws, r, col, value, number_format, CENTER_TOP)
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
        book.number(ws, r, 3, finding.level_value, fmt, CENTER_TOP)
        book.number(ws, r, 4, finding.target_value, fmt, CENTER_TOP)
        book.number(ws, r, 5, finding.gap, fmt, CENTER_TOP)
        factor = round(finding.weight * finding.criticality, 4)
        book.number(ws, r, 6, factor, decimal_format(factor), CENTER_TOP)
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
