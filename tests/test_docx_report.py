"""The Word report: the PDF's sections and figures in an editable .docx, read back with python-docx (no Qt),
checked against the PDF of the same report, and converted by LibreOffice."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest
from docx.shared import Emu, Pt
from PIL import Image
from pypdf import PdfReader

from core_fixtures import worked_example_questionnaire
from exports import registry
from exports.docx_report import iter_write_docx, write_docx
from exports.pdf_report import write_pdf
from vciso.cli import main
from vciso.demo import create_demo
from vciso.library import load_library
from vciso.report import Branding, build_report
from vciso.workspace import Workspace

ROOT = Path(__file__).resolve().parent.parent
CLIENT = "bright-smile-dental-group"
BRANDING = Branding("Northwind Security", "Ada Lovelace", accent_color="#0B6E4F")
SECTIONS = ["Executive summary", "Scorecard", "Maturity profile", "Progress since the previous assessment",
            "Roadmap", "Findings", "Methodology", "Evidence index"]  # the demo has evidence: the index
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


def _writer_installed() -> bool:
    """Whether LibreOffice has its Writer module (Debian: libreoffice-writer), which converts a .docx."""
    if SOFFICE is None:
        return False
    program = Path(os.path.realpath(SOFFICE)).parent
    return any(folder.glob("libswlo.*") for folder in (program, program.parent / "Frameworks") if folder.is_dir())


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The demo client's latest assessment (in progress, with a baseline) as a Word report and a PDF."""
    folder = tmp_path_factory.mktemp("docx")
    workspace = Workspace(folder / "ws")
    with create_demo(workspace, load_library(folder / "lib"), today=dt.date(2025, 3, 14)):
        pass
    with workspace.open_client(CLIENT) as client:
        report = build_report(client, branding=BRANDING)
    warnings = write_docx(report, folder / "report.docx")
    write_pdf(report, folder / "report.pdf")
    return report, docx.Document(str(folder / "report.docx")), PdfReader(str(folder / "report.pdf")), warnings, \
        folder / "report.docx", workspace


def _squash(text: str) -> str:
    return " ".join(text.split())


def _pdf_text(reader: PdfReader) -> str:
    return _squash(" ".join(page.extract_text() for page in reader.pages))


def _rows(table) -> list[list[str]]:  # type: ignore[no-untyped-def]
    return [[cell.text for cell in row.cells] for row in table.rows]


def _table_after(document, heading: str):  # type: ignore[no-untyped-def]
    """The first table that follows the heading `heading` in the body."""
    start = next(p._p for p in document.paragraphs if p.text == heading and p.style.name.startswith("Heading"))
    for child in start.itersiblings():
        if child.tag.endswith("}tbl"):
            return next(t for t in document.tables if t._tbl is child)
    raise AssertionError(f"no table after {heading!r}")


def _xml(path: Path, pattern: str = r"word/(document|header\d*|footer\d*)\.xml") -> str:
    with zipfile.ZipFile(path) as archive:
        return "".join(archive.read(n).decode() for n in archive.namelist() if re.fullmatch(pattern, n))


# --------------------------------------------------------------------------- structure


def test_every_pdf_section_is_a_heading_1_in_the_pdfs_order(demo):
    report, document, pdf, warnings, *_ = demo
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == SECTIONS
    assert [o.title for o in pdf.outline if not isinstance(o, list)] == ["Contents", *SECTIONS]
    assert [p.text for p in document.paragraphs if p.style.name == "TOC Heading"] == ["Contents"]
    assert document.paragraphs[0].text.startswith(" DRAFT — ")  # the demo's follow-up is in progress
    styles = {p.style.name for p in document.paragraphs}
    assert {"Title", "Subtitle", "Heading 2"} <= styles
    assert {t.style.name for t in document.tables} == {"Table Grid"}
    assert warnings == []


def test_the_cover_names_client_assessment_date_consultant_and_firm(demo):
    report, document, *_ = demo
    cover = [p.text for p in document.paragraphs[:8]]
    assert report.client.name in cover and report.assessment.name in cover
    details = dict(tuple(row) for row in _rows(document.tables[0]))
    assert details["Assessment date"] == "14 March 2025"
    assert details["Prepared by"] == "Ada Lovelace" and details["Firm"] == "Northwind Security"
    assert details["Status"].startswith("Draft")
    props = document.core_properties
    assert props.title == f"{report.client.name} — {report.assessment.name}"
    assert props.author == "Ada Lovelace"
    assert props.subject.startswith(f"Security maturity assessment of {report.client.name}")


