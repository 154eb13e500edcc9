"""The body sections of the Word report, one function per section of the PDF (exports/pdf_sections.py),
in its order, saying its sentences (vciso/narrative.py) with its figures (vciso/numbers.py); the
findings are in exports/docx_findings.py."""

from __future__ import annotations

from typing import TYPE_CHECKING

from docx.oxml.ns import qn
from docx.shared import Pt

from exports import docx_ooxml as ox
from exports.docx_charts import stack
from exports.docx_document import CONTENT_WIDTH, FAINT, INK, MUTED, PANEL, RULE, STATUS_COLOURS, WHITE
from vciso import narrative as nv
from vciso import numbers as num
from vciso.numbers import GAP_BAND_LABELS, gap_band, short_date
from vciso.report import Report, is_strength
from vciso.scoring import NodeScore

if TYPE_CHECKING:
    from exports.docx_document import Context

STATUS_TEXT_COLOURS = {"Done": "#2F855A", "In progress": None, "Blocked": "#C53030", "Deferred": "#8A96A3"}
GREEN = "#2F855A"
BAR_WIDTH = 56.0  # the scorecard's current-vs-target bar, in points
RED = "#C53030"


def _width(ctx: Context) -> float:
    return CONTENT_WIDTH


def _span(report: Report) -> float:
    scale = report.questionnaire.default_scale
    return (scale.max_value - scale.min_value) or 1.0


def _b(text: str, **fmt) -> tuple[str, dict]:  # type: ignore[no-untyped-def]
    return text, {"bold": True, **fmt}


def _c(text: str, colour: str, **fmt) -> tuple[str, dict]:  # type: ignore[no-untyped-def]
    return text, {"colour": colour, **fmt}


# --------------------------------------------------------------------------- executive summary


def executive_summary(ctx: Context) -> None:
    """The CEO page: what the result means, the figures, what to do first, the largest gaps, strengths and
    what is flagged, without question ids."""
    report = ctx.report
    summary = nv.executive_summary(report)
    ctx.heading(1, "Executive summary")
    ctx.p(summary.headline, "Lead")
    tiles = nv.key_figure_tiles(report, summary.change)
    key_figures(ctx, tiles)
    # one paragraph: the change since the earlier assessment, else what is still open
    ctx.p(nv.comparison_sentence(report) or summary.paragraphs[-1])
    if summary.top_actions:
        ctx.heading(2, "What to do first")
        table = ctx.table(["", "Action", "Owner", "Due"], [18.0, _width(ctx) - 208, 120.0, 70.0])
        for number, (action, owner, due) in enumerate(summary.top_actions, start=1):
            row = ctx.row(table)
            ctx.cell(row[0], str(number), bold=True)
            ctx.cell(row[1], [_b(action)])
            ctx.cell(row[2], [_c(owner, FAINT)] if owner == "Unassigned" else owner)
            ctx.cell(row[3], due)
        ctx.finish(table)
    elif summary.next_steps:
        ctx.heading(2, "What to do first")
        for text in summary.next_steps[:1]:
            ctx.p(text)
    ctx.heading(2, "Largest gaps")
    ctx.p(summary.gaps_intro)
    if report.top_gaps:
        top_gaps_table(ctx)
    if summary.strengths:
        ctx.heading(2, "Strengths")
        if all(is_strength(node) for node in report.strengths):
            ctx.p(summary.strengths_intro)
            for text in summary.strengths[:3]:
                ctx.bullet(text)
        else:  # only the closest areas: one sentence, as in the PDF
            closest = "; ".join(text.rstrip(".") for text in summary.strengths[:3])
            ctx.p(f"{summary.strengths_intro} {closest}.")
    if summary.flagged:
        ctx.note(summary.flagged).paragraph_format.space_before = Pt(4)
    ctx.page_break()


