"""Fonts for the PDF report, and turning user text into safe Paragraph markup.

DejaVu Sans (embedded, subset) covers accented Latin, Greek, Cyrillic, Hebrew and Arabic; WenQuanYi Micro
Hei (Debian's fonts-wqy-microhei, TrueType outlines, embedded and subset like DejaVu) covers Chinese,
Japanese and Korean. Without it, CJK text falls back to reportlab's built-in CID fonts, which the PDF does
not contain (a viewer without a CJK font of its own shows empty boxes), and the export says so. Arabic and
Hebrew are shaped and put in display order first (exports/text_shaping.py). Every character is checked
against the TrueType character maps: what no font covers becomes a visible placeholder instead of a crash
or a silently dropped character.
"""

from __future__ import annotations

import functools
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFError, TTFont
from reportlab.pdfgen.canvas import Canvas

from exports.text_shaping import TextShaper

PLACEHOLDER = "□"
CJK_CHINESE = "STSong-Light"
CJK_JAPANESE = "HeiseiMin-W3"
CJK_KOREAN = "HYSMyeongJo-Medium"

_DEJAVU_FILES = {
    "regular": "DejaVuSans.ttf", "bold": "DejaVuSans-Bold.ttf", "italic": "DejaVuSans-Oblique.ttf",
    "bold_italic": "DejaVuSans-BoldOblique.ttf", "condensed": "DejaVuSansCondensed.ttf",
    "condensed_bold": "DejaVuSansCondensed-Bold.ttf",
}
_VERA_FILES = {"regular": "Vera.ttf", "bold": "VeraBd.ttf", "italic": "VeraIt.ttf", "bold_italic": "VeraBI.ttf"}
# CJK fonts with TrueType (glyf) outlines, which reportlab can embed: the OpenType/CFF ones (Noto CJK,
# Source Han) it cannot. (file, index in a collection, registered name), best first: WenQuanYi Micro Hei
# has Han, kana and Hangul; Droid Sans Fallback Full (fonts-droid-fallback) has no Hangul.
_CJK_FILES = (("wqy-microhei.ttc", 0, "WenQuanYiMicroHei"), ("DroidSansFallbackFull.ttf", 0, "DroidSansFallback"))
CJK_PACKAGE = "fonts-wqy-microhei"

# Characters that only shape their neighbour (joiners, variation selectors, skin tones): dropped when
# they follow a placeholder, so one emoji sequence gives one placeholder.
_JOINERS = {0x200D, 0xFE0E, 0xFE0F, 0x20E3} | set(range(0x1F3FB, 0x1F400))
_INVISIBLE = {0x200B, 0x200C, 0x200E, 0x200F, 0x2060, 0xFEFF, 0x00AD, 0x061C} | set(range(0x202A, 0x202F)) \
    | set(range(0x2066, 0x206A))  # the last two: bidi embeddings and isolates, used up by the reordering


def font_dirs() -> list[Path]:
    """Places DejaVu and the CJK font are commonly installed, most specific first (VCISO_FONT_DIR overrides)."""
    dirs: list[Path] = []
    if os.environ.get("VCISO_FONT_DIR"):
        dirs.append(Path(os.environ["VCISO_FONT_DIR"]))
    dirs.append(Path(__file__).parent / "fonts")
    home = Path.home()
    dirs += [Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/truetype/wqy"),
             Path("/usr/share/fonts/truetype/droid"), Path("/usr/share/fonts/dejavu"),
             Path("/usr/share/fonts/TTF"), Path("/usr/share/fonts/dejavu-sans-fonts"),
             Path("/usr/share/fonts/truetype"), Path("/usr/local/share/fonts"),
             Path("/opt/homebrew/share/fonts"), Path("/Library/Fonts"), home / "Library/Fonts",
             home / ".local/share/fonts", home / ".fonts"]
    if sys.platform == "win32":
        windir = Path(os.environ.get("WINDIR", r"C:\Windows"))
        dirs += [windir / "Fonts", Path(os.environ.get("LOCALAPPDATA", "")) / "Microsoft/Windows/Fonts"]
    try:  # matplotlib ships DejaVu Sans; use it when present
        import importlib.util
        spec = importlib.util.find_spec("matplotlib")
        if spec and spec.origin:
            dirs.append(Path(spec.origin).parent / "mpl-data" / "fonts" / "ttf")
    except (ImportError, ValueError):
        pass
    return dirs


