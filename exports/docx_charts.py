"""The Word report's charts: the PDF's own reportlab Drawings, rasterised to PNG for Word.

Route: reportlab draws the chart as a one-page vector PDF (fonts embedded, as in the PDF report), and
PDFium (the `pypdfium2` wheel, no system library) renders that page at DPI. reportlab's own bitmap
renderer, renderPM, needs `rlPyCairo` and pycairo, which has no Linux wheel (it builds against the
system's cairo), so it cannot be a plain `pip install` dependency of the app.
"""

from __future__ import annotations

import io
import threading

from reportlab.graphics import renderPDF
from reportlab.graphics.shapes import Drawing, Group

DPI = 220
PADDING = 6.0  # points around a chart: labels the PDF lets run into the margin are not cut off
_LOCK = threading.Lock()  # PDFium is not thread-safe; exports may run on a worker thread


def stack(*drawings: Drawing, gap: float = 4.0) -> Drawing:
    """The drawings one below the other (a chart and its legend) as one drawing, each centred."""
    width = max(d.width * _scale(d) for d in drawings)
    height = sum(d.height * _scale(d) for d in drawings) + gap * (len(drawings) - 1)
    out = Drawing(width, height)
    y = height
    for d in drawings:
        scale = _scale(d)
        y -= d.height * scale
        group = Group(*d.contents)
        group.transform = (scale, 0, 0, scale, (width - d.width * scale) / 2, y)
        out.add(group)
        y -= gap
    return out


def _scale(drawing: Drawing) -> float:
    return float(getattr(drawing, "renderScale", 1.0) or 1.0)


def png(drawing: Drawing, dpi: int = DPI, padding: float = PADDING) -> tuple[bytes, float, float]:
    """The drawing as PNG bytes at `dpi`, with its size in points (padding included)."""
    import pypdfium2 as pdfium

    # labels a chart lets run past its edges (the PDF draws them into the margin) stay in the picture
    try:
        x0, y0, x1, y1 = drawing.getBounds()
    except Exception:  # noqa: BLE001 - a shape without bounds: keep the drawing's own box
        x0, y0, x1, y1 = 0.0, 0.0, drawing.width, drawing.height
    left, bottom = max(0.0, -x0) + padding, max(0.0, -y0) + padding
    width = drawing.width + left + max(0.0, x1 - drawing.width) + padding
    height = drawing.height + bottom + max(0.0, y1 - drawing.height) + padding
    padded = Drawing(width, height)
    group = Group(*drawing.contents)
    group.transform = (1, 0, 0, 1, left, bottom)
    padded.add(group)
    vector = renderPDF.drawToString(padded)
    with _LOCK:
        document = pdfium.PdfDocument(vector)
        try:
            page = document[0]
            bitmap = page.render(scale=dpi / 72)  # on white
            image = bitmap.to_pil()
            page.close()
        finally:
            document.close()
    buffer = io.BytesIO()
    image.save(buffer, "PNG", dpi=(dpi, dpi))
    return buffer.getvalue(), padded.width, padded.height
