"""The progress report: a short PDF for a board update from the demo (a final baseline and a follow-up in
progress): the scores then and now, what changed (limited by --since), plan progress, the next 90 days'
actions and the open flags; DRAFT rules, embedded fonts, the command line and the app's File menu."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess

import pytest
from pypdf import PdfReader

from exports.progress_report import next_actions, write_progress_pdf
from vciso import numbers as num
from vciso.demo import create_demo
from vciso.library import load_library
from vciso.plan import progress_sentence
from vciso.report import build_report
from vciso.roadmap_store import roadmap_items, update_roadmap_item
from vciso.workspace import Workspace


@pytest.fixture
def demo(tmp_path):
    with create_demo(Workspace(tmp_path / "ws"), load_library(None)) as client:
        yield client


def _text(path) -> tuple[int, str]:
    reader = PdfReader(str(path))
    return len(reader.pages), " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def _report(client):
    return build_report(client, client.assessments()[-1].id)


def test_the_demo_gives_a_short_report_with_the_figures_the_board_needs(demo, tmp_path):
    report = _report(demo)
    path = tmp_path / "progress.pdf"
    write_progress_pdf(report, path)
    pages, text = _text(path)
    assert 2 <= pages <= 4
    assert f"Page 2 of {pages}" in text
    previous = report.activity.previous
    assert previous is not None and previous.name == "Baseline assessment"
    # both overall scores, and the percent-to-target of both
    assert f"is {num.score(report.score.overall.current)} against a target" in text
    assert f"from {num.score(previous.overall)}" in text
    assert num.percent(report.score.overall.percent_to_target) in text
    assert num.percent(previous.percent_to_target) in text
    # a question that moved, by title
    move = report.activity.moves[0]
    assert move.title in text and "Questions that moved" in text
    # the plan progress line, the next 90 days and a flagged question
    assert " ".join(progress_sentence(report.plan_progress).split()) in text
    upcoming = next_actions(report)
    assert upcoming and upcoming[0].title in text and "Next 90 days" in text
    assert "Unassigned" in text
    flagged = [f for f in report.findings if f.flagged]
    assert flagged and flagged[0].title in text and "Open flags" in text


def test_draft_while_in_progress_and_not_once_final(demo, tmp_path):
    write_progress_pdf(_report(demo), tmp_path / "draft.pdf")
    assert "DRAFT" in _text(tmp_path / "draft.pdf")[1]
    demo.finalise_assessment(demo.assessments()[-1].id, by="Demo Consultant")
    write_progress_pdf(_report(demo), tmp_path / "final.pdf")
    assert "DRAFT" not in _text(tmp_path / "final.pdf")[1]


def test_closed_actions_are_listed_and_since_narrows_what_changed(demo, tmp_path):
    follow_up = demo.assessments()[-1].id
    item = next(i for i in roadmap_items(demo, follow_up) if i.status != "Done")
    update_roadmap_item(demo, item.id, status="Done", by="Demo Consultant")
    report = _report(demo)
    assert [e.title for e in report.activity.closed] == [item.title]
    write_progress_pdf(report, tmp_path / "all.pdf")
    text = _text(tmp_path / "all.pdf")[1]
    assert "Actions closed" in text and item.title in text and report.activity.moves[0].title in text

    today = dt.date.today()
    write_progress_pdf(report, tmp_path / "today.pdf", since=today)  # every change of the demo is made today
    assert "Questions that moved" in _text(tmp_path / "today.pdf")[1]
    write_progress_pdf(report, tmp_path / "later.pdf", since=today + dt.timedelta(days=1))
    later = _text(tmp_path / "later.pdf")[1]
    assert f"Since {num.long_date(today + dt.timedelta(days=1))}, no answer moved" in later
    assert "Questions that moved" not in later and "Actions closed" not in later
    # the rest of the report is the same
    assert "Plan progress" in later and "Open flags" in later


def test_the_command_line_writes_it_with_since(cli, tmp_path):
    assert cli("demo")[0] == 0
    out = tmp_path / "board.pdf"
    code, stdout, _ = cli("export", "progress", "bright-smile-dental-group", "-o", str(out))
    assert code == 0 and f"Wrote {out}" in stdout
    pages, text = _text(out)
    assert 2 <= pages <= 4 and "PROGRESS REPORT" in text and "Questions that moved" in text
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    code, _, _ = cli("export", "progress", "bright-smile-dental-group", "-o", str(out), "--since", tomorrow)
    assert code == 0 and "Questions that moved" not in _text(out)[1]
    code, _, err = cli("export", "progress", "bright-smile-dental-group", "-o", str(out), "--since", "soon")
    assert code != 0 and "--since" in err and "'soon' is not a date" in err
    code, _, err = cli("export", "pdf", "bright-smile-dental-group", "-o", str(tmp_path / "r.pdf"),
                       "--since", tomorrow)
    assert code != 0 and "progress report only" in err and not (tmp_path / "r.pdf").exists()


@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="pdffonts (poppler-utils) is not installed")
def test_every_font_is_embedded(demo, tmp_path):
    path = tmp_path / "progress.pdf"
    write_progress_pdf(_report(demo), path)
    lines = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout.splitlines()
    fonts = lines[2:]
    assert fonts and all(line.split()[-5] == "yes" for line in fonts), lines


def test_the_file_menu_exports_it(open_window, qtbot, demo_workspace, monkeypatch, tmp_path):
    from ui import prompts

    window = open_window(demo_workspace)
    qtbot.waitUntil(lambda: window.page is not None and window.page.walkthrough.current_id is not None,
                    timeout=15000)
    action = window.export_progress_action
    file_menu = window.menuBar().actions()[0].menu()
    names = [a.text() for a in file_menu.actions()]
    assert names.index("Export progress &report…") == names.index("Export &PDF report…") + 1
    assert action.isEnabled()
    target = tmp_path / "board"
    offered = []
    monkeypatch.setattr(prompts, "save_file", lambda *a, **k: str(target))
    monkeypatch.setattr(prompts, "export_finished", lambda parent, title, text, informative="":
                        offered.append(text) or "ok")
    action.trigger()
    qtbot.waitUntil(lambda: bool(offered), timeout=30000)
    pages, text = _text(target.with_suffix(".pdf"))
    assert 2 <= pages <= 4 and "Bright Smile Dental Group" in text and "Next 90 days" in text
