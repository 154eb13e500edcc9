"""Charts for the PDF report, drawn with reportlab's own vector graphics.

Colours mean the same thing in every chart: the accent is the current level, grey (dashed where it is a
line) is the target, light grey is an earlier assessment, and gaps use the fixed status colours.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.charts.spider import SpiderChart
from reportlab.graphics.shapes import Drawing, Line, Polygon, Rect, String

from exports.pdf_fonts import FontSet
from exports.pdf_styles import (BASELINE, FAINT, INK, MUTED, PANEL, RULE, STATUS_COLOURS, TARGET, WHITE,
                                Palette, mix)
from vciso import numbers as num



def _style_value_axis(axis, fonts) -> None:  # type: ignore[no-untyped-def]
    """The value axis every bar chart of the report shares: small muted labels on a light grid."""
    axis.labels.fontName = fonts.regular
    axis.labels.fontSize = 7
    axis.labels.fillColor = MUTED
    axis.labelTextFormat = lambda v: num.score(v)
    axis.strokeColor = RULE
    axis.visibleGrid = True
    axis.gridStrokeColor = PANEL

def chart_text(text: str, fonts: FontSet, limit: int = 60) -> tuple[str, str]:
    """(font name, text) for a one-font chart label: see FontSet.label."""
    return fonts.label(text, limit)


def _string(x: float, y: float, text: str, fonts: FontSet, size: float = 7.5, colour=INK,
            anchor: str = "start", bold: bool = False, limit: int = 60) -> String:
    font, text = chart_text(text, fonts, limit)
    if bold and font == fonts.regular:
        font = fonts.bold
    return String(x, y, text, fontName=font, fontSize=size, fillColor=colour, textAnchor=anchor)


def legend(items: list[tuple[str, object, bool]], fonts: FontSet, width: float) -> Drawing:
    """A one-line legend: (label, colour, dashed line?) swatches, centred."""
    drawing = Drawing(width, 14)
    widths = [22 + len(label) * 4.3 + 16 for label, _, _ in items]
    x = max(0.0, (width - sum(widths)) / 2)
    for (label, colour, dashed), w in zip(items, widths):
        if dashed:
            drawing.add(Line(x, 6, x + 16, 6, strokeColor=colour, strokeWidth=1.6, strokeDashArray=(3, 2)))
        else:
            drawing.add(Rect(x, 2, 16, 8, fillColor=colour, strokeColor=None))
        drawing.add(_string(x + 21, 3, label, fonts, size=7.5, colour=MUTED))
        x += w
    return drawing


def radar_chart(labels: list[str], current: list[float], target: list[float], scale_min: float,
                scale_max: float, levels: list[float], palette: Palette, fonts: FontSet,
                width: float, height: float) -> Drawing:
    """Current (filled, accent) against target (dashed grey) per section, on the scale's rings."""
    drawing = Drawing(width, height)
    span = (scale_max - scale_min) or 1.0
    n = len(labels)
    label_room = 62
    radius = max(40.0, min(width / 2 - label_room - 40, height / 2 - 26))
    cx, cy = width / 2, height / 2
    angles = [math.pi / 2 - 2 * math.pi * i / n for i in range(n)]  # clockwise from the top

    for level in levels:  # rings behind the chart
        r = radius * (level - scale_min) / span
        if r <= 0:
            continue
        points: list[float] = []
        for angle in angles:
            points += [cx + r * math.cos(angle), cy + r * math.sin(angle)]
        drawing.add(Polygon(points, fillColor=None, strokeColor=RULE, strokeWidth=0.6))
        drawing.add(String(cx + 3, cy + r + 1.5, num.score(level), fontName=fonts.regular, fontSize=6,
                           fillColor=FAINT))

    chart = SpiderChart()
    chart.x, chart.y = cx - radius, cy - radius
    chart.width = chart.height = 2 * radius
    # The third, invisible strand pins the outer ring to the top of the scale (the chart normalises
    # to the largest value it is given).
    chart.data = [[max(0.0, v - scale_min) for v in current], [max(0.0, v - scale_min) for v in target],
                  [span] * n]
    chart.labels = [""] * n
    chart.startAngle = 90
    chart.direction = "clockwise"
    chart.spokes.strokeColor = RULE
    chart.spokes.strokeWidth = 0.6
    chart.strands[0].fillColor = palette.soft
    chart.strands[0].strokeColor = palette.accent
    chart.strands[0].strokeWidth = 1.8
    chart.strands[0].symbol = "FilledCircle"
    chart.strands[0].symbolSize = 4.5
    chart.strands[1].fillColor = None
    chart.strands[1].strokeColor = TARGET
    chart.strands[1].strokeWidth = 1.3
    chart.strands[1].strokeDashArray = (4, 2.5)
    chart.strands[2].fillColor = None
    chart.strands[2].strokeColor = None
    chart.strands[2].strokeWidth = 0
    drawing.add(chart)

    for label, angle, value in zip(labels, angles, current):
        lx = cx + (radius + 10) * math.cos(angle)
        ly = cy + (radius + 10) * math.sin(angle)
        cos = math.cos(angle)
        anchor = "middle" if abs(cos) < 0.2 else ("start" if cos > 0 else "end")
        font, text = chart_text(label, fonts, 70)
        lines = _wrap(text, font, 7.5, label_room + 30)
        total = len(lines) + 1
        if abs(cos) >= 0.2:  # beside the chart: centred on the spoke's end
            top = ly + (total * 9) / 2 - 7
        else:  # above or below: grow away from the chart
            top = ly + total * 9 - 6 if math.sin(angle) > 0 else ly - 4
        for i, line in enumerate(lines):
            drawing.add(String(lx, top - i * 9, line, fontName=font, fontSize=7.5, fillColor=INK,
                               textAnchor=anchor))
        drawing.add(String(lx, top - len(lines) * 9, num.score(value), fontName=fonts.bold, fontSize=7.5,
                           fillColor=palette.accent_text, textAnchor=anchor))
    return drawing


