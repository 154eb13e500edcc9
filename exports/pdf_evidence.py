"""The "Evidence index" appendix of the PDF report: every attached file and every answer's evidence, with
its SHA-256 (so the client can check a file handed over later is the one assessed), its date and the
confidence of the answer. Evidence dated more than a year before the assessment is flagged."""

from __future__ import annotations

from reportlab.platypus import PageBreak, Table

from exports.pdf_flowables import Context
from exports.pdf_styles import CONTENT_WIDTH, data_table_style
from vciso import narrative as nv
from vciso import numbers as num
from vciso.evidence import size_text
from vciso.report import Report

STALE_COLOUR = "#C53030"


def _sha_cell(sha256: str) -> str:
    """A SHA-256 in two lines of 32 hex digits (a full hash never needs to be retyped from the page)."""
    return f"{sha256[:32]}<br/>{sha256[32:]}" if sha256 else "—"


def evidence_appendix(report: Report, ctx: Context) -> list:
    """The appendix (empty when no answer has evidence, a file, how it was established or a date)."""
    rows = nv.evidence_index(report)
    if not rows:
        return []
    s = ctx.styles
    out: list = [PageBreak(), ctx.heading(0, "Evidence index"), ctx.p(nv.evidence_index_intro(rows))]
    small = s.cell.clone("evidence_hash", fontSize=6.2, leading=8)
    table = [[ctx.p(h, s.head) for h in ("Question", "Evidence", "SHA-256", "Date", "Confidence")]]
    for row in rows:
        evidence = f"<b>{ctx.m(row.file_name)}</b>" if row.file_name else ""
        if row.file_name:
            evidence += f" <font color='#5F6B7A'>{ctx.m(size_text(row.size))}</font>"
        if row.description:
            evidence += ("<br/>" if evidence else "") + ctx.m(row.description)
        date = ctx.m(num.short_date(row.date, blank="—"))
        if row.date_is_added:
            date = f"<i>{date}</i>"
        if row.stale:
            date = f"<font color='{STALE_COLOUR}'><b>{date}</b><br/>over a year old</font>"
        table.append([ctx.raw(f"<b>{ctx.m(row.question_id)}</b><br/>{ctx.m(row.title)}", s.cell),
                      ctx.raw(evidence or "—", s.cell), ctx.raw(_sha_cell(row.sha256), small),
                      ctx.raw(date, s.cell), ctx.p(row.confidence or "—", s.cell)])
    widths = [104, CONTENT_WIDTH - 104 - 128 - 64 - 78, 128, 64, 78]
    out.append(Table(table, colWidths=widths, repeatRows=1, style=data_table_style(ctx.palette), splitInRow=1))
    return out

