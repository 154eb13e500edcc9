"""The demo client and the plain report object the deliverables are built from."""

from __future__ import annotations

from pathlib import Path

from core_fixtures import worked_example_questionnaire
from vciso.demo import DEMO_NAME, create_demo
from vciso.library import load_library
from vciso.report import Branding, build_report
from vciso.roadmap_store import roadmap_items
from vciso.workspace import Workspace


def test_demo_is_a_realistic_partly_answered_client(tmp_path: Path):
    workspace = Workspace(tmp_path / "ws")
    with create_demo(workspace, load_library(None)) as client:
        profile = client.profile()
        assert profile.name == DEMO_NAME and profile.employees == 45
        baseline, follow_up = client.assessments()
        assert follow_up.based_on == baseline.id
        responses = client.responses(follow_up.id)
        questionnaire = client.questionnaire(follow_up.id)
        complete = sum(1 for r in responses.values() if r.is_complete)
        assert 0.5 < complete / questionnaire.question_count < 1  # partly answered
        assert any(r.note for r in responses.values()) and any(r.flagged for r in responses.values())
        assert any(r.is_na for r in responses.values())
        items = roadmap_items(client, follow_up.id)
        assert len(items) >= 10 and any(i.owner for i in items) and any(i.quick_win for i in items)


def test_report_holds_findings_roadmap_and_the_comparison(tmp_path: Path):
    workspace = Workspace(tmp_path / "ws")
    with create_demo(workspace, load_library(None)) as client:
        report = build_report(client, None, Branding("Northwind Advisory", "Jane Doe"))
    assert report.assessment.name == "Six-month follow-up"
    assert len(report.findings) == report.questionnaire.question_count
    assert report.comparison is not None and report.comparison.baseline.name == "Baseline assessment"
    assert report.comparison.overall.change is not None and report.comparison.overall.change > 0
    assert len(report.top_gaps) == 5 and report.strengths
    assert report.roadmap and report.phase_name(0) == "0–30 days"


def test_report_before_any_roadmap_was_saved_still_has_the_plan(tmp_path: Path):
    from core_fixtures import worked_example_questionnaire
    with Workspace(tmp_path / "ws").create_client("Fresh") as client:
        aid = client.create_assessment(worked_example_questionnaire()).id
        client.save_answer(aid, "A1", current=0)
        report = build_report(client, aid)
    assert [item.question_id for item in report.roadmap] == ["A1"]
    assert report.comparison is None


def test_a_strength_meets_its_target_on_enough_answers(tmp_path):
    from vciso.report import build_report, is_strength
    with Workspace(tmp_path / "ws").create_client("Acme") as client:
        aid = client.create_assessment(worked_example_questionnaire(), "First").id
        client.save_answer(aid, "A1", current=3)            # A: 1 of 4 answered, at target
        for qid in ("B1", "B2"):
            client.save_answer(aid, qid, current=4)         # B: all answered, above target
        report = build_report(client, aid)
    by_id = {d.id: d for d in report.score.domains}
    assert not is_strength(by_id["A"]) and is_strength(by_id["B"])
    assert [d.id for d in report.strengths] == ["B"]
