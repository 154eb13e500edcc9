"""Every modal question the app asks goes through these functions.

Keeping them in one place makes the app's flows testable: tests replace these functions (monkeypatch)
instead of leaving a modal dialog open, and the main code never calls `exec()` on its own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the dialog classes are loaded when first needed, not at start-up
    from PySide6.QtWidgets import QDialog, QInputDialog, QMessageBox, QWidget


def _keep_paths_whole(box: QMessageBox, text: str, parent: QWidget | None) -> None:
    """Widen a message box so that each line of `text` holding a file path shows on one line (up to 70% of
    the screen): a path broken at a space or a slash is hard to read. Sentences still wrap.

    The box is widened with a spacer in its layout, which its own sizing respects; a minimum width on its
    label is not (under a window manager the box then kept a width too small for its text)."""
    from PySide6.QtWidgets import QApplication, QLabel, QSizePolicy, QSpacerItem

    label = box.findChild(QLabel, "qt_msgbox_label")
    paths = [line for line in text.splitlines() if "/" in line or "\\" in line]
    if label is None or not paths:
        return
    screen = (parent.screen() if parent is not None else None) or QApplication.primaryScreen()
    limit = int(screen.availableGeometry().width() * 0.7) if screen is not None else 900
    longest = max(label.fontMetrics().horizontalAdvance(line) for line in paths)
    if longest <= PLAIN_BOX_TEXT_WIDTH:
        return  # the box is as wide as this without help
    layout = box.layout()
    icon = box.iconPixmap().width() + 40  # the icon and the spacing beside the text
    layout.addItem(QSpacerItem(min(longest + icon, limit), 0, QSizePolicy.Policy.Minimum,
                               QSizePolicy.Policy.Minimum), layout.rowCount(), 0, 1, layout.columnCount())


PLAIN_BOX_TEXT_WIDTH = 400  # a message box's text is this wide before it wraps (Qt's box: 500 px with its icon)


def run_dialog(dialog: QDialog) -> bool:
    """Show a dialog modally; True when the user accepted it."""
    from PySide6.QtWidgets import QDialog
    return dialog.exec() == QDialog.DialogCode.Accepted


def confirm(parent: QWidget | None, title: str, text: str, action: str = "OK",
            destructive: bool = False) -> bool:
    """Ask to confirm an action; the safe answer (Cancel) is the default."""
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(QMessageBox.Icon.Warning if destructive else QMessageBox.Icon.Question, title, text,
                      QMessageBox.StandardButton.NoButton, parent)
    ok = box.addButton(action, QMessageBox.ButtonRole.AcceptRole)
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(cancel)
    _keep_paths_whole(box, text, parent)
    box.exec()
    return box.clickedButton() is ok


def choose(parent: QWidget | None, title: str, text: str, choices: list[str], informative: str = "",
           warning: bool = False) -> str | None:
    """Offer a few named choices plus Cancel; returns the chosen label or None. `warning` shows the
    warning icon, for a choice about something that may be a mistake."""
    from PySide6.QtWidgets import QMessageBox

    icon = QMessageBox.Icon.Warning if warning else QMessageBox.Icon.Question
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.NoButton, parent)
    if informative:
        box.setInformativeText(informative)
    buttons = {box.addButton(label, QMessageBox.ButtonRole.AcceptRole): label for label in choices}
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(cancel)
    _keep_paths_whole(box, text, parent)
    box.exec()
    return buttons.get(box.clickedButton())


EXPORT_CHOICES = {"Open file": "open", "Show in folder": "folder"}


def export_finished_box(parent: QWidget | None, title: str, text: str, informative: str = "",
                        choices: dict[str, str] | None = None, warning: bool = False) -> QMessageBox:
    """The box `export_finished` shows (built apart so that tests can look at it without running it):
    the `choices` (label: answer; the export's by default) and OK; the warning icon when `warning`."""
    from PySide6.QtWidgets import QMessageBox

    icon = QMessageBox.Icon.Warning if warning else QMessageBox.Icon.Information
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.NoButton, parent)
    if informative:
        box.setInformativeText(informative)
    # one role for all of them keeps them in this order: the actions first, OK (the default) last
    for label in (EXPORT_CHOICES if choices is None else choices):
        box.addButton(label, QMessageBox.ButtonRole.AcceptRole)
    ok = box.addButton(QMessageBox.StandardButton.Ok)
    box.setDefaultButton(ok)
    box.setEscapeButton(ok)
    _keep_paths_whole(box, text, parent)
    return box


def export_finished(parent: QWidget | None, title: str, text: str, informative: str = "") -> str:
    """Say that a file was written and offer to open it: returns "open", "folder" or "ok" (also for
    Escape or closing the box)."""
    box = export_finished_box(parent, title, text, informative)
    box.exec()
    clicked = box.clickedButton()
    return EXPORT_CHOICES.get(clicked.text(), "ok") if clicked is not None else "ok"


BACKUP_CHOICES = {"Show in folder": "folder"}


def backup_finished(parent: QWidget | None, title: str, text: str, informative: str = "",
                    warning: bool = False) -> str:
    """Say that a backup was written (with the warning icon when `warning`: some clients are not in it,
    named in `informative`) and offer to show its folder: returns "folder" or "ok"."""
    box = export_finished_box(parent, title, text, informative, BACKUP_CHOICES, warning)
    box.exec()
    clicked = box.clickedButton()
    return BACKUP_CHOICES.get(clicked.text(), "ok") if clicked is not None else "ok"


def inform(parent: QWidget | None, title: str, text: str, details: str = "") -> None:
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(QMessageBox.Icon.Information, title, text, QMessageBox.StandardButton.Ok, parent)
    if details:
        box.setDetailedText(details)
    _keep_paths_whole(box, text, parent)
    box.exec()


