"""Exports run in the background and offer to open the file; answer imports preview before writing."""

from __future__ import annotations

import json

from exports import registry
from ui import prompts
from vciso.clientfile import ClientFile


def _open_demo(open_window, qtbot, workspace):
    window = open_window(workspace)
    qtbot.waitUntil(lambda: window.page is not None and window.page.walkthrough.current_id is not None,
                    timeout=15000)
    return window


def test_export_writes_in_the_background_and_offers_to_open(open_window, qtbot, demo_workspace, monkeypatch,
                                                             tmp_path):
    window = _open_demo(open_window, qtbot, demo_workspace)
    target = tmp_path / "out" / "report"
    written = {}

    def fake_write(kind, report, path, options=None):
        yield (1, 2, "Cover page")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"{report.client.name}: {report.score.overall.current:.2f}")
        written["kind"] = kind
        yield (2, 2, "Done")
        return ["logo not found"]

    offered = []
    monkeypatch.setattr(registry, "module_available", lambda name: True)
    monkeypatch.setattr(registry, "write", fake_write)
    monkeypatch.setattr(prompts, "save_file", lambda *a, **k: str(target))
    monkeypatch.setattr(prompts, "export_finished", lambda parent, title, text, informative="":
                        offered.append((text, informative)) or "ok")
    window.export_pdf_action.trigger()
    qtbot.waitUntil(lambda: bool(offered), timeout=15000)
    assert written["kind"] == "pdf"
    pdf = target.with_suffix(".pdf")
    assert pdf.read_text().startswith("Bright Smile Dental Group")
    text, informative = offered[0]
    assert str(pdf) in text and "logo not found" in informative   # an information box: Open file, Show in folder, OK
    assert window.deliverables.progress is None


def test_missing_export_module_says_not_available(open_window, qtbot, demo_workspace, monkeypatch):
    window = _open_demo(open_window, qtbot, demo_workspace)
    errors = []
    monkeypatch.setattr(registry, "module_available", lambda name: False)
    monkeypatch.setattr(prompts, "error", lambda parent, title, text, details="": errors.append((title, text)))
    monkeypatch.setattr(prompts, "save_file", lambda *a, **k: (_ for _ in ()).throw(AssertionError("asked")))
    window.export_xlsx_action.trigger()
    assert errors == [("Not available", "The Excel workbook export is not available in this build.")]


def test_import_answers_previews_and_writes_only_when_confirmed(open_window, qtbot, demo_workspace, monkeypatch,
                                                                tmp_path):
    window = _open_demo(open_window, qtbot, demo_workspace)
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps({"questionnaire_id": "small-business-essentials", "answers": [
        {"question_id": "DAT-03", "level": 3, "note": "Locked cabinet", "evidence": "Photo of the cabinet"},
        {"question_id": "ACC-01", "level": 3}]}))
    monkeypatch.setattr(prompts, "open_file", lambda *a, **k: str(answers))
    previews = []

    def decline(dialog):
        previews.append([[dialog.model.index(r, c).data() for c in range(5)] for r in range(dialog.model.rowCount())])
        return False

    monkeypatch.setattr(prompts, "run_dialog", decline)
    window.import_answers_action.trigger()
    qtbot.waitUntil(lambda: bool(previews), timeout=15000)
    rows = {row[1]: row for row in previews[0]}
    assert rows["DAT-03"][0] == "Changed" and rows["ACC-01"][0] == "Unchanged"
    assert rows["DAT-03"][4] == "level, notes, evidence"
    qtbot.waitUntil(lambda: window.ops.idle, timeout=5000)
    assessment_id = window.page.assessment.id
    with ClientFile(window.open_path) as client:
        assert client.response(assessment_id, "DAT-03").current is None  # declined: nothing written

    monkeypatch.setattr(prompts, "run_dialog", lambda dialog: True)
    window.import_answers_action.trigger()
    qtbot.waitUntil(lambda: window.page.walkthrough.model.response("DAT-03").current == 3.0, timeout=15000)
    with ClientFile(window.open_path) as client:
        response = client.response(assessment_id, "DAT-03")
    assert (response.current, response.note, response.evidence) == (3.0, "Locked cabinet", "Photo of the cabinet")