def _find(filename: str, dirs: list[Path]) -> Path | None:
    for folder in dirs:
        candidate = folder / filename
        if candidate.is_file():
            return candidate
    return None


@dataclass
class FontSet:
    """Registered font names, the characters they all cover, and load warnings."""

    regular: str
    bold: str
    italic: str
    bold_italic: str
    condensed: str
    condensed_bold: str
    covered: frozenset[int]
    unicode: bool
    warnings: list[str] = field(default_factory=list)
    cjk: str | None = None  # the embedded CJK font, when one was found
    cjk_covered: frozenset[int] = frozenset()
    shaper: TextShaper | None = None
    # Problems met while turning text into markup (e.g. CJK text without the embedded font): the export
    # adds them to its warnings once the story is built. One list per load_fonts() call, so per export.
    text_warnings: list[str] = field(default_factory=list)

    @property
    def placeholder(self) -> str:
        return PLACEHOLDER if ord(PLACEHOLDER) in self.covered else "?"

    def covers(self, char: str) -> bool:
        return ord(char) in self.covered

    def shape(self, text: str) -> str:
        """Arabic and Hebrew lines of `text` in display order (see exports/text_shaping.py)."""
        if self.shaper is None or not self.shaper.needs_shaping(text):
            return text
        if self.shaper.missing:
            self.note(f"Arabic or Hebrew text could not be put in reading order because the {self.shaper.missing} "
                      f"package is not installed (pip install {self.shaper.missing}); it may read backwards "
                      f"and unjoined")
        return self.shaper(text)

    def note(self, warning: str) -> None:
        """Record a problem with the text drawn, once."""
        if warning not in self.text_warnings:
            self.text_warnings.append(warning)

    def label(self, text: str | None, limit: int = 60) -> tuple[str, str]:
        """(font name, text) for a one-font chart label, on one line and at most `limit` characters.

        CJK text gets the CJK font (which also has Latin letters), anything else the report font with
        uncovered characters replaced by the placeholder; Arabic and Hebrew are in display order."""
        text = " ".join((text or "").split())
        if len(text) > limit:
            text = text[: limit - 1].rstrip() + "…"
        text = self.shape(text)
        kinds = {k for k in (_cjk_kind(ord(c)) for c in text) if k}
        if kinds:
            if self.cjk and all(ord(c) in self.cjk_covered for c in text):
                return self.cjk, text
            if all(_cjk_kind(ord(c)) or ord(c) < 0x7F for c in text):
                self.note(_cjk_warning(self))
                return _cjk_font(kinds), text
        return self.regular, "".join(c if ord(c) in self.covered else self.placeholder for c in text)

    def markup(self, text: str | None) -> str:
        """User text as Paragraph markup that shows exactly what was typed.

        Markup characters are escaped, line breaks become <br/>, runs of spaces are kept, CJK runs switch
        to a CID font, and characters no font covers become a visible placeholder.
        """
        return text_markup(text, self)


def _cjk_kind(cp: int) -> str | None:
    """'cjk' for Han and shared CJK punctuation, 'ja' for kana, 'ko' for Hangul, else None."""
    if 0x3040 <= cp <= 0x30FF or 0x31F0 <= cp <= 0x31FF or 0xFF66 <= cp <= 0xFF9F:
        return "ja"
    if 0xAC00 <= cp <= 0xD7AF or 0x1100 <= cp <= 0x11FF or 0x3130 <= cp <= 0x318F:
        return "ko"
    if (0x4E00 <= cp <= 0x9FFF or 0x3400 <= cp <= 0x4DBF or 0xF900 <= cp <= 0xFAFF
            or 0x3000 <= cp <= 0x303F or 0xFF00 <= cp <= 0xFFEF or 0x3200 <= cp <= 0x32FF):
        return "cjk"
    return None


def _cjk_font(kinds: set[str]) -> str:
    """The built-in (not embedded) CID font for a run of these kinds: the fallback without a CJK TTF."""
    if "ja" in kinds:
        return CJK_JAPANESE
    if "ko" in kinds:
        return CJK_KOREAN
    return CJK_CHINESE


