"""The Excel questionnaire round trip: export, a client fills it in, import validates every row (located
by sheet and row), previews without writing, then imports; the result scores exactly like the same
answers typed into the app."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from exports.questionnaire_workbook import write_questionnaire_workbook
from vciso.answer_import import apply_import, changed_fields, plan_import, read_json_answers
from vciso.cli import main
from vciso.errors import ImportProblem
from vciso.library import load_library
from vciso.questionnaire import questionnaire_from_dict
from vciso.questionnaire_xlsx import (COL_EVIDENCE, COL_ID, COL_LEVEL, COL_NA_REASON, COL_NOTES, COL_TARGET,
                                      META_SHEET, OVERFLOW_SHEET, read_questionnaire_workbook)
from vciso.report import build_report
from vciso.scoring import score_assessment
from vciso.workspace import Workspace

CLIENT = "Harbour Bakery"
# What the client types: question id -> (level cell, target cell, notes, N/A reason)
GOOD_ANSWERS = {
    "ACC-01": ("3 – Always", None, "Everyone has a named account since January.", None),
    "ACC-02": ("Mostly", None, "=the owner still reuses one password", None),
    "ACC-03": (1, "4 – Always, and checked", None, None),
    "BAK-01": ("0 – Not at all", None, "Nobody is sure.", None),
    "DEV-05": ("N/A", None, None, "No laptops leave the shop."),
    "EML-01": ("4", None, "+ checked every month", None),
}
# What the client types as evidence: markup characters, text that looks like a formula, emoji, Hebrew.
EVIDENCE = {
    "ACC-01": "Access list <export> from Azure AD & HR sheet",
    "ACC-02": '=HYPERLINK("x")',
    "BAK-01": "Backup log screenshot 📸 2024-05 ✅",
    "DEV-05": "מדיניות אבטחת מידע, גרסה 3",
}
BAD_LEVEL = ("UPD-01", "7 – Superb")
NA_WITHOUT_REASON = "NET-01"


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


def _export(workspace: Workspace, path: Path, prefill: bool = True, assessment_id: int | None = None) -> list[str]:
    with workspace.open_client(CLIENT) as client:
        return write_questionnaire_workbook(build_report(client, assessment_id), path, prefill=prefill)


def _columns(ws) -> dict[str, int]:
    return {cell.value: cell.column for cell in ws[1] if cell.value}


def _fill(path: Path, answers: dict) -> dict[str, int]:
    """Fill the workbook as a client would; returns the sheet row of each question id."""
    wb = openpyxl.load_workbook(path)
    ws = wb["Questions"]
    columns = _columns(ws)
    rows = {ws.cell(row=r, column=columns[COL_ID]).value: r for r in range(2, ws.max_row + 1)}
    for qid, (level, target, note, reason) in answers.items():
        row = rows[qid]
        for header, value in ((COL_LEVEL, level), (COL_TARGET, target), (COL_NOTES, note),
                              (COL_NA_REASON, reason)):
            cell = ws.cell(row=row, column=columns[header])
            cell.value = value
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"  # a client's text that merely starts with "="
    wb.save(path)
    return rows


def _fill_evidence(path: Path, evidence: dict[str, str]) -> None:
    """Type evidence into the Evidence column, as a client would (text, even when it starts with '=')."""
    wb = openpyxl.load_workbook(path)
    ws = wb["Questions"]
    columns = _columns(ws)
    rows = {ws.cell(row=r, column=columns[COL_ID]).value: r for r in range(2, ws.max_row + 1)}
    for qid, text in evidence.items():
        cell = ws.cell(row=rows[qid], column=columns[COL_EVIDENCE])
        cell.value = text
        cell.data_type = "s"
    wb.save(path)


def _state(workspace: Workspace, assessment_id: int) -> tuple:
    with workspace.open_client(CLIENT) as client:
        return client.responses(assessment_id), len(client.history(assessment_id))


def test_export_identifies_itself_and_only_answer_cells_are_editable(workspace, assessment_id, tmp_path):
    path = tmp_path / "questionnaire.xlsx"
    assert _export(workspace, path, prefill=False) == []
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames[:2] == ["Instructions", "Questions"]
    meta_sheet = wb[META_SHEET]
    assert meta_sheet.sheet_state == "hidden"
    meta = {row[0].value: row[1].value for row in meta_sheet.iter_rows()}
    assert meta["questionnaire_id"] == "small-business-essentials" and meta["questionnaire_version"] == "1.0"
    assert meta["client_name"] == CLIENT and meta["assessment_id"] == str(assessment_id)
    props = {p.name: p.value for p in wb.custom_doc_props}
    assert props["vciso.questionnaire_id"] == "small-business-essentials"
    assert wb.security.lockStructure

    ws = wb["Questions"]
    columns = _columns(ws)
    assert list(columns)[:4] == ["Section", "ID", "Question", "Guidance"]
    assert list(columns)[-5:] == [COL_LEVEL, COL_TARGET, COL_NOTES, COL_EVIDENCE, COL_NA_REASON]
    assert ws.protection.sheet
    assert ws.max_row == 1 + 36
    assert ws.auto_filter.ref == f"A1:{get_column_letter(len(columns))}37"
    evidence_letter = get_column_letter(columns[COL_EVIDENCE])
    assert ws.column_dimensions[evidence_letter].width >= 30
    for header in (COL_LEVEL, COL_TARGET, COL_NOTES, COL_EVIDENCE, COL_NA_REASON):
        assert ws.cell(row=2, column=columns[header]).protection.locked is False
        assert ws.cell(row=37, column=columns[header]).alignment.wrap_text
    for header in ("Section", "ID", "Question", "Guidance"):
        assert ws.cell(row=2, column=columns[header]).protection.locked is not False
    assert wb["Instructions"].protection.sheet

    # the level drop-down lists "value – label" (+ N/A); the labels hold commas, so it sits on a hidden sheet
    level_letter = get_column_letter(columns[COL_LEVEL])
    dv = next(dv for dv in ws.data_validations.dataValidation if f"{level_letter}2" in str(dv.sqref))
    assert dv.type == "list" and f"{level_letter}2:{level_letter}37" in str(dv.sqref)
    sheet_name, cells = dv.formula1.split("!")
    lists = wb[sheet_name.strip("'")]
    assert lists.sheet_state == "hidden"
    values = [c.value for row in lists[cells.replace("$", "")] for c in row]
    assert values == ["0 – Not at all", "1 – Sometimes", "2 – Mostly", "3 – Always",
                      "4 – Always, and checked", "N/A"]
    instructions = " ".join(str(c.value) for row in wb["Instructions"].iter_rows() for c in row if c.value)
    assert "We do this every time, for everyone and everything it applies to." in instructions
    assert "'Evidence' is optional" in instructions


def test_short_scale_uses_an_inline_list(workspace, tmp_path):
    questionnaire = questionnaire_from_dict({
        "id": "yes-no-check", "title": "Yes/no check", "version": "3",
        "scales": [{"id": "yn", "name": "Yes/no", "levels": [{"value": 0, "label": "No"},
                                                             {"value": 1, "label": "Yes"}]}],
        "sections": [{"id": "S", "title": "Only section", "questions": [{"id": "Q1", "text": "Is it so?"}]}]})
    with workspace.create_client("Tiny Co") as client:
        client.create_assessment(questionnaire)
        report = build_report(client)
    path = tmp_path / "tiny.xlsx"
    write_questionnaire_workbook(report, path)
    ws = openpyxl.load_workbook(path)["Questions"]
    formulas = sorted(dv.formula1 for dv in ws.data_validations.dataValidation)
    assert formulas == ['"0 – No,1 – Yes"', '"0 – No,1 – Yes,N/A"']


def test_roundtrip_reports_bad_rows_then_imports(workspace, assessment_id, tmp_path, capsys):
    path = tmp_path / "answers.xlsx"
    _export(workspace, path, prefill=False)
    answers = dict(GOOD_ANSWERS)
    answers[BAD_LEVEL[0]] = (BAD_LEVEL[1], None, None, None)
    answers[NA_WITHOUT_REASON] = ("N/A", None, "we have no Wi-Fi", None)
    rows = _fill(path, answers)
    before = _state(workspace, assessment_id)
    client_file = next((tmp_path / "ws").glob("*.vciso"))
    file_bytes = client_file.read_bytes()

    argv = ["--workspace", str(tmp_path / "ws"), "answers", "import", CLIENT, str(assessment_id), str(path)]
    code = main(argv + ["--dry-run"])
    err = capsys.readouterr().err
    assert code != 0
    assert f"sheet 'Questions' row {rows[BAD_LEVEL[0]]}: {BAD_LEVEL[0]}" in err
    assert "not on the scale" in err
    assert f"sheet 'Questions' row {rows[NA_WITHOUT_REASON]}: {NA_WITHOUT_REASON}: N/A needs a reason" in err
    assert "nothing was imported" in err
    assert _state(workspace, assessment_id) == before
    assert client_file.read_bytes() == file_bytes

    # the client fixes the two rows; a dry run now previews, and writes nothing
    _fill(path, {BAD_LEVEL[0]: ("2 – Mostly", None, None, None),
                 NA_WITHOUT_REASON: ("N/A", None, "we have no Wi-Fi", "No Wi-Fi network at all.")})
    assert main(argv + ["--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "8 new, 0 changed" in out and "Dry run" in out
    assert _state(workspace, assessment_id) == before

    assert main(argv) == 0
    assert "Imported 8 answers" in capsys.readouterr().out

    # the same answers typed into the app give identical scores
    with workspace.open_client(CLIENT) as client:
        imported = client.responses(assessment_id)
        questionnaire = client.questionnaire(assessment_id)
        manual = client.create_assessment(questionnaire, "Typed in")
        typed = {"ACC-01": 3, "ACC-02": 2, "ACC-03": 1, "BAK-01": 0, "EML-01": 4, "UPD-01": 2}
        for qid, level in typed.items():
            client.save_answer(manual.id, qid, current=level, note=GOOD_ANSWERS.get(qid, (0, 0, None))[2] or "")
        client.save_answer(manual.id, "ACC-03", target=4)
        client.save_answer(manual.id, "DEV-05", na_reason="No laptops leave the shop.")
        client.save_answer(manual.id, "NET-01", na_reason="No Wi-Fi network at all.", note="we have no Wi-Fi")
        by_hand = client.responses(manual.id)
        history = client.history(assessment_id)
    assert score_assessment(questionnaire, imported) == score_assessment(questionnaire, by_hand)
    assert imported["ACC-02"].note == "=the owner still reuses one password"
    assert imported["EML-01"].note == "+ checked every month"
    assert imported["DEV-05"].is_na and imported["ACC-03"].target == 4
    assert {h.source for h in history} == {"import: answers.xlsx"}
    assert {h.question_id for h in history} == set(typed) | {"DEV-05", "NET-01"}


def test_prefilled_workbook_imports_unchanged_including_long_notes(workspace, assessment_id, tmp_path):
    long_note = "".join(f"step {i}: checked the backup log; " for i in range(1500))
    assert len(long_note) > 40_000
    with workspace.open_client(CLIENT) as client:
        client.save_answer(assessment_id, "ACC-01", current=2, note=long_note)
        client.save_answer(assessment_id, "ACC-02", current=3, target=4)
        client.save_answer(assessment_id, "DEV-05", na_reason="No laptops.")
    path = tmp_path / "prefilled.xlsx"
    warnings = _export(workspace, path, prefill=True)
    assert len(warnings) == 1 and "ACC-01" in warnings[0]
    with workspace.open_client(CLIENT) as client:
        rows = read_questionnaire_workbook(path, client.questionnaire(assessment_id))
        by_id = {row.question_id: row for row in rows}
        assert by_id["ACC-01"].note == long_note
        assert by_id["ACC-01"].level == "2 – Mostly" and by_id["ACC-02"].target == "4 – Always, and checked"
        plan = plan_import(client, assessment_id, rows, path.name)
        assert plan.ok and not plan.new and not plan.changed
        assert {r.question_id for r in plan.unchanged} >= {"ACC-01", "ACC-02", "DEV-05"}

        # a changed answer shows up in the preview and applies in one go
        _fill(path, {"ACC-02": ("4 – Always, and checked", None, None, None)})
        plan = plan_import(client, assessment_id, read_questionnaire_workbook(path, client.questionnaire(
            assessment_id)), path.name)
        assert [(old.current, new.current) for old, new in plan.changed] == [(3, 4)]
        assert apply_import(client, assessment_id, plan) == 1
        assert client.response(assessment_id, "ACC-01").note == long_note


def test_level_written_as_label_number_or_choice(workspace, assessment_id, tmp_path):
    path = tmp_path / "forms.xlsx"
    _export(workspace, path, prefill=False)
    _fill(path, {"ACC-01": ("Always", None, None, None), "ACC-02": (3, None, None, None),
                 "ACC-03": ("3 – Always", None, None, None), "ACC-04": ("  always  ", None, None, None)})
    with workspace.open_client(CLIENT) as client:
        rows = read_questionnaire_workbook(path, client.questionnaire(assessment_id))
        plan = plan_import(client, assessment_id, rows, path.name)
    assert plan.ok
    assert {r.question_id: r.current for r in plan.new} == {"ACC-01": 3, "ACC-02": 3, "ACC-03": 3, "ACC-04": 3}
    assert all(row.where.startswith("sheet 'Questions' row ") for row in rows)


def test_workbook_for_another_questionnaire_or_version_is_refused(workspace, assessment_id, library, tmp_path):
    with workspace.open_client(CLIENT) as client:
        csf = client.create_assessment(library.get("nist-csf-2.0"), "CSF")
        essentials = client.questionnaire(assessment_id)
    path = tmp_path / "csf.xlsx"
    _export(workspace, path, prefill=False, assessment_id=csf.id)
    with pytest.raises(ImportProblem) as error:
        read_questionnaire_workbook(path, essentials)
    message = str(error.value)
    assert message.startswith("csf.xlsx was exported for questionnaire 'nist-csf-2.0' version")
    assert "but this assessment uses 'small-business-essentials' 1.0" in message

    newer = questionnaire_from_dict({**_as_dict(essentials), "version": "1.1"})
    ours = tmp_path / "essentials.xlsx"
    _export(workspace, ours, prefill=False, assessment_id=assessment_id)
    with pytest.raises(ImportProblem, match="version 1.0, but this assessment uses 'small-business-essentials' 1.1"):
        read_questionnaire_workbook(ours, newer)


def _as_dict(questionnaire):
    from vciso.questionnaire import questionnaire_to_dict
    return questionnaire_to_dict(questionnaire)


def test_files_that_are_not_questionnaire_workbooks_give_clear_errors(workspace, assessment_id, tmp_path,
                                                                      capsys, monkeypatch):
    with workspace.open_client(CLIENT) as client:
        questionnaire = client.questionnaire(assessment_id)
    text = tmp_path / "answers.xlsx"
    text.write_text("question,level\nACC-01,3\n")
    with pytest.raises(ImportProblem, match=r"^answers\.xlsx: not an Excel workbook"):
        read_questionnaire_workbook(text, questionnaire)

    other_zip = tmp_path / "letter.xlsx"
    with zipfile.ZipFile(other_zip, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    with pytest.raises(ImportProblem, match=r"^letter\.xlsx: not an Excel workbook that can be read"):
        read_questionnaire_workbook(other_zip, questionnaire)

    plain = tmp_path / "plain.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["ID", "Your level"])
    wb.active.append(["ACC-01", 3])
    wb.save(plain)
    with pytest.raises(ImportProblem, match="not a questionnaire workbook exported by vCISO Workbench"):
        read_questionnaire_workbook(plain, questionnaire)

    monkeypatch.setattr("vciso.questionnaire_xlsx.MAX_ANSWER_FILE_BYTES", 10)
    with pytest.raises(ImportProblem, match="limit"):
        read_questionnaire_workbook(plain, questionnaire)
    monkeypatch.undo()

    code = main(["--workspace", str(tmp_path / "ws"), "answers", "import", CLIENT, str(assessment_id), str(text)])
    err = capsys.readouterr().err
    assert code != 0 and "Traceback" not in err
    assert err.strip().splitlines() == [f"vciso: answers.xlsx: not an Excel workbook (.xlsx); the file is "
                                        f"damaged, truncated or of another kind"]


def test_evidence_typed_by_the_client_is_previewed_then_imported_exactly(workspace, assessment_id, tmp_path,
                                                                         capsys):
    with workspace.open_client(CLIENT) as client:
        client.save_answer(assessment_id, "ACC-01", current=2, note="Checked by the office manager.",
                           evidence="Old access review (2023)")
    path = tmp_path / "evidence.xlsx"
    _export(workspace, path, prefill=False)
    _fill(path, {"ACC-02": ("Mostly", None, None, None), "DEV-05": ("N/A", None, None, "No laptops.")})
    _fill_evidence(path, EVIDENCE)  # BAK-01 gets evidence only, no level
    client_file = next((tmp_path / "ws").glob("*.vciso"))
    file_bytes = client_file.read_bytes()

    with workspace.open_client(CLIENT) as client:
        rows = read_questionnaire_workbook(path, client.questionnaire(assessment_id))
        assert {row.question_id: row.evidence for row in rows if row.evidence} == EVIDENCE
        plan = plan_import(client, assessment_id, rows, path.name)
    assert plan.ok
    assert [(old.question_id, changed_fields(old, new)) for old, new in plan.changed] == [("ACC-01", ["evidence"])]
    old, new = plan.changed[0]
    assert (old.evidence, new.evidence) == ("Old access review (2023)", EVIDENCE["ACC-01"])
    assert {r.question_id: r.evidence for r in plan.new} == {q: EVIDENCE[q] for q in ("ACC-02", "BAK-01", "DEV-05")}

    argv = ["--workspace", str(tmp_path / "ws"), "answers", "import", CLIENT, str(assessment_id), str(path)]
    assert main(argv + ["--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "3 new, 1 changed" in out and "changed ACC-01" in out and "Dry run" in out
    assert client_file.read_bytes() == file_bytes

    assert main(argv) == 0
    assert "Imported 4 answers" in capsys.readouterr().out
    with workspace.open_client(CLIENT) as client:
        stored = client.responses(assessment_id)
    assert {qid: stored[qid].evidence for qid in EVIDENCE} == EVIDENCE
    assert stored["ACC-01"].current == 2 and stored["ACC-01"].note == "Checked by the office manager."
    assert stored["BAK-01"].current is None and not stored["BAK-01"].is_na
    assert stored["DEV-05"].na_reason == "No laptops." and stored["ACC-02"].current == 2


def test_prefilled_workbook_carries_stored_evidence_including_long_text(workspace, assessment_id, tmp_path):
    long_evidence = "".join(f"ticket {i}: patch report attached & signed; " for i in range(1200))
    assert len(long_evidence) > 40_000
    stored = {**EVIDENCE, "EML-01": long_evidence}
    with workspace.open_client(CLIENT) as client:
        for qid, text in stored.items():
            client.save_answer(assessment_id, qid, current=1, evidence=text)
    path = tmp_path / "prefilled.xlsx"
    warnings = _export(workspace, path, prefill=True)
    assert len(warnings) == 1 and "EML-01 evidence" in warnings[0] and OVERFLOW_SHEET in warnings[0]

    wb = openpyxl.load_workbook(path)
    ws = wb["Questions"]
    columns = _columns(ws)
    cells = {ws.cell(row=r, column=columns[COL_ID]).value: ws.cell(row=r, column=columns[COL_EVIDENCE])
             for r in range(2, ws.max_row + 1)}
    assert {qid: cells[qid].value for qid in EVIDENCE} == EVIDENCE
    assert cells["ACC-02"].data_type == "s" and cells["ACC-02"].quotePrefix  # text, never a formula
    assert cells["EML-01"].value.endswith("continued on sheet 'Overflow']")
    assert all(cell.value is None for qid, cell in cells.items() if qid not in stored)

    with workspace.open_client(CLIENT) as client:
        rows = read_questionnaire_workbook(path, client.questionnaire(assessment_id))
        assert {row.question_id: row.evidence for row in rows if row.evidence} == stored
        plan = plan_import(client, assessment_id, rows, path.name)
    assert plan.ok and not plan.new and not plan.changed

    blank = tmp_path / "blank.xlsx"
    _export(workspace, blank, prefill=False)
    ws = openpyxl.load_workbook(blank)["Questions"]
    evidence_column = _columns(ws)[COL_EVIDENCE]
    assert all(ws.cell(row=r, column=evidence_column).value is None for r in range(2, ws.max_row + 1))


def test_workbook_without_evidence_column_imports_as_before(workspace, assessment_id, tmp_path):
    with workspace.open_client(CLIENT) as client:
        client.save_answer(assessment_id, "ACC-01", current=1, evidence="Signed policy PDF")
    path = tmp_path / "old-style.xlsx"
    _export(workspace, path, prefill=False)
    wb = openpyxl.load_workbook(path)  # the layout exported before the Evidence column existed
    ws = wb["Questions"]
    ws.delete_cols(_columns(ws)[COL_EVIDENCE])
    wb.save(path)
    assert COL_EVIDENCE not in _columns(openpyxl.load_workbook(path)["Questions"])
    _fill(path, {"ACC-01": ("3 – Always", None, "Named accounts now.", None),
                 "DEV-05": ("N/A", None, None, "No laptops leave the shop.")})

    with workspace.open_client(CLIENT) as client:
        rows = read_questionnaire_workbook(path, client.questionnaire(assessment_id))
        assert len(rows) == 36 and all(row.evidence is None for row in rows)
        plan = plan_import(client, assessment_id, rows, path.name)
        assert [(old.question_id, changed_fields(old, new)) for old, new in plan.changed] == \
            [("ACC-01", ["level", "notes"])]
        assert apply_import(client, assessment_id, plan) == 2
        acc, dev = client.response(assessment_id, "ACC-01"), client.response(assessment_id, "DEV-05")
    assert (acc.current, acc.note, acc.evidence) == (3, "Named accounts now.", "Signed policy PDF")
    assert (dev.na_reason, dev.evidence) == ("No laptops leave the shop.", "")


def test_json_answers_carry_evidence(workspace, assessment_id, tmp_path):
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps({"questionnaire_id": "small-business-essentials", "answers": [
        {"question_id": "ACC-01", "level": 2, "evidence": EVIDENCE["BAK-01"]},
        {"question_id": "ACC-02", "level": 3}]}, ensure_ascii=False), encoding="utf-8")
    _questionnaire_id, rows = read_json_answers(answers)
    with workspace.open_client(CLIENT) as client:
        plan = plan_import(client, assessment_id, rows, answers.name)
        apply_import(client, assessment_id, plan)
        stored = client.responses(assessment_id)
    assert stored["ACC-01"].evidence == EVIDENCE["BAK-01"] and stored["ACC-02"].evidence == ""


def test_json_answer_that_only_flags_a_question_is_imported(workspace, assessment_id, tmp_path):
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps({"questionnaire_id": "small-business-essentials", "answers": [
        {"question_id": "DEV-01", "flagged": True}]}), encoding="utf-8")
    _questionnaire_id, rows = read_json_answers(answers)
    with workspace.open_client(CLIENT) as client:
        assert "DEV-01" not in client.responses(assessment_id)
        plan = plan_import(client, assessment_id, rows, answers.name)
        assert [r.question_id for r in plan.new] == ["DEV-01"]
        apply_import(client, assessment_id, plan)
        stored = client.responses(assessment_id)
    assert stored["DEV-01"].flagged and stored["DEV-01"].current is None
