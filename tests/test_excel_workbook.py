"""The Excel deliverable: sheets, tables, native charts, drop-downs, real dates, conditional formatting,
text that looks like a formula stays text, nothing is truncated, and the file is written atomically."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import openpyxl
import pytest
from openpyxl.cell.rich_text import CellRichText
from openpyxl.chart import BarChart, RadarChart

from exports.excel_workbook import write_workbook
from exports.pdf_styles import STATUS_COLOURS, TARGET
from exports.xlsx_common import DATE_FORMAT, EXCEL_CELL_LIMIT, PLACEHOLDER
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
    assert [c.value for c in ws[1]][:8] == ["Section", "ID", "Title", "Question", "Level", "Value", "Target",
                                            "Shortfall"]
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


# --------------------------------------------------------------------------- print set-up, fonts, columns

NS = {"c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
      "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
      "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


def _charts_xml(path: Path) -> list[ElementTree.Element]:
    with zipfile.ZipFile(path) as archive:
        return [ElementTree.fromstring(archive.read(n)) for n in sorted(archive.namelist())
                if n.startswith("xl/charts/chart")]


def _hex(colour) -> str:
    return colour.hexval()[2:].upper()


def _label_value(ws, label: str):
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(row=r, column=1).value == label)
    return ws.cell(row=row, column=2)


@pytest.mark.parametrize(("paper", "code"), [("A4", 9), ("Letter", 1)])
def test_every_sheet_prints_on_the_brandings_paper(report, tmp_path, paper, code):
    report = dataclasses.replace(report, branding=dataclasses.replace(BRANDING, paper_size=paper))
    path = tmp_path / f"{paper}.xlsx"
    write_workbook(report, path)
    wb = openpyxl.load_workbook(path)
    assert "Lists" in wb.sheetnames  # the hidden helper sheet is checked too
    assert {ws.title: int(ws.page_setup.paperSize) for ws in wb} == {ws.title: code for ws in wb}
    # the export's own choice wins over the branding, as for the PDF
    other = "Letter" if paper == "A4" else "A4"
    write_workbook(report, tmp_path / "other.xlsx", paper_size=other)
    assert {int(ws.page_setup.paperSize) for ws in openpyxl.load_workbook(tmp_path / "other.xlsx")} == \
        {1 if other == "Letter" else 9}


def test_every_sheet_repeats_its_header_rows_and_fits_one_page_wide(report, tmp_path):
    path = tmp_path / "deliverable.xlsx"
    write_workbook(report, path)
    wb = openpyxl.load_workbook(path)
    for ws in wb:
        assert ws.print_title_rows and ws.print_title_rows.startswith("$1:"), ws.title
        assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0, ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
    assert wb["Summary"].print_title_rows == "$1:$3"  # title, client and the DRAFT banner
    assert wb["Responses"].print_title_rows == wb["Roadmap"].print_title_rows == "$1:$1"


def test_every_font_names_its_face(report, tmp_path):
    """Without a name LibreOffice draws bold cells in a serif font: every cell, rich text run, font of
    the workbook's styles and chart text names one."""
    path = tmp_path / "deliverable.xlsx"
    write_workbook(report, path)
    wb = openpyxl.load_workbook(path, rich_text=True)
    for ws in wb:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.font.name, f"{ws.title}!{cell.coordinate}"
                if isinstance(cell.value, CellRichText):
                    assert all(block.font.rFont for block in cell.value if not isinstance(block, str))
    with zipfile.ZipFile(path) as archive:
        styles = ElementTree.fromstring(archive.read("xl/styles.xml"))
    fonts = styles.find("m:fonts", NS)
    assert len(fonts) and all(font.find("m:name", NS) is not None for font in fonts)
    for chart in _charts_xml(path):
        runs = chart.findall(".//a:defRPr", NS) + chart.findall(".//a:rPr", NS)
        assert runs and all(run.find("a:latin", NS) is not None for run in runs)


def test_responses_have_a_title_column(report, tmp_path):
    path = tmp_path / "deliverable.xlsx"
    write_workbook(report, path)
    ws = openpyxl.load_workbook(path)["Responses"]
    assert _column(ws, "ID") < _column(ws, "Title") < _column(ws, "Question")
    titles = [ws.cell(row=r, column=_column(ws, "Title")).value for r in range(2, ws.max_row + 1)]
    assert titles == [f.title or None for f in report.findings]
    assert any(titles)


