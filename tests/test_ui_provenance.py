"""The question panel says how an answer was established and when its evidence is dated; each is saved at
once, undoable, and a text that is not a date (or a future date) is refused in the field."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt

from vciso.clientfile import ClientFile
from walkthrough_helpers import open_demo


def _stored(window, question: str) -> tuple:
    with ClientFile(window.open_path) as client:
        response = client.response(window.page.assessment.id, question)
    return (response.established, response.evidence_date) if response else ("", "")


def _type_date(qtbot, panel, text: str) -> None:
    line = panel.evidence_date.line
    line.setFocus()
    line.selectAll()
    qtbot.keyClicks(line, text)
    qtbot.keyClick(line, Qt.Key.Key_Return)
    panel.setFocus()  # leaving the field finishes the edit


def test_how_established_and_the_evidence_date_are_saved_at_once_and_undone(open_window, qtbot, demo_workspace):
    window, walkthrough = open_demo(open_window, qtbot, demo_workspace)
    walkthrough.go_to("BAK-04")
    panel = walkthrough.panel
    combo = panel.established_combo
    combo.setCurrentIndex(combo.findData("document"))
    combo.activated.emit(combo.currentIndex())
    qtbot.waitUntil(lambda: window.ops.idle, timeout=5000)
    assert _stored(window, "BAK-04")[0] == "document"
    _type_date(qtbot, panel, "14 Mar 2025")
    qtbot.waitUntil(lambda: window.ops.idle, timeout=5000)
    assert _stored(window, "BAK-04") == ("document", "2025-03-14")
    assert window.undo_action.text() == "&Undo evidence date of BAK-04"
    window.undo_action.trigger()
    qtbot.waitUntil(lambda: window.ops.idle and _stored(window, "BAK-04") == ("document", ""), timeout=5000)
    qtbot.waitUntil(lambda: panel.evidence_date.line.text() == "", timeout=5000)
    walkthrough.go_to("BAK-03")
    walkthrough.go_to("BAK-04")
    assert combo.currentData() == "document"


def test_a_text_that_is_not_a_date_or_a_future_date_is_refused_and_nothing_is_saved(open_window, qtbot,
                                                                                    demo_workspace):
    window, walkthrough = open_demo(open_window, qtbot, demo_workspace)
    walkthrough.go_to("BAK-04")
    panel = walkthrough.panel
    before = _stored(window, "BAK-04")
    _type_date(qtbot, panel, "last spring")
    future = (dt.date.today() + dt.timedelta(days=40)).isoformat()
    _type_date(qtbot, panel, future)
    qtbot.waitUntil(lambda: window.ops.idle, timeout=5000)
    assert _stored(window, "BAK-04") == before
    assert "future" in panel.evidence_date.error
    assert walkthrough.current_id == "BAK-04"  # Enter on a refused date stays on the question


def test_an_evidence_date_picked_from_the_calendar_is_saved(open_window, qtbot, demo_workspace):
    from PySide6.QtCore import QDate

    window, walkthrough = open_demo(open_window, qtbot, demo_workspace)
    walkthrough.go_to("BAK-04")
    panel = walkthrough.panel
    panel.evidence_date.show_calendar()
    panel.evidence_date.calendar.clicked.emit(QDate(2025, 1, 2))
    qtbot.waitUntil(lambda: window.ops.idle and _stored(window, "BAK-04")[1] == "2025-01-02", timeout=5000)
    assert panel.evidence_date.line.text() == "2025-01-02"


def test_evidence_dated_over_a_year_before_the_assessment_is_flagged_in_the_panel(open_window, qtbot,
                                                                                 demo_workspace):
    window, walkthrough = open_demo(open_window, qtbot, demo_workspace)
    panel = walkthrough.panel
    walkthrough.go_to("VEN-01")  # the demo's supplier contracts folder: 540 days before the follow-up
    assert panel.stale_label.isVisibleTo(panel) and "17 months before the assessment" in panel.stale_label.text()
    assert panel.established_combo.currentData() == "document"
    walkthrough.go_to("BAK-01")
    assert not panel.stale_label.isVisibleTo(panel)
    _type_date(qtbot, panel, "2020-01-31")  # Enter saves it and moves on, as everywhere in the panel
    qtbot.waitUntil(lambda: window.ops.idle and _stored(window, "BAK-01")[1] == "2020-01-31", timeout=5000)
    walkthrough.go_to("BAK-01")
    assert panel.stale_label.isVisibleTo(panel)
