"""The Word report's document: its look (Word's own styles in the report's fonts, sizes and accent colour,
and the few styles the report adds), its page, and `Context`, the helpers every part of the report
writes with (paragraphs, headings for the contents, tables, runs, pictures).

Paragraphs, runs and table rows are built with exports/docx_ooxml.py's direct builders: python-docx's
own would be most of the time of a 1,000-question report.
"""

from __future__ import annotations

from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from exports import docx_ooxml as ox
from vciso.report import Report

FONT = "Calibri"  # Word's own; LibreOffice shows it with Carlito (same metrics) or its default sans
INK, MUTED, FAINT, RULE, PANEL, WHITE = "#1F2933", "#5F6B7A", "#8A96A3", "#D5DAE1", "#F3F5F8", "#FFFFFF"
DRAFT_COLOUR = "#B3261E"
STATUS_COLOURS = {"met": "#2F855A", "minor": "#B7950B", "moderate": "#DD6B20", "major": "#C53030",
                  "na": "#A0AEC0", "none": "#CBD2D9"}  # exports/pdf_styles.py's, as hex
PAPERS = {"A4": (Mm(210), Mm(297)), "Letter": (Pt(612), Pt(792))}
CONTENT_WIDTH = 481.89  # points: A4 less 20 mm margins, on every paper, as in the PDF
MARGIN_TOP, MARGIN_BOTTOM = Mm(24), Mm(22)
TOC_LEVELS = 2  # Heading 1 and 2 in the contents