def _wrap(text: str, font: str, size: float, width: float, max_lines: int = 3) -> list[str]:
    from reportlab.lib.utils import simpleSplit
    lines = simpleSplit(text, font, size, width) or [""]
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1].rstrip(" .,") + "…"
    return lines


def gap_chart(labels: list[str], gaps: list[float], statuses: list[str], scale_span: float,
              fonts: FontSet, width: float) -> Drawing:
    """Horizontal bars, largest gap first, coloured by gap status, each labelled with its value."""
    n = len(labels)
    bar_h = 13
    label_w = min(190.0, width * 0.38)
    height = n * (bar_h + 7) + 34
    drawing = Drawing(width, height)
    chart = HorizontalBarChart()
    chart.x, chart.y = label_w, 22
    chart.width, chart.height = width - label_w - 34, height - 30
    chart.data = [list(reversed(gaps))]
    chart.categoryAxis.categoryNames = [""] * n
    chart.categoryAxis.strokeColor = RULE
    chart.categoryAxis.visibleTicks = False
    chart.valueAxis.valueMin = 0
    top = max(1.0, math.ceil(max(gaps or [0]) * 2) / 2)
    chart.valueAxis.valueMax = top
    chart.valueAxis.valueStep = 0.5 if top <= 3 else 1
    _style_value_axis(chart.valueAxis, fonts)
    chart.valueAxis.gridStrokeWidth = 0.8
    chart.barWidth = bar_h
    chart.groupSpacing = 7
    chart.bars.strokeColor = None
    for i, status in enumerate(reversed(statuses)):
        chart.bars[(0, i)].fillColor = STATUS_COLOURS.get(status, TARGET)
    chart.barLabelFormat = lambda v: num.score(v)
    chart.barLabels.fontName = fonts.bold
    chart.barLabels.fontSize = 7.5
    chart.barLabels.fillColor = INK
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 4
    drawing.add(chart)
    step = chart.height / n
    for i, label in enumerate(labels):  # own labels: right-aligned, truncated, CJK-aware
        y = chart.y + chart.height - (i + 0.5) * step - 2.5
        drawing.add(_string(label_w - 8, y, label, fonts, size=8, anchor="end", limit=44))
    return drawing


@dataclass(frozen=True)
class PhaseBar:
    name: str
    start_days: int
    end_days: int
    actions: int
    quick_wins: int
    done: int


