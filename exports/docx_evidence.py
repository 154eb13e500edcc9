"""The "Evidence index" appendix of the Word report: the same rows and sentences as the PDF's
(exports/pdf_evidence.py)."""

from __future__ import annotations

from typing import Any

from exports.docx_document import MUTED
from exports.docx_sections import _b, _c
from vciso import narrative as nv
from vciso import numbers as num
from vciso.evidence import size_text

STALE_COLOUR = "C53030"


def evidence_appendix(ctx: Any) -> None:
    """Add the appendix to the document (nothing when no answer has evidence)."""
    from exports.docx_report import CONTENT_WIDTH

    rows = nv.evidence_index(ctx.report)
    if not rows:
        return
    ctx.page_break()
    ctx.heading(1, "Evidence index")
    ctx.p(nv.evidence_index_intro(rows))
    widths = [104.0, CONTENT_WIDTH - 104 - 128 - 64 - 78, 128.0, 64.0, 78.0]
    table = ctx.table(["Question", "Evidence", "SHA-256", "Date", "Confidence"], widths)
    for row in rows:
        cells = ctx.row(table)
        ctx.cell(cells[0], [_b(row.question_id)])
        ctx.cell_p(cells[0], row.title)
        if row.file_name:
            ctx.cell(cells[1], [_b(row.file_name), "  ", _c(size_text(row.size), MUTED)])
            if row.description:
                ctx.cell_p(cells[1], row.description)
        else:
            ctx.cell(cells[1], row.description or "—")
        ctx.cell(cells[2], [_c(row.sha256[:32], "1F2933", size=6)] if row.sha256 else "—")
        if row.sha256:
            ctx.cell_p(cells[2], [_c(row.sha256[32:], "1F2933", size=6)])
        date = num.short_date(row.date, blank="—")
        if row.stale:
            ctx.cell(cells[3], [_b(date, colour=STALE_COLOUR)])
            ctx.cell_p(cells[3], [_c("over a year old", STALE_COLOUR)])
        else:
            ctx.cell(cells[3], [_c(date, MUTED, italic=True)] if row.date_is_added else date)
        ctx.cell(cells[4], row.confidence or "—")
    ctx.finish(table)
