"""The trend over every assessment of a questionnaire: the core figures, the dashboard's line chart, the
PDF's progress section and the workbook's Trend sheet — with five assessments, one on a newer version."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.core_fixtures import scale_0_5
from vciso import numbers as num
from vciso.clientfile import ClientFile
from vciso.questionnaire import questionnaire_from_dict
from vciso.report import build_report
from vciso.responses import Response
from vciso.scoring import score_assessment
from vciso.trend import client_trend

DATES = ("2025-01-15", "2025-04-15", "2025-07-15", "2025-10-15", "2026-01-15")


def _small(version: str) -> object:
    """Three domains; version 2 adds A4 and drops B2 (the ids of the others stay)."""
    a = [{"id": f"A{i}", "text": f"a{i}"} for i in (1, 2, 3)] + ([{"id": "A4", "text": "a4"}] if version == "2" else [])
    b = [{"id": "B1", "text": "b1"}] + ([{"id": "B2", "text": "b2"}] if version == "1" else [])
    return questionnaire_from_dict({
        "id": "trendq", "title": "Trend questionnaire", "version": version, "default_target": 4,
        "scales": [scale_0_5()],
        "sections": [{"id": "A", "title": "Access", "questions": a}, {"id": "B", "title": "Backup", "questions": b},
                     {"id": "C", "title": "Continuity", "questions": [{"id": "C1", "text": "c1"}]}]})


@pytest.fixture
def small_client(tmp_path):
    """Five assessments of 'trendq': three on version 1, two follow-ups on version 2, each a follow-up of
    the one before (answers copied, then some changed), the earlier four final."""
    v1, v2 = _small("1"), _small("2")
    client = ClientFile(tmp_path / "small.vciso", create=True)
    client.initialise("Small Ltd")
    ids = []
    for index, date in enumerate(DATES):
        questionnaire = v1 if index < 3 else v2
        assessment = client.create_assessment(questionnaire, f"Review {index + 1}", assessment_date=date,
                                              based_on=ids[-1] if ids else None)
        ids.append(assessment.id)
        if index == 0:
            for qid in ("A1", "A2", "A3", "B1", "C1"):
                client.save_answer(assessment.id, qid, current=1)
            client.save_answer(assessment.id, "B2", current=5)
        else:
            client.save_answer(assessment.id, "A1", current=1 + index)
            client.save_answer(assessment.id, "C1", current=min(5, index))
        if index == 3:
            client.save_answer(assessment.id, "A4", current=3)
        if index < 4:
            client.finalise_assessment(assessment.id)
    yield client, ids
    client.close()


def test_the_trend_scores_every_assessment_by_question_id_oldest_first(small_client):
    client, ids = small_client
    trend = client_trend(client, "trendq")
    assert [p.assessment_id for p in trend.points] == ids
    assert [p.assessment_date for p in trend.points] == list(DATES)
    assert trend.domain_titles == ("Access", "Backup", "Continuity")
    assert trend.shown
    # Access: A1 climbs 1,2,3,4,5 beside A2 = A3 = 1; A4 (new in version 2) answered from the fourth on
    assert [num.score(v) for v in trend.domain_series(0)] == ["1.0", "1.3", "1.7", "2.3", "2.5"]
    # Backup: B2 (5 in the first three) is not in version 2, the reference, so B is B1 alone throughout
    assert trend.domain_series(1) == [1.0] * 5
    assert trend.domain_series(2) == [1.0, 1.0, 2.0, 3.0, 4.0]
    # overall: every answered question of version 2, as the scoring engine scores the latest assessment
    latest = score_assessment(_small("2"), client.responses(ids[-1]), None)
    assert trend.points[-1].overall == pytest.approx(latest.overall.current)
    assert [num.score(p.overall) for p in trend.points] == ["1.0", "1.2", "1.6", "2.2", "2.5"]


def test_the_reports_trend_stops_at_its_assessment(small_client):
    client, ids = small_client
    assert [p.assessment_id for p in build_report(client, ids[-1]).trend.points] == ids
    third = build_report(client, ids[2]).trend
    assert [p.assessment_date for p in third.points] == list(DATES[:3])
    first = build_report(client, ids[0]).trend
    assert len(first.points) == 1 and not first.shown


def test_other_questionnaires_are_not_on_the_trend(small_client, tmp_path):
    client, ids = small_client
    other = questionnaire_from_dict({"id": "other", "title": "Other", "version": "1", "scales": [scale_0_5()],
                                     "sections": [{"id": "X", "title": "X", "questions": [{"id": "X1", "text": "x"}]}]})
    client.create_assessment(other, "Elsewhere", assessment_date="2025-06-01")
    assert len(client_trend(client, "trendq").points) == 5
    assert len(client_trend(client, "other").points) == 1


# --------------------------------------------------------------------------- five CSF assessments


# each CSF function's level in the five assessments (Govern first): some climb, one slips back
LEVELS = ([1, 2, 2, 3, 4], [1, 1, 2, 3, 3], [2, 2, 3, 3, 4], [1, 2, 2, 2, 3], [0, 1, 1, 2, 2], [1, 1, 2, 1, 2])


def _csf_client(workspace, name: str = "Trend Ltd") -> tuple[object, list[int]]:
    """A client with five assessments of NIST CSF 2.0, a quarter apart, each a follow-up of the one
    before and better in some functions; the earlier four final. Returns the path and the ids."""
    from vciso.library import load_library
    from vciso.workspace import Workspace

    csf = load_library(None).get("nist-csf-2.0")
    functions = [section.id for section in csf.sections]
    ids: list[int] = []
    with Workspace(workspace).create_client(name) as client:
        for index, date in enumerate(DATES):
            assessment = client.create_assessment(csf, f"Q{index + 1} review", assessment_date=date,
                                                  based_on=ids[-1] if ids else None)
            ids.append(assessment.id)
            level = {f: LEVELS[k % len(LEVELS)][index] for k, f in enumerate(functions)}
            if index == 0:
                client.save_answers(assessment.id, [Response(q.id, current=level[q.id.split(".")[0]])
                                                    for q in csf.questions()], "test")
            else:  # a follow-up starts from the earlier answers: change those that moved
                earlier = {f: LEVELS[k % len(LEVELS)][index - 1] for k, f in enumerate(functions)}
                for question in csf.questions():
                    function = question.id.split(".")[0]
                    if level[function] != earlier[function]:
                        client.save_answer(assessment.id, question.id, current=level[function])
            if index < 4:
                client.finalise_assessment(assessment.id)
        path = client.path
    return path, ids


def test_the_dashboard_draws_the_trend_of_five_assessments(open_window, qtbot, ui_env, tmp_path):
    from PySide6.QtCore import Qt

    path, ids = _csf_client(ui_env)
    window = open_window(ui_env)
    qtbot.waitUntil(lambda: window.page is not None and window.page.walkthrough.current_id is not None,
                    timeout=15000)
    assert window.page.assessment.id == ids[-1]
    window.view_actions[1].trigger()
    qtbot.waitUntil(lambda: window.page.dashboard is not None and window.page.dashboard.report is not None,
                    timeout=15000)
    dashboard = window.page.dashboard
    assert dashboard.trend_view.isVisible()
    with ClientFile(path) as client:
        trend = client_trend(client, "nist-csf-2.0")
    series = {s.name(): s for s in dashboard.trend.series()}
    assert len(series) == len(trend.domain_titles) + 1
    overall = series["Overall"]
    assert overall.count() == 5
    assert [overall.at(i).y() for i in range(5)] == pytest.approx(trend.overall_series)
    assert [overall.at(i).x() for i in range(5)] == [dt.date.fromisoformat(d).toordinal() for d in DATES]
    governance = series[trend.domain_titles[0]]
    assert [governance.at(i).y() for i in range(5)] == pytest.approx(LEVELS[0])
    # the dates on the axis, as every screen writes them
    axis = next(a for a in dashboard.trend.axes(Qt.Orientation.Horizontal))
    assert axis.categoriesLabels() == [num.short_date(d) for d in DATES]
    window.resize(1400, 900)
    qtbot.wait(50)
    dashboard.scroll.ensureWidgetVisible(dashboard.trend_view)
    qtbot.wait(50)
    window.grab().save(str(tmp_path / "dashboard_trend.png"))
    dashboard.trend_view.grab().save(str(tmp_path / "trend_chart.png"))
    print("screenshots in", tmp_path)


def test_a_single_assessment_shows_no_trend(open_window, qtbot, ui_env):
    from vciso.library import load_library
    from vciso.workspace import Workspace

    csf = load_library(None).get("nist-csf-2.0")
    with Workspace(ui_env).create_client("Just one") as client:
        aid = client.create_assessment(csf, "First look").id
        client.save_answer(aid, csf.questions()[0].id, current=2)
    window = open_window(ui_env)
    qtbot.waitUntil(lambda: window.page is not None and window.page.walkthrough.current_id is not None,
                    timeout=15000)
    window.view_actions[1].trigger()
    qtbot.waitUntil(lambda: window.page.dashboard is not None and window.page.dashboard.report is not None,
                    timeout=15000)
    assert window.page.dashboard.trend_view.isHidden()


def _progress_pages(reader) -> list[str]:
    """The text of the PDF's progress section: from its heading to the page before the roadmap."""
    pages = [page.extract_text() or "" for page in reader.pages]
    over = next(i for i, text in enumerate(pages) if "Over every assessment" in text)
    start = max(i for i in range(over + 1) if "Progress since the previous assessment" in pages[i])
    end = next(i for i in range(over + 1, len(pages)) if "Roadmap" in pages[i].split("\n", 3)[-1][:400])
    return pages[start:end]


