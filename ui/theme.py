"""The app's look: a calm light palette on the Fusion style, with the firm's accent colour."""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication

from vciso import colours

TEXT = "#1F2933"
MUTED = "#5F6B7A"
BORDER = "#D5DAE1"
WINDOW = "#F4F5F7"
PANEL = "#FFFFFF"
SUBTLE = "#EEF1F5"
GOOD = "#2E7D4F"
WARN = "#B26A00"
BAD = "#B3261E"
NA = "#7A8594"


def accent_color(value: str | None) -> QColor:
    """The accent colour `value` names, by the deliverables' rule (vciso.colours); else the default."""
    return QColor(colours.normalise_accent(value))


def tint(color: QColor, amount: float) -> QColor:
    """The colour mixed with white (vciso.colours.tint): amount 0 = the colour, 1 = white."""
    return QColor(colours.tint(color.name(), amount))


def stylesheet(accent: QColor) -> str:
    light = tint(accent, 0.90).name()
    mid = tint(accent, 0.65).name()
    a = accent.name()
    return f"""
QMainWindow, QDialog {{ background: {WINDOW}; }}
QToolBar {{ background: {PANEL}; border: none; border-bottom: 1px solid {BORDER}; spacing: 4px; padding: 3px; }}
QToolBar QToolButton {{ padding: 4px 8px; border-radius: 4px; }}
QToolBar QToolButton:hover {{ background: {SUBTLE}; }}
QToolBar QToolButton:disabled {{ color: #A3ACB8; }}
QStatusBar {{ background: {PANEL}; border-top: 1px solid {BORDER}; color: {MUTED}; }}
QSplitter::handle {{ background: {BORDER}; }}
QSplitter::handle:horizontal {{ width: 1px; }}
QSplitter::handle:vertical {{ height: 1px; }}
QListView, QTreeView, QTableView {{ background: {PANEL}; border: 1px solid {BORDER}; border-radius: 4px;
    selection-background-color: {light}; selection-color: {TEXT}; outline: 0; }}
QListView::item, QTreeView::item {{ padding: 3px 2px; }}
QListView::item:selected, QTreeView::item:selected, QTableView::item:selected {{
    background: {light}; color: {TEXT}; }}
QHeaderView::section {{ background: {SUBTLE}; color: {MUTED}; border: none;
    border-bottom: 1px solid {BORDER}; border-right: 1px solid {BORDER}; padding: 4px 6px; }}
QLineEdit, QPlainTextEdit, QTextEdit, QComboBox, QSpinBox, QDoubleSpinBox, QDateEdit {{
    background: {PANEL}; border: 1px solid {BORDER}; border-radius: 4px; padding: 3px 5px; }}
QLineEdit:focus, QPlainTextEdit:focus, QComboBox:focus, QSpinBox:focus, QDateEdit:focus {{ border: 1px solid {a}; }}
QPushButton {{ background: {PANEL}; border: 1px solid {BORDER}; border-radius: 4px; padding: 5px 12px; }}
QPushButton:hover {{ border-color: {mid}; background: {light}; }}
QPushButton:disabled {{ color: #9AA4B0; }}
QPushButton[primary="true"] {{ background: {a}; color: white; border-color: {a}; font-weight: 600; }}
QPushButton[primary="true"]:hover {{ background: {tint(accent, 0.15).name()}; }}
QTabWidget::pane {{ border: none; border-top: 1px solid {BORDER}; }}
QTabBar::tab {{ background: transparent; padding: 7px 16px; color: {MUTED}; border: none;
    border-bottom: 2px solid transparent; }}
QTabBar::tab:selected {{ color: {TEXT}; border-bottom: 2px solid {a}; font-weight: 600; }}
QTabBar::tab:hover {{ color: {TEXT}; }}
QScrollArea {{ border: none; background: transparent; }}
QFrame#card {{ background: {PANEL}; border: 1px solid {BORDER}; border-radius: 6px; }}
QFrame#guidance {{ background: {SUBTLE}; border: none; border-left: 3px solid {mid}; border-radius: 2px; }}
QFrame#banner {{ background: #FFF4E0; border: 1px solid #F0C987; border-radius: 4px; }}
QFrame#errorBanner {{ background: #FDECEA; border: 1px solid #F1B0AA; border-radius: 4px; }}
QLabel#muted {{ color: {MUTED}; }}
QLabel#title {{ font-size: 15pt; font-weight: 600; color: {TEXT}; }}
QLabel#heading {{ font-size: 12pt; font-weight: 600; color: {TEXT}; }}
QLabel#sectionLabel {{ color: {MUTED}; font-weight: 600; text-transform: uppercase; }}
QLabel#kpiValue {{ font-size: 20pt; font-weight: 600; color: {a}; }}
QLabel#kpiLabel {{ color: {MUTED}; }}
QLabel#saveState {{ color: {MUTED}; }}
QLabel#saveState[state="saving"] {{ color: {WARN}; }}
QLabel#saveState[state="error"] {{ color: {BAD}; font-weight: 600; }}
QLabel#saveState[state="saved"] {{ color: {GOOD}; }}
QLabel#badge {{ background: {light}; color: {a}; border-radius: 3px; padding: 1px 6px; font-weight: 600; }}
"""


def apply_theme(app: QApplication, accent: str | None = None) -> None:
    """A light palette and the stylesheet, in the given accent colour (on the Fusion style: see ui.app)."""
    color = accent_color(accent)
    palette = QPalette()
    palette.setColor(QPalette.ColorRole.Window, QColor(WINDOW))
    palette.setColor(QPalette.ColorRole.WindowText, QColor(TEXT))
    palette.setColor(QPalette.ColorRole.Base, QColor(PANEL))
    palette.setColor(QPalette.ColorRole.AlternateBase, QColor("#F8F9FB"))
    palette.setColor(QPalette.ColorRole.Text, QColor(TEXT))
    palette.setColor(QPalette.ColorRole.Button, QColor(PANEL))
    palette.setColor(QPalette.ColorRole.ButtonText, QColor(TEXT))
    palette.setColor(QPalette.ColorRole.Highlight, tint(color, 0.82))
    palette.setColor(QPalette.ColorRole.HighlightedText, QColor(TEXT))
    palette.setColor(QPalette.ColorRole.ToolTipBase, QColor(PANEL))
    palette.setColor(QPalette.ColorRole.ToolTipText, QColor(TEXT))
    palette.setColor(QPalette.ColorRole.PlaceholderText, QColor("#8A94A3"))
    palette.setColor(QPalette.ColorRole.Link, color)
    palette.setColor(QPalette.ColorRole.Accent, color)
    disabled = QColor("#9AA4B0")
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, disabled)
    app.setPalette(palette)
    font = app.font()
    if font.pointSizeF() < 10:
        font.setPointSizeF(10)
    font.setStyleStrategy(QFont.StyleStrategy.PreferAntialias)
    app.setFont(font)
    app.setStyleSheet(stylesheet(color))
    app.setProperty("accentColor", color.name())


def current_accent() -> QColor:
    app = QApplication.instance()
    value = app.property("accentColor") if app is not None else None
    return accent_color(value if isinstance(value, str) else None)
