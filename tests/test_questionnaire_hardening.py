"""The questionnaire workbook survives what clients and their spreadsheets do to it: free text typed into
the answer cells stays the text typed (the cells are Text, so "+49", "0012" and "=x" are not turned into
numbers or formulas), a cell holding an error value (#VALUE!, #DIV/0!) is refused with its sheet, row and
cell named and nothing is written, the first sheet counts the questions answered and still to answer, and
the respondent's name and date come back into the preview and the history.

The LibreOffice round trips run the real `soffice` (and its Python bridge to type into cells the way a
person's typing is read); they are skipped, saying why, where LibreOffice is not installed.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

from exports.questionnaire_workbook import write_questionnaire_workbook
from vciso.answer_import import apply_import, plan_import
from vciso.cli import main
from vciso.errors import ImportProblem
from vciso.library import load_library
from vciso.questionnaire_xlsx import (ANSWERED_LABEL, COL_EVIDENCE, COL_ID, COL_LEVEL, COL_NA_REASON, COL_NOTES,
                                      COL_TARGET, INSTRUCTIONS_SHEET, QUESTIONS_SHEET, REMAINING_LABEL,
                                      RESPONDENT_DATE_LABEL, RESPONDENT_NAME_LABEL, read_questionnaire_workbook)
from vciso.report import build_report
from vciso.workspace import Workspace

CLIENT = "Harbour Bakery"
QUESTIONS = 36  # in small-business-essentials
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
TYPING_SCRIPT = Path(__file__).with_name("libreoffice_typing.py")
needs_libreoffice = pytest.mark.skipif(
    SOFFICE is None, reason="LibreOffice is not installed (apt-get install libreoffice-calc): the round trips "
                            "through a real spreadsheet program cannot run")


@pytest.fixture
def library(tmp_path):
    return load_library(tmp_path / "lib")


@pytest.fixture
def workspace(tmp_path):
    return Workspace(tmp_path / "ws")


@pytest.fixture
def assessment_id(workspace, library):
    with workspace.create_client(CLIENT) as client:
        return client.create_assessment(library.get("small-business-essentials"), "Self-assessment").id


@pytest.fixture(scope="session")
def office_profile(tmp_path_factory) -> Path:
    """One LibreOffice user profile for the session: never the user's own, created once (a few seconds)."""
    return tmp_path_factory.mktemp("libreoffice-profile")


@pytest.fixture(scope="session")
def uno_python() -> str:
    """A Python with LibreOffice's `uno` module (Debian's python3-uno, which libreoffice-calc recommends)."""
    for candidate in (os.environ.get("VCISO_UNO_PYTHON"), "/usr/bin/python3", shutil.which("python3")):
        if candidate and Path(candidate).exists() and subprocess.run(
                [candidate, "-c", "import uno"], capture_output=True, timeout=60).returncode == 0:
            return candidate
    pytest.skip("LibreOffice's Python bridge is not installed (apt-get install python3-uno): cannot type "
                "into cells with LibreOffice")


def _export(workspace: Workspace, path: Path, prefill: bool = False) -> None:
    with workspace.open_client(CLIENT) as client:
        write_questionnaire_workbook(build_report(client), path, prefill=prefill)


def _layout(ws) -> tuple[dict[str, int], dict[str, int]]:
    """The column number of each header and the row of each question id on the Questions sheet."""
    columns = {cell.value: cell.column for cell in ws[1] if cell.value}
    rows = {ws.cell(row=r, column=columns[COL_ID]).value: r for r in range(2, ws.max_row + 1)}
    return columns, rows


def _labelled(ws, label: str):
    """The cell right of the cell holding `label` (the respondent and counter cells of Instructions)."""
    for row in ws.iter_rows():
        for cell in row:
            if cell.value == label:
                return ws.cell(row=cell.row, column=cell.column + 1)
    raise AssertionError(f"no cell '{label}' on sheet {ws.title}")


def _convert(source: Path, to: str, profile: Path, export_filter: str = "") -> Path:
    """`soffice --headless --convert-to` into a folder of its own; returns the converted file."""
    out = source.parent / f"converted-{to}"
    result = subprocess.run([SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
                             "--convert-to", f"{to}:{export_filter}" if export_filter else to, "--outdir",
                             str(out), str(source)],
                            capture_output=True, text=True, timeout=300)
    converted = out / f"{source.stem}.{to}"
    assert converted.exists(), f"LibreOffice did not convert {source.name}: {result.stdout} {result.stderr}"
    return converted


