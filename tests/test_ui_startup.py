"""Start-up choices that keep the first paint light must not change what the app does."""

from __future__ import annotations

import os
import subprocess
import sys

import PySide6

from ui import qtcompat


def test_the_version_gate_agrees_with_the_live_probe(qapp) -> None:
    leaks = qtcompat.probe_leaks_references()
    assert qtcompat.binding_leaks_references() == leaks
    if tuple(PySide6.__version_info__[:2]) < qtcompat.FIRST_AFFECTED:
        assert not leaks  # the gate may skip the probe only where the bug is absent


def test_no_guard_timer_on_a_binding_without_the_bug(qapp) -> None:
    qtcompat.install_refcount_guard()
    if not qtcompat.binding_leaks_references():
        assert qtcompat._timer is None


def test_a_new_application_is_on_fusion_whatever_the_platform_default() -> None:
    """create_app picks Fusion on Qt's command line (not setStyle, to keep QStyle out of start-up);
    QT_STYLE_OVERRIDE stands in for a desktop whose default style is another one."""
    code = ("from ui.app import new_application\n"
            "app = new_application(['vciso'])\n"
            "print(app.style().metaObject().className())\n")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", QT_STYLE_OVERRIDE="Windows")
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[0] == "QFusionStyle"


def test_the_garbage_collector_waits_for_the_first_paint_and_then_resumes(tmp_path) -> None:
    """run_app builds the window with the collector off and turns it back on once the window is painted."""
    code = f"""
import gc, sys
from pathlib import Path
from PySide6.QtCore import QTimer
import ui.main_window
from ui.app import run_app
build = ui.main_window.MainWindow.__init__
def watched_build(self, *args, **kwargs):
    print("while building:", gc.isenabled())
    build(self, *args, **kwargs)
    QTimer.singleShot(0, lambda: check(self))
def check(window):
    if window.started:
        print("after the first paint:", gc.isenabled())
        window.close()
    else:
        QTimer.singleShot(10, lambda: check(window))
ui.main_window.MainWindow.__init__ = watched_build
sys.exit(run_app(Path({str(tmp_path / "workspace")!r})))
"""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path / "config"),
               XDG_DATA_HOME=str(tmp_path / "data"))
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "while building: False" in result.stdout
    assert "after the first paint: True" in result.stdout


def test_the_first_frame_uses_the_cached_accent_and_the_settings_correct_it(open_window, ui_env):
    """The accent copy in the window state paints the first frame; once the settings are read, a stale copy
    is corrected on screen and in the cache."""
    from vciso.settings import AppSettings, save_settings
    from ui.app import create_app
    from ui.theme import current_accent
    from ui.window_state import cache_accent, cached_accent

    cache_accent("#7b1fa2")
    create_app()
    assert current_accent().name() == "#7b1fa2"
    save_settings(AppSettings(accent_color="#2e7d4f"))
    open_window()
    assert current_accent().name() == "#2e7d4f"
    assert cached_accent() == "#2e7d4f"


def test_a_fresh_install_paints_in_the_default_accent(qapp, ui_env):
    from ui.app import create_app
    from ui.theme import current_accent
    from ui.window_state import cached_accent
    from vciso import DEFAULT_ACCENT

    assert cached_accent() is None
    create_app()
    assert current_accent().name().lower() == DEFAULT_ACCENT.lower()