def key_figures(ctx: Context, tiles: list[tuple[str, str]]) -> None:
    """A row of large figures with captions, each on a tinted panel with an accent rule above."""
    table = ctx.new_table(1, len(tiles))
    cells = table.rows[0].cells
    for cell, (figure, caption) in zip(cells, tiles):
        ox.cell_shading(cell, PANEL)
        ox.cell_border(cell, "top", ctx.accent, 2.0)
        par = ctx.cell(cell, [_b(figure, size=20)], style="Normal")
        par.paragraph_format.space_after = Pt(0)
        par.paragraph_format.space_before = Pt(4)
        ctx.cell_p(cell, [_c(caption, MUTED, size=7.5)]).paragraph_format.space_after = Pt(5)
    gap = 6.0
    width = (_width(ctx) - gap * (len(tiles) - 1)) / len(tiles)
    ox.table_layout(table, [width + gap] * (len(tiles) - 1) + [width])
    ox.table_borders(table, WHITE, outer=False)
    borders = table._tbl.tblPr.find(qn("w:tblBorders"))  # noqa: SLF001
    for side in borders:  # white gutters between the panels
        if side.tag == qn("w:insideV"):
            side.set(qn("w:val"), "single")
            side.set(qn("w:sz"), str(int(gap * 8)))
            side.set(qn("w:color"), "FFFFFF")
        else:
            side.set(qn("w:val"), "nil")
    ctx.gap().paragraph_format.space_after = Pt(8)


def top_gaps_table(ctx: Context) -> None:
    report, span = ctx.report, _span(ctx.report)
    widths = [80.0, 0.0, 98.0, 98.0, 56.0]  # "0.0 (Not performed)" on one line
    widths[1] = _width(ctx) - sum(widths)
    table = ctx.table(["Area", "Finding", "Current", "Target", ""], widths)
    for f in report.top_gaps:
        status = gap_band(f.gap, span)
        area, finding, current, target, chip = ctx.row(table)
        ctx.cell(area, f.domain_title)
        ctx.cell(finding, [_b(f.title or f.text)])  # no question ids on the CEO page
        ctx.cell(current, nv.finding_level(f))
        ctx.cell(target, nv.finding_target(f))
        ox.cell_shading(chip, STATUS_COLOURS[status])
        ox.cell_valign(chip, "center")
        ctx.cell(chip, [_b(GAP_BAND_LABELS[status], colour=WHITE, size=7.5)], align="center")
    ctx.finish(table)


# --------------------------------------------------------------------------- scorecard


def scorecard(ctx: Context) -> None:
    report, score = ctx.report, ctx.report.score
    scale = report.questionnaire.default_scale
    span = _span(report)
    extra = {"staged": "Stage", "min": "Weakest"}.get(score.aggregation)
    heads = ["Section", "Current", "Target", "Shortfall", "Current vs target", "To target", "Complete"]
    fixed = [44.0, 40.0, 50.0, 66.0, 50.0, 52.0]  # a wide Section column: fewer names wrap
    if extra:
        heads.insert(1, extra)
        fixed.insert(0, 50.0)
    bar_col = 5 if extra else 4
    right = {i for i in range(1, len(heads)) if i != bar_col}
    ctx.heading(1, "Scorecard")
    intro = ctx.p(f"Scores per section on the {scale.name} scale ({num.score(scale.min_value)}–"
                  f"{num.score(scale.max_value)}). The bar shows the current level; the dark tick marks the "
                  f"target. The shortfall is {num.SHORTFALL_EXPLAINED}. Shortfalls are coloured by size: ")
    bands = ("met", "minor", "moderate", "major")
    for i, key in enumerate(bands):
        ctx.run(intro, GAP_BAND_LABELS[key].lower(), bold=True, colour=STATUS_COLOURS[key])
        ctx.run(intro, ", " if i < len(bands) - 1 else ".")
    table = ctx.table(heads, [_width(ctx) - sum(fixed)] + fixed, right=right)
    bars: dict[tuple, bytes] = {}

    def cells(node: NodeScore, name_parts: list, gap_parts: list, bold: bool = False) -> list:
        row = ctx.row(table)
        values = [num.score(node.current), num.score(node.target)]
        if extra:
            values.insert(0, num.score(node.stage if score.aggregation == "staged" else node.minimum))
        name, *figures = row[:1 + len(values)]
        ctx.cell(name, name_parts)
        for cell, value in zip(figures, values):
            ctx.cell(cell, value, align="right", bold=bold or None)
        gap_cell, bar_cell, to_target, complete = row[1 + len(values):]
        ctx.cell(gap_cell, gap_parts, align="right")
        _bar(ctx, bar_cell, node, scale.min_value, scale.max_value, bars)
        ctx.cell(to_target, num.percent(node.percent_to_target), align="right", bold=bold or None)
        ctx.cell(complete, f"{node.complete}/{node.total}", align="right", bold=bold or None)
        for cell in row:
            ox.cell_valign(cell, "center")
        return row

    def add(node: NodeScore, depth: int) -> None:
        answered = node.current is not None
        status = gap_band(node.gap, span) if answered else "none"
        colour = STATUS_COLOURS[status] if answered else FAINT
        gap_text = num.score(node.gap) if answered else "—"
        row = cells(node, [_b(node.title)] if depth == 0 else [_c(node.title, MUTED)], [_b(gap_text, colour=colour)])
        if depth:
            row[0].paragraphs[0].paragraph_format.left_indent = Pt(10 * min(depth, 5))
        elif len(table.rows) > 2:
            for cell in row:
                ox.cell_border(cell, "top", RULE, 0.8)
        for child in node.children:
            add(child, depth + 1)

    for domain in score.domains:
        add(domain, 0)
    overall = score.overall
    row = cells(overall, [_b("Overall")], [num.score(overall.gap)], bold=True)
    for cell in row:
        ox.cell_shading(cell, PANEL)
        ox.cell_border(cell, "top", INK, 1.2)
    ctx.finish(table)
    ctx.note("“Complete” counts answered and not-applicable questions; unanswered questions lower completion "
             "but not the score.")
    ctx.page_break()


