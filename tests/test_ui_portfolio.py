"""The portfolio view: every client in one table, sorted and filtered, stale clients highlighted, a damaged
file in its own row, and a double-click opens the client."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt

from core_fixtures import worked_example_questionnaire
from ui.portfolio_view import COLUMNS, PortfolioView
from vciso.portfolio import read_portfolio
from vciso.workspace import Workspace


def _workspace(folder: Path) -> Workspace:
    """Three clients assessed on different days with different scores, and one damaged file."""
    workspace = Workspace(folder)
    for name, date, level in (("Charlie Co", "2026-05-01", 1), ("Alpha Ltd", "2025-01-10", 3),
                              ("Bravo Inc", "2026-04-01", 2)):
        with workspace.create_client(name) as client:
            aid = client.create_assessment(worked_example_questionnaire(), f"{name} baseline",
                                           assessment_date=date).id
            client.save_answer(aid, "A1", current=level)
    (folder / "broken.vciso").write_bytes(b"not a database")
    return workspace


def _column(view: PortfolioView, name: str) -> list[str]:
    column = COLUMNS.index(name)
    return [view.proxy.index(r, column).data() for r in range(view.proxy.rowCount())]


def test_the_view_sorts_filters_and_highlights_stale_clients(qtbot, tmp_path, qtmodeltester):
    portfolio = read_portfolio(_workspace(tmp_path / "ws"), dt.date(2026, 6, 1))
    view = PortfolioView()
    qtbot.addWidget(view)
    view.set_portfolio(portfolio)
    qtmodeltester.check(view.model)
    qtmodeltester.check(view.proxy)
    assert _column(view, "Client") == ["Alpha Ltd", "Bravo Inc", "Charlie Co", "broken"]
    assert _column(view, "Score") == ["3.0", "2.0", "1.0", ""]
    assert "broken.vciso" in _column(view, "Latest assessment")[3]

    view.table.sortByColumn(COLUMNS.index("Score"), Qt.SortOrder.DescendingOrder)
    assert _column(view, "Client")[:3] == ["Alpha Ltd", "Bravo Inc", "Charlie Co"]
    view.table.sortByColumn(COLUMNS.index("Days since"), Qt.SortOrder.AscendingOrder)
    assert _column(view, "Client")[1:] == ["Charlie Co", "Bravo Inc", "Alpha Ltd"]  # the unreadable file first

    days = COLUMNS.index("Days since")
    alpha = next(r for r in range(view.proxy.rowCount()) if view.proxy.index(r, 0).data() == "Alpha Ltd")
    assert view.proxy.index(alpha, days).data() == "507"
    assert view.proxy.index(alpha, days).data(Qt.ItemDataRole.BackgroundRole) is not None
    bravo = next(r for r in range(view.proxy.rowCount()) if view.proxy.index(r, 0).data() == "Bravo Inc")
    assert view.proxy.index(bravo, days).data(Qt.ItemDataRole.BackgroundRole) is None

    view.search.setText("brav")
    assert _column(view, "Client") == ["Bravo Inc"]
    assert view.total.text().startswith("1 of 4 shown")
    view.search.clear()
    view.attention.setChecked(True)
    assert sorted(_column(view, "Client")) == ["Alpha Ltd", "broken"]   # stale, and the unreadable file
    qtmodeltester.check(view.proxy)


def test_ctrl_0_shows_the_portfolio_and_a_double_click_opens_the_client(open_window, qtbot, ui_env):
    _workspace(ui_env)
    window = open_window()
    window.portfolio_action.trigger()
    view = window.portfolio_view
    qtbot.waitUntil(lambda: view.proxy.rowCount() == 4, timeout=15000)
    assert window.stack.currentWidget() is view
    assert window.portfolio_action.shortcut().toString() == "Ctrl+0"
    view.search.setText("bravo")
    index = view.proxy.index(0, 1)
    rect = view.table.visualRect(index)
    qtbot.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: window.page is not None and window.stack.currentWidget() is window.page
                    and window.session is not None, timeout=15000)
    assert window.session.path.name == "bravo-inc.vciso"
    assert window.panel.current_listing().name == "Bravo Inc"


def test_the_export_button_writes_the_portfolio_workbook(qtbot, tmp_path, monkeypatch):
    from openpyxl import load_workbook

    from ui import prompts

    view = PortfolioView()
    qtbot.addWidget(view)
    assert not view.export_button.isEnabled()
    view.set_portfolio(read_portfolio(_workspace(tmp_path / "ws"), dt.date(2026, 6, 1)))
    target = tmp_path / "out" / "portfolio.xlsx"
    target.parent.mkdir()
    monkeypatch.setattr(prompts, "save_file", lambda *args: str(target))
    view.export_button.click()
    assert view.total.text() == f"Wrote {target}"
    names = [row[0].value for row in load_workbook(target)["Portfolio"].iter_rows(min_row=2)]
    assert names == ["Alpha Ltd", "Bravo Inc", "Charlie Co", "broken"]


def test_an_answer_given_in_the_app_is_in_the_portfolio_at_once_and_stored_when_the_window_closes(
        open_window, qtbot, ui_env):
    import sqlite3

    from ui.operations.answers import save_answer
    from vciso.portfolio import portfolio_row

    _workspace(ui_env)
    path = ui_env / "alpha-ltd.vciso"
    window = open_window()
    window.portfolio_action.trigger()
    view = window.portfolio_view
    qtbot.waitUntil(lambda: view.proxy.rowCount() == 4, timeout=15000)
    view.search.setText("alpha")
    rect = view.table.visualRect(view.proxy.index(0, 1))
    qtbot.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: window.page is not None and window.session is not None
                    and window.session.path == path, timeout=15000)
    saved = []
    window.ops.changed.connect(lambda *args: saved.append(args))
    save_answer(window.ops, window.page.assessment.id, "A2", current=5)
    qtbot.waitUntil(lambda: bool(saved), timeout=15000)
    row = portfolio_row(path)
    assert row.source == "computed" and row.score == 4.0        # (3 + 5) / 2: read while the app has it open
    window.close()
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        assert conn.execute("SELECT count(*) FROM client_summary").fetchone()[0] == 1
    finally:
        conn.close()
    assert portfolio_row(path).source == "stored" and portfolio_row(path).score == 4.0


def test_f5_reads_the_portfolio_again_with_what_another_program_changed(open_window, qtbot, ui_env):
    workspace = _workspace(ui_env)
    window = open_window()
    window.portfolio_action.trigger()
    view = window.portfolio_view
    qtbot.waitUntil(lambda: view.proxy.rowCount() == 4, timeout=15000)
    with workspace.create_client("Delta GmbH") as client:  # e.g. the command line, while the app shows it
        client.create_assessment(worked_example_questionnaire(), "Delta baseline")
    window.refresh_action.trigger()
    qtbot.waitUntil(lambda: view.proxy.rowCount() == 5, timeout=15000)
    assert window.stack.currentWidget() is view
    assert "Delta GmbH" in _column(view, "Client")
