"""A report scoped to a tag (e.g. the CIS Implementation Group IG1): only the questions carrying it, in the
score, findings, comparison, trend, roadmap and evidence; every deliverable says the scope in the same
words; the command line's `export … --tag` and its unknown-tag error."""

from __future__ import annotations

import docx
import openpyxl
import pytest
from pypdf import PdfReader

from core_fixtures import IG1_TITLES, OTHER_TITLES, make_tagged_client
from exports.docx_report import write_docx
from exports.excel_workbook import write_workbook
from exports.pdf_report import write_pdf
from exports.progress_report import write_progress_pdf
from vciso import narrative as nv
from vciso.clientfile import ClientFile
from vciso.errors import UnknownTag
from vciso.report import build_report
from vciso.scoring import score_assessment

IG1 = ("ID-1", "PR-1", "PR-2", "PR-3")
PHRASE = "questions tagged IG1 — Basic cyber hygiene (4 of 7 questions)"


@pytest.fixture(scope="module")
def tagged(tmp_path_factory):
    """(client file path, follow-up id, the IG1 report, the whole report)."""
    folder = tmp_path_factory.mktemp("tagged") / "ws"
    folder.mkdir()
    path, aid = make_tagged_client(folder)
    with ClientFile(path) as client:
        return path, aid, build_report(client, aid, tag="ig1"), build_report(client, aid)


def _flat(text: str) -> str:
    return " ".join(text.split())


def _pdf_pages(path) -> list[str]:
    return [_flat(page.extract_text()) for page in PdfReader(str(path)).pages]


def _docx_text(path) -> str:
    document = docx.Document(str(path))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return _flat(" ".join(parts))


# ------------------------------------------------------------------ the report


def test_the_report_holds_only_the_questions_with_the_tag(tagged):
    path, aid, report, whole = tagged
    assert (report.scope.tag, report.scope.label) == ("IG1", "IG1 — Basic cyber hygiene")  # any case matches
    assert (report.scope.questions, report.scope.total) == (4, 7)
    assert tuple(f.question_id for f in report.findings) == IG1
    assert [d.title for d in report.score.domains] == ["Identify", "Protect"]   # Respond has no IG1 question
    with ClientFile(path) as client:
        expected = score_assessment(client.questionnaire(aid), client.responses(aid), tag="IG1")
    assert report.score == expected and report.score.overall.current == pytest.approx(2.0)
    # the earlier assessment on the same questions: 1, 0, 1, 2 then
    assert report.comparison.overall.baseline == pytest.approx(1.0)
    assert [s.title for s in report.comparison.sections] == ["Identify", "Protect"]
    assert report.trend.overall_series == pytest.approx([1.0, 2.0])
    assert report.trend.domain_titles == ("Identify", "Protect")
    assert whole.trend.overall_series != report.trend.overall_series


def test_the_roadmap_keeps_the_tagged_questions_actions_and_the_consultants_own(tagged):
    _path, _aid, report, whole = tagged
    assert {i.question_id for i in whole.roadmap} >= {"ID-2", "PR-4"}          # IG2-only gaps in the whole plan
    kept = [(i.question_id, i.title) for i in report.roadmap]
    assert kept == [(i.question_id, i.title) for i in whole.roadmap if i.question_id in IG1 + (None,)]
    assert (None, "Appoint a security champion") in kept                       # the plan's own action stays
    # the same items, unchanged: phases and due dates are the whole plan's
    assert {i.id: (i.phase, i.due_date) for i in report.roadmap} == \
        {i.id: (i.phase, i.due_date) for i in whole.roadmap if i.id in {k.id for k in report.roadmap}}
    assert all(a.question_id in IG1 + (None,) for a in report.top_actions)
    assert "1 action added by the consultant, which belongs to no question" in " ".join(nv.scope_paragraphs(report))


def test_the_evidence_index_lists_only_the_tagged_questions(tagged):
    _path, _aid, report, whole = tagged
    assert {e.question_id for e in whole.evidence} == {"ID-1", "PR-4"}
    assert [e.question_id for e in report.evidence] == ["ID-1"]
    assert [(row.question_id, row.file_name) for row in nv.evidence_index(report)] == [
        ("ID-1", "inventory.csv"), ("PR-3", "")]


def test_without_a_tag_nothing_changes(tagged):
    path, aid, _report, whole = tagged
    assert whole.scope is None and len(whole.findings) == 7
    assert nv.scope_phrase(whole) == ""
    assert not any(k == "Scope" for k, _ in nv.about_pairs(whole) + nv.cover_pairs(whole))
    assert nv.scope_paragraphs(whole)[0].startswith("Scope: this assessment covers Tagged Firm Ltd against the "
                                                    "Tagged Controls questionnaire (7 questions in 3 areas)")