def timeline_chart(phases: list[PhaseBar], start: dt.date | None, palette: Palette, fonts: FontSet,
                   width: float) -> Drawing:
    """A Gantt-like timeline: one bar per phase over the calendar, with its actions and quick wins."""
    row_h, gap = 22, 8
    label_w = 82
    height = len(phases) * (row_h + gap) + 48
    drawing = Drawing(width, height)
    horizon = max([p.end_days for p in phases] or [1]) or 1
    plot_w = width - label_w - 6

    def x_of(days: float) -> float:
        return label_w + plot_w * days / horizon

    bottom = 34
    top = height - 6
    drawing.add(Rect(label_w, bottom - 4, plot_w, top - bottom + 4, fillColor=PANEL, strokeColor=None))
    drawing.add(Line(label_w, bottom - 4, label_w, top, strokeColor=INK, strokeWidth=1))
    start_text = num.short_date(start) if start else "day 0"
    drawing.add(String(label_w, bottom - 14, start_text, fontName=fonts.bold, fontSize=6.5, fillColor=INK,
                       textAnchor="start"))
    previous_x, previous_low = label_w + 20, False
    for p in phases:
        x = x_of(p.end_days)
        drawing.add(Line(x, bottom - 4, x, top, strokeColor=RULE, strokeWidth=0.6))
        when = num.short_date(start + dt.timedelta(days=p.end_days)) if start else f"day {p.end_days}"
        low = x - previous_x < 50 and not previous_low  # stagger labels that would collide
        drawing.add(String(x, bottom - (22 if low else 14), when, fontName=fonts.regular, fontSize=6.5,
                           fillColor=MUTED, textAnchor="end" if x > width - 30 else "middle"))
        previous_x, previous_low = x, low
    for i, p in enumerate(phases):
        y = top - (i + 1) * (row_h + gap) + gap / 2
        colour = mix(palette.accent, WHITE, min(0.6, i * 0.18))
        x0, x1 = x_of(p.start_days), x_of(p.end_days)
        drawing.add(_string(label_w - 8, y + row_h / 2 - 3, p.name, fonts, size=8, anchor="end", bold=True,
                            limit=18))
        if p.actions == 0:
            drawing.add(Rect(x0, y, x1 - x0, row_h, fillColor=None, strokeColor=RULE, strokeWidth=0.8,
                             strokeDashArray=(2, 2)))
            drawing.add(String(x0 + 5, y + row_h / 2 - 3, "no actions", fontName=fonts.regular, fontSize=7,
                               fillColor=FAINT))
            continue
        drawing.add(Rect(x0, y, x1 - x0, row_h, fillColor=colour, strokeColor=None, rx=2, ry=2))
        text = f"{p.actions} action{'s' if p.actions != 1 else ''}"
        if p.quick_wins:
            text += f" · {p.quick_wins} quick win{'s' if p.quick_wins != 1 else ''}"
        if p.done:
            text += f" · {p.done} done"
        text_colour = palette.on_accent if i == 0 else (INK if i >= 2 else palette.on_accent)
        fits = len(text) * 4.0 + 10 < (x1 - x0)
        if fits:
            drawing.add(String(x0 + 6, y + row_h / 2 - 3, text, fontName=fonts.bold, fontSize=7.5,
                               fillColor=text_colour))
        else:
            anchor_x = x1 + 5 if x1 + len(text) * 4.2 < width else x0 - 5
            drawing.add(String(anchor_x, y + row_h / 2 - 3, text, fontName=fonts.bold, fontSize=7.5,
                               fillColor=INK, textAnchor="start" if anchor_x > x0 else "end"))
    return drawing