def error(parent: QWidget | None, title: str, text: str, details: str = "") -> None:
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok, parent)
    if details:
        box.setDetailedText(details)
    _keep_paths_whole(box, text, parent)
    box.exec()


TEXT_DIALOG_MIN_WIDTH = 420


def text_dialog(parent: QWidget | None, title: str, label: str, text: str = "") -> QInputDialog:
    """The dialog `get_text` shows: at least 420 px wide and wide enough for the whole current text and
    label (up to most of the screen), so that a long name is never cut off."""
    from PySide6.QtWidgets import QApplication, QInputDialog, QLineEdit

    dialog = QInputDialog(parent)
    dialog.setWindowTitle(title)
    dialog.setLabelText(label)
    dialog.setInputMode(QInputDialog.InputMode.TextInput)
    dialog.setTextEchoMode(QLineEdit.EchoMode.Normal)
    dialog.setTextValue(text)
    metrics = dialog.fontMetrics()
    edit = dialog.findChild(QLineEdit)
    if edit is not None:
        metrics = edit.fontMetrics()
    # the text, the line edit's frame and padding, and the dialog's margins
    label_width = max(dialog.fontMetrics().horizontalAdvance(line) for line in label.splitlines() or [""])
    wanted = max(metrics.horizontalAdvance(text), label_width) + 100  # a label's widest line, not all of it
    screen = (parent.screen() if parent is not None else None) or QApplication.primaryScreen()
    limit = int(screen.availableGeometry().width() * 0.8) if screen is not None else 1200
    width = min(max(TEXT_DIALOG_MIN_WIDTH, wanted), max(TEXT_DIALOG_MIN_WIDTH, limit))
    dialog.setMinimumWidth(width)
    dialog.resize(width, dialog.sizeHint().height())
    return dialog


def get_text(parent: QWidget | None, title: str, label: str, text: str = "") -> str | None:
    """One line of text, or None when cancelled."""
    from PySide6.QtWidgets import QDialog

    dialog = text_dialog(parent, title, label, text)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.textValue()


def ask_password(parent: QWidget | None, label: str) -> str | None:
    """Ask whether to protect the `label` ("PDF report") with a password: the password, "" for none, or
    None when cancelled. The password is only returned, never kept."""
    from ui.dialogs.password_dialog import PasswordDialog

    dialog = PasswordDialog(label, parent)
    if not run_dialog(dialog):
        return None
    return dialog.password() or ""


def ask_coverage(parent: QWidget | None, label: str, frameworks: list[tuple[str, str]]) -> str | None:
    """Which framework's coverage to add to the `label` as an appendix (a sheet in a workbook): its id, ""
    for none, or None when cancelled. `frameworks` are (id, title) pairs the assessment reaches."""
    from PySide6.QtWidgets import QInputDialog

    none = "No coverage appendix"
    titles = [none] + [f"Coverage of {title}" for _ident, title in frameworks]
    chosen, ok = QInputDialog.getItem(parent, f"Export {label}", "Add how the answers cover another framework "
                                      "(through the mappings)?", titles, 0, False)
    if not ok:
        return None
    return "" if chosen == none else frameworks[titles.index(chosen) - 1][0]


def ask_scope(parent: QWidget | None, label: str, choices: list[tuple[str, str]], current: str) -> str | None:
    """Which questions the `label` ("PDF report") covers: a tag of `choices` ((tag, text) pairs, "" for
    every question), `current` preselected; None when cancelled."""
    from PySide6.QtWidgets import QInputDialog

    texts = [text for _tag, text in choices]
    tags = [tag for tag, _text in choices]
    chosen, ok = QInputDialog.getItem(parent, f"Export {label}", "Which questions should it cover?", texts,
                                      tags.index(current) if current in tags else 0, False)
    if not ok:
        return None
    return tags[texts.index(chosen)]


def ask_passphrase(parent: QWidget | None, file_name: str, again: bool = False) -> str | None:
    """The passphrase of the encrypted client file `file_name`, or None when cancelled. It is returned
    only: the caller keeps it in memory for this run, never in settings or logs."""
    from PySide6.QtWidgets import QDialog, QLineEdit

    label = (f"“{file_name}” is encrypted. Enter its passphrase to open it" + (" (the last one was wrong)"
             if again else "") + ".\nIt is kept in memory until the app closes, never saved.")
    dialog = text_dialog(parent, "Unlock client", label)
    dialog.setTextEchoMode(QLineEdit.EchoMode.Password)
    if dialog.exec() != QDialog.DialogCode.Accepted or not dialog.textValue():
        return None
    return dialog.textValue()


def save_file(parent: QWidget | None, title: str, suggested: str, file_filter: str) -> str | None:
    from PySide6.QtWidgets import QFileDialog

    path, _ = QFileDialog.getSaveFileName(parent, title, suggested, file_filter)
    return path or None


def open_file(parent: QWidget | None, title: str, folder: str, file_filter: str) -> str | None:
    from PySide6.QtWidgets import QFileDialog

    path, _ = QFileDialog.getOpenFileName(parent, title, folder, file_filter)
    return path or None


def open_files(parent: QWidget | None, title: str, folder: str, file_filter: str) -> list[str]:
    """Several existing files, or [] when cancelled."""
    from PySide6.QtWidgets import QFileDialog

    paths, _ = QFileDialog.getOpenFileNames(parent, title, folder, file_filter)
    return list(paths)


def choose_folder(parent: QWidget | None, title: str, folder: str) -> str | None:
    from PySide6.QtWidgets import QFileDialog

    path = QFileDialog.getExistingDirectory(parent, title, folder)
    return path or None