def test_an_unknown_tag_names_the_tags_there_are(tagged):
    path, aid, _report, _whole = tagged
    with ClientFile(path) as client, pytest.raises(UnknownTag, match=r"carries the tag 'IG9' \(tags: IG1, IG2\)"):
        build_report(client, aid, tag="IG9")


# ------------------------------------------------------------------ the deliverables


def test_the_pdf_states_the_scope_and_holds_only_the_tagged_questions(tagged, tmp_path):
    _path, _aid, report, _whole = tagged
    write_pdf(report, tmp_path / "ig1.pdf")
    pages = _pdf_pages(tmp_path / "ig1.pdf")
    assert f"Scope {PHRASE}" in pages[0]                                       # the cover
    about = next(p for p in pages if "About this assessment" in p and "Report generated" in p)
    assert f"Scope {PHRASE}" in about                                           # the about table
    summary = next(p for p in pages if "Executive summary" in p and "What to do first" in p)
    assert f"On the {PHRASE}:" in summary                                       # the CEO page, read alone
    assert all("Follow-up · IG1 questions only" in p for p in pages[1:])        # every page's footer
    text = " ".join(pages)
    assert f"Scope: {PHRASE}" in text                                           # the scope paragraph
    assert all(title in text for title in IG1_TITLES)
    assert not any(title in text for title in OTHER_TITLES)
    assert "Respond" not in text and "vendors.pdf" not in text


def test_the_workbook_states_the_scope_and_holds_only_the_tagged_questions(tagged, tmp_path):
    _path, _aid, report, _whole = tagged
    write_workbook(report, tmp_path / "ig1.xlsx")
    book = openpyxl.load_workbook(tmp_path / "ig1.xlsx")
    summary = {row[0]: row[1] for row in book["Summary"].iter_rows(min_row=4, max_col=2, values_only=True)}
    assert summary["Scope"] == PHRASE
    responses = book["Responses"]
    column = [c.value for c in responses[1]].index("ID")
    assert tuple(row[column] for row in responses.iter_rows(min_row=2, values_only=True) if row[column]) == IG1
    roadmap_titles = {row[3] for row in book["Roadmap"].iter_rows(min_row=2, values_only=True)}
    assert "Appoint a security champion" in roadmap_titles
    assert not roadmap_titles & set(OTHER_TITLES)
    method = {row[1]: row[2] for row in book["Method"].iter_rows(min_row=3, max_row=8, values_only=True)}
    assert method["Scope"] == PHRASE


def test_the_word_report_states_the_scope_and_holds_only_the_tagged_questions(tagged, tmp_path):
    _path, _aid, report, _whole = tagged
    write_docx(report, tmp_path / "ig1.docx")
    text = _docx_text(tmp_path / "ig1.docx")
    assert f"Scope {PHRASE}" in text                                            # the cover and the about table
    assert f"Scope: {PHRASE}" in text and f"On the {PHRASE}:" in text
    assert all(title in text for title in IG1_TITLES)
    assert not any(title in text for title in OTHER_TITLES)
    footer = docx.Document(str(tmp_path / "ig1.docx")).sections[0].footer.paragraphs[0].text
    assert footer.startswith("Follow-up · IG1 questions only")


def test_the_progress_report_states_the_scope(tagged, tmp_path):
    _path, _aid, report, _whole = tagged
    write_progress_pdf(report, tmp_path / "progress.pdf")
    pages = _pdf_pages(tmp_path / "progress.pdf")
    assert f"Scope: {PHRASE}" in pages[0]
    assert not any(title in " ".join(pages) for title in OTHER_TITLES)


def test_the_scoped_figures_agree_in_the_pdf_the_workbook_and_the_word_report(tagged, tmp_path):
    """The scope's counts and the overall figures are the same strings in all three."""
    from vciso import numbers as num

    _path, _aid, report, _whole = tagged
    write_pdf(report, tmp_path / "r.pdf")
    write_workbook(report, tmp_path / "r.xlsx")
    write_docx(report, tmp_path / "r.docx")
    pdf = " ".join(_pdf_pages(tmp_path / "r.pdf"))
    word = _docx_text(tmp_path / "r.docx")
    summary = openpyxl.load_workbook(tmp_path / "r.xlsx")["Summary"]
    cells = {row[0]: row[1] for row in summary.iter_rows(min_row=4, max_col=2, values_only=True)}
    overall = report.score.overall
    assert cells["Scope"] == PHRASE and PHRASE in pdf and PHRASE in word
    assert cells["Questions answered / N/A / unanswered"] == "4 / 0 / 0 (of 4)"
    assert cells["Current maturity (of 5)"] == overall.current
    for text in (pdf, word):
        assert f"{num.percent(overall.percent_to_target)} of the way to target" in text
        assert f"complete ({overall.complete} of {overall.total} questions)" in text


