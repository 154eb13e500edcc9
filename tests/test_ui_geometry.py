"""The window fits the screen it is on: at 150 % on a 1366x768 laptop, after a geometry saved on a larger
monitor, and at 1024x640; the walkthrough's level cards are all reachable and the save state is not cut."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHECK = r"""
import json, os, sys
from pathlib import Path
from PySide6.QtCore import QByteArray, QRect, QSettings
tmp = Path(sys.argv[1])
QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp / "qsettings"))
from vciso.demo import create_demo
from vciso.library import load_library
from vciso.workspace import Workspace
with create_demo(Workspace(tmp / "ws"), load_library(None)):
    pass
from ui.app import create_app
from ui.main_window import MainWindow
from ui.window_state import qsettings
app = create_app()
if sys.argv[2] == "huge":   # a geometry saved at another scaling / on a bigger monitor: 1893 px wide
    probe = MainWindow(tmp / "ws")
    probe.setGeometry(QRect(40, 30, 1893, 1100))
    qsettings().setValue("window/geometry", probe.saveGeometry())
    probe.deleteLater()
window = MainWindow(tmp / "ws")
window.show()
import time
deadline = time.monotonic() + 20
while not (window.page is not None and window.page.walkthrough.current_id) and time.monotonic() < deadline:
    app.processEvents(); time.sleep(0.01)
for _ in range(20):
    app.processEvents()
panel = window.page.walkthrough.panel
screen = window.screen().availableGeometry()
label = window.page.walkthrough.save_label
body = panel.scroll.widget()
print(json.dumps({
    "screen": [screen.x(), screen.y(), screen.width(), screen.height()],
    "window": [window.x(), window.y(), window.width(), window.height()],
    "cards": len(panel.level_buttons),
    "cards_inside_body": all(body.rect().contains(b.geometry()) for b in panel.level_buttons),
    "scrollable": panel.scroll.verticalScrollBar().maximum() >= 0,
    "save_text": label.text(),
    "save_fits": label.width() >= label.fontMetrics().horizontalAdvance(label.text()),
    "body_fits_width": body.width() <= panel.scroll.viewport().width(),
}))
window.close()
"""


def _run(tmp_path: Path, width: int, height: int, scale: float, saved: str) -> dict:
    screen = tmp_path / "screen.json"
    screen.write_text(json.dumps({"screens": [{"name": "laptop", "x": 0, "y": 0, "width": width, "height": height,
                                               "logicalDpi": 96, "dpr": 1}]}))
    env = {key: value for key, value in os.environ.items() if not key.startswith("QT_")}
    env.update(QT_QPA_PLATFORM=f"offscreen:configfile={screen}", QT_SCALE_FACTOR=f"{scale:g}",
               VCISO_SETTINGS=str(tmp_path / "settings.json"), VCISO_LIBRARY=str(tmp_path / "lib"))
    result = subprocess.run([sys.executable, "-c", CHECK, str(tmp_path), saved], capture_output=True, text=True,
                            env=env, cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def _fits(found: dict) -> bool:
    sx, sy, sw, sh = found["screen"]
    x, y, w, h = found["window"]
    return sx <= x and sy <= y and x + w <= sx + sw and y + h <= sy + sh


def test_the_window_fits_a_1366x768_screen_at_150_percent_even_after_a_huge_saved_geometry(tmp_path):
    found = _run(tmp_path, 1366, 768, 1.5, "huge")
    assert found["screen"][2:] == [911, 512]
    assert _fits(found), found
    assert found["cards"] == 5 and found["cards_inside_body"] and found["scrollable"]
    assert found["save_fits"] and found["save_text"] and found["body_fits_width"], found


def test_the_window_fits_a_1024x640_screen(tmp_path):
    found = _run(tmp_path, 1024, 640, 1.0, "none")
    assert _fits(found), found
    assert found["save_fits"] and found["body_fits_width"], found
