"""The body sections of the PDF report, each a function from the report to a list of flowables."""

from __future__ import annotations

from reportlab.graphics.shapes import Drawing
from reportlab.platypus import Flowable, KeepTogether, PageBreak, Spacer, Table, TableStyle

from exports.pdf_charts import PhaseBar, distribution_chart, gap_chart, legend, level_bar, progress_chart, \
    radar_chart, status_chip, timeline_chart
from exports.pdf_charts import TrendLine, trend_chart
from exports.pdf_flowables import Band, Context, FindingBlock, Para
from exports.pdf_styles import (BASELINE, CONTENT_WIDTH, INK, MUTED, PANEL, RULE, STATUS_COLOURS, TARGET, WHITE,
                                data_table_style, mix)
from vciso import narrative as nv
from vciso import numbers as num
from vciso.numbers import GAP_BAND_LABELS, gap_band, short_date
from vciso.report import FindingRow, Report, is_strength
from vciso.scoring import NodeScore

STATUS_TEXT_COLOURS = {"Done": "#2F855A", "In progress": None, "Blocked": "#C53030", "Deferred": "#8A96A3"}


def _hex(colour) -> str:  # type: ignore[no-untyped-def]
    return colour.hexval().replace("0x", "#")


def _fit(chart: Drawing, ctx: Context, room: float) -> Drawing:
    """The chart, scaled down and centred when it is taller than a page less `room` (its heading, legend).

    Charts grow with the number of sections or phases; one taller than the page would stop the export.
    """
    limit = ctx.page.body_height - room
    if chart.height > limit:
        chart.renderScale = limit / chart.height
        chart.hAlign = "CENTER"
    return chart


def _span(report: Report) -> float:
    scale = report.questionnaire.default_scale
    return (scale.max_value - scale.min_value) or 1.0


# --------------------------------------------------------------------------- executive summary


def executive_summary(report: Report, ctx: Context) -> list:
    """The CEO page: what the result means, the figures, what to do first, the largest gaps, strengths and
    what is flagged — on one page, without question ids."""
    s, summary = ctx.styles, nv.executive_summary(report)
    out: list = [ctx.heading(0, "Executive summary"), ctx.p(summary.headline, s.lead)]
    tiles = nv.key_figure_tiles(report, summary.change)
    out += [Spacer(1, 4), key_figures(tiles, ctx), Spacer(1, 8)]
    # one paragraph: the change since the earlier assessment, else what is still open (the cover already
    # says which assessment this is, and the tiles give the figures)
    comparison = nv.comparison_sentence(report)
    out.append(ctx.p(comparison or summary.paragraphs[-1]))

    if summary.top_actions:
        out.append(ctx.heading(1, "What to do first", toc=False))
        rows = [[ctx.p(h, s.head) for h in ("", "Action", "Owner", "Due")]]
        for number, (action, owner, due) in enumerate(summary.top_actions, start=1):
            owner_cell = ctx.raw(f"<font color='#8A96A3'>{ctx.m(owner)}</font>", s.cell) if owner == "Unassigned" \
                else ctx.p(owner, s.cell)
            rows.append([ctx.p(str(number), s.cell_bold), ctx.raw(f"<b>{ctx.m(action)}</b>", s.cell), owner_cell,
                         ctx.p(due, s.cell)])
        widths = [18, None, 120, 70]
        widths[1] = CONTENT_WIDTH - sum(w for w in widths if w)
        out.append(Table(rows, colWidths=widths, style=data_table_style(ctx.palette)))
    elif summary.next_steps:
        out.append(ctx.heading(1, "What to do first", toc=False))
        out += [ctx.p(text) for text in summary.next_steps[:1]]

    out.append(ctx.heading(1, "Largest gaps", toc=False))
    out.append(ctx.p(summary.gaps_intro, s.body))
    if report.top_gaps:
        out.append(top_gaps_table(report, ctx))
    if summary.strengths:
        out.append(ctx.heading(1, "Strengths", toc=False))
        if all(is_strength(node) for node in report.strengths):
            out.append(ctx.p(summary.strengths_intro))
            out += [Para(ctx.m(text), s.bullet, bulletText="•") for text in summary.strengths[:3]]
        else:  # only the closest areas: one sentence keeps the page to one page
            closest = "; ".join(text.rstrip(".") for text in summary.strengths[:3])
            out.append(ctx.p(f"{summary.strengths_intro} {closest}."))
    if summary.flagged:
        out.append(Spacer(1, 4))
        out.append(ctx.p(summary.flagged, s.muted))
    out.append(PageBreak())
    return out