# ------------------------------------------------------------------ the command line


@pytest.fixture
def cli_tagged(cli, tmp_path):
    folder = tmp_path / "ws"
    folder.mkdir()
    make_tagged_client(folder)
    return cli


@pytest.mark.parametrize("kind, suffix", [("pdf", "pdf"), ("xlsx", "xlsx"), ("docx", "docx"),
                                          ("progress", "pdf")])
def test_export_with_a_tag_writes_the_scoped_deliverable(cli_tagged, tmp_path, kind, suffix):
    out = tmp_path / f"ig1.{suffix}"
    code, stdout, err = cli_tagged("export", kind, "Tagged Firm Ltd", "--tag", "ig1", "-o", str(out))
    assert (code, err) == (0, "") and stdout.strip() == f"Wrote {out}"
    if suffix == "pdf":
        text = " ".join(_pdf_pages(out))
    elif suffix == "docx":
        text = _docx_text(out)
    else:
        book = openpyxl.load_workbook(out)
        text = " ".join(str(v) for ws in book for row in ws.iter_rows(values_only=True) for v in row if v)
    assert PHRASE in text and not any(title in text for title in OTHER_TITLES)


def test_export_with_an_unknown_tag_is_one_line_and_writes_nothing(cli_tagged, tmp_path):
    out = tmp_path / "ig9.pdf"
    code, stdout, err = cli_tagged("export", "pdf", "Tagged Firm Ltd", "--tag", "IG9", "-o", str(out))
    assert code == 1 and stdout == "" and not out.exists()
    assert err == "vciso: no question of Tagged Controls carries the tag 'IG9' (tags: IG1, IG2)\n"


def test_a_tag_is_refused_for_a_deliverable_that_is_never_scoped(cli_tagged, tmp_path):
    out = tmp_path / "q.xlsx"
    code, _stdout, err = cli_tagged("export", "questionnaire", "Tagged Firm Ltd", "--tag", "IG1", "-o", str(out))
    assert code == 1 and not out.exists()
    assert err == "vciso: --tag is for the pdf, xlsx, docx and progress exports only\n"


MAPPING = """format: vciso-mapping/1
source: {id: tagged-controls, version: "1", title: Tagged Controls}
target: {id: nist-csf-2.0, version: "2.0", title: NIST CSF 2.0}
entries:
  - {source: ID-1, target: ID.AM-01, relationship: equal}
  - {source: ID-2, target: ID.AM-02, relationship: equal}
  - {source: PR-4, target: GV.SC-07, relationship: equal}
"""


def test_the_coverage_of_a_scoped_deliverable_counts_only_the_tagged_answers(cli_tagged, tmp_path):
    from vciso.crosswalk import assessment_coverage, load_mappings
    from vciso.library import load_library

    library = tmp_path / "lib"   # the command line's user library (tests/conftest.py `cli`)
    (library / "mappings").mkdir(parents=True)
    (library / "mappings" / "tagged.yaml").write_text(MAPPING, encoding="utf-8")
    path = next((tmp_path / "ws").glob("*.vciso"))
    with ClientFile(path) as client:
        whole = assessment_coverage(client, None, "nist-csf-2.0", load_library(None), load_mappings(library))
        ig1 = assessment_coverage(client, None, "nist-csf-2.0", load_library(None), load_mappings(library),
                                  tag="IG1")
    assert (whole.totals.covered, ig1.totals.covered) == (3, 1)
    assert [r.id for r in ig1.requirements() if r.sources] == ["ID.AM-01"]
    out = tmp_path / "ig1.xlsx"
    code, _stdout, err = cli_tagged("export", "xlsx", "Tagged Firm Ltd", "--tag", "IG1", "--coverage",
                                    "nist-csf-2.0", "-o", str(out))
    assert (code, err) == (0, "")
    sheet = openpyxl.load_workbook(out)["Coverage"]
    text = " ".join(str(v) for row in sheet.iter_rows(values_only=True) for v in row if v)
    assert "ID.AM-01" in text and "ID-1" in text and "PR-4" not in text and "ID-2" not in text
