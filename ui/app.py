"""Start the desktop app: `run_app` is what `vciso` (with no arguments) calls."""

from __future__ import annotations

import gc
import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

APP_NAME = "vCISO Workbench"


def create_app(argv: list[str] | None = None) -> QApplication:
    """The QApplication, themed (an existing one is reused, e.g. under tests or a benchmark)."""
    from ui.theme import apply_theme
    from ui.window_state import cached_accent

    app = QApplication.instance()
    if isinstance(app, QApplication):
        app.setStyle("Fusion")
    else:
        app = new_application(argv if argv is not None else sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    from ui.qtcompat import install_refcount_guard
    install_refcount_guard()
    apply_theme(app, cached_accent())  # the settings themselves are read after the first paint
    return app


def new_application(argv: list[str]) -> QApplication:
    """A QApplication on the Fusion style, chosen on Qt's command line: `app.setStyle()` would load
    PySide's QStyle type and its enums (~6 ms) before the first paint, for nothing."""
    args = list(argv) or [APP_NAME]
    return QApplication([args[0], "-style", "Fusion", *args[1:]])


def run_app(workspace: Path | None = None) -> int:
    """Show the main window on `workspace` (None: the configured or default workspace); returns the exit code."""
    # Start-up allocates objects that live as long as the app (Qt's types, enums, widgets): collecting
    # garbage among them only delays the window. The collector resumes once the window is painted.
    # (`vciso` turns it off earlier still, before Qt is imported: vciso.cli.launch_app.)
    gc.disable()
    app = create_app()
    from ui.main_window import MainWindow

    window = MainWindow(workspace)
    window.firstPainted.connect(gc.enable)
    window.show()
    QTimer.singleShot(2000, gc.enable)  # should no paint ever come (a hidden or minimised start)
    return int(app.exec())
