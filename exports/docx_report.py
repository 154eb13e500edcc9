"""The Word report: the PDF report's content, in its order, as an editable .docx (python-docx).

Order: cover, contents (a real TOC field Word updates on open), executive summary, scorecard, maturity
profile (charts), progress since the earlier assessment (when there is one), roadmap, findings by
section, methodology — the sections of exports/pdf_sections.py (here docx_sections.py and
docx_findings.py), saying the same sentences
(vciso/narrative.py) with the same figures (vciso/numbers.py). Built on Word's own styles (Title,
Heading 1–3, TOC, Table Grid, List Bullet) so the consultant can restyle it; charts are the PDF's
Drawings as PNG (exports/docx_charts.py). Every page but the cover has the firm and client in the
header and "Page X of Y" in the footer; a report that is not final says DRAFT at the top of the body
and in every header. Written atomically; `iter_write_docx` yields progress for the desktop app.
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import _Cell
from docx.text.paragraph import Paragraph

from exports import docx_findings as findings
from exports import docx_ooxml as ox
from exports import docx_sections as sections
from exports.docx_document import CONTENT_WIDTH, DRAFT_COLOUR, MUTED, PANEL, RULE, TOC_LEVELS, Context, \
    make_styles, page_setup
from exports.logo import logo_file, unreadable_logo
from exports.progress import Steps, run_to_end
from vciso import __version__
from vciso import narrative as nv
from vciso import numbers as num
from vciso.atomic import atomic_path
from vciso.branding import paper_size_or_default
from vciso.report import Report

_STEPS = 10


# --------------------------------------------------------------------------- page furniture


def _furniture(ctx: Context) -> None:
    """Headers and footers: the cover's colour band and confidentiality notice; on every other page the
    firm and client, CONFIDENTIAL (and DRAFT), the assessment and "Page X of Y"."""
    report, section = ctx.report, ctx.doc.sections[0]
    client, firm = report.client.name, report.branding.firm_name

    # the cover: a band in the accent colour with the firm, and the notice at the foot
    band = section.first_page_header.paragraphs[0]
    ctx.set_style(band, "Header")
    ox.paragraph_shading(band, ctx.accent)
    band.paragraph_format.space_before = Pt(0)
    ctx.run(band, f" {_clip(firm, 70)}" if firm else " ", bold=True, size=10, colour=ctx.on_accent)
    band.add_run("\t")
    if report.draft:
        ctx.run(band, "DRAFT · ", bold=True, size=8.5, colour=ctx.on_accent)
    ctx.run(band, "CONFIDENTIAL ", bold=True, size=8.5, colour=ctx.on_accent)
    foot = section.first_page_footer
    notice = foot.paragraphs[0]
    ctx.set_style(notice, "Footer")
    ox.paragraph_shading(notice, PANEL)
    ox.paragraph_border(notice, "top", ctx.accent, 1.0, 6)
    ctx.run(notice, "CONFIDENTIAL", bold=True, size=8.5, colour=ctx.accent_text)
    text = ctx.p(container=foot, style="Footer")
    ox.paragraph_shading(text, PANEL)
    ctx.run(text, f"This report describes the security position of {client}, including weaknesses an attacker "
                  f"could use. Share it only with people who need it, and store it as you would store other "
                  f"sensitive company records.", size=8.5, colour=MUTED)

    header = section.header.paragraphs[0]
    ctx.set_style(header, "Header")
    ox.paragraph_border(header, "bottom", RULE, 0.5, 4)
    # one line, as in the PDF: a very long name is shortened here (never in the body)
    ctx.run(header, _clip(f"{firm} · {client}" if firm else client, 90), size=8, colour=MUTED)
    header.add_run("\t")
    if report.draft:
        ctx.run(header, "DRAFT", bold=True, size=8, colour=DRAFT_COLOUR)
        ctx.run(header, " · ", size=8, colour=MUTED)
    ctx.run(header, "CONFIDENTIAL", bold=True, size=7.5, colour=ctx.accent_text)

    footer = section.footer.paragraphs[0]
    ctx.set_style(footer, "Footer")
    ox.paragraph_border(footer, "top", RULE, 0.5, 4)
    ctx.run(footer, _clip(nv.running_title(report), 90), size=8, colour=MUTED)
    footer.add_run("\t")
    ctx.run(footer, "Page ", size=8, colour=MUTED)
    ox.add_field(footer, "PAGE", "1", size=8, colour=MUTED)
    ctx.run(footer, " of ", size=8, colour=MUTED)
    ox.add_field(footer, "NUMPAGES", "1", size=8, colour=MUTED)


def _clip(text: str, limit: int) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# --------------------------------------------------------------------------- cover and contents


def draft_banner(ctx: Context) -> None:
    """The DRAFT banner at the top of the body: white on red, across the text column."""
    par = ctx.p(style="Normal")
    ox.paragraph_shading(par, DRAFT_COLOUR)
    par.paragraph_format.space_after = Pt(12)
    ctx.run(par, " DRAFT — ", bold=True, size=11, colour="#FFFFFF")
    ctx.run(par, "the assessment is still in progress; figures may change. ", size=10, colour="#FFFFFF")


def _logo(ctx: Context) -> None:
    path = logo_file(ctx.report.branding.logo_path, ctx.warnings)
    if path is None:
        return
    data = _logo_bytes(path, ctx.warnings)
    if data is None:
        return
    import io

    from PIL import Image
    with Image.open(io.BytesIO(data)) as image:
        width, height = image.size
    scale = min(Mm(60) / width, Mm(22) / height)
    par = ctx.p()
    run = par.add_run()
    run.add_picture(io.BytesIO(data), width=int(width * scale), height=int(height * scale))
    ox.picture_description(run, f"{ctx.report.branding.firm_name or 'Firm'} logo")


def _logo_bytes(path: Path, warnings: list[str]) -> bytes | None:
    """The checked logo file as PNG or JPEG bytes Word can show, or None (and the PDF's warning) when it
    cannot be read."""
    import io

    from PIL import Image
    try:
        data = path.read_bytes()
        with Image.open(io.BytesIO(data)) as image:
            image.load()  # decode now: a broken image must not fail the document later
            if image.width <= 0 or image.height <= 0:
                raise ValueError("empty image")
            if image.format in ("PNG", "JPEG"):
                return data
            out = io.BytesIO()  # GIF, BMP, WebP, TIFF…: Word reads PNG everywhere
            (image if image.mode in ("RGB", "RGBA", "L", "LA") else image.convert("RGBA")).save(out, "PNG")
            return out.getvalue()
    except Exception:  # noqa: BLE001 - any unreadable image is the same problem for the consultant
        unreadable_logo(path, warnings)
        return None


def cover(ctx: Context) -> None:
    """The cover page: DRAFT banner, logo, kicker, client, assessment, an accent rule and the details."""
    report, a, b = ctx.report, ctx.report.assessment, ctx.report.branding
    if report.draft:
        draft_banner(ctx)
    _logo(ctx)
    kicker = ctx.p("SECURITY MATURITY ASSESSMENT" + ("  ·  DRAFT — NOT FINAL" if report.draft else ""),
                   "Cover Kicker")
    kicker.paragraph_format.space_before = Pt(60 if b.logo_path else 110)
    ctx.p(report.client.name, "Title")
    ctx.p(a.name, "Subtitle")
    rule = ctx.p()
    rule.paragraph_format.right_indent = Pt(CONTENT_WIDTH - 102)
    rule.paragraph_format.space_after = Pt(18)
    ox.paragraph_border(rule, "bottom", ctx.accent, 2.25, 1)
    rows = nv.cover_pairs(report)
    table = ctx.new_table(len(rows), 2)
    for tr, (label, value) in zip(table._tbl.tr_lst, rows):  # noqa: SLF001
        label_cell, value_cell = (_Cell(tc, table) for tc in tr.tc_lst)
        ctx.cell(label_cell, label, style="Cover Label")
        ctx.cell(value_cell, value, style="Normal").paragraph_format.space_after = Pt(3)
    ox.table_layout(table, [108, CONTENT_WIDTH - 108])
    ox.table_borders(table, "#FFFFFF", outer=False)
    borders = table._tbl.tblPr.find(qn("w:tblBorders"))  # noqa: SLF001
    for side in borders:
        side.set(qn("w:val"), "nil")
    ctx.page_break()


def contents(ctx: Context) -> Paragraph:
    """The contents heading and a placeholder where the TOC field goes once the headings are known."""
    heading = ctx.p("Contents", "TOC Heading")
    heading.paragraph_format.space_after = Pt(12)
    placeholder = ctx.p()
    ctx.page_break()
    return placeholder


def fill_contents(ctx: Context, placeholder: Paragraph) -> None:
    """The TOC field (headings 1–2, hyperlinked), with a result already in it: every heading, linked to
    it. Word rebuilds the field with page numbers when the file is opened (updateFields); LibreOffice
    shows this result as it is (it does not rebuild a contents on opening), so it holds no page numbers
    that could be wrong: Tools ▸ Update ▸ Update All adds them there."""
    entries = ctx.headings or [(1, "", "")]
    made: list[Paragraph] = []
    for i, (level, text, name) in enumerate(entries):
        par = ctx.p(style=f"toc {min(level, 2)}")
        if i == 0:
            ox.field_begin(par, f'TOC \\o "1-{TOC_LEVELS}" \\h \\z \\u')
        if name:
            ox.internal_link(par, name, text)
        made.append(par)
    ox.field_end(made[-1])
    for par in made:
        placeholder._p.addprevious(par._p)  # noqa: SLF001
    placeholder._p.getparent().remove(placeholder._p)  # noqa: SLF001


# --------------------------------------------------------------------------- document properties


def _properties(document, report: Report) -> None:  # type: ignore[no-untyped-def]
    client, assessment, b = report.client.name, report.assessment, report.branding
    props = document.core_properties
    props.title = f"{client} — {assessment.name}"
    props.author = props.last_modified_by = b.consultant or b.firm_name or "vCISO Workbench"
    props.subject = (f"Security maturity assessment of {client}: {assessment.questionnaire_title}, "
                     f"{num.long_date(assessment.assessment_date)}")
    props.keywords = "security assessment, maturity, roadmap, confidential"
    props.category = "Security maturity assessment" + (" (draft)" if report.draft else "")
    props.comments = f"Made with vCISO Workbench {__version__}"
    props.content_status = "Draft" if report.draft else "Final"
    props.created = props.modified = report.generated_at.replace(tzinfo=None)
    props.revision = 1
    props.language = "en-GB"


# What follows w:updateFields in w:settings (the schema's order, which Word enforces)
_AFTER_UPDATE_FIELDS = ("w:hdrShapeDefaults", "w:footnotePr", "w:endnotePr", "w:compat", "w:docVars", "w:rsids",
                        "m:mathPr", "w:attachedSchema", "w:themeFontLang", "w:clrSchemeMapping",
                        "w:doNotIncludeSubdocsInStats", "w:doNotAutoCompressPictures", "w:forceUpgrade",
                        "w:captions", "w:readModeInkLockDown", "w:smartTagType", "sl:schemaLibrary",
                        "w:shapeDefaults", "w:doNotEmbedSmartTags", "w:decimalSymbol", "w:listSeparator")


def _update_fields_on_open(document) -> None:  # type: ignore[no-untyped-def]
    """settings.xml: Word rebuilds the contents (and every field) when the file is opened."""
    settings = document.settings.element
    if settings.find(qn("w:updateFields")) is not None:
        return
    element = ox._el("w:updateFields", val="true")  # noqa: SLF001
    settings.insert_element_before(element, *_AFTER_UPDATE_FIELDS)


# --------------------------------------------------------------------------- writing


def _context(report: Report, paper_size: str | None, warnings: list[str]) -> Context:
    from exports.pdf_fonts import load_fonts
    from exports.pdf_styles import make_palette, parse_accent

    fonts = load_fonts()
    warnings += [f"charts: {w}" for w in fonts.warnings]
    accent, accent_warning = parse_accent(report.branding.accent_color)
    if accent_warning:
        warnings.append(accent_warning)
    palette = make_palette(accent)
    if palette.adjusted:
        warnings.append(f"accent colour {report.branding.accent_color} is too light to show on white; a "
                        f"darker shade of it was used")

    def hexa(colour) -> str:  # type: ignore[no-untyped-def]
        return "#" + colour.hexval()[2:].upper()

    document = Document()
    body_height = page_setup(document, paper_size_or_default(paper_size or report.branding.paper_size))
    make_styles(document, hexa(palette.accent_text), hexa(palette.accent))
    return Context(document, report, hexa(palette.accent), hexa(palette.accent_text), hexa(palette.tint),
                   hexa(palette.on_accent), palette, fonts, body_height, warnings)


def iter_write_docx(report: Report, path: Path | str, paper_size: str | None = None) -> Steps:
    """Write the Word report to `path` atomically, yielding (step, total, message); returns the warnings.

    `paper_size` ("A4" or "Letter") overrides the branding's for this file."""
    path = Path(path)
    warnings: list[str] = []
    yield 0, _STEPS, "Preparing the document"
    ctx = _context(report, paper_size, warnings)
    _furniture(ctx)
    yield 1, _STEPS, "Cover and executive summary"
    cover(ctx)
    placeholder = contents(ctx)
    sections.executive_summary(ctx)
    yield 2, _STEPS, "Scorecard"
    sections.scorecard(ctx)
    yield 3, _STEPS, "Charts"
    sections.maturity_profile(ctx)
    sections.progress(ctx)
    yield 4, _STEPS, "Roadmap"
    sections.roadmap(ctx)
    yield 5, _STEPS, "Findings"
    findings.findings(ctx)
    yield 7, _STEPS, "Methodology"
    sections.methodology(ctx)
    from exports.docx_evidence import evidence_appendix  # the evidence index, when any answer has evidence
    evidence_appendix(ctx)
    from exports.docx_coverage import coverage_appendix  # the "Coverage of <framework>" appendix, when chosen
    coverage_appendix(ctx)
    fill_contents(ctx, placeholder)
    _properties(ctx.doc, report)
    _update_fields_on_open(ctx.doc)
    if ctx.dropped:
        warnings.append(f"{num.plural(ctx.dropped, 'character')} that a Word document cannot hold (control "
                        f"characters, e.g. from text pasted from another program) "
                        f"{'was' if ctx.dropped == 1 else 'were'} left out of the Word report")
    if ctx.fonts.text_warnings:  # said of the PDF's fonts: here only the charts' labels use them
        warnings.append("some chart labels could not be drawn in the charts' fonts and may show as boxes in "
                        "the charts (the text of the report is unchanged): "
                        + "; ".join(ctx.fonts.text_warnings))
    yield 8, _STEPS, "Saving"
    with atomic_path(path) as tmp:
        ctx.doc.save(str(tmp))
    yield _STEPS, _STEPS, f"Saved {path.name}"
    return warnings


def write_docx(report: Report, path: Path | str, paper_size: str | None = None) -> list[str]:
    """Write the Word report to `path` (atomically); returns warnings for the person exporting."""
    return run_to_end(iter_write_docx(report, path, paper_size))