def test_contents_and_page_x_of_y_are_fields_word_updates(demo):
    *_, path, _ = demo
    body = _xml(path, r"word/document\.xml")
    assert '<w:instrText xml:space="preserve"> TOC \\o "1-2" \\h \\z \\u </w:instrText>' in body
    # the field's result already lists every heading, linked to its bookmark
    link = re.search(r'<w:hyperlink w:anchor="(_Toc\d+)"[^>]*><w:r><w:t[^>]*>Executive summary<', body)
    assert link and f'<w:bookmarkStart w:id="1" w:name="{link.group(1)}"/>' in body
    footers = _xml(path, r"word/footer\d*\.xml")
    assert "> PAGE <" in footers and "> NUMPAGES <" in footers
    settings = _xml(path, r"word/settings\.xml")
    assert '<w:updateFields w:val="true"/>' in settings


def test_branding_colours_headings_and_table_headers_and_puts_the_firm_in_the_header(demo):
    _, document, *_ = demo
    assert str(document.styles["Heading 1"].font.color.rgb) == "0B6E4F"
    header = document.sections[0].header.paragraphs[0].text
    assert header.startswith("Northwind Security · Bright Smile Dental Group\t") and header.endswith("CONFIDENTIAL")
    scorecard = _table_after(document, "Scorecard")
    shading = scorecard.rows[0].cells[0]._tc.tcPr.xpath("./w:shd/@w:fill")
    assert shading and shading[0] != "FFFFFF"
    first = document.sections[0].first_page_header.paragraphs[0].text
    assert "Northwind Security" in first and "CONFIDENTIAL" in first


# --------------------------------------------------------------------------- the PDF's figures


def test_scorecard_progress_and_key_figures_are_the_pdfs_strings(demo):
    report, document, pdf, *_ = demo
    pdf_text = _pdf_text(pdf)
    scorecard = _rows(_table_after(document, "Scorecard"))
    assert scorecard[0] == ["Section", "Current", "Target", "Shortfall", "Current vs target", "To target", "Complete"]
    assert len(scorecard) == len(report.score.domains) + 2
    for row in scorecard[1:]:
        figures = [text for i, text in enumerate(row) if i != 4]  # column 4 is the bar (a picture)
        assert all(figures), row
        assert _squash(" ".join(figures)) in pdf_text, row
    assert scorecard[-1][:4] == ["Overall", "2.2", "3.0", "0.8"]

    progress = _rows(_table_after(document, "Progress since the previous assessment"))
    assert progress[0] == ["Section", "Earlier", "Now", "Target", "Change", "Progress"]
    for row in progress[1:]:
        assert _squash(" ".join(row)) in pdf_text, row

    tiles = [cell.text for cell in _table_after(document, "Executive summary").rows[0].cells]
    assert len(tiles) == 5 and tiles[-1] == "+1.2\nsince Baseline assessment"  # the demo has a baseline
    for tile in tiles:
        figure, caption = tile.split("\n", 1)
        assert f"{figure} {caption}" in pdf_text, tile


def test_the_sentences_and_the_section_lines_are_the_pdfs(demo):
    report, document, pdf, *_ = demo
    pdf_text = _pdf_text(pdf)
    said = [p.text for p in document.paragraphs if p.style.name in ("Normal", "Lead", "Report Note", "List Bullet")
            and len(p.text) > 20 and "DRAFT" not in p.text]
    assert len(said) > 30
    for text in said:
        assert _squash(text) in pdf_text, text
    headings2 = [p.text for p in document.paragraphs if p.style.name == "Heading 2"]
    phases = [h for h in headings2 if " — by " in h]
    assert phases and all(h in pdf_text for h in phases)


def test_findings_and_roadmap_hold_every_question_and_action(demo):
    report, document, *_ = demo
    text = "\n".join(cell.text for table in document.tables for row in table.rows for cell in row.cells)
    for row in report.findings:
        assert row.question_id in text
    for item in report.roadmap:
        assert item.title in text
    headings3 = [p.text for p in document.paragraphs if p.style.name == "Heading 2"]
    assert all(domain.title in headings3 for domain in report.questionnaire.sections)


# --------------------------------------------------------------------------- pictures