def _bar(ctx: Context, cell, node: NodeScore, low: float, high: float, cache: dict) -> None:  # type: ignore[no-untyped-def]
    """The small current-vs-target bar of a scorecard row, as a picture (the PDF's level_bar)."""
    import io

    from exports.docx_charts import png
    from exports.pdf_charts import level_bar

    key = (None if node.current is None else round(node.current, 2),
           None if node.target is None else round(node.target, 2))
    if key not in cache:
        cache[key] = png(level_bar(node.current, node.target, low, high, ctx.palette, BAR_WIDTH), padding=0)[0]
    par = ctx.cell(cell, "")
    run = par.add_run()
    run.add_picture(io.BytesIO(cache[key]), width=Pt(BAR_WIDTH), height=Pt(9))
    ox.picture_description(run, f"current {num.score(node.current)}, target {num.score(node.target)}")


# --------------------------------------------------------------------------- charts


def maturity_profile(ctx: Context) -> None:
    from exports.pdf_charts import gap_chart, legend, radar_chart
    from exports.pdf_styles import STATUS_COLOURS as PDF_STATUS
    from exports.pdf_styles import TARGET

    report = ctx.report
    scale = report.questionnaire.default_scale
    scored = [d for d in report.score.domains if d.current is not None]
    width = _width(ctx)
    ctx.heading(1, "Maturity profile")
    if not scored:
        ctx.p("No section has a score yet, so there is no profile to chart.")
        return  # nothing to show: the next section follows on this page
    ctx.heading(2, "Current and target by section")
    if len(scored) >= 3:
        height = 330 if len(scored) <= 10 else 360
        radar = radar_chart([d.title for d in scored], [d.current or 0.0 for d in scored],
                            [d.target if d.target is not None else 0.0 for d in scored],
                            scale.min_value, scale.max_value, [lv.value for lv in scale.levels],
                            ctx.palette, ctx.fonts, width, height)
        key = legend([("Current level", ctx.palette.accent, False), ("Target", TARGET, True)], ctx.fonts, width)
        ctx.picture(stack(radar, key), "Radar chart: the current level and the target of each section")
    else:
        ctx.note("A radar chart needs at least three scored sections; the gap chart below shows every scored "
                 "section.")
    with_gap = sorted(scored, key=lambda d: (-(d.gap or 0.0), d.title))
    ctx.heading(2, "Shortfall by section")
    ctx.note("The average shortfall per answered question in each section, largest first.")
    chart = gap_chart([d.title for d in with_gap], [d.gap or 0.0 for d in with_gap],
                      [gap_band(d.gap, _span(report)) for d in with_gap], _span(report), ctx.fonts, width)
    key = legend([(GAP_BAND_LABELS[k], PDF_STATUS[k], False) for k in ("met", "minor", "moderate", "major")],
                 ctx.fonts, width)
    ctx.picture(stack(chart, key), "Bar chart: the average shortfall per answered question of each section, "
                                   "largest first")
    answer_distribution(ctx)
    category_heat_map(ctx)
    ctx.page_break()