def test_the_pdf_progress_section_shows_the_trend_with_its_dates(tmp_path):
    from pypdf import PdfReader

    from exports.pdf_report import write_pdf

    path, ids = _csf_client(tmp_path / "ws")
    with ClientFile(path) as client:
        report = build_report(client, ids[-1])
    write_pdf(report, tmp_path / "report.pdf")
    section = "\n".join(_progress_pages(PdfReader(str(tmp_path / "report.pdf"))))
    for date in DATES:  # on the chart's axis and at the head of the table's column
        assert section.count(num.short_date(date)) >= 2, date
    assert f"from {num.long_date(DATES[0])} to {num.long_date(DATES[-1])}" in " ".join(section.split())
    # the overall score of each assessment, as written above its point and in the table
    for point in report.trend.points:
        assert section.count(num.score(point.overall)) >= 2


def test_the_workbook_has_a_trend_sheet_with_real_dates_scores_and_a_line_chart(tmp_path):
    from openpyxl import load_workbook

    from exports.excel_workbook import write_workbook
    from exports.xlsx_common import DATE_FORMAT

    path, ids = _csf_client(tmp_path / "ws")
    with ClientFile(path) as client:
        report = build_report(client, ids[-1])
        earlier = build_report(client, ids[0])
    write_workbook(report, tmp_path / "report.xlsx")
    wb = load_workbook(tmp_path / "report.xlsx")
    assert wb.sheetnames[:5] == ["Summary", "Responses", "Roadmap", "Method", "Trend"]
    ws = wb["Trend"]
    header = next(r for r in range(1, 10) if ws.cell(row=r, column=1).value == "Date")
    titles = [ws.cell(row=header, column=c).value for c in range(1, 4 + len(report.trend.domain_titles))]
    assert titles == ["Date", "Assessment", "Overall", *report.trend.domain_titles]
    rows = list(ws.iter_rows(min_row=header + 1, max_row=header + 5, values_only=True))
    assert [row[0] for row in rows] == [dt.datetime.fromisoformat(d) for d in DATES]  # real dates
    assert all(ws.cell(row=header + 1 + i, column=1).number_format == DATE_FORMAT for i in range(5))
    assert [row[1] for row in rows] == [f"Q{i} review" for i in range(1, 6)]
    # the scores, rounded once as the PDF and the app show them
    assert [row[2] for row in rows] == [num.rounded(p.overall) for p in report.trend.points]
    assert [num.score(row[2]) for row in rows] == ["1.1", "1.6", "2.1", "2.6", "3.3"]
    assert [[row[3 + k] for row in rows] for k in range(len(LEVELS))] == [[float(v) for v in levels]
                                                                          for levels in LEVELS]
    assert ws.cell(row=header + 6, column=1).value is None
    # a native line chart of the overall and every domain, over the date column
    (chart,) = ws._charts
    assert type(chart).__name__ == "LineChart"
    assert len(chart.series) == 1 + len(report.trend.domain_titles)
    assert chart.series[0].cat.numRef.f == f"'Trend'!$A${header + 1}:$A${header + 5}"
    assert ws.page_setup.orientation == "landscape" and ws.oddFooter.right.text == "Page &P of &N"
    for cells in ws.iter_rows(min_row=1, max_row=header + 5):
        for cell in cells:
            if cell.value is not None:
                assert cell.font.name, cell.coordinate
    # a workbook of the first assessment has no trend to show
    write_workbook(earlier, tmp_path / "first.xlsx")
    assert "Trend" not in load_workbook(tmp_path / "first.xlsx").sheetnames


def test_the_word_report_shows_the_trend_after_the_progress_table(tmp_path):
    import docx

    from exports.docx_report import write_docx

    path, ids = _csf_client(tmp_path / "ws")
    with ClientFile(path) as client:
        report = build_report(client, ids[-1])
    write_docx(report, tmp_path / "report.docx")
    document = docx.Document(str(tmp_path / "report.docx"))
    texts = [p.text for p in document.paragraphs]
    # (the contents list the headings first)
    start = max(i for i, text in enumerate(texts) if text == "Progress since the previous assessment")
    over = max(i for i, text in enumerate(texts) if text == "Over every assessment")
    assert start < over < max(i for i, text in enumerate(texts) if text == "Roadmap")
    assert f"from {num.long_date(DATES[0])} to {num.long_date(DATES[-1])}" in texts[over + 1]
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "Section"
                 and t.rows[0].cells[1].text == num.short_date(DATES[0]))
    assert [c.text for c in table.rows[0].cells] == ["Section", *[num.short_date(d) for d in DATES]]
    assert [c.text for c in table.rows[-1].cells] == ["Overall", "1.1", "1.6", "2.1", "2.6", "3.3"]
