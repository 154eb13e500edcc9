"""Fonts for every script in the PDF report: CJK embedded, Arabic and Hebrew joined and in reading order,
and no font a viewer has to supply (checked with poppler's pdffonts and read back with pypdf)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from pypdf import PdfReader

from exports import pdf_fonts, pdf_report
from exports.pdf_fonts import PLACEHOLDER, load_fonts
from exports.pdf_report import write_pdf
from exports.text_shaping import TextShaper
from vciso.library import load_library
from vciso.report import Branding, build_report
from vciso.workspace import Workspace

CHINESE_NAME = "北京牙科诊所"
ARABIC_NOTE = "ملاحظة مهمة"
HEBREW_NOTE = "הערה חשובה"
# ARABIC_NOTE as it must be drawn, left to right: the second word first, each word's letters reversed
# and in their joined forms (initial meem, medial heh, final teh marbuta, the lam-alef ligature, ...).
ARABIC_DRAWN = "\ufe94\ufee4\ufeec\ufee3 \ufe94\ufec8\ufea3\ufefc\ufee3"
HEBREW_DRAWN = "הבושח הרעה"

needs_cjk_font = pytest.mark.skipif(load_fonts().cjk is None,
                                    reason="no embeddable CJK font installed (apt-get install fonts-wqy-microhei)")


@pytest.fixture(scope="module")
def world_pdf(tmp_path_factory):
    """A report for a Chinese client name with Arabic and Hebrew notes: (path, reader, warnings)."""
    tmp = tmp_path_factory.mktemp("world")
    essentials = load_library().get("small-business-essentials")
    client = Workspace(tmp / "ws").create_client(CHINESE_NAME)
    assessment = client.create_assessment(essentials, "Spring review")
    notes = [ARABIC_NOTE, HEBREW_NOTE, f"Router (ref. 2024-17): {ARABIC_NOTE}"]
    for i, loc in enumerate(essentials.locations):
        client.save_answer(assessment.id, loc.question.id, current=i % 4, note=notes[i] if i < len(notes) else "")
    report = build_report(client, assessment.id, Branding("شركة الاستشارات", "Jane Consultant"))
    path = tmp / "world.pdf"
    warnings = write_pdf(report, path)
    client.close()
    return path, PdfReader(str(path)), warnings


def text_of(reader: PdfReader) -> str:
    return "\n".join(page.extract_text() for page in reader.pages)


def pdffonts(path: Path) -> list[str]:
    """pdffonts' table rows, one per font."""
    if shutil.which("pdffonts") is None:
        pytest.skip("pdffonts is not installed (apt-get install poppler-utils)")
    result = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True)
    return result.stdout.splitlines()[2:]


@needs_cjk_font
def test_every_font_of_a_chinese_arabic_and_hebrew_report_is_embedded(world_pdf):
    path, _, warnings = world_pdf
    rows = pdffonts(path)
    assert rows
    not_embedded = [row for row in rows if row.split()[-5] != "yes"]  # columns: … emb sub uni object ID
    assert not_embedded == []
    assert any("WenQuanYi" in row or "DroidSans" in row for row in rows)
    assert not any("Helvetica" in row or "STSong" in row for row in rows)
    assert warnings == []


def test_a_latin_report_declares_no_font_the_pdf_leaves_out(tmp_path):
    # reportlab's defaults (the canvas's first font, empty table cells, charts, list bullets) are
    # Helvetica, which a PDF may leave out and viewers replace with a look-alike.
    essentials = load_library().get("small-business-essentials")
    client = Workspace(tmp_path / "ws").create_client("Bright Smile Dental Group")
    assessment = client.create_assessment(essentials, "Spring review")
    for i, loc in enumerate(essentials.locations):
        client.save_answer(assessment.id, loc.question.id, current=i % 4)
    write_pdf(build_report(client, assessment.id, Branding("Northwind", "Jane")), tmp_path / "latin.pdf")
    client.close()
    rows = pdffonts(tmp_path / "latin.pdf")
    assert rows and all(row.split()[-5] == "yes" for row in rows), rows


@needs_cjk_font
def test_the_chinese_client_name_is_extracted_exactly(world_pdf):
    _, reader, _ = world_pdf
    text = text_of(reader)
    assert CHINESE_NAME in text
    assert text.count(CHINESE_NAME) >= len(reader.pages)  # the cover, and every page's header
    assert reader.metadata.title.startswith(CHINESE_NAME)