def progress_chart(labels: list[str], baseline: list[float], current: list[float], target: float | None,
                   scale_min: float, scale_max: float, palette: Palette, fonts: FontSet,
                   width: float) -> Drawing:
    """Earlier (light grey) and current (accent) level per section, with the target as a dashed line."""
    n = len(labels)
    label_w = min(190.0, width * 0.38)
    height = n * 26 + 34
    drawing = Drawing(width, height)
    chart = HorizontalBarChart()
    chart.x, chart.y = label_w, 22
    chart.width, chart.height = width - label_w - 34, height - 30
    # within a group the first series is drawn lowest: current first puts the earlier bar on top
    chart.data = [list(reversed(current)), list(reversed(baseline))]
    chart.categoryAxis.categoryNames = [""] * n
    chart.categoryAxis.strokeColor = RULE
    chart.categoryAxis.visibleTicks = False
    chart.valueAxis.valueMin = scale_min
    chart.valueAxis.valueMax = scale_max
    chart.valueAxis.valueStep = 1
    _style_value_axis(chart.valueAxis, fonts)
    chart.barWidth = 8
    chart.barSpacing = 1
    chart.groupSpacing = 8
    chart.bars.strokeColor = None
    chart.bars[0].fillColor = palette.accent
    chart.bars[1].fillColor = BASELINE
    chart.barLabelFormat = lambda v: num.score(v)
    chart.barLabels.fontName = fonts.regular
    chart.barLabels.fontSize = 6.5
    chart.barLabels.fillColor = MUTED
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 3
    drawing.add(chart)
    if target is not None and scale_max > scale_min:
        x = chart.x + chart.width * (target - scale_min) / (scale_max - scale_min)
        drawing.add(Line(x, chart.y, x, chart.y + chart.height, strokeColor=TARGET, strokeWidth=1.2,
                         strokeDashArray=(4, 2.5)))
    step = chart.height / n
    for i, label in enumerate(labels):
        y = chart.y + chart.height - (i + 0.5) * step - 2.5
        drawing.add(_string(label_w - 8, y, label, fonts, size=8, anchor="end", limit=44))
    return drawing


def level_bar(current: float | None, target: float | None, scale_min: float, scale_max: float,
              palette: Palette, width: float = 64, height: float = 9) -> Drawing:
    """A small in-table bar: the current level filled in the accent, the target as a dark tick."""
    drawing = Drawing(width, height)
    span = (scale_max - scale_min) or 1.0
    drawing.add(Rect(0, 1.5, width, height - 3, fillColor=PANEL, strokeColor=None))
    if current is not None:
        w = width * max(0.0, min(1.0, (current - scale_min) / span))
        drawing.add(Rect(0, 1.5, w, height - 3, fillColor=palette.accent, strokeColor=None))
    if target is not None:
        x = width * max(0.0, min(1.0, (target - scale_min) / span))
        drawing.add(Line(x, 0, x, height, strokeColor=INK, strokeWidth=1.4))
    return drawing


def status_chip(status: str, fonts: FontSet, label: str, width: float = 52) -> Drawing:
    """A small rounded label in a status colour (e.g. 'Large gap')."""
    drawing = Drawing(width, 11)
    colour = STATUS_COLOURS.get(status, TARGET)
    drawing.add(Rect(0, 0, width, 11, rx=5.5, ry=5.5, fillColor=colour, strokeColor=None))
    drawing.add(String(width / 2, 3, label, fontName=fonts.bold, fontSize=6.5, fillColor=WHITE,
                       textAnchor="middle"))
    return drawing


def distribution_chart(rows: list[tuple[str, list[int]]], labels: list[str], colours: list, fonts: FontSet,
                       width: float) -> Drawing:
    """One horizontal bar per section, split by how its questions were answered (one segment per answer
    label, then N/A and unanswered), with the counts written in the segments that have room."""
    label_width = min(150.0, width * 0.32)
    bar_height, gap, legend_height = 11.0, 5.0, 16.0
    height = legend_height + len(rows) * (bar_height + gap) + 4
    drawing = Drawing(width, height)
    most = max((sum(counts) for _, counts in rows), default=1) or 1
    span = width - label_width - 8
    y = height - legend_height - bar_height
    for title, counts in rows:
        drawing.add(_string(0, y + 2.5, title, fonts, size=7, limit=34))
        x = label_width
        for count, colour in zip(counts, colours):
            if not count:
                continue
            w = span * count / most
            drawing.add(Rect(x, y, w, bar_height, fillColor=colour, strokeColor=WHITE, strokeWidth=0.5))
            if w >= 10:
                light = 0.299 * colour.red + 0.587 * colour.green + 0.114 * colour.blue > 0.6
                drawing.add(_string(x + w / 2, y + 2.5, str(count), fonts, size=6.5, colour=INK if light else WHITE,
                                    anchor="middle", bold=True))
            x += w
        y -= bar_height + gap
    from reportlab.pdfbase.pdfmetrics import stringWidth

    x = label_width
    for label, colour in zip(labels, colours):
        drawing.add(Rect(x, height - 10, 7, 7, fillColor=colour, strokeColor=None))
        font, text = chart_text(label, fonts, 22)
        drawing.add(_string(x + 9, height - 9.5, label, fonts, size=6.5, colour=MUTED, limit=22))
        x += 16 + stringWidth(text, font, 6.5)
    return drawing