def key_figures(tiles: list[tuple[str, str]], ctx: Context) -> Table:
    """A row of large figures with captions, each on a tinted panel with an accent rule above."""
    gap = 6
    width = (CONTENT_WIDTH - gap * (len(tiles) - 1)) / len(tiles)
    row, widths = [], []
    for i, (figure, caption) in enumerate(tiles):
        row.append([ctx.p(figure, ctx.styles.figure), ctx.p(caption, ctx.styles.figure_caption)])
        widths.append(width)
        if i < len(tiles) - 1:
            row.append("")
            widths.append(gap)
    style = [("VALIGN", (0, 0), (-1, -1), "TOP"), ("TOPPADDING", (0, 0), (-1, -1), 8),
             ("BOTTOMPADDING", (0, 0), (-1, -1), 9), ("LEFTPADDING", (0, 0), (-1, -1), 9)]
    for i in range(0, len(row), 2):
        style += [("BACKGROUND", (i, 0), (i, 0), PANEL), ("LINEABOVE", (i, 0), (i, 0), 2, ctx.palette.accent)]
    return Table([row], colWidths=widths, style=TableStyle(style), hAlign="LEFT")


def top_gaps_table(report: Report, ctx: Context) -> Table:
    s, span = ctx.styles, _span(report)
    rows = [[ctx.p("Area", s.head), ctx.p("Finding", s.head), ctx.p("Current", s.head),
             ctx.p("Target", s.head), ctx.p("", s.head)]]
    for f in report.top_gaps:
        status = gap_band(f.gap, span)
        rows.append([ctx.p(f.domain_title, s.cell),
                     ctx.raw(f"<b>{ctx.m(f.title or f.text)}</b>", s.cell),   # no question ids on the CEO page
                     ctx.p(nv.finding_level(f), s.cell), ctx.p(nv.finding_target(f), s.cell),
                     status_chip(status, ctx.fonts, GAP_BAND_LABELS[status])])
    widths = [80, None, 98, 98, 56]   # "0.0 (Not performed)" on one line
    widths[1] = CONTENT_WIDTH - sum(w for w in widths if w)
    table = Table(rows, colWidths=widths, repeatRows=1, style=data_table_style(ctx.palette))
    table.setStyle(TableStyle([("VALIGN", (4, 1), (4, -1), "MIDDLE")]))
    return table


# --------------------------------------------------------------------------- scorecard


