"""Reading an answers file: the kind is decided by content (a misnamed file is read right), and the CLI and
the app give the same one-line message for a missing file or a file that holds no answers."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import openpyxl
import pytest

from exports.questionnaire_workbook import write_questionnaire_workbook
from vciso.answer_import import plan_import, read_answer_file
from vciso.cli import main
from vciso.errors import ImportProblem
from vciso.library import load_library
from vciso.questionnaire_xlsx import COL_ID, COL_LEVEL
from vciso.report import build_report
from vciso.workspace import Workspace

CLIENT = "Harbour Bakery"
NOT_ANSWERS = "not an Excel workbook (.xlsx); the file is damaged, truncated or of another kind"


@pytest.fixture
def workspace(tmp_path):
    return Workspace(tmp_path / "ws")


@pytest.fixture
def assessment_id(workspace, tmp_path):
    library = load_library(tmp_path / "lib")
    with workspace.create_client(CLIENT) as client:
        return client.create_assessment(library.get("small-business-essentials"), "Self-assessment").id


@pytest.fixture
def questionnaire(workspace, assessment_id):
    with workspace.open_client(CLIENT) as client:
        return client.questionnaire(assessment_id)


def _json_answers(path: Path, questionnaire_id: str = "small-business-essentials") -> Path:
    path.write_text(json.dumps({"questionnaire_id": questionnaire_id, "answers": [
        {"question_id": "ACC-01", "level": 3}, {"question_id": "ACC-02", "level": "Mostly"}]}))
    return path


def _filled_workbook(workspace: Workspace, assessment_id: int, path: Path) -> Path:
    """The questionnaire workbook exported for the assessment, with ACC-01 answered 2."""
    with workspace.open_client(CLIENT) as client:
        write_questionnaire_workbook(build_report(client, assessment_id), path, prefill=False)
    wb = openpyxl.load_workbook(path)
    ws = wb["Questions"]
    columns = {cell.value: cell.column for cell in ws[1] if cell.value}
    for row in range(2, ws.max_row + 1):
        if ws.cell(row, columns[COL_ID]).value == "ACC-01":
            ws.cell(row, columns[COL_LEVEL]).value = 2
    wb.save(path)
    return path


def test_a_json_file_named_xlsx_is_read_as_json(tmp_path, questionnaire):
    rows = read_answer_file(_json_answers(tmp_path / "answers.xlsx"), questionnaire)
    assert [(r.where, r.question_id, r.level) for r in rows] == [("answer #1", "ACC-01", 3),
                                                                ("answer #2", "ACC-02", "Mostly")]


def test_a_workbook_named_json_is_read_as_a_workbook(tmp_path, workspace, assessment_id, questionnaire):
    workbook = _filled_workbook(workspace, assessment_id, tmp_path / "filled.xlsx")
    misnamed = tmp_path / "filled.json"
    shutil.copyfile(workbook, misnamed)
    rows = read_answer_file(misnamed, questionnaire)
    assert [(r.question_id, r.level) for r in rows if r.level is not None] == [("ACC-01", 2)]
    assert len(rows) == questionnaire.question_count
    assert all(r.where.startswith("sheet 'Questions' row ") for r in rows)
    with workspace.open_client(CLIENT) as client:
        plan = plan_import(client, assessment_id, rows, misnamed.name)
    assert plan.ok and [(r.question_id, r.current) for r in plan.new] == [("ACC-01", 2)]


def test_a_missing_file_gets_one_clear_message(tmp_path, questionnaire):
    missing = tmp_path / "nowhere" / "answers.xlsx"
    with pytest.raises(ImportProblem) as error:
        read_answer_file(missing, questionnaire)
    assert str(error.value) == f"{missing}: no such file"


@pytest.mark.parametrize("name", ["answers.json", "answers.xlsx", "answers.csv"])
def test_a_file_that_holds_no_answers_gets_the_same_message_whatever_its_name(tmp_path, questionnaire, name):
    path = tmp_path / name
    path.write_text("question,level\nACC-01,3\n")
    with pytest.raises(ImportProblem) as error:
        read_answer_file(path, questionnaire)
    assert str(error.value) == f"{name}: {NOT_ANSWERS}"

    path.write_bytes(b"")
    with pytest.raises(ImportProblem, match=rf"^{name.replace('.', '[.]')}: the file is empty$"):
        read_answer_file(path, questionnaire)


def test_json_answers_for_another_questionnaire_are_refused(tmp_path, questionnaire):
    path = _json_answers(tmp_path / "answers.json", questionnaire_id="nist-csf-2.0")
    with pytest.raises(ImportProblem) as error:
        read_answer_file(path, questionnaire)
    assert str(error.value) == ("answers.json: the answers are for questionnaire 'nist-csf-2.0', but this "
                                "assessment uses 'small-business-essentials'")


def test_the_cli_reads_misnamed_files_and_says_what_is_wrong_in_one_line(tmp_path, workspace, assessment_id,
                                                                           capsys):
    base = ["--workspace", str(tmp_path / "ws"), "answers", "import", CLIENT, str(assessment_id)]
    assert main(base + [str(_json_answers(tmp_path / "answers.xlsx")), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "answers.xlsx: 2 new, 0 changed, 0 unchanged, 0 problems" in out and "Dry run" in out

    workbook = tmp_path / "filled.json"
    shutil.copyfile(_filled_workbook(workspace, assessment_id, tmp_path / "filled.xlsx"), workbook)
    assert main(base + [str(workbook)]) == 0
    assert "Imported 1 answer " in capsys.readouterr().out

    other = tmp_path / "notes.json"
    other.write_text("question,level\n")
    assert main(base + [str(other)]) != 0
    assert capsys.readouterr().err.strip().splitlines() == [f"vciso: notes.json: {NOT_ANSWERS}"]


def test_the_app_reads_a_misnamed_file_and_shows_the_same_message_as_the_cli(open_window, qtbot, demo_workspace,
                                                                             monkeypatch, tmp_path):
    from ui import prompts

    window = open_window(demo_workspace)
    qtbot.waitUntil(lambda: window.page is not None and window.page.walkthrough.current_id is not None,
                    timeout=15000)
    answers = _json_answers(tmp_path / "answers.xlsx")
    previews, errors = [], []
    monkeypatch.setattr(prompts, "open_file", lambda *a, **k: str(answers))

    def decline(dialog):
        previews.append(dialog.model.rowCount())
        return False

    monkeypatch.setattr(prompts, "run_dialog", decline)
    monkeypatch.setattr(prompts, "error", lambda parent, title, text, details="": errors.append((title, text)))
    window.import_answers_action.trigger()
    qtbot.waitUntil(lambda: bool(previews), timeout=15000)
    assert previews == [2] and errors == []

    qtbot.waitUntil(lambda: window.ops.idle, timeout=5000)
    answers.write_text("question,level\n")
    window.import_answers_action.trigger()
    qtbot.waitUntil(lambda: bool(errors), timeout=15000)
    assert errors == [("Import answers", f"answers.xlsx: {NOT_ANSWERS}")]