def test_charts_are_pictures_of_at_least_200_dpi(demo):
    _, document, *_ = demo
    charts = []
    for shape in document.inline_shapes:
        blip = shape._inline.xpath(".//a:blip/@r:embed")[0]
        image = Image.open(io.BytesIO(document.part.related_parts[blip].blob))
        dpi = image.width / shape.width.inches
        assert dpi >= 200, dpi
        if shape.width > Pt(200):
            charts.append(shape)
    descriptions = [s._inline.docPr.get("descr").split(":")[0] for s in charts]
    assert descriptions == ["Radar chart", "Bar chart", "Bar chart", "Bar chart", "Line chart", "Timeline"]  # radar,
    # shortfall, answers, progress, trend over the assessments, roadmap: each with alternative text


# --------------------------------------------------------------------------- draft and final


@pytest.fixture
def small_client(tmp_path):
    with Workspace(tmp_path / "ws").create_client("Acme") as opened:
        aid = opened.create_assessment(worked_example_questionnaire(), "Spring").id
        for qid, level in (("A1", 1), ("A2", 3), ("B1", 4), ("B2", 2)):
            opened.save_answer(aid, qid, current=level)
        yield opened, aid


def test_draft_is_in_the_body_and_every_header_in_progress_and_nowhere_when_final(small_client, tmp_path):
    client, aid = small_client
    write_docx(build_report(client, aid), tmp_path / "draft.docx")
    draft = docx.Document(str(tmp_path / "draft.docx"))
    assert draft.paragraphs[0].text.strip().startswith("DRAFT — the assessment is still in progress")
    section = draft.sections[0]
    assert "DRAFT" in section.header.paragraphs[0].text and "DRAFT" in section.first_page_header.paragraphs[0].text
    assert draft.core_properties.content_status == "Draft"

    client.finalise_assessment(aid, by="Dana")
    write_docx(build_report(client, aid), tmp_path / "final.docx")
    assert "DRAFT" not in _xml(tmp_path / "final.docx").upper()
    assert docx.Document(str(tmp_path / "final.docx")).core_properties.content_status == "Final"


# --------------------------------------------------------------------------- user text


def test_user_text_is_kept_exactly_and_control_characters_are_dropped_with_a_warning(tmp_path):
    name = "Tom & Jerry <b>Ltd</b> 株式会社 شركة 🚀"
    note = 'Line one\nLine two: <script>alert("x")</script> & = "ok" 中文 עברית 👍'
    with Workspace(tmp_path / "ws").create_client(name) as client:
        aid = client.create_assessment(worked_example_questionnaire(), "Spring").id
        client.save_answer(aid, "A1", current=1, note=note)
        client.save_answer(aid, "A2", current=2, note="bell\x07 and form\x0cfeed")
        report = build_report(client, aid, Branding("Firm & Co <ltd>", "Zoë Ñúñez"))
    warnings = write_docx(report, tmp_path / "r.docx")
    document = docx.Document(str(tmp_path / "r.docx"))
    assert name in [p.text for p in document.paragraphs]
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert any(f"Notes  {note}" in text for text in cells)
    assert any("Notes  bell and formfeed" in text for text in cells)
    assert warnings == ["2 characters that a Word document cannot hold (control characters, e.g. from text "
                        "pasted from another program) were left out of the Word report"]
    assert document.sections[0].header.paragraphs[0].text.startswith(f"Firm & Co <ltd> · {name}")


def test_a_missing_logo_is_a_warning_and_a_logo_is_on_the_cover(tmp_path, small_client):
    client, aid = small_client
    missing = Branding("Firm", "Ann", logo_path=tmp_path / "nope.png")
    assert write_docx(build_report(client, aid, missing), tmp_path / "a.docx") == [
        "logo file nope.png was not found; the report was made without it"]
    Image.new("RGB", (300, 100), "#0B6E4F").save(tmp_path / "logo.gif")  # Word shows GIF poorly: made PNG
    logo = Branding("Firm", "Ann", logo_path=tmp_path / "logo.gif")
    assert write_docx(build_report(client, aid, logo), tmp_path / "b.docx") == []
    document = docx.Document(str(tmp_path / "b.docx"))
    first = document.inline_shapes[0]
    assert first._inline.docPr.get("descr") == "Firm logo"
    assert abs(first.width.mm / first.height.mm - 3.0) < 0.05