def scorecard(report: Report, ctx: Context) -> list:
    s, score = ctx.styles, report.score
    scale = report.questionnaire.default_scale
    extra = {"staged": "Stage", "min": "Weakest"}.get(score.aggregation)
    heads = ["Section", "Current", "Target", "Shortfall", "Current vs target", "To target", "Complete"]
    if extra:
        heads.insert(1, extra)
    rows = [[ctx.p(h, s.head_right if 0 < i and h not in ("Current vs target",) else s.head)
             for i, h in enumerate(heads)]]
    styles: list[tuple] = []

    indented = {depth: s.cell.clone(f"cell-indent-{depth}", leftIndent=10 * depth, textColor=MUTED)
                for depth in range(1, 6)}

    def cells(node: NodeScore, name: Flowable, gap: Flowable) -> list:
        """A scorecard row: the name and gap cells as given, the figures and the bar from the node."""
        row = [name, ctx.p(num.score(node.current), s.cell_right),
               ctx.p(num.score(node.target), s.cell_right), gap, level_bar(node.current, node.target, scale.min_value, scale.max_value, ctx.palette, 70),
               ctx.p(num.percent(node.percent_to_target), s.cell_right),
               ctx.p(f"{node.complete}/{node.total}", s.cell_right)]
        if extra:
            value = node.stage if score.aggregation == "staged" else node.minimum
            row.insert(1, ctx.p(num.score(value), s.cell_right))
        return row

    def add(node: NodeScore, depth: int) -> None:
        status = gap_band(node.gap, _span(report)) if node.current is not None else "none"
        name = ctx.p(node.title, s.cell_bold if depth == 0 else indented[min(depth, 5)])
        gap_text = num.score(node.gap) if node.current is not None else "—"
        colour = _hex(STATUS_COLOURS[status]) if node.current is not None else "#8A96A3"
        rows.append(cells(node, name, ctx.raw(f"<font color='{colour}'><b>{gap_text}</b></font>", s.cell_right)))
        if depth == 0 and len(rows) > 2:
            styles.append(("LINEABOVE", (0, len(rows) - 1), (-1, len(rows) - 1), 0.8, RULE))
        for child in node.children:
            add(child, depth + 1)

    for domain in score.domains:
        add(domain, 0)
    overall = score.overall
    rows.append(cells(overall, ctx.p("Overall", s.cell_bold), ctx.p(num.score(overall.gap), s.cell_right)))
    fixed = ([50] if extra else []) + [44, 40, 34, 84, 48, 52]
    widths = [CONTENT_WIDTH - sum(fixed)] + fixed
    table = Table(rows, colWidths=widths, repeatRows=1, style=data_table_style(ctx.palette))
    bar_col = 5 if extra else 4
    table.setStyle(TableStyle(styles + [
        ("VALIGN", (1, 1), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (bar_col, 0), (bar_col, -1), 6),
        ("LINEABOVE", (0, -1), (-1, -1), 1.2, INK), ("BACKGROUND", (0, -1), (-1, -1), PANEL)]))
    intro = (f"Scores per section on the {scale.name} scale ({num.score(scale.min_value)}–"
             f"{num.score(scale.max_value)}). The bar shows the current level; the dark tick marks the "
             f"target. The shortfall is {num.SHORTFALL_EXPLAINED}. Shortfalls are coloured by size: ")
    chips = ", ".join(f"<font color='{_hex(STATUS_COLOURS[k])}'><b>{GAP_BAND_LABELS[k].lower()}</b></font>"
                      for k in ("met", "minor", "moderate", "major"))
    return [ctx.heading(0, "Scorecard"), ctx.raw(ctx.m(intro) + chips + ".", s.body), Spacer(1, 4), table,
            Spacer(1, 6), ctx.p("“Complete” counts answered and not-applicable questions; unanswered "
                                "questions lower completion but not the score.", s.muted), PageBreak()]


# --------------------------------------------------------------------------- charts


def maturity_profile(report: Report, ctx: Context) -> list:
    s = ctx.styles
    scale = report.questionnaire.default_scale
    scored = [d for d in report.score.domains if d.current is not None]
    out: list = [ctx.heading(0, "Maturity profile")]
    if not scored:
        out.append(ctx.p("No section has a score yet, so there is no profile to chart.", s.body))
        out.append(Spacer(1, 24))  # nothing to show: let the next section follow on this page
        return out
    out.append(ctx.heading(1, "Current and target by section", toc=False))
    if len(scored) >= 3:
        height = 330 if len(scored) <= 10 else 360
        radar = radar_chart([d.title for d in scored], [d.current or 0.0 for d in scored],
                            [d.target if d.target is not None else 0.0 for d in scored],
                            scale.min_value, scale.max_value, [lv.value for lv in scale.levels],
                            ctx.palette, ctx.fonts, CONTENT_WIDTH, height)
        out.append(KeepTogether([radar, legend([("Current level", ctx.palette.accent, False),
                                                ("Target", TARGET, True)], ctx.fonts, CONTENT_WIDTH)]))
    else:
        out.append(ctx.p("A radar chart needs at least three scored sections; the gap chart below shows "
                         "every scored section.", s.muted))
    with_gap = sorted(scored, key=lambda d: (-(d.gap or 0.0), d.title))
    if with_gap:
        # heading, caption, chart and legend on one page (on Letter the chart no longer fits under the radar)
        out.append(KeepTogether([
            ctx.heading(1, "Shortfall by section", toc=False),
            ctx.p("The average shortfall per answered question in each section, largest first.", s.muted),
            _fit(gap_chart([d.title for d in with_gap], [d.gap or 0.0 for d in with_gap],
                           [gap_band(d.gap, _span(report)) for d in with_gap], _span(report), ctx.fonts,
                           CONTENT_WIDTH), ctx, room=80),
            legend([(GAP_BAND_LABELS[k], STATUS_COLOURS[k], False) for k in ("met", "minor", "moderate", "major")],
                   ctx.fonts, CONTENT_WIDTH)]))
    out += answer_distribution(report, ctx)
    out += category_heat_map(report, ctx)
    out.append(PageBreak())
    return out


