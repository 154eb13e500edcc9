"""The Excel deliverable: sheets, tables, native charts, drop-downs, real dates, conditional formatting,
text that looks like a formula stays text, nothing is truncated, and the file is written atomically."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import openpyxl
import pytest
from openpyxl.chart import BarChart, RadarChart

from exports.excel_workbook import write_workbook
from exports.xlsx_common import EXCEL_CELL_LIMIT, PLACEHOLDER
from vciso import numbers as num
from vciso.demo import create_demo
from vciso.library import load_library
from vciso.questionnaire_xlsx import OVERFLOW_MARKER
from vciso.report import Branding, build_report
from vciso.roadmap import STATUSES
from vciso.roadmap_store import regenerate_roadmap, roadmap_items, update_roadmap_item
from vciso.workspace import Workspace

HYPERLINK = '=HYPERLINK("http://example.com","x")'
INJECTIONS = {  # question id -> note typed by the consultant
    "ACC-01": HYPERLINK,
    "ACC-02": "+1+1",
    "ACC-03": "-2+3 pending",
    "ACC-04": "@SUM(A1:A9)",
    "ACC-05": "\t=1+1 after a tab",
    "ACC-06": "\r=1+1 after a carriage return",
}
BRANDING = Branding(firm_name="Northwind Security", consultant="Ada Lovelace")


def _sheet_xml(path: Path, title: str) -> str:
    """The XML of a worksheet, found through the workbook's relationships."""
    with zipfile.ZipFile(path) as archive:
        workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
        ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
        rel_id = next(s.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id")
                      for s in workbook.find("m:sheets", ns) if s.get("name") == title)
        target = next(r.get("Target") for r in rels if r.get("Id") == rel_id)
        return archive.read("xl/" + target.lstrip("/").removeprefix("xl/")).decode("utf-8")


def _column(ws, header: str) -> int:
    for cell in ws[1]:
        if cell.value == header:
            return cell.column
    raise AssertionError(f"no column {header!r} on {ws.title}")


def _row_of(ws, column_header: str, value: str) -> int:
    col = _column(ws, column_header)
    for row in range(2, ws.max_row + 1):
        if ws.cell(row=row, column=col).value == value:
            return row
    raise AssertionError(f"{value!r} not found in {ws.title}")


@pytest.fixture
def client(tmp_path):
    workspace = Workspace(tmp_path / "ws")
    today = dt.date(2025, 3, 14)
    with create_demo(workspace, load_library(tmp_path / "lib"), today=today) as demo:
        assessment = demo.assessment()
        for qid, note in INJECTIONS.items():
            demo.save_answer(assessment.id, qid, note=note)
        regenerate_roadmap(demo, assessment.id, start=today)
    yield workspace.open_client("bright-smile-dental-group")


@pytest.fixture
def report(client):
    return build_report(client, branding=BRANDING)


def test_sheets_tables_and_properties(report, tmp_path):
    path = tmp_path / "out" / "deliverable.xlsx"
    warnings = write_workbook(report, path)
    assert warnings == []
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames[:4] == ["Summary", "Responses", "Roadmap", "Method"]
    assert all(wb[name].sheet_state == "visible" for name in wb.sheetnames[:4])
    assert wb.properties.creator == "Ada Lovelace — Northwind Security"
    assert "Bright Smile Dental Group" in wb.properties.title
    names = [name.casefold() for ws in wb for name in ws.tables]
    assert len(names) == len(set(names)), "table names must be unique in the workbook"
    assert {"allresponses", "roadmapitems", "sectionscores", "rules", "phases"} <= set(names)
    for ws in wb:
        for table in ws.tables.values():
            first = ws[table.ref][0]
            headers = [cell.value for cell in first]
            assert headers == [column.name for column in table.tableColumns], (ws.title, table.name)
            assert len({h.casefold() for h in headers}) == len(headers), (ws.title, table.name)
            assert table.autoFilter is not None
    for name in ("Responses", "Roadmap"):
        ws = wb[name]
        assert ws.freeze_panes and ws.freeze_panes.endswith("2")
        assert ws.print_title_rows == "$1:$1"
        assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.column_dimensions["C"].width >= 8
    # every XML part is well formed (a broken part is what makes Excel offer a repair)
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.endswith(".xml") or name.endswith(".rels"):
                ElementTree.fromstring(archive.read(name))


