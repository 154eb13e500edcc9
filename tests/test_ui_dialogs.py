"""Library and settings dialogs: import with readable problems, settings saved for the deliverables."""

from __future__ import annotations

from PySide6.QtGui import QColor

from ui import prompts
from ui.dialogs.library_dialog import LibraryDialog
from ui.dialogs.settings_dialog import SettingsDialog
from ui.operations import Operations

GOOD = """\
format: vciso-questionnaire/1
id: tiny-check
title: Tiny Check
version: "0.1"
scales:
  - id: yn
    name: Yes/No
    levels:
      - {value: 0, label: "No"}
      - {value: 1, label: "Yes"}
sections:
  - id: S1
    title: Basics
    questions:
      - {id: Q1, text: Do you have backups?}
"""

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
