"""Walking through an assessment with the keyboard saves exactly the answers given."""

from __future__ import annotations

from PySide6.QtCore import Qt

from ui import prompts


def _wait_idle(qtbot, window):
    qtbot.waitUntil(lambda: window.ops.idle, timeout=15000)


def _create_client_and_assessment(window, qtbot, monkeypatch):
    def fill_client(dialog):
        dialog.name_edit.setText("Acme Dental")
        dialog.industry_edit.setCurrentText("Healthcare")
        dialog.employees_edit.setValue(12)
        return True

    monkeypatch.setattr(prompts, "run_dialog", fill_client)
    window.new_client_action.trigger()
    qtbot.waitUntil(lambda: window.profile is not None and window.profile.name == "Acme Dental", timeout=15000)
    qtbot.waitUntil(lambda: "No assessments yet" in window.message.title.text(), timeout=15000)

    def fill_assessment(dialog):
        dialog.questionnaire_combo.setCurrentIndex(dialog.questionnaire_combo.findData("small-business-essentials"))
        dialog.name_edit.setText("First look")
        return True

    monkeypatch.setattr(prompts, "run_dialog", fill_assessment)
    window.new_assessment_action.trigger()
    qtbot.waitUntil(lambda: window.page is not None and window.page.walkthrough.current_id is not None,
                    timeout=15000)
    return window.page.walkthrough


def test_keyboard_walkthrough_saves_exactly_those_answers(open_window, qtbot, monkeypatch, ui_env):
    from vciso.clientfile import ClientFile

    window = open_window()
    walkthrough = _create_client_and_assessment(window, qtbot, monkeypatch)
    panel = walkthrough.panel
    q1, q2, q3, q4 = walkthrough.order[:4]
    assert walkthrough.current_id == q1
    window.activateWindow()
    panel.setFocus()

    qtbot.keyClick(panel, Qt.Key.Key_2)                       # level 2
    qtbot.keyClick(panel, Qt.Key.Key_Return)                  # next question
    assert walkthrough.current_id == q2
    qtbot.keyClick(panel, Qt.Key.Key_3)
    qtbot.keyClick(panel, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)  # into the notes
    assert panel.notes.hasFocus()
    qtbot.keyClicks(panel.notes, "Asked the office manager")
    qtbot.keyClick(panel.notes, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)  # next, note flushed
    assert walkthrough.current_id == q3
    panel.setFocus()
    qtbot.keyClick(panel, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert panel.na_check.isChecked() and panel.na_reason.hasFocus()
    qtbot.keyClicks(panel.na_reason, "No servers on site")
    qtbot.keyClick(panel.na_reason, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: walkthrough.current_id == q4, timeout=5000)
    panel.setFocus()
    qtbot.keyClick(panel, Qt.Key.Key_1)
    qtbot.keyClick(panel, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    _wait_idle(qtbot, window)

    # the saved state is visible, and the tree shows progress
    assert walkthrough.save_label.text().startswith("Saved ")
    assert "4 of 36 answered" in walkthrough.progress_label.text()
    assert "1 flagged" in walkthrough.progress_label.text()

    path = window.open_path
    window.close()
    with ClientFile(path) as client:
        assessment = client.assessments()[0]
        responses = client.responses(assessment.id)
    assert set(responses) == {q1, q2, q3, q4}
    assert (responses[q1].current, responses[q1].note, responses[q1].is_na, responses[q1].flagged) == (2.0, "", False, False)
    assert (responses[q2].current, responses[q2].note) == (3.0, "Asked the office manager")
    assert responses[q3].is_na and responses[q3].na_reason == "No servers on site" and responses[q3].current is None
    assert (responses[q4].current, responses[q4].flagged) == (1.0, True)


def test_notes_survive_switching_questions_and_idle_save(open_window, qtbot, demo_workspace):
    from vciso.clientfile import ClientFile

    window = open_window(demo_workspace)
    qtbot.waitUntil(lambda: window.page is not None and window.page.walkthrough.current_id is not None,
                    timeout=15000)
    walkthrough = window.page.walkthrough
    panel = walkthrough.panel
    walkthrough.go_to("DAT-03")
    panel.notes.setFocus()
    qtbot.keyClicks(panel.notes, "Paper files in the back office")
    # the idle debounce saves without leaving the field
    qtbot.waitUntil(lambda: walkthrough.model.response("DAT-03") is not None
                    and walkthrough.model.response("DAT-03").note == "Paper files in the back office", timeout=5000)
    qtbot.keyClicks(panel.notes, ", locked")
    walkthrough.go_to("DAT-04")  # switching immediately: the text typed since must not be lost
    _wait_idle(qtbot, window)
    walkthrough.go_to("DAT-03")
    assert panel.notes.toPlainText() == "Paper files in the back office, locked"
    path = window.open_path
    assessment_id = walkthrough.assessment.id
    window.close()
    with ClientFile(path) as client:
        assert client.response(assessment_id, "DAT-03").note == "Paper files in the back office, locked"


def test_find_filter_and_next_unanswered(open_window, qtbot, demo_workspace):
    window = open_window(demo_workspace)
    qtbot.waitUntil(lambda: window.page is not None and window.page.walkthrough.current_id is not None,
                    timeout=15000)
    walkthrough = window.page.walkthrough
    unanswered = [q for q in walkthrough.order if walkthrough.model.response(q) is None
                  or (walkthrough.model.response(q).current is None and not walkthrough.model.response(q).is_na)]
    assert walkthrough.current_id == unanswered[0]  # opens on the first unanswered question
    walkthrough.panel.setFocus()
    qtbot.keyClick(walkthrough.panel, Qt.Key.Key_F3)
    assert walkthrough.current_id == unanswered[1]

    walkthrough.set_filter("flagged")
    flagged = {walkthrough.proxy.index(r, 0, walkthrough.proxy.index(s, 0)).data()
               for s in range(walkthrough.proxy.rowCount())
               for r in range(walkthrough.proxy.rowCount(walkthrough.proxy.index(s, 0)))}
    assert {text.split()[0] for text in flagged} == {"ACC-04", "BAK-02", "VEN-03"}
    walkthrough.set_filter("all")

    qtbot.keyClick(walkthrough.panel, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert walkthrough.find_edit.hasFocus()
    qtbot.keyClicks(walkthrough.find_edit, "bak-04")
    qtbot.keyClick(walkthrough.find_edit, Qt.Key.Key_Return)
    assert walkthrough.current_id == "BAK-04"
    assert "BAK-04" in walkthrough.panel.id_label.text()


def test_invalid_answer_is_reported_not_saved(open_window, qtbot, demo_workspace):
    window = open_window(demo_workspace)
    qtbot.waitUntil(lambda: window.page is not None and window.page.walkthrough.current_id is not None,
                    timeout=15000)
    walkthrough = window.page.walkthrough
    with qtbot.waitSignal(window.ops.answerFailed, timeout=5000) as blocker:
        walkthrough.panel.changeRequested.emit(walkthrough.current_id, {"current": 17})
    assert "not on the scale" in blocker.args[1]
    assert walkthrough.save_label.text().startswith("Not saved")
