"""The Excel questionnaire template: a written template reads back, filled rows become questions,
bad rows are reported by sheet and row, and nothing lands in the library on failure."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from vciso.errors import QuestionnaireError
from vciso.importers import convert_file, import_questionnaire
from vciso.importers.excel_template import QUESTION_COLUMNS, write_template
from vciso.library import load_library
from vciso.questionnaire import questionnaire_from_dict

HEADER = [name for name, _ in QUESTION_COLUMNS]


def listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob("*")) if folder.exists() else []


def make_workbook(path: Path, rows: list[dict], meta: dict | None = None, header: list[str] | None = None) -> Path:
    """A filled template: `rows` map column names to cell values."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Questionnaire"
    sheet.append(["Field", "Value", "Notes"])
    fields = {"id": "acme-check", "title": "ACME security check", "version": "1.0", "scale": "maturity-0-5",
              "aggregation": "mean", "default target": 3}
    fields.update(meta or {})
    for key, value in fields.items():
        if value is not None:
            sheet.append([key, value])
    questions = workbook.create_sheet("Questions")
    columns = header or HEADER
    questions.append(columns)
    for row in rows:
        questions.append([row.get(name) for name in columns])
    workbook.save(path)
    return path


GOOD_ROWS = [
    {"section": "Accounts", "id": "ACC-01", "question": "Is MFA enforced for email?", "title": "MFA on email",
     "effort": "low", "criticality": "high", "tags": "identity, email", "references": "PR.AA-03, IA-2",
     "descriptor 0": "Nobody uses MFA.", "descriptor 5": "MFA everywhere, phishing-resistant."},
    {"section": None, "id": "ACC-02", "question": "Are leavers removed within a day?", "weight": 2},
    {"section": "Accounts", "subsection": "Admins", "id": "ACC-03", "question": "Are admin accounts separate?",
     "criticality": 4, "effort": 3},
    {"section": None, "id": "ACC-04", "question": "Do admins use a password manager?"},
    {"section": "Backups", "id": "BAK-01", "question": "Is there an offline backup?",
     "guidance": "Ask for the last restore test.", "recommendation": "Keep one copy offline."},
]


@pytest.fixture
def user_dir(tmp_path):
    folder = tmp_path / "library"
    folder.mkdir()
    (folder / "existing.yaml").write_text("# someone's file\n", encoding="utf-8")
    return folder


def test_written_template_reads_back_as_a_valid_questionnaire(tmp_path):
    path = tmp_path / "template.xlsx"
    write_template(path)
    workbook = load_workbook(path)
    assert workbook.sheetnames[:2] == ["Questionnaire", "Questions"]
    header = [cell.value for cell in workbook["Questions"][1]]
    assert header == HEADER
    assert all(cell.comment is not None for cell in workbook["Questions"][1])  # every column explained
    q = questionnaire_from_dict(convert_file(path))
    assert [x.id for x in q.questions()] == ["ACC-01"]
    assert q.question("ACC-01").descriptors[3.0].startswith("MFA is enforced")


def test_filled_template_becomes_sections_subsections_and_questions(tmp_path):
    path = make_workbook(tmp_path / "filled.xlsx", GOOD_ROWS)
    q = questionnaire_from_dict(convert_file(path))
    assert (q.id, q.title, q.version, q.default_target) == ("acme-check", "ACME security check", "1.0", 3)
    accounts, backups = q.sections
    assert accounts.title == "Accounts" and backups.title == "Backups"
    assert [x.id for x in accounts.questions] == ["ACC-01", "ACC-02"]  # blank section repeats the one above
    assert accounts.sections[0].title == "Admins"
    assert [x.id for x in accounts.sections[0].questions] == ["ACC-03", "ACC-04"]
    acc1 = q.question("ACC-01")
    assert acc1.tags == ("identity", "email")
    assert acc1.references == ("PR.AA-03", "IA-2")
    assert (acc1.effort, acc1.criticality) == (1, 3)
    assert acc1.descriptors == {0.0: "Nobody uses MFA.", 5.0: "MFA everywhere, phishing-resistant."}
    assert q.question("ACC-02").weight == 2
    assert (q.question("ACC-03").criticality, q.question("ACC-03").effort) == (4, 3)
    assert q.question("BAK-01").guidance == "Ask for the last restore test."


def test_scale_comes_from_the_sheet_or_the_import_choice(tmp_path):
    rows = [{"section": "S", "id": "Q1", "question": "Q?"}]
    named = make_workbook(tmp_path / "named.xlsx", rows, {"scale": "yes-no", "default target": "Yes"})
    q = questionnaire_from_dict(convert_file(named, scale="implementation-4"))
    assert q.default_scale_id == "yes-no" and q.default_target == 1
    blank = make_workbook(tmp_path / "blank.xlsx", rows, {"scale": None, "default target": None})
    q = questionnaire_from_dict(convert_file(blank, scale="implementation-4"))
    assert q.default_scale_id == "implementation-4" and q.default_scale.pass_threshold == 2