def test_letter_paper_and_an_atomic_write(tmp_path, small_client, monkeypatch):
    client, aid = small_client
    report = build_report(client, aid)
    path = tmp_path / "r.docx"
    steps = list(_steps(iter_write_docx(report, path, "letter")))
    assert steps[-1] == (steps[-1][1], steps[-1][1], "Saved r.docx")
    section = docx.Document(str(path)).sections[0]
    assert (round(section.page_width.pt), round(section.page_height.pt)) == (612, 792)
    column = Emu(section.page_width - section.left_margin - section.right_margin)
    assert round(column.pt) == 482  # the PDF's column, on every paper
    before = path.read_bytes()

    def broken_save(self, target):  # type: ignore[no-untyped-def]
        Path(target).write_bytes(b"half a file")
        raise OSError("the writer failed half-way")
    monkeypatch.setattr(docx.document.Document, "save", broken_save)
    with pytest.raises(OSError, match="half-way"):
        write_docx(report, path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".r.docx")] == []


def _steps(steps):  # type: ignore[no-untyped-def]
    while True:
        try:
            yield next(steps)
        except StopIteration:
            return


# --------------------------------------------------------------------------- registry, command line, LibreOffice


def test_the_registry_lists_the_word_report_and_loads_python_docx_only_to_write(demo, tmp_path):
    report, *_ = demo
    entry = registry.exporter("docx")
    assert "docx" in registry.KINDS and entry.available()
    assert (entry.label, entry.file_name, entry.file_filter) == ("Word report", "report.docx",
                                                                 "Word documents (*.docx)")
    seen = list(_steps(registry.write("docx", report, tmp_path / "out.docx")))
    assert len(seen) >= 3 and seen[-1][2] == "Saved out.docx"
    code = ("import json, sys\nimport exports.registry\n"
            "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in ('docx', 'pypdfium2', 'lxml'))))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == []


def test_the_command_line_writes_the_word_report(demo, tmp_path, capsys):
    *_, workspace = demo
    path = tmp_path / "cli.docx"
    assert main(["--workspace", str(workspace.path), "export", "docx", CLIENT, "-o", str(path),
                 "--paper", "letter"]) == 0
    assert capsys.readouterr().out.strip() == f"Wrote {path}"
    document = docx.Document(str(path))
    assert [p.text for p in document.paragraphs if p.style.name == "Heading 1"] == SECTIONS
    assert round(document.sections[0].page_width.pt) == 612


@pytest.mark.skipif(not _writer_installed(), reason="LibreOffice Writer is not installed (apt-get install "
                                                    "libreoffice-writer): the .docx is not converted to PDF")
def test_libreoffice_converts_the_word_report_to_pdf(demo, tmp_path):
    report, _, _, _, path, _ = demo
    result = subprocess.run([SOFFICE, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
                             "--norestore", "--convert-to", "pdf", "--outdir", str(tmp_path / "out"), str(path)],
                            capture_output=True, text=True, timeout=300)
    converted = tmp_path / "out" / "report.pdf"
    assert result.returncode == 0 and converted.exists(), result.stderr
    pages = PdfReader(str(converted)).pages
    assert len(pages) > 10
    cover, contents = pages[0].extract_text(), pages[1].extract_text()
    assert report.client.name in cover and "DRAFT" in cover
    assert "Contents" in contents and "Executive summary" in contents and "Methodology" in contents
    assert re.search(rf"Page 2 of {len(pages)}\b", contents)


def test_the_app_exports_the_word_report_from_the_file_menu(open_window, qtbot, demo_workspace, monkeypatch,
                                                            tmp_path):
    from PySide6.QtGui import QKeySequence

    from ui import prompts

    window = open_window(demo_workspace)
    qtbot.waitUntil(lambda: window.page is not None and window.page.walkthrough.current_id is not None,
                    timeout=15000)
    action = window.export_docx_action
    assert action.text() == "Export &Word report…" and action.isEnabled()
    assert action.shortcut().toString(QKeySequence.SequenceFormat.PortableText) == "Ctrl+Shift+W"
    file_menu = window.menuBar().actions()[0].menu()
    assert action in file_menu.actions()
    target = tmp_path / "report"
    offered = []
    monkeypatch.setattr(prompts, "save_file", lambda *a, **k: str(target))
    monkeypatch.setattr(prompts, "export_finished", lambda parent, title, text, informative="":
                        offered.append(text) or "ok")
    action.trigger()  # the real writer, on the app's task thread
    qtbot.waitUntil(lambda: bool(offered), timeout=60000)
    written = target.with_suffix(".docx")
    assert str(written) in offered[0]
    assert [p.text for p in docx.Document(str(written)).paragraphs if p.style.name == "Heading 1"] == SECTIONS
