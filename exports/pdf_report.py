"""The PDF report: the client deliverable, built with reportlab platypus from a plain `Report`.

Order: cover, contents, executive summary, scorecard, maturity profile (radar and gap charts), progress
since the earlier assessment (when there is one), roadmap (timeline and tables by phase), findings by
section, methodology. Every page but the cover has a header and a "page X of Y" footer; every section
is a PDF bookmark. Written atomically; `iter_write_pdf` yields progress for the desktop app.
"""

from __future__ import annotations

from pathlib import Path
from typing import Generator

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.platypus import (BaseDocTemplate, Frame, Image, KeepInFrame, NextPageTemplate, PageBreak,
                                PageTemplate, Paragraph, Spacer, Table, TableStyle)
from reportlab.platypus.flowables import _listWrapOn
from reportlab.platypus.tableofcontents import TableOfContents

from exports import pdf_sections as sections
from exports.logo import logo_file, unreadable_logo
from exports.pdf_evidence import evidence_appendix
from exports.pdf_flowables import Context, KeepWithNext, PageCounter
from exports.pdf_fonts import EmbeddedFontsCanvas, load_fonts
from exports.progress import Steps, run_to_end
from exports.pdf_styles import (CONTENT_WIDTH, COVER_BOTTOM, MARGIN_BOTTOM, MARGIN_TOP, MUTED, PANEL, RULE,
                                make_palette, make_styles, page_geometry, parse_accent)
from vciso import __version__
from vciso import narrative as nv
from vciso import numbers as num
from vciso.atomic import atomic_path
from vciso.report import Report

MAX_PASSES = 6
_STEPS = 10


DRAFT_COLOUR = colors.HexColor("#B3261E")


def _logo(path: Path | None, warnings: list[str]) -> Image | None:
    """The branding logo scaled to fit the cover, or None (and a warning) when it cannot be used."""
    path = logo_file(path, warnings)
    if path is None:
        return None
    try:
        reader = ImageReader(str(path))
        width, height = reader.getSize()
        reader.getRGBData()  # decode now: a broken image must not fail the layout later
        if width <= 0 or height <= 0:
            raise ValueError("empty image")
    except Exception:  # noqa: BLE001 - any unreadable image is the same problem for the consultant
        unreadable_logo(path, warnings)
        return None
    scale = min(60 * mm / width, 22 * mm / height)
    return Image(str(path), width=width * scale, height=height * scale, hAlign="LEFT")


