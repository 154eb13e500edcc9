"""The report's look: page geometry, colours (accent from branding, fixed status colours) and text styles."""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, letter
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import TableStyle

from exports.pdf_fonts import FontSet
from vciso.branding import DEFAULT_ACCENT, paper_size_or_default, valid_accent

PAPERS = {"A4": A4, "Letter": letter}
MARGIN_TOP = 24 * mm
MARGIN_BOTTOM = 22 * mm
COVER_TOP = 30 * mm  # the cover's text sits between the colour band at the top...
COVER_BOTTOM = 62 * mm  # ...and the confidentiality panel at the foot
# The same on every paper (A4 less 20 mm margins), so that every table and chart keeps its layout.
CONTENT_WIDTH = A4[0] - 40 * mm


@dataclass(frozen=True)
class PageGeometry:
    """One paper's page: the content column is centred on it."""

    width: float
    height: float

    @property
    def margin(self) -> float:
        """The left (and right) margin."""
        return (self.width - CONTENT_WIDTH) / 2

    @property
    def body_height(self) -> float:
        return self.height - MARGIN_TOP - MARGIN_BOTTOM

    @property
    def cover_height(self) -> float:
        return self.height - COVER_TOP - COVER_BOTTOM


def page_geometry(paper_size: str) -> PageGeometry:
    """The page of a branding paper size ("A4" or "Letter"; anything else is A4)."""
    width, height = PAPERS[paper_size_or_default(paper_size)]
    return PageGeometry(width, height)


INK = colors.HexColor("#1F2933")
MUTED = colors.HexColor("#5F6B7A")
FAINT = colors.HexColor("#8A96A3")
RULE = colors.HexColor("#D5DAE1")
PANEL = colors.HexColor("#F3F5F8")
WHITE = colors.white
TARGET = colors.HexColor("#8A96A3")
BASELINE = colors.HexColor("#C3CAD3")

# Gap bands (vciso.numbers.gap_band): the same four colours everywhere (charts, chips, table stripes).
STATUS_COLOURS = {
    "met": colors.HexColor("#2F855A"),
    "minor": colors.HexColor("#B7950B"),
    "moderate": colors.HexColor("#DD6B20"),
    "major": colors.HexColor("#C53030"),
    "na": colors.HexColor("#A0AEC0"),
    "none": colors.HexColor("#CBD2D9"),
}


def parse_accent(value: str | None) -> tuple[colors.Color, str | None]:
    """The branding accent colour, or the default and a warning when it is not a hex colour."""
    accent = valid_accent(value)
    if accent is None:
        return colors.HexColor(DEFAULT_ACCENT), (f"accent colour {value!r} is not a colour like #1F4E79; "
                                                  f"the default colour was used")
    return colors.HexColor(accent), None


def _luminance(colour: colors.Color) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    return 0.2126 * channel(colour.red) + 0.7152 * channel(colour.green) + 0.0722 * channel(colour.blue)


def mix(colour: colors.Color, other: colors.Color, amount: float) -> colors.Color:
    """`amount` of `other` blended into `colour` (0 = colour, 1 = other)."""
    return colors.Color(colour.red + (other.red - colour.red) * amount,
                        colour.green + (other.green - colour.green) * amount,
                        colour.blue + (other.blue - colour.blue) * amount)


@dataclass(frozen=True)
class Palette:
    accent: colors.Color      # bands, chart "current" series (darkened when too light to see on white)
    accent_text: colors.Color  # headings: the accent, darkened until it reads as text on white
    on_accent: colors.Color   # text drawn on the accent
    tint: colors.Color        # table headers, panels
    soft: colors.Color        # radar fill
    adjusted: bool = False    # the branding colour was too light and was darkened

    @property
    def current(self) -> colors.Color:
        return self.accent


def _darken_until(colour: colors.Color, luminance: float) -> colors.Color:
    for _ in range(12):
        if _luminance(colour) <= luminance:
            break
        colour = mix(colour, colors.black, 0.2)
    return colour


def make_palette(accent: colors.Color) -> Palette:
    """Colours derived from the branding accent; a near-white accent is darkened so charts stay visible."""
    fill = _darken_until(accent, 0.75)
    text = _darken_until(accent, 0.18)
    on_accent = WHITE if _luminance(fill) < 0.45 else INK
    return Palette(fill, text, on_accent, mix(fill, WHITE, 0.9), mix(fill, WHITE, 0.75),
                   adjusted=fill is not accent)


@dataclass(frozen=True)
class Styles:
    body: ParagraphStyle
    lead: ParagraphStyle
    small: ParagraphStyle
    muted: ParagraphStyle
    bullet: ParagraphStyle
    h1: ParagraphStyle
    h2: ParagraphStyle
    h3: ParagraphStyle
    cell: ParagraphStyle
    cell_bold: ParagraphStyle
    cell_right: ParagraphStyle
    cell_center: ParagraphStyle
    head: ParagraphStyle
    head_right: ParagraphStyle
    label: ParagraphStyle
    figure: ParagraphStyle
    figure_caption: ParagraphStyle
    cover_kicker: ParagraphStyle
    cover_title: ParagraphStyle
    cover_subtitle: ParagraphStyle
    cover_meta: ParagraphStyle
    cover_small: ParagraphStyle
    toc: tuple[ParagraphStyle, ...]
    header: ParagraphStyle
    finding_title: ParagraphStyle
    finding_text: ParagraphStyle
    finding_field: ParagraphStyle


