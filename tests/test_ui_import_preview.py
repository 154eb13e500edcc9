"""The app's import: a preview (format, id, source, licence, sections, first questions) with Import / Cancel,
the structure choice for OSCAL catalogs, a taken id replaced by a free one before anything is written; and
the walkthrough's tag filter (implementation groups)."""

from __future__ import annotations

import hashlib
from pathlib import Path
from types import SimpleNamespace

import pytest

from ui import prompts
from ui.dialogs.import_preview_dialog import ImportPreviewDialog
from ui.dialogs.library_dialog import LibraryDialog
from ui.operations import Operations
from vciso.importers import read_import_file
from vciso.library import load_library
from vciso.questionnaire import questionnaire_from_dict

HERE = Path(__file__).parent
GROUPING = HERE / "fixtures" / "oscal" / "grouping_catalog.json"
SCORED = HERE / "fixtures" / "ciso_assistant" / "scored_framework.yaml"


@pytest.fixture
def ops():
    operations = Operations()
    yield operations
    operations.shutdown()


def _digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")) if folder.exists() else []:
        digest.update(str(path).encode() + (path.read_bytes() if path.is_file() else b""))
    return digest.hexdigest()


def _library_dialog(qtbot, ops) -> LibraryDialog:
    dialog = LibraryDialog(ops)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.model.rowCount() >= 3, timeout=15000)
    return dialog


def test_import_shows_the_preview_and_the_chosen_structure_is_imported(qtbot, ui_env, ops, monkeypatch):
    library_dir = ui_env.parent / "library"
    dialog = _library_dialog(qtbot, ops)
    seen: dict = {}

    def preview(shown: ImportPreviewDialog) -> bool:
        qtbot.addWidget(shown)
        text = shown.summary.toPlainText()
        seen["before"] = text
        seen["assess_visible"] = not shown.assess_combo.isHidden()
        shown.assess_combo.setCurrentIndex(shown.assess_combo.findData("all"))  # read again: every control
        qtbot.waitUntil(lambda: not shown.busy, timeout=15000)
        seen["after"] = shown.summary.toPlainText()
        return shown.import_button.isEnabled()

    monkeypatch.setattr(prompts, "run_dialog", preview)
    dialog.import_file(GROUPING)
    qtbot.waitUntil(lambda: "Imported “Electronic Version of ACME" in dialog.status.text(), timeout=15000)
    assert "Format:    OSCAL catalog (JSON)" in seen["before"] and "Id:        acme-csf-2.0" in seen["before"]
    assert "Structure: 2 sections at level 1, 3 sections at level 2; 5 questions" in seen["before"]
    assert "Licence:   as published by the catalog's author" in seen["before"]
    assert seen["assess_visible"]
    assert "Structure: 2 sections at level 1; 8 questions" in seen["after"]
    assert load_library(library_dir).get("acme-csf-2.0").question_count == 8
    assert "(8 questions)" in dialog.status.text()


def test_cancel_in_the_preview_writes_nothing(qtbot, ui_env, ops, monkeypatch):
    library_dir = ui_env.parent / "library"
    before = _digest(library_dir)
    dialog = _library_dialog(qtbot, ops)
    shown: list = []
    monkeypatch.setattr(prompts, "run_dialog", lambda preview: shown.append(preview) or False)
    dialog.import_file(SCORED)
    qtbot.waitUntil(lambda: "cancelled" in dialog.status.text(), timeout=15000)
    assert dialog.status.text() == "scored_framework.yaml was not imported (cancelled); the library is unchanged."
    assert shown[0].assess_combo.isHidden()  # a CISO Assistant library has no nested controls to choose about
    assert "Tags:      IG1 — Essentials, IG2 — Growing" in shown[0].summary.toPlainText()
    assert _digest(library_dir) == before and dialog.import_button.isEnabled()


