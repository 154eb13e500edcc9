"""First launch, damaged files, files open elsewhere, and client / assessment management."""

from __future__ import annotations

import json
import os
import socket

from PySide6.QtCore import Qt

from ui import prompts
from vciso.locking import ClientLock
from vciso.clientfile import ClientFile
from vciso.workspace import Workspace


def test_empty_workspace_welcome_creates_the_demo(open_window, qtbot, ui_env):
    window = open_window()
    assert window.stack.currentWidget() is window.message
    assert window.message.title.text() == "Welcome to vCISO Workbench"
    qtbot.mouseClick(window.message.button_widgets["Create the demo client"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.page is not None and window.stack.currentWidget() is window.page
                    and window.page.walkthrough.current_id is not None, timeout=20000)
    assert window.profile.name == "Bright Smile Dental Group"
    assert window.panel.assessments.rowCount() == 2
    assert window.page.assessment.name == "Six-month follow-up"


def test_corrupt_client_file_shows_a_message_in_place(open_window, qtbot, demo_workspace):
    (demo_workspace / "x.vciso").write_bytes(os.urandom(64) + b"garbage")
    window = open_window(demo_workspace)
    model = window.panel.clients
    assert model.rowCount() == 2
    row = model.row_of("x")
    assert "Cannot be opened" in model.index(row).data(0x0100 + 1)
    assert window.panel.select_client("x")
    assert window.message.title.text() == "This client file cannot be opened"
    assert "x.vciso: not a client file" in window.message.text.text()
    # the other client still opens
    good = next(model.listing(r).file_id for r in range(model.rowCount()) if model.listing(r).ok)
    window.panel.select_client(good)
    qtbot.waitUntil(lambda: window.page is not None and window.stack.currentWidget() is window.page, timeout=15000)


def test_a_sqlite_file_that_is_not_a_client_gets_a_message(open_window, qtbot, ui_env):
    import sqlite3
    conn = sqlite3.connect(ui_env / "other.vciso")
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    window = open_window()
    window.panel.select_client("other")
    assert "not a vCISO client file" in window.message.text.text()


def test_client_open_in_another_instance_opens_read_only(open_window, qtbot, demo_workspace, monkeypatch):
    path = Workspace(demo_workspace).client_paths()[0]
    lock = ClientLock(path)
    lock.path.write_text(json.dumps({"pid": os.getppid(), "host": socket.gethostname(), "since": ""}))
    asked = []

    def choose(parent, title, text, choices, informative=""):
        asked.append(text)
        return "Open read-only"

    monkeypatch.setattr(prompts, "choose", choose)
    window = open_window(demo_workspace)
    qtbot.waitUntil(lambda: window.page is not None and window.page.walkthrough.current_id is not None,
                    timeout=15000)
    assert asked and "is open in another vCISO Workbench window" in asked[0]
    assert window.read_only and not window.page.read_only_badge.isHidden()
    walkthrough = window.page.walkthrough
    question = walkthrough.current_id
    before = walkthrough.model.response(question)
    walkthrough.panel.choose_key("4")
    qtbot.wait(100)
    assert window.ops.idle and walkthrough.model.response(question) == before
    assert not window.new_assessment_action.isEnabled()
    window.close()
    assert lock.path.exists()  # somebody else's lock is left alone


def test_stale_lock_is_taken_over_and_released(open_window, qtbot, demo_workspace, monkeypatch):
    path = Workspace(demo_workspace).client_paths()[0]
    lock = ClientLock(path)
    lock.path.write_text(json.dumps({"pid": 2 ** 22 + 12345, "host": socket.gethostname(), "since": ""}))
    monkeypatch.setattr(prompts, "choose", lambda *a, **k: (_ for _ in ()).throw(AssertionError("asked")))
    window = open_window(demo_workspace)
    qtbot.waitUntil(lambda: window.page is not None and window.page.walkthrough.current_id is not None,
                    timeout=15000)
    assert not window.read_only
    assert json.loads(lock.path.read_text())["pid"] == os.getpid()
    window.close()
    assert not lock.path.exists()


def test_edit_profile_rename_and_delete(open_window, qtbot, demo_workspace, monkeypatch):
    window = open_window(demo_workspace)
    qtbot.waitUntil(lambda: window.page is not None and window.page.walkthrough.current_id is not None,
                    timeout=15000)

    def edit(dialog):
        assert dialog.name_edit.text() == "Bright Smile Dental Group"
        dialog.name_edit.setText("Bright Smile Dental")
        return True

    monkeypatch.setattr(prompts, "run_dialog", edit)
    window.edit_client_action.trigger()
    qtbot.waitUntil(lambda: window.panel.clients.rowCount() == 1
                    and window.panel.clients.index(0).data() == "Bright Smile Dental", timeout=10000)
    assert window.page.title.text().startswith("Bright Smile Dental  ·")

    def rename(dialog):
        dialog.name_edit.setText("Follow-up, November")
        return True

    monkeypatch.setattr(prompts, "run_dialog", rename)
    window.rename_assessment_action.trigger()   # F2: the assessment's properties
    qtbot.waitUntil(lambda: window.panel.assessments.index(0).data() == "Follow-up, November", timeout=10000)

    monkeypatch.setattr(prompts, "confirm", lambda *a, **k: True)
    window.delete_assessment_action.trigger()
    qtbot.waitUntil(lambda: window.panel.assessments.rowCount() == 1, timeout=10000)

    window.delete_client_action.trigger()
    qtbot.waitUntil(lambda: window.panel.clients.rowCount() == 0, timeout=10000)
    assert window.message.title.text() == "Welcome to vCISO Workbench"
    assert list((demo_workspace / ".trash").glob("*.vciso"))


def test_follow_up_is_prefilled(open_window, qtbot, demo_workspace, monkeypatch):
    window = open_window(demo_workspace)
    qtbot.waitUntil(lambda: window.page is not None and window.page.walkthrough.current_id is not None,
                    timeout=15000)
    baseline = next(a for a in window.panel.assessments.assessments() if a.name == "Baseline assessment")

    def start(dialog):
        dialog.based_on_combo.setCurrentIndex(dialog.based_on_combo.findData(baseline.id))
        assert not dialog.questionnaire_combo.isEnabled()
        dialog.name_edit.setText("Second follow-up")
        return True

    monkeypatch.setattr(prompts, "run_dialog", start)
    window.new_assessment_action.trigger()
    qtbot.waitUntil(lambda: window.page.assessment is not None
                    and window.page.assessment.name == "Second follow-up", timeout=15000)
    walkthrough = window.page.walkthrough
    assert walkthrough.model.response("ACC-01").current == 1.0  # the baseline's answer
    with ClientFile(window.open_path) as client:
        assert client.assessment(window.page.assessment.id).based_on == baseline.id


def test_window_size_and_layout_are_remembered(open_window, qtbot, demo_workspace):
    window = open_window(demo_workspace)
    qtbot.waitUntil(lambda: window.page is not None and window.page.walkthrough.current_id is not None,
                    timeout=15000)
    window.resize(1000, 560)
    window.page.tabs.setCurrentIndex(2)
    window.panel.splitter.setSizes([200, 300])
    panel_sizes = window.panel.splitter.sizes()
    window.close()
    again = open_window(demo_workspace)
    qtbot.waitUntil(lambda: again.page is not None, timeout=15000)
    assert again.height() == 560  # (the width is clamped to the small offscreen screen by restoreGeometry)
    assert again.page.tabs.currentIndex() == 2
    assert again.panel.splitter.sizes() == panel_sizes
