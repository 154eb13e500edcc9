"""Roadmap edits are saved at once and survive closing and reopening the client."""

from __future__ import annotations

from PySide6.QtCore import QDate, Qt

from ui import prompts
from ui.roadmap_model import ItemRole, RoadmapTableModel
from vciso.clientfile import ClientFile
from vciso.roadmap_store import roadmap_items


def _open_roadmap(open_window, qtbot, workspace):
    window = open_window(workspace)
    qtbot.waitUntil(lambda: window.page is not None and window.page.walkthrough.current_id is not None,
                    timeout=15000)
    window.view_actions[2].trigger()  # Ctrl+3
    qtbot.waitUntil(lambda: window.page.roadmap.loaded, timeout=15000)
    return window, window.page.roadmap


def _row_of(view, question_id):
    proxy = view.proxy
    for row in range(proxy.rowCount()):
        if proxy.index(row, 0).data(ItemRole).question_id == question_id:
            return row
    raise AssertionError(f"{question_id} not in the roadmap")


def test_owner_status_and_due_date_edits_survive_reopening(open_window, qtbot, demo_workspace):
    window, view = _open_roadmap(open_window, qtbot, demo_workspace)
    columns = RoadmapTableModel.COLUMNS
    row = _row_of(view, "ACC-02")
    proxy = view.proxy
    assert proxy.setData(proxy.index(row, columns.index("owner")), "Sam Lee (IT)")
    # status and due date through their delegates, as a double-click would
    status_index = proxy.index(row, columns.index("status"))
    delegate = view.table.itemDelegateForColumn(columns.index("status"))
    editor = delegate.createEditor(view.table.viewport(), None, status_index)
    delegate.setEditorData(editor, status_index)
    editor.setCurrentIndex(editor.findData("Done"))
    delegate.setModelData(editor, proxy, status_index)
    due_index = proxy.index(row, columns.index("due_date"))
    date_delegate = view.table.itemDelegateForColumn(columns.index("due_date"))
    date_editor = date_delegate.createEditor(view.table.viewport(), None, due_index)
    assert date_editor.calendarPopup()
    date_editor.setDate(QDate(2030, 1, 31))
    date_delegate.setModelData(date_editor, proxy, due_index)
    qtbot.waitUntil(lambda: window.ops.idle, timeout=10000)
    path = window.open_path
    window.close()

    with ClientFile(path) as client:
        follow_up = client.assessment()
        item = next(i for i in roadmap_items(client, follow_up.id) if i.question_id == "ACC-02")
    assert (item.owner, item.status, item.due_date) == ("Sam Lee (IT)", "Done", "2030-01-31")
    assert {"owner", "status", "due_date"} <= set(item.edited)

    # reopen in a new window: the edits are there, and regenerating keeps them
    window2, view2 = _open_roadmap(open_window, qtbot, demo_workspace)
    item = view2.proxy.index(_row_of(view2, "ACC-02"), 0).data(ItemRole)
    assert (item.owner, item.status) == ("Sam Lee (IT)", "Done")
    view2.regenerate()
    qtbot.waitUntil(lambda: window2.ops.idle, timeout=10000)
    item = view2.proxy.index(_row_of(view2, "ACC-02"), 0).data(ItemRole)
    assert (item.owner, item.status, item.due_date) == ("Sam Lee (IT)", "Done", "2030-01-31")


def test_filter_add_and_delete_own_item(open_window, qtbot, demo_workspace, monkeypatch):
    window, view = _open_roadmap(open_window, qtbot, demo_workspace)
    total = view.proxy.rowCount()
    view.status_filter.setCurrentIndex(view.status_filter.findData("In progress"))
    assert view.proxy.rowCount() == 1  # the demo has one item in progress (BAK-02)
    view.status_filter.setCurrentIndex(0)
    view.phase_filter.setCurrentIndex(view.phase_filter.findData(0))
    assert 0 < view.proxy.rowCount() < total
    view.phase_filter.setCurrentIndex(0)

    monkeypatch.setattr(prompts, "get_text", lambda *args, **kwargs: "Buy a fire safe for backup drives")
    view.add_item()
    qtbot.waitUntil(lambda: view.proxy.rowCount() == total + 1, timeout=10000)
    added = view._selected()
    assert added.title == "Buy a fire safe for backup drives" and added.origin == "manual"
    monkeypatch.setattr(prompts, "confirm", lambda *args, **kwargs: True)
    assert view.delete_button.isEnabled()
    view.delete_item()
    qtbot.waitUntil(lambda: view.proxy.rowCount() == total, timeout=10000)

    # sorting by priority puts the highest first
    view.table.sortByColumn(RoadmapTableModel.COLUMNS.index("priority"), Qt.SortOrder.DescendingOrder)
    priorities = [view.proxy.index(r, 0).data(ItemRole).priority for r in range(view.proxy.rowCount())]
    assert priorities == sorted(priorities, reverse=True)


def test_no_column_is_narrower_than_its_header(open_window, qtbot, demo_workspace):
    window, view = _open_roadmap(open_window, qtbot, demo_workspace)
    window.resize(1366, 768)   # on a laptop screen; narrower, the columns give way (see test_ui_trust)
    header = view.table.horizontalHeader()
    qtbot.waitUntil(lambda: header.sectionSize(RoadmapTableModel.COLUMNS.index("title")) > 240, timeout=5000)
    for column, title in enumerate(RoadmapTableModel.HEADERS):
        assert header.sectionSize(column) >= header.sectionSizeHint(column), title
