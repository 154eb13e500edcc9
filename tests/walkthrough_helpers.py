"""Opening the demo client's walkthrough in a test window (pytest-qt)."""

from __future__ import annotations

from typing import Any


def open_demo(open_window: Any, qtbot: Any, workspace: Any) -> tuple[Any, Any]:
    """The window on `workspace` once its walkthrough shows a question, and that walkthrough."""
    window = open_window(workspace)
    qtbot.waitUntil(lambda: window.page is not None and window.page.walkthrough.current_id is not None,
                    timeout=15000)
    window.activateWindow()
    return window, window.page.walkthrough


def open_dashboard(open_window: Any, qtbot: Any, workspace: Any) -> tuple[Any, Any]:
    """The window on `workspace` showing its Dashboard (Ctrl+2) once the first report is on it, and that
    dashboard."""
    window = open_window(workspace)
    qtbot.waitUntil(lambda: window.page is not None and window.page.walkthrough.current_id is not None,
                    timeout=15000)
    window.view_actions[1].trigger()  # Ctrl+2
    qtbot.waitUntil(lambda: window.page.dashboard is not None and window.page.dashboard.report is not None,
                    timeout=15000)
    return window, window.page.dashboard
