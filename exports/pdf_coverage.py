"""The "Coverage of <framework>" appendix of the PDF report, when a coverage was chosen at export.

The figures are those of `vciso coverage --json`: the totals sentence, a table per target section (level,
target, confidence, status) and the rules in plain words. Partial and unmapped requirements are never
shown as met.
"""

from __future__ import annotations

from reportlab.platypus import PageBreak, Table

from exports.pdf_flowables import Context
from exports.pdf_styles import CONTENT_WIDTH, data_table_style
from vciso import numbers as num
from vciso.report import Report

RULES = ("Each requirement's level is the weakest answer that reaches it through the mappings; its target the "
         "highest target among those answers. Confidence is full only when every mapping on the way says the "
         "answer covers the whole requirement (equal or superset); otherwise partial. A requirement counts as "
         "met only with full confidence, every mapped question answered and the level at or above the target: "
         "a requirement reached through a partial mapping, or not mapped, is never counted as met. Answers "
         "marked N/A are left out; a requirement reached only by N/A answers is excluded from the shares.")


def coverage_appendix(report: Report, ctx: Context) -> list:
    """The appendix (empty when no coverage was chosen)."""
    from vciso.crosswalk.output import summary_line

    coverage = report.coverage
    if coverage is None:
        return []
    s = ctx.styles
    out: list = [PageBreak(), ctx.heading(0, coverage.title)]  # type: ignore[attr-defined]
    out.append(ctx.p(f"How this assessment ({coverage.source_title}) covers {coverage.framework_title}, "  # type: ignore[attr-defined]
                     f"through the mappings {', '.join(coverage.mappings)}: "  # type: ignore[attr-defined]
                     f"{summary_line(coverage.totals)}."))  # type: ignore[attr-defined]
    out.append(ctx.p(RULES, s.muted))
    for note in coverage.notes:  # type: ignore[attr-defined]
        out.append(ctx.p(note, s.muted))
    widths = [CONTENT_WIDTH - 250, 45, 45, 60, 100]
    for section in coverage.sections:  # type: ignore[attr-defined]
        title = section.title if section.title == section.id else f"{section.id} {section.title}"
        out.append(ctx.heading(1, title, toc=False))  # the contents lists the appendix, not each section
        out.append(ctx.p(summary_line(section.totals), s.muted))
        rows = [[ctx.p(h, s.head) for h in ("Requirement", "Level", "Target", "Confidence", "Status")]]
        for row in section.requirements:
            rows.append([ctx.p(f"{row.id} {row.title}".strip(), s.cell), ctx.p(num.score(row.level), s.cell_center),
                         ctx.p(num.score(row.target), s.cell_center), ctx.p(row.confidence.capitalize(), s.cell),
                         ctx.p(row.status_label, s.cell)])
        out.append(Table(rows, colWidths=widths, repeatRows=1, style=data_table_style(ctx.palette), splitInRow=1))
    return out
