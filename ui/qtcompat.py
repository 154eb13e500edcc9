"""A guard against a reference-counting bug of PySide6 6.12.0 on Python 3.11.

With that combination, every value PySide6 takes back from Python for a `None`, `True` or `False`
(a model's `data()` returning None, a slot called from Qt, `Signal.emit()`'s result, ...) loses one
reference. On Python 3.12 and later these objects are immortal and nothing happens; on 3.11 their count
reaches zero after a few hundred calls and CPython aborts ("none_dealloc: deallocating None").

`install_refcount_guard()` checks once whether the running binding has the bug and, only then, keeps
the three singletons' counts far from zero with a cheap timer. The real fix is a PySide6 release without
the bug, or Python >= 3.12 (see the hand-over notes); this keeps the app alive until then.
"""

from __future__ import annotations

import sys
from typing import Any

FIRST_AFFECTED = (6, 12)     # 6.11.x and earlier do not have the bug; the live probe runs from here on
FLOOR = 1_000_000           # top the counts up whenever they fall below this ...
TOP_UP = 4_000_000          # ... to about this; ob_refcnt is a Py_ssize_t, far from overflowing
INTERVAL_MS = 250

_installed = False
_timer: Any = None


def binding_leaks_references() -> bool:
    """Whether returning None from a Python override to Qt loses a reference to None (tested live)."""
    if sys.version_info >= (3, 12):
        return False  # None, True and False are immortal
    import PySide6

    if tuple(PySide6.__version_info__[:2]) < FIRST_AFFECTED:
        return False  # the probe costs ~15 ms of start-up: spared where the bug cannot be
    return probe_leaks_references()


def probe_leaks_references() -> bool:
    """The live test: does a None returned by a model's data() to Qt lose a reference?"""
    from PySide6.QtCore import QAbstractListModel, QModelIndex, QSortFilterProxyModel, Qt

    class _Probe(QAbstractListModel):
        def rowCount(self, parent: Any = QModelIndex()) -> int:
            return 1

        def data(self, index: Any, role: int = 0) -> Any:
            return None

    probe = _Probe()
    proxy = QSortFilterProxyModel()
    proxy.setSourceModel(probe)
    index = proxy.index(0, 0)
    before = sys.getrefcount(None)
    for _ in range(50):
        proxy.data(index, Qt.ItemDataRole.ToolTipRole)
    return before - sys.getrefcount(None) >= 40


def top_up() -> None:
    """Give None, True and False back the references the binding took (only when they run low).

    The count is the first field of every CPython object (ob_refcnt); raising it under the GIL in one
    write is what a million Py_IncRef calls would do."""
    import ctypes

    for value in (None, True, False):
        count = sys.getrefcount(value)
        if count < FLOOR:
            ctypes.c_ssize_t.from_address(id(value)).value += TOP_UP - count


def install_refcount_guard() -> None:
    """Start the guard (idempotent; needs a Qt application). Does nothing on unaffected versions."""
    global _installed, _timer
    if _installed:
        return
    from PySide6.QtCore import QCoreApplication, QTimer

    app = QCoreApplication.instance()
    if app is None:
        return
    _installed = True
    if not binding_leaks_references():
        return
    top_up()
    _timer = QTimer(app)
    _timer.setInterval(INTERVAL_MS)
    _timer.timeout.connect(top_up)
    _timer.start()