def test_a_taken_id_is_replaced_by_a_free_one_before_import(qtbot, ui_env, ops, monkeypatch, tmp_path):
    ours = tmp_path / "ours.yaml"
    ours.write_text("id: nist-csf-2.0\ntitle: Our CSF\nversion: '1'\nscales:\n  - id: yn\n    levels: "
                    "[{value: 0, label: 'No'}, {value: 1, label: 'Yes'}]\nsections:\n  - id: S\n    title: S\n"
                    "    questions:\n      - {id: Q1, text: Done?}\n", encoding="utf-8")
    dialog = _library_dialog(qtbot, ops)
    checks: dict = {}

    def preview(shown: ImportPreviewDialog) -> bool:
        qtbot.addWidget(shown)
        checks["prefilled"] = shown.id_edit.text()
        checks["warning"] = shown.warning.text() if not shown.warning.isHidden() else ""
        checks["enabled"] = shown.import_button.isEnabled()
        shown.id_edit.setText("small-business-essentials")
        shown._rename("small-business-essentials")           # another taken id: Import is not offered
        checks["taken_enabled"] = shown.import_button.isEnabled()
        shown._rename("bad id!")
        checks["bad_enabled"] = shown.import_button.isEnabled()
        shown.id_edit.setText("our-csf")
        shown._rename("our-csf")
        return shown.import_button.isEnabled()

    monkeypatch.setattr(prompts, "run_dialog", preview)
    dialog.import_file(ours)
    qtbot.waitUntil(lambda: "Imported “Our CSF”" in dialog.status.text(), timeout=15000)
    assert checks["prefilled"] == "nist-csf-2.0-copy" and checks["enabled"]
    assert "“nist-csf-2.0” is already taken by “NIST CSF 2.0 Maturity Assessment”" in checks["warning"]
    assert not checks["taken_enabled"] and not checks["bad_enabled"]
    library = load_library(ui_env.parent / "library")
    assert library.get("our-csf").title == "Our CSF"
    assert library.get("nist-csf-2.0").title == "NIST CSF 2.0 Maturity Assessment"  # the bundled one, untouched


def test_the_walkthrough_filters_by_tag_only_when_there_are_tags(qtbot, ui_env, ops):
    from PySide6.QtCore import QModelIndex

    from ui.walkthrough import WalkthroughView
    from ui.walkthrough_model import QuestionIdRole

    view = WalkthroughView(ops)
    qtbot.addWidget(view)
    view.show()
    tagged = questionnaire_from_dict(read_import_file(SCORED).data)
    assessment = SimpleNamespace(id=1, default_target=None, assessment_date="2026-01-15")
    view.set_assessment(assessment, tagged, {})
    assert not view.tag_combo.isHidden()
    assert [view.tag_combo.itemText(i) for i in range(view.tag_combo.count())] == [
        "All tags", "IG1 — Essentials (3)", "IG2 — Growing (4)"]

    def shown_questions() -> list[str]:
        out = []

        def walk(parent: QModelIndex) -> None:
            for row in range(view.proxy.rowCount(parent)):
                index = view.proxy.index(row, 0, parent)
                if index.data(QuestionIdRole):
                    out.append(index.data(QuestionIdRole))
                walk(index)
        walk(QModelIndex())
        return out

    view.tag_combo.setCurrentIndex(view.tag_combo.findData("IG1"))
    assert shown_questions() == ["GOV.1", "gov.node3", "OPS.A.1"]
    assert view.current_id in {"GOV.1", "gov.node3", "OPS.A.1"}
    view.go_to("GOV.2")  # a question the filter hides: the filter is cleared to show it
    assert view.tag_combo.currentIndex() == 0 and view.current_id == "GOV.2"
    assert len(shown_questions()) == 7

    untagged = questionnaire_from_dict(read_import_file(HERE / "fixtures" / "oscal" / "plain_catalog.json").data)
    view.set_assessment(assessment, untagged, {})
    assert view.tag_combo.isHidden() and view.proxy.tag == ""