def test_one_bad_row_is_reported_by_sheet_and_row_and_nothing_is_written(tmp_path, user_dir):
    rows = list(GOOD_ROWS)
    rows[4] = dict(rows[4], effort="tiny")  # sheet row 6 (row 1 is the header)
    path = make_workbook(tmp_path / "bad.xlsx", rows)
    before = listing(user_dir)
    with pytest.raises(QuestionnaireError) as caught:
        import_questionnaire(path, user_dir)
    assert caught.value.problems == ["sheet 'Questions' row 6: 'effort' must be low, medium or high, not 'tiny'"]
    assert caught.value.source == str(path)
    assert listing(user_dir) == before


def test_every_bad_row_is_reported(tmp_path):
    rows = [
        {"section": "S", "id": "Q1", "question": "One?"},
        {"section": "S", "id": "Q1", "question": "Duplicate?"},
        {"section": "S", "id": "Q3", "question": None},
        {"section": "S", "id": "Q4", "question": "Weight?", "weight": "heavy", "criticality": "urgent"},
        {"section": "S", "id": "Q5", "question": "Level?", "descriptor 5": "Too high."},
    ]
    path = make_workbook(tmp_path / "bad.xlsx", rows, {"scale": "implementation-4", "default target": 3})
    with pytest.raises(QuestionnaireError) as caught:
        convert_file(path)
    assert caught.value.problems == [
        "sheet 'Questions' row 3: 'id' 'Q1' is already used in row 2",
        "sheet 'Questions' row 4: 'question' is required",
        "sheet 'Questions' row 5: 'weight' must be a number of 0 or more, not 'heavy'",
        "sheet 'Questions' row 5: 'criticality' must be low, medium, high or critical, not 'urgent'",
        "sheet 'Questions' row 6: 'descriptor 5' is filled but 5 is not a level of scale 'implementation-4' "
        "(levels 0, 1, 2, 3)",
    ]


def test_questionnaire_sheet_problems_are_located(tmp_path):
    rows = [{"section": "S", "id": "Q1", "question": "One?"}]
    path = make_workbook(tmp_path / "meta.xlsx", rows, {"title": None, "scale": "stars", "colour": "blue"})
    with pytest.raises(QuestionnaireError) as caught:
        convert_file(path)
    problems = caught.value.problems
    assert "sheet 'Questionnaire': 'title' is required" in problems
    assert any(p.startswith("sheet 'Questionnaire' row 4: 'scale' must be one of maturity-0-5") for p in problems)
    assert any(p.startswith("sheet 'Questionnaire' row 7: unknown field 'colour'") for p in problems)


def test_missing_columns_and_sheets_are_explained(tmp_path):
    header = [name for name in HEADER if name != "id"]
    path = make_workbook(tmp_path / "noid.xlsx", [{"section": "S", "question": "Q?"}], header=header)
    with pytest.raises(QuestionnaireError, match="sheet 'Questions' row 1: missing column 'id'"):
        convert_file(path)
    plain = tmp_path / "plain.xlsx"
    Workbook().save(plain)
    with pytest.raises(QuestionnaireError, match="not a vCISO questionnaire template: no sheet 'Questionnaire'"):
        convert_file(plain)


def test_damaged_workbook_is_refused(tmp_path, user_dir):
    path = make_workbook(tmp_path / "good.xlsx", GOOD_ROWS)
    damaged = tmp_path / "damaged.xlsx"
    damaged.write_bytes(path.read_bytes()[:400])
    before = listing(user_dir)
    with pytest.raises(QuestionnaireError, match="not a valid Excel workbook"):
        import_questionnaire(damaged, user_dir)
    assert listing(user_dir) == before


def test_workbook_is_detected_by_content_and_lands_in_the_library(tmp_path, user_dir):
    path = make_workbook(tmp_path / "filled.xlsx", GOOD_ROWS)
    disguised = tmp_path / "questions.json"
    disguised.write_bytes(path.read_bytes())
    imported = import_questionnaire(disguised, user_dir)
    assert listing(user_dir) == ["acme-check.yaml", "existing.yaml"]
    library = load_library(user_dir)
    loaded = library.get("acme-check")
    assert [q.id for q in loaded.questions()] == [q.id for q in imported.questions()]
    assert loaded.question("ACC-01").descriptors == imported.question("ACC-01").descriptors
