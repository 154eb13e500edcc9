"""The Word report's low-level WordprocessingML: fields, bookmarks, shading, borders and table layout.

python-docx covers paragraphs, runs, styles and pictures; what a report also needs (a PAGE field, a
table header that repeats, a cell's shading) is a few elements of the Office Open XML schema, built
here with python-docx's own `OxmlElement` so they are namespaced and ordered as Word expects.
"""

from __future__ import annotations

import re

from docx.oxml import OxmlElement
from lxml.etree import SubElement
from docx.oxml.ns import qn
from docx.shared import Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

# What XML 1.0 cannot hold (and so neither can a .docx): C0 controls other than tab, line feed and
# carriage return, lone surrogates and the two non-characters U+FFFE and U+FFFF.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
TWIPS_PER_POINT = 20


def xml_safe(text: str) -> tuple[str, int]:
    """`text` without the characters XML cannot hold, and how many were left out."""
    cleaned, count = NOT_XML.subn("", text)
    return cleaned, count


# --------------------------------------------------------------------------- fast paragraphs and runs
# A long report has tens of thousands of runs: python-docx's generic element machinery (which looks for
# each child's place among its possible successors) would be most of the export's time.

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_P, _PPR, _PSTYLE, _R, _RPR, _T, _TAB, _BR = (f"{_W}{t}" for t in ("p", "pPr", "pStyle", "r", "rPr", "t", "tab", "br"))
_B, _I, _COLOR, _SZ, _VAL = (f"{_W}{t}" for t in ("b", "i", "color", "sz", "val"))
_TR, _TRPR, _TC, _TCPR, _TCW, _W_ATTR, _TYPE = (f"{_W}{t}" for t in ("tr", "trPr", "tc", "tcPr", "tcW", "w", "type"))
_KEEP_NEXT = f"{_W}keepNext"
_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_BREAKS = re.compile("([\t\n])")


def append_p(parent, style_id: str | None = None):  # type: ignore[no-untyped-def]
    """A new w:p at the end of `parent` (a cell, header or footer), in the style `style_id`."""
    p = SubElement(parent, _P)
    if style_id:
        SubElement(SubElement(p, _PPR), _PSTYLE).set(_VAL, style_id)
    return p


def set_p_style(p, style_id: str) -> None:  # type: ignore[no-untyped-def]
    """Paragraph `p` in the style `style_id` (its pStyle, the first child of its pPr)."""
    ppr = p.find(_PPR)
    if ppr is None:
        ppr = SubElement(p, _PPR)
        p.insert(0, ppr)
    pstyle = ppr.find(_PSTYLE)
    if pstyle is None:
        pstyle = SubElement(ppr, _PSTYLE)
        ppr.insert(0, pstyle)
    pstyle.set(_VAL, style_id)


def keep_next(p) -> None:  # type: ignore[no-untyped-def]
    """Paragraph `p` stays on the page of the next one (w:keepNext, right after its pStyle)."""
    ppr = p.find(_PPR)
    if ppr is None:
        ppr = SubElement(p, _PPR)
        p.insert(0, ppr)
    if ppr.find(_KEEP_NEXT) is None:
        keep = SubElement(ppr, _KEEP_NEXT)
        ppr.insert(1 if ppr.find(_PSTYLE) is not None else 0, keep)


def append_run(p, text: str, bold: bool | None = None, italic: bool | None = None,  # type: ignore[no-untyped-def]
               size: float | None = None, colour: str | None = None):
    """A run of `text` (tabs and line breaks as Word's own) with the given formatting, at the end of `p`."""
    r = SubElement(p, _R)
    if bold is not None or italic is not None or size or colour:
        rpr = SubElement(r, _RPR)  # children in the schema's order: b, i, color, sz
        if bold is not None:
            b = SubElement(rpr, _B)
            if not bold:
                b.set(_VAL, "0")
        if italic is not None:
            i = SubElement(rpr, _I)
            if not italic:
                i.set(_VAL, "0")
        if colour:
            SubElement(rpr, _COLOR).set(_VAL, colour.lstrip("#").upper())
        if size:
            SubElement(rpr, _SZ).set(_VAL, str(int(round(size * 2))))
    for piece in _BREAKS.split(text) if ("\t" in text or "\n" in text) else (text,):
        if piece == "\t":
            SubElement(r, _TAB)
        elif piece == "\n":
            SubElement(r, _BR)
        elif piece:
            t = SubElement(r, _T)
            t.text = piece
            t.set(_SPACE, "preserve")
    return r


