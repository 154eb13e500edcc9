"""Small platypus building blocks of the PDF report: headings that feed the outline and the table of
contents, orphan control for headings, and the page counter that makes "page X of Y" exact."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, KeepTogether, Paragraph
from reportlab.platypus.doctemplate import FrameBreak, IndexingFlowable
from reportlab.platypus.flowables import _listWrapOn

from exports.pdf_fonts import FontSet
from exports.pdf_styles import PageGeometry, Palette, Styles


class Para(Paragraph):
    """A Paragraph that remembers its line breaking for the last width it was wrapped to.

    Platypus wraps a paragraph several times at the same width (keep-together groups, table cells,
    drawing, and again in the second layout pass); line breaking is most of the cost of a long report.
    """

    _wrapped: tuple | None = None

    def wrap(self, availWidth, availHeight):  # type: ignore[no-untyped-def]
        cached = self._wrapped
        if cached is not None and cached[0] == availWidth:
            _, self.width, self.height, self.blPara, self._wrapWidths = cached
            return self.width, self.height
        width, height = super().wrap(availWidth, availHeight)
        if availWidth >= 1:  # Paragraph.wrap bails out early on tiny widths without breaking lines
            self._wrapped = (availWidth, self.width, self.height, self.blPara, self._wrapWidths)
        return width, height

    def drawOn(self, canvas, x, y, _sW=0):  # type: ignore[no-untyped-def]
        if getattr(getattr(canvas, "_doctemplate", None), "sketching", False):
            return  # a layout-only pass: its pages are thrown away, only positions matter
        super().drawOn(canvas, x, y, _sW)


class Band(Flowable):
    """A row of paragraphs on a tinted band with a coloured stripe on the left: the header of each
    finding. A light stand-in for a one-row Table (a long report has a thousand of them)."""

    def __init__(self, cells: list[Paragraph], widths: list[float], background, stripe, stripe_width: float = 3.5,
                 padding: tuple[float, float, float, float] = (5, 6, 6, 6)):
        super().__init__()
        self.cells, self.widths = cells, widths
        self.background, self.stripe, self.stripe_width = background, stripe, stripe_width
        self.top, self.right, self.bottom, self.left = padding
        self._heights: list[float] = []

    def wrap(self, availWidth, availHeight):  # type: ignore[no-untyped-def]
        self._heights = [cell.wrap(w - self.left - self.right, availHeight)[1]
                         for cell, w in zip(self.cells, self.widths)]
        self.width = sum(self.widths)
        self.height = max(self._heights or [0]) + self.top + self.bottom
        return self.width, self.height

    def split(self, availWidth, availHeight):  # type: ignore[no-untyped-def]
        frame = getattr(self, "_frame", None)
        if frame is not None and self.height > getattr(frame, "_height", self.height):
            # taller than a whole page (an enormous question text): give up the band, keep the text
            return [cell for cell in self.cells]
        return []

    def draw(self) -> None:
        canvas = self.canv
        canvas.saveState()
        canvas.setFillColor(self.background)
        canvas.rect(0, 0, self.width, self.height, stroke=0, fill=1)
        canvas.setFillColor(self.stripe)
        canvas.rect(0, 0, self.stripe_width, self.height, stroke=0, fill=1)
        canvas.restoreState()
        x = 0.0
        for cell, width, height in zip(self.cells, self.widths, self._heights):
            cell.drawOn(canvas, x + self.left, self.height - self.top - height)
            x += width


class Heading(Para):
    """A heading that becomes a bookmark, an outline entry and (levels 0-1) a contents line."""

    def __init__(self, markup: str, style, plain: str, level: int, key: str, toc: bool = True):
        super().__init__(markup, style)
        self.outline = (level, plain, key, toc)
        self.toc_markup = markup


class KeepWithNext(KeepTogether):
    """The group platypus makes of a heading and what follows it (doc.keepTogetherClass).

    Unlike plain KeepTogether, which pushes a long table after its heading to the next page, this only
    breaks the page when the next flowable cannot *start* below the heading (at least a header row and
    a row of a table, two lines of a paragraph, or the whole of a chart).
    """

    anchor: int | None = None  # content[:anchor] must fit whole; content[anchor] must be able to start

    def split(self, aW, aH):  # type: ignore[no-untyped-def]
        if getattr(self, "_wrapInfo", None) != (aW, aH):
            self.wrap(aW, aH)
        content = self._content[:]
        frame = getattr(self, "_frame", None)
        at_top = bool(frame and getattr(frame, "_atTop", False))
        if self._H <= aH or at_top or len(content) < 2:
            return content
        if not self._may_split(frame):
            return [FrameBreak()] + content
        anchor = len(content) - 1 if self.anchor is None else min(self.anchor, len(content) - 1)
        heads, following = content[:anchor], content[anchor]
        _, head_height = _listWrapOn(heads, aW, self.canv)
        room = aH - head_height - 6
        if room > 0 and self._can_start(following, aW, room):
            return content
        return [FrameBreak()] + content

    def _may_split(self, frame) -> bool:  # type: ignore[no-untyped-def]
        return True

    def _can_start(self, flowable: Flowable, width: float, room: float) -> bool:
        if isinstance(flowable, KeepTogether):
            _, height = _listWrapOn(flowable._content, width, self.canv)
            return height <= room
        _, height = flowable.wrapOn(self.canv, width, room)
        if height <= room:
            return True
        try:
            parts = flowable.splitOn(self.canv, width, room)
        except Exception:  # noqa: BLE001 - an unsplittable flowable simply cannot start here
            return False
        if not parts or isinstance(parts[0], type(FrameBreak)):
            return False
        if isinstance(flowable, Paragraph):  # no single orphaned line under a heading
            first = parts[0]
            lines = getattr(getattr(first, "blPara", None), "lines", None)
            return lines is None or len(lines) >= 2
        return True


class FindingBlock(KeepWithNext):
    """One question (with any headings above it) kept on one page, unless it is so long (a long note)
    that moving it would leave half a page empty: then it starts in place once its header band and the
    first lines of its notes fit."""

    def __init__(self, flowables: list, anchor: int):
        super().__init__(flowables)
        self.anchor = anchor

    def _may_split(self, frame) -> bool:  # type: ignore[no-untyped-def]
        height = getattr(frame, "_height", None)
        return bool(height) and self._H > height * 0.45


class PageCounter(IndexingFlowable):
    """Zero-size flowable at the end of the story: records the page count of each layout pass and asks
    for another pass until it is stable, so every footer can say "page X of Y"."""

    def __init__(self) -> None:
        super().__init__()
        self.total: int | None = None
        self._previous: int | None = None
        self._this_pass: int | None = None

    def beforeBuild(self) -> None:
        self._previous = self._this_pass
        self._this_pass = None

    def wrap(self, availWidth, availHeight):  # type: ignore[no-untyped-def]
        return 0, 0

    def draw(self) -> None:
        self._this_pass = self.canv.getPageNumber()

    def afterBuild(self) -> None:
        if self._this_pass is not None:
            self.total = self._this_pass

    def isSatisfied(self) -> bool:
        return self._this_pass is not None and self._this_pass == self._previous


@dataclass
class Context:
    """What every section builder needs: the fonts, colours, styles, page, and the warnings to return."""

    fonts: FontSet
    palette: Palette
    styles: Styles
    page: PageGeometry
    warnings: list[str] = field(default_factory=list)
    headings: list[Heading] = field(default_factory=list)
    _keys: itertools.count = field(default_factory=lambda: itertools.count(1))

    def m(self, text: object) -> str:
        """User or generated text as safe Paragraph markup."""
        return self.fonts.markup("" if text is None else str(text))

    def p(self, text: object, style=None) -> Paragraph:  # type: ignore[no-untyped-def]
        return Para(self.m(text), style or self.styles.body)

    def raw(self, markup: str, style=None) -> Paragraph:  # type: ignore[no-untyped-def]
        """A paragraph from markup the report itself wrote (user parts already escaped)."""
        return Para(markup, style or self.styles.body)

    def heading(self, level: int, text: str, toc: bool | None = None,
                style: ParagraphStyle | None = None) -> Heading:
        styles = (self.styles.h1, self.styles.h2, self.styles.h3)
        heading = Heading(self.m(text), style or styles[min(level, 2)], " ".join(text.split()), level,
                          f"s{next(self._keys)}", level <= 1 if toc is None else toc)
        self.headings.append(heading)
        return heading
