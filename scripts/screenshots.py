"""Screenshots of every main view with the demo client, rendered offscreen (QWidget.grab()).

    python scripts/screenshots.py                    # 1366x768 into docs/screenshots/
    python scripts/screenshots.py --size 1024x640    # smaller laptop screen (files get a -1024x640 suffix)
    python scripts/screenshots.py --scale 1.5        # a 1366x768 screen at 150 % (suffix -1366x768@1.5x)

Runs in a temporary workspace, with temporary settings and window state: the user's own files are never
touched.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SIZE = (1366, 768)


def wait(app: Any, condition: Callable[[], bool], timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the app did not get there in time")
        app.processEvents()
        time.sleep(0.01)
    for _ in range(5):
        app.processEvents()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", default="1366x768", help="window size, e.g. 1024x640")
    parser.add_argument("--scale", type=float, default=1.0, help="display scaling, e.g. 1.5 (QT_SCALE_FACTOR)")
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    args = parser.parse_args(argv)
    width, height = (int(v) for v in args.size.lower().split("x"))
    suffix = "" if (width, height) == DEFAULT_SIZE else f"-{width}x{height}"
    if args.scale != 1.0:
        suffix = f"-{width}x{height}@{args.scale:g}x"
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    temp = Path(tempfile.mkdtemp(prefix="vciso-shots-"))
    # an offscreen screen of exactly this size (in device pixels), at this scaling
    screen = temp / "screen.json"
    screen.write_text(f'{{"screens": [{{"name": "shots", "x": 0, "y": 0, "width": {width}, "height": {height}, '
                      f'"logicalDpi": 96, "dpr": 1}}]}}')
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={screen}"
    if args.scale != 1.0:
        os.environ["QT_SCALE_FACTOR"] = f"{args.scale:g}"
    os.environ["VCISO_SETTINGS"] = str(temp / "settings.json")
    os.environ["VCISO_LIBRARY"] = str(temp / "library")
    sys.path.insert(0, str(ROOT))

    from PySide6.QtCore import QSettings

    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(temp / "qsettings"))
    from vciso.settings import AppSettings, save_settings

    save_settings(AppSettings(consultant="Alex Morgan", firm_name="Northwind Security Advisory"))

    from ui.app import create_app
    from ui.main_window import MainWindow

    app = create_app()
    window = MainWindow(temp / "workspace")
    window.resize(round(width / args.scale), round(height / args.scale))
    window.fit_to_screen()   # what the app itself does on a screen of this size
    window.show()
    shots: list[Path] = []

    def shoot(widget: Any, name: str) -> None:
        for _ in range(5):
            app.processEvents()
        path = out / f"{name}{suffix}.png"
        widget.grab().save(str(path))
        shots.append(path)

    try:
        wait(app, lambda: window.clients_loaded)
        shoot(window, "01-welcome")

        window.create_demo()
        wait(app, lambda: window.page is not None and window.stack.currentWidget() is window.page
             and window.page.walkthrough.current_id is not None)
        walkthrough = window.page.walkthrough
        walkthrough.go_to("BAK-02")  # a question with notes, a flag and an earlier answer
        shoot(window, "02-walkthrough")

        window.page.tabs.setCurrentIndex(1)
        wait(app, lambda: window.page.dashboard is not None and window.page.dashboard.report is not None)
        shoot(window, "03-dashboard")

        window.page.tabs.setCurrentIndex(2)
        wait(app, lambda: window.page.roadmap.loaded)
        window.page.roadmap.table.selectRow(0)
        shoot(window, "04-roadmap")

        from ui.dialogs.library_dialog import LibraryDialog
        library = LibraryDialog(window.ops, window)
        library.resize(min(900, width - 80), min(560, height - 80))
        library.show()
        wait(app, lambda: library.model.rowCount() > 0)
        shoot(library, "05-library")
        library.close()

        from ui.dialogs.settings_dialog import SettingsDialog
        settings = SettingsDialog(window.settings, window)
        settings.show()
        shoot(settings, "06-settings")
        settings.close()

        (temp / "workspace" / "x.vciso").write_bytes(b"\x00garbage, not a client file" * 20)
        window.refresh_clients(select="x")
        wait(app, lambda: window.stack.currentWidget() is window.message and "cannot be opened"
             in window.message.title.text())
        shoot(window, "07-corrupt-file")
    finally:
        window.close()
        app.processEvents()
    for path in shots:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