class Context:
    """The document being written, its colours, and the helpers every section uses."""

    def __init__(self, document, report: Report, accent: str, accent_text: str, tint: str,  # type: ignore[no-untyped-def]
                 on_accent: str, palette, fonts, body_height: float, warnings: list[str]):
        self.doc, self.report = document, report
        self.accent, self.accent_text, self.tint, self.on_accent = accent, accent_text, tint, on_accent
        self.palette, self.fonts = palette, fonts  # reportlab's, for the charts
        self.body_height = body_height
        self.warnings = warnings
        self.dropped = 0  # characters XML cannot hold, left out of user text
        self.headings: list[tuple[int, str, str]] = []  # (level, text, bookmark) for the contents
        self._break_next = False
        self._gap = None  # the spacing paragraph after the last table
        self._bookmarks = 0
        self.pictures = 0
        # style ids by name: python-docx's own lookup scans every style each time (most of the run time)
        self.ids = {style.name: style.style_id for style in document.styles}

    # -- text

    def clean(self, text: str | None) -> str:
        """User or report text as Word can store it: line ends normalised, control characters dropped."""
        if not text:
            return ""
        text = str(text).replace("\r\n", "\n").replace("\r", "\n")
        text, dropped = ox.xml_safe(text)
        self.dropped += dropped
        return text

    def p(self, text: str = "", style: str | None = None, container=None, **fmt) -> Paragraph:  # type: ignore[no-untyped-def]
        """A paragraph of `text` in `style` (run formatting in `fmt`: bold, italic, size, colour)."""
        if container is None:
            par = Paragraph(self.doc.element.body.add_p(), self.doc._body)  # noqa: SLF001
        else:
            par = Paragraph(container._element.add_p(), container)  # noqa: SLF001
        if style:
            self.set_style(par, style)
        if self._break_next and container is None:
            par.paragraph_format.page_break_before = True
            self._break_next = False
        if text:
            self.run(par, text, **fmt)
        return par

    def run(self, par, text: str, bold: bool | None = None, italic: bool | None = None,  # type: ignore[no-untyped-def]
            size: float | None = None, colour: str | None = None):
        return ox.append_run(par._p, self.clean(text), bold, italic, size, colour)  # noqa: SLF001

    def runs(self, par, parts) -> Paragraph:  # type: ignore[no-untyped-def]
        """Runs from a list of plain strings and (text, formatting) pairs."""
        for part in parts:
            if isinstance(part, str):
                self.run(par, part)
            else:
                self.run(par, part[0], **part[1])
        return par

    def set_style(self, par: Paragraph, name: str) -> None:
        ox.set_p_style(par._p, self.ids[name])  # noqa: SLF001

    def new_table(self, rows: int, cols: int) -> Table:
        """An empty Table Grid table at the end of the body."""
        table = self.doc.add_table(rows=rows, cols=cols)
        table._tbl.tblPr.style = self.ids["Table Grid"]  # noqa: SLF001
        return table

    def heading(self, level: int, text: str) -> Paragraph:
        """Heading `level` (1–3); levels 1–2 are bookmarked for the contents."""
        par = self.p(text, f"Heading {level}")
        if level <= TOC_LEVELS:
            self._bookmarks += 1
            name = f"_Toc{self._bookmarks:08d}"
            ox.bookmark(par, name, self._bookmarks)
            self.headings.append((level, self.clean(text), name))
        return par

    def page_break(self) -> None:
        """The next paragraph starts a page (no empty paragraph is left at the top of it)."""
        self._break_next = True
        body = self.doc.element.body
        last = body[-2] if len(body) > 1 else None  # (the body's last child is its sectPr)
        if last is not None and last is self._gap and last.getprevious() is not None \
                and last.getprevious().tag == qn("w:tbl"):
            # the spacing paragraph after a table would be alone at the top of a page when the table
            # fills its page; the heading that starts the next page follows the table directly instead
            body.remove(last)
        self._gap = None

    def bullet(self, text: str) -> Paragraph:
        return self.p(text, "List Bullet")

    def note(self, text: str) -> Paragraph:
        """A muted explanatory line (the PDF's small grey text)."""
        return self.p(text, "Report Note")

    # -- tables

    def table(self, heads: list[str], widths: list[float], right: set[int] = frozenset()) -> Table:  # type: ignore[assignment]
        """A Table Grid table with a shaded header row that repeats on every page."""
        if self._break_next:  # a table cannot carry "page break before": an empty line does
            self.p(style="Table Gap")
        table = self.new_table(1, len(widths))
        table.alignment = WD_TABLE_ALIGNMENT.LEFT
        header = table.rows[0]
        ox.row_flags(header, header=True)
        for i, (cell, text) in enumerate(zip(header.cells, heads)):
            ox.cell_shading(cell, self.tint)
            ox.cell_border(cell, "bottom", self.accent, 1.0)
            ox.cell_valign(cell, "bottom")
            par = cell.paragraphs[0]
            self.set_style(par, "Table Heading")
            if i in right:
                par.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            if text:
                self.run(par, text)
        table._widths = widths  # noqa: SLF001 - laid out by `finish`
        return table

    def row(self, table: Table, cant_split: bool = True) -> list[_Cell]:
        """A new row's cells (fast: python-docx's row.cells walks the whole grid)."""
        tr = ox.append_row(table._tbl, table._widths, cant_split)  # noqa: SLF001
        return [_Cell(tc, table) for tc in tr.tc_lst]

    def cell(self, cell: _Cell, parts, align: str | None = None, bold: bool | None = None,  # type: ignore[no-untyped-def]
             colour: str | None = None, style: str = "Table Text") -> Paragraph:
        """Fill a cell's first paragraph: plain text or a list of runs."""
        par = Paragraph(cell._tc.p_lst[0], cell)  # noqa: SLF001
        self.set_style(par, style)
        if align == "right":
            par.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        elif align == "center":
            par.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if isinstance(parts, str):
            if parts:
                self.run(par, parts, bold=bold, colour=colour)
        else:
            self.runs(par, parts)
        return par

    def cell_p(self, cell: _Cell, parts, style: str = "Table Text") -> Paragraph:  # type: ignore[no-untyped-def]
        """Another paragraph in a cell."""
        par = Paragraph(ox.append_p(cell._tc, self.ids[style]), cell)  # noqa: SLF001
        return self.runs(par, [parts] if isinstance(parts, str) else parts)

    def finish(self, table: Table, vertical: bool = False) -> Table:
        """Column widths and the calm borders, once every row is in."""
        ox.table_layout(table, table._widths)  # noqa: SLF001
        ox.table_borders(table, RULE, vertical=vertical)
        self.gap()
        return table

    def gap(self) -> Paragraph:
        """The small spacing paragraph after a table (Word needs a paragraph between two tables)."""
        par = self.p(style="Table Gap")
        self._gap = par._p  # noqa: SLF001
        return par

    # -- pictures

    def picture(self, drawing, description: str, max_height: float | None = None) -> Paragraph:  # type: ignore[no-untyped-def]
        """A reportlab Drawing as a centred PNG picture, as wide as the text at most."""
        from exports.docx_charts import png

        data, width, height = png(drawing)
        scale = min(1.0, CONTENT_WIDTH / width)
        limit = max_height if max_height is not None else self.body_height - 40
        if height * scale > limit:
            scale = limit / height
        par = self.p(style="Report Figure")
        par.alignment = WD_ALIGN_PARAGRAPH.CENTER
        import io
        run = par.add_run()
        run.add_picture(io.BytesIO(data), width=Pt(width * scale), height=Pt(height * scale))
        ox.picture_description(run, description)
        self.pictures += 1
        return par


# --------------------------------------------------------------------------- styles


def _set_font(style, size: float | None = None, bold: bool | None = None, colour: str | None = None,  # type: ignore[no-untyped-def]
              italic: bool | None = None, font: str = FONT) -> None:
    """A style's font, replacing the template's theme fonts (which would win over a plain name)."""
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.get_or_add_rFonts()
    for attr in list(fonts.attrib):
        if attr.endswith("Theme"):
            del fonts.attrib[attr]
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attr), font)
    if size is not None:
        style.font.size = Pt(size)
    if bold is not None:
        style.font.bold = bold
    if italic is not None:
        style.font.italic = italic
    if colour is not None:
        style.font.color.rgb = RGBColor.from_string(colour.lstrip("#"))
        colour_el = rpr.find(qn("w:color"))
        for attr in list(colour_el.attrib):
            if "theme" in attr:
                del colour_el.attrib[attr]


