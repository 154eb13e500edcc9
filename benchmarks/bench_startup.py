"""Start-up time and UI-thread time per answer. A report, never a timed test.

    python benchmarks/bench_startup.py [--runs 5] [--answers 50]

1. Start-up: the time from process start to the main window's first paint, for `vciso` on a workspace
   holding the demo client, against an empty QMainWindow shown by the same Python (median of N runs each,
   alternated). Also reported: when the client list is filled (the window is usable), and the longest
   time the UI thread was busy in between. Target: <= 1.5x.

   How it is measured, the same way for both windows: the child stamps the time when the main window
   itself receives its first Paint event (an event filter on that window only: one on the whole
   application would also tax every event of every child widget, which the empty window has none of).
   The child runs with bytecode caching on, as an installed app does from its second start, and
   finds its settings through the user folders (XDG_* pointed at a temporary folder).
2. Answering: the time the UI thread spends per answer given in the walkthrough (the digit key, the
   saved result coming back, and Enter to move on), over ~50 answers: median and max.

Everything runs offscreen (QT_QPA_PLATFORM=offscreen unless set) in a temporary workspace.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

EMPTY_CHILD = r"""
import sys, time
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv[:1])
class Probe(QObject):
    seen = False
    def eventFilter(self, obj, event):
        if not self.seen and event.type() == QEvent.Type.Paint:
            self.seen = True
            print("painted", time.time(), flush=True)
            QTimer.singleShot(0, app.quit)
        return False
probe = Probe()
window = QMainWindow()
window.resize(1366, 768)
window.installEventFilter(probe)
window.show()
app.exec()
"""

APP_CHILD = r"""
import importlib.util, sys, time

def watch(main_window_module):
    # the probe, on the main window only, installed as soon as ui.main_window is loaded: the child
    # imports nothing ahead of the app, which keeps the app's own import order (and its start-up work)
    from PySide6.QtCore import QEvent, QObject, QTimer

    class Probe(QObject):
        seen = False
        def eventFilter(self, obj, event):
            if not self.seen and event.type() == QEvent.Type.Paint:
                self.seen = True
                self.window = obj
                print("painted", time.time(), flush=True)
                self.last, self.stall = time.perf_counter(), 0.0
                QTimer.singleShot(0, self.poll)
            return False
        def poll(self):  # every 2 ms until the clients are listed; a longer gap is the UI thread busy
            now = time.perf_counter()
            self.stall, self.last = max(self.stall, now - self.last), now
            if getattr(self.window, "clients_loaded", False):
                print("listed", time.time(), flush=True)
                print("stall", self.stall, flush=True)
                self.window.close()
            else:
                QTimer.singleShot(2, self.poll)

    probe = Probe()
    build = main_window_module.MainWindow.__init__
    def watched_build(self, *args, **kwargs):
        build(self, *args, **kwargs)
        self.installEventFilter(probe)
    main_window_module.MainWindow.__init__ = watched_build
    main_window_module.bench_probe = probe

class WatchImport:
    def find_spec(self, name, path=None, target=None):
        if name != "ui.main_window":
            return None
        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(name)
        load = spec.loader.exec_module
        def exec_module(module):
            load(module)
            watch(module)
        spec.loader.exec_module = exec_module
        return spec

sys.meta_path.insert(0, WatchImport())
from pathlib import Path
if sys.argv[2] == "cli":
    from vciso.cli import main  # what the `vciso` script runs
    sys.exit(main(["--workspace", sys.argv[1]]))
