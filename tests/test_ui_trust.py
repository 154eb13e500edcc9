"""The app never changes an answer the consultant did not mean to change: search keeps selection and display
one thing, undo/redo and Clear answer, N/A never silently discarded."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor

from vciso.clientfile import ClientFile
from walkthrough_helpers import open_demo


def _stored(window) -> dict:
    with ClientFile(window.open_path) as client:
        return {qid: (r.current, r.note, r.na_reason, r.flagged, r.target, r.evidence)
                for qid, r in client.responses(window.page.assessment.id).items()}


def _unanswered(walkthrough) -> str:
    return next(qid for qid in walkthrough.order if walkthrough.model.response(qid) is not None
                and walkthrough.model.response(qid).current is None and not walkthrough.model.response(qid).is_na)


def _selected_id(walkthrough):
    from ui.walkthrough_model import QuestionIdRole
    index = walkthrough.tree.selectionModel().currentIndex()
    return walkthrough.proxy.data(index, QuestionIdRole) if index.isValid() else None


def test_a_search_moves_the_shown_question_and_a_digit_answers_only_that_one(open_window, qtbot, demo_workspace):
    window, walkthrough = open_demo(open_window, qtbot, demo_workspace)
    walkthrough.go_to("EML-02")
    before = _stored(window)
    qtbot.keyClick(walkthrough, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert walkthrough.find_edit.hasFocus()
    qtbot.keyClicks(walkthrough.find_edit, "BAK-04")
    assert walkthrough.current_id == "BAK-04" == walkthrough.panel.question.id == _selected_id(walkthrough)
    qtbot.keyClick(walkthrough.find_edit, Qt.Key.Key_Escape)
    assert walkthrough.panel.question.id == "BAK-04" == _selected_id(walkthrough)
    qtbot.keyClick(walkthrough.panel, Qt.Key.Key_3)
    qtbot.waitUntil(lambda: window.ops.idle, timeout=5000)
    after = _stored(window)
    assert after["BAK-04"][0] == 3.0
    assert {qid: v for qid, v in after.items() if qid != "BAK-04"} == \
        {qid: v for qid, v in before.items() if qid != "BAK-04"}


def test_a_search_with_no_match_answers_nothing(open_window, qtbot, demo_workspace):
    window, walkthrough = open_demo(open_window, qtbot, demo_workspace)
    before = _stored(window)
    walkthrough.focus_find()
    qtbot.keyClicks(walkthrough.find_edit, "no such question anywhere")
    assert walkthrough.current_id is None and walkthrough.panel.question is None
    assert "No matching question" in walkthrough.panel.empty_label.text() and walkthrough.panel.scroll.isHidden()
    qtbot.keyClick(walkthrough.panel, Qt.Key.Key_3)
    qtbot.waitUntil(lambda: window.ops.idle, timeout=5000)
    assert _stored(window) == before
    walkthrough.find_edit.clear()            # the search cleared: a question is shown again
    assert walkthrough.current_id is not None and walkthrough.panel.question.id == walkthrough.current_id


def test_a_filter_that_hides_the_shown_question_moves_to_the_first_match(open_window, qtbot, demo_workspace):
    window, walkthrough = open_demo(open_window, qtbot, demo_workspace)
    answered = next(qid for qid in walkthrough.order
                    if walkthrough.model.response(qid) is not None and walkthrough.model.response(qid).current is not None)
    walkthrough.go_to(answered)
    walkthrough.set_filter("unanswered")
    assert walkthrough.current_id != answered
    assert walkthrough.panel.question.id == walkthrough.current_id == _selected_id(walkthrough)
    assert walkthrough.model.response(walkthrough.current_id) is None or \
        walkthrough.model.response(walkthrough.current_id).current is None


def test_na_without_a_reason_is_never_discarded_silently(open_window, qtbot, demo_workspace):
    window, walkthrough = open_demo(open_window, qtbot, demo_workspace)
    panel = walkthrough.panel
    walkthrough.go_to("EML-02")
    before = _stored(window)
    panel.setFocus()
    qtbot.keyClick(panel, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert panel.na_check.isChecked() and panel.na_reason.hasFocus()
    qtbot.keyClick(panel.na_reason, Qt.Key.Key_Return)           # Enter with no reason
    assert walkthrough.current_id == "EML-02"                      # did not move on
    assert panel.na_reason.hasFocus() and panel.na_check.isChecked()
    assert not panel.na_hint.isHidden() and "reason is needed" in panel.na_hint.text()
    qtbot.waitUntil(lambda: window.ops.idle, timeout=5000)
    assert _stored(window) == before                               # nothing saved, nothing lost
    qtbot.keyClicks(panel.na_reason, "Email is hosted by the parent company")
    qtbot.keyClick(panel.na_reason, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: walkthrough.current_id != "EML-02", timeout=5000)
    qtbot.waitUntil(lambda: window.ops.idle, timeout=5000)
    assert _stored(window)["EML-02"][2] == "Email is hosted by the parent company"


def _history_sources(window, question_id):
    with ClientFile(window.open_path) as client:
        return [h.source for h in client.history(window.page.assessment.id, question_id)]


def test_undo_and_redo_of_a_level_restore_the_file_and_append_history(open_window, qtbot, demo_workspace):
    window, walkthrough = open_demo(open_window, qtbot, demo_workspace)
    walkthrough.go_to("BAK-04")
    before = _stored(window)
    sources_before = _history_sources(window, "BAK-04")
    walkthrough.panel.setFocus()
    qtbot.keyClick(walkthrough.panel, Qt.Key.Key_1)
    qtbot.waitUntil(lambda: window.ops.idle, timeout=5000)
    assert _stored(window)["BAK-04"][0] == 1.0
    assert window.undo_action.isEnabled() and window.undo_action.text() == "&Undo level of BAK-04"
    walkthrough.go_to("EML-02")                       # undo brings the question back into view
    window.undo_action.trigger()
    qtbot.waitUntil(lambda: window.ops.idle, timeout=5000)
    assert _stored(window) == before
    assert walkthrough.current_id == "BAK-04" and walkthrough.model.response("BAK-04") == \
        (None if "BAK-04" not in before else walkthrough.model.response("BAK-04"))
    assert window.redo_action.text() == "&Redo level of BAK-04"
    window.redo_action.trigger()
    qtbot.waitUntil(lambda: window.ops.idle, timeout=5000)
    assert _stored(window)["BAK-04"][0] == 1.0
    assert _history_sources(window, "BAK-04") == sources_before + ["app", "undo", "redo"]


def test_undo_of_a_note_puts_the_earlier_note_back(open_window, qtbot, demo_workspace):
    window, walkthrough = open_demo(open_window, qtbot, demo_workspace)
    question = next(qid for qid in walkthrough.order if (walkthrough.model.response(qid) or None)
                    and walkthrough.model.response(qid).note)
    walkthrough.go_to(question)
    old_note = _stored(window)[question][1]
    panel = walkthrough.panel
    panel.notes.setFocus()
    panel.notes.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(panel.notes, " Checked again on site.")
    panel.flush()
    qtbot.keyClicks(panel.notes, " Second thoughts.")
    panel.flush()                                     # two saves of the note: one step to undo
    qtbot.waitUntil(lambda: window.ops.idle, timeout=5000)
    assert _stored(window)[question][1] == old_note + " Checked again on site. Second thoughts."
    assert window.undo_action.text() == f"&Undo note of {question}"
    panel.setFocus()
    window.undo_action.trigger()
    qtbot.waitUntil(lambda: window.ops.idle, timeout=5000)
    assert _stored(window)[question][1] == old_note
    qtbot.waitUntil(lambda: panel.notes.toPlainText() == old_note, timeout=5000)


def test_clear_answer_with_delete_and_undo_it(open_window, qtbot, demo_workspace):
    window, walkthrough = open_demo(open_window, qtbot, demo_workspace)
    question = next(qid for qid in walkthrough.order if walkthrough.model.response(qid) is not None
                    and walkthrough.model.response(qid).current is not None)
    walkthrough.go_to(question)
    before = _stored(window)[question]
    walkthrough.panel.setFocus()
    qtbot.keyClick(walkthrough.panel, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: window.ops.idle, timeout=5000)
    after = _stored(window)[question]
    assert after[0] is None and after[1] == before[1]      # the level is cleared, the note is kept
    assert window.undo_action.text() == f"&Undo clear answer of {question}"
    assert not any(b.isChecked() for b in walkthrough.panel.level_buttons)
    window.undo_action.trigger()
    qtbot.waitUntil(lambda: window.ops.idle, timeout=5000)
    assert _stored(window)[question] == before
    # clicking the chosen level again clears it too
    chosen = next(b for b in walkthrough.panel.level_buttons if b.value == before[0])
    qtbot.waitUntil(lambda: chosen.isChecked(), timeout=5000)
    qtbot.mouseClick(chosen, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.ops.idle, timeout=5000)
    assert _stored(window)[question][0] is None


def test_backspace_in_the_notes_edits_the_text_not_the_answer(open_window, qtbot, demo_workspace):
    window, walkthrough = open_demo(open_window, qtbot, demo_workspace)
    question = next(qid for qid in walkthrough.order if walkthrough.model.response(qid) is not None
                    and walkthrough.model.response(qid).current is not None)
    walkthrough.go_to(question)
    level = _stored(window)[question][0]
    walkthrough.panel.notes.setFocus()
    walkthrough.panel.notes.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(walkthrough.panel.notes, "ab")
    qtbot.keyClick(walkthrough.panel.notes, Qt.Key.Key_Backspace)
    walkthrough.panel.flush()
    qtbot.waitUntil(lambda: window.ops.idle, timeout=5000)
    assert _stored(window)[question][0] == level and _stored(window)[question][1].endswith("a")


def test_undo_of_a_roadmap_edit_restores_the_item(open_window, qtbot, demo_workspace):
    from ui.roadmap_model import RoadmapTableModel
    from vciso.roadmap_store import roadmap_items

    window, walkthrough = open_demo(open_window, qtbot, demo_workspace)
    window.view_actions[2].trigger()
    view = window.page.roadmap
    qtbot.waitUntil(lambda: view.loaded, timeout=10000)
    aid = window.page.assessment.id
    with ClientFile(window.open_path) as client:
        before = roadmap_items(client, aid)
    column = RoadmapTableModel.COLUMNS.index("owner")
    assert view.proxy.setData(view.proxy.index(0, column), "Sam Lee (IT)")
    qtbot.waitUntil(lambda: window.ops.idle, timeout=5000)
    assert window.undo_action.text().startswith("&Undo owner of ")
    window.undo_action.trigger()
    qtbot.waitUntil(lambda: window.ops.idle, timeout=5000)
    with ClientFile(window.open_path) as client:
        assert roadmap_items(client, aid) == before        # values and the record of edited fields
    qtbot.waitUntil(lambda: view.proxy.index(0, column).data() != "Sam Lee (IT)", timeout=5000)
    window.redo_action.trigger()
    qtbot.waitUntil(lambda: window.ops.idle, timeout=5000)
    with ClientFile(window.open_path) as client:
        assert "Sam Lee (IT)" in {item.owner for item in roadmap_items(client, aid)}


def test_an_answer_written_by_another_process_appears_in_the_open_walkthrough(open_window, qtbot, demo_workspace):
    import subprocess
    import sys
    import time

    window, walkthrough = open_demo(open_window, qtbot, demo_workspace)
    question = _unanswered(walkthrough)
    walkthrough.go_to(question)
    walkthrough.panel.notes.setFocus()
    qtbot.keyClicks(walkthrough.panel.notes, "typed, not yet saved")
    env_workspace = str(demo_workspace)
    started = time.monotonic()
    result = subprocess.run([sys.executable, "-m", "vciso.cli", "--workspace", env_workspace, "answer",
                             "bright-smile-dental-group", "", question, "2", "--note", "from the CLI"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "warning" in result.stderr and "open in another vCISO Workbench window" in result.stderr
    qtbot.waitUntil(lambda: walkthrough.model.response(question) is not None
                    and walkthrough.model.response(question).current == 2.0, timeout=3000)
    assert time.monotonic() - started < 3 + 5   # the CLI itself takes a moment to start
    assert any(b.isChecked() and b.value == 2.0 for b in walkthrough.panel.level_buttons)
    assert walkthrough.panel.notes.toPlainText() == "typed, not yet saved"   # what is typed stays


def test_f5_reloads_the_open_assessment(open_window, qtbot, demo_workspace):
    window, walkthrough = open_demo(open_window, qtbot, demo_workspace)
    question = _unanswered(walkthrough)
    window.ops._watch.stop()   # only F5 may bring the change in
    with ClientFile(window.open_path) as client:
        client.save_answer(window.page.assessment.id, question, current=1, source="cli")
    window.refresh_action.trigger()
    qtbot.waitUntil(lambda: walkthrough.model.response(question).current == 1.0, timeout=5000)


def _due_date_editor(window, qtbot):
    from ui.roadmap_model import RoadmapTableModel

    window.view_actions[2].trigger()
    view = window.page.roadmap
    qtbot.waitUntil(lambda: view.loaded, timeout=10000)
    index = view.proxy.index(0, RoadmapTableModel.COLUMNS.index("due_date"))
    delegate = view.table.itemDelegateForColumn(index.column())
    editor = delegate.createEditor(view.table.viewport(), None, index)
    delegate.setEditorData(editor, index)
    return view, index, delegate, editor


def _due_dates(window):
    from vciso.roadmap_store import roadmap_items

    with ClientFile(window.open_path) as client:
        return {item.id: item.due_date for item in roadmap_items(client, window.page.assessment.id)}


def test_a_typed_iso_due_date_is_stored_as_that_date(open_window, qtbot, demo_workspace):
    from ui.roadmap_model import ItemRole

    window, _ = open_demo(open_window, qtbot, demo_workspace)
    view, index, delegate, editor = _due_date_editor(window, qtbot)
    item = view.proxy.data(index, ItemRole)
    for typed, stored in (("2027-01-15", "2027-01-15"), ("3 Feb 2027", "2027-02-03"), ("28 March 2027", "2027-03-28")):
        editor.line.selectAll()
        qtbot.keyClicks(editor.line, typed)
        assert editor.is_valid()
        delegate.setModelData(editor, view.proxy, index)
        qtbot.waitUntil(lambda: window.ops.idle, timeout=5000)
        assert _due_dates(window)[item.id] == stored
    assert view.proxy.index(index.row(), index.column()).data() == "28 Mar 2027"


def test_a_text_that_is_not_a_date_is_refused_and_nothing_is_stored(open_window, qtbot, demo_workspace):
    window, _ = open_demo(open_window, qtbot, demo_workspace)
    view, index, delegate, editor = _due_date_editor(window, qtbot)
    before = _due_dates(window)
    for typed in ("2027-13-45", "next Tuesday", "15/01/2027", "31 Feb 2027"):
        editor.line.selectAll()
        qtbot.keyClicks(editor.line, typed)
        assert not editor.is_valid() and "is not a date" in editor.error
        qtbot.keyClick(editor.line, Qt.Key.Key_Return)      # refused: Enter does not accept it
        delegate.setModelData(editor, view.proxy, index)
    qtbot.waitUntil(lambda: window.ops.idle, timeout=5000)
    assert _due_dates(window) == before


def test_a_new_assessment_can_be_back_dated_and_a_follow_up_copies_the_assessor(open_window, qtbot, demo_workspace,
                                                                                 monkeypatch):
    from ui import prompts

    window, _ = open_demo(open_window, qtbot, demo_workspace)
    baseline = next(a for a in window.panel.assessments.assessments() if a.name == "Baseline assessment")

    def start(dialog):
        dialog.based_on_combo.setCurrentIndex(dialog.based_on_combo.findData(baseline.id))
        assert dialog.assessor_edit.text() == baseline.assessor == "Demo Consultant"
        dialog.date_edit.line.setText("2026-11-20")        # the on-site visit last week
        dialog.name_edit.setText("Visit of 20 November")
        return True

    monkeypatch.setattr(prompts, "run_dialog", start)
    window.new_assessment_action.trigger()
    qtbot.waitUntil(lambda: any(a.name == "Visit of 20 November" for a in window.panel.assessments.assessments()),
                    timeout=15000)
    with ClientFile(window.open_path) as client:
        created = next(a for a in client.assessments() if a.name == "Visit of 20 November")
    assert (created.assessment_date, created.assessor, created.based_on) == ("2026-11-20", "Demo Consultant",
                                                                             baseline.id)


def test_the_properties_dialog_changes_date_assessor_and_status(open_window, qtbot, demo_workspace, monkeypatch):
    from ui import prompts

    window, _ = open_demo(open_window, qtbot, demo_workspace)
    current = window.current_assessment()
    seen = []

    def edit(dialog):
        seen.append(dialog)
        dialog.date_edit.line.setText("31 Oct 2026")
        dialog.assessor_edit.setText("Dana Whitfield")
        dialog.status_combo.setCurrentIndex(dialog.status_combo.findData("final"))
        return True

    monkeypatch.setattr(prompts, "run_dialog", edit)
    qtbot.keyClick(window, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: bool(seen), timeout=5000)
    qtbot.waitUntil(lambda: window.ops.idle, timeout=5000)
    with ClientFile(window.open_path) as client:
        changed = client.assessment(current.id)
    assert (changed.assessment_date, changed.assessor, changed.status) == ("2026-10-31", "Dana Whitfield", "final")
    assert changed.name == current.name

    def bad_date(dialog):
        dialog.date_edit.line.setText("2026-02-30")
        from PySide6.QtWidgets import QDialogButtonBox
        assert not dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()
        return False

    monkeypatch.setattr(prompts, "run_dialog", bad_date)
    window.rename_assessment_action.trigger()


def test_the_roadmap_action_column_takes_the_spare_width_and_widths_are_remembered(open_window, qtbot,
                                                                                   demo_workspace):
    from ui.roadmap_model import RoadmapTableModel

    columns = RoadmapTableModel.COLUMNS
    window, _ = open_demo(open_window, qtbot, demo_workspace)
    window.resize(1024, 640)
    window.view_actions[2].trigger()
    view = window.page.roadmap
    qtbot.waitUntil(lambda: view.loaded, timeout=10000)
    header = view.table.horizontalHeader()
    qtbot.waitUntil(lambda: header.sectionSize(columns.index("title")) >= 200, timeout=5000)
    widths = {name: header.sectionSize(i) for i, name in enumerate(columns)}
    assert widths["title"] == max(widths.values())                       # Action is the widest column
    assert sum(widths.values()) <= view.table.viewport().width() + 1     # Priority and Notes are on screen
    assert widths["notes"] >= 56                                         # narrow, but there
    assert header.sectionResizeMode(columns.index("owner")) == header.ResizeMode.Interactive
    window.resize(1366, 768)
    qtbot.waitUntil(lambda: header.sectionSize(columns.index("title")) > widths["title"], timeout=5000)
    header.resizeSection(columns.index("owner"), 210)                  # the consultant widens Owner
    window2 = open_window(demo_workspace)
    qtbot.waitUntil(lambda: window2.page is not None, timeout=15000)
    window2.resize(1800, 900)                                           # wide enough for every preferred width
    window2.view_actions[2].trigger()
    qtbot.waitUntil(lambda: window2.page.roadmap.loaded, timeout=10000)
    qtbot.waitUntil(lambda: window2.page.roadmap.table.horizontalHeader().sectionSize(columns.index("owner")) == 210,
                    timeout=5000)
    row_title = view.proxy.index(0, columns.index("title"))
    assert view.proxy.data(row_title, Qt.ItemDataRole.ToolTipRole).startswith(view.proxy.data(row_title))


def test_the_window_title_names_the_client_and_the_assessment(open_window, qtbot, demo_workspace):
    window, _ = open_demo(open_window, qtbot, demo_workspace)
    assert window.windowTitle() == "Bright Smile Dental Group — Six-month follow-up — vCISO Workbench"
