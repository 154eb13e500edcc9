"""The Roadmap view of a follow-up: items whose gap closed are proposed as done, one action confirms them
(undoable), and the change of status is recorded with the consultant's name."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from PySide6.QtCore import Qt

from ui.roadmap_model import ItemRole, RoadmapTableModel
from vciso.clientfile import ClientFile
from vciso.plan import overdue_items, status_history
from vciso.roadmap_store import roadmap_items


def _open_roadmap(open_window, qtbot, workspace):
    window = open_window(workspace)
    qtbot.waitUntil(lambda: window.page is not None and window.page.walkthrough.current_id is not None,
                    timeout=15000)
    window.view_actions[2].trigger()
    qtbot.waitUntil(lambda: window.page.roadmap.loaded, timeout=15000)
    return window, window.page.roadmap


def _statuses(view):
    column = RoadmapTableModel.COLUMNS.index("status")
    return {view.proxy.index(row, 0).data(ItemRole).question_id: view.proxy.index(row, column).data()
            for row in range(view.proxy.rowCount())}


def test_closed_gaps_are_proposed_and_confirmed_in_one_undoable_step(open_window, qtbot, demo_workspace,
                                                                      tmp_path):
    window, view = _open_roadmap(open_window, qtbot, demo_workspace)
    assert view.proposal_banner.isVisible()
    assert "close the gap of 10 open items" in view.proposal_label.text()
    assert _statuses(view)["ACC-03"] == "Not started · gap closed"
    window.grab().save(str(Path(os.environ.get("VCISO_SHOTS", tmp_path)) / "roadmap-proposals.png"))
    view.confirm_button.click()
    qtbot.waitUntil(lambda: window.ops.idle and not view.proposal_banner.isVisible(), timeout=10000)
    assert _statuses(view)["ACC-03"] == "Done"
    path = window.open_path
    with ClientFile(path, read_only=True) as client:
        follow_up = client.assessment()
        item = next(i for i in roadmap_items(client, follow_up.id) if i.question_id == "ACC-03")
        assert (item.status, item.closed_in) == ("Done", follow_up.id)
        assert status_history(client, item.plan_uid)[-1].source == f"gap closed in {follow_up.name}"
    window.ops.undo_stack.undo()
    qtbot.waitUntil(lambda: window.ops.idle and view.proposal_banner.isVisible(), timeout=10000)
    assert _statuses(view)["ACC-03"] == "Not started · gap closed"


def test_plan_progress_overdue_and_the_owner_and_status_filters(open_window, qtbot, demo_workspace, tmp_path):
    from vciso.roadmap_store import update_roadmap_item

    with ClientFile(next(demo_workspace.glob("*.vciso"))) as client:
        follow_up = client.assessment()
        items = {i.question_id: i for i in roadmap_items(client, follow_up.id)}
        update_roadmap_item(client, items["BAK-04"].id, due_date="2020-01-31")     # long overdue
        update_roadmap_item(client, items["VEN-03"].id, due_date="2020-03-31", owner="Sam Lee (IT)")
        expected = {i.question_id for i in overdue_items(roadmap_items(client, follow_up.id), dt.date.today())}
    assert {"BAK-04", "VEN-03"} <= expected
    window, view = _open_roadmap(open_window, qtbot, demo_workspace)
    total = view.proxy.rowCount()
    assert view.progress.overdue == len(expected)
    assert f"{len(expected)} overdue" in view.progress_label.text() and "actions done" in view.progress_label.text()
    due_column = RoadmapTableModel.COLUMNS.index("due_date")
    view.status_filter.setCurrentIndex(view.status_filter.findData("overdue"))
    assert {view.proxy.index(r, 0).data(ItemRole).question_id for r in range(view.proxy.rowCount())} == expected
    assert view.proxy.index(0, due_column).data(Qt.ItemDataRole.ForegroundRole).name().upper() == "#B3261E"
    view.status_filter.setCurrentIndex(0)
    owners = [view.owner_filter.itemText(i) for i in range(view.owner_filter.count())]
    assert owners[0] == "All owners" and "Sam Lee (IT)" in owners and owners[-1] == "Unassigned"
    view.owner_filter.setCurrentIndex(view.owner_filter.findData("Priya Shah (Office manager)"))
    shown = {view.proxy.index(r, 0).data(ItemRole).question_id for r in range(view.proxy.rowCount())}
    assert {"BAK-02", "BAK-04"} <= shown and "VEN-03" not in shown
    view.owner_filter.setCurrentIndex(view.owner_filter.findText("Unassigned"))
    assert all(not view.proxy.index(r, 0).data(ItemRole).owner for r in range(view.proxy.rowCount()))
    assert 0 < view.proxy.rowCount() < total
    view.owner_filter.setCurrentIndex(0)
    window.resize(1280, 800)
    window.grab().save(str(Path(os.environ.get("VCISO_SHOTS", tmp_path)) / "roadmap-progress.png"))


def test_the_plan_calendar_is_exported_from_the_app(open_window, qtbot, demo_workspace, monkeypatch, tmp_path):
    import icalendar

    from ui import prompts

    window, view = _open_roadmap(open_window, qtbot, demo_workspace)
    target = tmp_path / "out" / "plan"
    offered = []
    monkeypatch.setattr(prompts, "save_file", lambda *a, **k: str(target))
    monkeypatch.setattr(prompts, "export_finished", lambda parent, title, text, informative="":
                        offered.append(text) or "ok")
    assert window.export_ics_action.isEnabled()
    window.export_ics_action.trigger()
    qtbot.waitUntil(lambda: bool(offered), timeout=15000)
    calendar = icalendar.Calendar.from_ical(target.with_suffix(".ics").read_bytes())
    summaries = {str(event["SUMMARY"]) for event in calendar.walk("VEVENT")}
    open_titles = {item.title for item in view.model.items() if item.is_open and item.due_date}
    assert summaries == open_titles and "A copy kept out of reach" in summaries