from ui.app import run_app
sys.exit(run_app(Path(sys.argv[1])))
"""


def _child_env(temp: Path) -> dict[str, str]:
    env = dict(os.environ)
    # measure what a consultant sees from the second start on: with the modules' bytecode cached (pip
    # compiles it at install; without this, every start would recompile whatever changed since)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    for name in ("VCISO_SETTINGS", "VCISO_LIBRARY", "VCISO_WORKSPACE"):
        env.pop(name, None)
    # the user folders, found as on a consultant's machine (platformdirs), but in the temporary folder:
    # settings, library and window state never touch the real ones
    env["XDG_CONFIG_HOME"] = str(temp / "config")
    env["XDG_DATA_HOME"] = str(temp / "data")
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def _run(code: str, args: list[str], env: dict[str, str]) -> dict[str, float]:
    start = time.time()
    result = subprocess.run([sys.executable, "-c", code, *args], env=env, capture_output=True, text=True,
                            timeout=60)
    marks = {}
    for line in result.stdout.splitlines():
        name, _, stamp = line.partition(" ")
        if name in ("painted", "listed"):
            marks[name] = float(stamp) - start
        elif name == "stall":
            marks[name] = float(stamp)
    if "painted" not in marks:
        raise RuntimeError(f"the child did not report its first paint:\n{result.stderr[-2000:]}")
    return marks


def bench_startup(temp: Path, workspace: Path, runs: int) -> None:
    env = _child_env(temp)
    _run(EMPTY_CHILD, [], env)  # warm the file cache for both
    _run(APP_CHILD, [str(workspace), "cli"], env)
    empty: list[float] = []
    marks: dict[str, dict[str, list[float]]] = {"cli": {}, "app": {}}
    for _ in range(runs):
        empty.append(_run(EMPTY_CHILD, [], env)["painted"])
        for entry in ("cli", "app"):
            for name, value in _run(APP_CHILD, [str(workspace), entry], env).items():
                marks[entry].setdefault(name, []).append(value)
    base, best = statistics.median(empty), min(empty)
    print(f"Start-up, median of {runs} (process start -> first paint of the main window; best run in brackets):")
    print(f"  empty QMainWindow                      {base * 1000:6.0f} ms ({best * 1000:.0f})")
    for entry, label in (("cli", "`vciso` (entry point)"), ("app", "ui.app.run_app (without the CLI)")):
        shown, shown_best = statistics.median(marks[entry]["painted"]), min(marks[entry]["painted"])
        line = (f"  {label:<38} {shown * 1000:6.0f} ms ({shown_best * 1000:.0f})"
                f"   ratio {shown / base:.2f}x ({shown_best / best:.2f}x)")
        if marks[entry].get("listed"):
            listed = statistics.median(marks[entry]["listed"])
            stall = statistics.median(marks[entry]["stall"])
            line += (f"   (clients listed at {listed * 1000:.0f} ms, {listed / base:.2f}x;"
                     f" longest UI-thread stall meanwhile {stall * 1000:.0f} ms)")
        print(line + ("   target <= 1.5x" if entry == "cli" else ""))


def bench_answers(temp: Path, workspace: Path, count: int) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    for name in ("VCISO_SETTINGS", "VCISO_LIBRARY", "VCISO_WORKSPACE"):
        os.environ.pop(name, None)
    os.environ.update({k: v for k, v in _child_env(temp).items() if k.startswith("XDG_")})
    sys.path.insert(0, str(ROOT))
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    import ui.operations as operations
    from ui.app import create_app
    from ui.main_window import MainWindow

    spent: list[float] = []
    original = operations.Operations._on_done

    def timed(self: Any, job_id: int) -> None:
        start = time.perf_counter()
        original(self, job_id)
        spent.append(time.perf_counter() - start)

    operations.Operations._on_done = timed  # type: ignore[method-assign]
    app = create_app()
    window = MainWindow(workspace)
    window.resize(1366, 768)
    window.show()

    def wait(condition: Any) -> None:
        deadline = time.monotonic() + 30
        while not condition():
            if time.monotonic() > deadline:
                raise TimeoutError("the app did not get there in time")
            app.processEvents()

    per_answer: list[float] = []
    per_move: list[float] = []
    try:
        wait(lambda: window.page is not None and window.page.walkthrough.current_id is not None)
        window.activateWindow()  # keyboard shortcuts work in the active window only
        deadline = time.monotonic() + 2
        while not window.isActiveWindow() and time.monotonic() < deadline:
            app.processEvents()
        if not window.isActiveWindow():
            print("  (the window could not be activated: no window manager? keys may not reach it)")
        walkthrough = window.page.walkthrough
        walkthrough.go_to(walkthrough.order[0])
        panel = walkthrough.panel
        panel.setFocus()
        for index in range(count):
            spent.clear()
            start = time.perf_counter()
            QTest.keyClick(panel, Qt.Key.Key_0 + (index % 5))
            pressed = time.perf_counter() - start
            wait(lambda: window.ops.idle and bool(spent))
            per_answer.append(pressed + sum(spent))
            start = time.perf_counter()
            QTest.keyClick(panel, Qt.Key.Key_Return)
            per_move.append(time.perf_counter() - start)
            if walkthrough.current_id == walkthrough.order[-1]:
                walkthrough.go_to(walkthrough.order[0])
    finally:
        window.close()
        app.processEvents()

    def ms(values: list[float]) -> str:
        return f"median {statistics.median(values) * 1000:6.2f} ms   max {max(values) * 1000:6.2f} ms"

    print(f"UI-thread time over {count} answers (the save itself runs on the worker thread):")
    print(f"  digit key + saved result   {ms(per_answer)}")
    print(f"  Enter to the next question {ms(per_move)}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--answers", type=int, default=50)
    args = parser.parse_args()
    temp = Path(tempfile.mkdtemp(prefix="vciso-bench-"))
    workspace = temp / "workspace"
    sys.path.insert(0, str(ROOT))
    from vciso.demo import create_demo
    from vciso.library import load_library
    from vciso.workspace import Workspace

    with create_demo(Workspace(workspace), load_library(None)):
        pass
    print(f"Python {sys.version.split()[0]}, platform {os.environ.get('QT_QPA_PLATFORM', 'offscreen')}\n")
    bench_startup(temp, workspace, args.runs)
    print()
    bench_answers(temp, workspace, args.answers)
    sys.stdout.flush()
    os._exit(0)  # skip interpreter teardown of the Qt objects: PySide6 can crash there, after the report


if __name__ == "__main__":
    sys.exit(main())