def _cjk_warning(fonts: FontSet) -> str:
    if fonts.cjk:
        return (f"some Chinese, Japanese or Korean characters are not in the {fonts.cjk} font; they were drawn "
                f"with a font the PDF does not contain, which viewers without one of their own show as empty "
                f"boxes")
    return (f"Chinese, Japanese or Korean text was drawn with a font the PDF does not contain, which viewers "
            f"without one of their own show as empty boxes: install the WenQuanYi Micro Hei font "
            f"({CJK_PACKAGE}) to embed it")


def text_markup(text: str | None, fonts: FontSet) -> str:
    """See FontSet.markup."""
    if not text:
        return ""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", "    ")
    text = fonts.shape(text)
    out: list[str] = []
    plain: list[str] = []
    cjk: list[str] = []
    cjk_kinds: set[str] = set()
    cjk_embedded = False  # whether the current CJK run is in the embedded font (else a CID font)
    last_placeholder = False
    placeholder = fonts.placeholder

    def flush_plain() -> None:
        if plain:
            out.append(_keep_spaces(escape("".join(plain))))
            plain.clear()

    def flush_cjk() -> None:
        if cjk:
            font = fonts.cjk if cjk_embedded else _cjk_font(cjk_kinds)
            out.append(f'<font name="{font}">{escape("".join(cjk))}</font>')
            cjk.clear()
            cjk_kinds.clear()

    joining = False  # inside an emoji sequence that already has its placeholder
    for char in text:
        cp = ord(char)
        if char == "\n":
            flush_cjk()
            flush_plain()
            out.append("<br/>")
            last_placeholder = joining = False
            continue
        if cp in _JOINERS and last_placeholder:
            joining = joining or cp == 0x200D
            continue
        kind = _cjk_kind(cp)
        if kind is not None:
            flush_plain()
            embedded = fonts.cjk is not None and cp in fonts.cjk_covered
            if cjk and embedded != cjk_embedded:
                flush_cjk()
            cjk_embedded = embedded
            if not embedded:
                fonts.note(_cjk_warning(fonts))
            cjk.append(char)
            cjk_kinds.add(kind)
            last_placeholder = joining = False
            continue
        flush_cjk()
        if cp in fonts.covered and cp >= 0x20:
            plain.append(char)
            last_placeholder = joining = False
        elif cp < 0x20 or cp in _INVISIBLE or 0x7F <= cp < 0xA0:
            continue
        elif joining:
            joining = False  # the next part of a joined sequence: one placeholder for the whole
        else:
            plain.append(placeholder)
            last_placeholder = True
    flush_cjk()
    flush_plain()
    return "".join(out)


def _keep_spaces(text: str) -> str:
    """Paragraphs collapse runs of spaces; keep them by making all but the first non-breaking."""
    if "  " not in text:
        return text
    out, run = [], 0
    for char in text:
        if char == " ":
            out.append(" " if run == 0 else "\u00a0")
            run += 1
        else:
            out.append(char)
            run = 0
    return "".join(out)


class EmbeddedFontsCanvas(Canvas):
    """A canvas that declares no font the PDF does not contain.

    reportlab's defaults name Helvetica, one of the standard fonts a PDF may leave out: the canvas's
    initial font (give the document `initialFontName`), table cells holding a string and the initial
    state of every chart. The report draws no visible text with them (those cells and chart labels are
    empty), so any standard font is swapped for the canvas's initial font, the embedded report font."""

    def setFont(self, psfontname, size, leading=None):  # type: ignore[no-untyped-def]
        if psfontname in pdfmetrics.standardFonts:
            psfontname = self._initialFontName
        super().setFont(psfontname, size, leading)


def _register_ttf(name: str, path: Path, index: int = 0) -> TTFont:
    try:
        return pdfmetrics.getFont(name)  # type: ignore[return-value]
    except KeyError:
        font = TTFont(name, str(path), subfontIndex=index)
        pdfmetrics.registerFont(font)
        return font


