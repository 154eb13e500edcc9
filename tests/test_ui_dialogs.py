"""Dialogs: library import with readable problems, settings saved for the deliverables, the export-finished
box, text input sized to its text, dialogs not clipped at their default size, and the shortcuts table."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from core_fixtures import TINY_QUESTIONNAIRE_YAML
from ui import prompts
from ui.dialogs.library_dialog import LibraryDialog
from ui.dialogs.settings_dialog import SettingsDialog
from ui.operations import Operations

GOOD = TINY_QUESTIONNAIRE_YAML

BAD = """\
format: vciso-questionnaire/1
id: broken
title: Broken
version: "1"
scales:
  - id: yn
    levels:
      - {value: 0, label: "No"}
sections:
  - id: S1
    title: Basics
    questions:
      - {id: Q1}
"""


def test_library_lists_imports_and_shows_problems(qtbot, ui_env, tmp_path, monkeypatch):
    ops = Operations()
    try:
        library_dir = tmp_path / "library"
        library_dir.mkdir()
        (library_dir / "damaged.yaml").write_text("id: [unclosed")
        dialog = LibraryDialog(ops)
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitUntil(lambda: dialog.model.rowCount() >= 3, timeout=15000)
        assert not dialog.problems.isHidden()
        assert "damaged.yaml" in dialog.problems.item(0).text()

        bad = tmp_path / "bad.yaml"
        bad.write_text(BAD)
        dialog.import_file(bad)
        qtbot.waitUntil(lambda: "was not imported" in dialog.status.text(), timeout=15000)
        problems = [dialog.problems.item(i).text() for i in range(dialog.problems.count())]
        assert any("at least two levels" in p for p in problems)
        assert any("'text' is required" in p for p in problems)

        good = tmp_path / "good.yaml"
        good.write_text(GOOD)
        monkeypatch.setattr(prompts, "open_file", lambda *a, **k: str(good))
        monkeypatch.setattr(prompts, "run_dialog", lambda preview: True)  # the import preview: Import
        dialog.import_button.click()
        qtbot.waitUntil(lambda: "Imported “Tiny Check”" in dialog.status.text(), timeout=15000)
        ids = {dialog.model.entry(r).questionnaire.id for r in range(dialog.model.rowCount())}
        assert "tiny-check" in ids
        assert (library_dir / "tiny-check.yaml").exists()
    finally:
        ops.shutdown()


def test_settings_dialog_saves_what_the_deliverables_use(open_window, qtbot, monkeypatch, ui_env):
    from vciso.settings import load_settings

    window = open_window()

    def edit(dialog: SettingsDialog) -> bool:
        dialog.consultant_edit.setText("Alex Morgan")
        dialog.firm_edit.setText("Northwind Security")
        dialog.accent = QColor("#2E7D4F")
        dialog.target_combo.setCurrentIndex(dialog.target_combo.findData(4.0))
        dialog.phases_edit.setText("14, 60, 120")
        assert "0–14 days" in dialog.phases_hint.text()
        assert dialog.paper_combo.currentText() == "A4 (210 × 297 mm)"
        dialog.paper_combo.setCurrentIndex(dialog.paper_combo.findText("US Letter (8.5 × 11 in)"))
        return True

    monkeypatch.setattr(prompts, "run_dialog", edit)
    window.settings_action.trigger()
    saved = load_settings()
    assert (saved.consultant, saved.firm_name, saved.accent_color) == ("Alex Morgan", "Northwind Security", "#2e7d4f")
    assert saved.default_target == 4.0 and saved.phase_days == [14, 60, 120]
    assert saved.branding().firm_name == "Northwind Security"
    assert saved.paper_size == "Letter" and saved.branding().paper_size == "Letter"
    assert window.settings.phase_days == [14, 60, 120]

    shown = []
    monkeypatch.setattr(prompts, "run_dialog", lambda dialog: shown.append(dialog.paper_combo.currentText()))
    window.settings_action.trigger()
    assert shown == ["US Letter (8.5 × 11 in)"]  # the dialog opens on the saved choice


def test_settings_dialog_refuses_bad_phase_lengths(qtbot, ui_env):
    from vciso.settings import AppSettings
    from PySide6.QtWidgets import QDialogButtonBox

    dialog = SettingsDialog(AppSettings())
    qtbot.addWidget(dialog)
    dialog.phases_edit.setText("90, 30")
    assert not dialog.buttons.button(QDialogButtonBox.StandardButton.Save).isEnabled()
    assert "increasing" in dialog.phases_hint.text()


def test_about_shows_the_version(open_window, monkeypatch):
    from vciso import __version__

    shown = []
    monkeypatch.setattr(prompts, "inform", lambda parent, title, text, details="": shown.append(text))
    window = open_window()
    window.about_action.trigger()
    assert __version__ in shown[0]


# --------------------------------------------------------------------------- information boxes, text input


def test_export_finished_is_an_information_box_with_open_folder_and_ok(qtbot, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    box = prompts.export_finished_box(None, "Export finished", "The PDF report was saved as\n/tmp/report.pdf",
                                      "Please check:\n• no logo")
    qtbot.addWidget(box)
    assert box.icon() == QMessageBox.Icon.Information
    assert [b.text().replace("&", "") for b in box.buttons()] == ["Open file", "Show in folder", "OK"]
    assert box.defaultButton().text().replace("&", "") == "OK"
    assert box.escapeButton() is box.defaultButton()
    assert all(b.text() != "Cancel" for b in box.buttons())
    assert "no logo" in box.informativeText()

    def clicking(label):
        def exec_(self):  # instead of a modal loop: the user clicks `label`
            if label is None:
                self.escapeButton().click()
            else:
                next(b for b in self.buttons() if b.text().replace("&", "") == label).click()
            return 0
        return exec_

    for label, answer in (("Open file", "open"), ("Show in folder", "folder"), ("OK", "ok"), (None, "ok")):
        monkeypatch.setattr(QMessageBox, "exec", clicking(label))
        assert prompts.export_finished(None, "Export finished", "saved") == answer


def test_text_dialog_shows_a_long_current_name_whole(qtbot, monkeypatch):
    from PySide6.QtWidgets import QInputDialog, QLineEdit

    short = prompts.text_dialog(None, "Add roadmap item", "What needs to be done?")
    qtbot.addWidget(short)
    short.show()
    assert short.width() >= prompts.TEXT_DIALOG_MIN_WIDTH

    name = "Six-month follow-up of the security risk assessment, Riverside clinic"
    dialog = prompts.text_dialog(None, "Rename assessment", "New name:", name)
    qtbot.addWidget(dialog)
    dialog.show()
    edit = dialog.findChild(QLineEdit)
    assert edit.text() == name
    # the whole name fits in the field: nothing scrolled out of view at either end
    assert edit.fontMetrics().horizontalAdvance(name) < edit.contentsRect().width() - 8
    assert dialog.width() > short.width()

    def type_and_accept(self):
        self.findChild(QLineEdit).setText("Follow-up, November")
        self.accept()
        return 1
    monkeypatch.setattr(QInputDialog, "exec", type_and_accept)
    assert prompts.get_text(None, "Rename assessment", "New name:", name) == "Follow-up, November"
    monkeypatch.setattr(QInputDialog, "exec", lambda self: self.reject() or 0)
    assert prompts.get_text(None, "Rename assessment", "New name:", name) is None


def test_dialogs_show_their_choices_whole_at_their_default_size(qtbot, ui_env):
    """The follow-up choice and the settings' hints are not cut off when the dialogs open."""
    from PySide6.QtWidgets import QLineEdit

    from ui.dialogs.assessment_dialog import AssessmentDialog
    from vciso.demo import create_demo
    from vciso.library import load_library
    from vciso.settings import AppSettings
    from vciso.workspace import Workspace

    library = load_library(None)
    with create_demo(Workspace(ui_env), library) as client:
        earlier = client.assessments()
    dialog = AssessmentDialog(library.questionnaires(), earlier, "Alex", based_on=earlier[0].id)
    qtbot.addWidget(dialog)
    dialog.show()
    combo = dialog.based_on_combo
    assert combo.currentText().startswith("Follow-up of “")
    assert combo.width() >= combo.sizeHint().width()  # the chosen text is shown whole

    settings = SettingsDialog(AppSettings())
    qtbot.addWidget(settings)
    settings.show()
    for edit in (settings.workspace_edit, settings.logo_edit):
        assert isinstance(edit, QLineEdit) and edit.text() == ""
        assert edit.fontMetrics().horizontalAdvance(edit.placeholderText()) < edit.contentsRect().width() - 8