def distribution_series(report: Report, accent: object) -> tuple[list, list[str], list]:
    """The answer-distribution chart's (rows, labels, colours), for the PDF and the Word report: a count per
    level, N/A and unanswered for each area; the level colours darker as the level is stronger."""
    scale = report.questionnaire.default_scale
    labels = [level.label for level in scale.levels] + ["N/A", "Unanswered"]
    count = len(scale.levels)
    colours = [mix(accent, WHITE, 0.8 - 0.7 * i / max(count - 1, 1)) for i in range(count)] + \
        [STATUS_COLOURS.get("na", MUTED), mix(MUTED, WHITE, 0.6)]
    rows = [(d.title, [d.distribution.get(label, 0) for label in labels]) for d in report.score.domains]
    return rows, labels, colours


def answer_distribution(report: Report, ctx: Context) -> list:
    """How the questions of each area were answered: a count per level, N/A and unanswered."""
    rows, labels, colours = distribution_series(report, ctx.palette.accent)
    if not rows:
        return []
    return [KeepTogether([
        ctx.heading(1, "How the questions were answered", toc=False),
        ctx.p("The number of questions of each area at each level; darker is stronger.", ctx.styles.muted),
        _fit(distribution_chart(rows, labels, colours, ctx.fonts, CONTENT_WIDTH), ctx, room=60)])]


HEAT_MAP_MIN_CATEGORIES = 12


def category_heat_map(report: Report, ctx: Context) -> list:
    """For a questionnaire with more than 12 categories (CSF 2.0 has 22): every category as a coloured cell
    under its area, coloured by the size of its shortfall, so the weak spots stand out at a glance."""
    domains = [d for d in report.score.domains if d.children]
    categories = sum(len(d.children) for d in domains)
    if categories <= HEAT_MAP_MIN_CATEGORIES:
        return []
    s, span = ctx.styles, _span(report)
    tall = max(len(d.children) for d in domains)
    width = CONTENT_WIDTH / len(domains)
    header = [ctx.p(d.title, s.head) for d in domains]
    rows, styles = [header], []
    for r in range(tall):
        row = []
        for c, domain in enumerate(domains):
            if r >= len(domain.children):
                row.append("")
                continue
            node = domain.children[r]
            band = gap_band(node.gap, span) if node.current is not None else "none"
            colour = STATUS_COLOURS.get(band, mix(MUTED, WHITE, 0.5))
            styles.append(("BACKGROUND", (c, r + 1), (c, r + 1), mix(colour, WHITE, 0.72)))
            row.append(ctx.raw(f"<b>{ctx.m(node.title)}</b><br/>{num.score(node.current)} of "
                               f"{num.score(node.target)}", s.cell))
        rows.append(row)
    table = Table(rows, colWidths=[width] * len(domains), style=data_table_style(ctx.palette))
    table.setStyle(TableStyle(styles + [("VALIGN", (0, 0), (-1, -1), "TOP"),
                                        ("GRID", (0, 1), (-1, -1), 1.5, WHITE)]))
    return [Spacer(1, 8), KeepTogether([
        ctx.heading(1, "Category heat map", toc=False),
        ctx.p("Each category with its current level against its target, coloured by its shortfall.", s.muted),
        table,
        legend([(GAP_BAND_LABELS[k], STATUS_COLOURS[k], False) for k in ("met", "minor", "moderate", "major")],
               ctx.fonts, CONTENT_WIDTH)])]


# --------------------------------------------------------------------------- progress


