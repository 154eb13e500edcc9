"""Every item model of the UI passes Qt's model tester with real data."""

from __future__ import annotations

import pytest

from vciso.answer_import import ImportRow, plan_import
from vciso.clientfile import ClientFile
from vciso.library import load_library
from vciso.report import build_report
from vciso.roadmap import DEFAULT_PHASES
from vciso.roadmap_store import roadmap_items
from vciso.workspace import Workspace
from ui.dialogs.import_preview import describe_response
from ui.models import (AssessmentListModel, ClientListModel, ErrorRole, ImportPreviewModel, LibraryTableModel,
                       SectionScoreModel)
from ui.roadmap_model import RoadmapFilterProxy, RoadmapTableModel
from ui.walkthrough_model import QuestionFilterProxy, QuestionTreeModel


@pytest.fixture
def demo(demo_workspace):
    (demo_workspace / "broken.vciso").write_bytes(b"not a database at all")
    workspace = Workspace(demo_workspace)
    listing = next(entry for entry in workspace.list_clients() if entry.ok)
    client = ClientFile(listing.path)
    yield workspace, client
    client.close()


def test_client_and_assessment_models(qtmodeltester, demo):
    workspace, client = demo
    clients = ClientListModel()
    clients.set_listings(workspace.list_clients())
    qtmodeltester.check(clients)
    assert clients.rowCount() == 2
    broken = clients.index(clients.row_of("broken"))
    assert "not a client file" in broken.data(ErrorRole)
    assessments = AssessmentListModel()
    assessments.set_assessments(client.assessments())
    qtmodeltester.check(assessments)
    assert assessments.index(0).data() == "Six-month follow-up"  # newest first


def test_library_and_import_preview_models(qtmodeltester, demo):
    _workspace, client = demo
    library = LibraryTableModel()
    library.set_entries(load_library(None).entries)
    qtmodeltester.check(library)
    assert library.rowCount() >= 3
    follow_up = client.assessment()
    fresh = client.create_assessment(client.questionnaire(follow_up.id), "Fresh")
    client.save_answer(fresh.id, "ACC-01", current=1)
    client.save_answer(fresh.id, "ACC-02", current=2)
    client.save_answer(fresh.id, "ACC-03", current=3, evidence="MFA report, March")
    rows = [ImportRow("row 2", "ACC-01", level=4), ImportRow("row 3", "DAT-03", level="Mostly"),
            ImportRow("row 4", "ACC-02", level=2), ImportRow("row 5", "NOPE-1", level=1),
            ImportRow("row 6", "ACC-03", evidence="MFA report, June")]
    plan = plan_import(client, fresh.id, rows, "answers.xlsx")
    assert plan.problems  # the unknown question id
    preview = ImportPreviewModel()
    preview.set_plan(plan, describe_response(client.questionnaire(fresh.id)))
    qtmodeltester.check(preview)
    kinds = {preview.index(r, 0).data() for r in range(preview.rowCount())}
    assert kinds == {"Changed", "New", "Unchanged"}
    shown = {preview.index(r, 1).data(): [preview.index(r, c).data() for c in range(preview.columnCount())]
             for r in range(preview.rowCount())}
    assert shown["ACC-01"][4] == "level"
    assert shown["ACC-03"][2:] == ["3 – Always (evidence)", "3 – Always (evidence)", "evidence"]


def test_section_score_model(qtmodeltester, demo):
    _workspace, client = demo
    report = build_report(client)
    model = SectionScoreModel()
    model.set_scores(report.score.domains, {s.section_id: s.change for s in report.comparison.sections})
    qtmodeltester.check(model)
    assert model.rowCount() == len(report.score.domains)


def test_question_tree_model_and_filter(qtmodeltester, demo):
    _workspace, client = demo
    follow_up = client.assessment()
    questionnaire = client.questionnaire(follow_up.id)
    model = QuestionTreeModel()
    model.set_assessment(questionnaire, client.responses(follow_up.id))
    qtmodeltester.check(model)
    proxy = QuestionFilterProxy()
    proxy.setSourceModel(model)
    proxy.set_mode("unanswered")
    qtmodeltester.check(proxy)
    proxy.set_text("backup")
    qtmodeltester.check(proxy)
    # answering updates the section's progress
    top = model.index(0, 1)
    before = top.data()
    from vciso.responses import Response
    first = questionnaire.sections[0].questions[0].id
    model.update_response(Response(first, None, None, "", "", False))
    assert model.index(0, 1).data() != before


def test_roadmap_model_and_filter(qtmodeltester, demo):
    _workspace, client = demo
    model = RoadmapTableModel()
    model.set_phases([p.name for p in DEFAULT_PHASES])
    model.set_items(roadmap_items(client, client.assessment().id))
    qtmodeltester.check(model)
    proxy = RoadmapFilterProxy()
    proxy.setSourceModel(model)
    proxy.set_status("Not started")
    qtmodeltester.check(proxy)
    assert 0 < proxy.rowCount() < model.rowCount()
