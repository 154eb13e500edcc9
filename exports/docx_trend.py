"""The Word report's trend over every assessment: the PDF's chart (exports/pdf_charts.trend_chart) and
table, at the end of the progress section (exports/docx_sections.progress)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from exports import docx_ooxml as ox
from exports.docx_document import CONTENT_WIDTH, INK, PANEL
from vciso import numbers as num
from vciso.trend import domain_colour, trend_sentence

if TYPE_CHECKING:
    from exports.docx_document import Context

TREND_TABLE_COLUMNS = 8  # assessments in the table, as in the PDF; the chart shows them all


def trend_section(ctx: Context) -> None:
    """The current score of every assessment of the questionnaire so far, overall and per domain, when
    there are two or more: a line chart with the dates on its axis and the figures in a table."""
    from reportlab.lib import colors

    from exports.pdf_charts import TrendLine, trend_chart

    report = ctx.report
    trend = report.trend
    if trend is None or not trend.shown:
        return
    width = CONTENT_WIDTH
    points = trend.points
    ctx.heading(2, "Over every assessment")
    # the sentence goes with the chart (headings keep with the next paragraph already)
    ctx.p(trend_sentence(trend, report.questionnaire.title)).paragraph_format.keep_with_next = True
    lines = [TrendLine(title, trend.domain_series(i), colors.HexColor(domain_colour(i)), 1.1)
             for i, title in enumerate(trend.domain_titles)]
    lines.append(TrendLine("Overall", trend.overall_series, ctx.palette.accent, 2.4, labelled=True))
    chart = trend_chart([p.assessment_date for p in points], lines, trend.scale_min, trend.scale_max, ctx.fonts,
                        width)
    ctx.picture(chart, "Line chart: the overall and each domain's current score at each assessment, by date")
    shown = points[-TREND_TABLE_COLUMNS:]
    first = len(points) - len(shown)
    fixed = [68.0] * len(shown)  # a date ('15 Jan 2026') on one line in Word's wider cell margins
    table = ctx.table(["Section"] + [num.short_date(p.assessment_date) for p in shown],
                      [width - sum(fixed)] + fixed, right=set(range(1, len(shown) + 1)))
    for i, title in enumerate(trend.domain_titles):
        row = ctx.row(table)
        ctx.cell(row[0], title)
        for cell, value in zip(row[1:], trend.domain_series(i)[first:]):
            ctx.cell(cell, num.score(value), align="right")
    row = ctx.row(table)
    ctx.cell(row[0], "Overall", bold=True)
    for cell, point in zip(row[1:], shown):
        ctx.cell(cell, num.score(point.overall), align="right", bold=True)
    for cell in row:
        ox.cell_shading(cell, PANEL)
        ox.cell_border(cell, "top", INK, 1.2)
    ctx.finish(table)
    if first:
        ctx.note(f"The table shows the latest {len(shown)} of the {len(points)} assessments; the chart shows "
                 "them all.")
