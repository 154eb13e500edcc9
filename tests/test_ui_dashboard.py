"""The dashboard shows the same figures as the scoring engine, and the change since the baseline."""

from __future__ import annotations

from vciso.clientfile import ClientFile
from vciso.report import build_report
from vciso.scoring import score_assessment
from ui.models import fmt, pct
from walkthrough_helpers import open_dashboard as _open_dashboard


def test_dashboard_figures_equal_the_scoring_engine(open_window, qtbot, demo_workspace):
    window, dashboard = _open_dashboard(open_window, qtbot, demo_workspace)
    path, assessment_id = window.open_path, window.page.assessment.id
    with ClientFile(path) as client:
        assessment = client.assessment(assessment_id)
        score = score_assessment(client.questionnaire(assessment_id), client.responses(assessment_id),
                                 assessment.default_target)
        report = build_report(client, assessment_id)
    overall = score.overall
    assert dashboard.kpi_current.value.text() == fmt(overall.current)
    assert dashboard.kpi_target.value.text() == fmt(overall.target)
    assert dashboard.kpi_completion.value.text() == pct(overall.completion)
    assert dashboard.kpi_progress.value.text() == pct(overall.percent_to_target)
    answered = [row for row in report.findings if row.status == "answered"]
    said = [row for row in answered if row.established]
    assert dashboard.kpi_evidence.value.text() == f"{len(said)} of {len(answered)}" == "7 of 27"
    assert "1 on evidence over a year old" in dashboard.kpi_evidence.detail.text()
    # the follow-up shows the change since the baseline
    assert not dashboard.kpi_change.isHidden()
    assert dashboard.kpi_change.value.text() == f"{report.comparison.overall.change:+.1f}"
    # one table row per domain, with its figures
    model = dashboard.model
    assert model.rowCount() == len(score.domains)
    for row, domain in enumerate(score.domains):
        assert model.index(row, 0).data() == domain.title
        assert model.index(row, 1).data() == fmt(domain.current)
        assert model.index(row, 3).data() == fmt(domain.gap)
    # radar and gap charts have one point / bar per domain
    area = next(s for s in dashboard.radar.series() if s.name() == "Current")
    assert area.upperSeries().count() == len(score.domains) + 1
    bars = dashboard.gaps.series()[0].barSets()[0]
    assert bars.count() == len(score.domains)
    from vciso.numbers import rounded
    assert [bars.at(i) for i in range(bars.count())] == [rounded(d.gap or 0.0, 1) for d in reversed(score.domains)]
    axis = next(a for a in dashboard.gaps.axes() if a.metaObject().className() == "QValueAxis")
    step = (axis.max() - axis.min()) / (axis.tickCount() - 1)
    assert step in (0.5, 1.0), "ticks on half or whole levels, never 0.25 printed as 0.2"


def test_dashboard_follows_new_answers(open_window, qtbot, demo_workspace):
    window, dashboard = _open_dashboard(open_window, qtbot, demo_workspace)
    before = dashboard.kpi_completion.value.text()
    window.view_actions[0].trigger()
    walkthrough = window.page.walkthrough
    walkthrough.next_unanswered()
    walkthrough.panel.choose_key("4")
    qtbot.waitUntil(lambda: window.ops.idle, timeout=10000)
    window.view_actions[1].trigger()
    qtbot.waitUntil(lambda: dashboard.kpi_completion.value.text() != before, timeout=10000)


def test_the_radar_leaves_out_domains_with_no_answers_and_says_so(open_window, qtbot, ui_env):
    from vciso.library import load_library
    from vciso.workspace import Workspace

    csf = load_library(None).get("nist-csf-2.0")
    with Workspace(ui_env).create_client("Partly answered") as client:
        aid = client.create_assessment(csf, "First look").id
        for question in csf.questions():
            if question.id.split(".")[0] in ("GV", "ID", "PR", "DE"):
                client.save_answer(aid, question.id, current=2)
    window, dashboard = _open_dashboard(open_window, qtbot, ui_env)
    area = next(s for s in dashboard.radar.series() if s.name() == "Current")
    assert area.upperSeries().count() == 4 + 1                       # four answered functions, closed
    assert min(area.upperSeries().at(i).y() for i in range(5)) > 1.99   # no point drawn at zero
    assert "2 domains with no answers left out" in dashboard.radar.title()