def progress(report: Report, ctx: Context) -> list:
    comp = report.comparison
    if comp is None:
        return []
    s = ctx.styles
    scale = report.questionnaire.default_scale
    out: list = [ctx.heading(0, "Progress since the previous assessment")]
    sentence = nv.comparison_sentence(report) or (
        f"This assessment is compared with the {comp.baseline.name} of "
        f"{num.long_date(comp.baseline.assessment_date)}.")
    out.append(ctx.p(sentence))
    both = [c for c in comp.sections if c.baseline is not None and c.current is not None]
    if both:
        targets = {c.target for c in both if c.target is not None}
        target = targets.pop() if len(targets) == 1 else None
        chart = progress_chart([c.title for c in both], [c.baseline or 0.0 for c in both],
                               [c.current or 0.0 for c in both], target, scale.min_value, scale.max_value,
                               ctx.palette, ctx.fonts, CONTENT_WIDTH)
        chart = _fit(chart, ctx, room=120)  # below the heading and the comparison sentence
        earlier = f"{comp.baseline.name} ({short_date(comp.baseline.assessment_date)})"
        out.append(KeepTogether([chart, legend([(earlier, BASELINE, False),
                                                (f"Now ({short_date(report.assessment.assessment_date)})",
                                                 ctx.palette.accent, False),
                                                ("Target", TARGET, True)], ctx.fonts, CONTENT_WIDTH)]))
        out.append(Spacer(1, 8))
    rows = [[ctx.p(h, s.head if i == 0 else s.head_right) for i, h in
             enumerate(["Section", "Earlier", "Now", "Target", "Change", "Progress"])]]
    for c in (*comp.sections, comp.overall):
        change = c.change
        colour = ("#2F855A" if change and change > 0.049 else "#C53030" if change and change < -0.049
                  else "#5F6B7A")
        change_text = num.score_change(change)
        style = s.cell_bold if c is comp.overall else s.cell
        rows.append([ctx.p(c.title, style), ctx.p(num.score(c.baseline), s.cell_right),
                     ctx.p(num.score(c.current), s.cell_right), ctx.p(num.score(c.target), s.cell_right),
                     ctx.raw(f"<font color='{colour}'><b>{change_text}</b></font>", s.cell_right),
                     ctx.p(num.percent(c.progress), s.cell_right)])
    fixed = [48, 48, 48, 52, 56]
    table = Table(rows, colWidths=[CONTENT_WIDTH - sum(fixed)] + fixed, repeatRows=1,
                  style=data_table_style(ctx.palette))
    table.setStyle(TableStyle([("LINEABOVE", (0, -1), (-1, -1), 1.2, INK),
                               ("BACKGROUND", (0, -1), (-1, -1), PANEL)]))
    out += [table, Spacer(1, 6),
            ctx.p("Progress is the share of the distance from the earlier level to the target that has been "
                  "closed; it is blank where the earlier level already met the target.", s.muted)]
    out += _trend(report, ctx) + [PageBreak()]
    return out


TREND_TABLE_COLUMNS = 8  # assessments in the trend's table; the chart shows them all


def _trend(report: Report, ctx: Context) -> list:
    """The current score of every assessment of the questionnaire so far, overall and per domain: a line
    chart with the dates on its axis and the figures in a table (the latest assessments when many)."""
    from reportlab.lib import colors

    from vciso.trend import domain_colour, trend_sentence

    trend = report.trend
    if trend is None or not trend.shown:
        return []
    s = ctx.styles
    points = trend.points
    dates = [p.assessment_date for p in points]
    lines = [TrendLine(title, trend.domain_series(i), colors.HexColor(domain_colour(i)), 1.1)
             for i, title in enumerate(trend.domain_titles)]
    lines.append(TrendLine("Overall", trend.overall_series, ctx.palette.accent, 2.4, labelled=True))
    chart = _fit(trend_chart(dates, lines, trend.scale_min, trend.scale_max, ctx.fonts, CONTENT_WIDTH), ctx, 120)
    # the heading and its sentence go with the chart: never alone at the foot of a page
    out: list = [Spacer(1, 10), KeepTogether([
        ctx.heading(1, "Over every assessment", toc=False),
        ctx.p(trend_sentence(trend, report.questionnaire.title)), chart])]
    shown = points[-TREND_TABLE_COLUMNS:]
    rows = [[ctx.p("Section", s.head)] + [ctx.p(num.short_date(p.assessment_date), s.head_right) for p in shown]]
    first = len(points) - len(shown)
    for i, title in enumerate(trend.domain_titles):
        rows.append([ctx.p(title, s.cell)] + [ctx.p(num.score(v), s.cell_right)
                                              for v in trend.domain_series(i)[first:]])
    rows.append([ctx.p("Overall", s.cell_bold)] + [ctx.p(num.score(p.overall), s.cell_right) for p in shown])
    # each date ('15 Jan 2026') on one line, whatever the report's fonts
    from reportlab.pdfbase.pdfmetrics import stringWidth
    date_width = max(stringWidth(num.short_date(p.assessment_date), s.head_right.fontName, s.head_right.fontSize)
                     for p in shown)
    fixed = [max(48.0, date_width + 14)] * len(shown)
    table = Table(rows, colWidths=[CONTENT_WIDTH - sum(fixed)] + fixed, repeatRows=1,
                  style=data_table_style(ctx.palette))
    table.setStyle(TableStyle([("LINEABOVE", (0, -1), (-1, -1), 1.2, INK),
                               ("BACKGROUND", (0, -1), (-1, -1), PANEL)]))
    out += [Spacer(1, 6), table]
    if first:
        out.append(ctx.p(f"The table shows the latest {len(shown)} of the {len(points)} assessments; the chart "
                         "shows them all.", s.muted))
    return out