class ReportDocument(BaseDocTemplate):
    """An A4 or Letter document with a cover template and a body template (header, footer, page X of Y)."""

    def __init__(self, filename: str, report: Report, ctx: Context, counter: PageCounter):
        client, assessment = report.client.name, report.assessment
        author = report.branding.consultant or report.branding.firm_name or "vCISO Workbench"
        self.geometry = geometry = ctx.page
        super().__init__(
            filename, pagesize=(geometry.width, geometry.height), leftMargin=geometry.margin,
            rightMargin=geometry.margin, topMargin=MARGIN_TOP, bottomMargin=MARGIN_BOTTOM,
            title=f"{client} — {assessment.name}", author=author,
            subject=f"Security maturity assessment of {client}: {assessment.questionnaire_title}, "
                    f"{num.long_date(assessment.assessment_date)}",
            creator=f"vCISO Workbench {__version__}",
            keywords="security assessment, maturity, roadmap, confidential",
            keepTogetherClass=KeepWithNext,
            initialFontName=ctx.fonts.regular,  # else the canvas declares Helvetica, not embedded
        )
        self.report, self.ctx, self.counter = report, ctx, counter
        self.sketching = False
        body = Frame(geometry.margin, MARGIN_BOTTOM, CONTENT_WIDTH, geometry.body_height, id="body",
                     leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        cover = Frame(geometry.margin, COVER_BOTTOM, CONTENT_WIDTH, geometry.cover_height, id="cover",
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        self.addPageTemplates([PageTemplate("cover", [cover], onPage=self._draw_cover),
                               PageTemplate("body", [body], onPage=self._draw_page)])
        styles = ctx.styles
        self._header_left = Paragraph(ctx.m(_clip(client, 90)), styles.header)
        firm = report.branding.firm_name
        footer = f"{firm} · {nv.running_title(report)}" if firm else nv.running_title(report)
        self._footer_left = Paragraph(ctx.m(_clip(footer, 110)), styles.header)

    # -- page decoration

    def _draw_cover(self, canv, doc) -> None:  # type: ignore[no-untyped-def]
        ctx, palette = self.ctx, self.ctx.palette
        width, height, margin = self.geometry.width, self.geometry.height, self.geometry.margin
        canv.saveState()
        canv.showOutline()
        canv.setFillColor(palette.accent)
        canv.rect(0, height - 16 * mm, width, 16 * mm, stroke=0, fill=1)
        firm = self.report.branding.firm_name
        if firm:
            style = ctx.styles.cover_meta.clone("cover_firm", textColor=palette.on_accent, fontName=ctx.fonts.bold)
            para = Paragraph(ctx.m(_clip(firm, 70)), style)
            _, h = para.wrap(CONTENT_WIDTH * 0.7, 20 * mm)
            para.drawOn(canv, margin, height - 8 * mm - h / 2 - 1)
        canv.setFillColor(palette.on_accent)
        canv.setFont(ctx.fonts.bold, 8.5)
        canv.drawRightString(width - margin, height - 9.5 * mm, "CONFIDENTIAL")
        # confidentiality panel at the foot of the cover
        canv.setFillColor(PANEL)
        canv.rect(0, 0, width, 40 * mm, stroke=0, fill=1)
        canv.setFillColor(palette.accent)
        canv.rect(0, 40 * mm, width, 1.2, stroke=0, fill=1)
        canv.setFillColor(palette.accent_text)
        canv.setFont(ctx.fonts.bold, 8.5)
        canv.drawString(margin, 30 * mm, "CONFIDENTIAL")
        client = _clip(self.report.client.name, 100)  # the notice must stay above the foot of the page
        notice = (f"This report describes the security position of {client}, including weaknesses an attacker "
                  f"could use. Share it only with people who need it, and store it as you would store other "
                  f"sensitive company records.")
        para = Paragraph(ctx.m(notice), ctx.styles.cover_small)
        _, h = para.wrap(CONTENT_WIDTH * 0.8, 30 * mm)
        para.drawOn(canv, margin, 27 * mm - h)
        canv.restoreState()
        self._draw_draft_mark(canv)

    def _draw_draft_mark(self, canv) -> None:  # type: ignore[no-untyped-def]
        """A large diagonal DRAFT across the page while the assessment is not final (drawn over the text in
        a light tint, so the page stays readable and a copied page still says what it is)."""
        if not self.report.draft:
            return
        width, height = self.geometry.width, self.geometry.height
        canv.saveState()
        canv.setFillColor(DRAFT_COLOUR)
        if hasattr(canv, "setFillAlpha"):
            canv.setFillAlpha(0.16)
        canv.setFont(self.ctx.fonts.bold, 110)
        canv.translate(width / 2, height / 2)
        canv.rotate(50)
        canv.drawCentredString(0, -38, "DRAFT")
        canv.restoreState()

    def _draw_page(self, canv, doc) -> None:  # type: ignore[no-untyped-def]
        ctx, palette = self.ctx, self.ctx.palette
        width, height, margin = self.geometry.width, self.geometry.height, self.geometry.margin
        canv.saveState()
        top = height - 13 * mm
        _, h = self._header_left.wrap(CONTENT_WIDTH * 0.75, 12 * mm)
        self._header_left.drawOn(canv, margin, top - h + 8)
        canv.setFont(ctx.fonts.bold, 7)
        canv.setFillColor(palette.accent_text)
        canv.drawRightString(width - margin, top, "CONFIDENTIAL")
        canv.setStrokeColor(RULE)
        canv.setLineWidth(0.5)
        canv.line(margin, top - 4, width - margin, top - 4)
        bottom = 12 * mm
        canv.line(margin, bottom + 9, width - margin, bottom + 9)
        _, h = self._footer_left.wrap(CONTENT_WIDTH * 0.7, 12 * mm)
        self._footer_left.drawOn(canv, margin, bottom - h + 8)
        total = self.counter.total
        label = f"Page {doc.page} of {total}" if total else f"Page {doc.page}"
        canv.setFont(ctx.fonts.regular, 7.5)
        canv.setFillColor(MUTED)
        canv.drawRightString(width - margin, bottom, label)
        canv.restoreState()
        self._draw_draft_mark(canv)

    # -- outline, bookmarks and contents

    def afterFlowable(self, flowable) -> None:  # type: ignore[no-untyped-def]
        outline = getattr(flowable, "outline", None)
        if outline is None:
            return
        level, plain, key, toc = outline
        top = self.frame._y + flowable.height + 14  # noqa: SLF001 - frame position is the documented way
        self.canv.bookmarkPage(key, fit="XYZ", left=0, top=min(top, self.geometry.height))
        self.canv.addOutlineEntry(plain, key, level=level, closed=level >= 1)
        if toc:
            self.notify("TOCEntry", (level, flowable.toc_markup, self.page, key))

    def iter_build(self, story: list) -> Generator[int, None, int]:
        """multiBuild, one layout pass at a time, yielding the pass number before each pass."""
        self._indexingFlowables = [f for f in story if f.isIndexing()]
        self._doSave = 0
        edits: list = []
        self._multiBuildEdits = edits.append
        passes = 0
        try:
            while True:
                passes += 1
                yield passes
                # The first pass only measures (its pages are never saved): skip drawing the text.
                self.sketching = passes == 1
                for flowable in self._indexingFlowables:
                    flowable.beforeBuild()
                self.build(story[:], canvasmaker=EmbeddedFontsCanvas)
                for flowable in self._indexingFlowables:
                    flowable.afterBuild()
                if self._allSatisfied():
                    self.canv.save()
                    return passes
                if passes >= MAX_PASSES:
                    raise RuntimeError(f"the page layout did not settle after {MAX_PASSES} passes")
                while edits:
                    edit = edits.pop(0)
                    edit[0](*edit[1:])
        finally:
            del self._multiBuildEdits


def _clip(text: str, limit: int) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def cover(report: Report, ctx: Context) -> list:
    """The cover page's text, always on one page: a long name first takes the space above the title."""
    s, a, b = ctx.styles, report.assessment, report.branding
    logo = _logo(b.logo_path, ctx.warnings)
    top: list = [Spacer(1, 6 * mm)] + ([logo] if logo else [])
    kicker = "SECURITY MATURITY ASSESSMENT" + ("  ·  DRAFT — NOT FINAL" if report.draft else "")
    text: list = [ctx.p(kicker, s.cover_kicker), ctx.p(report.client.name, s.cover_title),
                  ctx.p(a.name, s.cover_subtitle), Spacer(1, 10 * mm)]
    rule = Table([[""]], colWidths=[36 * mm], rowHeights=[2.2])
    rule.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, -1), ctx.palette.accent)]))
    rule.hAlign = "LEFT"
    text += [rule, Spacer(1, 8 * mm)]
    data = [[ctx.p(k, s.cover_small), ctx.p(v, s.cover_meta)] for k, v in nv.cover_pairs(report)]
    table = Table(data, colWidths=[38 * mm, CONTENT_WIDTH - 38 * mm], hAlign="LEFT")
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                               ("TOPPADDING", (0, 0), (0, -1), 5)]))
    text.append(table)
    room = ctx.page.cover_height - _listWrapOn(top + text, CONTENT_WIDTH, None)[1]
    gap = max(6 * mm, min(28 * mm if logo else 50 * mm, room))
    # shrinks the text only when even the smallest gap is not enough (a name of hundreds of characters)
    fitted = KeepInFrame(CONTENT_WIDTH, ctx.page.cover_height, top + [Spacer(1, gap)] + text, mode="shrink")
    return [fitted, NextPageTemplate("body"), PageBreak()]