def test_import_with_problems_writes_nothing(open_window, qtbot, demo_workspace, monkeypatch, tmp_path):
    window = _open_demo(open_window, qtbot, demo_workspace)
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps([{"question_id": "DAT-03", "level": 3}, {"question_id": "ZZZ", "level": 1}]))
    monkeypatch.setattr(prompts, "open_file", lambda *a, **k: str(answers))
    seen = []

    def accept(dialog):
        seen.append(dialog)
        return True

    monkeypatch.setattr(prompts, "run_dialog", accept)
    window.import_answers_action.trigger()
    qtbot.waitUntil(lambda: bool(seen), timeout=15000)
    dialog = seen[0]
    from PySide6.QtWidgets import QDialogButtonBox
    assert not dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()
    qtbot.waitUntil(lambda: window.ops.idle, timeout=5000)
    with ClientFile(window.open_path) as client:
        assert client.response(window.page.assessment.id, "DAT-03").current is None


def test_the_questionnaire_workbook_is_exported_blank_or_pre_filled_as_asked(open_window, qtbot, demo_workspace,
                                                                            monkeypatch, tmp_path):
    import openpyxl

    window = _open_demo(open_window, qtbot, demo_workspace)
    asked = []

    def export(answer: str):
        target = tmp_path / f"{answer}.xlsx"
        finished = []
        monkeypatch.setattr(prompts, "save_file", lambda *a, **k: str(target))

        def choose(parent, title, text, choices, informative="", **kwargs):
            if "blank" in text:
                asked.append(choices)
                return answer
            finished.append(text)
            return None

        monkeypatch.setattr(prompts, "choose", choose)
        monkeypatch.setattr(prompts, "export_finished", lambda *a, **k: finished.append(a) or "ok")
        window.export_questionnaire_action.trigger()
        qtbot.waitUntil(lambda: bool(finished), timeout=20000)
        sheet = openpyxl.load_workbook(target)["Questions"]
        return [row for row in sheet.iter_rows(values_only=True) if row and row[1] == "BAK-01"][0]

    blank, prefilled = export("Blank"), export("Pre-filled")
    assert asked == [["Pre-filled", "Blank"]] * 2
    assert blank != prefilled                         # the pre-filled one carries the stored answer


def test_an_import_with_problems_can_import_its_valid_rows_as_an_explicit_choice(open_window, qtbot, demo_workspace,
                                                                                  monkeypatch, tmp_path):
    window = _open_demo(open_window, qtbot, demo_workspace)
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps([{"question_id": "DAT-03", "level": 3}, {"question_id": "ZZZ", "level": 1},
                                   {"question_id": "ACC-01", "level": 9}]))
    monkeypatch.setattr(prompts, "open_file", lambda *a, **k: str(answers))
    seen = []

    def skip_problems(dialog):
        seen.append(dialog)
        assert dialog.skip_button.text() == "Import the 1 valid answer, skip 2 rows with problems"
        dialog.skip_button.click()
        return True

    monkeypatch.setattr(prompts, "run_dialog", skip_problems)
    window.import_answers_action.trigger()
    qtbot.waitUntil(lambda: bool(seen), timeout=15000)
    qtbot.waitUntil(lambda: window.ops.idle, timeout=5000)
    with ClientFile(window.open_path) as client:
        aid = window.page.assessment.id
        assert client.response(aid, "DAT-03").current == 3.0
        assert client.history(aid, "DAT-03")[-1].source == "import: answers.json (2 rows with problems skipped)"


def test_the_suggested_export_name_keeps_within_the_file_system_limit():
    from ui.deliverables import safe_name

    assert safe_name("Acme Ltd - Baseline - ", "report.pdf") == "Acme Ltd - Baseline - report.pdf"
    long = safe_name("Д" * 300 + " - Baseline: Q1/Q2 - ", "report.pdf")
    assert len(long.encode("utf-8")) <= 200 and long.endswith(" - report.pdf") and long.startswith("ДДД")
    assert "/" not in safe_name("a/b:c", "x.pdf")