def answer_distribution(ctx: Context) -> None:
    """How the questions of each area were answered: a count per level, N/A and unanswered (the PDF's chart)."""
    from exports.pdf_charts import distribution_chart
    from exports.pdf_sections import distribution_series

    rows, labels, colours = distribution_series(ctx.report, ctx.palette.accent)  # the PDF's chart, its colours
    if not rows:
        return
    ctx.heading(2, "How the questions were answered")
    ctx.note("The number of questions of each area at each level; darker is stronger.")
    ctx.picture(distribution_chart(rows, labels, colours, ctx.fonts, _width(ctx)),
                "Bar chart: the number of questions of each area at each level, not applicable and unanswered")


HEAT_MAP_MIN_CATEGORIES = 12  # exports/pdf_sections.py's


def category_heat_map(ctx: Context) -> None:
    """For a questionnaire of more than 12 categories: every category as a cell under its area, shaded by
    the size of its shortfall."""
    from exports.pdf_charts import legend
    from exports.pdf_styles import STATUS_COLOURS as PDF_STATUS

    report = ctx.report
    domains = [d for d in report.score.domains if d.children]
    if sum(len(d.children) for d in domains) <= HEAT_MAP_MIN_CATEGORIES:
        return
    span = _span(report)
    ctx.heading(2, "Category heat map")
    ctx.note("Each category with its current level against its target, coloured by its shortfall.")
    width = _width(ctx) / len(domains)
    table = ctx.table([d.title for d in domains], [width] * len(domains))
    for r in range(max(len(d.children) for d in domains)):
        row = ctx.row(table)
        for cell, domain in zip(row, domains):
            if r >= len(domain.children):
                continue
            node = domain.children[r]
            band = gap_band(node.gap, span) if node.current is not None else "none"
            ox.cell_shading(cell, _tint(STATUS_COLOURS.get(band, "#AFB5BD"), 0.72))
            ctx.cell(cell, [_b(node.title, size=7.5)])
            ctx.cell_p(cell, [(f"{num.score(node.current)} of {num.score(node.target)}", {"size": 7.5})])
    ox.table_layout(table, table._widths)  # noqa: SLF001
    ox.table_borders(table, WHITE, vertical=True)
    borders = table._tbl.tblPr.find(qn("w:tblBorders"))  # noqa: SLF001
    for side in borders:  # white gutters between the coloured cells
        if side.get(qn("w:val")) == "single":
            side.set(qn("w:sz"), "12")
    ctx.gap()
    ctx.picture(legend([(GAP_BAND_LABELS[k], PDF_STATUS[k], False) for k in ("met", "minor", "moderate", "major")],
                       ctx.fonts, _width(ctx)), "Legend: at target, small gap, gap, large gap")