def _bmp(font: TTFont) -> set[int]:
    # Only the Basic Multilingual Plane: reportlab writes a malformed ToUnicode map for characters
    # above U+FFFF (e.g. DejaVu's emoji), which breaks text extraction and search in viewers.
    return {cp for cp in font.face.charToGlyph if cp <= 0xFFFF}


def _load_cjk(dirs: list[Path]) -> tuple[str | None, frozenset[int]]:
    """Register the first CJK TrueType font found: (its name, the characters it has), or (None, ∅)."""
    for filename, index, name in _CJK_FILES:
        path = _find(filename, dirs)
        if path is None:
            continue
        try:
            font = _register_ttf(name, path, index)
        except (TTFError, OSError):
            continue  # a damaged or unreadable file: try the next one, or fall back to the CID fonts
        _register_family(name, name, name, name, name)  # one weight: <b> and <i> keep the same face
        return name, frozenset(_bmp(font))
    return None, frozenset()


def _register_family(family: str, regular: str, bold: str, italic: str, bold_italic: str) -> None:
    addMapping(family, 0, 0, regular)
    addMapping(family, 1, 0, bold)
    addMapping(family, 0, 1, italic)
    addMapping(family, 1, 1, bold_italic)


@functools.lru_cache(maxsize=1)
def _load(dirs_key: tuple[str, ...]) -> FontSet:
    dirs = [Path(d) for d in dirs_key]
    warnings: list[str] = []
    paths = {role: _find(filename, dirs) for role, filename in _DEJAVU_FILES.items()}
    if all(paths[role] for role in ("regular", "bold", "italic", "bold_italic")):
        names = {role: Path(str(p)).stem for role, p in paths.items() if p}
        fonts = {role: _register_ttf(names[role], p) for role, p in paths.items() if p}
        unicode = True
    else:
        import reportlab
        vera_dir = Path(reportlab.__file__).parent / "fonts"
        names = {role: Path(filename).stem for role, filename in _VERA_FILES.items()}
        fonts = {role: _register_ttf(names[role], vera_dir / filename) for role, filename in _VERA_FILES.items()}
        unicode = False
        warnings.append("the DejaVu Sans font was not found (install fonts-dejavu-core); the report uses "
                        "a basic font and shows Greek, Cyrillic and other non-Latin letters as □")
    covered: set[int] | None = None
    upright: set[int] | None = None
    for role, font in fonts.items():
        chars = _bmp(font)
        covered = chars if covered is None else covered & chars
        if "italic" not in role:
            upright = chars if upright is None else upright & chars
    # DejaVu's oblique faces have no Arabic. User text is never set in italic (only the report's own
    # labels are), so Hebrew and Arabic count as covered when every upright face has them.
    covered = (covered or set()) | {cp for cp in upright or () if TextShaper.needs_shaping(chr(cp))}
    _register_family(names["regular"], names["regular"], names["bold"], names["italic"], names["bold_italic"])
    condensed = names.get("condensed", names["regular"])
    condensed_bold = names.get("condensed_bold", names["bold"])
    if condensed != names["regular"]:
        _register_family(condensed, condensed, condensed_bold, names["italic"], names["bold_italic"])
    for cid in (CJK_CHINESE, CJK_JAPANESE, CJK_KOREAN):
        try:
            pdfmetrics.getFont(cid)
        except KeyError:
            pdfmetrics.registerFont(UnicodeCIDFont(cid))
        # <b> and <i> inside a CJK run must resolve to a concrete font; CID fonts have no bold face.
        _register_family(cid, cid, cid, cid, cid)
    cjk, cjk_covered = _load_cjk(dirs)
    return FontSet(names["regular"], names["bold"], names["italic"], names["bold_italic"], condensed,
                   condensed_bold, frozenset(covered), unicode, warnings, cjk, cjk_covered,
                   TextShaper(covered))


def load_fonts(dirs: list[Path] | None = None) -> FontSet:
    """Register the report fonts (once per process) and return them with any warnings."""
    found = _load(tuple(str(d) for d in (dirs if dirs is not None else font_dirs())))
    return FontSet(found.regular, found.bold, found.italic, found.bold_italic, found.condensed,
                   found.condensed_bold, found.covered, found.unicode, list(found.warnings), found.cjk,
                   found.cjk_covered, found.shaper)
