"""The library dialog: a preview of the selected questionnaire, removing an imported one (to the library's
trash, restorable by hand), and saving the Excel authoring template."""

from __future__ import annotations

import pytest

from ui import prompts
from ui.dialogs.library_dialog import LibraryDialog
from ui.operations import Operations
from vciso.library import load_library

from test_ui_dialogs import GOOD


@pytest.fixture
def ops():
    operations = Operations()
    yield operations
    operations.shutdown()


def _open_dialog(qtbot, ops, rows: int = 3) -> LibraryDialog:
    dialog = LibraryDialog(ops)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.model.rowCount() >= rows, timeout=15000)
    return dialog


def _ids(dialog: LibraryDialog) -> set[str]:
    return {dialog.model.entry(r).questionnaire.id for r in range(dialog.model.rowCount())}


def test_preview_shows_the_selected_questionnaires_sections_and_questions(qtbot, qtmodeltester, ui_env, ops):
    essentials = load_library(None).get("small-business-essentials")
    dialog = _open_dialog(qtbot, ops)
    dialog._select("small-business-essentials")

    assert dialog.preview_title.text().startswith(f"{essentials.title} {essentials.version} — ")
    assert dialog.preview_title.text().endswith(f"{essentials.question_count} questions")
    outline = dialog.outline
    first_section = outline.index(0, 0)
    assert first_section.data() == essentials.sections[0].id
    assert outline.index(0, 1).data() == essentials.sections[0].title
    first_question = outline.index(0, 0, first_section)
    assert first_question.data() == essentials.questions()[0].id
    assert dialog.preview.isExpanded(first_section)  # the questions are shown, not folded away
    assert outline.question_count == essentials.question_count
    qtmodeltester.check(outline)

    # a bundled questionnaire comes with the app: it cannot be removed
    assert not dialog.remove_button.isEnabled()
    assert "cannot be removed" in dialog.remove_button.toolTip()

    # nested sections (the CSF's functions and categories) are parents of their questions
    dialog._select("nist-csf-2.0")
    csf = load_library(None).get("nist-csf-2.0")
    assert f"{csf.question_count} questions" in dialog.preview_title.text()
    section = outline.index(0, 0)
    while outline.rowCount(section) and outline.node(outline.index(0, 0, section)).is_section:
        section = outline.index(0, 0, section)
    assert outline.index(0, 0, section).data() == csf.questions()[0].id
    qtmodeltester.check(outline)


def test_remove_moves_an_imported_questionnaire_to_the_library_trash(qtbot, ui_env, ops, monkeypatch):
    library_dir = ui_env.parent / "library"
    library_dir.mkdir()
    (library_dir / "tiny-check.yaml").write_text(GOOD)
    dialog = _open_dialog(qtbot, ops, rows=4)
    dialog._select("tiny-check")
    assert dialog.preview_title.text() == "Tiny Check 0.1 — 1 section, 1 question"
    assert dialog.outline.index(0, 0, dialog.outline.index(0, 0)).data() == "Q1"
    assert dialog.remove_button.isEnabled()

    asked = []
    monkeypatch.setattr(prompts, "confirm", lambda parent, title, text, action="OK", destructive=False:
                        asked.append((text, action, destructive)) or False)
    dialog.remove_button.click()
    assert "tiny-check" in _ids(dialog) and (library_dir / "tiny-check.yaml").exists()  # cancelled: kept
    text, action, destructive = asked[0]
    assert "Remove “Tiny Check” 0.1 from the library?" in text
    assert str(library_dir / ".trash") in text and "move the file back" in text
    assert (action, destructive) == ("Remove", True)

    monkeypatch.setattr(prompts, "confirm", lambda *a, **k: True)
    dialog.remove_button.click()
    qtbot.waitUntil(lambda: "Removed “Tiny Check”" in dialog.status.text(), timeout=15000)
    assert "tiny-check" not in _ids(dialog)
    assert dialog.model.rowCount() == 3
    assert not (library_dir / "tiny-check.yaml").exists()
    [trashed] = (library_dir / ".trash").iterdir()
    assert trashed.read_text() == GOOD
    assert dialog.problems.isHidden()  # the trash folder is not read as a broken questionnaire

    # the whole app sees the smaller library (e.g. New assessment's list)
    seen = []
    ops.library(seen.append)
    qtbot.waitUntil(lambda: bool(seen), timeout=15000)
    assert "tiny-check" not in {q.id for q in seen[0].questionnaires()}


def test_remove_reports_a_file_that_vanished_meanwhile(qtbot, ui_env, ops, monkeypatch):
    library_dir = ui_env.parent / "library"
    library_dir.mkdir()
    (library_dir / "tiny-check.yaml").write_text(GOOD)
    dialog = _open_dialog(qtbot, ops, rows=4)
    dialog._select("tiny-check")
    (library_dir / "tiny-check.yaml").unlink()  # removed by hand while the dialog is open
    monkeypatch.setattr(prompts, "confirm", lambda *a, **k: True)
    dialog.remove_button.click()
    qtbot.waitUntil(lambda: "was not removed" in dialog.status.text(), timeout=15000)
    assert "no imported questionnaire 'tiny-check'" in dialog.problems.item(0).text()


def test_save_authoring_template_writes_a_workbook_that_imports(qtbot, ui_env, ops, monkeypatch, tmp_path):
    from vciso.importers import import_questionnaire

    offered = []
    monkeypatch.setattr(prompts, "save_file", lambda parent, title, suggested, file_filter:
                        offered.append((suggested, file_filter)) or str(tmp_path / "my questionnaire"))
    finished = []
    monkeypatch.setattr(prompts, "export_finished", lambda parent, title, text, informative="":
                        finished.append((title, text, informative)) or "ok")
    dialog = _open_dialog(qtbot, ops)
    assert "vciso questionnaire template" not in " ".join(w.text() for w in dialog.findChildren(type(dialog.status)))
    dialog.template_button.click()
    qtbot.waitUntil(lambda: bool(finished), timeout=15000)

    saved = tmp_path / "my questionnaire.xlsx"
    assert offered[0][0].endswith("questionnaire-template.xlsx") and "*.xlsx" in offered[0][1]
    assert saved.exists()
    title, text, informative = finished[0]
    assert str(saved) in text and "Import file…" in informative
    assert f"Saved the authoring template as {saved}" in dialog.status.text()
    assert dialog.template_button.isEnabled()
    questionnaire = import_questionnaire(saved, tmp_path / "check")  # it is the importable template
    assert questionnaire.question_count == 1


def test_saving_the_template_where_it_cannot_be_written_says_so(qtbot, ui_env, ops, monkeypatch, tmp_path):
    (tmp_path / "report.pdf").write_text("a file, not a folder")
    monkeypatch.setattr(prompts, "save_file", lambda *a, **k: str(tmp_path / "report.pdf" / "t.xlsx"))
    monkeypatch.setattr(prompts, "export_finished", lambda *a, **k: pytest.fail("reported as saved"))
    dialog = _open_dialog(qtbot, ops)
    dialog.template_button.click()
    qtbot.waitUntil(lambda: "was not saved" in dialog.status.text(), timeout=15000)
    assert not dialog.problems.isHidden() and dialog.template_button.isEnabled()
    assert "t.xlsx" in dialog.problems.item(0).text() or "report.pdf" in dialog.problems.item(0).text()
    assert (tmp_path / "report.pdf").read_text() == "a file, not a folder"