def _type(python: str, source: Path, target: Path, cells: list[tuple[str, str, str]], profile: Path) -> None:
    """Type each (sheet, cell, text) into the workbook with LibreOffice, save as .xlsx."""
    result = subprocess.run([python, str(TYPING_SCRIPT), SOFFICE, str(source), str(target), str(profile),
                             json.dumps(cells)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0 and target.exists(), f"typing with LibreOffice failed: {result.stderr}"


def _client_state(workspace: Workspace, assessment_id: int, tmp_path: Path) -> tuple:
    client_file = next((tmp_path / "ws").glob("*.vciso"))
    with workspace.open_client(CLIENT) as client:
        return client.responses(assessment_id), len(client.history(assessment_id)), client_file.read_bytes()


def test_free_text_answer_cells_are_text(workspace, assessment_id, tmp_path):
    with workspace.open_client(CLIENT) as client:
        client.save_answer(assessment_id, "ACC-01", current=2, note="=the owner still reuses one password",
                           evidence="+ checked")
    path = tmp_path / "questionnaire.xlsx"
    _export(workspace, path, prefill=True)
    wb = openpyxl.load_workbook(path)
    ws = wb[QUESTIONS_SHEET]
    columns, rows = _layout(ws)
    assert len(rows) == QUESTIONS
    for row in rows.values():
        for header in (COL_NOTES, COL_EVIDENCE, COL_NA_REASON):
            assert ws.cell(row=row, column=columns[header]).number_format == "@", (header, row)
        for header in (COL_LEVEL, COL_TARGET):  # drop-down values: not text-only
            assert ws.cell(row=row, column=columns[header]).number_format == "General"
    notes = ws.cell(row=rows["ACC-01"], column=columns[COL_NOTES])
    assert (notes.value, notes.data_type) == ("=the owner still reuses one password", "s")


def test_first_sheet_has_respondent_cells_and_a_live_counter(workspace, assessment_id, tmp_path):
    path = tmp_path / "questionnaire.xlsx"
    _export(workspace, path)
    wb = openpyxl.load_workbook(path)
    columns, _rows = _layout(wb[QUESTIONS_SHEET])
    first = wb.worksheets[0]
    assert first.title == INSTRUCTIONS_SHEET and first.protection.sheet
    for label in (RESPONDENT_NAME_LABEL, RESPONDENT_DATE_LABEL):
        cell = _labelled(first, label)
        assert cell.value is None and cell.number_format == "@" and cell.protection.locked is False
        assert cell.fill.fgColor.rgb.endswith("FFF9E5")  # the yellow of every cell the client fills in
    level_letter = openpyxl.utils.get_column_letter(columns[COL_LEVEL])
    levels = f"'{QUESTIONS_SHEET}'!${level_letter}$2:${level_letter}${QUESTIONS + 1}"
    assert _labelled(first, ANSWERED_LABEL).value == f"=COUNTA({levels})"
    assert _labelled(first, REMAINING_LABEL).value == f"={QUESTIONS}-COUNTA({levels})"
    text = " ".join(str(c.value) for row in first.iter_rows() for c in row if isinstance(c.value, str))
    assert f"'{ANSWERED_LABEL}' counts the questions with something in '{COL_LEVEL}'" in text
    assert f"Write your name and the date in '{RESPONDENT_NAME_LABEL}'" in text


@needs_libreoffice
def test_text_typed_by_a_client_stays_text_through_libreoffice(workspace, assessment_id, tmp_path,
                                                                 office_profile, uno_python):
    path = tmp_path / "questionnaire.xlsx"
    _export(workspace, path)
    wb = openpyxl.load_workbook(path)
    columns, rows = _layout(wb[QUESTIONS_SHEET])
    # what the client types: (question, column) -> text that a General cell reads as a formula or number
    typed = {("ACC-01", COL_NOTES): "+49 30 1234", ("ACC-01", COL_EVIDENCE): "=x",
             ("ACC-02", COL_NOTES): "- item", ("ACC-02", COL_EVIDENCE): "0012",
             ("ACC-03", COL_NOTES): "+49", ("ACC-03", COL_EVIDENCE): "=1/0",
             ("DEV-05", COL_NA_REASON): "=no laptops leave the shop"}
    # and what was put in as text beforehand (by openpyxl, as strings), for LibreOffice to carry through
    written = {("EML-01", COL_NOTES): '=HYPERLINK("x")', ("EML-01", COL_EVIDENCE): "+ checked every month"}
    questions = wb[QUESTIONS_SHEET]
    for (qid, header), text in written.items():
        cell = questions.cell(row=rows[qid], column=columns[header], value=text)
        cell.data_type = "s"
    wb.save(path)
    cells = [(QUESTIONS_SHEET, f"{openpyxl.utils.get_column_letter(columns[header])}{rows[qid]}", text)
             for (qid, header), text in typed.items()]
    typed_path = tmp_path / "typed" / "answers.xlsx"
    typed_path.parent.mkdir()
    _type(uno_python, path, typed_path, cells, office_profile)
    back = _convert(typed_path, "xlsx", office_profile)  # and once more through LibreOffice, as a file

    wb = openpyxl.load_workbook(back)
    ws = wb[QUESTIONS_SHEET]
    entered = {**typed, **written}
    cells = {key: ws.cell(row=rows[key[0]], column=columns[key[1]]) for key in entered}
    assert {key: (cell.value, cell.data_type) for key, cell in cells.items()} == \
        {key: (text, "s") for key, text in entered.items()}  # text, never a formula or a number
    assert {cell.number_format for cell in cells.values()} == {"@"}

    with workspace.open_client(CLIENT) as client:
        read = read_questionnaire_workbook(back, client.questionnaire(assessment_id))
        by_id = {row.question_id: row for row in read}
        for (qid, header), text in {**typed, **written}.items():
            field = {COL_NOTES: "note", COL_EVIDENCE: "evidence", COL_NA_REASON: "na_reason"}[header]
            assert getattr(by_id[qid], field) == text
        plan = plan_import(client, assessment_id, read, back.name)
        assert plan.ok, plan.problems
        apply_import(client, assessment_id, plan)
        stored = client.responses(assessment_id)
    assert stored["ACC-01"].note == "+49 30 1234" and stored["ACC-02"].evidence == "0012"
    assert stored["DEV-05"].na_reason == "=no laptops leave the shop" and stored["DEV-05"].is_na


def test_error_values_are_refused_with_sheet_row_and_cell_named_and_nothing_is_written(
        workspace, assessment_id, tmp_path, capsys):
    with workspace.open_client(CLIENT) as client:
        client.save_answer(assessment_id, "ACC-03", current=1, note="Sign-in codes on email only.")
    path = tmp_path / "answers.xlsx"
    _export(workspace, path)
    wb = openpyxl.load_workbook(path)
    ws = wb[QUESTIONS_SHEET]
    columns, rows = _layout(ws)

    def put(qid: str, header: str, value: str) -> None:
        ws.cell(row=rows[qid], column=columns[header], value=value)

    # openpyxl stores these as error cells (type "e"), as a spreadsheet caches a formula that failed
    put("ACC-03", COL_NOTES, "#VALUE!")
    put("ACC-01", COL_LEVEL, "3 – Always")
    put("ACC-01", COL_EVIDENCE, "#DIV/0!")
    put("BAK-01", COL_LEVEL, "#N/A")
    put("DEV-05", COL_LEVEL, "N/A")
    put("DEV-05", COL_NA_REASON, "#REF!")
    put("ACC-02", COL_LEVEL, "Mostly")
    put("ACC-02", COL_NOTES, "The portal showed #VALUE! last week; fixed since.")  # text mentioning one: fine
    assert ws.cell(row=rows["ACC-03"], column=columns[COL_NOTES]).data_type == "e"
    wb.save(path)
    before = _client_state(workspace, assessment_id, tmp_path)

    expected = [
        f"sheet 'Questions' row {rows['ACC-01']} (ACC-01): the evidence cell holds the error #DIV/0! — retype "
        f"the text",
        f"sheet 'Questions' row {rows['ACC-03']} (ACC-03): the notes cell holds the error #VALUE! — retype the "
        f"text",
        f"sheet 'Questions' row {rows['BAK-01']} (BAK-01): the level cell holds the error #N/A — pick a level "
        f"from the list",
        f"sheet 'Questions' row {rows['DEV-05']} (DEV-05): the N/A reason cell holds the error #REF! — retype "
        f"the text",
    ]
    argv = ["--workspace", str(tmp_path / "ws"), "answers", "import", CLIENT, str(assessment_id), str(path)]
    for extra in (["--dry-run"], []):
        code = main(argv + extra)
        captured = capsys.readouterr()
        assert code != 0
        assert [line for line in captured.err.splitlines() if "holds the error" in line] == \
            [f"answers.xlsx: {line}" for line in expected]
        assert "nothing was imported" in captured.err
        assert "1 new, 0 changed, 0 unchanged, 4 problems" in captured.out  # ACC-02 alone is valid
    assert _client_state(workspace, assessment_id, tmp_path) == before

    with workspace.open_client(CLIENT) as client:
        plan = plan_import(client, assessment_id, read_questionnaire_workbook(path, client.questionnaire(
            assessment_id)), path.name)
        assert plan.problems == expected and not plan.changed
        with pytest.raises(ImportProblem, match="4 problems; nothing was imported"):
            apply_import(client, assessment_id, plan)
    assert _client_state(workspace, assessment_id, tmp_path) == before


@needs_libreoffice
def test_formula_errors_cached_by_libreoffice_are_refused(workspace, assessment_id, tmp_path, office_profile):
    path = tmp_path / "answers.xlsx"
    _export(workspace, path)
    wb = openpyxl.load_workbook(path)
    ws = wb[QUESTIONS_SHEET]
    columns, rows = _layout(ws)
    # what a client's "- item" or "=1/0" became in the General cells of earlier exports: formulas
    for qid, header, formula in (("ACC-01", COL_NOTES, "=1/0"), ("ACC-02", COL_EVIDENCE, '="a"+1')):
        cell = ws.cell(row=rows[qid], column=columns[header], value=formula)
        cell.number_format = "General"
    ws.cell(row=rows["ACC-01"], column=columns[COL_LEVEL], value="2 – Mostly")
    wb.save(path)
    back = _convert(path, "xlsx", office_profile)  # LibreOffice computes them and stores the errors
    cached = openpyxl.load_workbook(back, data_only=True)[QUESTIONS_SHEET]
    assert cached.cell(row=rows["ACC-01"], column=columns[COL_NOTES]).value == "#DIV/0!"
    assert cached.cell(row=rows["ACC-02"], column=columns[COL_EVIDENCE]).value == "#VALUE!"
    before = _client_state(workspace, assessment_id, tmp_path)

    with workspace.open_client(CLIENT) as client:
        plan = plan_import(client, assessment_id, read_questionnaire_workbook(back, client.questionnaire(
            assessment_id)), back.name)
        assert plan.problems == [
            f"sheet 'Questions' row {rows['ACC-01']} (ACC-01): the notes cell holds the error #DIV/0! — retype "
            f"the text",
            f"sheet 'Questions' row {rows['ACC-02']} (ACC-02): the evidence cell holds the error #VALUE! — "
            f"retype the text"]
        assert not plan.new and not plan.changed
        with pytest.raises(ImportProblem):
            apply_import(client, assessment_id, plan)
    assert _client_state(workspace, assessment_id, tmp_path) == before


@needs_libreoffice
def test_libreoffice_computes_the_answered_and_remaining_counter(workspace, assessment_id, tmp_path,
                                                                office_profile):
    path = tmp_path / "answers.xlsx"
    _export(workspace, path)
    wb = openpyxl.load_workbook(path)
    ws = wb[QUESTIONS_SHEET]
    columns, rows = _layout(ws)
    for qid, level in (("ACC-01", "3 – Always"), ("ACC-02", 2), ("DEV-05", "N/A")):
        ws.cell(row=rows[qid], column=columns[COL_LEVEL], value=level)
    ws.cell(row=rows["ACC-03"], column=columns[COL_NOTES], value="a note alone is not an answered level")
    wb.save(path)

    # the first sheet as LibreOffice computes and shows it: comma-separated, quoted, UTF-8 (76)
    as_csv = _convert(path, "csv", office_profile, "Text - txt - csv (StarCalc):44,34,76")
    with as_csv.open(encoding="utf-8", newline="") as handle:
        shown = {row[1]: row[2] for row in csv.reader(handle) if len(row) >= 3}
    assert (shown[ANSWERED_LABEL], shown[REMAINING_LABEL]) == ("3", str(QUESTIONS - 3))

    back = _convert(path, "xlsx", office_profile)
    formulas, values = (openpyxl.load_workbook(back, data_only=d)[INSTRUCTIONS_SHEET] for d in (False, True))
    assert _labelled(formulas, ANSWERED_LABEL).value.startswith("=COUNTA(")
    assert (_labelled(values, ANSWERED_LABEL).value, _labelled(values, REMAINING_LABEL).value) == \
        (3, QUESTIONS - 3)


def test_respondent_name_and_date_come_back_in_the_preview_and_the_history(workspace, assessment_id, tmp_path,
                                                                           capsys, qtbot):
    from ui.dialogs.import_preview import ImportPreviewDialog

    path = tmp_path / "answers.xlsx"
    _export(workspace, path)
    wb = openpyxl.load_workbook(path)
    columns, rows = _layout(wb[QUESTIONS_SHEET])
    wb[QUESTIONS_SHEET].cell(row=rows["ACC-01"], column=columns[COL_LEVEL], value="3 – Always")
    _labelled(wb[INSTRUCTIONS_SHEET], RESPONDENT_NAME_LABEL).value = "  Dana   Levi "
    _labelled(wb[INSTRUCTIONS_SHEET], RESPONDENT_DATE_LABEL).value = "14 March 2025"
    wb.save(path)
    filled_in = "filled in by Dana Levi on 14 March 2025"

    with workspace.open_client(CLIENT) as client:
        questionnaire = client.questionnaire(assessment_id)
        read = read_questionnaire_workbook(path, questionnaire)
        assert read.filled_in == filled_in
        plan = plan_import(client, assessment_id, read, path.name)
    assert plan.summary() == f"1 new, 0 changed, 0 unchanged, 0 problems — {filled_in}"
    dialog = ImportPreviewDialog(plan, questionnaire, "Self-assessment")
    qtbot.addWidget(dialog)
    assert _heading(dialog) == f"Into “Self-assessment”: 1 new, 0 changed, 0 unchanged, 0 problems — {filled_in}."

    argv = ["--workspace", str(tmp_path / "ws"), "answers", "import", CLIENT, str(assessment_id), str(path)]
    assert main(argv + ["--dry-run"]) == 0
    assert f"answers.xlsx: 1 new, 0 changed, 0 unchanged, 0 problems — {filled_in}" in capsys.readouterr().out
    assert main(argv) == 0
    with workspace.open_client(CLIENT) as client:
        history = client.history(assessment_id)
    assert [h.source for h in history] == [f"import: answers.xlsx ({filled_in})"]

    # only a name, or neither: the history says what the file says
    wb = openpyxl.load_workbook(path)
    _labelled(wb[INSTRUCTIONS_SHEET], RESPONDENT_DATE_LABEL).value = None
    wb.save(path)
    with workspace.open_client(CLIENT) as client:
        assert read_questionnaire_workbook(path, questionnaire).filled_in == "filled in by Dana Levi"
    _labelled(wb[INSTRUCTIONS_SHEET], RESPONDENT_NAME_LABEL).value = None
    wb.save(path)
    with workspace.open_client(CLIENT) as client:
        assert read_questionnaire_workbook(path, questionnaire).filled_in == ""

    # a name cell holding an error value is refused like an answer cell: sheet and row named, nothing written
    name = _labelled(wb[INSTRUCTIONS_SHEET], RESPONDENT_NAME_LABEL)
    name.value = "#NAME?"
    wb.save(path)
    before = _client_state(workspace, assessment_id, tmp_path)
    with workspace.open_client(CLIENT) as client:
        plan = plan_import(client, assessment_id, read_questionnaire_workbook(path, questionnaire), path.name)
        assert plan.problems == [f"sheet '{INSTRUCTIONS_SHEET}' row {name.row}: the '{RESPONDENT_NAME_LABEL}' "
                                 f"cell holds the error #NAME? — retype the name"]
        with pytest.raises(ImportProblem):
            apply_import(client, assessment_id, plan)
    assert _client_state(workspace, assessment_id, tmp_path) == before


@needs_libreoffice
def test_respondent_typed_in_libreoffice_round_trips(workspace, assessment_id, tmp_path, office_profile,
                                                    uno_python):
    path = tmp_path / "questionnaire.xlsx"
    _export(workspace, path)
    instructions = openpyxl.load_workbook(path)[INSTRUCTIONS_SHEET]
    name_cell = _labelled(instructions, RESPONDENT_NAME_LABEL).coordinate
    date_cell = _labelled(instructions, RESPONDENT_DATE_LABEL).coordinate
    typed_path = tmp_path / "typed" / "answers.xlsx"
    typed_path.parent.mkdir()
    _type(uno_python, path, typed_path, [(INSTRUCTIONS_SHEET, name_cell, "Dana Levi"),
                                         (INSTRUCTIONS_SHEET, date_cell, "2025-03-14")], office_profile)
    back = _convert(typed_path, "xlsx", office_profile)
    first = openpyxl.load_workbook(back)[INSTRUCTIONS_SHEET]
    assert (first[name_cell].value, first[name_cell].data_type) == ("Dana Levi", "s")
    assert (first[date_cell].value, first[date_cell].data_type) == ("2025-03-14", "s")  # not a date number
    with workspace.open_client(CLIENT) as client:
        read = read_questionnaire_workbook(back, client.questionnaire(assessment_id))
    assert read.filled_in == "filled in by Dana Levi on 2025-03-14"


def _heading(dialog) -> str:
    from PySide6.QtWidgets import QLabel

    return dialog.findChild(QLabel, "heading").text()