def test_arabic_and_hebrew_notes_are_drawn_joined_and_read_back_in_order(world_pdf):
    _, reader, _ = world_pdf
    drawn = text_of(reader)
    # Every Arabic letter was drawn in a joined (presentation) form, none left unjoined or as □
    assert not any("\u0621" <= char <= "\u064a" for char in drawn)
    assert PLACEHOLDER not in drawn
    # pypdf puts right-to-left runs back in reading order: it only finds the notes when they were drawn
    # right to left (drawn in typing order, they would read back reversed)
    text = unicodedata.normalize("NFKC", drawn)
    assert ARABIC_NOTE in text
    assert HEBREW_NOTE in text
    assert "شركة الاستشارات" in text  # the firm, on the cover and in every footer
    assert "Router (ref. 2024-17):" in text


def test_markup_draws_right_to_left_text_in_display_order():
    fonts = load_fonts()
    assert fonts.markup(ARABIC_NOTE) == ARABIC_DRAWN
    assert fonts.markup(HEBREW_NOTE) == HEBREW_DRAWN
    # each line of a note on its own; the Latin around an Arabic phrase keeps its order
    assert fonts.markup(f"{HEBREW_NOTE}\nok") == f"{HEBREW_DRAWN}<br/>ok"
    assert fonts.markup(f"Router: {ARABIC_NOTE} (old)") == f"Router: {ARABIC_DRAWN} (old)"
    # Arabic counts as covered although DejaVu's oblique faces lack it: user text is never italic
    assert fonts.covers("\ufefc") and fonts.covers("\u05d0")


def test_latin_text_is_left_exactly_as_typed():
    fonts = load_fonts()
    text = "Backups <weekly> & tested — Ça va, Ωmega, Привет  twice"
    assert fonts.shape(text) is text
    assert fonts.markup(text) == "Backups &lt;weekly&gt; &amp; tested — Ça va, Ωmega, Привет \u00a0twice"


@needs_cjk_font
def test_cjk_text_uses_the_embedded_font_in_paragraphs_and_charts():
    fonts = load_fonts()
    assert fonts.markup(f"Clinic {CHINESE_NAME}") == f'Clinic <font name="{fonts.cjk}">{CHINESE_NAME}</font>'
    assert fonts.markup("日本語のメモ 한국어") == f'<font name="{fonts.cjk}">日本語のメモ</font> <font name="{fonts.cjk}">한국어</font>'
    assert fonts.label(f"{CHINESE_NAME} Office") == (fonts.cjk, f"{CHINESE_NAME} Office")
    assert fonts.label(f"Backups {ARABIC_NOTE}") == (fonts.regular, f"Backups {ARABIC_DRAWN}")
    assert fonts.text_warnings == []


def test_without_a_cjk_font_cjk_text_falls_back_with_a_warning(tmp_path, monkeypatch):
    monkeypatch.setattr(pdf_fonts, "_CJK_FILES", ())
    pdf_fonts._load.cache_clear()
    try:
        fonts = load_fonts()
        assert fonts.cjk is None
        monkeypatch.setattr(pdf_report, "load_fonts", lambda: fonts)
        essentials = load_library().get("small-business-essentials")
        client = Workspace(tmp_path / "ws").create_client(CHINESE_NAME)
        assessment = client.create_assessment(essentials, "Spring review")
        warnings = write_pdf(build_report(client, assessment.id, Branding()), tmp_path / "cid.pdf")
        client.close()
    finally:
        pdf_fonts._load.cache_clear()
    assert any("fonts-wqy-microhei" in w and "empty boxes" in w for w in warnings), warnings
    assert len([w for w in warnings if "Chinese" in w]) == 1
    assert CHINESE_NAME in text_of(PdfReader(str(tmp_path / "cid.pdf")))  # still drawn, not dropped


def test_a_latin_report_has_no_font_warning(tmp_path, monkeypatch):
    monkeypatch.setattr(pdf_fonts, "_CJK_FILES", ())
    pdf_fonts._load.cache_clear()
    try:
        fonts = load_fonts()
        monkeypatch.setattr(pdf_report, "load_fonts", lambda: fonts)
        essentials = load_library().get("small-business-essentials")
        client = Workspace(tmp_path / "ws").create_client("Plain Latin Ltd")
        assessment = client.create_assessment(essentials, "Spring review")
        warnings = write_pdf(build_report(client, assessment.id, Branding()), tmp_path / "latin.pdf")
        client.close()
    finally:
        pdf_fonts._load.cache_clear()
    assert warnings == []


def test_without_python_bidi_text_is_kept_and_the_export_says_why(monkeypatch):
    monkeypatch.setitem(sys.modules, "bidi", None)  # import bidi now raises ImportError
    fonts = load_fonts()
    fonts.shaper = TextShaper(fonts.covered)
    assert fonts.markup("Plain text") == "Plain text" and fonts.text_warnings == []
    assert fonts.markup(HEBREW_NOTE) == HEBREW_NOTE  # as typed rather than garbled or dropped
    assert len(fonts.text_warnings) == 1 and "pip install python-bidi" in fonts.text_warnings[0]