# --------------------------------------------------------------------------- keyboard shortcuts


def test_f1_opens_the_shortcuts_table_grouped(open_window, qtbot, monkeypatch, qtmodeltester):
    from PySide6.QtGui import QKeySequence

    from ui.dialogs.shortcuts_dialog import SHORTCUTS, ShortcutsDialog

    shown = []
    monkeypatch.setattr(prompts, "run_dialog", lambda dialog: shown.append(dialog))
    window = open_window()
    assert window.shortcuts_action.shortcut().toString() == "F1"
    window.shortcuts_action.trigger()
    [dialog] = shown
    qtbot.addWidget(dialog)
    assert isinstance(dialog, ShortcutsDialog)
    for model in dialog.models:
        qtmodeltester.check(model)
    groups = [m.index(r, 0).data() for m in dialog.models for r in range(m.rowCount())]
    assert groups == ["Walkthrough", "Views", "Clients and assessments", "Edit", "App"]
    assert [m.headerData(c, Qt.Orientation.Horizontal) for m in dialog.models[:1] for c in range(2)] == \
        ["Action", "Keys"]
    edit = next(m.index(r, 0) for m in dialog.models for r in range(m.rowCount()) if m.index(r, 0).data() == "Edit")
    rows = [(edit.model().index(r, 0, edit).data(), edit.model().index(r, 1, edit).data())
            for r in range(edit.model().rowCount(edit))]
    assert rows == [("Undo", "Ctrl+Z"), ("Redo", "Ctrl+Shift+Z / Ctrl+Y"), ("Clear answer", "Delete / Backspace"),
                    ("Assessment properties", "F2"), ("Reload", "F5")]

    # the table says what the window really does
    listed = {action: keys for _group, action, keys in SHORTCUTS}
    bound = {"New client": window.new_client_action, "Edit client profile": window.edit_client_action,
             "New assessment": window.new_assessment_action, "Questionnaire library": window.library_action,
             "Import answers from a workbook": window.import_answers_action,
             "Export the PDF report": window.export_pdf_action, "Export the Excel workbook": window.export_xlsx_action,
             "Undo": window.undo_action, "Redo": window.redo_action,
             "Assessment properties": window.rename_assessment_action, "Reload": window.refresh_action,
             "Settings": window.settings_action, "Keyboard shortcuts": window.shortcuts_action,
             "Quit": window.quit_action, "Walkthrough": window.view_actions[0], "Dashboard": window.view_actions[1],
             "Roadmap": window.view_actions[2]}
    for name, action in bound.items():
        keys = tuple(s.toString(QKeySequence.SequenceFormat.PortableText) for s in action.shortcuts())
        assert keys == listed[name], name


