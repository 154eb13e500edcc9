"""The "Coverage of <framework>" appendix of the Word report, when a coverage was chosen at export: the
same sentences and tables as the PDF's (exports/pdf_coverage.py)."""

from __future__ import annotations

from typing import Any

from exports.pdf_coverage import RULES
from vciso import numbers as num


def coverage_appendix(ctx: Any) -> None:
    """Add the appendix to the document (nothing when no coverage was chosen)."""
    from exports.docx_report import CONTENT_WIDTH
    from vciso.crosswalk.output import summary_line

    coverage = ctx.report.coverage
    if coverage is None:
        return
    ctx.page_break()
    ctx.heading(1, coverage.title)
    ctx.p(f"How this assessment ({coverage.source_title}) covers {coverage.framework_title}, through the "
          f"mappings {', '.join(coverage.mappings)}: {summary_line(coverage.totals)}.")
    ctx.note(RULES)
    for note in coverage.notes:
        ctx.note(note)
    widths = [CONTENT_WIDTH - 250, 45.0, 45.0, 60.0, 100.0]
    for section in coverage.sections:
        ctx.heading(2, section.title if section.title == section.id else f"{section.id} {section.title}")
        ctx.note(summary_line(section.totals))
        table = ctx.table(["Requirement", "Level", "Target", "Confidence", "Status"], widths)
        for requirement in section.requirements:
            row = ctx.row(table)
            ctx.cell(row[0], f"{requirement.id} {requirement.title}".strip())
            ctx.cell(row[1], num.score(requirement.level), align="center")
            ctx.cell(row[2], num.score(requirement.target), align="center")
            ctx.cell(row[3], requirement.confidence.capitalize())
            ctx.cell(row[4], requirement.status_label)
        ctx.finish(table)