def _tint(colour: str, amount: float) -> str:
    """`amount` of white blended into '#RRGGBB' (the PDF's mix with white)."""
    rgb = [int(colour[i:i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(c + (255 - c) * amount):02X}" for c in rgb)


# --------------------------------------------------------------------------- progress


def progress(ctx: Context) -> None:
    from exports.pdf_charts import legend, progress_chart
    from exports.pdf_styles import BASELINE, TARGET

    report = ctx.report
    comp = report.comparison
    if comp is None:
        return
    scale = report.questionnaire.default_scale
    width = _width(ctx)
    ctx.heading(1, "Progress since the previous assessment")
    ctx.p(nv.comparison_sentence(report) or (
        f"This assessment is compared with the {comp.baseline.name} of "
        f"{num.long_date(comp.baseline.assessment_date)}."))
    both = [c for c in comp.sections if c.baseline is not None and c.current is not None]
    if both:
        targets = {c.target for c in both if c.target is not None}
        target = targets.pop() if len(targets) == 1 else None
        chart = progress_chart([c.title for c in both], [c.baseline or 0.0 for c in both],
                               [c.current or 0.0 for c in both], target, scale.min_value, scale.max_value,
                               ctx.palette, ctx.fonts, width)
        earlier = f"{comp.baseline.name} ({short_date(comp.baseline.assessment_date)})"
        key = legend([(earlier, BASELINE, False),
                      (f"Now ({short_date(report.assessment.assessment_date)})", ctx.palette.accent, False),
                      ("Target", TARGET, True)], ctx.fonts, width)
        ctx.picture(stack(chart, key), "Bar chart: the earlier and the current level of each section, with "
                                       "the target")
    fixed = [48.0, 48.0, 48.0, 52.0, 56.0]
    table = ctx.table(["Section", "Earlier", "Now", "Target", "Change", "Progress"],
                      [width - sum(fixed)] + fixed, right={1, 2, 3, 4, 5})
    for c in (*comp.sections, comp.overall):
        change = c.change
        colour = GREEN if change and change > 0.049 else RED if change and change < -0.049 else MUTED
        total = c is comp.overall
        row = ctx.row(table)
        ctx.cell(row[0], c.title, bold=total or None)
        for cell, value in zip(row[1:4], (c.baseline, c.current, c.target)):
            ctx.cell(cell, num.score(value), align="right", bold=total or None)
        ctx.cell(row[4], [_b(num.score_change(change), colour=colour)], align="right")
        ctx.cell(row[5], num.percent(c.progress), align="right", bold=total or None)
        if total:
            for cell in row:
                ox.cell_shading(cell, PANEL)
                ox.cell_border(cell, "top", INK, 1.2)
    ctx.finish(table)
    ctx.note("Progress is the share of the distance from the earlier level to the target that has been "
             "closed; it is blank where the earlier level already met the target.")
    from exports.docx_trend import trend_section  # every assessment so far, as in the PDF
    trend_section(ctx)
    ctx.page_break()


# --------------------------------------------------------------------------- roadmap


def roadmap(ctx: Context) -> None:
    from exports.pdf_charts import PhaseBar, timeline_chart

    report = ctx.report
    ctx.heading(1, "Roadmap")
    items = report.roadmap
    if not items:
        ctx.p(" ".join(nv.roadmap_sentences(report)))
        return  # nothing to show: the next section follows on this page
    for text in nv.roadmap_sentences(report)[:2]:
        ctx.p(text)
    last = max(len(report.phases), max(i.phase for i in items) + 1)
    bars = []
    for index in range(last):
        phase_items = [i for i in items if i.phase == index]
        quick = sum(1 for i in phase_items if i.quick_win)
        if index < len(report.phases):
            p = report.phases[index]
            bars.append(PhaseBar(p.name, p.start_days, p.end_days, len(phase_items), quick,
                                 sum(1 for i in phase_items if i.status == "Done")))
        elif phase_items:
            end = bars[-1].end_days if bars else 365
            bars.append(PhaseBar(report.phase_name(index), end, end + 90, len(phase_items), quick, 0))
    ctx.heading(2, "Timeline")
    ctx.picture(timeline_chart(bars, report.plan_start, ctx.palette, ctx.fonts, _width(ctx)),
                "Timeline: each phase of the roadmap with its number of actions and quick wins")
    ctx.note("Each bar is a phase of the plan, counted from the assessment date. Within a phase the most "
             "critical actions come first; due dates are spread so that no month holds more actions than a "
             "small team can take on.")
    fixed = [22.0, 44.0, 60.0, 74.0, 54.0, 60.0]
    widths = [fixed[0], _width(ctx) - sum(fixed)] + fixed[1:]
    number = 0
    for index in range(last):
        phase_items = [i for i in items if i.phase == index]
        if not phase_items:
            continue
        ctx.heading(2, nv.phase_title(report, index))
        ctx.note(nv.phase_summary(phase_items)).paragraph_format.keep_with_next = True
        table = ctx.table(["#", "Action", "Effort", "Criticality", "Owner", "Due", "Status"], widths)
        for item in phase_items:
            number += 1
            row = ctx.row(table)
            ctx.cell(row[0], str(number))
            action = row[1]
            parts: list = []
            if item.quick_win:
                ctx.cell(action, [_b("QUICK WIN", colour=GREEN, size=6.5)])
                par = ctx.cell_p(action, [])
            else:
                par = ctx.cell(action, [])
            parts = [_b(item.title)]
            if item.question_id:
                parts += [" ", _c(item.question_id, FAINT)]
            ctx.runs(par, parts)
            if item.recommendation and item.recommendation != item.title:
                ctx.cell_p(action, [_c(item.recommendation, MUTED)])
            if item.notes:
                ctx.cell_p(action, [("Notes:", {"italic": True}), " ", item.notes])
            ctx.cell(row[2], nv.effort_label(item.effort))
            ctx.cell(row[3], nv.criticality_label(item.criticality))
            ctx.cell(row[4], item.owner or [_c("Unassigned", FAINT)])
            ctx.cell(row[5], short_date(item.due_date))
            ctx.cell(row[6], [_c(item.status, STATUS_TEXT_COLOURS.get(item.status) or ctx.accent_text)])
        ctx.finish(table)
    ctx.page_break()


# --------------------------------------------------------------------------- methodology


def methodology(ctx: Context) -> None:
    report = ctx.report
    q = report.questionnaire
    width = _width(ctx)
    ctx.heading(1, "Methodology")
    ctx.heading(2, "How the scores are calculated")
    for text in nv.methodology_paragraphs(report):
        ctx.p(text)
    used = {q.default_scale_id} | {q.scale_for(question).id for question in q.questions()}
    for scale_id in sorted(used, key=lambda i: (i != q.default_scale_id, i)):
        scale = q.scales[scale_id]
        ctx.heading(2, f"Answer scale: {scale.name}")
        table = ctx.table(["Level", "Name", "What it means"], [40.0, 110.0, width - 150])
        for level in scale.levels:
            row = ctx.row(table, cant_split=len(level.description) < 1200)
            ctx.cell(row[0], num.score(level.value), align="center", bold=True)
            ctx.cell(row[1], level.label, bold=True)
            ctx.cell(row[2], level.description)
        ctx.finish(table)
        notes = []
        if scale.pass_threshold is not None:
            notes.append(f"A question counts as met at level {num.score(scale.pass_threshold)} or above.")
        notes.append("Questions may be marked not applicable, with a reason." if scale.na_allowed
                     else "This scale does not allow “not applicable”.")
        ctx.note(" ".join(notes))
    ctx.heading(2, "About this assessment")
    about_table(ctx)
    ctx.heading(2, "Scope and limitations")
    for text in nv.scope_paragraphs(report):
        ctx.p(text)
    ctx.heading(2, "Document control")
    _pairs_table(ctx, nv.document_control(report))


def about_table(ctx: Context) -> None:
    _pairs_table(ctx, nv.about_pairs(ctx.report))


def _pairs_table(ctx: Context, pairs: list[tuple[str, str]]) -> None:
    """Labels and values in two columns, kept on one page (the PDF's about and document-control tables)."""
    table = ctx.new_table(0, 2)
    table._widths = [110.0, _width(ctx) - 110]  # noqa: SLF001
    for i, (label, value) in enumerate(pairs):
        row = ctx.row(table)
        together = i < len(pairs) - 1  # the table stays on one page, as in the PDF
        ctx.cell(row[0], label, bold=True, colour=MUTED).paragraph_format.keep_with_next = together
        ctx.cell(row[1], value).paragraph_format.keep_with_next = together
    ctx.finish(table)
