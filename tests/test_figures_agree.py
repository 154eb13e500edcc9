"""Every figure is the same string wherever it appears: the PDF's text, the Word report's text, the
workbook's cells (as Excel shows them) and the app's dashboard, all through one rounding (halves up)."""

from __future__ import annotations

import importlib.util

import openpyxl
import pytest
from pypdf import PdfReader

from core_fixtures import make_tagged_client
from exports.excel_workbook import write_workbook
from exports.pdf_report import write_pdf
from vciso import numbers as num
from vciso.clientfile import ClientFile
from vciso.demo import create_demo
from vciso.library import load_library
from vciso.report import build_report
from vciso.workspace import Workspace


@pytest.fixture(scope="module", params=["demo", "csf", "ig1"])
def report(request, tmp_path_factory):
    folder = tmp_path_factory.mktemp(request.param)
    if request.param == "ig1":   # a report scoped to the questions tagged IG1 (tests/test_tag_scope.py)
        (folder / "ws").mkdir()
        path, aid = make_tagged_client(folder / "ws")
        with ClientFile(path) as client:
            return build_report(client, aid, tag="IG1")
    if request.param == "demo":
        with create_demo(Workspace(folder / "ws"), load_library(None)) as client:
            return build_report(client)
    csf = load_library(None).get("nist-csf-2.0")
    with Workspace(folder / "ws").create_client("CSF Full Ltd") as client:
        aid = client.create_assessment(csf, "Full").id
        for number, question in enumerate(csf.questions()):   # values that end in halves when averaged
            client.save_answer(aid, question.id, current=(number * 7) % 6, target=3 + number % 2)
        return build_report(client, aid)


def _shown(cell) -> str:
    """A cell's value as Excel shows it with its number format."""
    value, fmt = cell.value, cell.number_format
    if isinstance(value, (int, float)) and fmt.endswith("%"):
        return f"{value * 100:.0f}%"
    if isinstance(value, (int, float)) and fmt.startswith("0.0"):
        return f"{value:.1f}"
    return str(value)


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_the_scorecard_figures_are_the_same_in_the_pdf_and_the_workbook(report, tmp_path):
    write_pdf(report, tmp_path / "r.pdf")
    write_workbook(report, tmp_path / "r.xlsx")
    pdf = _flat(" ".join(page.extract_text() for page in PdfReader(str(tmp_path / "r.pdf")).pages))
    ws = openpyxl.load_workbook(tmp_path / "r.xlsx")["Summary"]
    table = ws.tables["SectionScores"]
    rows = {r[0].value: r for r in list(ws[table.ref])[1:]}
    for domain in report.score.domains:
        figures = [num.score(domain.current), num.score(domain.target), num.score(domain.gap)]
        assert " ".join(figures) in pdf, (domain.title, figures)          # one scorecard row of the PDF
        row = rows[domain.title]
        assert [_shown(c) for c in row[1:4]] == figures                    # the same strings in Excel
        assert _shown(row[5]) == num.percent(domain.percent_to_target)
    overall = report.score.overall
    assert f"{num.percent(overall.percent_to_target)} of the way to target" in pdf


def test_a_shown_gap_is_labelled_as_the_average_shortfall_wherever_it_is_not_target_minus_current(report,
                                                                                                   tmp_path):
    write_pdf(report, tmp_path / "r.pdf")
    pdf = _flat(" ".join(page.extract_text() for page in PdfReader(str(tmp_path / "r.pdf")).pages))
    differs = [d for d in report.score.domains
               if num.rounded(d.target) - num.rounded(d.current) != num.rounded(d.gap)]
    if differs:   # the figure is not target − current: it must say what it is, and the method explains it
        assert "Shortfall" in pdf and "average shortfall per answered question" in pdf


@pytest.mark.skipif(importlib.util.find_spec("exports.docx_report") is None, reason="no Word writer in this build")
def test_the_word_report_shows_the_same_figures(report, tmp_path):
    import docx

    from exports.docx_report import write_docx

    write_docx(report, tmp_path / "r.docx")
    document = docx.Document(str(tmp_path / "r.docx"))
    cells = [_flat(cell.text) for table in document.tables for row in table.rows for cell in row.cells]
    for domain in report.score.domains:
        for figure in (num.score(domain.current), num.score(domain.target), num.score(domain.gap)):
            assert figure in cells