def append_row(tbl, widths: list[float], cant_split: bool = True):  # type: ignore[no-untyped-def]
    """A new row of empty cells (each with its width and one paragraph) at the end of table `tbl`."""
    tr = SubElement(tbl, _TR)
    if cant_split:
        SubElement(SubElement(tr, _TRPR), f"{_W}cantSplit")
    for width in widths:
        tc = SubElement(tr, _TC)
        tcw = SubElement(SubElement(tc, _TCPR), _TCW)
        tcw.set(_W_ATTR, str(int(width * TWIPS_PER_POINT)))
        tcw.set(_TYPE, "dxa")
        SubElement(tc, _P)
    return tr


def _el(tag: str, **attrs: str):  # type: ignore[no-untyped-def]
    element = OxmlElement(tag)
    for name, value in attrs.items():
        element.set(qn(f"w:{name}"), value)
    return element


# --------------------------------------------------------------------------- fields and bookmarks


def add_field(paragraph: Paragraph, instruction: str, shown: str = "", bold: bool = False,
              size: float | None = None, colour: str | None = None) -> None:
    """A complex field (PAGE, NUMPAGES, PAGEREF…) whose `shown` result Word and LibreOffice recompute."""
    def run(*children):  # type: ignore[no-untyped-def]
        r = paragraph.add_run()
        r.bold = bold or None
        if size:
            r.font.size = Pt(size)
        if colour:
            from docx.shared import RGBColor
            r.font.color.rgb = RGBColor.from_string(colour.lstrip("#"))
        for child in children:
            r._r.append(child)  # noqa: SLF001 - python-docx exposes no field API
        return r

    run(_el("w:fldChar", fldCharType="begin"))
    instr = _el("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run(instr)
    run(_el("w:fldChar", fldCharType="separate"))
    run().text = shown
    run(_el("w:fldChar", fldCharType="end"))


def field_begin(paragraph: Paragraph, instruction: str) -> None:
    """The start of a field whose result spans several paragraphs (the table of contents)."""
    r = paragraph.add_run()._r  # noqa: SLF001
    r.append(_el("w:fldChar", fldCharType="begin"))
    r = paragraph.add_run()._r  # noqa: SLF001
    instr = _el("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    r.append(instr)
    paragraph.add_run()._r.append(_el("w:fldChar", fldCharType="separate"))  # noqa: SLF001


def field_end(paragraph: Paragraph) -> None:
    paragraph.add_run()._r.append(_el("w:fldChar", fldCharType="end"))  # noqa: SLF001


def bookmark(paragraph: Paragraph, name: str, number: int) -> None:
    """A bookmark around the whole paragraph (headings: the target of the contents' page numbers)."""
    p = paragraph._p  # noqa: SLF001
    start = _el("w:bookmarkStart", id=str(number), name=name)
    ppr = p.find(qn("w:pPr"))
    if ppr is not None:
        ppr.addnext(start)
    else:
        p.insert(0, start)
    p.append(_el("w:bookmarkEnd", id=str(number)))


def internal_link(paragraph: Paragraph, anchor: str, text: str):  # type: ignore[no-untyped-def]
    """A hyperlink to the bookmark `anchor`, showing `text`, at the end of the paragraph."""
    link = _el("w:hyperlink", anchor=anchor, history="1")
    paragraph._p.append(link)  # noqa: SLF001
    append_run(link, text)
    return link


# --------------------------------------------------------------------------- paragraph formatting


def shade(element_pr, fill: str) -> None:  # type: ignore[no-untyped-def]
    """Solid background `fill` ('#RRGGBB') on a paragraph's or cell's properties."""
    old = element_pr.find(qn("w:shd"))
    if old is not None:
        element_pr.remove(old)
    shd = _el("w:shd", val="clear", color="auto", fill=fill.lstrip("#").upper())
    _insert_in_order(element_pr, shd, _PPR_ORDER if element_pr.tag == qn("w:pPr") else _TCPR_ORDER)


def paragraph_shading(paragraph: Paragraph, fill: str) -> None:
    shade(paragraph._p.get_or_add_pPr(), fill)  # noqa: SLF001


def paragraph_border(paragraph: Paragraph, side: str, colour: str, size_pt: float = 1.0,
                     space_pt: int = 4) -> None:
    """A single line on one side ('top', 'left', 'bottom', 'right') of a paragraph."""
    ppr = paragraph._p.get_or_add_pPr()  # noqa: SLF001
    borders = ppr.find(qn("w:pBdr"))
    if borders is None:
        borders = _el("w:pBdr")
        _insert_in_order(ppr, borders, _PPR_ORDER)
    borders.append(_el(f"w:{side}", val="single", sz=str(int(size_pt * 8)), space=str(space_pt),
                       color=colour.lstrip("#").upper()))


# Child order of w:pPr and w:tcPr in the schema: Word refuses a document whose elements are out of order.
_PPR_ORDER = ("pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
              "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
              "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd",
              "snapToGrid", "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc",
              "textDirection", "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr",
              "sectPr", "pPrChange")
_TCPR_ORDER = ("cnfStyle", "tcW", "gridSpan", "hMerge", "vMerge", "tcBorders", "shd", "noWrap", "tcMar",
               "textDirection", "tcFitText", "vAlign", "hideMark")
_TRPR_ORDER = ("cnfStyle", "divId", "gridBefore", "gridAfter", "wBefore", "wAfter", "cantSplit", "trHeight",
               "tblHeader", "tblCellSpacing", "jc", "hidden")
_TBLPR_ORDER = ("tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize",
                "tblStyleColBandSize", "tblW", "jc", "tblCellSpacing", "tblInd", "tblBorders", "shd",
                "tblLayout", "tblCellMar", "tblLook", "tblCaption", "tblDescription")


def _insert_in_order(parent, child, order: tuple[str, ...]) -> None:  # type: ignore[no-untyped-def]
    """Put `child` where the schema's sequence `order` wants it among `parent`'s children."""
    name = child.tag.split("}")[1]
    later = set(order[order.index(name) + 1:])
    for existing in parent:
        if existing.tag.split("}")[1] in later:
            existing.addprevious(child)
            return
    parent.append(child)


# --------------------------------------------------------------------------- tables


def table_layout(table: Table, widths: list[float], indent: float = 0.0) -> None:
    """Fixed column widths in points (grid and every cell), the table as wide as their sum."""
    tbl = table._tbl  # noqa: SLF001
    tbl_pr = tbl.tblPr
    for tag in ("w:tblW", "w:tblLayout", "w:tblInd"):
        old = tbl_pr.find(qn(tag))
        if old is not None:
            tbl_pr.remove(old)
    _insert_in_order(tbl_pr, _el("w:tblW", w=str(int(sum(widths) * TWIPS_PER_POINT)), type="dxa"), _TBLPR_ORDER)
    if indent:
        _insert_in_order(tbl_pr, _el("w:tblInd", w=str(int(indent * TWIPS_PER_POINT)), type="dxa"),
                         _TBLPR_ORDER)
    _insert_in_order(tbl_pr, _el("w:tblLayout", type="fixed"), _TBLPR_ORDER)
    for col, width in zip(tbl.tblGrid.findall(qn("w:gridCol")), widths):
        col.set(qn("w:w"), str(int(width * TWIPS_PER_POINT)))
    for tr in tbl.findall(qn("w:tr")):
        set_row_widths(tr, widths)


def set_row_widths(tr, widths: list[float]) -> None:  # type: ignore[no-untyped-def]
    """Every cell of one row its width (a cell spanning columns gets their sum)."""
    column = 0
    cells = tr.findall(_TC)
    if len(cells) == len(widths) and all(
            (tcw := tc.find(f"{_TCPR}/{_TCW}")) is not None
            and tcw.get(_W_ATTR) == str(int(width * TWIPS_PER_POINT)) for tc, width in zip(cells, widths)):
        return  # made by append_row: already right
    for tc in cells:
        span = tc.tcPr.find(qn("w:gridSpan")) if tc.tcPr is not None else None
        count = int(span.get(qn("w:val"))) if span is not None else 1
        tc_pr = tc.get_or_add_tcPr()
        old = tc_pr.find(qn("w:tcW"))
        if old is not None:
            tc_pr.remove(old)
        width = sum(widths[column:column + count])
        _insert_in_order(tc_pr, _el("w:tcW", w=str(int(width * TWIPS_PER_POINT)), type="dxa"), _TCPR_ORDER)
        column += count


def table_borders(table: Table, colour: str, header_colour: str | None = None, vertical: bool = False,
                  outer: bool = True) -> None:
    """Hairline rules between rows in `colour` (the calm look of the PDF's tables), no vertical lines
    unless `vertical`; the table style stays Table Grid, so Word's own border tools still apply."""
    tbl_pr = table._tbl.tblPr  # noqa: SLF001
    old = tbl_pr.find(qn("w:tblBorders"))
    if old is not None:
        tbl_pr.remove(old)
    borders = _el("w:tblBorders")
    hex_colour = colour.lstrip("#").upper()
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        visible = (side in ("insideH",) or (outer and side in ("top", "bottom"))
                   or (vertical and side in ("left", "right", "insideV")))
        if visible:
            borders.append(_el(f"w:{side}", val="single", sz="4", space="0", color=hex_colour))
        else:
            borders.append(_el(f"w:{side}", val="nil"))
    _insert_in_order(tbl_pr, borders, _TBLPR_ORDER)
    _insert_in_order(tbl_pr, _cell_margins(), _TBLPR_ORDER)


def _cell_margins():  # type: ignore[no-untyped-def]
    margins = _el("w:tblCellMar")
    for side, width in (("top", 40), ("left", 90), ("bottom", 40), ("right", 90)):
        margins.append(_el(f"w:{side}", w=str(width), type="dxa"))
    return margins


def cell_shading(cell: _Cell, fill: str) -> None:
    shade(cell._tc.get_or_add_tcPr(), fill)  # noqa: SLF001


def cell_border(cell: _Cell, side: str, colour: str, size_pt: float) -> None:
    """One side of one cell ('top', 'left', 'bottom', 'right') in `colour`."""
    tc_pr = cell._tc.get_or_add_tcPr()  # noqa: SLF001
    borders = tc_pr.find(qn("w:tcBorders"))
    if borders is None:
        borders = _el("w:tcBorders")
        _insert_in_order(tc_pr, borders, _TCPR_ORDER)
    borders.append(_el(f"w:{side}", val="single", sz=str(int(size_pt * 8)), space="0",
                       color=colour.lstrip("#").upper()))


def cell_valign(cell: _Cell, value: str) -> None:
    """'top', 'center' or 'bottom'."""
    tc_pr = cell._tc.get_or_add_tcPr()  # noqa: SLF001
    old = tc_pr.find(qn("w:vAlign"))
    if old is not None:
        tc_pr.remove(old)
    _insert_in_order(tc_pr, _el("w:vAlign", val=value), _TCPR_ORDER)


def row_flags(row, header: bool = False, cant_split: bool = True) -> None:  # type: ignore[no-untyped-def]
    """A row that stays on one page and, for a header, repeats at the top of every page."""
    tr_pr = row._tr.get_or_add_trPr()  # noqa: SLF001
    if cant_split:
        _insert_in_order(tr_pr, _el("w:cantSplit"), _TRPR_ORDER)
    if header:
        _insert_in_order(tr_pr, _el("w:tblHeader"), _TRPR_ORDER)


def merge_row(cells: list[_Cell]) -> _Cell:
    """A new row's (empty) cells as one cell spanning the whole table width."""
    first = cells[0]._tc  # noqa: SLF001
    for cell in cells[1:]:
        first.getparent().remove(cell._tc)  # noqa: SLF001
    if len(cells) > 1:
        _insert_in_order(first.get_or_add_tcPr(), _el("w:gridSpan", val=str(len(cells))), _TCPR_ORDER)
    return cells[0]


def picture_description(run, text: str) -> None:  # type: ignore[no-untyped-def]
    """Alternative text of a picture just added in `run` (read aloud by screen readers)."""
    for doc_pr in run._r.iter(qn("wp:docPr")):  # noqa: SLF001
        doc_pr.set("descr", text)