def test_every_export_is_in_the_toolbar_export_menu(open_window, qtbot):
    from PySide6.QtWidgets import QToolBar

    window = open_window()
    menu = [a.text() for a in window.export_menu.actions()]
    assert menu == [window.export_pdf_action.text(), window.export_xlsx_action.text(),
                    window.export_docx_action.text(), window.export_progress_action.text(),
                    window.export_questionnaire_action.text(), window.export_ics_action.text()]
    toolbar = window.findChild(QToolBar, "mainToolbar")
    labels = [a.text() for a in toolbar.actions() if a.text()]
    assert labels.count("Settings") == 1 and "Export Excel" not in labels
    assert not window.export_button.isEnabled()  # nothing open: nothing to export


def test_a_message_box_shows_every_path_whole_and_its_text_uncut(qtbot):
    """A box whose text holds a short path was shrunk to 174 px with its text cut off; a long path must
    show on one line."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QLabel

    long_path = "/home/consultant/engagements-2026/bright-smile-group-restored.vciso"
    texts = ["Restored 1 client into\n/tmp/x1/ws\n\n• “Bright Smile Dental Group” as bright-smile-restored.vciso",
             f"Backed up 3 clients to\n{long_path}"]
    for text in texts:
        seen = {}

        def look() -> None:
            box = QApplication.activeModalWidget()
            label = box.findChild(QLabel, "qt_msgbox_label")
            metrics = label.fontMetrics()
            seen["label"], seen["box"] = label.width(), box.width()
            seen["path"] = max(metrics.horizontalAdvance(line) for line in text.splitlines() if "/" in line)
            seen["needed"] = label.heightForWidth(label.width())
            seen["height"] = label.height()
            box.accept()

        QTimer.singleShot(300, look)
        prompts.inform(None, "Restore from backup", text)
        screen = QApplication.primaryScreen().availableGeometry().width()
        assert seen["path"] < screen * 0.7 - 80, "the test's path fits the test screen"
        assert seen["label"] >= seen["path"], seen  # every path on one line
        assert seen["height"] >= seen["needed"], seen  # and no line cut off below
        assert seen["box"] >= 400, seen


def test_a_two_line_label_sizes_the_text_dialog_by_its_widest_line(qtbot):
    label = ("“bright-smile-dental-group-restored” is encrypted. Enter its passphrase to open it.\n"
             "It is kept in memory until the app closes, never saved.")
    dialog = prompts.text_dialog(None, "Unlock client", label)
    qtbot.addWidget(dialog)
    widest = max(dialog.fontMetrics().horizontalAdvance(line) for line in label.splitlines())
    assert dialog.minimumWidth() <= max(prompts.TEXT_DIALOG_MIN_WIDTH, widest + 100)
    assert dialog.minimumWidth() >= widest  # the widest line is still shown whole


def test_the_export_button_is_available_once_an_assessment_is_open(open_window, qtbot, demo_workspace):
    window = open_window(demo_workspace)
    qtbot.waitUntil(lambda: window.page is not None and window.page.walkthrough.current_id is not None,
                    timeout=15000)
    assert window.export_button.isEnabled() and window.export_xlsx_action.isEnabled()
