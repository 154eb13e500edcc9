"""The PDF report: real client files in, real PDFs out, read back with pypdf (no Qt)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from exports import pdf_report, pdf_sections
from exports.pdf_fonts import PLACEHOLDER, load_fonts
from exports.pdf_report import iter_write_pdf, write_pdf
from vciso.library import load_library
from vciso.questionnaire import questionnaire_from_dict
from vciso.report import Branding, build_report
from vciso.roadmap import make_phases
from vciso.roadmap_store import regenerate_roadmap
from vciso.workspace import Workspace

MARKUP_NOTE = '<b>Tom & Jerry</b> = "ok"'
REPORT_SECTIONS = ("Contents", "Executive summary", "Scorecard", "Maturity profile", "Roadmap", "Findings",
                   "Methodology")
BRANDING = Branding("Northwind Advisory", "Jane Consultant")


@pytest.fixture(scope="module")
def essentials():
    return load_library().get("small-business-essentials")


@pytest.fixture
def workspace(tmp_path) -> Workspace:
    return Workspace(tmp_path / "ws")


@pytest.fixture(scope="module")
def demo_pdf(tmp_path_factory, essentials):
    """One fully answered Essentials report (with a markup note), shared by the read-only tests."""
    tmp = tmp_path_factory.mktemp("demo")
    first = essentials.locations[0].question.id
    client, assessment = make_client(Workspace(tmp / "ws"), "Bright Smile Dental Group", essentials,
                                     notes={first: MARKUP_NOTE})
    report = build_report(client, assessment.id, BRANDING)
    warnings = write_pdf(report, tmp / "report.pdf")
    client.close()
    return PdfReader(str(tmp / "report.pdf")), report, warnings


def small_questionnaire(questions_per_section: int = 3):
    scale = {"id": "m", "name": "Maturity 0-4", "levels": [
        {"value": v, "label": f"Level {v}", "description": f"What level {v} looks like"} for v in range(5)]}
    return questionnaire_from_dict({
        "id": "small", "title": "Small check", "version": "1", "default_target": 3, "scales": [scale],
        "sections": [{"id": sid, "title": title, "questions": [
            {"id": f"{sid}-{i}", "title": f"{title} practice {i}", "text": f"Is {title.lower()} {i} in place?",
             "recommendation": f"Put {title.lower()} {i} in place.", "effort": "low" if i == 0 else "medium",
             "criticality": "high"} for i in range(questions_per_section)]}
            for sid, title in (("GOV", "Governance"), ("ACC", "Access control"), ("BAK", "Backups & recovery"))],
    })


def make_client(workspace: Workspace, name: str, questionnaire, *, answer: bool = True, notes: dict | None = None,
                level: int | None = None):
    client = workspace.create_client(name, industry="Dental practices")
    assessment = client.create_assessment(questionnaire, "Spring review")
    if answer:
        for i, loc in enumerate(questionnaire.locations):
            qid = loc.question.id
            client.save_answer(assessment.id, qid, current=level if level is not None else i % 4,
                               note=(notes or {}).get(qid, ""), flagged=i == 1)
        regenerate_roadmap(client, assessment.id)
    return client, assessment


def export(client, assessment, path: Path, branding: Branding = BRANDING) -> tuple[PdfReader, list[str]]:
    report = build_report(client, assessment.id, branding)
    warnings = write_pdf(report, path)
    return PdfReader(str(path)), warnings


def text_of(reader: PdfReader) -> str:
    return "\n".join(page.extract_text() for page in reader.pages)


def flat(text: str) -> str:
    """Extracted text with line wrapping undone (words are wrapped at spaces)."""
    return re.sub(r"\s+", " ", text)


def outline_titles(outline) -> list[str]:
    titles = []
    for entry in outline:
        if isinstance(entry, list):
            titles += outline_titles(entry)
        else:
            titles.append(entry.title)
    return titles


# --------------------------------------------------------------------------- content


def test_report_text_has_client_sections_domains_roadmap_and_markup_note_verbatim(demo_pdf, essentials):
    reader, report, warnings = demo_pdf
    text = text_of(reader)
    assert warnings == []
    assert "Bright Smile Dental Group" in text
    for title in REPORT_SECTIONS:
        assert title in text
    for domain in essentials.sections:
        assert domain.title in text
    assert report.roadmap, "the fixture must produce roadmap items"
    for item in report.roadmap:
        assert flat(item.title) in flat(text)
    assert MARKUP_NOTE in flat(text)
    assert "&amp;" not in text


def test_outline_has_every_report_section_and_domain(demo_pdf, essentials):
    reader = demo_pdf[0]
    titles = outline_titles(reader.outline)
    top_level = [e.title for e in reader.outline if not isinstance(e, list)]
    assert list(REPORT_SECTIONS) == [t for t in top_level if t in REPORT_SECTIONS]
    for domain in essentials.sections:
        assert domain.title in titles


def test_metadata_names_the_report(demo_pdf):
    meta = demo_pdf[0].metadata
    assert "Bright Smile Dental Group" in meta.title and "Spring review" in meta.title
    assert meta.author == "Jane Consultant"
    assert "Bright Smile Dental Group" in meta.subject
    assert "vCISO Workbench" in meta.creator


def test_every_page_after_the_cover_says_page_x_of_y_and_confidential(demo_pdf):
    reader = demo_pdf[0]
    total = len(reader.pages)
    assert total > 5
    assert "CONFIDENTIAL" in reader.pages[0].extract_text().upper()
    for number, page in enumerate(reader.pages[1:], start=2):
        text = page.extract_text()
        assert f"Page {number} of {total}" in text
        assert "Bright Smile Dental Group" in text and "CONFIDENTIAL" in text


def test_contents_lists_sections_with_their_page_numbers(demo_pdf):
    reader = demo_pdf[0]
    contents = reader.pages[1].extract_text()
    pages = {i + 1: page.extract_text() for i, page in enumerate(reader.pages)}
    for title in ("Executive summary", "Scorecard", "Findings", "Methodology"):
        # pypdf gives each entry either as "title . . . 7" or as ". . . 7" then "title" (the leader
        # and the number are drawn after the title's text)
        match = (re.search(re.escape(title) + r"[ .]*?(\d+)\s*$", contents, re.MULTILINE)
                 or re.search(r"(\d+)\s*\n\s*" + re.escape(title) + r"\s*$", contents, re.MULTILINE))
        assert match, title
        assert title in pages[int(match.group(1))]


def test_flagged_answers_are_marked_in_the_findings(demo_pdf):
    text = text_of(demo_pdf[0])
    assert "Follow-up" in text


def test_cyrillic_and_greek_client_names_are_extracted_exactly(workspace, essentials, tmp_path):
    for name in ("ООО Ромашка", "Αθηναϊκή Οδοντιατρική"):
        client, assessment = make_client(workspace, name, essentials,
                                         notes={"ACC-01": f"Заметка — σημείωση {name}"})
        reader, warnings = export(client, assessment, tmp_path / f"{client.profile().id}.pdf")
        text = text_of(reader)
        assert name in text
        assert f"Заметка — σημείωση {name}" in flat(text)
        assert name in reader.metadata.title
        assert warnings == []


def test_chinese_and_japanese_notes_are_rendered_not_dropped(workspace, essentials, tmp_path):
    client, assessment = make_client(workspace, "北京牙科诊所", essentials,
                                     notes={"ACC-01": "备份没有测试。", "ACC-02": "日本語のメモです"})
    reader, _ = export(client, assessment, tmp_path / "cjk.pdf")
    text = text_of(reader)
    assert "北京牙科诊所" in text
    assert "备份没有测试" in text
    assert "日本語のメモです" in text


def test_emoji_and_uncovered_characters_become_a_visible_placeholder(workspace, essentials, tmp_path):
    fonts = load_fonts()
    assert fonts.markup("ok 🦄 👨‍👩‍👧 done") == f"ok {PLACEHOLDER} {PLACEHOLDER} done"
    assert fonts.markup("a < b & c\nnext") == "a &lt; b &amp; c<br/>next"
    client, assessment = make_client(workspace, "Emoji Bakery 🧁", essentials,
                                     notes={"ACC-01": "Great team 😀🦄 — 👍🏽 thanks\u0007"})
    reader, _ = export(client, assessment, tmp_path / "emoji.pdf")
    text = flat(text_of(reader))
    assert f"Emoji Bakery {PLACEHOLDER}" in text
    assert "Great team" in text and "thanks" in text


def test_line_breaks_and_spaces_in_notes_are_kept(workspace, essentials, tmp_path):
    client, assessment = make_client(workspace, "Layout Co", essentials,
                                     notes={"ACC-01": "First line\nSecond line"})
    reader, _ = export(client, assessment, tmp_path / "lines.pdf")
    assert re.search(r"First line\s*\n\s*Second line", text_of(reader))


def test_page_count_grows_with_answered_questions_and_notes(workspace, tmp_path):
    long_note = "Observed during the walkthrough: the control exists but is applied unevenly. " * 6
    small = small_questionnaire(2)
    big = small_questionnaire(25)
    c1, a1 = make_client(workspace, "Small Co", small)
    c2, a2 = make_client(workspace, "Big Co", big, notes={q.id: long_note for q in big.questions()})
    small_pages = len(export(c1, a1, tmp_path / "small.pdf")[0].pages)
    big_pages = len(export(c2, a2, tmp_path / "big.pdf")[0].pages)
    assert big_pages > small_pages + 5


def test_comparison_adds_a_progress_section(workspace, essentials, tmp_path):
    client, first = make_client(workspace, "Follow Up Ltd", essentials, level=1)
    second = client.create_assessment(essentials, "Autumn review", based_on=first.id,
                                      assessment_date="2099-01-01")
    for loc in essentials.locations[:10]:
        client.save_answer(second.id, loc.question.id, current=3)
    reader, _ = export(client, second, tmp_path / "progress.pdf")
    assert "Progress since the previous assessment" in outline_titles(reader.outline)
    assert "risen from 1.0 to" in flat(text_of(reader))


# --------------------------------------------------------------------------- paper size

LETTER = (612.0, 792.0)
A4 = (595.28, 841.89)
CONTENT_WIDTH = 170 / 25.4 * 72  # A4's 210 mm less two 20 mm margins, kept on Letter


def page_sizes(reader: PdfReader) -> set[tuple[float, float]]:
    return {(round(float(page.mediabox.width), 2), round(float(page.mediabox.height), 2)) for page in reader.pages}


def text_origins(page) -> list[tuple[float, float]]:  # type: ignore[no-untyped-def]
    """Where each piece of text on the page starts, in points from the bottom left."""
    origins = []

    def visit(text, cm, tm, font, size):  # type: ignore[no-untyped-def]
        if text.strip():
            x, y = tm[4], tm[5]
            origins.append((cm[0] * x + cm[2] * y + cm[4], cm[1] * x + cm[3] * y + cm[5]))

    page.extract_text(visitor_text=visit)
    return origins


@pytest.fixture(scope="module")
def both_papers(tmp_path_factory, essentials):
    """The same report on A4 (the default) and on US Letter."""
    tmp = tmp_path_factory.mktemp("papers")
    client, assessment = make_client(Workspace(tmp / "ws"), "Bright Smile Dental Group", essentials)
    a4, _ = export(client, assessment, tmp / "a4.pdf")
    letter, warnings = export(client, assessment, tmp / "letter.pdf",
                              Branding("Northwind Advisory", "Jane Consultant", paper_size="Letter"))
    client.close()
    assert warnings == []
    return a4, letter


def test_letter_branding_gives_letter_pages_and_a4_stays_the_default(both_papers):
    a4, letter = both_papers
    assert page_sizes(letter) == {LETTER}
    assert page_sizes(a4) == {A4}


def test_the_text_is_the_same_on_both_papers(both_papers, essentials):
    a4, letter = both_papers
    assert outline_titles(letter.outline) == outline_titles(a4.outline)
    text = flat(text_of(letter))
    assert set(re.findall(r"[^\W\d]+", text)) == set(re.findall(r"[^\W\d]+", text_of(a4)))  # all but numbers
    for title in ("Bright Smile Dental Group", *REPORT_SECTIONS, *(d.title for d in essentials.sections)):
        assert title in text
    total = len(letter.pages)
    for number, page in enumerate(letter.pages[1:], start=2):
        assert f"Page {number} of {total}" in page.extract_text()


def test_letter_pages_centre_the_content_and_keep_every_text_on_the_page(both_papers):
    _, letter = both_papers
    margin = (LETTER[0] - CONTENT_WIDTH) / 2
    for page in letter.pages[1:]:
        origins = text_origins(page)
        assert min(x for x, _ in origins) == pytest.approx(margin, abs=1)  # header, headings, tables
        assert all(0 < x < LETTER[0] and 0 < y < LETTER[1] for x, y in origins)


def test_letter_fits_long_names_many_sections_and_many_phases(workspace, tmp_path):
    levels = [{"value": v, "label": f"L{v}", "description": "d"} for v in range(5)]
    scale = {"id": "m", "name": "M", "levels": levels}
    many = questionnaire_from_dict({
        "id": "many", "title": "Many sections", "version": "1", "default_target": 4, "scales": [scale],
        "sections": [{"id": f"S{i}", "title": f"Section {i}", "questions": [
            {"id": f"S{i}-1", "text": "Is it done?", "recommendation": "Do it."}]} for i in range(26)]})
    name = "Greater Springfield Regional Dental Partners and Associated Orthodontic Clinics of the Tri-County Area"
    client, first = make_client(workspace, name, many, level=0)
    review = "Annual security maturity review for the board and the audit committee"
    second = client.create_assessment(many, review, based_on=first.id, assessment_date="2099-01-01")
    for i, loc in enumerate(many.locations):
        client.save_answer(second.id, loc.question.id, current=1 + i % 3)
    logo = tmp_path / "logo.png"
    from PIL import Image
    Image.new("RGB", (240, 80), (31, 78, 121)).save(logo)
    report = build_report(client, second.id, Branding("Firm", "Consultant", logo, paper_size="Letter"),
                          make_phases(range(10, 250, 10)))  # 24 phases: a timeline taller than a Letter page
    write_pdf(report, tmp_path / "tall.pdf")
    reader = PdfReader(str(tmp_path / "tall.pdf"))
    assert page_sizes(reader) == {LETTER}
    assert "Contents" in reader.pages[1].extract_text()  # the cover stayed on one page
    assert "Progress since the previous assessment" in outline_titles(reader.outline)
    assert "Timeline" in outline_titles(reader.outline)


# --------------------------------------------------------------------------- sparse and broken input


def test_empty_assessment_gives_a_sensible_report(workspace, essentials, tmp_path):
    client, assessment = make_client(workspace, "Empty Co", essentials, answer=False)
    reader, _ = export(client, assessment, tmp_path / "empty.pdf")
    text = flat(text_of(reader))
    assert "No questions have been answered yet" in text
    assert "Not answered" in text
    assert len(reader.pages) >= 5


def test_all_not_applicable_gives_a_sensible_report(workspace, essentials, tmp_path):
    client = workspace.create_client("All NA Ltd")
    assessment = client.create_assessment(essentials, "Nothing applies")
    for loc in essentials.locations:
        client.save_answer(assessment.id, loc.question.id, na_reason="Outsourced <entirely> & gone")
    reader, _ = export(client, assessment, tmp_path / "na.pdf")
    text = flat(text_of(reader))
    assert "marked not applicable" in text
    assert "Outsourced <entirely> & gone" in text
    assert "100%" in text


def test_broken_logo_is_reported_and_the_report_is_still_made(workspace, essentials, tmp_path):
    logo = tmp_path / "logo.png"
    logo.write_bytes(b"\x89PNG\r\n\x1a\n this is not really an image")
    client, assessment = make_client(workspace, "Logo Co", essentials)
    target = tmp_path / "logo.pdf"
    reader, warnings = export(client, assessment, target, Branding("Firm", "Consultant", logo))
    assert target.is_file() and len(reader.pages) > 3
    assert any("logo.png" in w and "could not be read" in w for w in warnings)
    _, missing = export(client, assessment, tmp_path / "m.pdf", Branding("Firm", "C", tmp_path / "nope.png"))
    assert any("nope.png" in w for w in missing)


def test_a_real_logo_is_drawn_on_the_cover(workspace, essentials, tmp_path):
    from PIL import Image
    logo = tmp_path / "logo.png"
    Image.new("RGB", (240, 80), (31, 78, 121)).save(logo)
    client, assessment = make_client(workspace, "Logo Co", essentials)
    reader, warnings = export(client, assessment, tmp_path / "logo.pdf", Branding("Firm", "C", logo))
    assert warnings == []
    cover = reader.pages[0]
    assert list(cover.images), "the logo must be on the cover"


def test_invalid_accent_colour_falls_back_with_a_warning(workspace, essentials, tmp_path):
    client, assessment = make_client(workspace, "Colour Co", essentials)
    _, warnings = export(client, assessment, tmp_path / "c.pdf", Branding("F", "C", None, "not-a-colour"))
    assert any("accent colour" in w for w in warnings)
    _, ok = export(client, assessment, tmp_path / "d.pdf", Branding("F", "C", None, "#ffcc00"))
    assert ok == []


# --------------------------------------------------------------------------- writing


def test_progress_steps_end_at_the_total_and_return_warnings(workspace, essentials, tmp_path):
    client, assessment = make_client(workspace, "Progress Co", essentials)
    report = build_report(client, assessment.id, BRANDING)
    steps = iter_write_pdf(report, tmp_path / "p.pdf")
    seen = []
    while True:
        try:
            seen.append(next(steps))
        except StopIteration as done:
            warnings = done.value
            break
    assert warnings == []
    numbers = [step for step, _, _ in seen]
    assert numbers == sorted(numbers)
    assert seen[-1][0] == seen[-1][1]
    assert all(isinstance(message, str) and message for _, _, message in seen)


def test_failure_mid_write_leaves_the_existing_file_untouched_and_no_temp_files(workspace, essentials, tmp_path,
                                                                                 monkeypatch):
    client, assessment = make_client(workspace, "Atomic Co", essentials)
    report = build_report(client, assessment.id, BRANDING)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    target = out_dir / "report.pdf"
    target.write_bytes(b"%PDF-1.4 the earlier report")

    def explode(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(pdf_sections, "methodology", explode)
    with pytest.raises(RuntimeError):
        write_pdf(report, target)
    assert target.read_bytes() == b"%PDF-1.4 the earlier report"
    assert sorted(p.name for p in out_dir.iterdir()) == ["report.pdf"]

    # and a failure during page layout (inside the atomic write) behaves the same
    monkeypatch.undo()
    monkeypatch.setattr(pdf_report.ReportDocument, "afterFlowable", explode)
    with pytest.raises(RuntimeError):
        write_pdf(report, target)
    assert target.read_bytes() == b"%PDF-1.4 the earlier report"
    assert sorted(p.name for p in out_dir.iterdir()) == ["report.pdf"]


def test_abandoned_progress_generator_leaves_no_file(workspace, essentials, tmp_path):
    client, assessment = make_client(workspace, "Cancel Co", essentials)
    report = build_report(client, assessment.id, BRANDING)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    steps = iter_write_pdf(report, out_dir / "report.pdf")
    for step, total, message in steps:
        if message.startswith("Laying out"):
            break
    steps.close()
    assert list(out_dir.iterdir()) == []


def test_written_file_is_private(workspace, essentials, tmp_path):
    client, assessment = make_client(workspace, "Private Co", essentials)
    target = tmp_path / "private.pdf"
    export(client, assessment, target)
    assert target.stat().st_mode & 0o077 == 0


# --------------------------------------------------------------------------- fonts, rules and extremes


def test_without_dejavu_the_report_falls_back_to_vera_with_a_warning(workspace, essentials, tmp_path, monkeypatch):
    monkeypatch.setattr(pdf_report, "load_fonts", lambda: load_fonts([]))
    client, assessment = make_client(workspace, "ООО Ромашка", essentials)
    reader, warnings = export(client, assessment, tmp_path / "vera.pdf")
    assert any("DejaVu" in w for w in warnings)
    assert len(reader.pages) > 5
    assert reader.metadata.title.startswith("ООО Ромашка")  # metadata is not limited by the font


@pytest.mark.parametrize("aggregation, column", [("staged", "Stage"), ("min", "Weakest")])
def test_staged_and_minimum_rules_and_huge_texts_lay_out(workspace, tmp_path, aggregation, column):
    scale = {"id": "s", "name": "Stages", "pass_threshold": 2,
             "levels": [{"value": v, "label": f"L{v}", "description": f"d{v}"} for v in range(4)]}
    huge = "An enormous imported control statement. " * 300
    questionnaire = questionnaire_from_dict({
        "id": "edge", "title": "Edge", "version": "1", "aggregation": aggregation, "default_target": 2,
        "scales": [scale], "sections": [
            {"id": "A", "title": "Alpha <&> section", "questions": [
                {"id": "A1", "title": "Huge", "text": huge, "stage": 1}, {"id": "A2", "text": "x", "stage": 2}]},
            {"id": "B", "title": "Beta", "sections": [{"id": "B1", "title": "Beta sub", "questions": [
                {"id": "B1-1", "text": "y", "stage": 1}]}]}]})
    client = workspace.create_client("Edge Co")
    assessment = client.create_assessment(questionnaire, "Edge")
    client.save_answer(assessment.id, "A1", current=0, note="A very long note. " * 2500)
    client.save_answer(assessment.id, "A2", current=1)
    client.save_answer(assessment.id, "B1-1", current=3)
    regenerate_roadmap(client, assessment.id)
    reader, _ = export(client, assessment, tmp_path / "edge.pdf")
    text = flat(text_of(reader))
    assert column in text
    assert "Alpha <&> section" in text and "Beta sub" in text
    assert len(reader.pages) > 15


def test_a_white_accent_is_darkened_with_a_warning(workspace, essentials, tmp_path):
    client, assessment = make_client(workspace, "Pale Co", essentials)
    _, warnings = export(client, assessment, tmp_path / "pale.pdf", Branding("F", "C", None, "#FFFFFF"))
    assert any("too light" in w for w in warnings)