def test_summary_scores_and_native_charts(report, tmp_path):
    path = tmp_path / "deliverable.xlsx"
    write_workbook(report, path)
    ws = openpyxl.load_workbook(path)["Summary"]
    labels = {ws.cell(row=r, column=1).value: ws.cell(row=r, column=2).value for r in range(1, 40)}
    assert labels["Client"] == "Bright Smile Dental Group"
    assert labels["Assessment"] == report.assessment.name
    # cells hold the figures as every deliverable shows them: rounded once, halves up
    overall = report.score.overall
    assert labels["Target"] == num.rounded(overall.target)
    assert labels["Percent to target"] == num.rounded_fraction(overall.percent_to_target)
    assert labels["Completion"] == num.rounded_fraction(overall.completion)
    assert labels[next(k for k in labels if str(k).startswith("Current maturity"))] == num.rounded(overall.current)
    sections = ws.tables["SectionScores"]
    rows = list(ws[sections.ref])[1:]
    assert [r[0].value for r in rows] == [d.title for d in report.score.domains]
    assert [r[3].value for r in rows] == [num.rounded(d.gap) for d in report.score.domains]
    kinds = {type(chart) for chart in ws._charts}
    assert kinds == {RadarChart, BarChart}
    with zipfile.ZipFile(path) as archive:
        charts = [archive.read(n).decode() for n in archive.namelist() if n.startswith("xl/charts/chart")]
    assert any("<c:radarChart>" in c or "radarChart" in c for c in charts)
    assert any("barChart" in c for c in charts)
    radar = next(c for c in charts if "radarChart" in c)
    assert "Summary" in radar and "$B$" in radar and "$C$" in radar  # current and target columns


def test_responses_one_row_per_question(report, tmp_path):
    path = tmp_path / "deliverable.xlsx"
    write_workbook(report, path)
    ws = openpyxl.load_workbook(path)["Responses"]
    assert [c.value for c in ws[1]][:7] == ["Section", "ID", "Question", "Level", "Value", "Target", "Shortfall"]
    ids = [ws.cell(row=r, column=2).value for r in range(2, ws.max_row + 1)]
    assert ids == [f.question_id for f in report.findings]
    finding = next(f for f in report.findings if f.status == "answered" and f.gap)
    row = _row_of(ws, "ID", finding.question_id)
    assert ws.cell(row=row, column=_column(ws, "Level")).value == finding.level_label
    assert ws.cell(row=row, column=_column(ws, "Value")).value == finding.level_value
    assert ws.cell(row=row, column=_column(ws, "Shortfall")).value == finding.gap
    na = next(f for f in report.findings if f.status == "na")
    row = _row_of(ws, "ID", na.question_id)
    assert ws.cell(row=row, column=_column(ws, "Level")).value == "N/A"
    assert ws.cell(row=row, column=_column(ws, "N/A reason")).value == na.na_reason
    flagged = next(f for f in report.findings if f.flagged)
    assert ws.cell(row=_row_of(ws, "ID", flagged.question_id), column=_column(ws, "Flagged")).value == "Yes"


def test_roadmap_dates_dropdowns_and_conditional_formatting(report, tmp_path):
    path = tmp_path / "deliverable.xlsx"
    write_workbook(report, path)
    ws = openpyxl.load_workbook(path)["Roadmap"]
    due_col, status_col = _column(ws, "Due date"), _column(ws, "Status")
    assert ws.max_row == len(report.roadmap) + 1
    for row, item in enumerate(report.roadmap, start=2):
        cell = ws.cell(row=row, column=due_col)
        assert cell.is_date and isinstance(cell.value, dt.datetime)
        assert cell.value.date() == item.due
        assert "yy" in cell.number_format
        assert ws.cell(row=row, column=status_col).value == item.status
    status_letter = openpyxl.utils.get_column_letter(status_col)
    lists = [dv for dv in ws.data_validations.dataValidation if dv.type == "list"]
    status_dv = next(dv for dv in lists if status_letter + "2" in str(dv.sqref))
    assert status_dv.formula1 == '"' + ",".join(STATUSES) + '"'
    assert f"{status_letter}2:{status_letter}{ws.max_row}" in str(status_dv.sqref)
    owner_letter = openpyxl.utils.get_column_letter(_column(ws, "Owner"))
    assert any(owner_letter + "2" in str(dv.sqref) for dv in lists), "owner column has a drop-down"
    rules = [(str(rng.sqref), rule) for rng in ws.conditional_formatting for rule in rng.rules]
    status_rules = [rule for ref, rule in rules if ref.startswith(status_letter)]
    assert {rule.formula[0] for rule in status_rules} >= {'"Done"', '"Blocked"', '"In progress"'}
    due_letter = openpyxl.utils.get_column_letter(due_col)
    overdue = [rule for ref, rule in rules if ref.startswith(due_letter)]
    assert overdue and "TODAY()" in overdue[0].formula[0] and '<>"Done"' in overdue[0].formula[0]