def _spacing(style, before: float | None = None, after: float | None = None,  # type: ignore[no-untyped-def]
             line: float | None = None) -> None:
    fmt = style.paragraph_format
    if before is not None:
        fmt.space_before = Pt(before)
    if after is not None:
        fmt.space_after = Pt(after)
    if line is not None:
        fmt.line_spacing = line


def _style(document, name: str, base: str = "Normal"):  # type: ignore[no-untyped-def]
    """A paragraph style of the report, added once (based on `base`)."""
    styles = document.styles
    try:
        return styles[name]
    except KeyError:
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = styles[base]
        style.quick_style = True
        return style


def make_styles(document, accent_text: str, accent: str) -> None:  # type: ignore[no-untyped-def]
    """Word's own styles in the report's look, and the few the report adds (all editable in Word)."""
    styles = document.styles
    normal = styles["Normal"]
    _set_font(normal, 10, colour=INK)
    _spacing(normal, 0, 6, 1.15)
    title = styles["Title"]
    _set_font(title, 28, bold=True, colour=INK)
    border = title.element.pPr.find(qn("w:pBdr")) if title.element.pPr is not None else None
    if border is not None:
        title.element.pPr.remove(border)
    _spacing(title, 0, 8, 1.0)
    subtitle = styles["Subtitle"]
    _set_font(subtitle, 14, italic=False, colour=MUTED)
    numbering = subtitle.element.pPr.find(qn("w:numPr")) if subtitle.element.pPr is not None else None
    if numbering is not None:  # the template's Subtitle carries a stray list level
        subtitle.element.pPr.remove(numbering)
    for level, size, colour, before, after in ((1, 18, accent_text, 0, 10), (2, 13, INK, 14, 6),
                                               (3, 11, accent_text, 10, 4)):
        heading = styles[f"Heading {level}"]
        _set_font(heading, size, bold=True, colour=colour)
        _spacing(heading, before, after, 1.0)
    _set_font(styles["TOC Heading"], 18, bold=True, colour=accent_text)
    for name in ("Header", "Footer"):  # the template's tabs are for Letter's margins: one at the right edge
        style = styles[name]
        ppr = style.element.get_or_add_pPr()
        old = ppr.find(qn("w:tabs"))
        if old is not None:
            ppr.remove(old)
        style.paragraph_format.tab_stops.add_tab_stop(Pt(CONTENT_WIDTH), WD_TAB_ALIGNMENT.RIGHT)
    _spacing(styles["List Bullet"], 0, 4)
    for level in (1, 2):
        toc = _style(document, f"toc {level}")
        toc.element.name_val = f"toc {level}"  # Word's built-in name: its TOC update uses this style
        _set_font(toc, 10.5 if level == 1 else 9.5, bold=level == 1, colour=INK if level == 1 else MUTED)
        _spacing(toc, 7 if level == 1 else 0, 2, 1.0)
        toc.paragraph_format.left_indent = Pt(0 if level == 1 else 14)
        toc.paragraph_format.tab_stops.add_tab_stop(Pt(CONTENT_WIDTH), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)
    lead = _style(document, "Lead")
    _set_font(lead, 13, colour=INK)
    _spacing(lead, 0, 10, 1.1)
    note = _style(document, "Report Note")
    _set_font(note, 8.5, colour=MUTED)
    _spacing(note, 0, 6, 1.1)
    text = _style(document, "Table Text")
    _set_font(text, 8.5, colour=INK)
    _spacing(text, 0, 0, 1.0)
    head = _style(document, "Table Heading", "Table Text")
    _set_font(head, 8, bold=True, colour=accent_text)
    head.paragraph_format.keep_with_next = True
    gap = _style(document, "Table Gap")
    _set_font(gap, 4)
    _spacing(gap, 0, 0, 1.0)
    figure = _style(document, "Report Figure")
    _spacing(figure, 4, 4, 1.0)
    figure.paragraph_format.keep_together = True
    cover_label = _style(document, "Cover Label")
    _set_font(cover_label, 8.5, colour=MUTED)
    _spacing(cover_label, 2, 2, 1.0)
    kicker = _style(document, "Cover Kicker")
    _set_font(kicker, 10, bold=True, colour=accent_text)
    _spacing(kicker, 0, 10, 1.0)


# --------------------------------------------------------------------------- page


def page_setup(document, paper: str) -> float:  # type: ignore[no-untyped-def]
    """Paper, margins (the PDF's content column) and the header/footer distances; returns the body height."""
    width, height = PAPERS[paper]
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = width, height
    side = (width - Pt(CONTENT_WIDTH)) // 2
    section.left_margin = section.right_margin = side
    section.top_margin, section.bottom_margin = MARGIN_TOP, MARGIN_BOTTOM
    section.header_distance, section.footer_distance = Mm(11), Mm(10)
    section.different_first_page_header_footer = True
    return (height - MARGIN_TOP - MARGIN_BOTTOM) / 12700  # EMU to points