def contents(ctx: Context) -> tuple[list, TableOfContents]:
    toc = TableOfContents(levelStyles=list(ctx.styles.toc), dotsMinLevel=1, rightColumnWidth=36)
    return [ctx.heading(0, "Contents", toc=False), Spacer(1, 4), toc, PageBreak()], toc


def layout_context(report: Report, paper_size: str | None = None) -> Context:
    """Fonts, palette, styles and page of a PDF of `report`; its `warnings` list says what was substituted
    (a missing font, an accent colour too light to show)."""
    fonts = load_fonts()
    warnings = list(fonts.warnings)
    accent, accent_warning = parse_accent(report.branding.accent_color)
    if accent_warning:
        warnings.append(accent_warning)
    palette = make_palette(accent)
    if palette.adjusted:
        warnings.append(f"accent colour {report.branding.accent_color} is too light to show on white; a "
                        f"darker shade of it was used")
    page = page_geometry(paper_size or report.branding.paper_size)
    return Context(fonts, palette, make_styles(fonts, palette), page, warnings)


def iter_write_pdf(report: Report, path: Path | str, paper_size: str | None = None) -> Steps:
    """Write the report to `path` atomically, yielding (step, total, message); returns the warnings.

    `paper_size` ("A4" or "Letter") overrides the branding's for this file."""
    path = Path(path)
    yield 0, _STEPS, "Preparing fonts"
    ctx = layout_context(report, paper_size)
    warnings = ctx.warnings

    yield 1, _STEPS, "Cover and executive summary"
    story = cover(report, ctx)
    toc_part, toc = contents(ctx)
    story += toc_part
    story += sections.executive_summary(report, ctx)
    yield 2, _STEPS, "Scorecard and charts"
    story += sections.scorecard(report, ctx)
    story += sections.maturity_profile(report, ctx)
    story += sections.progress(report, ctx)
    yield 3, _STEPS, "Roadmap"
    story += sections.roadmap(report, ctx)
    yield 4, _STEPS, "Findings"
    story += sections.findings(report, ctx)
    story += sections.methodology(report, ctx)
    story += evidence_appendix(report, ctx)
    from exports.pdf_coverage import coverage_appendix  # the "Coverage of <framework>" appendix, when chosen
    story += coverage_appendix(report, ctx)
    counter = PageCounter()
    story.append(counter)
    # Seed the contents with every entry so the first pass already reserves its final length: the
    # second pass then has the right page numbers and the layout settles in two passes.
    toc.addEntries([(h.outline[0], h.toc_markup, 0, h.outline[2]) for h in ctx.headings if h.outline[3]])

    with atomic_path(path) as tmp:
        doc = ReportDocument(str(tmp), report, ctx, counter)
        for number in doc.iter_build(story):
            yield min(4 + number * 2, _STEPS - 1), _STEPS, f"Laying out pages (pass {number})"
    warnings += [w for w in ctx.fonts.text_warnings if w not in warnings]
    yield _STEPS, _STEPS, f"Saved {path.name}"
    return warnings


def write_pdf(report: Report, path: Path | str, paper_size: str | None = None) -> list[str]:
    """Write the PDF report to `path` (atomically); returns warnings for the person exporting."""
    return run_to_end(iter_write_pdf(report, path, paper_size))