def test_formula_like_text_is_stored_as_text(client, tmp_path):
    assessment = client.assessment()
    item = roadmap_items(client, assessment.id)[0]
    update_roadmap_item(client, item.id, notes="=1+2", owner="@owner")
    report = build_report(client, branding=BRANDING)
    path = tmp_path / "deliverable.xlsx"
    write_workbook(report, path)
    wb = openpyxl.load_workbook(path)
    ws = wb["Responses"]
    notes_col = _column(ws, "Notes")
    for qid, note in INJECTIONS.items():
        cell = ws.cell(row=_row_of(ws, "ID", qid), column=notes_col)
        expected = note.replace("\r", "\n")  # Excel keeps line breaks as LF
        assert cell.value == expected, qid
        assert cell.data_type == "s", qid
        assert cell.quotePrefix, qid  # editing the cell in Excel keeps it text
    roadmap = wb["Roadmap"]
    assert roadmap.cell(row=2, column=_column(roadmap, "Notes")).value == "=1+2"
    assert roadmap.cell(row=2, column=_column(roadmap, "Notes")).data_type == "s"
    for title in ("Responses", "Roadmap"):
        xml = _sheet_xml(path, title)
        assert "<f>" not in xml and "<f " not in xml, f"a formula was written on {title}"
    assert "HYPERLINK" in _sheet_xml(path, "Responses")  # stored inline, as text


def test_long_note_is_kept_whole_with_a_warning(client, tmp_path):
    assessment = client.assessment()
    note = "".join(f"line {i:05d} of the notes 😀 — " for i in range(1600))
    assert len(note) > 40_000
    client.save_answer(assessment.id, "BAK-01", note=note)
    report = build_report(client)
    path = tmp_path / "deliverable.xlsx"
    warnings = write_workbook(report, path)
    assert len(warnings) == 1 and "BAK-01" in warnings[0] and "Overflow" in warnings[0]
    wb = openpyxl.load_workbook(path)
    ws = wb["Responses"]
    cell = ws.cell(row=_row_of(ws, "ID", "BAK-01"), column=_column(ws, "Notes"))
    assert len(cell.value.encode("utf-16-le")) // 2 <= EXCEL_CELL_LIMIT
    assert cell.value.endswith(OVERFLOW_MARKER)
    overflow = wb["Overflow"]
    parts = sorted((row[3].value, row[4].value) for row in overflow.iter_rows(min_row=2)
                   if row[0].value == "Responses" and row[1].value == cell.coordinate)
    assert parts and all(len(text.encode("utf-16-le")) // 2 <= EXCEL_CELL_LIMIT for _, text in parts)
    recovered = cell.value[: -len(OVERFLOW_MARKER)] + "".join(text for _, text in parts)
    assert recovered == note


def test_illegal_characters_become_a_visible_placeholder(client, tmp_path):
    client.save_answer(client.assessment().id, "BAK-02", note="bell\x07 and escape\x1b")
    path = tmp_path / "deliverable.xlsx"
    warnings = write_workbook(build_report(client), path)
    assert any("replaced" in w and "Responses!" in w and "BAK-02" in w for w in warnings)
    ws = openpyxl.load_workbook(path)["Responses"]
    value = ws.cell(row=_row_of(ws, "ID", "BAK-02"), column=_column(ws, "Notes")).value
    assert value == f"bell{PLACEHOLDER} and escape{PLACEHOLDER}"


def test_failed_write_leaves_the_previous_file_untouched(report, tmp_path, monkeypatch):
    path = tmp_path / "deliverable.xlsx"
    write_workbook(report, path)
    before = path.read_bytes()

    def broken_save(self, filename):
        Path(filename).write_bytes(b"half a workbook")
        raise OSError("disk full")

    monkeypatch.setattr(openpyxl.Workbook, "save", broken_save)
    with pytest.raises(OSError, match="disk full"):
        write_workbook(report, path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == ["deliverable.xlsx"]


def test_nested_sections_and_empty_roadmap(tmp_path):
    from core_fixtures import synthetic_questionnaire

    questionnaire = synthetic_questionnaire(3, 4, subsections=2)
    workspace = Workspace(tmp_path / "ws")
    with workspace.create_client("Nested Ltd") as client:
        assessment = client.create_assessment(questionnaire, "Check")
        for question in questionnaire.questions():
            client.save_answer(assessment.id, question.id, current=5)
        report = build_report(client)
    path = tmp_path / "nested.xlsx"
    assert write_workbook(report, path) == []
    wb = openpyxl.load_workbook(path)
    assert "SubsectionScores" in wb["Summary"].tables
    roadmap = wb["Roadmap"]
    assert roadmap.tables["RoadmapItems"].ref == "A1:M2"
    assert "No gaps" in str(roadmap["D2"].value)


def test_cli_export_xlsx(client, tmp_path, monkeypatch, capsys):
    from vciso.cli import main

    monkeypatch.setenv("VCISO_SETTINGS", str(tmp_path / "settings.json"))
    out = tmp_path / "cli.xlsx"
    code = main(["--workspace", str(client.path.parent), "export", "xlsx", "bright-smile-dental-group",
                 "-o", str(out)])
    assert code == 0 and out.is_file()
    assert re.search(r"Wrote .*cli\.xlsx", capsys.readouterr().out)
    assert openpyxl.load_workbook(out).sheetnames[:4] == ["Summary", "Responses", "Roadmap", "Method"]
