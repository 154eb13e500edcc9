"""The workbook reading both Excel readers share: safe opening (zip bombs refused before openpyxl unpacks
anything), cells as people typed them, sheets found by name, blank rows skipped; each reader keeps its
own error type and wording."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

from vciso.errors import ImportProblem, QuestionnaireError
from vciso.importers import convert_file
from vciso.importers import workbook as xlsx
from vciso.questionnaire import questionnaire_from_dict
from vciso.questionnaire_xlsx import read_questionnaire_workbook

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def questionnaire():
    return questionnaire_from_dict({
        "id": "q", "title": "Q", "version": "1",
        "scales": [{"id": "s", "name": "S",
                    "levels": [{"value": 0, "label": "No"}, {"value": 1, "label": "Yes"}]}],
        "sections": [{"id": "A", "title": "A", "questions": [{"id": "A1", "text": "a1"}]}],
    })


@pytest.mark.parametrize("value, text", [
    (None, None), ("", None), ("  \n ", None), (" as typed ", " as typed "), (3, "3"), (3.0, "3"),
    (0.25, "0.25"), (True, "yes"), (False, "no"), (dt.datetime(2024, 5, 1), "2024-05-01"),
    (dt.datetime(2024, 5, 1, 9, 30), "2024-05-01T09:30:00"), (dt.date(2024, 5, 1), "2024-05-01"),
])
def test_a_cell_reads_as_people_typed_it(value, text):
    assert xlsx.cell_text(value) == text


def test_keys_compare_without_case_or_extra_spaces():
    assert xlsx.norm("  Your   LEVEL ") == "your level"
    assert xlsx.norm("questionnaire_id") == "questionnaire_id"
    assert xlsx.norm("default_target", underscore_is_space=True) == "default target"
    assert xlsx.norm(None) == ""


def _workbook_bytes() -> bytes:
    wb = openpyxl.Workbook()
    wb.active.title = "Data"
    wb.active.append(["Key", "Value"])
    wb.active.append([None, "   "])
    wb.active.append(["id", 3.0])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def test_sheets_are_found_by_name_and_blank_rows_are_skipped():
    workbook = xlsx.open_workbook(_workbook_bytes())
    try:
        assert xlsx.sheet(workbook, "Missing") is None
        sheet = xlsx.sheet(workbook, "DATA")
        assert list(xlsx.rows(sheet)) == [(1, ("Key", "Value")), (3, ("id", 3))]
    finally:
        workbook.close()


def _bomb(size: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * size)
    return buffer.getvalue()


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.mark.parametrize("raw, kind", [
    (b"question,level\n", xlsx.UnreadableWorkbook.DAMAGED),
    (_bomb(3 * 1024 * 1024), xlsx.UnreadableWorkbook.TOO_LARGE),
    (_docx(), xlsx.UnreadableWorkbook.UNREADABLE),
])
def test_unusable_workbooks_raise_one_neutral_error(monkeypatch, raw, kind):
    monkeypatch.setattr(xlsx, "MAX_UNZIPPED_BYTES", 2 * 1024 * 1024)
    with pytest.raises(xlsx.UnreadableWorkbook) as error:
        xlsx.open_workbook(raw)
    assert error.value.kind == kind


def test_each_reader_words_the_shared_errors_in_its_own_type(monkeypatch, tmp_path, questionnaire):
    monkeypatch.setattr(xlsx, "MAX_UNZIPPED_BYTES", 2 * 1024 * 1024)
    cases = {
        "damaged.xlsx": (xlsx.ZIP_MAGIC + b"truncated",
                         "not a valid Excel workbook (the .xlsx container is damaged or truncated)",
                         "not an Excel workbook (.xlsx); the file is damaged, truncated or of another kind"),
        "bomb.xlsx": (_bomb(3 * 1024 * 1024), "the workbook unpacks to 3 MB; the limit is 2 MB",
                      "the workbook unpacks to 3 MB; the limit is 2 MB"),
        "letter.xlsx": (_docx(), "not an Excel workbook that can be read (KeyError: ",
                        "not an Excel workbook that can be read (KeyError: "),
    }
    for name, (raw, template_message, answers_message) in cases.items():
        path = tmp_path / name
        path.write_bytes(raw)
        with pytest.raises(QuestionnaireError) as template_error:
            convert_file(path)
        assert template_error.value.problems[0].startswith(template_message)
        with pytest.raises(ImportProblem) as answers_error:
            read_questionnaire_workbook(path, questionnaire)
        assert str(answers_error.value).startswith(f"{name}: {answers_message}")


def test_loading_the_readers_does_not_load_openpyxl():
    code = ("import sys, vciso.importers, vciso.importers.excel_template, vciso.importers.workbook, "
            "vciso.questionnaire_xlsx, vciso.answer_import; "
            "print(sorted(m for m in sys.modules if m.startswith('openpyxl')))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