@dataclass(frozen=True)
class TrendLine:
    """One line of the trend chart: its name, its value at each date (None: no point), colour and weight."""

    name: str
    values: list[float | None]
    colour: object
    width: float = 1.2
    labelled: bool = False  # each point's value written above it (the overall line)


def trend_chart(dates: list[str], lines: list[TrendLine], scale_min: float, scale_max: float, fonts: FontSet,
                width: float, height: float = 210) -> Drawing:
    """Scores over time: one line per series, the assessments placed by their dates (ISO) and labelled
    with them below the axis, a key of the lines underneath."""
    from reportlab.graphics.shapes import Circle, PolyLine

    key_rows = _key_rows([line.name for line in lines], fonts, width)
    key_h = 12 * len(key_rows) + 4
    drawing = Drawing(width, height + key_h)
    left, right, bottom, top = 26.0, 30.0, key_h + 22, height + key_h - 10
    span = (scale_max - scale_min) or 1.0
    days = [dt.date.fromisoformat(d[:10]).toordinal() for d in dates]
    first, last = min(days), max(days)
    step = 1.0 if span <= 10 else span / 5

    def x_of(day: int) -> float:
        return left + (width - left - right) * ((day - first) / (last - first) if last > first else 0.5)

    def y_of(value: float) -> float:
        return bottom + (top - bottom) * (value - scale_min) / span

    level = scale_min
    while level <= scale_max + 1e-9:  # light grid, a label per level
        y = y_of(level)
        drawing.add(Line(left, y, width - right + 8, y, strokeColor=RULE,
                         strokeWidth=0.35 if level > scale_min else 0.7))
        drawing.add(String(left - 4, y - 2.5, num.score(level), fontName=fonts.regular, fontSize=7,
                           fillColor=MUTED, textAnchor="end"))
        level += step
    shown_until = -1e9
    for day, date in zip(days, dates):  # the dates below the axis; one that would overlap the last is left out
        x = x_of(day)
        drawing.add(Line(x, bottom, x, bottom - 3, strokeColor=RULE, strokeWidth=0.6))
        text = num.short_date(date)
        half = len(text) * 1.9
        if x - half > shown_until + 4:
            drawing.add(String(x, bottom - 12, text, fontName=fonts.regular, fontSize=7, fillColor=INK,
                               textAnchor="middle"))
            shown_until = x + half
    for line in lines:
        points = [(x_of(day), y_of(value)) for day, value in zip(days, line.values) if value is not None]
        if len(points) > 1:
            drawing.add(PolyLine([c for point in points for c in point], strokeColor=line.colour,
                                 strokeWidth=line.width, strokeLineJoin=1))
        for x, y in points:
            drawing.add(Circle(x, y, 1.2 + line.width * 0.6, fillColor=line.colour, strokeColor=WHITE,
                               strokeWidth=0.5))
        if line.labelled:
            for (x, y), value in zip(points, [v for v in line.values if v is not None]):
                drawing.add(String(x, y + 5.5, num.score(value), fontName=fonts.bold, fontSize=7.5,
                                   fillColor=line.colour, textAnchor="middle"))
    colours = {line.name: line for line in lines}
    for row, names in enumerate(key_rows):  # the key, centred, as many rows as it needs
        row_w = sum(_key_width(name, fonts) for name in names)
        x = max(0.0, (width - row_w) / 2)
        y = key_h - 12 * (row + 1)
        for name in names:
            line = colours[name]
            drawing.add(Line(x, y + 3, x + 14, y + 3, strokeColor=line.colour, strokeWidth=max(1.2, line.width)))
            drawing.add(_string(x + 18, y, name, fonts, size=7.5, colour=MUTED, limit=40))
            x += _key_width(name, fonts)
    return drawing


def _key_width(name: str, fonts: FontSet) -> float:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    font, text = chart_text(name, fonts, 40)
    return 18 + stringWidth(text, font, 7.5) + 16


def _key_rows(names: list[str], fonts: FontSet, width: float) -> list[list[str]]:
    rows: list[list[str]] = [[]]
    used = 0.0
    for name in names:
        need = _key_width(name, fonts)
        if rows[-1] and used + need > width:
            rows.append([])
            used = 0.0
        rows[-1].append(name)
        used += need
    return rows