# --------------------------------------------------------------------------- roadmap


def _plan_progress(report: Report, ctx: Context) -> list:
    """The plan's progress in one line (done, in progress, not started, overdue), the overdue named."""
    from vciso.plan import progress_sentence

    s = ctx.styles
    out: list = [ctx.raw(f"<b>Plan progress:</b> {ctx.m(progress_sentence(report.plan_progress))}", s.body)]
    overdue = report.overdue
    if overdue:
        names = "; ".join(f"{ctx.m(item.title)} (due {ctx.m(short_date(item.due_date))})" for item in overdue[:8])
        more = f"; and {len(overdue) - 8} more" if len(overdue) > 8 else ""
        out.append(ctx.raw(f"<font color='#C53030'><b>Overdue:</b></font> {names}{more}.", s.body))
    return out


def roadmap(report: Report, ctx: Context) -> list:
    s = ctx.styles
    out: list = [ctx.heading(0, "Roadmap")]
    items = report.roadmap
    if not items:
        out.append(ctx.p(" ".join(nv.roadmap_sentences(report)), s.body))
        out.append(Spacer(1, 24))  # nothing to show: let the next section follow on this page
        return out
    out += [ctx.p(text) for text in nv.roadmap_sentences(report)[:2]]
    out += _plan_progress(report, ctx)
    start = report.plan_start
    last = max(len(report.phases), max(i.phase for i in items) + 1)
    bars = []
    for index in range(last):
        phase_items = [i for i in items if i.phase == index]
        if index < len(report.phases):
            p = report.phases[index]
            bars.append(PhaseBar(p.name, p.start_days, p.end_days, len(phase_items),
                                 sum(1 for i in phase_items if i.quick_win), sum(1 for i in phase_items
                                                                                  if i.status == "Done")))
        elif phase_items:
            end = bars[-1].end_days if bars else 365
            bars.append(PhaseBar(report.phase_name(index), end, end + 90, len(phase_items),
                                 sum(1 for i in phase_items if i.quick_win), 0))
    out.append(ctx.heading(1, "Timeline"))
    out.append(_fit(timeline_chart(bars, start, ctx.palette, ctx.fonts, CONTENT_WIDTH), ctx, room=40))
    out.append(Spacer(1, 4))
    out.append(ctx.p("Each bar is a phase of the plan, counted from the assessment date. Within a phase the "
                     "most critical actions come first; due dates are spread so that no month holds more "
                     "actions than a small team can take on.", s.muted))
    number = 0
    overdue = report.overdue
    for index in range(last):
        phase_items = [i for i in items if i.phase == index]
        if not phase_items:
            continue
        out.append(ctx.heading(1, nv.phase_title(report, index)))
        out.append(ctx.p(nv.phase_summary(phase_items), s.muted))
        rows = [[ctx.p(h, s.head) for h in ("#", "Action", "Effort", "Criticality", "Owner", "Due", "Status")]]
        for item in phase_items:
            number += 1
            action = ""
            if item.quick_win:
                action += "<font color='#2F855A' size='6.5'><b>QUICK WIN</b></font><br/>"
            action += f"<b>{ctx.m(item.title)}</b>"
            if item.question_id:
                action += f" <font color='#8A96A3'>{ctx.m(item.question_id)}</font>"
            cell = [ctx.raw(action, s.cell)]
            if item.recommendation and item.recommendation != item.title:
                cell.append(ctx.raw(f"<font color='#5F6B7A'>{ctx.m(item.recommendation)}</font>", s.cell))
            if item.notes:
                cell.append(ctx.raw(f"<i>Notes:</i> {ctx.m(item.notes)}", s.cell))
            colour = STATUS_TEXT_COLOURS.get(item.status) or _hex(ctx.palette.accent_text)
            rows.append([ctx.p(str(number), s.cell), cell, ctx.p(nv.effort_label(item.effort), s.cell),
                         ctx.p(nv.criticality_label(item.criticality), s.cell),
                         ctx.p(item.owner, s.cell) if item.owner else
                         ctx.raw("<font color='#8A96A3'>Unassigned</font>", s.cell),
                         ctx.raw(f"<font color='#C53030'><b>{ctx.m(short_date(item.due_date))}</b></font>"
                                 "<br/><font color='#C53030' size='6.5'>OVERDUE</font>", s.cell)
                         if item in overdue else ctx.p(short_date(item.due_date), s.cell),
                         ctx.raw(f"<font color='{colour}'>{ctx.m(item.status)}</font>"
                                 + ("<br/><font color='#2F855A' size='6.5'>GAP CLOSED: TO CONFIRM</font>"
                                    if item.proposed_in is not None else ""), s.cell)])
        fixed = [22, 44, 54, 76, 50, 54]
        widths = [fixed[0], CONTENT_WIDTH - sum(fixed)] + fixed[1:]
        # Rows stay whole unless one is too long for a page (a very long note).
        long_row = any(len(i.title) + len(i.recommendation) + len(i.notes) + len(i.owner) > 1200
                       for i in phase_items)
        out.append(Table(rows, colWidths=widths, repeatRows=1, style=data_table_style(ctx.palette),
                         splitInRow=1 if long_row else 0))
    out.append(PageBreak())
    return out


