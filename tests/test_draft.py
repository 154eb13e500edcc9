"""Assessments are in progress or final: finalising is recorded, a final assessment is read-only until it is
reopened, and every deliverable of an assessment that is not final says DRAFT."""

from __future__ import annotations

import json

import openpyxl
import pytest
from pypdf import PdfReader

from core_fixtures import worked_example_questionnaire
from exports.excel_workbook import write_workbook
from exports.pdf_report import write_pdf
from vciso.errors import AssessmentFinal
from vciso.report import build_report
from vciso.roadmap_store import add_roadmap_item, regenerate_roadmap
from vciso.workspace import Workspace


@pytest.fixture
def client(tmp_path):
    with Workspace(tmp_path / "ws").create_client("Acme") as opened:
        yield opened


def _pdf_text(path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(str(path)).pages)


def _summary_text(path) -> str:
    ws = openpyxl.load_workbook(path)["Summary"]
    return "\n".join(str(c.value) for row in ws.iter_rows() for c in row if c.value is not None)


def test_finalising_is_recorded_and_makes_the_assessment_read_only_until_reopened(client):
    aid = client.create_assessment(worked_example_questionnaire(), "Spring").id
    client.save_answer(aid, "A1", current=1)
    regenerate_roadmap(client, aid)
    final = client.finalise_assessment(aid, by="Dana Whitfield")
    assert final.status == "final"
    for write in (lambda: client.save_answer(aid, "A2", current=3), lambda: regenerate_roadmap(client, aid),
                  lambda: add_roadmap_item(client, aid, "New item"),
                  lambda: client.update_assessment(aid, name="Renamed")):
        with pytest.raises(AssessmentFinal, match="“Spring” is final; reopen it to change it"):
            write()
    client.reopen_assessment(aid, by="Dana Whitfield")
    client.save_answer(aid, "A2", current=3)
    events = client.assessment_events(aid)
    assert [(e.event, e.actor) for e in events] == [("finalised", "Dana Whitfield"), ("reopened", "Dana Whitfield")]
    assert all(e.at for e in events)


def test_draft_is_on_every_deliverable_of_an_assessment_in_progress_and_on_none_of_a_final_one(client, tmp_path):
    aid = client.create_assessment(worked_example_questionnaire(), "Spring").id
    for qid, level in (("A1", 1), ("A2", 3), ("B1", 4), ("B2", 2)):
        client.save_answer(aid, qid, current=level)
    draft = build_report(client, aid)
    write_pdf(draft, tmp_path / "draft.pdf")
    write_workbook(draft, tmp_path / "draft.xlsx")
    pages = PdfReader(str(tmp_path / "draft.pdf")).pages
    assert all("DRAFT" in page.extract_text() for page in pages)        # the watermark, on every page
    assert "DRAFT — NOT FINAL" in pages[0].extract_text()
    assert "DRAFT — the assessment is still in progress" in _summary_text(tmp_path / "draft.xlsx")

    client.finalise_assessment(aid, by="Dana")
    final = build_report(client, aid)
    write_pdf(final, tmp_path / "final.pdf")
    write_workbook(final, tmp_path / "final.xlsx")
    assert "DRAFT" not in _pdf_text(tmp_path / "final.pdf")
    assert "DRAFT" not in _summary_text(tmp_path / "final.xlsx")


def test_finalise_and_reopen_from_the_command_line(cli):
    cli("client", "new", "Acme")
    cli("assessment", "new", "Acme", "small-business-essentials", "--name", "Visit")
    code, out, err = cli("assessment", "finalise", "Acme")
    assert code == 0 and "is final" in out
    code, out, err = cli("answer", "Acme", "", "ACC-01", "2")
    assert code == 1 and err == "vciso: “Visit” is final; reopen it to change it\n"
    assert cli("assessment", "reopen", "Acme", "Visit")[0] == 0
    assert cli("answer", "Acme", "", "ACC-01", "2")[0] == 0
    assert json.loads(cli("assessment", "list", "Acme", "--json")[1])[0]["status"] == "in progress"


def test_the_app_finalises_shows_the_assessment_read_only_and_reopens_it(open_window, qtbot, demo_workspace,
                                                                         monkeypatch):
    from ui import prompts
    from vciso.clientfile import ClientFile

    window = open_window(demo_workspace)
    qtbot.waitUntil(lambda: window.page is not None and window.page.walkthrough.current_id is not None,
                    timeout=15000)
    assert window.finalise_action.isEnabled() and not window.reopen_action.isEnabled()
    monkeypatch.setattr(prompts, "confirm", lambda *a, **k: True)
    window.finalise_action.trigger()
    qtbot.waitUntil(lambda: window.page.walkthrough.read_only, timeout=10000)
    assert window.page.read_only_badge.text() == "Read-only — final — reopen it to change it"
    assert window.reopen_action.isEnabled() and not window.finalise_action.isEnabled()
    with ClientFile(window.open_path) as client:
        assessment = client.assessment(window.page.assessment.id)
        assert assessment.status == "final"
        assert client.assessment_events(assessment.id)[-1].event == "finalised"
    window.reopen_action.trigger()
    qtbot.waitUntil(lambda: not window.page.walkthrough.read_only, timeout=10000)
    with ClientFile(window.open_path) as client:
        assert client.assessment(window.page.assessment.id).status == "in progress"