def test_no_recommendation_for_a_question_at_target(report, tmp_path):
    path = tmp_path / "deliverable.xlsx"
    write_workbook(report, path)
    ws = openpyxl.load_workbook(path)["Responses"]
    column = _column(ws, "Recommendation")
    met = [f for f in report.findings if f.status == "answered" and not f.gap and f.recommendation]
    short = [f for f in report.findings if f.status == "answered" and f.gap and f.recommendation]
    assert met and short
    for finding in met:
        assert ws.cell(row=_row_of(ws, "ID", finding.question_id), column=column).value is None, finding.question_id
    for finding in short:
        assert ws.cell(row=_row_of(ws, "ID", finding.question_id), column=column).value == finding.recommendation


def test_gap_chart_bars_take_the_pdfs_band_colours_and_target_its_grey(report, tmp_path):
    path = tmp_path / "deliverable.xlsx"
    write_workbook(report, path)
    charts = _charts_xml(path)
    gaps = next(c for c in charts if c.find(".//c:barChart/c:barDir", NS) is not None
                and c.find(".//c:barChart/c:barDir", NS).get("val") == "bar")
    points = {int(p.find("c:idx", NS).get("val")): p.find("c:spPr/a:solidFill/a:srgbClr", NS).get("val")
              for p in gaps.findall(".//c:ser/c:dPt", NS)}
    scale = report.questionnaire.default_scale
    span = scale.max_value - scale.min_value
    bands = [num.gap_band(d.gap, span) for d in report.score.domains]
    assert len(set(bands)) >= 3, "the demo should show several bands"
    assert points == {i: _hex(STATUS_COLOURS[band]) for i, band in enumerate(bands)}
    radar = next(c for c in charts if c.find(".//c:radarChart", NS) is not None)
    target = radar.findall(".//c:ser", NS)[1]
    assert target.find("c:spPr/a:ln/a:solidFill/a:srgbClr", NS).get("val") == _hex(TARGET)
    assert target.find("c:spPr/a:ln/a:prstDash", NS).get("val") == "dash"  # dashed, as in the PDF


def test_generated_is_a_real_date_and_time(report, tmp_path):
    path = tmp_path / "deliverable.xlsx"
    write_workbook(report, path)
    cell = _label_value(openpyxl.load_workbook(path)["Summary"], "Generated")
    assert isinstance(cell.value, dt.datetime) and cell.is_date
    assert cell.value == report.generated_at.replace(tzinfo=None, microsecond=0)
    assert cell.number_format == DATE_FORMAT


def test_every_date_is_a_date_cell_in_one_format(report, tmp_path):
    path = tmp_path / "deliverable.xlsx"
    write_workbook(report, path)
    wb = openpyxl.load_workbook(path)
    dates, iso_text = [], []
    for ws in wb:
        for row in ws.iter_rows():
            for cell in row:
                if cell.is_date:
                    dates.append(cell)
                elif isinstance(cell.value, str) and ISO_DATE.search(cell.value):
                    iso_text.append(f"{ws.title}!{cell.coordinate}: {cell.value}")
    assert {cell.number_format for cell in dates} == {DATE_FORMAT}
    assert len(dates) >= 2 + len(report.roadmap)  # assessment date, generated, every due date
    assert _label_value(wb["Summary"], "Assessment date").is_date
    assert iso_text == []  # no date written as ISO text (the baseline's date in a heading was)
    assert any("(13 Sep 2024)" in str(c.value) for c in wb["Summary"]["A"])  # num.short_date, as the PDF


def test_columns_fit_what_they_show(report, tmp_path):
    """Due dates and statuses no longer run together; no value that does not wrap is wider than its
    column, and no word of a header is cut."""
    path = tmp_path / "deliverable.xlsx"
    write_workbook(report, path)
    wb = openpyxl.load_workbook(path)
    roadmap = wb["Roadmap"]
    due, status = _column(roadmap, "Due date"), _column(roadmap, "Status")
    width = roadmap.column_dimensions[openpyxl.utils.get_column_letter(due)].width
    assert width >= len("30 Sep 2025") + 2
    for row in range(2, roadmap.max_row + 1):
        assert roadmap.cell(row=row, column=due).alignment.horizontal == "center"
        assert roadmap.cell(row=row, column=status).alignment.horizontal in (None, "left")
    for ws in wb:
        for table in ws.tables.values():
            min_col, min_row, max_col, max_row = openpyxl.utils.range_boundaries(table.ref)
            for col in range(min_col, max_col + 1):
                letter = openpyxl.utils.get_column_letter(col)
                width = ws.column_dimensions[letter].width
                header = str(ws.cell(row=min_row, column=col).value)
                assert width >= max(len(w) for w in header.split()) + 2, (ws.title, header)
                for row in range(min_row + 1, max_row + 1):
                    cell = ws.cell(row=row, column=col)
                    if isinstance(cell.value, str) and not cell.alignment.wrap_text:
                        assert len(cell.value) + 1 <= width, (ws.title, cell.coordinate, cell.value)