# --------------------------------------------------------------------------- findings


def findings(report: Report, ctx: Context) -> list:
    s = ctx.styles
    out: list = [ctx.heading(0, "Findings")]
    out.append(ctx.p(nv.findings_intro(report)))
    by_section: dict[str, list[FindingRow]] = {}
    for row in report.findings:
        by_section.setdefault(row.section_id, []).append(row)
    nodes = {n.id: n for n in report.score.sections()}
    span = _span(report)

    pending: list = []  # headings waiting to be kept together with the first question below them

    def walk(section, depth: int) -> None:  # type: ignore[no-untyped-def]
        node = nodes.get(section.id)
        pending.append(ctx.heading(min(depth + 1, 3), section.title, toc=depth == 0,
                                   style=s.h2 if depth == 0 else s.h3))
        if node is not None:
            pending.append(ctx.p(nv.section_line(node), s.muted))
        if section.description and depth == 0:
            pending.append(ctx.p(section.description, s.muted))
        for row in by_section.get(section.id, []):
            block = finding_block(row, span, ctx)
            out.append(FindingBlock(pending + block, anchor=len(pending) + 1))
            pending.clear()
        for child in section.sections:
            walk(child, depth + 1)

    for domain in report.questionnaire.sections:
        walk(domain, 0)
    out.extend(pending)
    out.append(PageBreak())
    return out




def finding_block(row: FindingRow, span: float, ctx: Context) -> list:
    """One question: a header band (id, title and text, level, target) and its notes below."""
    s = ctx.styles
    if row.status == "na":
        status = "na"
    elif row.status == "unanswered":
        status = "none"
    else:
        status = gap_band(row.gap, span)
    # One paragraph per cell: a 1,000-question report has 1,000 of these bands.
    id_cell = f"<b>{ctx.m(row.question_id)}</b>"
    if row.flagged:
        id_cell += "<br/><font color='#C53030' size='6.5'><b>⚑ Follow-up</b></font>"
    title = row.title or row.text
    text_cell = f"<font size='9' color='#1F2933'><b>{ctx.m(title)}</b></font>"
    long_text = bool(row.title and len(row.text) > 700)  # a long text goes below the band, where it can split
    if row.title and row.text and not long_text:
        text_cell += f"<br/>{ctx.m(row.text)}"
    references = [r for r in row.references if r != row.question_id]
    if references:
        text_cell += f"<br/><font size='7' color='#8A96A3'>{ctx.m(', '.join(references))}</font>"
    level_colour = {"met": "#1F2933", "none": "#8A96A3", "na": "#8A96A3"}.get(status) \
        or _hex(STATUS_COLOURS[status])
    level_text = {"na": "Not applicable", "none": "Not answered"}.get(status) or nv.finding_level(row)
    current_cell = (f"<font size='6.5' color='#8A96A3'>CURRENT</font><br/>"
                    f"<font color='{level_colour}'><b>{ctx.m(level_text)}</b></font>")
    if status in ("minor", "moderate", "major"):
        current_cell += f"<br/><font size='7' color='{level_colour}'>gap {num.score(row.gap)}</font>"
    confidence = nv.finding_confidence(row)
    if confidence:
        current_cell += f"<br/><font size='6.5' color='#5F6B7A'>{ctx.m(confidence)}</font>"
    target_cell = f"<font size='6.5' color='#8A96A3'>TARGET</font><br/>{ctx.m(nv.finding_target(row))}"
    header = Band([ctx.raw(id_cell, s.cell), ctx.raw(text_cell, s.finding_text), ctx.raw(current_cell, s.cell),
                   ctx.raw(target_cell, s.cell)], [58, CONTENT_WIDTH - 58 - 88 - 88, 88, 88], PANEL,
                  STATUS_COLOURS[status])
    parts: list = [header]
    if long_text:
        parts.append(ctx.raw(ctx.m(row.text), s.finding_field.clone("finding_long_text", textColor=MUTED)))
    for label, text in nv.finding_fields(row):
        parts.append(ctx.raw(f"<font color='#5F6B7A'><b>{label}</b></font>  {ctx.m(text)}",
                             s.finding_field))
    parts.append(Spacer(1, 9))
    return parts


