"""The Word report's findings: every question of the assessment, section by section (the PDF's findings),
each as a shaded band with a stripe in the colour of its gap and its notes, evidence and recommendation
below it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from docx.shared import Pt

from exports import docx_ooxml as ox
from exports.docx_document import FAINT, INK, MUTED, PANEL, STATUS_COLOURS, WHITE
from exports.docx_sections import _b, _c, _span, _width
from vciso import narrative as nv
from vciso import numbers as num
from vciso.numbers import gap_band
from vciso.report import FindingRow

if TYPE_CHECKING:
    from exports.docx_document import Context

RED = "#C53030"


def findings(ctx: Context) -> None:
    report = ctx.report
    ctx.heading(1, "Findings")
    ctx.p(nv.findings_intro(report))
    by_section: dict[str, list[FindingRow]] = {}
    for row in report.findings:
        by_section.setdefault(row.section_id, []).append(row)
    nodes = {n.id: n for n in report.score.sections()}
    span = _span(report)
    widths = [58.0, _width(ctx) - 58 - 88 - 88, 88.0, 88.0]

    def walk(section, depth: int) -> None:  # type: ignore[no-untyped-def]
        ctx.heading(min(depth + 2, 3), section.title)
        node = nodes.get(section.id)
        if node is not None:
            ctx.note(nv.section_line(node)).paragraph_format.keep_with_next = True
        if section.description and depth == 0:
            ctx.note(section.description).paragraph_format.keep_with_next = True
        rows = by_section.get(section.id, [])
        if rows:
            table = ctx.new_table(0, 4)
            table._widths = widths  # noqa: SLF001
            for row in rows:
                finding_rows(ctx, table, row, span)
            ox.table_layout(table, widths)
            ox.table_borders(table, WHITE, outer=False)
            ctx.gap()
        for child in section.sections:
            walk(child, depth + 1)

    for domain in report.questionnaire.sections:
        walk(domain, 0)
    ctx.page_break()




def finding_rows(ctx: Context, table, row: FindingRow, span: float) -> None:  # type: ignore[no-untyped-def]
    """One question: a shaded band (id, title and text, level, target) with a stripe in the colour of its
    gap, and below it a row with the notes, evidence and recommendation."""
    if row.status == "na":
        status = "na"
    elif row.status == "unanswered":
        status = "none"
    else:
        status = gap_band(row.gap, span)
    id_cell, text_cell, current_cell, target_cell = band = ctx.row(table)
    for cell in band:
        ox.cell_shading(cell, PANEL)
    ox.cell_border(id_cell, "left", STATUS_COLOURS[status], 3.5)
    pars = [ctx.cell(id_cell, [_b(row.question_id)])]
    if row.flagged:
        pars.append(ctx.cell_p(id_cell, [_b("⚑ Follow-up", colour=RED, size=6.5)]))
    long_text = bool(row.title and len(row.text) > 700)  # a long text goes below the band, where it can split
    pars.append(ctx.cell(text_cell, [_b(row.title or row.text, size=9)]))
    if row.title and row.text and not long_text:
        pars.append(ctx.cell_p(text_cell, [_c(row.text, MUTED)]))
    references = [r for r in row.references if r != row.question_id]
    if references:
        pars.append(ctx.cell_p(text_cell, [_c(", ".join(references), FAINT, size=7)]))
    level_colour = {"met": INK, "none": FAINT, "na": FAINT}.get(status) or STATUS_COLOURS[status]
    level_text = {"na": "Not applicable", "none": "Not answered"}.get(status) or nv.finding_level(row)
    pars.append(ctx.cell(current_cell, [_c("CURRENT", FAINT, size=6.5)]))
    pars.append(ctx.cell_p(current_cell, [_b(level_text, colour=level_colour)]))
    if status in ("minor", "moderate", "major"):
        pars.append(ctx.cell_p(current_cell, [_c(f"gap {num.score(row.gap)}", level_colour, size=7)]))
    confidence = nv.finding_confidence(row)
    if confidence:
        pars.append(ctx.cell_p(current_cell, [_c(confidence, MUTED, size=6.5)]))
    pars.append(ctx.cell(target_cell, [_c("TARGET", FAINT, size=6.5)]))
    pars.append(ctx.cell_p(target_cell, nv.finding_target(row)))

    fields = ([("", row.text)] if long_text else []) + nv.finding_fields(row)
    if not fields:
        return
    for par in pars:  # the band stays on the page of its notes
        ox.keep_next(par._p)  # noqa: SLF001
    detail = ox.merge_row(ctx.row(table, cant_split=len(" ".join(t for _, t in fields)) < 1200))
    first = True
    for label, text in fields:
        parts = ([_b(label, colour=MUTED), "  "] if label else []) + [text]
        par = ctx.cell(detail, parts) if first else ctx.cell_p(detail, parts)
        par.paragraph_format.left_indent = Pt(12)
        par.paragraph_format.space_before = Pt(3)
        first = False
    par.paragraph_format.space_after = Pt(6)
