"""Right-to-left text for the PDF report: Arabic letters joined, Arabic and Hebrew put in display order.

reportlab draws one glyph per character, left to right, in the order it is given: it neither joins Arabic
letters into their contextual forms nor reverses right-to-left runs. So before user text becomes
Paragraph markup, each line is turned into what a reader must see: arabic-reshaper replaces every Arabic
letter by its initial, medial, final or isolated presentation form (and lam-alef by its ligature), then
python-bidi applies the Unicode bidirectional algorithm to put the line in display order. Text without a
Hebrew or Arabic letter is returned unchanged, so Latin reports are exactly what they were.

Limitation: the reordering is per line of the text as typed, before reportlab breaks it into lines; a
right-to-left paragraph that wraps onto several printed lines shows them bottom line first.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection

# Hebrew, Arabic, Syriac, Thaana, NKo, Samaritan, Mandaic, Arabic Extended, and the Hebrew and Arabic
# presentation forms: a line with none of these needs no shaping and no reordering.
_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")
_ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff]")


class TextShaper:
    """Turns logical-order user text into display order for a font covering `covered` code points.

    Calling it returns the text unchanged when it has no right-to-left letter, or when python-bidi or
    arabic-reshaper is not installed (then `missing` names the package to install)."""

    def __init__(self, covered: Collection[int]):
        self.missing: str | None = None
        self._display: Callable[[str], str] | None = None
        self._reshape: Callable[[str], str] | None = None
        try:
            from bidi import get_display
        except ImportError:
            self.missing = "python-bidi"
            return
        self._display = get_display
        try:
            import arabic_reshaper
            from arabic_reshaper.ligatures import LIGATURES
        except ImportError:
            self.missing = "arabic-reshaper"
            return
        # Keep the vowel marks the consultant typed (delete_harakat is on by default); enable only the
        # ligatures the font has a glyph for (DejaVu has lam-alef but not, say, the word ligature of Allah),
        # as arabic_reshaper.config_for_true_type_font does with fontTools.
        config: dict[str, bool] = {"delete_harakat": False}
        for name, (_, forms) in LIGATURES:
            config[name] = all(ord(form) in covered for form in forms if form)
        self._reshape = arabic_reshaper.ArabicReshaper(configuration=config).reshape

    @staticmethod
    def needs_shaping(text: str) -> bool:
        """Whether `text` has a right-to-left letter."""
        return _RTL.search(text) is not None

    def __call__(self, text: str) -> str:
        """`text` with each line (split at line breaks) in display order, Arabic letters joined."""
        if self._display is None or not self.needs_shaping(text):
            return text
        return "\n".join(self._line(line) for line in text.split("\n"))

    def _line(self, line: str) -> str:
        if not _RTL.search(line):
            return line
        if self._reshape is not None and _ARABIC.search(line):
            line = self._reshape(line)
        assert self._display is not None
        # Vowel marks come out before their letter, which suits DejaVu: its Hebrew and Arabic marks have no
        # width and are drawn to the right of the pen, over the letter that follows them.
        return self._display(line)