# --------------------------------------------------------------------------- methodology


def methodology(report: Report, ctx: Context) -> list:
    s = ctx.styles
    out: list = [ctx.heading(0, "Methodology"), ctx.heading(1, "How the scores are calculated")]
    out += [ctx.p(text) for text in nv.methodology_paragraphs(report)]
    used = {report.questionnaire.default_scale_id} | {report.questionnaire.scale_for(q).id
                                                      for q in report.questionnaire.questions()}
    for scale_id in sorted(used, key=lambda i: (i != report.questionnaire.default_scale_id, i)):
        scale = report.questionnaire.scales[scale_id]
        out.append(ctx.heading(1, f"Answer scale: {scale.name}"))
        rows = [[ctx.p("Level", s.head), ctx.p("Name", s.head), ctx.p("What it means", s.head)]]
        for level in scale.levels:
            rows.append([ctx.raw(f"<b>{num.score(level.value)}</b>", s.cell_center),
                         ctx.raw(f"<b>{ctx.m(level.label)}</b>", s.cell), ctx.p(level.description, s.cell)])
        out.append(Table(rows, colWidths=[40, 110, CONTENT_WIDTH - 150], repeatRows=1,
                         style=data_table_style(ctx.palette), splitInRow=1))
        notes = []
        if scale.pass_threshold is not None:
            notes.append(f"A question counts as met at level {num.score(scale.pass_threshold)} or above.")
        notes.append("Questions may be marked not applicable, with a reason." if scale.na_allowed
                     else "This scale does not allow “not applicable”.")
        out.append(Spacer(1, 4))
        out.append(ctx.p(" ".join(notes), s.muted))
    out.append(KeepTogether([ctx.heading(1, "About this assessment"), about_table(report, ctx)]))
    out.append(ctx.heading(1, "Scope and limitations"))
    out += [ctx.p(text) for text in nv.scope_paragraphs(report)]
    control = Table([[ctx.p(k, s.cell_bold), ctx.p(v, s.cell)] for k, v in nv.document_control(report)],
                    colWidths=[110, CONTENT_WIDTH - 110])
    control.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LINEBELOW", (0, 0), (-1, -1), 0.35, RULE),
                                 ("LEFTPADDING", (0, 0), (-1, -1), 0), ("TEXTCOLOR", (0, 0), (0, -1), MUTED)]))
    out.append(KeepTogether([ctx.heading(1, "Document control"), control]))
    return out


def about_table(report: Report, ctx: Context) -> Table:
    s = ctx.styles
    rows = [[ctx.p(k, s.cell_bold), ctx.p(v, s.cell)] for k, v in nv.about_pairs(report)]
    table = Table(rows, colWidths=[110, CONTENT_WIDTH - 110], splitInRow=1)
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LINEBELOW", (0, 0), (-1, -1), 0.35, RULE),
                               ("TOPPADDING", (0, 0), (-1, -1), 4), ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
                               ("LEFTPADDING", (0, 0), (-1, -1), 0), ("TEXTCOLOR", (0, 0), (0, -1), MUTED)]))
    return table