def make_styles(fonts: FontSet, palette: Palette) -> Styles:
    regular, bold = fonts.regular, fonts.bold
    cond, cond_bold = fonts.condensed, fonts.condensed_bold
    body = ParagraphStyle("body", fontName=regular, fontSize=9.5, leading=14.5, textColor=INK, spaceAfter=6)
    cell = ParagraphStyle("cell", fontName=cond, fontSize=8.5, leading=11, textColor=INK)
    head = ParagraphStyle("head", parent=cell, fontName=cond_bold, textColor=palette.accent_text, fontSize=8)
    toc0 = ParagraphStyle("toc0", fontName=bold, fontSize=10.5, leading=15, textColor=INK, spaceBefore=7,
                          leftIndent=0, firstLineIndent=0, rightIndent=28)
    toc1 = ParagraphStyle("toc1", fontName=regular, fontSize=9, leading=13, textColor=MUTED, leftIndent=14,
                          firstLineIndent=0, rightIndent=28)
    toc2 = ParagraphStyle("toc2", parent=toc1, leftIndent=28, fontSize=8.5)
    return Styles(
        body=body,
        lead=ParagraphStyle("lead", parent=body, fontSize=12, leading=17, textColor=INK, spaceAfter=10),
        small=ParagraphStyle("small", parent=body, fontSize=8, leading=11, spaceAfter=3),
        muted=ParagraphStyle("muted", parent=body, fontSize=8.5, leading=12, textColor=MUTED),
        bullet=ParagraphStyle("bullet", parent=body, leftIndent=14, bulletIndent=2, spaceAfter=4,
                              bulletFontName=regular),  # reportlab's default, Helvetica, is not embedded
        h1=ParagraphStyle("h1", fontName=bold, fontSize=19, leading=24, textColor=palette.accent_text,
                          spaceBefore=0, spaceAfter=12, keepWithNext=1),
        h2=ParagraphStyle("h2", fontName=bold, fontSize=12.5, leading=16, textColor=INK, spaceBefore=14,
                          spaceAfter=6, keepWithNext=1),
        h3=ParagraphStyle("h3", fontName=bold, fontSize=10, leading=13, textColor=palette.accent_text,
                          spaceBefore=10, spaceAfter=4, keepWithNext=1),
        cell=cell,
        cell_bold=ParagraphStyle("cell_bold", parent=cell, fontName=cond_bold),
        cell_right=ParagraphStyle("cell_right", parent=cell, alignment=TA_RIGHT),
        cell_center=ParagraphStyle("cell_center", parent=cell, alignment=TA_CENTER),
        head=head,
        head_right=ParagraphStyle("head_right", parent=head, alignment=TA_RIGHT),
        label=ParagraphStyle("label", fontName=bold, fontSize=7.5, leading=10, textColor=MUTED),
        figure=ParagraphStyle("figure", fontName=bold, fontSize=20, leading=24, textColor=INK,
                              alignment=TA_LEFT),
        figure_caption=ParagraphStyle("figure_caption", fontName=regular, fontSize=7.5, leading=10,
                                      textColor=MUTED),
        cover_kicker=ParagraphStyle("cover_kicker", fontName=bold, fontSize=10, leading=14,
                                    textColor=palette.accent_text, spaceAfter=10),
        cover_title=ParagraphStyle("cover_title", fontName=bold, fontSize=30, leading=36, textColor=INK,
                                   spaceAfter=10),
        cover_subtitle=ParagraphStyle("cover_subtitle", fontName=regular, fontSize=14, leading=19,
                                      textColor=MUTED, spaceAfter=4),
        cover_meta=ParagraphStyle("cover_meta", fontName=regular, fontSize=10, leading=15, textColor=INK),
        cover_small=ParagraphStyle("cover_small", fontName=regular, fontSize=8.5, leading=12,
                                   textColor=MUTED),
        toc=(toc0, toc1, toc2),
        header=ParagraphStyle("header", fontName=regular, fontSize=7.5, leading=9, textColor=MUTED),
        finding_title=ParagraphStyle("finding_title", fontName=bold, fontSize=9, leading=12, textColor=INK),
        finding_text=ParagraphStyle("finding_text", fontName=regular, fontSize=8.5, leading=12,
                                    textColor=MUTED),
        finding_field=ParagraphStyle("finding_field", fontName=regular, fontSize=8.5, leading=12.5,
                                     textColor=INK, leftIndent=12, rightIndent=6, spaceBefore=4),
    )


def data_table_style(palette: Palette, header_rows: int = 1, zebra: bool = False) -> TableStyle:
    """Calm data tables: tinted header, hairline row rules, no vertical lines."""
    commands: list[tuple] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 5),
        ("RIGHTPADDING", (0, 0), (-1, -1), 5),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ("BACKGROUND", (0, 0), (-1, header_rows - 1), palette.tint),
        ("LINEBELOW", (0, header_rows - 1), (-1, header_rows - 1), 0.8, palette.accent),
        ("LINEBELOW", (0, header_rows), (-1, -1), 0.35, RULE),
        ("VALIGN", (0, 0), (-1, header_rows - 1), "BOTTOM"),
    ]
    if zebra:
        commands.append(("ROWBACKGROUNDS", (0, header_rows), (-1, -1), [WHITE, PANEL]))
    return TableStyle(commands)
