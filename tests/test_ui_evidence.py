"""Evidence files in the walkthrough: Attach evidence…, drop files on the question panel, remove, limits."""

from __future__ import annotations

import json
import os
from pathlib import Path

from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from ui import prompts
from vciso.clientfile import ClientFile


def _open_demo(open_window, qtbot, workspace):
    window = open_window(workspace)
    qtbot.waitUntil(lambda: window.page is not None and window.page.walkthrough.current_id is not None,
                    timeout=15000)
    walkthrough = window.page.walkthrough
    walkthrough.go_to("ACC-01")
    qtbot.waitUntil(lambda: window.ops.idle, timeout=15000)
    return window, walkthrough


DEMO_FILE = "backup-job-report.txt"  # the demo's own evidence (BAK-01), left out of what the tests attach


def _stored(window) -> list:
    from vciso.evidence import list_evidence
    with ClientFile(window.open_path) as client:
        return [(e.question_id, e.name, e.size) for e in list_evidence(client) if e.name != DEMO_FILE]


def _file(tmp_path: Path, name: str, size: int) -> Path:
    path = tmp_path / name
    path.write_bytes(os.urandom(size))
    return path


def test_attach_evidence_button_stores_the_files_and_lists_them(open_window, qtbot, demo_workspace, monkeypatch,
                                                                  tmp_path, qtmodeltester):
    window, walkthrough = _open_demo(open_window, qtbot, demo_workspace)
    box = walkthrough.panel.evidence_box
    assert box.attach_button.isEnabled() and box.attach_button.isVisible()
    assert "No files attached" in box.hint.text()
    files = [_file(tmp_path, "mfa-policy.pdf", 4000), _file(tmp_path, "screenshot.png", 70_000)]
    monkeypatch.setattr(prompts, "open_files", lambda *args: [str(p) for p in files])
    qtbot.mouseClick(box.attach_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: box.model.rowCount() == 2, timeout=15000)
    assert box.caption.text() == "Evidence files (2)" and box.list.isVisible()
    assert "mfa-policy.pdf" in box.model.data(box.model.index(0, 0)) and "68 KB" in box.model.data(box.model.index(1, 0))
    qtmodeltester.check(box.model)
    assert _stored(window) == [("ACC-01", "mfa-policy.pdf", 4000), ("ACC-01", "screenshot.png", 70_000)]
    walkthrough.go_to("ACC-02")  # another question shows its own (no) files
    qtbot.waitUntil(lambda: window.ops.idle, timeout=15000)
    assert box.model.rowCount() == 0


def _drop(widget, files: list[Path]) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in files])
    enter = QDragEnterEvent(QPoint(20, 20), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, enter)
    assert enter.isAccepted()
    drop = QDropEvent(QPointF(20, 20), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, drop)
    assert drop.isAccepted()


def test_files_dropped_on_the_question_panel_are_attached_to_the_shown_answer(open_window, qtbot, demo_workspace,
                                                                              tmp_path):
    window, walkthrough = _open_demo(open_window, qtbot, demo_workspace)
    dropped = _file(tmp_path, "backup-report.xlsx", 9000)
    _drop(walkthrough.panel, [dropped])
    box = walkthrough.panel.evidence_box
    qtbot.waitUntil(lambda: box.model.rowCount() == 1, timeout=15000)
    assert _stored(window) == [("ACC-01", "backup-report.xlsx", 9000)]


def test_a_file_over_the_limit_is_refused_with_a_clear_message_and_nothing_attached(open_window, qtbot, demo_workspace,
                                                                                    monkeypatch, tmp_path):
    Path(os.environ["VCISO_SETTINGS"]).write_text(json.dumps({"evidence_max_mb": 1}))
    window, walkthrough = _open_demo(open_window, qtbot, demo_workspace)
    errors = []
    monkeypatch.setattr(prompts, "error", lambda parent, title, text, details="": errors.append(text))
    walkthrough.panel.evidence_box.attachRequested.emit([_file(tmp_path, "video.mp4", 2 * 1024 * 1024)])
    qtbot.waitUntil(lambda: bool(errors), timeout=15000)
    assert errors == ["Nothing was attached: video.mp4 is 2.0 MB, over the 1.0 MB limit for one evidence file "
                      "(Settings); nothing was attached"]
    assert _stored(window) == []


def test_remove_asks_first_and_is_recorded(open_window, qtbot, demo_workspace, monkeypatch, tmp_path):
    from vciso.evidence import evidence_history

    window, walkthrough = _open_demo(open_window, qtbot, demo_workspace)
    box = walkthrough.panel.evidence_box
    box.attachRequested.emit([_file(tmp_path, "old.txt", 10)])
    qtbot.waitUntil(lambda: box.model.rowCount() == 1, timeout=15000)
    box.list.setCurrentIndex(box.model.index(0, 0))
    assert box.remove_button.isEnabled() and box.save_button.isEnabled()
    saved_to = tmp_path / "copy.txt"
    monkeypatch.setattr(prompts, "save_file", lambda *args: str(saved_to))
    qtbot.mouseClick(box.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: saved_to.exists(), timeout=15000)  # "Save…": a copy outside the client file
    assert saved_to.read_bytes() == (tmp_path / "old.txt").read_bytes()
    monkeypatch.setattr(prompts, "confirm", lambda *args, **kwargs: False)
    qtbot.mouseClick(box.remove_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.ops.idle, timeout=15000)
    assert box.model.rowCount() == 1  # cancelled: nothing removed
    monkeypatch.setattr(prompts, "confirm", lambda *args, **kwargs: True)
    qtbot.mouseClick(box.remove_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: box.model.rowCount() == 0, timeout=15000)
    with ClientFile(window.open_path) as client:
        events = [(e.event, e.name) for e in evidence_history(client, window.page.assessment.id)
                  if e.name != DEMO_FILE]
    assert events == [("attached", "old.txt"), ("removed", "old.txt")]


def test_a_final_assessment_shows_its_evidence_but_takes_no_new_files(open_window, qtbot, demo_workspace, tmp_path):
    from vciso.evidence import attach_files
    from vciso.workspace import Workspace

    with Workspace(demo_workspace).open_client("bright-smile-dental-group") as client:
        baseline = client.assessments()[0]
        client.reopen_assessment(baseline.id)
        attach_files(client, baseline.id, "ACC-01", [_file(tmp_path, "signed.pdf", 100)])
        client.finalise_assessment(baseline.id)
    window = open_window(demo_workspace)
    qtbot.waitUntil(lambda: window.page is not None and window.page.walkthrough.current_id is not None, timeout=15000)
    panel = window.panel
    panel.assessment_view.setCurrentIndex(panel.assessments.index(panel.assessments.row_of(baseline.id)))
    qtbot.waitUntil(lambda: window.page.assessment is not None and window.page.assessment.id == baseline.id,
                    timeout=15000)
    walkthrough = window.page.walkthrough
    walkthrough.go_to("ACC-01")
    box = walkthrough.panel.evidence_box
    qtbot.waitUntil(lambda: box.model.rowCount() == 1, timeout=15000)
    assert not box.attach_button.isEnabled()
    box.list.setCurrentIndex(box.model.index(0, 0))
    assert box.save_button.isEnabled() and not box.remove_button.isEnabled()
    assert box.dropped_files(None) == []
