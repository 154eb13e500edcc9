"""Fonts for the PDF report, and turning user text into safe Paragraph markup.

DejaVu Sans (embedded, subset) covers accented Latin, Greek and Cyrillic; reportlab's built-in CID fonts
cover Chinese, Japanese and Korean without embedding anything. Every character is checked against the
TrueType character map: what no font covers becomes a visible placeholder instead of a crash or a
silently dropped character.
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
from reportlab.pdfbase.ttfonts import TTFont

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

# Characters that only shape their neighbour (joiners, variation selectors, skin tones): dropped when
# they follow a placeholder, so one emoji sequence gives one placeholder.
_JOINERS = {0x200D, 0xFE0E, 0xFE0F, 0x20E3} | set(range(0x1F3FB, 0x1F400))
_INVISIBLE = {0x200B, 0x200C, 0x200E, 0x200F, 0x2060, 0xFEFF, 0x00AD}


def font_dirs() -> list[Path]:
    """Places DejaVu is commonly installed, most specific first (VCISO_FONT_DIR overrides)."""
    dirs: list[Path] = []
    if os.environ.get("VCISO_FONT_DIR"):
        dirs.append(Path(os.environ["VCISO_FONT_DIR"]))
    dirs.append(Path(__file__).parent / "fonts")
    home = Path.home()
    dirs += [Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"),
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

    @property
    def placeholder(self) -> str:
        return PLACEHOLDER if ord(PLACEHOLDER) in self.covered else "?"

    def covers(self, char: str) -> bool:
        return ord(char) in self.covered

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
    if "ja" in kinds:
        return CJK_JAPANESE
    if "ko" in kinds:
        return CJK_KOREAN
    return CJK_CHINESE


def text_markup(text: str | None, fonts: FontSet) -> str:
    """See FontSet.markup."""
    if not text:
        return ""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", "    ")
    out: list[str] = []
    plain: list[str] = []
    cjk: list[str] = []
    cjk_kinds: set[str] = set()
    last_placeholder = False
    placeholder = fonts.placeholder

    def flush_plain() -> None:
        if plain:
            out.append(_keep_spaces(escape("".join(plain))))
            plain.clear()

    def flush_cjk() -> None:
        if cjk:
            out.append(f'<font name="{_cjk_font(cjk_kinds)}">{escape("".join(cjk))}</font>')
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


def _register_ttf(name: str, path: Path) -> TTFont:
    try:
        return pdfmetrics.getFont(name)  # type: ignore[return-value]
    except KeyError:
        font = TTFont(name, str(path))
        pdfmetrics.registerFont(font)
        return font


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
    for font in fonts.values():
        # Only the Basic Multilingual Plane: reportlab writes a malformed ToUnicode map for characters
        # above U+FFFF (e.g. DejaVu's emoji), which breaks text extraction and search in viewers.
        chars = {cp for cp in font.face.charToGlyph if cp <= 0xFFFF}
        covered = chars if covered is None else covered & chars
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
    return FontSet(names["regular"], names["bold"], names["italic"], names["bold_italic"], condensed,
                   condensed_bold, frozenset(covered or ()), unicode, warnings)


def load_fonts(dirs: list[Path] | None = None) -> FontSet:
    """Register the report fonts (once per process) and return them with any warnings."""
    found = _load(tuple(str(d) for d in (dirs if dirs is not None else font_dirs())))
    return FontSet(found.regular, found.bold, found.italic, found.bold_italic, found.condensed,
                   found.condensed_bold, found.covered, found.unicode, list(found.warnings))
